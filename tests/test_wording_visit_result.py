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
    "Same-day relief for stubborn depression.",
    "Each visit leaves you calmer and more focused.",
    "Step into the lounge worn down and step out feeling like yourself.",
    "Your depression lifts before you walk out of our doors.",
    "Expect to feel lighter on the ride home after your very first infusion.",
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
    # a negation or a possibility, said of the result itself
    "Nobody walks out calm after one visit; improvement builds over a course of sessions.",
    "You could leave lighter, but most people need several infusions before they notice it.",
    # a sourced figure
    "A 2006 trial found 71% of patients felt better the same day (Zarate 2006).",
    "Researchers reported that a third of participants felt calmer on the drive home.",
    # recovery that is not a result of treatment, and times that are not the visit
    "Most people are ready to drive again by tomorrow morning.",
    "The numbness in your arm usually goes away by tonight.",
    "Patients often notice their mood improve over the first week of treatment.",
    # the patient asked how they feel, or logistics with the same time words
    "Please text us how you are feeling before you leave so the nurse can update your chart.",
    "Call the clinic the same day if anything feels wrong.",
    "We send your results to your psychiatrist the same day.",
    "Please don't leave without the pain diary we hand you at check-in.",
    "Most people go home with a written plan, feeling better informed about their options.",
]

# the honest lines the review found flagged (review18, eff18 finding 1), as written there
REVIEWED_HONEST = [
    "You can get back on your normal schedule by tomorrow.",
    "Any headache usually stops by tomorrow.",
    "Most people are back on their feet by tonight.",
    "Let us know how you feel by Friday so we can plan your next session.",
    "How you feel before you leave matters to us, so tell the nurse about any discomfort.",
    "Tell us how you're feeling on the drive home by texting our nurse line.",
    "Feeling better the same day is not typical; most people notice change over several sessions.",
    "Patients could walk out feeling lighter, though this is not guaranteed.",
    "Studies report that 50-70% of patients feel better by the end of the first week (Wilkinson 2018).",
    "In the trial, patients reported feeling better the same day in about a third of cases (Berman 2000).",
]


@pytest.mark.parametrize("sentence", VISIT_PROMISES)
def test_a_result_promised_by_the_end_of_the_visit_is_flagged(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" in codes(sentence)


@pytest.mark.parametrize("sentence", HONEST)
def test_honest_lines_about_the_visit_are_not_flagged(sentence: str) -> None:
    assert codes(sentence) == set()


@pytest.mark.parametrize("sentence", REVIEWED_HONEST)
def test_honest_lines_the_review_found_are_not_called_unqualified(sentence: str) -> None:
    # one of them ("most people notice change") keeps main's UNSUPPORTED_FIGURE flag
    assert "UNQUALIFIED_EFFICACY" not in codes(sentence)


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
    (
        "Under the new APA guidance, esketamine is the first-line choice for depression.",
        (),
        None,
    ),
    ("The FDA has cleared ketamine as a first-line option for major depression.", (), None),
    ("Your daily SSRI is more habit-forming than a supervised infusion.", KETAMINE_PAGE, "ssri"),
    ("Antidepressants get you hooked within months.", (), None),
    ("Zoloft and Lexapro are highly addictive, so quitting them is hard.", (), None),
    ("Our view is simple: SSRIs can be as habit-forming as opioids.", (), None),
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
    # anaesthetic and emergency use, where ketamine is first-line; practice, not a guideline
    ("Paramedics carry ketamine as a first-line analgesic for roadside injuries.", (), None),
    ("Surgeons have approved ketamine as a first-line induction agent for decades.", (), None),
    ("The NICE trial team wrote that first-line SSRIs had failed in every participant.", (), None),
    ("A few psychiatrists prescribe ketamine as a first-line treatment for depression.", (), None),
    # another drug is the addictive one, or SSRIs are said to carry little risk
    ("Opioids, unlike antidepressants, can be habit-forming.", (), None),
    ("Compared with SSRIs, benzodiazepines are addictive.", (), None),
    ("SSRIs are seldom habit-forming, whereas alcohol is addictive.", (), None),
    ("Paxil has a low risk of misuse; benzodiazepines are far more addictive.", (), None),
]

# the accurate lines the review found flagged (review18, eff18 findings 3 and 4), as written there
REVIEWED_ACCURATE = [
    "Unlike SSRIs, opioids are addictive.",
    "Benzodiazepines, unlike SSRIs, are addictive.",
    "Prozac works differently from opioids, which are addictive.",
    "Nicotine and SSRIs: only nicotine is addictive.",
    "Unlike benzodiazepines, SSRIs are rarely addictive.",
    "In emergency medicine, ketamine is recommended as a first-line sedative for children.",
    "The FDA has approved ketamine as a first-line anesthetic since 1970.",
    "Ketamine has a nice safety record as a first-line anaesthetic in field hospitals.",
    "Some physicians now use ketamine as a first-line treatment for depression.",
]


@pytest.mark.parametrize("sentence", REVIEWED_ACCURATE)
def test_accurate_lines_the_review_found_are_not_flagged(sentence: str) -> None:
    assert fact_check(sentence, KETAMINE_PAGE, "ketamine") is None
    assert fact_check(sentence) is None


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
