"""Commands that bring evidence in and prove the ledger intact: refresh, import, audit.

One function per command; each takes the Session the CLI made and returns data to render.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimledger.errors import InputError
from claimledger.ledger.audit import Checkpoint, append_checkpoint, audit_key, read_checkpoints
from claimledger.ledger.store import VerifyResult
from claimledger.reports.audit import render_audit
from claimledger.service import refresh as engine
from claimledger.service.checkpoints import default_checkpoint_file
from claimledger.service.session import Session

__all__ = [
    "VerifyReport",
    "audit_checkpoint",
    "audit_export",
    "audit_log",
    "audit_upgrade",
    "audit_verify",
    "checkpoint_files",
    "import_records",
    "refresh",
]

IMPORT_LOCK_WAIT = 30.0  # seconds an import queues behind a running refresh


def refresh(
    session: Session,
    *,
    claim_ids: tuple[str, ...] = (),
    full: bool = False,
    wait: float | None = None,
    progress: engine.Progress | None = None,
) -> engine.RefreshSummary:
    """`claimledger refresh`: pull new and changed records, then re-grade what changed.

    ``wait``: None fails at once when another writer holds the ledger, -1 waits forever, N waits
    N seconds."""
    library = session.library()
    library.select(claim_ids)  # unknown ids fail before anything else
    client = session.client()
    with session.writing(0 if wait is None else wait) as ledger:
        return engine.refresh(
            library,
            ledger,
            client,
            claim_ids=claim_ids,
            full=full,
            progress=progress,
            actor=session.actor,
        )


def import_records(session: Session, file: Path, claim_id: str) -> engine.ImportSummary:
    """`claimledger import`: file an export's records under a claim, then grade the claim."""
    library = session.library()
    claim = library.get(claim_id)
    if not file.is_file():
        raise InputError(f"cannot read {file}: no such file")
    parsed = engine.parse_import(file)  # before the lock: a large file never holds it
    with session.writing(IMPORT_LOCK_WAIT) as ledger:
        return engine.import_file(
            file, claim, ledger, actor=session.actor, library=library, parsed=parsed
        )


@dataclass(frozen=True)
class VerifyReport:
    result: VerifyResult
    checkpoint_files: tuple[Path, ...]
    head: Checkpoint | None
    unkeyed_note: bool  # entries carry MACs but no key was given


def checkpoint_files(session: Session, given: Sequence[Path]) -> tuple[Path, ...]:
    """The files given, else the default checkpoint file when it exists."""
    if given:
        return tuple(given)
    default = default_checkpoint_file(session.claims_path)
    return (default,) if default.is_file() else ()


def audit_verify(
    session: Session,
    checkpoint_files_given: Sequence[Path] = (),
    key_file: Path | None = None,
    *,
    backup: bool = False,
) -> VerifyReport:
    """`claimledger audit verify`: the chain, every bound row, every checkpoint and (with a key)
    every MAC, read-only; AuditChainError (exit 6) names the first problem."""
    key = audit_key(key_file)
    files = checkpoint_files(session, checkpoint_files_given)
    cps = [cp for f in files for cp in read_checkpoints(f)]
    ledger = session.ledger(readonly=True)
    result = ledger.verify_audit(cps, key=key, backup=backup)
    return VerifyReport(result, files, ledger.head(), ledger.has_macs() and not key)


def audit_checkpoint(session: Session, output: Path | None) -> Checkpoint:
    """`claimledger audit checkpoint`: the chain head (read-only), appended to ``output``."""
    head = session.ledger(readonly=True).head()
    if head is None:
        raise InputError(f"the audit log in {session.db_path} is empty: nothing to checkpoint")
    if output is not None:
        append_checkpoint(output, head)
    return head


def audit_upgrade(session: Session) -> int:
    """`claimledger audit upgrade`: migrate an older ledger (the migration writes the audited
    re-binding entry); returns the audit head's sequence number."""
    head = session.ledger().head()
    return head.seq if head else 0


def audit_log(session: Session, claim_id: str | None) -> list[dict[str, Any]]:
    """`claimledger audit log`: entries, oldest first (only those about one claim, if given)."""
    return session.ledger(readonly=True).audit_entries(claim_id)


def audit_export(session: Session, fmt: str, checkpoint_files_given: Sequence[Path] = ()) -> str:
    """`claimledger audit export`: the whole log with hashes and the checkpoints, as JSON Lines
    or spreadsheet-safe CSV."""
    files = checkpoint_files(session, checkpoint_files_given)
    cps = [cp for f in files for cp in read_checkpoints(f)]
    return render_audit(session.ledger(readonly=True).audit_entries(), fmt, cps)
