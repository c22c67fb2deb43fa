"""Claim content read with the line's frame (claimmodel.interaction_features, "ix:").

All copy here is written for these tests (no clinic's words)."""

from __future__ import annotations

import pytest

from claimledger.copy.check import judge_units
from claimledger.copy.claimmodel import (
    INTERACT,
    ClaimModel,
    claim_model,
    interaction_features,
    page_features,
)
from claimledger.data.embedding import Vector

PAGE = """Ketamine Care at Harbour Lane

Ask us how ketamine infusions can ease depression within hours.

Ketamine infusions eased depressive symptoms within hours for many people in trials.

We accept most major insurance plans for the consultation.

Call 555-0142 to book your first visit.
"""


def _units() -> tuple[list[dict[str, float]], list[Vector]]:
    judged, _ = judge_units(PAGE, "txt")
    return [dict(j.features) for j in judged], [j.vector for j in judged]


def test_claim_content_is_crossed_with_the_lines_frame() -> None:
    f = {"effect": 0.5, "rule": 1.0, "mood:imperative": 1.0, "capitalised": 0.25, "price": 0.0}
    got = interaction_features(f)
    assert got == {
        f"{INTERACT}effect*mood:imperative": 0.5,
        f"{INTERACT}effect*capitalised": 0.125,
        f"{INTERACT}rule*mood:imperative": 1.0,
        f"{INTERACT}rule*capitalised": 0.25,
    }
    # no claim content, or no frame: nothing to cross
    assert interaction_features({"mood:imperative": 1.0, "logistics": 1.0}) == {}
    assert interaction_features({"effect": 1.0, "cond": 0.5}) == {}


def test_an_instruction_and_a_statement_with_the_same_claim_words_differ() -> None:
    judged, _ = judge_units(PAGE, "txt")
    by = {j.unit.sentence.split()[0]: interaction_features(j.features) for j in judged}
    assert by["Ask"][f"{INTERACT}effect*mood:imperative"] > 0
    assert f"{INTERACT}effect*mood:imperative" not in by["Ketamine"]
    assert by["Ketamine"]  # the statement's claim words have frames of their own (a clause)


def test_page_scoring_reads_the_pairings_as_the_trained_features_do() -> None:
    feats, vecs = _units()
    full = page_features(feats, vecs)
    paired = {k for f in full for k in f if k.startswith(INTERACT)}
    assert paired  # the page has claim words in more than one frame
    # own only: no neighbour, section- or page-mate reads a unit's pairings
    assert not any(INTERACT in k and not k.startswith(INTERACT) for f in full for k in f)
    weights = {
        "rule": 1.0,
        "nb:rule": 0.4,
        **{k: 0.3 * (i % 3 - 1) for i, k in enumerate(sorted(paired))},
    }
    m = ClaimModel(weights, -0.3, 0.5)
    fast = m.page_probabilities(feats, vecs)
    assert fast == pytest.approx([m.probability(f) for f in full], abs=1e-12)
    plain = ClaimModel({"rule": 1.0, "nb:rule": 0.4}, -0.3, 0.5).page_probabilities(feats, vecs)
    assert fast != pytest.approx(plain)


def test_a_model_without_pairing_weights_scores_as_before() -> None:
    """A model with no "ix:" weight (the shipped one before a retrain) reads the pairings as
    unweighted: its page scores equal its scores of the trained features without them."""
    feats, vecs = _units()
    m = claim_model()
    unpaired = ClaimModel(
        {k: v for k, v in m.weights.items() if not k.startswith(INTERACT)},
        m.bias,
        m.threshold,
        m.prior,
        m.block,
    )
    full = page_features(feats, vecs, m.prior)
    assert any(k.startswith(INTERACT) for f in full for k in f)
    bare = [{k: v for k, v in f.items() if not k.startswith(INTERACT)} for f in full]
    fast = unpaired.page_probabilities(feats, vecs)
    assert fast == pytest.approx([unpaired.probability(f) for f in bare], abs=1e-9)
    assert fast == pytest.approx([unpaired.probability(f) for f in full], abs=1e-12)
