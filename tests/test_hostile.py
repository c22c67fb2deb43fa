"""Hostile and absurd input: every case ends in exit 2 and one `Error:` line, never a traceback.

Cases come from issue 15. The CLI runs in a real subprocess so the exit code, stderr and any
traceback are what a user would see; its generous timeout only catches a hang.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import run_process

from claimledger.errors import ClaimsFileError
from claimledger.library.claims import parse_claims

_CLAIM = (
    "{id: a-b, statement: %s, topic: depression, kind: efficacy, "
    "polarity: asserts-benefit, query: ketamine}"
)


def assert_clean_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """Exit ``code``, exactly one `Error:` line, last on stderr, and no traceback."""
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1, result.stderr[-2000:]
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    return errors[0]


# --- claims.yaml ---------------------------------------------------------------------------------

HOSTILE_YAML = {
    "merge-key": "claims:\n  - &a " + _CLAIM % "s" + "\n  - <<: *a\n",
    "lone-question-mark": "claims:\n  - ?\n",
    "lone-question-mark-top": "?\n",
    "5000-nested-brackets": "claims: " + "[" * 5000 + "]" * 5000 + "\n",
    "lone-surrogate": "claims:\n  - " + _CLAIM % '"ketamine \\ud800 helps"' + "\n",
    "control-character": "claims:\n  - " + _CLAIM % '"ketamine \\x1b[31m helps"' + "\n",
}


@pytest.mark.parametrize("case", sorted(HOSTILE_YAML))
def test_hostile_claims_yaml_is_exit_2_with_one_error_line(case: str, tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(HOSTILE_YAML[case], encoding="utf-8")
    for command in (["claims", "validate"], ["claims", "list"]):
        line = assert_clean_error(run_process(*command, cwd=tmp_path))
        assert "claims.yaml has" in line


def test_merge_key_and_surrogate_problems_name_the_cause() -> None:
    with pytest.raises(ClaimsFileError) as merge:
        parse_claims(HOSTILE_YAML["merge-key"])
    assert any('merge keys ("<<")' in p for p in merge.value.details)
    with pytest.raises(ClaimsFileError) as sur:
        parse_claims(HOSTILE_YAML["lone-surrogate"])
    assert any("lone surrogate (U+D800)" in p for p in sur.value.details)
    with pytest.raises(ClaimsFileError) as deep:
        parse_claims(HOSTILE_YAML["5000-nested-brackets"])
    assert any("nested too deeply" in p for p in deep.value.details)


def test_oversized_claims_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("# x\n" * 300_000, encoding="utf-8")
    line = assert_clean_error(
        run_process("claims", "validate", cwd=tmp_path, env={"CLAIMLEDGER_MAX_INPUT_MB": "1"})
    )
    assert "over the 1 MB limit" in line and "CLAIMLEDGER_MAX_INPUT_MB" in line


# --- E-utilities settings and --wait -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLAIMLEDGER_TIMEOUT", "nan"),
        ("CLAIMLEDGER_TIMEOUT", "inf"),
        ("CLAIMLEDGER_TIMEOUT", "-1"),
        ("CLAIMLEDGER_MAX_TRIES", "nan"),
        ("CLAIMLEDGER_MAX_TRIES", "inf"),
        ("CLAIMLEDGER_MAX_TRIES", "-2"),
        ("CLAIMLEDGER_MAX_TRIES", "2.5"),
        ("CLAIMLEDGER_BACKOFF", "nan"),
        ("CLAIMLEDGER_BACKOFF", "inf"),
        ("CLAIMLEDGER_BACKOFF", "-0.5"),
    ],
)
def test_nonsense_eutils_settings_are_exit_2(name: str, value: str, tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims:\n  - " + _CLAIM % "s" + "\n", encoding="utf-8")
    line = assert_clean_error(run_process("refresh", cwd=tmp_path, env={name: value}))
    assert name in line
    assert not (tmp_path / "evidence" / "ledger.db").exists()  # refused before anything opened


@pytest.mark.parametrize("value", ["nan", "inf", "-3", "soon"])
def test_refresh_wait_refuses_nonsense(value: str, tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims:\n  - " + _CLAIM % "s" + "\n", encoding="utf-8")
    result = run_process("refresh", f"--wait={value}", cwd=tmp_path)
    line = assert_clean_error(result)
    assert "--wait" in line or value in line  # click reads "=-3" as an option of its own


# --- small wording -------------------------------------------------------------------------------


def test_counts_agree_with_their_nouns(tmp_path: Path) -> None:
    from claimledger.textutil import plural

    assert [plural(n, "claim") for n in (0, 1, 2)] == ["0 claims", "1 claim", "2 claims"]
    (tmp_path / "claims.yaml").write_text("claims:\n  - " + _CLAIM % "s" + "\n", encoding="utf-8")
    result = run_process("claims", "validate", cwd=tmp_path)
    assert result.returncode == 0
    assert "1 claim, all valid" in result.stdout + result.stderr


def test_report_names_the_rubric_once(tmp_path: Path) -> None:
    from claimledger.assess.grading import RUBRIC_VERSION
    from claimledger.reports.site import render_report

    index = render_report([], "html", "2026-11-22", RUBRIC_VERSION)["index.html"]
    assert f"· {RUBRIC_VERSION}" in index and "rubric rubric" not in index
    assert "0 claims" in index


def test_readme_exit_code_table_matches_the_code() -> None:
    import re

    from claimledger.cli.app import EXIT_CODES_HELP
    from claimledger.errors import ExitStatus

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(m) for m in re.findall(r"^\| (\d+) \|", section, re.M)}
    assert documented == {int(s) for s in ExitStatus}
    in_help = {int(m) for m in re.findall(r"^\s+(\d+)\s{2}", EXIT_CODES_HELP, re.M)}
    assert in_help == {int(s) for s in ExitStatus}
