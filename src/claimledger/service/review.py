"""Commands on grades and the human decisions on them: grade, show, review, approve.

One function per command; each takes the Session the CLI made and returns data to render.
Reading (`show`) never grades: it returns the grade the ledger recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from claimledger.ledger.audit import Checkpoint
from claimledger.library.claims import Claim
from claimledger.reports.dossier import Dossier, EvidenceRow
from claimledger.service import grading
from claimledger.service.checkpoints import (
    default_checkpoint_file,
    ensure_appendable,
    record_checkpoint,
)
from claimledger.service.session import Session

__all__ = [
    "Decision",
    "Signed",
    "Walk",
    "WalkStep",
    "approve",
    "grade",
    "review_set",
    "review_walk",
    "show",
]


def grade(session: Session, claim_ids: tuple[str, ...]) -> list[tuple[Dossier, bool]]:
    """`claimledger grade`: grade the chosen claims; each dossier with whether its grade changed."""
    library = session.library()
    chosen = library.select(claim_ids)
    ledger = session.ledger()
    changed = grading.grade_claims(library, ledger, [c.id for c in chosen], actor=session.actor)
    return [(grading.dossier(library, ledger, c), c.id in changed) for c in chosen]


def show(session: Session, claim_id: str) -> Dossier:
    """`claimledger show`: everything recorded about a claim (nothing is written)."""
    library = session.library()
    return grading.dossier(library, session.ledger(readonly=True), library.get(claim_id))


class WalkStep(StrEnum):
    SKIP = "skip"
    QUIT = "quit"


@dataclass(frozen=True)
class Decision:
    """A reviewer's stance for one article (reason needed when it overrides the machine's)."""

    stance: str
    reason: str | None = None


# (claim, row, index, total) -> the reviewer's decision, or skip/quit
Decide = Callable[[Claim, EvidenceRow, int, int], Decision | WalkStep]


@dataclass(frozen=True)
class Walk:
    claim: Claim
    pending: int
    decided: int


def review_walk(session: Session, claim_id: str, by: str, decide: Decide) -> Walk:
    """`claimledger review CLAIM`: ask ``decide`` about each unreviewed article, best evidence
    first; record each decision, then re-grade the claim."""
    library = session.library()
    claim = library.get(claim_id)
    ledger = session.ledger()
    pending = grading.unreviewed(ledger, claim)
    done = 0
    for i, row in enumerate(pending):
        step = decide(claim, row, i, len(pending))
        if step is WalkStep.QUIT:
            break
        if isinstance(step, WalkStep):
            continue
        grading.set_review(ledger, claim, row.article.pmid, step.stance, by, step.reason)
        done += 1
    if pending:
        grading.grade_claims(library, ledger, [claim.id], actor=by)
    return Walk(claim, len(pending), done)


def review_set(
    session: Session,
    claim_id: str,
    pmid: str,
    decision: Decision,
    by: str,
    level: str | None = None,
) -> Claim:
    """`claimledger review set`: record one decision without prompts, then re-grade the claim."""
    library = session.library()
    claim = library.get(claim_id)
    ledger = session.ledger()
    grading.set_review(ledger, claim, pmid, decision.stance, by, decision.reason, level=level)
    grading.grade_claims(library, ledger, [claim.id], actor=by)
    return claim


@dataclass(frozen=True)
class Signed:
    dossier: Dossier
    checkpoint: Checkpoint | None
    checkpoint_file: Path


def approve(
    session: Session,
    claim_id: str,
    by: str,
    note: str | None,
    *,
    meaning: str = "approved",
    acknowledge_provisional: bool = False,
    checkpoint_file: Path | None = None,
) -> Signed:
    """`claimledger approve`: sign the claim as graded (approved or rejected), bound to its
    version and current grade, then append the new audit head to the checkpoint file (checked
    writable first, so no approval is recorded whose checkpoint could not be kept)."""
    library = session.library()
    claim = library.get(claim_id)
    target = checkpoint_file or default_checkpoint_file(session.claims_path)
    ensure_appendable(target)
    ledger = session.ledger()
    d = grading.approve(
        library,
        ledger,
        claim,
        by,
        note,
        meaning=meaning,
        acknowledge_provisional=acknowledge_provisional,
    )
    return Signed(d, record_checkpoint(ledger, target), target)
