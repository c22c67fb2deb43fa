"""Speed of `claimledger check`: a generated document, the shipped library, a 50,000-article ledger.

The document is generated from the library's own phrasings and filler sentences (deterministic);
the ledger holds 50,000 generated articles, clearly synthetic (titles "SYNTHETIC ARTICLE n",
PMIDs from 900000000), linked to the claims and graded, for timing only. In one run it prints the
time of a full check (read, split, match, flag, cite, render) against the time to just read and
split the same document, and how the check time grows from 1,000 to 10,000 words; and the same
ratio on about 5,000 words of the project's dev pages (real copy, not drawn from a small pool):
first the oldest Markdown pages joined into one document (the line earlier sessions quoted),
then pages taken across every writer set and format, each checked as `check FOLDER` checks it,
with nothing kept from checking the same words before (the honest line).

Times are CPU time of this process (time.process_time), best of several runs: the machine is
shared by several engineers, and wall-clock time there measures their load as much as ours.
Both sides of each ratio are measured the same way in the same run.

    python benchmarks/check_speed.py
    python benchmarks/check_speed.py --embedding 0.25   # with the meaning-based match term on
    python benchmarks/check_speed.py --stages           # only: where a check's time goes, by stage
    python benchmarks/check_speed.py --sample 20        # only: the same, sampled (no wrappers)
    python benchmarks/check_speed.py --ledger /tmp/x.db # keep the synthetic ledger there (reused)
    python benchmarks/check_speed.py --trees FILE       # each ratio also with the claim trees
    python benchmarks/check_speed.py --repeat 15        # best of 15 runs, not 5 (loaded machine)
    python benchmarks/check_speed.py --topic-trees      # each ratio without, then with, the
        # shipped topic trees (data/topic_trees.json)

``--trees FILE`` (a trees file, {"lightgbm", "params", "trees"}: copy/claimtrees.py) also times
each full check with the claim model blending its trees (logit = 0.5 (linear logit + the trees'
score), the blend trees24 ships), in the same run: a line "with the claim trees" under each ratio.
``--topic-trees`` times each ratio's line with the shipped topic model's linear part alone and a
line "with the topic trees" under it with the shipped blend (copy/topicmodel.py), in the same run.

``--stages`` times the stages of check on the spread dev pages (no ledger is built): the page
split into units (segmentation included: read + split's own work), each unit's rules, claim-model
features and wording flags, and for the reported units the matcher, topic model, finding and
overstatement model, each the best of five runs (CPU time, stages nested as indented; a stage a
checkout lacks is left out); then, across all of those, the lexicon engine's filter
(CueIndex.candidates) and single patterns' searches (Caseless.search_in). Timing a stage adds a
little to it (most to those two, called thousands of times a page), so the stage sums are for
comparing stages and two trees in the same run, not the headline ratio.

``--sample N`` checks the spread dev pages N times (after one check to compile the lexicons)
and samples where the CPU time goes every half millisecond (a profiling timer, no wrappers, so
no call is made slower than another): each function's share of the samples with it on the stack
(its own time and what it calls) and with it on top (its own time; a C function's, a regex
search's, counts for the Python function that calls it). Shares, not times: the split's share
(textutil segment) is how much of check the 3x target leaves the rest.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from claimledger.assess.grading import RUBRIC_VERSION
from claimledger.copy import check as copy_check
from claimledger.copy.check import ClaimMatcher, check_text, segment
from claimledger.copy.documents import read_document
from claimledger.ledger.store import open_ledger
from claimledger.library.claims import load_claims
from claimledger.model import GradeLabel, GradeRecord, LinkOrigin, TraceStep
from claimledger.pubmed.records import Article, PublicationType
from claimledger.reports.check import render_check
from claimledger.service.grading import check_evidence

ROOT = Path(__file__).resolve().parents[1]
FILLER = [
    "Our clinic is open six days a week.",
    "Parking is available behind the building.",
    "Many people ask us what to expect on their first visit.",
    "We are proud of our friendly and experienced team.",
    "Insurance coverage varies, so ask our front desk.",
]


def make_document(words: int, library, rng: random.Random) -> str:  # type: ignore[no-untyped-def]
    pool = [
        v[0].upper() + v[1:] + "."
        for c in library.claims
        for v in (c.statement.rstrip("."), *c.variants)
    ]
    out: list[str] = []
    n = 0
    while n < words:
        para = []
        for _ in range(rng.randint(3, 6)):
            s = rng.choice(pool) if rng.random() < 0.6 else rng.choice(FILLER)
            para.append(s)
            n += len(s.split())
        out.append(" ".join(para))
    return "\n\n".join(out) + "\n"


def real_document(words: int) -> str:
    """The project's dev pages (benchmarks/copy-dev, Markdown and plain text, in file order)
    joined until ``words``: real copy, whose sentences are not drawn from a small pool as the
    generated document's are (so what check keeps per text gains nothing from repeats)."""
    dev = ROOT / "benchmarks" / "copy-dev"
    pages = sorted(dev.glob("*.md")) + sorted(dev.glob("*.txt"))
    out: list[str] = []
    n = 0
    for page in (p for p in pages if p.name != "README.md"):
        out.append(page.read_text(encoding="utf-8"))
        n += len(out[-1].split())
        if n >= words:
            break
    return "\n\n".join(out)


def spread_pages(words: int) -> list[Path]:
    """Dev pages in every format ``check`` reads (HTML, Markdown, plain text), taken evenly
    across the whole sorted list (every writer set, the newest included) until ``words`` words
    of their text: the pages as a writer hands them in, not only the oldest Markdown ones."""
    dev = ROOT / "benchmarks" / "copy-dev"
    pages = sorted(p for p in dev.iterdir() if p.suffix in (".html", ".md", ".txt"))
    pages = [p for p in pages if p.name != "README.md"]
    sizes = {p: len(read_document(p).text.split()) for p in pages}
    step = max(1, round(len(pages) * (sum(sizes.values()) / len(pages)) / words))
    out: list[Path] = []
    n = 0
    for offset in range(step):  # every step-th page; again from the next offset if short
        for page in pages[offset::step]:
            out.append(page)
            n += sizes[page]
            if n >= words:
                return out
    return out


def forget_words() -> None:
    """Drop what the process keeps per word (stems, WordPiece ids) and what it keeps of the
    library's statements (their topics, dated facts and meaning vectors, read once per process),
    so a timed check learns nothing from checking before: as the first page a process checks."""
    from claimledger.copy import check, wording
    from claimledger.data import embedding
    from claimledger.data.embedding import static_embedding
    from claimledger.textutil import stem

    stem.cache_clear()
    static_embedding()._ids.cache_clear()
    check._statement_topics.clear()
    embedding._group_vectors.cache_clear()
    wording._facts_of.clear()


def make_ledger(path: Path, library, n_articles: int) -> None:  # type: ignore[no-untyped-def]
    ledger = open_ledger(path)
    claims = list(library.claims)
    with ledger.transaction():
        for i in range(n_articles):
            pmid = str(900_000_000 + i)
            art = Article(
                pmid=pmid,
                title=f"SYNTHETIC ARTICLE {i} (generated for timing only)",
                abstract="SYNTHETIC abstract text, generated for timing only.",
                journal_abbrev="Synth J",
                year=2000 + i % 25,
                authors=("Synthetic A",),
                publication_types=(PublicationType("Randomized Controlled Trial", "D016449"),),
            )
            ledger.upsert_article(art, None, "bench")
            ledger.link(claims[i % len(claims)].id, pmid, LinkOrigin.MANUAL, None, "bench")
        for j, c in enumerate(claims):
            ledger.ensure_claim_version(c, "bench")
            pmids = [str(900_000_000 + j + k * len(claims)) for k in range(3)]
            ledger.add_grade(
                GradeRecord(
                    claim_id=c.id,
                    claim_version=c.version,
                    grade=GradeLabel.MODERATE,
                    provisional=True,
                    needs_non_pubmed_source=False,
                    trace=(TraceStep("moderate", "synthetic", tuple(pmids)),),
                    rubric_version=RUBRIC_VERSION,
                    evidence_hash="synthetic",
                ),
                "bench",
            )


# (module, function, depth): the stages --stages times, as check calls them (nested by depth);
# a function is patched in the module that calls it (check.py imports the feature functions by
# name), a method on its class. The last two run inside many stages above: the lexicon engine's
# filter (which of an index's patterns to run on a text) and the single patterns' searches.
STAGES = (
    ("claimledger.copy.check", "check_text", 0),
    ("claimledger.copy.check", "judge_units", 1),
    ("claimledger.copy.check", "page_units", 2),
    ("claimledger.copy.structure", "_find_named", 3),
    ("claimledger.copy.structure", "Domain.mentions", 4),
    ("claimledger.copy.check", "_unit_claim", 2),
    ("claimledger.copy.check", "page_flags", 2),
    ("claimledger.copy.wording", "lexicon_flags", 3),
    ("claimledger.copy.wording", "Wording.read", 4),
    ("claimledger.copy.wording", "_Category.first_match", 4),
    ("claimledger.copy.wording", "fact_check", 3),
    ("claimledger.copy.check", "meaning_vectors", 2),
    ("claimledger.copy.check", "unit_features", 2),
    ("claimledger.copy.check", "shape_features", 3),
    ("claimledger.copy.check", "grammar_features", 3),
    ("claimledger.copy.check", "structure_features", 3),
    ("claimledger.copy.check", "block_features", 3),
    ("claimledger.copy.check", "context_features", 3),
    ("claimledger.copy.check", "framing_features", 3),
    ("claimledger.copy.check", "recall_features", 3),
    ("claimledger.copy.check", "reason_features", 3),
    ("claimledger.copy.check", "filler_features", 3),
    ("claimledger.copy.check", "warning_features", 3),
    ("claimledger.copy.claimmodel", "ClaimModel.page_probabilities", 1),
    ("claimledger.copy.check", "topic_readings", 1),
    ("claimledger.copy.check", "ClaimMatcher.scores", 2),
    ("claimledger.copy.topicmodel", "TopicModel.page_probabilities", 2),
    ("claimledger.copy.check", "_finding", 1),
    ("claimledger.copy.check", "PageReader.flag", 1),
    ("claimledger.library.lexicon", "CueIndex.candidates", 0),
    ("claimledger.library.lexicon", "Caseless.search_in", 0),
)


def time_stages(library) -> None:  # type: ignore[no-untyped-def]
    """CPU time of each stage of check (STAGES) on the spread dev pages, best of five runs."""
    import importlib

    spent: dict[str, float] = {}

    def timed(fn, name: str):  # type: ignore[no-untyped-def]
        def run(*a, **k):  # type: ignore[no-untyped-def]
            t = time.process_time()
            try:
                out = fn(*a, **k)
                return list(out) if name == "page_units" else out  # a generator: its work
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - t

        return run

    shown = []
    for module, name, depth in STAGES:
        owner: object = importlib.import_module(module)
        attr = name
        if "." in name:  # a method: patched on its class
            cls, attr = name.split(".")
            owner = getattr(owner, cls, None)
        if owner is None or not hasattr(owner, attr):
            continue
        setattr(owner, attr, timed(getattr(owner, attr), name))
        shown.append((name, depth))
    docs = [read_document(p) for p in spread_pages(5000)]
    best: dict[str, float] = {}
    for _ in range(5):
        spent.clear()
        forget_words()
        matcher = ClaimMatcher(library)
        for doc in docs:  # through the module, whose check_text is the timed one
            copy_check.check_text(doc.name, doc.text, library, {}, matcher, doc.kind, doc.roles)
        if not best or spent["check_text"] < best["check_text"]:
            best = dict(spent)
    split = best_of(lambda: [list(segment(d.text, d.kind)) for d in docs])
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} dev pages, {words:,} words: check's stages (CPU time, best of 5)")
    for name, depth in shown:
        print(f"{'  ' * depth}{name:<{34 - 2 * depth}} {best.get(name, 0.0) * 1000:7.1f} ms")
    print(f"split only (segment, the pages read already) {split * 1000:7.1f} ms")


def sample_stages(library, runs: int, shown: int = 40) -> None:  # type: ignore[no-untyped-def]
    """Where check's CPU time goes on the spread dev pages, by sampling (see ``--sample``)."""
    import collections
    import signal

    docs = [read_document(p) for p in spread_pages(5000)]

    def check_pages() -> None:
        forget_words()
        matcher = ClaimMatcher(library)
        for doc in docs:
            check_text(doc.name, doc.text, library, {}, matcher, doc.kind, doc.roles)

    check_pages()  # compiles the lexicons and models, as the first check of a process does
    on_stack: collections.Counter[str] = collections.Counter()
    on_top: collections.Counter[str] = collections.Counter()

    def sample(signum, frame) -> None:  # type: ignore[no-untyped-def]
        seen = set()
        top = True
        while frame is not None:
            code = frame.f_code
            name = f"{Path(code.co_filename).name}:{code.co_name}:{code.co_firstlineno}"
            if top:
                on_top[name] += 1
                top = False
            if name not in seen:
                seen.add(name)
                on_stack[name] += 1
            frame = frame.f_back

    signal.signal(signal.SIGPROF, sample)
    signal.setitimer(signal.ITIMER_PROF, 0.0005, 0.0005)
    try:
        for _ in range(runs):
            check_pages()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
    n = on_stack[f"{Path(__file__).name}:check_pages:{check_pages.__code__.co_firstlineno}"]
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} dev pages, {words:,} words, checked {runs} times: {n:,} samples")
    print("share with the function on the stack (its own time and its callees')")
    here = f"{Path(__file__).name}:"  # this script's own frames: on the stack in every sample
    for name, k in [(x, k) for x, k in on_stack.most_common() if not x.startswith(here)][:shown]:
        print(f"{100 * k / n:5.1f}%  {name}")
    print("share with the function on top (its own time)")
    for name, k in on_top.most_common(shown // 2):
        print(f"{100 * k / n:5.1f}%  {name}")


def wire_trees(path: Path):  # type: ignore[no-untyped-def]
    """A switch that makes ClaimModel.page_probabilities blend the trees in ``path`` with the
    linear model (copy/claimtrees.py TreeModel.scores), or not."""
    import json
    import math

    from claimledger.copy.claimmodel import ClaimModel
    from claimledger.copy.claimtrees import TreeModel

    trees = TreeModel.from_json(json.loads(path.read_text()))
    linear = ClaimModel.page_probabilities

    def blended(self, features, vectors):  # type: ignore[no-untyped-def]
        p = linear(self, features, vectors)
        if not p:
            return p
        z = trees.scores(features, vectors, self.prior)
        out = []
        for q, t in zip(p, z.tolist(), strict=True):
            q = min(max(q, 1e-12), 1 - 1e-12)
            s = 0.5 * (math.log(q / (1 - q)) + t)
            out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s)))))
        return out

    def switch(on: bool) -> None:
        ClaimModel.page_probabilities = blended if on else linear  # type: ignore[method-assign]

    return switch


def wire_topic_trees() -> Callable[[bool], None]:
    """A switch that makes check read the shipped topic model with its trees, or its linear
    part alone (the plain lines)."""
    import sys
    from dataclasses import replace

    from claimledger.copy.topicmodel import topic_model

    model = topic_model()
    if model is None or model.trees is None:
        sys.exit("--topic-trees: no data/topic_trees.json shipped (benchmarks/train_topic.py)")
    bare = replace(model, trees=None)

    def switch(on: bool) -> None:
        setattr(copy_check, "topic_model", (lambda: model) if on else (lambda: bare))  # noqa: B010

    switch(False)
    return switch


REPEAT = 5  # runs a best-of takes (--repeat): more on a loaded machine, whose noise only adds


def best_of(fn, repeat: int | None = None) -> float:  # type: ignore[no-untyped-def]
    repeat = repeat or REPEAT
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--embedding",
        type=float,
        metavar="WEIGHT",
        help="time check with the meaning-based match term on (copy/check.py EMBEDDING_WEIGHT)",
    )
    ap.add_argument(
        "--stages", action="store_true", help="only time check's stages on the spread dev pages"
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=5,
        metavar="N",
        help="each time is the best of N runs (default 5; the linearity table half as many, "
        "at least 3): more on a loaded machine",
    )
    ap.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="only sample where check's time goes on the spread dev pages, checked N times",
    )
    ap.add_argument(
        "--ledger",
        type=Path,
        metavar="PATH",
        help="build the synthetic ledger at PATH, or use the one built there by an earlier run "
        "(to time two trees in one job without building it twice; it is never timed)",
    )
    ap.add_argument(
        "--trees", type=Path, metavar="FILE", help="also time each check with these claim trees"
    )
    ap.add_argument(
        "--topic-trees",
        action="store_true",
        help="time each check with the shipped topic model's linear part alone, then with its trees",
    )
    args = ap.parse_args()
    global REPEAT
    REPEAT = args.repeat
    if args.trees and args.topic_trees:
        ap.error("--trees and --topic-trees: one at a time")
    switch = wire_trees(args.trees) if args.trees else None
    label = "the claim trees"
    if args.topic_trees:
        switch, label = wire_topic_trees(), "the topic trees"

    def with_trees(fn, split: float) -> None:  # type: ignore[no-untyped-def]
        if switch:
            switch(True)
            full = best_of(fn)
            switch(False)
            print(f"  with {label}: full check {full * 1000:.0f} ms; ratio {full / split:.2f}x")

    if args.embedding is not None:
        copy_check.EMBEDDING_WEIGHT = args.embedding
    library = load_claims(ROOT / "claims.yaml")
    if args.stages:
        time_stages(library)
        return
    if args.sample:
        sample_stages(library, args.sample)
        return
    rng = random.Random(20261122)
    with tempfile.TemporaryDirectory() as d:
        db = args.ledger or Path(d) / "ledger.db"
        if args.ledger and db.exists():
            print(
                f"the ledger of 50,000 synthetic articles built at {db} earlier (not timed below)"
            )
        else:
            t = time.perf_counter()
            make_ledger(db, library, 50_000)
            print(
                f"built a ledger of 50,000 synthetic articles in {time.perf_counter() - t:.0f} s (not timed below)"
            )
        docs = {}
        for words in (1000, 2000, 5000, 10000):
            p = Path(d) / f"doc{words}.md"
            p.write_text(make_document(words, library, rng))
            docs[words] = p

        def full_check(p: Path) -> None:
            # opened as `claimledger check` opens it (service/output.py): read-only, so no
            # migration or writer-key scan of the audit log, which only writing commands need
            ledger = open_ledger(db, readonly=True)
            evidence = check_evidence(library, ledger)
            doc = read_document(p)
            r = check_text(doc.name, doc.text, library, evidence, ClaimMatcher(library), doc.kind)
            render_check([r], "text")

        def read_split(p: Path) -> None:
            doc = read_document(p)
            list(segment(doc.text, doc.kind))

        if args.embedding is not None:
            from claimledger.data.embedding import static_embedding

            def load_table() -> None:
                static_embedding.cache_clear()
                static_embedding()

            print(
                f"loading the embedding table: {best_of(load_table) * 1000:.0f} ms, once per process"
            )
        full5 = best_of(lambda: full_check(docs[5000]))
        split5 = best_of(lambda: read_split(docs[5000]))
        print(
            f"\n5,000-word document (CPU time): full check {full5 * 1000:.0f} ms; read + split only {split5 * 1000:.0f} ms; "
            f"ratio {full5 / split5:.2f}x (target: at most 3x)"
        )
        with_trees(lambda: full_check(docs[5000]), split5)
        real = Path(d) / "dev-pages.md"
        real.write_text(real_document(5000))
        full_real = best_of(lambda: full_check(real))
        split_real = best_of(lambda: read_split(real))
        print(
            f"dev pages joined, {len(real.read_text().split()):,} words (real copy): "
            f"full check {full_real * 1000:.0f} ms; read + split only {split_real * 1000:.0f} ms; "
            f"ratio {full_real / split_real:.2f}x"
        )
        with_trees(lambda: full_check(real), split_real)
        # the pages as `claimledger check FOLDER` reads them (service/output.py): one ledger read
        # and one matcher, then each page read with its structure hints, checked and rendered;
        # words each check learned from the repeat before are dropped (forget_words)
        pages = spread_pages(5000)

        def check_pages() -> None:
            forget_words()
            evidence = check_evidence(library, open_ledger(db, readonly=True))
            matcher = ClaimMatcher(library)
            results = []
            for p in pages:
                doc = read_document(p)
                results.append(
                    check_text(doc.name, doc.text, library, evidence, matcher, doc.kind, doc.roles)
                )
            render_check(results, "text")

        def read_split_pages() -> None:
            for p in pages:
                doc = read_document(p)
                list(segment(doc.text, doc.kind))

        full_pages = best_of(check_pages)
        split_pages = best_of(read_split_pages)
        n_words = sum(len(read_document(p).text.split()) for p in pages)
        print(
            f"{len(pages)} dev pages across all writer sets and formats, {n_words:,} words, "
            f"fresh words (real copy): full check {full_pages * 1000:.0f} ms; "
            f"read + split only {split_pages * 1000:.0f} ms; ratio {full_pages / split_pages:.2f}x"
        )
        with_trees(check_pages, split_pages)
        print("\nwords   full check   per 1,000 words   read+split")
        base = None
        for words, p in docs.items():
            f = best_of(lambda p=p: full_check(p), max(3, REPEAT // 2))
            s = best_of(lambda p=p: read_split(p), max(3, REPEAT // 2))
            per = f / words * 1000
            base = base or per
            print(
                f"{words:6d} {f * 1000:10.0f} ms {per * 1000:12.1f} ms ({per / base:.2f}x the 1,000-word rate) {s * 1000:8.0f} ms"
            )


if __name__ == "__main__":
    main()
