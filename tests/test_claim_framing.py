"""Editorial framing (claimmodel.framing_features): the SEO article's register, read as features."""

from __future__ import annotations

import pytest

from claimledger.copy.check import judge_units


def _features(sentence: str) -> dict[str, float]:
    judged, _ = judge_units(sentence)
    assert len(judged) == 1
    return dict(judged[0].features)


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("In this guide, we will explore how ketamine care came to be.", {"article", "announce"}),
        ("Let's take a closer look at the science behind infusion therapy.", {"announce"}),
        ("Understanding ketamine care requires looking at its history and its uses.",
         {"understanding"}),
        ("The story of ketamine is a fascinating one.", {"explore", "topic_praise"}),
        ("In conclusion, there is a lot to think about before booking a consult.", {"summary"}),
    ],
)  # fmt: skip
def test_a_framing_line_that_asserts_nothing_is_bare(sentence: str, kinds: set[str]) -> None:
    f = _features(sentence)
    assert {f"frame:{k}" for k in kinds} <= set(f)
    assert f["frame:bare"] == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "In this post we explain why ketamine works within hours.",
        "As we've seen, studies show ketamine reduces suicidal thoughts within a day.",
        "In this article: ketamine is not addictive at clinical doses.",
    ],
)
def test_a_framing_line_that_carries_a_claim_is_not_bare(sentence: str) -> None:
    f = _features(sentence)
    assert any(k.startswith("frame:") for k in f)
    assert "frame:bare" not in f


@pytest.mark.parametrize(
    "sentence",
    [
        "We'll review your history before we start.",
        "We will discuss your options at the consult.",
        "Ketamine's effect on mood is remarkable.",
        "In this study, ketamine was given as an investigational drug.",
    ],
)
def test_clinic_process_and_claims_are_not_framing(sentence: str) -> None:
    assert not any(k.startswith("frame:") for k in _features(sentence))
