"""A learned back-up for wording flags: claim-like sentences no wording cue flagged. Pure.

The cues of data/wording.yaml flag the phrasings their writers thought of; unseen copy keeps
finding others ("Ketamine resets the brain's mood circuits and the darkness lifts."). This model
reads what KIND of statement a sentence is: which classes of data/wording.yaml it uses (harm
nouns, universals, hype, competitors), generic English lists (data/overstated.yaml: who speaks,
certainty, degree, tense, evidence words), a few pairs of them in one sentence ("no" with a harm
noun), what the claim model read of it (role, subject, mood), and its word stems and pairs of
adjacent stems ("dark lift", "in #"): indirect overstatement has no word class of its own.
Training weighs only the stems found in the copy of many writer sets, under a stronger penalty,
so the model learns the phrasing of copy, not one writer's vocabulary. Its weights,
data/overstated_model.json, are a logistic regression trained on the labelled dev pages by
benchmarks/train_overstated.py, which also chooses the threshold leaving one writer out.

A hedge ("most patients", "studies suggest") is read as a feature (HEDGE) when the model weighs
it, so a hedged sentence that still overstates ("Most patients are free of depression for good")
can be flagged; a model trained with the hedge as a veto never flags a hedged sentence, and one
trained with the modal veto never flags a sentence hedged by a modal or possibility ("may",
"could", "some patients": is_modal_hedged), the honest form of a claim. A flagged
sentence gets the wording category whose features add most to its score, and a message quoting
the words that decided it.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import numpy as np
import numpy.typing as npt

from claimledger.copy.claimmodel import MEANING
from claimledger.copy.structure import Unit
from claimledger.copy.wording import Flag, _Category, _quote, expand, word_classes, wording
from claimledger.data.embedding import Vector, static_embedding
from claimledger.library.lexicon import (
    Caseless,
    CueIndex,
    gram_filter,
    load_lexicon,
    plain_ascii,
    trigrams,
)
from claimledger.textutil import stem

__all__ = [
    "HEDGE",
    "MODAL",
    "OverModel",
    "PageReader",
    "Reading",
    "backup_flag",
    "flag_for",
    "is_hedged",
    "is_modal_hedged",
    "overstated_model",
    "read_sentence",
    "stem_grams",
]

CLASS = "c:"  # feature-name prefixes: a word class of data/wording.yaml
SHAPE = "s:"  # a word list of data/overstated.yaml `shape`
PAIR = "x:"  # two features in one sentence (`together`)
CLAIM = "claim:"  # what the claim model read of the sentence
GRAM = "g:"  # a stem or a pair of adjacent stems of the sentence (stem_grams)
HEDGE = "h:hedged"  # the sentence hedges (is_hedged)
MODAL = "h:modal"  # and by a modal or possibility (is_modal_hedged): weighed only by a model
# trained so (benchmarks/train_overstated.py HEDGE_MODE "modal feature")
# the claim model's features this model reads (copy/check.py unit_features): what kind of unit it
# is and who its subject is; not its length or layout, which are house style
FROM_CLAIM = ("role:", "subject:", "subj:", "mood:", "topic:", "cue:", "named", "context", "rule")
FIRST = (CLAIM, MEANING)  # the first stage's features (see OverModel.floor)
MAX_QUOTE = 80  # a pair's words are quoted together when they are at most this far apart


@dataclass(frozen=True)
class _Vocabulary:
    names: tuple[str, ...]  # the feature each pattern of `index` sets
    index: CueIndex  # the word lists a trigram filter can rule out
    rest: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]  # the others: name, pattern,
    # and the pattern compiled with re.ASCII for printable-ASCII text (faster, same matches)
    hedges: Caseless
    modal: Caseless  # the modal and possibility hedges (is_modal_hedged)
    together: tuple[tuple[str, str, str], ...]
    categories: tuple[tuple[str, tuple[str, ...]], ...]
    default: str
    lead: str
    hedged_lead: str  # the lead for a hedged sentence the model still flags


@cache
def _vocabulary() -> _Vocabulary:
    data = load_lexicon("overstated")
    classes = word_classes(load_lexicon("wording"))
    pats = [(CLASS + k, rf"\b{v}\b") for k, v in classes.items() if k not in data["not_read"]]
    pats += [(SHAPE + k, expand(p, classes)) for k, p in data["shape"].items()]
    compiled = [(n, Caseless(p), p) for n, p in pats]
    indexed = [(n, rx) for n, rx, _ in compiled if gram_filter(rx)]
    rest = [(n, p) for n, rx, p in compiled if not gram_filter(rx)]
    return _Vocabulary(
        names=tuple(n for n, _ in indexed),
        index=CueIndex([rx for _, rx in indexed]),
        rest=tuple((n, re.compile(p), re.compile(p, re.ASCII)) for n, p in rest),
        hedges=Caseless(expand(data["hedges"], classes)),
        modal=Caseless(expand(data["modal_hedges"], classes)),
        together=tuple((PAIR + k, a, b) for k, (a, b) in data["together"].items()),
        categories=tuple((k, tuple(v)) for k, v in data["categories"].items()),
        default=data["default"],
        lead=" ".join(data["lead"].split()),
        hedged_lead=" ".join(data["hedged_lead"].split()),
    )


@dataclass(frozen=True)
class OverModel:
    """Logistic-regression weights by feature name ("emb:000" ... weigh the sentence's meaning
    vector, copy/claimmodel.py meaning_vectors; "g:dark lift" a stem pair, stem_grams); a
    sentence is flagged at ``threshold``."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    # a sentence whose kind and meaning alone (the claim model's features and the meaning vector,
    # with the bias) score under this is not read further: the first stage of two
    floor: float = -math.inf
    # a unit the claim model scored under its threshold by at most ``near`` is read too (an
    # overstated line is a claim by definition), flagged only at ``near_threshold``, which is
    # stricter: a flag there also makes the line a finding (benchmarks/train_overstated.py)
    near: float = 0.0
    near_threshold: float = 1.0
    # a hedged sentence is never flagged (the model was trained without hedged sentences); False:
    # the hedge is a feature like any other (HEDGE; the model was trained on hedged sentences too)
    hedge_veto: bool = True
    # with hedge_veto False: a sentence hedged by a modal or possibility (is_modal_hedged) is never
    # flagged (the model was trained without those); the other hedges stay a feature
    modal_veto: bool = False

    def vetoes(self, s: str, hedged: bool) -> bool:
        """Is the (normalised) sentence ``s``, which hedges or not (``hedged``), never flagged?"""
        return hedged and (self.hedge_veto or (self.modal_veto and is_modal_hedged(s)))

    def first_stage(self, features: Mapping[str, float], vector: Vector | None = None) -> float:
        """The score of the sentence's kind and meaning alone: ``features`` as ``probability``
        takes them, or the claim model's own (unprefixed) features with ``vector``."""
        w = self.weights
        if vector is None:
            part = (w[k] * v for k, v in features.items() if k.startswith(FIRST) and k in w)
            return self.bias + math.fsum(part)
        kind = self._claim_weights
        z = math.fsum(kind[k] * v for k, v in features.items() if k in kind)
        return self.bias + z + float(vector @ self._meaning)

    def probability(self, features: Mapping[str, float], vector: Vector | None = None) -> float:
        """The probability that the sentence overstates; its meaning vector either among
        ``features`` (as training has it) or as ``vector`` (a dot product, as check has it)."""
        w = self.weights
        z = self.bias + math.fsum(w[k] * v for k, v in features.items() if k in w)
        if vector is not None:
            z += float(vector @ self._meaning)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @cached_property
    def _claim_weights(self) -> dict[str, float]:
        """The claim model's features this model weighs, by their own names."""
        n = len(CLAIM)
        return {k[n:]: v for k, v in self.weights.items() if k.startswith(CLAIM)}

    @cached_property
    def _meaning(self) -> npt.NDArray[np.float64]:
        dim = static_embedding().dim
        return np.array([self.weights.get(f"{MEANING}{k:03d}", 0.0) for k in range(dim)])


@cache
def overstated_model() -> OverModel:
    """The shipped model (data/overstated_model.json, written by benchmarks/train_overstated.py)."""
    raw = resources.files("claimledger").joinpath("data/overstated_model.json").read_text()
    data = json.loads(raw)
    return OverModel(
        dict(data["weights"]),
        float(data["bias"]),
        float(data["threshold"]),
        float(data["floor"]),
        float(data.get("near", 0.0)),
        float(data.get("near_threshold", 1.0)),
        data.get("hedged", "veto") == "veto",
        data.get("hedged") == "modal veto",
    )


def is_hedged(s: str, low: str | None = None) -> bool:
    """Does the (normalised) sentence hedge ("may", "some patients", "studies suggest", "shows
    promise")? A veto or a feature for the model (OverModel.hedge_veto)."""
    low = s.lower() if low is None else low
    return bool(wording().hedges.search_in(s, low) or _vocabulary().hedges.search_in(s, low))


def is_modal_hedged(s: str, low: str | None = None) -> bool:
    """Does the (normalised) sentence hedge by a modal or possibility ("may", "could", "can
    help", "studies suggest", "some patients"; data/overstated.yaml ``modal_hedges``), not only
    by a quantity or a source ("most patients", "studies show")? The modal veto's test
    (OverModel.modal_veto), for a sentence that hedges (is_hedged)."""
    low = s.lower() if low is None else low
    return bool(_vocabulary().modal.search_in(s, low))


@dataclass(frozen=True)
class Reading:
    """What the model reads of one sentence: its features, and where in the sentence the words
    behind each word-list feature are (for the message)."""

    features: Mapping[str, float]
    spans: Mapping[str, tuple[int, int]]


def read_sentence(
    s: str,
    claim_features: Mapping[str, float],
    spans: dict[str, tuple[int, int]] | None = None,
    hedged: bool | None = None,
) -> Reading:
    """The model's features of the (normalised) sentence ``s``; ``claim_features``: what the
    claim model read of it (copy/check.py unit_features); ``spans``: its word-list matches, and
    ``hedged``: whether it hedges, when already known (``_matches(s)``, ``is_hedged(s)``)."""
    spans = dict(_matches(s) if spans is None else spans)
    f = dict.fromkeys(spans, 1.0)
    if is_hedged(s) if hedged is None else hedged:
        f[HEDGE] = 1.0
        if is_modal_hedged(s):
            f[MODAL] = 1.0
    for name, a, b in _vocabulary().together:
        if a in spans and b in spans:
            f[name] = 1.0
            spans[name] = _joined(spans[a], spans[b])
    for k, x in claim_features.items():
        if x and k.startswith(FROM_CLAIM):
            f[CLAIM + k] = x
    f.update(dict.fromkeys(stem_grams(s), 1.0))
    return Reading(f, spans)


_GRAM_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+")


def stem_grams(s: str) -> frozenset[str]:
    """The (normalised) sentence's word stems and pairs of adjacent stems, as features; every
    number reads as "#" (the figure is the writer's, that there is one is the kind)."""
    words = ["#" if w.isdigit() else w.removesuffix("'s") for w in _GRAM_WORD.findall(s.lower())]
    stems = [stem(w) for w in words]
    pairs = (f"{GRAM}{a} {b}" for a, b in itertools.pairwise(stems))
    return frozenset((*(GRAM + w for w in stems), *pairs))


def _matches(s: str) -> dict[str, tuple[int, int]]:
    """Each word-list feature of ``s`` with where its first match is."""
    v = _vocabulary()
    low = s.lower()
    if len(low) != len(s):  # lower-casing moved offsets (rare letters): read the text as it is
        low = s
    out = {v.names[i]: m.span() for i, m in v.index.matches(s, low, trigrams(low))}
    ascii_text = plain_ascii(low)
    for name, rx, rx_ascii in v.rest:
        if m := (rx_ascii if ascii_text else rx).search(low):
            out[name] = m.span()
    return out


def _joined(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    """Both spans as one when they are close, else the second (the pair's defining words)."""
    lo, hi = min(a[0], b[0]), max(a[1], b[1])
    return (lo, hi) if hi - lo <= MAX_QUOTE else b


class PageReader:
    """The back-up for one page: each claim-like unit no cue flagged is scored, and what was
    read of a text is kept for the page (pages repeat lines: a slogan, a testimonial's refrain)."""

    def __init__(self, model: OverModel | None = None) -> None:
        self.model = model or overstated_model()
        # what was read of each text: its word-list matches and whether it hedges; None: its
        # hedge is a veto (OverModel.vetoes), and the model never flags it
        self._read: dict[str, tuple[dict[str, tuple[int, int]], bool] | None] = {}

    def flag(
        self,
        u: Unit,
        claim_features: Mapping[str, float],
        vector: Vector,
        near_miss: bool = False,
    ) -> Flag | None:
        """A wording flag when the model scores the unit at its threshold or above (and its hedge
        is no veto: OverModel.vetoes); None otherwise. ``claim_features``: what the claim
        model read of it; ``vector``: its meaning vector (both computed by copy/check.py
        already); ``near_miss``: the claim model scored it just under its threshold, so the
        stricter ``near_threshold`` applies."""
        s = u.norm
        threshold = self.model.near_threshold if near_miss else self.model.threshold
        if self.model.first_stage(claim_features, vector) < self.model.floor:
            return None
        if s not in self._read:
            hedged = is_hedged(s)
            self._read[s] = None if self.model.vetoes(s, hedged) else (_matches(s), hedged)
        read = self._read[s]
        if read is None:
            return None
        r = read_sentence(s, claim_features, *read)
        if self.model.probability(r.features, vector) < threshold:
            return None
        return flag_for(s, r, self.model)


def backup_flag(
    u: Unit,
    claim_features: Mapping[str, float],
    vector: Vector,
    model: OverModel | None = None,
) -> Flag | None:
    """``PageReader(model).flag`` for a single unit."""
    return PageReader(model).flag(u, claim_features, vector)


# A model flag whose category's own qualifiers withdraw it: given to the next category the
# features score for that does not withdraw it (True), or dropped (False, before session 24).
# Session 24 (over25), train_overstated.py --fallback --folds 8 (8 groups of writer sets left
# out, thresholds chosen without them), True minus False: overstated flagged pooled +17 (95%
# +8..+27) of 6968, accurate claims flagged +1 (+0..+3) of 14849, filler made findings +0;
# FRESH (1165-1234) +0 of 320: a withdrawal ("a head-to-head trial", "not for everyone") is
# about its own category's words, not about every promise in the sentence
FALLBACK = True


def flag_for(s: str, r: Reading, model: OverModel) -> Flag | None:
    """The flag in the category whose features add most to the score, quoting their words; None
    when that category's own qualifiers withdraw it (data/wording.yaml ``unless``: a source, "not
    for everyone"; a testimonial that tells the bad weeks too), unless FALLBACK gives it to the
    next category that does not."""
    v = _vocabulary()
    w = model.weights
    ranked: list[tuple[float, str, str | None]] = []
    for name, feats in v.categories:
        present = [(w.get(k, 0.0) * r.features[k], k) for k in feats if k in r.features]
        total = sum(x for x, _ in present)
        if total > 0.0:
            quotable = [(x, k) for x, k in present if k in r.spans]
            ranked.append((total, name, max(quotable)[1] if quotable else None))
    # the category adding most first (the first listed on a tie), the default category last
    ranked.sort(key=lambda c: -c[0])
    ranked.append((0.0, v.default, None))
    wd = wording()
    for _, best, words in ranked if FALLBACK else ranked[:1]:
        if words is None:  # the default category: quote the strongest word-list feature there is
            scored = [(w.get(k, 0.0), k) for k in r.spans if w.get(k, 0.0) > 0]
            words = max(scored)[1] if scored else None
        code = best.upper().replace("-", "_")
        cat = next(c for c in wd.categories if c.code == code)
        if not (
            _withdrawn(cat, s, r.spans[words] if words else None)
            or (code == "TESTIMONIALS_AS_PROOF" and wd.testimonial["balanced"].search(s))
        ):
            break
    else:
        return None
    quoted = _quote(_words(s, r.spans[words]) if words else _shortened(s))
    lead = v.hedged_lead if HEDGE in r.features else v.lead
    return Flag(cat.code, f"{quoted} {lead} — {cat.title}: {cat.message}.", cat.basis)


def _withdrawn(cat: _Category, s: str, span: tuple[int, int] | None) -> bool:
    """The category's ``unless`` withdraws the flag: in the clause of the words it quotes when
    the category reads withdrawals by clause (copy/wording.py), else anywhere in the sentence."""
    if cat.unless is None or not cat.unless.search(s):
        return False
    if cat.clauses is None or span is None:
        return True
    kept = cat.clauses.withdrawn(cat.unless, s.lower())
    return kept is None or not kept[span[0] : span[1]].strip()


_WORD_EDGE = re.compile(r"\w")


def _words(s: str, span: tuple[int, int]) -> str:
    """The span widened to whole words."""
    a, b = span
    while a > 0 and _WORD_EDGE.match(s[a - 1]):
        a -= 1
    while b < len(s) and _WORD_EDGE.match(s[b]):
        b += 1
    return s[a:b]


def _shortened(s: str, n: int = 12) -> str:
    words = s.split()
    return s if len(words) <= n else " ".join(words[:n]) + " …"
