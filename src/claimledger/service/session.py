"""The session a command runs in: made once by the CLI, passed to one service function.

It holds the paths, the actor, the clock, and opens what a command needs on first use: the claims
library, the ledger (closed with the session), the writer lock and the E-utilities client.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from claimledger.clock import SYSTEM_CLOCK, Clock
from claimledger.errors import ClaimledgerError, LedgerBusyError
from claimledger.ledger.audit import declared_actor  # the one rule naming who writes

if TYPE_CHECKING:  # the modules themselves load on first use, so `--help` stays quick
    from filelock import FileLock

    from claimledger.ledger.store import Ledger
    from claimledger.library.claims import ClaimsLibrary
    from claimledger.pubmed.eutils import EutilsClient

__all__ = [
    "Session",
    "declared_actor",
    "find_claims",
    "ledger_failure",
    "ledger_lock",
    "resolve_paths",
]


CLAIMS_FILE = "claims.yaml"
LEDGER_BESIDE_CLAIMS = Path("evidence") / "ledger.db"


def find_claims(start: Path) -> Path | None:
    """claims.yaml in ``start`` or the nearest folder above it that has one, as git finds its
    repository; relative to ``start`` when it can be (messages stay short)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / CLAIMS_FILE
        if candidate.is_file():
            try:
                return Path(os.path.relpath(candidate, here))
            except ValueError:  # another drive
                return candidate
    return None


def resolve_paths(claims: Path | None, db: Path | None, cwd: Path) -> tuple[Path, Path]:
    """The claims library and ledger a command uses. Not given: claims.yaml is looked for here
    and in the folders above; the ledger is evidence/ledger.db beside the claims file."""
    if claims is None:
        claims = find_claims(cwd) or Path(CLAIMS_FILE)
    if db is None:
        db = claims.parent / LEDGER_BESIDE_CLAIMS
    return claims, db


def ledger_failure(ex: BaseException, db_path: Path) -> ClaimledgerError | None:
    """A database failure (disk full, read-only, damaged, busy) in words, with its exit code;
    None when ``ex`` is not one."""
    from claimledger.ledger.failures import explain_any

    return explain_any(ex, str(db_path))


#: seconds a grade, review or approval waits for a running refresh before upgrading an older
#: ledger (then exit 5, the ledger as it was)
UPGRADE_LOCK_WAIT = 30.0


def ledger_lock(db_path: str | Path, wait: float) -> FileLock:
    """Acquire the writer lock beside the ledger (wait seconds; -1 forever); busy → exit 5."""
    from filelock import FileLock, Timeout

    # the lock sits beside the real file: a symlinked --db or another spelling of the same path
    # takes the same lock
    real = Path(db_path).resolve()
    real.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(f"{real}.lock")
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        queue = " or pass --wait to queue behind it" if wait == 0 else ""
        raise LedgerBusyError(
            f"another refresh is writing to {os.fspath(db_path)}; try again later{queue}"
        ) from None
    return lock


@dataclass
class Session:
    """Settings, ledger path, lock, ledger, E-utilities client and actor for one command."""

    claims_path: Path
    db_path: Path
    clock: Clock = SYSTEM_CLOCK
    actor: str = field(default_factory=declared_actor)
    _library: ClaimsLibrary | None = field(default=None, init=False, repr=False)
    _ledger: Ledger | None = field(default=None, init=False, repr=False)
    _locked: bool = field(default=False, init=False, repr=False)  # this session holds the lock

    def library(self) -> ClaimsLibrary:
        """The claims library, loaded and validated once."""
        if self._library is None:
            from claimledger.library.claims import load_claims

            self._library = load_claims(self.claims_path)
        return self._library

    def has_ledger(self) -> bool:
        return self._ledger is not None or self.db_path.exists()

    def ledger(self, *, create: bool = False, readonly: bool = False) -> Ledger:
        """The ledger (a missing one is an input error unless ``create``), opened once;
        ``readonly`` opens it with SQLite's mode=ro and never migrates it (reading commands)."""
        if self._ledger is not None and self._ledger.readonly and not readonly:
            self.close()  # a writer after a reader: reopen read-write
        if self._ledger is None:
            from claimledger.ledger.store import needs_upgrade, open_ledger

            # an older ledger is migrated by one writer at a time, as refresh does inside its
            # lock; grade, review and approve take the lock only for that, so they never make
            # a scheduled refresh busy
            upgrading = not readonly and not self._locked and needs_upgrade(self.db_path)
            lock = ledger_lock(self.db_path, UPGRADE_LOCK_WAIT) if upgrading else None
            try:
                self._ledger = open_ledger(
                    self.db_path,
                    create=create and not readonly,
                    readonly=readonly,
                    actor=self.actor,
                )
            finally:
                if lock is not None:
                    lock.release()
        return self._ledger

    def client(self) -> EutilsClient:
        """An E-utilities client configured from the environment, on the session's clock."""
        from claimledger.pubmed.eutils import client_from_env

        return client_from_env(clock=self.clock)

    @contextmanager
    def writing(self, wait: float) -> Iterator[Ledger]:
        """Hold the writer lock (wait seconds, -1 forever, 0 fail at once) with the ledger open."""
        lock = ledger_lock(self.db_path, wait)
        self._locked = True
        try:
            yield self.ledger(create=True)
        finally:
            self._locked = False
            lock.release()

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None
