"""End-to-end: refresh, import and the audit log through the CLI, against the loopback stand-in
serving real PubMed records from ../shared/pubmed-fixtures."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    ANAESTHESIA_KETAMINE,
    API_KEY,
    KETAMINE_DEPRESSION_MESH,
    cl,
    claims_yaml,
    ledger_env,
    query,
    run,
)
from standin import Fault, StandIn

from claimledger.cli import cli
from claimledger.service.refresh import EVIDENCE_FILTER

CLAIMS = claims_yaml(
    KETAMINE_DEPRESSION_MESH,
    ANAESTHESIA_KETAMINE,
    """\
  - id: retracted-sample
    statement: A claim whose evidence was retracted.
    topic: mechanism
    kind: mechanism
    polarity: asserts-fact
    query: '"Retracted Publication"[pt] OR "Meta-Analysis"[pt]'
""",
    relevance_limit=50,
)


@pytest.fixture
def env(tmp_path: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return ledger_env(tmp_path, standin, monkeypatch, CLAIMS)


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    tables = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '%fts%'"
        )
    ]
    out = {t: sorted(con.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr) for t in tables}
    con.close()
    return out


def expected_hits(standin: StandIn, query: str, limit: int) -> set[str]:
    ev = standin.search(
        {
            "term": f"({query}) AND ({EVIDENCE_FILTER})",
            "datetype": "pdat",
            "mindate": "1781/01/01",
            "maxdate": date.today().strftime("%Y/%m/%d"),
        }
    )
    rel = standin.search({"term": query, "sort": "relevance"})[:limit]
    return set(ev) | set(rel)


def test_first_refresh_stores_exactly_what_the_searches_returned(runner, env) -> None:  # type: ignore[no-untyped-def]
    standin: StandIn = env["standin"]
    result = run(runner, env, "refresh", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["claims_searched"] == 3 and summary["errors"] == []
    want: dict[str, set[str]] = {}
    for cid, q in (
        (
            "ketamine-depression",
            '(Ketamine[mh] OR ketamine[tiab]) AND (depress*[tiab] OR "Depression"[mh])',
        ),
        ("anaesthesia-ketamine", "(Ketamine[mh] OR ketamine[tiab])"),
        ("retracted-sample", '"Retracted Publication"[pt] OR "Meta-Analysis"[pt]'),
    ):
        want[cid] = expected_hits(standin, q, 50)
        got = {r[0] for r in query(env["db"], f"SELECT pmid FROM links WHERE claim_id = '{cid}'")}
        assert got == want[cid], cid
    assert "38011560" in want["ketamine-depression"]
    assert {"8655018", "8863847", "11543891"} <= want["retracted-sample"]
    all_hits = set().union(*want.values())
    assert {r[0] for r in query(env["db"], "SELECT pmid FROM articles")} == all_hits
    assert summary["new_articles"] == len(all_hits)
    # each unique PMID fetched once, in batches; two searches per claim
    fetched = [
        p for r in standin.requests_to("efetch") for p in r.params.get("id", "").split(",") if p
    ]
    assert sorted(fetched) == sorted(all_hits)
    assert len(standin.requests_to("esearch")) == 6
    assert summary["requests"] == len(standin.log)
    # searches keep PubMed's query translation; raw responses are kept without secrets
    assert all(r[0] for r in query(env["db"], "SELECT query_translation FROM searches"))
    raw = env["db"].read_bytes() + b"".join(
        p.read_bytes() for p in env["db"].parent.glob("ledger.db*")
    )
    assert API_KEY.encode() not in raw and b"tests@claimledger.invalid" not in raw
    # every claim got a grade; the retracted records are excluded from support
    show = run(runner, env, "show", "retracted-sample", "--json")
    trace = json.loads(show.stdout)["grade"]["trace"]
    excluded = {p for step in trace if step["rule"] == "exclude-retracted" for p in step["pmids"]}
    assert excluded == {"8655018", "8863847", "11543891"}
    assert run(runner, env, "audit", "verify").exit_code == 0


def test_second_refresh_with_nothing_new_makes_only_the_requests_it_must(runner, env) -> None:  # type: ignore[no-untyped-def]
    standin: StandIn = env["standin"]
    assert run(runner, env, "refresh").exit_code == 0
    before = snapshot(env["db"])
    n = len(standin.log)
    again = run(runner, env, "refresh", "--json", "--exit-code")
    assert again.exit_code == 0, again.output
    s = json.loads(again.stdout)
    assert s["evidence_changed"] is False and s["new_articles"] == 0 and s["new_links"] == 0
    new = standin.log[n:]
    # one EPost + one ESearch for changed records, then one ESearch per claim; no EFetch
    assert [r.endpoint for r in new] == ["epost", "esearch", "esearch", "esearch", "esearch"]
    assert s["requests"] == 5
    after = snapshot(env["db"])
    for table in (
        "articles",
        "links",
        "assessments",
        "grades",
        "approvals",
        "claim_versions",
        "responses",
    ):
        assert after[table] == before[table], table
    assert len(after["runs"]) == len(before["runs"]) + 1


def _retracted_copy(xml: bytes) -> bytes:
    """SYNTHETIC: a modified copy of a real record, as PubMed would serve it after a retraction."""
    xml = xml.replace(
        b"</PublicationTypeList>",
        b'<PublicationType UI="D016441">Retracted Publication</PublicationType></PublicationTypeList>',
    )
    return xml.replace(
        b"<CitationSubset>",
        b'<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn"><RefSource>SYNTHETIC notice</RefSource></CommentsCorrections></CommentsCorrectionsList><CitationSubset>',
        1,
    )


def test_a_record_retracted_between_runs_is_reported_audited_and_regraded(runner, env) -> None:  # type: ignore[no-untyped-def]
    standin: StandIn = env["standin"]
    assert run(runner, env, "refresh").exit_code == 0
    standin.replace_record(
        "38011560", _retracted_copy(standin.records["38011560"].xml), mdat=date.today()
    )
    res = run(runner, env, "refresh", "--json", "--exit-code")
    assert res.exit_code == 1, res.output
    s = json.loads(res.stdout)
    assert s["retracted"] == ["38011560"] and s["changed_articles"] == 1
    assert "ketamine-depression" in s["regraded"]
    assert query(env["db"], "SELECT retracted FROM articles WHERE pmid='38011560'") == [(1,)]
    log = json.loads(run(runner, env, "audit", "log", "--json").stdout)
    changed = [
        e for e in log if e["action"] == "article.changed" and e["subject"] == "article:38011560"
    ]
    assert changed and json.loads(changed[0]["details"])["new_flags"] == ["retracted"]
    show = json.loads(run(runner, env, "show", "ketamine-depression", "--json").stdout)
    excluded = [
        p for st in show["grade"]["trace"] if st["rule"] == "exclude-retracted" for p in st["pmids"]
    ]
    assert excluded == ["38011560"]
    assert run(runner, env, "audit", "verify").exit_code == 0


@pytest.mark.parametrize(
    "faults",
    [
        [Fault("429"), Fault("429"), Fault("429")],
        [Fault("503"), Fault("reset")],
        [Fault("truncate", endpoint="efetch")],
        [Fault("inband", endpoint="esearch")],
        [Fault("slow", endpoint="efetch", delay=2.5)],
    ],
    ids=["429-burst", "503-and-reset", "truncated-body", "in-band-error", "timeout"],
)
def test_transient_faults_end_with_a_complete_ledger(runner, env, monkeypatch, faults) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLAIMLEDGER_TIMEOUT", "1")
    env["standin"].queue(*faults)
    res = run(runner, env, "refresh", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["retries"] >= 1
    assert len(query(env["db"], "SELECT * FROM watermarks")) == 3
    assert run(runner, env, "audit", "verify").exit_code == 0


@pytest.mark.parametrize("kind", ["503", "429", "reset", "inband", "truncate", "slow"])
@pytest.mark.parametrize("when", ["start", "middle"])
def test_persistent_faults_exit_4_with_the_evidence_as_before_and_the_failure_recorded(  # type: ignore[no-untyped-def]
    runner, env, monkeypatch, kind, when
) -> None:
    monkeypatch.setenv("CLAIMLEDGER_MAX_TRIES", "2")
    monkeypatch.setenv("CLAIMLEDGER_TIMEOUT", "0.5")
    standin: StandIn = env["standin"]
    assert run(runner, env, "refresh").exit_code == 0
    before = snapshot(env["db"])
    if when == "middle":  # the first searches succeed, then every request fails
        original = standin._take_fault
        count = {"n": 0}

        def later(endpoint: str) -> Fault | None:
            count["n"] += 1
            return Fault(kind, delay=1.0) if count["n"] > 3 else original(endpoint)

        standin._take_fault = later  # type: ignore[method-assign]
    else:
        standin.queue(*[Fault(kind, delay=1.0) for _ in range(60)])
    res = run(runner, env, "refresh", "--full")
    assert res.exit_code == 4, res.output
    assert res.stderr.startswith("Error: PubMed ")
    assert len(res.stderr.strip().splitlines()) == 1
    assert API_KEY not in res.stderr
    # issue 15: the failed run is recorded (with its error class); the evidence is as it was
    # (claims whose searches finished before the failure may be committed whole, nothing more)
    after = snapshot(env["db"])
    for table in ("articles", "links", "assessments", "grades", "approvals", "claim_versions"):
        assert after[table] == before[table], table
    status, summary = query(env["db"], "SELECT status, summary FROM runs ORDER BY id DESC LIMIT 1")[
        0
    ]
    assert status == "failed" and json.loads(summary)["error_class"] == "PubMedError"
    assert run(runner, env, "audit", "verify").exit_code == 0


def test_missing_email_is_a_clear_error(runner, env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NCBI_EMAIL")
    res = run(runner, env, "refresh")
    assert res.exit_code == 2
    assert res.stderr.startswith("Error: NCBI_EMAIL is not set")


def test_unknown_claim_id_is_exit_2(runner, env) -> None:  # type: ignore[no-untyped-def]
    res = run(runner, env, "refresh", "--claim", "no-such-claim")
    assert res.exit_code == 2
    assert res.stderr.startswith('Error: unknown claim id "no-such-claim"')
    assert not env["db"].exists()


def _subprocess_env(env: dict[str, Any]) -> dict[str, str]:
    e = dict(os.environ)
    e.update({"CLAIMLEDGER_EUTILS_URL": env["standin"].url, "NCBI_API_KEY": API_KEY})
    return e


def _cli(env: dict[str, Any], *args: str) -> list[str]:
    return cl(*env["base"], *args)


def test_two_refreshes_at_once_never_both_write(runner, env) -> None:  # type: ignore[no-untyped-def]
    standin: StandIn = env["standin"]
    standin.queue(*[Fault("slow", endpoint="esearch", delay=0.5) for _ in range(6)])
    first = subprocess.Popen(
        _cli(env, "refresh"),
        env=_subprocess_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 10
    while not standin.log and time.time() < deadline:
        time.sleep(0.05)
    second = run(runner, env, "refresh")
    assert second.exit_code == 5
    assert (
        second.stderr
        == f"Error: another refresh is writing to {env['db']}; try again later or pass --wait to queue behind it\n"
    )
    waiting = subprocess.Popen(
        _cli(env, "refresh", "--wait"),
        env=_subprocess_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    for proc in (first, waiting):  # communicate() reads and closes the pipes
        proc.communicate(timeout=60)
        assert proc.returncode == 0
    log = json.loads(run(runner, env, "audit", "log", "--json").stdout)
    starts = [e["seq"] for e in log if e["action"] == "run.start"]
    ends = [e["seq"] for e in log if e["action"] == "run.ok"]
    assert len(starts) == 2 and starts[0] < ends[0] < starts[1] < ends[1]  # never interleaved
    assert run(runner, env, "audit", "verify").exit_code == 0


@pytest.mark.parametrize("kill_after", [0.6, 1.5, 2.5])
def test_a_run_killed_midway_and_run_again_ends_consistent(  # type: ignore[no-untyped-def]
    runner, env, tmp_path, kill_after
) -> None:
    standin: StandIn = env["standin"]
    standin.queue(*[Fault("slow", delay=0.3) for _ in range(12)])
    proc = subprocess.Popen(
        _cli(env, "refresh"),
        env=_subprocess_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(kill_after)
    proc.kill()  # SIGKILL: no cleanup of any kind
    proc.communicate()
    standin.faults.clear()
    again = run(runner, env, "refresh", "--json")
    assert again.exit_code == 0, again.output
    # the same ledger a clean single run builds
    clean_db = tmp_path / "clean.db"
    assert (
        runner.invoke(
            cli, ["--claims", str(env["claims"]), "--db", str(clean_db), "refresh"]
        ).exit_code
        == 0
    )
    q = "SELECT claim_id, pmid, origin FROM links ORDER BY 1, 2"
    assert query(env["db"], q) == query(clean_db, q)
    q = "SELECT pmid, content_hash FROM articles ORDER BY 1"
    assert query(env["db"], q) == query(clean_db, q)
    # each run holds either all of a claim's searches or none of them
    per = query(env["db"], "SELECT run_id, claim_id, count(*) FROM searches GROUP BY 1, 2")
    assert all(n in (1, 2) for *_, n in per)
    assert query(env["db"], "SELECT count(*) FROM runs WHERE status = 'running'") == [(0,)]
    assert run(runner, env, "audit", "verify").exit_code == 0


def test_editing_one_audit_row_is_caught(runner, env) -> None:  # type: ignore[no-untyped-def]
    assert run(runner, env, "refresh").exit_code == 0
    con = sqlite3.connect(env["db"])
    with pytest.raises(sqlite3.IntegrityError, match="audit_log is append-only"):
        con.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    con.execute("DROP TRIGGER audit_log_no_update")  # a determined tamperer
    con.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    con.commit()
    con.close()
    res = run(runner, env, "audit", "verify")
    assert res.exit_code == 6
    assert res.stderr.startswith(
        "Error: audit chain broken at entry 3: content does not match its hash"
    )


def test_deleting_an_audit_row_is_caught(runner, env) -> None:  # type: ignore[no-untyped-def]
    assert run(runner, env, "refresh").exit_code == 0
    con = sqlite3.connect(env["db"])
    con.execute("DROP TRIGGER audit_log_no_delete")
    con.execute("DELETE FROM audit_log WHERE seq = 5")
    con.commit()
    con.close()
    res = run(runner, env, "audit", "verify")
    assert res.exit_code == 6
    assert "audit chain broken at entry 6: sequence jumps from 4 to 6" in res.stderr


def test_audit_log_and_export(runner, env) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io

    assert run(runner, env, "refresh").exit_code == 0
    log = json.loads(
        run(runner, env, "audit", "log", "--claim", "retracted-sample", "--json").stdout
    )
    assert log and all(e["subject"] == "claim:retracted-sample" for e in log)
    jl = run(runner, env, "audit", "export", "--format", "jsonl").stdout.splitlines()
    entries = [json.loads(line) for line in jl]
    from claimledger.ledger.audit import verify_chain

    n, brk = verify_chain(entries)
    assert brk is None and n == len(entries)
    table = list(
        csv.DictReader(io.StringIO(run(runner, env, "audit", "export", "--format", "csv").stdout))
    )
    assert len(table) == len(entries) and table[0]["hash"] == entries[0]["hash"]


def test_import_medline_and_xml_files(runner, env, fixtures: Path) -> None:  # type: ignore[no-untyped-def]
    res = run(
        runner,
        env,
        "import",
        str(fixtures / "biopython_Medline_pubmed_result2.txt"),
        "--claim",
        "anaesthesia-ketamine",
        "--json",
    )
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["format"] == "medline" and s["records"] == 4 and s["new_links"] == 4
    assert query(env["db"], "SELECT count(*) FROM links WHERE origin = 'import'") == [(4,)]
    res = run(
        runner,
        env,
        "import",
        str(fixtures / "metapub_pmid_xml" / "38011560.xml"),
        "--claim",
        "anaesthesia-ketamine",
    )
    assert res.exit_code == 0, res.output
    assert "Imported 1 record from" in res.stdout
    assert run(runner, env, "audit", "verify").exit_code == 0


def test_import_of_a_bad_file_writes_nothing(runner, env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run(runner, env, "refresh").exit_code == 0
    before = snapshot(env["db"])
    bad = tmp_path / "truncated.xml"
    bad.write_bytes(env["standin"].efetch_body({"id": "38011560,9997"})[:-300])
    res = run(runner, env, "import", str(bad), "--claim", "anaesthesia-ketamine")
    assert res.exit_code == 2
    assert re.match(
        r"Error: .*truncated\.xml: malformed or truncated XML after PMID 38011560", res.stderr
    )
    assert snapshot(env["db"]) == before
    missing = run(
        runner, env, "import", str(tmp_path / "nope.nbib"), "--claim", "anaesthesia-ketamine"
    )
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    unknown = run(runner, env, "import", str(bad), "--claim", "nope")
    assert unknown.exit_code == 2 and 'unknown claim id "nope"' in unknown.stderr


def test_every_article_reparses_offline_from_its_stored_response(runner, env) -> None:  # type: ignore[no-untyped-def]
    import io as _io

    from claimledger.ledger.store import _content_hash, open_ledger
    from claimledger.pubmed.medline import iter_articles

    assert run(runner, env, "refresh").exit_code == 0
    ledger = open_ledger(env["db"], create=False)
    rows_ = query(env["db"], "SELECT pmid, response_id, content_hash FROM articles")
    assert rows_
    for pmid, response_id, content_hash in rows_:
        body = ledger.response_body(response_id)
        (rec,) = [r for r in iter_articles(_io.BytesIO(body)) if r.pmid == pmid]
        assert _content_hash(rec) == content_hash
    params = query(env["db"], "SELECT params FROM responses")
    assert all("email" not in p[0] and "api_key" not in p[0] for p in params)


def test_a_claim_an_interrupted_run_left_ungraded_is_graded_by_the_next_refresh(  # type: ignore[no-untyped-def]
    runner, env
) -> None:
    from claimledger.ledger.store import open_ledger
    from claimledger.library.claims import load_claims
    from claimledger.model import LinkOrigin

    assert run(runner, env, "refresh").exit_code == 0
    linked = json.loads(run(runner, env, "show", "retracted-sample", "--json").stdout)
    other = json.loads(run(runner, env, "show", "ketamine-depression", "--json").stdout)
    pmid = next(
        e["pmid"]
        for e in other["evidence"]
        if e["pmid"] not in {x["pmid"] for x in linked["evidence"]}
    )
    # What `import` leaves when killed after storing its records and before grading: evidence
    # linked in a run that never ended, and no grade that includes it.
    claim = load_claims(env["claims"]).get("retracted-sample")
    ledger = open_ledger(env["db"])
    with ledger.transaction():
        run_id = ledger.begin_run("import", "tester")
        ledger.link(claim.id, pmid, LinkOrigin.IMPORT, run_id, "tester")
    ledger.close()
    shown = json.loads(run(runner, env, "show", "retracted-sample", "--json").stdout)
    assert shown["grade"]["evidence_hash"] == linked["grade"]["evidence_hash"]  # not graded
    assert [e["method"] for e in shown["evidence"] if e["pmid"] == pmid] == ["none"]

    again = run(runner, env, "refresh", "--json")
    assert again.exit_code == 0, again.output
    assert "retracted-sample" in json.loads(again.stdout)["regraded"]
    shown = json.loads(run(runner, env, "show", "retracted-sample", "--json").stdout)
    assert [e["method"] for e in shown["evidence"] if e["pmid"] == pmid] != ["none"]
    assert shown["grade"]["evidence_hash"] != linked["grade"]["evidence_hash"]
    actions = [e["action"] for e in json.loads(run(runner, env, "audit", "log", "--json").stdout)]
    assert "run.interrupted" in actions
