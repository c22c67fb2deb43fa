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
        # a headline that promises a result by a clock
        "Better mood in 48 hours.",
        "Clearer thinking within days",
        "Find calm in just minutes.",
        # a headline that orders the outcome; a condition said to end
        "Silence The Dark Thoughts For Good",
        "Panic Stops Here.",
        "Migraines vanish after a single three-day course.",
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
        "End the stigma around mental health.",
        "Find your nearest center.",
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


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        # the nasal spray holds an approval for depression: naming none is accurate
        ("Spravato, an FDA-approved nasal spray since 2019.", False),
        ("Because it is FDA-approved, Spravato is covered by many plans.", False),
        ("Spravato is FDA-approved for treatment-resistant depression.", False),
        # naming a use outside it, or young people, is not
        ("Spravato is FDA-approved for PTSD.", True),
        ("Spravato is FDA-approved for adolescents with depression.", True),
        # racemic ketamine in any form said to share the nasal spray's approval
        ("Our troches are the same FDA-approved medicine as Spravato.", True),
        ("Compounded ketamine and Spravato are both FDA-approved.", True),
    ],
)
def test_an_esketamine_approval_is_checked_only_against_the_uses_it_names(
    sentence: str, flagged: bool
) -> None:
    assert ("APPROVAL_SCOPE" in codes(sentence)) is flagged


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Our infusions have none of the drawbacks of daily pills.", "ABSOLUTE_SAFETY"),
        ("TMS is plainly the better first-line choice for most people.", "COMPARATIVE_SUPERIORITY"),
        ("No numbness and no weight gain like on antidepressants.", "COMPARATIVE_SUPERIORITY"),
    ],
)
def test_safety_and_comparison_grammar(sentence: str, code: str) -> None:
    assert code in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "None of the trial participants became dependent during the study.",  # a source
        "Rare side effects include a rise in blood pressure and bladder irritation.",
        "Some people feel a little dizzy for an hour.",
        "No one knows exactly how ketamine ends a depressive episode.",
    ],
)
def test_reported_rare_or_questioned_lines_stay_unflagged(sentence: str) -> None:
    assert codes(sentence) == set()


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("0 serious reactions in our chairs, ever.", "ABSOLUTE_SAFETY"),
        ("Infusions fix what a decade of pills could not.", "COMPARATIVE_SUPERIORITY"),
    ],
)
def test_negated_harm_with_ever_and_what_a_competitor_could_not(sentence: str, code: str) -> None:
    assert code in codes(sentence)


def test_a_bare_dismissal_after_a_side_effect_is_minimisation() -> None:
    from claimledger.copy.check import judge_units

    page = (
        "What will I feel?\n\n"
        "Maybe some grogginess on the drive home. That's really it.\n\n"
        "Parking is free. That's all.\n"
    )
    judged, _ = judge_units(page)
    flags = {j.unit.norm: {f.code for f in j.flags} for j in judged}
    assert "MINIMISATION" in flags["That's really it."]
    assert "MINIMISATION" not in flags["That's all."]  # after a line with no side effect


def test_the_side_effect_a_dismissal_follows_is_minimised_with_it() -> None:
    from claimledger.copy.check import judge_units

    judged, _ = judge_units(
        "What will I feel?\n\nSome dizziness afterwards. That's it.\n\n"
        "Is it common?\n\nSome patients feel dizzy for an hour. That's all.\n"
    )
    flags = {j.unit.norm: {f.code for f in j.flags} for j in judged}
    assert "MINIMISATION" in flags["Some dizziness afterwards."]
    # a hedged side-effect line keeps its own reading
    assert "MINIMISATION" not in flags["Some patients feel dizzy for an hour."]


@pytest.mark.parametrize(
    "sentence",
    [
        # a side effect likened to something trivial, said to be mild for everyone, a diminutive
        # fragment, the "worst part" that is no side effect at all (eighth session)
        "The dissociation is about as risky as a cup of coffee.",
        "Honestly, the nausea is no different from a glass of wine.",
        "The effects are mild for virtually everyone.",
        "A touch of dizziness, then back to work.",
        "The worst part for most clients is the waiting room.",
    ],
)
def test_side_effects_played_down_are_minimisation(sentence: str) -> None:
    assert "MINIMISATION" in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Common side effects include dizziness and nausea, which usually pass within two hours.",
        "Mild nausea affects about one in four patients.",
        "A little dizziness is common in the first hour, so please arrange a ride home.",
        "The worst side effect for some patients is a rise in blood pressure.",
    ],
)
def test_honest_side_effect_lines_are_not_minimisation(sentence: str) -> None:
    assert "MINIMISATION" not in codes(sentence)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("With the REMS in place, esketamine cannot be misused.", "ABSOLUTE_SAFETY"),
        ("Those side effects just do not apply to our patients.", "ABSOLUTE_SAFETY"),
        ("Our lozenges carry none of that baggage.", "ABSOLUTE_SAFETY"),
        ("Once the anxiety is turned off, it stays off.", "UNQUALIFIED_EFFICACY"),
        ("Three visits and you never look back.", "UNQUALIFIED_EFFICACY"),
        ("It's basically a massage for the mind.", "MINIMISATION"),
        ("Some feel a touch of dizziness, and that is really about it.", "MINIMISATION"),
        ("Perhaps a little grogginess.", "MINIMISATION"),
        ("The only thing most people notice is a metallic taste.", "MINIMISATION"),
        ("Mild tingling simply means the medicine is working.", "MINIMISATION"),
        ("There is zero chance of mania with our protocol.", "ABSOLUTE_SAFETY"),
        ("Major problems essentially never happen here.", "ABSOLUTE_SAFETY"),
        ("It has been used for decades, and there is nothing risky about it.", "ABSOLUTE_SAFETY"),
    ],
)
def test_eighth_session_denials_permanence_and_trivia(sentence: str, code: str) -> None:
    assert code in codes(sentence)


def test_a_function_said_to_stay_off_for_hours_is_not_a_promise() -> None:
    assert "UNQUALIFIED_EFFICACY" not in codes("Your reaction time can stay off for a few hours.")
    assert "UNQUALIFIED_EFFICACY" not in codes("That use remains off-label.")


def test_an_approval_for_teenagers_on_a_page_naming_both_forms_is_out_of_scope() -> None:
    s = "It is approved for teens with depression, so we treat patients from 15."
    assert "APPROVAL_SCOPE" in codes(s, treatment="ketamine", product=None)
    assert "APPROVAL_SCOPE" not in codes(
        "It is approved for adults with depression.", treatment="ketamine"
    )


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("After six sessions your anxiety will be resolved and released.", "UNQUALIFIED_EFFICACY"),
        ("Our team will put your life back together.", "UNQUALIFIED_EFFICACY"),
        ("Calmer mood from your very first infusion.", "UNQUALIFIED_EFFICACY"),
        (
            "Ketamine delivers TMS-level relief in a fraction of the time.",
            "COMPARATIVE_SUPERIORITY",
        ),
    ],
)
def test_future_promises_and_competitor_level_results(sentence: str, code: str) -> None:
    assert code in codes(sentence)


@pytest.mark.parametrize(
    ("sentence", "treatment"),
    [
        ("Zuranolone was approved by the FDA for postpartum depression in 2023.", "neurosteroid"),
        ("Ozone therapy is not an FDA-approved treatment for any condition.", None),
        ("Neither ketamine nor esketamine is FDA-approved for PTSD.", "ketamine"),
    ],
)
def test_accurate_approval_statements_are_not_approval_scope(
    sentence: str, treatment: str | None
) -> None:
    assert "APPROVAL_SCOPE" not in codes(sentence, treatment=treatment)


def test_a_disclaimer_that_some_feel_no_effect_is_not_minimisation() -> None:
    assert "MINIMISATION" not in codes("Some people feel nothing at all, and we say so up front.")


def test_on_a_page_naming_both_forms_an_approval_for_anxiety_is_out_of_scope() -> None:
    s = "It is also FDA-approved for panic and PTSD, so ask about your diagnosis."
    assert "APPROVAL_SCOPE" in codes(s, treatment="ketamine", product=None)
