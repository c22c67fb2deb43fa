"""How a results page's figures were gathered (claimmodel.report_features): where they come from
and what they cover, or the act of gathering them. Without a result in the line it qualifies a
result said elsewhere and asserts none ("rpt:*_only"); with one it keeps its claim cues.
Sentences written for the test (synthetic), not copied from any page."""

from __future__ import annotations

import pytest

from claimledger.copy.check import judge_units


def _features(sentence: str) -> dict[str, float]:
    judged, _ = judge_units(sentence)
    assert len(judged) == 1
    return dict(judged[0].features)


@pytest.mark.parametrize(
    "sentence",
    [
        "*Based on an internal survey of 310 members who finished their first month.",
        "These figures come from our own records and have not been peer reviewed.",
        "The numbers above include only the patients who completed all six infusions.",
        "This is not a controlled study, and there was no comparison group.",
    ],
)
def test_where_the_figures_come_from_without_a_result(sentence: str) -> None:
    f = _features(sentence)
    assert f.get("rpt:source") == 1.0
    assert f.get("rpt:source_only") == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "Our internal data show a 68% response rate after the induction series.",
        "In our own patient survey, scores fell from 19 to 9 on average.",
        "Based on our records, 7 in 10 patients reported less pain after three infusions.",
    ],
)
def test_a_source_with_its_result_is_not_only_a_source(sentence: str) -> None:
    f = _features(sentence)
    assert f.get("rpt:source") == 1.0
    assert "rpt:source_only" not in f


def test_the_act_of_measuring_is_read() -> None:
    f = _features("Each client fills in a GAD-7 questionnaire before every session.")
    assert f.get("rpt:measure") == 1.0
    assert f.get("rpt:measure_only") == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "Ketamine can ease depression within hours.",
        "Most patients feel a little dizzy during the infusion.",
        "Book your first consultation today.",
    ],
)
def test_other_lines_carry_no_report_feature(sentence: str) -> None:
    assert not any(k.startswith("rpt:") for k in _features(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        'Myth #4: "Ketamine always causes hallucinations."',
        'Slide 3: MYTH: "You will be unconscious the whole time."',
        "2. Misconception: one infusion fixes depression for good.",
    ],
)
def test_a_myth_quoted_to_be_refuted_is_read(sentence: str) -> None:
    f = _features(sentence)
    assert f.get("said:myth") == 1.0
    assert f.get("said:myth_only") == 1.0


def test_a_myth_answered_on_its_line_is_not_only_a_myth() -> None:
    f = _features("MYTH: it is addictive; FACT: not at the doses used in clinics.")
    assert f.get("said:myth") == 1.0
    assert "said:myth_only" not in f
    assert "said:myth" not in _features(
        "Many myths about ketamine come from its use as a party drug."
    )
