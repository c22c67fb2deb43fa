"""Claim grades from assessed evidence: a versioned, GRADE/CEBM-inspired rubric with a rule trace.

Pure: (claim facts, evidence items, dates) → Grade. The trace says which articles decided the
grade and why, so a reviewer can check every step. Retracted articles never count as support.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date

from claimledger.model import GradeLabel, TraceStep
from claimledger.textutil import plural

__all__ = [
    "GRADES",
    "RUBRIC_VERSION",
    "EvidenceItem",
    "Grade",
    "TraceStep",
    "evidence_hash",
    "grade_claim",
    "is_stale",
]

RUBRIC_VERSION = "rubric-2026.11.1"
GRADES = tuple(str(g) for g in GradeLabel)
_HUMAN_LEVELS = ("L1", "L2", "L3", "L4")


@dataclass(frozen=True)
class EvidenceItem:
    """One linked article as assessed for one claim (the reviewer's decision if there is one)."""

    pmid: str
    level: str  # L1..L5
    population: str  # humans | animals | both | unknown
    stance: str  # supports | contradicts | inconclusive | not-relevant
    method: str  # auto:... or reviewer:NAME
    retracted: bool = False
    deleted: bool = False
    expression_of_concern: bool = False

    @property
    def reviewed(self) -> bool:
        return self.method.startswith("reviewer:")


@dataclass(frozen=True)
class Grade:
    grade: str
    provisional: bool
    needs_non_pubmed_source: bool
    trace: tuple[TraceStep, ...]
    rubric_version: str
    evidence_hash: str
    counts: dict[str, dict[str, int]]  # level -> {supports, contradicts, inconclusive}

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["trace"] = [asdict(t) for t in self.trace]
        return d


def evidence_hash(items: Iterable[EvidenceItem]) -> str:
    """A fingerprint of the evidence set: changes when an article, its stance or status changes."""
    rows = sorted(
        (i.pmid, i.level, i.stance, i.method.split(":")[0], i.retracted, i.deleted) for i in items
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def is_stale(refreshed_on: str | None, today: date, stale_after_days: int) -> bool:
    if refreshed_on is None:
        return True
    return (today - date.fromisoformat(refreshed_on[:10])).days > stale_after_days


def _level_rank(level: str) -> int:
    return int(level[1])


def grade_claim(items: Sequence[EvidenceItem], *, needs_non_pubmed_source: bool = False) -> Grade:
    """Grade a claim from its evidence items, recording each rule that fired."""
    trace: list[TraceStep] = []
    ehash = evidence_hash(items)
    usable: list[EvidenceItem] = []
    for it in items:
        if it.deleted:
            trace.append(
                TraceStep("exclude-deleted", "record deleted from PubMed; not counted", (it.pmid,))
            )
        elif it.retracted:
            trace.append(
                TraceStep(
                    "exclude-retracted",
                    "retracted publication; never counted as support",
                    (it.pmid,),
                )
            )
        elif it.stance == "not-relevant":
            continue
        else:
            usable.append(it)
    not_relevant = [
        i.pmid for i in items if i.stance == "not-relevant" and not i.retracted and not i.deleted
    ]
    if not_relevant:
        trace.append(
            TraceStep(
                "exclude-not-relevant",
                f"{plural(len(not_relevant), 'linked record')} do{'es' if len(not_relevant) == 1 else ''} not address the claim",
                tuple(not_relevant[:20]),
            )
        )

    counts: dict[str, dict[str, int]] = {
        lvl: {"supports": 0, "contradicts": 0, "inconclusive": 0}
        for lvl in ("L1", "L2", "L3", "L4", "L5")
    }
    for it in usable:
        lvl = "L5" if it.population == "animals" else it.level
        counts[lvl][it.stance] += 1

    if needs_non_pubmed_source:
        trace.append(
            TraceStep(
                "needs-non-pubmed-source",
                "regulatory or historical claim: verify against the regulator's label or a historical "
                "source; abstracts cannot grade it",
            )
        )
        return Grade("insufficient", False, True, tuple(trace), RUBRIC_VERSION, ehash, counts)

    human = [i for i in usable if i.population != "animals" and i.level in _HUMAN_LEVELS]
    decisive = [i for i in human if i.stance in ("supports", "contradicts")]
    if not decisive:
        l5 = [i.pmid for i in usable if i not in human]
        inconclusive = [i.pmid for i in human]
        if inconclusive:
            trace.append(
                TraceStep(
                    "insufficient",
                    "human studies address the claim but none reports a clear finding",
                    tuple(inconclusive[:20]),
                )
            )
        elif l5:
            trace.append(
                TraceStep(
                    "insufficient",
                    "only animal, mechanistic or opinion evidence (L5)",
                    tuple(l5[:20]),
                )
            )
        else:
            trace.append(TraceStep("insufficient", "no relevant evidence in the ledger"))
        return Grade(
            "insufficient", _provisional(usable), False, tuple(trace), RUBRIC_VERSION, ehash, counts
        )

    top = min(_level_rank(i.level) for i in decisive)
    top_level = f"L{top}"
    sup = [i for i in decisive if i.level == top_level and i.stance == "supports"]
    con = [i for i in decisive if i.level == top_level and i.stance == "contradicts"]
    deciding = sup + con
    if sup and con:
        grade, rule = (
            "contested",
            f"supporting and contradicting evidence at the same top level ({top_level})",
        )
    elif con:
        grade, rule = (
            "contradicted",
            f"the highest-level evidence ({top_level}) contradicts the claim",
        )
    else:
        lower_con = [i for i in decisive if i.stance == "contradicts" and _level_rank(i.level) <= 2]
        if top_level == "L1" and not lower_con:
            grade, rule = (
                "strong",
                "supporting systematic review / meta-analysis (L1), nothing contradicting at L1-L2",
            )
        elif top_level == "L1":
            grade, rule = "moderate", "supporting L1, but an RCT (L2) contradicts it"
            deciding = sup + lower_con
        elif top_level == "L2" and len(sup) >= 2:
            grade, rule = (
                "strong",
                f"{len(sup)} supporting human RCTs (L2), nothing contradicting at L1-L2",
            )
        elif top_level == "L2":
            grade, rule = (
                "moderate",
                "one supporting human RCT (L2), nothing contradicting at a higher level",
            )
        else:
            grade, rule = (
                "limited",
                f"supporting human evidence only at {top_level} (observational or case level)",
            )
    trace.append(TraceStep(grade, rule, tuple(i.pmid for i in deciding)))
    weaker_con = [i.pmid for i in decisive if i.stance == "contradicts" and i not in deciding]
    if weaker_con and grade in ("strong", "moderate", "limited"):
        trace.append(
            TraceStep(
                "note-lower-level-contradiction",
                "lower-level evidence contradicts the claim",
                tuple(weaker_con),
            )
        )
    provisional = _provisional(deciding)
    if provisional:
        trace.append(
            TraceStep(
                "provisional",
                "rests on machine assessments no reviewer has checked",
                tuple(i.pmid for i in deciding if not i.reviewed),
            )
        )
    eoc = [i.pmid for i in deciding if i.expression_of_concern]
    if eoc:
        trace.append(
            TraceStep(
                "note-expression-of-concern",
                "deciding evidence carries an expression of concern",
                tuple(eoc),
            )
        )
    return Grade(grade, provisional, False, tuple(trace), RUBRIC_VERSION, ehash, counts)


def _provisional(items: Iterable[EvidenceItem]) -> bool:
    return any(not i.reviewed for i in items)
