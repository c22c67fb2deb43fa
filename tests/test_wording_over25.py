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
        # another treatment: no documented absence for it here
        "Unlike SSRIs, ketamine does not cause weight gain or sexual side effects.",
    ],
)
def test_a_promise_or_another_claim_stays_flagged(sentence: str) -> None:
    assert codes(sentence) & {COMPARATIVE, SAFETY}
