"""Session 22 (over23) rules, each in new words with honest sentences of the same shape: misstated
facts (data/facts.yaml: esketamine called racemic ketamine or a diluted form of it, ketamine or
TMS given a wrong inventor, ketamine put in the psychedelics' family or called plant-derived,
the antidepressant effect dated wrongly in other words, a year judged before a war named beside
it), side effects played down (too slight for anyone to notice, monitoring "mostly a formality",
likened to a nap, "practically nonexistent", "barely a blip") and efficacy stated outright
(nothing else "will" or "can", wellness-drip mechanisms told as results).
"""

from __future__ import annotations

import pytest

from claimledger.copy.facts import fact_check
from claimledger.copy.wording import lexicon_flags

PAGE = ("ketamine", "esketamine")


def fact(sentence: str, page: tuple[str, ...] = PAGE, treatment: str = "ketamine") -> bool:
    return fact_check(sentence, page, treatment) is not None


@pytest.mark.parametrize(
    "sentence",
    [
        "Esketamine is the very same drug as the ketamine we infuse, only sprayed.",
        "Spravato is just plain ketamine in a nasal spray with a bigger price tag.",
        "The nasal spray is a weaker, diluted form of ketamine.",
        "Our founder reminds patients that ketamine was first developed by the U.S. military.",
        "The compound was originally created by Harvard psychiatrists hunting for a new antidepressant.",
        "TMS was first designed for the Navy to keep submarine crews alert.",
        "Ketamine sits in the same class of drugs as LSD and DMT.",
        "It is a plant-based medicine used by healers.",
        "The antidepressant properties were originally noticed in the 1970s.",
        "In 1990 a small team was the first to prove that ketamine could ease depression.",
        "She cites the 1988 trial that found ketamine's antidepressant effect.",
        "The drug was invented in the 1980s for medics in the Gulf War.",
    ],
)
def test_a_misstated_fact_is_flagged(sentence: str) -> None:
    assert fact(sentence)


def test_tms_facts_read_tms_pages() -> None:
    assert fact("The device itself was invented by NASA for astronauts.", ("tms",), "tms")
    assert not fact("The device was cleared by the FDA in 2008.", ("tms",), "tms")


@pytest.mark.parametrize(
    "sentence",
    [
        "Esketamine is one half of the ketamine molecule, given as a nasal spray.",
        "Is Spravato the same drug as IV ketamine?",
        "Spravato is not simply ketamine in a spray: it is one enantiomer, dosed differently.",
        "Ketamine was developed by a Parke-Davis chemist in 1962.",
        "Its antidepressant effect was later studied by Yale researchers.",
        "Ketamine's antidepressant effect was first reported by a Yale team in 2000.",
        "In 2006 a study at the NIMH showed ketamine relieves depression within hours.",
        "Ketamine is not in the same family as psilocybin or LSD.",
        "Ketamine was developed in 1962 and was first used widely in Vietnam.",
        "The antidepressant effect usually begins within a day.",
        # review23 O5, O6
        "It was discovered by Yale psychiatrists in 2000 that ketamine could lift depression within hours.",
        "The antidepressant effect of iproniazid was first noticed in 1952, in patients with tuberculosis.",
    ],
)
def test_an_accurate_fact_is_not_flagged(sentence: str) -> None:
    assert not fact(sentence)


def codes(sentence: str) -> set[str]:
    return {f.code for f in lexicon_flags(sentence, treatment="ketamine")}


@pytest.mark.parametrize(
    "sentence",
    [
        "Heart-rate rises are so slight that most guests never feel them.",
        "The after-effects are so brief you could head straight to dinner.",
        "The observation hour is largely a formality at our doses.",
        "Worried about the side effects? Nothing a quick nap won't fix.",
        "Risks? Virtually nonexistent.",
        "Any dizziness is really just a blip.",
    ],
)
def test_a_minimised_side_effect_is_flagged(sentence: str) -> None:
    assert "MINIMISATION" in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Side effects are usually mild, and most pass within two hours.",
        "The two-hour observation is required by the FDA, and we take it seriously.",
        "Many people feel sleepy and nap for an hour after the session.",
        "Side effects? Nausea, dizziness and dissociation are the most common.",
        "Blood pressure rises are common, so a nurse checks it every 15 minutes.",
        # review23 O2-O4
        "Once you are home, you can just take a nap for the rest of the afternoon.",
        "Insurance pre-authorisation is mostly a formality for our billing team.",
        "The waiting room is really nothing fancy, just a few chairs and a water cooler.",
    ],
)
def test_an_honest_side_effect_line_is_not_minimisation(sentence: str) -> None:
    assert "MINIMISATION" not in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Our infusions can lift depression when nothing else could.",
        "Three sessions did what nothing else can.",
        "Our glutathione push detoxes harmful toxins and supercharges your immune system.",
        "NAD+ repairs your brain cells and refuels you at the cellular level.",
        "This tea melts away stubborn fat.",
        "Our adaptogen blend rebalances your hormones.",
    ],
)
def test_unqualified_efficacy_is_flagged(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "When nothing else has worked, ketamine may help some patients.",
        "Some small studies suggest NAD+ may support cellular energy; evidence in people is limited.",
        "Your liver and kidneys clear toxins; no drip is needed for that.",
        "IV vitamin C may support immune function in people who are deficient.",
    ],
)
def test_a_hedged_or_plain_line_is_not_unqualified_efficacy(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" not in codes(sentence)
