"""How the work on hostile inputs grows with their size: linear means doubling the input about
doubles the time (ratio ~2); quadratic would give ~4 (issue 15's inputs ran past 180 s before).

For each input shape it times the code that used to blow up at size n and 2n in the same run and
prints the ratio t(2n)/t(n), next to the ratio for an ordinary prose document of the same sizes.
No figure here is a timing threshold; read the ratios.

    python benchmarks/hostile_scaling.py [N]     (N characters, default 200000)

To see the "before", run it on an older checkout with a small N, e.g.
    PYTHONPATH=<old checkout>/src python benchmarks/hostile_scaling.py 20000
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable

from claimledger.copy.check import segment
from claimledger.pubmed.medline import iter_articles
from claimledger.textutil import sentences


def _time(fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _xml(text: str) -> Callable[[], object]:
    def parse() -> object:
        try:
            return list(iter_articles(io.BytesIO(text.encode())))
        except Exception as ex:  # the hostile file is refused; we time how fast
            return ex

    return parse


PROSE = "Ketamine reduced depressive symptoms within hours in most adults in the trial. "
SHAPES: dict[str, tuple[Callable[[int], str], Callable[[str], Callable[[], object]]]] = {
    "prose (reference)": (lambda n: PROSE * (n // len(PROSE)), lambda t: lambda: list(segment(t))),
    '"a. " repeated': (lambda n: "a. " * (n // 3), lambda t: lambda: list(segment(t))),
    "unclosed <!-- in Markdown": (lambda n: "<!--" * (n // 4), lambda t: lambda: list(segment(t, "md"))),
    "single-token line": (lambda n: "x" * n, lambda t: lambda: list(segment(t))),
    '"A. " in an abstract': (lambda n: "A. " * (n // 3), lambda t: lambda: list(sentences(t))),
    "unclosed <!-- as PubMed XML": (lambda n: "<!--" * (n // 4), _xml),
}  # fmt: skip


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    print(f"{'input':32} {'t(n) s':>8} {'t(2n) s':>8} {'ratio':>6}   (n = {n:,} characters)")
    for name, (make, job) in SHAPES.items():
        t1 = _time(job(make(n)))
        t2 = _time(job(make(2 * n)))
        print(f"{name:32} {t1:8.3f} {t2:8.3f} {t2 / t1:6.2f}")


if __name__ == "__main__":
    main()
