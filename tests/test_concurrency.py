"""Concurrent writers, busy ledgers, Ctrl-C and broken ledgers (issue 15), with real processes
against a real ledger. Nothing ends in a traceback; busy means exit 5 with a message; a damaged,
full or read-only ledger is exit 3; Ctrl-C is exit 130 and keeps what was committed."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    ANAESTHESIA_KETAMINE,
    API_KEY,
    KETAMINE_DEPRESSION_MESH,
    cl,
    claims_yaml,
    wait_for_requests,
)
from standin import Fault, StandIn

from claimledger.cli import cli

pytestmark = pytest.mark.timeout(600)
HANG = 300

CLAIMS = claims_yaml(KETAMINE_DEPRESSION_MESH, ANAESTHESIA_KETAMINE, relevance_limit=30)


@pytest.fixture
def filled(tmp_path: Path, standin: StandIn, runner, monkeypatch) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NCBI_API_KEY", API_KEY)
    (tmp_path / "claims.yaml").write_text(CLAIMS)
    db = tmp_path / "evidence" / "ledger.db"
    res = runner.invoke(
        cli, ["--claims", str(tmp_path / "claims.yaml"), "--db", str(db), "refresh"]
    )
    assert res.exit_code == 0, res.output
    con = sqlite3.connect(db)
    pmids = [
        r[0]
        for r in con.execute(
            "SELECT pmid FROM links WHERE claim_id = 'ketamine-depression' ORDER BY pmid"
        )
    ]
    con.close()
    return {"tmp": tmp_path, "db": db, "pmids": pmids, "standin": standin}


def start(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cl(*args),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(p: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = p.communicate(timeout=HANG)
    assert "Traceback" not in err, err[-3000:]
    return p.returncode, out, err


def count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def verify(cwd: Path) -> None:
    p = subprocess.run(
        cl("audit", "verify"), cwd=cwd, capture_output=True, text=True, timeout=HANG, check=False
    )
    assert p.returncode == 0, p.stderr


def test_ten_parallel_review_sets_all_land(filled: dict[str, Any]) -> None:
    tmp, pmids = filled["tmp"], filled["pmids"]
    before = count(filled["db"], "SELECT count(*) FROM assessments")
    procs = [
        start(tmp, "review", "set", "ketamine-depression", pmids[i % len(pmids)], "--stance",
              "inconclusive", "--by", f"reviewer {i}", "--reason", "parallel test")
        for i in range(10)
    ]  # fmt: skip
    results = [finish(p) for p in procs]
    assert [rc for rc, _, _ in results] == [0] * 10, [err for _, _, err in results]
    assert count(filled["db"], "SELECT count(*) FROM assessments") >= before + 10
    verify(tmp)


def test_writers_next_to_a_running_refresh_neither_crash(filled: dict[str, Any]) -> None:
    tmp, pmids = filled["tmp"], filled["pmids"]
    filled["standin"].queue(*[Fault("slow", "esearch", delay=0.3) for _ in range(6)])
    refresh = start(tmp, "refresh", "--full")
    others = []
    for i in range(6):
        others.append(start(tmp, "approve", "anaesthesia-ketamine", "--by", f"MLR {i}"))
        others.append(
            start(tmp, "review", "set", "ketamine-depression", pmids[i % len(pmids)], "--stance",
                  "supports", "--by", f"r{i}", "--reason", "next to refresh")
        )  # fmt: skip
        others.append(start(tmp, "grade"))
        time.sleep(0.2)
    results = [finish(p) for p in others]
    rc, _, err = finish(refresh)
    assert rc == 0, err
    assert [r[0] for r in results] == [0] * len(results), [r[2] for r in results if r[0]]
    verify(tmp)


def test_a_writer_kept_waiting_past_the_busy_timeout_exits_5(filled: dict[str, Any]) -> None:
    tmp, pmid = filled["tmp"], filled["pmids"][0]
    before = count(filled["db"], "SELECT count(*) FROM assessments")
    holder = sqlite3.connect(filled["db"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing, and keeps on writing
    try:
        args = ("review", "set", "ketamine-depression", pmid, "--stance", "supports", "--by", "r",
                "--reason", "busy test")  # fmt: skip
        rc, _, err = finish(start(tmp, *args, env={"CLAIMLEDGER_BUSY_TIMEOUT": "0.5"}))
        assert rc == 5, err
        assert err.strip().splitlines()[-1].startswith("Error: the ledger ")
        assert "is busy" in err
        rc, _, err = finish(
            start(
                tmp,
                "approve",
                "ketamine-depression",
                "--by",
                "x",
                env={"CLAIMLEDGER_BUSY_TIMEOUT": "0.5"},
            )
        )
        assert rc == 5, err
    finally:
        holder.rollback()
        holder.close()
    assert count(filled["db"], "SELECT count(*) FROM assessments") == before
    rc, _, err = finish(start(tmp, *args))
    assert rc == 0, err


def test_ctrl_c_during_refresh_exits_130_and_keeps_the_ledger_whole(filled: dict[str, Any]) -> None:
    tmp = filled["tmp"]
    filled["standin"].queue(*[Fault("slow", None, delay=2.0) for _ in range(50)])
    seen = len(filled["standin"].log)
    p = start(tmp, "refresh", "--full")
    wait_for_requests(filled["standin"], seen + 2)
    p.send_signal(signal.SIGINT)
    rc, _, err = finish(p)
    assert rc == 130, err
    assert err.strip().splitlines()[-1].startswith("Error: interrupted")
    verify(tmp)


def _damage(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(db.read_bytes())
    page = 4096
    for off in range(page * 2, len(data), page * 3):  # overwrite pages, keep the header
        data[off : off + page] = b"\xde\xad\xbe\xef" * (page // 4)
    db.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "command",
    [("show", "ketamine-depression"), ("grade",), ("report",), ("refresh",), ("audit", "verify")],
)
def test_damaged_ledger_is_exit_3_with_one_error_line(
    filled: dict[str, Any], command: tuple[str, ...]
) -> None:
    _damage(filled["db"])
    rc, _, err = finish(start(filled["tmp"], *command))
    assert rc in (3, 6), err  # 6 when the damage reads as a broken audit chain
    errors = [ln for ln in err.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1, err


def test_not_a_database_is_exit_3(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(CLAIMS)
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "ledger.db").write_text("this is not a ledger\n" * 200)
    rc, _, err = finish(start(tmp_path, "show", "ketamine-depression"))
    assert rc == 3, err
    assert "is not a SQLite database" in err


def _namespace_ok() -> bool:
    if not shutil.which("unshare"):
        return False
    p = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return p.returncode == 0


needs_ns = pytest.mark.skipif(
    not _namespace_ok(), reason="needs unshare -rm and a tmpfs mount (user namespaces)"
)


def in_namespace(filled: dict[str, Any], script: str) -> tuple[int, str, str]:
    """Run a shell script in a private mount namespace (tmpfs and read-only mounts only exist in
    there), with the ledger copied to $L; the claimledger command is $CL."""
    env = {
        **os.environ,
        "CL": " ".join(cl()),
        "SRC": str(filled["db"].parent),
        "T": str(filled["tmp"]),
    }
    p = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        cwd=filled["tmp"],
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
    )
    assert "Traceback" not in p.stderr, p.stderr[-3000:]
    return p.returncode, p.stdout, p.stderr


@needs_ns
def test_read_only_evidence_folder_is_exit_3(filled: dict[str, Any]) -> None:
    rc, _, err = in_namespace(
        filled,
        'mount --bind "$SRC" "$SRC" && mount -o remount,bind,ro "$SRC" && '
        "$CL review set ketamine-depression "
        + filled["pmids"][0]
        + " --stance supports --by r --reason ro",
    )
    assert rc == 3, err
    assert err.strip().splitlines()[-1].startswith("Error: ")
    assert "read-only" in err or "Read-only" in err


@needs_ns
def test_full_disk_is_exit_3_and_the_ledger_stays_whole(filled: dict[str, Any]) -> None:
    size = (
        filled["db"].stat().st_size + (filled["db"].parent / "ledger.db-wal").stat().st_size
        if (filled["db"].parent / "ledger.db-wal").exists()
        else filled["db"].stat().st_size
    )
    kb = size // 1024 + 40
    rc, _, err = in_namespace(
        filled,
        f'mkdir -p "$T/full" && mount -t tmpfs -o size={kb}k tmpfs "$T/full" && cp -a "$SRC/." "$T/full/" && '
        'head -c 100000000 /dev/zero > "$T/full/filler" 2>/dev/null; '
        '$CL --db "$T/full/ledger.db" refresh --full; echo "rc=$?" >&2; '
        'mkdir -p "$T/after" && cp "$T/full/"ledger.db* "$T/after/" && '
        '$CL --db "$T/after/ledger.db" audit verify',
    )
    assert "rc=3" in err, err
    assert "is full" in err or "No space left" in err
    assert rc == 0, err  # the ledger left on the full disk verifies: whole, not half-written
