"""A claim said as the reason for something else (claimmodel.reason_features), and the training
labels of a claim label's minor pieces (benchmarks/train_claims.py _unit_labels)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from claimledger.copy.check import judge_units

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from copy_accuracy import Label, LabelledSet  # type: ignore[import-not-found]
from train_claims import _unit_labels  # type: ignore[import-not-found]


def _features(sentence: str) -> dict[str, float]:
    judged, _ = judge_units(sentence)
    assert len(judged) == 1
    return dict(judged[0].features)


@pytest.mark.parametrize(
    "sentence",
    [
        "Don't drive until the next day, because ketamine can slow your reactions for hours.",
        "Yes, and you'll need a ride home anyway, because it affects coordination and judgement.",
        "Eat lightly beforehand, as the infusion can cause nausea.",
        "Skip caffeine that morning, since esketamine may raise your blood pressure.",
    ],
)
def test_a_reason_that_says_what_the_treatment_does_is_read(sentence: str) -> None:
    assert _features(sentence).get("rsn:treatment_does") == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "Please arrive ten minutes early because we want you to feel settled.",
        "We ask you to stay for 30 minutes so our nurse can check on you.",
        "Bring a friend as well as your photo ID.",
        "Ketamine can slow your reactions for several hours.",  # a claim, but no reason clause
        "Call us today, because your questions deserve answers.",
        # logistics lines whose reason is about the clinic or the reader (review of recall20)
        "Please let us know as soon as it suits you, and we will schedule your visit.",
        "This is why we offer it at three locations, so you can choose the closest one.",
        "We offer TMS as well as ketamine infusions, and our staff will gladly answer your questions.",
        "We will call you the day before, so your ketamine appointment can be confirmed.",
        "Please arrive early because we want it to go smoothly and you may need to fill in forms.",
    ],
)
def test_a_reason_about_the_clinic_or_the_reader_is_not(sentence: str) -> None:
    assert "rsn:treatment_does" not in _features(sentence)


def _labels(text: str, labels: list[tuple[str, str]]) -> list[tuple[str, int | None]]:
    s = LabelledSet("t", [], [Label(0, t, lab, None, None) for t, lab in labels])
    judged, _ = judge_units(text)
    ys = _unit_labels(s, 0, text, judged)
    return [(j.unit.sentence.strip(), y) for j, y in zip(judged, ys, strict=True)]


def test_a_signature_on_a_testimonials_line_takes_no_claim_label() -> None:
    """The checker never reports a signature by the model: the quotation carries the label."""
    line = '"After years of trying pill after pill, I finally have my life back." — Dana R., 52'
    got = dict(_labels(line, [(line, "overstated")]))
    assert got.pop("— Dana R., 52") is None
    assert list(got.values()) == [1]


def test_a_signature_labelled_on_its_own_keeps_its_label() -> None:
    text = '"After years of trying, I finally have my life back."\n— Dana R., 52\n'
    quote = '"After years of trying, I finally have my life back."'
    got = dict(_labels(text, [(quote, "overstated"), ("— Dana R., 52", "none")]))
    assert got == {quote: 1, "— Dana R., 52": 0}


def test_a_small_piece_of_a_claim_label_takes_no_label_the_main_sentence_keeps_it() -> None:
    line = (
        "Great question! Most patients notice their mood lifting within a day or two of the "
        "first infusion, and the effect builds over the series."
    )
    got = _labels(line, [(line, "claim")])
    assert [y for _, y in got] == [None, 1]


def test_a_short_real_claim_inside_a_longer_claim_label_keeps_its_label() -> None:
    """Review of recall20: the share rule must not unlabel a short sentence that is a claim."""
    line = (
        "Ketamine works fast. Most patients notice their mood lifting within a day or two of the "
        "first infusion, and the effect builds over the series."
    )
    got = _labels(line, [(line, "claim")])
    assert [y for _, y in got] == [1, 1]


@pytest.mark.parametrize("minor", ["(11:20)", "A: No.", "Great question!"])
def test_a_time_stamp_or_a_bare_answer_before_a_claim_takes_no_label(minor: str) -> None:
    line = f"{minor} Ketamine helps most people a lot over time, and the effect builds."
    got = _labels(line, [(line, "claim")])
    assert [y for _, y in got] == [None, 1]


def test_a_tagline_of_equal_pieces_keeps_the_label_on_each() -> None:
    line = "Safe. Gentle. Proven."
    got = _labels(line, [(line, "claim")])
    assert len(got) == 3 and all(y == 1 for _, y in got)
