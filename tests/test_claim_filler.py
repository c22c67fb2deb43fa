"""What a filler line does that its claim words hide (claimmodel.filler_features): it reports what
people ask or what the reader has heard, or its efficacy words are used in a sense that names no
result ("mental health", "how it works", "recovery lounge")."""

from __future__ import annotations

import pytest

from claimledger.copy.check import judge_units
from claimledger.copy.claimmodel import claim_model


def _features(sentence: str) -> dict[str, float]:
    judged, _ = judge_units(sentence)
    assert len(judged) == 1
    return dict(judged[0].features)


@pytest.mark.parametrize(
    "sentence",
    [
        "Patients often ask us how TMS compares with ketamine infusions.",
        "The number one question we hear is what the infusion feels like.",
        "When two or three antidepressants haven't helped, families often ask us whether ketamine might.",
        "You may have heard about ketamine and Spravato as newer treatments for depression.",
        "If you have tried medication after medication without lasting relief, you are not alone.",
        "It's a fair question, since both often get lumped together as psychedelic therapy.",
    ],
)
def test_a_reported_question_is_read(sentence: str) -> None:
    f = _features(sentence)
    assert f.get("fill:asked") == 1.0
    assert f.get("fill:asked_only") == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        # the line answers the question it reports: it claims
        "Memory problems are the side effect people worry about most: some patients forget events.",
        "Stellate ganglion block is another option some veterans ask about; evidence for it is still mixed.",
        # a relative clause answers the worry; what the reader heard is the claim itself
        "Some patients worry about dissociation, which usually fades within two hours.",
        "Patients often ask about nausea, which affects about one in ten people after an infusion.",
        "You may have heard that ketamine works in hours rather than weeks.",
    ],
)
def test_a_reported_question_with_its_answer_is_not_only_asked(sentence: str) -> None:
    f = _features(sentence)
    assert f.get("fill:asked") == 1.0
    assert "fill:asked_only" not in f


@pytest.mark.parametrize(
    "sentence",
    [
        "Ketamine can ease depression within hours.",
        "We may ask for a note from your therapist or recent blood pressure readings.",
        "Please ask your nurse before you stand up.",
    ],
)
def test_no_reported_question(sentence: str) -> None:
    assert not any(k.startswith("fill:asked") for k in _features(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "Complete a short online mental-health assessment.",
        "Our recovery lounge has reclining chairs and warm blankets.",
        "Our team will check your insurance benefits before your first visit.",
        "Last spring our clinic moved to a bigger building on Main Street.",
    ],
)
def test_efficacy_words_in_a_sense_that_names_no_result(sentence: str) -> None:
    f = _features(sentence)
    assert f.get("efficacy_word") == 1.0
    assert f.get("fill:efficacy_idiom") == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "Ketamine can ease depression within hours.",
        "Sessions last 60 or 90 minutes.",  # "last" the verb: how long a session is
        "Many patients feel better after the first infusion, and mental health care is changing.",
        "Ketamine helps many people in early recovery stay sober.",
        # result senses in claim copy: durability, superiority, a share helped, scare quotes,
        # mechanism, a symptom gone, boosters keeping relief, support, meaning-making
        "The effects of one infusion typically last one to two weeks.",
        "Ketamine is a better choice than ECT for most patients with severe depression.",
        "We have helped 87% of patients who had failed two antidepressants.",
        'Ketamine can "reset" the depressed brain in a single session.',
        "Ketamine works with your brain's glutamate system to rebuild connections.",
        "After a course of infusions, most patients no longer feel nervous in crowds.",
        "Ketamine can make talk therapy work faster.",
        "Booster infusions every few weeks keep depression from coming back.",
        "A healthier, happier you starts with one infusion.",
        "Ketamine may support people with treatment-resistant depression.",
        "Ketamine-assisted therapy helps patients make sense of traumatic memories.",
        "Ketamine helps you find your way back to yourself.",
        # a treatment said to do something: its effect words are no idiom
        "Ketamine is good for your mental health.",
        "Regular sessions support your emotional wellbeing.",
    ],
)
def test_an_efficacy_word_said_of_a_result_is_not_an_idiom(sentence: str) -> None:
    f = _features(sentence)
    assert f.get("efficacy_word") == 1.0
    assert "fill:efficacy_idiom" not in f


def weighed(prefix: str, text: str) -> None:
    """The shipped model, retrained with the features named ``prefix...``, weighs them: some
    unit of ``text`` gets another probability without them (the model was retrained on them)."""
    model = claim_model()
    judged, _ = judge_units(text)
    feats = [dict(j.features) for j in judged]
    assert any(k.startswith(prefix) for f in feats for k in f), "the text must carry the features"
    bare = [{k: v for k, v in f.items() if not k.startswith(prefix)} for f in feats]
    vectors = [j.vector for j in judged]
    with_keys = model.page_probabilities(feats, vectors)
    without = model.page_probabilities(bare, vectors)
    assert with_keys != pytest.approx(without, abs=1e-6)


def test_the_shipped_model_weighs_the_filler_features() -> None:
    text = (
        "Complete a short online mental-health assessment.\n\n"
        "Patients often ask us how TMS compares with ketamine infusions.\n\n"
        "Ketamine can ease depression within hours.\n"
    )
    weighed("fill:", text)
