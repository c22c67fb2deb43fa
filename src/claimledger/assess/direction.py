"""Which way a real abstract's findings point, read from its results and conclusions.

The reader splits the abstract into sentences with their section role (conclusion, results,
other; inline labels such as "RESULTS:" or "Conclusions:" are recognised), keeps the sentences
that speak about the claim's outcome, and counts cue phrases (data/direction.yaml): benefit, no
effect, worsening, too-uncertain-to-say; harm, reassurance, absent harm; rise, fall. Conclusions
outweigh results; an abstract that states nothing clear about the outcome is left inconclusive
rather than guessed. Every verdict names the sentence and the cue it rests on.

Only the authors' judgement of no effect on the claim's own outcome contradicts an efficacy claim;
a statistical null, doubt about the evidence or a hedged negative leaves it undecided, and hedges
alone only lower the confidence (benchmarks/direction_pubmedqa.py checks the cues on generic
biomedical conclusions). A harm word reports harm only when it is not negated, not what the
treatment reduces, and not the severity of the patients' illness.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from claimledger.data.lexicon import load_lexicon
from claimledger.textutil import sentences

__all__ = [
    "Reading",
    "Sentence",
    "read_efficacy",
    "read_mechanism",
    "read_safety",
    "split_abstract",
]


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    role: str  # conclusion | results | other


@dataclass(frozen=True)
class Reading:
    stance: str  # supports | contradicts | inconclusive
    confidence: float
    sentence: Sentence | None
    why: str


@dataclass(frozen=True)
class _Cues:
    sections: dict[str, re.Pattern[str]]
    any_label: re.Pattern[str]
    table: dict[str, re.Pattern[str]]


def _rx(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.I)


@cache
def _cues() -> _Cues:
    d: dict[str, Any] = load_lexicon("direction")
    secs = {role: re.compile(r"^(?:" + "|".join(p) + r")$") for role, p in d["sections"].items()}
    labels = [x for p in d["sections"].values() for x in p]
    any_label = re.compile(r"(?:^|(?<=[.!?)\]]))\s*((?:" + "|".join(labels) + r")):\s*", re.I)
    table = {k: _rx(v) for k, v in d.items() if k not in ("sections", "future_work")}
    table["future_work"] = re.compile("|".join(d["future_work"]), re.I)
    table["judged"] = table["no_effect"]  # the authors judge it ineffective
    # any kind of null: a judgement, one on a named object, a statistical null
    table["no_effect"] = _rx(d["no_effect"] + d["no_effect_on"] + d["null_result"])
    return _Cues(secs, any_label, table)


def _role(label: str) -> str:
    up = label.upper()
    for role, rx in _cues().sections.items():
        if rx.match(up):
            return role
    return "other"


_COPYRIGHT = re.compile(
    r"^\W*(\(?psycinfo database record|©|\(c\)|copyright\b|all rights reserved)", re.I
)


_ENGLISH = re.compile(
    r"\b(the|of|and|in|to|was|were|with|for|is|that|by|on|this|these|but|not|did|than|after|"
    r"are|has|have|had|we|our|which|from|at|be|or|its|an)\b",
    re.I,
)


def _english(text: str) -> bool:
    """Translated abstracts (Spanish, French ...) follow some English ones: skip their sentences."""
    return len(text.split()) < 8 or bool(_ENGLISH.search(text))


def split_abstract(abstract: str) -> list[Sentence]:
    """Sentences with their section role; unlabelled abstracts end in their conclusion."""
    return [s for s in _split(abstract) if not _COPYRIGHT.search(s.text) and _english(s.text)]


def _split(abstract: str) -> list[Sentence]:
    c = _cues()
    marks = [(m.start(), m.end(), _role(m.group(1))) for m in c.any_label.finditer(abstract)]
    out: list[Sentence] = []
    if not marks:
        parts = [
            (sp.start + a, sp.start + b) for sp in sentences(abstract) for a, b in _unglue(sp.text)
        ]
        for i, (a, b) in enumerate(parts):
            role = "conclusion" if i >= len(parts) - 2 and len(parts) > 2 else "other"
            if role == "other" and i >= len(parts) // 2:
                role = "results"
            out.append(Sentence(a, b, abstract[a:b], role))
        return out
    bounds = [*marks, (len(abstract), len(abstract), "other")]
    if marks[0][0] > 0:
        bounds.insert(0, (0, 0, "other"))
    for (_, body_start, role), (next_start, _, _) in itertools.pairwise(bounds):
        body = abstract[body_start:next_start]
        for sp in sentences(body):
            for a, b in _unglue(sp.text):
                start = body_start + sp.start + a
                out.append(Sentence(start, start + (b - a), sp.text[a:b], role))
    return out


_GLUED = re.compile(r"(?<=[A-Za-z]{3}[.!?])(?=[A-Z][a-z])")


def _unglue(text: str) -> list[tuple[int, int]]:
    """Sentences run together without a space ("... for PTSD.While ketamine ..."), as some
    database exports write them: (start, end) of each part."""
    cuts = [0, *(m.start() for m in _GLUED.finditer(text)), len(text)]
    return [(a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip()]


def _has(name: str, text: str) -> re.Match[str] | None:
    return _cues().table[name].search(text)


def _about(
    sents: list[Sentence], topic: re.Pattern[str] | None, roles: tuple[str, ...]
) -> list[Sentence]:
    chosen = [s for s in sents if s.role in roles]
    if topic is None:
        return chosen
    return [s for s in chosen if topic.search(s.text)]


def _cue_text(m: re.Match[str] | None) -> str:
    return f"'{m.group(0)}'" if m else ""


def _efficacy_verdict(
    s: Sentence, *, durable: bool = False, topic: re.Pattern[str] | None = None
) -> tuple[str, re.Match[str] | None] | None:
    """benefit | no_effect | null | worse | uncertain | mixed for one sentence, with the deciding
    cue. A no-effect finding stated only as a statistical null ("no significant difference") is
    "null": undecided unless the authors also judge the treatment ineffective."""
    v = _direction_of(s, durable=durable)
    if v is None or v[0] != "no_effect" or _judged(s.text, topic):
        return v
    if _has("null_result", s.text):
        return "null", v[1]
    return None  # no effect on something other than the claim's outcome


def _judged(text: str, topic: re.Pattern[str] | None) -> bool:
    """The authors judge the treatment ineffective: a judgement cue outside any statistical-null
    phrase ("did not show a significant difference" is a null result, "did not show benefit" a
    judgement), or a "did not improve X" whose X is the claim's outcome."""
    c = _cues().table
    nulls = [m.span() for m in c["null_result"].finditer(text)]

    def free(m: re.Match[str]) -> bool:
        return not any(a <= m.start() < b or m.start() <= a < m.end() for a, b in nulls)

    if any(free(m) for m in c["judged"].finditer(text)):
        return True
    for m in c["no_effect_on"].finditer(text):
        obj = text[m.end() : m.end() + 80]
        on_outcome = topic is None or topic.search(obj) or c["outcome_words"].search(obj)
        if free(m) and on_outcome:
            return True
    return False


def _direction_of(s: Sentence, *, durable: bool = False) -> tuple[str, re.Match[str] | None] | None:
    """benefit | no_effect | worse | uncertain | mixed for one sentence, with the deciding cue.
    With ``durable`` (the claim says the effect lasts) a benefit that fades is mixed."""
    if _has("future_work", s.text):
        return None  # a call for more research, not a finding
    if _has("predictor", s.text):
        return None  # what predicts the response, not whether the treatment works
    b, n, w, u = (_has(k, s.text) for k in ("benefit", "no_effect", "worse", "uncertain"))
    if w and _has("adverse_listing", s.text):
        w = None  # a worsening listed among side effects: a harm, not an efficacy finding
    if b is None:
        first = ("worse", w) if w else ("no_effect", n) if n else ("uncertain", u) if u else None
        return first
    return _with_benefit(s.text, b, n, w, u, durable=durable)


def _with_benefit(
    text: str,
    b: re.Match[str],
    n: re.Match[str] | None,
    w: re.Match[str] | None,
    u: re.Match[str] | None,
    *,
    durable: bool,
) -> tuple[str, re.Match[str] | None] | None:
    """A sentence with a benefit cue: plain benefit, or what the other cues beside it make of it."""
    if not (n or u or w):
        limit = _limited(text, durable=durable)
        return ("mixed", limit) if limit is not None else ("benefit", b)
    if n and n.start() <= b.start() and b.end() <= n.end():
        return "no_effect", n  # "absence of analgesic effect": the benefit word is negated
    if n:
        return _main_clause(text, b, n)
    if u:
        return "uncertain", u  # "promising, but evidence of efficacy remains lacking"
    return "benefit", b


def _limited(text: str, *, durable: bool) -> re.Match[str] | None:
    """A limit on the benefit set against it by a contrast word ("improved, but less than ...";
    for a claim that the effect lasts, also "improved, but relapsed")."""
    if _has("contrast", text) is None:
        return None
    return _has("limits", text) or (_has("limits_durability", text) if durable else None)


_CONCESSIVE = re.compile(r"^\W*(while|although|though|despite|whereas|even though)\b", re.I)


_BETWEEN_GROUPS = re.compile(r"differ|than|superior|similar|comparable|placebo|control", re.I)


def _main_clause(text: str, b: re.Match[str], n: re.Match[str]) -> tuple[str, re.Match[str]]:
    """A sentence reporting both benefit and no effect: the main clause decides. After a
    concessive opening ("While ketamine reduced symptoms, the effect was not greater than ...")
    it is the later finding; otherwise the first ("improved at 24 h but not at day 14"), unless
    the null is between groups (both arms improved alike: undecided)."""
    first, later = (b, n) if b.start() < n.start() else (n, b)
    if _CONCESSIVE.search(text):
        m = later
    elif _BETWEEN_GROUPS.search(_clause_of(text, n)):
        return "mixed", n  # improved in both arms, no difference between them: undecided
    else:
        m = first
    return ("benefit" if m is b else "no_effect"), m


_CLAUSE = re.compile(r"(?:[,;]\s*|\s+)(?=(?:but|however|whereas|while|although|yet)\b)|;\s+", re.I)


def _clause_of(text: str, m: re.Match[str]) -> str:
    """The clause holding a cue ("..., but the difference from placebo was not significant")."""
    cuts = [0, *(c.end() for c in _CLAUSE.finditer(text)), len(text)]
    start = max(c for c in cuts if c <= m.start())
    end = min((c for c in cuts if c > m.start()), default=len(text))
    return text[start:end]


def _focus(s: Sentence, topic: re.Pattern[str] | None, other: re.Pattern[str] | None) -> Sentence:
    """The part of a sentence about the claim's outcome: clauses (split at "but", "whereas",
    "however", ";") that name only another outcome ("did not decrease cognitive impairment, but
    improved depression") are dropped when another clause names the claim's outcome; a clause
    that limits the benefit ("but a weaker response in ...") is kept."""
    if other is None:
        return s
    parts = [p for p in _CLAUSE.split(s.text) if p and p.strip()]
    kept = [
        p
        for p in parts
        if (topic is not None and topic.search(p)) or not other.search(p) or _has("limits", p)
    ]
    if len(kept) == len(parts) or topic is None or not any(topic.search(p) for p in kept):
        return s
    return replace(s, text=" ... ".join(kept))


def _verdicts(
    pool: list[Sentence],
    durable: bool = False,
    topic: re.Pattern[str] | None = None,
    other: re.Pattern[str] | None = None,
) -> list[tuple[Sentence, tuple[str, re.Match[str] | None]]]:
    """Each sentence's verdict on the claim's outcome, with the sentence it comes from."""
    out = []
    for s in pool:
        v = _efficacy_verdict(_focus(s, topic, other), durable=durable, topic=topic)
        if v is not None:
            out.append((s, v))
    return out


def _with_general_doubt(
    verdicts: list[tuple[Sentence, tuple[str, re.Match[str] | None]]],
    sents: list[Sentence],
    topic: re.Pattern[str] | None,
    other: re.Pattern[str] | None,
) -> list[tuple[Sentence, tuple[str, re.Match[str] | None]]]:
    """A concluding doubt about the evidence as a whole ("convincing evidence of efficacy remains
    lacking") concerns every outcome, though it does not repeat the outcome's name; one that
    names only another outcome does not."""
    seen = {id(s) for s, _ in verdicts}
    extra = [
        (s, v)
        for s, v in _verdicts(_about(sents, None, ("conclusion",)))
        if id(s) not in seen
        and v[0] == "uncertain"
        and _has("general_doubt_about", s.text)
        and not _has("general_doubt_not", s.text)
        and not _certainty_only(s.text)
        and not (other is not None and other.search(s.text))
        and not (topic is not None and topic.search(s.text))
    ]
    return sorted([*verdicts, *extra], key=lambda sv: sv[0].start)


def _certainty_only(text: str) -> bool:
    """The sentence's doubt is only about how certain the evidence is (see certainty_only)."""
    c = _cues().table
    doubts = [m.group(0) for m in c["uncertain"].finditer(text)]
    return all(c["certainty_only"].fullmatch(d) for d in doubts)


def _negative_title(title: Sentence, topic: re.Pattern[str] | None) -> bool:
    """Titles that state a null or harmful finding are rare and telling; count them."""
    v = _efficacy_verdict(title, topic=topic)
    return v is not None and v[0] in ("no_effect", "null", "worse")


_UNDECIDED = {
    "null": "a statistical null, not a conclusion of no effect",
    "uncertain": "the authors call the evidence uncertain",
    "mixed": "a mixed or qualified finding",
}


def read_efficacy(
    sents: list[Sentence],
    topic: re.Pattern[str] | None,
    title: str = "",
    *,
    strict: bool = False,
    durable: bool = False,
    other: re.Pattern[str] | None = None,
) -> Reading:
    """Direction of an efficacy finding about the claimed outcome (benefit / no effect / harm).

    A title that states a finding ("Absence of long-term analgesic effect ...") counts with the
    conclusions. With ``strict`` only sentences on the outcome count (claims about a secondary
    outcome such as quality of life are not answered by a general statement of benefit). With
    ``other`` (the outcomes the claim is not about), clauses only about those do not count.
    """
    heading = [Sentence(-1, -1, title, "conclusion")] if title else []
    for roles, base in ((("conclusion",), 0.8), (("results",), 0.65)):
        verdicts = _verdicts(_about(sents, topic, roles), durable, topic, other)
        if not verdicts and not strict:  # conclusions that do not repeat the outcome's name
            verdicts = _verdicts(_about(sents, None, roles), durable, topic, other)
        elif verdicts and roles == ("conclusion",):
            verdicts = _with_general_doubt(verdicts, sents, topic, other)
        if roles == ("conclusion",) and heading and _negative_title(heading[0], topic):
            verdicts = _verdicts(heading, durable, topic) + verdicts
        if verdicts:
            return _tally(verdicts, base, concluding=roles == ("conclusion",))
    return Reading(
        "inconclusive", 0.3, None, "states no finding about the claim's outcome: needs review"
    )


def _tally(
    verdicts: list[tuple[Sentence, tuple[str, re.Match[str] | None]]],
    base: float,
    *,
    concluding: bool,
) -> Reading:
    """The reading of one section's verdicts: benefit must outweigh the rest to support; a
    worsening, or (in the conclusions) the authors' judgement of no effect, contradicts."""
    kinds = [v[0] for _, v in verdicts]
    n_b = kinds.count("benefit")
    n_neg = kinds.count("no_effect") + kinds.count("null") + kinds.count("worse")
    first = {k: (s, v[1]) for s, v in reversed(verdicts) for k in [v[0]]}
    hedged = any(_has("hedge", s.text) for s, _ in verdicts)
    conf = round(base - (0.1 if hedged else 0.0), 2)
    if n_b > n_neg + kinds.count("uncertain") + kinds.count("mixed") // 2:
        s, m = first["benefit"]
        return Reading(
            "supports", conf, s, f"reports benefit on the claim's outcome ({_cue_text(m)})"
        )
    if n_neg > n_b and "worse" in kinds:
        s, m = first["worse"]
        return Reading("contradicts", conf, s, f"reports worsening ({_cue_text(m)})")
    if n_neg > n_b and concluding and "no_effect" in kinds:
        s, m = first["no_effect"]
        return Reading(
            "contradicts", conf - 0.1, s, f"the authors conclude no effect ({_cue_text(m)})"
        )
    s, (kind, m) = verdicts[-1]
    what = _UNDECIDED.get(kind, "mixed, null or uncertain findings")
    return Reading("inconclusive", 0.5, s, f"{what} ({_cue_text(m)}): needs review")


def _reassures(text: str) -> bool:
    """A reassurance cue that is about harm: "mild", "transient" or "short-lived" qualifying a
    benefit ("the short-lived antidepressant effect") says how long the benefit lasts, not that
    harm is brief."""
    benefit = _cues().table["benefit"]
    for m in _cues().table["safe"].finditer(text):
        if re.match(r"\s*(,|;|and\b|or\b|but\b|with\b|in\b)", text[m.end() :]):
            return True  # "safe and effective": coordinated, not qualifying a benefit
        after = re.match(r"\s+(?:[\w-]+\s+){0,2}", text[m.end() :])
        rest = text[m.end() + (after.end() if after else 0) :]
        if not benefit.match(rest) and not benefit.match(text[m.end() :].lstrip()):
            return True
    return False


def _live(name: str, text: str) -> tuple[int, int]:
    """(all, live) matches of a harm or severity cue: live ones are not negated, not what the
    treatment reduces or treats, and not the severity of the patients' illness."""
    c = _cues().table
    illness = [m.span() for m in c["severity_of_illness"].finditer(text)]
    found = live = 0
    for m in c[name].finditer(text):
        found += 1
        if any(a <= m.start() < b for a, b in illness):
            continue
        before = _words_before(text, m.start())
        if c["harm_negated_by"].search(before) or c["harm_treated_by"].search(before):
            continue
        live += 1
    return found, live


def _words_before(text: str, at: int, n: int = 6) -> str:
    """The last few words before a cue in its clause (a negation's reach: "no serious cardiac
    adverse events or deaths")."""
    clause = re.split(r"[,;:]|\b(?:but|however|whereas|while)\b", text[:at])[-1]
    return " ".join(clause.split()[-n:])


def _safety_mark(s: Sentence) -> str | None:
    """absent | reassure | serious | mention: what one sentence says about harm."""
    h_all, h_live = _live("harm", s.text)
    s_all, s_live = _live("serious", s.text)
    if s_live and not h_live and _only_duration(s.text):
        s_live = 0  # "improvements persisted": a duration, but of no harm
    if _has("no_harm", s.text) or _null_on_harm(s.text):
        return "absent"
    if (h_all or s_all) and not (h_live or s_live):
        return "absent" if _negated_harm(s.text) else None
    if _reassures(s.text):
        return "reassure"
    if s_live:
        return "serious"
    return "mention" if h_live else None


def _only_duration(text: str) -> bool:
    """Every severity cue of the sentence is a duration word ("persisted", "lasting")."""
    dur = _cues().table["serious_duration"]
    return all(dur.fullmatch(m.group(0)) for m in _cues().table["serious"].finditer(text))


def _null_on_harm(text: str) -> bool:
    """A clause reports no effect on harm ("no differences in adverse events"), and no other
    clause reports harm ("..., however the only adverse events were rises in blood pressure")."""
    parts = [p for p in _CLAUSE.split(text) if p and p.strip()]
    null = [p for p in parts if _has("harm", p) and _has("no_effect", p)]
    return bool(null) and not any(_live("harm", p)[1] for p in parts if p not in null)


def _negated_harm(text: str) -> bool:
    """Some harm or severity cue in the sentence is negated ("no serious adverse events")."""
    c = _cues().table
    for name in ("harm", "serious"):
        for m in c[name].finditer(text):
            if c["harm_negated_by"].search(_words_before(text, m.start())):
                return True
    return False


def _marked(
    sents: list[Sentence], topic: re.Pattern[str] | None, *, fallback: bool = True
) -> list[tuple[Sentence, str]]:
    """Results and conclusion sentences that say something about harm (on the claim's outcome
    when any does, else, with ``fallback``, any)."""
    tries = (topic, None) if topic is not None and fallback else (topic,)
    for t in tries:
        pool = _about(sents, t, ("conclusion", "results"))
        marked = [(s, m) for s in pool if (m := _safety_mark(s)) is not None]
        if marked and t is not None and fallback and all(m == "mention" for _, m in marked):
            # the outcome is only listed among side effects: a reassurance about its side effects
            # in general ("psychiatric side effects were transient") covers it too, while a
            # serious harm named in general need not be this one
            reassuring = ("absent", "reassure")
            general = [x for x in _marked(sents, None) if x[1] in reassuring and x not in marked]
            return sorted([*marked, *general], key=lambda sm: sm[0].start)
        if marked:
            return marked
    return []


def _cue_of(s: Sentence, *names: str) -> str:
    for n in names:
        m = _has(n, s.text)
        if m:
            return _cue_text(m)
    return ""


def read_safety(sents: list[Sentence], polarity: str, topic: re.Pattern[str] | None) -> Reading:
    """A harm or no-harm claim: does the record report the harm, or reassure about it?

    A harm that occurred supports a harm claim even when brief or mild; only a reported absence
    contradicts it. A no-harm claim ("transient", "rare", "minimal") is supported by absence or
    reassurance and contradicted only by harm of a kind or degree that answers it (serious,
    persistent, dependence), not by a plain list of side effects.
    """
    w = {"absent": 0.0, "reassure": 0.0, "serious": 0.0, "mention": 0.0}
    last: dict[str, Sentence] = {}
    # a harm claim is about its own harm: general tolerability says nothing about it
    marked = _marked(sents, topic, fallback=polarity != "asserts-harm")
    if polarity == "asserts-harm":
        marked = [(s, m) for s, m in marked if m != "reassure" or _has("harm", s.text)]
    for s, m in marked:
        w[m] += 3.0 if s.role == "conclusion" else 1.0  # the authors' verdict outweighs a tally
        last[m] = s
    if polarity == "asserts-harm":
        if w["serious"] + w["mention"] + w["reassure"] > w["absent"]:
            s = last.get("serious") or last.get("mention") or last["reassure"]
            why = f"reports the harm the claim asserts ({_cue_of(s, 'harm', 'serious', 'safe')})"
            return Reading("supports", 0.7, s, why)
        if w["absent"] > 0:
            s = last["absent"]
            why = f"reports no such harm ({_cue_of(s, 'no_harm', 'no_effect')})"
            return Reading("contradicts", 0.6, s, why)
        return Reading("inconclusive", 0.3, None, "states no finding about this harm: needs review")
    good = w["absent"] + w["reassure"]
    if good > w["serious"]:
        s = last.get("absent") or last["reassure"]
        why = (
            f"reports the harm absent, mild or brief ({_cue_of(s, 'no_harm', 'safe', 'no_effect')})"
        )
        return Reading("supports", 0.7, s, why)
    if w["serious"] > good:
        s = last["serious"]
        why = f"reports harm of a kind the claim rules out ({_cue_of(s, 'serious')})"
        return Reading("contradicts", 0.6, s, why)
    return Reading(
        "inconclusive", 0.35, None, "harm and reassurance balance or are absent: needs review"
    )


def read_mechanism(sents: list[Sentence], statement: str, topic: re.Pattern[str] | None) -> Reading:
    """A mechanism claim: does a finding about the claim's target move the way the claim says?"""
    up, down = _has("up", statement), _has("down", statement)
    want = "up" if up and not down else "down" if down and not up else None
    pool = _about(sents, topic, ("conclusion", "results"))
    if not pool:
        return Reading(
            "inconclusive", 0.3, None, "states no finding about the claimed mechanism: needs review"
        )
    for s in reversed(pool):
        if want is None:
            if _has("no_effect", s.text):
                continue
            return Reading(
                "supports",
                0.55,
                s,
                "a finding about the claimed mechanism, in its results or conclusions",
            )
        same, other = _has(want, s.text), _has("down" if want == "up" else "up", s.text)
        if _has("no_effect", s.text) and not same:
            return Reading(
                "contradicts",
                0.5,
                s,
                f"no change in the claimed target ({_cue_text(_has('no_effect', s.text))})",
            )
        if same and not other:
            return Reading(
                "supports",
                0.6,
                s,
                f"the claimed target moves as the claim says ({_cue_text(same)})",
            )
        if other and not same:
            return Reading(
                "contradicts",
                0.5,
                s,
                f"the claimed target moves the other way ({_cue_text(other)})",
            )
    return Reading(
        "inconclusive",
        0.35,
        pool[-1],
        "the direction of the mechanistic finding is unclear: needs review",
    )
