"""The training scripts' shortcuts change no result: the claim model's folds solve the very matrix
train_claims.train builds, and a judged page read back from the cache is the page judged afresh
under a key that changes with everything judging depends on."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from claimledger.copy.blockmodel import block_model
from claimledger.copy.check import judge_units
from claimledger.copy.claimmodel import claim_model
from claimledger.copy.overmodel import overstated_model
from claimledger.copy.topicmodel import topic_model

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import judged_cache as jc  # type: ignore[import-not-found]  # noqa: E402
import train_claims as tc  # type: ignore[import-not-found]  # noqa: E402

PAGE = (
    "# Ketamine infusions at Harbor Clinic\n\n"
    "Ketamine can ease treatment-resistant depression within hours.\n\n"
    "Is it safe?\n\nIt is completely safe and has no side effects.\n\n"
    "Call us on 555-0100 to book a consultation.\n"
)


def _doc(writer_page: int, rows: list[tuple[dict[str, float], int | None]]) -> tc.Doc:
    return tc.Doc("dev", writer_page, writer_page, [], [y for _, y in rows], [f for f, _ in rows])


def _docs() -> list[tc.Doc]:
    """Three writer sets; one feature only the second carries, one carried with the value 0."""
    out = []
    for k, page in enumerate((1, 2, 16, 17, 26)):
        rows: list[tuple[dict[str, float], int | None]] = []
        for i in range(12):
            f = {"cue:effect": float((i + k) % 3 == 0), "emb:001": 0.1 * ((i * 7 + k) % 5)}
            if page in (16, 17) and i % 4 == 0:
                f["subject:product"] = 1.0
            if page == 26 and i == 3:
                f["role:heading"] = 0.0
            rows.append((f, (i + k) % 2 if i != 5 else None))
        out.append(_doc(page, rows))
    return out


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(jc, "CACHE_DIR", tmp_path / "judged")
    monkeypatch.delenv("CLAIMLEDGER_TRAIN_CACHE", raising=False)
    yield tmp_path / "judged"


def test_writer_folds_solve_the_matrix_train_builds_for_the_other_writers(cache_dir: Path) -> None:
    docs = _docs()
    models = tc.fold_models(docs, group=tc.writer_of)
    assert len({id(m) for m in models}) == 3  # 01-14, 15-24, 25-34
    for doc, model in zip(docs, models, strict=True):
        rest = [d for d in docs if tc.writer_of(d) != tc.writer_of(doc)]
        assert (model.weights, model.bias) == tc.train(tc.examples_of(rest))
    # the feature only 15-24 carries is no weight of the model trained without it
    assert "subject:product" not in models[2].weights
    assert "subject:product" in models[0].weights
    # the fits are kept for the next script, and read back
    assert len(list((cache_dir / "claim-folds").glob("*.pkl"))) == 1
    again = tc.fold_models(docs, group=tc.writer_of)
    assert [(m.weights, m.bias) for m in again] == [(m.weights, m.bias) for m in models]
    changed = _docs()
    changed[0].y[0] = 1 - (changed[0].y[0] or 0)  # another label: another key
    tc.fold_models(changed, group=tc.writer_of)
    assert len(list((cache_dir / "claim-folds").glob("*.pkl"))) == 2


def test_folds_reached_from_the_all_data_fit_are_the_folds_fitted_from_zero() -> None:
    docs = _docs()
    design = tc.Design.of(docs)
    for how in (tc.writer_of, tc.document_of):
        groups = [how(d) for d in docs]
        exact = {g: design.fit([k != g for k in groups]) for g in dict.fromkeys(groups)}
        assert design.folds(groups) == exact


def test_the_design_keeps_a_feature_carried_with_the_value_zero_as_train_does() -> None:
    docs = _docs()
    design = tc.Design.of(docs)
    assert "role:heading" in design.names
    assert design.fit([True] * len(docs)) == tc.train(tc.examples_of(docs))


def test_a_cached_page_is_the_page_judged_afresh(cache_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "101-harbor.md"
    page.write_text(PAGE)
    doc, judged, info = jc.judged_page(page)
    assert len(list(cache_dir.rglob("*.pkl"))) == 1
    again = jc.judged_page(page)  # read back
    fresh = judge_units(doc.text, doc.kind, doc.roles)
    for got in (judged, again[1]):
        assert [(j.unit, j.rule, j.flags, j.features) for j in got] == [
            (j.unit, j.rule, j.flags, j.features) for j in fresh[0]
        ]
        assert all((a.vector == b.vector).all() for a, b in zip(got, fresh[0], strict=True))
    assert again[0] == doc and again[2] == info == fresh[1]


def test_a_changed_page_is_judged_again_under_its_own_key(cache_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "101-harbor.md"
    page.write_text(PAGE)
    jc.judged_page(page)
    page.write_text(PAGE.replace("within hours", "within days"))
    doc, _, _ = jc.judged_page(page)
    assert "within days" in doc.text
    assert len(list(cache_dir.rglob("*.pkl"))) == 2
    same_bytes = tmp_path / "102-harbor.md"  # the name is part of the key (it sets the kind)
    same_bytes.write_text(page.read_text())
    jc.judged_page(same_bytes)
    assert len(list(cache_dir.rglob("*.pkl"))) == 3


def test_the_code_digest_reads_the_source_and_lexicons_but_not_the_trained_models() -> None:
    src = {p.name for p in jc.SRC.rglob("*") if p.is_file()}
    assert {"check.py", "wording.yaml", "embedding.npz"} <= src
    assert src | {"block_model.json"} >= jc.TRAINED
    assert len(jc.code_digest()) == 20


def test_judging_a_page_reads_no_trained_model() -> None:
    """Why the trained model files are not part of the cache key: judge_units never loads them
    (so retraining the claim model does not make train_topic.py judge every page again)."""
    loaders = (claim_model, overstated_model, topic_model, block_model)
    for f in loaders:
        f.cache_clear()
    opened: list[str] = []
    on = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if on[0] and event == "open" and isinstance(args[0], str | Path):
            opened.append(str(args[0]))

    sys.addaudithook(hook)  # (a hook cannot be removed: this one is switched off below)
    judge_units(PAGE, "md")
    read = [p for p in opened if Path(p).name in jc.TRAINED]
    untouched = all(f.cache_info().currsize == 0 for f in loaders)
    claim_model()  # the hook sees a model being read
    on[0] = False
    assert read == [] and untouched
    assert any(Path(p).name == "claim_model.json" for p in opened)


def test_overstated_folds_slice_the_matrix_fit_builds_for_the_other_writers() -> None:
    """train_overstated.out_of_fold's models are ``fit`` of the other writer sets' examples: the
    same rows, columns and stems kept (those MIN_WRITERS of the fold's writer sets share)."""
    import train_overstated as to  # type: ignore[import-not-found]

    def example(writer: int, k: int) -> to.Example:
        over = k % 4 != 0
        f = {"g:dark lift": 1.0} if over and k % 2 else {"g:our clinic": 1.0}
        f |= {"g:only here": 1.0} if writer == 0 else {}
        f |= {"g:five sets": 1.0} if writer < to.MIN_WRITERS and k % 3 == 1 else {}
        f |= {"s:universal": 1.0} if k % 3 == 0 else {"emb:000": 0.1 * k}
        f |= {"x:rare": 0.0} if writer == 2 and k == 5 else {}
        hedged, filler = k == 7, k == 9
        return to.Example(f"w{writer}", "", f, over and not filler, None, False, hedged, "found",
                          filler)  # fmt: skip

    ex = [example(w, k) for w in range(to.MIN_WRITERS + 1) for k in range(12)]
    design = to.Design.of(ex)
    trained = np.array([e.writer for e in design.used], dtype=object)
    for grams in (to.Grams(), to.NO_GRAMS, to.Grams(3, 1.0)):
        for w in dict.fromkeys(e.writer for e in ex):
            expected = to.fit([e for e in ex if e.writer != w], grams)
            assert design.fit(trained != w, grams) == expected
            # started from the fit of every writer set: the same minimum
            assert design.fit(trained != w, grams, warm=True) == expected
        assert design.fit_all(grams) == to.fit(ex, grams)
    # "g:five sets" is shared by MIN_WRITERS sets: weighed with all of them, not without w0
    assert "g:five sets" in to.fit(ex)[0]
    assert "g:five sets" not in design.fit(trained != "w0", to.Grams())[0]


def test_writer_thresholds_are_threshold_for_without_each_writer() -> None:
    """quick_report's per-writer thresholds from one table of hits: the thresholds
    ``threshold_for`` picks on every other writer's units, writer by writer."""
    from types import SimpleNamespace

    rng = np.random.default_rng(7)
    docs = [tc.Doc("dev", i, n, [], [], features=[{}]) for i, n in enumerate((15, 25, 35, 45, 60))]
    docs.append(tc.Doc("seeds", 0, None, [], [], features=[{}]))
    scored = [
        tc.Scored(
            float(rng.random()) ** (0.5 if y else 2.0),
            y,
            bool(rng.random() < 0.05),
            d,
            SimpleNamespace(reportable=bool(rng.random() < 0.9)),
        )
        for d in docs
        for y in rng.integers(0, 2, 80).tolist()
    ]
    writers = [tc.writer_of(d) for d in docs]
    expected = {
        w: tc.threshold_for([s for s in scored if tc.writer_of(s.doc) != w]) for w in writers
    }
    assert tc.writer_thresholds(scored, writers) == expected
    assert len(set(expected.values())) > 1  # the writers' own units move the threshold
