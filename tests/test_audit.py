"""The audit trail against an insider with write access to evidence/ledger.db (issue 14).

Each test builds or copies a real ledger (refresh through the loopback stand-in serving real
PubMed records from ../shared, then a reviewer decision and an approval through the CLI), then
tampers with it the way an insider would, with the sqlite3 module, and runs `audit verify`.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import KETAMINE_DEPRESSION, RETRACTED_SAMPLE, claims_yaml
from standin import StandIn

from claimledger.cli import cli
from claimledger.ledger.audit import GENESIS, entry_hash, entry_mac, os_user, row_hash

CLAIMS = claims_yaml(KETAMINE_DEPRESSION, RETRACTED_SAMPLE, relevance_limit=20)
CLAIM = "ketamine-depression"
KEY = "audit-key-for-tests-7f3a-not-a-secret-anywhere-else"


def _env(url: str) -> dict[str, str | None]:
    return {
        "CLAIMLEDGER_EUTILS_URL": url,
        "NCBI_EMAIL": "tests@claimledger.invalid",
        "NCBI_API_KEY": "TESTKEY",
        "CLAIMLEDGER_BACKOFF": "0.01",
        "CLAIMLEDGER_TIMEOUT": "5",
        "CLAIMLEDGER_ACTOR": "tester",
        "CLAIMLEDGER_CLAIMS": None,
        "CLAIMLEDGER_DB": None,
        "CLAIMLEDGER_AUDIT_KEY": None,
        "CLAIMLEDGER_AUDIT_KEY_FILE": None,
        "CLAIMLEDGER_CHECKPOINTS": None,
    }


def invoke(base: list[str], *args: str) -> Any:
    return CliRunner().invoke(cli, [*base, *args])


def ok(base: list[str], *args: str) -> Any:
    res = invoke(base, *args)
    assert res.exit_code == 0, res.output
    return res


def build(directory: Path, url: str, key: str | None = None) -> dict[str, Any]:
    """A real ledger: refresh, one reviewer decision, one approval (its head checkpointed)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "claims.yaml").write_text(CLAIMS)
    db = directory / "evidence" / "ledger.db"
    base = ["--claims", str(directory / "claims.yaml"), "--db", str(db)]
    with pytest.MonkeyPatch.context() as mp:
        for k, v in {**_env(url), "CLAIMLEDGER_AUDIT_KEY": key}.items():
            if v is None:
                mp.delenv(k, raising=False)
            else:
                mp.setenv(k, v)
        ok(base, "refresh")
        d = json.loads(ok(base, "show", CLAIM, "--json").stdout)
        pmid = d["evidence"][0]["pmid"]
        machine = d["evidence"][0]["machine_stance"]
        stance = "contradicts" if machine != "contradicts" else "supports"
        ok(base, "review", "set", CLAIM, pmid, "--stance", stance, "--by", "Ann",
           "--reason", "primary outcome not met")  # fmt: skip
        ok(base, "approve", CLAIM, "--by", "MLR", "--acknowledge-provisional", "--note", "ok")
    return {"dir": directory, "db": db, "base": base, "pmid": pmid, "stance": stance}


@pytest.fixture(scope="module")
def golden(real_records: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:  # fmt: skip
    server = StandIn(records=dict(real_records)).start()  # type: ignore[arg-type]
    try:
        yield build(tmp_path_factory.mktemp("golden"), server.url)
    finally:
        server.stop()


@pytest.fixture
def keyed(real_records: dict[str, object], tmp_path: Path) -> dict[str, Any]:
    """A fresh ledger built with the audit key KEY."""
    server = StandIn(records=dict(real_records)).start()  # type: ignore[arg-type]
    try:
        return build(tmp_path / "keyed", server.url, key=KEY)
    finally:
        server.stop()


def backup_db(src: Path, dest: Path) -> None:
    """A byte-faithful copy of a SQLite database, through SQLite's backup API."""
    s, d = sqlite3.connect(src), sqlite3.connect(dest)
    s.backup(d)
    s.close()
    d.close()


def copy_ledger(src: dict[str, Any], dest: Path) -> dict[str, Any]:
    """A byte-faithful copy of a built ledger directory (the db through SQLite's backup API)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("claims.yaml", "audit-checkpoints.txt"):
        shutil.copy(src["dir"] / name, dest / name)
    db = dest / "evidence" / "ledger.db"
    db.parent.mkdir()
    backup_db(src["db"], db)
    return {**src, "dir": dest, "db": db,
            "base": ["--claims", str(dest / "claims.yaml"), "--db", str(db)]}  # fmt: skip


@pytest.fixture
def led(golden: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    return copy_ledger(golden, tmp_path / "copy")


# --- the insider's tools ----------------------------------------------------------------------


def sql(db: Path, *statements: str, params: tuple[Any, ...] = ()) -> None:
    """Run statements with the append-only triggers dropped, then put the triggers back, as a
    determined insider covering their tracks would."""
    con = sqlite3.connect(db)
    triggers = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_no\\_%' ESCAPE '\\'"
    ).fetchall()
    for name, _ in triggers:
        con.execute(f"DROP TRIGGER [{name}]")
    for s in statements:
        con.execute(s, params if "?" in s else ())
    for _, create in triggers:
        con.execute(create)
    con.commit()
    con.close()


def entries(db: Path) -> list[dict[str, Any]]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    out = [dict(r) for r in con.execute("SELECT * FROM audit_log ORDER BY seq")]
    con.close()
    return out


def rewrite_chain(db: Path, edit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> None:
    """Edit the entries, then re-hash the whole chain consistently (seq, links, hashes)."""
    es = edit(entries(db))
    prev = GENESIS
    for i, e in enumerate(es, 1):
        e["seq"], e["prev_hash"] = i, prev
        e["hash"] = prev = entry_hash(e)
    sql(db, "DELETE FROM audit_log")
    con = sqlite3.connect(db)
    cols = list(es[0])
    con.executemany(
        f"INSERT INTO audit_log ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [tuple(e[c] for c in cols) for e in es],
    )
    con.commit()
    con.close()


def verify(led: dict[str, Any], *args: str) -> Any:
    return invoke(led["base"], "audit", "verify", *args)


def assert_tampered(res: Any, *fragments: str) -> None:
    assert res.exit_code == 6, res.output
    first = res.stderr.splitlines()[-1]
    assert first.startswith("Error: audit"), first
    for f in fragments:
        assert f in first, first


# --- untampered ledgers ---------------------------------------------------------------------------


def test_an_untampered_ledger_verifies_with_its_checkpoint(led: dict[str, Any]) -> None:
    res = verify(led)
    assert res.exit_code == 0, res.output
    n = len(entries(led["db"]))
    assert res.stdout.startswith(f"audit trail intact: {n} entries and ")
    assert ", 1 checkpoint;" in res.stdout
    cp = (led["dir"] / "audit-checkpoints.txt").read_text().split()
    assert cp[0] == str(n) and cp[1] == entries(led["db"])[-1]["hash"]


def test_every_data_row_is_bound_to_an_audit_entry(led: dict[str, Any]) -> None:
    """Each row that matters appears, by its content hash, in the entry that wrote it."""
    bound = {
        (t, k) for e in entries(led["db"]) for t, k, _h in json.loads(e["details"]).get("rows", [])
    }
    con = sqlite3.connect(led["db"])
    for table, keycols in (
        ("claim_versions", "claim_id || '/' || version"),
        ("runs", "id"),
        ("responses", "id"),
        ("searches", "id"),
        ("articles", "pmid"),
        ("article_versions", "id"),
        ("links", "claim_id || '/' || pmid"),
        ("assessments", "id"),
        ("grades", "id"),
        ("approvals", "id"),
    ):
        keys = {str(r[0]) for r in con.execute(f"SELECT {keycols} FROM {table}")}
        assert keys, table
        assert keys <= {k for t, k in bound if t == table}, table
    con.close()


# --- 1. rows bound to the chain -----------------------------------------------------------------


def test_deleting_every_audit_entry_is_caught(led: dict[str, Any]) -> None:
    sql(led["db"], "DELETE FROM audit_log")
    assert_tampered(verify(led), "checkpoint")
    os.remove(led["dir"] / "audit-checkpoints.txt")  # even without the checkpoint file
    assert_tampered(verify(led), "row", "has no audit entry")


@pytest.mark.parametrize(
    ("table", "statement"),
    [
        (
            "articles",
            "UPDATE articles SET abstract = abstract || ' Well tolerated.' WHERE rowid = 1",
        ),
        ("grades", "UPDATE grades SET grade = 'strong' WHERE id = (SELECT max(id) FROM grades)"),
        ("assessments", "UPDATE assessments SET stance = 'contradicts' || stance WHERE id = 1"),
        ("links", "UPDATE links SET origin = 'manual' WHERE rowid = 1"),
        ("searches", "UPDATE searches SET count = count + 7 WHERE id = 1"),
        ("searches", "DELETE FROM search_hits WHERE rowid = 1"),
        ("responses", "UPDATE responses SET body = zeroblob(10) WHERE id = 1"),
        ("claim_versions", "UPDATE claim_versions SET statement = 'Ketamine cures depression.'"),
        ("runs", "UPDATE runs SET status = 'failed' WHERE id = 1"),
        ("article_versions", "UPDATE article_versions SET data = '{}' WHERE id = 1"),
        ("approvals", "UPDATE approvals SET approved_by = 'Mallory'"),
    ],
)
def test_editing_a_data_row_directly_is_caught(led: dict[str, Any], table: str, statement: str) -> None:  # fmt: skip
    sql(led["db"], statement)
    assert_tampered(verify(led), f"{table} row", "does not match its audit entry")


def test_deleting_a_data_row_is_caught(led: dict[str, Any]) -> None:
    sql(led["db"], "DELETE FROM links WHERE rowid = (SELECT max(rowid) FROM links)")
    assert_tampered(verify(led), "links row", "which is missing (deleted)")


def test_an_inserted_approval_row_is_caught_and_never_shown_as_current(led: dict[str, Any]) -> None:  # fmt: skip
    con = sqlite3.connect(led["db"])  # triggers left in place: inserts are allowed
    con.execute(
        """INSERT INTO approvals (claim_id, claim_version, evidence_hash, approved_by, note,
           created_at, meaning) SELECT claim_id, claim_version, evidence_hash, 'Mallory', 'ok',
           created_at, 'approved' FROM approvals"""
    )
    con.commit()
    con.close()
    assert_tampered(verify(led), "approvals row 2 has no audit entry")
    d = json.loads(ok(led["base"], "show", CLAIM, "--json").stdout)
    assert d["approval"]["approved_by"] == "Mallory"
    assert d["approval_status"].startswith("not in the audit trail")
    log = json.loads(ok(led["base"], "audit", "log", "--json").stdout)
    assert [e["actor"] for e in log if e["action"] == "approval"] == ["MLR"]


def test_a_forged_assessment_with_a_well_hashed_entry_is_caught_by_the_key(
    keyed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = b"".join(p.read_bytes() for p in keyed["db"].parent.iterdir())
    assert KEY.encode() not in raw  # the key never reaches the ledger
    con = sqlite3.connect(keyed["db"])
    con.row_factory = sqlite3.Row
    row = dict(con.execute("SELECT * FROM assessments ORDER BY id DESC LIMIT 1").fetchone())
    row.update(id=row["id"] + 1, method="reviewer:Mallory", stance="supports")
    con.execute(
        f"INSERT INTO assessments ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        tuple(row.values()),
    )
    last = dict(con.execute("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone())
    forged = {
        "seq": last["seq"] + 1,
        "at": last["at"],
        "actor": "Mallory",
        "action": "assessment",
        "subject": f"claim:{CLAIM}",
        # a forger who knows keyed entries say so (without it, verify needs no key to notice)
        "details": json.dumps(
            {"keyed": True, "rows": [["assessments", str(row["id"]), row_hash(row)]]}
        ),
        "prev_hash": last["hash"],
    }
    forged["hash"] = entry_hash(forged)
    forged["mac"] = entry_mac(b"a-guessed-key", forged["hash"])
    con.execute(
        f"INSERT INTO audit_log ({', '.join(forged)}) VALUES ({', '.join('?' * len(forged))})",
        tuple(forged.values()),
    )
    con.commit()
    con.close()
    # without the key, a consistent append after the last checkpoint is undetectable
    res = invoke(keyed["base"], "audit", "verify")
    assert res.exit_code == 0 and "give the key" in res.stderr
    monkeypatch.setenv("CLAIMLEDGER_AUDIT_KEY", KEY)
    res = invoke(keyed["base"], "audit", "verify")
    assert_tampered(res, f"entry {forged['seq']}", "MAC does not match")
    assert KEY not in res.output
    # stripping the MAC instead does not help
    sql(keyed["db"], f"UPDATE audit_log SET mac = NULL WHERE seq = {forged['seq']}")
    assert_tampered(invoke(keyed["base"], "audit", "verify"), "MAC was removed")


def test_the_key_can_come_from_a_file_and_a_wrong_key_fails(
    keyed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad = tmp_path / "good.key", tmp_path / "bad.key"
    good.write_text(KEY + "\n")
    bad.write_text("not-the-key\n")
    res = invoke(keyed["base"], "audit", "verify", "--key-file", str(good))
    assert res.exit_code == 0 and "HMAC checked" in res.stdout, res.output
    res = invoke(keyed["base"], "audit", "verify", "--key-file", str(bad))
    assert_tampered(res, "entry 1", "MAC does not match")
    assert "not-the-key" not in res.output and KEY not in res.output


# --- 2. checkpoints outside the file --------------------------------------------------------------


def test_deleting_the_last_five_entries_is_caught(led: dict[str, Any]) -> None:
    es = entries(led["db"])
    assert {"assessment", "approval"} <= {e["action"] for e in es[-5:]}
    sql(led["db"], f"DELETE FROM audit_log WHERE seq > {len(es) - 5}")
    assert_tampered(verify(led), f"checkpoint {len(es)}", f"ends at entry {len(es) - 5}")
    d = json.loads(ok(led["base"], "show", CLAIM, "--json").stdout)
    assert d["approval_status"] != "current"


def test_an_older_copy_over_the_current_ledger_is_caught(golden: dict[str, Any], tmp_path: Path) -> None:  # fmt: skip
    led = copy_ledger(golden, tmp_path / "now")
    older = tmp_path / "older.db"
    backup_db(led["db"], older)
    ok(led["base"], "review", "set", CLAIM, led["pmid"], "--stance", "inconclusive", "--by",
       "Bob", "--reason", "dose not reported")  # fmt: skip
    ok(led["base"], "approve", CLAIM, "--by", "MLR", "--acknowledge-provisional")
    gc.collect()  # close the CLI's connections: the insider works on a quiet ledger
    for suffix in ("-wal", "-shm"):  # the insider restores the file set of the older copy
        Path(f"{led['db']}{suffix}").unlink(missing_ok=True)
    shutil.copy(older, led["db"])
    assert_tampered(verify(led), "is not in the ledger", "(truncated, or an older copy)")


def test_a_rehashed_rewrite_before_a_checkpoint_is_caught(led: dict[str, Any]) -> None:
    """Change the approver's name in the row and its entry, re-bind and re-hash everything."""
    sql(led["db"], "UPDATE approvals SET approved_by = 'Mallory'")
    con = sqlite3.connect(led["db"])
    con.row_factory = sqlite3.Row
    approval = dict(con.execute("SELECT * FROM approvals").fetchone())
    con.close()

    def edit(es: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for e in es:
            if e["action"] == "approval":
                det = json.loads(e["details"])
                det["rows"] = [["approvals", str(approval["id"]), row_hash(approval)]]
                e["details"], e["actor"] = json.dumps(det), "Mallory"
        return es

    rewrite_chain(led["db"], edit)
    moved = led["dir"] / "elsewhere.txt"
    shutil.move(led["dir"] / "audit-checkpoints.txt", moved)
    assert verify(led).exit_code == 0  # consistent: only a checkpoint or a key can tell
    assert_tampered(verify(led, "--checkpoint", str(moved)), "does not match checkpoint")


def test_backdating_the_first_entry_and_rehashing_is_caught(led: dict[str, Any]) -> None:
    def edit(es: list[dict[str, Any]]) -> list[dict[str, Any]]:
        es[0]["at"] = "2020-01-01T00:00:00+00:00"
        return es

    rewrite_chain(led["db"], edit)
    assert_tampered(verify(led), "does not match checkpoint")


def test_time_stamps_going_backwards_are_caught(led: dict[str, Any]) -> None:
    def edit(es: list[dict[str, Any]]) -> list[dict[str, Any]]:
        es[5]["at"] = "2020-01-01T00:00:00+00:00"
        return es

    rewrite_chain(led["db"], edit)
    os.remove(led["dir"] / "audit-checkpoints.txt")
    assert_tampered(verify(led), "at entry 6", "earlier than the entry before it")


def test_swapping_the_last_two_entries_and_rehashing_is_caught(led: dict[str, Any]) -> None:
    def edit(es: list[dict[str, Any]]) -> list[dict[str, Any]]:
        a, b = es[-2], es[-1]  # the times stay in place, so they never go backwards
        return [*es[:-2], {**b, "at": a["at"]}, {**a, "at": b["at"]}]

    rewrite_chain(led["db"], edit)
    assert_tampered(verify(led), "does not match checkpoint")


def test_audit_checkpoint_prints_and_appends_the_head(led: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "heads" / "cp.txt"
    first = ok(led["base"], "audit", "checkpoint", "--output", str(out)).stdout.strip()
    last = entries(led["db"])[-1]
    assert first.split() == [str(last["seq"]), last["hash"], last["at"]]
    ok(led["base"], "grade")  # nothing changed: same head
    ok(led["base"], "audit", "checkpoint", "--output", str(out))
    assert out.read_text().splitlines() == [first, first]
    assert ok(led["base"], "audit", "verify", "--checkpoint", str(out)).stdout.count(
        "2 checkpoints"
    )


# --- zero-length and foreign files ------------------------------------------------------------------


@pytest.mark.parametrize("content", ["empty", "foreign"])
def test_an_empty_or_schemaless_file_is_not_a_valid_ledger(tmp_path: Path, content: str) -> None:
    db = tmp_path / "ledger.db"
    if content == "empty":
        db.write_bytes(b"")
    else:
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE notes (x)")
        con.commit()
        con.close()
    before = db.read_bytes()
    res = invoke(["--db", str(db)], "audit", "verify")
    assert_tampered(res, "is not a claimledger ledger: it has no audit log")
    assert db.read_bytes() == before  # verify never writes a schema into it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.db"]


# --- 4. articles change by new versions -----------------------------------------------------------


def test_a_changed_article_is_a_new_version_and_the_entry_lists_the_changes(
    golden: dict[str, Any], tmp_path: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re
    from datetime import date

    led = copy_ledger(golden, tmp_path / "copy")
    monkeypatch.setenv("NCBI_API_KEY", "TESTKEY")
    pmid = led["pmid"]
    con = sqlite3.connect(led["db"])
    old_title = con.execute("SELECT title FROM articles WHERE pmid = ?", [pmid]).fetchone()[0]
    con.close()
    # SYNTHETIC: the real record with its title changed, as a corrected record would be
    xml = re.sub(
        rb"<ArticleTitle>.*?</ArticleTitle>",
        b"<ArticleTitle>Corrected title</ArticleTitle>",
        standin.records[pmid].xml,
        count=1,
        flags=re.S,
    )
    standin.replace_record(pmid, xml, mdat=date.today())
    ok(led["base"], "refresh")
    con = sqlite3.connect(led["db"])
    versions = con.execute(
        "SELECT version_no, json_extract(data, '$.title') FROM article_versions WHERE pmid = ? "
        "ORDER BY version_no",
        [pmid],
    ).fetchall()
    con.close()
    assert versions == [(1, old_title), (2, "Corrected title")]
    changed = [
        json.loads(e["details"])
        for e in entries(led["db"])
        if e["action"] == "article.changed" and e["subject"] == f"article:{pmid}"
    ]
    assert ["title", old_title[:159] + ("…" if len(old_title) > 160 else ""),
            "Corrected title"] in changed[-1]["changes"]  # fmt: skip
    assert ok(led["base"], "audit", "verify").exit_code == 0
    c = sqlite3.connect(led["db"])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        c.execute("UPDATE article_versions SET data = '{}'")
    c.close()


def test_approving_a_stale_claim_that_needs_a_non_pubmed_source_needs_acknowledgement(
    led: dict[str, Any],
) -> None:
    """A claim never refreshed (so stale) whose kind PubMed cannot settle is signed only with
    the acknowledgement, and the approval records what was acknowledged."""
    claims = led["dir"] / "claims.yaml"
    claims.write_text(
        claims.read_text()
        + """  - id: approved-in-2019
    statement: Esketamine nasal spray was approved by the FDA in 2019.
    topic: regulatory
    kind: regulatory
    polarity: asserts-fact
    query: esketamine[tiab] AND approval[tiab]
"""
    )
    res = invoke(led["base"], "approve", "approved-in-2019", "--by", "MLR")
    assert res.exit_code == 2 and "stale" in res.stderr and "non-PubMed" in res.stderr
    ok(led["base"], "approve", "approved-in-2019", "--by", "MLR", "--acknowledge-provisional")
    con = sqlite3.connect(led["db"])
    (ack,) = con.execute(
        "SELECT acknowledged FROM approvals WHERE claim_id = 'approved-in-2019'"
    ).fetchone()
    con.close()
    assert "stale" in ack and "needs a non-PubMed source" in ack


# --- 5. identity and meaning of signatures ----------------------------------------------------------


def test_approve_records_meaning_os_user_and_needs_acknowledgement(led: dict[str, Any]) -> None:
    n = len(entries(led["db"]))
    res = invoke(led["base"], "approve", CLAIM, "--by", "Dr. Who")
    assert res.exit_code == 2 and "--acknowledge-provisional" in res.stderr
    assert len(entries(led["db"])) == n  # nothing written
    ok(led["base"], "approve", CLAIM, "--by", "Dr. Who", "--meaning", "rejected", "--note", "no")
    con = sqlite3.connect(led["db"])
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM approvals ORDER BY id")]
    con.close()
    assert rows[0]["meaning"] == "approved" and rows[0]["acknowledged"] == "provisional"
    assert rows[1]["meaning"] == "rejected" and rows[1]["approved_by"] == "Dr. Who"
    assert {r["os_user"] for r in rows} == {os_user()}
    last = entries(led["db"])[-1]
    det = json.loads(last["details"])
    assert (last["actor"], det["meaning"], det["os_user"]) == ("Dr. Who", "rejected", os_user())  # fmt: skip
    d = json.loads(ok(led["base"], "show", CLAIM, "--json").stdout)
    assert d["approval_status"] == "rejected"
    cps = (led["dir"] / "audit-checkpoints.txt").read_text().splitlines()
    assert len(cps) == 2 and cps[-1].split()[:2] == [str(last["seq"]), last["hash"]]
    assert ok(led["base"], "audit", "verify").exit_code == 0


# --- 6. reviewer decisions ----------------------------------------------------------------------------


def test_overriding_another_reviewers_decision_needs_a_reason_and_names_them(led: dict[str, Any]) -> None:  # fmt: skip
    other = "inconclusive" if led["stance"] != "inconclusive" else "supports"
    args = ("review", "set", CLAIM, led["pmid"], "--stance", other, "--by", "Bob")
    res = invoke(led["base"], *args)
    assert res.exit_code == 2 and "overriding Ann's decision" in res.stderr
    ok(led["base"], *args, "--reason", "abstract reports no primary outcome")
    e = next(e for e in reversed(entries(led["db"])) if e["action"] == "assessment")
    det = json.loads(e["details"])
    assert e["actor"] == "Bob" and det["overrides"]["reviewer"] == "Ann"
    assert det["overrides"]["stance"] == led["stance"]
    # agreeing with another reviewer is not an override
    ok(led["base"], "review", "set", CLAIM, led["pmid"], "--stance", other, "--by", "Cy",
       "--reason", "agree with Bob")  # fmt: skip
    e = next(e for e in reversed(entries(led["db"])) if e["action"] == "assessment")
    assert e["actor"] == "Cy" and "overrides" not in json.loads(e["details"])


# --- 7. read-only verification ----------------------------------------------------------------------


def _tree(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_verify_show_check_report_change_nothing(led: dict[str, Any], tmp_path: Path) -> None:
    before = _tree(led["db"].parent)
    ok(led["base"], "audit", "verify")
    ok(led["base"], "show", CLAIM)
    draft = tmp_path / "draft.md"
    draft.write_text("Ketamine relieves depression.\n")
    assert invoke(led["base"], "check", str(draft)).exit_code in (0, 1)
    ok(led["base"], "report", "--output", str(tmp_path / "report"))
    ok(led["base"], "audit", "export")
    after = _tree(led["db"].parent)
    assert after["ledger.db"] == before["ledger.db"]  # not a byte changed
    assert after.get("ledger.db-wal", b"") == b""  # and nothing waiting to be written


def _read_only_prefix(directory: Path) -> list[str] | None:
    """Run a command where ``directory`` is read-only media: a read-only bind mount (root, in a
    private mount namespace) or plain permissions (anyone else)."""
    if os.geteuid() != 0:
        for p in directory.rglob("*"):
            p.chmod(0o444)
        directory.chmod(0o555)
        return []
    if shutil.which("unshare") is None:
        return None
    d = str(directory)
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount --bind -o ro {d} {d} && ! touch {d}/.probe"],
        capture_output=True,
    )
    if probe.returncode != 0:
        return None
    return ["unshare", "-m", "sh", "-c", f'mount --bind -o ro {d} {d} && exec "$@"', "sh"]


def test_a_backup_on_read_only_media_verifies(led: dict[str, Any], tmp_path: Path) -> None:
    backup = tmp_path / "media"
    backup.mkdir()
    shutil.copy(led["db"], backup / "ledger.db")
    prefix = _read_only_prefix(backup)
    if prefix is None:
        pytest.skip("cannot make a read-only directory here (no unshare/mount, running as root)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_CHECKPOINTS")}
    base = [sys.executable, "-m", "claimledger", "--claims", str(led["dir"] / "claims.yaml"),
            "--db", str(backup / "ledger.db")]  # fmt: skip
    res = subprocess.run(
        [*prefix, *base, "audit", "verify"], capture_output=True, text=True, env=env
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("audit trail intact:")
    res = subprocess.run([*prefix, *base, "show", CLAIM], capture_output=True, text=True, env=env)
    assert res.returncode == 0 and "approval: current" in res.stdout, res.stderr


# --- 8. exports --------------------------------------------------------------------------------------


def test_export_includes_checkpoints_and_neutralises_formulas(led: dict[str, Any]) -> None:
    import csv
    import io

    other = "inconclusive" if led["stance"] != "inconclusive" else "supports"
    ok(led["base"], "review", "set", CLAIM, led["pmid"], "--stance", other,
       "--by", '=HYPERLINK("http://x.invalid","click")', "--reason", "@SUM(1+1)")  # fmt: skip
    text = ok(led["base"], "audit", "export", "--format", "csv").stdout
    table = list(csv.DictReader(io.StringIO(text)))
    actors = [r["actor"] for r in table if r["record"] == "entry"]
    assert '\'=HYPERLINK("http://x.invalid","click")' in actors
    for r in table:
        for v in r.values():
            assert not (v or "").startswith(("=", "+", "-", "@")), v
    cps = [r for r in table if r["record"] == "checkpoint"]
    head = entries(led["db"])[-3]  # the approval's head, before this review and its grade
    assert [(c["seq"], c["hash"]) for c in cps] == [(str(head["seq"]), head["hash"])]
    jl = [json.loads(x) for x in ok(led["base"], "audit", "export").stdout.splitlines()]
    assert [r["record"] for r in jl].count("checkpoint") == 1
    assert jl[0]["record"] == "entry" and "hash" in jl[0]


# --- upgrading a ledger written before rows were bound ------------------------------------------


def test_a_legacy_ledger_is_upgraded_by_one_explicit_rebinding_entry(tmp_path: Path) -> None:
    import sqlite_utils

    from claimledger.ledger.store import BINDING_MIGRATION, migrations

    db = tmp_path / "ledger.db"
    legacy = sqlite_utils.Database(db)
    migrations.apply(legacy, stop_before=BINDING_MIGRATION)
    legacy.table("claim_versions").insert(
        {"claim_id": "c", "version": "v1", "statement": "s", "query": "q", "first_seen": "2025"}
    )
    e = {"seq": 1, "at": "2025-01-01T00:00:00+00:00", "actor": "old", "action": "claim.version",
         "subject": "claim:c", "details": "{}", "prev_hash": GENESIS}  # fmt: skip
    legacy.table("audit_log").insert({**e, "hash": entry_hash(e)})
    legacy.close()
    base = ["--db", str(db)]
    res = invoke(base, "audit", "verify")
    assert res.exit_code == 2 and "audit upgrade" in res.stderr
    ok(base, "audit", "upgrade")
    last = entries(db)[-1]
    det = json.loads(last["details"])
    assert last["action"] == "audit.rebind" and det["counts"] == {"claim_versions": 1}
    assert "not before it" in det["reason"]
    ok(base, "audit", "verify")
    sql(db, "UPDATE claim_versions SET statement = 'changed'")
    assert_tampered(invoke(base, "audit", "verify"), "claim_versions row c/v1")


def test_verify_during_a_refresh_and_after_kill_9_is_clean(
    golden: dict[str, Any], tmp_path: Path, standin: StandIn
) -> None:
    """A verifier reading while a refresh commits sees one consistent snapshot; a refresh killed
    midway leaves a ledger that verifies."""
    import time

    from standin import Fault

    led = copy_ledger(golden, tmp_path / "copy")
    standin.queue(*[Fault("slow", delay=0.2) for _ in range(10)])
    env = {**os.environ, "CLAIMLEDGER_EUTILS_URL": standin.url, "NCBI_API_KEY": "TESTKEY"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimledger", *led["base"], "refresh", "--full"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = []
    deadline = time.time() + 1.5
    while time.time() < deadline and proc.poll() is None:
        results.append(verify(led))
    proc.kill()  # SIGKILL, no cleanup
    proc.wait()
    assert results and all(r.exit_code == 0 for r in results), [r.output for r in results]
    assert verify(led).exit_code == 0


def test_an_upgrade_rerun_to_launder_an_inserted_row_is_caught(led: dict[str, Any]) -> None:
    """The insider inserts an approval, then makes claimledger 'upgrade' again so that a
    re-binding entry binds it."""
    from claimledger.ledger.store import open_ledger

    con = sqlite3.connect(led["db"])
    con.execute(
        """INSERT INTO approvals (claim_id, claim_version, evidence_hash, approved_by, created_at)
           SELECT claim_id, claim_version, evidence_hash, 'Mallory', created_at FROM approvals"""
    )
    con.commit()
    con.close()
    assert open_ledger(led["db"]).rebind_unbound("Mallory", "upgrade") == 1
    os.remove(led["dir"] / "audit-checkpoints.txt")
    assert_tampered(verify(led), "re-binds rows after rows were already bound")


def test_a_keyed_ledger_is_never_written_without_its_key(
    keyed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = len(entries(keyed["db"]))
    res = invoke(keyed["base"], "grade")
    assert res.exit_code == 2 and "carry an HMAC" in res.stderr
    monkeypatch.setenv("CLAIMLEDGER_AUDIT_KEY", "the-wrong-key")
    res = invoke(keyed["base"], "approve", CLAIM, "--by", "X", "--acknowledge-provisional")
    assert res.exit_code == 2 and "not the one" in res.stderr and "the-wrong-key" not in res.stderr
    assert len(entries(keyed["db"])) == n
    monkeypatch.setenv("CLAIMLEDGER_AUDIT_KEY", KEY)
    ok(keyed["base"], "approve", CLAIM, "--by", "X", "--acknowledge-provisional")
    assert ok(keyed["base"], "audit", "verify").stdout.count("HMAC checked")


def test_an_older_backup_verifies_with_backup_but_not_as_the_live_ledger(
    golden: dict[str, Any], tmp_path: Path
) -> None:
    led = copy_ledger(golden, tmp_path / "live")
    backup = tmp_path / "backup.db"
    backup_db(led["db"], backup)
    ok(led["base"], "approve", CLAIM, "--by", "MLR", "--acknowledge-provisional")
    bbase = ["--claims", str(led["dir"] / "claims.yaml"), "--db", str(backup)]
    assert_tampered(invoke(bbase, "audit", "verify"), "is not in the ledger")
    res = ok(bbase, "audit", "verify", "--backup")
    assert "1 checkpoint (1 taken after this backup)" in res.stdout
    # a backup still has to agree with every checkpoint up to its own end
    rewrite_chain(backup, lambda es: [{**es[0], "actor": "Mallory"}, *es[1:]])
    assert_tampered(invoke(bbase, "audit", "verify", "--backup"), "does not match checkpoint")


def test_approve_with_an_unwritable_checkpoint_file_writes_nothing(led: dict[str, Any]) -> None:
    n = len(entries(led["db"]))
    blocker = led["dir"] / "not-a-dir"
    blocker.write_text("a file where a directory should be")
    res = invoke(led["base"], "approve", CLAIM, "--by", "MLR", "--acknowledge-provisional",
                 "--checkpoint-file", str(blocker / "heads.txt"))  # fmt: skip
    assert res.exit_code == 2 and "cannot write the checkpoint file" in res.stderr
    assert len(entries(led["db"])) == n


@pytest.mark.parametrize("name", ["   ", "Ann\nseq 99 approval", "Ann\x1b[2J"])
def test_a_declared_name_is_one_printable_line(led: dict[str, Any], name: str) -> None:
    n = len(entries(led["db"]))
    res = invoke(led["base"], "approve", CLAIM, "--by", name, "--acknowledge-provisional")
    assert res.exit_code == 2 and "--by" in res.stderr
    assert len(entries(led["db"])) == n


def _approval_status(led: dict[str, Any]) -> str:
    return str(json.loads(ok(led["base"], "show", CLAIM, "--json").stdout)["approval_status"])


def test_an_approval_stays_current_when_a_decision_is_only_re_worded(led: dict[str, Any]) -> None:
    """What the approval signed is the grade and the evidence it rests on: a reviewer recording the
    same stance again with a new reason, or a second reviewer agreeing, changes neither; a
    changed stance does."""
    pmid, stance = led["pmid"], led["stance"]
    ok(led["base"], "review", "set", CLAIM, pmid, "--stance", stance, "--by", "Ann",
       "--reason", "primary outcome not met at 24 h (re-read)")  # fmt: skip
    ok(led["base"], "review", "set", CLAIM, pmid, "--stance", stance, "--by", "Bob",
       "--reason", "agree with Ann")  # fmt: skip
    assert _approval_status(led) == "current"
    other = "inconclusive" if stance != "inconclusive" else "supports"
    ok(led["base"], "review", "set", CLAIM, pmid, "--stance", other, "--by", "Ann",
       "--reason", "abstract reports no primary outcome")  # fmt: skip
    assert _approval_status(led) == "stale: the evidence changed since approval"


def test_an_approval_goes_stale_when_the_grade_it_signed_changes(led: dict[str, Any]) -> None:
    """A new rubric can grade the same evidence set differently (the evidence hash stays): the
    approval signed the old grade, so it is stale."""
    from dataclasses import replace

    from claimledger.ledger.store import open_ledger
    from claimledger.library.claims import load_claims
    from claimledger.model import GradeLabel

    claim = load_claims(led["dir"] / "claims.yaml").get(CLAIM)
    ledger = open_ledger(led["db"])
    g = ledger.current_grade(CLAIM, claim.version)
    assert g is not None and _approval_status(led) == "current"
    other = GradeLabel.LIMITED if g.grade is not GradeLabel.LIMITED else GradeLabel.MODERATE
    with ledger.transaction():  # as `grade` records it after an update with a new rubric
        ledger.add_grade(replace(g, grade=other, rubric_version="rubric-next", id=None), "tester")
    ledger.close()
    assert _approval_status(led) == "stale: the grade changed since approval"
    assert ok(led["base"], "audit", "verify").exit_code == 0
    import yaml  # Datasette's canned query lists it too

    meta = yaml.safe_load((Path(__file__).parents[1] / "evidence" / "datasette.yml").read_text())
    query = meta["databases"]["ledger"]["queries"]["approvals_gone_stale"]["sql"]
    con = sqlite3.connect(led["db"])
    assert [r[0] for r in con.execute(query)] == [CLAIM]
    con.close()


def test_an_approval_goes_stale_when_the_claim_version_changes(led: dict[str, Any]) -> None:
    """Approvals bind to the claim version: whatever makes a new version (a reworded statement
    here) makes the approval stale."""
    claims = led["dir"] / "claims.yaml"
    claims.write_text(
        claims.read_text().replace(
            "statement: Ketamine relieves depression.",
            "statement: Ketamine relieves depression within a day.",
        )
    )
    d = json.loads(ok(led["base"], "show", CLAIM, "--json").stdout)
    assert d["approval_status"] == "stale: the claim changed since approval"


# --- the schema: triggers, views, tables and columns ----------------------------------------------


def _schema_sql(db: Path, *statements: str) -> None:
    con = sqlite3.connect(db)
    for s in statements:
        con.execute(s)
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("statements", "fragment"),
    [
        (["DROP TRIGGER approvals_no_update"], "trigger approvals_no_update is missing"),
        (
            [
                "DROP VIEW current_grades",
                "CREATE VIEW current_grades AS SELECT id, claim_id, claim_version, 'strong' AS "
                "grade, 0 AS provisional FROM grades",
            ],
            "view current_grades was changed",
        ),
        (["ALTER TABLE approvals ADD COLUMN countersigned_by TEXT"], "table approvals was changed"),
        (["CREATE TABLE approvals_extra (claim_id TEXT, approved_by TEXT)"], "approvals_extra"),
        (
            [
                "CREATE TABLE ap2 AS SELECT * FROM approvals",
                "DROP TABLE approvals",
                "ALTER TABLE ap2 RENAME TO approvals",
                "INSERT INTO approvals SELECT * FROM approvals",
            ],
            "approvals",
        ),
    ],
)
def test_a_schema_changed_outside_claimledger_is_caught(
    led: dict[str, Any], statements: list[str], fragment: str
) -> None:
    """Views (Datasette's current_grades), dropped append-only triggers, added columns or tables,
    or a table rebuilt without its primary key (a duplicated approval) bind no row, but change
    what the ledger means."""
    _schema_sql(led["db"], *statements)
    assert_tampered(verify(led), "schema", fragment)
    assert invoke(led["base"], "show", CLAIM).exit_code == 0  # readers show it, never crash


def test_a_planted_trigger_is_caught_and_claimledger_refuses_to_write_through_it(
    led: dict[str, Any],
) -> None:
    """A trigger that rewrites a reviewer's decision as claimledger writes it would have the
    writer itself bind (and, with a key, MAC) the forged row; removed afterwards, nothing would
    show. claimledger refuses to write to a ledger whose schema is not its own."""
    _schema_sql(
        led["db"],
        "DROP TRIGGER assessments_no_update",
        """CREATE TRIGGER zz_flip AFTER INSERT ON assessments WHEN NEW.method LIKE 'reviewer:%'
           BEGIN UPDATE assessments SET stance = 'supports' WHERE id = NEW.id; END""",
    )
    assert_tampered(verify(led), "schema", "assessments_no_update is missing")
    n = len(entries(led["db"]))
    res = invoke(led["base"], "review", "set", CLAIM, led["pmid"], "--stance", "inconclusive",
                 "--by", "Bob", "--reason", "dose not reported")  # fmt: skip
    assert_tampered(res, "schema", "claimledger will not write")
    assert len(entries(led["db"])) == n
    _schema_sql(led["db"], "DROP TRIGGER zz_flip")  # the no-update trigger alone is missing now
    assert_tampered(verify(led), "schema", "assessments_no_update is missing")


# --- claimledger must not launder an edited row by updating it in place ------------------------------


def _first_linked(db: Path) -> str:
    con = sqlite3.connect(db)
    pmid = con.execute(f"SELECT min(pmid) FROM links WHERE claim_id = '{CLAIM}'").fetchone()[0]
    con.close()
    return str(pmid)


@pytest.mark.parametrize(
    ("statement", "args", "fragment"),
    [
        # an old run made to look unfinished: the next refresh marks it interrupted, in place
        (
            "UPDATE runs SET status = 'running', actor = 'Mallory', summary = NULL WHERE id = 1",
            ("refresh",),
            "runs row 1",
        ),
        # a watermark pushed forward: the refresh would skip what PubMed changed meanwhile, then
        # overwrite the watermark (and bind it) as if nothing had happened
        ("UPDATE watermarks SET refreshed_on = '2027-06-01'", ("refresh",), "watermarks row"),
        # hits planted for the next search id: the next search would bind them as its own
        (
            "INSERT INTO search_hits SELECT max(id) + 1, '99999999', 99 FROM searches",
            ("refresh", "--full"),
            "search_hits rows for search",
        ),
        # an article's first_seen backdated: a change at PubMed updates the row in place
        (
            "UPDATE articles SET first_seen = '2001-01-01T00:00:00+00:00' WHERE pmid = ?",
            ("refresh",),
            "articles row",
        ),
    ],
)
def test_an_edited_row_is_never_laundered_by_a_later_write(
    golden: dict[str, Any],
    tmp_path: Path,
    standin: StandIn,
    statement: str,
    args: tuple[str, ...],
    fragment: str,
) -> None:
    import re
    from datetime import date

    led = copy_ledger(golden, tmp_path / "copy")
    pmid = _first_linked(led["db"])
    sql(led["db"], statement, params=(pmid,))
    assert_tampered(verify(led), fragment)
    # SYNTHETIC: the real record with its title changed, as a corrected record would be
    xml = re.sub(rb"<ArticleTitle>.*?</ArticleTitle>", b"<ArticleTitle>Corrected</ArticleTitle>",
                 standin.records[pmid].xml, count=1, flags=re.S)  # fmt: skip
    standin.replace_record(pmid, xml, mdat=date.today())
    n = len(entries(led["db"]))
    assert_tampered(invoke(led["base"], *args), fragment, "will not")
    assert len(entries(led["db"])) == n  # nothing recorded on top of the edit
    assert_tampered(verify(led), fragment)  # and the edit is still evident


# --- odd values: tampering or bad input, never a traceback -----------------------------------------


def _append(db: Path, **fields: Any) -> None:
    """Append one consistently hashed entry after the head (what anyone can do without a key)."""
    last = entries(db)[-1]
    e = {"seq": last["seq"] + 1, "at": last["at"], "actor": "Mallory", "action": "note",
         "subject": "ledger", "details": "{}", "prev_hash": last["hash"], **fields}  # fmt: skip
    e["hash"] = entry_hash(e)
    con = sqlite3.connect(db)
    con.execute(
        f"INSERT INTO audit_log ({', '.join(e)}) VALUES ({', '.join('?' * len(e))})",
        tuple(e.values()),
    )
    con.commit()
    con.close()


@pytest.mark.parametrize("at", ["2026-11-22T23:59:59", "2026-11-22", "yesterday"])
def test_a_time_stamp_without_a_time_zone_is_caught(led: dict[str, Any], at: str) -> None:
    """Naive and zoned times cannot be ordered; claimledger writes UTC with its offset."""
    _append(led["db"], at=at)
    assert_tampered(verify(led), f"entry {len(entries(led['db']))}", "time zone")


def test_an_entry_field_stored_as_a_blob_is_caught(led: dict[str, Any]) -> None:
    sql(led["db"], "UPDATE audit_log SET details = CAST(details AS BLOB) WHERE seq = 3")
    assert_tampered(verify(led), "entry 3", "details is not text")


@pytest.mark.parametrize("seq", ["99999999999999999999", "\u00b2", "\u0661\u0662", "-3"])
def test_a_malformed_checkpoint_line_is_a_clear_error(led: dict[str, Any], seq: str) -> None:
    cp = led["dir"] / "cp.txt"
    cp.write_text(f"{seq} {'a' * 64}\n")
    res = verify(led, "--checkpoint", str(cp))
    assert res.exit_code == 2, res.output
    assert res.stderr.strip().endswith("line 1 is not a checkpoint (expected: SEQ HASH [TIME])")


def test_a_checkpoint_file_saved_with_a_byte_order_mark_reads(led: dict[str, Any]) -> None:
    """Windows editors and document systems often prefix UTF-8 files with a BOM."""
    cp = led["dir"] / "cp.txt"
    cp.write_bytes(b"\xef\xbb\xbf" + (led["dir"] / "audit-checkpoints.txt").read_bytes())
    res = verify(led, "--checkpoint", str(cp))
    assert res.exit_code == 0 and ", 1 checkpoint;" in res.stdout, res.output
    cp.write_bytes(b"\xff\xfe4\x000\x00")  # UTF-16: not a checkpoint file, and said so
    res = verify(led, "--checkpoint", str(cp))
    assert res.exit_code == 2 and "cannot read the checkpoint file" in res.stderr, res.output


def test_verify_beside_an_uncommitted_transaction_sees_the_committed_ledger_and_writes_nothing(
    led: dict[str, Any],
) -> None:
    """A writer holding a large uncommitted transaction (its pages spilled into the -wal file)
    is neither seen as tampering nor disturbed; readers write nothing, not even the -wal."""
    db = led["db"]
    holder = sqlite3.connect(db)  # keeps the -wal (and its committed frames) from being folded in
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    ok(led["base"], "review", "set", CLAIM, led["pmid"], "--stance", "inconclusive", "--by", "Bob",
       "--reason", "dose not reported")  # fmt: skip
    w = sqlite3.connect(db, isolation_level=None)
    w.execute("PRAGMA cache_size = 2")
    w.execute("BEGIN IMMEDIATE")
    w.execute("DROP TRIGGER approvals_no_update")
    w.executemany(
        "INSERT INTO approvals (claim_id, claim_version, evidence_hash, approved_by, created_at) "
        "VALUES (?, 'v', 'e', ?, 't')",
        [(CLAIM, "Mallory" * 40)] * 2000,
    )
    w.execute("UPDATE approvals SET approved_by = 'Mallory'")
    wal = Path(f"{db}-wal")
    assert wal.stat().st_size > 500_000  # uncommitted pages are in the -wal file
    before = _tree(db.parent)
    try:
        res = ok(led["base"], "audit", "verify")
        assert res.stdout.startswith(f"audit trail intact: {len(entries(db))} entries")
        d = json.loads(ok(led["base"], "show", CLAIM, "--json").stdout)
        assert d["approval"]["approved_by"] == "MLR"
        ok(led["base"], "audit", "checkpoint")
        after = _tree(db.parent)  # (the -shm file is SQLite's shared memory, not data)
        assert [after[n] for n in ("ledger.db", "ledger.db-wal")] == [
            before[n] for n in ("ledger.db", "ledger.db-wal")
        ]
    finally:
        w.execute("ROLLBACK")
        w.close()
        holder.close()


def test_an_entry_dated_in_the_future_is_caught_and_never_copied(led: dict[str, Any]) -> None:
    """Without the key anyone can append after the last checkpoint; an entry dated ahead would
    otherwise make claimledger date every later entry the same (it never writes a time before
    the last one)."""
    _append(led["db"], at="2099-01-01T00:00:00+00:00")
    n = len(entries(led["db"]))
    assert_tampered(verify(led), f"entry {n}", "in the future")
    res = invoke(led["base"], "review", "set", CLAIM, led["pmid"], "--stance", "inconclusive",
                 "--by", "Bob", "--reason", "dose not reported")  # fmt: skip
    assert_tampered(res, "in the future")
    assert len(entries(led["db"])) == n


def test_text_that_is_not_utf8_is_tampering(led: dict[str, Any]) -> None:
    """SQLite stores any bytes as TEXT; claimledger only ever writes valid UTF-8."""
    sql(led["db"], "UPDATE watermarks SET refreshed_on = CAST(x'32303236ff' AS TEXT)")
    assert_tampered(verify(led), "not UTF-8", "refreshed_on")


def test_the_os_login_is_the_account_not_an_environment_variable(
    led: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """getpass.getuser() believes LOGNAME/USER, which anyone can set; the login recorded beside
    a signature is the account the process runs as."""
    import pwd

    for var in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(var, "chief-medical-officer")
    ok(led["base"], "approve", CLAIM, "--by", "MLR", "--acknowledge-provisional")
    account = pwd.getpwuid(os.geteuid()).pw_name
    last = entries(led["db"])[-1]
    assert json.loads(last["details"])["os_user"] == account
    con = sqlite3.connect(led["db"])
    assert con.execute("SELECT os_user FROM approvals ORDER BY id DESC").fetchone()[0] == account
    con.close()


@pytest.mark.parametrize(
    ("statement", "fragment"),
    [
        ("UPDATE claim_versions SET statement = CAST(statement AS BLOB)", "claim_versions row"),
        ("UPDATE articles SET year = year || 'a'", "articles row"),  # '2019a' stays text
        ("UPDATE assessments SET confidence = NULL WHERE id = 1", "assessments row"),
        ("UPDATE approvals SET note = NULL", "approvals row"),  # a NULL column leaves the hash
    ],
)
def test_type_and_null_games_in_a_row_are_caught(led: dict[str, Any], statement: str, fragment: str) -> None:  # fmt: skip
    """Row hashes are over typed JSON: a blob is not its text, '2019a' is not 2019, and a value
    set to NULL (left out of the hash) is not the value. (Writing '1' or '2019 ' into an INTEGER
    column changes nothing: SQLite stores the integer.)"""
    sql(led["db"], statement)
    assert_tampered(verify(led), fragment, "does not match its audit entry")


def test_stripping_every_mac_is_caught_even_without_the_key(
    keyed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MACs are not part of the entry hash, so removing them all needs no rewrite and passes the
    checkpoints; each keyed entry says in its hashed content that it was keyed, so verify
    without the key notices, and writers keep asking for the key (and then refuse)."""
    sql(keyed["db"], "UPDATE audit_log SET mac = NULL")
    assert_tampered(invoke(keyed["base"], "audit", "verify"), "entry 1", "MAC was removed")
    n = len(entries(keyed["db"]))
    res = invoke(keyed["base"], "grade")
    assert res.exit_code == 6 and "MAC was removed" in res.stderr, res.output
    assert len(entries(keyed["db"])) == n
    monkeypatch.setenv("CLAIMLEDGER_AUDIT_KEY", KEY)
    assert_tampered(invoke(keyed["base"], "audit", "verify"), "MAC was removed")
