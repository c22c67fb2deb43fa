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
    starts: list[int] = []  # the first unit of each unit's section
    s = 0
    for i in range(n):
        if i and units[i - 1].role in _HEADS:
            s = i
        starts.append(s)
    ends = [n] * n
    e = n
    for i in range(n - 1, -1, -1):
        ends[i] = e
        if units[i].role in _HEADS:
            e = i
    other_head: dict[int, bool] = {}
    out: list[dict[str, float]] = []
    for k, u in enumerate(units):
        s, e = starts[k], ends[k]
        f: dict[str, float] = {}
        tops = [strongest[i] for i in range(s, e) if i != k and strongest[i]]
        for t, c in Counter(tops).items():
            f[PARA + str(t)] = round(c / len(tops), 4)
        before = next((strongest[i] for i in range(k - 1, s - 1, -1) if strongest[i]), None)
        if before:
            f[LAST + before] = 1.0
        after = next((strongest[i] for i in range(k + 1, e) if strongest[i]), None)
        if after:
            f[THEN + after] = 1.0
        if u.context:
            for i in range(k - 1, max(-1, k - INTRO_BACK), -1):
                v = units[i]
                if v.norm and v.role in _INTROS and v.norm in u.context:
                    if strongest[i]:
                        f[INTRO + str(strongest[i])] = 1.0
                    break
        if s > 0:
            if s not in other_head:
                named = d.treatments_in(units[s - 1].norm)
                other_head[s] = any(t != d.product for t in named)
            if other_head[s]:
                f[OTHER_HEAD] = 1.0
        for i in range(k - 1, s - 1, -1):
            v = units[i]
            if v.named and v.treatment:
                if v.treatment != d.product:
                    f[OTHER_PREV] = 1.0
                break
        out.append(f)
    return out
