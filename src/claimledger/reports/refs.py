"""Reference-manager exports (RIS, BibTeX, CSL-JSON) for linked evidence. Pure: records → text.

Each reference carries its PMID, DOI and, in a note, the claim it bears on and how.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import rispy

from claimledger.pubmed.records import Article
from claimledger.reports.citations import ama_citation, full_pages, pubmed_url

__all__ = ["Reference", "to_bibtex", "to_csljson", "to_ris"]


@dataclass(frozen=True)
class Reference:
    article: Article
    claim_id: str
    stance: str

    @property
    def note(self) -> str:
        return f"PMID: {self.article.pmid}; {self.stance} claim {self.claim_id} (claimledger)"


def _split(author: str) -> tuple[str, str]:
    parts = author.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].isupper():
        return parts[0], parts[1]
    return author, ""


def _pages(a: Article) -> tuple[str, str]:
    start, _, end = full_pages(a.pages).partition("-")
    return start, end


def to_ris(refs: Sequence[Reference]) -> str:
    entries = []
    for r in refs:
        a = r.article
        start, end = _pages(a)
        e: dict[str, object] = {
            "type_of_reference": "JOUR" if a.kind == "article" else "CHAP",
            "title": a.title,
            "authors": list(a.authors),
            "year": str(a.year or ""),
            "journal_name": a.journal_abbrev or a.journal,
            "secondary_title": a.journal,
            "volume": a.volume,
            "number": a.issue,
            "start_page": start,
            "end_page": end,
            "doi": a.doi or "",
            "accession_number": a.pmid,
            "urls": [pubmed_url(a.pmid)],
            "notes": [r.note, ama_citation(a)],
        }
        entries.append({k: v for k, v in e.items() if v not in ("", [], None)})
    return str(rispy.dumps(entries))


def _bib(s: str) -> str:
    return re.sub(r"([{}\\\\&%$#_^~])", r"\\\\\1", s)


def to_bibtex(refs: Sequence[Reference]) -> str:
    out = []
    for r in refs:
        a = r.article
        start, end = _pages(a)
        fields = {
            "author": " and ".join(
                f"{_bib(f)}, {_bib(g)}" if g else _bib(f) for f, g in map(_split, a.authors)
            ),
            "title": "{" + _bib(a.title) + "}",
            "journal": _bib(a.journal_abbrev or a.journal),
            "year": str(a.year or ""),
            "volume": _bib(a.volume),
            "number": _bib(a.issue),
            "pages": f"{start}--{end}" if end else start,
            "doi": _bib(a.doi or ""),
            "pmid": a.pmid,
            "url": pubmed_url(a.pmid),
            "note": _bib(r.note),
        }
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
        out.append(f"@article{{pmid{a.pmid},\n{body}\n}}\n")
    return "\n".join(out)


def to_csljson(refs: Sequence[Reference]) -> str:
    items = []
    for r in refs:
        a = r.article
        item: dict[str, object] = {
            "id": f"pmid:{a.pmid}",
            "type": "article-journal" if a.kind == "article" else "chapter",
            "title": a.title,
            "author": [{"family": f, "given": g} for f, g in map(_split, a.authors)],
            "container-title": a.journal,
            "container-title-short": a.journal_abbrev,
            "volume": a.volume,
            "issue": a.issue,
            "page": a.pages,
            "DOI": a.doi,
            "PMID": a.pmid,
            "PMCID": a.pmcid,
            "URL": pubmed_url(a.pmid),
            "note": r.note,
        }
        if a.year:
            item["issued"] = {"date-parts": [[a.year]]}
        items.append({k: v for k, v in item.items() if v not in ("", None, [])})
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
