"""The learned claim-likeness model and the wording concepts broadened in round two.

All copy here is written for these tests (no clinic's words)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.copy.check import check_text, judge_units
from claimledger.copy.claimmodel import ClaimModel, claim_model, length_bucket
from claimledger.copy.wording import lexicon_flags
from claimledger.library.claims import load_claims

LIBRARY = load_claims(Path(__file__).resolve().parents[1] / "claims.yaml")


def test_probability_follows_weights_and_threshold() -> None:
    m = ClaimModel({"a": 2.0, "b": -2.0}, 0.0, 0.6)
    assert m.probability({}) == pytest.approx(0.5)
    assert m.probability({"a": 1.0}) > 0.8 > 0.2 > m.probability({"b": 1.0})
    assert m.is_claim({"a": 1.0}) and not m.is_claim({})


@pytest.mark.parametrize(
    ("words", "bucket"), [(2, "fragment"), (6, "short"), (20, "ordinary"), (40, "long")]
)
def test_length_bucket(words: int, bucket: str) -> None:
    assert length_bucket(words) == bucket


def test_shipped_model_has_a_threshold_and_uses_the_rules() -> None:
    m = claim_model()
    assert 0.0 < m.threshold < 1.0
    assert m.weights["rule"] > 0  # round one's verdict is evidence, not the whole answer


PAGE = """Ketamine Care at Harbour Lane

Parking is free behind the building.

Ketamine infusions eased depressive symptoms within hours for many people in trials.

Call 555-0142 to book your first visit.
"""


def test_model_separates_a_claim_from_filler() -> None:
    judged, _ = judge_units(PAGE, "txt")
    m = claim_model()
    by_text = {j.unit.norm: m.probability(j.features) for j in judged}
    claim = next(p for s, p in by_text.items() if s.startswith("Ketamine infusions eased"))
    parking = next(p for s, p in by_text.items() if s.startswith("Parking"))
    assert claim >= m.threshold > parking
    found = [f.sentence for f in check_text("page", PAGE, LIBRARY, {}).findings]
    assert any(s.startswith("Ketamine infusions eased") for s in found)
    assert not any(s.startswith(("Parking", "Call")) for s in found)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Relief in hours, not weeks, for your low mood.", "UNQUALIFIED_EFFICACY"),
        ("A zero-risk path out of depression.", "ABSOLUTE_SAFETY"),
        ("The gentlest treatment for stubborn pain.", "PUFFERY"),
        ("Most guests notice a difference after one weekend.", "UNSUPPORTED_FIGURE"),
        ("61% of clients saw their scores drop.", "UNSUPPORTED_FIGURE"),
        ("Six in ten clients respond after two visits.", "UNSUPPORTED_FIGURE"),
        ("Practically no side effects, ever.", "ABSOLUTE_SAFETY"),
        ("Take your life back from chronic pain.", "UNQUALIFIED_EFFICACY"),
        ("A science-backed answer to low mood.", "UNQUALIFIED_EFFICACY"),
        ("Hardly any side effects compared with pills.", "MINIMISATION"),
    ],
)
def test_broadened_wording_concepts(sentence: str, code: str) -> None:
    assert code in {f.code for f in lexicon_flags(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        "A 5% rise in blood pressure during the session is common.",
        "Relief may take several sessions for some people.",
        "Rare side effects include a brief rise in heart rate.",
    ],
)
def test_accurate_lines_stay_unflagged(sentence: str) -> None:
    assert lexicon_flags(sentence) == []
