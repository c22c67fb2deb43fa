"""Safety, contraindication, procedure and regulatory claims said as a warning or an instruction
(claimmodel.warning_features): what the line asserts is read apart from its mood."""

from __future__ import annotations

import pytest

from claimledger.copy.check import judge_units


def _warnings(text: str) -> list[set[str]]:
    judged, _ = judge_units(text)
    return [{k for k in j.features if k.startswith("wrn:")} for j in judged]


def _one(sentence: str) -> set[str]:
    got = _warnings(sentence)
    assert len(got) == 1
    return got[0]


@pytest.mark.parametrize(
    "sentence",
    [
        "Do not use the spray if you have an aneurysm or have had bleeding in the brain.",
        "Let your doctor know if you are pregnant or have a history of psychosis.",
        "You should not receive esketamine if you have uncontrolled high blood pressure.",
    ],
)
def test_a_medical_history_the_reader_is_told_about_is_read(sentence: str) -> None:
    assert {"wrn:history_conditional", "wrn:instructed_history"} <= _one(sentence)


def test_an_item_under_a_conditional_intro_reads_the_intro() -> None:
    text = "Do not use esketamine if you have:\n\n- an aneurysm\n- a history of psychosis\n"
    got = _warnings(text)
    assert got[1] >= {"wrn:history", "wrn:history_conditional"}
    assert got[2] >= {"wrn:history", "wrn:history_conditional"}


def test_an_item_under_a_who_should_not_heading_reads_the_heading() -> None:
    text = "## Who should not have ketamine\n\n- pregnancy\n- active substance use disorder\n"
    got = _warnings(text)
    assert all("wrn:history_conditional" in g for g in got[1:]), got


@pytest.mark.parametrize(
    ("sentence", "feature"),
    [
        ("You will be monitored for at least two hours after each dose.", "wrn:monitored"),
        ("Patients stay in the clinic for at least 2 hours afterwards.", "wrn:monitored"),
        ("It is available only through a restricted program called a REMS.", "wrn:restricted"),
        ("Ketamine is not FDA-approved for postpartum depression.", "wrn:restricted"),
        ("Do not drive until the next day, as you may feel sleepy.", "wrn:instructed_risk"),
        ("Every new patient has a psychiatric evaluation before treatment.", "wrn:care_step"),
        ("We take a blood pressure reading before each infusion.", "wrn:care_step"),
    ],
)
def test_care_access_and_risk_in_the_instruction_register_are_read(
    sentence: str, feature: str
) -> None:
    assert feature in _one(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "If you are thinking about suicide, call or text 988 right away.",
        "If you are in crisis, go to your nearest emergency room.",
    ],
)
def test_crisis_line_text_is_marked_apart(sentence: str) -> None:
    assert _one(sentence) == {"wrn:crisis"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Please arrive ten minutes early and bring a photo ID.",
        "Have you ever been diagnosed with psychosis or bipolar mania?",  # a form's question
        "Parking is free behind the building.",
        "Each infusion costs $495; the initial evaluation before treatment is $250.",
    ],
)
def test_logistics_and_questions_carry_none(sentence: str) -> None:
    assert _one(sentence) == set()
