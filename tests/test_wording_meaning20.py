"""Wording cues by meaning (data/wording.yaml, session 20): permanence said in other words (relief
that lasts a lifetime, stays reset, does not fade, a condition that does not come back or no longer
holds power), the whole experience played down (patients "just feel a little spacey", "nothing
ever happens", "so minor it hardly counts") and the speaker's own condition said to have ended
("my anxiety was gone"). Each is written here in new words; the honest sentences of the same shape
that must stay unflagged were written first (benchmarks/copy-dev/README.md: plain, hedged or
disclosed facts are claims, not overstatements).
"""

from __future__ import annotations

import pytest

from claimledger.copy.wording import lexicon_flags


def codes(sentence: str, quoted: bool = False) -> set[str]:
    return {f.code for f in lexicon_flags(sentence, quoted)}


HONEST = [
    # durability bounded, or asked about
    "After one infusion, relief usually lasts several days to two weeks.",
    "The relief lasts about a week for most people, so a series is planned.",
    "How long the improvement lasts after a full course is still being studied.",
    "Untreated, anxiety can last a lifetime.",
    "Bladder damage from years of heavy use can last a lifetime.",
    "Some patients stay well for months with occasional boosters; others relapse sooner.",
    "Boosters given every few weeks can help keep symptoms from returning.",
    "If your symptoms don't come back within a month, we space out the visits.",
    "Patients who don't return for a follow-up get a call from our nurse.",
    "Ketamine does not have the hold on patients that opioids can have, but misuse is possible.",
    # side effects described honestly, or nothing happening as an instruction
    "Most patients feel a little drowsy for an hour or so, and some feel sick.",
    "If nothing happens after three infusions, we talk about other options.",
    "Tell the nurse about any reaction, however minor it seems.",
    # a patient's changed condition told with a negation, a condition or a wish
    "After six infusions my depression has not lifted, and we are trying something else.",
    "My anxiety hardly eased in the first month.",
    "If my panic attacks stopped, I could go back to work.",
    "Will my depression be gone after the series?",
    "My depression lifted for a few days and then came back.",
    "My anxiety was gone by the evening, though I still have harder weeks.",
]

OVERSTATED = [
    # permanence in other words
    ("Most clients find the calm they gain here lasts a lifetime.", "UNQUALIFIED_EFFICACY"),
    ("With the monthly plan, members remain pain-free indefinitely.", "UNQUALIFIED_EFFICACY"),
    ("Once your mood circuit is rewired, it tends to stay rewired.", "UNQUALIFIED_EFFICACY"),
    ("Our graduates stay well for years after one programme.", "UNQUALIFIED_EFFICACY"),
    ("This is healing that stays with no pills to remember.", "UNQUALIFIED_EFFICACY"),
    ("The improvement never fades the way a pill's does.", "UNQUALIFIED_EFFICACY"),
    ("The panic attacks don't come back.", "UNQUALIFIED_EFFICACY"),
    ("A booster plan that keeps anxiety from ever returning.", "UNQUALIFIED_EFFICACY"),
    (
        "After the retreat, the old grief no longer holds any power over you.",
        "UNQUALIFIED_EFFICACY",
    ),
    # the experience played down
    ("Honestly, most guests only feel a bit floaty and then drive home.", "MINIMISATION"),
    ("Between us, nothing much ever happens in the recovery room.", "MINIMISATION"),
    ("The dizziness is so mild most people barely register it.", "MINIMISATION"),
    ("Any reactions are rare and hardly worth mentioning.", "MINIMISATION"),
    # the speaker's own condition ended
    ("After the third session my panic attacks were simply gone.", "TESTIMONIALS_AS_PROOF"),
    (
        "My migraines vanished after two infusions and the nurses were lovely.",
        "TESTIMONIALS_AS_PROOF",
    ),
    ("Five stars. My OCD has completely stopped.", "TESTIMONIALS_AS_PROOF"),
]


@pytest.mark.parametrize("sentence", HONEST)
def test_honest_sentences_stay_unflagged(sentence: str) -> None:
    assert codes(sentence) == set()


@pytest.mark.parametrize(("sentence", "code"), OVERSTATED)
def test_overstatements_by_meaning_are_flagged(sentence: str, code: str) -> None:
    assert code in codes(sentence)
