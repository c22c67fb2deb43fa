"""Which found margin the claim trees' threshold rule chooses, with and without the seeds.

train_claims.shipped_margin takes the smallest margin (MARGINS) at which the blend finds at least
as many claims as the linear model in every tree fold (``found_margin``); since session 25 the
seeds are reported (their found gap), not enforced. This prints that margin ("folds only") and
the margin session 24 shipped, which kept the seeds' claims too ("seeds kept"), each group's
found gap (blend - linear) at it, and the per-writer blend thresholds each margin gives, from
the same cached out-of-fold scores train_claims uses (CLAIMLEDGER_TRAIN_CACHE).

Session 24, on the merged tree (main 1d110a0): with the seeds kept the margin is 0.025 (every
fold then finds 67-86 claims MORE than the linear model; thresholds 0.33-0.34); the folds alone
choose 0.003 (gaps +1..+25; thresholds 0.47). The seeds condition, five documents, set the
shipped operating point, and on the 110 pages then unseen false alarms rose 8.2% -> 11.7%.
Session 25 (claim_trees.py, the s7 trees fitted outside FRESH 1235-1344, eight older folds):
seeds kept 0.015 (FRESH threshold 0.39), folds only 0.005 (0.45); on FRESH, out of fold, found /
false alarms 1917 / 374 -> 1899 / 305 of 2018 / 4060, the seeds 199 -> 198 claims of 206. The
folds-only margin shipped in session 25 (claim_trees.py's docstring: the rules compared, the
criterion). Since session 26 the shipped threshold is train_claims.shipped_threshold (a found
target, FOUND_SHARE); this script prints the margin rule it replaced.

    CLAIMLEDGER_TRAIN_CACHE=/tmp/cache PYTHONPATH=src python benchmarks/tree_margin.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_claims as tc


def main() -> None:
    docs = tc.cached_documents(None)
    lin, blend, _ = tc.fold_scores(docs, tc.Design.of(docs))
    group = tc.tree_fold_of(docs)
    with_seeds = tc.found_margin(lin, blend, group, lambda d: tc.writer_of(d) == "seeds")
    folds_only = tc.found_margin(lin, blend, group, None)
    for name, (margin, gap) in (("seeds kept", with_seeds), ("folds only", folds_only)):
        print(f"{name}: margin {margin}; found gap (blend - linear) {gap}")
        if margin is not None:
            th = sorted(tc.blend_thresholds(lin, blend, tc.writer_of, margin).values())
            print(f"  per-writer thresholds: min {th[0]}, median {th[len(th) // 2]}, max {th[-1]}")


if __name__ == "__main__":
    main()
