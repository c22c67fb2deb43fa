"""The audit log as an export file (JSON Lines or CSV), hashes and checkpoints included so it can
be verified elsewhere. Pure: rows in, text out.

CSV is opened in spreadsheets: a cell starting with = + - @ (or tab, CR) would run as a formula,
so it gets a leading apostrophe (OWASP's advice on CSV injection). JSON Lines is left exact.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from claimledger.ledger.audit import Checkpoint

__all__ = ["AUDIT_COLUMNS", "render_audit", "spreadsheet_safe"]

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
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, with a leading apostrophe; else unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
        w.writerow({k: spreadsheet_safe(v) for k, v in r.items()})
    return buf.getvalue()
