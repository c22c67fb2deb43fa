"""How the dev labels treat background lines (history, research outlook, mechanism), by writer set.

The same kind of line is a claim on some writers' pages and filler on others' (fa19: outlook lines
are claims in most dev labels but filler in the seed labels). This counts, per writer set and in
the seeds, the labelled lines whose text reads as history, outlook or mechanism (by the regexes
below, not by the checker) and how many are labelled claim/overstated vs none. Fresh pages
(1345-1454) are left out so they stay a test.

Two more kinds are read from the line's context (the intro or question it is labelled with), not
its text: an item under an intro that says whom the treatment is for ("You may be a candidate
if:", "Who we see", "We accept referrals for adults with:"; fa27: the criteria, "you have tried
at least two antidepressants without enough relief", are claims on some writers' pages and none
on others', and they are about a fifth of the claim model's out-of-fold false alarms on items),
and, to compare, an item under an intro that says whom it is NOT for (contraindications, labelled
claims almost everywhere). A question is not read as an intro ("Is ketamine right for me?" is a FAQ
answer's context). "pages:" counts the pages labelling all such items claim (claim or overstated),
all none, or both.

    python benchmarks/register_labels.py [--min 5]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

import yaml

DEV = Path(__file__).resolve().parent / "copy-dev"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # read there, never copied
FRESH = ((1345, 1454),)
KINDS = {
    "history": re.compile(
        r"\b(1[89]\d\d|20[0-2]\d)s?\b|\b(first (synthesi[sz]ed|developed|used|approved)|"
        r"was (developed|discovered|synthesi[sz]ed|invented)|originally|in the \d+s|decades ago|"
        r"vietnam war|history)\b",
        re.I,
    ),
    "outlook": re.compile(
        r"\b(future|ongoing (research|studies|trials)|researchers (are|continue)|more research|"
        r"further (research|studies)|is being (studied|investigated|explored)|emerging|promis(e|ing)|"
        r"remains? to be seen|still (being )?(studied|learning|unknown))\b",
        re.I,
    ),
    "mechanism": re.compile(
        r"\b(nmda|glutamate|receptors?|neuroplasticity|synap\w+|bdnf|neurons?|"
        r"default mode network|brain (cells|circuits|connections))\b",
        re.I,
    ),
}
# read from the context line (the intro an item is labelled with), not the text
NOT_FOR = re.compile(
    r"not (be )?(right|suitable|safe|appropriate|recommended|a good fit)|should not|shouldn.t|"
    r"cannot|can.t|rules? out|not offer|not (be )?able",
    re.I,
)
CONTEXT_KINDS = {
    "candidacy": re.compile(
        r"candidate|(may|might|could) be (right|a good fit|an option|worth)|worth (discussing|"
        r"considering|trying)|who we see|come to us (for|with)|we (see|treat|accept)|referr|"
        r"qualify|conditions we|sees patients with|right for (me|you)|people who",
        re.I,
    ),
    "not-for": NOT_FOR,
}
CLAIM = ("claim", "overstated")


def context_kind(context: str) -> str | None:
    """The CONTEXT_KINDS kind of an item's intro line ("not-for" wins: "may not be right for
    you if" is a contraindication list)."""
    if NOT_FOR.search(context):
        return "not-for"
    if context.rstrip().endswith("?"):  # a FAQ answer's question ("Is it right for me?")
        return None
    return "candidacy" if CONTEXT_KINDS["candidacy"].search(context) else None


def writer_of(n: int, sets: list[tuple[int, int]]) -> str:
    for a, b in sets:
        if a <= n <= b:
            return f"{a}-{b}"
    return f"{(n - 5) // 10 * 10 + 5}-{(n - 5) // 10 * 10 + 14}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min", type=int, default=5, help="show writer sets with at least this many")
    a = ap.parse_args()
    from train_claims import WRITERS

    sets = [tuple(w) for w in WRITERS]
    counts: dict[str, Counter[str]] = {}
    pages: dict[str, Counter[str]] = {k: Counter() for k in CONTEXT_KINDS}
    for name in ("labels.yaml", "seed-labels.yaml"):
        for doc in yaml.safe_load((DEV / name).read_text())["documents"]:
            m = re.match(r"(\d+)-", doc["file"])
            if name.startswith("seed"):
                group = "seeds"
            elif m is None:
                continue
            else:
                n = int(m.group(1))
                if any(x <= n <= y for x, y in FRESH):
                    continue
                group = writer_of(n, sets)
            c = counts.setdefault(group, Counter())
            body = (SEEDS / doc["file"]).read_text() if group == "seeds" else ""
            seen: dict[str, set[str]] = {k: set() for k in CONTEXT_KINDS}
            for s in doc["sentences"]:
                text = s.get("text") or (body[s["span"][0] : s["span"][1]] if "span" in s else "")
                label = "claim" if s["label"] in CLAIM else "none"
                for kind, rx in KINDS.items():
                    if rx.search(text):
                        c[f"{kind}:{label}"] += 1
                if (ck := context_kind(s.get("context") or "")) is not None:
                    c[f"{ck}:{label}"] += 1
                    seen[ck].add(label)
            if group != "seeds":
                for ck, labels in seen.items():
                    if labels:
                        pages[ck]["both" if len(labels) == 2 else f"all {labels.pop()}"] += 1
    total: Counter[str] = Counter()
    print(
        f"{'writer set':12}"
        + "".join(f"{k:>18}" for k in [*KINDS, *CONTEXT_KINDS])
        + "   (claim/none)"
    )
    kinds = [*KINDS, *CONTEXT_KINDS]
    split = {k: 0 for k in kinds}
    for group, c in sorted(counts.items(), key=lambda x: (x[0] != "seeds", x[0])):
        if group != "seeds":
            total.update(c)
        row = []
        for k in kinds:
            y, n = c[f"{k}:claim"], c[f"{k}:none"]
            row.append(f"{y:>8}/{n:<9}")
            if group != "seeds" and y + n >= a.min and n > y:
                split[k] += 1
        if group == "seeds" or sum(c.values()) >= a.min:
            print(f"{group:12}" + "".join(f"{r:>18}" for r in row))
    print(
        f"{'dev total':12}"
        + "".join(f"{total[k + ':claim']:>8}/{total[k + ':none']:<9}" for k in kinds)
    )
    print("writer sets (>= --min lines of a kind) labelling that kind mostly none:", split)
    for k, c in pages.items():
        print(
            f"pages: {k} items all claim {c['all claim']}, all none {c['all none']}, both {c['both']}"
        )


if __name__ == "__main__":
    main()
