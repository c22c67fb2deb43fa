"""Wall time of the test suite here vs at another revision, run back to back on this machine.

The other revision is checked out into a temporary git worktree and its tests run against its
own source (PYTHONPATH), with this checkout's environment; the rounds alternate so both see the
same load. Prints each run and the ratio of the medians (this tree / the other revision).

    python benchmarks/suite_time.py --base 0798c48 --rounds 2
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_suite(tree: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    lines = proc.stdout.strip().splitlines()
    return elapsed, lines[-1] if lines else f"exit {proc.returncode}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base", default="main", help="revision to compare with")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    shared = os.environ.get("CLAIMLEDGER_SHARED", str(ROOT.parent / "shared"))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(base), args.base], cwd=ROOT, check=True
        )
        try:
            base_env = {**os.environ, "CLAIMLEDGER_SHARED": shared, "PYTHONPATH": str(base / "src")}
            here_env = {**os.environ, "CLAIMLEDGER_SHARED": shared}
            times: dict[str, list[float]] = {"base": [], "here": []}
            for i in range(args.rounds):
                for name, tree, env in (("base", base, base_env), ("here", ROOT, here_env)):
                    t, summary = run_suite(tree, env)
                    times[name].append(t)
                    print(f"round {i + 1} {name:4} {t:7.1f} s  {summary}")
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False
            )
    b, h = statistics.median(times["base"]), statistics.median(times["here"])
    print(f"median wall time: this tree {h:.1f} s vs {args.base} {b:.1f} s; ratio {h / b:.2f}")


if __name__ == "__main__":
    main()
