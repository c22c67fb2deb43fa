"""copy/topiccontext.py: what a sentence's section says of its topic, for the topic model."""

from __future__ import annotations

from claimledger.copy.structure import Unit, domain
from claimledger.copy.topiccontext import section_context


def _unit(norm: str, role: str = "body", treatment: str | None = "ketamine", named: bool = False,
          context: str = "") -> Unit:  # fmt: skip
    return Unit(0, len(norm), norm, norm, role, context, treatment, named, True)


def test_the_section_s_other_lines_tell_its_subject_and_the_nearest_cue_on_each_side() -> None:
    units = [
        _unit("How well does it work?", "question"),
        _unit("Most patients respond within days."),
        _unit("It is a good option."),
        _unit("A nurse stays with you."),
        _unit("Is it safe?", "question"),
        _unit("Blood pressure rises briefly."),
    ]
    strongest = [None, "rapid-onset", None, "procedure", None, "safety-short-term"]
    f = section_context(units, strongest, domain())
    assert f[2] == {
        "para:rapid-onset": 0.5,
        "para:procedure": 0.5,
        "last:rapid-onset": 1.0,
        "then:procedure": 1.0,
    }
    # the next question opens another section: its line is not read into this one
    assert "para:safety-short-term" not in f[3] and "then:safety-short-term" not in f[3]
    assert f[5] == {}  # alone in its section


def test_an_item_reads_its_intro_line_s_topic() -> None:
    intro = "Before any infusion, patients are checked for:"
    units = [_unit(intro, "intro"), _unit("low potassium", "item", context=intro)]
    f = section_context(units, ["procedure", None], domain())
    assert f[1]["intro:procedure"] == 1.0


def test_another_treatment_in_the_heading_or_the_last_named_line() -> None:
    units = [
        _unit("Is ketamine better than TMS?", "question", named=True),
        _unit("TMS takes six weeks of daily sessions.", treatment="tms", named=True),
        _unit("And it works less often."),
        _unit("Ketamine works in days.", named=True),
        _unit("Most people feel better."),
        _unit("What to expect", "heading"),
        _unit("You rest in a quiet room."),
    ]
    f = section_context(units, [None] * len(units), domain())
    assert f[2] == {"oth:head": 1.0, "oth:prev": 1.0}
    assert f[4] == {"oth:head": 1.0}  # the last line that names a treatment names the product
    assert f[6] == {}
