"""Where a command finds its claims library, ledger and lock (issue 15): claims.yaml here or in
the nearest folder above (as git finds its repository), the ledger beside it, and one lock per
real ledger file however it is named (a symlinked --db takes the same lock)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import API_KEY, KETAMINE_DEPRESSION, claims_yaml
from standin import StandIn

from claimledger.cli import cli
from claimledger.service.session import find_claims, ledger_lock, resolve_paths

pytestmark = pytest.mark.timeout(600)

CLAIMS = claims_yaml(KETAMINE_DEPRESSION, relevance_limit=20)
COPY = "Ketamine relieves depression in adults.\n"


def test_claims_found_in_the_nearest_folder_above(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(CLAIMS)
    deep = tmp_path / "copy" / "blog" / "2026"
    deep.mkdir(parents=True)
    assert find_claims(deep) == Path("../../../claims.yaml")
    assert find_claims(tmp_path) == Path("claims.yaml")
    claims, db = resolve_paths(None, None, deep)
    assert (deep / claims).resolve() == (tmp_path / "claims.yaml").resolve()
    assert (deep / db).resolve() == (tmp_path / "evidence" / "ledger.db").resolve()
    # given explicitly, each is used as given; the ledger still defaults to beside the claims
    assert resolve_paths(Path("x/c.yaml"), None, deep) == (
        Path("x/c.yaml"),
        Path("x/evidence/ledger.db"),
    )
    assert resolve_paths(None, Path("l.db"), deep)[1] == Path("l.db")


@pytest.fixture
def project(
    tmp_path: Path, standin: StandIn, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    monkeypatch.setenv("NCBI_API_KEY", API_KEY)
    (tmp_path / "claims.yaml").write_text(CLAIMS)
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(cli, ["refresh"])
    assert res.exit_code == 0, res.output
    sub = tmp_path / "copy" / "drafts"
    sub.mkdir(parents=True)
    (sub / "draft.txt").write_text(COPY)
    monkeypatch.chdir(sub)
    return {"root": tmp_path, "sub": sub}


def _grade(out: str) -> str:
    return str(json.loads(out)["findings"][0]["grade"])


@pytest.mark.usefixtures("project")
def test_check_from_a_subfolder_uses_the_library_and_ledger_above(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["check", "draft.txt", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert "no evidence yet" not in _grade(res.stdout)  # the ledger beside ../../claims.yaml


@pytest.mark.usefixtures("project")
def test_check_with_claims_given_uses_the_ledger_beside_them(runner: CliRunner) -> None:
    res = runner.invoke(
        cli, ["--claims", "../../claims.yaml", "check", "draft.txt", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    assert "no evidence yet" not in _grade(res.stdout)  # it was silently ignored before


def test_a_symlinked_db_takes_the_same_lock(project: dict[str, Any]) -> None:
    real = project["root"] / "evidence" / "ledger.db"
    link = project["sub"] / "link.db"
    link.symlink_to(real)
    held = ledger_lock(real, 0)
    try:
        p = subprocess.run(
            [sys.executable, "-m", "claimledger", "--db", str(link), "refresh"],
            cwd=project["sub"],
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        held.release()
    assert "Traceback" not in p.stderr
    assert p.returncode == 5, p.stderr
    assert p.stderr.startswith("Error: another refresh is writing to")
