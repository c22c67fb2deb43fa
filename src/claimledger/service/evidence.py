"""Commands that bring evidence in and prove the ledger intact: refresh, import, audit.

One function per command; each takes the Session the CLI made and returns data to render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claimledger.errors import InputError
from claimledger.reports.audit import render_audit
from claimledger.service import refresh as engine
from claimledger.service.session import Session

__all__ = ["audit_export", "audit_log", "audit_verify", "import_records", "refresh"]

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
    with session.writing(IMPORT_LOCK_WAIT) as ledger:
        return engine.import_file(file, claim, ledger, actor=session.actor, library=library)


def audit_verify(session: Session) -> int:
    """`claimledger audit verify`: the number of entries verified (AuditChainError if broken)."""
    return session.ledger().verify_audit()


def audit_log(session: Session, claim_id: str | None) -> list[dict[str, Any]]:
    """`claimledger audit log`: entries, oldest first (only those about one claim, if given)."""
    return session.ledger().audit_entries(claim_id)


def audit_export(session: Session, fmt: str) -> str:
    """`claimledger audit export`: the whole log with hashes, as JSON Lines or CSV text."""
    return render_audit(session.ledger().audit_entries(), fmt)
