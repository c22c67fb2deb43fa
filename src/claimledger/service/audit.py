"""Orchestration for `audit ...`: verify against checkpoints and a key, write checkpoints, export.

Everything here opens the ledger read-only except ``upgrade``, so a backup on read-only media
verifies and nothing a verifier runs can change what it verifies.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimledger.errors import InputError
from claimledger.ledger.audit import Checkpoint, append_checkpoint, audit_key, read_checkpoints
from claimledger.ledger.store import Ledger, VerifyResult, open_ledger

__all__ = [
    "CHECKPOINTS_ENV",
    "VerifyReport",
    "checkpoint",
    "default_checkpoint_file",
    "ensure_appendable",
    "export_text",
    "record_checkpoint",
    "spreadsheet_safe",
    "upgrade",
    "verify",
]

CHECKPOINTS_ENV = "CLAIMLEDGER_CHECKPOINTS"
CHECKPOINTS_NAME = "audit-checkpoints.txt"


def default_checkpoint_file(claims_path: Path) -> Path:
    """CLAIMLEDGER_CHECKPOINTS, else audit-checkpoints.txt beside claims.yaml (so it can live in
    git or a document system, away from the ledger)."""
    env = os.environ.get(CHECKPOINTS_ENV)
    return Path(env) if env else claims_path.parent / CHECKPOINTS_NAME


@dataclass(frozen=True)
class VerifyReport:
    result: VerifyResult
    checkpoint_files: tuple[Path, ...]
    head: Checkpoint | None
    unkeyed_note: bool  # entries carry MACs but no key was given


def verify(
    db_path: Path,
    checkpoint_files: Sequence[Path] = (),
    key_file: Path | None = None,
    *,
    backup: bool = False,
) -> VerifyReport:
    """Verify the chain, every bound row and every checkpoint; raises AuditChainError (exit 6)."""
    key = audit_key(key_file)
    cps = [cp for f in checkpoint_files for cp in read_checkpoints(f)]
    ledger = open_ledger(db_path, create=False, readonly=True)
    try:
        result = ledger.verify_audit(cps, key=key, backup=backup)
        keyed = ledger.db.execute("SELECT 1 FROM audit_log WHERE mac IS NOT NULL LIMIT 1")
        unkeyed_note = bool(keyed.fetchone()) and not key
    except sqlite3.DatabaseError as ex:
        raise InputError(f"cannot read {db_path}: {ex}") from None
    return VerifyReport(result, tuple(checkpoint_files), ledger.head(), unkeyed_note)


def checkpoint(db_path: Path, output: Path | None) -> Checkpoint:
    """The chain head (read-only), appended to ``output`` when given."""
    head = open_ledger(db_path, create=False, readonly=True).head()
    if head is None:
        raise InputError(f"the audit log in {db_path} is empty: nothing to checkpoint")
    if output is not None:
        append_checkpoint(output, head)
    return head


def record_checkpoint(ledger: Ledger, output: Path) -> Checkpoint | None:
    """Append the head of an open ledger (after a write such as an approval) to ``output``."""
    head = ledger.head()
    if head is not None:
        append_checkpoint(output, head)
    return head


def ensure_appendable(path: Path) -> None:
    """Fail before a write (an approval) whose checkpoint could not be kept afterwards."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as ex:
        raise InputError(f"cannot write the checkpoint file {path}: {ex.strerror or ex}") from None


def upgrade(db_path: Path) -> int:
    """Migrate an older ledger (writes the audited re-binding entry); returns the new head seq."""
    ledger = open_ledger(db_path, create=False)
    head = ledger.head()
    return head.seq if head else 0


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run: text starting with = + - @ (or tab/CR) gets a leading
    apostrophe (OWASP CSV injection advice); everything else is unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


_CSV_COLS = ["record", "seq", "at", "actor", "action", "subject", "details", "prev_hash", "hash"]


def export_text(db_path: Path, fmt: str, checkpoint_files: Sequence[Path]) -> str:
    """The whole audit log and the checkpoints (jsonl: one object a line with ``record`` =
    entry | checkpoint; csv: the same, spreadsheet-safe)."""
    rows = open_ledger(db_path, create=False, readonly=True).audit_entries()
    records: list[dict[str, Any]] = [{"record": "entry", **r} for r in rows]
    for f in checkpoint_files:
        for cp in read_checkpoints(f):
            records.append(
                {
                    "record": "checkpoint",
                    "seq": cp.seq,
                    "hash": cp.hash,
                    "at": cp.at,
                    "subject": cp.source,
                }
            )
    buf = io.StringIO()
    if fmt == "jsonl":
        for r in records:
            buf.write(json.dumps(r, ensure_ascii=False) + "\n")
        return buf.getvalue()
    w = csv.DictWriter(buf, fieldnames=[*_CSV_COLS, "mac"], extrasaction="ignore")
    w.writeheader()
    for r in records:
        w.writerow({k: spreadsheet_safe(v) for k, v in r.items()})
    return buf.getvalue()
