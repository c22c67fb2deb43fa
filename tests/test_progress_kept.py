"""Refresh keeps what it finished (issue 15): claims commit as they complete, a failed or
interrupted run is recorded with its error class, no claim is half-written, the next run grades
what the last left ungraded, and import re-grades every claim linked to an article it changed."""

from __future__ import annotations

import json
import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import cl, ledger_env, query, wait_for_requests
from standin import Fault, StandIn

from claimledger.cli import cli
from claimledger.service import refresh as engine

pytestmark = pytest.mark.timeout(600)

_CLAIM = """\
  - id: {id}
    statement: Ketamine claim number {n}.
    topic: depression
    kind: efficacy
    polarity: asserts-benefit
    query: '{query}'
"""
QUERIES = [
    "(Ketamine[mh] OR ketamine[tiab]) AND depress*[tiab]",
    "(Ketamine[mh] OR ketamine[tiab])",
    '"Retracted Publication"[pt] OR "Meta-Analysis"[pt]',
    "fetal[tiab] AND growth[tiab]",
]
CLAIMS = "settings:\n  relevance_limit: 20\nclaims:\n" + "".join(
    _CLAIM.format(id=f"claim-{n:02d}", n=n, query=QUERIES[n % len(QUERIES)]) for n in range(12)
)


@pytest.fixture
def env(tmp_path: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.chdir(tmp_path)
    return ledger_env(tmp_path, standin, monkeypatch, CLAIMS)


def graded(db: Path) -> set[str]:
    return {r[0] for r in query(db, "SELECT DISTINCT claim_id FROM grades")}


def test_a_failed_refresh_keeps_the_claims_it_finished_and_records_the_failure(
    runner: CliRunner, env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "CLAIMS_PER_STEP", 3)
    monkeypatch.setenv("CLAIMLEDGER_MAX_TRIES", "2")
    standin: StandIn = env["standin"]
    original = standin._take_fault
    calls = {"n": 0}

    def later(endpoint: str) -> Fault | None:  # PubMed answers for a while, then fails for good
        calls["n"] += 1
        return Fault("503") if calls["n"] > 14 else original(endpoint)

    standin._take_fault = later  # type: ignore[method-assign]
    res = runner.invoke(cli, ["refresh", "--json"])
    assert res.exit_code == 4, res.output
    assert res.stderr.strip().splitlines()[-1].startswith("Error: PubMed ")
    done = {r[0] for r in query(env["db"], "SELECT claim_id FROM watermarks")}
    assert done and len(done) < 12  # some claims finished, and they stayed finished
    assert graded(env["db"]) >= done  # ...and were graded before the run gave up
    ((status, summary),) = query(env["db"], "SELECT status, summary FROM runs")
    assert status == "failed" and json.loads(summary)["error_class"] == "PubMedError"
    # no claim half-written: every claim with a watermark has its searches and links
    for cid in done:
        assert (
            query(env["db"], f"SELECT count(*) FROM searches WHERE claim_id = '{cid}'")[0][0] >= 1
        )
    # the next run, with PubMed back, finishes the job and grades every claim
    standin._take_fault = original  # type: ignore[method-assign]
    again = runner.invoke(cli, ["refresh", "--json"])
    assert again.exit_code == 0, again.output
    assert len(query(env["db"], "SELECT claim_id FROM watermarks")) == 12
    assert graded(env["db"]) == {f"claim-{n:02d}" for n in range(12)}
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0


def test_a_failure_before_any_claim_is_still_recorded(runner, env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLAIMLEDGER_MAX_TRIES", "1")
    env["standin"].queue(*[Fault("503") for _ in range(20)])
    res = runner.invoke(cli, ["refresh"])
    assert res.exit_code == 4
    assert query(env["db"], "SELECT count(*) FROM articles") == [(0,)]  # no evidence written
    ((status, summary),) = query(env["db"], "SELECT status, summary FROM runs")
    assert status == "failed" and json.loads(summary)["error_class"] == "PubMedError"


@pytest.mark.parametrize("how", ["sigint", "sigkill"])
def test_after_an_interrupted_or_killed_run_the_next_run_grades_every_claim(
    runner: CliRunner, env: dict[str, Any], how: str
) -> None:
    standin: StandIn = env["standin"]
    assert runner.invoke(cli, ["refresh"]).exit_code == 0
    # a full re-search of every claim is stopped midway
    standin.queue(*[Fault("slow", "esearch", delay=1.0) for _ in range(40)])
    seen = len(standin.log)
    p = subprocess.Popen(
        cl("refresh", "--full"),
        cwd=env["tmp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_requests(standin, seen + 3)
    p.send_signal(signal.SIGINT if how == "sigint" else signal.SIGKILL)
    _, err = p.communicate(timeout=300)
    assert "Traceback" not in err, err
    if how == "sigint":
        assert p.returncode == 130, err
        status, summary = query(
            env["db"], "SELECT status, summary FROM runs ORDER BY id DESC LIMIT 1"
        )[0]
        assert status == "interrupted" and json.loads(summary)["error_class"] == "KeyboardInterrupt"
    standin.faults.clear()
    again = runner.invoke(cli, ["refresh", "--json"])
    assert again.exit_code == 0, again.output
    # every claim's current version has a grade, and it reflects every linked article
    versions = dict(query(env["db"], "SELECT claim_id, version FROM claim_versions"))
    for cid, version in versions.items():
        assert (
            query(
                env["db"],
                f"SELECT count(*) FROM grades WHERE claim_id = '{cid}' AND claim_version = '{version}'",
            )[0][0]
            >= 1
        ), cid
    assert query(env["db"], "SELECT count(*) FROM runs WHERE status = 'running'") == [(0,)]
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0


def test_import_regrades_every_claim_linked_to_an_article_it_changed(
    runner: CliRunner, env: dict[str, Any], fixtures: Path
) -> None:
    body = (fixtures / "metapub_pmid_xml" / "38011560.xml").read_text(encoding="utf-8")
    first = env["tmp"] / "first.xml"
    first.write_text(body, encoding="utf-8")
    for cid in ("claim-00", "claim-01"):
        res = runner.invoke(cli, ["import", str(first), "--claim", cid])
        assert res.exit_code == 0, res.output
    before = query(
        env["db"],
        "SELECT count(*) FROM assessments WHERE claim_id = 'claim-01' AND pmid = '38011560'",
    )[0][0]
    # SYNTHETIC: the same real record with its title changed, as a corrected export would be
    changed = env["tmp"] / "changed.xml"
    changed.write_text(
        re.sub(
            r"<ArticleTitle>(.*?)</ArticleTitle>",
            r"<ArticleTitle>\1 (corrected)</ArticleTitle>",
            body,
            count=1,
            flags=re.S,
        ),
        encoding="utf-8",
    )
    res = runner.invoke(cli, ["import", str(changed), "--claim", "claim-00", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["changed_articles"] == 1
    after = query(
        env["db"],
        "SELECT count(*) FROM assessments WHERE claim_id = 'claim-01' AND pmid = '38011560'",
    )[0][0]
    assert after == before + 1  # claim-01 was re-assessed and re-graded on the changed article
