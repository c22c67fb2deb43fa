"""A contradicted fact (data/facts.yaml, ketamine-is-fda-approved): ketamine said never to have
been approved by the FDA for any use at all. Racemic ketamine (Ketalar) has been FDA-approved as
an anaesthetic since 1970; what it lacks is approval for depression and other psychiatric or pain
uses. The honest sentences of the same shape were written first: approval denied for a
condition, a group of patients or a compounded or home form, and other drugs never approved.
All sentences are written here in new words, none from the dev pages.
"""

from __future__ import annotations

import pytest

from claimledger.copy.facts import fact_check
from claimledger.copy.wording import lexicon_flags

KETAMINE_PAGE = ("ketamine",)

NEVER_APPROVED = [
    "Ketamine has never been approved by the FDA for any use.",
    "The FDA has not approved ketamine for any purpose at all.",
    "Because it was never FDA-approved, ketamine sits in a legal grey zone.",
    "Ketamine isn't FDA approved for anything, which is why insurers refuse to pay.",
    "Ketamine is an unapproved drug, so every infusion here is experimental.",
    "It has never been approved by the FDA, so clinics rely on their own protocols.",
    # ketamine itself, with no use or condition named, said never approved
    "Ketamine has never been approved.",
    "Ketamine itself was never FDA-approved, so treat it with caution.",
    "Clinics don't mention that ketamine has never been approved by the FDA.",
    "It's never been approved by the FDA, yet clinics sell it.",
    "Ketamine is not approved at all.",
    "Clinics are unregulated and this drug has never been approved for any use.",
]

HONEST = [
    # approval denied for a condition or a use, which is accurate
    "Ketamine is not FDA-approved for depression, so infusions are an off-label use.",
    "IV ketamine is not approved by the FDA for any psychiatric condition.",
    "Ketamine has never been approved for any use in psychiatry.",
    "Ketamine has not been approved for anything other than anaesthesia.",
    "Ketamine has never been FDA-approved as an antidepressant.",
    "Ketamine is not approved for anyone under 18 for mood disorders.",
    # compounded and home forms, which are not approved products
    "Compounded ketamine lozenges are not FDA-approved for any use.",
    "Our at-home troches were never approved by the FDA.",
    # other drugs, questions and myths
    "Psilocybin has never been approved by the FDA for any use.",
    "Is ketamine approved by the FDA at all?",
    "Ketamine for hiccups is odd, and the drug has never been approved for it.",
    "Myth: ketamine has never been approved for any use.",
    # what the approval covers, said correctly
    "Ketamine was FDA-approved as an anaesthetic in 1970 and has been used in surgery ever since.",
    "The FDA approved esketamine in 2019; IV ketamine for depression has not been approved.",
    # a use, a condition, psychotherapy, infusions for a condition or "this way" said never
    # approved: an honest off-label disclosure, whatever the condition is
    "Ketamine for treatment-resistant depression has never been FDA-approved.",
    "Ketamine-assisted psychotherapy has never been approved by the FDA.",
    "Using ketamine this way has never been approved by the FDA.",
    "IV ketamine for suicidal thoughts has never been approved.",
    "Ketamine for chronic pain has never been FDA approved, so insurers rarely pay.",
    "Ketamine for migraine is not approved at all.",
    "This use of ketamine was never approved, and your doctor will explain what that means.",
    "Ketamine infusions for major depression have never been approved by the FDA.",
    # the same in new words: other conditions and uses, and "it" standing for the use
    "Ketamine for tinnitus has never been approved.",
    "Nasal ketamine for cluster headaches is not approved for any use in that setting.",
    "We offer ketamine for fibromyalgia, but it has never been approved.",
    "Ketamine therapy for eating disorders has never been approved by the FDA.",
    "The way we use ketamine was never FDA approved.",
]


@pytest.mark.parametrize("sentence", NEVER_APPROVED)
def test_ketamine_called_never_approved_for_any_use_is_a_misstated_fact(sentence: str) -> None:
    got = fact_check(sentence, KETAMINE_PAGE, "ketamine")
    assert got is not None and got[0] == "MISSTATED_FACT", sentence


@pytest.mark.parametrize("sentence", HONEST)
def test_accurate_approval_lines_are_not_misstated_facts(sentence: str) -> None:
    assert fact_check(sentence, KETAMINE_PAGE, "ketamine") is None, sentence


# puffery (data/wording.yaml): "nothing comes close" with the arena or the rivals named between
NOTHING_CLOSE = [
    "For speed, nothing else in modern psychiatry comes close.",
    "No other treatment on the market compares.",
    "Honestly, no other antidepressant in our pharmacy can match it.",
]
NOTHING_CLOSE_HONEST = [
    "No other clinic in town comes close on price.",
    "Nothing else in our area compares for parking and convenience.",
    "Nothing else in the study group came close to that response rate, but the group was small.",
    "No other treatment in this guide compares? Not quite: ECT still has higher remission rates.",
    "For some people, no other treatment in their history has come close.",
    "No other side effect in the trial came close to nausea in frequency.",
]


@pytest.mark.parametrize("sentence", NOTHING_CLOSE)
def test_nothing_else_in_an_arena_comes_close_is_puffery(sentence: str) -> None:
    assert "PUFFERY" in {f.code for f in lexicon_flags(sentence)}, sentence


@pytest.mark.parametrize("sentence", NOTHING_CLOSE_HONEST)
def test_price_hedged_or_past_comparisons_are_not_puffery(sentence: str) -> None:
    assert "PUFFERY" not in {f.code for f in lexicon_flags(sentence)}, sentence


# misstated harm (data/facts.yaml ketamine-harm-needs-heavy-use, ketamine-is-for-people)
HARM_MISSTATED = [
    "Ketamine destroys brain cells after only a couple of sessions.",
    "Each patient who tries ketamine harms their bladder after a single infusion.",
    "Every ketamine dose kills neurons, so the damage adds up.",
    "Ketamine damages memory in everyone who uses it.",
    "Ketamine is a horse tranquilliser that was never intended for humans.",
    "Ketamine is a veterinary drug meant only for horses.",
]
HARM_HONEST = [
    "Heavy recreational use of ketamine can damage the bladder over months.",
    "Ketamine taken daily in large amounts has been linked to memory problems.",
    "Ketamine does not damage the brain after a few medical doses, as far as studies show.",
    "Myth: ketamine destroys brain cells after one session.",
    "Does ketamine damage the brain after a few infusions?",
    "Ketamine may affect memory in some people who use it often.",
    "Isn't ketamine a horse tranquilizer that was never meant for people?",
    "Ketamine is not just for horses: it is an approved human anaesthetic.",
    "You may have heard it called a horse tranquilizer, never meant for people; that is false.",
    "Ketamine is used by vets, and it is also approved for people.",
]


@pytest.mark.parametrize("sentence", HARM_MISSTATED)
def test_ketamine_harm_said_of_everyone_or_a_few_doses_is_a_misstated_fact(sentence: str) -> None:
    got = fact_check(sentence, KETAMINE_PAGE, "ketamine")
    assert got is not None and got[0] == "MISSTATED_FACT", sentence


@pytest.mark.parametrize("sentence", HARM_HONEST)
def test_harm_with_heavy_use_hedged_denied_or_asked_is_not_misstated(sentence: str) -> None:
    assert fact_check(sentence, KETAMINE_PAGE, "ketamine") is None, sentence


# (fix19) the arena a field of treatment, or the product the thing compared: "nothing else in
# your bag" or "no other therapy in our experience ... with talking it through" is not about a
# treatment's superiority
NOT_ABOUT_A_TREATMENT = [
    "Nothing else in your bag comes close to a good pair of headphones for the session.",
    "No other therapy in our experience compares with talking it through afterwards.",
    "Nothing else in the waiting room compares to a warm blanket.",
    "No other option in our kitchen compares to a slow cup of tea after an infusion.",
    "No other treatment compares with ECT for the most severe, psychotic depression.",
    "Nothing else on my packing list comes close to noise-cancelling headphones.",
]
ABOUT_A_TREATMENT = [
    "Nothing else in mental health care comes close.",
    "No other medication in our experience can match ketamine.",
    "Nothing else in today's psychiatry compares to it.",
    "No other therapy in our clinic comes close to our infusions.",
    "Nothing else in medicine comes close to lithium for bipolar disorder.",
    "For lasting relief, no other treatment in the comparison table comes close.",
]


@pytest.mark.parametrize("sentence", NOT_ABOUT_A_TREATMENT)
def test_nothing_else_in_a_place_that_is_no_treatment_field_is_not_puffery(sentence: str) -> None:
    codes = {f.code for f in lexicon_flags(sentence)}
    assert not codes & {"PUFFERY", "COMPARATIVE_SUPERIORITY"}, (sentence, codes)


@pytest.mark.parametrize("sentence", ABOUT_A_TREATMENT)
def test_nothing_else_in_a_treatment_field_or_against_the_product_is_puffery(sentence: str) -> None:
    assert "PUFFERY" in {f.code for f in lexicon_flags(sentence)}, sentence


# puffery (data/wording.yaml): the biggest advance with the arena's own witness or span named
BIGGEST_ADVANCE = [
    "Spravato is the single most important advance in mood care our county has ever seen.",
    "Plenty of doctors call it the greatest breakthrough in psychiatry of their careers.",
    "Frankly, this is the biggest step forward in pain care our clinic has seen in twenty years.",
    "Our founder calls it the biggest leap in mental health since the discovery of lithium.",
    "Researchers call it the most exciting development in brain science of the past forty years.",
]
BIGGEST_ADVANCE_HONEST = [
    "The most important step in your first week is rest.",
    "The biggest change our clinic has ever seen was the move to the new building.",
    "Some experts call it one of the most important advances of the past twenty years.",
    "Is this the biggest advance our field has ever seen? The evidence is still early.",
    "The biggest step in your recovery is the one you take after the last infusion.",
]


@pytest.mark.parametrize("sentence", BIGGEST_ADVANCE)
def test_the_biggest_advance_an_arena_has_seen_is_puffery(sentence: str) -> None:
    assert "PUFFERY" in {f.code for f in lexicon_flags(sentence)}, sentence


@pytest.mark.parametrize("sentence", BIGGEST_ADVANCE_HONEST)
def test_logistics_hedged_asked_or_timeless_steps_are_not_puffery(sentence: str) -> None:
    assert "PUFFERY" not in {f.code for f in lexicon_flags(sentence)}, sentence
