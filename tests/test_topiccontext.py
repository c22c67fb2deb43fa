"""copy/topiccontext.py: what a sentence's section says of the treatment it is about."""

from __future__ import annotations

from claimledger.copy.structure import Unit, domain
from claimledger.copy.topiccontext import section_context


def _unit(norm: str, role: str = "body", treatment: str | None = "ketamine", named: bool = False) -> Unit:  # fmt: skip
    return Unit(0, len(norm), norm, norm, role, "", treatment, named, True)


def test_another_treatment_in_the_heading_or_the_section_s_last_named_line() -> None:
    units = [
        _unit("Is ketamine better than TMS?", "question", named=True),
        _unit("TMS takes six weeks of daily sessions.", treatment="tms", named=True),
        _unit("And it works less often."),
        _unit("Ketamine works in days.", named=True),
        _unit("Most people feel better."),
        _unit("What to expect", "heading"),
        _unit("You rest in a quiet room."),
    ]
    f = section_context(units, domain())
    assert f[0] == {} and f[1] == {"oth:head": 1.0}
    assert f[2] == {"oth:head": 1.0, "oth:prev": 1.0}
    assert f[3] == {"oth:head": 1.0, "oth:prev": 1.0}  # names the product while comparing
    assert f[4] == {"oth:head": 1.0}  # the last line that names a treatment names the product
    # a heading reads the section it closes; the next section starts afresh
    assert f[5] == {"oth:head": 1.0}
    assert f[6] == {}


def test_a_heading_naming_only_the_product_says_nothing() -> None:
    units = [_unit("How ketamine works", "heading", named=True), _unit("It blocks a receptor.")]
    assert section_context(units, domain()) == [{}, {}]
