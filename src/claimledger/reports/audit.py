"""The audit log as an export file (JSON Lines or CSV), hashes and checkpoints included so it can
be verified elsewhere. Pure: rows in, text out.

CSV is opened in spreadsheets, so its cells go through reports.safe.csv_row (a cell that would
run as a formula gets a leading apostrophe). JSON Lines is left exact.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from claimledger.ledger.audit import Checkpoint
from claimledger.reports.safe import csv_row

__all__ = ["AUDIT_COLUMNS", "render_audit"]

AUDIT_COLUMNS = (
    "record",
    "seq",
    "at",
    "actor",
    "action",
    "subject",
    "details",
    "prev_hash",
    "hash",
    "mac",
)


def render_audit(
    rows: Sequence[dict[str, Any]], fmt: str, checkpoints: Sequence[Checkpoint] = ()
) -> str:
    """Every entry (``record`` = entry), then every checkpoint (``record`` = checkpoint, with its
    file and line as ``subject``)."""
    records: list[dict[str, Any]] = [{"record": "entry", **r} for r in rows]
    records += [
        {"record": "checkpoint", "seq": cp.seq, "hash": cp.hash, "at": cp.at, "subject": cp.source}
        for cp in checkpoints
    ]
    buf = io.StringIO()
    if fmt == "jsonl":
        for r in records:
            buf.write(json.dumps(r, ensure_ascii=False) + "\n")
        return buf.getvalue()
    w = csv.DictWriter(buf, fieldnames=list(AUDIT_COLUMNS), extrasaction="ignore")
    w.writeheader()
    for r in records:
        w.writerow(csv_row(r))
    return buf.getvalue()
