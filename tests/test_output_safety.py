"""Untrusted text stays inert in every output (issue 15): Markdown, CSV, terminal, BibTeX, and
reference exports are one entry per PMID without retracted papers unless asked for."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from pybtex.database import parse_string
from standin import StandIn

from claimledger.cli import cli
from claimledger.pubmed.records import Article
from claimledger.reports.refs import Reference, to_bibtex, unique_references
from claimledger.reports.safe import csv_cell, md_text, terminal_text

HOSTILE = [
    "[click](javascript:alert(1))",
    "![pixel](https://tracker.example/p.png)",
    "<img src=x onerror=alert(1)> and <script>alert(2)</script>",
    "[ref]: https://evil.example/ then [ref]",
    "see https://evil.example/x or www.evil.example now",
    "# Not a heading",
    "1. not a list",
    "- not a bullet | not a cell",
    "`code` *em* _em_ ~~del~~ &amp; \\ back",
    "<https://evil.example/autolink>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escaping_leaves_no_link_image_or_html(text: str) -> None:
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    html = md.render(md_text(text))
    assert "<a " not in html and "<img" not in html and "<script" not in html
    assert not re.search(r"<(h\d|ol|ul|li|table|code|em|del|strong)\b", html)
    # what a reader sees is the text itself
    shown = re.sub(r"<[^>]+>", "", html).strip()
    assert _unescape(shown) == " ".join(text.split())


def _unescape(s: str) -> str:
    import html

    return html.unescape(s)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        (" =1", "' =1"),
        ("safe text", "safe text"),
        (5, 5),
        (-1.5, -1.5),
    ],
)
def test_csv_cells_never_start_a_formula(value: object, expected: object) -> None:
    assert csv_cell(value) == expected


def test_terminal_text_strips_escape_sequences() -> None:
    raw = "a\x1b[31mred\x1b[0m \x1b]0;pwned\x07title \x9b2Jclear \x1bcreset \x07bell\ttab\nline"
    assert terminal_text(raw) == "ared title clear reset bell\ttab\nline"


def test_terminal_text_shows_bidi_controls_instead_of_obeying_them() -> None:
    """An override in copy or a file name would reorder the terminal line; it is named instead."""
    raw = "Ketamine is \u202e100% safe\u202c, see b\u2067txt.md\u2069"
    assert (
        terminal_text(raw) == "Ketamine is <U+202E>100% safe<U+202C>, see b<U+2067>txt.md<U+2069>"
    )


# --- through the CLI -----------------------------------------------------------------------------

CLAIMS = """\
settings:
  relevance_limit: 10
claims:
  - id: formula-claim
    statement: '=HYPERLINK("https://evil.example","Ketamine relieves depression")'
    topic: depression
    kind: efficacy
    polarity: asserts-benefit
    query: (Ketamine[mh] OR ketamine[tiab]) AND depress*[tiab]
  - id: same-evidence
    statement: Ketamine helps depression [see](javascript:alert(1)).
    topic: depression
    kind: efficacy
    polarity: asserts-benefit
    query: (Ketamine[mh] OR ketamine[tiab]) AND depress*[tiab]
  - id: retracted-sample
    statement: A claim resting partly on retracted evidence.
    topic: mechanism
    kind: mechanism
    polarity: asserts-fact
    query: '"Retracted Publication"[pt]'
"""


@pytest.fixture
def ledger(tmp_path: Path, standin: StandIn, runner, monkeypatch) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NCBI_API_KEY", "TESTKEY")
    (tmp_path / "claims.yaml").write_text(CLAIMS)
    db = tmp_path / "evidence" / "ledger.db"
    base = ["--claims", str(tmp_path / "claims.yaml"), "--db", str(db)]
    res = runner.invoke(cli, [*base, "refresh"])
    assert res.exit_code == 0, res.output
    return {"base": base, "db": db, "tmp": tmp_path}


def test_report_csv_neutralises_formulas_and_md_escapes_links(runner, ledger) -> None:  # type: ignore[no-untyped-def]
    out = ledger["tmp"] / "r"
    for fmt in ("csv", "md"):
        res = runner.invoke(cli, [*ledger["base"], "report", "--format", fmt, "--output", str(out)])
        assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO((out / "claims.csv").read_text())))
    assert rows[0]["statement"].startswith("'=HYPERLINK(")
    assert not any(str(v).startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    html = MarkdownIt("commonmark").render((out / "report.md").read_text())
    assert 'href="javascript' not in html


def test_check_markdown_and_terminal_output_are_inert(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "claims.yaml").write_text(CLAIMS)
    copy = tmp_path / "copy.md"
    copy.write_text(
        "Ketamine is proven to cure depression [now](javascript:alert(1)) "
        "![x](https://tracker.example/p.png) in every patient.\n"
        "Ketamine \x1b]0;pwned\x07relieves depression \x1b[2Jwithin hours, always.\n"
    )
    base = ["--claims", str(tmp_path / "claims.yaml"), "--db", str(tmp_path / "none.db")]
    md = runner.invoke(cli, [*base, "check", str(copy), "--format", "md"])
    assert md.exit_code == 0, md.output
    html = MarkdownIt("commonmark").render(md.stdout)
    assert "<a " not in html and "<img" not in html
    text = runner.invoke(cli, [*base, "check", str(copy)])
    assert text.exit_code == 0
    assert "\x1b" not in text.stdout and "\x07" not in text.stdout
    assert "relieves depression" in text.stdout


def test_bibtex_export_escapes_once_and_files_books_as_books() -> None:
    title = 'Ketamine & 50% of {patients} \\ $x^2$ #1 a_b ~ "q" }, title = {PWNED'
    art = Article(
        pmid="1", title=title, journal="J Psychiatry", authors=("O'Brien}{ A",), year=2020
    )
    book = Article(pmid="2", kind="book", title="Ketamine", journal="Ketamine", year=2021)
    chapter = Article(pmid="3", kind="book", title="Uses", journal="StatPearls", year=2021)
    bib = to_bibtex([Reference(a, "c", "supports") for a in (art, book, chapter)])
    assert "\\\\&" not in bib and "\\\\%" not in bib  # no LaTeX line break before & or %
    assert "\\&" in bib and "\\%" in bib and "\\#" in bib and "\\_" in bib
    parsed = parse_string(bib, "bibtex")  # balanced, one entry each, nothing injected
    assert list(parsed.entries) == ["pmid1", "pmid2", "pmid3"]
    assert [e.type for e in parsed.entries.values()] == ["article", "book", "incollection"]
    assert set(parsed.entries["pmid1"].fields) == {
        "title",
        "journal",
        "year",
        "pmid",
        "url",
        "note",
    }
    assert parsed.entries["pmid3"].fields["booktitle"] == "StatPearls"


def test_reference_list_is_one_entry_per_pmid() -> None:
    a = Article(pmid="1", title="A")
    refs = [
        Reference(a, "c1", "supports"),
        Reference(a, "c2", "contradicts"),
        Reference(a, "c1", "supports"),
    ]
    merged = unique_references(refs)
    assert len(merged) == 1
    assert merged[0].note == "PMID: 1; supports claim c1; contradicts claim c2 (claimledger)"


def test_export_refs_dedupes_by_pmid_and_leaves_out_retracted(runner, ledger) -> None:  # type: ignore[no-untyped-def]
    def export(*extra: str) -> list[dict[str, Any]]:
        res = runner.invoke(cli, [*ledger["base"], "export", "refs", "--format", "csljson", *extra])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)  # type: ignore[no-any-return]

    items = export()
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids))  # formula-claim and same-evidence link the same records
    assert any("formula-claim" in i["note"] and "same-evidence" in i["note"] for i in items)
    with_retracted = export("--include-retracted")
    retracted = {i["PMID"] for i in with_retracted} - {i["PMID"] for i in items}
    assert retracted  # the fixtures hold retracted papers, and by default they are left out
    bib = runner.invoke(cli, [*ledger["base"], "export", "refs", "--format", "bibtex"]).stdout
    keys = re.findall(r"^@\w+\{(pmid\d+),", bib, re.M)
    assert len(keys) == len(set(keys)) == len(items)


def test_show_strips_c1_escape_sequences_from_pubmed_text(
    tmp_path: Path, standin: StandIn, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    monkeypatch.setenv("NCBI_API_KEY", "TESTKEY")
    # SYNTHETIC: a real record whose title carries an 8-bit CSI (U+009B, legal in XML 1.0)
    xml = re.sub(
        rb"<ArticleTitle>.*?</ArticleTitle>",
        b"<ArticleTitle>Clears the screen &#x9b;2J and retitles &#x9d;0;pwned&#x9c; done</ArticleTitle>",
        standin.records["8655018"].xml,
        count=1,
        flags=re.S,
    )
    standin.replace_record("8655018", xml, mdat=date(2020, 1, 1))
    (tmp_path / "claims.yaml").write_text(CLAIMS)
    base = ["--claims", str(tmp_path / "claims.yaml"), "--db", str(tmp_path / "l.db")]
    assert runner.invoke(cli, [*base, "refresh"]).exit_code == 0
    res = runner.invoke(cli, [*base, "show", "retracted-sample"])
    assert res.exit_code == 0, res.output
    assert "Clears the screen" in res.stdout
    assert not any(0x80 <= ord(c) <= 0x9F or c == "\x1b" for c in res.stdout)
