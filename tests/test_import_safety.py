"""`import` trusts nothing in its file (issue 15): numeric PMIDs only, bounded work, and a record
refreshed from PubMed is never silently rewritten by a file."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import ANAESTHESIA_KETAMINE, claims_yaml, ledger_env, run
from standin import StandIn

pytestmark = pytest.mark.timeout(300)

CLAIMS = claims_yaml(ANAESTHESIA_KETAMINE, relevance_limit=20)


@pytest.fixture
def env(tmp_path: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return ledger_env(tmp_path, standin, monkeypatch, CLAIMS)


def dump(db: Path) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return [
            *con.execute("SELECT pmid, content_hash FROM articles ORDER BY pmid"),
            *con.execute("SELECT claim_id, pmid FROM links ORDER BY pmid"),
            *con.execute("SELECT count(*) FROM audit_log"),
        ]
    finally:
        con.close()


# Synthetic MEDLINE and XML files: hostile shapes no real export has.
HOSTILE_PMIDS = {
    "path.nbib": "PMID- 123\nTI  - Fine.\n\nPMID- ../../etc/passwd\nTI  - Pwned.\n",
    "bibtex.nbib": "PMID- 1}, title = {PWNED\nTI  - Pwned.\n",
    "bibtex.xml": (
        '<?xml version="1.0"?><PubmedArticleSet><PubmedArticle><MedlineCitation>'
        "<PMID>1}, title = {PWNED</PMID><Article><ArticleTitle>Pwned.</ArticleTitle></Article>"
        "</MedlineCitation></PubmedArticle></PubmedArticleSet>"
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_PMIDS))
def test_import_refuses_non_numeric_pmids_and_writes_nothing(runner, env, name: str) -> None:  # type: ignore[no-untyped-def]
    assert run(runner, env, "refresh").exit_code == 0
    before = dump(env["db"])
    f = env["tmp"] / name
    f.write_text(HOSTILE_PMIDS[name])
    res = run(runner, env, "import", str(f), "--claim", "anaesthesia-ketamine")
    assert res.exit_code == 2, res.output
    assert re.search(r"^Error: .*has PMID '.*'; a PMID is a number$", res.stderr, re.M)
    assert dump(env["db"]) == before


def test_import_never_silently_rewrites_a_refreshed_record(runner, env) -> None:  # type: ignore[no-untyped-def]
    assert run(runner, env, "refresh").exit_code == 0
    con = sqlite3.connect(env["db"])
    pmid, title = con.execute(
        "SELECT pmid, title FROM articles WHERE title != '' LIMIT 1"
    ).fetchone()
    con.close()
    # The real record as PubMed XML, with its title changed: a synthetic variant for this test.
    body = env["standin"].efetch_body({"id": pmid}).decode("utf-8")
    assert title.split()[0] in body
    forged = env["tmp"] / "forged.xml"
    forged.write_text(
        re.sub(
            r"<ArticleTitle>.*?</ArticleTitle>",
            "<ArticleTitle>PWNED</ArticleTitle>",
            body,
            count=1,
            flags=re.S,
        )
    )
    res = run(runner, env, "import", str(forged), "--claim", "anaesthesia-ketamine", "--json")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["revised_refreshed"] == [pmid] and summary["changed_articles"] == 1
    assert "The file changed 1 record refreshed from PubMed" in res.stderr
    con = sqlite3.connect(env["db"])
    versions = con.execute(
        "SELECT version_no, data FROM article_versions WHERE pmid = ? ORDER BY version_no", [pmid]
    ).fetchall()
    (details,) = con.execute(
        "SELECT details FROM audit_log WHERE action = 'article.changed' AND subject = ?",
        [f"article:{pmid}"],
    ).fetchone()
    con.close()
    # not silent: the refreshed version is kept, the file's is a new one, the diff is audited
    assert len(versions) == 2
    assert json.loads(versions[0][1])["title"] == title
    assert json.loads(versions[1][1])["title"] == "PWNED"
    assert "PWNED" in details and "title" in details
    assert run(runner, env, "audit", "verify").exit_code == 0


def test_import_of_250000_unclosed_comments_ends_at_once(runner, env) -> None:  # type: ignore[no-untyped-def]
    f = env["tmp"] / "comments.xml"
    f.write_text("<!--" * 250_000)  # ran past 300 s while holding the lock
    res = run(runner, env, "import", str(f), "--claim", "anaesthesia-ketamine")
    assert res.exit_code == 2
    assert res.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert "not PubMed XML" in res.stderr


def test_import_medline_continuation_without_a_field_is_exit_2(runner, env) -> None:  # type: ignore[no-untyped-def]
    f = env["tmp"] / "cont.nbib"
    # synthetic: after a blank line, an indented line with no field to continue (Bio's KeyError)
    f.write_text("PMID- 123\nTI  - A\n\n      an orphan continuation\nPMID- 124\nTI  - B\n")
    res = run(runner, env, "import", str(f), "--claim", "anaesthesia-ketamine")
    assert res.exit_code == 2, res.output
    assert "line 4 continues a field, but no field comes before it" in res.stderr


def test_import_over_the_size_cap_is_refused(runner, env, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLAIMLEDGER_MAX_INPUT_MB", "1")
    f = env["tmp"] / "big.nbib"
    f.write_text("PMID- 1\nTI  - " + "x" * (1024 * 1024) + "\n")
    res = run(runner, env, "import", str(f), "--claim", "anaesthesia-ketamine")
    assert res.exit_code == 2
    assert "over the 1 MB limit" in res.stderr
    assert not env["db"].exists() or dump(env["db"])[-1] == (0,)


# --- EFetch responses checked against what was asked ---------------------------------------------


def _watermark(db: Path) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT * FROM watermarks ORDER BY 1").fetchall()
    finally:
        con.close()


def test_efetch_leaving_a_record_out_once_is_retried(runner, env) -> None:  # type: ignore[no-untyped-def]
    standin = env["standin"]
    assert run(runner, env, "refresh", "--json").exit_code == 0
    con = sqlite3.connect(env["db"])
    stored = {r[0] for r in con.execute("SELECT pmid FROM articles")}
    con.close()
    victim = sorted(stored)[0]
    env["db"].unlink()
    standin.withhold[victim] = 1  # the next EFetch response is well-formed but leaves it out
    res = run(runner, env, "refresh", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["missing"] == []
    con = sqlite3.connect(env["db"])
    assert {r[0] for r in con.execute("SELECT pmid FROM articles")} == stored
    con.close()


def test_efetch_that_never_sends_a_record_holds_the_watermark(runner, env) -> None:  # type: ignore[no-untyped-def]
    standin = env["standin"]
    first = run(runner, env, "refresh", "--json")
    assert first.exit_code == 0
    con = sqlite3.connect(env["db"])
    victim = con.execute("SELECT pmid FROM links ORDER BY pmid LIMIT 1").fetchone()[0]
    con.close()
    env["db"].unlink()
    standin.withhold[victim] = 3  # more than the retries: PubMed keeps leaving it out
    res = run(runner, env, "refresh", "--json")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["missing"] == [victim]
    assert summary["claims"][0]["watermark_held"] is True
    assert f"PubMed did not send 1 record it was asked for ({victim})" in res.stderr
    assert _watermark(env["db"]) == []  # never moved past a record not stored
    # the next run asks again and stores it; only then does the watermark move
    again = run(runner, env, "refresh", "--json")
    assert again.exit_code == 0
    assert json.loads(again.stdout)["missing"] == []
    con = sqlite3.connect(env["db"])
    assert con.execute("SELECT count(*) FROM links WHERE pmid = ?", [victim]).fetchone() == (1,)
    con.close()
    assert len(_watermark(env["db"])) == 1


# --- the XML prolog ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE PubmedArticleSet [<!ENTITY x "y">]>',
        "<!DOCTYPE PubmedArticleSet [<!-- " + "pad " * 300_000 + '--><!ENTITY x "y">]>',
        "<!-- " + "pad " * 300_000 + ' --><!DOCTYPE PubmedArticleSet [<!ENTITY x "y">]>',
        "<!DOCTYPE PubmedArticleSet [" + " " * 2_000_000 + "]>",
    ],
    ids=["entity", "entity-padded-in-subset", "entity-after-padding", "empty-padded-subset"],
)
def test_entity_declarations_and_internal_subsets_are_refused_however_padded(prolog: str) -> None:
    """Synthetic: PubMed XML never declares entities nor has an internal DTD subset."""
    from claimledger.errors import ParseError
    from claimledger.pubmed.medline import iter_articles

    body = '<?xml version="1.0"?>' + prolog + "<PubmedArticleSet></PubmedArticleSet>"
    with pytest.raises(ParseError, match=r"entit|internal DTD subset|no root element"):
        list(iter_articles(io.BytesIO(body.encode())))


def test_a_bad_import_file_is_refused_without_waiting_for_the_lock(runner, env) -> None:  # type: ignore[no-untyped-def]
    from claimledger.service.session import ledger_lock

    assert run(runner, env, "refresh").exit_code == 0
    f = env["tmp"] / "comments.xml"
    f.write_text("<!--" * 250_000)
    held = ledger_lock(env["db"], 0)  # a refresh is running
    try:
        res = run(runner, env, "import", str(f), "--claim", "anaesthesia-ketamine")
    finally:
        held.release()
    assert res.exit_code == 2  # parsed before the lock: not exit 5 after a 30 s wait
    assert "not PubMed XML" in res.stderr
