"""The audit log's hash chain: pure functions to hash an entry and verify a chain.

Each entry's hash covers its own content and the previous entry's hash, so editing, deleting or
reordering any row breaks every hash after it. The store writes entries; this module only computes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["GENESIS", "ChainBreak", "entry_hash", "verify_chain"]

GENESIS = "0" * 64
_FIELDS = ("seq", "at", "actor", "action", "subject", "details", "prev_hash")


def entry_hash(entry: Mapping[str, Any]) -> str:
    """sha256 of the entry's canonical JSON (the fields in _FIELDS, nothing else)."""
    payload = json.dumps(
        {k: entry[k] for k in _FIELDS}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(entries: Iterable[Mapping[str, Any]]) -> tuple[int, ChainBreak | None]:
    """Walk the entries in seq order; return (entries checked, first break or None)."""
    prev = GENESIS
    expected_seq = 1
    n = 0
    for e in entries:
        n += 1
        if e["seq"] != expected_seq:
            return n, ChainBreak(e["seq"], f"sequence jumps from {expected_seq - 1} to {e['seq']}")
        if e["prev_hash"] != prev:
            return n, ChainBreak(e["seq"], "previous-hash link does not match the entry before it")
        if entry_hash(e) != e["hash"]:
            return n, ChainBreak(e["seq"], "content does not match its hash (the entry was edited)")
        prev = e["hash"]
        expected_seq += 1
    return n, None
