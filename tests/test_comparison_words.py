"""benchmarks/comparison_words.py: the private helpers it reads (check._governs,
structure._clean) still say which word makes a comparison, and --add widens the lexicon only for
the words it names (a smoke test: a refactor there would otherwise break the script silently)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from claimledger.copy.structure import domain

_ROOT = Path(__file__).resolve().parents[1]


def _bench() -> ModuleType:
    sys.path.insert(0, str(_ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(
        "comparison_words", _ROOT / "benchmarks" / "comparison_words.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_a_shipped_word_governing_a_rival_is_read() -> None:
    bench = _bench()
    d = domain()
    assert bench._governing(d, "Ketamine is better than ECT, without the memory loss.") == "better"
    # a partner, not a rival
    assert bench._governing(d, "Many patients find ketamine safer to combine with SSRIs.") is None


def test_add_makes_a_candidate_word_a_comparison_and_bare_needs_than() -> None:
    bench = _bench()
    d = domain()
    s = "Ketamine has caught up with ECT for most outpatients."
    assert bench._governing(d, s) is None
    assert bench._governing(bench._with(d, "caught up with", False), s) == "caught up with"
    bare = bench._with(d, "less", True)
    assert (
        bench._governing(bare, "Ketamine is far less habit-forming than benzodiazepines.") == "less"
    )
    assert bench._governing(bare, "Ketamine causes less nausea when paired with SSRIs.") is None
