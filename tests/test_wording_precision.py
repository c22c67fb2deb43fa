"""Wording rules by what a sentence means to a reviewer: a disclaimed guarantee and a yes/no
question assert nothing; a condition "switched off", a benefit "that lasts a lifetime" and a
side effect likened to a cup of tea overstate. Each cue has honest sentences it must leave alone."""

from __future__ import annotations

import pytest

from claimledger.copy.wording import answer_flags, lexicon_flags


def _codes(sentence: str) -> set[str]:
    return {f.code for f in lexicon_flags(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        # the typicality disclaimer 16 CFR 255.2 asks for: a guarantee disclaimed
        "Results are not guaranteed.",
        "Results not guaranteed. Nestwell is not for emergencies.",
        "Testimonials reflect individual experiences and are not a guarantee of results.",
        "Outcome figures are from our records and do not guarantee results for any individual.",
        "We cannot guarantee that ketamine will work for you.",
        "There is no guarantee that any treatment works.",
    ],
)
def test_a_disclaimed_guarantee_is_no_promise(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" not in _codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Results are guaranteed.",
        "Ketamine works, guaranteed.",
        # the disclaimer withdraws its own clause only
        "There is no guarantee with pills, but ketamine works every time, guaranteed.",
    ],
)
def test_a_guarantee_given_stays_flagged(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" in _codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Does it work for everyone?",
        "Q: Is it better than antidepressants?",
        "Is it a cure?",
        "Will I need it forever?",
        'Is it just another drug?"',
    ],
)
def test_a_yes_no_question_asserts_nothing(sentence: str) -> None:
    assert not _codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Did you know ketamine works for everyone?",
        "Do you deserve relief that lasts forever?",
        "Why wait weeks when ketamine works for everyone in hours?",
    ],
)
def test_a_question_that_tells_is_read(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" in _codes(sentence)


def test_an_affirmed_question_is_still_read_as_the_statement() -> None:
    flags = answer_flags("Is it better than antidepressants?", "Yes.")
    assert {f.code for f in flags} == {"COMPARATIVE_SUPERIORITY"}


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Put simply, ketamine switches anxiety off.", "UNQUALIFIED_EFFICACY"),
        ("Racing thoughts? Ketamine switches them off.", "UNQUALIFIED_EFFICACY"),
        ("It shuts off suicidal thinking before you leave.", "UNQUALIFIED_EFFICACY"),
        ("Relief you can feel in a day. Freedom that lasts a lifetime.", "UNQUALIFIED_EFFICACY"),
        ("Other than that, it's about as risky as a cup of chamomile tea.", "MINIMISATION"),
        ("Honestly, it's about as dramatic as a glass of wine.", "MINIMISATION"),
        ("With careful screening these concerns are largely theoretical.", "MINIMISATION"),
    ],
)
def test_category_cues(sentence: str, code: str) -> None:
    assert code in _codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Turn off your phone before the infusion.",
        "We switch off the lights and play soft music.",
        "Ketamine may help switch off racing thoughts for a while.",
        # a pump or a phone turned off, and a denial of the metaphor (review of session 14)
        "The infusion pump turns it off automatically when the dose is complete.",
        "Please switch them off before your session begins.",
        "Ketamine is not an off switch for depression, and most patients need several sessions.",
        "Ketamine doesn't switch depression off; most people need a series of sessions.",
        "Depression can last a lifetime without treatment.",
        "We serve a cup of herbal tea after every session.",
        "It is hardly a surprise that people ask about side effects.",
        "Nausea is a common side effect, and the warnings on the label are real.",
        "Our team answers your concerns before the first session.",
    ],
)
def test_honest_sentences_near_the_cues(sentence: str) -> None:
    assert not _codes(sentence) & {"UNQUALIFIED_EFFICACY", "MINIMISATION"}


@pytest.mark.parametrize(
    "sentence",
    [
        # framing that introduces testimonials states no result itself
        "What Our Patients Say",
        "Real People. Real Results.",
        "Hear From Our Patients",
        "What Members Are Saying",
        "Don't just take our word for it.",
    ],
)
def test_testimonial_framing_is_not_a_testimonial(sentence: str) -> None:
    assert "TESTIMONIALS_AS_PROOF" not in _codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Most of our patients tell us they feel like themselves again after their second visit.",
        "Our patients tell us ketamine worked when everything else failed.",
        "Patients keep saying it changed their lives.",
    ],
)
def test_what_patients_are_said_to_report_is_still_a_testimonial(sentence: str) -> None:
    assert "TESTIMONIALS_AS_PROOF" in _codes(sentence)


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("Each works differently, and the best choice depends on your health history.", False),
        ("We compare both side by side so you can make the best choice for you.", False),
        ("Safety is the number one question we get, so let's talk about it.", False),
        ("We are the number one ketamine clinic in Ohio.", True),
        ("Ketamine is the best treatment for depression.", True),
    ],
)
def test_a_superlative_about_choosing_is_no_puffery(sentence: str, flagged: bool) -> None:
    assert ("PUFFERY" in _codes(sentence)) is flagged


def test_effectiveness_of_another_treatment_is_no_promise() -> None:
    rival = "ECT remains a highly effective option for severe depression."
    own = {f.code for f in lexicon_flags(rival)}
    other = {f.code for f in lexicon_flags(rival, own=False, treatment="ect")}
    assert "UNQUALIFIED_EFFICACY" in own
    assert "UNQUALIFIED_EFFICACY" not in other
    # a universal promise about another treatment is still flagged
    assert "UNQUALIFIED_EFFICACY" in {
        f.code for f in lexicon_flags("ECT works for everyone.", own=False, treatment="ect")
    }


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("No single treatment works for everyone, and the right choice depends on you.", False),
        ("No medication is right for everyone.", False),
        ("No other treatment works like this, and ketamine works for everyone.", True),
    ],
)
def test_denying_a_universal_result_is_no_promise(sentence: str, flagged: bool) -> None:
    assert ("UNQUALIFIED_EFFICACY" in _codes(sentence)) is flagged


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("Ready to feel like yourself again?", False),
        ("Want to know whether ketamine is safe for you?", False),
        ("Tired of pills that never work?", False),
        ("Why is ketamine the safest antidepressant there is?", True),
        ("Isn't it time to try the one thing that works for everyone?", True),
        ("Ready to feel like yourself again? Ketamine works for everyone.", True),
        # an invitation that promises a cure or permanence still tells (review of session 14)
        ("Ready to be depression-free for good?", True),
        ("Tired of waiting for a cure that lasts forever? One infusion cures it.", True),
        ("Would you believe ketamine works for 9 out of 10 patients?", True),
    ],
)
def test_an_invitation_put_as_a_question_asks(sentence: str, flagged: bool) -> None:
    assert bool(_codes(sentence)) is flagged
