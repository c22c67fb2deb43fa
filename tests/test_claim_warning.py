"""Safety, contraindication, procedure and regulatory claims said as a warning or an instruction
(claimmodel.warning_features): what the line asserts is read apart from its mood."""

from __future__ import annotations

import pytest

from claimledger.copy.check import judge_units
from claimledger.copy.claimmodel import claim_model


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
        # a number outside a call, a crisis the treatment is said to ease, an emergency setting
        "In a trial of 112 adults, 64% responded within 24 hours.",
        "A study of 988 veterans found fewer suicide attempts after treatment.",
        "Ketamine can ease thoughts of suicide within hours.",
        "In the emergency department, a single dose of ketamine reduced suicidal thinking within four hours.",
        "Ketamine may reduce the urge to harm yourself in the days after an infusion.",
    ],
)
def test_a_claim_about_suicidality_is_no_crisis_line(sentence: str) -> None:
    assert "wrn:crisis" not in _one(sentence)


def test_a_crisis_hides_no_contraindication_on_the_same_line() -> None:
    got = _one(
        "If you have a history of psychosis or are in crisis, ketamine is not right for you."
    )
    assert {"wrn:history", "wrn:history_conditional"} <= got


@pytest.mark.parametrize(
    "sentence",
    [
        "Please arrive ten minutes early and bring a photo ID.",
        "Have you ever been diagnosed with psychosis or bipolar mania?",  # a form's question
        "Parking is free behind the building.",
        "Each infusion costs $495; the initial evaluation before treatment is $250.",
        # staffing, billing and insurer approval: no drug or regulator
        "Our nurses are licensed in Texas and Oklahoma.",
        "Once you are approved for financing, we will book your first session.",
        "Your treatment plan must be approved by your insurer before we can schedule.",
        # waiting with no dose to wait after
        "Please wait about 10 minutes in the lobby before your appointment.",
        "Expect to wait up to 20 minutes on busy days.",
        # nursing staff, a room arranged, medicines to bring or take: no history
        "Our nursing team checks on you every 15 minutes.",
        "Tell us if you are nursing so we can arrange a private room.",
        "Please bring a list of your medications, including any benzodiazepines or lithium.",
        "Take your usual blood pressure medicine with a sip of water.",
        # a contact line
        "Call us if you have any questions about side effects.",
    ],
)
def test_logistics_and_questions_carry_none(sentence: str) -> None:
    assert _one(sentence) == set()


def test_a_what_to_bring_checklist_carries_none() -> None:
    text = (
        "What to bring\n\nPlease bring:\n\n- a photo ID\n"
        "- a list of your medications, including any blood thinners\n"
        "- your blood pressure medication\n\n"
        "Before your appointment:\n\n- Do not eat for 4 hours\n"
        "- Take your usual blood pressure medicine with a sip of water\n- Arrange a ride home\n"
    )
    assert all(g == set() for g in _warnings(text))


@pytest.mark.parametrize(
    ("sentence", "feature"),
    [
        (
            "Spravato is approved by the FDA for treatment-resistant depression in adults.",
            "wrn:restricted",
        ),
        ("After your infusion, wait at least 2 hours before driving.", "wrn:monitored"),
        (
            "Do not use ketamine if you are breastfeeding or nursing a baby.",
            "wrn:history_conditional",
        ),
        ("Tell your doctor if you take benzodiazepines or lithium.", "wrn:instructed_history"),
    ],
)
def test_the_narrowed_cues_keep_their_sense(sentence: str, feature: str) -> None:
    assert feature in _one(sentence)


def test_the_shipped_model_weighs_the_warning_features() -> None:
    """The shipped model was retrained with the wrn: features: some unit's probability moves
    without them."""
    text = (
        "Do not use the spray if you have an aneurysm.\n\n"
        "You will be monitored for at least two hours after each dose.\n\n"
        "If you are thinking about suicide, call or text 988 right away.\n"
    )
    judged, _ = judge_units(text)
    feats = [dict(j.features) for j in judged]
    assert any(k.startswith("wrn:") for f in feats for k in f)
    bare = [{k: v for k, v in f.items() if not k.startswith("wrn:")} for f in feats]
    vectors = [j.vector for j in judged]
    model = claim_model()
    got = model.page_probabilities(feats, vectors)
    assert got != pytest.approx(model.page_probabilities(bare, vectors), abs=1e-6)
