"""Which treatment a claim asserts something about: the page's product, or another treatment (a
comparison with one counts as a claim about the other). A small learned model. Pure.

copy/structure.py reads each sentence's treatment by rules: what it names, unless the name is only
a comparator; else what its question, intro or section names; else the treatment under
discussion. On unseen copy the rules fail both ways: "Ketamine outperforms nerve blocks" names
the product as its subject but is a comparison, which the library holds no claim for; "Usually,
yes." under "Can I stay on my SSRI?" is about the product's procedure, not the SSRI. A reviewer
reads the sentence's frame (comparative degree, "unlike", "the two"), where the names sit in it,
the question it answers, its heading, its neighbours and the page. This model reads the same
structural and word-class features (data/attribution.yaml), with the rules' verdict as one of
them, and says how likely the sentence is about another treatment. Its verdict replaces the
rules' only when it is sure (``AttributionModel.high``/``low``) and, for a claim moved to another
treatment, when that treatment is named in the sentence, its question or its heading (or the page
is about it).

The model is a logistic regression (data/attribution_model.json, written by
benchmarks/train_attribution.py, which measures it leaving one writer out).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from claimledger.copy.structure import Domain, Unit, domain
from claimledger.copy.topic import about_page_treatment
from claimledger.data.lexicon import load_lexicon

__all__ = [
    "AttributionModel",
    "attribution_features",
    "attribution_model",
    "reattribute",
    "rule_other",
]

_ROLES = ("body", "heading", "item", "quote", "caption", "intro", "question")


@cache
def _frames() -> tuple[tuple[str, re.Pattern[str]], ...]:
    table: Mapping[str, str] = load_lexicon("attribution")["frames"]
    return tuple((k, re.compile(p, re.I)) for k, p in sorted(table.items()))


def _kind(t: str | None, d: Domain) -> str:
    return "none" if t is None else ("product" if t == d.product else "other")


def _mentions(s: str, d: Domain) -> tuple[bool, bool, int, str | None]:
    """Does ``s`` name the product, another treatment; how many others; which comes first."""
    names = d.treatments_in(s) if s else []
    others = [n for n in names if n != d.product]
    return d.product in names, bool(others), len(set(others)), names[0] if names else None


def _frame_names(s: str) -> list[str]:
    return [k for k, rx in _frames() if rx.search(s)] if s else []


def attribution_features(
    units: Sequence[Unit], i: int, page: str | None, d: Domain | None = None
) -> dict[str, float]:
    """What the model reads of ``units[i]`` on its page (``page``: the treatment the page is
    about, copy/topic.py page_treatment)."""
    d = d or domain()
    u = units[i]
    f: dict[str, float] = {f"rule:{_kind(u.treatment, d)}": 1.0, f"page:{_kind(page, d)}": 1.0}
    f["rule_other"] = float(rule_other(u, page, d))
    f["named"] = float(u.named)
    role = u.role if u.role in _ROLES else "other"
    f[f"role:{role}"] = 1.0
    prod, other, n_other, first = _mentions(u.norm, d)
    f["has:product"] = float(prod)
    f["has:other"] = float(other)
    f["has:several"] = float(n_other >= 2)
    if first is not None:
        f[f"first:{_kind(first, d)}"] = 1.0
        f[f"first_rule:{_kind(first, d)}:{_kind(u.treatment, d)}"] = 1.0
    what = "both" if prod and other else ("product" if prod else ("other" if other else "none"))
    frames = _frame_names(u.norm)
    for k in frames:
        f[f"frame:{k}"] = 1.0
        f[f"frame:{k}:{what}"] = 1.0  # a comparison with a name beside it, or with none
    f["frames"] = min(len(frames), 3) / 3
    f[f"names:{what}"] = 1.0
    f["points_back"] = float(d.references.search(u.norm) is not None)
    for where, text in (("ctx", u.context), ("head", u.heading)):
        p, o, _, _ = _mentions(text, d)
        if p:
            f[f"{where}:product"] = 1.0
        if o:
            f[f"{where}:other"] = 1.0
        for k in _frame_names(text):
            f[f"{where}_frame:{k}"] = 1.0
    for where, j in (("prev", i - 1), ("next", i + 1)):
        if 0 <= j < len(units):
            v = units[j]
            f[f"{where}:{_kind(v.treatment, d)}"] = 1.0
            if v.named:
                f[f"{where}_named:{_kind(v.treatment, d)}"] = 1.0
    return f


@dataclass(frozen=True)
class AttributionModel:
    """Logistic-regression weights (probability that a claim is about another treatment) and the
    probabilities past which its verdict replaces the rules': ``high`` to move a claim to another
    treatment, ``low`` to bring one back to the product."""

    weights: Mapping[str, float]
    bias: float
    high: float
    low: float

    def probability(self, features: Mapping[str, float]) -> float:
        w = self.weights
        z = self.bias + sum(w.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@cache
def attribution_model() -> AttributionModel | None:
    """The shipped model (data/attribution_model.json); None when none is shipped."""
    f = resources.files("claimledger").joinpath("data/attribution_model.json")
    if not f.is_file():
        return None
    data = json.loads(f.read_text())
    return AttributionModel(
        dict(data["weights"]), float(data["bias"]), float(data["high"]), float(data["low"])
    )


def _other_named(u: Unit, page: str | None, d: Domain) -> str | None:
    """The other treatment a claim moved off the product is about: the first one named in the
    sentence, its question or intro, its heading; else the page's, when that is not the product."""
    for text in (u.norm, u.context, u.heading):
        other = next((n for n in d.treatments_in(text) if n != d.product), None) if text else None
        if other:
            return other
    return page if page not in (None, d.product) else None


def rule_other(u: Unit, page: str | None, d: Domain) -> bool:
    """Do the rules read the sentence as about another treatment (copy/check.py _about)?"""
    return u.treatment not in (None, d.product) or about_page_treatment(u, page, d)


def reattribute(
    units: Sequence[Unit],
    at: Sequence[int],
    page: str | None,
    model: AttributionModel | None,
) -> list[Unit]:
    """``units[i]`` for each i in ``at`` (the claims the checker reports), with the treatment the
    model reads when it is sure and the rules read otherwise; as they are without a model."""
    if model is None:
        return [units[i] for i in at]
    d = domain()
    out = []
    for i in at:
        u = units[i]
        p = model.probability(attribution_features(units, i, page, d))
        if not rule_other(u, page, d) and p >= model.high:
            other = _other_named(u, page, d)
            if other is not None:
                u = replace(u, treatment=other, settled=True)
        elif rule_other(u, page, d) and p <= model.low:
            u = replace(u, treatment=d.product, settled=True)
        out.append(u)
    return out
