"""Overstatement recall by wording category and writer set: does a cue hold beyond the writer
it was read from?

The dev pages come from different writers (seeds; 01-14 writer 1; 15-24 writer 2; 25-34 writer 3;
35-44, 45-54, 55-64 writers 4-6; 65-74, 75-84 writers 7-8; 85-94, 95-104, 105-114, 115-124 writers 9-12; 125-134, 135-144 writers 13-14; 145-154, 155-164, 165-174, 175-184 writers 15-18; 185-194, 195-204 writers 19-20; 205-214, 215-224 writers 21-22). A lexicon read from one writer's phrasing scores well on that
writer and poorly on the others; this prints, for the checker in this checkout (and, with
``--baseline REV``, for another revision in the same run), overstatements flagged per category
and per writer set, with flags on accurate claims and false alarms on filler per set.
The held-out set is never read.

    python benchmarks/wording_by_writer.py
    python benchmarks/wording_by_writer.py --baseline 9380b75   # the lexicon before 15-34 landed
    python benchmarks/wording_by_writer.py --sources grammar    # only cues built from word classes
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import copy_accuracy as ca
from train_claims import WRITERS

# One list of writers (train_claims.WRITERS); names keep the two-digit "01-14" of the printed tables.
WRITER_SETS = (
    ("seeds", None),
    *((f"{first:02d}-{last}", f"{first}-{last}") for first, last in WRITERS),
)


def writer_sets() -> list[tuple[str, ca.LabelledSet]]:
    dev = ca.ROOT / "benchmarks" / "copy-dev"
    out = []
    for name, docs in WRITER_SETS:
        s = ca.load_set(dev, seeds=True) if docs is None else ca.load_set(dev, docs=docs)
        if s.docs:
            out.append((name, s))
    return out


def run(src: Path, claims: Path, docs: list[Path], sources: str | None) -> list[dict[str, Any]]:
    """The checker at ``src`` on ``docs``; ``sources``: only these cue lists of
    data/wording.yaml ("grammar": the cues built from word classes, none read from a writer)."""
    if sources is None:
        return ca.run_checker(src, claims, docs)
    prefix = (
        "import claimledger.copy.wording as _w\n"
        f"_w.CUE_SOURCES = frozenset({sources.split(',')!r})\n"
    )
    env = {**os.environ, "PYTHONPATH": str(src)}
    job = json.dumps({"claims": str(claims), "docs": [str(d) for d in docs]})
    res = subprocess.run(
        [sys.executable, "-c", prefix + ca.DRIVER],
        input=job,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    out: list[dict[str, Any]] = json.loads(res.stdout)
    return out


def scores(
    src: Path, claims: Path, sets: list[tuple[str, ca.LabelledSet]], sources: str | None = None
) -> dict[str, dict[str, tuple[int, int]]]:
    return {name: ca.score(s, run(src, claims, s.docs, sources)) for name, s in sets}


def table(title: str, by_set: dict[str, dict[str, tuple[int, int]]]) -> None:
    """One row per category (and the totals), one column per writer set."""
    names = list(by_set)
    cats = sorted({k for c in by_set.values() for k in c if k.startswith("why:")})
    print(f"\n{title}")
    print("| category | " + " | ".join(names) + " | all but seeds+01-14 |")
    print("|---|" + "---|" * (len(names) + 1))
    rows = [(k[4:], k) for k in cats] + [
        ("ALL overstated", "overstated"),
        ("flags on accurate claims", "flag_ok"),
        ("false alarms on filler", "false_alarm"),
        ("claims found", "found"),
    ]
    for label, k in rows:
        cells = [ca._cell(*by_set[n].get(k, (0, 0))) for n in names]
        later = [by_set[n].get(k, (0, 0)) for n in names if n not in ("seeds", "01-14")]
        cells.append(ca._cell(sum(a for a, _ in later), sum(b for _, b in later)))
        print(f"| {label} | " + " | ".join(cells) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", metavar="REV", help="also score this git revision")
    ap.add_argument(
        "--sources",
        metavar="LIST",
        help='only these cue lists of data/wording.yaml, e.g. "grammar" (this checkout only)',
    )
    args = ap.parse_args()
    sets = writer_sets()
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            base = ca.baseline_tree(Path(tmp), args.baseline)
            table(
                f"checker at {args.baseline}",
                scores(base / "src", base / "claims.yaml", sets),
            )
    title = "this checkout" + (f", cue lists: {args.sources}" if args.sources else "")
    table(title, scores(ca.ROOT / "src", ca.ROOT / "claims.yaml", sets, args.sources))


if __name__ == "__main__":
    main()
