"""The block-function model (copy/blockmodel.py): a page's blocks read as wholes, and the claim
model reading each unit's block as it is trained to."""

from __future__ import annotations

import math

import pytest

from claimledger.copy.blockmodel import BlockModel, apart, block_inputs, block_sections
from claimledger.copy.check import judge_units
from claimledger.copy.claimmodel import ClaimModel, page_features

PAGE = """# Ketamine for depression

Ketamine eases depressive symptoms within hours for many patients.

Studies show the effect can last about a week after one infusion.

## Who can take part?

- Adults aged 18 to 65
- A diagnosis of depression

## Our fees

Each infusion costs $450. Call 555-0100 to book.
"""


def test_a_page_is_cut_into_blocks_at_its_headings_and_questions() -> None:
    judged, _ = judge_units(PAGE, "md")
    feats, vecs = [j.features for j in judged], [j.vector for j in judged]
    groups = block_sections(feats)
    rows, block = block_inputs(feats, vecs)
    assert len(rows) == len(set(groups)) == 3
    assert block == [sorted(set(groups)).index(g) for g in groups]
    # each block's rows: its lines' mean classes and meaning, its heading's own, its size
    heading_of = {block[i]: j for i, j in enumerate(judged) if j.unit.role == "heading"}
    for b, row in enumerate(rows):
        assert any(k.startswith("m:role:") for k in row)
        assert row["v:000"] == pytest.approx(
            sum(float(vecs[i][0]) for i in range(len(judged)) if block[i] == b) / block.count(b),
            abs=1e-6,
        )
        if b in heading_of:
            assert "h:role:heading" in row and "hv:000" in row
    assert [r["size"] for r in rows] == pytest.approx(
        [math.log1p(block.count(b)) for b in range(len(rows))]
    )


def test_the_claim_model_reads_each_units_block_as_it_is_trained() -> None:
    judged, _ = judge_units(PAGE, "md")
    feats, vecs = [j.features for j in judged], [j.vector for j in judged]
    blocks = BlockModel({"m:logistics": -2.0, "h:none": 1.0, "v:000": 3.0, "size": 0.5}, -0.2)
    weights = {"rule": 1.0, "nb:rule": 0.5, "bf:all": 0.8, "bf:item": -1.1}
    with_blocks = ClaimModel(weights, -0.3, 0.5, {}, blocks)
    fast = with_blocks.page_probabilities(feats, vecs)
    # training adds the block features to the page features (train_claims.with_block_function)
    full = page_features(feats, vecs)
    fn = blocks.page_features(feats, vecs)
    slow = [with_blocks.probability({**f, **g}) for f, g in zip(full, fn, strict=True)]
    assert fast == pytest.approx(slow, abs=1e-12)
    plain = ClaimModel(weights, -0.3, 0.5).page_probabilities(feats, vecs)
    assert fast != pytest.approx(plain)
    # the units of one block share its odds; items read them under their role too
    rows, block = block_inputs(feats, vecs)
    for i, (g, j, b) in enumerate(zip(fn, judged, block, strict=True)):
        alone = apart(rows[b], block.count(b), feats[i], vecs, i)
        assert g["bf:all"] == pytest.approx(blocks.log_odds(alone))
        assert f"bf:{j.unit.role}" in g
    items = [g for g, j in zip(fn, judged, strict=True) if j.unit.role == "item"]
    assert items and all(g["bf:item"] == g["bf:all"] for g in items)


def test_a_blocks_odds_are_clipped() -> None:
    m = BlockModel({"size": 100.0}, 0.0)
    assert m.log_odds({"size": 1.0}) == 4.0
    assert m.log_odds({"size": -1.0}) == -4.0


def test_the_block_model_learns_a_blocks_claim_share() -> None:
    """train_claims.train_blocks: soft labels (a block's claim share) weighed by its labelled
    units; a block like the claim blocks scores over one like the filler blocks."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from train_claims import train_blocks  # type: ignore[import-not-found]

    claims = [({"m:effect": 1.0, "size": 1.0}, 0.9, 4), ({"m:effect": 0.8, "size": 1.2}, 1.0, 3)]
    filler = [({"m:logistics": 1.0, "size": 1.0}, 0.0, 5), ({"m:logistics": 0.7}, 0.2, 5)]
    m = train_blocks(claims + filler)
    assert m.log_odds({"m:effect": 1.0}) > 0 > m.log_odds({"m:logistics": 1.0})
    assert train_blocks(claims + filler) == m  # deterministic


def test_a_units_block_is_read_without_it() -> None:
    """The block a unit reads is its mates' mean and its heading, not its own line again."""
    judged, _ = judge_units(PAGE, "md")
    feats, vecs = [j.features for j in judged], [j.vector for j in judged]
    rows, block = block_inputs(feats, vecs)
    b = next(b for b in set(block) if block.count(b) >= 3)
    members = [i for i, k in enumerate(block) if k == b]
    i = members[-1]
    alone = apart(rows[b], len(members), feats[i], vecs, i)
    others = [k for k in members if k != i]
    mates, _ = block_inputs([feats[k] for k in others], [vecs[k] for k in others])
    for k, v in mates[0].items():
        if k.startswith(("m:", "v:", "size")):
            assert alone.get(k, 0.0) == pytest.approx(v, abs=1e-6)
    assert apart(rows[b], 1, feats[i], vecs, i).get("size") is None
