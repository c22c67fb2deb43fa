"""What reporting strongly-worded lines just under the claim threshold would gain and cost.

An overstated line is a claim by definition, but `claimledger check` reports a unit only when
the claim model scores it at its threshold (or a wording rule makes it a claim whatever the
model says: the unit's ``overstated_claim`` feature). A line the model scores just under the
threshold is lost with its wording flag. This counts, with the shipped models, what a rescue
would do: report an unreported unit scored within MARGIN under the claim threshold (relative
to whatever threshold the shipped model carries, so it holds when the threshold moves) when a
wording rule flags it ("lexicon") or the overstatement back-up (copy/overmodel.py) scores it at
or over a high threshold ("back-up B"), optionally never for quotations ("no quotes").

Counted by labelled sentence, as benchmarks/copy_accuracy.py counts (a sentence is reported
when one of its units is, flagged when a reported unit carries a flag): overstatements newly
flagged ("over+"), filler newly reported ("FA+"), accurate claims newly flagged ("acc+"), and
the writer sets (train_claims.WRITERS) where the rescue gains more overstatements than it adds
false alarms and flags on accurate claims, and where it gains fewer. Groups: the older dev
pages (the shipped models were trained on them: in-sample), the pages held back in session 25
(FRESH, 1345-1454: aggregate counts and per-writer-set counts only, never their lines) and the
seeds.

    python benchmarks/near_rescue.py --cache /tmp/NAME/near_units.pkl
    python benchmarks/near_rescue.py --cache ... --margins 0.05,0.1 --backup 0.95,0.98 --fresh
    python benchmarks/near_rescue.py --cache ... --show 0.97:0.1   # the older dev lines one
        # setting (BACK-UP:MARGIN, no quotes) rescues (never the FRESH pages)
    python benchmarks/near_rescue.py --cache ... --shift 0.06   # as if the claim threshold
        # were 0.06 higher: what that loses, then each rescue under the moved threshold

The cache holds each unit's claim-model probability, flags and back-up score: delete it when the
code or a model changed. "What check does now" leaves out check's own near-miss reading (the
back-up at its near_threshold on units within OverModel.near under the threshold): exact while the
shipped near_threshold is 1.0 (review27 O13); after a retrain that switches it on, count it apart.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import train_claims as tc  # noqa: E402
import train_overstated as to  # noqa: E402
from copy_accuracy import _doc_number  # noqa: E402
from judged_cache import judged_page  # noqa: E402

from claimledger.copy.claimmodel import claim_model  # noqa: E402
from claimledger.copy.overmodel import (  # noqa: E402
    _matches,
    is_hedged,
    overstated_model,
    read_sentence,
)

FRESH = (1345, 1454)  # session 26's fresh pages: counts only
WIDEST = 0.4  # the back-up is read for units at most this far under the claim threshold


@dataclass(frozen=True)
class Unit:
    """One labelled unit as check reads it with the shipped models."""

    group: str  # "older", "fresh" or "seeds"
    writer: str
    sentence: tuple[str, int, int]  # (set, document, label number): the labelled sentence
    label: str  # claim, overstated or none
    p: float  # the claim model's probability
    threshold: float  # and its threshold
    reported: bool  # what check does now
    flagged: bool
    flags: bool  # a wording rule flags it
    readable: bool  # Judged.reportable
    role: str
    backup: float | None  # the back-up's probability (None: not read, or its hedge is a veto)
    text: str  # "" on the fresh pages (never kept)
    rule_claim: bool = False  # a wording rule makes it a claim whatever the model says
    backup_threshold: float = 1.0  # the back-up's own threshold


def units() -> list[Unit]:
    """Every labelled unit of dev and the seeds, read with the shipped models."""
    model, over = claim_model(), overstated_model()
    out: list[Unit] = []
    for name, s in tc.dev_sets():
        number_of = {id(lab): k for k, lab in enumerate(s.labels)}
        for i, path in enumerate(s.docs):
            r, judged, _ = judged_page(path)
            number = _doc_number(path.name) if name != "seeds" else None
            fresh = number is not None and FRESH[0] <= number <= FRESH[1]
            group = "seeds" if name == "seeds" else ("fresh" if fresh else "older")
            doc = tc.Doc(name, i, number, judged, [])
            spans = [(j.unit.start, j.unit.end) for j in judged]
            labels = to._labels_of(s, i, r.text, spans)
            chance = model.page_probabilities(
                [j.features for j in judged], [j.vector for j in judged]
            )
            for j, lab, p in zip(judged, labels, map(float, chance), strict=True):
                if lab is None or lab.label not in ("claim", "overstated", "none"):
                    continue
                backup = None
                s_ = j.unit.norm
                if not j.flags and p >= model.threshold - WIDEST:
                    hedged = is_hedged(s_)
                    if not over.vetoes(s_, hedged):
                        read = read_sentence(s_, j.features, _matches(s_), hedged)
                        backup = over.probability(read.features, j.vector)
                reported = bool(j.features["overstated_claim"]) or (
                    p >= model.threshold and j.reportable
                )
                flagged = reported and (
                    bool(j.flags) or (backup is not None and backup >= over.threshold)
                )
                out.append(
                    Unit(
                        group,
                        tc.writer_of(doc),
                        (name, i, number_of[id(lab)]),
                        lab.label,
                        p,
                        model.threshold,
                        reported,
                        flagged,
                        bool(j.flags),
                        j.reportable,
                        j.unit.role,
                        backup,
                        "" if fresh else s_,
                        bool(j.features["overstated_claim"]),
                        over.threshold,
                    )
                )
    return out


Rule = Callable[[Unit], bool]


def moved(us: Sequence[Unit], shift: float) -> list[Unit]:
    """The units as check would read them were the claim threshold ``shift`` higher (bins27
    may move it): what is reported and flagged, again."""
    out = []
    for u in us:
        t = u.threshold + shift
        reported = u.rule_claim or (u.p >= t and u.readable)
        backup = u.backup is not None and u.backup >= u.backup_threshold
        out.append(
            replace(u, threshold=t, reported=reported, flagged=reported and (u.flags or backup))
        )
    return out


def shift_cost(before: Sequence[Unit], after: Sequence[Unit]) -> Counter[str]:
    """Sentences the shifted threshold loses: overstatements no longer flagged ("over-"), filler
    no longer reported ("FA-"), claims no longer reported ("found-")."""
    was = {u.sentence: u.label for u in before}
    rep0 = {u.sentence for u in before if u.reported}
    fl0 = {u.sentence for u in before if u.flagged}
    rep1 = {u.sentence for u in after if u.reported}
    fl1 = {u.sentence for u in after if u.flagged}
    out: Counter[str] = Counter()
    for k, label in was.items():
        if label == "overstated" and k in fl0 and k not in fl1:
            out["over-"] += 1
        if label == "none" and k in rep0 and k not in rep1:
            out["FA-"] += 1
        if label != "none" and k in rep0 and k not in rep1:
            out["found-"] += 1
    return out


def rule_for(margin: float, backup: float | None, quotes: bool = True) -> Rule:
    """Rescue an unreported readable unit within ``margin`` under the claim threshold that a
    wording rule flags (``backup`` None) or the back-up scores at ``backup`` or more."""

    def rescued(u: Unit) -> bool:
        if u.reported or not u.readable or u.p < u.threshold - margin:
            return False
        if not quotes and u.role == "quote":
            return False
        if backup is None:
            return u.flags
        return u.backup is not None and u.backup >= backup

    return rescued


def effect(us: Sequence[Unit], rescued: Rule) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Sentences newly flagged or reported, in all and by writer set."""
    by: dict[tuple[str, int, int], list[Unit]] = defaultdict(list)
    for u in us:
        by[u.sentence].append(u)
    total: Counter[str] = Counter()
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for group in by.values():
        label, writer = group[0].label, group[0].writer
        if any(u.flagged for u in group) or not any(rescued(u) for u in group):
            continue
        was = any(u.reported for u in group)
        got = {"overstated": "over+", "claim": "acc+", "none": "FA+"}[label]
        if label == "none" and was:
            continue  # already a false alarm (a rescued flag on it changes nothing counted)
        total[got] += 1
        per[writer][got] += 1
    return total, per


def line(title: str, us: Sequence[Unit], rescued: Rule, writers: bool) -> str:
    total, per = effect(us, rescued)
    cost = total["FA+"] + total["acc+"]
    out = f"  {title:<34} over+ {total['over+']:4d}  FA+ {total['FA+']:4d}  acc+ {total['acc+']:3d}"
    ratio = f"{total['over+'] / cost:.1f}x" if cost else "-"
    out += f"  ratio {ratio:>5}"
    if writers:
        gain = sum(1 for c in per.values() if c["over+"] > c["FA+"] + c["acc+"])
        lose = sum(1 for c in per.values() if c["over+"] < c["FA+"] + c["acc+"])
        out += f"  writer sets gain/lose {gain}/{lose}"
    return out


def settings(margins: Sequence[float], backups: Sequence[float]) -> list[tuple[str, Rule]]:
    out = []
    for m in margins:
        out.append((f"lexicon, margin {m}", rule_for(m, None)))
        for b in backups:
            out.append((f"back-up {b}, margin {m}", rule_for(m, b)))
            out.append((f"back-up {b}, margin {m}, no quotes", rule_for(m, b, quotes=False)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cache", metavar="FILE", help="keep the read units there (pickle)")
    ap.add_argument("--margins", default="0.05,0.1,0.2", help="under the claim threshold")
    ap.add_argument("--backup", default="0.95,0.97,0.99", help="back-up thresholds")
    ap.add_argument("--fresh", action="store_true", help="also the FRESH counts (aggregate)")
    ap.add_argument("--show", metavar="B:M", help="the older dev lines one setting rescues")
    ap.add_argument(
        "--shift",
        type=float,
        default=0.0,
        help="read as if the claim threshold were this much higher (the margins follow it)",
    )
    a = ap.parse_args()
    if a.cache and Path(a.cache).exists():
        with open(a.cache, "rb") as f:
            us: list[Unit] = pickle.load(f)
    else:
        us = units()
        if a.cache:
            with open(a.cache, "wb") as f:
                pickle.dump(us, f)
    if a.shift:
        shifted = moved(us, a.shift)
        for group in ("older", "fresh", "seeds"):
            if group == "fresh" and not a.fresh:
                continue
            lost = shift_cost(
                [u for u in us if u.group == group], [u for u in shifted if u.group == group]
            )
            print(f"{group}: threshold +{a.shift}: {dict(lost)}")
        us = shifted
    older = [u for u in us if u.group == "older"]
    if a.show:
        b, m = (float(x) for x in a.show.split(":"))
        rescued = rule_for(m, b, quotes=False)
        for u in older:
            if rescued(u) and not u.flagged:
                print(f"{u.label:10} {u.writer:9} p {u.p:.2f} b {u.backup:.2f} {u.role:7} {u.text}")
        return
    rules = settings(
        [float(x) for x in a.margins.split(",")], [float(x) for x in a.backup.split(",")]
    )
    for group in ("older", "fresh", "seeds"):
        if group == "fresh" and not a.fresh:
            continue
        gus = [u for u in us if u.group == group]
        labelled = Counter(lab for lab in {u.sentence: u.label for u in gus}.values())
        print(f"{group} ({dict(labelled)})")
        for title, rule in rules:
            print(line(title, gus, rule, writers=group != "seeds"))


if __name__ == "__main__":
    main()
