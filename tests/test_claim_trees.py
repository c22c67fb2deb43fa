"""benchmarks/claim_trees.py's folds and operating points: a writer is never split between
folds, FRESH is a fold of its own, and "at the linear model's found" is the fewest false alarms
that find as many claims."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import claim_trees as ct  # type: ignore[import-not-found]  # noqa: E402
import train_claims as tc  # type: ignore[import-not-found]  # noqa: E402


def _doc(number: int | None, name: str = "dev") -> tc.Doc:
    return tc.Doc(name, 0, number, [], [], [{}])


def test_writers_stay_whole_and_fresh_is_its_own_fold() -> None:
    docs = [_doc(n) for n in (1, 2, 15, 16, 25, 35, 1065, 1114, 1080)] + [_doc(None, "seeds")]
    groups = ct.fold_groups(docs, 2)
    assert groups[:2] == [groups[0]] * 2  # pages 1 and 2: one writer set, one fold
    assert groups[2] == groups[3] != groups[0]  # 15-24 dealt to the next fold
    assert groups[6:9] == ["fresh"] * 3
    assert "fresh" not in groups[:6] + groups[9:]
    assert set(groups) == {"fold0", "fold1", "fresh"}


@dataclass
class _Judged:
    reportable: bool = True


def _scored(p: float, y: int, forced: bool = False, reportable: bool = True) -> tc.Scored:
    return tc.Scored(p, y, forced, _doc(1), _Judged(reportable))  # type: ignore[arg-type]


def test_at_found_takes_the_most_probable_units_first() -> None:
    part = [
        _scored(0.9, 1),
        _scored(0.8, 0),
        _scored(0.7, 1),
        _scored(0.2, 1, forced=True),  # reported whatever the model says
        _scored(0.99, 1, reportable=False),  # a signature: never reported
        _scored(0.1, 0),
    ]
    assert ct.at_found(part, 1) == (1, 4, 0, 2)  # the forced claim alone
    assert ct.at_found(part, 2) == (2, 4, 0, 2)
    assert ct.at_found(part, 3) == (3, 4, 1, 2)  # the 0.8 filler comes before the 0.7 claim
    assert ct.at_found(part, 4) == (3, 4, 2, 2)  # the signature is never found
