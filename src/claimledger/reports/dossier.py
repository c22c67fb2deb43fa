"""A claim's dossier: the records `show`, `approve` and the reports render. Data only: the
service fills it from the ledger; nothing here reads the ledger or grades."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from claimledger.assess.grading import EvidenceItem
from claimledger.ledger.store import SearchRecord
from claimledger.library.claims import Claim
from claimledger.model import (
    NOT_GRADED_LABEL,
    Approval,
    DesignLevel,
    GradeRecord,
    MethodOrigin,
    StanceLabel,
    TraceStep,
)
from claimledger.pubmed.records import Article

__all__ = ["Counts", "Dossier", "EvidenceRow", "level_counts"]


@dataclass(frozen=True)
class EvidenceRow:
    """One linked article with its current (reviewer-over-machine) assessment, for display."""

    article: Article
    origin: str
    design_level: DesignLevel
    design_basis: str
    population: str
    sample_size: int | None
    stance: StanceLabel
    confidence: float | None
    anchor_text: str | None
    anchor_start: int | None
    anchor_end: int | None
    method: str  # auto:..., reviewer:NAME, or "none" (not assessed for this claim version yet)
    rationale: str | None
    machine_stance: StanceLabel | None
    flags: tuple[str, ...]
    deleted: bool
    indirect: tuple[str, ...] | None = (
        None  # the assessment's stored indirectness (None: older row)
    )

    @property
    def assessed_by(self) -> MethodOrigin:
        return MethodOrigin.of(self.method)

    def item(self) -> EvidenceItem:
        """The row as the rubric reads it. Indirectness (which lowers the weight) comes from the
        assessment's own column; machine assessments written before that column existed carry it
        in their rationale ("...; indirect: a | b")."""
        indirect: tuple[str, ...] = self.indirect or ()
        if (
            self.indirect is None
            and self.rationale
            and "indirect: " in self.rationale
            and not self.method.startswith("reviewer:")
        ):
            indirect = tuple(self.rationale.split("indirect: ", 1)[1].split(" | "))
        return EvidenceItem(
            indirect=indirect,
            sample_size=self.sample_size,
            year=self.article.year,
            flags=self.flags,
            pmid=self.article.pmid,
            level=self.design_level,
            population=self.population,
            stance=self.stance,
            method=self.method,
            retracted=self.article.retracted,
            deleted=self.deleted,
            expression_of_concern=self.article.expression_of_concern,
        )


Counts = dict[str, dict[str, int]]


def level_counts(rows: list[EvidenceRow]) -> Counts:
    """A tally of the assessed evidence by design level (animal studies count as L5), for display:
    what the grade was decided from is the stored grade's rule trace."""
    counts: Counts = {
        str(lvl): {str(s): 0 for s in StanceLabel if s is not StanceLabel.NOT_RELEVANT}
        for lvl in DesignLevel
    }
    for r in rows:
        if (
            r.deleted
            or r.article.retracted
            or r.stance is StanceLabel.NOT_RELEVANT
            or r.assessed_by is MethodOrigin.NONE
        ):
            continue
        lvl = DesignLevel.L5 if r.population == "animals" else r.design_level
        counts[str(lvl)][str(r.stance)] += 1
    return counts


@dataclass
class Dossier:
    """Everything the ledger recorded about a claim, for `show`, `approve` and reports."""

    claim: Claim
    grade: GradeRecord | None  # None: not graded yet (for this claim version)
    rows: list[EvidenceRow]
    counts: Counts
    last_refresh: str | None
    stale: bool
    approval: Approval | None
    approval_status: str  # none | current | stale (claim changed) | stale (evidence changed)
    searches: list[SearchRecord] = field(default_factory=list)
    # the last import, when no refresh ever ran for the claim (its evidence is dated by it then)
    last_import: str | None = None

    @property
    def evidence_date(self) -> str:
        """When the evidence was last brought up to date, in words."""
        if self.last_refresh or not self.last_import:
            return self.last_refresh or "never"
        return f"never (last import {self.last_import})"

    @property
    def grade_label(self) -> str:
        return self.grade.label if self.grade else NOT_GRADED_LABEL

    @property
    def provisional(self) -> bool:
        return self.grade.provisional if self.grade else False

    @property
    def trace(self) -> tuple[TraceStep, ...]:
        return self.grade.trace if self.grade else ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim.to_dict(),
            "grade": {**self.grade.to_dict(), "counts": self.counts} if self.grade else None,
            "grade_label": self.grade_label,
            "stale": self.stale,
            "last_refresh": self.last_refresh,
            "last_import": self.last_import,
            "approval": self.approval.to_dict() if self.approval else None,
            "approval_status": self.approval_status,
            "evidence": [
                {
                    "pmid": r.article.pmid,
                    "title": r.article.title,
                    "year": r.article.year,
                    "journal": r.article.journal_abbrev or r.article.journal,
                    "design_level": r.design_level,
                    "population": r.population,
                    "sample_size": r.sample_size,
                    "stance": r.stance,
                    "confidence": r.confidence,
                    "method": r.method,
                    "machine_stance": r.machine_stance,
                    "anchor": r.anchor_text,
                    "flags": list(r.flags),
                    "origin": r.origin,
                }
                for r in self.rows
            ],
            "searches": [
                {
                    "stage": s.stage,
                    "term": s.term,
                    "query_translation": s.query_translation,
                    "count": s.count,
                    "retrieved": s.retrieved,
                    "searched_at": s.searched_at,
                }
                for s in self.searches
            ],
        }
