"""`claimledger check` on the files writers and reviewers actually have: encodings, odd paths,
folders, PDF, RTF, .docx and Markdown quirks (an acceptance pass of issue 13, item 6).

Every file here is synthetic: written by these tests, in the style clinic copy is written in;
none of it is taken from a website or from the dev set.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import cli
from claimledger.copy.documents import expand_paths, read_document
from claimledger.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
BASE = ["--claims", str(ROOT / "claims.yaml"), "check"]

# one paragraph of short copy with what legacy exports carry: smart quotes, a dash, a euro sign
SHORT = (
    "Ketamine is \u201cthe\u201d 100% safe cure \u2013 costs \u20ac300 per infusion. "
    "Patients\u2019 results are guaranteed."
)


# --- encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_unicode_text_with_a_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    """Word's "Unicode text" and Notepad's "Unicode" save UTF-16 with a mark; its NUL bytes
    were taken for a binary file."""
    p = tmp_path / "notepad.txt"
    data = SHORT.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    p.write_bytes(data)
    assert read_document(p).text == SHORT


def test_utf16_without_a_mark_is_read_and_binary_is_still_refused(tmp_path: Path) -> None:
    p = tmp_path / "export.txt"
    p.write_bytes(SHORT.encode("utf-16-le"))
    assert read_document(p).text == SHORT
    binary = tmp_path / "logo.txt"
    binary.write_bytes(b"\xff\xfe\x00\x00" + bytes(range(256)) * 4)  # a UTF-32 mark, then bytes
    with pytest.raises(InputError, match="starts like UTF-32-LE text but is not"):
        read_document(binary)


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_short_legacy_copy_keeps_its_quotes_dashes_and_accents(tmp_path: Path, codec: str) -> None:
    """charset-normalizer alone read this paragraph as cp775 ("\u014dthe\u00f6 ... \u0106300")."""
    text = (
        SHORT
        if codec == "cp1252"
        else "Ketamine is 100% safe. Caf\u00e9 \u00abremarkable\u00bb, na\u00efve."
    )
    p = tmp_path / "old-cms.txt"
    p.write_bytes(text.encode(codec))
    assert read_document(p).text == text


def test_utf8_with_one_pasted_cp1252_quote_keeps_both(tmp_path: Path) -> None:
    p = tmp_path / "mixed.md"
    p.write_bytes(
        "Ketamine\u2019s effect \u2014 fast. ".encode()
        + "Caf\u00e9 \u201cbest\u201d.".encode("cp1252")
    )
    assert (
        read_document(p).text == "Ketamine\u2019s effect \u2014 fast. Caf\u00e9 \u201cbest\u201d."
    )


def test_a_cyrillic_code_page_is_not_read_as_cp1252(tmp_path: Path) -> None:
    text = "Кетамин облегчает депрессию в течение нескольких часов после первой инфузии."
    p = tmp_path / "ru.txt"
    p.write_bytes(text.encode("cp1251"))
    # charset-normalizer's guess (a Cyrillic code page; which one it cannot always tell)
    assert "етамин облегчает депрессию" in read_document(p).text


# --- paths that are not files -------------------------------------------------------------------


def test_a_device_or_pipe_is_refused_with_its_reason(runner: CliRunner) -> None:
    """/dev/null and a FIFO were reported as "no such file" (and a FIFO must never be opened:
    it would block)."""
    res = runner.invoke(cli, [*BASE, os.devnull])
    assert res.exit_code == 2
    assert res.stderr == (
        f"Error: cannot read {os.devnull}: not a regular file (a device, pipe or socket); "
        "save the copy to a file, or pipe it in as -\n"
    )


def test_a_broken_link_says_so(runner: CliRunner, tmp_path: Path) -> None:
    link = tmp_path / "draft.md"
    link.symlink_to(tmp_path / "moved-away.md")
    res = runner.invoke(cli, [*BASE, str(link)])
    assert res.exit_code == 2
    assert res.stderr == f"Error: cannot read {link}: it is a link to a file that does not exist\n"


def test_dash_reads_the_copy_from_standard_input(runner: CliRunner) -> None:
    res = runner.invoke(cli, [*BASE, "-", "--format", "json"], input="Ketamine is 100% safe.\n")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["document"] == "<stdin>"
    assert out["findings"][0]["flags"][0]["code"] == "ABSOLUTE_SAFETY"
    res = runner.invoke(cli, [*BASE, "-"], input="")
    assert res.exit_code == 2 and res.stderr == "Error: cannot check <stdin>: the file is empty\n"


# --- folders ------------------------------------------------------------------------------------


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    d = tmp_path / "drafts"
    (d / "blog").mkdir(parents=True)
    (d / ".git").mkdir()
    (d / "a.txt").write_text("Ketamine is 100% safe.\n")
    (d / "blog" / "b.md").write_text("Ketamine cures depression.\n")
    (d / ".git" / "c.txt").write_text("Ketamine is 100% safe.\n")
    (d / ".notes.txt").write_text("Ketamine is 100% safe.\n")
    (d / "logo.png").write_bytes(b"\x89PNG\r\n")
    (d / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (d / "blog" / "deck.pptx").write_bytes(b"PK")
    return d


def test_a_folder_lists_the_documents_it_skipped(runner: CliRunner, drafts: Path) -> None:
    """A .doc or .pptx in a folder was left out without a word: a reviewer thought it checked."""
    res = runner.invoke(cli, [*BASE, str(drafts), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert [Path(d["document"]).name for d in json.loads(res.stdout)] == ["a.txt", "b.md"]
    assert res.stderr.splitlines() == [
        f"note: skipped {drafts / 'blog' / 'deck.pptx'}: .pptx files are not supported; "
        "export the slides as .pdf",
        f"note: skipped {drafts / 'old.doc'}: .doc files are not supported; save it as .docx",
    ]


@pytest.fixture
def locked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Folders named "locked" cannot be listed (as for a user without permission; tests may run
    as root, where chmod 000 does not stop anyone)."""
    real = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> Iterator[os.DirEntry[str]]:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    yield


@pytest.mark.usefixtures("locked")
def test_a_folder_without_permission_is_an_error_not_an_empty_folder(
    runner: CliRunner, drafts: Path
) -> None:
    """An unreadable folder was reported as having no copy; an unreadable sub-folder was
    skipped without a word."""
    (drafts / "locked").mkdir()
    res = runner.invoke(cli, [*BASE, str(drafts / "locked")])
    assert res.exit_code == 2
    assert res.stderr == f"Error: cannot read folder {drafts / 'locked'}: permission denied\n"
    res = runner.invoke(cli, [*BASE, str(drafts)])
    assert res.exit_code == 2
    assert f"Error: cannot read folder {drafts / 'locked'}: permission denied" in res.stderr
    assert "a.txt: 1 claim-like sentence" in res.stdout  # the rest was still checked


def test_an_empty_folder_among_files_does_not_stop_the_others(
    runner: CliRunner, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    good = tmp_path / "good.txt"
    good.write_text("Ketamine is 100% safe.\n")
    res = runner.invoke(cli, [*BASE, str(empty), str(good)])
    assert res.exit_code == 2
    assert res.stderr.startswith(f"Error: cannot check {empty}: the folder has no .txt")
    assert "good.txt: 1 claim-like sentence" in res.stdout
    assert expand_paths([good]).files == [good]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX links")
def test_a_link_loop_in_a_folder_ends(tmp_path: Path) -> None:
    d = tmp_path / "site"
    d.mkdir()
    (d / "page.md").write_text("Ketamine is 100% safe.\n")
    (d / "loop").symlink_to(d, target_is_directory=True)
    assert expand_paths([d]).files == [d / "page.md"]


def test_a_utf8_mark_before_cp1252_bytes_is_dropped_and_the_rest_read(tmp_path: Path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + "Caf\u00e9 \u201cbest\u201d.".encode("cp1252"))
    assert read_document(p).text == "Caf\u00e9 \u201cbest\u201d."


# --- normalised before matching, reported as written (issue 13, item 4) -------------------------


@pytest.mark.parametrize(
    "hidden",
    [
        "Ketamine is 100% sa\u0301fe.",  # a combining accent inside the word
        "Ketamine is \u1d04ompletely safe.",  # a Latin small capital
        "Ketamine is 100% s\u0251fe.",  # Latin alpha
        "Ketamine is 100% sa\u2066fe.",  # a bidi isolate (a format character)
        "Ketamine is 100% sa\U000e0020fe.",  # a tag character
        "Ketamine is the best treatment\u2122 for depression.",  # NFKC spelled it "treatmentTM"
        "Spravato\u2122 is FDA-approved for PTSD.",  # and "SpravatoTM" named no product
    ],
)
def test_hidden_and_look_alike_characters_are_flagged_like_plain_ones(hidden: str) -> None:
    from claimledger.copy.normalise import normalise
    from claimledger.copy.wording import lexicon_flags

    assert lexicon_flags(normalise(hidden)), hidden


def test_flags_on_disguised_words_point_at_the_writers_own_text() -> None:
    from claimledger.copy.check import check_text
    from claimledger.library.claims import load_claims

    text = (
        "Ketamine Therapy\n\n"
        "Our infusions are 100% \u0455afe.\n"  # Cyrillic dze
        "Ketamine is c\u043em\u200bpl\u0435tely sa\u0301fe and the be\u00adst\u2122 treatment.\n"
    )
    fs = check_text("page", text, load_claims(ROOT / "claims.yaml"), {}).findings
    got = {f.sentence: {fl.code for fl in f.flags} for f in fs}
    assert got["Our infusions are 100% \u0455afe."] >= {"ABSOLUTE_SAFETY"}
    disguised = (
        "Ketamine is c\u043em\u200bpl\u0435tely sa\u0301fe and the be\u00adst\u2122 treatment."
    )
    assert got[disguised] >= {"ABSOLUTE_SAFETY", "PUFFERY"}
    for f in fs:
        assert text[f.start : f.end] == f.sentence  # the writer's characters, not ours


# --- .docx --------------------------------------------------------------------------------------


def _word_faq(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("Ketamine Therapy FAQ", 1)
    d.add_paragraph("Common effects include:")
    d.add_paragraph("mild nausea", style="List Bullet")
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Treatment", "Response rate"
    t.cell(1, 0).text, t.cell(1, 1).text = "Ketamine", "Works for 100% of patients"
    t.cell(2, 0).merge(t.cell(2, 1)).text = "Source: our own survey"
    d.add_paragraph("Figure 1. A patient after her infusion.", style="Caption")
    d.add_paragraph("Our patients\u2019 results are guaranteed.")
    d.save(str(path))
    return path


def test_docx_tables_stay_in_place_as_rows_and_styles_give_roles(tmp_path: Path) -> None:
    """Tables were read after all paragraphs, one cell per line ("Ketamine" / "Works for 100%
    of patients"), merged cells twice, and Word's heading, list and caption styles were lost."""
    doc = read_document(_word_faq(tmp_path / "faq.docx"))
    assert doc.text.splitlines() == [
        "Ketamine Therapy FAQ",
        "Common effects include:",
        "mild nausea",
        "| Treatment | Response rate |",
        "| Ketamine | Works for 100% of patients |",
        "| Source: our own survey |",
        "Figure 1. A patient after her infusion.",
        "Our patients\u2019 results are guaranteed.",
    ]
    roles = {doc.text[a:b]: role for a, b, role in doc.roles}
    assert roles == {
        "Ketamine Therapy FAQ": "heading",
        "mild nausea": "item",
        "Figure 1. A patient after her infusion.": "caption",
    }


def test_docx_bullets_are_read_with_their_intro_line(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(cli, [*BASE, str(_word_faq(tmp_path / "faq.docx")), "--format", "json"])
    assert res.exit_code == 0, res.output
    (nausea,) = [f for f in json.loads(res.stdout)["findings"] if f["sentence"] == "mild nausea"]
    assert nausea["context"] == "Common effects include:"


# --- .pdf ---------------------------------------------------------------------------------------


def test_a_word_broken_at_a_pdf_line_end_is_whole_again(runner: CliRunner, tmp_path: Path) -> None:
    """pypdf keeps the layout's line breaks, so "long-" / "term" was reported as "long- term"."""
    from test_copy_pages import _pdf_with_text

    pdf = tmp_path / "flyer.pdf"  # synthetic: built by _pdf_with_text, one text line each
    pdf.write_bytes(
        _pdf_with_text(
            ["Ketamine Therapy", "Ketamine has no long-", "term side effects and is 100% safe."]
        )
    )
    assert read_document(pdf).text == (
        "Ketamine Therapy\nKetamine has no long-term side effects and is 100% safe."
    )
    res = runner.invoke(cli, [*BASE, str(pdf), "--format", "json"])
    sentences = [f["sentence"] for f in json.loads(res.stdout)["findings"]]
    assert sentences == ["Ketamine has no long-term side effects and is 100% safe."]


# --- Markdown -----------------------------------------------------------------------------------

FRONT = """---
title: "Ketamine is 100% safe"
author: Writer Two
tags: [ketamine, guaranteed results]
---

# Ketamine for Depression

Our clinic offers ketamine infusions.

```
note for the web team: ketamine has no side effects (do not publish)
```

~~~text
ketamine works for everyone
~~~
"""


def test_markdown_front_matter_and_code_are_not_copy_but_the_title_is(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Front matter was one long "sentence" from --- to ---, and code blocks were checked."""
    page = tmp_path / "post.md"
    page.write_text(FRONT)
    res = runner.invoke(cli, [*BASE, str(page), "--format", "json"])
    findings = json.loads(res.stdout)["findings"]
    assert [f["sentence"] for f in findings] == ["Ketamine is 100% safe"]
    (title,) = findings
    assert FRONT[title["start"] : title["end"]] == "Ketamine is 100% safe"  # offsets unmoved
    assert title["flags"][0]["code"] == "ABSOLUTE_SAFETY"


def test_markdown_rules_and_underlines_are_not_words_of_a_sentence() -> None:
    """ "---" lines were joined into the sentence around them ("---\nKetamine is ... ---")."""
    from claimledger.textutil import segment

    text = "---\nKetamine is 100% safe.\n---\nKetamine Works\n===\nIt helps.\n* * *\n"
    assert [s for _, _, s in segment(text, "md")] == [
        "Ketamine is 100% safe.",
        "Ketamine Works",
        "It helps.",
    ]


# --- messages a writer reads --------------------------------------------------------------------

MESSAGE_PAGE = """Ketamine Therapy

Clinical studies have proven that ketamine relieves depression within hours.
Ketamine is more effective than SSRIs and the best treatment there is.
Side effects are minimal and nothing to worry about.
87% of our patients respond to treatment.
The FDA approved ketamine for PTSD.
Ketamine was first synthesized in 1956.
"I felt better after one session," says Maria.
Ketamine is 100% safe.
Is ketamine addictive?
Never.
"""


def test_every_message_reads_as_one_plain_sentence_with_its_basis() -> None:
    """A testimonial quoted with its own marks came out with an unpaired one ('"I felt better
    after one session," says Maria."')."""
    from claimledger.copy.check import ClaimEvidence, check_text
    from claimledger.library.claims import load_claims

    library = load_claims(ROOT / "claims.yaml")
    grades = ["limited", "contested", "contradicted", "insufficient", "moderate"]
    evidence = {c.id: ClaimEvidence(grades[i % 5]) for i, c in enumerate(library.claims)}
    fs = check_text("page", MESSAGE_PAGE, library, evidence).findings
    flags = [fl for f in fs for fl in f.flags]
    kinds = {fl.code for fl in flags}
    assert kinds >= {
        "CERTAINTY_EXCEEDS_GRADE",
        "COMPARATIVE_SUPERIORITY",
        "PUFFERY",
        "MINIMISATION",
        "UNSUPPORTED_FIGURE",
        "APPROVAL_SCOPE",
        "MISSTATED_FACT",  # the 1956 synthesis, against the sourced record (data/facts.yaml)
        "TESTIMONIALS_AS_PROOF",
        "ABSOLUTE_SAFETY",
    }, kinds
    for fl in flags:
        m = fl.message
        assert m.endswith(".") and "\n" not in m, m
        assert m.count('"') % 2 == 0, m  # every quotation closed
        words = m.lower().replace(",", "").split()
        assert not [a for a, b in itertools.pairwise(words) if a == b], m
        assert fl.basis.startswith(("21 CFR", "16 CFR", "FTC", "FD&C")), fl
    (maria,) = [fl for fl in flags if fl.code == "TESTIMONIALS_AS_PROOF"]
    assert maria.message.startswith('"I felt better after one session," says Maria. — testimonial')


# --- output -------------------------------------------------------------------------------------


def test_output_never_replaces_the_copy_being_checked(runner: CliRunner, tmp_path: Path) -> None:
    """`check page.html --format html --output page.html` wrote the report over the page."""
    page = tmp_path / "page.html"
    page.write_text("<p>Ketamine is 100% safe.</p>\n")
    res = runner.invoke(cli, [*BASE, str(page), "--format", "html", "--output", str(page)])
    assert res.exit_code == 2
    assert res.stderr == (
        f"Error: --output {page} is one of the files being checked; write the result elsewhere "
        "(it would replace the copy)\n"
    )
    assert page.read_text() == "<p>Ketamine is 100% safe.</p>\n"


FAQ = "Is ketamine addictive?\nNever.\n\nKetamine is more effective than SSRIs.\n"


def test_several_documents_make_one_html_page(runner: CliRunner, tmp_path: Path) -> None:
    """Each document was a whole HTML page of its own, concatenated into one invalid file."""
    a, b = tmp_path / "a.txt", tmp_path / "b.md"
    a.write_text(FAQ)
    b.write_text("Ketamine cures depression.\n")
    res = runner.invoke(cli, [*BASE, str(a), str(b), "--format", "html"])
    assert res.exit_code == 0, res.output
    html = res.stdout
    assert html.count("<html") == html.count("</html>") == 1
    assert "<title>Copy check: 2 documents</title>" in html
    assert html.count("<section") == 2 and 'id="d1f1"' in html and 'href="#d1f1"' in html
    assert "read with: “Is ketamine addictive?”" in html


def test_markdown_output_says_what_text_output_says(runner: CliRunner, tmp_path: Path) -> None:
    """Markdown had no "read with" line and no nearest claims, and named the summary
    differently from the text output."""
    a = tmp_path / "a.txt"
    a.write_text(FAQ)
    text = runner.invoke(cli, [*BASE, str(a)]).stdout
    md = runner.invoke(cli, [*BASE, str(a), "--format", "md"]).stdout
    assert '(read with: "Is ketamine addictive?")' in text
    assert "_(read with: Is ketamine addictive?)_<br>Never." in md
    nearest = next(ln for ln in text.splitlines() if "nearest:" in ln).split("nearest: ")[1]
    assert "nearest: " + nearest.replace("(", "\\(").replace(")", "\\)") in md
    assert "not supported by strong or moderate evidence" in md


# --- .rtf ---------------------------------------------------------------------------------------

RTF = r"""{\rtf1\ansi\ansicpg1252\uc1\deff0{\fonttbl{\f0\fswiss Helvetica;}{\f1\froman Times;}}
{\colortbl;\red255\green0\blue0;}
{\stylesheet{\s0 Normal;}{\s1 heading 1;}}
{\*\generator Synthetic 1.0;}{\info{\title Draft}{\author Writer}}
{\header\pard Confidential draft\par}
\pard\s1\b Ketamine Therapy\b0\par
\pard Ketamine is \u8220\'93100% safe\u8221\'94 and the {\field{\*\fldinst{HYPERLINK "https://example.org/a"}}{\fldrslt{\ul best}}} treatment.\par
Results are \'93guaranteed\'94 \endash  see our caf\'e9 \u8364?300 offer.\line Our patients\rquote  results are life-changing.\par
}
"""


def test_rtf_keeps_the_words_and_drops_codes_tables_and_link_addresses(tmp_path: Path) -> None:
    """A hyperlink field came out with its address inside the sentence: 'the
    best("https://example.org/a") treatment'."""
    p = tmp_path / "draft.rtf"
    p.write_text(RTF)
    assert read_document(p).text.splitlines() == [
        "Ketamine Therapy",
        "Ketamine is \u201c100% safe\u201d and the best treatment.",
        "Results are \u201cguaranteed\u201d \u2013 see our caf\u00e9 \u20ac300 offer.",
        "Our patients\u2019 results are life-changing.",
    ]


def test_a_page_of_only_markup_is_not_called_empty(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "shell.html"
    page.write_text("<html><head><script>var copy = 'Ketamine is safe';</script></head></html>")
    res = runner.invoke(cli, [*BASE, str(page)])
    assert res.exit_code == 2
    assert res.stderr == (
        f"Error: cannot check {page}: the page has no visible text (only markup, scripts or "
        "styles)\n"
    )


def test_suggest_drafts_no_claim_for_another_treatment(runner: CliRunner, tmp_path: Path) -> None:
    """A TMS sentence was drafted as a ketamine claim, with a ketamine PubMed query."""
    page = tmp_path / "page.txt"
    page.write_text(
        "TMS is a safe, effective treatment for depression.\n\n"
        "Ketamine restores hair growth in men with alopecia.\n"
    )
    res = runner.invoke(cli, [*BASE, str(page), "--suggest"])
    assert res.exit_code == 0, res.output
    drafts = res.stdout.split("# Draft claims", 1)[1]
    assert "hair growth" in drafts and "TMS" not in drafts
    page.write_text("TMS is a safe, effective treatment for depression.\n")
    res = runner.invoke(cli, [*BASE, str(page), "--suggest"])
    assert res.stdout.endswith(
        "# No claims to draft: every claim-like sentence matched the library or is about "
        "another treatment.\n"
    )


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_line_numbers_count_every_kind_of_line_end(
    runner: CliRunner, tmp_path: Path, eol: str
) -> None:
    """A file saved with classic Mac line ends (CR only) had every finding on "line 1"."""
    page = tmp_path / "page.txt"
    page.write_bytes(
        eol.join(
            ["Ketamine FAQ", "", "Our clinic is in town.", "Ketamine is 100% safe.", ""]
        ).encode()
    )
    text = runner.invoke(cli, [*BASE, str(page)]).stdout
    md = runner.invoke(cli, [*BASE, str(page), "--format", "md"]).stdout
    assert "\n  line 4 [safe-in-clinical-setting" in text
    assert "\n| 4 | Ketamine is 100% safe. |" in md


def test_classic_mac_line_ends_are_lines_to_the_page_reader(tmp_path: Path) -> None:
    """With CR alone the whole file was one line: "Ketamine FAQ" was read as body text."""
    from claimledger.copy.structure import page_units

    page = tmp_path / "old-mac.txt"
    page.write_bytes(b"Ketamine FAQ\r\rIs ketamine addictive?\rNever.\r")
    doc = read_document(page)
    assert doc.text == "Ketamine FAQ\n\nIs ketamine addictive?\nNever.\n"  # same offsets
    assert next(u.role for u in page_units(doc.text)) == "heading"


def test_a_pdf_locked_only_against_copying_is_read(tmp_path: Path) -> None:
    """A PDF with an owner password only (it opens in any viewer) was refused as encrypted."""
    import io

    from pypdf import PdfReader, PdfWriter
    from test_copy_pages import _pdf_with_text

    def encrypted(user: str) -> bytes:
        w = PdfWriter()
        for page in PdfReader(io.BytesIO(_pdf_with_text(["Ketamine is 100% safe."]))).pages:
            w.add_page(page)
        w.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
        out = io.BytesIO()
        w.write(out)
        return out.getvalue()

    open_pdf, locked = tmp_path / "print-locked.pdf", tmp_path / "locked.pdf"
    open_pdf.write_bytes(encrypted(""))
    locked.write_bytes(encrypted("secret"))
    assert read_document(open_pdf).text.strip() == "Ketamine is 100% safe."
    with pytest.raises(InputError, match="the PDF is encrypted; export it without a password"):
        read_document(locked)


def test_an_old_word_file_renamed_docx_says_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "draft.docx"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # synthetic OLE header
    res = runner.invoke(cli, [*BASE, str(doc)])
    assert res.exit_code == 2
    assert res.stderr == (
        f"Error: cannot read {doc}: it is an older Word (.doc) file named .docx; open it in Word "
        "and save it as .docx\n"
    )


# --- .html --------------------------------------------------------------------------------------


def test_a_br_inside_a_sentence_joins_it_and_other_brs_break_lines(
    runner: CliRunner, tmp_path: Path
) -> None:
    """<br> was always a line break, so "Ketamine is 100% safe<br>and works for everyone." was
    two fragments, each judged alone."""
    page = tmp_path / "hero.html"
    page.write_text(
        "<h1>Ketamine Therapy</h1>"
        "<p>Ketamine is 100% safe<br/>\n and works for everyone.</p>"
        "<p>Harbor Clinic<br>12 Main St<br>Springfield</p>"
    )
    assert read_document(page).text == (
        "Ketamine Therapy\n\nKetamine is 100% safe and works for everyone.\n\n"
        "Harbor Clinic\n12 Main St\nSpringfield\n"
    )
    res = runner.invoke(cli, [*BASE, str(page), "--format", "json"])
    (f,) = [f for f in json.loads(res.stdout)["findings"] if "safe" in f["sentence"]]
    assert f["sentence"] == "Ketamine is 100% safe and works for everyone."
    assert {"ABSOLUTE_SAFETY", "UNQUALIFIED_EFFICACY"} <= {fl["code"] for fl in f["flags"]}


def test_a_report_saved_into_the_folder_is_not_checked_as_copy(
    runner: CliRunner, tmp_path: Path
) -> None:
    """`check drafts/ --format html --output drafts/check.html`, run twice, checked the first
    report as copy: its quotes of flagged words were flagged again."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "page.txt").write_text("Ketamine is 100% safe.\n")
    for fmt, name in (("html", "check.html"), ("md", "check.md")):
        out = drafts / name
        assert (
            runner.invoke(
                cli, [*BASE, str(drafts), "--format", fmt, "--output", str(out)]
            ).exit_code
            == 0
        )
    res = runner.invoke(cli, [*BASE, str(drafts), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["document"] == str(drafts / "page.txt")
    assert res.stderr.splitlines() == [
        f"note: skipped {drafts / 'check.html'}: a claimledger check report, not copy",
        f"note: skipped {drafts / 'check.md'}: a claimledger check report, not copy",
    ]


_BOX_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def test_docx_text_boxes_are_read_once(tmp_path: Path) -> None:
    """A flyer's headline in a Word text box was not read at all (python-docx skips text
    boxes); Word writes each box twice (a VML fallback), which must not double it."""
    import docx
    from docx.oxml import parse_xml

    box = "<w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent>".format(
        "Ketamine is 100% safe and works for everyone."
    )
    d = docx.Document()
    anchor = d.add_paragraph("Ketamine Therapy")
    anchor._p.append(  # a synthetic text box, the shape Word writes (DrawingML, VML fallback)
        parse_xml(
            f'<w:r {_BOX_NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing></mc:Choice>"
            f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
            "</mc:Fallback></mc:AlternateContent></w:r>"
        )
    )
    d.add_paragraph("Call us today.")
    path = tmp_path / "flyer.docx"
    d.save(str(path))
    assert read_document(path).text.splitlines() == [
        "Ketamine Therapy",
        "Ketamine is 100% safe and works for everyone.",
        "Call us today.",
    ]


@pytest.mark.parametrize("fmt", ["text", "json", "md", "html"])
def test_every_format_tells_the_reviewer_about_disguised_words(
    runner: CliRunner, tmp_path: Path, fmt: str
) -> None:
    """A sentence with "100% ѕafe" (Cyrillic ѕ) was flagged, but the reviewer saw only the
    flag's "100% safe" and could not tell why their own search found no such words."""
    page = tmp_path / "page.txt"
    page.write_text("Ketamine Therapy\n\nOur infusions are 100% \u0455afe and effective.\n")
    out = runner.invoke(cli, [*BASE, str(page), "--format", fmt]).stdout
    note = (
        '"\u0455afe" is read as "safe": it contains cyrillic small letter dze (U+0455), which '
        "search, spell-check and screen readers do not read as it looks; retype the word"
    )
    if fmt == "json":
        (f,) = json.loads(out)["findings"]
        assert f["disguised"] == [
            {
                "written": "\u0455afe",
                "read": "safe",
                "characters": "cyrillic small letter dze (U+0455)",
            }
        ]
    elif fmt == "html":
        assert "note: " + note.replace('"', "&#34;") in out
    else:
        assert "note: " + note in out.replace("\\", "")


def test_accents_ligatures_and_foreign_words_are_no_disguise() -> None:
    from claimledger.copy.normalise import disguised

    assert (
        disguised(
            "Caf\u00e9 na\u00efve \ufb01ne be\u00adst \u03b1-blocker \u041a\u0435\u0442\u0430\u043c\u0438\u043d \U0001f468\u200d\U0001f469"
        )
        == []
    )
    assert [w for w, _, _ in disguised("K\u0435tamine is s\u200bafe")] == [
        "K\u0435tamine",
        "s\u200bafe",
    ]


def test_image_alt_text_is_read_as_a_caption(tmp_path: Path) -> None:
    """Alt text (what screen readers say and search engines index) was not read at all."""
    page = tmp_path / "page.html"
    page.write_text(
        "<nav><a href='/'><img src='logo.png' alt='Harbor Clinic'></a></nav>"
        "<h1>Ketamine Therapy</h1><p>Our clinic offers infusions.</p>"
        "<img src='hero.jpg' alt='Patient smiling after ketamine cured her depression'>"
        "<img src='spacer.gif' alt=''>"
    )
    doc = read_document(page)
    roles = {doc.text[a:b]: role for a, b, role in doc.roles}
    assert roles["Patient smiling after ketamine cured her depression"] == "caption"
    assert roles["Harbor Clinic"] == "furniture"
    from claimledger.copy.check import check_text
    from claimledger.library.claims import load_claims

    fs = check_text(
        "page", doc.text, load_claims(ROOT / "claims.yaml"), {}, kind="html", roles=doc.roles
    )
    (alt,) = [f for f in fs.findings if f.sentence.startswith("Patient smiling")]
    assert "UNQUALIFIED_EFFICACY" in {fl.code for fl in alt.flags}


def test_the_meta_description_is_read_first_as_a_caption(tmp_path: Path) -> None:
    """The summary search results show under the page title was not read."""
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><title>Harbor Clinic</title><meta name="description" content="The best, '
        'safest ketamine treatment near you."><meta property="og:description" content="Other.">'
        "</head><body><h1>Ketamine Therapy</h1><p>Our clinic offers infusions.</p></body></html>"
    )
    doc = read_document(page)
    assert doc.text.splitlines()[0] == "The best, safest ketamine treatment near you."
    assert doc.roles[0] == (0, 45, "caption") and "Other." not in doc.text


def test_inline_html_in_markdown_is_markup_not_words() -> None:
    """ "completely <em>safe</em>" hid "completely safe" from the wording check."""
    from claimledger.copy.check import check_text
    from claimledger.library.claims import load_claims

    text = "# Ketamine\n\nKetamine is completely <em>safe</em> for you.<br>\nCall us.\n"
    fs = check_text("p.md", text, load_claims(ROOT / "claims.yaml"), {}, kind="md").findings
    (f,) = [f for f in fs if "safe" in f.sentence]
    assert f.sentence == "Ketamine is completely safe for you."
    assert "ABSOLUTE_SAFETY" in {fl.code for fl in f.flags}
    assert text[f.start : f.end] == "Ketamine is completely <em>safe</em> for you."


def test_findings_in_a_pdf_say_on_which_page_they_are(runner: CliRunner, tmp_path: Path) -> None:
    """ "line 7" of a PDF's extracted text told a reviewer with the proof in hand nothing."""
    import io

    from pypdf import PdfReader, PdfWriter
    from test_copy_pages import _pdf_with_text

    w = PdfWriter()  # synthetic: two one-page PDFs built by _pdf_with_text
    for lines in (["Ketamine Therapy", "Our clinic is in town."], ["Ketamine is 100% safe."]):
        w.add_page(PdfReader(io.BytesIO(_pdf_with_text(lines))).pages[0])
    pdf = tmp_path / "proof.pdf"
    with pdf.open("wb") as fh:
        w.write(fh)
    text = runner.invoke(cli, [*BASE, str(pdf)]).stdout
    assert "\n  page 2, line 1 [safe-in-clinical-setting" in text
    md = runner.invoke(cli, [*BASE, str(pdf), "--format", "md"]).stdout
    assert "\n| page 2, line 1 | Ketamine is 100% safe. |" in md


@pytest.mark.parametrize(
    ("copy", "exits"),
    [
        # --fail-on level -> exit status, as `check --help` and the README document them
        (
            "Our clinic is open on Mondays.\n",
            {"none": 0, "unsupported": 0, "overstated": 0, "unmatched": 0, "any": 0},
        ),
        (
            "Ketamine is 100% safe.\n",
            {"none": 0, "unsupported": 1, "overstated": 1, "unmatched": 0, "any": 1},
        ),
        (
            # hedged, about another treatment: unmatched, not flagged (the retrained back-up
            # flags "TMS relieves depression in most patients." as promising more than TMS's
            # response rates show, which the labels' policy agrees with)
            "TMS may help some people with depression.\n",
            {"none": 0, "unsupported": 0, "overstated": 0, "unmatched": 1, "any": 1},
        ),
    ],
)
def test_fail_on_levels_do_what_the_help_says(
    runner: CliRunner, tmp_path: Path, copy: str, exits: dict[str, int]
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(copy)
    got = {
        level: runner.invoke(cli, [*BASE, str(page), "--fail-on", level]).exit_code
        for level in exits
    }
    assert got == exits


def test_word_save_as_web_page_lists_are_items_without_their_fallback_bullets(
    tmp_path: Path,
) -> None:
    """Word's HTML export drew each bullet as text ("\u00b7 Fast relief ...") inside a fallback
    section, and its list paragraphs were not read as list items."""
    page = tmp_path / "word.htm"  # synthetic, in the shape Word's "Save as Web Page" writes
    page.write_bytes(
        (
            '<html><head><meta charset="windows-1252"></head><body>'
            "<p class=MsoNormal>Common effects include:<o:p></o:p></p>"
            "<p class=MsoListParagraphCxSpFirst style='mso-list:l0 level1 lfo1'>"
            "<![if !supportLists]><span style='font-family:Symbol'>\u00b7<span>&nbsp;&nbsp; "
            "</span></span><![endif]>mild nausea<o:p></o:p></p></body></html>"
        ).encode("cp1252")
    )
    doc = read_document(page)
    assert doc.text == "Common effects include:\n\nmild nausea\n"
    assert doc.roles == ((25, 36, "item"),)
