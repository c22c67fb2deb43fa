"""SQLite failures in words a user can act on, each with its documented exit code.

Every sqlite3 error that reaches the command line passes through ``explain`` (cli/__init__.py):
busy → exit 5; disk full, read-only, corrupt or inaccessible ledger → exit 3. Never a traceback.
"""

from __future__ import annotations

import os
import sqlite3

from claimledger.errors import ClaimledgerError, LedgerBusyError, LedgerError

__all__ = ["explain", "explain_any"]

_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_FULL = ("SQLITE_FULL",)
_READONLY = ("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")
_CORRUPT = ("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_FORMAT")
_CANTOPEN = ("SQLITE_CANTOPEN",)
_IOERR = ("SQLITE_IOERR",)


def _code(ex: sqlite3.Error) -> str:
    name = getattr(ex, "sqlite_errorname", None) or ""
    if name:
        return str(name)
    msg = str(ex).lower()  # older Pythons, or errors raised before SQLite gave a code
    for needle, code in (
        ("locked", "SQLITE_BUSY"),
        ("busy", "SQLITE_BUSY"),
        ("full", "SQLITE_FULL"),
        ("readonly", "SQLITE_READONLY"),
        ("read-only", "SQLITE_READONLY"),
        ("malformed", "SQLITE_CORRUPT"),
        ("not a database", "SQLITE_NOTADB"),
        ("unable to open", "SQLITE_CANTOPEN"),
        ("disk i/o", "SQLITE_IOERR"),
    ):
        if needle in msg:
            return code
    return ""


def _disk_full(path: str) -> bool:
    """Is there (next to) no room left where the ledger lives? SQLite then fails in many ways
    (SQLITE_FULL, or an I/O error growing its shared-memory file)."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def _read_only(path: str) -> bool:
    """Is the ledger's folder on a read-only file system, or not writable by us?"""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except OSError:
        return False


def explain_any(ex: BaseException, path: str) -> ClaimledgerError | None:
    """``explain`` for a SQLite error, None for anything else (so callers need no sqlite3)."""
    return explain(ex, path) if isinstance(ex, sqlite3.Error) else None


def explain(ex: sqlite3.Error, path: str) -> ClaimledgerError:
    """The user-facing error for a SQLite failure on the ledger at ``path``."""
    code = _code(ex)
    if code.startswith(_BUSY):
        return LedgerBusyError(
            f"the ledger {path} is busy: another claimledger command kept writing to it past the "
            "busy timeout; nothing was written, try again"
        )
    if code.startswith(_FULL) or (code.startswith(_CANTOPEN + _IOERR) and _disk_full(path)):
        return LedgerError(
            f"the disk holding {path} is full; nothing was written (free space, then run again)"
        )
    if code.startswith(_READONLY) or (code.startswith(_CANTOPEN + _IOERR) and _read_only(path)):
        return LedgerError(
            f"the ledger {path} is read-only here; nothing was written (check the permissions "
            "of the file and of its folder, which SQLite writes its journal into)"
        )
    if code == "SQLITE_NOTADB":
        return LedgerError(
            f"{path} is not a SQLite database: not a claimledger ledger, or damaged beyond "
            "reading; point --db at the ledger, or restore it from a backup"
        )
    if code.startswith(_CORRUPT):
        return LedgerError(
            f"the ledger {path} is damaged (SQLite reports {code or 'corruption'}); restore it "
            "from a backup (see README: the ledger, and backing it up)"
        )
    if code.startswith(_CANTOPEN):
        return LedgerError(f"cannot open the ledger {path}; check the path and its permissions")
    if code.startswith(_IOERR):
        return LedgerError(
            f"SQLite could not read or write the ledger {path} ({code}); check the disk"
        )
    return LedgerError(f"the ledger {path} failed: {code or type(ex).__name__}")
