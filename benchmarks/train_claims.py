"""Train the claim-likeness model; writes src/claimledger/data/claim_model.json.

Examples are the units `claimledger check` reads from the project's labelled dev pages
(benchmarks/copy-dev/labels.yaml) and the seed posts (seed-labels.yaml, text read from
../shared/seeds, never copied): claim or overstated → 1, none → 0. The held-out set is never read.

Deterministic (zero initialisation, Newton's method, features in sorted order, no randomness),
so running it again regenerates the shipped file byte for byte. Besides the interpretable
features each unit carries its meaning vector (128 components of the static embedding) and the
mean of its neighbours' features and its page context: how its section-mates and page-mates
depart from the average unit (whose features are computed from every document's units, labels
unread, and shipped as the model's "prior"), shrunk on short pages (copy/claimmodel.py
page_features).
The features are interpretable (role, subject, cue families, effect words, flags); content
stems were tried (with a 20x stronger L2) and left out: on leave-one-document-out CV they changed
nothing, and they are the dev writers' vocabulary. The threshold is chosen on leave-one-WRITER-out predictions, not on training fit
(one model per writer set: with the page-context features a model per document took over an
hour on this machine; leaving a writer out is also the stricter, honest figure).

Speed (session 19: 65 min -> about 11 under the same load): each page's judged units are kept
between runs (benchmarks/judged_cache.py; the dev labels too), the fold models slice one matrix
built once (Design), each writer fold is reached from the all-data fit rather than from zero
(Design.folds: the same minimum to rounding noise; CLAIMS_EXACT_FOLDS=1 fits each from zero),
and the folds' fits are kept for train_overstated.py. Stage times print on stderr.

    python benchmarks/train_claims.py [--check]   # --check: fail if the shipped file differs
    python benchmarks/train_claims.py --report --curve --examples 20
    python benchmarks/train_claims.py --report --writers-only --curve   # the writer folds alone
        # out-of-fold AUC, found and false alarms leaving one document / one WRITER out, the
        # found-vs-false-alarm curve, and the units the model gets most wrong
    python benchmarks/train_claims.py --quick --cache /tmp/claim_docs.pkl --without ctx:,hd:
        # leave one writer out in minutes: each writer's model starts from the all-data fit and
        # steps with its Hessian less the writer's rows (close to, not byte-equal to, --report's
        # exact folds); found / false alarms on filler at 0.5-0.65 for all writers, the seeds and
        # the filler-heavy sets, with and without the features named by prefix (the same run
        # prints before and after). --cache keeps the judged documents (rebuild after a code
        # change: delete the file). --writers 555-564,565-574: those writer sets pooled too
        # (repeat --writers for more groups).
    python benchmarks/train_claims.py --quick --cache /tmp/claim_docs.pkl --without frame: \
        --writers 795-804,805-814,815-824,825-834,835-844,845-854 --writers 895-904
        # the editorial-framing features (claimmodel.framing_features) before and after: found /
        # false alarms for all writers, the seeds, 795-854 pooled and the SEO-blog set 895-904
    python benchmarks/train_claims.py --quick --block --without bf: --cache /tmp/claim_docs.pkl \
        --writers 715-724,725-734,735-744,745-754,755-764,765-774 --writers 775-784
        # the same, the claim model also reading its blocks' function (copy/blockmodel.py, out
        # of fold over BLOCK_FOLDS groups of writers), before and after in one run. With
        # BLOCK_FUNCTION set, a training run also writes data/block_model.json.
    python benchmarks/train_claims.py --quick --cache /tmp/claim_docs.pkl --without rsn: \
        --writers 875-884,885-894,905-914,915-924,935-944
        # a claim given as the reason for an instruction (claimmodel.reason_features) before
        # and after, the five writer sets that joined dev in session 19 pooled
    python benchmarks/train_claims.py --quick --cache /tmp/claim_docs.pkl --without fill: \
        --writers 955-964,965-974,975-984,995-1004,1005-1014 --writers 525-534,895-904,925-934
        # what a filler line does that its claim words hide (claimmodel.filler_features: a
        # reported question, efficacy words in a sense that names no result) before and after;
        # the sets held back in session 19 pooled, and three SEO-register sets
    python benchmarks/train_claims.py --quick --cache /tmp/claim_docs.pkl --without wrn: \
        --writers 955-964,965-974,975-984,995-1004,1005-1014
        # safety, contraindication, procedure and regulatory claims said as a warning or an
        # instruction (claimmodel.warning_features) before and after, session 20's fresh sets
    python benchmarks/train_claims.py --quick --cache /tmp/claim_docs.pkl --without ix: \
        --writers 1015-1024,1025-1034,1035-1044,1045-1054,1055-1064 --writers 525-534,895-904,925-934
        # claim content crossed with the line's frame (claimmodel.interaction_features: effect
        # x imperative mood, x the clinic as subject, x capitals ...) before and after; the
        # sets held back in session 20 pooled, and three SEO-register sets

With the trees (TREES, the default since session 24; CLAIMS_TREES=0 turns them off; the
"trees" extra, lightgbm, needed to train only): after the linear fit, LightGBM trees on the same
rows (``fit_trees``) go to data/claim_trees.json with the blend's threshold (since session 26
``shipped_threshold``: the highest at which the blend's out-of-fold predictions find FOUND_SHARE
of the claims, pooled; until session 25 ``shipped_margin``'s parity with the linear model),
chosen on the linear writer folds blended with the trees of TREE_FOLDS writer folds, each fold's
trees binned on its own training rows; claim_model.json keeps the linear model's own threshold
(what it uses without the trees file).

A claim label spanning several units trains only its main pieces: a signature under the
quotation, or a piece with no claim content under MINOR_SHARE of the label beside a bigger one
("Great question!", a transcript's time stamp), takes no label (``_minor_part``).
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import os
import pickle
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from copy_accuracy import CLAIM_LABELS, Label, LabelledSet, _doc_number, _key, _locate, load_set  # noqa: E402
from judged_cache import judged_page, kept, timed  # noqa: E402

from claimledger.copy.blockmodel import BlockModel, block_inputs  # noqa: E402
from claimledger.copy.check import Judged  # noqa: E402
from claimledger.copy.claimmodel import (  # noqa: E402
    CROSSED_MEANING,
    MEANING,
    NEIGHBOUR,
    PAGE,
    SECTION,
    SHRINK,
    ClaimModel,
    crossed_meaning,
    linear_digest,
    mates_prior,
    page_features,
)
from claimledger.copy.structure import is_attribution  # noqa: E402
from claimledger.copy.treeblend import FlatTrees, evaluate, flatten  # noqa: E402

OUT = ROOT / "src" / "claimledger" / "data" / "claim_model.json"
DEV = ROOT / "benchmarks" / "copy-dev"
STEPS, L2 = 30, 1e-3  # Newton steps at most (it converges in about 10)
# how much a false alarm on filler costs against a missed claim when choosing the threshold
# (CV over dev + seeds: cost 2 gave threshold 0.65, seeds found 96%->93%; cost 1 gives 0.45 and
# keeps the seeds no worse; CLAIMS_FA_COST overrides it for experiments only)
# (choosing on leave-one-WRITER-out predictions, which are less sure than leaving a document out,
# cost 1 fell to 0.45: seeds 26/151 false alarms, dev 8%; 1.5 keeps the seeds within 22-24)
FALSE_ALARM_COST = float(os.environ.get("CLAIMS_FA_COST", "1.5"))


@dataclass
class Doc:
    """One labelled document: its judged units and each unit's label (None: not aligned)."""

    set_name: str
    index: int
    number: int | None  # the page's file-name number (None for the seeds)
    judged: list[Judged]
    y: list[int | None]
    features: list[dict[str, float]] = field(default_factory=list)  # what the model reads
    prior: Mapping[str, float] = field(default_factory=dict)  # the average unit (mates_prior)

    def __post_init__(self) -> None:
        if not self.features:
            self.features = page_features(
                [j.features for j in self.judged], [j.vector for j in self.judged], self.prior
            )


def _unit_labels(s: LabelledSet, d: int, text: str, judged: Sequence[Judged]) -> list[int | None]:
    key, where = _key(text)
    labels = [lab for lab in s.labels if lab.doc == d]
    for lab in labels:
        lab.key_span = None
    _locate(labels, key)
    found = [unit_label(labels, where, j.unit.start, j.unit.end) for j in judged]
    out: list[int | None] = []
    for j, best in zip(judged, found, strict=True):
        if best is None or (best.label in CLAIM_LABELS and _minor_part(j, best, judged, found)):
            out.append(None)
        else:
            out.append(int(best.label in CLAIM_LABELS))
    return out


# A claim label that spans several units (a quotation and its signature on one line, "Great
# question! Ketamine ...", a transcript's "(11:20)" time stamp before a claim) is found when any
# of its units is reported. The piece of it that is a signature the checker never reports, or a
# small share of the label beside a bigger unit of the same label and with no claim content of
# its own, does not carry the claim: as a positive it taught the model that signatures, time
# stamps and pleasantries are claims, and it counted as a claim missed that no threshold can
# find. Such a unit is left unlabelled (training and the out-of-fold figures alike); the label's
# main unit keeps it. A short piece that does say something ("Ketamine works fast." before its
# explanation) keeps its label: short punchy claims are the headings and taglines the checker
# must find.
MINOR_SHARE = 0.25
# unit features that mark claim content: a clause (a verb), the product or a treatment named,
# an efficacy word, an effect, a condition, a library topic
_CLAIM_CONTENT = ("clause", "named", "efficacy_word", "effect", "cond")


def _minor_part(
    j: Judged, label: Label, judged: Sequence[Judged], found: Sequence[Label | None]
) -> bool:
    """Whether ``j`` holds only a minor part of the claim ``label`` it was aligned with: a
    signature under a quotation (``is_attribution``: never reported by the model), or a piece
    with no claim content of its own (a pleasantry, a time stamp, "A: No.", a footnote mark)
    under MINOR_SHARE of the label's characters while another unit aligned with the same label
    holds more."""
    if is_attribution(j.unit.norm):
        return True
    if _has_claim_content(j.features):
        return False
    mates = [k.unit.end - k.unit.start for k, b in zip(judged, found, strict=True) if b is label]
    size = j.unit.end - j.unit.start
    return size < MINOR_SHARE * sum(mates) and max(mates) > size


def _has_claim_content(features: Mapping[str, float]) -> bool:
    return any(features.get(k) for k in _CLAIM_CONTENT) or any(
        v and k.startswith("topic:") for k, v in features.items()
    )


def unit_label(labels: Sequence[Label], where: list[int], start: int, end: int) -> Label | None:
    """The located label that overlaps the unit at ``start:end`` most, if it covers at least
    half of the shorter of the two (``where``: text offsets of the comparison key)."""
    a, b = bisect.bisect_left(where, start), bisect.bisect_left(where, end)
    best, best_ov = None, 0
    for lab in labels:
        if lab.key_span is None:
            continue
        la, lb = lab.key_span
        ov = min(b, lb) - max(a, la)
        if ov > best_ov and ov >= 0.5 * min(b - a, lb - la):
            best, best_ov = lab, ov
    return best


def documents(sets: Sequence[tuple[str, LabelledSet]]) -> list[Doc]:
    """Every document of ``sets``, its units judged and labelled; their page context is measured
    against the average unit of all of them (``mates_prior``: features only, no labels)."""
    read = []
    for name, s in sets:
        for i, p in enumerate(s.docs):
            r, judged, _ = judged_page(p)
            number = _doc_number(p.name) if name != "seeds" else None
            read.append((name, i, number, judged, _unit_labels(s, i, r.text, judged)))
    prior = mates_prior([[j.features for j in r[3]] for r in read])
    return [Doc(*r, prior=prior) for r in read]


def dev_sets() -> list[tuple[str, LabelledSet]]:
    # the dev labels (a large YAML file, slow to parse under load) are kept between runs, keyed
    # by the file, where it is and the code that reads it
    labels = (DEV / "labels.yaml").read_bytes()
    reader = (ROOT / "benchmarks" / "copy_accuracy.py").read_bytes()
    dev = kept("dev-labels", [labels, str(DEV), reader], lambda: load_set(DEV))
    return [("dev", dev), ("seeds", load_set(DEV, seeds=True))]


def train(
    examples: Sequence[tuple[Mapping[str, float], int]],
    l2_base: float = L2,
    scale: Mapping[str, float] | None = None,
) -> tuple[dict[str, float], float]:
    """The L2-regularised logistic regression with classes balanced, solved by Newton's method
    (deterministic: features in sorted order, fixed start, no randomness). Features named in
    ``scale`` (by default PENALTY_SCALE) carry that multiple of the L2 penalty (``l2_base``);
    the bias is not penalised."""
    names = sorted({k for f, _ in examples for k in f})
    col = {k: i for i, k in enumerate(names)}
    x = np.zeros((len(examples), len(names) + 1))
    for r, (f, _) in enumerate(examples):
        for k, v in f.items():
            x[r, col[k]] = v
    x[:, -1] = 1.0
    y = np.array([y for _, y in examples], dtype=float)
    return _fit(x, y, names, l2_base, scale)


def _fit(
    x: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    l2_base: float = L2,
    scale: Mapping[str, float] | None = None,
) -> tuple[dict[str, float], float]:
    """``train`` on its matrix (columns ``names`` in sorted order, then the bias column)."""
    l2 = np.array([l2_base * _penalty(k, scale) for k in names] + [0.0])
    return _rounded(names, _solve(x, y, l2))


def _class_weights(y: np.ndarray) -> np.ndarray:
    """Each unit's weight, classes balanced (as ``train`` weighs them)."""
    n = len(y)
    pos = float(y.sum()) or 1.0
    return np.where(y == 1, n / (2 * pos), n / (2 * max(n - pos, 1.0)))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def _solve(x: np.ndarray, y: np.ndarray, l2: np.ndarray) -> np.ndarray:
    """``train``'s weights unrounded: Newton's method from zero."""
    n, cw = len(y), _class_weights(y)
    w = np.zeros(x.shape[1])
    for _ in range(STEPS):
        p = _sigmoid(x @ w)
        grad = x.T @ ((p - y) * cw) / n + l2 * w
        hess = (x * (cw * p * (1 - p))[:, None]).T @ x / n + np.diag(l2 + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    return w


def _rounded(names: Sequence[str], w: np.ndarray) -> tuple[dict[str, float], float]:
    weights = {k: round(float(w[i]), 6) for i, k in enumerate(names) if abs(w[i]) >= 1e-4}
    return weights, round(float(w[-1]), 6)


# A fold's refinement (Design.folds) stops when its step is under REFINE_TOL, or under NOISE and
# no longer halving (the gradient's rounding noise); it takes the Hessian at its current weights
# (a Newton step) when a step shrank by less than REFRESH while over NOISE.
REFINE_TOL, NOISE, REFRESH, REFINE_STEPS = 1e-13, 1e-10, 0.25, 500


def _refine(
    x: np.ndarray, y: np.ndarray, l2: np.ndarray, w: np.ndarray, hess: np.ndarray
) -> np.ndarray:
    """The minimum ``_solve`` reaches from zero, found from ``w`` (near it) by steps with the
    Hessian ``hess`` (near the one at the minimum), taken afresh while steps shrink slowly."""
    n, cw = len(y), _class_weights(y)
    inv, last = np.linalg.inv(hess), np.inf
    for _ in range(REFINE_STEPS):
        p = _sigmoid(x @ w)
        step = inv @ (x.T @ ((p - y) * cw) / n + l2 * w)
        w = w - step
        size = float(np.abs(step).max())
        if size < REFINE_TOL or (size < NOISE and size > 0.5 * last):
            break
        if size >= NOISE and size > REFRESH * last:
            p = _sigmoid(x @ w)
            inv = np.linalg.inv((x * (cw * p * (1 - p))[:, None]).T @ x / n + np.diag(l2 + 1e-9))
        last = size
    return w


# L2 multiples by feature-name prefix (see train)
# (the meaning vector's components are small, so a weaker penalty lets them count; the neighbours'
# means repeat the unit's own kind of evidence, so a stronger one; both chosen leaving one writer
# out: benchmarks/train_claims.py --report)
# (the meaning read in a headline, bullet or quotation, CROSSED_MEANING, as the meaning itself)
PENALTY_SCALE: dict[str, float] = {
    NEIGHBOUR: 3.0,
    MEANING: 0.3,
    **{crossed_meaning(r): 0.3 for r in CROSSED_MEANING},
}


def _penalty(name: str, scale: Mapping[str, float] | None = None) -> float:
    by = PENALTY_SCALE if scale is None else scale
    return next((v for k, v in by.items() if name.startswith(k)), 1.0)


# Features the model does not weigh: how a page is laid out (a sentence alone on its line) and
# how long a writer's sentences run are house style, not claim-likeness. On leave-one-document-out
# CV they changed nothing (AUC dev 0.965 -> 0.963, seeds 0.951 -> 0.953), but with them a plain
# one-line claim ("Ketamine reduces the symptoms of PTSD.") fell under the threshold because the
# dev pages' standalone short lines are mostly headings and calls to action.
LEFT_OUT = ("standalone", "len:")
CONTEXT = (NEIGHBOUR, SECTION, PAGE)  # prefixes of the features read from other units


def _weighed(name: str) -> bool:
    for prefix in CONTEXT:
        name = name.removeprefix(prefix)
    return not name.startswith(LEFT_OUT)


def examples_of(docs: Sequence[Doc]) -> list[tuple[Mapping[str, float], int]]:
    return [
        ({k: v for k, v in f.items() if _weighed(k)}, y)
        for d in docs
        for f, y in zip(d.features, d.y, strict=True)
        if y is not None
    ]


def write_or_check(out: Path, payload: Mapping[str, object], check: bool) -> None:
    """Write the model file; with ``check``, compare it with the shipped one and exit instead
    (0 when a fresh training run gives the same bytes)."""
    text = json.dumps(payload, indent=1) + "\n"
    if check:
        same = out.exists() and out.read_text() == text
        print("shipped model matches a fresh training run" if same else "shipped model DIFFERS")
        sys.exit(0 if same else 1)
    out.write_text(text)


# Writer sets (see copy-dev/README.md): pages by the same writer share a
# style and a labelling hand, so a model scored on a writer it was trained on looks better than it
# is on copy nobody has tuned on. Leaving a whole writer out is the honest figure.
WRITERS = (
    (1, 14), (15, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74), (75, 84),
    (85, 94), (95, 104), (105, 114), (115, 124), (125, 134), (135, 144), (145, 154), (155, 164),
    (165, 174), (175, 184), (185, 194), (195, 204), (205, 214), (215, 224), (225, 234), (235, 244),
    (245, 254), (255, 264), (265, 274), (275, 284), (285, 294), (295, 304), (305, 314), (315, 324),
    (345, 354), (355, 364), (455, 464), (465, 474), (475, 484),
    (485, 494), (495, 504), (405, 414), (415, 424), (425, 434), (435, 444), (445, 454),
    (555, 564), (565, 574), (575, 584), (615, 624), (625, 634),
    (505, 514), (515, 524), (525, 534), (535, 544), (545, 554), (585, 594), (595, 604), (605, 614),
    (695, 704), (705, 714),
    (635, 644), (645, 654), (655, 664), (665, 674), (675, 684), (685, 694),
    (775, 784), (785, 794),
    (715, 724), (725, 734), (735, 744), (745, 754), (755, 764), (765, 774),
    (855, 864), (865, 874),
    (795, 804), (805, 814), (815, 824), (825, 834), (835, 844), (845, 854),
    (895, 904), (925, 934), (945, 954),
    (875, 884), (885, 894), (905, 914), (915, 924), (935, 944),
    (985, 994),
    (955, 964), (965, 974), (975, 984), (995, 1004), (1005, 1014),
    (1015, 1024), (1025, 1034), (1035, 1044), (1045, 1054), (1055, 1064),
    (1065, 1074), (1075, 1084), (1085, 1094), (1095, 1104), (1105, 1114),
    (1115, 1124), (1125, 1134), (1135, 1144), (1145, 1154), (1155, 1164),
    (1165, 1174), (1175, 1184), (1185, 1194), (1195, 1204), (1205, 1214), (1215, 1224),
    (1225, 1234), (1235, 1244), (1245, 1254), (1255, 1264), (1265, 1274), (1275, 1284),
    (1285, 1294), (1295, 1304), (1305, 1314), (1315, 1324), (1325, 1334), (1335, 1344),
    (1345, 1354), (1355, 1364), (1365, 1374), (1375, 1384), (1385, 1394), (1395, 1404),
    (1405, 1414), (1415, 1424), (1425, 1434), (1435, 1444), (1445, 1454),
)  # fmt: skip


def writer_of(doc: Doc) -> str:
    """The writer set a document belongs to ("seeds", "01-14", ...; a page outside the known
    ranges is its own writer)."""
    return _writer(doc.set_name, doc.number)


@cache
def _writer(set_name: str, number: int | None) -> str:
    # kept: quick_report asks for every unit's writer once per writer set (60,000 units x 139
    # sets), and a scan of WRITERS each time was most of its run
    if set_name == "seeds":
        return "seeds"
    for a, b in WRITERS:
        if number is not None and a <= number <= b:
            return f"{a:02d}-{b:02d}"
    return f"{set_name} page {number}"


def document_of(doc: Doc) -> str:
    return f"{doc.set_name}/{doc.index}"


def set_of(doc: Doc) -> str:
    return doc.set_name


GROUPS: dict[str, Callable[[Doc], str]] = {
    "document": document_of,
    "set": set_of,
    "writer": writer_of,
}


def fold_models(
    docs: Sequence[Doc],
    by_set: bool = False,
    group: Callable[[Doc], str] | None = None,
    design: Design | None = None,
) -> list[ClaimModel]:
    """One model per document, trained without the document's group (threshold 0.5; see
    choose_threshold): by default the document itself; ``by_set`` leaves its set out (dev pages
    vs the seeds), ``group=writer_of`` its writer's pages.
    Each model is ``train(examples_of(the other groups' documents))``, computed on one matrix of
    all the units built once (``Design``): a fold takes its rows and the columns its examples
    carry, so it solves the very same matrix ``train`` would build."""
    key = group or (set_of if by_set else document_of)
    design = design or Design.of(docs)
    groups = [key(d) for d in docs]

    exact = bool(os.environ.get("CLAIMS_EXACT_FOLDS"))  # each fold by Newton's steps from zero

    def fit_all() -> dict[str, tuple[dict[str, float], float]]:
        if exact:
            return {g: design.fit([k != g for k in groups]) for g in dict.fromkeys(groups)}
        return design.folds(groups)

    # kept for the next script (train_overstated.py reads the same writer folds), keyed by the
    # matrix, the groups, this file (the solver and its settings) and the library versions
    parts = [*design.digest_parts(), "\n".join(groups), _SOURCE, f"exact {exact}"]
    fits = kept("claim-folds", parts, fit_all)
    models = {g: ClaimModel(w, b, 0.5, docs[0].prior) for g, (w, b) in fits.items()}
    return [models[g] for g in groups]


_SOURCE = Path(__file__).read_bytes()


@dataclass(frozen=True)
class Design:
    """The weighed features of every labelled unit of some documents as one matrix (columns the
    feature names in sorted order, then the bias), which names each unit carries (a feature
    carried with the value 0 is a column of ``train``'s matrix too), the labels, and the
    document each row comes from."""

    x: np.ndarray
    carried: np.ndarray
    y: np.ndarray
    doc: np.ndarray
    names: tuple[str, ...]

    @classmethod
    def of(cls, docs: Sequence[Doc]) -> Design:
        rows = [(k, f, y) for k, d in enumerate(docs) for f, y in examples_of([d])]
        names = sorted({name for _, f, _ in rows for name in f})
        col = {name: i for i, name in enumerate(names)}
        x = np.zeros((len(rows), len(names) + 1))
        carried = np.zeros((len(rows), len(names)), dtype=bool)
        for r, (_, f, _) in enumerate(rows):
            for name, v in f.items():
                x[r, col[name]] = v
                carried[r, col[name]] = True
        x[:, -1] = 1.0
        y = np.array([y for _, _, y in rows], dtype=float)
        return cls(x, carried, y, np.array([k for k, _, _ in rows], dtype=np.int64), tuple(names))

    def digest_parts(self) -> list[bytes | str]:
        """Everything a fit depends on (besides the solver): for keeping fits between runs."""
        arrays = (self.x, self.carried, self.y, self.doc)
        return [*(np.ascontiguousarray(a).tobytes() for a in arrays), "\n".join(self.names),
                f"{np.__version__} {sys.version}"]  # fmt: skip

    @cached_property
    def solved(self) -> np.ndarray:
        """The all-data fit, unrounded (``train``'s weights before rounding; its matrix is
        ``x``: every column is carried by some row)."""
        return _solve(self.x, self.y, np.array([L2 * _penalty(k) for k in self.names] + [0.0]))

    def fit(self, keep: Sequence[bool]) -> tuple[dict[str, float], float]:
        """``train(examples_of(docs))`` of the documents ``keep`` marks."""
        if all(keep):
            return _rounded(self.names, self.solved)
        rows = np.asarray(keep, dtype=bool)[self.doc]
        cols = self.carried[rows].any(axis=0)
        x = self.x[np.ix_(rows, np.append(cols, True))]
        return _fit(x, self.y[rows], [n for n, c in zip(self.names, cols, strict=True) if c])

    def folds(self, groups: Sequence[str]) -> dict[str, tuple[dict[str, float], float]]:
        """For each group (``groups``: each document's), ``fit`` of the documents outside it,
        reached from the all-data fit: the fold's Hessian there is the all-data one less the
        group's rows (class weights as the fold's), so no fold forms one from scratch unless its
        steps shrink slowly (``_refine``). The same minimum as ``fit``'s Newton steps from zero,
        to rounding noise far under the 6 decimals the weights are rounded to."""
        x, y, w = self.x, self.y, self.solved
        l2 = np.array([L2 * _penalty(k) for k in self.names] + [0.0])
        p = _sigmoid(x @ w)
        v = p * (1 - p)
        row_group = np.array(groups, dtype=object)[self.doc]
        cls = [y == 0, y == 1]
        whole = [(x[c] * v[c][:, None]).T @ x[c] for c in cls]
        out: dict[str, tuple[dict[str, float], float]] = {}
        for g in dict.fromkeys(groups):
            rows = row_group != g
            cols = np.append(self.carried[rows].any(axis=0), True)
            pick = np.ix_(cols, cols)
            yk = y[rows]
            nk, cw = len(yk), _class_weights(yk)
            part = []
            for c, k in zip(cls, (0, 1), strict=True):
                held = ~rows & c
                part.append(whole[k] - (x[held] * v[held][:, None]).T @ x[held])
            weight = [float(cw[yk == k][0]) if (yk == k).any() else 0.0 for k in (0, 1)]
            hess = (weight[0] * part[0] + weight[1] * part[1])[pick] / nk
            hess += np.diag(l2[cols] + 1e-9)
            xk = x[np.ix_(rows, cols)]
            names = [n for n, c in zip(self.names, cols[:-1], strict=True) if c]
            out[g] = _rounded(names, _refine(xk, yk, l2[cols], w[cols], hess))
        return out


@dataclass(frozen=True)
class Scored:
    """One labelled unit's out-of-fold probability, label, and whether the checker reports it
    regardless of the model (wording that overstates)."""

    p: float
    y: int
    forced: bool
    doc: Doc
    judged: Judged

    def hit(self, t: float) -> bool:
        """Whether the checker reports the unit at threshold ``t``, as copy/check.py check_text
        decides: overstating wording always; otherwise a probability at ``t`` or over, except
        for a quotation's signature and a References entry, which it never reports."""
        return self.forced or (self.p >= t and self.judged.reportable)


def out_of_fold(docs: Sequence[Doc], models: Sequence[ClaimModel]) -> list[Scored]:
    return [
        Scored(models[k].probability(f), y, bool(f.get("overstated_claim")), d, j)
        for k, d in enumerate(docs)
        for j, f, y in zip(d.judged, d.features, d.y, strict=True)
        if y is not None
    ]


def rates(scored: Sequence[Scored], t: float) -> tuple[float, float]:
    """(claims found, false alarms on filler) among labelled units at threshold ``t``, counting
    the units the checker reports whatever the model says."""
    pos = sum(s.y for s in scored) or 1
    neg = max(len(scored) - pos, 1)
    hit = [s.hit(t) for s in scored]
    found = sum(1 for s, h in zip(scored, hit, strict=True) if s.y and h) / pos
    alarms = sum(1 for s, h in zip(scored, hit, strict=True) if not s.y and h) / neg
    return found, alarms


GRID = [round(0.05 * i, 2) for i in range(2, 19)]
TIE = 0.002  # utilities this close (found minus cost x false alarms, as fractions) are a tie


def threshold_for(scored: Sequence[Scored]) -> float:
    """The threshold that best trades found claims against false alarms on these (out-of-fold)
    predictions."""

    def utility(t: float) -> float:
        found, alarms = rates(scored, t)
        return found - FALSE_ALARM_COST * alarms

    best = max(utility(t) for t in GRID)
    # On a flat stretch of the curve the lowest threshold wins: a claim not found gets no wording
    # check and no evidence at all. (With the structure features 0.55 and 0.6 came within 0.1
    # points; the higher one lost seeds claims found 197 -> 194, which the issue rules out.)
    # (Stable across folds, 349 documents at d9998c8, leaving one writer out: the rule picks 0.55
    # on the pooled out-of-fold predictions and in each of the 35 folds chosen without a writer;
    # resampling the writers 200 times, 0.55 in 162, 0.6 in 20, 0.5 in 10, 0.65 in 8. Utility
    # 0.6 - 0.55 = -0.0012, inside TIE; the 0.6 of the 329-document retrain was that flat stretch.)
    return min(t for t in GRID if utility(t) >= best - TIE)


# The blend's threshold (linear + trees, claim_trees.json) spends the trees' better ranking on
# false alarms, not on claims found: it is the HIGHEST threshold on FINE_GRID at which the
# blend's out-of-fold predictions find at least the share of claims the linear model finds at
# its own threshold (threshold_for) on its out-of-fold predictions. threshold_for itself on the
# blend picked 0.45-0.5 and turned the gain into more claims found at MORE false alarms on
# unseen copy (session 22's FRESH: 108 -> 126 of 1538), while the issue's false-alarm gap
# (<= 3% of filler, at ~9.5%) is far wider than its found gap (>= 95%, at ~94%).
FINE_GRID = [round(0.01 * i, 2) for i in range(10, 91)]


def writer_thresholds(scored: Sequence[Scored], writers: Sequence[str]) -> dict[str, float]:
    """``threshold_for`` on the units of all writers but one, for each of ``writers``: the
    same figures (the same counts, the same floating-point steps) from one table of hits per
    GRID threshold and writer, instead of ``rates`` over every unit again for each writer (139
    writer sets x 17 thresholds x 60,000 units was most of a --quick run)."""
    order = list(dict.fromkeys(writers))
    col = {w: i for i, w in enumerate(order)}
    g = np.array([col.get(writer_of(s.doc), len(order)) for s in scored])
    y = np.array([s.y for s in scored], dtype=bool)
    p = np.array([s.p for s in scored])
    forced = np.array([s.forced for s in scored], dtype=bool)
    reportable = np.array([s.judged.reportable for s in scored], dtype=bool)
    k = len(order) + 1
    pos_w = np.bincount(g[y], minlength=k)
    all_w = np.bincount(g, minlength=k)
    found = np.zeros((len(GRID), k), dtype=np.int64)
    alarms = np.zeros((len(GRID), k), dtype=np.int64)
    for i, t in enumerate(GRID):
        hit = forced | ((p >= t) & reportable)
        found[i] = np.bincount(g[hit & y], minlength=k)
        alarms[i] = np.bincount(g[hit & ~y], minlength=k)
    out = {}
    for w in order:
        j = col[w]
        n, npos = int(all_w.sum() - all_w[j]), int(pos_w.sum() - pos_w[j])
        pos = npos or 1
        neg = max(n - pos, 1)  # as rates(): its pos is already "or 1"
        utility = [
            int(found[i].sum() - found[i, j]) / pos
            - FALSE_ALARM_COST * (int(alarms[i].sum() - alarms[i, j]) / neg)
            for i in range(len(GRID))
        ]
        best = max(utility)
        out[w] = min(t for t, u in zip(GRID, utility, strict=True) if u >= best - TIE)
    return out


def threshold_at_found(scored: Sequence[Scored], found: float) -> float:
    """The highest threshold (FINE_GRID) whose claims found on ``scored`` is at least ``found``
    (a share): the fewest false alarms that find as many claims."""
    ok = [t for t in FINE_GRID if rates(scored, t)[0] >= found - 1e-12]
    return max(ok) if ok else FINE_GRID[0]


def blend_threshold(
    linear: Sequence[Scored], blend: Sequence[Scored], margin: float = 0.0
) -> float:
    """The blend's threshold: as many claims found (a share) as the linear model finds at
    ``threshold_for`` on ``linear`` (the same units' out-of-fold predictions), plus ``margin``
    (a share of claims; found lost on unseen copy), fewest false alarms."""
    return threshold_at_found(blend, rates(linear, threshold_for(linear))[0] + margin)


def choose_threshold(docs: Sequence[Doc], models: Sequence[ClaimModel]) -> float:
    """The threshold that best trades found claims against false alarms on held-out folds."""
    return threshold_for(out_of_fold(docs, models))


def group_thresholds(
    docs: Sequence[Doc], models: Sequence[ClaimModel], group: Callable[[Doc], str]
) -> dict[str, float]:
    """For each group, the threshold chosen on the out-of-fold predictions of the OTHER groups
    (so neither the weights nor the threshold scoring a writer have seen that writer's labels)."""
    scored = out_of_fold(docs, models)
    return {
        g: threshold_for([s for s in scored if group(s.doc) != g])
        for g in dict.fromkeys(group(d) for d in docs)
    }


# The gradient-boosted trees blended with the linear model (copy/treeblend.py; measured in
# benchmarks/claim_trees.py): LightGBM on the very matrix the linear model is fitted on
# (Design.x, classes balanced as _class_weights), deterministic (one thread, row-wise, fixed
# seeds) so a retrain gives the same bytes with the same lightgbm (the "trees" extra, pinned).
# The parameters are claim_trees.py's (session 22's s7 run: --rounds 300 --rate 0.1).
# Not shipped in session 23 (on that FRESH the blend fell on the linear model's curve); shipped from
# session 24: on its FRESH (70 pages, seven writer sets) false alarms fell at equal found in six
# of seven sets in both settings run (claim_trees.py's docstring has the figures). Trained and
# written by default; CLAIMS_TREES=0 trains without them, and a trees file left from an earlier
# run is then removed (--check: refused), as the runtime refuses trees trained beside another
# linear model (claimmodel.linear_digest).
TREES_OUT = ROOT / "src" / "claimledger" / "data" / "claim_trees.json"
TREES = os.environ.get("CLAIMS_TREES", "1") == "1"
TREE_ROUNDS = 300
TREE_BIN = 63  # LightGBM's bins per feature (the Dataset's max_bin)
TREE_PARAMS: dict[str, object] = {
    "objective": "binary", "learning_rate": 0.1, "num_leaves": 15, "min_data_in_leaf": 50,
    "feature_fraction": 0.3, "lambda_l2": 1.0, "feature_fraction_seed": 7, "seed": 7,
    "deterministic": True, "force_row_wise": True, "num_threads": 1, "verbose": -1,
}  # fmt: skip
# The trees' out-of-fold scores (for the blend's threshold and train_overstated.py) come from
# TREE_FOLDS groups of writers (dealt round in WRITERS order), not one fit per writer (about 110
# fits of 30-50 s each); the linear part's from its writer folds as before.
TREE_FOLDS = 8


def tree_group(docs: Sequence[Doc]) -> list[str]:
    """Each document's tree fold: its writer's place among the writers, dealt round."""
    writers = list(dict.fromkeys(writer_of(d) for d in docs))
    return [f"fold{writers.index(writer_of(d)) % TREE_FOLDS}" for d in docs]


def fit_trees(design: Design, groups: Sequence[str] = ()) -> dict[str, FlatTrees]:
    """The trees fitted on every unit (key "all"), or, given each document's group, one fit
    per group on the units outside it (keyed by the group), as flat node tables."""
    try:
        import lightgbm as lgb
    except ImportError as e:  # a training-only extra
        raise SystemExit(
            "the claim trees need lightgbm: pip install -e '.[trees]' (or CLAIMS_TREES=0: the "
            "linear model alone)"
        ) from e
    x = design.x[:, :-1]
    row_group = np.array(groups, dtype=object)[design.doc] if groups else None
    out: dict[str, FlatTrees] = {}
    for g in dict.fromkeys(groups) if groups else ["all"]:
        rows = np.arange(len(design.y)) if row_group is None else np.flatnonzero(row_group != g)
        # each fit bins its own rows only: bins taken over every unit (the left-out group's
        # feature values too) shifted the folds' blend scores and so the threshold chosen on
        # them (claim_trees.py --fold-bins, session 25: 0.45 -> 0.51). The Dataset is built
        # lazily, so lgb.train bins it under TREE_PARAMS (min_data_in_leaf's pre-filter), as
        # claim_trees.py's folds and trees files (apart_file) do; the shipped fit ("all") too,
        # which main's prebuilt Dataset binned under defaults: its trees change (review27 B1)
        data = lgb.Dataset(
            x[rows],
            design.y[rows],
            weight=_class_weights(design.y[rows]),
            params={"max_bin": TREE_BIN, "verbose": -1},
        )
        booster = lgb.train(TREE_PARAMS, data, num_boost_round=TREE_ROUNDS)
        out[g] = flatten(booster.dump_model(), design.names)
        del data, booster  # one fold's rows and bins in memory at a time (review27 B3)
    return out


def fold_trees(docs: Sequence[Doc], design: Design) -> dict[str, FlatTrees]:
    """``fit_trees`` on the tree folds (``tree_group``), kept between runs like the linear
    folds (train_overstated.py reads them too)."""
    import lightgbm as lgb

    groups = tree_group(docs)
    parts = [*design.digest_parts(), "\n".join(groups), _SOURCE, f"lightgbm {lgb.__version__}"]
    return kept("claim-tree-folds", parts, lambda: fit_trees(design, groups))


def _logits(model: ClaimModel, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
    """The linear model's logit of each full feature row."""
    w = model.weights
    return np.array(
        [model.bias + math.fsum(w[k] * v for k, v in f.items() if k in w) for f in rows]
    )


def _tree_scores(flat: FlatTrees, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
    """The trees' raw score of each full feature row (a feature a row lacks reads 0)."""
    names = list(dict.fromkeys(flat["feature"]))
    x = np.array([[f.get(n, 0.0) for n in names] for f in rows]).reshape(len(rows), len(names))
    return evaluate(flat, x, {n: i for i, n in enumerate(names)})


@dataclass(frozen=True)
class Folds:
    """Out-of-fold claim probabilities of every unit of every document (``probabilities[k]``:
    document k's units, labelled or not), from models that never saw the unit's writer (the
    linear part) or its tree fold (the trees), and for each writer the threshold chosen on the
    other writers' out-of-fold predictions (the shipped rule: ``threshold_for`` for the linear
    model alone, ``blend_threshold`` for the blend)."""

    probabilities: list[np.ndarray]
    thresholds: dict[str, float]


def _fold_logits(docs: Sequence[Doc], design: Design) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each document's units' out-of-fold linear logits (the writer folds, ``fold_models``) and
    tree scores (the tree folds, ``fold_trees``)."""
    linear = fold_models(docs, group=writer_of, design=design)
    z = [_logits(m, d.features) for m, d in zip(linear, docs, strict=True)]
    folds, groups = fold_trees(docs, design), tree_group(docs)
    trees = [_tree_scores(folds[g], d.features) for g, d in zip(groups, docs, strict=True)]
    return z, trees


def blend_folds(docs: Sequence[Doc], design: Design | None = None) -> Folds:
    """The out-of-fold figures ``Folds`` of the shipped model: the linear writer folds blended
    with the tree folds when TREES, else the linear folds alone (``group_thresholds``)."""
    design = design or Design.of(docs)
    if not TREES:
        models = fold_models(docs, group=writer_of, design=design)
        probs = [
            np.array([m.probability(f) for f in d.features])
            for m, d in zip(models, docs, strict=True)
        ]
        return Folds(probs, group_thresholds(docs, models, writer_of))
    _, blend, probs = fold_scores(docs, design)
    per = found_target_thresholds(blend, writer_of, tree_fold_of(docs), FOUND_SHARE, FOUND_HOW)
    return Folds(probs, per)


def fold_scores(
    docs: Sequence[Doc], design: Design
) -> tuple[list[Scored], list[Scored], list[np.ndarray]]:
    """Out of fold, the linear model's and the blend's labelled units (``Scored``), and the
    blend's probability of every unit of each document (logit = 0.5 (linear + trees))."""
    z, trees = _fold_logits(docs, design)
    probs = [_sigmoid(0.5 * (v + t)) for v, t in zip(z, trees, strict=True)]
    return _labelled(docs, [_sigmoid(v) for v in z]), _labelled(docs, probs), probs


def tree_fold_of(docs: Sequence[Doc]) -> Callable[[Doc], str]:
    """Each document's tree fold (``tree_group``), as a function of the document."""
    fold = {id(d): g for d, g in zip(docs, tree_group(docs), strict=True)}
    return lambda d: fold[id(d)]


def is_seed(doc: Doc) -> bool:
    return writer_of(doc) == "seeds"


def shipped_margin(docs: Sequence[Doc], linear: Sequence[Scored], blend: Sequence[Scored]) -> float:
    """The blend rule's found margin (``found_margin``) over the tree folds (``tree_group``):
    the smallest keeping every fold's claims found. The seeds are REPORTED (their found gap at
    that margin, on stderr), not enforced: in session 24 those five documents alone set the
    margin (0.025 against 0.003 for the folds), and on the 110 unseen pages that followed
    false alarms rose from 8.2% to 11.7% of filler. Session 25 (claim_trees.py, trees fitted
    outside FRESH): the folds alone chose 0.005 against 0.015 with the seeds; on FRESH, out of
    fold, found 1917 -> 1899 of 2018 and false alarms 374 -> 305 of 4060 (fewer in all eleven
    writer sets), the seeds 199 -> 198 of 206 claims at the unit level. Stops the training when
    no margin is enough (a blend that loses claims somewhere whatever its threshold is not
    shipped). The shipped rule until session 25; since session 26 ``shipped_threshold`` (a
    found target): tree_margin.py still prints this margin for comparison."""
    group = tree_fold_of(docs)
    margin, gap = found_margin(linear, blend, group)
    if margin is None:
        raise SystemExit(
            f"the claim trees: no found margin up to {MARGINS[-1]} keeps every tree fold's "
            f"claims found (blend - linear: {gap}); CLAIMS_TREES=0 trains without them"
        )
    seeds = found_gaps(linear, blend, group, margin, is_seed)["kept"]
    print(f"claim trees: found margin {margin}; the seeds' claims found, blend - linear: {seeds}",
          file=sys.stderr)  # fmt: skip
    return margin


def shipped_threshold(
    docs: Sequence[Doc], linear: Sequence[Scored], blend: Sequence[Scored]
) -> float:
    """The shipped blend's threshold: ``found_target_threshold`` (FOUND_SHARE, FOUND_HOW) on the
    out-of-fold predictions over the tree folds. Prints (stderr) what it finds and flags on
    those predictions beside the linear model at its own ``threshold_for``, and the seeds'."""
    threshold = found_target_threshold(blend, tree_fold_of(docs), FOUND_SHARE, FOUND_HOW)
    if rates(blend, threshold)[0] < FOUND_SHARE - 1e-12:  # review27 B5: no threshold reaches it
        raise SystemExit(
            f"the claim trees: no threshold down to {FINE_GRID[0]} finds {FOUND_SHARE:.1%} of the "
            f"claims out of fold (at {threshold}: {rates(blend, threshold)[0]:.1%}); "
            "CLAIMS_TREES=0 trains without them"
        )
    own = threshold_for(linear)
    for title, keep in (("dev+seeds", lambda d: True), ("seeds", is_seed)):
        lin = rates([s for s in linear if keep(s.doc)], own)
        bl = rates([s for s in blend if keep(s.doc)], threshold)
        print(f"claim trees: blend threshold {threshold} ({FOUND_HOW} found {FOUND_SHARE:.1%}); "
              f"{title}, out of fold, found / false alarms: linear at {own} {lin[0]:.1%} / "
              f"{lin[1]:.1%}, blend {bl[0]:.1%} / {bl[1]:.1%}", file=sys.stderr)  # fmt: skip
    return threshold


Counts = Callable[[Sequence[Scored], Sequence[float]], tuple[np.ndarray, np.ndarray]]


def _left_out(
    scored: Sequence[Scored], group: Callable[[Doc], str]
) -> tuple[list[str], Counts, np.ndarray, np.ndarray]:
    """The groups of ``scored`` in order of appearance; a function counting, for each group
    left out and each grid threshold, the claims found and false alarms of the OTHER groups'
    units (of any scores for the same units); and the other groups' claims and filler."""
    names = [group(s.doc) for s in scored]
    order = list(dict.fromkeys(names))
    gid = np.array([order.index(n) for n in names]) if names else np.zeros(0, dtype=np.int64)
    y = np.array([s.y for s in scored])

    def counts(units: Sequence[Scored], grid: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
        p = np.array([s.p for s in units])
        forced = np.array([s.forced for s in units])
        rep = np.array([s.judged.reportable for s in units])
        hit = forced[:, None] | (rep[:, None] & (p[:, None] >= np.asarray(grid)[None, :]))
        found, alarms = np.zeros((len(order), len(grid))), np.zeros((len(order), len(grid)))
        np.add.at(found, gid, hit & (y[:, None] == 1))
        np.add.at(alarms, gid, hit & (y[:, None] == 0))
        return found.sum(0) - found, alarms.sum(0) - alarms  # each group left out

    pos_all = np.bincount(gid, weights=y, minlength=len(order))
    n_all = np.bincount(gid, minlength=len(order))
    pos = np.maximum(pos_all.sum() - pos_all, 1.0)
    neg = np.maximum((n_all.sum() - n_all) - (pos_all.sum() - pos_all), 1.0)
    return order, counts, pos, neg


def _own_index(
    found: np.ndarray, alarms: np.ndarray, pos: np.ndarray, neg: np.ndarray
) -> np.ndarray:
    """Per group (row), ``threshold_for``'s GRID index: the lowest threshold within TIE of the
    best utility (found minus FALSE_ALARM_COST x false alarms, as shares)."""
    utility = found / pos[:, None] - FALSE_ALARM_COST * (alarms / neg[:, None])
    ok = utility >= utility.max(axis=1, keepdims=True) - TIE
    return np.asarray(ok.argmax(axis=1))


def own_thresholds(scored: Sequence[Scored], group: Callable[[Doc], str]) -> dict[str, float]:
    """For each group, ``threshold_for`` on the OTHER groups' units (vectorised: per group it
    would take minutes on every dev unit)."""
    order, counts, pos, neg = _left_out(scored, group)
    first = _own_index(*counts(scored, GRID), pos, neg)
    return {g: GRID[int(first[k])] for k, g in enumerate(order)}


def blend_thresholds(
    linear: Sequence[Scored],
    blend: Sequence[Scored],
    group: Callable[[Doc], str],
    margin: float = 0.0,
) -> dict[str, float]:
    """For each group, ``blend_threshold`` (with ``margin``) on the OTHER groups' units (the
    same units in ``linear`` and ``blend``), counted once per grid threshold for all groups
    (vectorised: ``rates`` per group and threshold would take minutes)."""
    order, counts, pos, neg = _left_out(linear, group)
    lf, la = counts(linear, GRID)
    first = _own_index(lf, la, pos, neg)
    target = lf[np.arange(len(order)), first] / pos + margin
    bf, _ = counts(blend, FINE_GRID)
    out = {}
    for k, g in enumerate(order):
        meets = np.flatnonzero(bf[k] / pos[k] >= target[k] - 1e-12)
        out[g] = FINE_GRID[int(meets.max())] if len(meets) else FINE_GRID[0]
    return out


def found_thresholds(
    scored: Sequence[Scored], group: Callable[[Doc], str], share: float
) -> dict[str, float]:
    """For each group, the highest threshold (FINE_GRID) at which the OTHER groups' units in
    ``scored`` find at least ``share`` of their claims: a found target fixed in advance rather
    than matched to the linear model (vectorised as ``blend_thresholds``)."""
    order, counts, pos, _ = _left_out(scored, group)
    found, _ = counts(scored, FINE_GRID)
    out = {}
    for k, g in enumerate(order):
        meets = np.flatnonzero(found[k] / pos[k] >= share - 1e-12)
        out[g] = FINE_GRID[int(meets.max())] if len(meets) else FINE_GRID[0]
    return out


FoundHow = Literal["pooled", "median", "worst"]
# The blend's threshold rule since session 26, tied to the found target (>= 95% of claims
# on unseen copy, end to end) instead of parity with the linear model: the HIGHEST threshold at
# which the blend's out-of-fold predictions find FOUND_SHARE of the labelled claim units, pooled
# over the folds. X from older dev: out-of-fold unit share -> end-to-end found on pages 1235-1344,
# measured when they were unseen (session 25's copy_accuracy at 0.39 / 0.45 / 0.51: 96.1 / 95.6 /
# 94.4%) against this code's honest out-of-fold share there (claim_trees.py --pages 1235-1344:
# 95.2 / 94.3 / 93.0%): end to end adds 0.9 to 1.4 points; for 96% end to end (a point over the
# target) with the smallest, 96.0 - 0.9 = 95.1%. Pooled, not per fold: the issue counts claims
# over all the copy, and a new batch of ~11 writer sets averages its writers as a fold does; at
# the pooled rule the eight older folds find 94.5-95.7% (the one-point margin covers that
# spread). The worst fold lets one fold set the point (as the seeds did in session 24: false
# alarms 8.2 -> 11.7% on the next unseen pages): on older dev +161 claims for +347 false alarms;
# the median fold is the pooled rule within noise (+25 claims, +33 false alarms). X is a
# single-batch estimate (one calibration batch, three thresholds, session 25's models; the offset's
# spread and the folds' are the size of the margin): FRESH is the test (claim_trees.py's docstring,
# session 26). The price: false alarms (older dev, out of fold, 2125 -> 2773 of 38,581 filler).
# On FRESH 1345-1454 end to end, against the replaced margin rule on honest bins (0.51; this 0.42):
# found 94.8% -> 96.3%, overstated 495 -> 503 of 593, false alarms 9.6% -> 11.6% of filler.
FOUND_SHARE = 0.951
FOUND_HOW: FoundHow = "pooled"


def _fold_found(
    scored: Sequence[Scored], group: Callable[[Doc], str], fold: Callable[[Doc], str]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The groups in order of appearance; claims found per (group, fold, FINE_GRID threshold)
    and claims per (group, fold), counted as the checker reports units (``Scored.hit``)."""
    names = [group(s.doc) for s in scored]
    order = list(dict.fromkeys(names))
    folds = [fold(s.doc) for s in scored]
    forder = list(dict.fromkeys(folds))
    gid = np.array([order.index(n) for n in names], dtype=np.int64)
    fid = np.array([forder.index(n) for n in folds], dtype=np.int64)
    y = np.array([s.y for s in scored], dtype=bool)
    p = np.array([s.p for s in scored])
    forced = np.array([s.forced for s in scored], dtype=bool)
    rep = np.array([s.judged.reportable for s in scored], dtype=bool)
    hit = forced[:, None] | (rep[:, None] & (p[:, None] >= np.asarray(FINE_GRID)[None, :]))
    found = np.zeros((len(order), len(forder), len(FINE_GRID)))
    np.add.at(found, (gid[y], fid[y]), hit[y])
    pos = np.zeros((len(order), len(forder)))
    np.add.at(pos, (gid[y], fid[y]), 1.0)
    return order, found, pos


def _highest_at(found: np.ndarray, pos: np.ndarray, share: float, how: FoundHow) -> float:
    """The highest FINE_GRID threshold at which the folds' claims found (``found``: fold x
    threshold, ``pos``: claims per fold) reach ``share``: pooled over the folds, in the median
    fold, or in the worst fold (folds without claims left out)."""
    has = pos > 0
    if how == "pooled":
        got = found[has].sum(0) / max(float(pos[has].sum()), 1.0)
    else:
        each = found[has] / pos[has][:, None]
        got = np.median(each, axis=0) if how == "median" else each.min(axis=0)
    meets = np.flatnonzero(got >= share - 1e-12)
    return FINE_GRID[int(meets.max())] if len(meets) else FINE_GRID[0]


def found_target_threshold(
    scored: Sequence[Scored], fold: Callable[[Doc], str], share: float, how: FoundHow
) -> float:
    """The highest threshold (FINE_GRID) at which the (out-of-fold) units in ``scored`` find at
    least ``share`` of their claims, pooled, in the median ``fold`` or in the worst."""
    _, found, pos = _fold_found(scored, lambda d: "all", fold)
    return _highest_at(found[0], pos[0], share, how)


def found_target_thresholds(
    scored: Sequence[Scored],
    group: Callable[[Doc], str],
    fold: Callable[[Doc], str],
    share: float,
    how: FoundHow,
) -> dict[str, float]:
    """For each group, ``found_target_threshold`` on the OTHER groups' units (a fold less the
    group's units when the group lies inside a fold)."""
    order, found, pos = _fold_found(scored, group, fold)
    every, claims = found.sum(0), pos.sum(0)
    return {
        g: _highest_at(every - found[k], claims - pos[k], share, how) for k, g in enumerate(order)
    }


# The found margins ``found_margin`` tries (shares of claims): the rule with margin 0 matched the
# linear model's found pooled over the writer folds, yet found fewer claims on unseen copy (session
# 23's FRESH: 927 -> 919 of 988, seeds 198 -> 195; session 24's: 1609 -> 1604 of 1696, seeds
# 197 -> 195): a pooled match is an average, and a new writer set lands anywhere around it.
MARGINS = [round(0.001 * i, 3) for i in range(31)]


def found_margin(
    linear: Sequence[Scored],
    blend: Sequence[Scored],
    group: Callable[[Doc], str],
    keep: Callable[[Doc], bool] | None = None,
) -> tuple[float | None, dict[str, int]]:
    """The smallest margin (MARGINS) at which the blend's rule (``blend_thresholds``: each
    group's threshold chosen on the OTHER groups) finds at least as many claims as the linear
    model at its own threshold (``threshold_for`` on the other groups) in EVERY group: the worst
    group, not the pooled one, is what a new writer set risks; and in the documents ``keep``
    marks (the seeds: they must not lose claims), each at its group's thresholds. Also each
    group's found gap (blend - linear; the kept documents' as "kept") at that margin. None when
    no margin is enough (the gaps are then the last margin's: who still loses claims)."""
    gap: dict[str, int] = {}
    own = own_thresholds(linear, group)  # the linear model's: the same at every margin
    for m in MARGINS:
        gap = found_gaps(linear, blend, group, m, keep, own)
        if min(gap.values(), default=0) >= 0:
            return m, gap
    return None, gap


def found_gaps(
    linear: Sequence[Scored],
    blend: Sequence[Scored],
    group: Callable[[Doc], str],
    margin: float,
    keep: Callable[[Doc], bool] | None = None,
    own: Mapping[str, float] | None = None,
) -> dict[str, int]:
    """Each group's claims found by the blend's rule at ``margin`` less the linear model's at
    its own threshold (both chosen on the OTHER groups; ``own``: the linear model's thresholds,
    ``own_thresholds``, when already known), and the documents ``keep`` marks as "kept"
    (``found_margin``'s gaps at one margin)."""
    names = [group(s.doc) for s in linear]
    kept = [bool(keep and keep(s.doc)) for s in linear]
    own = own or own_thresholds(linear, group)
    rule = blend_thresholds(linear, blend, group, margin=margin)
    gap = dict.fromkeys([*dict.fromkeys(names), "kept"], 0)
    for s, b, n, k in zip(linear, blend, names, kept, strict=True):
        diff = int(bool(b.y) and b.hit(rule[n])) - int(bool(s.y) and s.hit(own[n]))
        gap[n] += diff
        gap["kept"] += diff * k
    if not keep:
        del gap["kept"]
    return gap


def _labelled(docs: Sequence[Doc], probs: Sequence[np.ndarray]) -> list[Scored]:
    """The labelled units' ``Scored`` from each document's units' probabilities."""
    return [
        Scored(float(p), y, bool(f.get("overstated_claim")), d, j)
        for d, ps in zip(docs, probs, strict=True)
        for j, f, y, p in zip(d.judged, d.features, d.y, ps, strict=True)
        if y is not None
    ]


def write_trees(
    docs: Sequence[Doc], design: Design, linear: Mapping[str, object], check: bool
) -> float:
    """Fits the shipped trees on every unit and writes (or, with ``check``, compares) the
    trees file; returns the blend's threshold (``blend_threshold`` on the out-of-fold
    predictions of the linear writer folds and the tree folds). The file names the linear
    model it was trained beside (``linear``: claim_model.json's contents, ``linear_digest``);
    the runtime refuses it beside any other."""
    import lightgbm as lgb

    lin, blend, _ = fold_scores(docs, design)
    threshold = shipped_threshold(docs, lin, blend)
    with timed("the shipped trees"):
        flat = fit_trees(design)["all"]
    payload = {
        "trained_on": f"benchmarks/copy-dev labels and seed labels ({len(docs)} documents, "
        f"{len(design.y)} units), the claim model's feature rows (train_claims.Design)",
        "linear": linear_digest(linear),
        "lightgbm": lgb.__version__,
        "params": {**TREE_PARAMS, "max_bin": TREE_BIN, "rounds": TREE_ROUNDS},
        "blend": "logit = 0.5 * (linear logit + trees' raw score)",
        "threshold": threshold,
        "threshold_rule": "found_target_threshold: the highest at which the blend's out-of-fold "
        f"predictions find {FOUND_SHARE:.1%} of the labelled claim units ({FOUND_HOW} over "
        f"{TREE_FOLDS} writer folds for the trees, the linear part's writer folds)",
        "trees": flat,
    }
    text = json.dumps(payload, separators=(",", ":")) + "\n"
    if check:
        if not TREES_OUT.exists() or TREES_OUT.read_text() != text:
            print("shipped claim trees DIFFER")
            sys.exit(1)
    else:
        TREES_OUT.write_text(text)
        print(f"wrote {TREES_OUT}: {len(flat['root'])} trees, {len(flat['feature'])} splits, "
              f"blend threshold {threshold}")  # fmt: skip
    return threshold


def auc(scored: Sequence[Scored]) -> float:
    """Area under the ROC curve of the model's probability (ties count half)."""
    pos = sorted(s.p for s in scored if s.y)
    neg = sorted(s.p for s in scored if not s.y)
    if not pos or not neg:
        return float("nan")
    wins = sum(
        bisect.bisect_left(neg, p)
        + 0.5 * (bisect.bisect_right(neg, p) - bisect.bisect_left(neg, p))
        for p in pos
    )
    return wins / (len(pos) * len(neg))


def report(
    docs: Sequence[Doc],
    curve: bool = False,
    examples: int = 0,
    ways: Sequence[str] = ("document", "writer"),
) -> None:
    """Out-of-fold figures at the unit level, leaving one document out and one writer out:
    AUC, claims found and false alarms at the chosen threshold, by writer set."""
    for how in ways:
        group = GROUPS[how]
        models = fold_models(docs, group=group)
        scored = out_of_fold(docs, models)
        t_all = threshold_for(scored)
        per = group_thresholds(docs, models, writer_of) if how == "writer" else {}
        print(f"leave one {how} out: AUC {auc(scored):.3f}, threshold on all out-of-fold {t_all}")
        for w in dict.fromkeys(writer_of(d) for d in docs):
            part = [s for s in scored if writer_of(s.doc) == w]
            t = per.get(w, t_all)
            found, alarms = rates(part, t)
            n_pos = sum(s.y for s in part)
            print(
                f"  {w:>6}: AUC {auc(part):.3f}  threshold {t}: found {found:.1%} of {n_pos}, "
                f"false alarms {alarms:.1%} of {len(part) - n_pos}"
            )
        if how == "writer":
            hits = [s for s in scored if s.hit(per[writer_of(s.doc)])]
            pos = sum(s.y for s in scored)
            neg = len(scored) - pos
            print(
                f"  all writers, each at the threshold chosen without it: found "
                f"{sum(s.y for s in hits) / pos:.1%}, false alarms "
                f"{sum(1 - s.y for s in hits) / neg:.1%}"
            )
        if curve:
            print(f"  operating points, leave one {how} out (threshold: found / false alarms):")
            print(
                "   "
                + "  ".join(f"{t}: {f:.0%}/{a:.1%}" for t in GRID for f, a in [rates(scored, t)])
            )
            forced = [s for s in scored if s.forced]
            print(
                f"  reported whatever the model says (overstating wording): {len(forced)}, "
                f"of them filler {sum(1 - s.y for s in forced)}"
            )
        if examples and how == "writer":
            _examples(scored, per, examples)


def _examples(scored: Sequence[Scored], per: Mapping[str, float], n: int) -> None:
    """The filler the model is surest is a claim, and the claims it is surest are filler."""
    fa = sorted((s for s in scored if not s.y), key=lambda s: -s.p)[:n]
    miss = sorted((s for s in scored if s.y), key=lambda s: s.p)[:n]
    for title, rows in (("most claim-like filler", fa), ("most filler-like claims", miss)):
        print(f"  {title} (leave one writer out):")
        for s in rows:
            u = s.judged.unit
            print(f"    {writer_of(s.doc):>6} p={s.p:.2f} {u.role:9} {u.sentence[:110]}")


# The block-function model (copy/blockmodel.py): its L2 and the folds its out-of-fold predictions
# come from when the claim model is trained on them (writer sets dealt into BLOCK_FOLDS groups,
# so no block is read by a model that saw its writer's labels). L2 chosen on the blocks' own
# out-of-fold fit (log-loss per labelled unit 0.4763 at 1e-3, 0.4736 at 3e-4, 0.4731 at 1e-4,
# 0.4965 at 1e-2; its odds alone rank the units at AUC 0.843).
BLOCK_OUT = ROOT / "src" / "claimledger" / "data" / "block_model.json"
BLOCK_L2 = float(os.environ.get("CLAIMS_BLOCK_L2", "3e-4"))
BLOCK_FOLDS = 8
# Whether the shipped claim model reads it: not yet. Leaving one writer out (--quick --block,
# 734 documents and the seeds, 34,652 units; each unit's block read without it) it was
# noise-level: AUC 0.9790 -> 0.9797, at 0.55 found 13434 -> 13483 of 14743 and false alarms
# 1175 -> 1156 of 19909, at 0.6 13262 -> 13307 and 986 -> 1003; pages 775-784 (structured
# filler) 43 -> 42 and 37 -> 38 of 293. The threshold rule moves from 0.6 to 0.55, so false
# alarms at the chosen threshold rise (986 -> 1156). With the line in its block about 170 false
# alarms changed each way: the block reshuffles them, it does not remove them.
BLOCK_FUNCTION = False


def block_examples(doc: Doc) -> list[tuple[dict[str, float], float, int]]:
    """Each labelled block of ``doc``: its inputs, the share of its labelled units that are
    claims, and how many are labelled."""
    rows, block = block_inputs([j.features for j in doc.judged], [j.vector for j in doc.judged])
    claims, n = [0] * len(rows), [0] * len(rows)
    for b, y in zip(block, doc.y, strict=True):
        if y is not None:
            claims[b] += y
            n[b] += 1
    return [(r, claims[b] / n[b], n[b]) for b, r in enumerate(rows) if n[b]]


def train_blocks(examples: Sequence[tuple[Mapping[str, float], float, int]]) -> BlockModel:
    """A logistic regression of a block's claim share (soft labels, each block weighed by its
    labelled units), by Newton's method from zero: deterministic, features in sorted order."""
    names = sorted({k for f, _, _ in examples for k in f})
    col = {k: i for i, k in enumerate(names)}
    x = np.zeros((len(examples), len(names) + 1))
    for r, (f, _, _) in enumerate(examples):
        for k, v in f.items():
            x[r, col[k]] = v
    x[:, -1] = 1.0
    y = np.array([s for _, s, _ in examples])
    cw = np.array([float(n) for _, _, n in examples])
    cw /= cw.mean()
    l2 = np.array([BLOCK_L2 * (0.3 if k[:2] in ("v:", "hv") else 1.0) for k in names] + [0.0])
    w = _newton(x, y, cw, l2)
    weights = {k: round(float(w[i]), 6) for i, k in enumerate(names) if abs(w[i]) >= 1e-4}
    return BlockModel(weights, round(float(w[-1]), 6))


def block_fold(doc: Doc, writers: Sequence[str]) -> int:
    """The block fold of a document: its writer set's place among ``writers``, dealt round."""
    return writers.index(writer_of(doc)) % BLOCK_FOLDS


def with_block_function(docs: Sequence[Doc]) -> list[BlockModel]:
    """Adds to every document's features its blocks' function (``BlockModel.page_features``)
    as predicted by a block model trained without the document's fold (``block_fold``); returns
    the fold models."""
    writers = list(dict.fromkeys(writer_of(d) for d in docs))
    examples = [block_examples(d) for d in docs]
    folds = [block_fold(d, writers) for d in docs]
    models = []
    for k in range(BLOCK_FOLDS):
        rows = [e for d, f in zip(examples, folds, strict=True) if f != k for e in d]
        models.append(train_blocks(rows))
    for d, k in zip(docs, folds, strict=True):
        bf = models[k].page_features([j.features for j in d.judged], [j.vector for j in d.judged])
        d.features = [{**f, **g} for f, g in zip(d.features, bf, strict=True)]
    return models


# The dev sets whose pages are mostly filler (SEO blogs, scraped text, unusual page types)
FILLER_HEAVY = ("425-434", "445-454", "465-474", "495-504")


def cached_documents(path: str | None) -> list[Doc]:
    """``documents(dev_sets())``, kept in ``path`` (a pickle this script wrote) when given."""
    if path and Path(path).exists():
        with open(path, "rb") as f:
            docs: list[Doc] = pickle.load(f)
        return docs
    docs = documents(dev_sets())
    if path:
        with open(path, "wb") as f:
            pickle.dump(docs, f)
    return docs


def _matrix(docs: Sequence[Doc], drop: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The labelled units' weighed features (less those whose name, after any context prefix,
    starts with one of ``drop``) as a matrix with a bias column, and their labels."""
    rows = [
        {k: v for k, v in f.items() if not _stripped(k).startswith(tuple(drop))}
        for f, _ in examples_of(docs)
    ]
    names = sorted({k for f in rows for k in f})
    col = {k: i for i, k in enumerate(names)}
    x = np.zeros((len(rows), len(names) + 1))
    for r, f in enumerate(rows):
        for k, v in f.items():
            x[r, col[k]] = v
    x[:, -1] = 1.0
    y = np.array([y for _, y in examples_of(docs)], dtype=float)
    return x, y, names


def _stripped(name: str) -> str:
    for prefix in CONTEXT:
        name = name.removeprefix(prefix)
    return name


@dataclass
class QuickStats:
    """What ``quick_writer_folds`` saw besides its predictions: the writers whose warm-started
    fold did not settle within QUICK_STEPS (refitted from zero, as ``train``, so none keeps the
    held-out writer's pull) and the all-data fit's own (in-sample) predictions."""

    capped: list[str] = field(default_factory=list)
    in_sample: list[Scored] = field(default_factory=list)


QUICK_STEPS = 40  # warm-started steps per writer fold before it is refitted from zero


def quick_writer_folds(
    docs: Sequence[Doc], drop: Sequence[str] = (), stats: QuickStats | None = None, pool: int = 0
) -> list[Scored]:
    """Out-of-fold predictions leaving one writer out, quickly: each writer's model starts from
    the all-data weights and takes Newton steps with the all-data Hessian at those weights less
    the writer's rows (class weights as ``train`` sets them for the fold), to a step under 1e-5.
    A fold still moving after QUICK_STEPS would keep part of the all-data fit, which saw the
    held-out writer: it is refitted from zero with exact Newton steps (``train``'s solver) and
    named in ``stats``. An approximation of ``fold_models(group=writer_of)`` for comparing
    features, not for the shipped threshold. ``pool``: the writers dealt into that many folds
    (``pooled_folds``) instead of one fold each, for speed: a fold holds several writers out
    (less training data), but a held-out set's neighbours (often one session's, one house
    style) stay in training, so it is neither stricter nor looser as such: compare features
    only within one ``pool`` setting. Each writer's threshold is still chosen without that
    writer alone (``quick_report``)."""
    x, y, names = _matrix(docs, drop)
    l2 = np.array([L2 * _penalty(k) for k in names] + [0.0])
    n, pos = len(y), float(y.sum())
    cw = np.where(y == 1, n / (2 * pos), n / (2 * (n - pos)))
    w = np.zeros(x.shape[1])
    for _ in range(STEPS):  # the all-data fit, as train
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30.0, 30.0)))
        step = np.linalg.solve(
            (x * (cw * p * (1 - p))[:, None]).T @ x / n + np.diag(l2 + 1e-9),
            x.T @ ((p - y) * cw) / n + l2 * w,
        )
        w -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30.0, 30.0)))
    v = p * (1 - p)
    units = [(d, j, f) for d in docs for j, f, t in zip(d.judged, d.features, d.y, strict=True)
             if t is not None]  # fmt: skip
    writers = np.array([writer_of(d) for d, _, _ in units])
    if pool:
        fold = pooled_folds([writer_of(d) for d in docs], pool)
        writers = np.array([fold[w] for w in writers.tolist()])
    by_class = [(x[y == c] * v[y == c][:, None]).T @ x[y == c] for c in (0, 1)]
    out = np.zeros(n)
    for g in dict.fromkeys(writers.tolist()):
        m = writers == g
        xk, yk = x[~m], y[~m]
        nk, pk = len(yk), float(yk.sum())
        cn, cp = nk / (2 * (nk - pk)), nk / (2 * pk)
        held = [(x[m & (y == c)] * v[m & (y == c)][:, None]).T @ x[m & (y == c)] for c in (0, 1)]
        hess = (cn * (by_class[0] - held[0]) + cp * (by_class[1] - held[1])) / nk
        hess += np.diag(l2 + 1e-9)
        wk, cwk = w.copy(), np.where(yk == 1, cp, cn)
        for _ in range(QUICK_STEPS):
            pk_ = 1.0 / (1.0 + np.exp(-np.clip(xk @ wk, -30.0, 30.0)))
            step = np.linalg.solve(hess, xk.T @ ((pk_ - yk) * cwk) / nk + l2 * wk)
            wk -= step
            if float(np.abs(step).max()) < 1e-5:
                break
        else:
            wk = _newton(xk, yk, cwk, l2)
            if stats is not None:
                stats.capped.append(g)
        out[m] = 1.0 / (1.0 + np.exp(-np.clip(x[m] @ wk, -30.0, 30.0)))
    if stats is not None:
        fit = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30.0, 30.0)))
        stats.in_sample = _scored(fit, y, units)
    return _scored(out, y, units)


def pooled_folds(writers: Sequence[str], pool: int) -> dict[str, str]:
    """Each writer's fold when the writers are dealt into ``pool`` folds in turn (in the order
    given): neighbouring writer sets fall in different folds, so every fold mixes sessions."""
    order = list(dict.fromkeys(writers))
    return {w: f"fold {i % pool}" for i, w in enumerate(order)}


def _newton(x: np.ndarray, y: np.ndarray, cw: np.ndarray, l2: np.ndarray) -> np.ndarray:
    """``train``'s fit on a matrix: exact Newton steps from zero (STEPS at most)."""
    n, w = len(y), np.zeros(x.shape[1])
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30.0, 30.0)))
        hess = (x * (cw * p * (1 - p))[:, None]).T @ x / n + np.diag(l2 + 1e-9)
        step = np.linalg.solve(hess, x.T @ ((p - y) * cw) / n + l2 * w)
        w -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    return w


def _scored(
    p: np.ndarray, y: np.ndarray, units: Sequence[tuple[Doc, Judged, Mapping[str, float]]]
) -> list[Scored]:
    return [
        Scored(float(p[i]), int(y[i]), bool(f.get("overstated_claim")), d, j)
        for i, (d, j, f) in enumerate(units)
    ]


def quick_report(
    docs: Sequence[Doc],
    drop: Sequence[str],
    chosen: Sequence[str] = (),
    dump: str = "",
    pool: int = 0,
) -> None:
    """``quick_writer_folds`` figures, with and without the features ``drop`` names; also for
    the writer sets ``chosen`` ("555-564" ...) pooled; ``dump``: write the out-of-fold
    predictions there (``_dump``; without the features ``drop`` names in ``dump``.without)."""
    runs = [("all features", ())]
    if drop:
        runs.insert(0, (f"without {','.join(drop)}", tuple(drop)))
    for title, d in runs:
        stats = QuickStats()
        scored = quick_writer_folds(docs, d, stats, pool)
        per = writer_thresholds(scored, [writer_of(x) for x in docs])
        hits = [s for s in scored if s.hit(per[writer_of(s.doc)])]
        pos = sum(s.y for s in scored)
        print(
            f"{title}: leave one writer out (quick), AUC {auc(scored):.4f}, threshold on all "
            f"out-of-fold {threshold_for(scored)}; each writer at the threshold chosen without "
            f"it: found {sum(s.y for s in hits)}/{pos}, false alarms on filler "
            f"{sum(1 - s.y for s in hits)}/{len(scored) - pos}; folds refitted from zero "
            f"(warm start unsettled after {QUICK_STEPS} steps): {len(stats.capped)} of "
            f"{len(per)} {','.join(stats.capped)}"
        )
        t_all, inside = threshold_for(scored), _parts(stats.in_sample, chosen)
        print(f"  in-sample (the all-data fit, as shipped) at {t_all}: ", end="")
        print(" | ".join(_counts(name, part, t_all) for name, part in inside))
        parts = _parts(scored, chosen)
        for t in (0.5, 0.55, 0.6, 0.65):
            print(f"  t={t}: " + " | ".join(_counts(name, part, t) for name, part in parts))
        if dump:  # the run without the features named goes to FILE.without
            _dump(f"{dump}.without" if d else dump, scored, per)


def _parts(scored: Sequence[Scored], chosen: Sequence[str]) -> list[tuple[str, list[Scored]]]:
    """All units, the seeds, the filler-heavy sets and the ``chosen`` writer sets pooled."""
    parts = [
        ("all", list(scored)),
        ("seeds", [s for s in scored if writer_of(s.doc) == "seeds"]),
        ("filler-heavy", [s for s in scored if writer_of(s.doc) in FILLER_HEAVY]),
    ]
    for group in chosen:  # "715-724,725-734": those writer sets pooled
        sets = group.split(",")
        name = group if len(sets) == 1 else f"{sets[0].split('-')[0]}-{sets[-1].split('-')[-1]}"
        parts.append((name, [s for s in scored if writer_of(s.doc) in sets]))
    return parts


def _dump(path: str, scored: Sequence[Scored], per: Mapping[str, float]) -> None:
    """The out-of-fold predictions as JSON lines (writer, page, probability, the writer's
    threshold, label, reported whatever the model says, role, sentence): for error analysis."""
    with open(path, "w") as f:
        for s in scored:
            u = s.judged.unit
            row = [writer_of(s.doc), s.doc.number, round(s.p, 4), per[writer_of(s.doc)], s.y,
                   s.forced, u.role, u.context, u.heading, u.sentence]  # fmt: skip
            f.write(json.dumps(row) + "\n")


def _counts(name: str, scored: Sequence[Scored], t: float) -> str:
    hit = [s.hit(t) for s in scored]
    found = sum(1 for s, h in zip(scored, hit, strict=True) if s.y and h)
    alarms = sum(1 for s, h in zip(scored, hit, strict=True) if not s.y and h)
    pos = sum(s.y for s in scored)
    neg = len(scored) - pos
    return f"{name} found {found}/{pos} ({found / pos:.1%}) FA {alarms}/{neg} ({alarms / neg:.1%})"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--check", action="store_true")
    ap.add_argument(
        "--report",
        action="store_true",
        help="print out-of-fold figures (leave one document / one writer out) and write nothing",
    )
    ap.add_argument("--curve", action="store_true", help="with --report: found vs false alarms")
    ap.add_argument(
        "--writers-only",
        action="store_true",
        help="with --report: leave one writer out only (a model per document takes an hour)",
    )
    ap.add_argument(
        "--examples", type=int, default=0, metavar="N", help="with --report: N worst units each way"
    )
    ap.add_argument("--cache", metavar="FILE", help="keep the judged documents in FILE (pickle)")
    ap.add_argument(
        "--quick",
        action="store_true",
        help="leave one writer out quickly (warm-started folds); writes nothing",
    )
    ap.add_argument(
        "--without",
        default="",
        metavar="PREFIXES",
        help="with --quick: also the figures without features starting so (comma-separated)",
    )
    ap.add_argument(
        "--writers",
        action="append",
        default=[],
        help="with --quick: these writer sets pooled too (comma-separated; repeat for more groups)",
    )
    ap.add_argument(
        "--block",
        action="store_true",
        help="with --quick: the claim model also reads the block-function model's out-of-fold "
        "predictions (copy/blockmodel.py; --without bf: for the figures without it)",
    )
    ap.add_argument(
        "--dump", default="", metavar="FILE", help="with --quick: out-of-fold predictions (JSONL)"
    )
    ap.add_argument(
        "--pool",
        type=int,
        default=0,
        metavar="N",
        help="with --quick: the writers dealt into N folds, for speed (compare features only "
        "within one N; per-writer thresholds as without it)",
    )
    a = ap.parse_args()
    with timed("judging the pages"):
        docs = cached_documents(a.cache)
    if a.quick:
        if a.block:
            with_block_function(docs)
        quick_report(docs, [p for p in a.without.split(",") if p], a.writers, a.dump, a.pool)
        return
    if BLOCK_FUNCTION:  # the claim model reads its blocks' function, out of fold (see BLOCK_L2)
        with_block_function(docs)
    if a.report:
        report(docs, a.curve, a.examples, ("writer",) if a.writers_only else ("document", "writer"))
        return
    with timed("the writer folds"):
        design = Design.of(docs)
        folds = fold_models(docs, group=writer_of, design=design)
    with timed("the threshold"):
        threshold = choose_threshold(docs, folds)
    with timed("the shipped fit"):  # train(examples_of(docs)), solved once with the folds
        ex = examples_of(docs)
        w, b = design.fit([True] * len(docs))
    payload = {
        "trained_on": f"benchmarks/copy-dev labels and seed labels ({len(docs)} documents, "
        f"{len(ex)} units)",
        "solver": "newton",
        "l2": L2,
        "l2_scale": PENALTY_SCALE,
        "false_alarm_cost": FALSE_ALARM_COST,
        "threshold": threshold,
        "shrink": SHRINK,
        "prior": docs[0].prior if docs else {},
        "bias": b,
        "weights": dict(sorted(w.items())),
    }
    if BLOCK_FUNCTION:
        write_block_model(docs, a.check)
    if TREES:  # the trees first: the claim model's check exits
        with timed("the trees' folds and threshold"):
            write_trees(docs, design, payload, a.check)
    elif TREES_OUT.exists():  # trees beside an older linear model: the runtime would refuse them
        if a.check:
            print(f"{TREES_OUT} is there but CLAIMS_TREES is off")
            sys.exit(1)
        TREES_OUT.unlink()
        print(f"removed {TREES_OUT} (CLAIMS_TREES is off)")
    write_or_check(OUT, payload, a.check)
    print(f"wrote {OUT} from {len(ex)} units of {len(docs)} documents, threshold {threshold}")


def write_block_model(docs: Sequence[Doc], check: bool) -> None:
    """The block model the shipped claim model reads (trained on every labelled block)."""
    rows = [e for d in docs for e in block_examples(d)]
    m = train_blocks(rows)
    payload = {
        "trained_on": f"benchmarks/copy-dev labels and seed labels ({len(docs)} documents, "
        f"{len(rows)} blocks)",
        "l2": BLOCK_L2,
        "bias": m.bias,
        "weights": dict(sorted(m.weights.items())),
    }
    if check:  # the claim model's check exits: compare this one first
        text = json.dumps(payload, indent=1) + "\n"
        if not BLOCK_OUT.exists() or BLOCK_OUT.read_text() != text:
            print("shipped block model DIFFERS")
            sys.exit(1)
        return
    write_or_check(BLOCK_OUT, payload, False)
    print(f"wrote {BLOCK_OUT} from {len(rows)} blocks")


if __name__ == "__main__":
    main()
