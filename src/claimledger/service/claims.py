"""Commands on the claims library: init, claims validate, claims list, claims add.

One function per command; each takes the Session the CLI made (init: a directory) and returns
data to render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claimledger.errors import ClaimledgerError, InputError
from claimledger.library.claims import (
    DEFAULT_TOPICS,
    Claim,
    ClaimsLibrary,
    append_claim,
    load_claims,
    skeleton,
)
from claimledger.service.session import Session

__all__ = ["add_claim", "init_library", "list_claims", "prompt_topics", "validate"]


def init_library(directory: Path, force: bool) -> Path:
    """`claimledger init`: a commented claims.yaml and an empty evidence/; returns the file."""
    target = directory / "claims.yaml"
    if target.exists() and not force:
        raise InputError(f"{target} already exists; pass --force to overwrite it")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "evidence").mkdir(exist_ok=True)
        target.write_text(skeleton(DEFAULT_TOPICS), encoding="utf-8")
    except OSError as ex:
        raise InputError(f"cannot create {target}: {ex.strerror or ex}") from None
    return target


def validate(session: Session) -> ClaimsLibrary:
    """`claimledger claims validate`: the library, or ClaimsFileError listing every problem."""
    return session.library()


def list_claims(session: Session, topic: str | None) -> list[Claim]:
    """`claimledger claims list`: the claims, optionally of one topic."""
    library = session.library()
    if topic is not None and topic not in library.topics:
        raise InputError(f'unknown topic "{topic}"; topics: {", ".join(library.topics)}')
    return [c for c in library.claims if topic is None or c.topic == topic]


def prompt_topics(session: Session) -> list[str]:
    """Topics to offer when prompting for a new claim (the defaults if the library is broken)."""
    try:
        return list(load_claims(session.claims_path).topics)
    except ClaimledgerError:
        return list(DEFAULT_TOPICS)


def add_claim(session: Session, fields: dict[str, Any]) -> Claim:
    """`claimledger claims add`: append a claim, validating the whole library first."""
    return append_claim(session.claims_path, fields)
