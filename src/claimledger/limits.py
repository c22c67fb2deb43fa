"""Bounds on the work any input can cause (how many bytes we read from a file the user names)
and on how long we wait (for another ledger writer).

One knob, ``CLAIMLEDGER_MAX_INPUT_MB`` (default 25), caps copy documents, claims.yaml, PubMed
exports given to ``import`` and what a .docx may decompress to. A larger file is refused with a
clear ``Error:`` (exit 2) before it is parsed, so no input can take minutes or gigabytes.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from claimledger.errors import InputError

__all__ = ["DEFAULT_MAX_INPUT_MB", "busy_timeout", "max_input_bytes", "read_capped", "too_large"]

DEFAULT_MAX_INPUT_MB = 25.0


def max_input_bytes() -> int:
    """The cap in bytes, from CLAIMLEDGER_MAX_INPUT_MB; nonsense values are refused."""
    raw = os.environ.get("CLAIMLEDGER_MAX_INPUT_MB", "").strip()
    if not raw:
        return int(DEFAULT_MAX_INPUT_MB * 1024 * 1024)
    try:
        mb = float(raw)
    except ValueError:
        mb = math.nan
    if not (0 < mb <= 4096):
        raise InputError(f"CLAIMLEDGER_MAX_INPUT_MB must be a number from 0 to 4096, got {raw!r}")
    return int(mb * 1024 * 1024)


def busy_timeout() -> float:
    """Seconds a ledger writer waits for another to finish (CLAIMLEDGER_BUSY_TIMEOUT, default
    30) before giving up with exit 5."""
    raw = os.environ.get("CLAIMLEDGER_BUSY_TIMEOUT", "").strip()
    if not raw:
        return 30.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (0 <= seconds <= 3600):
        raise InputError(f"CLAIMLEDGER_BUSY_TIMEOUT must be a number from 0 to 3600, got {raw!r}")
    return seconds


def too_large(path: Path | str, size: int, what: str = "file") -> InputError:
    cap = max_input_bytes()
    return InputError(
        f"cannot read {path}: the {what} is {size / 1048576:.1f} MB, over the "
        f"{cap / 1048576:g} MB limit (raise CLAIMLEDGER_MAX_INPUT_MB to allow it)"
    )


def read_capped(path: Path) -> bytes:
    """The file's bytes, or InputError if it is larger than the cap (checked before reading)."""
    cap = max_input_bytes()
    with path.open("rb") as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise too_large(path, max(len(data), path.stat().st_size))
    return data
