"""The claim model's gradient-boosted trees at runtime: their score for each unit of a page,
without building the units' full feature rows. Pure. (The walk serves multiclass trees too:
``TreeModel.walk_classes``, the topic model's trees, copy/topicmodel.py.)

The trees (benchmarks/claim_trees.py ``flatten``: flat node tables naming a feature per split)
were trained on ``page_features`` rows: about 1,800 columns per unit, built as dicts, which
costs several times the linear model's whole page score (``ClaimModel.page_probabilities``).
They split on a few hundred of those columns. ``TreeModel`` reads each split feature's name
once per model as what ``page_features`` would compute for it (the unit's own feature, a
role-crossed one, a meaning component, a neighbours' mean, a section- or page-mates' departure
from the prior, an interaction, a role-crossed meaning component), and per page builds only
those columns, straight into a numpy array, with the same arithmetic in the same order (the
same floats, bit for bit: a tree compares with a threshold, so a value one rounding away would
turn at a split). The walk is QuickScorer's (Lucchese et al., SIGIR 2015): each split that
sends a unit right rules out the leaves of its left subtree (a bit mask per split); the unit's
leaf in each tree is the leftmost one left. A fixed few array operations per page, whatever the
trees' depth.

Measured (session 23, trees trained as benchmarks/claim_trees.py trains them: 300 trees, 4,200
splits on 834 features): benchmarks/tree_rows.py on 300 older dev pages, CPU ms per 5,000 words,
page_features rows + claim_trees.evaluate 210.8 against 12.2 here (rows 7.5, walk 4.7; the
linear model's page_probabilities 10.1), columns bit-identical. In check (check_speed.py
--trees, two runs) the blend moves a 5,000-word check of 220-380 ms by -11 to +18 ms (ratio to
read + split: generated page 3.09 -> 3.16x and 3.02 -> 3.13x, joined pages 3.85 -> 3.81x and
3.92 -> 4.15x, spread pages 4.27 -> 4.14x and 4.07 -> 4.27x: within the machine's noise on the
real pages); built the page_features way it would add about 200 ms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, repeat
from typing import Any

import numpy as np
import numpy.typing as npt

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
from claimledger.data.embedding import Vector, static_embedding

__all__ = ["ZERO", "TreeModel"]

# LightGBM reads a value this close to 0 as zero (kZeroThreshold): a split that reads zero as
# missing sends it its default way (claim_trees.flatten's ``zero``)
ZERO = 1e-35
_SECTION_OPENERS = ("role:heading", "role:question")  # blockmodel.block_sections' cut
_NOTHING = "\x00"  # an own-feature column no unit carries (always 0)

Floats = npt.NDArray[np.float64]
_NO_PRIOR: Mapping[str, float] = {}


Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class _Plan:
    """Where each split feature's column comes from (``_plan``). The unit columns ("full" in
    ``page_features``: own features, meaning components, role-crossed ones) are built first;
    every other column reads them. Each table below: one row per output column, the output
    column first."""

    own: tuple[str, ...]  # own feature names, the first unit columns
    own_col: Mapping[str, int]
    emb: Ints  # meaning components (indices), the next unit columns
    crossed: Ints  # (role index in CROSSED_ROLES, own column): the last unit columns
    direct: Ints  # (out, unit column)
    nb: Ints  # (out, unit column): the neighbours' mean
    sec: Ints  # (out, own column): the section-mates' departure from the prior
    sec_prior: Floats
    pg: Ints  # (out, own column): the page-mates'
    pg_prior: Floats
    ix: Ints  # (out, own column, own column): the product
    cmean: Ints  # (out, role index in CROSSED_MEANING, component)


def _table(rows: Sequence[Sequence[int]], width: int) -> Ints:
    return np.array(rows, dtype=np.int64).reshape(len(rows), width)


def _component(name: str, dim: int) -> int | None:
    """The meaning component ``name`` reads ("emb:007" -> 7), if it is one."""
    if not name.startswith(MEANING):
        return None
    k = name[len(MEANING) :]
    if k.isdigit() and f"{int(k):03d}" == k and int(k) < dim:
        return int(k)
    return None


def _crossed(name: str) -> tuple[str, str] | None:
    """(role, rest) of a role-crossed name ("x:heading*effect"), if it is one."""
    if not name.startswith(CROSS) or "*" not in name:
        return None
    role, rest = name[len(CROSS) :].split("*", 1)
    return role, rest


def _interaction(name: str) -> tuple[str, str] | None:
    """(claim content, line frame) of an interaction ("ix:effect*mood:imperative")."""
    if not name.startswith(INTERACT):
        return None
    rest = name[len(INTERACT) :]
    for a in CLAIM_CONTENT:
        if rest.startswith(a + "*") and rest[len(a) + 1 :] in LINE_FRAMES:
            return a, rest[len(a) + 1 :]
    return None


def _plan(names: Sequence[str], prior: Mapping[str, float], dim: int) -> _Plan:
    """Each split feature decomposed, as ``page_features`` makes it (a later update there wins,
    so the kinds are tried in its reverse order; unit features carry none of these prefixes)."""
    own: dict[str, int] = {}
    for r in (*CROSSED_ROLES, *CROSSED_MEANING):
        own.setdefault(f"role:{r}", len(own))
    for r in _SECTION_OPENERS:
        own.setdefault(r, len(own))

    def own_col(name: str) -> int:
        return own.setdefault(name, len(own))

    def unit_key(name: str) -> tuple[str, Any]:
        """A "full" column of page_features (its own features, crossed, meaning)."""
        if (k := _component(name, dim)) is not None:
            return ("emb", k)
        if (c := _crossed(name)) and c[0] in CROSSED_ROLES and c[1] in CROSSED:
            own_col(c[1])
            return ("x", (CROSSED_ROLES.index(c[0]), c[1]))
        own_col(name)
        return ("own", name)

    kinds: list[tuple[str, Any]] = []
    for name in names:
        c = _crossed(name)
        k = _component(c[1], dim) if c and c[0] in CROSSED_MEANING else None
        if c and k is not None:
            kinds.append(("cmean", (CROSSED_MEANING.index(c[0]), k)))
        elif ix := _interaction(name):
            kinds.append(("ix", (own_col(ix[0]), own_col(ix[1]))))
        elif name.startswith((SECTION, PAGE)):
            kind, base = (
                ("sec", name[len(SECTION) :])
                if name.startswith(SECTION)
                else ("pg", name[len(PAGE) :])
            )
            if base.startswith(MATES):
                kinds.append((kind, (own_col(base), float(prior.get(base, 0.0)))))
            elif base in prior:  # not a mates' feature: the units read 0, the prior does not
                kinds.append((kind, (own_col(_NOTHING), float(prior[base]))))
            else:  # page_features never makes it (the column stays 0)
                kinds.append(("zero", None))
        elif name.startswith(NEIGHBOUR):
            kinds.append(("nb", unit_key(name[len(NEIGHBOUR) :])))
        else:
            kinds.append(("direct", unit_key(name)))
    # the unit columns: every own feature, then the meaning components, then the crossed
    used = [v for t, v in kinds if t in ("nb", "direct")]
    emb = tuple(sorted({k for t, k in used if t == "emb"}))
    crossed = list(dict.fromkeys(k for t, k in used if t == "x"))
    where: dict[tuple[str, Any], int] = {("own", name): i for name, i in own.items()}
    where.update((("emb", k), len(own) + i) for i, k in enumerate(emb))
    where.update((("x", k), len(own) + len(emb) + i) for i, k in enumerate(crossed))

    def pick(kind: str) -> list[tuple[int, Any]]:
        return [(i, v) for i, (t, v) in enumerate(kinds) if t == kind]

    sec, pg = pick("sec"), pick("pg")
    return _Plan(
        own=tuple(own),
        own_col=dict(own),
        emb=np.array(emb, dtype=np.int64),
        crossed=_table([(r, own[base]) for r, base in crossed], 2),
        direct=_table([(i, where[v]) for i, v in pick("direct")], 2),
        nb=_table([(i, where[v]) for i, v in pick("nb")], 2),
        sec=_table([(i, c) for i, (c, _) in sec], 2),
        sec_prior=np.array([p for _, (_, p) in sec], dtype=float),
        pg=_table([(i, c) for i, (c, _) in pg], 2),
        pg_prior=np.array([p for _, (_, p) in pg], dtype=float),
        ix=_table([(i, a, b) for i, (a, b) in pick("ix")], 3),
        cmean=_table([(i, r, k) for i, (r, k) in pick("cmean")], 3),
    )


def _neighbours_mean(a: Floats) -> Floats:
    """Each unit's (column's) mean over the units within NEIGHBOURS on each side, not itself
    (``_around``), summed in page_features' order (0 for a unit alone)."""
    n = a.shape[1]
    total = np.zeros_like(a)
    count = np.zeros(n)
    for d in chain(range(-NEIGHBOURS, 0), range(1, NEIGHBOURS + 1)):
        lo, hi = max(0, -d), min(n, n - d)  # units i with 0 <= i + d < n
        if lo < hi:
            total[:, lo:hi] += a[:, lo + d : hi + d]
            count[lo:hi] += 1
    return np.divide(total, count, out=np.zeros_like(a), where=count > 0)


def _mates_mean(a: Floats, starts: Ints, prior: Floats) -> Floats:
    """For each unit (column), how far the OTHER units of its group (groups are runs of units
    opening at ``starts``) depart from ``prior`` (one per row), shrunk by SHRINK:
    claimmodel._mates_mean's formula, the group's total summed unit after unit in the same
    order (0 when alone)."""
    n = a.shape[1]
    ends = np.append(starts[1:], n)
    size = ends - starts
    group = np.repeat(np.arange(len(starts)), size)
    total = np.zeros((a.shape[0], len(starts)))
    for g in np.flatnonzero(size > 1).tolist():  # a unit alone reads nothing
        total[:, g] = a[:, starts[g] : ends[g]].cumsum(axis=1)[:, -1]
    m = (size[group] - 1).astype(float)
    out: Floats = (total[:, group] - a - m * prior[:, None]) / (m + SHRINK)
    out[:, m == 0] = 0.0
    return out


@dataclass(frozen=True)
class TreeModel:
    """Gradient-boosted trees over ``page_features`` columns, as flat node tables (a split
    goes left when the value is at most its threshold; ``zero``: where a split that reads zero
    as missing sends a zero), scored without lightgbm."""

    names: tuple[str, ...]  # the split features, in first-use order: the columns ``rows`` builds
    node_col: npt.NDArray[np.int64]  # per split node, its column in ``names``
    threshold: Floats
    zero: npt.NDArray[np.int64]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    leaf: Floats
    root: npt.NDArray[np.int64]
    lightgbm: str = ""
    params: Mapping[str, object] | None = None
    # a multiclass model's classes: tree k adds to class k % classes (LightGBM's order), and
    # ``walk_classes`` gives each class's score (copy/topicmodel.py's topic trees)
    classes: int = 1

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> TreeModel:
        """The trees of a file {"lightgbm": version, "params": {...}, "trees": FlatTrees}
        (and "classes": the number of classes of a multiclass model, 1 when absent)."""
        t = obj["trees"]
        n = len(t["feature"])
        if not all(len(t[k]) == n for k in ("threshold", "left", "right", "zero")):
            raise ValueError("trees: node tables of unequal length")
        classes = int(obj.get("classes", 1))
        if classes < 1 or len(t["root"]) % classes:
            raise ValueError(f"trees: {len(t['root'])} trees are not a round of {classes} classes")
        names = tuple(dict.fromkeys(t["feature"]))
        col = {name: i for i, name in enumerate(names)}
        return cls(
            names=names,
            node_col=np.array([col[f] for f in t["feature"]], dtype=np.int64),
            threshold=np.asarray(t["threshold"], dtype=float),
            zero=np.asarray(t["zero"], dtype=np.int64),
            left=np.asarray(t["left"], dtype=np.int64),
            right=np.asarray(t["right"], dtype=np.int64),
            leaf=np.asarray(t["leaf"], dtype=float),
            root=np.asarray(t["root"], dtype=np.int64),
            lightgbm=str(obj.get("lightgbm", "")),
            params=dict(obj.get("params") or {}),
            classes=classes,
        )

    def rows(
        self,
        features: Sequence[Mapping[str, float]],
        vectors: Sequence[Vector] | npt.NDArray[np.float32],
        prior: Mapping[str, float] | None = None,
    ) -> Floats:
        """Each unit's values of ``names``: the columns of ``page_features(features, vectors,
        prior)`` the trees read (0 where it has none), the same floats."""
        return self._columns(features, vectors, prior).T

    def _columns(
        self,
        features: Sequence[Mapping[str, float]],
        vectors: Sequence[Vector] | npt.NDArray[np.float32],
        prior: Mapping[str, float] | None,
    ) -> Floats:
        """``rows`` transposed: a row per column of ``names``, a column per unit (the layout
        the walk reads; every step below copies whole rows)."""
        n = len(features)
        plan = self._plan(_NO_PRIOR if prior is None else prior)
        x = np.zeros((len(self.names), n))
        if not n:
            return x
        # the unit columns: own features, meaning components, role-crossed features
        own = np.zeros((len(plan.own), n))
        keys = list(chain.from_iterable(features))
        cols = np.fromiter(map(plan.own_col.get, keys, repeat(-1)), np.int64, len(keys))
        vals = np.fromiter(chain.from_iterable(f.values() for f in features), float, len(keys))
        at = np.repeat(np.arange(n), [len(f) for f in features])
        hit = cols >= 0
        own[cols[hit], at[hit]] = vals[hit]
        vec = np.asarray(vectors, dtype=float).reshape(n, -1).T
        # a unit's role: the first of CROSSED_ROLES it is in (with_context)
        role = self._role(own, plan, CROSSED_ROLES)
        r, c = plan.crossed.T
        unit = np.vstack([own, vec[plan.emb], np.where(role == r[:, None], own[c], 0.0)])
        out, src = plan.direct.T
        x[out] = unit[src]
        if len(plan.nb):
            out, src = plan.nb.T
            x[out] = _neighbours_mean(unit[src])
        if len(plan.sec):
            out, src = plan.sec.T
            x[out] = _mates_mean(own[src], self._sections(own, plan), plan.sec_prior)
        if len(plan.pg):
            out, src = plan.pg.T
            x[out] = _mates_mean(own[src], np.zeros(1, dtype=np.int64), plan.pg_prior)
        out, a, b = plan.ix.T
        x[out] = own[a] * own[b]
        if len(plan.cmean):
            out, r, k = plan.cmean.T
            mrole = self._role(own, plan, CROSSED_MEANING)
            x[out] = np.where(mrole == r[:, None], vec[k], 0.0)
        return x

    def scores(
        self,
        features: Sequence[Mapping[str, float]],
        vectors: Sequence[Vector] | npt.NDArray[np.float32],
        prior: Mapping[str, float] | None = None,
    ) -> Floats:
        """The trees' summed raw score for each unit of a page (``rows``, then the walk)."""
        return self._walk(self._columns(features, vectors, prior))

    def walk(self, x: Floats) -> Floats:
        """The trees' summed raw score of each row of ``x`` (columns ``names``): each split
        that sends a unit right rules out the leaves of its left subtree (QuickScorer); each
        tree's leaf is the leftmost one left. Splits are laid out tree by tree, padded to the
        largest tree (a pad never sends right)."""
        return self._walk(np.ascontiguousarray(x.T))

    def walk_classes(self, x: Floats) -> Floats:
        """Each class's summed raw score (a column per class) of each row of ``x`` (columns
        ``names``): ``walk`` for a multiclass model (LightGBM's raw scores, before softmax)."""
        return self._walk_classes(np.ascontiguousarray(x.T)).T

    def _walk(self, xt: Floats) -> Floats:
        """``walk`` of ``x.T`` (a row per column, a column per unit)."""
        if self.classes != 1:
            raise ValueError(f"trees of {self.classes} classes: use walk_classes")
        scores: Floats = self._walk_classes(xt)[0]
        return scores

    def _walk_classes(self, xt: Floats) -> Floats:
        """``walk_classes`` of ``x.T``, transposed (a row per class, a column per unit)."""
        c = self._compiled
        n = xt.shape[1]
        total = np.repeat(c.constant[:, None], n, axis=1)
        if not n or not c.trees:
            return total
        # each distinct (column, threshold) compared once, then a row per split slot
        right = np.take(np.take(xt, c.cols, axis=0) > c.threshold, c.slot, axis=0)
        if len(c.zero_slots):  # a zero read as missing goes its default way
            z = np.take(xt, c.zero_cols, axis=0)
            right[c.zero_slots] = np.where(np.abs(z) <= ZERO, c.zero_right, right[c.zero_slots])
        out = np.bitwise_or.reduce(right.reshape(c.trees, -1, n) * c.left, axis=1)
        leftmost = np.frexp(((out + c.one) & ~out).astype(float))[1] - 1  # lowest bit not out
        values = c.leaf[c.first_leaf + leftmost]  # a row per tree, its class's trees together
        for k, (a, b) in enumerate(c.spans.tolist()):
            if b > a:
                total[k] = total[k] + values[a:b].sum(axis=0)
        return total

    def _role(self, own: Floats, plan: _Plan, roles: Sequence[str]) -> npt.NDArray[np.int64]:
        """Each unit's role as an index in ``roles`` (the first it is in), -1 for none."""
        role = np.full(own.shape[1], -1, dtype=np.int64)
        for i in reversed(range(len(roles))):
            role[own[plan.own_col[f"role:{roles[i]}"]] != 0] = i
        return role

    def _sections(self, own: Floats, plan: _Plan) -> npt.NDArray[np.int64]:
        """Where each section opens (block_sections: at every heading and question; the
        units before the first one are a section of their own)."""
        opens = np.zeros(own.shape[1], dtype=bool)
        for r in _SECTION_OPENERS:
            opens |= own[plan.own_col[r]] != 0
        opens[0] = True
        return np.flatnonzero(opens).astype(np.int64)

    def _plan(self, prior: Mapping[str, float]) -> _Plan:
        """The decomposition of ``names`` for ``prior`` (kept by the prior's identity: a model
        reads one; each entry holds its prior, so a reused id is never mistaken for it)."""
        kept = self._kept.get(id(prior))
        if kept is None or kept[0] is not prior:
            if len(self._kept) > 8:
                self._kept.clear()
            kept = (prior, _plan(self.names, prior, static_embedding().dim))
            self._kept[id(prior)] = kept
        return kept[1]

    @cached_property
    def _kept(self) -> dict[int, tuple[Mapping[str, float], _Plan]]:
        return {}

    @cached_property
    def _compiled(self) -> _Compiled:
        return _compile(self)


@dataclass(frozen=True)
class _Compiled:
    """The node tables as QuickScorer reads them: ``trees`` trees (those with a split; a
    class's trees together, in their order, ``spans``) of ``slots`` split slots each, the
    splits of a tree in its slots (a pad: column 0, threshold +inf); per slot its column,
    threshold and the bits of its left subtree's leaves (a tree's leaves numbered left to right
    from its ``first_leaf``); each class's one-leaf trees' sum; the slots whose zero-as-missing
    rule can send a zero otherwise than the comparison does."""

    trees: int
    cols: Ints  # the distinct (column, threshold) pairs of the splits
    threshold: Floats  # (pairs, 1)
    slot: Ints  # each slot's pair
    left: npt.NDArray[Any]  # (trees, slots, 1), unsigned
    one: Any
    first_leaf: Ints  # (trees, 1)
    leaf: Floats
    constant: Floats  # per class
    spans: Ints  # (classes, 2): each class's trees, [start, end) in the tree order
    zero_slots: Ints
    zero_cols: Ints
    zero_right: npt.NDArray[np.bool_]  # (zero slots, 1)


def _compile(t: TreeModel) -> _Compiled:
    """QuickScorer's tables from the node tables (once per model). A tree's split nodes must
    be numbered together, from its root, and its leaves together, left to right (``flatten``
    numbers them so); at most 64 leaves a tree."""
    seen = np.zeros(len(t.threshold), dtype=bool)
    # per class, its trees: nodes, left bits, first leaf
    each: list[list[tuple[list[int], dict[int, int], int]]] = [[] for _ in range(t.classes)]
    constant, widest = [0.0] * t.classes, 1
    for i, root in enumerate(t.root.tolist()):
        if root < 0:  # a tree of one leaf
            constant[i % t.classes] += float(t.leaf[-1 - root])
            continue
        nodes: list[int] = []
        lefts: dict[int, list[int]] = {}

        def under(
            k: int, nodes: list[int] = nodes, lefts: dict[int, list[int]] = lefts
        ) -> list[int]:
            """The leaves under node ``k``, left to right (noting each split's left ones)."""
            if k < 0:
                return [-1 - k]
            nodes.append(k)
            lefts[k] = under(int(t.left[k]))
            return lefts[k] + under(int(t.right[k]))

        leaves = under(root)
        if nodes != list(range(root, root + len(nodes))) or seen[nodes].any():
            raise ValueError("trees: a tree's split nodes are not numbered together")
        if leaves != list(range(leaves[0], leaves[0] + len(leaves))) or len(leaves) > 64:
            raise ValueError("trees: a tree's leaves are not numbered left to right")
        seen[nodes] = True
        widest = max(widest, len(leaves))
        bits = {k: sum(1 << (leaf - leaves[0]) for leaf in lefts[k]) for k in nodes}
        each[i % t.classes].append((nodes, bits, leaves[0]))
    if not seen.all():
        raise ValueError("trees: a split node no tree reaches")
    trees = [tree for mine in each for tree in mine]
    ends = np.cumsum([len(mine) for mine in each], dtype=np.int64)
    dtype = next(d for d in (np.uint16, np.uint32, np.uint64) if np.iinfo(d).bits >= widest)
    slots = max((len(nodes) for nodes, _, _ in trees), default=0)
    grid = np.full((len(trees), slots), -1, dtype=np.int64)
    left = np.zeros((len(trees), slots, 1), dtype=dtype)
    for i, (nodes, bits, _) in enumerate(trees):
        grid[i, : len(nodes)] = nodes
        left[i, : len(nodes), 0] = [bits[k] for k in nodes]
    node = grid.ravel()
    real = node >= 0
    thr = np.where(real, t.threshold[node], np.inf)
    zero = np.where(real, t.zero[node], 0)
    # where the rule changes a comparison: a zero sent left where the threshold is under it, or
    # sent right where the threshold is at or over it
    risky = np.flatnonzero(((zero < 0) & (thr < ZERO)) | ((zero > 0) & (thr >= -ZERO)))
    cols = np.where(real, t.node_col[node], 0)
    pairs = sorted(set(zip(cols.tolist(), thr.tolist(), strict=True)))
    pair = {p: i for i, p in enumerate(pairs)}
    return _Compiled(
        trees=len(trees),
        cols=np.array([c for c, _ in pairs], dtype=np.int64),
        threshold=np.array([h for _, h in pairs], dtype=float)[:, None],
        slot=np.array([pair[p] for p in zip(cols.tolist(), thr.tolist(), strict=True)]),
        left=left,
        one=dtype(1),
        first_leaf=np.array([f for _, _, f in trees], dtype=np.int64)[:, None],
        leaf=t.leaf,
        constant=np.array(constant, dtype=float),
        spans=np.stack([ends - np.array([len(mine) for mine in each], dtype=np.int64), ends], 1),
        zero_slots=risky.astype(np.int64),
        zero_cols=cols[risky],
        zero_right=(zero[risky] > 0)[:, None],
    )
