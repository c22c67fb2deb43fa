"""Frozen records for PubMed articles, shared by the XML parser, the MEDLINE importer and the ledger."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "AbstractSection",
    "Article",
    "CommentCorrection",
    "MeshHeading",
    "PubDate",
    "PublicationType",
    "Qualifier",
]

RETRACTED_PT = "Retracted Publication"
RETRACTION_NOTICE_PT = "Retraction of Publication"


@dataclass(frozen=True)
class AbstractSection:
    label: str | None
    category: (
        str | None
    )  # NlmCategory: BACKGROUND | OBJECTIVE | METHODS | RESULTS | CONCLUSIONS | ...
    text: str


@dataclass(frozen=True)
class OtherAbstract:
    type: str
    language: str
    text: str


@dataclass(frozen=True)
class PublicationType:
    name: str
    ui: str | None


@dataclass(frozen=True)
class Qualifier:
    name: str
    ui: str | None
    major: bool


@dataclass(frozen=True)
class MeshHeading:
    descriptor: str
    ui: str | None
    major: bool  # descriptor or any qualifier marked MajorTopicYN="Y"
    qualifiers: tuple[Qualifier, ...] = ()


@dataclass(frozen=True)
class CommentCorrection:
    ref_type: str
    pmid: str | None
    ref_source: str | None = None


@dataclass(frozen=True)
class PubDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: str | None = None
    medline_date: str | None = None

    def display(self) -> str:
        """AMA-style date text: ``2019 Jun 5``, ``1990 Spring``, or the raw MedlineDate."""
        if self.medline_date:
            return self.medline_date
        parts: list[str] = [str(self.year)] if self.year else []
        if self.month:
            parts.append(_MONTHS[self.month - 1])
            if self.day:
                parts.append(str(self.day))
        elif self.season:
            parts.append(self.season)
        return " ".join(parts)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Article:
    """One PubMed record: a journal article, a book chapter, or a deletion tombstone."""

    pmid: str
    kind: str = "article"  # article | book | deleted
    version: int = 1
    title: str = ""
    abstract: str = ""
    sections: tuple[AbstractSection, ...] = ()
    other_abstracts: tuple[OtherAbstract, ...] = ()
    journal: str = ""
    journal_abbrev: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    pub_date: PubDate = field(default_factory=PubDate)
    year: int | None = None
    authors: tuple[str, ...] = ()  # "Surname Initials" as AMA wants them
    languages: tuple[str, ...] = ()
    publication_types: tuple[PublicationType, ...] = ()
    mesh: tuple[MeshHeading, ...] = ()
    keywords: tuple[str, ...] = ()
    doi: str | None = None
    pmcid: str | None = None
    status: str | None = None
    indexing_method: str | None = None
    date_revised: str | None = None  # YYYY-MM-DD
    comments_corrections: tuple[CommentCorrection, ...] = ()

    # --- derived --------------------------------------------------------------------------
    def _has_pt(self, name: str) -> bool:
        return any(pt.name == name for pt in self.publication_types)

    def _has_ref(self, *ref_types: str) -> bool:
        return any(cc.ref_type in ref_types for cc in self.comments_corrections)

    @property
    def retracted(self) -> bool:
        return self._has_pt(RETRACTED_PT) or self._has_ref("RetractionIn")

    @property
    def retraction_notice(self) -> bool:
        return self._has_pt(RETRACTION_NOTICE_PT) or self._has_ref("RetractionOf")

    @property
    def expression_of_concern(self) -> bool:
        return self._has_ref("ExpressionOfConcernIn")

    @property
    def erratum(self) -> bool:
        return self._has_ref("ErratumIn")

    @property
    def humans(self) -> bool:
        return any(m.descriptor == "Humans" for m in self.mesh)

    @property
    def animals(self) -> bool:
        return any(m.descriptor == "Animals" for m in self.mesh)

    @property
    def flags(self) -> tuple[str, ...]:
        names = (
            "retracted",
            "retraction_notice",
            "expression_of_concern",
            "erratum",
        )
        return tuple(n for n in names if getattr(self, n))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["flags"] = list(self.flags)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        """Rebuild a record from ``to_dict`` output (as stored in the ledger)."""
        return cls(
            pmid=d["pmid"],
            kind=d.get("kind", "article"),
            version=d.get("version", 1),
            title=d.get("title", ""),
            abstract=d.get("abstract", ""),
            sections=tuple(AbstractSection(**s) for s in d.get("sections", ())),
            other_abstracts=tuple(OtherAbstract(**s) for s in d.get("other_abstracts", ())),
            journal=d.get("journal", ""),
            journal_abbrev=d.get("journal_abbrev", ""),
            volume=d.get("volume", ""),
            issue=d.get("issue", ""),
            pages=d.get("pages", ""),
            pub_date=PubDate(**d.get("pub_date", {})),
            year=d.get("year"),
            authors=tuple(d.get("authors", ())),
            languages=tuple(d.get("languages", ())),
            publication_types=tuple(PublicationType(**p) for p in d.get("publication_types", ())),
            mesh=tuple(
                MeshHeading(
                    descriptor=m["descriptor"],
                    ui=m["ui"],
                    major=m["major"],
                    qualifiers=tuple(Qualifier(**q) for q in m.get("qualifiers", ())),
                )
                for m in d.get("mesh", ())
            ),
            keywords=tuple(d.get("keywords", ())),
            doi=d.get("doi"),
            pmcid=d.get("pmcid"),
            status=d.get("status"),
            indexing_method=d.get("indexing_method"),
            date_revised=d.get("date_revised"),
            comments_corrections=tuple(
                CommentCorrection(**c) for c in d.get("comments_corrections", ())
            ),
        )
