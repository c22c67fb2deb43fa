"""Our own exceptions. Each carries the exit code the CLI turns it into, in one place."""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "AuditChainError",
    "ClaimledgerError",
    "ClaimsFileError",
    "ExitStatus",
    "InputError",
    "LedgerBusyError",
    "LedgerError",
    "ParseError",
    "PubMedError",
]


class ExitStatus(IntEnum):
    """Documented exit codes (README, DESIGN.md)."""

    OK = 0
    FINDINGS = 1  # --fail-on / --exit-code asked for it and there were findings or changes
    INVALID_INPUT = 2  # usage error, invalid claims.yaml, unreadable file, unknown claim id
    LEDGER = 3  # the ledger cannot be read or written: disk full, read-only, corrupt, no access
    PUBMED = 4  # PubMed unreachable or failing after retries
    BUSY = 5  # another command holds the ledger lock or is writing to the ledger
    AUDIT_BROKEN = 6  # the audit chain does not verify
    INTERRUPTED = 130  # Ctrl-C (SIGINT), as shells report 128 + 2
    OUTPUT_CLOSED = 141  # stdout closed early (| head), as shells report 128 + SIGPIPE


class ClaimledgerError(Exception):
    """An expected failure; ``str(self)`` is shown to the user as ``Error: ...``."""

    exit_code: int = ExitStatus.INVALID_INPUT
    #: lines printed to stderr before the one-line ``Error: ...`` (e.g. every validation problem)
    details: tuple[str, ...] = ()


class InputError(ClaimledgerError):
    """Bad input from the user: unknown claim id, unreadable file, bad option value."""


class ClaimsFileError(ClaimledgerError):
    """claims.yaml is missing or invalid; ``problems`` lists every problem found."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.details = tuple(problems)
        n = len(problems)
        super().__init__(f"{path} has {n} problem{'s' if n != 1 else ''}; nothing was written")


class ParseError(ClaimledgerError):
    """A PubMed XML or MEDLINE file is malformed, truncated or hostile."""


class PubMedError(ClaimledgerError):
    """E-utilities failed after retries, or refused the request."""

    exit_code = ExitStatus.PUBMED


class LedgerError(ClaimledgerError):
    """The ledger file cannot be read or written (disk full, read-only, corrupt, no access)."""

    exit_code = ExitStatus.LEDGER


class LedgerBusyError(ClaimledgerError):
    """Another command holds the ledger lock, or kept writing past the busy timeout."""

    exit_code = ExitStatus.BUSY


class AuditChainError(ClaimledgerError):
    """The audit log's hash chain does not verify."""

    exit_code = ExitStatus.AUDIT_BROKEN
