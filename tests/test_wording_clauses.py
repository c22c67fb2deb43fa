"""Clause-scoped withdrawals: an `unless` of data/wording.yaml withdraws a flag in its own clause
only, so a qualifier in one clause no longer clears an overstatement in another."""

from __future__ import annotations

import pytest

from claimledger.copy.wording import lexicon_flags


def _codes(sentence: str) -> set[str]:
    return {f.code for f in lexicon_flags(sentence)}


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        # counter-examples a review found for sentence-wide withdrawals: they stay flagged
        ("Whether you are 20 or 70, ketamine is safe for everyone.", "ABSOLUTE_SAFETY"),
        ("Ketamine delivers a result that has never been proven wrong.", "UNQUALIFIED_EFFICACY"),
        (
            "Pills and talk therapy manage symptoms, but neither is a cure; ketamine cures it.",
            "UNQUALIFIED_EFFICACY",
        ),
        (
            "Ketamine is not for everyone, but it works for everyone who tries it.",
            "UNQUALIFIED_EFFICACY",
        ),
        # a result said to fade withdraws only a result's own clause
        (
            "Unlike these, ketamine works every time and wears off without any lasting side effects.",
            "UNQUALIFIED_EFFICACY",
        ),
    ],
)
def test_a_withdrawal_in_another_clause_leaves_the_flag(sentence: str, code: str) -> None:
    assert code in _codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "We will talk openly with you about whether KAP is a safe choice.",
        "A physician checks your medications to see whether HBOT is safe for you.",
        "We hope therapy stretches that benefit out, but this has not been proven in large trials.",
        "The evidence for each is real, but neither is a cure, and the right choice depends on you.",
        "For most people, the lift from a single infusion fades within one to two weeks.",
        "Ketamine is not a cure, a quick fix, or a guarantee.",
        "Four: it does not last forever on its own",
        "For most this improves in the months after the course, but some gaps can be permanent.",
    ],
)
def test_a_withdrawal_clears_its_own_clause(sentence: str) -> None:
    assert not _codes(sentence) & {"ABSOLUTE_SAFETY", "UNQUALIFIED_EFFICACY"}


def test_figures_and_comparisons_keep_a_sentence_wide_source() -> None:
    """A source anywhere in the sentence covers its figure or comparison (unless_scope: sentence)."""
    assert not _codes(
        "In a 2006 NIH trial, a single infusion improved depression within a day in about 7 of 10 people."
    ) & {"UNSUPPORTED_FIGURE"}
    assert "COMPARATIVE_SUPERIORITY" not in _codes(
        "A large 2023 trial found that, for adults with treatment-resistant depression, ketamine "
        "infusions were about as effective as ECT."
    )


def test_evidence_words_after_best_describe_rather_than_praise() -> None:
    assert "PUFFERY" not in _codes("ERP is the best-studied psychological treatment for OCD.")
    assert "PUFFERY" in _codes("Ketamine is the best treatment for depression.")


def test_approval_denied_is_no_approval_claim() -> None:
    for s in (
        "No form of ketamine or esketamine is FDA-approved for anxiety, OCD or bipolar disorder.",
        "Dietary supplements are not reviewed or approved by the FDA before they go on sale.",
        "Not every SSRI is approved for every condition.",
    ):
        assert "APPROVAL_SCOPE" not in _codes(s), s
    assert "APPROVAL_SCOPE" in _codes("Ketamine is FDA-approved for depression and anxiety.")


def test_halves_of_a_molecule_is_no_figure() -> None:
    assert "UNSUPPORTED_FIGURE" not in _codes(
        "Esketamine is one of the two mirror-image halves of the ketamine molecule."
    )
    assert "UNSUPPORTED_FIGURE" in _codes("Ketamine halves your depression scores in a week.")


@pytest.mark.parametrize(
    "sentence",
    [
        # the supplement disclaimer, with or without the list's last comma
        "This product is not intended to diagnose, treat, cure or prevent any disease.",
        "This product is not intended to diagnose, treat, cure, or prevent any disease.",
        # a comma between two qualities keeps the qualifier in the same clause
        "Ketamine is a safe, well-tolerated treatment when given under medical supervision.",
    ],
)
def test_a_qualifier_reaches_the_list_it_belongs_to(sentence: str) -> None:
    assert not _codes(sentence) & {"UNQUALIFIED_EFFICACY", "CURE_PERMANENCE", "ABSOLUTE_SAFETY"}


def test_an_idiom_after_no_does_not_deny_an_approval() -> None:
    """ "no secret that ... is approved" asserts the approval; "no form of X is approved" denies it."""
    assert "APPROVAL_SCOPE" in _codes(
        "It's no secret that ketamine is FDA-approved for depression."
    )
