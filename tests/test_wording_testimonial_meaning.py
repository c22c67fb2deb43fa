"""Testimonial as proof read by meaning: a speaker (a patient, a reviewer, a parent speaking for a
child) voicing a change in their life after treatment (16 CFR 255.2). Each rule has its honest
counter-example next to it: the speaker without a change, or the change without a speaker."""

from __future__ import annotations

import pytest

from claimledger.copy.wording import lexicon_flags

T = "TESTIMONIALS_AS_PROOF"


def codes(sentence: str, quoted: bool = False) -> set[str]:
    return {f.code for f in lexicon_flags(sentence, quoted, in_quote='"' in sentence)}


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        # quoted words reporting a change: flagged; a quoted logistics remark or side effect: not
        ('"I stopped dreading Monday mornings after my second session."', True),
        ('"The front desk found me a Saturday slot and the parking was easy."', False),
        ('"I felt floaty and a little sick for about an hour afterwards."', False),
        # attribution after the quote marks the speaker
        ('"My son went from skipping school to making the honour roll." - Dana, 44', True),
        (
            '"I was nervous before my first visit, but the nurse explained each step." - Ray, 52',
            False,
        ),
        # a non-response is no outcome offered as proof
        ('"Honestly I do not feel any different yet." - Jo, 38', False),
    ],
)
def test_quoted_speaker_with_a_change(sentence: str, flagged: bool) -> None:
    assert (T in codes(sentence)) is flagged


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        # an unquoted first-person story after treatment (a review block without quote marks)
        ("After three sessions my panic was simply gone.", True),
        ("I have not had a single sleepless week since my last infusion.", True),
        # the same first person, no change: a booking remark
        ("After my third session I booked my follow-ups for the month.", False),
        # a clinician's first person about patients, cautious: not a patient's testimonial
        ("In my practice, I've seen symptoms ease over several sessions for some patients.", False),
        # a writer's change of mind is not a health outcome
        (
            "I used to think ketamine was only a party drug, but now I know it is an anaesthetic.",
            False,
        ),
    ],
)
def test_first_person_story_after_treatment(sentence: str, flagged: bool) -> None:
    assert (T in codes(sentence)) is flagged


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        # before and after in someone's own words
        ('"Two months ago I could not leave the house. Now I walk the dog every morning."', True),
        # a clinic's instruction about the time after treatment has no speaker and no change
        ("After your infusion, you can return to work the next day.", False),
        # the disclaimer that results vary is the opposite of proof
        ("Individual results vary; these stories are not a promise of any outcome.", False),
        ('"Results vary, but I feel like myself again." - Lee, 29', False),
    ],
)
def test_before_and_after_and_disclaimers(sentence: str, flagged: bool) -> None:
    assert (T in codes(sentence)) is flagged


def test_a_star_rated_review_is_a_speaker() -> None:
    assert T in codes("★★★★★ Three infusions in and the fog lifted for good.")
    assert T not in codes("★★★★★ Friendly staff and a quiet, clean room.")


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        # a patient's report that other treatments failed them: README rule 5 would flag it, but
        # the labels disagree, so it is left to the back-up (data/wording.yaml note)
        ('"Four medications in six years, and none of them touched the darkness."', False),
        # a personal non-response to the product itself is not offered as proof
        ('"Ketamine did nothing for me, sadly." - Pat, 50', False),
        # a trial's figure about another treatment is data, not a story
        ("Antidepressants did nothing for about a third of patients in STAR*D.", False),
        # the treatment named as what lifted the speaker's condition, told after treatment
        ("After years of trying, my third infusion lifted the fog completely.", True),
        ("My third infusion is booked for Tuesday at noon.", False),
    ],
)
def test_failed_treatments_and_what_lifted_it(sentence: str, flagged: bool) -> None:
    assert (T in codes(sentence)) is flagged
