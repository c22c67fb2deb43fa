"""Reference-manager exports (RIS, BibTeX, CSL-JSON) for linked evidence. Pure: records → text.

Each reference carries its PMID, DOI and, in a note, the claim it bears on and how.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import rispy
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer

from claimledger.pubmed.records import Article
from claimledger.reports.citations import ama_citation, full_pages, pubmed_url

__all__ = ["Reference", "to_bibtex", "to_csljson", "to_ris", "unique_references"]


@dataclass(frozen=True)
class Reference:
    article: Article
    claim_id: str
    stance: str
    #: further (stance, claim id) pairs when one article bears on several claims
    also: tuple[tuple[str, str], ...] = ()

    @property
    def note(self) -> str:
        links = "; ".join(
            f"{st} claim {cid}" for st, cid in ((self.stance, self.claim_id), *self.also)
        )
        return f"PMID: {self.article.pmid}; {links} (claimledger)"


def unique_references(
    refs: Iterable[Reference], *, include_retracted: bool = False
) -> list[Reference]:
    """One reference per PMID (its note names every claim it bears on), in first-seen order;
    retracted papers are left out unless asked for, since nobody should cite them unawares."""
    merged: dict[str, Reference] = {}
    for r in refs:
        if r.article.retracted and not include_retracted:
            continue
        first = merged.get(r.article.pmid)
        if first is None:
            merged[r.article.pmid] = r
        elif (r.stance, r.claim_id) not in ((first.stance, first.claim_id), *first.also):
            merged[r.article.pmid] = replace(first, also=(*first.also, (r.stance, r.claim_id)))
    return list(merged.values())


def _split(author: str) -> tuple[str, str]:
    parts = author.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].isupper():
        return parts[0], parts[1]
    return author, ""


def _pages(a: Article) -> tuple[str, str]:
    start, _, end = full_pages(a.pages).partition("-")
    return start, end


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]  # rispy has no type hints
    """rispy's writer without its numbered line ("1.") before each record: the RIS specification
    has every record start with `TY  - ` and end with `ER  - `, and strict readers stop there."""

    def set_header(self, count: int) -> str:
        return ""


def _ris_value(v: object) -> object:
    """One line per value: a line break inside a value would start a line that is no RIS tag."""
    if isinstance(v, list):
        return [_ris_value(x) for x in v]
    return " ".join(v.split()) if isinstance(v, str) else v


def to_ris(refs: Sequence[Reference]) -> str:
    """RIS records, each from `TY  - ` to `ER  - ` (a blank line between records)."""
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
        entries.append({k: _ris_value(v) for k, v in e.items() if v not in ("", [], None)})
    return str(rispy.dumps(entries, implementation=_RisWriter))


# What pybtex's LaTeX codec leaves alone but BibTeX or LaTeX would read as markup: a backslash
# starts a command, braces would unbalance the field, $ ^ switch to maths. pybtex escapes the rest
# (& % # _ ~) itself and writes the entry, quoting and all.
_LATEX_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "$": r"\$",
        "^": r"\textasciicircum{}",
    }
)


def _bib(s: str) -> str:
    return s.translate(_LATEX_SPECIAL)


def _bib_entry(r: Reference) -> Entry:
    a = r.article
    start, end = _pages(a)
    if a.kind == "book":
        whole_book = not a.journal or a.title == a.journal
        entry_type = "book" if whole_book else "incollection"
        container = {} if whole_book else {"booktitle": _bib(a.journal)}
    else:
        entry_type, container = "article", {"journal": _bib(a.journal_abbrev or a.journal)}
    fields = {
        "title": "{" + _bib(a.title) + "}",  # braces keep the title's capitals
        **container,
        "year": str(a.year or ""),
        "volume": _bib(a.volume),
        "number": _bib(a.issue),
        "pages": f"{_bib(start)}--{_bib(end)}" if end else _bib(start),
        "doi": _bib(a.doi or ""),
        "pmid": a.pmid,
        "url": pubmed_url(a.pmid),
        "note": _bib(r.note),
    }
    people = [Person(_bib(f"{f}, {g}" if g else f)) for f, g in map(_split, a.authors)]
    return Entry(
        entry_type,
        fields={k: v for k, v in fields.items() if v},
        persons={"author": people} if people else {},
    )


def to_bibtex(refs: Sequence[Reference]) -> str:
    """BibTeX written by pybtex (UTF-8 kept, LaTeX specials escaped once); one key per PMID."""
    data = BibliographyData()
    for r in refs:
        key = f"pmid{r.article.pmid}"
        if key not in data.entries:
            data.add_entry(key, _bib_entry(r))
    return str(Writer(encoding="UTF-8").to_string(data))


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
