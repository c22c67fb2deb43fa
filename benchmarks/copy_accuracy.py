"""Accuracy of `claimledger check` on labelled copy, next to the checker at commit 0798c48.

For each labelled set it prints, in the issue's table format, for the checker in this checkout and
for the checker as it was at 0798c48 (extracted from git into a temporary directory and run in
a subprocess with its own claims.yaml, so the baseline is reproducible from the repository alone):

- claims found: sentences labelled claim or overstated that the checker reports
- right topic: labelled claims with a topic whose finding has that topic (the matched claim's
  topic, or "other-treatment" when the checker says the sentence is about another treatment);
  a missed claim counts as a wrong topic
- overstatements flagged: sentences labelled overstated whose finding carries a wording flag
  (FAIR_BALANCE is a document-level finding and is not counted)
- false alarms on filler: sentences labelled none that the checker reports as claims
- flags on accurate claims: sentences labelled claim (not overstated) that get a wording flag
- right claim (last column): labelled claims that name a library claim id whose finding is
  matched to that claim; a missed claim counts as a wrong claim

Findings are aligned to labelled sentences by character overlap after normalising both to
lower-case letters and digits, so markup, entities and whitespace do not matter; Markdown link
targets ("](url)") are left out of the key, so a label is located by the words the page shows and
never inside an address (``--compare-key`` also prints each checker's rows with the old key that
kept them, and every row's count of labelled sentences not found in the text read).

Sets: a directory with labels.yaml (documents beside it), and the five seeds in ../shared/seeds
labelled by span and sha1 in seed-labels.yaml. Defaults: benchmarks/copy-dev and its seeds;
benchmarks/copy-holdout is run too when it exists and is printed as "held out".

    python benchmarks/copy_accuracy.py
    python benchmarks/copy_accuracy.py --set benchmarks/copy-dev --no-baseline
    python benchmarks/copy_accuracy.py --cv    # leave one document out over dev + seeds
    python benchmarks/copy_accuracy.py --cv-writer   # ... and leave one writer set out
    python benchmarks/copy_accuracy.py --cv-writer --without-backup   # overstatement back-up off
    python benchmarks/copy_accuracy.py --docs 15-34 --baseline main   # some dev pages, vs main
    python benchmarks/copy_accuracy.py --no-baseline --compare-key   # old and new matching key
    python benchmarks/copy_accuracy.py --no-baseline --pooled \\
        --set benchmarks/heldback/w41 --set benchmarks/heldback/w42   # held-back sets, and pooled
    python benchmarks/copy_accuracy.py --set benchmarks/copy-dev --no-baseline --embedding 0.25
    python benchmarks/copy_accuracy.py --set benchmarks/copy-dev --tune-embedding
    python benchmarks/copy_accuracy.py --set benchmarks/copy-dev --tune-embedding --full-model
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "0798c48"
SHARED = Path(os.environ.get("CLAIMLEDGER_SHARED", ROOT.parent / "shared"))
CLAIM_LABELS = ("claim", "overstated")
DOC_LEVEL_FLAGS = {"FAIR_BALANCE"}
_T = TypeVar("_T")

# Runs inside a subprocess whose PYTHONPATH is one version of src/: reads {claims, docs} as JSON
# on stdin, prints what that version's checker found. Uses only the API 0798c48 already had.
DRIVER = r"""
import json, sys
from claimledger.copy.check import ClaimMatcher, check_text
from claimledger.copy.documents import read_document
from claimledger.library.claims import load_claims
job = json.load(sys.stdin)
import claimledger.copy.check as _check
for _k, _v in job.get("settings", {}).items():
    setattr(_check, _k, _v)  # e.g. EMBEDDING_WEIGHT, for --embedding (never sent to the baseline)
lib = load_claims(job["claims"])
topics = {c.id: c.topic for c in lib.claims}
m = ClaimMatcher(lib)
out = []
for path in job["docs"]:
    d = read_document(path)
    kw = {"roles": d.roles} if getattr(d, "roles", None) else {}
    r = check_text(d.name, d.text, lib, {}, m, d.kind, **kw)
    out.append({"text": d.text, "findings": [
        {"start": f.start, "end": f.end, "claim_id": f.claim_id,
         "topic": getattr(f, "topic", None) or topics.get(f.claim_id),
         "sentence": f.sentence,
         "other_treatment": getattr(f, "other_treatment", None),
         "flags": [fl.code for fl in f.flags]} for f in r.findings]})
json.dump(out, sys.stdout)
"""


@dataclass
class Label:
    doc: int
    text: str
    label: str
    topic: str | None
    claim: str | None
    why: str | None = None  # for overstated: the wording category (README's list)
    key_span: tuple[int, int] | None = None  # in the normalised key of the checker's text


@dataclass
class LabelledSet:
    name: str
    docs: list[Path]
    labels: list[Label] = field(default_factory=list)


# A Markdown link or image target: "](url)" or "](url "title")", one level of brackets inside
# the address (Wikipedia-style). The reader's text of a .md page keeps it; a label quotes only
# the link's words, so a key that kept the address never located nav and footer lines.
_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")


def _key(text: str, keep_links: bool = False) -> tuple[str, list[int]]:
    """Lower-case letters and digits only, with each key character's offset in ``text``.

    Markdown link targets ("](url)", "](url "title")") are left out, so a label is located by the
    words the page shows and never inside an address. ``keep_links`` keeps them, as the key
    used to: ``--compare-key`` scores with both to show what leaving them out changes.
    """
    skip = [] if keep_links else [(m.start() + 1, m.end()) for m in _LINK_TARGET.finditer(text)]
    chars: list[str] = []
    where: list[int] = []
    gap = 0
    for i, ch in enumerate(text):
        while gap < len(skip) and skip[gap][1] <= i:
            gap += 1
        if gap < len(skip) and skip[gap][0] <= i:
            continue
        for c in unicodedata.normalize("NFKD", ch):
            if c.isalnum() and c.isascii():
                chars.append(c.lower())
                where.append(i)
    return "".join(chars), where


def _labels(doc_index: int, entries: Iterable[dict[str, Any]], text: str | None) -> list[Label]:
    out = []
    for e in entries:
        if "span" in e:
            assert text is not None
            a, b = e["span"]
            span_text = text[a:b]
            digest = hashlib.sha1(span_text.encode()).hexdigest()[:12]
            if "sha1" in e and digest != e["sha1"]:
                raise SystemExit(f"seed label span {a}:{b} does not match its sha1 {e['sha1']}")
            t = span_text
        else:
            t = e["text"]
            if e.get("context"):
                pass  # the context line is its own labelled sentence or a heading; not merged
        out.append(
            Label(
                doc_index,
                " ".join(t.split()),
                e["label"],
                e.get("topic"),
                e.get("claim"),
                e.get("why"),
            )
        )
    return out


def load_set(path: Path, seeds: bool = False, docs: str | None = None) -> LabelledSet:
    """A labelled set; ``docs`` ("15-34", "1,3,15-20") keeps the documents whose file name
    starts with one of those numbers."""
    data = yaml.safe_load((path / ("seed-labels.yaml" if seeds else "labels.yaml")).read_text())
    base = SHARED / "seeds" if seeds else path
    s = LabelledSet(f"seeds ({path.name})" if seeds else path.name, [])
    wanted = parse_docs(docs) if docs else None
    for doc in data["documents"]:
        if wanted is not None and _doc_number(doc["file"]) not in wanted:
            continue
        p = base / Path(doc["file"]).name if seeds else base / doc["file"]
        text = p.read_text(encoding="utf-8") if seeds else None
        s.labels += _labels(len(s.docs), doc.get("sentences") or [], text)
        s.docs.append(p)
    return s


def parse_docs(spec: str) -> set[int]:
    """Document numbers from "15-34" or "1,3,15-20" (a page's number is its file-name prefix)."""
    out: set[int] = set()
    for part in spec.split(","):
        a, _, b = part.strip().partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out


def _doc_number(file: str) -> int | None:
    head = Path(file).name.split("-")[0].split("_")[0]
    return int(head) if head.isdigit() else None


SETTINGS: dict[str, float] = {}  # module settings of copy/check.py for this checkout (--embedding)


def run_checker(
    src: Path, claims: Path, docs: list[Path], settings: dict[str, float] | None = None
) -> list[dict[str, Any]]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    job = json.dumps(
        {"claims": str(claims), "docs": [str(d) for d in docs], "settings": settings or {}}
    )
    res = subprocess.run(
        [sys.executable, "-c", DRIVER], input=job, capture_output=True, text=True, env=env
    )
    if res.returncode:
        raise SystemExit(f"checker at {src} failed:\n{res.stderr}")
    out: list[dict[str, Any]] = json.loads(res.stdout)
    return out


def _locate(labels: list[Label], key: str, keep_links: bool = False) -> None:
    cursor = 0
    for lab in labels:
        k, _ = _key(lab.text, keep_links)
        if not k:
            continue
        i = key.find(k, cursor)
        if i < 0:
            i = key.find(k)
        if i >= 0:
            lab.key_span = (i, i + len(k))
            cursor = i + len(k)


def _finding_for(lab: Label, spans: list[tuple[int, int, dict[str, Any]]]) -> dict[str, Any] | None:
    """The finding overlapping the labelled sentence most, if it covers half of either."""
    return None if lab.key_span is None else best_overlap(lab.key_span, spans)


def page_readings(
    s: LabelledSet, path: Path, result: dict[str, Any]
) -> list[tuple[Label, dict[str, Any] | None]]:
    """Each labelled item of page ``path`` of ``s``, in label order, with the checker's finding
    that covers it (``result``: run_checker's output for the page); for scripts that compare the
    checker item by item with other readers."""
    index = s.docs.index(path)
    key, where = _key(result["text"])
    labels = [lab for lab in s.labels if lab.doc == index]
    _locate(labels, key)
    spans = [
        (bisect.bisect_left(where, f["start"]), bisect.bisect_left(where, f["end"]), f)
        for f in result["findings"]
    ]
    return [(lab, _finding_for(lab, spans)) for lab in labels]


def best_overlap(span: tuple[int, int], spans: list[tuple[int, int, _T]]) -> _T | None:
    """Of ``spans`` (start, end, item), the item overlapping ``span`` most, if it covers half of
    either."""
    a, b = span
    best, best_ov = None, 0
    for fa, fb, f in spans:
        ov = min(b, fb) - max(a, fa)
        if ov > best_ov and ov >= 0.5 * min(b - a, fb - fa):
            best, best_ov = f, ov
    return best


def _show(lab: Label, f: dict[str, Any] | None, flagged: bool) -> None:
    """One line per disagreement (dev sets only): what was labelled and what the checker said."""
    got = "-" if f is None else ("OTHER" if f["other_treatment"] else str(f["topic"]))
    want = lab.label if lab.label == "none" else f"{lab.label}/{lab.topic}"
    wrong = (
        (lab.label == "none" and f is not None)
        or (
            lab.label in CLAIM_LABELS
            and (f is None or got != (lab.topic if lab.topic != "other-treatment" else "OTHER"))
        )
        or (lab.label == "overstated") != flagged
    )
    if wrong:
        flags = ",".join(f["flags"]) if f else ""
        print(f"  {want:28} got {got:18} {flags:30} {lab.text[:90]}")


def score(
    s: LabelledSet, results: list[dict[str, Any]], show: bool = False, keep_links: bool = False
) -> dict[str, tuple[int, int]]:
    """Counts of each column, and "lost": labels not located in the text read (``keep_links``:
    located with the old key that kept Markdown link targets)."""
    counts = {
        k: [0, 0]
        for k in ("found", "topic", "claim", "overstated", "false_alarm", "flag_ok", "lost")
    }
    confusion: Counter[tuple[str, str]] = Counter()
    for d, res in enumerate(results):
        key, where = _key(res["text"], keep_links)
        labels = [lab for lab in s.labels if lab.doc == d]
        for lab in labels:
            lab.key_span = None
        _locate(labels, key, keep_links)
        spans = []
        for f in res["findings"]:
            a = bisect.bisect_left(where, f["start"])
            b = bisect.bisect_left(where, f["end"])
            spans.append((a, b, f))
        for lab in labels:
            f = _finding_for(lab, spans)
            flagged = bool(f and set(f["flags"]) - DOC_LEVEL_FLAGS)
            if show:
                _show(lab, f, flagged)
            counts["lost"][1] += 1
            # a label with no letter or digit (a row of stars, a divider) has no key to locate:
            # it is not a sentence the reader lost
            counts["lost"][0] += lab.key_span is None and bool(_key(lab.text, keep_links)[0])
            if lab.label in CLAIM_LABELS:
                counts["found"][1] += 1
                counts["found"][0] += f is not None
                # right claim: over labels that name a library claim, found and matched to it
                if lab.claim:
                    counts["claim"][1] += 1
                    counts["claim"][0] += f is not None and f["claim_id"] == lab.claim
                if lab.topic:
                    got = None
                    if f is not None:
                        got = "other-treatment" if f["other_treatment"] else f["topic"]
                    counts["topic"][1] += 1
                    counts["topic"][0] += got == lab.topic
                    if got != lab.topic:
                        confusion[(lab.topic, "missed" if f is None else str(got))] += 1
            if lab.label == "overstated":
                counts["overstated"][1] += 1
                counts["overstated"][0] += flagged
                why = counts.setdefault(f"why:{lab.why}", [0, 0])
                why[1] += 1
                why[0] += flagged
            if lab.label == "claim":
                counts["flag_ok"][1] += 1
                counts["flag_ok"][0] += flagged
            if lab.label == "none":
                counts["false_alarm"][1] += 1
                counts["false_alarm"][0] += f is not None
    if show and confusion:
        print("  wrong topics, labelled -> reported (count):")
        for (want, got), n in confusion.most_common():
            print(f"    {want} -> {got}: {n}")
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _cell(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f}%)" if d else "-"


def print_table(title: str, rows: list[tuple[str, dict[str, tuple[int, int]]]]) -> None:
    print(f"\n{title}")
    print(
        "| checker | claims found | right library topic | overstatements flagged "
        "| false alarms on filler | flags on accurate claims | right claim |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, c in rows:
        cols = ("found", "topic", "overstated", "false_alarm", "flag_ok", "claim")
        cells = [_cell(*c[k]) for k in cols]
        print(f"| {name} | " + " | ".join(cells) + " |")
    held_out = title.startswith("held out")  # its labels stay unseen, even by category
    whys = [] if held_out else sorted(k for k in rows[-1][1] if k.startswith("why:"))
    if whys:
        print(
            "overstatements flagged by category (last row): "
            + "; ".join(f"{k[4:]} {_cell(*rows[-1][1][k])}" for k in whys)
        )
    for name, c in rows:
        lost = c["lost"]
        if lost[0]:
            print(f"({name}: {lost[0]} of {lost[1]} labelled sentences not found in the text read)")


def _findings_json(check: Any, lib: Any, m: Any, d: Any) -> dict[str, Any]:
    r = check.check_text(d.name, d.text, lib, {}, m, d.kind, d.roles)
    return {
        "text": d.text,
        "findings": [
            {
                "start": f.start,
                "end": f.end,
                "topic": f.topic,
                "claim_id": f.claim_id,
                "other_treatment": f.other_treatment,
                "flags": [x.code for x in f.flags],
            }
            for f in r.findings
        ],
    }


def tune(sets: list[tuple[str, LabelledSet]]) -> None:
    """Sweep the match threshold and topic weights on the dev sets (never the held-out set), in
    this process, and print right-topic counts: how MATCH_THRESHOLD, TOPIC_WEAK, TOPIC_NONE and
    TOPIC_MARGIN in copy/check.py were chosen."""
    sys.path.insert(0, str(ROOT / "src"))
    from claimledger.copy import check
    from claimledger.copy.documents import read_document
    from claimledger.library.claims import load_claims

    lib = load_claims(ROOT / "claims.yaml")
    m = check.ClaimMatcher(lib)
    dev = [(s, [read_document(p) for p in s.docs]) for t, s in sets if t != "held out"]
    print("threshold topic_weak topic_none margin | right topic per set")
    grid = [
        (th, weak, none, margin)
        for th in (0.2, 0.25, 0.3, 0.35)
        for weak in (0.5, 0.75)
        for none in (0.3, 0.5)
        for margin in (1.5, 99.0)
    ]
    for th, weak, none, margin in grid:
        check.MATCH_THRESHOLD, check.TOPIC_WEAK, check.TOPIC_NONE = th, weak, none
        check.TOPIC_MARGIN = margin
        cells = [
            _cell(*score(s, [_findings_json(check, lib, m, d) for d in docs])["topic"])
            for s, docs in dev
        ]
        print(f"{th:9} {weak:10} {none:10} {margin:6} | " + " | ".join(cells))


def cross_validate(
    sets: list[tuple[str, LabelledSet]],
    by_set: bool = False,
    show: bool = False,
    by_writer: bool = False,
    backup: bool = True,
) -> None:
    """Leave one document out over dev + seeds: the claim model is retrained without each
    document and scored on it, next to round one's rules (the model's `rule` feature alone).
    The threshold is the one train_claims.py picks from these same out-of-fold predictions.
    ``by_set``: leave one set out instead (trained on the dev pages, scored on the seeds, and the
    other way round), with the leave-one-document-out threshold. ``by_writer``: also leave one
    WRITER out (train_claims.WRITERS): the model scoring a writer's pages is trained without any
    of them, at the threshold chosen on the other writers' out-of-fold predictions; printed
    beside leave-one-document-out, for each set and each writer set. The overstatement back-up
    (copy/overmodel.py) scoring a document is always the one trained without its WRITER, at the
    threshold chosen without it (benchmarks/train_overstated.py writer_models), in every row;
    ``backup`` False switches it off (the figures without it)."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_claims as tc
    import train_overstated as to

    from claimledger.copy import check
    from claimledger.copy.claimmodel import ClaimModel
    from claimledger.copy.documents import read_document
    from claimledger.copy.overmodel import OverModel
    from claimledger.library.claims import load_claims

    NO_BACKUP = OverModel({}, 0.0, 2.0)  # a probability never reaches 2: flags nothing
    dev = [(t, s) for t, s in sets if t != "held out"]
    docs = tc.documents(dev)
    over = to.writer_models(to.examples_of(docs, dev))
    models = tc.fold_models(docs)
    threshold = tc.choose_threshold(docs, models)
    if by_set:
        models = tc.fold_models(docs, by_set=True)
    folds = [ClaimModel(m.weights, m.bias, threshold, m.prior) for m in models]
    variants = [("claim model, CV", folds)]
    if by_writer:
        writer_models = tc.fold_models(docs, group=tc.writer_of)
        cut = tc.group_thresholds(docs, writer_models, tc.writer_of)
        variants = [
            ("claim model, leave one document out", folds),
            (
                "claim model, leave one writer out",
                [
                    ClaimModel(m.weights, m.bias, cut[tc.writer_of(d)], m.prior)
                    for m, d in zip(writer_models, docs, strict=True)
                ],
            ),
        ]
    rules = ClaimModel({"rule": 1.0, "overstated_claim": 1.0}, -0.5, 0.5)
    for name, value in SETTINGS.items():
        setattr(check, name, value)
    lib = load_claims(ROOT / "claims.yaml")
    m = check.ClaimMatcher(lib)
    k = 0
    per_writer: dict[str, list[tuple[LabelledSet, int, list[dict[str, Any]]]]] = {}
    for title, s in dev:
        results: list[list[dict[str, Any]]] = [[] for _ in range(len(variants) + 1)]
        for i, p in enumerate(s.docs):
            d = read_document(p)
            held = over[tc.writer_of(docs[k])] if backup else None
            check.overstated_model = lambda o=held: o or NO_BACKUP  # type: ignore[assignment]
            for r, model in enumerate([rules] + [v[k] for _, v in variants]):
                check.claim_model = lambda f=model: f  # type: ignore[assignment]
                results[r].append(_findings_json(check, lib, m, d))
            per_writer.setdefault(tc.writer_of(docs[k]), []).append(
                (s, i, [res[-1] for res in results])
            )
            k += 1
        how = "set" if by_set else "document"
        rows = [("round one's rules", score(s, results[0]))] + [
            (name, score(s, results[r + 1], show and r == len(variants) - 1))
            for r, (name, _) in enumerate(variants)
        ]
        print_table(
            f"{title}, leave one {how} out (threshold {threshold})"
            + (", and one writer out (threshold chosen without the writer)" if by_writer else "")
            + f": {s.name}, {len(s.docs)} documents",
            rows,
        )
    if by_writer:
        _writer_rows(per_writer, [name for name, _ in variants])


def _writer_rows(
    per_writer: dict[str, list[tuple[LabelledSet, int, list[dict[str, Any]]]]], names: list[str]
) -> None:
    """One table per writer set: the same pages scored by each variant."""
    for writer, entries in per_writer.items():
        labels = [
            Label(**{**lab.__dict__, "doc": j})
            for j, (s, i, _) in enumerate(entries)
            for lab in s.labels
            if lab.doc == i
        ]
        part = LabelledSet(writer, [s.docs[i] for s, i, _ in entries], labels)
        rows = [
            (name, score(part, [res[r + 1] for _, _, res in entries]))
            for r, name in enumerate(names)
        ]
        print_table(f"writer set {writer}: {len(entries)} documents", rows)


def _full_model_semantic(m: Any) -> Any:
    """ClaimMatcher.semantic through the full all-MiniLM-L6-v2 (the numpy forward pass of
    distill_embeddings.py; needs the [distill] extra): the ceiling for the static table."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import distill_embeddings as de
    import numpy as np

    weights, tokens, config = de.load_model(de.model_zip())
    bert, vocab = de.Bert(weights, config), {t: i for i, t in enumerate(tokens)}
    cache: dict[str, Any] = {}

    def enc(text: str) -> Any:
        if text not in cache:
            cache[text] = de.encode_sentences(bert, [text], vocab)[0]
        return cache[text]

    vectors = np.vstack([enc(t) for _, t in m._texts])

    def semantic(sentence: str, vector: Any = None) -> dict[str, float]:
        # ``vector`` is the static table's: the full model encodes the sentence itself
        best: dict[str, float] = {}
        for (cid, _), v in zip(m._texts, (vectors @ enc(sentence)).tolist(), strict=True):
            best[cid] = max(best.get(cid, -1.0), v)
        return best

    return semantic


def tune_embedding(sets: list[tuple[str, LabelledSet]], full_model: bool = False) -> None:
    """The meaning-based term of the matcher (EMBEDDING_WEIGHT, EMBEDDING_FLOOR in copy/check.py,
    data/embedding.py): right topic and right claim (the labelled claim id, over labels that
    name one) over a grid of (weight, floor, match threshold) on dev + seeds, and leave
    one document out, where each document is scored with the setting that does best on all the
    others (weight 0 included, so the term must earn its place)."""
    sys.path.insert(0, str(ROOT / "src"))
    from claimledger.copy import check
    from claimledger.copy.documents import read_document
    from claimledger.library.claims import load_claims

    lib = load_claims(ROOT / "claims.yaml")
    m = check.ClaimMatcher(lib)
    if full_model:
        m.semantic = _full_model_semantic(m)  # type: ignore[method-assign]
    docs = []
    for title, s in sets:
        if title == "held out":
            continue
        for i, p in enumerate(s.docs):
            labels = [Label(**{**lab.__dict__, "doc": 0}) for lab in s.labels if lab.doc == i]
            docs.append((title, LabelledSet(p.name, [p], labels), read_document(p)))
    thresholds = (0.2, 0.25, 0.3, 0.35)
    grid = [(0.0, 0.3, t) for t in thresholds] + [
        (w, f, t) for w in (0.25, 0.5, 1.0, 2.0) for f in (0.3, 0.4, 0.5, 0.6) for t in thresholds
    ]
    titles = [t for t, _ in sets if t != "held out"]
    right: dict[str, dict[tuple[float, float, float], list[int]]] = {"topic": {}, "claim": {}}
    print("weight floor threshold | right topic per set | right claim per set")
    for g in grid:
        check.EMBEDDING_WEIGHT, check.EMBEDDING_FLOOR, check.MATCH_THRESHOLD = g
        scored = [score(one, [_findings_json(check, lib, m, d)]) for _, one, d in docs]
        cells = []
        for what in ("topic", "claim"):
            right[what][g] = [sc[what][0] for sc in scored]
            for title in titles:
                n = sum(
                    sc[what][0] for sc, (t, _, _) in zip(scored, docs, strict=True) if t == title
                )
                of = sum(
                    sc[what][1] for sc, (t, _, _) in zip(scored, docs, strict=True) if t == title
                )
                cells.append(f"{title} {n}/{of}")
        print(f"{g[0]:6} {g[1]:5} {g[2]:9} | " + " | ".join(cells), flush=True)
    total = Counter(t for t, _, _ in docs)
    for what in ("topic", "claim"):
        r = right[what]
        for label, cands in (
            ("threshold only", [g for g in grid if g[0] == 0.0]),
            ("with the meaning term", grid),
        ):
            got: Counter[str] = Counter()
            chosen: Counter[tuple[float, float, float]] = Counter()
            for k, (title, _, _) in enumerate(docs):
                best = max(cands, key=lambda g: (sum(r[g]) - r[g][k], -g[0], -abs(g[2] - 0.25)))
                got[title] += r[best][k]
                chosen[best] += 1
            print(
                f"right {what}, leave one document out, {label}: "
                + "; ".join(f"{t} {got[t]} ({total[t]} documents)" for t in total)
                + f"; chosen (weight, floor, threshold) {chosen.most_common(2)}"
            )


def with_trees(tmp: Path, trees: Path) -> Path:
    """A copy of this checkout's src with data/claim_trees.json replaced by ``trees`` (a claim
    trees file, e.g. one fitted outside the FRESH pages by claim_trees.py --trees-file): the
    same checker with another blend or threshold, scored beside this checkout in one run."""
    src = tmp / f"trees-{trees.stem}" / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(trees, src / "claimledger" / "data" / "claim_trees.json")
    return src


def by_writer(
    s: LabelledSet, results: list[dict[str, Any]]
) -> list[tuple[str, LabelledSet, list[dict[str, Any]]]]:
    """The set split by writer set (train_claims.WRITERS; a page outside them is its own): each
    part's documents, labels (renumbered) and checker results, for per-writer-set counts."""
    if str(ROOT / "benchmarks") not in sys.path:  # train_claims imports this module: not at the top
        sys.path.insert(0, str(ROOT / "benchmarks"))
    from train_claims import WRITERS

    def writer(path: Path) -> str:
        n = _doc_number(path.name)
        for a, b in WRITERS:
            if n is not None and a <= n <= b:
                return f"{a:02d}-{b:02d}"
        return path.name

    parts: dict[str, list[int]] = {}
    for k, d in enumerate(s.docs):
        parts.setdefault(writer(d), []).append(k)
    out = []
    for name, ks in parts.items():
        new = {k: i for i, k in enumerate(ks)}
        labels = [replace(lab, doc=new[lab.doc]) for lab in s.labels if lab.doc in new]
        out.append(
            (name, LabelledSet(name, [s.docs[k] for k in ks], labels), [results[k] for k in ks])
        )
    return out


def baseline_tree(tmp: Path, rev: str = BASELINE) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src", "claims.yaml"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
        tar.extractall(tmp, filter="data")
    return tmp


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", action="append", type=Path, help="a directory with labels.yaml")
    ap.add_argument("--no-baseline", action="store_true", help="skip the 0798c48 checker")
    ap.add_argument(
        "--baseline", default=BASELINE, metavar="REV", help="the git revision to compare with"
    )
    ap.add_argument(
        "--docs",
        help='only these dev documents, by file-name number ("15-34"); seeds and held out skipped',
    )
    ap.add_argument(
        "--show",
        action="store_true",
        help="print each disagreement with the labels (never for the held-out set)",
    )
    ap.add_argument(
        "--by-set",
        action="store_true",
        help="with --cv: leave one set out (train on dev pages, score the seeds, and back)",
    )
    ap.add_argument("--tune", action="store_true", help="sweep the match threshold on dev sets")
    ap.add_argument(
        "--embedding",
        type=float,
        metavar="WEIGHT",
        help="switch on the meaning-based match term (EMBEDDING_WEIGHT; off by default)",
    )
    ap.add_argument(
        "--embedding-floor", type=float, default=0.3, help="EMBEDDING_FLOOR with --embedding"
    )
    ap.add_argument(
        "--tune-embedding",
        action="store_true",
        help="sweep the meaning term on dev + seeds, with a leave-one-document-out choice",
    )
    ap.add_argument(
        "--full-model",
        action="store_true",
        help="with --tune-embedding: the full all-MiniLM-L6-v2 instead of the static table",
    )
    ap.add_argument(
        "--cv",
        action="store_true",
        help="leave-one-document-out cross-validation over dev + seeds (never the held-out set)",
    )
    ap.add_argument(
        "--without-backup",
        action="store_true",
        help="with --cv/--cv-writer: the overstatement back-up off (the figures before it)",
    )
    ap.add_argument(
        "--cv-writer",
        action="store_true",
        help="--cv, plus leave one writer set out (seeds, 01-14, 15-24, ...), by writer set",
    )
    ap.add_argument(
        "--compare-key",
        action="store_true",
        help="also score each checker with the old key that kept Markdown link targets",
    )
    ap.add_argument(
        "--pooled",
        action="store_true",
        help="also print the sets' counts added up (several --set folders read as one)",
    )
    ap.add_argument(
        "--trees",
        action="append",
        type=Path,
        metavar="JSON",
        help="also score this checkout with this claim trees file in place of the shipped one "
        "(repeat for more; one row each, in the same run)",
    )
    ap.add_argument(
        "--per-writer",
        action="store_true",
        help="also print each writer set's counts (train_claims.WRITERS): the baseline, this "
        "checkout and every --trees row (not the --compare-key rows)",
    )
    args = ap.parse_args()
    dev = ROOT / "benchmarks" / "copy-dev"
    holdout = ROOT / "benchmarks" / "copy-holdout"
    sets: list[tuple[str, LabelledSet]] = []
    for d in args.set or [dev]:
        if (d / "labels.yaml").exists():
            name = "dev" if d.resolve() == dev.resolve() else d.name
            sets.append((name, load_set(d, docs=args.docs)))
        if (d / "seed-labels.yaml").exists() and not args.docs:
            sets.append(("seeds", load_set(d, seeds=True)))
    if args.docs and (args.cv or args.cv_writer or args.tune):
        ap.error("--docs scores pages with the shipped model; --cv and --tune use every page")
    if not args.set and not args.docs and (holdout / "labels.yaml").exists():
        sets.append(("held out", load_set(holdout)))
    if args.embedding is not None:
        SETTINGS.update(EMBEDDING_WEIGHT=args.embedding, EMBEDDING_FLOOR=args.embedding_floor)
    if args.tune:
        tune(sets)
        return
    if args.tune_embedding:
        tune_embedding(sets, args.full_model)
        return
    if args.cv or args.cv_writer:
        cross_validate(sets, args.by_set, args.show, args.cv_writer, not args.without_backup)
        return
    pooled: dict[str, dict[str, list[int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = None if args.no_baseline else baseline_tree(Path(tmp), args.baseline)
        for title, s in sets:
            rows = []
            runs = []
            if base is not None:
                found = run_checker(base / "src", base / "claims.yaml", s.docs)
                if args.compare_key:
                    rows.append(
                        (f"checker at {args.baseline}, old key", score(s, found, False, True))
                    )
                rows.append((f"checker at {args.baseline}", score(s, found)))
                runs.append((f"checker at {args.baseline}", found))
            current = run_checker(ROOT / "src", ROOT / "claims.yaml", s.docs, SETTINGS)
            show = args.show and title != "held out"
            if args.compare_key:
                rows.append(("this checkout, old key", score(s, current, False, True)))
            rows.append(("this checkout", score(s, current, show)))
            runs.append(("this checkout", current))
            for trees in args.trees or []:
                res = run_checker(
                    with_trees(Path(tmp), trees), ROOT / "claims.yaml", s.docs, SETTINGS
                )
                name = (
                    f"trees {trees.name} (threshold {json.loads(trees.read_text())['threshold']})"
                )
                rows.append((name, score(s, res)))
                runs.append((name, res))
            print_table(
                f"{title}: {s.name}, {len(s.docs)} documents, {len(s.labels)} labelled sentences",
                rows,
            )
            if args.per_writer and title != "held out":
                split = {name: by_writer(s, res) for name, res in runs}
                for i, (w, part, _) in enumerate(split["this checkout"]):
                    print_table(
                        f"{title} writer set {w}: {len(part.docs)} documents",
                        [
                            (name, score(pieces[i][1], pieces[i][2]))
                            for name, pieces in split.items()
                        ],
                    )
            for name, c in rows:
                into = pooled.setdefault(name, {})
                for k, (got, of) in c.items():
                    into[k] = [a + b for a, b in zip(into.get(k, [0, 0]), (got, of), strict=True)]
    if args.pooled and len(sets) > 1:
        names = ", ".join(s.name for _, s in sets)
        print_table(
            f"pooled: {names}",
            [(n, {k: (a, b) for k, (a, b) in c.items()}) for n, c in pooled.items()],
        )


if __name__ == "__main__":
    main()
