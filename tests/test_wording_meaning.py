"""Wording cues by meaning (data/wording.yaml, sixteenth session): minimisation (a side effect
recast as a good sign, a risk said not to concern the reader, the worst called a trifle),
permanence (a result that stays, holds or needs no more treatment) and unqualified efficacy
(walking out changed, better before you leave, a treatment that "just works"). Each is written
here in new words, next to honest sentences of the same shape that must stay unflagged
(benchmarks/copy-dev/README.md: plain, hedged or disclosed facts are claims, not overstatements).
"""

from __future__ import annotations

import pytest

from claimledger.copy.wording import lexicon_flags


def codes(sentence: str) -> set[str]:
    return {f.code for f in lexicon_flags(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        # a side effect recast as the medicine at work, a good sign, or the fun part
        "That spinning feeling is a good sign that the treatment is reaching you.",
        "The numbness just shows the medicine is working.",
        "The floaty part isn't a side effect so much as a sign of change.",
        "For many, the odd visuals are part of the fun.",
        # a known risk said not to concern this reader
        "Bladder damage belongs to heavy recreational users, so it is not something you need to worry about.",
        "Those warnings don't apply to our patients.",
        "With our protocol you'll never have to worry about dependence.",
        "Addiction is not a concern at the doses we use.",
        # nothing worth mentioning; the worst called a trifle
        "Side effects? Nothing worth mentioning.",
        "Besides some light dizziness, there's really nothing to it.",
        "The worst thing most people report is a bit of a dry mouth.",
        "For most guests the hardest part is choosing the music.",
        "Worst case, you feel a little sleepy.",
        # likened to a trifle; a risk too remote to mention
        "The grogginess is about as serious as a long nap.",
        "If you can handle two glasses of wine, you can handle this.",
        "The risk of misuse is so remote that we rarely discuss it.",
        "Memory problems from ketamine are a thing of the past.",
    ],
)
def test_minimisation_by_meaning(sentence: str) -> None:
    assert "MINIMISATION" in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # permanence: the result stays, holds, is kept, needs no more treatment
        "Once your mood has lifted, it stays that way.",
        "After the series, your brain stays rewired.",
        "Once the pain settles, you stay well.",
        "The changes are there to stay.",
        "Your progress is yours to keep.",
        "The nervous system remembers the way back to calm.",
        "For most clients, this course is all they will ever need.",
        "Graduates of our program rarely need to come back.",
        "She has not needed another infusion since.",
        "Six infusions, a lifetime of calm.",
        "Leave your anxiety in the past.",
        "Finally free from depression.",
        "Join the clinic that is ending depression.",
        # unqualified efficacy: walked out changed, better before leaving, just works, will work
        "Most clients walk out calmer than they came in.",
        "Feel the weight lift before you leave the chair.",
        "Feel like yourself again by dinnertime.",
        "For anxiety, it just works.",
        "When nothing else has helped, ketamine will.",
        "Ketamine will finally get you unstuck.",
        "The fog lifts for nearly everyone who completes the series.",
        "The improvement sticks.",
    ],
)
def test_permanence_and_unqualified_efficacy_by_meaning(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # honest disclosure of side effects and their course
        "Side effects usually wear off within two hours.",
        "Common side effects include nausea, dizziness and a feeling of detachment.",
        "Some people feel drowsy by the time they leave; please arrange a ride home.",
        "These effects usually ease by the time you leave the clinic.",
        "The most serious risks are a rise in blood pressure and, with heavy misuse, bladder damage.",
        "Bladder problems have been reported mainly in people using ketamine heavily and often.",
        "The hardest part of treatment for many patients is the weekly commitment.",
        "Our IV infusions are not part of that program, so the two-hour rule does not apply to them.",
        "Nothing to eat for four hours before your session, please.",
        # hedged or conditional outcomes and their course
        "Some patients notice a lift the same evening.",
        "Therapy alongside ketamine may help the gains stick.",
        "In trials, the effect of a single infusion often faded within a week.",
        "The effect holds for about a week after one infusion in most studies.",
        "Once you arrive, you stay in the recovery room for two hours.",
        "Most patients have fully recovered from the sedation within an hour.",
        "What are the odds it will help me?",
        "Results vary, and no treatment works for every patient.",
        "Some patients stay well for months with occasional booster infusions.",
    ],
)
def test_honest_sentences_of_the_same_shape_stay_unflagged(sentence: str) -> None:
    assert not codes(sentence) & {"MINIMISATION", "UNQUALIFIED_EFFICACY"}


@pytest.mark.parametrize(
    "sentence",
    [
        # questions the answer then answers: opened by a conjunction, in the negative, a "what
        # if" worry, a verbless comparison
        "So is it addictive?",
        "Isn't ketamine just a party drug?",
        "What if the first session doesn't help?",
        "Better than my antidepressant?",
        # a saving is not an outcome figure
        "Subscribe & save 15% · Free shipping on orders over $40",
        "The package is 25% below our standard rate.",
    ],
)
def test_questions_and_savings_are_not_flagged(sentence: str) -> None:
    assert not codes(sentence)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        # a question that promises a cure or permanence, or carries a figure, is still read
        ("What if your anxiety could be gone for good?", "UNQUALIFIED_EFFICACY"),
        ("Isn't it time to cure your depression?", "UNQUALIFIED_EFFICACY"),
        ("Save yourself the wait: 90% of our patients feel better in a day.", "UNSUPPORTED_FIGURE"),
    ],
)
def test_questions_that_promise_are_still_read(sentence: str, code: str) -> None:
    assert code in codes(sentence)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        # a result by a clock, a condition gone by a time, the product lifting or repairing
        ("You will notice the difference within a week.", "UNQUALIFIED_EFFICACY"),
        ("Migraines, gone within an hour.", "UNQUALIFIED_EFFICACY"),
        ("Relief in as little as two hours.", "UNQUALIFIED_EFFICACY"),
        ("Our infusions lift even stubborn depression.", "UNQUALIFIED_EFFICACY"),
        (
            "Each session repairs the damage stress has done to your neurons.",
            "UNQUALIFIED_EFFICACY",
        ),
        # nothing to be afraid of; nothing compared with; a passing nuisance; at worst
        ("There is nothing in it to be afraid of.", "MINIMISATION"),
        ("The side effects are nothing compared with a bad week of depression.", "MINIMISATION"),
        ("A little dizziness is about the only thing patients mention.", "MINIMISATION"),
        ("Any nausea is a passing nuisance.", "MINIMISATION"),
        ("Side effects? Practically none.", "MINIMISATION"),
        ("At worst, you might feel a little teary.", "MINIMISATION"),
    ],
)
def test_results_by_a_clock_and_dismissals_by_meaning(sentence: str, code: str) -> None:
    assert code in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "In animal studies, ketamine restores synaptic connections lost to chronic stress.",
        "Researchers think the glutamate burst helps brain cells rebuild connections.",
        "Ketamine can start working in as little as 24 hours for some patients.",
        "Some people notice the difference within a week; others need more sessions.",
        "Nausea is a common side effect; tell the nurse if you feel unwell.",
        "Worried about side effects? Ask our nurses what to expect.",
    ],
)
def test_qualified_results_and_plain_disclosure_stay_unflagged(sentence: str) -> None:
    assert not codes(sentence) & {"MINIMISATION", "UNQUALIFIED_EFFICACY"}


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        # harm called impossible, nothing can go wrong, a perfect record, a risk put at zero
        ("Our spacing of doses makes addiction impossible.", "ABSOLUTE_SAFETY"),
        ("With a nurse in the room, nothing can go wrong.", "ABSOLUTE_SAFETY"),
        ("In forty years it has never caused a single death in our hands.", "ABSOLUTE_SAFETY"),
        ("No one in our program has ever become dependent on it.", "ABSOLUTE_SAFETY"),
        ("For our patients the risk of misuse is essentially zero.", "ABSOLUTE_SAFETY"),
        ("Dependence simply isn't a thing at these doses.", "ABSOLUTE_SAFETY"),
        # the same benefit without the rival's drawback; a rival obsolete; nothing comes close
        ("The same lift as an antidepressant, without the weight gain.", "COMPARATIVE_SUPERIORITY"),
        ("Talk therapy is now obsolete.", "COMPARATIVE_SUPERIORITY"),
        ("No other treatment in psychiatry comes close.", "COMPARATIVE_SUPERIORITY"),
        (
            "Why wait months for pills when one infusion can work this week?",
            "COMPARATIVE_SUPERIORITY",
        ),
        ("No more waiting for pills to kick in.", "COMPARATIVE_SUPERIORITY"),
        # wellness promises stated as fact
        ("Our vitamin drip keeps colds away all winter.", "UNQUALIFIED_EFFICACY"),
        ("NAD+ turns back the clock on your cells.", "UNQUALIFIED_EFFICACY"),
        ("It ends a migraine attack every single time.", "UNQUALIFIED_EFFICACY"),
    ],
)
def test_safety_comparison_and_wellness_promises_by_meaning(sentence: str, code: str) -> None:
    assert code in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "It is impossible to predict who will have side effects.",
        "No clinic can promise the risk is zero.",
        "Serious complications are rare but can happen, so we monitor you throughout.",
        "SSRIs usually take four to six weeks to work.",
        "ECT remains an option for severe depression that has not responded to other treatments.",
        "Ask us whether IV vitamin therapy is right for you.",
    ],
)
def test_honest_safety_and_comparison_lines_stay_unflagged(sentence: str) -> None:
    assert not codes(sentence) & {
        "ABSOLUTE_SAFETY",
        "COMPARATIVE_SUPERIORITY",
        "UNQUALIFIED_EFFICACY",
    }


@pytest.mark.parametrize(
    "sentence",
    [
        # instructions and logistics that share words with the cues above
        "If you feel unwell the same evening, call us.",
        "Please stop eating by dinnertime.",
        "This will help us plan your dose.",
        "The hardest part is choosing a clinic.",
        "Once you arrive, stay off your phone.",
        "You don't need to come back for a follow-up.",
        "Tapering and ending depression medication should be supervised.",
        "You'll walk out with a new appointment card.",
        "You can return to work as early as lunch the next day.",
    ],
)
def test_instructions_sharing_cue_words_stay_unflagged(sentence: str) -> None:
    assert not codes(sentence)


# review16 (coord/review16-lex.md): honest sentences written against the session's patterns, and
# a few more of the same shapes. Permanence is withdrawn by a negated promise, a hedge or an
# indirect question; a future-tense result needs a benefit or a condition as its object; a
# dismissal needs a harm, symptom or sensation to dismiss; a comparison needs a rival or a health
# benefit; an efficacy cue needs the treatment as its subject.
@pytest.mark.parametrize(
    "sentence",
    [
        # permanence negated, hedged or asked about
        "We do not promise a lifetime of relief; depression can come back.",
        "Ending depression is not something we can promise.",
        "We can't promise that ending depression is possible for everyone.",
        "Once your course ends, some people stay well, while others relapse and need boosters.",
        "Researchers do not yet know whether the benefits are here to stay.",
        "Your brain has learned to expect threat, and therapy helps it unlearn that over time.",
        "Putting trauma behind you takes time, and ketamine is one tool some people use.",
        "Nobody can tell you whether the changes are here to stay.",
        "We cannot promise that your results will be yours to keep.",
        # future tense: side effects and logistics, a bare "it will" that is negated or asked
        "Ketamine will give you a dissociative feeling for about an hour.",
        "Spravato will bring on some dissociation for the first hour.",
        "Ketamine will get you a little drowsy, so plan to rest.",
        "Your session lasts about 40 minutes, and it will end with a short rest in the recovery chair.",
        "Our treatments will end at 6pm on Fridays during the holidays.",
        "Nobody can promise that it will.",
        "We can't tell you in advance whether this will.",
        "Ketamine will make you feel floaty for a while, so bring a driver home.",
        "Our infusions will take place in a private room with a nurse nearby.",
        # minimisation with nothing harmful named
        "It's not a problem for us if you need to reschedule.",
        "That is not an issue with most insurers.",
        "Our clinic is so small that you will always see the same nurse.",
        "Nausea is so rare that we still keep anti-nausea medicine ready.",
        "That's about the only thing we ask of you before your first visit.",
        "The only thing patients tend to mention afterwards is feeling tired.",
        "We apologise for any minor inconvenience while the car park is resurfaced.",
        "Book some me-time in our relaxation lounge before your appointment.",
        "The hardest part for many is a bit of anxiety before the first session; tell us and we can help.",
        "The waiting room is so small that we ask you to bring only one companion.",
        # comparisons with no rival and no health benefit
        "All the benefits of an in-person consultation without the commute.",
        "No other clinic in the region can match our Saturday hours.",
        "Why wait weeks for an appointment when we can usually see you this week?",
        "All the convenience of a home visit without the travel.",
        # absolute safety: a risk that cannot be ruled out, a record that is not about harm
        "Complications are uncommon, but it is impossible to rule them out entirely.",
        "We've honestly never seen one patient turned away for inability to pay.",
        "Serious reactions are rare, but it is impossible to fully exclude them.",
        # efficacy words with something other than the treatment as subject
        "The session ends the same way every time: with a blood pressure check.",
        "Dizziness clears every time within about an hour for most people.",
        "We track how well treatment is working in every patient using weekly questionnaires.",
        "Sleep restores the connections your brain uses to file memories.",
        "In people, we do not yet know whether ketamine repairs damage from chronic stress.",
        "Our app simply works offline.",
        "Our Saturday clinic is the one that works best for most working parents.",
        "Hand washing keeps you from getting sick more than any supplement.",
        "Our nurse checks your blood pressure every time you visit.",
        "Our booking page simply works on any phone.",
    ],
)
def test_review16_honest_sentences_stay_unflagged(sentence: str) -> None:
    assert codes(sentence) == set()


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        # the narrowed cues still read the overstatement when its object is there
        ("Whatever the diagnosis, ketamine will switch it off.", "UNQUALIFIED_EFFICACY"),
        ("Our infusions will lift your depression for good.", "UNQUALIFIED_EFFICACY"),
        (
            "After a course of TMS, the brain never forgets how to feel well.",
            "UNQUALIFIED_EFFICACY",
        ),
        (
            "The worst you'll face is something a long nap will fix, nothing worth worrying about.",
            "MINIMISATION",
        ),
        (
            "Why wait months for a pill to work when one infusion can do it today?",
            "COMPARATIVE_SUPERIORITY",
        ),
        ("All the mood benefits of a week away, without the flight.", "COMPARATIVE_SUPERIORITY"),
        ("The risk of dependence is so small that you need not think about it.", "MINIMISATION"),
    ],
)
def test_review16_narrowed_cues_still_read(sentence: str, code: str) -> None:
    assert code in codes(sentence)
