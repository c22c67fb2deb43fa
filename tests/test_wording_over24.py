"""Session 23 (over24): comparative superiority withdrawn where copy makes no comparison with a
rival. A trial's non-inferiority finding reported as such ("a trial found X at least as
effective as Y") and tolerance told as needing more "for the same effect" are claims, not
overstatements (benchmarks/copy-dev/README.md); a comparison that claims more than the trial
found, or a "same results as" promise, stays flagged. Written here in new words.
"""

from __future__ import annotations

import pytest

from claimledger.copy.wording import lexicon_flags

COMPARATIVE = "COMPARATIVE_SUPERIORITY"


def codes(sentence: str) -> set[str]:
    return {f.code for f in lexicon_flags(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        "A 2022 study of 300 adults found esketamine was at least as effective as quetiapine "
        "as an add-on.",
        "In one large trial, IV ketamine was shown to be at least as effective as ECT for "
        "depression without psychosis.",
        "With repeated use the body adapts, so people need higher doses to feel the same effect.",
        "Tolerance develops quickly: regular users take more and more for the same high.",
    ],
)
def test_findings_and_tolerance_are_no_comparative_claim(sentence: str) -> None:
    assert COMPARATIVE not in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ketamine is at least as effective as ECT, and far gentler.",
        "A recent trial proved ketamine outperforms ECT for everyone.",
        "You get the same results as an infusion without the needle.",
        "Ketamine works better than antidepressants.",
        # review24 O1: a finding or a tolerance remark withdraws only its own words, not a
        # comparison with a rival in the same sentence
        "Studies have shown ketamine is at least as effective as ECT, and it works far faster "
        "than any antidepressant.",
        "Patients on antidepressants often need higher doses to get the same relief, but "
        "ketamine works faster and better than any pill.",
        "Over time people take more of their SSRI for the same effect; ketamine works where "
        "antidepressants fail.",
    ],
)
def test_comparisons_with_a_rival_stay_flagged(sentence: str) -> None:
    assert COMPARATIVE in codes(sentence)


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("Medication combined with counselling tends to work better than either alone.", False),
        ("Used together, the two approaches often do more than either one alone.", False),
        ("Ketamine and therapy together work better than antidepressants alone.", True),
        ("Ketamine works better than either SSRIs or therapy.", True),
    ],
)
def test_a_combination_set_against_its_parts_is_no_comparison(sentence: str, flagged: bool) -> None:
    assert (COMPARATIVE in codes(sentence)) is flagged
