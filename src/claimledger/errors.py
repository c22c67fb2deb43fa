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
    "ParseError",
    "PubMedError",
]


class ExitStatus(IntEnum):
    """Documented exit codes (README, DESIGN.md)."""

    OK = 0
    FINDINGS = 1  # --fail-on / --exit-code asked for it and there were findings or changes
    INVALID_INPUT = 2  # usage error, invalid claims.yaml, unreadable file, unknown claim id
    PUBMED = 4  # PubMed unreachable or failing after retries
    BUSY = 5  # another refresh holds the ledger lock
    AUDIT_BROKEN = 6  # the audit chain does not verify


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


class LedgerBusyError(ClaimledgerError):
    """Another refresh holds the ledger lock."""

    exit_code = ExitStatus.BUSY


class AuditChainError(ClaimledgerError):
    """The audit log's hash chain does not verify."""

    exit_code = ExitStatus.AUDIT_BROKEN
