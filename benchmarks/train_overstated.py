"""Train the overstatement back-up (copy/overmodel.py); writes src/claimledger/data/overstated_model.json.

Examples are the claim-like units of the labelled dev pages and seed posts (the units
`claimledger check` reads; labels as benchmarks/train_claims.py aligns them): labelled
overstated → 1, claim → 0; none-labelled units are left out; a hedge is a feature or a veto
(HEDGE_MODE).
Training is train_claims.py's L2-regularised logistic regression with classes balanced, solved
by Newton's method with conjugate-gradient steps on sparse features (deterministic: sorted
features, fixed start, no randomness), so running it again regenerates the shipped file byte for
byte. The sentence's stems and stem pairs (copy/overmodel.py stem_grams) are weighed only when
they occur in the trained units of at least MIN_WRITERS writer sets (chosen again in each fold,
from its training writers alone), under GRAM_L2 times the penalty.

The threshold is chosen LEAVING ONE WRITER OUT (train_claims.WRITERS): each writer set is scored
by a model trained on the others, and the threshold is the lowest at which the accurate claims
flagged, by a wording cue or by the model, stay at most ACCURATE_BUDGET of all accurate claims.
It is counted on the units check reads: those the claim model reports, of which the model scores
those no cue flagged (the claim model trained without the writer, at the threshold chosen
without it, as train_claims.py --report has it: what check reads of copy nobody trained on). Units the claim model
scored at most NEAR under its threshold are read too (an overstated line is a claim by
definition); a flag there also makes the line a finding, so it needs the stricter near-miss
threshold, the lowest at which those flags are right (labelled overstated) NEAR_PRECISION of the
time, leaving one writer out; filler flagged there counts as wrong. The held-out set is never read.

    python benchmarks/train_overstated.py [--check]   # --check: fail if the shipped file differs
    python benchmarks/train_overstated.py --report    # the leave-one-writer-out curve, each
        # writer set at the threshold chosen without it, by category, and the worst units; then
        # the same figures without the stems (the back-up before them) and the difference
    ... --cache /tmp/NAME/overstated_examples.pkl  # reuse the labelled units (the claim model's
        # folds take most of the run); what the back-up reads of each sentence (data/overstated.yaml)
        # is read again, the rest is not: delete the file when anything else changed
    ... --grid 3:1,5:3,8:10    # with --cache: the shipped stem setting against these
        # (MIN_WRITERS:GRAM_L2), leaving one writer out, differences with 95% intervals
    ... --without x:fast_result,s:timeframe;s:digit   # the same, against the back-up without
        # each group of features (";" between groups)
    ... --hedge-feature        # the same, against the back-up that reads a hedge as a feature
        # (HEDGE) and trains on hedged units, instead of never flagging them (the veto)
    ... --hedge veto,feature,modal-veto   # the same, against the back-up with each way of
        # reading a hedge (HEDGE_MODE; "modal-veto": "modal veto")
    ... --keep /tmp/NAME/rows  # with the above: each setting's figures kept there and read back
        # by the next run (runs for different settings share the shipped one's; delete the
        # folder when anything but the settings changed)
    ... --folds 8              # with the above: 8 groups of writer sets left out in turn
        # instead of one writer set (8 models a setting, not one per writer set; each writer
        # set's thresholds are still chosen without it)
    ... --drop s:timeframe     # any of the above with these features left out of every model
    ... --misses "minimisation,misstated fact"   # with --report or a comparison: those
        # categories' overstated sentences by what check does with them, older sets and FRESH
        # apart (flagged by a cue or the back-up; missed: not read as a claim, a near-miss unit
        # unflagged, the back-up vetoed, within NEAR_MISS under its threshold, or low)
Figures are summed over the older writer sets, the newest (NEWEST), the sets held back in
session 25 (FRESH, pages 1345-1454, never tuned on) and all of them (pooled).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import train_claims as tc  # noqa: E402
from copy_accuracy import Label, LabelledSet, _key, _locate  # noqa: E402
from judged_cache import judged_page, timed  # noqa: E402

from claimledger.copy import overmodel  # noqa: E402
from claimledger.copy.check import Judged, is_attribution, near_readable  # noqa: E402
from claimledger.copy.claimmodel import MEANING, meaning_features  # noqa: E402
from claimledger.copy.overmodel import (  # noqa: E402
    CLAIM,
    GRAM,
    HEDGE,
    MODAL,
    OverModel,
    Reading,
    flag_for,
    is_hedged,
    is_modal_hedged,
    read_sentence,
)

OUT = ROOT / "src" / "claimledger" / "data" / "overstated_model.json"
# How the back-up reads a hedge (copy/overmodel.py is_hedged). "veto": a hedged unit is never
# flagged by the back-up nor trained on; "feature": it is, the hedge read as a feature (HEDGE)
# whose weight the model learns; "modal veto": a unit hedged by a modal or possibility ("may",
# "could", "some patients": is_modal_hedged) is vetoed, the other hedges ("most patients",
# "studies show") are a feature; "modal feature": every hedge a feature, a modal one a second
# feature (MODAL), so the model weighs the two kinds apart. Session 15, --hedge-feature --folds 8 (8 groups of writer sets
# left out), the feature minus the veto: overstated flagged pooled +43 (95% +23..+63) of 3952,
# the sets held back in session 14 +13 (+2..+26) of 493, accurate claims flagged +0 (-8..+7) of
# 7350, filler -1 (-4..+2)
HEDGE_MODE = "feature"
HEDGE_MODES = ("veto", "feature", "modal veto", "modal feature")
# the share of accurate claims (labelled claim) that may carry a wording flag, cue or model,
# leaving one writer out, counted on what check reports (units the claim model does not report
# carry no flag). 0.02 holds the page-level rate the earlier choice gave (0.025 counted on every
# claim-like unit, found or not, put the threshold at 0.87-0.88: 2.0% of accurate claims flagged
# on what check reports, leaving one writer out)
ACCURATE_BUDGET = 0.02
GRID = [round(0.40 + 0.01 * i, 2) for i in range(60)]  # 0.40 ... 0.99
# the meaning vector's components carry this multiple of the L2 penalty: the model reads what a
# sentence says as well as its word classes; chosen leaving one writer out (--report): 0.1
# caught as many overstatements for the accurate claims flagged as 0.03 (more than 0.3, 1 or 3)
# with less of the score from the meaning vector alone
# the stems and stem pairs carry GRAM_L2 times the penalty, and only those in the trained units of
# MIN_WRITERS writer sets or more are weighed: the model learns phrasing common to copy, not one
# writer's vocabulary (leaving one writer out, session 12: the newest sets' overstatements flagged
# 66.0% -> 68.9% for accurate claims flagged 60 -> 59 of 2413; --report prints it again).
# Session 16, --grid --folds 8 on session 15's unit cache (594 dev pages and the seeds, 8 groups of
# writer sets left out), overstated flagged pooled of 3952 (accurate flagged of 7350) by
# MIN_WRITERS:GRAM_L2: 5:10 3157 (146), 5:3 3239 (146), 5:1 3294 (147), 5:0.3 3344 (147),
# 5:0.1 3363 (145), 5:0.03 3348 (145); 3:3 3237, 8:3 3238, 3:1 3300, 3:0.3 3355, 8:0.3 3329,
# 3:0.1 3361. 5:0.1 minus 5:3: +124 (95% +93..+156), accurate -1 (-17..+15), filler made
# findings +1 (-6..+9); the minimum number of writer sets hardly matters, the penalty does
GRAM_L2 = 0.1
MIN_WRITERS = 5
SCALE = {MEANING: 0.1, GRAM: GRAM_L2}
# the first stage (copy/overmodel.py OverModel.floor): a sentence whose kind and meaning alone
# score under this is not read for word lists, which keeps check fast; chosen leaving one writer
# out: floors -3 to 0 caught as many overstatements for the accurate claims flagged as none, 1
# fewer (OVERSTATED_FLOOR overrides it for experiments only)
FLOOR = float(os.environ.get("OVERSTATED_FLOOR", "0.0"))
# how far under the claim model's threshold a unit is still read (see the module docstring), and
# how often its flags must be right. Chosen leaving one writer out, the claim model's folds left
# out too (margin 0.1 / 0.2 / 0.3 at precision 3 in 4: filler alarms +0.1 / +0.2 / +0.8 points
# for +1.6 / +2.2 / +3.4 points of overstatements; the newest writer sets +1.8 / +2.8 / +3.4)
NEAR = float(os.environ.get("OVERSTATED_NEAR", "0.1"))
NEAR_PRECISION = 0.75


@dataclass(frozen=True)
class Example:
    """One labelled claim-like unit: what the model reads, its label and what the cues did."""

    writer: str
    sentence: str
    features: Mapping[str, float]
    overstated: bool
    why: str | None  # the labelled wording category (overstated only)
    cue_flagged: bool  # a wording cue already flagged it (the model is not asked)
    hedged: bool  # a veto: never flagged by the model, nor trained on (vetoed, HEDGE_MODE)
    read: str = "found"  # what check does with it: "found" (reported as a claim whatever the
    # back-up says), "near" (reported only when the back-up flags it), "no" (never read)
    filler: bool = False  # labelled none: never trained on; counted when a near-miss flag hits it
    claim_p: float = 0.0  # the claim model's probability (trained without the writer)
    claim_t: float = 0.5  # and its threshold (chosen without the writer)
    role: str = ""  # the unit's role on the page (heading, list item, ...)
    label: tuple[str, int, int] = ("", 0, 0)  # (set, document, label number): the labelled
    # sentence the unit belongs to (a labelled sentence can be split into several units)
    size: int = 0  # the unit's length in characters (the longest unit of a label is its finding)


def _labels_of(
    s: LabelledSet, d: int, text: str, spans: Sequence[tuple[int, int]]
) -> list[Label | None]:
    """The label of each unit (at ``spans``) of document ``d``, as train_claims aligns them."""
    key, where = _key(text)
    labels = [lab for lab in s.labels if lab.doc == d]
    for lab in labels:
        lab.key_span = None
    _locate(labels, key)
    return [tc.unit_label(labels, where, a, b) for a, b in spans]


def examples_of(docs: Sequence[tc.Doc], sets: Sequence[tuple[str, LabelledSet]]) -> list[Example]:
    """The labelled claim-like units of ``docs`` (train_claims.documents of ``sets``)."""
    by_name = dict(sets)
    # which units check reads, as it would on a writer nobody trained on: the claim model trained
    # without the unit's writer (with the shipped trees: blended with the trees of the writer fold
    # that left it out), at the threshold chosen without it (train_claims.blend_folds)
    folds = tc.blend_folds(docs)
    cut = folds.thresholds
    out: list[Example] = []
    for doc, chance in zip(docs, folds.probabilities, strict=True):
        s = by_name[doc.set_name]
        text = _text(s, doc.index)
        spans = [(j.unit.start, j.unit.end) for j in doc.judged]
        labels = _labels_of(s, doc.index, text, spans)
        threshold = cut[tc.writer_of(doc)]
        number = {id(lab): k for k, lab in enumerate(s.labels)}
        for j, lab, p in zip(doc.judged, labels, chance.tolist(), strict=True):
            if lab is None or lab.label not in ("claim", "overstated", "none"):
                continue
            f = {**read_sentence(j.unit.norm, j.features).features, **meaning_features(j.vector)}
            f = _hedge_features(f, j.unit.norm, HEDGE_MODE)
            out.append(
                Example(
                    tc.writer_of(doc),
                    j.unit.norm,
                    f,
                    lab.label == "overstated",
                    lab.why,
                    bool(j.flags),
                    vetoed(j.unit.norm),
                    _read(j, p, threshold),
                    lab.label == "none",
                    p,
                    threshold,
                    j.unit.role,
                    (doc.set_name, doc.index, number[id(lab)]),
                    j.unit.end - j.unit.start,
                )
            )
    return out


def _read(j: Judged, p: float, threshold: float) -> str:
    """What check does with the unit, as copy/check.py check_text decides."""
    readable = not is_attribution(j.unit.norm) and j.unit.role != "reference"
    if j.features["overstated_claim"] or (p >= threshold and readable):
        return "found"
    if readable and not j.flags and near_readable(j.unit) and p >= threshold - NEAR:
        return "near"
    return "no"


def vetoed(s: str, mode: str = HEDGE_MODE) -> bool:
    """Is the unit's (normalised) sentence ``s`` never flagged nor trained on, its hedge read as
    ``mode`` says (HEDGE_MODE)?"""
    veto, modal = _veto_flags(mode)
    return is_hedged(s) and (veto or (modal and is_modal_hedged(s)))


def _veto_flags(mode: str) -> tuple[bool, bool]:
    """(OverModel.hedge_veto, OverModel.modal_veto) of a HEDGE_MODE."""
    if mode not in HEDGE_MODES:
        raise ValueError(f"unknown hedge mode {mode!r}; one of {HEDGE_MODES}")
    return mode == "veto", mode == "modal veto"


_texts: dict[tuple[str, int], str] = {}


def _text(s: LabelledSet, i: int) -> str:
    """The page's text as check reads it (read_document's, kept with its judged units)."""
    k = (s.name, i)
    if k not in _texts:
        _texts[k] = judged_page(s.docs[i])[0].text
    return _texts[k]


@dataclass(frozen=True)
class Grams:
    """How the stems are weighed: only those of at least ``min_writers`` writer sets, under
    ``l2`` times the penalty; ``min_writers`` 0: not at all (the back-up before them)."""

    min_writers: int = MIN_WRITERS
    l2: float = GRAM_L2

    def scale(self) -> dict[str, float]:
        return {**SCALE, GRAM: self.l2}


NO_GRAMS = Grams(0)


def fit(ex: Sequence[Example], grams: Grams | bool = True) -> tuple[dict[str, float], float]:
    """The logistic regression on the unhedged examples; ``grams`` False: without the stems."""
    g = grams if isinstance(grams, Grams) else Grams() if grams else NO_GRAMS
    used = _trained(ex)
    kept = _common_grams(used, g.min_writers) if g.min_writers else set()
    rows = [
        ({k: v for k, v in e.features.items() if not k.startswith(GRAM) or k in kept}, y)
        for e in used
        for y in [int(e.overstated)]
    ]
    return train(rows, scale=g.scale())


def _common_grams(ex: Sequence[Example], min_writers: int = MIN_WRITERS) -> set[str]:
    """The stems and stem pairs found in the units of at least ``min_writers`` writer sets."""
    sets: dict[str, set[str]] = {}
    for e in ex:
        for k in e.features:
            if k.startswith(GRAM):
                sets.setdefault(k, set()).add(e.writer)
    return {k for k, w in sets.items() if len(w) >= min_writers}


STEPS = 100  # Newton steps at most (it converges in about 10)
# OVERSTATED_WARM_FOLDS=1: a fold's Newton steps start from the fit of every writer set (the
# same minimum in fewer steps; equal on tests/test_train_speed.py, not yet compared on the dev
# pages' file, so by default each fold starts from zero as before)
WARM_FOLDS = bool(os.environ.get("OVERSTATED_WARM_FOLDS"))
CG_STEPS = 1000  # conjugate-gradient steps per Newton step at most


def train(
    examples: Sequence[tuple[Mapping[str, float], int]],
    l2_base: float = tc.L2,
    scale: Mapping[str, float] | None = None,
) -> tuple[dict[str, float], float]:
    """train_claims.train's regression (L2 by feature prefix, classes balanced, bias not
    penalised, weights rounded alike) with thousands of sparse stem features (GRAM): each Newton
    step is solved by conjugate gradients, preconditioned by the Hessian's block of the other
    features (a few hundred, dense, inverted) and its diagonal for the stems. Deterministic."""
    names = sorted({k for f, _ in examples for k in f})
    n = len(examples)
    sparse = [k for k in names if k.startswith(GRAM)]
    dense = [k for k in names if not k.startswith(GRAM)]
    nd = len(dense) + 1  # columns: the dense features, the bias, the stems
    col = {k: i for i, k in enumerate((*dense, "", *sparse))}
    xd = np.zeros((n, nd))
    xd[:, nd - 1] = 1.0  # the bias
    cells = []
    for r, (f, _) in enumerate(examples):
        for k, v in f.items():
            if k.startswith(GRAM):
                cells.append((r, col[k] - nd, v))
            else:
                xd[r, col[k]] = v
    rows = np.array([c[0] for c in cells], dtype=np.int64)
    cols = np.array([c[1] for c in cells], dtype=np.int64)
    vals = np.array([c[2] for c in cells], dtype=float)
    y = np.array([y for _, y in examples], dtype=float)
    return _solve(Matrix(xd, rows, cols, vals, y), dense, sparse, l2_base, scale)


@dataclass(frozen=True)
class Matrix:
    """``train``'s examples as it solves them: the dense features (sorted, then the bias) of each
    row, the stems as cells (row, stem column, value) in the order the rows carry them, and the
    labels."""

    xd: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    y: np.ndarray


def _solve(
    m: Matrix,
    dense: Sequence[str],
    sparse: Sequence[str],
    l2_base: float = tc.L2,
    scale: Mapping[str, float] | None = None,
) -> tuple[dict[str, float], float]:
    """``train``'s Newton steps on its matrix (columns ``dense``, the bias, ``sparse``)."""
    return _rounded(dense, sparse, _weights(m, dense, sparse, l2_base, scale))


def _rounded(
    dense: Sequence[str], sparse: Sequence[str], w: np.ndarray
) -> tuple[dict[str, float], float]:
    order = (*dense, "", *sparse)
    weights = {k: round(float(w[i]), 6) for i, k in enumerate(order) if k and abs(w[i]) >= 1e-4}
    return dict(sorted(weights.items())), round(float(w[len(dense)]), 6)


def _weights(
    m: Matrix,
    dense: Sequence[str],
    sparse: Sequence[str],
    l2_base: float = tc.L2,
    scale: Mapping[str, float] | None = None,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """``_solve``'s weights unrounded, from zero or from ``start`` (the same minimum: the
    steps stop at the same size)."""
    xd, rows, cols, vals, y = m.xd, m.rows, m.cols, m.vals, m.y
    n, nd = len(y), len(dense) + 1
    d = nd + len(sparse)
    pos = float(y.sum()) or 1.0
    cw = np.where(y == 1, n / (2 * pos), n / (2 * max(n - pos, 1.0)))
    l2 = np.array(
        [*(l2_base * tc._penalty(k, scale) for k in dense), 0.0]
        + [l2_base * tc._penalty(k, scale) for k in sparse]
    )

    def xv(v: np.ndarray) -> np.ndarray:
        return xd @ v[:nd] + np.bincount(rows, weights=vals * v[nd:][cols], minlength=n)

    def xtv(r: np.ndarray) -> np.ndarray:
        g = np.bincount(cols, weights=vals * r[rows], minlength=d - nd)
        return np.concatenate([xd.T @ r, g])

    w = np.zeros(d) if start is None else start.copy()
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(xv(w), -30.0, 30.0)))
        grad = xtv((p - y) * cw) / n + l2 * w
        curv = cw * p * (1 - p) / n
        block = np.linalg.inv((xd * curv[:, None]).T @ xd + np.diag(l2[:nd] + 1e-9))
        diag = np.bincount(cols, weights=vals * vals * curv[rows], minlength=d - nd)
        diag = diag + l2[nd:] + 1e-9

        def precondition(r: np.ndarray, b: np.ndarray = block, g: np.ndarray = diag) -> np.ndarray:
            return np.concatenate([b @ r[:nd], r[nd:] / g])

        step = _cg(lambda v, c=curv: xtv(c * xv(v)) + (l2 + 1e-9) * v, grad, precondition)
        w -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    return w


@dataclass(frozen=True)
class Design:
    """Every trained example of a list (``_trained``) as one matrix built once: ``fit`` of any
    part of the list is a slice of it, the same matrix ``train`` builds from the part's rows
    (the columns its rows carry, the stems its writer sets share), solved by ``_solve``."""

    used: tuple[Example, ...]
    dense: tuple[str, ...]  # every dense name, sorted (the bias column follows them in xd)
    xd: np.ndarray
    carried: np.ndarray  # which dense names each row carries
    grams: tuple[str, ...]  # every stem, sorted; cells index it
    cells: np.ndarray  # (row, stem, value) of every stem a row carries, in the rows' order
    writers: np.ndarray  # each row's writer set, as an index into ``names``
    gram_writers: np.ndarray  # for each stem, the writer sets carrying it (bool, stems x sets)
    _whole: dict[Grams, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    @classmethod
    def of(cls, ex: Sequence[Example]) -> Design:
        used = tuple(_trained(ex))
        dense = sorted({k for e in used for k in e.features if not k.startswith(GRAM)})
        grams = sorted({k for e in used for k in e.features if k.startswith(GRAM)})
        dcol, gcol = {k: i for i, k in enumerate(dense)}, {k: i for i, k in enumerate(grams)}
        writers = list(dict.fromkeys(e.writer for e in used))
        wcol = {w: i for i, w in enumerate(writers)}
        xd = np.zeros((len(used), len(dense) + 1))
        xd[:, -1] = 1.0
        carried = np.zeros((len(used), len(dense)), dtype=bool)
        cells: list[tuple[int, int, float]] = []
        gram_writers = np.zeros((len(grams), len(writers)), dtype=bool)
        for r, e in enumerate(used):
            for k, v in e.features.items():
                if k.startswith(GRAM):
                    cells.append((r, gcol[k], v))
                    gram_writers[gcol[k], wcol[e.writer]] = True
                else:
                    xd[r, dcol[k]] = v
                    carried[r, dcol[k]] = True
        at = np.array([wcol[e.writer] for e in used], dtype=np.int64)
        table = np.array(cells, dtype=float).reshape(-1, 3)
        return cls(used, tuple(dense), xd, carried, tuple(grams), table, at, gram_writers)

    def fit(
        self, keep: np.ndarray, grams: Grams, warm: bool = False
    ) -> tuple[dict[str, float], float]:
        """``fit`` of the examples whose trained rows ``keep`` marks (the others' rows left out
        as ``fit`` of the list without them leaves them); ``warm``: Newton's steps start from
        the fit of all the rows (``whole``), not from zero."""
        m, dense, sparse, dense_on, gram_on = self._matrix(keep, grams)
        start = None
        if warm:
            w, gram_all = self.whole(grams)
            nd = len(self.dense)
            start = np.concatenate(
                [w[:nd][dense_on], w[nd : nd + 1], w[nd + 1 :][gram_on[gram_all]]]
            )
        return _rounded(dense, sparse, _weights(m, dense, sparse, tc.L2, grams.scale(), start))

    def fit_all(self, grams: Grams) -> tuple[dict[str, float], float]:
        """``fit`` of every example (``fit(ex, grams)``), from the fit the warm folds start
        from."""
        w, gram_on = self.whole(grams)
        sparse = [k for k, c in zip(self.grams, gram_on, strict=True) if c]
        return _rounded(self.dense, sparse, w)

    def whole(self, grams: Grams) -> tuple[np.ndarray, np.ndarray]:
        """The fit of all the rows, unrounded, and the stems it weighs (kept per ``grams``)."""
        if grams not in self._whole:
            keep = np.ones(len(self.used), dtype=bool)
            m, dense, sparse, _, gram_on = self._matrix(keep, grams)
            self._whole[grams] = (_weights(m, dense, sparse, tc.L2, grams.scale()), gram_on)
        return self._whole[grams]

    def _matrix(
        self, keep: np.ndarray, grams: Grams
    ) -> tuple[Matrix, list[str], list[str], np.ndarray, np.ndarray]:
        dense_on = self.carried[keep].any(axis=0)
        if grams.min_writers:
            present = np.zeros(self.gram_writers.shape[1], dtype=bool)
            present[np.unique(self.writers[keep])] = True
            gram_on = (self.gram_writers & present).sum(axis=1) >= grams.min_writers
        else:
            gram_on = np.zeros(len(self.grams), dtype=bool)
        row_at = np.cumsum(keep) - 1  # a kept row's place among the kept rows
        gram_at = np.cumsum(gram_on) - 1
        r, g = self.cells[:, 0].astype(np.int64), self.cells[:, 1].astype(np.int64)
        on = keep[r] & gram_on[g]
        xd = self.xd[np.ix_(keep, np.append(dense_on, True))]
        y = np.array([float(e.overstated) for e in self.used])[keep]
        m = Matrix(xd, row_at[r[on]], gram_at[g[on]], self.cells[on, 2], y)
        dense = [k for k, c in zip(self.dense, dense_on, strict=True) if c]
        sparse = [k for k, c in zip(self.grams, gram_on, strict=True) if c]
        return m, dense, sparse, dense_on, gram_on


def _cg(
    hess: Callable[[np.ndarray], np.ndarray],
    grad: np.ndarray,
    precondition: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """The solution of hess(x) = grad by preconditioned conjugate gradients, to a residual under
    min(0.1, |grad|) of |grad| (Newton's steps then converge superlinearly)."""
    x = np.zeros_like(grad)
    r = grad.copy()
    norm = float(np.linalg.norm(grad))
    tol = min(0.1, norm) * norm
    z = precondition(r)
    p = z.copy()
    rz = float(r @ z)
    for _ in range(CG_STEPS):
        if float(np.linalg.norm(r)) <= tol:
            break
        hp = hess(p)
        alpha = rz / float(p @ hp)
        x += alpha * p
        r -= alpha * hp
        z = precondition(r)
        rz, old = float(r @ z), rz
        p = z + (rz / old) * p
    return x


def _trained(ex: Sequence[Example]) -> list[Example]:
    """The examples the model learns from: claim-like units (labelled claim or overstated) that
    are not hedged, wherever check reads them."""
    return [e for e in ex if not e.hedged and not e.filler]


@dataclass(frozen=True)
class Scored:
    example: Example
    p: float  # out-of-fold probability


def out_of_fold(
    ex: Sequence[Example],
    group: Callable[[Example], str],
    grams: Grams | bool = True,
    design: Design | None = None,
) -> list[Scored]:
    """Each example scored by a model trained without its group (``grams``: as fit; each
    model is ``fit`` of the other groups' examples, a slice of one matrix built once:
    ``design``, Design.of(ex) when not given)."""
    g = grams if isinstance(grams, Grams) else Grams() if grams else NO_GRAMS
    design = design or Design.of(ex)
    trained_group = np.array([group(e) for e in design.used], dtype=object)
    models: dict[str, OverModel] = {}
    out = []
    for e in ex:
        k = group(e)
        if k not in models:
            w, b = design.fit(trained_group != k, g, WARM_FOLDS)
            models[k] = OverModel(w, b, 0.5, FLOOR, NEAR)
        out.append(Scored(e, _probability(e, models[k])))
    return out


def _probability(e: Example, model: OverModel) -> float:
    """The model's probability, 0 for a sentence it never flags: hedged, or whose category's own
    qualifiers withdraw the flag (as copy/overmodel.py backup_flag decides), or that check
    never reads."""
    if e.hedged or e.read == "no" or model.first_stage(e.features) < model.floor:
        return 0.0
    p = model.probability(e.features)
    if p >= GRID[0]:
        at = OverModel(model.weights, model.bias, p, model.floor)
        if (
            flag_for(
                e.sentence,
                Reading(e.features, read_sentence(e.sentence, {}, None, False).spans),
                at,
            )
            is None
        ):
            return 0.0
    return p


def _reported(s: Scored, near_t: float) -> bool:
    """Does check report the unit (found, or a near miss the back-up flags at ``near_t``)?"""
    e = s.example
    return e.read == "found" or (e.read == "near" and s.p >= near_t)


def _hit(s: Scored, t: float, near_t: float) -> bool:
    """Is the unit reported with a wording flag (cues, and the model at ``t`` / ``near_t``)?"""
    e = s.example
    if e.read == "found":
        return e.cue_flagged or s.p >= t
    return e.read == "near" and s.p >= near_t


def by_label(scored: Sequence[Scored]) -> list[list[Scored]]:
    """The units of each labelled sentence (a sentence can be split into several units)."""
    out: dict[tuple[str, int, int], list[Scored]] = {}
    for s in scored:
        out.setdefault(s.example.label, []).append(s)
    return list(out.values())


def _label_hit(units: Sequence[Scored], t: float, near_t: float) -> bool:
    """Is the labelled sentence flagged, as copy_accuracy.py counts it: its longest reported
    unit (the finding overlapping it most) carries a wording flag?"""
    shown = [s for s in units if _reported(s, near_t)]
    return bool(shown) and _hit(max(shown, key=lambda s: s.example.size), t, near_t)


def counts(scored: Sequence[Scored], t: float, near_t: float = 2.0) -> tuple[int, int, int, int]:
    """(overstated flagged, overstated, accurate flagged, accurate) labelled sentences with cues
    and the model at ``t`` (near misses at ``near_t``); filler is left out (filler_flagged)."""
    claims = [u for u in by_label(scored) if not u[0].example.filler]
    hit = [_label_hit(u, t, near_t) for u in claims]
    over = [u[0].example.overstated for u in claims]
    caught = sum(1 for h, o in zip(hit, over, strict=True) if h and o)
    wrong = sum(1 for h, o in zip(hit, over, strict=True) if h and not o)
    return caught, sum(over), wrong, len(over) - sum(over)


def filler_flagged(scored: Sequence[Scored], near_t: float) -> tuple[int, int]:
    """(filler sentences a near-miss flag makes findings of, filler sentences)."""
    filler = [u for u in by_label(scored) if u[0].example.filler]
    made = sum(
        1
        for u in filler
        if not any(s.example.read == "found" for s in u)
        and any(s.example.read == "near" and s.p >= near_t for s in u)
    )
    return made, len(filler)


def threshold_for(scored: Sequence[Scored], budget: float = ACCURATE_BUDGET) -> float:
    """The lowest threshold at which accurate claims flagged stay within ``budget``."""
    for t in GRID:
        _, _, wrong, ok = counts(scored, t)
        if wrong <= budget * max(ok, 1):
            return t
    return GRID[-1]


def near_threshold_for(scored: Sequence[Scored], t: float) -> float:
    """The lowest threshold, ``t`` or above, at which the near misses' flags are right
    NEAR_PRECISION of the time (filler and accurate claims flagged are wrong)."""
    near = [s for s in scored if s.example.read == "near"]
    for nt in (g for g in GRID if g >= t):
        hit = [s for s in near if s.p >= nt]
        right = sum(1 for s in hit if s.example.overstated)
        if hit and right >= NEAR_PRECISION * len(hit):
            return nt
    return 1.0


def thresholds_for(scored: Sequence[Scored]) -> tuple[float, float]:
    """The threshold and the near-miss threshold chosen on these out-of-fold scores."""
    t = threshold_for(scored)
    return t, near_threshold_for(scored, t)


def thresholds_without(scored: Sequence[Scored]) -> dict[str, tuple[float, float]]:
    """For each writer set, thresholds_for on the other writer sets' scores, counted once for
    all of them (the sums over every writer set less its own): what the loop over writer sets
    would choose, without rereading every unit for every writer set."""
    writers = list(dict.fromkeys(s.example.writer for s in scored))
    at = {w: i for i, w in enumerate(writers)}
    grid = np.array(GRID)
    # each accurate claim's highest threshold still flagging it (near misses left out, as
    # threshold_for counts them): a cue flag any threshold, no unit check reports none
    acc_w, acc_top, n_ok = [], [], np.zeros(len(writers))
    for u in by_label(scored):
        e = u[0].example
        if e.filler or e.overstated:
            continue
        n_ok[at[e.writer]] += 1
        shown = [s for s in u if s.example.read == "found"]
        if shown:
            top = max(shown, key=lambda s: s.example.size)
            acc_w.append(at[e.writer])
            acc_top.append(np.inf if top.example.cue_flagged else top.p)
    wrong = _per_writer(np.array(acc_w, dtype=int), np.array(acc_top), grid, len(writers))
    near = [s for s in scored if s.example.read == "near"]
    near_w = np.array([at[s.example.writer] for s in near], dtype=int)
    near_p = np.array([s.p for s in near])
    right = np.array([s.example.overstated for s in near], dtype=bool)
    hit = _per_writer(near_w, near_p, grid, len(writers))
    hit_right = _per_writer(near_w[right], near_p[right], grid, len(writers))
    out = {}
    for w, i in at.items():
        budget = ACCURATE_BUDGET * max(n_ok.sum() - n_ok[i], 1)
        ok = np.flatnonzero(wrong.sum(axis=0) - wrong[i] <= budget)
        k = int(ok[0]) if len(ok) else len(GRID) - 1
        h, r = hit.sum(axis=0) - hit[i], hit_right.sum(axis=0) - hit_right[i]
        good = np.flatnonzero((np.arange(len(GRID)) >= k) & (h > 0) & (r >= NEAR_PRECISION * h))
        out[w] = (GRID[k], GRID[int(good[0])] if len(good) else 1.0)
    return out


def _per_writer(w: np.ndarray, p: np.ndarray, grid: np.ndarray, n: int) -> np.ndarray:
    """How many of the units (writer index ``w``, score ``p``) score at least each threshold of
    ``grid``, by writer: an n x len(grid) array."""
    out = np.zeros((n, len(grid)))
    for k, t in enumerate(grid):
        out[:, k] = np.bincount(w[p >= t], minlength=n)
    return out


def writer_models(ex: Sequence[Example]) -> dict[str, OverModel]:
    """For each writer set, the model trained without it at the threshold chosen on the other
    writers' out-of-fold scores: what copy_accuracy.py --cv-writer scores that writer with."""
    scored = out_of_fold(ex, lambda e: e.writer)
    out = {}
    for g in dict.fromkeys(e.writer for e in ex):
        w, b = fit([e for e in ex if e.writer != g])
        t, nt = thresholds_for([s for s in scored if s.example.writer != g])
        out[g] = OverModel(w, b, t, FLOOR, NEAR, nt, *_veto_flags(HEDGE_MODE))
    return out


# the newest writer sets (185-364, 405-1454): the hardest; most of their briefs asked for indirect
# wording
NEWEST = tuple(f"{a}-{a + 9}" for a in (*range(185, 365, 10), *range(405, 1455, 10)))
# the sets held back in session 25 (pages 1345-1454), in dev since session 26: the shipped
# back-up and its settings were never tuned on them, so they are the fairest test of a change
FRESH = tuple(f"{a}-{a + 9}" for a in range(1345, 1455, 10))


def report(ex: Sequence[Example], worst: int = 0, misses: Sequence[str] = ()) -> None:
    """Out-of-fold figures on what check reports: a unit the claim model does not report is
    neither flagged nor a false alarm, unless a near-miss flag makes it a finding."""
    scored = out_of_fold(ex, lambda e: e.writer)
    base = counts(scored, 2.0)
    print(
        f"cues alone (on what the claim model reports): overstated {base[0]}/{base[1]}, "
        f"accurate flagged {base[2]}/{base[3]} ({base[2] / base[3]:.1%}); overstated sentences "
        "no cue flagged, by what check reads of them: "
        + ", ".join(f"{k} {n}" for k, n in sorted(_unflagged(scored).items()))
    )
    print("leave one writer out, pooled (threshold: +caught/-accurate flagged, total accurate %):")
    cells = []
    for t in GRID[10::5]:
        c, _, w, ok = counts(scored, t)
        cells.append(f"{t}: +{c - base[0]}/-{w - base[2]} ({w / ok:.1%})")
    print("  " + "  ".join(cells))
    chosen, near_t = thresholds_for(scored)
    near = [s for s in scored if s.example.read == "near"]
    print(
        f"near misses (claim model within {NEAR} under its threshold, no cue): {len(near)}; "
        "flagged at (threshold: overstated/accurate/filler): "
        + "  ".join(
            f"{t}: {sum(1 for s in hit if s.example.overstated)}/"
            f"{sum(1 for s in hit if not s.example.overstated and not s.example.filler)}/"
            f"{sum(1 for s in hit if s.example.filler)}"
            for t in GRID[40::5]
            for hit in [[s for s in near if s.p >= t]]
        )
    )
    print(f"thresholds on all out-of-fold scores: {chosen}, near misses {near_t} (margin {NEAR})")
    print("each writer set at the thresholds chosen without it:")
    rows, why = _writer_rows(scored, verbose=True)
    _totals(rows)
    _categories(why)
    _classes(why, misses)
    if worst:
        _worst(scored, chosen, worst)
    print("without the stems and stem pairs (the back-up before them), leaving one writer out:")
    before, why0 = _writer_rows(out_of_fold(ex, lambda e: e.writer, grams=False))
    _totals(before)
    _categories(why0)
    print("stems and stem pairs minus without them (95% interval resampling writer sets):")
    for k, sets in _groups(rows):
        part = [g for g in sets if g in rows]
        print(f"  {k:>7}: " + _difference(before, rows, part))


@dataclass(frozen=True)
class Variant:
    """A back-up compared with the shipped one (--grid, --without, --hedge-feature): its stem
    setting, the features it does without, and whether it reads a hedge as a feature (HEDGE)
    instead of a veto."""

    name: str
    grams: Grams = Grams()
    dropped: frozenset[str] = frozenset()
    hedge: str = ""  # how it reads a hedge (HEDGE_MODES); "": as shipped (HEDGE_MODE)
    fallback: bool | None = None  # a withdrawn flag given to the next category (overmodel.FALLBACK)


def compare(
    ex: Sequence[Example],
    variants: Sequence[Variant],
    keep: Path | None = None,
    folds: int = 0,
    misses: Sequence[str] = (),
) -> None:
    """Leaving one writer out, the back-up as shipped (MIN_WRITERS, GRAM_L2, every feature read) and
    each variant (its stem setting, without the features named, the hedge read as a feature), with
    the variant minus the shipped one and 95% intervals resampling writer sets. ``keep``: a
    folder where each setting's figures are kept, and read back by the next run (--keep);
    ``folds``: groups of writer sets left out instead of one writer set (--folds); ``misses``:
    categories whose sentences are counted by what check does with them (--misses)."""
    out = f"{folds} groups of writer sets" if folds else "one writer"
    print(
        f"as shipped (min writers {MIN_WRITERS}, stem penalty x{GRAM_L2}, hedge: {HEDGE_MODE}), "
        f"leaving {out} out:"
    )
    base, why = _variant_rows(ex, Variant("as shipped"), keep, folds)
    _totals(base)
    _categories(why)
    _classes(why, misses)
    for v in variants:
        rows, why = _variant_rows(ex, v, keep, folds)
        print(f"{v.name}:")
        _totals(rows)
        _categories(why)
        _classes(why, misses)
        print("  minus as shipped (95% interval resampling writer sets):")
        for k, sets in _groups(rows):
            if part := [g for g in sets if g in rows]:
                print(f"  {k:>7}: " + _difference(base, rows, part))


def writer_groups(ex: Sequence[Example], folds: int) -> Callable[[Example], str]:
    """The fold of each example: its writer set (``folds`` 0), or one of ``folds`` groups the
    writer sets are dealt into in turn, in the order they first come (--folds: a group of
    writer sets left out together, quicker than one writer at a time)."""
    if not folds:
        return lambda e: e.writer
    deal = {w: str(i % folds) for i, w in enumerate(dict.fromkeys(e.writer for e in ex))}
    return lambda e: deal[e.writer]


def _variant_rows(
    ex: Sequence[Example], v: Variant, keep: Path | None, folds: int = 0
) -> tuple[dict[str, Row], Counter[tuple[str, bool]]]:
    """_writer_rows of the variant leaving one writer out (or ``folds`` groups of writer sets),
    read from ``keep`` when it holds them (written there otherwise). The file name carries a
    digest of the examples (every field: sentence, label, features, ...), so rows kept before a change to code,
    labels or word lists are not read back as this run's figures."""
    hedge = (v.hedge or HEDGE_MODE).replace(" ", "-")
    fallback = overmodel.FALLBACK if v.fallback is None else v.fallback
    slug = f"f{folds}-m{v.grams.min_writers}-l{v.grams.l2:g}-h{hedge}-b{int(fallback)}-" + "+".join(
        sorted(v.dropped)
    )
    path = keep / f"{slug.replace('/', '_')}-{_digest(ex)}.pkl" if keep else None
    if path is not None and path.exists():
        print(f"({v.name}: figures read back from {path})")
        with path.open("rb") as f:
            got: tuple[dict[str, Row], Counter[tuple[str, bool]]] = pickle.load(f)
        return got
    part = _without(ex, v.dropped) if v.dropped else ex
    part = hedge_as(part, v.hedge) if v.hedge else part
    shipped, overmodel.FALLBACK = overmodel.FALLBACK, fallback
    try:
        got = _writer_rows(out_of_fold(part, writer_groups(part, folds), v.grams))
    finally:
        overmodel.FALLBACK = shipped
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            pickle.dump(got, f)
    return got


def _digest(ex: Sequence[Example]) -> str:
    """A short digest of what the examples hold, naming the kept rows they produced. The
    features are digested in sorted order: the order they were read in follows a set of stems,
    which differs from one run to the next (string hashing), and the same examples must give
    the same name in every run, or kept rows are never read back."""
    h = hashlib.sha256()
    for e in ex:
        h.update(repr(replace(e, features=dict(sorted(e.features.items())))).encode())
    return h.hexdigest()[:12]


def _without(ex: Sequence[Example], names: frozenset[str]) -> list[Example]:
    """The examples without the features ``names`` (exact feature names, e.g. "x:fast_result")."""
    return [
        replace(e, features={k: v for k, v in e.features.items() if k not in names}) for e in ex
    ]


def hedge_read(ex: Sequence[Example]) -> list[Example]:
    """The examples with a hedge read as a feature (HEDGE) instead of a veto: a hedged unit is
    trained on and scored like any other ("Most patients are done with depression for good" is
    labelled overstated), the model learning how much a hedge lowers the score."""
    return hedge_as(ex, "feature")


def hedge_as(ex: Sequence[Example], mode: str) -> list[Example]:
    """The examples with a hedge read as ``mode`` says (HEDGE_MODES): every hedged unit carries
    HEDGE, and is vetoed (never trained on nor flagged) by "veto", by "modal veto" when the hedge
    is a modal or possibility (is_modal_hedged), by "feature" never."""
    veto, modal = _veto_flags(mode)
    return [
        replace(
            e,
            features=_hedge_features({**e.features, HEDGE: 1.0}, e.sentence, mode),
            hedged=veto or (modal and is_modal_hedged(e.sentence)),
        )
        if e.hedged or HEDGE in e.features
        else e
        for e in ex
    ]


def _hedge_features(f: dict[str, float], s: str, mode: str = HEDGE_MODE) -> dict[str, float]:
    """The features ``f`` of sentence ``s`` with MODAL only where ``mode`` weighs it ("modal
    feature", and the sentence hedges by a modal: read_sentence marks it), left out otherwise."""
    if mode == "modal feature" and HEDGE in f and is_modal_hedged(s):
        return {**f, MODAL: 1.0}
    return {k: v for k, v in f.items() if k != MODAL}


def _modes(spec: str) -> list[str]:
    """--hedge's modes: "veto,feature,modal-veto" (a dash for the space of "modal veto")."""
    out = [m.replace("-", " ") for m in spec.split(",") if m]
    for m in out:
        _veto_flags(m)  # an unknown mode fails here, before any training
    return out


def _grid(spec: str) -> list[Variant]:
    """--grid's stem settings: "MIN_WRITERS:L2,..." (e.g. "3:1,5:3,8:10")."""
    out = []
    for cell in spec.split(","):
        m, l2 = cell.split(":")
        out.append(Variant(f"min writers {m}, stem penalty x{l2}", Grams(int(m), float(l2))))
    return out


Row = tuple[int, int, int, int, int, int, int, int]  # see _row


def _writer_rows(
    scored: Sequence[Scored], verbose: bool = False
) -> tuple[dict[str, Row], Counter[tuple[str, bool]]]:
    """Each writer set's row (_row) at the thresholds chosen without it, and the overstated
    sentences by labelled category and whether they were flagged."""
    rows: dict[str, Row] = {}
    why: Counter[tuple[str, bool]] = Counter()
    cut = thresholds_without(scored)
    by_writer: dict[str, list[Scored]] = {}
    for s in scored:
        by_writer.setdefault(s.example.writer, []).append(s)
    for g, part in by_writer.items():
        t, nt = cut[g]
        c, o, w, ok = counts(part, t, nt)
        c0, _, w0, _ = counts(part, 2.0)
        fa, nf = filler_flagged(part, nt)
        for u in by_label(part):
            if u[0].example.overstated:
                why[(u[0].example.why or "?", _label_hit(u, t, nt))] += 1
                where = "FRESH" if g in FRESH else "older"
                why[
                    (f"~class|{u[0].example.why or '?'}|{where}|{_miss_class(u, t, nt)}", True)
                ] += 1
            if not u[0].example.filler and any(_hedged(s.example) for s in u):
                kind = "~hedged overstated" if u[0].example.overstated else "~hedged accurate"
                why[(kind, _label_hit(u, t, nt))] += 1
                if any(_hedged(s.example) and _modal(s.example.sentence) for s in u):
                    why[(kind.replace("hedged", "modal"), _label_hit(u, t, nt))] += 1
        rows[g] = (c0, c, o, w0, w, ok, fa, nf)
        if verbose:
            print(f"  {g:>7} t={t}/{nt}: " + _row(rows[g]))
    return rows, why


def _older(rows: Mapping[str, Row]) -> tuple[str, ...]:
    return tuple(g for g in rows if g not in NEWEST)


def _groups(rows: Mapping[str, Row]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The groups of writer sets the figures are summed over (FRESH is part of NEWEST)."""
    return (("older", _older(rows)), ("newest", NEWEST), ("fresh", FRESH), ("pooled", tuple(rows)))


def _totals(rows: Mapping[str, Row]) -> None:
    for k, sets in _groups(rows):
        tot = [sum(col) for col in zip(*(rows[g] for g in sets if g in rows), strict=True)]
        if tot:  # a group none of whose writer sets were read (an older cache) is left out
            print(f"  {k:>7}: " + _row(tuple(tot)))


def _categories(why: Counter[tuple[str, bool]]) -> None:
    def cell(k: str) -> str:
        return f"{why[(k, True)]}/{why[(k, True)] + why[(k, False)]}"

    print(
        "  by category (caught/labelled): "
        + "; ".join(f"{k} {cell(k)}" for k in sorted({k for k, _ in why if k[0] != "~"}))
    )
    print(
        "  labelled sentences with a hedge in a unit: overstated flagged "
        f"{cell('~hedged overstated')}, accurate flagged {cell('~hedged accurate')}; "
        f"a modal hedge: overstated {cell('~modal overstated')}, "
        f"accurate {cell('~modal accurate')}"
    )


# how near a back-up score must be to its threshold to count as a near miss (--misses)
NEAR_MISS = 0.15


def _miss_class(u: Sequence[Scored], t: float, nt: float) -> str:
    """What check does with a labelled overstated sentence (its units ``u``) at thresholds ``t``
    and ``nt``: flagged by a cue or by the back-up, or missed because the claim model never
    reads it, reads it only as a near miss the back-up does not flag, or reports it while the
    back-up reads a veto (a hedge; a withdrawn category), scores it just under ``t`` (within
    NEAR_MISS) or lower."""
    if _label_hit(u, t, nt):
        shown = [s for s in u if _reported(s, nt)]
        top = max(shown, key=lambda s: s.example.size)
        return "flagged: cue" if top.example.cue_flagged else "flagged: back-up"
    state = _state(u)
    if state != "found":
        return (
            "missed: not read as a claim" if state == "no" else "missed: near-miss unit unflagged"
        )
    top = max((s for s in u if s.example.read == "found"), key=lambda s: s.example.size)
    if top.p == 0.0:
        return "missed: reported, back-up vetoed (hedge, floor, withdrawn)"
    if top.p >= t - NEAR_MISS:
        return f"missed: reported, back-up within {NEAR_MISS} under its threshold"
    return "missed: reported, back-up scores it low"


def _classes(why: Counter[tuple[str, bool]], wanted: Sequence[str]) -> None:
    """--misses: the labelled overstated sentences of each wanted category by what check does
    with them (_miss_class), on the older writer sets and on FRESH (counts only)."""
    for cat in wanted:
        for where in ("older", "FRESH"):
            head = f"~class|{cat}|{where}|"
            cells = sorted((k[len(head) :], n) for (k, _), n in why.items() if k.startswith(head))
            total = sum(n for _, n in cells)
            print(f"  {cat} ({where}, {total}): " + "; ".join(f"{k} {n}" for k, n in cells))


@cache
def _modal(s: str) -> bool:
    """Is the sentence hedged by a modal or possibility (is_modal_hedged)? Kept per sentence."""
    return is_modal_hedged(s)


def _hedged(e: Example) -> bool:
    """Is the unit hedged (a veto, or HEDGE read as a feature)?"""
    return e.hedged or HEDGE in e.features


def _difference(before: Mapping[str, Row], after: Mapping[str, Row], sets: Sequence[str]) -> str:
    """Overstated flagged, accurate flagged and filler made findings, after minus before, summed
    over ``sets``, each with a 95% interval from resampling the writer sets (fixed seed)."""
    cols = {"overstated flagged": 1, "accurate flagged": 4, "filler made findings": 6}
    diff = np.array([[after[g][c] - before[g][c] for c in cols.values()] for g in sets])
    rng = np.random.default_rng(0)
    boot = diff[rng.integers(0, len(sets), (2000, len(sets)))].sum(axis=1)
    lo, hi = np.percentile(boot, [2.5, 97.5], axis=0)
    return ", ".join(
        f"{name} {int(diff[:, i].sum()):+d} ({lo[i]:+.0f}..{hi[i]:+.0f})"
        for i, name in enumerate(cols)
    )


def _state(u: Sequence[Scored]) -> str:
    """What check reads of a labelled sentence: "found" (a unit reported), "near" (a unit read
    as a near miss) or "no"."""
    reads = {s.example.read for s in u}
    return next((k for k in ("found", "near") if k in reads), "no")


def _unflagged(scored: Sequence[Scored]) -> Counter[str]:
    """Overstated sentences the cues leave unflagged, by what check reads of them."""
    return Counter(
        _state(u)
        for u in by_label(scored)
        if u[0].example.overstated and not _label_hit(u, 2.0, 2.0)
    )


def _row(r: tuple[int, ...]) -> str:
    c0, c, o, w0, w, ok, fa, nf = r
    return (
        f"overstated {c0}->{c}/{o} ({c0 / max(o, 1):.1%}->{c / max(o, 1):.1%}), accurate flagged "
        f"{w0}->{w}/{ok} ({w0 / max(ok, 1):.1%}->{w / max(ok, 1):.1%}), filler made findings by "
        f"near-miss flags {fa}/{nf} ({fa / max(nf, 1):.1%})"
    )


def _worst(scored: Sequence[Scored], t: float, n: int) -> None:
    free = [
        s
        for s in scored
        if not s.example.cue_flagged and not s.example.filler and s.example.read != "no"
    ]
    fa = sorted((s for s in free if not s.example.overstated), key=lambda s: -s.p)[:n]
    miss = sorted((s for s in free if s.example.overstated), key=lambda s: s.p)[:n]
    hits = sorted((s for s in free if s.example.overstated and s.p >= t), key=lambda s: -s.p)[:n]
    for title, rows in (
        ("accurate claims scored highest", fa),
        ("overstated scored lowest", miss),
        ("overstated caught", hits),
    ):
        print(f"  {title} (leave one writer out):")
        for s in rows:
            print(
                f"    {s.example.writer:>7} p={s.p:.2f} {s.example.why or '':22} {s.example.sentence[:100]}"
            )


def _examples(cache: Path | None) -> list[Example]:
    """The labelled units (examples_of), read from ``cache`` when it exists (written there
    otherwise); the stems are read again from each sentence, so a file written before they
    were read serves too."""
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            ex: list[Example] = pickle.load(f)
        return [_reread(e) for e in ex]
    sets = tc.dev_sets()
    ex = examples_of(tc.documents(sets), sets)
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump(ex, f)
    return ex


def _reread(e: Example) -> Example:
    """The cached unit with what copy/overmodel.py reads of its sentence read again (word lists,
    pairs, stems, hedges: data/overstated.yaml may have changed since the cache was written); the
    claim model's features and the meaning vector are kept as they were read."""
    n = len(CLAIM)
    claim = {k[n:]: v for k, v in e.features.items() if k.startswith(CLAIM)}
    meaning = {k: v for k, v in e.features.items() if k.startswith(MEANING)}
    f = _hedge_features({**read_sentence(e.sentence, claim).features, **meaning}, e.sentence)
    return replace(e, features=f, hedged=vetoed(e.sentence))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--check", action="store_true", help="fail if the shipped file differs")
    ap.add_argument("--report", action="store_true", help="print leave-one-writer-out figures")
    ap.add_argument("--worst", type=int, default=0, metavar="N", help="with --report: N units")
    ap.add_argument("--cache", type=Path, help="read the labelled units from / write them to")
    ap.add_argument("--grid", metavar="M:L2,...", help="compare stem settings with the shipped")
    ap.add_argument(
        "--without", metavar="NAME,...;...", help="compare the back-up without these features"
    )
    ap.add_argument("--drop", metavar="NAME,...", help="features left out of every model")
    ap.add_argument(
        "--folds",
        type=int,
        default=0,
        metavar="N",
        help="compare leaving N groups of writer sets out, not one writer set (quicker)",
    )
    ap.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep each compared setting's figures there"
    )
    ap.add_argument(
        "--hedge",
        metavar="MODE,...",
        help="compare (after any --grid/--without) the back-up reading a hedge so: "
        "veto, feature, modal-veto",
    )
    ap.add_argument(
        "--hedge-feature",
        action="store_true",
        help="compare (after any --grid/--without) the back-up reading a hedge as a feature",
    )
    ap.add_argument(
        "--fallback",
        action="store_true",
        help="compare (after the others) the back-up giving a flag its category withdraws to "
        "the next category (copy/overmodel.py FALLBACK)",
    )
    ap.add_argument(
        "--misses",
        metavar="CATEGORY,...",
        help="with --report or a comparison: these categories' overstated sentences by what "
        "check does with them (missed: not read, near miss, vetoed, just under, low)",
    )
    a = ap.parse_args()
    misses = a.misses.split(",") if a.misses else []
    with timed("the labelled units (pages judged, the claim model's writer folds)"):
        ex = _examples(a.cache)
    if a.drop:
        ex = _without(ex, frozenset(a.drop.split(",")))
    if a.grid or a.without or a.hedge_feature or a.hedge or a.fallback:
        groups = [frozenset(g.split(",")) for g in a.without.split(";")] if a.without else []
        without = [Variant(f"without {','.join(sorted(g))}", dropped=g) for g in groups]
        modes = [*(["feature"] if a.hedge_feature else []), *_modes(a.hedge or "")]
        hedge = [Variant(f"a hedge read as: {m}", hedge=m) for m in modes]
        fall = [Variant("a withdrawn flag to the next category", fallback=True)]
        variants = [*(_grid(a.grid) if a.grid else without), *hedge, *(fall if a.fallback else [])]
        compare(ex, variants, a.keep, a.folds, misses)
        return
    if a.report:
        report(ex, a.worst, misses)
        return
    with timed("the writer folds and thresholds"):
        design = Design.of(ex)
        threshold, near_t = thresholds_for(out_of_fold(ex, lambda e: e.writer, design=design))
    with timed("the shipped fit"):  # fit(ex): the design's fit of every row, solved once
        w, b = design.fit_all(Grams())
    used = _trained(ex)
    payload = {
        "trained_on": f"benchmarks/copy-dev labels and seed labels ({len(used)} unhedged "
        f"claim-like units, {sum(e.overstated for e in used)} overstated)",
        "solver": "newton-cg",
        "l2": tc.L2,
        "l2_scale": SCALE,
        "min_writers": MIN_WRITERS,
        "accurate_budget": ACCURATE_BUDGET,
        "threshold": threshold,
        "floor": FLOOR,
        "near": NEAR,
        "near_precision": NEAR_PRECISION,
        "near_threshold": near_t,
        "hedged": HEDGE_MODE,
        "bias": b,
        "weights": dict(sorted(w.items())),
    }
    tc.write_or_check(OUT, payload, a.check)
    print(
        f"wrote {OUT} from {len(used)} units, threshold {threshold}, near misses {near_t} "
        "(chosen leaving one writer out)"
    )


if __name__ == "__main__":
    main()
