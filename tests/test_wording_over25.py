"""Session 24 (over25): three known misreadings of the wording lexicon, written here in new words.

A combination "safer than either alone" is a safety claim, not the "works better than either
alone" of the combination pages; a regulator named with its country ("the US FDA") is still the
FDA; and a plain, sourced denial of side effects a treatment is documented not to cause ("Unlike
antidepressants, TMS does not cause weight gain") is a fact, not a superiority or safety claim,
unless it promises more or denies anything else.
"""

from __future__ import annotations

import pytest

from claimledger.copy.facts import fact_check
from claimledger.copy.wording import lexicon_flags

COMPARATIVE = "COMPARATIVE_SUPERIORITY"
SAFETY = "ABSOLUTE_SAFETY"


def codes(sentence: str, treatment: str | None = None) -> set[str]:
    return {f.code for f in lexicon_flags(sentence, treatment=treatment)}


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("Pairing the two approaches is safer than either alone.", True),
        ("Together the two are safer and more effective than either one alone.", True),
        ("Counselling plus medication usually works better than either alone.", False),
    ],
)
def test_only_working_better_than_either_part_is_exempt(sentence: str, flagged: bool) -> None:
    assert (COMPARATIVE in codes(sentence)) is flagged


@pytest.mark.parametrize(
    ("sentence", "treatment"),
    [
        ("MDMA-assisted therapy was approved by the US FDA last year.", "psilocybin"),
        ("Our ketamine infusions are approved by the U.S. FDA for anxiety.", None),
        (
            "Racemic ketamine is approved by the United States Food and Drug Administration "
            "for PTSD.",
            None,
        ),
    ],
)
def test_a_regulator_named_with_its_country_is_read(sentence: str, treatment: str | None) -> None:
    assert "APPROVAL_SCOPE" in codes(sentence, treatment)


def test_a_date_given_for_the_us_fda_is_compared() -> None:
    fact = fact_check("Approved by the U.S. FDA in 2011!", ("ketamine", "esketamine"), "ketamine")
    assert fact is not None and fact[0] == "MISSTATED_FACT"


@pytest.mark.parametrize(
    "sentence",
    [
        "Unlike most antidepressants, TMS does not cause weight gain or sexual dysfunction.",
        "Since no drug enters the bloodstream, rTMS doesn't cause sedation or weight gain.",
        "Compared with medication, TMS has no systemic side effects.",
    ],
)
def test_a_sourced_side_effect_contrast_is_no_overstatement(sentence: str) -> None:
    assert not codes(sentence, "tms") & {COMPARATIVE, SAFETY}


@pytest.mark.parametrize(
    "sentence",
    [
        # a promise, or more than the documented effects
        "Unlike antidepressants, TMS will never cause weight gain or sexual dysfunction.",
        "Unlike pills, TMS has no side effects at all.",
        "Unlike medication, TMS does not cause weight gain, fatigue or memory problems.",
        # the rival is the documented treatment, or the sentence claims more besides
        "Unlike TMS, our infusions do not cause weight gain.",
        "Unlike antidepressants, TMS does not cause weight gain, and it works far better.",
        # review25 O1: a claim between two documented effects is read too
        "TMS does not cause sedation, beats every antidepressant, and has no weight gain.",
        "rTMS doesn't cause drowsiness and is a safer choice than pills for weight gain worries.",
        # another treatment: no documented absence for it here
        "Unlike SSRIs, ketamine does not cause weight gain or sexual side effects.",
    ],
)
def test_a_promise_or_another_claim_stays_flagged(sentence: str) -> None:
    assert codes(sentence) & {COMPARATIVE, SAFETY}


BOTH_FORMS = ("ketamine", "esketamine")


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        # a timeline entry: the year that heads it dates its event
        ("2015: Spravato approved for depression", "2015"),
        # ketamine's half-life is about 2.5 hours (Ketalar label)
        (
            "Ketamine has a half-life of nearly 18 hours, so one dose covers the whole day.",
            "18 hours",
        ),
        ("With a half-life of two days, ketamine keeps working long after you leave.", "two days"),
        # esketamine is the S-enantiomer of ketamine, not a new molecule
        ("Esketamine is a completely new compound, unrelated to the anaesthetic.", "new compound"),
        ("Esketamine was created from scratch in a lab for the nasal spray.", "from scratch"),
    ],
)
def test_misstated_figures_timelines_and_origins_are_flagged(sentence: str, words: str) -> None:
    fact = fact_check(sentence, BOTH_FORMS, "ketamine")
    assert fact is not None and fact[0] == "MISSTATED_FACT" and words in fact[1]


@pytest.mark.parametrize(
    "sentence",
    [
        "2019: Spravato approved for treatment-resistant depression",
        "1970: FDA approval",
        "Its half-life is about two and a half hours, so most of it is gone by evening.",
        "Ketamine's half-life is 2-3 hours in adults.",
        "Spravato has a terminal half-life of 7 to 12 hours.",  # the spray's own
        "Norketamine, its main metabolite, has a half-life of about 12 hours.",
        "Esketamine is not a new molecule: it is one mirror-image half of ketamine.",
        # review25 O2-O4: another half-life, a clearance time, a figure not given as the
        # half-life; the spray developed for depression; a heading year that dates another event
        "Ketamine's alpha half-life is only 10 to 15 minutes.",
        "It takes about five half-lives, roughly 12 hours, for ketamine to leave the body.",
        "Ketamine's half-life is short, and most of it is gone within 24 hours.",
        "Ketamine's half-life is 45 minutes longer in older adults.",
        "Esketamine nasal spray was developed specifically for adults with treatment-resistant "
        "depression.",
        "2016: Our clinic opened and began offering ketamine, years before Spravato was approved.",
    ],
)
def test_the_accurate_forms_are_not(sentence: str) -> None:
    assert fact_check(sentence, BOTH_FORMS, "ketamine") is None
