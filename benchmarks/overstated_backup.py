"""Would a learned back-up for wording flags help? Measured leaving one writer out (superseded).

Superseded by the shipped back-up (copy/overmodel.py, trained and measured leaving one writer out
by benchmarks/train_overstated.py --report); kept so the fifth session's figure stays reproducible.

The idea (issue 13, fifth session): a small deterministic model that reads claim-like sentences
no wording cue matched and flags those that read as overstated. Its features are which word
classes of data/wording.yaml a sentence uses (harm nouns, universals, hype, competitors ...) and
its shape (first person, a figure, a comparison, the clinic's voice, a hedge, its role, length,
Title Case), never content words. Training is benchmarks/train_claims.py's deterministic logistic
regression on the labelled dev pages and seeds (overstated → 1, claim → 0).

Each writer set (seeds, 01-14, ... 155-164) is scored by a model trained on
the others, on its units no cue flagged: overstatements caught and accurate claims flagged, per
threshold. The rule for shipping it was: it helps leaving one writer out, and it raises no flags
on accurate claims. At every threshold it flags accurate claims too (see the pooled row), so the
checker does not use it; this script keeps the measurement reproducible. The held-out set is
never read.

    python benchmarks/overstated_backup.py
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from copy_accuracy import LabelledSet, _key, _locate, load_set  # noqa: E402
from train_claims import WRITERS, train, unit_label  # noqa: E402

from claimledger.copy.check import judge_units  # noqa: E402
from claimledger.copy.claimmodel import ClaimModel, length_bucket  # noqa: E402
from claimledger.copy.documents import read_document  # noqa: E402
from claimledger.copy.structure import Unit  # noqa: E402
from claimledger.copy.wording import word_classes, wording  # noqa: E402
from claimledger.library.lexicon import Caseless, load_lexicon  # noqa: E402

DEV = ROOT / "benchmarks" / "copy-dev"
WRITER_SETS = tuple(
    f"{first}-{last}" for first, last in WRITERS
)  # one list of writers: train_claims
GRID = tuple(round(0.05 * i, 2) for i in range(10, 20))
NOT_FEATURES = ("not_superlative", "descriptive", "hedge_adverb")  # exclusions, not evidence
SHAPE = {
    "first_person": r"\b(i|i.m|i.ve|my|me|we.ve)\b",
    "you": r"\b(you|your|you.ll)\b",
    "will": r"\b(will|won.t|.ll)\b",
    "digit": r"\d",
    "percent": r"%|\bpercent\b",
    "superlative": r"\b[a-z]{3,}est\b|\bbest\b|\bmost\b",
    "than": r"\bthan\b",
    "negation": r"\b(no|not|never|none|zero|without|n.t)\b",
    "exclamation": r"!",
    "only": r"\b(only|just|merely|simply)\b",
    "universal": r"\b(always|every|all|any|100%)\b",
    "clinic_voice": r"\b(our|we)\b",
    "approval": r"\b(fda|approved|cleared)\b",
    "quote": r'"',
    "year": r"\b(19|20)\d\d\b",
}

Example = tuple[dict[str, float], int, bool]  # features, overstated, a wording cue flagged it


def families() -> list[tuple[str, Caseless | re.Pattern[str]]]:
    classes = word_classes(load_lexicon("wording"))
    out: list[tuple[str, Caseless | re.Pattern[str]]] = [
        (f"c:{k}", Caseless(rf"\b{v}\b")) for k, v in classes.items() if k not in NOT_FEATURES
    ]
    return out + [(f"s:{k}", re.compile(p, re.I)) for k, p in SHAPE.items()]


FAMILIES = families()


def features(u: Unit) -> dict[str, float]:
    s = u.norm
    f = {name: 1.0 for name, rx in FAMILIES if rx.search(s)}
    if wording().hedges.search(s):
        f["s:hedge"] = 1.0
    f[f"role:{u.role}"] = 1.0
    words = s.split()
    f[f"len:{length_bucket(len(words))}"] = 1.0
    if len(words) >= 3 and sum(1 for w in words[1:] if w[:1].isupper()) / (len(words) - 1) > 0.6:
        f["title_case"] = 1.0
    return f


def examples(s: LabelledSet) -> list[Example]:
    out: list[Example] = []
    for d, p in enumerate(s.docs):
        r = read_document(p)
        judged, _ = judge_units(r.text, r.kind, r.roles)
        key, where = _key(r.text)
        labels = [lab for lab in s.labels if lab.doc == d]
        for lab in labels:
            lab.key_span = None
        _locate(labels, key)
        for j in judged:
            best = unit_label(labels, where, j.unit.start, j.unit.end)
            if best is not None and best.label != "none":
                out.append((features(j.unit), int(best.label == "overstated"), bool(j.flags)))
    return out


def leave_one_writer_out(sets: Sequence[tuple[str, list[Example]]]) -> None:
    pooled = {t: [0, 0] for t in GRID}
    print("writer set | lexicon-missed overstated / accurate | threshold:+caught/-accurate flagged")
    for name, held in sets:
        w, b = train([(f, y) for other, ex in sets if other != name for f, y, _ in ex])
        m = ClaimModel(w, b, 0.5)
        missed = [(m.probability(f), y) for f, y, flagged in held if not flagged]
        cells = []
        for t in GRID:
            gain = sum(1 for p, y in missed if y and p >= t)
            cost = sum(1 for p, y in missed if not y and p >= t)
            pooled[t][0] += gain
            pooled[t][1] += cost
            cells.append(f"{t}:+{gain}/-{cost}")
        n_ok = sum(1 for _, y, _ in held if not y)
        print(f"{name} | {sum(y for _, y in missed)} / {n_ok} | " + " ".join(cells))
    print("pooled | | " + " ".join(f"{t}:+{g}/-{c}" for t, (g, c) in pooled.items()))


def main() -> None:
    sets = [("seeds", load_set(DEV, seeds=True))]
    sets += [(docs, load_set(DEV, docs=docs)) for docs in WRITER_SETS]
    leave_one_writer_out([(name, examples(s)) for name, s in sets if s.docs])


if __name__ == "__main__":
    main()
