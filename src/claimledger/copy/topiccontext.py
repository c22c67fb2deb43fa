"""What a sentence's place on the page says of its topic, for the topic model. Pure.

A reviewer reads a line with the lines around it: "Many pain patients return for a booster every
one to three months" sits in a section whose other lines speak of pain and its relief; "Those
sensations are simply stuck emotions leaving your body" sits under "What Breathwork Does"; a reply
under "Is ketamine better than TMS?" compares the two. The topic model already reads the topic
cue of the heading and of the units just before and after a sentence (copy/topicmodel.py PLACE);
these features read the rest of its section (the units between the heading or question it sits
under and the next one), which a heading with no topic cue of its own ("How Well Does It Work?",
"What the research shows") leaves unread:

- ``para:`` the share of the section's other units whose strongest topic cue is each topic (the
  section's subject, as ``about:`` is the page's);
- ``last:`` / ``then:`` the strongest cue of the nearest unit before / after it in its section
  that has one (a story or an answer keeps to its topic past a line without a cue);
- ``intro:`` the strongest cue of the intro line or question its items answer;
- ``oth:head`` its heading names another treatment; ``oth:prev`` the last unit before it in its
  section that names a treatment names another one (a line about another treatment rarely
  names it again).

Measured leaving writers out in benchmarks/train_topic.py (``--compare-without`` each prefix).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from claimledger.copy.structure import Domain, Unit

__all__ = ["CONTEXT", "section_context"]

PARA = "para:"
LAST = "last:"
THEN = "then:"
INTRO = "intro:"
OTHER_HEAD = "oth:head"
OTHER_PREV = "oth:prev"
# every prefix these features' names start with (the topic model's own are elsewhere)
CONTEXT = (PARA, LAST, THEN, INTRO, "oth:")
_HEADS = ("heading", "question")
_INTROS = ("intro", "question", "heading")
INTRO_BACK = 40  # how many units back an item's intro line is looked for


def section_context(
    units: Sequence[Unit], strongest: Sequence[str | None], d: Domain
) -> list[dict[str, float]]:
    """For each unit of a page, the features above; ``strongest`` is each unit's strongest topic
    cue (weight one or more; None for none)."""
    n = len(units)
    head = [u.role in _HEADS for u in units]
    # a section is the run of units between two headings; a heading itself reads the section
    # it closes and the one it opens. One pass each way (a page without headings is one long
    # section): per section, how many of its units have each strongest cue, and the nearest
    # cue and named treatment before and after each unit within it
    block: list[int] = []
    counts: list[Counter[str]] = [Counter()]
    last: list[str | None] = []
    named: list[str | None] = []
    cue: str | None = None
    said: str | None = None
    for i, u in enumerate(units):
        last.append(cue)
        named.append(said)
        block.append(len(counts) - 1)
        if head[i]:
            cue = said = None
            counts.append(Counter())
            continue
        if strongest[i]:
            counts[-1][strongest[i] or ""] += 1
            cue = strongest[i]
        if u.named and u.treatment:
            said = u.treatment
    then: list[str | None] = [None] * n
    cue = None
    for i in range(n - 1, -1, -1):
        then[i] = cue
        if head[i]:
            cue = None
        elif strongest[i]:
            cue = strongest[i]
    heading: list[int | None] = []  # the heading each unit's section sits under
    above: int | None = None
    for i in range(n):
        heading.append(above if not head[i] else _previous_head(head, i))
        if head[i]:
            above = i
    other_head: dict[int, bool] = {}
    out: list[dict[str, float]] = []
    for k, u in enumerate(units):
        b = block[k]
        f: dict[str, float] = {}
        tops = counts[b] + counts[b + 1] if head[k] else Counter(counts[b])
        if strongest[k] and not head[k]:
            tops[strongest[k] or ""] -= 1
        total = sum(tops.values())
        for t, c in sorted(tops.items()):
            if c > 0:
                f[PARA + t] = round(c / total, 4)
        if last[k]:
            f[LAST + str(last[k])] = 1.0
        if then[k]:
            f[THEN + str(then[k])] = 1.0
        if u.context:
            for i in range(k - 1, max(-1, k - INTRO_BACK), -1):
                v = units[i]
                if v.norm and v.role in _INTROS and v.norm in u.context:
                    if strongest[i]:
                        f[INTRO + str(strongest[i])] = 1.0
                    break
        h = heading[k]
        if h is not None:
            if h not in other_head:
                other_head[h] = any(t != d.product for t in d.treatments_in(units[h].norm))
            if other_head[h]:
                f[OTHER_HEAD] = 1.0
        if named[k] is not None and named[k] != d.product:
            f[OTHER_PREV] = 1.0
        out.append(f)
    return out


def _previous_head(head: Sequence[bool], i: int) -> int | None:
    """The heading before the section a heading closes (None at the page's first)."""
    j = i - 1
    while j >= 0 and not head[j]:
        j -= 1
    return j if j >= 0 else None
