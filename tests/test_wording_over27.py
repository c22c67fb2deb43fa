"""Session 26 (over27): safety guaranteed by the setting, and a harm waved away, in new words.

A reaction "caught before it can become a problem" or "nothing left to chance", danger denied
outright ("never in any danger", "no such thing as a bad trip"), harm said not to happen in the
clinic ("here, that simply doesn't happen"), and a harm too small to matter or nothing to think
about. Each promises safety or plays a risk down; the accurate forms (what the team does, a
risk named, a possibility, a denial of a myth with no setting) are not flagged.
"""

from __future__ import annotations

import pytest

from claimledger.copy.wording import lexicon_flags

SAFETY, MINIMISATION = "ABSOLUTE_SAFETY", "MINIMISATION"


def codes(sentence: str) -> set[str]:
    return {f.code for f in lexicon_flags(sentence)}


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        (
            "With a nurse at every chair, any reaction is caught before it can become a problem.",
            SAFETY,
        ),
        ("Our screening catches every possible complication before your first dose.", SAFETY),
        ("Our team leaves nothing to chance, so every infusion is worry-free.", SAFETY),
        ("With these checks in place, nothing is left to chance.", SAFETY),
        ("Relax: you will never be in any danger in our recliners.", SAFETY),
        ("There is no such thing as a bad trip in our care.", SAFETY),
        ("The rise in blood pressure is too small to matter.", MINIMISATION),
        ("The dizziness is brief; it's really nothing to think about.", MINIMISATION),
        ("None of these is anything to worry about.", MINIMISATION),
    ],
)
def test_guaranteed_safety_and_waved_away_harm_are_flagged(sentence: str, code: str) -> None:
    assert code in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "A nurse watches your blood pressure throughout, so a rise can be treated early.",
        "We check your medicines at screening to lower the chance of an interaction.",
        "Ketamine can raise blood pressure, so we measure it every fifteen minutes.",
        "Does ketamine make you a different person? That simply doesn't happen.",
        "If a reaction happens, the nurse will stop the infusion.",
        "Some people feel dizzy for an hour; tell the nurse if you do.",
        "Side effects may be small, but tell us about any that worry you.",
        # review27 O3-O6: a policy, the paperwork, an instruction, staffing
        "Some clinics see you the same day; here, that simply doesn't happen, we need a letter.",
        "Our intake process leaves nothing to chance: we verify your insurance first.",
        "There's nothing else to think about before your visit: just bring your photo ID.",
        "Patients are never left alone or in any danger of being unattended.",
    ],
)
def test_accurate_forms_are_not_flagged(sentence: str) -> None:
    assert not codes(sentence) & {SAFETY, MINIMISATION}


EFFICACY = "UNQUALIFIED_EFFICACY"


@pytest.mark.parametrize(
    "sentence",
    [
        "Start Feeling Lighter This Week",
        "Call now and you could be feeling like yourself again by the weekend.",
        "Your calmest month in years could start on Monday.",
        "IV Ketamine: Relief You Can Feel This Week",
        "You could be feeling better by your second visit.",
    ],
)
def test_a_result_promised_by_a_calendar_day_is_flagged(sentence: str) -> None:
    assert EFFICACY in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Many patients start feeling better by their second week.",
        "Some people feel lighter by the weekend; others take longer.",
        "Will I start feeling lighter this week?",
        "Plan to rest this week; most people feel like themselves again by tomorrow.",
        "In the trial, patients felt better by the second week.",
    ],
)
def test_a_qualified_or_asked_calendar_result_is_not_flagged(sentence: str) -> None:
    assert EFFICACY not in codes(sentence)


COMPARATIVE = "COMPARATIVE_SUPERIORITY"


@pytest.mark.parametrize(
    "sentence",
    [
        "Why spend years in talk therapy when one infusion can quiet the nightmares?",
        "Why keep trying pill after pill when a better answer already exists?",
        "Why settle for antidepressants when ketamine works in hours?",
    ],
)
def test_a_rival_dismissed_by_why_when_is_flagged(sentence: str) -> None:
    assert COMPARATIVE in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Why wait when you can book online today?",
        "Why take the risk when you can ask us first?",
        "Why do we check your blood pressure when you arrive?",
        # review27 O7
        "Why wait weeks for an appointment when our Saturday clinic can help you this week?",
        "Why struggle with the insurance forms alone when our coordinators can help?",
    ],
)
def test_a_why_when_question_about_logistics_is_not_flagged(sentence: str) -> None:
    assert COMPARATIVE not in codes(sentence)


FIGURE = "UNSUPPORTED_FIGURE"


@pytest.mark.parametrize(
    "sentence",
    [
        "Over 3,000 lives changed since 2019.",
        "1,200+ patients helped since we opened",
        "Join 8,000+ members who finally found relief",
        "More than 500 of our patients have found their way out of depression.",
    ],
)
def test_a_count_of_patients_helped_is_flagged(sentence: str) -> None:
    assert FIGURE in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "We have treated over 2,000 patients since 2020.",
        "In the 2023 trial, 300 patients reached remission.",
        "Most patients are helped to the recovery chair by a nurse.",
        # review27 O1-O2: what helped them is not the treatment; arriving is not a result
        "Nine in ten patients say the text reminders helped them keep their appointments.",
        "Hundreds of veterans have found their way to us through the VA community care programme.",
        "Last year we saw 500 patients, and our billing team helped each of them with paperwork.",
        # review27 O10
        "Over 1,500 families have been helped by our sliding-scale fee programme.",
    ],
)
def test_a_count_of_visits_or_a_sourced_count_is_not_flagged(sentence: str) -> None:
    assert FIGURE not in codes(sentence)
