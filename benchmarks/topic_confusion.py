"""Where `claimledger check` gets a claim's library topic wrong, leaving one writer out.

Every labelled claim with a topic (dev pages and seeds, never the held-out set) is checked with
the claim model trained WITHOUT its writer's pages (train_claims.WRITERS), at the threshold chosen
on the other writers, as `copy_accuracy.py --cv-writer` does. Each wrong topic is put in one class:

- (a) missed: no finding at all (claim detection's business, not the matcher's);
- (b) treatment: a sentence about another treatment given a product topic, or the other way round
  (which treatment the sentence is about);
- (c) adjacent: matched to a library claim of another topic (procedure vs short-term safety ...);
- (d) not in library: found, matched to nothing, and the topic read from its cues is wrong;
  split by whether the labelled claim was the best candidate (below the threshold) or not.

It prints the classes per writer set, the confusion table (labelled topic -> reported topic), and
right topic / right claim per writer set.

    python benchmarks/topic_confusion.py
    python benchmarks/topic_confusion.py --save /tmp/models.json   # keep the writer models
    python benchmarks/topic_confusion.py --load /tmp/models.json --show b --writers 85-94
    python benchmarks/topic_confusion.py --load /tmp/models.json --split 505-554,585-614
    python benchmarks/topic_confusion.py --load /tmp/models.json --only 505-554,585-614
    python benchmarks/topic_confusion.py --shipped --only 505-554,585-614   # the shipped models
        # on pages added to dev since they were trained: fair, and quick
    python benchmarks/train_topic.py --folds /tmp/topic_folds.json
    python benchmarks/topic_confusion.py --load /tmp/models.json --topic-folds /tmp/topic_folds.json
        # the topic model leaving one writer out too (without it, the shipped topic model reads
        # every writer set, its own training data). Saved models that lack a writer set (pages
        # added since they were saved) are refused: the shipped models, trained on every writer
        # set, would read it in-sample. Save them again.

Besides right topic and right claim per writer set, it prints right topic among the claims check
found (a claim never found loses its topic too: claim detection's business), how many labelled
claims were matched to another claim, and how many claims the library lacks were matched.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import train_claims as tc  # noqa: E402
from copy_accuracy import CLAIM_LABELS, _doc_number, _finding_for, _key, _locate, load_set  # noqa: E402

from claimledger.copy import check  # noqa: E402
from claimledger.copy.claimmodel import ClaimModel, claim_model  # noqa: E402
from claimledger.copy.documents import read_document  # noqa: E402
from claimledger.copy.topicmodel import TopicModel  # noqa: E402
from claimledger.library.claims import load_claims  # noqa: E402

DEV = ROOT / "benchmarks" / "copy-dev"
OTHER = "other-treatment"
NEWEST_FROM = 185  # the newest writer sets start here (s10.md)


def _treatments(path: Path, seeds: bool) -> list[str | None]:
    """Each label's `treatment`, in load_set's order (Label does not keep it)."""
    data = yaml.safe_load((path / ("seed-labels.yaml" if seeds else "labels.yaml")).read_text())
    return [e.get("treatment") for doc in data["documents"] for e in doc.get("sentences") or []]


def _models(docs: list[tc.Doc], load: Path | None, save: Path | None) -> dict[str, ClaimModel]:
    if load:
        raw = json.loads(load.read_text())
        return {g: ClaimModel(m["w"], m["b"], m["t"], m.get("p", {})) for g, m in raw.items()}
    models = tc.fold_models(docs, group=tc.writer_of)
    cut = tc.group_thresholds(docs, models, tc.writer_of)
    out = {
        tc.writer_of(d): ClaimModel(m.weights, m.bias, cut[tc.writer_of(d)], m.prior)
        for m, d in zip(models, docs, strict=True)
    }
    if save:
        save.write_text(
            json.dumps(
                {
                    g: {"w": m.weights, "b": m.bias, "t": m.threshold, "p": m.prior}
                    for g, m in out.items()
                }
            )
        )
    return out


def _pages(sets: list[tuple[str, Any]]) -> list[tc.Doc]:
    """Each page as a Doc without its units (enough for tc.writer_of)."""
    return [
        tc.Doc(name, i, _doc_number(p.name) if name != "seeds" else None, [], [])
        for name, s in sets
        for i, p in enumerate(s.docs)
    ]


def _complete(models: dict[str, Any], writers: list[str], path: Path | None, how: str) -> None:
    """Refuse saved writer models that lack a writer set: it would be read by the shipped
    models, which are trained on it (an in-sample row in a leave-one-writer-out table)."""
    missing = [w for w in writers if w not in models]
    if path is not None and missing:
        sys.exit(
            f"Error: {path} has no model trained without writer set(s) {', '.join(missing)} "
            f"(saved before they were added?); save the writer models again: {how}"
        )


def classify(lab: Any, f: dict[str, Any] | None, claims: dict[str, str]) -> str:
    """The class of one labelled claim's topic (see the module docstring)."""
    if f is None:
        return "a missed"
    got = OTHER if f["other_treatment"] else f["topic"]
    if got == lab.topic:
        return "ok"
    if (lab.topic == OTHER) != (got == OTHER):
        return (
            "b treatment: other read as product"
            if lab.topic == OTHER
            else "b treatment: product read as other"
        )
    if f["claim_id"]:
        return "c adjacent (matched another topic)"
    top = f["candidates"][0]["claim_id"] if f["candidates"] else None
    if lab.claim and top == lab.claim:
        return "d not in library: right claim first, below threshold"
    if lab.claim and lab.claim in {c["claim_id"] for c in f["candidates"]}:
        return "d not in library: right claim in top 3"
    return "d not in library: cue topic wrong"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--load", type=Path, help="writer models saved by --save (same features)")
    ap.add_argument("--save", type=Path)
    ap.add_argument("--show", help="print the sentences of classes starting with this (a, b, c, d)")
    ap.add_argument("--writers", help='only print examples from these writer sets ("85-94,seeds")')
    ap.add_argument("--dump", type=Path, help="write one JSON line per labelled claim here")
    ap.add_argument(
        "--shipped",
        action="store_true",
        help="read every page with the shipped claim model (fair only on pages it was never "
        "trained on, such as those a session adds to dev)",
    )
    ap.add_argument(
        "--only",
        help='check only the writer sets of these pages ("505-554,585-614"): a quicker measure '
        "of one part (models are still trained or loaded for every writer set)",
    )
    ap.add_argument(
        "--split",
        help='also total the classes and rows for the writer sets of these pages ("505-554,'
        '585-614") and for the rest',
    )
    ap.add_argument(
        "--no-topic-model", action="store_true", help="the cue rules alone (no topic model)"
    )
    ap.add_argument(
        "--topic-folds",
        type=Path,
        help="the writer topic models (benchmarks/train_topic.py --folds): each writer set is "
        "read by the topic model trained without it",
    )
    a = ap.parse_args()
    sets = [("dev", load_set(DEV)), ("seeds", load_set(DEV, seeds=True))]
    treat = {"dev": _treatments(DEV, False), "seeds": _treatments(DEV, True)}
    # saved models need only each page's writer set: the pages are read once, below
    docs = _pages(sets) if a.load or a.shipped else tc.documents(sets)
    if a.shipped:
        models = {tc.writer_of(d): claim_model() for d in docs}
    else:
        models = _models(docs, a.load, a.save)
    writers = list(dict.fromkeys(tc.writer_of(d) for d in docs))
    if a.only:  # only these writer sets are read: only their models are needed
        writers = [w for w in writers if _in_pages(w, a.only)]
    _complete(models, writers, a.load, "python benchmarks/topic_confusion.py --save FILE")
    topic_folds = None
    if a.no_topic_model:
        check.topic_model = lambda: None  # type: ignore[assignment]
    if a.topic_folds:
        raw = json.loads(a.topic_folds.read_text())
        topic_folds = {
            w: TopicModel(tuple(x["topics"]), x["weights"], tuple(x["bias"]))
            for w, x in raw.items()
        }
        _complete(
            topic_folds, writers, a.topic_folds, "python benchmarks/train_topic.py --folds FILE"
        )
    lib = load_claims(ROOT / "claims.yaml")
    claims = {c.id: c.topic for c in lib.claims}
    m = check.ClaimMatcher(lib)
    classes: dict[str, Counter[str]] = defaultdict(Counter)
    pairs: Counter[tuple[str, str]] = Counter()
    # right topic, claims with a topic, right claim, claims in the library; right topic and claims
    # among those check found; another claim matched; a claim the library lacks matched
    right: dict[str, list[int]] = defaultdict(lambda: [0] * 8)
    shown = set(a.writers.split(",")) if a.writers else None
    seen: dict[tuple[int, int], dict[str, Any]] = {}
    real_finding = check._finding

    def spy(u: Any, scores: Any, flags: Any, page: Any, *rest: Any) -> Any:
        seen[(u.start, u.end)] = {
            "section": rest[2] if len(rest) >= 3 else None,
            "page_condition": page.condition,
            "page_treatment": page.treatment,
            "treatment": u.treatment,
            "named": u.named,
            "role": u.role,
            "context": u.context,
            "scores": dict(scores),
            "heading": u.heading,
            "full": f"{u.context} {u.norm}" if u.context else u.norm,
            "told": dict(rest[3][0]) if len(rest) >= 4 and rest[3] else {},
            "scored": dict(rest[3][1]) if len(rest) >= 4 and rest[3] else {},
        }
        return real_finding(u, scores, flags, page, *rest)

    check._finding = spy  # type: ignore[assignment]
    dump = a.dump.open("w") if a.dump else None
    k = 0
    for name, s in sets:
        offset = 0
        for i, p in enumerate(s.docs):
            writer = tc.writer_of(docs[k])
            k += 1
            if a.only and not _in_pages(writer, a.only):
                offset += sum(1 for lab in s.labels if lab.doc == i)
                continue
            model = models[writer]
            d = read_document(p)
            check.claim_model = lambda f=model: f  # type: ignore[assignment]
            if topic_folds is not None:
                told = topic_folds[writer]
                check.topic_model = lambda t=told: t  # type: ignore[assignment]
            r = check.check_text(d.name, d.text, lib, {}, m, d.kind, d.roles)
            key, where = _key(d.text)
            labels = [lab for lab in s.labels if lab.doc == i]
            tr = treat[name][offset : offset + len(labels)]
            offset += len(labels)
            for lab in labels:
                lab.key_span = None
            _locate(labels, key)
            spans = []
            for x in r.findings:
                fd = {
                    "claim_id": x.claim_id,
                    "topic": x.topic,
                    "other_treatment": x.other_treatment,
                    "candidates": list(x.candidates),
                    "categories": x.categories,
                    "score": x.match_score,
                    "flags": [fl.code for fl in x.flags],
                    **seen.get((x.start, x.end), {}),
                }
                spans.append(
                    (bisect.bisect_left(where, x.start), bisect.bisect_left(where, x.end), fd)
                )
            for lab, t in zip(labels, tr, strict=True):
                if lab.label not in CLAIM_LABELS:
                    continue
                f = _finding_for(lab, spans)
                rw = right[writer]
                matched = f["claim_id"] if f is not None else None
                if lab.claim:
                    rw[3] += 1
                    rw[2] += matched == lab.claim
                    rw[6] += matched is not None and matched != lab.claim
                else:
                    rw[7] += matched is not None
                if not lab.topic:
                    continue
                c = classify(lab, f, claims)
                if dump:
                    rec = {
                        "writer": writer,
                        "doc": d.name,
                        "text": lab.text,
                        "label": lab.label,
                        "topic": lab.topic,
                        "claim": lab.claim,
                        "treatment": t,
                        "class": c,
                        "f": f,
                    }
                    dump.write(json.dumps(rec, default=list) + "\n")
                classes[writer][c] += 1
                rw[1] += 1
                rw[0] += c == "ok"
                rw[5] += f is not None
                rw[4] += f is not None and c == "ok"
                if c != "ok":
                    got = "missed" if f is None else (OTHER if f["other_treatment"] else f["topic"])
                    if f is not None and not f["claim_id"] and not f["other_treatment"]:
                        got = f"(unmatched) {got}"
                    pairs[(lab.topic, got)] += 1
                if a.show and c.startswith(a.show) and (shown is None or writer in shown):
                    got = "-" if f is None else (OTHER if f["other_treatment"] else f["topic"])
                    extra = ""
                    if f is not None:
                        extra = f"{f['claim_id'] or ''} {f['score']} {list(f['categories'])[:3]}"
                        if f["candidates"]:
                            extra += " cand " + ",".join(
                                f"{x['claim_id']}:{x['score']}" for x in f["candidates"]
                            )
                    print(
                        f"{writer:7} {d.name[:22]:22} want {lab.topic}/{lab.claim}/{t} got {got} "
                        f"[{extra}]\n        {lab.text[:150]}"
                    )
    names = sorted({c for cs in classes.values() for c in cs})
    total: Counter[str] = Counter()
    for cs in classes.values():
        total.update(cs)
    print("\nclasses of labelled claims with a topic, leaving one writer out:")
    print("| writer | " + " | ".join(names) + " |")
    for w, cs in [*classes.items(), ("all", total)]:
        print(f"| {w} | " + " | ".join(str(cs[n]) for n in names) + " |")
    print("\nwrong topics, labelled -> reported (count >= 3):")
    for (want, got), n in pairs.most_common():
        if n >= 3:
            print(f"  {want:20} -> {got:32} {n}")
    print(
        "\n| writer | right topic | right claim | right topic, found claims | another claim "
        "matched | a claim the library lacks matched |"
    )
    tot = [0] * 8
    newest = [0] * 8
    for w, rw in right.items():
        tot = [x + y for x, y in zip(tot, rw, strict=True)]
        if _newest(w):
            newest = [x + y for x, y in zip(newest, rw, strict=True)]
        print(_row(w, rw))
    print(_row("newest", newest))
    print(_row("all", tot))
    if a.split:
        _print_split(a.split, classes, right, names)


def _in_pages(writer: str, pages: str) -> bool:
    """Does this writer set ("505-514") lie in one of ``pages``' ranges ("505-554,585-614")?"""
    first = writer.split("-")[0]
    if not first.isdigit():
        return False
    for r in pages.split(","):
        lo, _, hi = r.partition("-")
        if int(lo) <= int(first) <= int(hi or lo):
            return True
    return False


def _print_split(
    pages: str,
    classes: dict[str, Counter[str]],
    right: dict[str, list[int]],
    names: list[str],
) -> None:
    """The classes and rows totalled for the writer sets of ``pages`` and for the rest."""
    print(f"\nsplit: pages {pages} against the rest")
    print("| part | " + " | ".join(names) + " |")
    for part, inside in ((pages, True), ("rest", False)):
        cs: Counter[str] = Counter()
        rw = [0] * 8
        for w in classes:
            if _in_pages(w, pages) == inside:
                cs.update(classes[w])
                rw = [x + y for x, y in zip(rw, right[w], strict=True)]
        if cs:  # with --only, one part may hold no writer set
            print(f"| {part} | " + " | ".join(str(cs[n]) for n in names) + " |")
            print(_row(part, rw))


def _newest(writer: str) -> bool:
    """The newest writer sets (pages 185 on): the hardest, and the most honest folds."""
    first = writer.split("-")[0]
    return first.isdigit() and int(first) >= NEWEST_FROM


def _row(w: str, r: list[int]) -> str:
    def pc(a: int, b: int) -> str:
        return f"{a}/{b} ({100 * a / max(b, 1):.1f}%)"

    return f"| {w} | {pc(r[0], r[1])} | {pc(r[2], r[3])} | {pc(r[4], r[5])} | {r[6]} | {r[7]} |"


if __name__ == "__main__":
    main()
