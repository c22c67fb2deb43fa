"""Spaces in lexicon patterns: a space written after a bar is part of the pattern, while a line
break after a bar (a long alternation wrapped in the YAML) adds nothing; and lower-casing that
changes a text's length ("İ") does not move the words a wording flag quotes."""

from __future__ import annotations

import pytest

from claimledger.copy.wording import lexicon_flags
from claimledger.data.lexicon import load_lexicon, parse_lexicon
from claimledger.library.lexicon import Caseless, lower_keeping_offsets


def test_a_space_after_a_bar_is_kept() -> None:
    rx = Caseless(r"\bhas(n.t| not) been proven\b")
    assert rx.search("It has not been proven in trials.") is not None
    assert rx.search("It hasn't been proven in trials.") is not None
    assert rx.search("It has been proven.") is None
    assert Caseless(r"\bx(a| b)\b").search("x b") is not None  # " b" keeps its space


def test_a_line_wrapped_after_a_bar_is_joined_without_a_space() -> None:
    raw = "folded: >-\n  (safe|\n  gentle|\n  mild)\nquoted: '(a|\n  b)'\nlist:\n  - 'x|\n    y'\n"
    data = parse_lexicon(raw)
    assert data == {"folded": "(safe|gentle|mild)", "quoted": "(a|b)", "list": ["x|y"]}


def test_an_escaped_bar_ending_a_line_is_not_a_wrap() -> None:
    data = parse_lexicon("folded: >-\n  a\\|\n  b\n")
    assert data == {"folded": "a\\| b"}  # a literal bar, then the fold's space


def test_a_space_written_after_a_bar_survives_loading() -> None:
    data = parse_lexicon("inline: '(one|body| \\w+)?'\nblock: |\n  kept as written\n")
    assert data == {"inline": r"(one|body| \w+)?", "block": "kept as written\n"}


def test_shipped_lexicons_hold_no_wrap_marks() -> None:
    def strings(v: object) -> list[str]:
        if isinstance(v, str):
            return [v]
        if isinstance(v, dict):
            return [s for k, x in v.items() for s in strings(k) + strings(x)]
        if isinstance(v, list):
            return [s for x in v for s in strings(x)]
        return []

    for name in ("copy", "wording", "overstated", "facts", "claim_cues"):
        found = strings(load_lexicon(name))
        assert found
        assert not [s for s in found if "\ue000" in s or "|\n" in s]


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        # "{universal} \w+": a universal and the noun after it, not any word a universal starts
        ("Ketamine works for all patients.", True),
        ("It works for everyone.", True),
        # honest sentences the wrapped-space reading ("all" + "\w+") flagged
        ("In rare cases the infusion results in allergic reactions.", False),
        ("Ketamine works with allied health teams, such as your therapist.", False),
        ("The nurse helps with anything you need during the visit.", False),
    ],
)
def test_universal_efficacy_reads_the_space_it_was_written_with(
    sentence: str, flagged: bool
) -> None:
    codes = {f.code for f in lexicon_flags(sentence)}
    assert ("UNQUALIFIED_EFFICACY" in codes) is flagged


def test_lower_keeping_offsets() -> None:
    assert lower_keeping_offsets("İZMİR Clinic") == "izmir clinic"
    assert len(lower_keeping_offsets("İİ ok")) == len("İİ ok")
    assert lower_keeping_offsets("Plain") == "plain"


def test_a_withdrawn_clause_does_not_move_the_quoted_words() -> None:
    """A withdrawal in one clause and a cue in another: the quoted words are the cue's, also
    when a dotted capital I before them lower-cases to two characters."""
    for head in ("", "İİİİ "):
        flags = lexicon_flags(
            head + "Whether ketamine is safe for you is checked, but ketamine is 100% safe."
        )
        safety = [f for f in flags if f.code == "ABSOLUTE_SAFETY"]
        assert safety
        assert safety[0].message.startswith('"100% safe"')


def test_a_term_of_art_about_another_treatment_does_not_move_the_quoted_words() -> None:
    """``own_only`` blanks "gold standard" about another treatment; what is still flagged in
    the sentence is quoted as written, a dotted capital I before it or not."""
    for head in ("", "İİİİ "):
        flags = lexicon_flags(
            head + "ECT is the gold standard for you and the best treatment in the world.",
            own=False,
            treatment="ect",
        )
        superlative = [f for f in flags if f.code == "PUFFERY"]
        assert superlative
        assert superlative[0].message.startswith('"the best treatment"')
