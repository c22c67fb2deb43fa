"""Design level from title and abstract alone, against the level the real publication types give.

For every real record in ../shared/pubmed-fixtures whose publication types establish a design
level (records typed only "Journal Article" or "Research Support" establish none and are
counted separately), hide the publication types and MeSH, predict the level from the title
and abstract with claimledger.assess.design.level_from_text, and compare with the level from the
publication types. Prints per-level precision and recall, macro-F1, the confusion matrix and,
in the same run, a majority-class baseline. A second line scores the same predictions against
the level claimledger gives the indexed record (publication types plus MeSH check tags), since
publication types alone call an animal-only "Comparative Study" L3 where the rubric says L5.

    python benchmarks/design_levels.py
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from claimledger.assess.design import assess_design, level_from_publication_types, level_from_text
from claimledger.pubmed.medline import iter_articles

SHARED = Path(os.environ.get("CLAIMLEDGER_SHARED", Path(__file__).resolve().parents[2] / "shared"))
LEVELS = ("L1", "L2", "L3", "L4", "L5")


def records() -> dict[str, object]:
    fx = SHARED / "pubmed-fixtures"
    out = {}
    for f in sorted(fx.glob("*.xml")) + sorted((fx / "metapub_pmid_xml").glob("*.xml")):
        head = f.read_bytes()[:3000]
        if b"<PubmedArticle" not in head:
            continue
        for r in iter_articles(f):
            if r.kind == "article" and r.pmid not in out:
                out[r.pmid] = r
    return out


def scores(
    pairs: list[tuple[str, str]],
) -> tuple[dict[str, tuple[float, float, float, int]], float]:
    per = {}
    for lvl in LEVELS:
        tp = sum(1 for g, p in pairs if g == lvl and p == lvl)
        fp = sum(1 for g, p in pairs if g != lvl and p == lvl)
        fn = sum(1 for g, p in pairs if g == lvl and p != lvl)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lvl] = (prec, rec, f1, tp + fn)
    present = [lvl for lvl in LEVELS if per[lvl][3]]
    return per, sum(per[lvl][2] for lvl in present) / len(present)


def main() -> None:
    recs = records()
    pairs: list[tuple[str, str]] = []
    skipped = 0
    for r in recs.values():
        gold = level_from_publication_types([p.name for p in r.publication_types])  # type: ignore[attr-defined]
        if gold is None:
            skipped += 1
            continue
        pred, _ = level_from_text(r.title, r.abstract)  # type: ignore[attr-defined]
        pairs.append((gold[0], pred))
    per, macro = scores(pairs)
    print(
        f"{len(pairs)} real records whose publication types give a level "
        f"({skipped} others typed only 'Journal Article' / research support, not scored)\n"
    )
    print("level  precision  recall    F1   support")
    for lvl in LEVELS:
        p, r_, f, n = per[lvl]
        print(f"{lvl}     {p:8.2f} {r_:7.2f} {f:6.2f} {n:7d}")
    majority = Counter(g for g, _ in pairs).most_common(1)[0][0]
    _, base = scores([(g, majority) for g, _ in pairs])
    print(f"\nmacro-F1 (levels present): {macro:.3f}   (target >= 0.90)")
    print(f"majority-class baseline ({majority} for every record): macro-F1 {base:.3f}")
    # Second view: gold = the level claimledger itself gives the indexed record (publication types
    # plus MeSH check tags, so an animal-only "Comparative Study" is L5 as the rubric defines it).
    indexed = []
    for r in recs.values():
        if level_from_publication_types([p.name for p in r.publication_types]) is None:  # type: ignore[attr-defined]
            continue
        d = assess_design(r)  # type: ignore[arg-type]
        indexed.append((d.level, level_from_text(r.title, r.abstract)[0]))  # type: ignore[attr-defined]
    _, macro_idx = scores(indexed)
    print(
        f"same records, gold = level from publication types + MeSH check tags (assess_design): "
        f"macro-F1 {macro_idx:.3f}"
    )
    print("\nconfusion (rows gold, columns predicted):")
    print("      " + "  ".join(LEVELS))
    for g in LEVELS:
        print(
            f"  {g}  "
            + "  ".join(f"{sum(1 for a, b in pairs if a == g and b == p):3d}" for p in LEVELS)
        )


if __name__ == "__main__":
    main()
