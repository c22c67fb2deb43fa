"""What a sentence's section says of the treatment it is about, for the topic model. Pure.

A line about another treatment rarely names it again: "Those sensations are simply stuck emotions
leaving your body" sits under "What Breathwork Does"; "And it works less often" follows "TMS takes
six weeks of daily sessions"; a reply under "Is ketamine better than TMS?" compares the two.
copy/structure.py reads such a line as about the product (it names none, or names the product
while comparing), and the topic model, whose class `other-treatment` is for them, reads only its
words, its neighbours' and its heading's meaning. Two features say what its section says (a
section is the run of units between two headings or questions; a heading reads the section it
closes):

- ``oth:head`` its heading names a treatment other than the product (among others: "Is ketamine
  better than TMS?" names both);
- ``oth:prev`` the last unit before it in its section that names a treatment names another one.
  It fires on a line that names the product too ("Ketamine works in days." after "TMS takes six
  weeks"): such a line compares, and the model reads whether it names a treatment itself
  (its claim-model features) beside it.

Measured leaving one of 8 writer groups out (benchmarks/train_topic.py; session 25): see
train_topic.py's docstring. Other section features were measured and not kept (the share of the
section's cue topics, the nearest cue before/after within the section, an item's intro line's
cue, the share of the section's named lines that name another treatment).
"""

from __future__ import annotations

from collections.abc import Sequence

from claimledger.copy.structure import Domain, Unit

__all__ = ["CONTEXT", "section_context"]

OTHER_HEAD = "oth:head"
OTHER_PREV = "oth:prev"
CONTEXT = ("oth:",)  # every prefix these features' names start with
_HEADS = ("heading", "question")


def section_context(units: Sequence[Unit], d: Domain) -> list[dict[str, float]]:
    """For each unit of a page, the features above (one pass)."""
    other_head: dict[int, bool] = {}
    above: int | None = None  # the heading the unit's section sits under
    said: str | None = None  # the treatment the section's last line that names one names
    out: list[dict[str, float]] = []
    for i, u in enumerate(units):
        f: dict[str, float] = {}
        if above is not None:
            if above not in other_head:
                named = d.treatments_in(units[above].norm)
                other_head[above] = any(t != d.product for t in named)
            if other_head[above]:
                f[OTHER_HEAD] = 1.0
        if said is not None and said != d.product:
            f[OTHER_PREV] = 1.0
        out.append(f)
        if u.role in _HEADS:
            above, said = i, None
        elif u.named and u.treatment:
            said = u.treatment
    return out
