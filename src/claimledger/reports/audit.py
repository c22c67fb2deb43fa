"""The audit log as an export file (JSON Lines or CSV), hashes included so it can be verified
elsewhere. Pure: rows in, text out."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["AUDIT_COLUMNS", "render_audit"]

AUDIT_COLUMNS = ("seq", "at", "actor", "action", "subject", "details", "prev_hash", "hash")


def render_audit(rows: Sequence[dict[str, Any]], fmt: str) -> str:
    buf = io.StringIO()
    if fmt == "jsonl":
        for r in rows:
            buf.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        w = csv.DictWriter(buf, fieldnames=list(AUDIT_COLUMNS))
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()
