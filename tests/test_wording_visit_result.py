"""A result promised by the end of the visit (data/wording.yaml, unqualified efficacy) and two
contradicted facts (data/facts.yaml: ketamine or esketamine called first-line by a guideline or
regulator; SSRIs called addictive). Each sentence is written here in new words; the honest
sentences of the same shape that must stay unflagged were written first (a hedged or sourced
efficacy claim, a side effect that passes before you leave, discharge logistics, an accurate
statement of where ketamine sits among treatments).
"""

from __future__ import annotations

import pytest

from claimledger.copy.facts import fact_check
from claimledger.copy.wording import lexicon_flags

KETAMINE_PAGE = ("ketamine",)


def codes(sentence: str) -> set[str]:
    return {f.code for f in lexicon_flags(sentence)}


VISIT_PROMISES = [
    "Arrive exhausted, go home calm.",
    "Most of our clients walk out of the suite lighter than they came in.",
    "Guests often leave their first appointment feeling like themselves again.",
    "You will feel better before you get up from the recliner.",
    "The heaviness lifts the same evening, every time.",
    "Book on Tuesday and feel the fog clear by the weekend.",
    "Same-day relief for stubborn depression.",
    "Each visit leaves you calmer and more focused.",
]

HONEST = [
    # hedged or sourced efficacy: some people, a possibility, a trial figure
    "Some people notice their mood lift the same evening; for others it takes several sessions.",
    "You may leave feeling calmer, though many people need a few infusions to notice a change.",
    "In one small trial, about half of participants felt better within a day of the first dose.",
    "Of those who respond, a few feel it the same day and most within a week or two.",
    # side effects that pass, and advice for the trip home
    "Feeling floaty or a little dizzy is common and usually passes before you leave.",
    "Most people feel tired on the ride home, so please bring a driver.",
    "If you feel unwell on the way home, call the number on your discharge sheet.",
    # logistics and staffing with the same words
    "A nurse checks your blood pressure again before you leave.",
    "Stay in the recovery room until you feel steady; we take your pulse once more before you leave.",
    "Rest in the recovery chair until you are steady on your feet before you go home.",
    "We will email your visit summary by Friday.",
    "No sedation is used, so you can drive yourself home and go back to work the same day.",
    "Left untreated, nerve pain rarely settles without the right care.",
]


@pytest.mark.parametrize("sentence", VISIT_PROMISES)
def test_a_result_promised_by_the_end_of_the_visit_is_flagged(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" in codes(sentence)


@pytest.mark.parametrize("sentence", HONEST)
def test_honest_lines_about_the_visit_are_not_flagged(sentence: str) -> None:
    assert codes(sentence) == set()


WRONG_FACTS = [
    (
        "Veterans should know the VA now endorses ketamine as first-line care for PTSD.",
        KETAMINE_PAGE,
        "ketamine",
    ),
    (
        "It is listed in national guidelines as a first-line treatment for anxiety.",
        KETAMINE_PAGE,
        "ketamine",
    ),
    ("Spravato has become a first-line treatment for major depression.", (), None),
    ("Your daily SSRI is more habit-forming than a supervised infusion.", KETAMINE_PAGE, "ssri"),
    ("Antidepressants get you hooked within months.", (), None),
]

ACCURATE = [
    (
        "Ketamine is not a first-line treatment; guidelines reserve it for depression that has not responded to other options.",
        KETAMINE_PAGE,
        "ketamine",
    ),
    (
        "Talk therapies such as cognitive processing therapy remain first-line for PTSD, and we offer ketamine alongside them.",
        KETAMINE_PAGE,
        "ketamine",
    ),
    ("Doctors consider esketamine after first-line antidepressants have not helped.", (), None),
    (
        "SSRIs are not addictive, although stopping them suddenly can cause discontinuation symptoms.",
        (),
        None,
    ),
    ("Many people worry that antidepressants are addictive.", (), None),
    ("Are antidepressants addictive?", (), None),
    (
        "Unlike antidepressants, ketamine has some potential for misuse, so we screen every patient.",
        KETAMINE_PAGE,
        "ketamine",
    ),
]


@pytest.mark.parametrize(("sentence", "page", "treatment"), WRONG_FACTS)
def test_a_first_line_or_addictive_ssri_claim_is_a_misstated_fact(
    sentence: str, page: tuple[str, ...], treatment: str | None
) -> None:
    flag = fact_check(sentence, page, treatment)
    assert flag is not None and flag[0] == "MISSTATED_FACT"
    assert "according to" in flag[1]


@pytest.mark.parametrize(("sentence", "page", "treatment"), ACCURATE)
def test_accurate_statements_of_the_same_shape_are_not_flagged(
    sentence: str, page: tuple[str, ...], treatment: str | None
) -> None:
    assert fact_check(sentence, page, treatment) is None
