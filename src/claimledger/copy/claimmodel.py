"""Claim-likeness as a small learned model over interpretable features. Pure.

Round one decided claim-likeness with hand-tuned rules over cue words written against one
writer's vocabulary. Here those rules' verdicts are only features among others (page role,
treatment mention, topic-cue families, verbs of effect, hedges, wording flags, length), weighed by
a logistic regression trained on the project's labelled dev pages and seed labels
(benchmarks/train_claims.py regenerates data/claim_model.json byte for byte).

Topic cues are one writer's vocabulary; ``shape_features`` adds what kind of statement a sentence
is in generic terms (data/claim_cues.yaml): a third-person subject (the drug, studies, patients),
a verb of effect or finding, clinical nouns, a timeframe; or a call to action, the clinic speaking
for itself, times and places. These hold across writers where topic cues do not.

Two signals beyond cues (``meaning_features``, ``with_neighbours``): the sentence's meaning, as
the mean of its tokens' vectors in the shipped static embedding (data/embedding.npz; 128 numbers
whose weights are learnt with the rest), and its neighbours: a line among navigation, contact or
logistics lines is filler more often than the same line among statements about a treatment.
Both were kept because they raised the figure that counts, leaving one WRITER out (an unseen
writer's pages): out-of-fold AUC 0.950 -> 0.960 (benchmarks/train_claims.py --report).

Page context (``page_features``): what the other units under the same heading and on the same
page are (their role, subject, mood, cue families), measured against the average unit and shrunk
on short pages (SHRINK), and role-crossed weights for headings, list items and quotations. Kept
because it held leaving one writer out (209 documents, each writer scored by a model trained
without it: AUC 0.9714 -> 0.9730; at threshold 0.55 found 4321 -> 4345 of 4822 with false alarms
375 -> 374 of 5701; more found at the same false alarms from 0.45 to 0.65) while a boxed-warning
line on a four-line page keeps its score (0.70 -> 0.69; unshrunk it fell to 0.40).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cache, cached_property, lru_cache
from importlib import resources
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from claimledger.copy.blockmodel import BLOCK_FN, BlockModel, block_model
from claimledger.copy.blockmodel import block_sections as sections
from claimledger.copy.claimnames import (
    CLAIM_CONTENT,
    CROSS,
    CROSSED,
    CROSSED_MEANING,
    CROSSED_ROLES,
    INTERACT,
    LINE_FRAMES,
    MATES,
    MEANING,
    NEIGHBOUR,
    NEIGHBOURS,
    PAGE,
    SECTION,
    SHRINK,
)
from claimledger.copy.claimtrees import TreeModel
from claimledger.copy.structure import Unit, domain, is_attribution, is_question
from claimledger.data.embedding import Vector, static_embedding
from claimledger.library.lexicon import (
    Caseless,
    CueIndex,
    load_lexicon,
    matching,
    shared_index,
    trigrams,
)

__all__ = [
    "CROSS",
    "CROSSED",
    "CROSSED_MEANING",
    "CROSSED_ROLES",
    "INTERACT",
    "MATES",
    "MEANING",
    "NEIGHBOUR",
    "NEIGHBOURS",
    "PAGE",
    "SECTION",
    "SHRINK",
    "ClaimModel",
    "TreeModel",
    "block_features",
    "claim_model",
    "clause_head",
    "context_features",
    "crossed_meaning",
    "filler_features",
    "framing_features",
    "framing_rest",
    "framing_rest_clause",
    "framing_rest_number",
    "grammar_features",
    "interaction_features",
    "length_bucket",
    "linear_digest",
    "mates_prior",
    "meaning_features",
    "meaning_vectors",
    "model_of",
    "page_features",
    "reason_features",
    "recall_features",
    "sections",
    "shape_features",
    "structure_features",
    "warning_features",
    "with_context",
]


def interaction_features(f: Mapping[str, float]) -> dict[str, float]:
    """Each claim-content feature of ``f`` times each line-frame feature ("ix:a*b"; INTERACT)."""
    out: dict[str, float] = {}
    for a in CLAIM_CONTENT:
        va = f.get(a)
        if va:
            for b in LINE_FRAMES:
                vb = f.get(b)
                if vb:
                    out[f"{INTERACT}{a}*{b}"] = va * vb
    return out


def crossed_meaning(role: str) -> str:
    """The feature-name prefix of the meaning components read only in ``role``."""
    return f"{CROSS}{role}*{MEANING}"


@dataclass(frozen=True)
class ClaimModel:
    """Logistic-regression weights by feature name; a unit is a claim at ``threshold``."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    prior: Mapping[str, float] = field(default_factory=dict)  # the average unit's MATES
    block: BlockModel | None = None  # what each unit's block is for (copy/blockmodel.py)
    # the gradient-boosted trees blended in (data/claim_trees.json; ``threshold`` is then the
    # blend's): page_probabilities' logit = 0.5 (linear logit + the trees' raw score)
    trees: TreeModel | None = None

    def probability(self, features: Mapping[str, float]) -> float:
        """The linear model's probability of one full feature row (``page_features``), for a
        model without trees (with trees only ``page_probabilities`` blends, and ``threshold``
        is the blend's)."""
        if self.trees is not None:
            raise ValueError("a blended model scores pages: use page_probabilities")
        w = self.weights
        z = self.bias + math.fsum(w[k] * v for k, v in features.items() if k in w)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def is_claim(self, features: Mapping[str, float]) -> bool:
        """Whether one row is a claim, for a linear model alone: with trees the threshold is
        the blend's, which only ``page_probabilities`` scores."""
        if self.trees is not None:
            raise ValueError("a blended model scores pages: use page_probabilities")
        return self.probability(features) >= self.threshold

    def page_probabilities(
        self, features: Sequence[Mapping[str, float]], vectors: Sequence[Vector]
    ) -> list[float]:
        """Each unit's probability, as ``probability`` gives it for the unit's features joined
        with its meaning components and its page context (``page_features``), without building
        those: the model is linear, so a neighbour, a section-mate or a page-mate counts by its
        own score under the "nb:", "sec:" or "pg:" weights, and a vector by its dot product
        with the weight vector. With a block model, each unit's own score also reads its block's
        function ("bf:"; read as a unit's own feature only, as it is trained). With trees, each
        logit is averaged with the trees' raw score (the blend they were trained for)."""
        n = len(features)
        fn = self.block.page_features(features, vectors) if self.block and n else [{}] * n
        own, nb, sec, pg = [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n
        table, crossed = self._table, self._crossed
        roles: list[str | None] = [None] * n
        for i, f in enumerate(features):
            o = b = c = d = 0.0
            role = None
            for k, v in f.items():
                t = table.get(k)
                if t is not None:
                    o, b, c, d = o + t[0] * v, b + t[1] * v, c + t[2] * v, d + t[3] * v
                if k in crossed and v:
                    role = k
            if role is not None:  # "x:heading*efficacy_word": the role-crossed features
                for k, (wo, wb) in crossed[role].items():
                    if k in f:
                        o, b = o + wo * f[k], b + wb * f[k]
            o += math.fsum(self.weights.get(k, 0.0) * v for k, v in fn[i].items())
            if self._interacts:  # "ix:effect*mood:imperative": the unit's own pairings
                o += math.fsum(
                    w * v
                    for k, v in interaction_features(f).items()
                    if (w := self._interacts.get(k))
                )
            own[i], nb[i], sec[i], pg[i], roles[i] = o, b, c, d, role
        if len(vectors):
            m = np.vstack(vectors)
            own = (np.asarray(own) + m @ self._vector(MEANING)).tolist()
            nb = (np.asarray(nb) + m @ self._vector(NEIGHBOUR + MEANING)).tolist()
            own = self._with_crossed_meaning(own, roles, m)
        sec = _others_mean(sec, sections(features), self._prior_score[0])
        pg = _others_mean(pg, [0] * n, self._prior_score[1])
        trees = self.trees.scores(features, vectors, self.prior) if self.trees and n else None
        out = []
        for i in range(n):
            around = [nb[k] for k in _around(i, n)]
            z = self.bias + own[i] + (math.fsum(around) / len(around) if around else 0.0)
            z += sec[i] + pg[i]
            if trees is not None:
                z = 0.5 * (z + float(trees[i]))
            out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
        return out

    @cached_property
    def _table(self) -> dict[str, tuple[float, float, float, float]]:
        """Each feature's weights as itself, as a neighbour's, a section-mate's and a
        page-mate's (once per model)."""
        w = self.weights
        names = {k.removeprefix(p) for k in w for p in (NEIGHBOUR, SECTION, PAGE)}
        return {
            k: (
                w.get(k, 0.0),
                w.get(NEIGHBOUR + k, 0.0),
                w.get(SECTION + k, 0.0),
                w.get(PAGE + k, 0.0),
            )
            for k in sorted(names)
            if not k.startswith(CROSS)
        }

    @cached_property
    def _interacts(self) -> dict[str, float]:
        """The weights of the claim-content x line-frame products (``interaction_features``)."""
        return {k: v for k, v in self.weights.items() if k.startswith(INTERACT)}

    @cached_property
    def _prior_score(self) -> tuple[float, float]:
        """The average unit's score as a section-mate and as a page-mate (what a short page's
        context shrinks toward)."""
        w = self.weights
        return (
            math.fsum(w.get(SECTION + k, 0.0) * v for k, v in self.prior.items()),
            math.fsum(w.get(PAGE + k, 0.0) * v for k, v in self.prior.items()),
        )

    @cached_property
    def _crossed(self) -> dict[str, dict[str, tuple[float, float]]]:
        """By "role:..." feature, the crossed features' weights (own, as a neighbour's)."""
        w = self.weights
        out = {}
        for r in CROSSED_ROLES:
            names = (f"{CROSS}{r}*{k}" for k in CROSSED)
            out[f"role:{r}"] = {
                k: (w.get(x, 0.0), w.get(NEIGHBOUR + x, 0.0))
                for k, x in zip(CROSSED, names, strict=True)
            }
        return out

    def _with_crossed_meaning(
        self, own: list[float], roles: Sequence[str | None], m: npt.NDArray[np.float32]
    ) -> list[float]:
        """``own`` plus, for a unit in a CROSSED_MEANING role, its meaning under that role's
        weights ("x:heading*emb:000" ...)."""
        for r in CROSSED_MEANING:
            rows = [i for i, role in enumerate(roles) if role == f"role:{r}"]
            if rows:
                scores = (m[rows] @ self._vector(crossed_meaning(r))).tolist()
                for i, z in zip(rows, scores, strict=True):
                    own[i] += z
        return own

    def _vector(self, prefix: str) -> npt.NDArray[np.float64]:
        """The weights of the meaning components named ``prefix`` + "000" ..., as a vector:
        built once per model and prefix (every page reads the same few; read-only)."""
        known = self._vectors.get(prefix)
        if known is None:
            dim = static_embedding().dim
            known = np.array([self.weights.get(f"{prefix}{k:03d}", 0.0) for k in range(dim)])
            known.flags.writeable = False
            self._vectors[prefix] = known
        return known

    @cached_property
    def _vectors(self) -> dict[str, npt.NDArray[np.float64]]:
        return {}


def length_bucket(n_words: int) -> str:
    """Sentence length as a coarse class: a fragment, short, ordinary or long."""
    for limit, name in ((3, "fragment"), (8, "short"), (25, "ordinary")):
        if n_words <= limit:
            return name
    return "long"


@cache
def claim_model() -> ClaimModel:
    """The shipped model (data/claim_model.json, written by benchmarks/train_claims.py)."""
    raw = resources.files("claimledger").joinpath("data/claim_model.json").read_text()
    data = json.loads(raw)
    blocks = None
    if any(k.startswith(BLOCK_FN) for k in data["weights"]):
        blocks = block_model()
        if blocks is None:  # its weights would be read as zeros, silently: a broken install
            raise RuntimeError(
                "data/block_model.json is missing; the claim model was trained with it"
            )
    shipped = resources.files("claimledger").joinpath("data/claim_trees.json")
    trees = json.loads(shipped.read_text()) if shipped.is_file() else None
    return model_of(data, blocks, trees)


def linear_digest(data: Mapping[str, Any]) -> str:
    """A digest of a claim model file's weights, bias and prior: the trees file names the linear
    model it was trained beside (blended with any other, its threshold would be wrong)."""
    keys = (
        dict(sorted(data["weights"].items())),
        data["bias"],
        dict(sorted(data["prior"].items())),
    )
    return hashlib.sha256(json.dumps(keys).encode()).hexdigest()[:16]


def model_of(
    data: Mapping[str, Any], blocks: BlockModel | None, trees: Mapping[str, Any] | None
) -> ClaimModel:
    """A claim model from its file's contents, blended with the trees file's when given (whose
    threshold, the blend's, replaces the linear model's: benchmarks/train_claims.py). Trees
    trained beside another linear model (a stale file after a retrain) are refused."""
    if trees is not None and trees.get("linear") != linear_digest(data):
        raise RuntimeError(
            "data/claim_trees.json was trained beside another claim_model.json: retrain both "
            "(benchmarks/train_claims.py) or delete the trees file"
        )
    return ClaimModel(
        dict(data["weights"]),
        float(data["bias"]),
        float((trees or data)["threshold"]),
        dict(data.get("prior", {})),
        blocks,
        TreeModel.from_json(trees) if trees is not None else None,
    )


@cache
def _cues() -> tuple[tuple[str, Caseless, int], ...]:
    data = load_lexicon("claim_cues")
    counted = data.get("counted", {})
    return tuple((k, Caseless(p), int(counted.get(k, 0))) for k, p in data["families"].items())


@cache
def _cue_index() -> CueIndex:
    return CueIndex([rx for _, rx, _ in _cues()])


def shape_features(s: str, question: str = "") -> dict[str, float]:
    """What kind of statement ``s`` (normalised) is, from generic word classes and its shape.
    ``question``: the question it answers, whose words it asserts or denies ("Does insurance
    cover it?" / "Usually not." is about insurance)."""
    out: dict[str, float] = {"answer": 1.0} if question else {}
    s = f"{question} {s}" if question else s
    low = s.lower()
    cues = _cues()
    for i, m in _cue_index().matches(s, low, trigrams(low) if len(low) == len(s) else None):
        name, rx, cap = cues[i]
        n = rx.count(s, low, m, cap) if cap else 1  # counted: up to cap times
        out[f"cue:{name}"] = n / cap if cap else 1.0
    words = [w for w in s.split() if w[:1].isalpha()]
    if len(words) >= 3:  # Title Case Or Proper Names: headlines, nav rows, addresses
        out["capitalised"] = sum(1 for w in words[1:] if w[:1].isupper()) / (len(words) - 1)
    return out


@dataclass(frozen=True)
class _Grammar:
    adverbial: re.Pattern[str]
    subjects: tuple[tuple[str, re.Pattern[str]], ...]
    imperative: re.Pattern[str]
    obligation: Caseless  # any case (as the others), on the lower-cased text
    business: Caseless


@cache
def _grammar() -> _Grammar:
    data = load_lexicon("claim_cues")
    return _Grammar(
        re.compile(data["opening_adverbial"], re.I),
        tuple((k, re.compile(p, re.I)) for k, p in data["subjects"].items()),
        re.compile(data["mood"]["imperative"], re.I),
        Caseless(data["mood"]["obligation"]),
        Caseless(data["business_section"]),
    )


def clause_head(s: str) -> str:
    """``s`` from the head of its main clause: without an opening adverbial ("At our clinic, we
    ..." -> "we ..."; "In 2014, our founder ..." -> "our founder ...")."""
    g = _grammar()
    for _ in range(2):  # "In 2014, at 34, she ..."
        m = g.adverbial.match(s)
        if not m:
            break
        s = s[m.end() :]
    return s


def grammar_features(
    s: str, intro: str = "", treatment_named: bool = False, heading: str = ""
) -> dict[str, float]:
    """Who the subject of ``s`` (normalised) is and what mood it is in: a treatment's effect,
    risk or status asserted of the treatment, its evidence or its patients is a claim; the
    clinic, its staff or the reader as the subject, or an instruction to the reader, describes
    the business or tells the reader what to do (policy 2, rules 1, 2, 9). ``intro``: the line
    a list item sits under ("Please bring:"), whose mood the item inherits; ``heading``: the
    heading of its section ("Meet Our Team", "Fees & Insurance")."""
    g = _grammar()
    head = clause_head(s.lstrip("\"'*([ ").strip())
    out: dict[str, float] = {}
    subject = next((k for k, rx in g.subjects if rx.match(head)), None)
    if subject is None and treatment_named and _first_words_name_a_treatment(head):
        subject = "treatment"
    if subject:
        out[f"subj:{subject}"] = 1.0
    if g.imperative.match(head) and not is_question(s):
        out["mood:imperative"] = 1.0
    if g.obligation.search(s):
        out["mood:obligation"] = 1.0
    if intro and (g.imperative.match(clause_head(intro)) or "please" in intro.lower()):
        out["mood:intro_imperative"] = 1.0
    if is_attribution(s):  # "— Sam, 52": who said the quotation above
        out["attribution"] = 1.0
    if heading and g.business.found(
        heading
    ):  # kept: a section's units share it  # under "Our Team", "Fees & Insurance"
        out["business_section"] = 1.0
    return out


# What a unit's intro line or section heading says, read as the unit's own features ("ctx:",
# "hd:"): a list item inherits who speaks and to whom from the line it sits under ("Please
# bring:", "Clients come to me with:", "Insurers generally ask for the following:", "As an
# infusion nurse you will:"), and a sentence from its heading ("What You'll Bring"). The
# section-mates' means ("sec:") dilute one intro line among many mates; these keep it whole.
# Only the generic word classes (cue families, subject, mood), never the words themselves.
# Whether the heading names a treatment, or a condition alone ("hd:named", "hd:cond_only"), too.
# Leaving one writer out: benchmarks/train_claims.py --quick --without ctx:,hd:
CONTEXT_LINE = "ctx:"  # prefix of the intro line's (or a non-question context's) word classes
HEADING_LINE = "hd:"  # prefix of the section heading's word classes
_LINE_CLASSES = ("cue:", "subj:", "mood:")


@lru_cache(maxsize=1024)
def _line_classes(s: str) -> tuple[tuple[str, float], ...]:
    """The cue families, subject and mood of a context or heading line (lines repeat for every
    unit of a section, so each is read once)."""
    f = shape_features(s)
    f.update(grammar_features(s))
    return tuple((k, v) for k, v in sorted(f.items()) if k.startswith(_LINE_CLASSES))


def context_features(u: Unit) -> dict[str, float]:
    """The word classes of the line ``u`` needs (its intro line or its section's heading; not a
    question it answers, which ``shape_features`` reads with the answer), prefixed "ctx:" and
    "hd:"."""
    out: dict[str, float] = {}
    if u.context and not is_question(u.context):
        out.update((CONTEXT_LINE + k, v) for k, v in _line_classes(u.context))
    if u.heading and u.role not in ("heading", "question"):
        if u.heading != u.context:
            out.update((HEADING_LINE + k, v) for k, v in _line_classes(u.heading))
        out.update((HEADING_LINE + k, 1.0) for k in _heading_about(u.heading))
    return out


@lru_cache(maxsize=1024)
def _heading_about(s: str) -> tuple[str, ...]:
    """What a section's heading is about: a treatment ("named"), or a condition and no
    treatment ("cond_only": "What Is Chronic Pain?", whose lines describe the condition)."""
    if domain().treatments_in(s):
        return ("named",)
    return ("cond_only",) if _names_a_condition(s) else ()


@dataclass(frozen=True)
class _Structure:
    heading_wh: re.Pattern[str]
    benefit_imperative: re.Pattern[str]
    past_tense: Caseless
    first_person: Caseless
    agent: Caseless
    price: Caseless
    outcome: Caseless
    degree: Caseless
    count: Caseless
    promise: Caseless
    access: Caseless
    dated: re.Pattern[str]


@cache
def _structure() -> _Structure:
    data = load_lexicon("claim_cues")["structure"]
    return _Structure(
        re.compile(data["heading_wh"], re.I),
        re.compile(data["benefit_imperative"], re.I),
        Caseless(data["past_tense"]),
        Caseless(data["first_person"]),
        Caseless(data["agent"]),
        Caseless(data["price"]),
        Caseless(data["outcome"]),
        Caseless(data["degree"]),
        Caseless(data["count"]),
        Caseless(data["promise"]),
        Caseless(data["access"]),
        re.compile(data["dated"]),
    )


_STOPPED = re.compile(r"[.!]\W*$")


def structure_features(u: Unit, clause: bool) -> dict[str, float]:
    """What kind of line ``u`` is beyond its role (data/claim_cues.yaml ``structure``): a
    stopped fragment ("Zero Risk."), one of a tagline's fragments sharing a line ("Safe. Gentle.
    Proven."), a bare label ("Side Effects"; one that names an outcome, "Anxiety and PTSD
    Relief", is a benefit headline: ``_outcome_features``), a comparison or a count
    (``_headline_features``), a wh-heading ("How It Works"), a headline telling the reader to
    feel or change something ("Break The Cycle Of Depression"), a past-tense story (in the
    first person: a testimonial's scene), a condition as the subject, who runs the treatment,
    prices, a table row. ``clause``: the unit reads as a statement (has a verb)."""
    g, s = _structure(), u.norm
    n = len(s.split())
    stopped = _STOPPED.search(s) is not None
    found = matching(_structure_cues(n <= 14), s)  # one pass for the patterns read below
    out: dict[str, float] = {}
    if not clause:
        out.update(_outcome_features(s, n, u.named, found))
    if n <= 14:
        out.update(_headline_features(found))
    if n <= 4 and not clause and (stopped or "frag:outcome" not in out):
        out["frag:stopped" if stopped else "frag:bare"] = 1.0  # a label names no outcome
    if n <= 5 and stopped and not u.standalone_line and u.role in ("heading", "body"):
        out["frag:tagline"] = 1.0
    if u.role == "heading" and g.heading_wh.match(s):
        out["head:wh"] = 1.0
    if g.benefit_imperative.match(s):
        out["mood:benefit_imperative"] = 1.0
    if g.past_tense in found:
        out["tense:past"] = 1.0
        if g.first_person in found:
            out["narr:first_past"] = 1.0
    if not u.named and _first_words_name_a_condition(s):
        out["subj:condition"] = 1.0
    if g.agent in found:
        out["agent:by"] = 1.0
    if g.price in found:
        out["price"] = 1.0
    # a row between bars, or one of a table written without them ("Speed of effect | Hours")
    if u.sentence.lstrip().startswith("|") or u.table_row:
        out["table_row"] = 1.0
    return out


@dataclass(frozen=True)
class _Blocks:
    person_heading: re.Pattern[str]  # case matters: a name is capitalised
    byline_heading: re.Pattern[str]
    form: re.Pattern[str]
    index: re.Pattern[str]
    step: re.Pattern[str]


@cache
def _blocks() -> _Blocks:
    data = load_lexicon("claim_cues")["blocks"]
    return _Blocks(
        re.compile(data["person_heading"]),
        re.compile(data["byline_heading"], re.I),
        re.compile(data["form"], re.I),
        re.compile(data["index"], re.I),
        re.compile(data["step"], re.I),
    )


BLOCK = "blk:"  # prefix of the block features


def block_features(u: Unit) -> dict[str, float]:
    """What kind of block ``u`` sits in (data/claim_cues.yaml ``blocks``): under a heading that
    names a person or a star rating (a testimonial or review), a byline or dateline (an
    article's lede), in a form (tick boxes, blanks, "Yes / No", lettered sections), an index of
    timestamps or in-page links, a numbered step. Structure, not words: whether such a line
    claims is the model's to weigh."""
    b, out = _blocks(), {}
    h = u.heading if u.role not in ("heading", "question") else ""
    if h and (b.person_heading.search(h) or is_attribution(h)):
        out[BLOCK + "person_heading"] = 1.0
    if h and b.byline_heading.search(h):
        out[BLOCK + "byline_heading"] = 1.0
    if b.form.search(u.sentence) or (h and b.form.search(h)):
        out[BLOCK + "form"] = 1.0
    if b.index.match(u.sentence):
        out[BLOCK + "index"] = 1.0
    if u.role == "item" and b.step.match(u.sentence):
        out[BLOCK + "step"] = 1.0
    return out


FRAME = "frame:"  # prefix of the editorial-framing features (framing_features)
# The cue families that carry an assertion about a treatment (an effect, a finding, a verdict,
# a time, a rate, a denial or a comparison) or a wording flag: a framing sentence with none of
# them, and whose rest says nothing either (``framing_features``' ``asserts``), is "frame:bare"
# ("In short: no heart risk whatsoever." is not). Not the modal or clinical-noun cues: "we will
# explore" and "ketamine therapy" are the framing's own words ("As we delve into ketamine
# therapy, ..." is bare)
_ASSERTING = (
    "cue:effect_verb", "cue:finding_verb", "cue:evaluative_copula", "cue:timeframe",
    "cue:percent", "cue:experience_verb", "cue:negation", "cue:comparison", "flag:",
)  # fmt: skip


@cache
def _framing() -> tuple[tuple[str, Caseless], ...]:
    return tuple((k, Caseless(p)) for k, p in load_lexicon("claim_cues")["framing"].items())


@cache
def _framing_cues() -> tuple[Caseless, ...]:
    return tuple(rx for _, rx in _framing())


def framing_rest(s: str) -> str:
    """``s`` with every framing span (data/claim_cues.yaml ``framing``) and every efficacy word
    named as the framed topic ("its effectiveness": ``framing_rest.topic_noun``) blanked out:
    what the sentence says besides framing itself ("In conclusion, ketamine offers real hope
    ..." -> ", ketamine offers real hope ...")."""
    for rx in chain((rx for _, rx in _framing()), _rest_cues()[2:]):
        while (m := rx.search(s)) and m.end() > m.start():
            s = f"{s[: m.start()]} {s[m.end() :]}"
    return s


@cache
def _rest_cues() -> tuple[Caseless, Caseless, Caseless]:
    cues = load_lexicon("claim_cues")["framing_rest"]
    return Caseless(cues["number"]), Caseless(cues["that_clause"]), Caseless(cues["topic_noun"])


def framing_rest_number(rest: str) -> bool:
    """A past year or a counted claim ("began in 1962", "7 in 10 patients"), not a listicle's
    count or an item number (data/claim_cues.yaml ``framing_rest``)."""
    return _rest_cues()[0].found(rest)


def framing_rest_clause(rest: str) -> str:
    """The that-clause of a framing sentence's rest ("It's worth noting, too, that X" -> X),
    or "" (a relative "everything that happens" is none)."""
    m = _rest_cues()[1].search(rest)
    return rest[m.end() :] if m else ""


def framing_features(
    s: str, cues: Mapping[str, float], asserts: Callable[[str], bool] = lambda _: False
) -> dict[str, float]:
    """The editorial register of ``s`` (normalised; data/claim_cues.yaml ``framing``): the
    article naming itself, announcing what it will do, exploring or praising its topic, making
    understanding a task, summing up ("frame:article" ...), and "frame:bare" when such a line
    carries none of the asserting cue families in ``cues`` (its shape_features) and ``asserts``
    finds no claim in the rest of it (``framing_rest``: a condition, an efficacy word, a year).
    An SEO blog's set-up and signposting lines are filler on real clinic pages (the seeds) far
    more often than the dev writers' pages show; a framing line that states an effect stays a
    claim's to weigh."""
    framing = _framing()
    found = matching(_framing_cues(), s)  # one pass for every framing pattern
    out = {FRAME + k: 1.0 for k, rx in framing if rx in found}
    if (
        out
        and not any(v and k.startswith(_ASSERTING) for k, v in cues.items())
        and not asserts(framing_rest(s))
    ):
        out[FRAME + "bare"] = 1.0
    return out


@cache
def _structure_cues(short: bool) -> tuple[Caseless, ...]:
    """The structure patterns structure_features reads of every line; with those read only of
    a short line (``short``: 14 words or fewer) too."""
    g = _structure()
    every = (g.past_tense, g.first_person, g.agent, g.price)
    return (*every, g.outcome, g.degree, g.count) if short else every


def _outcome_features(s: str, n: int, named: bool, found: frozenset[Caseless]) -> dict[str, float]:
    """A verbless line that names what a treatment gives ("Anxiety and PTSD Relief", "Rapid
    Results", "Depression Relief For Teens"): a benefit headline, not a section's bare label;
    more so with a condition or a treatment named beside it. ``found``: the structure patterns
    ``s`` matches (``_structure_cues``)."""
    if n > 12 or _structure().outcome not in found:
        return {}
    out = {"frag:outcome": 1.0}
    if named or _names_a_condition(s):
        out["frag:outcome_about"] = 1.0
    return out


def _headline_features(found: frozenset[Caseless]) -> dict[str, float]:
    """What a short line promises beyond its nouns: a comparison or degree ("Faster Than
    Pills", "Fewer Opioids, More Living"), a count of sessions or time ("In One Week", "Trusted
    Since 1970"). Read for every role; crossed with the heading role, they tell a headline that
    claims from a section's label. ``found``: the structure patterns the line matches."""
    g = _structure()
    out = {}
    if g.degree in found:
        out["line:degree"] = 1.0
    if g.count in found:
        out["line:count"] = 1.0
    return out


RECALL = "rc:"  # prefix of the recall features (claims said without a claim's sentence shape)
# What a unit names that a claim is about: a condition, a treatment's effect, an efficacy word,
# an outcome noun or a benefit headline's verb (features ``unit_features`` has already read).
# Not the product's name alone: on a product's site nav, footers, prices and FAQ questions name
# it too ("Ketamine Pricing and Insurance", "Is ketamine right for me?")
_ABOUT = ("cond", "effect", "efficacy_word", "frag:outcome", "mood:benefit_imperative")
# a line that labels a section or serves the business, whatever it names: a call to action,
# who the clinic is for or what it offers, an address, a link row, logistics, prices, a footer
# or contact line ("Schedule Your Ketamine Consultation", "Conditions We Treat", "© 2026 ...")
_SERVES = (
    "cue:call_to_action", "cue:audience", "cue:service", "cue:address", "cue:link_row",
    "logistics", "price", "furniture_words",
)  # fmt: skip
# what a sentence about another treatment says of it (an effect, a finding, a quality, a time,
# a share, a comparison; not a clinical noun alone: "SSRIs require a prescription")
_OTHER_SAYS = (
    "effect", "efficacy_word", "cue:effect_verb", "cue:finding_verb", "cue:evaluative_copula",
    "cue:timeframe", "cue:percent", "cue:comparison",
)  # fmt: skip
# another treatment named in a line about the clinic's service or its logistics ("Our clinic
# also offers TMS therapy on weekdays.")
_OTHER_SERVES = ("cue:service", "subj:clinic", "logistics", "price", "furniture_words")


def recall_features(u: Unit, f: Mapping[str, float]) -> dict[str, float]:
    """Claims said without a claim's sentence shape, as conjunctions a linear model cannot
    form from its single features: a Title Case line or a verbless fragment that names a
    condition, an effect, an outcome or a promise ("Fast Relief From Dark Thoughts", "One
    visit. Real change."; title case alone is nav and section labels, and a wh-heading, an FAQ
    question, a call to action, a service, contact or logistics line is a label whatever it
    names), a bullet that names one or the treatment (not an answer: "No." names nothing, its
    question does), a sentence saying what ANOTHER treatment does (a claim about it), a
    question asserting a benefit or a degree, a timeline's entry.
    ``f``: the unit's features read so far (``unit_features``)."""
    s, out = u.norm, {}
    g = _structure()
    about = any(f.get(k) for k in _ABOUT)
    promise = g.promise.found(s)
    label = g.heading_wh.match(s) is not None or any(f.get(k) for k in _SERVES)
    headline = not label and not f.get("question")  # an FAQ question is a label too
    title = headline and f.get("capitalised", 0.0) >= 0.5
    fragment = headline and not f.get("clause") and len(s.split()) <= 12
    if title and about:
        out[RECALL + "title_about"] = 1.0
    if (title or fragment) and promise:
        out[RECALL + "promise"] = 1.0
        if about:
            out[RECALL + "promise_about"] = 1.0
    if fragment and about:
        out[RECALL + "fragment_about"] = 1.0
    if u.role == "item" and (about or u.named):
        out[RECALL + "item_about"] = 1.0
    if _other_says(f) and not g.access.found(s):
        out[RECALL + "other_says"] = 1.0
    if _question_asserts(u, f, about or promise):
        out[RECALL + "question_asserts"] = 1.0  # "Why is ketamine the safest option there is?"
    if g.dated.match(s) and not any(f.get(k) for k in _SERVES):
        out[RECALL + "dated"] = 1.0  # a timeline's entry ("1962: A safer cousin of PCP")
    return out


REASON = "rsn:"  # prefix of the reason features (a claim said as the reason for something else)


@dataclass(frozen=True)
class _Reason:
    """The compiled ``reason`` cues of data/claim_cues.yaml (the opener, looked for in every
    unit, as a Caseless: most units lack its words, and it is skipped there)."""

    opener: Caseless
    determiner: re.Pattern[str]
    subject: re.Pattern[str]
    head_noun: re.Pattern[str]
    says: re.Pattern[str]


@cache
def _reason() -> _Reason:
    cues = load_lexicon("claim_cues")["reason"]
    keys = ("determiner", "subject", "head_noun", "says")
    return _Reason(Caseless(cues["opener"]), *(re.compile(cues[k], re.I) for k in keys))


# a reason clause ends at the next comma, semicolon, colon, dash or coordinating conjunction
_CLAUSE_END = re.compile(r"[,;:\u2013\u2014]|\s(and|but|or|then)\s", re.I)


def reason_features(u: Unit) -> dict[str, float]:
    """A claim given as the reason for an instruction or a remark (data/claim_cues.yaml
    ``reason``): a because-clause whose subject is the treatment, by name or a word standing
    for it, and that says what it does ("Don't drive until the next day, because ketamine can
    slow your reactions for several hours"). The main clause's mood (telling the reader what to
    do) reads as filler; what the reason asserts of the drug is a claim. The treatment must be
    the clause's first noun phrase and its verb of effect must follow it at once, inside the
    clause: a reason about the clinic or the reader ("because we want it to go smoothly", "so
    your ketamine appointment can be confirmed") is none."""
    cues = _reason()
    s = u.norm
    for m in cues.opener.finditer(s):
        rest = s[m.end() :]
        clause = rest[: e.start()] if (e := _CLAUSE_END.search(rest)) else rest
        end = _subject_end(clause, cues)
        if end is not None and cues.says.match(clause[end:]):
            return {REASON + "treatment_does": 1.0}
    return {}


FILLER = "fill:"  # prefix of the filler features (what a filler line does; filler_features)
# claim cues a reported question does not explain: a finding, a quality, a share ("is the
# question we hear most" carries none; "studies show ..." does)
_ASSERTS = ("cue:finding_verb", "cue:evaluative_copula", "cue:percent", "rsn:treatment_does")
# a treatment said to do something: the line is about what it does, whatever its words' senses
_TREATMENT_DOES = ("rsn:treatment_does", "effect")


@dataclass(frozen=True)
class _Filler:
    """The compiled ``filler`` cues of data/claim_cues.yaml (those matched without regard to
    case as Caseless: read on every unit, and most units lack their words)."""

    asked: Caseless
    answer: re.Pattern[str]
    efficacy_idiom: Caseless
    health_result: Caseless


@cache
def _filler() -> _Filler:
    cues = load_lexicon("claim_cues")["filler"]
    return _Filler(
        Caseless(cues["asked"]),
        re.compile(cues["answer"]),
        Caseless(cues["efficacy_idiom"]),
        Caseless(cues["health_result"]),
    )


def filler_features(u: Unit, f: Mapping[str, float]) -> dict[str, float]:
    """What a filler line does that its claim words hide (data/claim_cues.yaml ``filler``): it
    reports what people ask, wonder or worry about, or what the reader has heard ("Families
    often ask us whether ketamine might help", "You may have heard about Spravato"): the
    question names the treatment and an effect, but the line asserts neither. "fill:asked_only"
    when nothing after the report answers it (no clause after a colon, semicolon, dash, ", but",
    ", which", no that-clause of what was heard) and the line carries no finding, quality,
    share or reason of its own; a line that answers ("Memory problems are the side effect
    people worry about most: some patients forget ...") keeps its claim cues.
    "fill:efficacy_idiom": every word that makes a line a claim about a result (copy.yaml
    ``efficacy``) is used in a sense that is none ("mental health", "how it works", "recovery
    room", "insurance benefits"), and the line neither says what a treatment does (a line about
    the product or another treatment with an effect keeps its claim cues) nor does health good
    ("supports your mental health"). ``f``: the unit's features read so far
    (``unit_features``)."""
    cues, s = _filler(), u.norm
    out: dict[str, float] = {}
    does = not f.get("subject:none") and any(f.get(k) for k in _TREATMENT_DOES)
    does = does or cues.health_result.found(s)
    if f.get("efficacy_word") and not does and _only_idioms(s, cues.efficacy_idiom):
        out[FILLER + "efficacy_idiom"] = 1.0
    m = cues.asked.search(s)
    if m is None:
        return out
    out[FILLER + "asked"] = 1.0
    if not cues.answer.search(s[m.end() :]) and not any(f.get(k) for k in _ASSERTS):
        out[FILLER + "asked_only"] = 1.0
    return out


def _only_idioms(s: str, idiom: Caseless) -> bool:
    """Whether every efficacy word of ``s`` lies inside one of ``idiom``'s matches."""
    spans = [m.span() for m in idiom.finditer(s)]
    if not spans:
        return False
    return all(
        any(a <= m.start() and m.end() <= b for a, b in spans)
        for m in domain().efficacy.finditer(s)
    )


def _subject_end(clause: str, cues: _Reason) -> int | None:
    """Where the clause's first noun phrase ends if it is the treatment (by name, optionally
    leading a noun like "infusions") or a word standing for it; None otherwise."""
    if m := cues.subject.match(clause):
        return m.end()
    start = cues.determiner.match(clause)
    at = start.end() if start else 0
    named = [end for begin, end, _ in domain().mentions(clause) if begin == at]
    if not named:
        return None
    end = max(named)
    head = cues.head_noun.match(clause[end:])
    return end + head.end() if head else end


WARNING = "wrn:"  # prefix of the warning features (claims said as a warning or an instruction)
# the moods of a line that tells the reader what to do or speaks to the reader ("Do not ...",
# "You must ...", "You will be ...", an item under "Please tell us if you have:")
_INSTRUCTED = ("mood:imperative", "mood:obligation", "subj:reader", "mood:intro_imperative")


@dataclass(frozen=True)
class _Warning:
    """The compiled ``warning`` cues of data/claim_cues.yaml."""

    history: Caseless
    conditional: Caseless
    monitored: Caseless
    restricted: Caseless
    risk: Caseless
    crisis: Caseless
    crisis_state: Caseless
    errand: Caseless
    care: Caseless
    care_when: Caseless


@cache
def _warning() -> _Warning:
    cues = load_lexicon("claim_cues")["warning"]
    keys = (
        "history",
        "conditional",
        "monitored",
        "restricted",
        "risk",
        "crisis",
        "crisis_state",
        "errand",
        "care",
        "care_when",
    )
    return _Warning(*(Caseless(cues[k]) for k in keys))


@cache
def _warning_cues() -> tuple[Caseless, ...]:
    g = _warning()
    return tuple(getattr(g, f.name) for f in fields(g))


def warning_features(u: Unit, f: Mapping[str, float]) -> dict[str, float]:
    """Safety, contraindication, procedure and regulatory claims said as a warning or an
    instruction (data/claim_cues.yaml ``warning``): a medical history or state the line makes
    conditional ("Do not use it if you have an aneurysm"; a list item under "Do not use it if
    you have:" or "Who should not have it" reads its intro line and heading) or tells the
    reader to act on ("Let your doctor know if you are pregnant"), a risk named in an
    instruction, care given while the drug acts ("You will be monitored for two hours"), how the
    drug may be had ("only through a restricted program"), a check made on the patient as a step
    of care ("Every new patient has a psychiatric evaluation before treatment"; not its price or
    booking). Their mood reads as filler to a linear model; these conjunctions let the model
    weigh what they assert. Crisis-line text (a call to a crisis service, or a crisis the reader
    is told to act on in a line about no treatment) is marked beside the others, a question
    included. A question asserts none of the rest; a line arranging a visit (what to bring, a
    medicine to take as usual) names no history. ``f``: the unit's features read so far."""
    g, s = _warning(), u.norm
    out: dict[str, float] = {}
    instructed = any(f.get(k) or f.get(CONTEXT_LINE + k) for k in _INSTRUCTED)
    if g.crisis.found(s) or (instructed and f.get("subject:none") and g.crisis_state.found(s)):
        out[WARNING + "crisis"] = 1.0
    if f.get("question"):
        return out
    found = matching(_warning_cues(), s)  # one pass for every warning pattern read below
    if g.history in found and not _errand(s, g, found):
        out[WARNING + "history"] = 1.0
        intro = f"{u.context} {u.heading}" if u.role == "item" else ""
        if g.conditional in found or (intro.strip() and g.conditional.found(intro)):
            out[WARNING + "history_conditional"] = 1.0
        if instructed:
            out[WARNING + "instructed_history"] = 1.0
    contact = bool(f.get("cue:call_to_action") or f.get("furniture_words"))
    if instructed and not contact and g.risk in found:
        out[WARNING + "instructed_risk"] = 1.0
    if g.monitored in found:
        out[WARNING + "monitored"] = 1.0
    if g.restricted in found:
        out[WARNING + "restricted"] = 1.0
    serves = any(f.get(k) for k in ("price", "cue:call_to_action"))
    if not serves and g.care in found and g.care_when in found:
        out[WARNING + "care_step"] = 1.0
    return out


def _errand(s: str, g: _Warning, found: frozenset[Caseless]) -> bool:
    """The line arranges a visit (something to bring or list, a medicine to take as usual, a
    room to book) and names no history as such ("history of", a contraindication). ``found``:
    the warning patterns ``s`` matches."""
    return g.errand in found and not re.search(r"\b(history of|contraindicat)", s, re.I)


def _other_says(f: Mapping[str, float]) -> bool:
    """Another treatment is the subject and the line says what it does, not that the clinic
    offers it or what it costs (how it is had, ``access``, is read on the text)."""
    return (
        bool(f.get("subject:other"))
        and any(f.get(k) for k in _OTHER_SAYS)
        and not any(f.get(k) for k in _OTHER_SERVES)
    )


def _question_asserts(u: Unit, f: Mapping[str, float], about: bool) -> bool:
    """A question naming the product that asserts a benefit or a degree ("Can ketamine relieve
    depression in hours?"), not one asking whether it suits the reader or what it costs
    ("Is ketamine right for me?", "Does insurance cover ketamine?")."""
    asks = bool(f.get("question")) and not f.get("answer") and u.named
    serves = any(f.get(k) for k in ("logistics", "price"))
    return asks and not serves and (about or _says_how_much(f))


def _says_how_much(f: Mapping[str, float]) -> bool:
    """A comparison, a degree, a count of sessions or time, or a timeframe."""
    return any(f.get(k) for k in ("line:degree", "line:count", "cue:timeframe", "cue:comparison"))


def _names_a_condition(s: str) -> bool:
    low = s.lower()
    index = shared_index(tuple(domain().conditions.values()))  # one pass, not one per condition
    return index.first(s, low, trigrams(low) if len(low) == len(s) else None) is not None


def _first_words_name_a_condition(s: str) -> bool:
    first = " ".join(s.split()[:4])
    low = first.lower()
    index = shared_index(tuple(domain().conditions.values()))  # one pass, not one per condition
    return index.first(first, low, trigrams(low) if len(low) == len(first) else None) is not None


def _first_words_name_a_treatment(head: str) -> bool:
    first = " ".join(head.split()[:4])
    return bool(domain().treatments_in(first))


def meaning_vectors(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """Each text's unit-length mean token vector in the shipped static embedding (one row per
    text; zeros for a text with no known token): what a sentence is about and how it is said,
    beyond any cue list. The same as ``static_embedding().encode`` text by text, in one pass."""
    e = static_embedding()
    ids = [e.token_ids(t) if t else [] for t in texts]
    rows = e.rows[np.fromiter(chain.from_iterable(ids), dtype=np.int64)]  # all texts at once
    owner = np.repeat(np.arange(len(texts)), [len(i) for i in ids])
    known = rows >= 0  # a token without a vector adds nothing
    rows, owner = rows[known], owner[known]
    out = np.zeros((len(texts), e.dim), dtype=np.float32)
    filled = np.unique(owner)
    if len(filled):
        counts = np.bincount(owner)[filled]
        starts = np.searchsorted(owner, filled)
        sums = np.add.reduceat(e.vectors[rows], starts)
        means = sums / counts[:, None]
        norms = np.linalg.norm(means, axis=1, keepdims=True)
        out[filled] = np.where(norms > 0, means / np.where(norms > 0, norms, 1.0), means)
    return out


def meaning_features(v: Vector) -> dict[str, float]:
    """A meaning vector as features, one per component ("emb:000" ...), for training."""
    return {f"{MEANING}{k:03d}": x for k, x in enumerate(v.tolist())}


def _around(i: int, n: int) -> range | list[int]:
    """The units within NEIGHBOURS of unit ``i`` on each side, not ``i`` itself."""
    return [k for k in range(max(0, i - NEIGHBOURS), min(n, i + NEIGHBOURS + 1)) if k != i]


def _others_mean(values: Sequence[float], groups: Sequence[int], prior: float) -> list[float]:
    """For each unit, how far the OTHER units of its group depart from ``prior`` on average,
    shrunk by SHRINK (0 when alone: the average page)."""
    total: dict[int, float] = {}
    count: dict[int, int] = {}
    for g, v in zip(groups, values, strict=True):
        total[g] = total.get(g, 0.0) + v
        count[g] = count.get(g, 0) + 1
    return [
        (total[g] - v - (count[g] - 1) * prior) / (count[g] - 1 + SHRINK) if count[g] > 1 else 0.0
        for g, v in zip(groups, values, strict=True)
    ]


def with_context(features: Sequence[Mapping[str, float]]) -> list[dict[str, float]]:
    """Each unit's features, plus the role-crossed ones (CROSSED)."""
    out = []
    for f in features:
        g = dict(f)
        role = next((r for r in CROSSED_ROLES if f.get(f"role:{r}")), None)
        if role:
            g.update((f"{CROSS}{role}*{k}", f[k]) for k in CROSSED if k in f)
        out.append(g)
    return out


def _mates_mean(
    features: Sequence[Mapping[str, float]],
    groups: Sequence[int],
    prefix: str,
    prior: Mapping[str, float],
) -> list[dict[str, float]]:
    """For each unit, how far the OTHER units of its group depart from ``prior`` on average in
    each feature ("sec:" ...), shrunk by SHRINK (nothing when alone: the average page)."""
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)
    out: list[dict[str, float]] = [{} for _ in features]
    for idx in members.values():
        m = len(idx) - 1
        if not m:
            continue
        total: dict[str, float] = dict.fromkeys(prior, 0.0)
        for i in idx:
            for k, v in features[i].items():
                total[k] = total.get(k, 0.0) + v
        for i in idx:
            mine = features[i]
            values = (
                (k, (t - mine.get(k, 0.0) - m * prior.get(k, 0.0)) / (m + SHRINK))
                for k, t in total.items()
            )
            out[i] = {prefix + k: v for k, v in values if v}
    return out


def mates_prior(pages: Sequence[Sequence[Mapping[str, float]]]) -> dict[str, float]:
    """The average unit's MATES features over these pages (what ``page_features`` measures a
    section's or page's mates against)."""
    total: dict[str, float] = {}
    n = 0
    for features in pages:
        for f in features:
            n += 1
            for k, v in f.items():
                if k.startswith(MATES):
                    total[k] = total.get(k, 0.0) + v
    return {k: round(v / max(n, 1), 6) for k, v in sorted(total.items())}


def page_features(
    features: Sequence[Mapping[str, float]],
    vectors: Sequence[Vector],
    prior: Mapping[str, float] | None = None,
) -> list[dict[str, float]]:
    """Each unit's features (``with_context``) with its meaning components, plus the mean of its
    neighbours' (those within NEIGHBOURS on each side; "nb:" + name), and how its section-mates
    ("sec:", the other units under its heading) and page-mates ("pg:": the page's genre) depart
    from ``prior`` (the average unit's MATES; ``mates_prior``), shrunk on short pages (SHRINK).
    What the model is trained on; ``ClaimModel.page_probabilities`` scores the same without
    building it."""
    ctx = with_context(features)
    full = [{**f, **meaning_features(v)} for f, v in zip(ctx, vectors, strict=True)]
    mates = [{k: v for k, v in f.items() if k.startswith(MATES)} for f in ctx]
    prior = prior or {}
    sec = _mates_mean(mates, sections(ctx), SECTION, prior)
    pg = _mates_mean(mates, [0] * len(ctx), PAGE, prior)
    out = []
    for i, f in enumerate(full):
        around = [full[k] for k in _around(i, len(full))]
        total: dict[str, float] = {}
        for g in around:
            for name, v in g.items():
                total[name] = total.get(name, 0.0) + v
        mine = dict(f)
        mine.update((NEIGHBOUR + name, v / len(around)) for name, v in total.items())
        mine.update(sec[i])
        mine.update(pg[i])
        mine.update(interaction_features(f))
        role = next((r for r in CROSSED_MEANING if f.get(f"role:{r}")), None)
        if role:  # its meaning in its role (CROSSED_MEANING), its own only
            v = vectors[i].tolist()
            mine.update((f"{crossed_meaning(role)}{k:03d}", x) for k, x in enumerate(v))
        out.append(mine)
    return out
