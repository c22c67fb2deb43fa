"""Overstatement grammar of the seventh session (data/wording.yaml classes affliction,
relief_predicate, product_subject, end_verb, promise_outcome, benefit, qualifier): an outcome
stated as certain is flagged in any words of its class; the graded, hedged or sourced statement
of the same shape is not. The sentences are written for these tests, not taken from dev pages."""

from __future__ import annotations

import pytest

from claimledger.copy.wording import lexicon_flags


def codes(sentence: str, **kw: object) -> set[str]:
    return {f.code for f in lexicon_flags(sentence, **kw)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "sentence",
    [
        # the product as subject of a completion verb, with an object
        "Esketamine silences the inner critic behind your depression.",
        "This treatment dissolves the grip of trauma.",
        "Our infusions simply wipe out the cravings.",
        # a future-tense promise of the outcome
        "Our protocol will get your sleep back to normal.",
        "Your panic will be completely resolved by the last session.",
        "Spravato is going to lift that weight off your shoulders.",
        # a headline that promises a result by a clock
        "Better mood in 48 hours.",
        "Clearer thinking within days",
        "Find calm in just minutes.",
    ],
)
def test_an_outcome_stated_as_certain_is_unqualified_efficacy(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # graded verbs, hedges, sources, and verbs with no object (an infusion that ends)
        "Ketamine relieves depressive symptoms for many patients.",
        "In trials, esketamine lifts mood within a day for some patients.",
        "The floaty feeling fades within an hour after the infusion ends.",
        "It stops within minutes of the last dose.",
        "A staff member will get back to you within one business day.",
        "Some people notice better sleep within a week.",
        "Ketamine may quiet rumination for a few days.",
    ],
)
def test_graded_hedged_or_sourced_outcomes_stay_unflagged(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" not in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        '"Nine years of migraines, gone after my second round."',
        '"The darkness lifted within a week. My wife cried."',
        '"Honestly? The cravings have not come back."',
    ],
)
def test_a_quoted_condition_said_to_have_ended_is_a_testimonial(sentence: str) -> None:
    assert "TESTIMONIALS_AS_PROOF" in codes(sentence, in_quote=True)


def test_the_same_words_outside_a_quotation_are_not_a_testimonial() -> None:
    line = "In the trial, depression lifted within a day for half of the patients."
    assert "TESTIMONIALS_AS_PROOF" not in codes(line, quoted=True)  # a testimonial page
    assert "TESTIMONIALS_AS_PROOF" in codes(f'"{line}"', in_quote=True)


def test_a_quoted_testimonial_is_found_on_a_page() -> None:
    from claimledger.copy.check import judge_units

    page = (
        "What our patients say\n\n"
        '"Eleven years of OCD rituals, quiet now after six sessions." — Tom, 52\n\n'
        "Side effects usually fade within two hours.\n"
    )
    judged, _ = judge_units(page)
    flagged = {
        j.unit.norm[:12]: "TESTIMONIALS_AS_PROOF" in {f.code for f in j.flags} for j in judged
    }
    assert flagged['"Eleven year']
    assert not flagged["Side effects"]
