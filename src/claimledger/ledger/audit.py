"""The audit log's hash chain: pure functions to hash entries and rows, verify a chain, and
read and write checkpoint files.

Each entry's hash covers its own content and the previous entry's hash, so editing, deleting or
reordering any row breaks every hash after it. Entries also carry the content hash of every
ledger row they wrote (``details["rows"]``), so a data row edited, inserted or deleted outside
claimledger no longer matches the chain. A chain can be rewritten consistently by anyone with
write access, which is what checkpoints (heads kept outside the file) and the optional HMAC key
(kept outside the ledger) are for. The store writes entries; this module only computes.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from claimledger.errors import InputError

__all__ = [
    "ACTOR_ENV",
    "GENESIS",
    "ChainBreak",
    "Checkpoint",
    "append_checkpoint",
    "audit_key",
    "declared_actor",
    "declares_key",
    "entry_hash",
    "entry_mac",
    "in_the_future",
    "os_user",
    "read_checkpoints",
    "row_hash",
    "verify_chain",
]

GENESIS = "0" * 64
#: how far an entry's time may be ahead of the clock reading it (clocks of machines sharing a
#: ledger differ a little; a day ahead is a wrong clock or a forged entry)
CLOCK_SKEW = timedelta(days=1)
_FIELDS = ("seq", "at", "actor", "action", "subject", "details", "prev_hash")
_TEXT_FIELDS = ("at", "actor", "action", "subject", "details", "prev_hash", "hash")
KEY_ENV = "CLAIMLEDGER_AUDIT_KEY"
KEY_FILE_ENV = "CLAIMLEDGER_AUDIT_KEY_FILE"


def entry_hash(entry: Mapping[str, Any]) -> str:
    """sha256 of the entry's canonical JSON (the fields in _FIELDS, nothing else)."""
    payload = json.dumps(
        {k: entry[k] for k in _FIELDS}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_mac(key: bytes, entry_hash_hex: str) -> str:
    """HMAC-SHA256 of an entry's hash (which already covers the previous entry's hash)."""
    return hmac.new(key, entry_hash_hex.encode("ascii"), hashlib.sha256).hexdigest()


def row_hash(row: Mapping[str, Any]) -> str:
    """sha256 of a ledger row's canonical JSON. NULL columns are left out, so a nullable column
    added by a later migration does not change the hash of rows written before it; blobs are
    hashed by their own sha256."""
    clean: dict[str, Any] = {}
    for k, v in row.items():
        if v is None:
            continue
        clean[k] = {"sha256": hashlib.sha256(v).hexdigest()} if isinstance(v, bytes) else v
    payload = json.dumps(clean, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


ACTOR_ENV = "CLAIMLEDGER_ACTOR"


def declared_actor(given: str | None = None) -> str:
    """The name every audit entry is written under, by one rule: the name given (the CLI's
    --actor, or --by for a reviewer or approver), else CLAIMLEDGER_ACTOR, else the OS account
    (``os_user``), which is recorded beside the name either way. A declared name is one
    printable line (`audit log` prints it), as --by is."""
    for name, source in ((given, "--actor"), (os.environ.get(ACTOR_ENV), ACTOR_ENV)):
        name = (name or "").strip()
        if len(name) > 200 or any(not ch.isprintable() for ch in name):
            raise InputError(
                f"{source} must be a printed name on one line (at most 200 characters)"
            )
        if name:
            return name
    return os_user()


def os_user() -> str:
    """The operating-system account recorded beside every declared name: on POSIX the account
    the process runs as (getpass.getuser() would believe LOGNAME or USER, which anyone can
    set); not overridable by CLAIMLEDGER_ACTOR, which only sets the declared name."""
    if hasattr(os, "geteuid"):
        import pwd

        try:
            return pwd.getpwuid(os.geteuid()).pw_name
        except KeyError:  # no passwd entry in some containers
            return f"uid:{os.geteuid()}"
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def audit_key(key_file: Path | None = None) -> bytes | None:
    """The HMAC key, from ``key_file``, CLAIMLEDGER_AUDIT_KEY_FILE or CLAIMLEDGER_AUDIT_KEY.

    The key is a secret: it never reaches the ledger, logs or error messages (errors name only
    the file)."""
    path = key_file or (Path(os.environ[KEY_FILE_ENV]) if os.environ.get(KEY_FILE_ENV) else None)
    if path is not None:
        try:
            key = path.read_bytes().strip()
        except OSError as ex:
            raise InputError(f"cannot read the audit key file {path}: {ex.strerror}") from None
        if not key:
            raise InputError(f"the audit key file {path} is empty")
        return key
    env = os.environ.get(KEY_ENV, "")
    return env.encode("utf-8") if env else None


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def _parse_at(at: str) -> datetime | None:
    """An ISO time with its time zone (naive times cannot be ordered against zoned ones)."""
    try:
        t = datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return None
    return t if t.tzinfo is not None else None


def in_the_future(at: str, now: datetime | None = None) -> bool:
    """Whether an entry's time is more than CLOCK_SKEW after ``now`` (default: the clock)."""
    t = _parse_at(at)
    return t is not None and t > (now or datetime.now(UTC)) + CLOCK_SKEW


def _entry_problem(
    e: Mapping[str, Any], expected_seq: int, prev: str, last_at: datetime | None
) -> str | None:
    if e["seq"] != expected_seq:
        return f"sequence jumps from {expected_seq - 1} to {e['seq']}"
    not_text = [k for k in _TEXT_FIELDS if not isinstance(e[k], str)]
    if not_text:
        return f"{not_text[0]} is not text (the entry was edited)"
    if e["prev_hash"] != prev:
        return "previous-hash link does not match the entry before it"
    if entry_hash(e) != e["hash"]:
        return "content does not match its hash (the entry was edited)"
    at = _parse_at(e["at"])
    if at is None:
        return f"time stamp {e['at']!r} is not an ISO time with a time zone"
    if last_at is not None and at < last_at:
        return f"time stamp {e['at']} is earlier than the entry before it (backdated or reordered)"
    if in_the_future(e["at"]):
        return f"time stamp {e['at']} is in the future (a wrong clock, or a forged entry)"
    return None


def declares_key(e: Mapping[str, Any]) -> bool:
    """Whether the entry says (inside its hashed content) that it was written with the key."""
    try:
        return json.loads(e["details"]).get("keyed") is True
    except (ValueError, AttributeError, TypeError):
        return False


def _keyed_problem(e: Mapping[str, Any], declared_seen: bool) -> str | None:
    """Checkable without the key: an entry written with the key keeps its MAC, and so do all
    after it (MACs are outside the hash, so they could otherwise be stripped unnoticed)."""
    if not (declared_seen or declares_key(e)):
        return None
    if not declares_key(e):
        return "was written without the key although earlier entries were written with it"
    if not e.get("mac"):
        return "was written with the key but its MAC was removed"
    return None


def _mac_problem(e: Mapping[str, Any], key: bytes | None, keyed_seen: bool) -> str | None:
    if key is None:
        return None
    mac = e.get("mac")
    if not mac:
        return (
            "has no MAC although earlier entries are keyed (written without the key)"
            if (keyed_seen)
            else None
        )
    if not hmac.compare_digest(str(mac), entry_mac(key, e["hash"])):
        return "MAC does not match (rewritten, or verified with the wrong key)"
    return None


def verify_chain(
    entries: Iterable[Mapping[str, Any]], key: bytes | None = None
) -> tuple[int, ChainBreak | None]:
    """Walk the entries in seq order; return (entries checked, first break or None).

    Checks the sequence, the previous-hash links, each entry's hash, that time stamps never go
    backwards and, with ``key``, each entry's HMAC (every entry from the first keyed one on must
    carry a valid MAC; a key given to a chain with no keyed entry at all is a break)."""
    prev, expected_seq, n = GENESIS, 1, 0
    last_at: datetime | None = None
    keyed_seen = declared_seen = False
    for e in entries:
        n += 1
        problem = (
            _entry_problem(e, expected_seq, prev, last_at)
            or _keyed_problem(e, declared_seen)
            or _mac_problem(e, key, keyed_seen)
        )
        if problem:
            return n, ChainBreak(e["seq"], problem)
        keyed_seen = keyed_seen or bool(e.get("mac"))
        declared_seen = declared_seen or declares_key(e)
        prev, last_at, expected_seq = e["hash"], _parse_at(e["at"]), expected_seq + 1
    if key is not None and n and not keyed_seen:
        return n, ChainBreak(n, "a key was given but no entry carries a MAC (MACs stripped?)")
    return n, None


# --- checkpoints ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A chain head recorded outside the ledger: ``SEQ HASH AT`` on one line of a text file."""

    seq: int
    hash: str
    at: str = ""
    source: str = ""  # file:line, for messages

    def line(self) -> str:
        return f"{self.seq} {self.hash} {self.at}".rstrip()


def append_checkpoint(path: Path, cp: Checkpoint) -> None:
    """Append one checkpoint line (the file is created with its parent directory)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(cp.line() + "\n")
    except OSError as ex:
        raise InputError(f"cannot write the checkpoint file {path}: {ex.strerror or ex}") from None


_SEQ = re.compile(r"[0-9]{1,18}")  # ASCII digits that fit SQLite's integer
_HASH = re.compile(r"[0-9a-fA-F]{64}")


def _parse_lines(path: Path, text: str) -> Iterator[Checkpoint]:
    for i, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) < 2 or not _SEQ.fullmatch(parts[0]) or not _HASH.fullmatch(parts[1]):
            raise InputError(f"{path} line {i} is not a checkpoint (expected: SEQ HASH [TIME])")
        at = parts[2] if len(parts) > 2 else ""
        yield Checkpoint(int(parts[0]), parts[1].lower(), at, f"{path}:{i}")


def read_checkpoints(path: Path) -> list[Checkpoint]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from a Windows editor is fine
    except (OSError, UnicodeDecodeError) as ex:
        why = getattr(ex, "strerror", None) or ex
        raise InputError(f"cannot read the checkpoint file {path}: {why}") from None
    return list(_parse_lines(path, text))
