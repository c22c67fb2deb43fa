"""Claim grades from assessed evidence: a versioned, GRADE/CEBM-inspired rubric with a rule trace.

Pure: (claim facts, evidence items, dates) → Grade. The trace says which articles decided the
grade and why, so a reviewer can check every step. Retracted articles never count as support.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date

from claimledger.model import GradeLabel, TraceStep
from claimledger.textutil import plural

__all__ = [
    "GRADES",
    "RUBRIC_VERSION",
    "EvidenceItem",
    "Grade",
    "Thresholds",
    "TraceStep",
    "evidence_hash",
    "grade_claim",
    "is_stale",
    "record_weight",
]

RUBRIC_VERSION = "rubric-2026.11.4"
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
    indirect: tuple[str, ...] = ()  # why it is only indirect evidence for the claim
    sample_size: int | None = None
    year: int | None = None
    flags: tuple[str, ...] = ()  # design flags, e.g. review-of-non-randomised

    @property
    def off_pico(self) -> bool:
        """Evidence from another population than the claim's (e.g. recreational users)."""
        return any(r.startswith("off-PICO") for r in self.indirect)

    @property
    def directness(self) -> float:
        """1.0 for direct evidence, halved per indirectness (GRADE: downgrade for indirectness)."""
        return 0.5 ** len(self.indirect)

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


# --- rubric v2: the body of evidence, weighed -------------------------------------------------
# Each usable record gets a weight: design level x directness (halved per indirectness, as GRADE
# downgrades) x size x recency. The grade is then the first rule of RULES whose test holds for the
# weighed body; the trace names the rule, the deciding records and the records discounted.
_LEVEL_WEIGHT = {"L1": 4.0, "L2": 2.0, "L3": 1.0, "L4": 0.5, "L5": 0.25}


@dataclass(frozen=True)
class Thresholds:
    """The rubric's two judgement thresholds (benchmarks/ketamine_grades.py cross-validates them)."""

    contested: float = (
        0.5  # the weaker side holds at least this share of the stronger side's weight
    )
    stray: float = 0.34  # below this share, contradiction at the top level is a stray record


def record_weight(item: EvidenceItem) -> float:
    """How much one record counts: design, directness, size and recency."""
    w = _LEVEL_WEIGHT.get(item.level, 0.25) * item.directness
    if item.sample_size is not None and item.level != "L1":
        w *= 1.0 if item.sample_size >= 100 else 0.85 if item.sample_size >= 30 else 0.7
    if item.year is not None and item.year < 2010:
        w *= 0.9
    return round(w, 4)


@dataclass(frozen=True)
class _Body:
    """The weighed evidence at the deciding level."""

    top: str
    sup: tuple[EvidenceItem, ...]
    con: tuple[EvidenceItem, ...]
    s: float
    c: float
    direct_sup: int
    lower_con: float  # contradiction weight below the top level at L1-L2
    mechanism: bool
    th: Thresholds
    procedure: bool = False
    long_term_mixed: tuple[
        str, ...
    ] = ()  # mixed reviews not counted as direct for a long-term claim


def _ratio(b: _Body) -> float:
    return min(b.s, b.c) / max(b.s, b.c) if max(b.s, b.c) else 0.0


def _r_contested(b: _Body) -> bool:
    return b.s > 0 and b.c > 0 and _ratio(b) >= b.th.contested


def _r_contradicted(b: _Body) -> bool:
    return b.c > 0 and b.c > b.s


def _r_strong(b: _Body) -> bool:
    """Replicated direct support at L1-L2: one review or trial alone is moderate (GRADE: a single
    body cannot show consistency, and one small body is imprecise)."""
    if b.mechanism or b.direct_sup < 2 or b.c > b.th.stray * b.s:
        return False
    if b.top == "L1":
        return b.lower_con < 0.5 * b.s
    return b.top == "L2" and b.lower_con == 0


def _r_moderate(b: _Body) -> bool:
    """Support at L1-L2 (for mechanism and procedure claims replicated: see _unreplicated)."""
    return b.top in ("L1", "L2") and b.s > 0 and not _unreplicated(b)


def _unreplicated(b: _Body) -> bool:
    """Claims whose evidence is indirect by nature need two supporting records for moderate: one
    review or trial that touches a mechanism does not establish it (two direct records needed),
    and one study that gave ketamine a certain way does not show how it is given (two needed)."""
    if b.mechanism:
        return b.direct_sup < 2
    return b.procedure and len(b.sup) < 2


def _r_unreplicated(b: _Body) -> bool:
    return b.top in ("L1", "L2") and b.s > 0 and _unreplicated(b)


def _r_limited(b: _Body) -> bool:
    return b.s > 0


# (rule, test, grade, why): the first rule that holds decides.
RULES: tuple[tuple[str, Callable[[_Body], bool], str, str], ...] = (
    (
        "contested",
        _r_contested,
        "contested",
        "supporting and contradicting evidence of comparable weight at the top level ({top})",
    ),
    (
        "contradicted",
        _r_contradicted,
        "contradicted",
        "the weightier evidence at the top level ({top}) contradicts the claim",
    ),
    (
        "strong",
        _r_strong,
        "strong",
        "replicated direct supporting {top} evidence; contradiction absent or a stray record "
        "outweighed",
    ),
    (
        "moderate",
        _r_moderate,
        "moderate",
        "supporting {top} evidence, but indirect, from a single record, or with some contradiction",
    ),
    (
        "unreplicated",
        _r_unreplicated,
        "limited",
        "a mechanism or procedure supported at {top} by a single (direct) record: not yet "
        "established",
    ),
    (
        "limited",
        _r_limited,
        "limited",
        "supporting evidence only at {top} (observational, case-level or mechanistic)",
    ),
)


def _split_usable(items: Sequence[EvidenceItem], trace: list[TraceStep]) -> list[EvidenceItem]:
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
        elif it.stance != "not-relevant":
            usable.append(it)
    not_relevant = [
        i.pmid for i in items if i.stance == "not-relevant" and not i.retracted and not i.deleted
    ]
    if not_relevant:
        trace.append(
            TraceStep(
                "exclude-not-relevant",
                f"{plural(len(not_relevant), 'linked record')} do{'es' if len(not_relevant) == 1 else ''} not address the claim",
                tuple(not_relevant),
            )
        )
    return usable


def _counts(usable: Sequence[EvidenceItem]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {
        lvl: {"supports": 0, "contradicts": 0, "inconclusive": 0}
        for lvl in ("L1", "L2", "L3", "L4", "L5")
    }
    for it in usable:
        lvl = "L5" if it.population == "animals" else it.level
        counts[lvl][it.stance] += 1
    return counts


def _eligible(usable: Sequence[EvidenceItem], mechanism: bool) -> list[EvidenceItem]:
    """Records that can decide: human L1-L4; for mechanism claims also animal and lab studies,
    but not opinion (an L5 record about humans is a narrative review, editorial or letter).
    Evidence from another population (indirectness marked off-PICO) never decides."""
    pool = [i for i in usable if not i.off_pico]
    if mechanism:
        return [i for i in pool if i.level != "L5" or i.population in ("animals", "both")]
    return [i for i in pool if i.population != "animals" and i.level in _HUMAN_LEVELS]


def _nonrandomised(item: EvidenceItem, long_term: bool) -> bool:
    """An L1 that grades like L1 of non-randomised studies (DESIGN.md: moderate). For a claim about
    long-term harms, a review that mixes randomised and non-randomised studies counts so too:
    randomised trials last weeks, so its long-term findings rest on its non-randomised part."""
    if "review-of-non-randomised" in item.flags:
        return True
    return long_term and "review-includes-non-randomised" in item.flags


def _body(
    decisive: list[EvidenceItem], mechanism: bool, th: Thresholds, long_term: bool = False
) -> _Body:
    # The deciding level is the best level holding evidence that is at most once indirect.
    strong_enough = [i for i in decisive if i.directness >= 0.5] or decisive
    top = min(strong_enough, key=lambda i: _level_rank(i.level)).level
    at_top = [i for i in decisive if i.level == top]
    sup = tuple(i for i in at_top if i.stance == "supports")
    con = tuple(i for i in at_top if i.stance == "contradicts")
    lower_con = sum(
        record_weight(i)
        for i in decisive
        if i.stance == "contradicts" and i.level != top and _level_rank(i.level) <= 2
    )
    return _Body(
        top=top,
        sup=sup,
        con=con,
        s=sum(record_weight(i) for i in sup),
        c=sum(record_weight(i) for i in con),
        direct_sup=sum(1 for i in sup if i.directness == 1.0 and not _nonrandomised(i, long_term)),
        lower_con=lower_con,
        mechanism=mechanism,
        th=th,
        long_term_mixed=tuple(
            i.pmid
            for i in sup
            if long_term and i.directness == 1.0 and "review-includes-non-randomised" in i.flags
        ),
    )


def _insufficient(usable: Sequence[EvidenceItem], human: Sequence[EvidenceItem]) -> TraceStep:
    if human:
        return TraceStep(
            "insufficient",
            "human studies address the claim but none reports a clear finding",
            tuple(i.pmid for i in human),
        )
    l5 = [i.pmid for i in usable]
    if l5:
        return TraceStep(
            "insufficient", "only animal, mechanistic or opinion evidence (L5)", tuple(l5)
        )
    return TraceStep("insufficient", "no relevant evidence in the ledger")


def _off_pico_note(usable: Sequence[EvidenceItem]) -> list[TraceStep]:
    off = [i.pmid for i in usable if i.off_pico and i.stance in ("supports", "contradicts")]
    if not off:
        return []
    why = "evidence from another population than the claim's (off-PICO): shown, never decides"
    return [TraceStep("discounted-off-pico", why, tuple(off))]


def _discounted(
    decisive: Sequence[EvidenceItem], deciding: Sequence[EvidenceItem]
) -> list[TraceStep]:
    """Why the records that did not decide were discounted."""
    steps = []
    lower_con = [
        i.pmid
        for i in decisive
        if i not in deciding and i.directness == 1.0 and i.stance == "contradicts"
    ]
    if lower_con:
        steps.append(
            TraceStep(
                "note-lower-level-contradiction",
                "lower-level evidence contradicts the claim; outranked by the deciding level",
                tuple(lower_con),
            )
        )
    lower = [
        i.pmid
        for i in decisive
        if i not in deciding and i.directness == 1.0 and i.stance == "supports"
    ]
    indirect = [i for i in decisive if i not in deciding and i.directness < 1.0]
    if lower:
        steps.append(
            TraceStep("discounted-lower-level", "outranked by the deciding level", tuple(lower))
        )
    if indirect:
        why = "; ".join(sorted({r for i in indirect for r in i.indirect}))[:300] or "indirect"
        steps.append(
            TraceStep(
                "discounted-indirect",
                f"indirect evidence ({why})",
                tuple(i.pmid for i in indirect),
            )
        )
    return steps


def grade_claim(
    items: Sequence[EvidenceItem],
    *,
    needs_non_pubmed_source: bool = False,
    kind: str | None = None,
    thresholds: Thresholds | None = None,
    long_term: bool = False,
    absolute: bool = False,
) -> Grade:
    """Grade a claim from its evidence items by the first rule of RULES that holds. With
    ``long_term`` (a safety claim about long-term use) reviews that mix randomised and
    non-randomised studies grade like reviews of non-randomised studies. With ``absolute`` (a
    no-harm claim without a qualifier: "is safe", "does not lead to addiction") the grade is at
    most moderate: evidence can show a harm is uncommon or mild, never that it is absent."""
    trace: list[TraceStep] = []
    ehash = evidence_hash(items)
    usable = _split_usable(items, trace)
    trace.extend(_off_pico_note(usable))
    counts = _counts(usable)
    if needs_non_pubmed_source:
        trace.append(
            TraceStep(
                "needs-non-pubmed-source",
                "regulatory or historical claim: verify against the regulator's label or a historical "
                "source; abstracts cannot grade it",
            )
        )
        return Grade("insufficient", False, True, tuple(trace), RUBRIC_VERSION, ehash, counts)
    mechanism = kind == "mechanism"
    eligible = _eligible(usable, mechanism)
    decisive = [i for i in eligible if i.stance in ("supports", "contradicts")]
    if not decisive:
        human = [i for i in usable if i.population != "animals" and i.level in _HUMAN_LEVELS]
        trace.append(_insufficient(usable, human))
        return Grade(
            "insufficient", _provisional(usable), False, tuple(trace), RUBRIC_VERSION, ehash, counts
        )
    b = replace(
        _body(decisive, mechanism, thresholds or Thresholds(), long_term),
        procedure=kind == "procedure",
    )
    _rule, _, grade, why = next(r for r in RULES if r[1](b))
    deciding = list(b.sup + b.con)
    detail = why.format(top=b.top) + f" [support weight {b.s:.2f}, contradiction weight {b.c:.2f}]"
    if absolute and grade == "strong":
        grade = "moderate"
        detail += (
            "; an absolute no-harm claim (no rarity or severity qualifier) is at most moderate: "
            "the evidence can show a harm is uncommon or mild, not that it is absent"
        )
    trace.append(TraceStep(grade, detail, tuple(i.pmid for i in deciding)))
    if b.long_term_mixed and grade != "strong":
        why_mixed = (
            "reviews mixing randomised and non-randomised studies: for long-term harms their "
            "findings rest on the non-randomised part (trials are short), so they grade as "
            "reviews of non-randomised studies"
        )
        trace.append(TraceStep("note-long-term-mixed-review", why_mixed, b.long_term_mixed))
    trace.extend(_notes(grade, b, decisive, deciding))
    provisional = _provisional(deciding)
    return Grade(grade, provisional, False, tuple(trace), RUBRIC_VERSION, ehash, counts)


_SMALL_BODY = 100  # participants: below this a body of trials is imprecise (GRADE)


def _imprecision(grade: str, b: _Body) -> list[TraceStep]:
    """GRADE imprecision, noted for the reviewer: the side that decided rests on one record, or on
    trials whose stated sizes add up to fewer than _SMALL_BODY participants."""
    side = b.con if grade == "contradicted" else b.sup if grade != "contested" else ()
    if not side:
        return []
    sizes = [i.sample_size for i in side if i.sample_size is not None]
    if len(side) == 1:
        n = f" (n={sizes[0]})" if sizes else ""
        why = f"the deciding evidence is a single record{n}: imprecise, not replicated"
    elif b.top != "L1" and len(sizes) == len(side) and sum(sizes) < _SMALL_BODY:
        why = f"the deciding trials total {sum(sizes)} participants: imprecise"
    else:
        return []
    return [TraceStep("note-imprecise", why, tuple(i.pmid for i in side))]


def _notes(
    grade: str, b: _Body, decisive: Sequence[EvidenceItem], deciding: Sequence[EvidenceItem]
) -> list[TraceStep]:
    """Trace steps after the deciding rule: what was outweighed or discounted, and caveats."""
    trace: list[TraceStep] = []
    if grade in ("strong", "moderate", "limited") and b.con:
        trace.append(
            TraceStep(
                "note-stray-contradiction",
                "contradicting record(s) at the top level, outweighed",
                tuple(i.pmid for i in b.con),
            )
        )
    trace.extend(_imprecision(grade, b))
    trace.extend(_discounted(decisive, deciding))
    if _provisional(deciding):
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
    return trace


def _provisional(items: Iterable[EvidenceItem]) -> bool:
    return any(not i.reviewed for i in items)
