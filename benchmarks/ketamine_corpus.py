"""Shared helpers for the ketamine-corpus benchmarks: read ../shared/ketamine-corpus, score labels.

The corpus is read where it lies (never copied into the project). ``to_article`` builds the
same record the XML parser would, and ``to_pubmed_xml`` re-serialises one corpus record as a
PubmedArticle for the loopback stand-in: it writes only the fields the record has (no UI
attributes, no dates the record lacks, publication types only where the record gives them).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from claimledger.pubmed.records import Article, MeshHeading, PubDate, PublicationType, Qualifier

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLAIMLEDGER_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "ketamine-corpus"


def split_of(pmid: str) -> str:
    """The corpus's deterministic dev/test split (SOURCES.md)."""
    return "dev" if int(hashlib.sha256(pmid.encode()).hexdigest(), 16) % 10 < 6 else "test"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _mesh(rec: dict[str, Any]) -> tuple[MeshHeading, ...]:
    out = []
    for m in rec.get("mesh") or ():
        quals = tuple(
            Qualifier(q["name"], None, bool(q.get("major"))) for q in m.get("qualifiers") or ()
        )
        major = bool(m.get("major")) or any(q.major for q in quals)
        out.append(MeshHeading(m["name"], None, major, quals))
    return tuple(out)


def to_article(rec: dict[str, Any]) -> Article:
    """The Article a parser would build from this record (only the fields it has)."""
    year = int(rec["year"]) if rec.get("year") else None
    return Article(
        pmid=rec["pmid"],
        title=rec.get("title") or "",
        abstract=rec.get("abstract") or "",
        journal=rec.get("journal") or "",
        pub_date=PubDate(year=year),
        year=year,
        publication_types=tuple(
            PublicationType(p, None) for p in rec.get("publication_types") or ()
        ),
        mesh=_mesh(rec),
        keywords=tuple(rec.get("keywords") or ()),
        doi=rec.get("doi"),
    )


def to_pubmed_xml(rec: dict[str, Any]) -> bytes:
    """One corpus record re-serialised as a PubmedArticle (benchmark stand-in only; no added field)."""
    e = escape
    parts = [
        "<PubmedArticle><MedlineCitation>",
        f'<PMID Version="1">{e(rec["pmid"])}</PMID><Article>',
        "<Journal><JournalIssue>",
        f"<PubDate><Year>{e(str(rec['year']))}</Year></PubDate>"
        if rec.get("year")
        else "<PubDate/>",
        "</JournalIssue>",
        f"<Title>{e(rec['journal'])}</Title>" if rec.get("journal") else "",
        "</Journal>",
        f"<ArticleTitle>{e(rec.get('title') or '')}</ArticleTitle>",
    ]
    if rec.get("doi"):
        parts.append(f'<ELocationID EIdType="doi" ValidYN="Y">{e(rec["doi"])}</ELocationID>')
    if rec.get("abstract"):
        parts.append(f"<Abstract><AbstractText>{e(rec['abstract'])}</AbstractText></Abstract>")
    if rec.get("publication_types"):
        parts.append("<PublicationTypeList>")
        parts += [f"<PublicationType>{e(p)}</PublicationType>" for p in rec["publication_types"]]
        parts.append("</PublicationTypeList>")
    parts.append("</Article>")
    if rec.get("mesh"):
        parts.append("<MeshHeadingList>")
        for m in rec["mesh"]:
            yn = "Y" if m.get("major") else "N"
            parts.append(
                f'<MeshHeading><DescriptorName MajorTopicYN="{yn}">{e(m["name"])}</DescriptorName>'
            )
            for q in m.get("qualifiers") or ():
                qyn = "Y" if q.get("major") else "N"
                parts.append(f'<QualifierName MajorTopicYN="{qyn}">{e(q["name"])}</QualifierName>')
            parts.append("</MeshHeading>")
        parts.append("</MeshHeadingList>")
    if rec.get("keywords"):
        parts.append('<KeywordList Owner="NOTNLM">')
        parts += [f'<Keyword MajorTopicYN="N">{e(k)}</Keyword>' for k in rec["keywords"]]
        parts.append("</KeywordList>")
    parts.append("</MedlineCitation><PubmedData><ArticleIdList>")
    parts.append(f'<ArticleId IdType="pubmed">{e(rec["pmid"])}</ArticleId>')
    if rec.get("doi"):
        parts.append(f'<ArticleId IdType="doi">{e(rec["doi"])}</ArticleId>')
    parts.append("</ArticleIdList></PubmedData></PubmedArticle>")
    return "".join(parts).encode("utf-8")


def prf(
    gold: Sequence[str], pred: Sequence[str], classes: Iterable[str]
) -> dict[str, tuple[float, float, float, int]]:
    """Per-class (precision, recall, F1, support)."""
    out = {}
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        out[c] = (pr, rc, f1, tp + fn)
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str], classes: Sequence[str]) -> float:
    scores = prf(gold, pred, classes)
    present = [c for c in classes if scores[c][3] > 0]
    return sum(scores[c][2] for c in present) / len(present) if present else 0.0


def print_table(
    gold: Sequence[str], pred: Sequence[str], classes: Sequence[str], title: str
) -> None:
    print(f"\n{title}")
    print(f"{'class':16} precision  recall     F1  support")
    for c, (pr, rc, f1, n) in prf(gold, pred, classes).items():
        print(f"{c:16} {pr:9.3f} {rc:7.3f} {f1:6.3f} {n:8d}")
    print("confusion (rows gold, columns predicted):")
    print(" " * 16 + "".join(f"{c[:12]:>13}" for c in classes))
    for g in classes:
        row = "".join(
            f"{sum(1 for x, y in zip(gold, pred, strict=True) if x == g and y == p):13d}"
            for p in classes
        )
        print(f"{g[:16]:16}{row}")


def seen_while_tuning() -> set[str]:
    """PMIDs named in expected-grades-dev.yaml: their abstracts were read while tuning, so the
    benchmarks count them in the tuning half, never in the held-out one."""
    path = CORPUS / "expected-grades-dev.yaml"
    if not path.exists():
        return set()
    import yaml

    doc = yaml.safe_load(path.read_text())
    return {
        r["pmid"]
        for c in doc.get("claims") or ()
        for key in ("decisive", "not_relevant")
        for r in c.get(key) or ()
    }


_SEEN: set[str] | None = None


def half(pmid: str) -> str:
    """A fixed half of the labels: A (tuning) or B (held out; never read while tuning)."""
    global _SEEN
    if _SEEN is None:
        _SEEN = seen_while_tuning()
    if pmid in _SEEN:
        return "A"
    return "A" if int(hashlib.sha256(f"half:{pmid}".encode()).hexdigest(), 16) % 2 == 0 else "B"


def _bucket(pmid: str, salt: str, k: int) -> int:
    return int(hashlib.sha256(f"{salt}:{pmid}".encode()).hexdigest(), 16) % k


def spread(
    ids: Sequence[str], gold: Sequence[str], pred: Sequence[str], classes: Sequence[str]
) -> str:
    """Macro-F1 over 5 folds of records and over 20 random halves (grouped by PMID, so the pairs
    of one record stay together): mean, sd and range. The rules are not refitted per fold, so
    this shows how much a figure moves with the split; the held-out half shows the tuning bias."""
    import statistics

    def scores(salts: list[str], k: int) -> list[float]:
        out = []
        for salt in salts:
            for f in range(k):
                idx = [i for i, p in enumerate(ids) if _bucket(p, salt, k) == f]
                if idx:
                    out.append(macro_f1([gold[i] for i in idx], [pred[i] for i in idx], classes))
        return out

    five = scores(["fold5"], 5)
    halves = scores([f"rand{s}" for s in range(20)], 2)
    return (
        f"5-fold macro-F1 {statistics.mean(five):.3f} sd {statistics.stdev(five):.3f} "
        f"(folds {', '.join(f'{x:.3f}' for x in five)}); 20 random halves "
        f"{statistics.mean(halves):.3f} sd {statistics.stdev(halves):.3f} "
        f"(range {min(halves):.3f}-{max(halves):.3f})"
    )
