"""Relevance (PICO) gate: does a record study the claim's intervention, population and outcome?

A record counts for a claim only when it studies the claim's intervention *as the intervention*
(not ketamine as the anaesthetic for ECT, not a psychosis model in healthy volunteers, not a
guideline that never names it), in the claim's population or condition, on the claim's outcome.
Otherwise it is not-relevant and the reason is kept. A relevant record can still be indirect
(esketamine for a racemic-ketamine claim, a related condition, single-dose data for a "lasts"
claim, recreational users for a therapeutic-use claim); indirectness is recorded and halves the
record's weight per reason, as GRADE downgrades for indirectness.

Pure functions; the vocabulary is data (data/relevance.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from claimledger.data.lexicon import load_lexicon

__all__ = [
    "GATE_VERSION",
    "ClaimScope",
    "Relevance",
    "about_long_term",
    "assess_relevance",
    "claim_scope",
    "no_harm_qualified",
    "outcome_pattern",
]


# Changes whenever the gate or the design reading would assess a record differently: stored
# machine assessments of an older gate are then redone (service.grading.ASSESS_METHOD).
GATE_VERSION = "gate-2026.11.4"


@dataclass(frozen=True)
class ClaimScope:
    """The claim's PICO as the gate reads it (from statement, population, intervention, outcome)."""

    kind: str
    conditions: frozenset[str]
    outcomes: frozenset[str]
    needs_intervention: bool
    racemic_only: bool
    durable: bool
    single_dose: bool
    therapeutic: bool
    anaesthesia: bool
    key_text: str = ""  # statement and outcome: the specific terms of a mechanism or procedure
    specific_outcomes: frozenset[str] = frozenset()  # named beyond the condition's own symptoms
    co_interventions: frozenset[str] = frozenset()  # combined with ketamine in the claim
    comparator: str = ""  # an alternative the claim compares with (not a mere control), or ""
    comparison: str = ""  # the same, as a sentence reporting the comparison must name it
    add_on: bool = False  # a co-intervention with ketamine, compared with ketamine alone
    horizon_days: int = 0  # a durability claim's timeframe: the follow-up its evidence must reach
    horizon_unit: str = ""
    within_hours: bool = False  # an onset claim: the effect is seen within hours
    resistant: bool = False  # about people whose condition has not responded to treatment


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    reason: str
    indirect: tuple[str, ...] = ()

    @property
    def weight(self) -> float:
        """1.0 for direct evidence, halved per indirectness, 0 when not relevant."""
        return 0.5 ** len(self.indirect) if self.relevant else 0.0


@dataclass(frozen=True)
class _Vocab:
    intervention: dict[str, re.Pattern[str]]
    conditions: dict[str, re.Pattern[str]]
    co_interventions: dict[str, re.Pattern[str]]
    related: frozenset[frozenset[str]]
    contexts: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None, str]]
    context_indirect: dict[str, str]
    prevention: tuple[re.Pattern[str], str]
    treating_contexts: frozenset[str]
    diagnosed: dict[str, re.Pattern[str]]
    indirect_pop: dict[str, tuple[re.Pattern[str], str]]
    outcomes: dict[str, re.Pattern[str]]
    title_families: frozenset[str]
    durable: re.Pattern[str]
    single_dose: re.Pattern[str]
    repeated: re.Pattern[str]
    therapeutic: re.Pattern[str]
    anaesthesia: re.Pattern[str]
    treated_not_caused: dict[str, str]
    ketamine_use_title: re.Pattern[str]
    control_words: frozenset[str]
    comparison_cues: str
    not_comparator: str
    add_on_cues: re.Pattern[str]
    comparison_reason: str
    units: dict[str, int]
    numbers: dict[str, int]
    follow_up_reason: str
    follow_up_lead: tuple[str, ...]
    follow_up_tail: tuple[str, ...]
    procedure_indirect: str
    surrogate: tuple[re.Pattern[str], re.Pattern[str], str]
    measured: re.Pattern[str]
    resistance: tuple[re.Pattern[str], re.Pattern[str], str]
    combination: tuple[re.Pattern[str], re.Pattern[str], str]
    early: tuple[re.Pattern[str], str]
    not_in_title: str
    drug_class: re.Pattern[str]
    named_by_class: re.Pattern[str]
    specific_harms: dict[str, frozenset[str]]
    setting: tuple[re.Pattern[str], str]


def _rx(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.I)


@cache
def _vocab() -> _Vocab:
    d: dict[str, Any] = load_lexicon("relevance")
    ctx = {
        k: (_rx(v["patterns"]), _rx(v["allow_if"]) if v.get("allow_if") else None, v["reason"])
        for k, v in d["contexts"].items()
    }
    return _Vocab(
        intervention={k: _rx(v) for k, v in d["intervention"].items()},
        conditions={k: _rx(v) for k, v in d["conditions"].items()},
        co_interventions={k: _rx(v) for k, v in d["co_interventions"].items()},
        related=frozenset(frozenset(p) for p in d["related_conditions"]),
        contexts=ctx,
        context_indirect={k: v["indirect"] for k, v in d["contexts"].items() if v.get("indirect")},
        treating_contexts=frozenset(k for k, v in d["contexts"].items() if v.get("treats")),
        prevention=(_rx(d["prevention"]["patterns"]), d["prevention"]["reason"]),
        diagnosed={
            k: _rx([p.replace("{condition}", "|".join(v)) for p in d["diagnosed"]])
            for k, v in d["conditions"].items()
        },
        indirect_pop={
            k: (_rx(v["patterns"]), v["reason"]) for k, v in d["indirect_populations"].items()
        },
        outcomes={k: _rx(v) for k, v in d["outcomes"].items()},
        title_families=frozenset(d["title_outcome_families"]),
        durable=_rx(d["durability"]["claim"]),
        single_dose=_rx(d["durability"]["single_dose"]),
        repeated=_rx(d["durability"]["repeated"]),
        therapeutic=_rx(d["therapeutic_claim"]),
        anaesthesia=_rx(d["anaesthesia_claim"]),
        treated_not_caused=dict(d["treated_not_caused"]),
        ketamine_use_title=_rx(d["ketamine_use_title"]),
        control_words=frozenset(w.lower() for w in d["control_comparators"]),
        comparison_cues="|".join(d["comparison"]["cues"]),
        not_comparator="|".join(d["comparison"]["not_the_comparator"]),
        add_on_cues=_rx(d["comparison"]["add_on_cues"]),
        comparison_reason=d["comparison"]["reason"],
        units=dict(d["follow_up"]["units"]),
        numbers=dict(d["follow_up"]["numbers"]),
        follow_up_reason=d["follow_up"]["reason"],
        follow_up_lead=tuple(d["follow_up"]["lead"]),
        follow_up_tail=tuple(d["follow_up"]["tail"]),
        procedure_indirect=d["procedure_indirect"],
        setting=(_rx(d["ketamine_as_setting"]), d["setting_reason"]),
        specific_harms={k: frozenset(v) for k, v in d["specific_harms"].items()},
        not_in_title=d["not_in_title"],
        drug_class=_rx(d["surrogate_outcome"]["drug_classes"]),
        named_by_class=_rx(d["named_by_class"]),
        early=(_rx(d["onset"]["early"]), d["onset"]["reason"]),
        combination=(
            _rx(d["combination"]["title"]),
            _rx(d["combination"]["unless"]),
            d["combination"]["reason"],
        ),
        resistance=(
            _rx(d["resistance"]["claim"]),
            _rx(d["resistance"]["record"]),
            d["resistance"]["reason"],
        ),
        measured=re.compile(r"\W+(?:" + "|".join(d["measured"]) + r")\b", re.I),
        surrogate=(
            _rx(d["surrogate_outcome"]["title"]),
            _rx(d["surrogate_outcome"]["unless"]),
            d["surrogate_outcome"]["reason"],
        ),
    )


def _found(table: dict[str, re.Pattern[str]], text: str) -> frozenset[str]:
    return frozenset(k for k, rx in table.items() if rx.search(text))


def claim_scope(
    statement: str,
    kind: str,
    *,
    population: str | None = None,
    intervention: str | None = None,
    outcome: str | None = None,
    timeframe: str | None = None,
    comparator: str | None = None,
) -> ClaimScope:
    """Read the claim's PICO fields into the terms the gate compares records with."""
    v = _vocab()
    pop_text = f"{statement} {population or ''}"
    conditions = (
        _found(v.conditions, pop_text) if kind in ("efficacy", "mechanism") else frozenset()
    )
    if kind == "mechanism" and population is None:
        conditions = frozenset()  # a mechanism of the drug, in any population or model
    named = _found(v.outcomes, f"{statement} {outcome or ''}")
    named |= {h for k in named for h in v.specific_harms.get(k, ())}
    outcomes = named
    symptoms: frozenset[str] = frozenset()
    if kind == "efficacy":  # the symptoms of the claimed condition are its outcome
        symptoms = _found(v.outcomes, " ".join(sorted(conditions)))
        outcomes = named | symptoms
    inter = intervention or ""
    needs = bool(v.intervention["any"].search(f"{statement} {inter}"))
    racemic_only = needs and not v.intervention["esketamine"].search(f"{statement} {inter}")
    # the claim's own timeframe: not how its comparator behaves ("faster than antidepressants,
    # which take weeks or months to work" is not a claim that ketamine's effect lasts months)
    own = re.split(r"\bthan\b", statement, maxsplit=1, flags=re.I)[0]
    when = f"{own} {timeframe or ''}"
    durable = bool(v.durable.search(when))
    unit = _horizon_unit(timeframe or "") if kind == "efficacy" and durable else ""
    co = _found(v.co_interventions, f"{statement} {inter}")
    return ClaimScope(
        kind=kind,
        conditions=conditions,
        outcomes=outcomes,
        needs_intervention=needs,
        racemic_only=racemic_only,
        durable=durable,
        single_dose=bool(v.single_dose.search(f"{statement} {inter}")),
        therapeutic=kind == "efficacy" or bool(v.therapeutic.search(f"{statement} {inter}")),
        anaesthesia=bool(v.anaesthesia.search(f"{statement} {inter}")),
        key_text=f"{statement} {outcome or ''}".strip(),
        specific_outcomes=named - symptoms if kind == "efficacy" else frozenset(),
        co_interventions=co,
        comparator=_alternative(comparator or ""),
        comparison=_alternative(comparator or "", strict=True),
        add_on=bool(co) and bool((comparator or "").strip()),
        horizon_days=v.units.get(unit, 0),
        horizon_unit=unit,
        within_hours=kind == "efficacy" and _within_hours(timeframe or own),
        resistant=kind == "efficacy" and bool(v.resistance[0].search(statement)),
    )


def _within_hours(timeframe: str) -> bool:
    """The claim's timeframe is hours (or minutes) at the longest: an onset claim."""
    longer = re.search(r"\b(days?|weeks?|months?|years?)\b", timeframe, re.I)
    return bool(re.search(r"\b(hours?|minutes?)\b", timeframe, re.I)) and not longer


def _horizon_unit(timeframe: str) -> str:
    """The longest unit of a durability claim's timeframe when it is a week or longer, else ""."""
    units = _vocab().units
    named = [u for u in units if re.search(rf"\b{u}s?\b", timeframe, re.I)]
    best = max(named, key=lambda u: units[u], default="")
    return best if units.get(best, 0) >= units["week"] else ""


def _longest_follow_up(text: str) -> int:
    """The longest follow-up (in days) the text states: "8-week", "for six months", "week 4",
    "3 days post-infusion"; a bare duration ("illness under 2 years") is not a follow-up."""
    v = _vocab()
    num = "|".join([r"\d+", *v.numbers])
    unit = "|".join(v.units)
    lead = "|".join(v.follow_up_lead)
    tail = "|".join(v.follow_up_tail)
    forms = (
        rf"\b({num})-({unit})s?\b",
        rf"\b(?:{lead})\s+({num})\s+({unit})s?\b",
        rf"\b({num})\s+({unit})s?\s+(?:{tail})",
    )
    days = []
    for form in forms:
        for m in re.finditer(form, text, re.I):
            n = int(m[1]) if m[1].isdigit() else v.numbers[m[1].lower()]
            days.append(n * v.units[m[2].lower()])
    for m in re.finditer(rf"\b({unit})[- ](\d+)\b", text, re.I):
        days.append(int(m[2]) * v.units[m[1].lower()])
    return max(days, default=0)


def _reports_comparison(scope: ClaimScope, title: str, abstract: str) -> bool:
    """Whether a sentence of the record reports the claim's comparison (see data/relevance.yaml):
    a cue leading to the comparator (or the comparator to a cue, not followed by a control), or
    for an add-on claim the co-intervention beside an add-on cue."""
    v = _vocab()
    cue, ctl = v.comparison_cues, v.not_comparator
    gap = rf"(?:(?!(?:{ctl})\b)[\w()%,-]+\s+){{0,4}}?"
    rxs = []
    if scope.comparator:
        rxs.append(re.compile(rf"\b(?:{cue})\b\s+{gap}{scope.comparison}", re.I))
        rxs.append(
            re.compile(rf"{scope.comparison}\s+(?:\w+\s+){{0,3}}?(?:{cue})\s+(?!(?:{ctl})\b)", re.I)
        )
    for sent in re.split(r"(?<=[.;:?!])\s+", f"{title}. {abstract}"):
        if any(rx.search(sent) for rx in rxs):
            return True
        co_named = all(v.co_interventions[c].search(sent) for c in scope.co_interventions)
        if scope.add_on and co_named and v.add_on_cues.search(sent):
            return True
    return False


def _alternative(comparator: str, *, strict: bool = False) -> str:
    """The comparator's own words when it names an alternative rather than a control condition
    (as one stem pattern), else "". With ``strict`` a word that is also an outcome word
    ("antidepressants": "antidepressant effects" is the outcome) counts only as written, so that
    a sentence about the outcome is not read as reporting the comparison."""
    words = re.findall(r"[a-z][a-z-]+", comparator.lower())
    keep = [w for w in words if w not in _vocab().control_words and len(w) > 2]
    stems = sorted({_comparator_stem(w, strict) for w in keep})
    return r"\b(?:" + "|".join(stems) + r")" if stems else ""


def _comparator_stem(word: str, strict: bool) -> str:
    if strict and any(rx.search(word.rstrip("s")) for rx in _vocab().outcomes.values()):
        return re.escape(word) + r"\b"
    return re.escape(word[: max(5, len(word) - 2)]) + r"\w*"


def _comparator_gate(scope: ClaimScope, title: str, abstract: str) -> str | None:
    """A comparative claim (supervised against unsupervised use) needs a record naming the
    alternative: one on the intervention alone cannot say whether it beats that alternative."""
    if scope.comparator and not re.search(scope.comparator, f"{title} {abstract}", re.I):
        return "does not compare with the claim's comparator (an alternative, not a control)"
    return None


def _record_conditions(title: str, abstract: str) -> frozenset[str]:
    """What the record is about: conditions its title names, else those its abstract dwells on."""
    v = _vocab()
    in_title = _found(v.conditions, title)
    if in_title:
        return in_title
    counts = {k: len(rx.findall(abstract)) for k, rx in v.conditions.items()}
    top = frozenset(k for k, n in counts.items() if n >= 2)
    return top or frozenset(k for k, n in counts.items() if n)


_OTHER_INTERVENTION = re.compile(
    r"\b(effects?|impact|efficacy|effectiveness|use|role|feasibility) of\b", re.I
)


def _intervention_gate(scope: ClaimScope, title: str, abstract: str) -> str | None:
    if not scope.needs_intervention:
        return None
    for co in scope.co_interventions:
        if not _vocab().co_interventions[co].search(f"{title} {abstract}"):
            return f"ketamine without the claim's co-intervention ({co})"
    rx = _vocab().intervention["any"]
    setting, why = _vocab().setting
    m = setting.search(title)
    if m and _OTHER_INTERVENTION.search(title[: m.start()]) and not rx.search(title[: m.start()]):
        return why
    if rx.search(title):
        return None
    n = len(rx.findall(abstract))
    if n == 0:
        return "never names the claim's intervention (ketamine)"
    if n == 1:
        return "mentions ketamine only in passing; another intervention is studied"
    return None


def _context_gate(scope: ClaimScope, title: str, abstract: str) -> tuple[str, str] | None:
    """(context key, reason) of a context in which ketamine is not the studied therapy."""
    v = _vocab()
    for key, (rx, allow, reason) in v.contexts.items():
        if key == "healthy-volunteers" and scope.kind != "efficacy":
            continue  # safety and mechanism evidence in volunteers counts (indirectly)
        if key in ("ect-anaesthesia", "perioperative") and scope.anaesthesia:
            continue
        text = f"{title} {abstract}"
        if allow is not None and allow.search(text):
            continue
        hits = len(rx.findall(abstract))
        in_title = bool(rx.search(title))
        needed = 2 if key in ("perioperative", "ect-anaesthesia") else 1
        if not (in_title or hits >= needed) or _exempt(key, scope, title, abstract):
            continue
        return key, reason
    return None


def _context_as_indirect(key: str, scope: ClaimScope, title: str, abstract: str) -> str | None:
    """The indirectness reason when a context (ECT anaesthesia, surgery) still answers a claim
    that ketamine treats a condition: patients with the condition are treated and the claim's
    outcome is reported. None when the record must stay out (see data/relevance.yaml)."""
    v = _vocab()
    if key not in v.context_indirect or scope.kind != "efficacy" or not scope.conditions:
        return None
    if scope.single_dose:
        return None
    text = f"{title} {abstract}"
    if key not in v.treating_contexts and v.prevention[0].search(text):
        return None
    if not any(v.diagnosed[c].search(text) for c in scope.conditions):
        return None  # fear before an operation is not an anxiety disorder
    rx = outcome_pattern(scope)
    if rx is None or not rx.search(abstract[int(len(abstract) * 0.6) :]):
        return None  # the findings are about the procedure (seizures, recovery), not the outcome
    return v.context_indirect[key]


def _exempt(key: str, scope: ClaimScope, title: str, abstract: str) -> bool:
    """A context cue that does not describe the record: a psychosis-model review about therapeutic
    use, or healthy controls beside patients with the claim's condition."""
    if key not in ("psychosis-model", "healthy-volunteers"):
        return False
    if _found(_vocab().conditions, title) & scope.conditions:
        return True  # patients with the claim's condition are studied (volunteers as controls)
    if key == "psychosis-model":
        return bool(re.search(r"\btherapeutic\b", title, re.I))
    if not _vocab().contexts[key][0].search(title):
        return bool(_found(_vocab().conditions, abstract) & scope.conditions)
    return False


def _condition_gate(scope: ClaimScope, title: str, abstract: str) -> tuple[str | None, str | None]:
    """(not-relevant reason, indirectness reason) for the record's population."""
    if not scope.conditions:
        return None, None
    found = _record_conditions(title, abstract)
    if found & scope.conditions:
        return None, None
    want = "/".join(sorted(scope.conditions))
    if not found:
        return f"names no population with the claim's condition ({want})", None
    near = [c for c in found for w in scope.conditions if frozenset((c, w)) in _vocab().related]
    got = "/".join(sorted(found))
    rx = outcome_pattern(scope)
    if rx is not None and rx.search(title):
        return None, f"the claim's outcome measured in another population ({got})"
    if near and _outcome_in_findings(scope, title, abstract):
        return None, f"related condition ({got}) for a {want} claim"
    if near:
        return f"studies {got}; the claim's outcome is not among its findings", None
    return f"studies {got}, not the claim's condition ({want})", None


def _outcome_in_findings(scope: ClaimScope, title: str, abstract: str) -> bool:
    """The claim's outcome is in the title or the last 40% of the abstract (results, conclusions)."""
    rx = outcome_pattern(scope)
    return rx is None or bool(rx.search(title) or rx.search(abstract[int(len(abstract) * 0.6) :]))


def _treated_not_caused(scope: ClaimScope, title: str) -> str | None:
    """Ketamine as the treatment of a condition is not evidence that it causes that harm."""
    v = _vocab()
    if scope.kind != "safety" or v.ketamine_use_title.search(title):
        return None
    for cond, harm in v.treated_not_caused.items():
        if harm in scope.outcomes and v.conditions[cond].search(title):
            return f"ketamine as a treatment for {cond}, not as a cause of {harm}"
    return None


def _surrogate_gate(scope: ClaimScope, title: str) -> str | None:
    """An efficacy claim is about a clinical outcome: a record about a mechanism, biomarker or
    brain measure (its title says so and names no clinical outcome) does not answer it."""
    rx, unless, reason = _vocab().surrogate
    title = _vocab().drug_class.sub(" ", title)  # "NMDA receptor antagonists" name the drugs
    if scope.kind == "efficacy" and rx.search(title) and not unless.search(title):
        return reason
    return None


def _mechanism_gate(scope: ClaimScope, title: str, abstract: str) -> str | None:
    """A mechanism claim is answered by findings about the mechanism: a record whose title and
    findings name it only as the drug's class ("glutamate receptor modulators for depression")
    reports clinical effects, not the mechanism."""
    if scope.kind != "mechanism" or "mechanism" not in scope.outcomes:
        return None
    v = _vocab()
    tail = abstract[int(len(abstract) * 0.6) :]
    if v.outcomes["mechanism"].search(v.drug_class.sub(" ", f"{title} {tail}")):
        return None
    return (
        "names the mechanism only as the drug's class; its findings are clinical, not mechanistic"
    )


def _outcome_gate(scope: ClaimScope, title: str, abstract: str) -> str | None:
    if not scope.outcomes:
        return None
    v = _vocab()
    surrogate = _surrogate_gate(scope, title) or _mechanism_gate(scope, title, abstract)
    if surrogate is not None:
        return surrogate
    treated = _treated_not_caused(scope, title)
    if treated is not None:
        return treated
    text = f"{title} {abstract}"
    mentioned = frozenset(k for k in scope.outcomes if v.outcomes[k].search(text))
    want = "/".join(sorted(scope.outcomes))
    if not mentioned:
        return f"reports none of the claim's outcomes ({want})"
    title_fams = _found({k: v.outcomes[k] for k in v.title_families}, title) - scope.outcomes
    tail = abstract[int(len(abstract) * 0.6) :]
    clinical_title = bool(v.surrogate[1].search(title))  # "effectiveness ... in depression"
    named = _names_outcome(scope, title, bare_condition=clinical_title)
    if title_fams and not named and not _names_outcome(scope, tail):
        return f"studies {'/'.join(sorted(title_fams))}, not the claim's outcome ({want})"
    return None


def _names_outcome(scope: ClaimScope, text: str, *, bare_condition: bool = False) -> bool:
    """The text names one of the claim's outcomes. For an efficacy claim the condition's bare name
    ("cognitive effects of ketamine in PTSD") is who was studied, not the outcome measured; it
    counts only with a word of measurement ("PTSD symptoms", "depression severity"), or with
    ``bare_condition`` (a title that speaks of treating it: "effectiveness ... in depression")."""
    v = _vocab()
    if scope.kind == "efficacy" and not bare_condition:
        for rx in v.conditions.values():
            text = rx.sub(lambda m: m[0] if v.measured.match(m.string, m.end()) else " ", text)
    return bool(_found(v.outcomes, text) & scope.outcomes)


def _indirectness(scope: ClaimScope, title: str, abstract: str) -> list[str]:
    v = _vocab()
    text = f"{title} {abstract}"
    out = []
    named = v.intervention["any"].search(title) or v.named_by_class.search(title)
    if scope.needs_intervention and title and not named:
        out.append(v.not_in_title)
    combo, unless, combo_reason = v.combination
    alone = scope.needs_intervention and not scope.co_interventions
    if alone and combo.search(title) and not unless.search(title):
        out.append(combo_reason)
    if scope.racemic_only and v.intervention["esketamine"].search(title):
        plain = re.sub(v.intervention["esketamine"].pattern, " ", title, flags=re.I)
        if not re.search(r"\bketamine\b", plain, re.I):
            out.append("esketamine evidence for a ketamine claim")
    if v.intervention["arketamine"].search(title) and scope.racemic_only:
        out.append("arketamine evidence for a ketamine claim")
    findings = f"{title} {abstract[int(len(abstract) * 0.6) :]}"
    durable_course = scope.durable and not scope.single_dose  # one dose: follow-up check only
    if durable_course and (v.single_dose.search(text) or not v.repeated.search(findings)):
        out.append("short-term or single-dose data for a claim about lasting or long-term effects")
    elif scope.horizon_days and _longest_follow_up(findings) < scope.horizon_days:
        out.append(v.follow_up_reason.format(unit=scope.horizon_unit))
    if scope.within_hours and not v.early[0].search(findings):
        out.append(v.early[1])
    if scope.resistant and not v.resistance[1].search(text):
        out.append(v.resistance[2])
    if (scope.comparator or scope.add_on) and not _reports_comparison(scope, title, abstract):
        out.append(v.comparison_reason)
    if scope.kind == "procedure":
        out.append(v.procedure_indirect)
    if scope.single_dose and v.repeated.search(title) and not v.single_dose.search(text):
        out.append("repeated-dose data for a single-dose claim")
    for rx, reason in v.indirect_pop.values():
        # who was studied: named in the title or more than once, not a passing mention of
        # recreational use or of substance use disorders among conditions ketamine may treat
        if scope.therapeutic and (rx.search(title) or len(rx.findall(abstract)) >= 2):
            out.append(reason)
    hv_rx = v.contexts["healthy-volunteers"][0]
    if (
        scope.kind != "efficacy"
        and hv_rx.search(text)
        and not re.search(  # healthy people as controls beside patients or users
            r"\b(patients|(\w+ )?users|abusers|(individuals|people|participants) with)\b",
            text,
            re.I,
        )
    ):
        out.append("healthy volunteers, not patients")
    return out


def assess_relevance(scope: ClaimScope, title: str, abstract: str) -> Relevance:
    """Whether the record addresses the claim (with the reason) and how indirectly."""
    why = _intervention_gate(scope, title, abstract) or _comparator_gate(scope, title, abstract)
    if why is not None:
        return Relevance(False, why)
    ctx = _context_gate(scope, title, abstract)
    as_indirect = None
    if ctx is not None:
        as_indirect = _context_as_indirect(ctx[0], scope, title, abstract)
        if as_indirect is None:
            return Relevance(False, _prevention_reason(ctx, scope, title, abstract))
    why = _outcome_gate(scope, title, abstract)
    if why is not None:
        return Relevance(False, why)
    why, near = _condition_gate(scope, title, abstract)
    if why is not None:
        return Relevance(False, why)
    indirect = _indirectness(scope, title, abstract)
    if as_indirect is not None:
        indirect.insert(0, as_indirect)
    if near:
        indirect.insert(0, near)
    reason = "addresses the claim's intervention, population and outcome"
    return Relevance(True, reason if not indirect else f"{reason}, indirectly", tuple(indirect))


def _prevention_reason(ctx: tuple[str, str], scope: ClaimScope, title: str, abstract: str) -> str:
    """The context's reason; for a treatment claim met by prevention around surgery, say so."""
    key, reason = ctx
    v = _vocab()
    treatment_claim = scope.kind == "efficacy" and bool(scope.conditions)
    if key not in v.context_indirect or key in v.treating_contexts or not treatment_claim:
        return reason
    if v.prevention[0].search(f"{title} {abstract}"):
        return f"{reason}; {v.prevention[1]}"
    return reason


def no_harm_qualified(statement: str) -> bool:
    """The no-harm claim says how rare, mild, brief or reduced the harm is (data/relevance.yaml)."""
    return bool(_rx(load_lexicon("relevance")["no_harm_qualifiers"]).search(statement))


def about_long_term(text: str) -> bool:
    """The text speaks of repeated, maintenance or long-term exposure (months, years), or of how
    long an effect lasts (sustained, persisting)."""
    v = _vocab()
    return bool(v.repeated.search(text) or v.durable.search(text))


def outcome_pattern(scope: ClaimScope, *, specific: bool = False) -> re.Pattern[str] | None:
    """One pattern for all the claim's outcome families (None when it names none); with
    ``specific`` only those named beyond the claimed condition's own symptoms."""
    v = _vocab()
    fams = scope.specific_outcomes if specific else scope.outcomes
    parts = [v.outcomes[k].pattern for k in sorted(fams)]
    return re.compile("|".join(parts), re.I) if parts else None


# Families that describe the regimen or the drug rather than a finding on an outcome.
_NOT_OUTCOMES = frozenset({"mechanism", "long-term-harm"})


def other_outcomes_pattern(scope: ClaimScope) -> re.Pattern[str] | None:
    """The outcome families the claim is not about (for reading a finding on its own outcome)."""
    v = _vocab()
    keep = sorted(set(v.outcomes) - set(scope.outcomes) - _NOT_OUTCOMES)
    parts = [v.outcomes[k].pattern for k in keep]
    return re.compile("|".join(parts), re.I) if parts else None
