"""Wording cues by meaning (data/wording.yaml, seventeenth session): minimisation (a side effect
called not worth a thought, gone before a trivial moment, a nuisance or a blip, rare and never
dangerous, something patients enjoy, easy to stop, a problem of recreational users only, likened to
a nap or a glass of wine), puffery (the biggest advance in fifty years; never seen anything work
like it) and unqualified efficacy (hours, not weeks; stopped in its tracks). Each is written here
in new words; the honest sentences of the same shape that must stay unflagged were written first
(benchmarks/copy-dev/README.md: plain, hedged or disclosed facts are claims, not overstatements).
"""

from __future__ import annotations

import pytest

from claimledger.copy.facts import fact_check
from claimledger.copy.wording import lexicon_flags


def codes(sentence: str) -> set[str]:
    return {f.code for f in lexicon_flags(sentence)}


HONEST = [
    # negation, questions and advice about side effects
    "Tell us about any side effect, even if it seems not worth mentioning.",
    "Is a headache after the session worth mentioning? Yes, always tell the nurse.",
    "Whether your insurer pays is not worth worrying about until your consultation.",
    "Do not lose sleep over a missed appointment; just call us to rebook.",
    # the course of side effects, disclosed honestly
    "Most effects wear off within two hours, before you go home with your driver.",
    "The numbness usually fades before your ride arrives, but do not drive until tomorrow.",
    "Serious reactions are rare but can be dangerous, so we monitor you throughout.",
    "Side effects are usually brief and pass within two hours.",
    "Nausea is uncommon and we can give you medicine for it.",
    "Some people feel dizzy, which nobody enjoys, so we give you time to rest.",
    "Many patients enjoy the quiet music we play during the session.",
    # logistics with a trifle word
    "Parking downtown is a minor inconvenience, so we validate your ticket.",
    "A blood pressure rise is rarely more than a few points, but we check it every 15 minutes.",
    "Drink no more than a glass of water in the two hours before your infusion.",
    # stopping, misuse and recreational use, said honestly
    "Stopping is not always easy, so we plan a slow taper with you.",
    "Stopping your antidepressant is easy to get wrong, so talk to your prescriber first.",
    "Misuse is rare in supervised clinical settings, but it can happen.",
    "Bladder problems have mostly been reported in heavy recreational users, but we screen everyone.",
    "Bladder problems are not only seen in heavy recreational users.",
    "At the doses we use, high blood pressure is still a concern, so we check it often.",
    "Ketamine is generally well tolerated at these doses.",
    "In trials, esketamine was well tolerated by most participants.",
    "Research on long-term use is practically nonexistent.",
    # superlatives that describe, not praise
    "The biggest change in your week will be the two-hour wait after each dose.",
    "The biggest risk factor in older adults is a rise in blood pressure.",
    "The biggest step for most patients in the first year is booking the first infusion.",
    "ECT remains the most studied treatment in fifty years of psychiatry.",
    "Fluoxetine was the biggest advance in depression care of the 1980s, according to many historians.",
    "I have never seen anything like the waiting list this winter.",
    # speed and course, without a promise
    "Spravato is taken for four weeks, not four days, before we judge whether it helps.",
    "Plan for weeks, not days, of treatment.",
    "Nothing stops depression in its tracks overnight, and ketamine is no exception.",
    "No treatment can stop a migraine in its tracks every time.",
    # conditions, premises and wishes before a "will"
    "If you have tried two antidepressants, ketamine will be considered as an option.",
    "If you qualify, the nurse will help you book your first infusion.",
    "If ketamine works for you, it may help within days.",
    "Whatever your diagnosis, ketamine will be given under monitoring.",
    "Whatever you decide, we will support you.",
    "We cannot promise ketamine will work for you.",
    # lives back, grip and charge, said as a hope or a tendency
    "Getting your life back takes time, and no treatment promises it.",
    "For some patients, memories may lose some of their charge over the course of therapy.",
    "Trauma can keep its grip for years without treatment.",
    # logistics and crisis lines a step away
    "Our clinic is only a short drive away.",
    "Help is one call away: dial 988.",
    "Your consultation is just one click away.",
    # reliably, of something other than a benefit
    "The pump reliably delivers the dose over 40 minutes.",
    # round three: a sign of something other than healing; warnings explained; a best choice
    "A rash is a sign that the medicine should be stopped.",
    "The consent form has legal language, so the nurse explains each warning in plain words.",
    "There is no need to worry about side effects you have not had; tell us about the ones you do.",
    "Nothing short of a full assessment will tell us whether ketamine suits you.",
    "The best time to book is early in the week.",
    "Many patients describe the experience as meaningful.",
    "Nothing changes everything overnight, and ketamine is no exception.",
    "A missed dose can change the schedule for the rest of your course.",
    "We ranked #1 in patient satisfaction in our county survey.",
    "Voted the #1 ketamine clinic in the county by our patients.",
    # round four: things given back, everyone treated, leaving with something
    "Ketamine gives patients back pain relief only for a few days at a time in most studies.",
    "Everyone we've treated has had a medical screening first.",
    "Not everyone we have treated got better.",
    "Patients leave with a printed aftercare sheet.",
    "Most patients leave with some drowsiness, so bring a driver.",
    # a self-check of the new cues: stopping as a process, recent history, a first dose, a portal
    "Stopping Spravato is simple: you and your psychiatrist agree a date.",
    "The biggest change in depression care in recent years has been the arrival of esketamine.",
    "Results are now just a click away in your patient portal.",
]


@pytest.mark.parametrize("sentence", HONEST)
def test_honest_sentences_aimed_at_the_new_cues_stay_unflagged(sentence: str) -> None:
    assert not codes(sentence) & {"MINIMISATION", "PUFFERY", "UNQUALIFIED_EFFICACY"}, sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # a risk not worth a thought
        "Headaches after a dose are hardly worth mentioning.",
        "A brief rise in heart rate is nothing anyone needs to lose sleep over.",
        "Any dizziness is not worth thinking about.",
        "The side effects are of no real concern.",
        # gone before a trivial moment
        "The dizziness is gone before you've finished your coffee.",
        "Any fogginess wears off by the time your Uber arrives.",
        # a nuisance, a blip, a curiosity
        "The nausea is a passing nuisance for most people.",
        "Memory lapses are really just a blip.",
        "The visual effects are purely cosmetic.",
        # rare or brief, then absolute
        "Heart rhythm changes are rare and never dangerous.",
        "Dissociation is brief, and it always passes harmlessly.",
        "Memory effects are minor and always come back.",
        # enjoyed
        "You may feel floaty for a while, which most people actually enjoy.",
        # stopping and dependence
        "Coming off it is never a problem.",
        "Stopping is easy: you just skip the next session.",
        "Our clients are more likely to forget a session than to crave one.",
        "Addiction is rarely an issue for our patients.",
        # somebody else's problem
        "Bladder damage only shows up in heavy street users.",
        "Those are party-drug problems, and that is not our world.",
        "At our doses, the bladder risk is not a concern.",
        "Cognitive problems are not relevant to our patients.",
        # likened to a trifle
        "It feels no worse than you would after a glass of wine.",
        "Think of it as a long, lazy nap.",
        'Side effects? Think "warm bath," not "hangover."',
        "Nothing harder than a nap.",
        "Blood pressure goes up a touch, about like climbing a flight of stairs.",
        # intensified tolerability
        "Ketamine is extremely well tolerated.",
        "Side effects are practically nonexistent.",
        # round three: the mind adjusting, a sign of the work starting, warnings as boilerplate,
        # nothing on the list to worry about, nobody has a hard time
        "Any restlessness is just the brain adjusting.",
        "The discomfort is a sign that the healing is starting.",
        "The warnings on the label are mostly legal boilerplate.",
        "There is no long list of side effects to worry about.",
        "None of it is anything more than a passing nuisance.",
        "Nobody has a hard time with the dissociation.",
    ],
)
def test_minimisation_by_meaning(sentence: str) -> None:
    assert "MINIMISATION" in codes(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Ketamine is the biggest advance in psychiatry in fifty years.",
        "Many call it the most important discovery in depression care in half a century.",
        "It is the single most exciting development in mental health this century.",
        "She calls it the greatest leap in psychiatry since Prozac.",
        "It is the most hopeful thing I have seen in my whole career.",
        "In thirty years I have never seen anything work like this.",
        "It is the greatest advance in pain care our state has ever seen.",
        "It is the best investment in your health you will ever make.",
        "Now it is the #1 anxiety treatment in the country.",
        "For some, it is nothing short of a rebirth.",
        "Clients call it one of the most profound experiences of their lives.",
        "One infusion can change everything.",
        "A single session that can change the rest of your life.",
    ],
)
def test_puffery_by_meaning(sentence: str) -> None:
    assert "PUFFERY" in codes(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Relief in three days, not six weeks.",
        "Depression care in five days, not six weeks.",
        "Ketamine stops a migraine in its tracks.",
        "If three antidepressants have failed, ketamine will work for you.",
        "If nothing else has helped your pain, this will.",
        "Whatever kind of anxiety you have, ketamine will work for you.",
        "Whatever you are facing, our infusions can fix it.",
        "This is the one treatment that will finally work.",
        "The nasal spray that gives people their lives back.",
        "With TMS, patients get their lives back within weeks.",
        "After treatment the memories lose their grip.",
        "Your past no longer runs your life.",
        "Relief is now just an afternoon away.",
        "Hope is only one infusion away.",
        "Ketamine gives people back their focus and drive.",
        "Ketamine gives you those things back.",
        "Everyone we have treated has found their way back to themselves.",
        "Relief from anxiety is now only an afternoon away.",
        "Clients leave with the calm they came for.",
    ],
)
def test_unqualified_efficacy_by_meaning(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" in codes(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Its antidepressant effect was first reported in 1985.",
        "Ketamine's mood-lifting effect was discovered in the 1970s by army surgeons.",
        "Its effect on depression was first noticed in a small study in 2012.",
        "Ketamine was developed in the 1980s as a surgical anaesthetic.",
        "Ketamine started life in the 1970s as a veterinary drug.",
    ],
)
def test_a_wrong_date_for_the_discovery_or_the_origin_is_a_misstated_fact(sentence: str) -> None:
    flag = fact_check(sentence, ("ketamine",), "ketamine")
    assert flag is not None and flag[0] == "MISSTATED_FACT", sentence
    assert "Berman" in flag[1] or "1962" in flag[1]


@pytest.mark.parametrize(
    "sentence",
    [
        "Its antidepressant effect was first reported in 2000 by a team at Yale.",
        "Its antidepressant effect was first noticed in the late 1990s.",
        "In 2006 a larger NIH trial first showed the effect in treatment-resistant depression.",
        "Ketamine was first made in 1962; its mood effect came to light decades later.",
        "A 2019 review discovered that depression scores fell within a day in most trials.",
        "Ketamine was developed in the early 1960s at Parke-Davis.",
        "Ketamine started life in 1962 in a Parke-Davis laboratory.",
        "Ketamine therapy was developed in the 2000s.",
        "Ketamine was developed into a depression treatment in the 2000s.",
    ],
)
def test_an_accurate_or_later_date_for_the_discovery_is_not_flagged(sentence: str) -> None:
    assert fact_check(sentence, ("ketamine",), "ketamine") is None, sentence


# Precision (seventeenth session): accurate claims and filler the rules flagged on dev pages, by
# meaning, in new words: a date a fee or policy takes effect, a guarantee disowned, remission as
# a trial outcome, how long studies followed people, screening that makes sure a treatment is safe
# for the patient, the question heard most, a miracle denied, asked about or hoped for, and
# superlatives of talk and strangeness.
@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Our new fee schedule is effective from March 1.", "UNQUALIFIED_EFFICACY"),
        ("These prices are effective January 1, 2028.", "UNQUALIFIED_EFFICACY"),
        (
            "Tapering off opioids may be possible after the programme, but it isn't guaranteed.",
            "UNQUALIFIED_EFFICACY",
        ),
        (
            "In trials about half of patients responded, and fewer reached full remission.",
            "UNQUALIFIED_EFFICACY",
        ),
        ("Rates of complete remission were lower, around one in four.", "UNQUALIFIED_EFFICACY"),
        ("Most studies followed patients for weeks, not years.", "UNQUALIFIED_EFFICACY"),
        (
            "Our doctor reviews your medicines to make sure ketamine is a safe choice for you.",
            "ABSOLUTE_SAFETY",
        ),
        ("Stay with us until the nurse confirms it is safe to go home.", "ABSOLUTE_SAFETY"),
        ("Cost is the question we hear more than any other.", "COMPARATIVE_SUPERIORITY"),
        ("It is neither a miracle nor a hoax.", "PUFFERY"),
        ("Patients often ask whether ketamine is a miracle cure.", "PUFFERY"),
        ("Some patients arrive hoping for a miracle.", "PUFFERY"),
        ("It became one of the most talked-about medicines in psychiatry.", "PUFFERY"),
        ("Ketamine has one of the oddest histories in modern medicine.", "PUFFERY"),
    ],
)
def test_accurate_claims_and_filler_of_these_shapes_are_not_flagged(
    sentence: str, code: str
) -> None:
    assert code not in codes(sentence), sentence


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        # the same words still overstate when they promise
        ("Ketamine is effective for everyone.", "UNQUALIFIED_EFFICACY"),
        ("Results are guaranteed.", "UNQUALIFIED_EFFICACY"),
        ("Our patients reach full remission.", "UNQUALIFIED_EFFICACY"),
        ("Ninety percent of our patients achieve full remission.", "UNQUALIFIED_EFFICACY"),
        ("A screening with our doctor confirms that ketamine is safe for you.", "ABSOLUTE_SAFETY"),
        ("We make sure ketamine is safe for everyone.", "ABSOLUTE_SAFETY"),
        ("Ketamine is safe.", "ABSOLUTE_SAFETY"),
        ("Ketamine works faster than any other antidepressant.", "COMPARATIVE_SUPERIORITY"),
        ("Ketamine is a miracle for depression.", "PUFFERY"),
        ("It is the most advanced treatment in the state.", "PUFFERY"),
    ],
)
def test_the_same_words_that_promise_stay_flagged(sentence: str, code: str) -> None:
    assert code in codes(sentence), sentence


# Absolute safety in other words (seventeenth session): harm said not to happen, not to be
# possible, or to have no way in; next to honest sentences of the same shape, written first.
@pytest.mark.parametrize(
    "sentence",
    [
        "Serious reactions do not happen often, but our team is ready for them.",
        "If nausea doesn't happen in the first hour, it usually won't.",
        "Overdose is not possible to rule out completely, so we monitor you throughout.",
        "Nobody gets hooked after a single dose, but repeated misuse carries a real risk.",
        "Addiction isn't something that happens after one dose, but it can develop with misuse.",
        "Mistakes can happen, so we check every dose twice.",
        "Nothing can happen until you have signed the consent form.",
        "There is no way for us to know in advance who will respond.",
        "There is no chance of a refund after the session starts.",
    ],
)
def test_honest_safety_sentences_of_the_same_shape_stay_unflagged(sentence: str) -> None:
    assert "ABSOLUTE_SAFETY" not in codes(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "In a supervised clinic, those problems simply don't happen.",
        "At our doses, the bladder problems seen in street users do not arise.",
        "Serious complications cannot happen here.",
        "With a doctor in the room, nothing bad can happen to you.",
        "There is no way for anything serious to happen during a session.",
        "Because every dose stays in the clinic, misuse simply isn't possible.",
        "There is no chance of it becoming a habit.",
        "In a medical setting, ketamine cannot become addictive.",
        "Here, nobody gets hooked.",
    ],
)
def test_absolute_safety_in_other_words(sentence: str) -> None:
    assert "ABSOLUTE_SAFETY" in codes(sentence), sentence


# review17 (a read-only reviewer wrote honest clinic sentences after lex17's cues and found them
# flagged): logistics, staffing, side effects told honestly, other treatments and history. A
# wording flag forces a sentence to be reported as a claim, so each was a false alarm.
REVIEW17_HONEST = [
    "Whatever your budget, our payment program can work for you.",
    "Whatever your schedule, our evening infusions can work for you.",
    "If you feel queasy afterwards, this can give you quick relief: sip water slowly.",
    "If three antidepressants have failed, ketamine can work for you.",
    "Our old phone number is no longer in service; the number below is the one that works.",
    "Patients sometimes try three antidepressants before finding the one that works.",
    "Our case managers support veterans who are trying to get their lives back on track.",
    "Getting your life back after trauma takes time and work.",
    "Hands feel numb and lose their grip during the infusion, so leave your phone in your bag.",
    "For him, sertraline lost its power after two years, so he came to us.",
    "Dr. Adams founded the clinic but no longer runs the show.",
    "Hope is one call away: call or text 988.",
    "Our lab reliably delivers results by the next morning.",
    "Check-in takes five minutes; this gives you time to sit back and relax.",
    "Every patient we have seen this year got a call back within a day.",
    "Make sure four hours have passed before you arrive for your infusion.",
    "Please settle the balance before your driver arrives.",
    "It's a small inconvenience, but please arrive 15 minutes early for paperwork.",
    "Depression is not a passing blip or a minor nuisance; it's an illness.",
    "Mild nausea is common and almost always passes within an hour.",
    "You can bring a blanket and an eye mask for sleeping, which patients love.",
    "Dissociation is something that some patients enjoy and others find frightening.",
    "Getting off at Exit 14 is easy, and parking is free.",
    "Stopping by our office is easy, and parking is free.",
    "Withdrawal guidance for opioid users is not relevant to you if you have never taken opioids.",
    "Think of it as you would a vaccine schedule: two doses a week for three weeks.",
    "Ketamine is not like taking an aspirin; it needs medical monitoring.",
    "The consent form has four pages, but none of it is anything more than standard paperwork.",
    "The most important thing is to bring a driver; we have required this for years.",
    "A change in your medicines can change everything about the dose we use, so tell us.",
    "The best step you can ever take in a crisis is calling 988.",
    "The issues with insurance claims don't arise if you pay up front.",
    "Most reactions don't happen until the infusion ends, so stay seated for 30 minutes.",
    "No one can promise that nothing bad will happen, so we monitor you closely.",
    "For some patients, relief is one infusion away.",
    "In trials, ketamine reliably produces a response in about half of patients.",
    "Drink no more than a glass of water beforehand.",
    "Our current accreditation certificate is effective through June 30, 2028.",
    "If other treatments have not helped, ketamine can.",
    "A missed appointment is not worth worrying about; we will rebook it.",
    "Price is rarely worth worrying about on its own; ask what it includes.",
    "In the trials, liver effects were of no clinical concern.",
    "The soreness at the IV site is the kind you get after a flu shot and fades in a day or two.",
    "In the trials, esketamine was remarkably well tolerated, although dissociation was common.",
    "Esketamine was one of the biggest changes in depression care in decades, but it is not "
    "right for everyone.",
    "Is ketamine the biggest advance in psychiatry in fifty years? The evidence is still early.",
    "Some psychiatrists call it the most promising development in decades; others are more "
    "cautious.",
]


@pytest.mark.parametrize("sentence", REVIEW17_HONEST)
def test_review17_honest_sentences_are_not_flagged(sentence: str) -> None:
    assert not lexicon_flags(sentence), sentence


def test_a_frequency_is_no_minimisation_and_history_of_another_treatment_no_puffery() -> None:
    """A "usually harmless" stays an absolute-safety question (as on main), not a minimisation;
    an arena superlative about another treatment is history, about the page's product puffery."""
    assert "MINIMISATION" not in codes(
        "Emergence reactions are uncommon and usually harmless, but we monitor for them."
    )
    ect = "ECT was one of the most important advances in psychiatry of the last century."
    assert not lexicon_flags(ect, own=False)
    own = "Ketamine is the biggest advance in psychiatry in fifty years."
    assert "PUFFERY" not in {f.code for f in lexicon_flags(own, own=False)}
    assert "PUFFERY" in codes(own)


# The precision rules of 67ba3aa withdraw only what they are for: a fee or date taking effect, a
# plain "safe to go home", a minority reaching remission, a miracle hoped for; and a limit on
# what to drink withdraws only the comparison it limits.
@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("It's perfectly safe to drive home after your infusion.", "ABSOLUTE_SAFETY"),
        ("Ketamine is completely safe to start alongside any antidepressant.", "ABSOLUTE_SAFETY"),
        ("Ketamine is safe to continue for years with no side effects.", "ABSOLUTE_SAFETY"),
        (
            "Our doctor says ketamine is safe to take with any medication and completely harmless.",
            "ABSOLUTE_SAFETY",
        ),
        ("Ketamine is effective from day one.", "UNQUALIFIED_EFFICACY"),
        ("Relief that is effective from the first infusion.", "UNQUALIFIED_EFFICACY"),
        (
            "Half of our patients achieve complete remission after a single infusion.",
            "UNQUALIFIED_EFFICACY",
        ),
        ("Some patients reached full remission in a single session.", "UNQUALIFIED_EFFICACY"),
        ("If you have been waiting for a miracle, this is it.", "PUFFERY"),
        ("Patients often ask whether ketamine is a miracle cure; it is.", "PUFFERY"),
        (
            "Drink no more than a glass of water beforehand; the side effects are nothing to "
            "worry about.",
            "MINIMISATION",
        ),
        (
            "Take no more than one dose a week, and the dissociation is no worse than a glass "
            "of wine.",
            "MINIMISATION",
        ),
    ],
)
def test_real_overstatements_beside_a_precision_rule_stay_flagged(sentence: str, code: str) -> None:
    assert code in codes(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Ketamine was discovered in 1962, and its antidepressant effect was reported decades later.",
        "In 2016, researchers discovered that a ketamine metabolite may drive its antidepressant "
        "effect.",
        "Ketamine, first tested on prisoners in 1964, is now studied as an antidepressant.",
        "Scientists first described the NMDA receptor in the 1980s, long before ketamine's "
        "antidepressant effect was discovered.",
        "Our clinic started life in 2015 as a small ketamine practice.",
        "Ketamine therapy protocols were developed in the 2000s.",
        "The ketamine lozenge we prescribe was developed in 2014 by a compounding pharmacy.",
    ],
)
def test_accurate_history_is_no_misstated_fact(sentence: str) -> None:
    assert fact_check(sentence, ("ketamine",), "ketamine") is None, sentence
