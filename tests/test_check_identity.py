"""benchmarks/check_identity.py: which pages it checks, and that one checker compared with
itself finds no difference (check output is deterministic, so a difference means a change)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

_ROOT = Path(__file__).resolve().parents[1]


def _bench() -> ModuleType:
    sys.path.insert(0, str(_ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(
        "check_identity", _ROOT / "benchmarks" / "check_identity.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_pages_are_dev_pages_and_seeds_never_held_back() -> None:
    bench = _bench()
    pages = bench.pages(None)
    dev = _ROOT / "benchmarks" / "copy-dev"
    assert len(pages) == len(set(pages))
    assert all("heldback" not in p.parts and "copy-holdout" not in p.parts for p in pages)
    every = [p for p in dev.iterdir() if p.suffix in (".html", ".md", ".txt")]
    assert {p for p in pages if p.parent == dev} == {p for p in every if p.name != "README.md"}
    assert [p.parent.name for p in pages[-5:]] == ["seeds"] * 5


def test_docs_picks_pages_by_number() -> None:
    bench = _bench()
    picked = bench.pages("1-3")
    assert [p.name.split("-")[0] for p in picked[:-5]] == ["01", "02", "03"]


def test_the_same_checker_twice_differs_on_no_page() -> None:
    bench = _bench()
    page = _ROOT / "benchmarks" / "copy-dev" / "03-ptsd-blog.md"
    if not page.exists():
        pytest.skip("no dev page 03")
    runs = [bench.start(_ROOT / "src", _ROOT / "claims.yaml", [page]) for _ in range(2)]
    first, second = (bench.finish(r, "here") for r in runs)
    assert first == second
    assert '"findings"' in first[str(page)]["json"]
