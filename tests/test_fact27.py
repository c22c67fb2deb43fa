"""Session 26 (fact27): misstated facts and puffery shapes the lexicon missed on dev pages.

Ketamine said to leave the body within minutes or an hour or two (its half-life is ~2.5
hours), ketamine or KAP called the standard of care, ketamine called a psychedelic medicine (it
is a dissociative anaesthetic), an FDA approval of ketamine to come told as settled; and three
puffery shapes: the "ultimate" or "complete" reset of the brain, "have not seen anything work
like this", and "most advanced" said of a technology or formula or of a place's own protocols.
The accurate forms of the same facts ("cleared within hours", ECT "remains the standard of
care", "psychedelic-like effects", "may approve") are not flagged.
"""

from __future__ import annotations

import pytest

from claimledger.copy.facts import fact_check
from claimledger.copy.wording import lexicon_flags

FACT = "MISSTATED_FACT"
PUFFERY = "PUFFERY"


def fact_code(sentence: str) -> str | None:
    flag = fact_check(sentence, ("ketamine",), "ketamine")
    return flag[0] if flag else None


@pytest.mark.parametrize(
    "sentence",
    [
        "The ketamine is out of your system within about 30 minutes of the infusion ending.",
        "Ketamine is cleared from the body within about two hours of the session.",
        "By the time you walk out, it is completely out of your system.",
        "KAP is now the standard of care for treatment-resistant depression.",
        "For someone in a suicidal crisis, ketamine has become the standard of care.",
        "Ketamine is the only legal psychedelic medicine in the United States.",
        "Ketamine is a psychedelic medicine that opens a window for deep inner work.",
        "The FDA is expected to fully approve it in 2026, so join our waitlist.",
        "The FDA has already signaled it will approve IV ketamine for depression soon.",
    ],
)
def test_misstated_facts_are_flagged(sentence: str) -> None:
    assert fact_code(sentence) == FACT


@pytest.mark.parametrize(
    "sentence",
    [
        "Ketamine passes into breast milk in small amounts and is cleared from the body within hours.",
        "The drug itself leaves the body within hours, so lasting benefit depends on other changes.",
        "Ketamine is not out of your system within an hour, so do not drive until tomorrow.",
        "Blood levels fall within minutes of the drip stopping, though ketamine takes hours to clear.",
        "For psychotic depression or catatonia, ECT remains the standard of care.",
        "In two studies, Spravato plus standard of care reduced symptoms more than placebo.",
        "Ketamine is not a classic psychedelic like psilocybin; it is a dissociative anesthetic.",
        "Ketamine is the one medicine with psychedelic-like effects that clinicians can use legally.",
        "Ketamine is sometimes grouped with psychedelics, but it acts differently.",
        "Is ketamine a psychedelic drug?",
        "IV iron infusions are the standard of care when oral iron fails.",
        "We monitor your blood pressure throughout, as it is the standard of care for any sedation.",
        "Ketamine remains the standard of care for procedural sedation in many emergency departments.",
        "The FDA may approve other forms one day, but for now ketamine for depression is off-label.",
        "Researchers hope the FDA will approve psilocybin therapy in the next few years.",
        "The FDA is expected to clear the accelerated TMS protocol for teenagers next year.",
        "The FDA is expected to approve MM120, an LSD-based medicine, for anxiety.",
    ],
)
def test_accurate_statements_of_the_same_facts_are_not_flagged(sentence: str) -> None:
    assert fact_code(sentence) is None


def codes(sentence: str) -> set[str]:
    return {f.code for f in lexicon_flags(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        "It is the ultimate reset button for a tired, stressed-out brain.",
        "Think of it as a complete reboot for the mind.",
        "The Depression Reset Button Your City Has Been Waiting For",
        "In twenty years of practice I have not seen anything work like this.",
        "I have never seen anything in medicine work as fast as ketamine does.",
        "The world's most advanced mood formula, developed by leading neuroscientists.",
        "It truly is the gentlest, most advanced depression technology on the planet.",
        "The valley's most advanced ketamine protocols",
    ],
)
def test_puffery_is_flagged(sentence: str) -> None:
    assert PUFFERY in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Total Reset: 4 infusions, 7 nights and integration therapy, USD 3,900.",
        "Press the reset button on the router if the portal will not load.",
        "We have not seen anyone work harder than our front-desk team.",
        "The city's most experienced front-desk team.",
        "Ketamine is not a brain reset button, whatever you read online.",
        "Is ketamine a depression reset button? Not exactly.",
        "Our patient portal uses the most advanced encryption technology to protect your records.",
    ],
)
def test_business_and_plain_lines_are_not_puffery(sentence: str) -> None:
    assert PUFFERY not in codes(sentence)
