"""Refresh claims.yaml against a loopback stand-in serving the ketamine corpus; compare with expert grades.

The stand-in (tests/standin.py) serves every record of ../shared/ketamine-corpus/records.jsonl,
re-serialised as PubmedArticle XML by ketamine_corpus.to_pubmed_xml: only the fields each record
has (no field is added; publication types only for the 6 records that carry them). The real
E-utilities client refreshes the whole library through it over 127.0.0.1 at NCBI's rate without
an API key, then every claim is graded. Compared with expected-grades-dev.yaml:

  - grades within the reviewer's acceptable set (and the rubric v1 grade of the same assessments
    as the baseline, from the same run);
  - decisive records: stance as the reviewer gave it (a decisive record the query never retrieved
    counts as wrong and is listed);
  - not-relevant records kept out (not linked, or linked and assessed not-relevant);
  - "strong" grades resting on a record listed as not relevant (must be 0);
  - refresh time split into network (the refresh, paced at 3 requests/s) and grading.

Cross-validation: the rubric's two thresholds (Thresholds) are chosen leave-one-claim-out from a
small grid (best on the other claims, then applied to the held-out claim), next to the shipped
defaults.

    python benchmarks/ketamine_grades.py [--claims claims.yaml] [--expected FILE] [--records FILE]
        [--verbose] [--table FILE] [--reuse LEDGER]

--table FILE writes every claim's grade with the records its trace names (level, stance, size,
indirectness, title): the way to read the grades of the library's claims that have no expected
grade. --reuse LEDGER keeps the refreshed ledger and, on later runs, re-assesses and re-grades a
copy of it without the network (for work on design, relevance, stance and the rubric).
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from ketamine_corpus import CORPUS, ROOT, SHARED, read_jsonl, split_of, to_pubmed_xml
from lxml import etree

sys.path.insert(0, str(ROOT / "tests"))
from standin import Record, StandIn

from claimledger.assess.grading import EvidenceItem, Thresholds, grade_claim
from claimledger.ledger.store import Ledger, open_ledger
from claimledger.library.claims import Claim, load_claims
from claimledger.pubmed.eutils import EutilsClient
from claimledger.pubmed.medline import parse_article_element
from claimledger.service.grading import (
    absolute_no_harm,
    evidence_rows,
    grade_claims,
    long_term_safety,
)
from claimledger.service.refresh import import_file, refresh

GUIDELINE = SHARED / "pubmed-fixtures" / "metapub_pmid_xml" / "34843274.xml"
GUIDELINE_CLAIM = "treats-major-depression"  # filed with `import`, as in the report
GRID = [
    Thresholds(c, s) for c, s in itertools.product((0.3, 0.4, 0.5, 0.6, 0.75), (0.2, 0.34, 0.5))
]


def standin_records(path: Path) -> dict[str, Record]:
    out = {}
    for rec in read_jsonl(path):
        xml = to_pubmed_xml(rec)
        art = parse_article_element(etree.fromstring(xml))[0]
        d = date(int(rec["year"]), 1, 1) if rec.get("year") else date(2000, 1, 1)
        out[rec["pmid"]] = Record(rec["pmid"], xml, art, d, d, d)
    return out


def _forget_assessments(db: Path) -> None:
    """A throw-away copy of the saved ledger loses its machine assessments and grades, so that the
    current design, relevance and stance code assesses every record again, as a refresh would."""
    with sqlite3.connect(db) as con:
        for table in ("assessments", "grades"):
            name = f"{table}_no_delete"
            (sql,) = con.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
            con.execute(f"DROP TRIGGER {name}")
            con.execute(f"DELETE FROM {table}")
            con.execute(sql)


def current(ledger: Ledger, claim: Claim) -> dict[str, Any]:
    rows = evidence_rows(ledger, claim, assess=False)
    return {r.article.pmid: r for r in rows}


def grade_with(items: list[EvidenceItem], claim: Claim, th: Thresholds | None) -> str:
    return grade_claim(
        items,
        needs_non_pubmed_source=claim.needs_non_pubmed_source,
        kind=claim.kind,
        thresholds=th,
        long_term=long_term_safety(claim),
        absolute=absolute_no_harm(claim),
    ).grade


def v1_grade(items: list[EvidenceItem]) -> str:
    """Rubric v1's rule (top level decides; any contradiction there contests) on the same items."""
    human = [
        i
        for i in items
        if i.population != "animals"
        and i.level in ("L1", "L2", "L3", "L4")
        and i.stance in ("supports", "contradicts")
        and not i.retracted
        and not i.deleted
    ]
    if not human:
        return "insufficient"
    top = min(i.level for i in human)
    sup = [i for i in human if i.level == top and i.stance == "supports"]
    con = [i for i in human if i.level == top and i.stance == "contradicts"]
    if sup and con:
        return "contested"
    if con:
        return "contradicted"
    low = any(i.stance == "contradicts" and i.level in ("L1", "L2") for i in human)
    if top == "L1":
        return "moderate" if low else "strong"
    if top == "L2":
        return "strong" if len(sup) >= 2 else "moderate"
    return "limited"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--claims", type=Path, default=ROOT / "claims.yaml")
    ap.add_argument("--expected", type=Path, default=CORPUS / "expected-grades-dev.yaml")
    ap.add_argument("--records", type=Path, default=CORPUS / "records.jsonl")
    ap.add_argument("--verbose", action="store_true", help="list every decisive record's stance")
    ap.add_argument(
        "--reuse",
        type=Path,
        help="for quick work on assessment and grading: keep the refreshed ledger at this path and, "
        "when it exists, assess and grade a copy of it (its assessments dropped) instead of "
        "refreshing (no network figure then; refresh again after changing claims.yaml)",
    )
    ap.add_argument(
        "--table",
        type=Path,
        help="write every claim's grade with its deciding and discounted records (level, stance, "
        "size, indirectness, title) to this file, for a reviewer's read of the claims that have "
        "no expected grade",
    )
    a = ap.parse_args()
    expected = yaml.safe_load(a.expected.read_text())["claims"]
    library = load_claims(a.claims)
    by_id = {c.id: c for c in library.claims}
    standin = StandIn(records=standin_records(a.records)).start()
    print(
        f"stand-in serving {len(standin.records)} corpus records re-serialised as PubmedArticle XML"
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "ledger.db"
            reused = a.reuse is not None and a.reuse.exists()
            if reused:
                shutil.copy(a.reuse, db)
                _forget_assessments(db)
            ledger = open_ledger(db)
            t0 = time.perf_counter()
            if not reused:
                client = EutilsClient(email="bench@claimledger.invalid", base_url=standin.url)
                refresh(library, ledger, client, actor="bench", full=True)
            t_net = time.perf_counter() - t0
            n_req = len(standin.log)
            if GUIDELINE.exists() and GUIDELINE_CLAIM in by_id and not reused:
                import_file(GUIDELINE, by_id[GUIDELINE_CLAIM], ledger, actor="bench")
            if a.reuse is not None and not reused:
                with sqlite3.connect(db) as src, sqlite3.connect(a.reuse) as dst:
                    src.backup(dst)
            t1 = time.perf_counter()
            grade_claims(library, ledger, actor="bench")
            t_grade = time.perf_counter() - t1
            report(a, expected, by_id, ledger)
            if a.table:
                a.table.write_text(grade_table(by_id, ledger, {e["id"] for e in expected}))
    finally:
        standin.stop()
    if n_req == 0:
        print(
            f"refresh: reused {a.reuse}; grading all {len(library.claims)} claims {t_grade:.1f} s"
        )
        return
    print(
        f"refresh: {n_req} requests, network {t_net:.1f} s (floor at 3 req/s: {n_req / 3:.1f} s); "
        f"grading all {len(library.claims)} claims {t_grade:.1f} s = {t_grade / t_net:.2f} x network"
    )


def report(
    a: argparse.Namespace, expected: list[dict[str, Any]], by_id: dict[str, Claim], ledger: Ledger
) -> None:
    within = base_within = 0
    dec_ok = dec_n = nr_ok = nr_n = strong_on_nr = 0
    missing: list[str] = []
    confusion: Counter[str] = Counter()
    items_by_claim: dict[str, list[EvidenceItem]] = {}
    by_split = {"dev": [0, 0], "test": [0, 0]}
    per_split: dict[str, Counter[str]] = {"dev": Counter(), "test": Counter()}
    nr_split = {"dev": [0, 0], "test": [0, 0]}
    missing_claims = [e["id"] for e in expected if e["id"] not in by_id]
    if missing_claims:
        print(f"expected claims not in {a.claims.name} (skipped): {missing_claims}")
    expected = [e for e in expected if e["id"] in by_id]
    for e in expected:
        claim = by_id[e["id"]]
        rows = current(ledger, claim)
        items = [r.item() for r in rows.values()]
        items_by_claim[claim.id] = items
        g = ledger.current_grade(claim.id, claim.version)
        grade = str(g.grade) if g else "none"
        base = v1_grade(items)
        ok = grade in e["acceptable"]
        within += ok
        base_within += base in e["acceptable"]
        for d in e.get("decisive") or ():
            dec_n += 1
            r = rows.get(d["pmid"])
            got = r.stance if r else "not retrieved"
            dec_ok += got == d["stance"]
            by_split[split_of(d["pmid"])][0] += got == d["stance"]
            by_split[split_of(d["pmid"])][1] += 1
            confusion[f"{d['stance']}>{got}"] += got != d["stance"]
            per_split[split_of(d["pmid"])][f"{d['stance']}>{got}"] += 1
            if r is None:
                missing.append(f"{claim.id}:{d['pmid']}")
            if a.verbose:
                print(
                    f"    {claim.id[:28]:28} {d['pmid']:>9} {d['level']} want {d['stance']:12} got {got:12} {r.design_level if r else ''}"
                )
        nr_pmids = {n["pmid"] for n in e.get("not_relevant") or ()}
        for p in nr_pmids:
            nr_n += 1
            r = rows.get(p)
            kept_out = r is None or r.stance == "not-relevant"
            nr_ok += kept_out
            nr_split[split_of(p)][0] += kept_out
            nr_split[split_of(p)][1] += 1
            if a.verbose and not kept_out:
                print(
                    f"    {claim.id[:28]:28} {p:>9} not-relevant record counted as {r.stance} ({split_of(p)})"
                )
        if grade == "strong" and g is not None:
            decided = [s for s in g.trace if s.rule == "strong"]
            strong_on_nr += any(p in nr_pmids for s in decided for p in s.pmids)
        print(
            f"  {claim.id:40} {grade:13} v1 {base:13} {'ok ' if ok else 'OUT'} acceptable {e['acceptable']}"
        )
        if a.verbose and not ok and g is not None:
            for step in g.trace:
                print(f"      {step.rule}: {step.detail} {list(step.pmids)}")
    k = len(expected)
    print(f"decisive records not retrieved by the claim's query: {len(missing)} {missing}")
    print(
        f"decisive stance errors (expected>got): {dict(sorted((x, n) for x, n in confusion.items() if n))}"
    )
    for sp, cells in per_split.items():
        _confusion(sp, cells)
    loco = loco_within(expected, by_id, items_by_claim)
    print(
        f"grades within acceptable: {within}/{k} = {within / k:.0%} (rubric v1 on the same assessments: "
        f"{base_within}/{k}; leave-one-claim-out thresholds: {loco}/{k})"
    )
    print(
        f"decisive stance right: {dec_ok}/{dec_n} = {dec_ok / dec_n:.0%} "
        f"(dev-split records {_frac(by_split['dev'])}; test-split records, whose abstracts were "
        f"not read while tuning: {_frac(by_split['test'])})"
    )
    print(
        f"not-relevant kept out: {nr_ok}/{nr_n} = {nr_ok / nr_n:.0%} "
        f"(dev-split {_frac(nr_split['dev'])}; test-split {_frac(nr_split['test'])})"
    )
    print(f"strong grades resting on a not-relevant record: {strong_on_nr}")
    listed = {e["id"] for e in expected}
    others: dict[str, list[str]] = {}
    for cid, claim in by_id.items():
        if cid not in listed:
            g = ledger.current_grade(cid, claim.version)
            others.setdefault(str(g.grade) if g else "none", []).append(f"{cid} ({claim.kind})")
    print("grades of the library's other claims (no expected grade on this corpus):")
    for grade, ids in sorted(others.items()):
        print(f"  {grade:13} {len(ids):3d}: {', '.join(sorted(ids))}")


def grade_table(by_id: dict[str, Claim], ledger: Ledger, listed: set[str]) -> str:
    """Each claim: grade, then the trace steps with each named record's assessment."""
    out = []
    for cid, claim in by_id.items():
        g = ledger.current_grade(cid, claim.version)
        rows = current(ledger, claim)
        mark = "dev" if cid in listed else "other"
        out.append(f"## {cid} [{mark}] {claim.kind} -> {g.grade if g else 'none'}")
        out.append(f"   {claim.statement}")
        for step in g.trace if g else ():
            out.append(f"   {step.rule}: {step.detail}")
            if step.rule in ("exclude-not-relevant", "provisional"):
                continue
            for p in step.pmids:
                r = rows.get(p)
                if r is None:
                    continue
                it = r.item()
                ind = f" indirect={list(it.indirect)}" if it.indirect else ""
                out.append(
                    f"     {p:>9} {it.level} {it.stance:12} n={it.sample_size} y={it.year}{ind} "
                    f"{r.article.title[:110]}"
                )
    return "\n".join(out) + "\n"


STANCES = ("supports", "contradicts", "inconclusive", "not-relevant", "not retrieved")


def _confusion(split: str, cells: Counter[str]) -> None:
    """Decisive records of one split: expected stance (rows) by the stance given (columns)."""
    print(f"decisive records, {split} split (rows expected, columns got):")
    print(" " * 14 + "".join(f"{c[:12]:>13}" for c in STANCES))
    for want in STANCES[:3]:
        print(f"{want:14}" + "".join(f"{cells[f'{want}>{got}']:13d}" for got in STANCES))


def _frac(ok_n: list[int]) -> str:
    ok, n = ok_n
    return f"{ok}/{n} = {ok / n:.0%}" if n else "none"


def loco_within(
    expected: list[dict[str, Any]], by_id: dict[str, Claim], items: dict[str, list[EvidenceItem]]
) -> int:
    """Thresholds picked on the other claims, applied to the held-out one."""
    hits = 0
    for held in expected:
        rest = [e for e in expected if e is not held]

        def score(th: Thresholds, rest: list[dict[str, Any]] = rest) -> int:
            return sum(
                grade_with(items[e["id"]], by_id[e["id"]], th) in e["acceptable"] for e in rest
            )

        best = max(GRID, key=lambda th: (score(th), th == Thresholds()))
        hits += grade_with(items[held["id"]], by_id[held["id"]], best) in held["acceptable"]
    return hits


if __name__ == "__main__":
    main()
