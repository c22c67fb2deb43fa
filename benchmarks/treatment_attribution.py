"""Which treatment each labelled claim is about: the product or another one, as check reads it.

A fast measure of treatment attribution alone (copy/structure.py): no claim model, no matcher.
Every labelled claim with a topic (dev pages and seeds, never the held-out set) is located among
the units `claimledger check` reads, and its reading (about the product, or about another
treatment, as copy/check.py `_about` decides) is compared with its label: topic
`other-treatment` means another treatment, any other topic the product. No model is read, so
there is nothing to leave out: the figure is the same leaving one writer out.

It prints, per writer set, how many agree, and the two kinds of disagreement; ``--show`` prints
the disagreeing sentences (``other`` or ``product``: what the label says), with the treatment
check read and the one the label names.

``--comparisons`` also reads a sentence about the product whose labelled claim the library lacks
(claim null) as check does when it matches no claim: a claim to beat or equal another treatment it
names is about that treatment (copy/check.py `_compared_with`). The labelled claim stands in for
the matcher, so the figure stays model-free.

    python benchmarks/treatment_attribution.py
    python benchmarks/treatment_attribution.py --comparisons
    python benchmarks/treatment_attribution.py --comparisons --matched
    python benchmarks/treatment_attribution.py --show other --writers 185-194
"""

from __future__ import annotations

import argparse
import bisect
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import train_claims as tc  # noqa: E402
from copy_accuracy import CLAIM_LABELS, _doc_number, _key, _locate, best_overlap, load_set  # noqa: E402

from claimledger.copy.check import _compared_with  # noqa: E402
from claimledger.copy.documents import read_document  # noqa: E402
from claimledger.copy.structure import domain, page_units  # noqa: E402
from claimledger.copy.topic import about_page_treatment, page_treatment  # noqa: E402
from claimledger.library.claims import load_claims  # noqa: E402

DEV = ROOT / "benchmarks" / "copy-dev"
OTHER = "other-treatment"


def _writer(set_name: str, path: Path) -> str:
    if set_name == "seeds":
        return "seeds"
    n = _doc_number(path.name)
    return next((f"{a:02d}-{b:02d}" for a, b in tc.WRITERS if a <= n <= b), f"page {n}")


def _treatments(seeds: bool) -> list[str | None]:
    """Each label's `treatment`, in load_set's order (Label does not keep it)."""
    data = yaml.safe_load((DEV / ("seed-labels.yaml" if seeds else "labels.yaml")).read_text())
    return [e.get("treatment") for doc in data["documents"] for e in doc.get("sentences") or []]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show", choices=("other", "product"), help="print these disagreements")
    ap.add_argument("--writers", help='only print examples from these writer sets ("85-94,seeds")')
    ap.add_argument(
        "--comparisons",
        action="store_true",
        help="a claim the library lacks that beats another treatment is about that treatment",
    )
    ap.add_argument(
        "--matched",
        action="store_true",
        help="with --comparisons: a labelled library claim that names no other treatment is "
        "read the same way (copy/check.py reads a matched sentence so too)",
    )
    a = ap.parse_args()
    d = domain()
    rival_claims = _rival_claims(d) if a.matched else frozenset()
    shown = set(a.writers.split(",")) if a.writers else None
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for name, seeds in (("dev", False), ("seeds", True)):
        s = load_set(DEV, seeds=seeds)
        treat = iter(_treatments(seeds))
        by_doc = defaultdict(list)
        for lab in s.labels:
            by_doc[lab.doc].append((lab, next(treat)))
        for i, p in enumerate(s.docs):
            writer = _writer(name, p)
            r = read_document(p)
            units = list(page_units(r.text, r.kind, r.roles))
            page = page_treatment(units, d)
            key, where = _key(r.text)
            labels = by_doc[i]
            for lab, _ in labels:
                lab.key_span = None
            _locate([lab for lab, _ in labels], key)
            spans = [(_at(where, u.start), _at(where, u.end), u) for u in units]
            for lab, t in labels:
                if lab.label not in CLAIM_LABELS or not lab.topic or lab.key_span is None:
                    continue
                u = best_overlap(lab.key_span, spans)
                if u is None:
                    rows[writer]["not located"] += 1
                    continue
                other = u.treatment not in (None, d.product) or about_page_treatment(u, page, d)
                unmatched = lab.claim is None or (a.matched and lab.claim not in rival_claims)
                if a.comparisons and not other and unmatched:
                    full = f"{u.context} {u.norm}" if u.context else u.norm
                    other = _compared_with(u, full, d) is not None
                want_other = lab.topic == OTHER
                if other == want_other:
                    rows[writer]["agree"] += 1
                    continue
                kind = "other read as product" if want_other else "product read as other"
                rows[writer][kind] += 1
                if a.show and (a.show == "other") == want_other and (not shown or writer in shown):
                    print(
                        f"{writer:7} {p.name[:26]:26} label {t} read {u.treatment} "
                        f"(named {u.named}, role {u.role}, page {page})\n        {lab.text[:160]}"
                    )
    names = ["agree", "other read as product", "product read as other", "not located"]
    total: Counter[str] = Counter()
    print("| writer | " + " | ".join(names) + " |")
    for w, c in rows.items():
        total.update(c)
        print(f"| {w} | " + " | ".join(str(c[n]) for n in names) + " |")
    n = sum(total[x] for x in names[:3])
    print("| all | " + " | ".join(str(total[x]) for x in names) + " |")
    print(f"agree {total['agree']}/{n} ({100 * total['agree'] / max(n, 1):.1f}%)")


def _rival_claims(d: Any) -> frozenset[str]:
    """Library claims whose own texts name another treatment (a comparison the library makes)."""
    lib = load_claims(ROOT / "claims.yaml")
    return frozenset(
        c.id
        for c in lib.claims
        if any(t != d.product for t in d.treatments_in(" ".join((c.statement, *c.variants))))
    )


def _at(where: list[int], offset: int) -> int:
    return bisect.bisect_left(where, offset)


if __name__ == "__main__":
    main()
