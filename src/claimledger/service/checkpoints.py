"""Where checkpoints (audit chain heads kept outside the ledger) are written and found.

The default file sits beside claims.yaml, so an organisation can keep it in git or its document
system, away from the ledger's writers.
"""

from __future__ import annotations

import os
from pathlib import Path

from claimledger.errors import InputError
from claimledger.ledger.audit import Checkpoint, append_checkpoint
from claimledger.ledger.store import Ledger

__all__ = [
    "CHECKPOINTS_ENV",
    "default_checkpoint_file",
    "ensure_appendable",
    "record_checkpoint",
]

CHECKPOINTS_ENV = "CLAIMLEDGER_CHECKPOINTS"
CHECKPOINTS_NAME = "audit-checkpoints.txt"


def default_checkpoint_file(claims_path: Path) -> Path:
    """CLAIMLEDGER_CHECKPOINTS, else audit-checkpoints.txt beside claims.yaml."""
    env = os.environ.get(CHECKPOINTS_ENV)
    return Path(env) if env else claims_path.parent / CHECKPOINTS_NAME


def ensure_appendable(path: Path) -> None:
    """Fail before a write (an approval) whose checkpoint could not be kept afterwards."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as ex:
        raise InputError(f"cannot write the checkpoint file {path}: {ex.strerror or ex}") from None


def record_checkpoint(ledger: Ledger, output: Path) -> Checkpoint | None:
    """Append the head of an open ledger (after a write such as an approval) to ``output``."""
    head = ledger.head()
    if head is not None:
        append_checkpoint(output, head)
    return head
