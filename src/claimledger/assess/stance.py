"""Machine stance of an article towards a claim, anchored to the sentence it rests on.

Transparent rules, CPU-only: find the abstract sentences that talk about what the claim talks
about (preferring RESULTS and CONCLUSIONS), read the direction of the finding they report
(effect, no effect, harm, safety, hedging, increase or decrease), and apply the claim's polarity:
a study reporting bladder toxicity contradicts "long-term risks are minimal" and supports
"long-term use can damage the bladder". The result is a suggestion, labelled with its method and
version; a reviewer's decision overrides it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from claimledger.assess.direction import (
    Reading,
    Sentence,
    read_efficacy,
    read_mechanism,
    read_safety,
    split_abstract,
)
from claimledger.assess.relevance import (
    ClaimScope,
    Relevance,
    about_long_term,
    assess_relevance,
    other_outcomes_pattern,
    outcome_pattern,
)
from claimledger.assess.stancemodel import model_version, predict
from claimledger.model import StanceLabel
from claimledger.textutil import Span, content_stems, sentences

__all__ = ["STANCES", "STANCE_METHOD", "Stance", "assess_stance", "finding_cues"]

STANCE_VERSION = "pico-6"
STANCE_METHOD = f"auto:stance-{STANCE_VERSION}+{model_version()}"
STANCES = tuple(str(s) for s in StanceLabel)

# Words too common in this literature to show that a sentence is about the claim.
_GENERIC = content_stems(
    "ketamine esketamine arketamine patient patients treatment treat therapy therapies effect "
    "effects study studies use used using drug drugs clinical people individuals adult adults "
    "dose doses group groups result results data evidence trial trials associated association "
    "significant significantly rapid relief symptoms symptom reduces reduce improve improvement "
    "level levels can help may also new one two brain increase increases increased decrease "
    "decreases reduced reduction improves improved promote promotes cause causes activate "
    "activates lead leads rapidly quickly"
)
_CONCLUDING = {
    "RESULTS",
    "CONCLUSIONS",
    "CONCLUSION",
    "FINDINGS",
    "INTERPRETATION",
    "DISCUSSION",
    "SUMMARY",
    "MAIN RESULTS",
    "AUTHORS' CONCLUSIONS",
    "IMPLICATIONS",
}


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts), re.I)


NULL = _rx(
    r"\bno (statistically )?significant\b",
    r"\bnot (statistically )?significant",
    r"\b(did|does|do|was|were|is|are) not (significantly )?(improve|reduce|differ|change|alter|affect|increase|decrease|predict|show|produce|result|lead|prevent|enhance|induce|cause|relieve|superior|different|effective|associated|better)",
    r"\bfailed to\b",
    r"\bno (evidence|difference|effect|benefit|improvement|change|association|correlation)s?\b",
    r"\b(comparable|similar) to placebo\b",
    r"\bineffective\b",
    r"\bnot effective\b",
    r"\black of (efficacy|effect|benefit)\b",
    r"\bno (clinically )?(meaningful|relevant|important)\b",
    r"\bwas not observed\b",
    r"\bdid not reach\b",
    r"\bnon-?significant\b",
    r"\bnull\b",
    r"\bunchanged\b",
    r"\bnot associated\b",
    r"\bno longer\b",
)
POSITIVE = _rx(
    r"\bsignificant(ly)? (reduc|improv|decreas|increas|lower|higher|great|attenuat|allevia|better|faster|more|less|enhanc|rais)",
    r"\b(reduc|improv|decreas|attenuat|allevia|reliev|ameliorat|lessen|diminish|lower)(ed|es|e|ing|tion|ment)\b",
    r"\b(increas|enhanc|induc|promot|elevat|activat|stimulat|rescu|revers|restor|potentiat|upregulat|trigger|augment|boost)(ed|es|e|ing|ion|ation|ment)?\b",
    r"\beffective(ness)?\b",
    r"\befficac(y|ious)\b",
    r"\bsuperior\b",
    r"\bbenefi(t|cial)\b",
    r"\bresponse rates?\b",
    r"\bremission\b",
    r"\bresponders?\b",
    r"\bantidepressant effects?\b",
    r"\bwithin (\d+|one|two|twenty-four|24) (hours?|h|days?)\b",
    r"\bsustained\b",
    r"\bpersist",
    r"\bblock(s|ed|ade|ing)?\b",
    r"\bantagon",
    r"\bsupport(s|ed)? (the|a|our)\b",
    r"\bconfirm",
)
WORSEN = _rx(
    r"\b(worsen|exacerbat|aggravat)\w*",
    r"\bincreas\w* (in )?(depressi|suicid|anxiety|pain|symptom|craving|relapse)",
)
HARM = _rx(
    r"\badverse (events?|effects?|reactions?|outcomes?)\b",
    r"\btoxic(ity)?\b",
    r"\bneurotoxic\w*",
    r"\bcystitis\b",
    r"\buropath\w*",
    r"\bbladder (damage|dysfunction|toxicity|pain|symptoms)",
    r"\blower urinary tract\b",
    r"\bhydronephrosis\b",
    r"\b(damage|impairment|impaired|deficits?|dysfunction)\b",
    r"\bdependen(ce|t)\b",
    r"\baddict\w*",
    r"\babuse\b",
    r"\bmisuse\b",
    r"\bcraving\b",
    r"\bpsychos[ie]s\b",
    r"\bhypertens\w*",
    r"\b(elevat|increas)\w* (in )?(blood pressure|heart rate|systolic|diastolic)",
    r"\bside effects?\b",
    r"\bdissociat\w*",
    r"\bnausea\b",
    r"\bdizziness\b",
    r"\bmortality\b",
    r"\bdeaths?\b",
    r"\brisk of\b",
    r"\bharm(s|ful)?\b",
    r"\bwithdrawal\b",
    r"\btolerance\b",
)
SAFE = _rx(
    r"\bwell[- ]tolerated\b",
    r"\bsafe(ty)? (and|profile|was|were)\b",
    r"\bsafe\b",
    r"\bno serious adverse\b",
    r"\bno (significant |major |persistent |lasting )?(adverse|side) effects?\b",
    r"\btransient\b",
    r"\bresolved\b",
    r"\bself-limit\w*",
    r"\bmild\b",
    r"\bshort-lived\b",
    r"\bno (evidence of |signs? of )?(cognitive|neurotoxic|bladder|urinary|abuse|dependence|addiction)",
    r"\bno cases? of (abuse|dependence|addiction|misuse)\b",
    r"\blow (risk|abuse potential|rates?)\b",
    r"\b(did|does) not (impair|worsen|cause|lead to)\b",
    r"\brare(ly)?\b",
    r"\bminimal\b",
)
HEDGE = _rx(
    r"\bmay\b",
    r"\bmight\b",
    r"\bcould\b",
    r"\bpossibl[ey]\b",
    r"\bpreliminary\b",
    r"\bwarrant\w*",
    r"\bfurther (research|studies|trials|investigation)\b",
    r"\bremains? (unclear|unknown|uncertain)\b",
    r"\buncertain\w*\b",
    r"\blimited evidence\b",
    r"\binsufficient evidence\b",
    r"\blow[- ]quality\b",
    r"\bmixed (results|evidence|findings)\b",
    r"\binconclusive\b",
    r"\bsuggest\w*\b",
    r"\bpotential(ly)?\b",
)


@dataclass(frozen=True)
class Stance:
    stance: str
    confidence: float
    anchor_start: int | None
    anchor_end: int | None
    anchor_text: str | None
    rationale: str
    method: str = STANCE_METHOD
    indirect: tuple[str, ...] = ()  # why the record is only indirect evidence (lowers its weight)


@dataclass(frozen=True)
class Cues:
    null: bool
    positive: bool
    harm: bool
    safe: bool
    hedge: bool
    worsen: bool


def finding_cues(text: str) -> Cues:
    """Which kinds of finding a sentence reports."""
    null = bool(NULL.search(text))
    return Cues(
        null=null,
        positive=bool(POSITIVE.search(text)),
        harm=bool(HARM.search(text)),
        safe=bool(SAFE.search(text)),
        hedge=bool(HEDGE.search(text)),
        worsen=bool(WORSEN.search(text)),
    )


def _key_stems(claim_text: str) -> set[str]:
    return content_stems(claim_text) - _GENERIC


def _pick_anchor(spans: list[Span], keys: set[str], safety: bool) -> tuple[Span, int] | None:
    """The sentence the stance rests on: most key terms, in RESULTS/CONCLUSIONS, with a finding."""
    best: tuple[float, Span, int] | None = None
    n = len(spans)
    for i, sp in enumerate(spans):
        overlap = len(keys & content_stems(sp.text))
        cues = finding_cues(sp.text)
        safety_finding = safety and (cues.harm or cues.safe)
        if overlap == 0 and not safety_finding:
            continue
        label = (sp.label or "").upper()
        concluding = (
            1.0 if label in _CONCLUDING else 0.5 if (sp.label is None and i >= n - 2) else 0
        )
        finding = 1.0 if safety_finding else 0.5 if (cues.positive or cues.null) else 0
        score = overlap + concluding + finding
        if best is None or score > best[0]:
            best = (score, sp, overlap)
    return (best[1], best[2]) if best else None


def assess_stance(
    statement: str,
    polarity: str,
    title: str,
    abstract: str,
    extra_terms: str = "",
    *,
    scope: ClaimScope | None = None,
) -> Stance:
    """Suggested stance of one abstract towards one claim statement, with its anchoring sentence.

    With the claim's ``scope`` (its PICO, see relevance.claim_scope) the record first passes the
    relevance gate, then its results and conclusions are read for the direction of the finding
    (direction.py). Without it (bare claims such as SciFact's) the older term-overlap rules and
    the SciFact-trained model decide; ``extra_terms`` widen what counts as being on topic.
    """
    if scope is not None:
        return _scoped_stance(statement, polarity, title, abstract, scope)
    return _unscoped_stance(statement, polarity, title, abstract, extra_terms)


def _unscoped_stance(
    statement: str, polarity: str, title: str, abstract: str, extra_terms: str
) -> Stance:
    """Rules v2 for bare claims: term overlap, the SciFact-trained model, safety cue rules."""
    keys = _key_stems(f"{statement} {extra_terms}")
    if not abstract.strip():
        on_topic = bool(keys & content_stems(title))
        return Stance(
            "inconclusive" if on_topic else "not-relevant",
            0.2,
            None,
            None,
            None,
            "no abstract to judge; read the full text",
        )
    spans = list(sentences(abstract))
    doc_overlap = keys & content_stems(f"{title} {abstract}")
    need = 1 if len(keys) <= 3 else 2
    safety = polarity in ("asserts-no-harm", "asserts-harm")
    picked = _pick_anchor(spans, keys, safety)
    # A claim that harm is minimal is answered by any harm or safety finding in a record its
    # query retrieved; a claim of one specific harm needs that harm named.
    relevant = len(doc_overlap) >= need or (
        (polarity == "asserts-no-harm" and picked is not None)
        or (safety and picked is not None and len(doc_overlap) >= 1)
    )
    if picked is None or not relevant:
        return Stance(
            "not-relevant",
            0.6,
            None,
            None,
            None,
            f"the abstract shares {len(doc_overlap)} of the claim's {len(keys)} key terms",
        )
    anchor, overlap = picked
    if polarity in ("asserts-fact", "asserts-benefit"):
        return _model_with_override(statement, polarity, title, spans, anchor)
    cues = finding_cues(anchor.text)
    stance, why = _apply_polarity(polarity, cues)
    confidence = 0.45 + 0.1 * min(overlap, 3)
    if (anchor.label or "").upper() in _CONCLUDING:
        confidence += 0.1
    if cues.hedge:
        confidence -= 0.2
    confidence = round(max(0.05, min(0.95, confidence)), 2)
    return Stance(stance, confidence, anchor.start, anchor.end, anchor.text, why)


def _model_with_override(
    statement: str, polarity: str, title: str, spans: list[Span], anchor: Span
) -> Stance:
    """The model's stance; a clear no-effect or worsening finding in its anchor outweighs it."""
    m = _model_stance(statement, title, spans)
    anchor_text = m.anchor_text or anchor.text
    c = finding_cues(anchor_text)
    if polarity == "asserts-benefit" and m.stance != "contradicts" and (c.null or c.worsen):
        why = "reports no significant benefit" if c.null else "reports worsening"
        sp = next((x for x in spans if x.text == anchor_text), anchor)
        return Stance("contradicts", 0.7, sp.start, sp.end, sp.text, why)
    return m


_FROM_MODEL = {"SUPPORT": "supports", "CONTRADICT": "contradicts", "NEI": "inconclusive"}


def _model_stance(statement: str, title: str, spans: list[Span]) -> Stance:
    """Benefit and factual claims: the trained alignment model (see stancemodel.py)."""
    m = predict(statement, title, [sp.text for sp in spans])
    anchor = spans[m.anchor] if m.anchor is not None else None
    stance = _FROM_MODEL[m.label]
    why = {
        "supports": "the closest sentence reports what the claim asserts",
        "contradicts": "the closest sentence reports the opposite or no effect",
        "inconclusive": "relevant, but the abstract does not settle the claim",
    }[stance]
    p = round(m.probabilities[m.label], 2)
    if anchor is None:
        return Stance(stance, p, None, None, None, why)
    return Stance(stance, p, anchor.start, anchor.end, anchor.text, f"{why} (model p={p})")


def _apply_polarity(polarity: str, c: Cues) -> tuple[str, str]:
    """Safety claims: a harm finding supports a harm claim and contradicts a no-harm claim."""
    if polarity == "asserts-no-harm":
        if c.harm and not c.safe and not c.null:
            return "contradicts", "reports harm, against a claim that harm is minimal"
        if c.safe or (c.harm and c.null):
            return "supports", "reports good tolerability or no harm"
        return "inconclusive", "relevant, but states no clear safety finding"
    if c.harm and not c.null and not c.safe:
        return "supports", "reports the harm the claim asserts"
    if c.safe or (c.harm and c.null):
        return "contradicts", "reports no such harm"
    return "inconclusive", "relevant, but states no clear harm finding"


def _specific_terms(scope: ClaimScope, title: str, abstract: str) -> tuple[set[str], set[str], int]:
    """(shared, claim's specific terms, how many must be shared) for mechanism and procedure
    claims, whose outcome families are too broad to show that a record is about them."""
    keys = _key_stems(scope.key_text)
    shared = keys & content_stems(f"{title} {abstract}")
    return shared, keys, 1 if len(keys) <= 3 else 2


def _read_procedure(sents: list[Sentence], scope: ClaimScope) -> Reading:
    """A procedure claim is supported by a record that describes that procedure; anything else
    leaves it undecided (abstracts rarely report on procedures as findings)."""
    keys = _key_stems(scope.key_text)
    need = 2 if len(keys) > 3 else 1
    best = max(sents, key=lambda sp: len(keys & content_stems(sp.text)), default=None)
    if best is not None and len(keys & content_stems(best.text)) >= need + 1:
        return Reading("supports", 0.5, best, "describes the procedure the claim states")
    return Reading(
        "inconclusive", 0.3, best, "does not describe the claimed procedure: needs review"
    )


_MODAL = re.compile(r"\b(can|may|might|could|risk)\b", re.I)


def _possibility(statement: str) -> bool:
    """A claim that harm CAN occur (a possibility), not that it always or usually does."""
    return bool(_MODAL.search(statement))


def _read(
    sents: list[Sentence],
    statement: str,
    polarity: str,
    title: str,
    scope: ClaimScope,
    topic: re.Pattern[str] | None,
) -> Reading:
    """The reader for the claim's kind and polarity."""
    if scope.kind == "procedure":
        return _read_procedure(sents, scope)
    if polarity in ("asserts-no-harm", "asserts-harm"):
        return read_safety(sents, polarity, topic)
    if scope.kind == "efficacy" and polarity == "asserts-benefit":
        specific = outcome_pattern(scope, specific=True)
        other = other_outcomes_pattern(scope)
        if specific is not None:
            return read_efficacy(
                sents, specific, title, strict=True, durable=scope.durable, other=other
            )
        return read_efficacy(sents, topic, title, durable=scope.durable, other=other)
    return read_mechanism(sents, statement, topic)


def _harm_caveats(
    reading: Reading, statement: str, polarity: str, scope: ClaimScope, rel: Relevance
) -> Reading:
    """A harm claim is not refuted by one study without the harm when the claim says it CAN
    occur, or when the study's exposure is shorter than the claim's."""
    if polarity != "asserts-harm" or reading.stance != "contradicts":
        return reading
    if _possibility(statement):
        why = f"{reading.why}; absence in one study does not refute that it can occur"
        return replace(reading, stance="inconclusive", confidence=0.4, why=why)
    if scope.durable and rel.indirect:
        why = f"{reading.why}, but in short-term use; the claim is about long-term use"
        return replace(reading, stance="inconclusive", confidence=0.4, why=why)
    return reading


DECISIVE = ("supports", "contradicts")
ACUTE_ONLY = "acute effects or tolerability, not over the claim's timeframe (lasting or long-term)"


def _timeframe(reading: Reading, scope: ClaimScope, title: str, rel: Relevance) -> Relevance:
    """A claim about long-term use or lasting effects is answered only indirectly by a finding
    about acute effects (side effects that resolved within hours, a benefit at 24 hours): unless
    the record is about repeated or long-term exposure (its title) or the deciding sentence speaks
    of duration, the finding is indirect by timeframe, as GRADE downgrades for indirectness of
    outcome time."""
    kinds = ("safety", "efficacy")
    if scope.kind not in kinds or not scope.durable or reading.stance not in DECISIVE:
        return rel
    if any("short-term" in r for r in rel.indirect):
        return rel  # already indirect for the same reason
    said = reading.sentence.text if reading.sentence is not None else ""
    if about_long_term(title) or about_long_term(said):
        return rel
    return replace(rel, indirect=(*rel.indirect, ACUTE_ONLY))


def _scoped_stance(
    statement: str, polarity: str, title: str, abstract: str, scope: ClaimScope
) -> Stance:
    """Relevance gate first, then the direction of the findings on the claim's outcome."""
    rel = assess_relevance(scope, title, abstract)
    if not rel.relevant:
        return Stance("not-relevant", 0.7, None, None, None, f"not relevant: {rel.reason}")
    if not abstract.strip():
        return Stance(
            "inconclusive",
            0.2,
            None,
            None,
            None,
            "no abstract to judge; read the full text",
            indirect=rel.indirect,
        )
    sents = split_abstract(abstract)
    topic = outcome_pattern(scope)
    if scope.kind in ("mechanism", "procedure"):
        shared, keys, need = _specific_terms(scope, title, abstract)
        if len(shared) < need:
            why = f"not relevant: shares {len(shared)} of the claim's {len(keys)} specific terms"
            return Stance("not-relevant", 0.6, None, None, None, why)
    raw = _read(sents, statement, polarity, title, scope, topic)
    rel = _timeframe(raw, scope, title, rel)
    reading = _harm_caveats(raw, statement, polarity, scope, rel)
    why = reading.why
    if rel.indirect:
        why += "; indirect: " + " | ".join(rel.indirect)
    conf = round(reading.confidence * (0.85 if rel.indirect else 1.0), 2)
    sp = reading.sentence
    if sp is not None and sp.start < 0:  # the title
        return Stance(
            reading.stance, conf, None, None, f"[title] {sp.text}", why, indirect=rel.indirect
        )
    if sp is None:
        return Stance(reading.stance, conf, None, None, None, why, indirect=rel.indirect)
    return Stance(reading.stance, conf, sp.start, sp.end, sp.text, why, indirect=rel.indirect)
