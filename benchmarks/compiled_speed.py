"""Would check be faster with some of its modules compiled by mypyc? Timed, not shipped.

check's time is spread over twenty-odd stages, none above a fifth of it (check_speed.py
--stages, --sample); the lexicon engine's Python (library/lexicon.py: which of a list's patterns
may match a sentence, CueIndex.candidates; copy/cues.py) is the largest share of our own code.
This copies this checkout's src/ to a temporary directory, compiles the named modules there with
mypyc (installed with mypy; needs a C compiler), and times, in one job, this checkout's plain
src/ and the compiled copy alternately (--rounds), each in its own subprocess: the spread dev
pages checked as check_speed.py checks them (one matcher, each page read and checked, the words
forgotten first; no ledger), the dev pages joined, and reading and splitting both. It also
compares the two trees' check output (JSON, every page): a compiled module must say the same.

    python benchmarks/compiled_speed.py
    python benchmarks/compiled_speed.py --modules claimledger/library/lexicon.py --rounds 5

Nothing is written into the checkout: the compiled copy is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TypedDict

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("claimledger/library/lexicon.py", "claimledger/copy/cues.py")

# Runs with PYTHONPATH at one tree's src/: times check and read+split (CPU time, best of
# ``repeat``) and prints them with a digest of each page's JSON report.
DRIVER = r"""
import hashlib, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from check_speed import ROOT, forget_words, real_document, spread_pages
from claimledger.copy.check import ClaimMatcher, check_text, segment
from claimledger.copy.documents import read_document
from claimledger.library import lexicon
from claimledger.library.claims import load_claims
from claimledger.reports.check import render_check
repeat = int(sys.argv[2])
library = load_claims(ROOT / "claims.yaml")
pages = spread_pages(5000)
joined = real_document(5000)

def best(fn):
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times) * 1000

def check_pages():
    forget_words()
    m = ClaimMatcher(library)
    return [check_text(d.name, d.text, library, {}, m, d.kind, d.roles)
            for d in map(read_document, pages)]

def split_pages():
    for d in map(read_document, pages):
        list(segment(d.text, d.kind))

def check_joined():
    forget_words()
    return check_text("joined.md", joined, library, {}, ClaimMatcher(library), "md")

digest = [hashlib.sha256(render_check([r], "json").encode()).hexdigest()
          for r in [*check_pages(), check_joined()]]
print(json.dumps({
    "lexicon": Path(lexicon.__file__).name,
    "spread": best(check_pages), "spread_split": best(split_pages),
    "joined": best(check_joined), "joined_split": best(lambda: list(segment(joined, "md"))),
    "pages": len(pages), "digest": digest,
}))
"""


class Timing(TypedDict):
    """What the driver prints: CPU times in ms (best of ``repeat``) and each page's digest."""

    lexicon: str  # the file library/lexicon.py was loaded from (.py or a compiled .so)
    spread: float
    spread_split: float
    joined: float
    joined_split: float
    pages: int
    digest: list[str]


def run(src: Path, repeat: int) -> Timing:
    """The driver's measurements with ``src`` on PYTHONPATH."""
    env = {**os.environ, "PYTHONPATH": str(src), "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", DRIVER, str(ROOT / "benchmarks"), str(repeat)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: Timing = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--modules", nargs="+", default=list(MODULES), help="paths under src/")
    ap.add_argument("--rounds", type=int, default=3, help="times each tree is measured")
    ap.add_argument("--repeat", type=int, default=7, help="best of N runs per measurement")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        compiled = Path(d) / "src"
        shutil.copytree(ROOT / "src", compiled, ignore=shutil.ignore_patterns("__pycache__"))
        build = subprocess.run(
            [sys.executable, "-m", "mypyc", *args.modules],
            cwd=compiled,
            capture_output=True,
            text=True,
        )
        if build.returncode != 0:
            sys.exit(f"mypyc failed:\n{build.stdout[-2000:]}\n{build.stderr[-2000:]}")
        print(f"compiled with mypyc: {', '.join(args.modules)}")
        digests: dict[str, list[str]] = {}
        ratios: dict[str, list[tuple[float, float]]] = {"source": [], "compiled": []}
        for r in range(args.rounds):
            for name, src in (("source", ROOT / "src"), ("compiled", compiled)):
                m = run(src, args.repeat)
                digests[name] = m["digest"]
                spread, split = m["spread"], m["spread_split"]
                joined, jsplit = m["joined"], m["joined_split"]
                ratios[name].append((spread / split, joined / jsplit))
                print(
                    f"round {r + 1} {name:8s} ({m['lexicon']}): {m['pages']} spread pages "
                    f"check {spread:.0f} ms, read+split {split:.0f} ms, ratio "
                    f"{spread / split:.2f}x; joined check {joined:.0f} ms, split {jsplit:.0f} ms, "
                    f"ratio {joined / jsplit:.2f}x"
                )
        for name, seen in ratios.items():  # each side's spread over the rounds: the noise
            spread_r, joined_r = [r for r, _ in seen], [r for _, r in seen]
            print(
                f"{name}: spread pages ratio {min(spread_r):.2f}x-{max(spread_r):.2f}x, "
                f"joined {min(joined_r):.2f}x-{max(joined_r):.2f}x over {len(seen)} rounds"
            )
        same = digests["source"] == digests["compiled"]
        print(f"check output identical on the {len(digests['source'])} documents: {same}")


if __name__ == "__main__":
    main()
