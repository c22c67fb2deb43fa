"""The values and records every layer shares: design levels, stances, grades, method origins.

StrEnums keep the exact strings the ledger has always stored ("L2", "not-relevant",
"contested", "reviewer:NAME"), so old ledgers read back unchanged. This module imports nothing
from claimledger: ledger/, assess/, service/ and reports/ all depend on it, never the reverse.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "NEEDS_NON_PUBMED_LABEL",
    "NOT_GRADED_LABEL",
    "Approval",
    "Assessment",
    "DesignLevel",
    "GradeLabel",
    "GradeRecord",
    "LinkOrigin",
    "MethodOrigin",
    "StanceLabel",
    "TraceStep",
]

NEEDS_NON_PUBMED_LABEL = "needs a non-PubMed source"
NOT_GRADED_LABEL = "not graded yet"


class DesignLevel(StrEnum):
    """Evidence level of a study design: L1 reviews/guidelines ... L5 animal, mechanism, opinion."""

    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    L4 = "L4"
    L5 = "L5"


class StanceLabel(StrEnum):
    """What an article says about a claim."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    INCONCLUSIVE = "inconclusive"
    NOT_RELEVANT = "not-relevant"


class GradeLabel(StrEnum):
    """A claim's evidence grade (the rubric decides which)."""

    STRONG = "strong"
    MODERATE = "moderate"
    LIMITED = "limited"
    INSUFFICIENT = "insufficient"
    CONTESTED = "contested"
    CONTRADICTED = "contradicted"


class MethodOrigin(StrEnum):
    """Who made an assessment: the stored method is ``auto:<model>`` or ``reviewer:<name>``."""

    AUTO = "auto"
    REVIEWER = "reviewer"
    NONE = "none"  # no assessment recorded for this claim version yet

    @classmethod
    def of(cls, method: str) -> MethodOrigin:
        prefix = method.split(":", 1)[0]
        return cls(prefix) if prefix in cls._value2member_map_ else cls.NONE


class LinkOrigin(StrEnum):
    """How an article came to be linked to a claim."""

    SEARCH = "search"
    IMPORT = "import"
    MANUAL = "manual"


@dataclass(frozen=True)
class TraceStep:
    """One rule of the rubric that fired, with the articles it rests on."""

    rule: str
    detail: str
    pmids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """One row of the append-only assessments table (id and created_at are set by the ledger)."""

    claim_id: str
    claim_version: str
    pmid: str
    method: str
    design_level: DesignLevel | None
    population: str | None
    sample_size: int | None
    stance: StanceLabel
    confidence: float | None
    anchor_start: int | None
    anchor_end: int | None
    anchor_text: str | None
    rationale: str | None
    article_hash: str | None
    id: int | None = None
    created_at: str | None = None
    # why the record is only indirect evidence for the claim (JSON list; lowers its weight);
    # NULL in rows written before the column existed: their rationale text carries it instead
    indirect: str | None = None

    @property
    def indirect_reasons(self) -> tuple[str, ...] | None:
        """The stored indirectness, or None when this row predates the column."""
        return tuple(json.loads(self.indirect)) if self.indirect is not None else None

    @property
    def origin(self) -> MethodOrigin:
        return MethodOrigin.of(self.method)


@dataclass(frozen=True)
class GradeRecord:
    """One row of the append-only grades table: what the rubric decided for a claim version."""

    claim_id: str
    claim_version: str
    grade: GradeLabel
    provisional: bool
    needs_non_pubmed_source: bool
    trace: tuple[TraceStep, ...]
    rubric_version: str
    evidence_hash: str
    run_id: int | None = None
    id: int | None = None
    created_at: str | None = None

    @property
    def label(self) -> str:
        """The grade as users read it (a regulatory claim is not graded from abstracts)."""
        return NEEDS_NON_PUBMED_LABEL if self.needs_non_pubmed_source else str(self.grade)

    def deciding_pmids(self) -> list[str]:
        """The PMIDs of the trace step that set the grade."""
        return [p for step in self.trace if step.rule == self.grade for p in step.pmids]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["trace"] = [asdict(t) for t in self.trace]
        return d


@dataclass(frozen=True)
class Approval:
    """One row of the append-only approvals table: bound to a claim version and evidence set."""

    claim_id: str
    claim_version: str
    evidence_hash: str
    approved_by: str
    note: str | None
    id: int | None = None
    created_at: str | None = None
    # the signature's manifestation (21 CFR 11.50); None in approvals recorded before them
    meaning: str | None = None  # approved | rejected
    os_user: str | None = None
    grade: str | None = None  # the grade signed
    provisional: int | None = None
    acknowledged: str | None = None  # "provisional", "contested": what the signer accepted

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
