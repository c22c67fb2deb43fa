"""PubMed XML and MEDLINE text → Article records. Pure: no network, no DTD, constant memory.

The XML parser streams with lxml's iterparse, clears each record once it is built, never loads a
DTD or touches the network, and refuses documents that declare entities (billion laughs,
external entities). Inline markup in titles and abstracts is kept as text (itertext).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from lxml import etree

from claimledger.errors import ParseError
from claimledger.limits import max_input_bytes
from claimledger.pubmed.records import (
    AbstractSection,
    Article,
    CommentCorrection,
    MeshHeading,
    OtherAbstract,
    PubDate,
    PublicationType,
    Qualifier,
)

__all__ = [
    "SearchResult",
    "check_pmid",
    "inband_error",
    "is_complete_article_set",
    "iter_articles",
    "iter_medline",
    "parse_article_element",
    "parse_epost",
    "parse_esearch",
    "sniff_format",
]

_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
_ROOT_TAGS = {"PubmedArticleSet", "PubmedArticle", "PubmedBookArticle", "DeleteCitation"}
_HEAD_BYTES = 64 * 1024
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ROOT_NAME = re.compile(rb"<([A-Za-z_][\w.\-]*)")


def _text(el: Any) -> str:
    """All text of an element including inline markup (<i>, <sup>, MathML), whitespace-normalised."""
    if el is None:
        return ""
    if len(el) == 0:  # no inline markup: the common case, kept fast
        t: str | None = el.text
        if not t:
            return ""
        if "\n" in t or "  " in t or "\t" in t:
            return " ".join(t.split())
        return t.strip()
    return " ".join("".join(el.itertext()).split())


def _month(value: str) -> int | None:
    v = value.strip().lower()
    if v.isdigit():
        n = int(v)
        return n if 1 <= n <= 12 else None
    return _MONTHS.get(v[:3])


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    v = value.strip()
    return int(v) if v.isdigit() else None


def _leaf_texts(el: Any) -> dict[str, str]:
    """Text of each leaf child by tag, in one pass (findtext walks the children once per call)."""
    return {c.tag: c.text for c in el if c.text}


def _pub_date(el: Any) -> PubDate:
    if el is None:
        return PubDate()
    f = _leaf_texts(el)
    medline = f.get("MedlineDate")
    if medline:
        m = re.match(r"\s*(\d{4})", medline)
        return PubDate(year=int(m.group(1)) if m else None, medline_date=medline.strip())
    month_text = f.get("Month")
    return PubDate(
        year=_int(f.get("Year")),
        month=_month(month_text) if month_text else None,
        day=_int(f.get("Day")),
        season=(f.get("Season") or "").strip() or None,
    )


def _ymd(el: Any) -> str | None:
    if el is None:
        return None
    f = _leaf_texts(el)
    y, m, d = f.get("Year"), f.get("Month"), f.get("Day")
    if not y:
        return None
    mm = _month(m) if m else None
    return f"{y.strip()}-{mm or 1:02d}-{_int(d) or 1:02d}"


def _sections(abstract_el: Any) -> tuple[AbstractSection, ...]:
    if abstract_el is None:
        return ()
    return tuple(
        AbstractSection(
            label=at.get("Label") or None,
            category=at.get("NlmCategory") or None,
            text=_text(at),
        )
        for at in abstract_el.findall("AbstractText")
    )


def join_sections(sections: tuple[AbstractSection, ...]) -> str:
    """The stored abstract text: one line per section, prefixed by its label when it has one."""
    return "\n".join(f"{s.label}: {s.text}" if s.label else s.text for s in sections)


def _authors(container: Any) -> tuple[str, ...]:
    """'Surname Initials' (or the collective name) for each author, in one pass."""
    author_list = container.find("AuthorList") if container is not None else None
    if author_list is None:
        return ()
    out: list[str] = []
    for a in author_list:
        last = initials = None
        coll = ""
        for c in a:
            tag = c.tag
            if tag == "LastName":
                last = c.text
            elif tag == "Initials":
                initials = c.text
            elif tag == "CollectiveName":
                coll = _text(c)
        if last:
            out.append(f"{last.strip()} {initials.strip()}" if initials else last.strip())
        elif coll:
            out.append(coll)
    return tuple(out)


def _children(el: Any) -> dict[str, list[Any]]:
    """An element's children grouped by tag, in document order (one pass, no XPath)."""
    out: dict[str, list[Any]] = {}
    if el is not None:
        for c in el:
            out.setdefault(c.tag, []).append(c)
    return out


def _first(parts: dict[str, list[Any]], tag: str) -> Any:
    found = parts.get(tag)
    return found[0] if found else None


def _mesh(mesh_list: Any) -> tuple[MeshHeading, ...]:
    """MeSH headings in one pass over the children (this runs for every record)."""
    if mesh_list is None:
        return ()
    out = []
    for mh in mesh_list:
        desc = None
        quals = []
        for child in mh:
            if child.tag == "DescriptorName":
                desc = child
            elif child.tag == "QualifierName":
                quals.append(
                    Qualifier(_text(child), child.get("UI"), child.get("MajorTopicYN") == "Y")
                )
        if desc is None:
            continue
        major = desc.get("MajorTopicYN") == "Y" or any(q.major for q in quals)
        out.append(MeshHeading(_text(desc), desc.get("UI"), major, tuple(quals)))
    return tuple(out)


def _comment_correction(cc: Any) -> CommentCorrection:
    pmid = source = None
    for c in cc:
        if c.tag == "PMID":
            pmid = _text(c) or None
        elif c.tag == "RefSource":
            source = _text(c) or None
    return CommentCorrection(ref_type=cc.get("RefType", ""), pmid=pmid, ref_source=source)


def _article_ids(el: Any) -> tuple[str | None, str | None]:
    doi = pmc = None
    if el is None:
        return None, None
    for aid in el.findall("ArticleId"):
        kind = aid.get("IdType")
        if kind == "doi" and not doi:
            doi = (aid.text or "").strip() or None
        elif kind == "pmc" and not pmc:
            pmc = (aid.text or "").strip() or None
    return doi, pmc


def _parse_pubmed_article(el: Any) -> Article:
    rec = _children(el)
    mc = _first(rec, "MedlineCitation")
    if mc is None:
        raise ParseError("a PubmedArticle has no MedlineCitation")
    m = _children(mc)
    pmid_el = _first(m, "PMID")
    pmid = (pmid_el.text or "").strip() if pmid_el is not None else ""
    if not pmid:
        raise ParseError("a PubmedArticle has no PMID")
    art = _first(m, "Article")
    a = _children(art)
    journal = _first(a, "Journal")
    j = _children(journal)
    issue = _first(j, "JournalIssue")
    ji = _children(issue)
    sections = _sections(_first(a, "Abstract"))
    pub_date = _pub_date(_first(ji, "PubDate"))
    doi, pmc = _doi_and_pmc(_first(rec, "PubmedData"), a)
    pagination = _first(a, "Pagination")
    return Article(
        pmid=pmid,
        kind="article",
        version=_int(pmid_el.get("Version")) or 1,
        title=_text(_first(a, "ArticleTitle")),
        abstract=join_sections(sections),
        sections=sections,
        other_abstracts=_other_abstracts(m),
        journal=_text(_first(j, "Title")),
        journal_abbrev=_text(_journal_abbrev(m, j)),
        volume=_text(_first(ji, "Volume")),
        issue=_text(_first(ji, "Issue")),
        pages=_text(pagination.find("MedlinePgn")) if pagination is not None else "",
        pub_date=pub_date,
        year=pub_date.year,
        authors=_authors(art),
        languages=tuple(_text(la) for la in a.get("Language", ())),
        publication_types=_publication_types(_first(a, "PublicationTypeList")),
        mesh=_mesh(_first(m, "MeshHeadingList")),
        keywords=tuple(t for kl in m.get("KeywordList", ()) for k in kl if (t := _text(k))),
        doi=doi,
        pmcid=pmc,
        status=mc.get("Status"),
        indexing_method=mc.get("IndexingMethod"),
        date_revised=_ymd(_first(m, "DateRevised")),
        comments_corrections=tuple(
            _comment_correction(cc) for cc in _iter(_first(m, "CommentsCorrectionsList"))
        ),
    )


def _iter(el: Any) -> Any:
    """The children of an optional element (none when it is missing)."""
    return el if el is not None else ()


def _doi_and_pmc(pubmed_data: Any, a: dict[str, list[Any]]) -> tuple[str | None, str | None]:
    """DOI and PMCID from the ArticleIdList; the DOI from an ELocationID when the list has none."""
    doi, pmc = _article_ids(pubmed_data.find("ArticleIdList") if pubmed_data is not None else None)
    if doi is None:
        for loc in a.get("ELocationID", ()):
            if loc.get("EIdType") == "doi" and loc.text:
                return loc.text.strip(), pmc
    return doi, pmc


def _journal_abbrev(m: dict[str, list[Any]], j: dict[str, list[Any]]) -> Any:
    """NLM's MedlineTA ("Ginekol Pol") is the abbreviation AMA style uses; the ISO one has periods."""
    info = _first(m, "MedlineJournalInfo")
    abbrev = info.find("MedlineTA") if info is not None else None
    return abbrev if abbrev is not None else _first(j, "ISOAbbreviation")


def _other_abstracts(m: dict[str, list[Any]]) -> tuple[OtherAbstract, ...]:
    return tuple(
        OtherAbstract(
            type=oa.get("Type", ""),
            language=oa.get("Language", "eng"),
            text="\n".join(_text(t) for t in oa.findall("AbstractText")),
        )
        for oa in m.get("OtherAbstract", ())
    )


def _publication_types(pt_list: Any) -> tuple[PublicationType, ...]:
    return tuple(PublicationType(name=_text(pt), ui=pt.get("UI")) for pt in _iter(pt_list))


def _parse_book_article(el: Any) -> Article:
    bd = el.find("BookDocument")
    if bd is None:
        raise ParseError("a PubmedBookArticle has no BookDocument")
    pmid_el = bd.find("PMID")
    pmid = (pmid_el.text or "").strip() if pmid_el is not None else ""
    if not pmid:
        raise ParseError("a PubmedBookArticle has no PMID")
    book = bd.find("Book")
    sections = _sections(bd.find("Abstract"))
    pub_date = _pub_date(book.find("PubDate") if book is not None else None)
    doi, pmc = _article_ids(bd.find("ArticleIdList"))
    title = _text(bd.find("ArticleTitle")) or (_text(book.find("BookTitle")) if book else "")
    return Article(
        pmid=pmid,
        kind="book",
        version=_int(pmid_el.get("Version")) or 1,
        title=title,
        abstract=join_sections(sections),
        sections=sections,
        journal=_text(book.find("BookTitle")) if book is not None else "",
        pub_date=pub_date,
        year=pub_date.year,
        authors=_authors(bd) or _authors(book),
        languages=tuple((la.text or "").strip() for la in bd.findall("Language")),
        publication_types=tuple(
            PublicationType(name=_text(pt), ui=pt.get("UI")) for pt in bd.findall("PublicationType")
        ),
        keywords=tuple(_text(k) for k in bd.findall("KeywordList/Keyword") if _text(k)),
        doi=doi,
        pmcid=pmc,
        date_revised=_ymd(bd.find("DateRevised")),
    )


def parse_article_element(el: Any) -> list[Article]:
    """Turn one record element into records (a DeleteCitation can name several PMIDs)."""
    tag = el.tag
    if tag == "PubmedArticle":
        return [_parse_pubmed_article(el)]
    if tag == "PubmedBookArticle":
        return [_parse_book_article(el)]
    if tag == "DeleteCitation":
        return [
            Article(
                pmid=(p.text or "").strip(), kind="deleted", version=_int(p.get("Version")) or 1
            )
            for p in el.findall("PMID")
            if (p.text or "").strip()
        ]
    return []


class _Replay(io.RawIOBase):
    """A binary stream that first replays bytes already read (the sniffed head), then the rest."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(b))
        b[: len(data)] = data
        return len(data)


_MAX_PROLOG = 16 * _HEAD_BYTES


def _skip_construct(head: bytes, lt: int) -> int | None:
    """End of the prolog construct (PI, comment, DOCTYPE) starting at ``lt``; None if unfinished.

    One forward scan with str.find, so a file of 250,000 unclosed ``<!--`` costs one pass, not
    one pass per comment. A DOCTYPE's internal subset ends at its first ``]``.
    """
    for opener, closer in ((b"<?", b"?>"), (b"<!--", b"-->")):
        if head.startswith(opener, lt):
            end = head.find(closer, lt + len(opener))
            return None if end < 0 else end + len(closer)
    # <!DOCTYPE name ... [subset]>
    gt = head.find(b">", lt)
    bracket = head.find(b"[", lt)
    if 0 <= bracket < gt or (gt < 0 and bracket >= 0):
        close = head.find(b"]", bracket)
        gt = -1 if close < 0 else head.find(b">", close)
    return None if gt < 0 else gt + 1


def _root_start(head: bytes) -> re.Match[bytes] | None:
    """The root element's start tag, once the prolog (comments, PIs, DOCTYPE) is complete."""
    pos = 0
    while (lt := head.find(b"<", pos)) >= 0:
        if head.startswith((b"<?", b"<!--", b"<!DOCTYPE"), lt):
            end = _skip_construct(head, lt)
            if end is None:
                return None  # still inside an unfinished prolog construct
            pos = end
            continue
        return _ROOT_NAME.match(head, lt)
    return None


def _read_prolog(fh: IO[bytes]) -> bytes:
    """Read until the root element starts, so every DTD declaration can be inspected."""
    head = b""
    while True:
        chunk = fh.read(_HEAD_BYTES)
        head += chunk
        if not chunk or _root_start(head) is not None or len(head) > _MAX_PROLOG:
            return head


def _check_head(head: bytes, name: str) -> None:
    if _ENTITY_DECL.search(head):
        raise ParseError(
            f"{name}: refusing XML that declares entities (entity expansion and external "
            "entities are not allowed in PubMed data)"
        )
    m = _root_start(head)
    if m is None:
        if not head.strip():
            raise ParseError(f"{name}: file is empty")
        if len(head) > _MAX_PROLOG:
            raise ParseError(
                f"{name}: not PubMed XML (no root element in the first {_MAX_PROLOG // 1024} KB)"
            )
        raise ParseError(f"{name}: not PubMed XML (no root element found)")
    doctype = head.find(b"<!DOCTYPE", 0, m.start())
    if doctype >= 0 and 0 <= head.find(b"[", doctype, m.start()) < head.find(b">", doctype):
        raise ParseError(
            f"{name}: refusing XML with an internal DTD subset (PubMed XML never has one)"
        )
    root = m.group(1).decode("ascii", "replace")
    if root not in _ROOT_TAGS:
        raise ParseError(
            f"{name}: not PubMed article XML (root element <{root}>; expected <PubmedArticleSet>)"
        )


def iter_articles(source: str | os.PathLike[str] | IO[bytes]) -> Iterator[Article]:
    """Yield one Article per PubmedArticle, PubmedBookArticle and DeleteCitation PMID, streaming.

    ``source`` is a path or a binary stream. Raises ParseError on malformed, truncated or hostile
    XML, naming the last record read when there is one.
    """
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            fh: IO[bytes] = open(source, "rb")  # noqa: SIM115 - closed in finally
        except OSError as ex:
            raise ParseError(f"cannot read {name}: {ex.strerror or ex}") from None
        close = True
    else:
        name = getattr(source, "name", "<stream>")
        fh, close = source, False
    try:
        head = _read_prolog(fh)
        _check_head(head, str(name))
        # our own file handle, rewound (closed in finally even when a record is refused
        # mid-stream); a stream replays the sniffed prolog first
        if close:
            fh.seek(0)
        stream: Any = fh if close else io.BufferedReader(_Replay(head, fh))
        parser = etree.iterparse(
            stream,
            events=("end",),
            tag=_RECORD_TAGS,
            resolve_entities=False,
            load_dtd=False,
            dtd_validation=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
        )
        last: str | None = None
        try:
            for _event, el in parser:
                parent = el.getparent()
                if parent is not None and parent.tag in _RECORD_TAGS:
                    continue  # nested (should not happen); handled by its record
                records = parse_article_element(el)
                el.clear(keep_tail=False)
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
                for rec in records:
                    check_pmid(
                        rec.pmid,
                        f"{name}: the record after PMID {last}"
                        if last
                        else f"{name}: the first record",
                    )
                    last = rec.pmid
                    yield rec
        except etree.XMLSyntaxError as ex:
            where = f" after PMID {last}" if last else " before the first record"
            raise ParseError(f"{name}: malformed or truncated XML{where}: {ex.msg}") from None
    finally:
        if close:
            fh.close()


# --- MEDLINE text (PubMed's "PubMed format" / .nbib export) ------------------------------------

_PT_UIS = {
    "Journal Article": "D016428",
    "Review": "D016454",
    "Randomized Controlled Trial": "D016449",
    "Meta-Analysis": "D017418",
    "Systematic Review": "D000078182",
    "Clinical Trial": "D016430",
    "Observational Study": "D064888",
    "Case Reports": "D002363",
    "Comparative Study": "D003160",
    "Multicenter Study": "D016448",
    "Retracted Publication": "D016441",
}
_CC_TAGS = {
    "RIN": "RetractionIn",
    "ROF": "RetractionOf",
    "EIN": "ErratumIn",
    "EFR": "ErratumFor",
    "ECI": "ExpressionOfConcernIn",
    "ECF": "ExpressionOfConcernFor",
    "CIN": "CommentIn",
    "CON": "CommentOn",
    "UIN": "UpdateIn",
    "UOF": "UpdateOf",
    "CRI": "CorrectedandRepublishedIn",
    "CRF": "CorrectedandRepublishedFrom",
    "RPI": "RepublishedIn",
    "RPF": "RepublishedFrom",
}
_SECTION_LABEL = re.compile(r"(?:(?<=^)|(?<=\s))([A-Z][A-Z /&-]{2,40}):\s")


def _medline_sections(ab: str) -> tuple[AbstractSection, ...]:
    ab = " ".join(ab.split())
    if not ab:
        return ()
    marks = list(_SECTION_LABEL.finditer(ab))
    if not marks or marks[0].start() != 0:
        return (AbstractSection(label=None, category=None, text=ab),)
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(ab)
        out.append(AbstractSection(label=m.group(1), category=None, text=ab[m.end() : end].strip()))
    return tuple(out)


def _medline_record(rec: dict[str, Any]) -> Article:
    def first(key: str) -> str:
        v = rec.get(key)
        if isinstance(v, list):
            return v[0] if v else ""
        return v or ""

    def many(key: str) -> list[str]:
        v = rec.get(key, [])
        return [v] if isinstance(v, str) else list(v)

    mesh = []
    for term in many("MH"):
        parts = term.split("/")
        desc = parts[0]
        major = desc.startswith("*") or any(q.startswith("*") for q in parts[1:])
        mesh.append(
            MeshHeading(
                descriptor=desc.lstrip("*"),
                ui=None,
                major=major,
                qualifiers=tuple(
                    Qualifier(name=q.lstrip("*"), ui=None, major=q.startswith("*"))
                    for q in parts[1:]
                ),
            )
        )
    dp = first("DP")
    m = re.match(r"(\d{4})(?:\s+([A-Za-z]{3}))?(?:\s+(\d{1,2}))?$", dp.strip())
    if m:
        pub_date = PubDate(
            year=int(m.group(1)),
            month=_month(m.group(2)) if m.group(2) else None,
            day=int(m.group(3)) if m.group(3) else None,
        )
    else:
        y = re.match(r"(\d{4})", dp)
        pub_date = PubDate(year=int(y.group(1)) if y else None, medline_date=dp or None)
    doi = None
    for aid in many("AID") + many("LID"):
        if aid.endswith("[doi]"):
            doi = aid[: -len("[doi]")].strip()
            break
    ccs = []
    for tag, ref_type in _CC_TAGS.items():
        for value in many(tag):
            pm = re.search(r"PMID:\s*(\d+)", value)
            ccs.append(
                CommentCorrection(
                    ref_type=ref_type,
                    pmid=pm.group(1) if pm else None,
                    ref_source=re.sub(r"\s*PMID:\s*\d+\s*$", "", value).strip() or None,
                )
            )
    sections = _medline_sections(first("AB"))
    pmc = first("PMC") or None
    return Article(
        pmid=first("PMID").strip(),
        kind="article",
        title=" ".join(first("TI").split()),
        abstract=join_sections(sections),
        sections=sections,
        journal=first("JT"),
        journal_abbrev=first("TA"),
        volume=first("VI"),
        issue=first("IP"),
        pages=first("PG"),
        pub_date=pub_date,
        year=pub_date.year,
        authors=tuple(many("AU")),
        languages=tuple(many("LA")),
        publication_types=tuple(PublicationType(name=p, ui=_PT_UIS.get(p)) for p in many("PT")),
        mesh=tuple(mesh),
        keywords=tuple(many("OT")),
        doi=doi,
        pmcid=pmc,
        status=first("STAT") or None,
        comments_corrections=tuple(ccs),
    )


_PMID = re.compile(r"[1-9][0-9]{0,9}")


def check_pmid(pmid: str, where: str) -> None:
    """PMIDs are numbers; anything else (a path, BibTeX, markup) is refused before it is stored."""
    if not _PMID.fullmatch(pmid):
        shown = pmid if len(pmid) <= 40 else pmid[:40] + "..."
        raise ParseError(f"{where} has PMID {shown!r}; a PMID is a number")


def _checked_lines(fh: IO[str], name: str) -> Iterator[str]:
    """MEDLINE lines, checked before Bio.Medline sees them: every line is a field ("TAG - value"),
    an indented continuation of one, or blank; the text as a whole stays under the input cap."""
    cap = max_input_bytes()
    total = 0
    in_field = False
    for n, line in enumerate(fh, 1):
        total += len(line)
        if total > cap:
            raise ParseError(
                f"{name}: MEDLINE text over the {cap / 1048576:g} MB limit "
                "(raise CLAIMLEDGER_MAX_INPUT_MB to allow it)"
            )
        if not line.strip():
            in_field = False
            yield "\n"
        elif line.startswith("      "):
            if not in_field:
                raise ParseError(
                    f"{name}: line {n} continues a field, but no field comes before it"
                )
            yield line
        elif len(line) >= 5 and line[4] == "-" and line[:4].rstrip().isalnum():
            in_field = True
            yield line
        else:
            shown = line.strip()[:40]
            raise ParseError(
                f"{name}: line {n} is neither a 'TAG - value' field nor an indented "
                f"continuation: {shown!r}"
            )


def iter_medline(source: str | os.PathLike[str] | IO[str]) -> Iterator[Article]:
    """Yield Articles from a MEDLINE text file (.nbib / "PubMed format"), via Bio.Medline."""
    from Bio import Medline

    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            fh: IO[str] = open(source, encoding="utf-8")  # noqa: SIM115 - closed in finally
        except OSError as ex:
            raise ParseError(f"cannot read {name}: {ex.strerror or ex}") from None
        close = True
    else:
        name, fh, close = getattr(source, "name", "<stream>"), source, False
    try:
        n = 0
        for rec in Medline.parse(_checked_lines(fh, name)):  # type: ignore[no-untyped-call]
            if not rec.get("PMID"):
                raise ParseError(f"{name}: a MEDLINE record has no PMID- line (record {n + 1})")
            n += 1
            article = _medline_record(rec)
            check_pmid(article.pmid, f"{name}: record {n}")
            yield article
        if n == 0:
            raise ParseError(f"{name}: no MEDLINE records found (expected lines like 'PMID- 123')")
    except UnicodeDecodeError:
        raise ParseError(f"{name}: not a UTF-8 MEDLINE text file") from None
    finally:
        if close:
            fh.close()


def sniff_format(path: str | os.PathLike[str]) -> str:
    """'xml' or 'medline', from the first non-blank bytes of the file."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as ex:
        raise ParseError(f"cannot read {os.fspath(path)}: {ex.strerror or ex}") from None
    if head.startswith(b"<"):
        return "xml"
    if re.match(rb"PMID-\s*\d", head):
        return "medline"
    raise ParseError(
        f"{os.fspath(path)}: neither PubMed XML nor MEDLINE text (.nbib); "
        "export from PubMed with 'Save > Format: PubMed' or fetch XML"
    )


# --- E-utilities envelopes (ESearch, EPost) and in-band errors ---------------------------------


@dataclass(frozen=True)
class SearchResult:
    """What an ESearch returned: the count, the IDs of this page, and PubMed's reading of the query."""

    count: int
    ids: tuple[str, ...] = ()
    webenv: str | None = None
    query_key: str | None = None
    query_translation: str | None = None
    phrases_not_found: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
)


def _envelope(body: bytes, what: str) -> Any:
    if _ENTITY_DECL.search(body[:_HEAD_BYTES]):
        raise ParseError(f"{what} response declares XML entities; refusing it")
    try:
        return etree.fromstring(body, parser=_SAFE_PARSER)
    except etree.XMLSyntaxError as ex:
        raise ParseError(f"{what} response is not well-formed XML: {ex.msg}") from None


def inband_error(body: bytes) -> str | None:
    """The error message NCBI put inside an HTTP 200 body (XML <ERROR> or JSON "ERROR"), if any."""
    head = body[:20000]
    m = re.search(rb"<ERROR>(.*?)</ERROR>", head, re.S)
    if m:
        return " ".join(m.group(1).decode("utf-8", "replace").split())[:300]
    m = re.search(rb'"ERROR"\s*:\s*"((?:[^"\\]|\\.)*)"', head)
    if m:
        return " ".join(m.group(1).decode("utf-8", "replace").split())[:300]
    return None


def parse_esearch(body: bytes) -> SearchResult:
    root = _envelope(body, "ESearch")
    if root.tag != "eSearchResult":
        raise ParseError(f"ESearch response has root <{root.tag}>, expected <eSearchResult>")
    count = root.findtext("Count")
    if count is None or not count.strip().isdigit():
        raise ParseError("ESearch response has no <Count>")
    return SearchResult(
        count=int(count),
        ids=tuple((i.text or "").strip() for i in root.findall("IdList/Id")),
        webenv=(root.findtext("WebEnv") or None),
        query_key=(root.findtext("QueryKey") or None),
        query_translation=(root.findtext("QueryTranslation") or None),
        phrases_not_found=tuple(
            (p.text or "").strip() for p in root.findall("ErrorList/PhraseNotFound")
        ),
        warnings=tuple(_text(w) for w in root.findall("WarningList/*")),
    )


def parse_epost(body: bytes) -> tuple[str, str]:
    """(WebEnv, QueryKey) from an EPost response."""
    root = _envelope(body, "EPost")
    webenv, key = root.findtext("WebEnv"), root.findtext("QueryKey")
    if not webenv or not key:
        raise ParseError("EPost response has no WebEnv/QueryKey")
    return webenv.strip(), key.strip()


def is_complete_article_set(body: bytes) -> bool:
    """A whole EFetch body ends with </PubmedArticleSet> (or is an empty set); a cut one does not."""
    tail = body[-200:].rstrip()
    return tail.endswith(b"</PubmedArticleSet>") or tail.endswith(b"<PubmedArticleSet/>")
