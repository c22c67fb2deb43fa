"""Helpers shared by the end-to-end tests (refresh, import, concurrency, progress): one copy each."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from standin import StandIn

from claimledger.cli import cli

# Claims the end-to-end tests' libraries share, as claims.yaml list items (joined by claims_yaml).
KETAMINE_DEPRESSION = """\
  - id: ketamine-depression
    statement: Ketamine relieves depression.
    topic: depression
    kind: efficacy
    polarity: asserts-benefit
    query: (Ketamine[mh] OR ketamine[tiab]) AND depress*[tiab]
"""
# the same claim with a query that also takes the MeSH heading (more records)
KETAMINE_DEPRESSION_MESH = KETAMINE_DEPRESSION.replace(
    "AND depress*[tiab]", 'AND (depress*[tiab] OR "Depression"[mh])'
)
ANAESTHESIA_KETAMINE = """\
  - id: anaesthesia-ketamine
    statement: Ketamine is used for anaesthesia and sedation.
    topic: procedure
    kind: procedure
    polarity: asserts-fact
    query: (Ketamine[mh] OR ketamine[tiab])
"""
RETRACTED_SAMPLE = """\
  - id: retracted-sample
    statement: A claim resting partly on retracted evidence.
    topic: mechanism
    kind: mechanism
    polarity: asserts-fact
    query: '"Retracted Publication"[pt] OR "Meta-Analysis"[pt]'
"""


def claims_yaml(*claims: str, relevance_limit: int | None = None) -> str:
    """A claims.yaml text: the settings (when a relevance limit is given), then the claims."""
    settings = (
        "" if relevance_limit is None else f"settings:\n  relevance_limit: {relevance_limit}\n"
    )
    return settings + "claims:\n" + "".join(claims)


# A fake key: with one the client allows 10 requests/s, which keeps the suite quick.
API_KEY = "TESTKEY-not-a-real-key-42"


def ledger_env(
    tmp_path: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch, claims_yaml: str
) -> dict[str, Any]:
    """A claims library under tmp_path, the ledger path beside it, the stand-in and an API key."""
    claims = tmp_path / "claims.yaml"
    claims.write_text(claims_yaml)
    db = tmp_path / "evidence" / "ledger.db"
    monkeypatch.setenv("NCBI_API_KEY", API_KEY)
    return {
        "tmp": tmp_path,
        "claims": claims,
        "db": db,
        "standin": standin,
        "base": ["--claims", str(claims), "--db", str(db)],
    }


def run(runner: CliRunner, env: dict[str, Any], *args: str) -> Result:
    """The CLI in-process, on env's claims library and ledger."""
    return runner.invoke(cli, [*env["base"], *args])


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def cl(*args: str) -> list[str]:
    """The CLI as a separate process (argv for subprocess)."""
    return [sys.executable, "-m", "claimledger", *args]


def run_process(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """The CLI as a separate process, run to the end. ``timeout`` (seconds) is far above any
    honest run, only there to turn a hang into a failure."""
    return subprocess.run(
        cl(*args),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        check=False,
    )


def wait_for_requests(standin: StandIn, n: int, limit: float = 240.0) -> None:
    """Until the process under test has sent n requests (it is past start-up, mid-run)."""
    deadline = time.monotonic() + limit
    while len(standin.log) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(standin.log) >= n, "the refresh never reached PubMed"
