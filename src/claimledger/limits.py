"""Bounds on the work any input can cause (how many bytes we read from a file the user names)
and on how long we wait (for another ledger writer).

One knob, ``CLAIMLEDGER_MAX_INPUT_MB`` (default 25), caps copy documents, claims.yaml, PubMed
exports given to ``import`` and what a .docx may decompress to. A larger file is refused with a
clear ``Error:`` (exit 2) before it is parsed, so no input can take minutes or gigabytes.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path

from claimledger.errors import InputError

__all__ = [
    "DEFAULT_MAX_INPUT_MB",
    "busy_timeout",
    "env_number",
    "max_input_bytes",
    "read_capped",
    "too_large",
]

DEFAULT_MAX_INPUT_MB = 25.0


def env_number(
    name: str,
    default: float,
    *,
    minimum: float,
    maximum: float,
    integer: bool = False,
    above_minimum: bool = False,
    env: Mapping[str, str] | None = None,
) -> float:
    """The number in environment variable ``name`` (``default`` when unset or blank), refused
    with InputError unless it is finite and in [minimum, maximum] ((minimum, maximum] with
    ``above_minimum``), and whole when ``integer``: nan, inf, negatives and junk never pass."""
    raw = (os.environ if env is None else env).get(name, "")
    if not raw.strip():
        return default
    try:
        val = float(raw)
    except ValueError:
        val = math.nan
    low_ok = val > minimum if above_minimum else val >= minimum
    if not (low_ok and val <= maximum) or (integer and not val.is_integer()):
        what = "a whole number" if integer else "a number"
        raise InputError(f"{name} must be {what} from {minimum:g} to {maximum:g}, got {raw!r}")
    return val


def max_input_bytes() -> int:
    """The cap in bytes, from CLAIMLEDGER_MAX_INPUT_MB; nonsense values are refused."""
    mb = env_number(
        "CLAIMLEDGER_MAX_INPUT_MB",
        DEFAULT_MAX_INPUT_MB,
        minimum=0,
        maximum=4096,
        above_minimum=True,
    )
    return int(mb * 1024 * 1024)


def busy_timeout() -> float:
    """Seconds a ledger writer waits for another to finish (CLAIMLEDGER_BUSY_TIMEOUT, default
    30) before giving up with exit 5."""
    return env_number("CLAIMLEDGER_BUSY_TIMEOUT", 30.0, minimum=0, maximum=3600)


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
