"""benchmarks/label_agreement.py: Cohen's kappa, and that the second labelling still lines up with
labels.yaml item for item (a relabelled page must make the script stop, not compare wrong items)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

_ROOT = Path(__file__).resolve().parents[1]


def _bench() -> ModuleType:
    sys.path.insert(0, str(_ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(
        "label_agreement", _ROOT / "benchmarks" / "label_agreement.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_kappa_is_one_for_identical_labels_and_zero_at_chance() -> None:
    bench = _bench()
    a = ["none", "claim", "overstated", "none"]
    assert bench.kappa(a, a) == pytest.approx(1.0)
    # each reader says "claim" half the time, independently: agreement is what chance gives
    assert bench.kappa(
        ["claim", "claim", "none", "none"], ["claim", "none", "claim", "none"]
    ) == pytest.approx(0.0)
    assert bench.kappa(["claim", "none"], ["none", "claim"]) < 0


def test_second_labels_line_up_with_labels_yaml() -> None:
    bench = _bench()
    second = bench.second_labels()
    text = (_ROOT / "benchmarks" / "copy-dev" / "labels.yaml").read_text(encoding="utf-8")
    files = {f for f, _ in second}
    # parse only these pages' entries: the whole 12 MB file takes a minute on a loaded machine
    chunks = ["- file:" + c for c in text.split("\n- file:")[1:]]
    heads = [c.split("\n", 1)[0].removeprefix("- file:").strip() for c in chunks]
    docs = [yaml.safe_load(c)[0] for c, head in zip(chunks, heads, strict=True) if head in files]
    writer = {d["file"]: d["sentences"] for d in docs}
    assert len(files) == 12
    assert sum(len(writer[f]) for f in files) == len(second)
    for (f, i), view in second.items():
        assert view["text"] == writer[f][i]["text"]
        assert view["label"] in ("none", "claim", "overstated")
        assert (view["topic"] is None) == (view["label"] == "none")
