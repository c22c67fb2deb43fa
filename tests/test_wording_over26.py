"""Session 25 (over26): four shapes of unqualified efficacy the lexicon missed, in new words.

A traumatic memory's emotional charge erased, or the past that "can no longer hurt you"; a
thought or worry that switches off by itself; the fight-or-flight response switched off or
reset; and leaving the first visit with the benefit ("patients walk out of their first session
feeling the fog lift"). Each is a complete or certain result; the accurate forms (a graded
verb, a possibility, a denial, "some" or "many", a passing effect of the visit) are not flagged.
"""

from __future__ import annotations

import pytest

from claimledger.copy.wording import lexicon_flags

EFFICACY = "UNQUALIFIED_EFFICACY"


def codes(sentence: str) -> set[str]:
    return {f.code for f in lexicon_flags(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        "Our infusions strip away the emotional charge that old memories carry.",
        "Ketamine wipes out the emotional sting of a painful memory.",
        "With the right support, those memories will no longer haunt you.",
        "For most clients the racing thoughts just shut off within the hour.",
        "After one visit the worry finally switches off.",
        "The constant worry just switches off after the first infusion.",
        "Shut Off Your Fight-Or-Flight Response In One Visit",
        "One block resets the fight-or-flight system that trauma left stuck.",
        "Clients walk out of their first treatment feeling the heaviness lift.",
        "Nearly all of our guests leave their very first session with real relief.",
    ],
)
def test_complete_or_certain_results_are_flagged(sentence: str) -> None:
    assert EFFICACY in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ketamine may soften the emotional charge of some memories during therapy.",
        "Ketamine does not erase the emotional charge of a memory; therapy does the work.",
        "Pain that never switches off wears people down.",
        "Switch off your phone before the infusion starts.",
        "The block may calm an overactive fight-or-flight response; how it helps is not known.",
        "The stellate ganglion is part of the system behind the fight-or-flight response.",
        "If your worry switches off during the session, let the nurse know how you feel.",
        "Some people walk out of their first session feeling a little lighter.",
        "Many patients leave their first infusion feeling groggy, so arrange a ride home.",
        "Most people leave their first appointment with a treatment plan and a date for the next.",
        # review26 O1-O4: equipment, a passing or partial effect, a mechanism put as a hypothesis,
        # a denial, an aim, a possibility, hope about the plan
        "The monitor's alarm turns off once your blood pressure settles.",
        "During the infusion, many people notice their busy thoughts switch off for a little while.",
        "For some, the racing thoughts switch off during the session and return afterwards.",
        "Stellate ganglion block is thought to reset the fight-or-flight response.",
        "Researchers propose that the block reboots the fight-or-flight response.",
        "In a small study, the block appeared to reset the fight-or-flight response in some veterans.",
        "Ketamine does not fully erase the emotional charge of trauma.",
        "EMDR aims to remove the emotional charge attached to a memory.",
        "Therapy can help remove the emotional charge of a memory over several sessions.",
        "Most families leave their first visit feeling hopeful about the plan.",
    ],
)
def test_the_accurate_forms_are_not(sentence: str) -> None:
    assert EFFICACY not in codes(sentence)
