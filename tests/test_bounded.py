"""Bounded work on any input (issue 15): size caps, linear-time scanning, .docx limits.

Inputs are modest but each took minutes (or gigabytes) before the fix; the timeout mark only
turns a hang into a failure, the assertions are on results, never on timings.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import run_process

from claimledger.copy.check import MAX_SEGMENT_CHARS, segment
from claimledger.copy.documents import read_document
from claimledger.errors import InputError
from claimledger.textutil import sentences

HANG = 300
pytestmark = pytest.mark.timeout(HANG)


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-2000:]


# --- copy: sentence splitting ----------------------------------------------------------------------


def test_100000_unclosed_md_comments_are_blanked_in_one_pass() -> None:
    text = "<!--" * 100_000 + "\nKetamine cures depression."
    assert list(segment(text, "md")) == []  # an unclosed comment runs to the end


def test_md_comments_still_hide_only_their_own_text() -> None:
    text = "Before. <!-- hidden. -->After here.\n<!-- x\ny -->\nTail text."
    got = [s for _, _, s in segment(text, "md")]
    assert got == ["Before.", "After here.", "Tail text."]
    for start, end, s in segment(text, "md"):
        assert text[start:end] == s


def test_many_short_alike_sentences_split_in_linear_time() -> None:
    text = "a. " * 350_000  # quadratic in pysbd's offset pass: ran past 180 s
    spans = list(segment(text))
    assert len(spans) == 350_000
    assert spans[-1][2] == "a."
    assert all(text[a:b] == s for a, b, s in spans[:1000])


def test_one_megabyte_paragraph_is_cut_into_bounded_pieces() -> None:
    sentence = "Ketamine reduced depressive symptoms within hours in most adults (e.g. Fig. 2). "
    text = sentence * (1_000_000 // len(sentence))
    spans = list(segment(text))
    assert len(spans) >= 12_000
    assert max(b - a for a, b, _ in spans) <= MAX_SEGMENT_CHARS
    assert spans[0][2] == sentence.strip()


def test_single_token_line_is_cut_without_blowing_up() -> None:
    text = "x" * 3_000_000  # a 50 MB one took 7.7 GB; pieces keep memory and time linear
    spans = list(segment(text))
    assert sum(b - a for a, b, _ in spans) == len(text)
    assert max(b - a for a, b, _ in spans) <= MAX_SEGMENT_CHARS


def test_abstract_sentence_splitter_is_linear_on_initials() -> None:
    text = "A. " * 200_000 + "Then it ends."  # every cut looked like an initial and re-scanned
    spans = list(sentences(text))
    assert spans and spans[-1].text.endswith("Then it ends.")


# --- copy: readers -------------------------------------------------------------------------------


def test_oversized_copy_is_refused_before_reading(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims: []\n", encoding="utf-8")
    big = tmp_path / "token.txt"
    big.write_bytes(b"x" * (2 * 1024 * 1024 + 1))  # stands in for the 50 MB single-token line
    result = run_process("check", str(big), cwd=tmp_path, env={"CLAIMLEDGER_MAX_INPUT_MB": "2"})
    _no_traceback(result)
    assert result.returncode == 2
    assert "over the 2 MB limit" in result.stderr and "CLAIMLEDGER_MAX_INPUT_MB" in result.stderr


def test_nonsense_input_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Ketamine helps.", encoding="utf-8")
    for bad in ("nan", "inf", "-1", "lots"):
        monkeypatch.setenv("CLAIMLEDGER_MAX_INPUT_MB", bad)
        with pytest.raises(InputError, match="CLAIMLEDGER_MAX_INPUT_MB"):
            read_document(f)


def test_separator_control_bytes_become_spaces_at_the_same_offsets(tmp_path: Path) -> None:
    f = tmp_path / "copy.txt"
    raw = "Ketamine \x1creduces\x1d depression\x1e rapidly\x1f in adults.\x1b[31m Red.\n"
    f.write_text(raw, encoding="utf-8")
    doc = read_document(f)
    assert len(doc.text) == len(raw)
    assert not any(c in doc.text for c in "\x1b\x1c\x1d\x1e\x1f")
    assert doc.text.startswith("Ketamine  reduces  depression  rapidly  in adults.")


def test_html_without_end_of_head_still_has_its_body(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>T</title><meta charset=utf-8>"
        "<p>Ketamine reduces depression within hours.</p>",
        encoding="utf-8",
    )
    assert read_document(f).text.strip() == "Ketamine reduces depression within hours."


def test_html_with_unclosed_svg_still_has_the_text_after_it(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(
        "<body><svg><circle r=1><text>logo</text><div>Ketamine reduces pain.</div>"
        "<p>And it works fast.</p></body>",
        encoding="utf-8",
    )
    text = read_document(f).text
    assert "logo" not in text
    assert "Ketamine reduces pain." in text and "And it works fast." in text


def test_html_head_and_closed_svg_are_still_skipped(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>T</title><style>p{}</style></head>"
        "<body><svg><text>logo</text></svg><p>Copy.</p></body></html>",
        encoding="utf-8",
    )
    assert read_document(f).text.strip() == "Copy."


# --- .docx ---------------------------------------------------------------------------------------

_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Ketamine reduces depression within hours.</w:t></w:r></w:p>"
    "</w:body></w:document>"
)


def _docx(path: Path, document: bytes, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A minimal hand-built .docx (synthetic, for the reader's failure modes)."""
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", document)
    return path


def test_minimal_docx_reads(tmp_path: Path) -> None:
    doc = read_document(_docx(tmp_path / "ok.docx", _DOC.encode()))
    assert doc.text.strip() == "Ketamine reduces depression within hours."


def test_docx_zip_bomb_is_refused_before_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        with z.open("word/document.xml", "w") as fh:
            chunk = b" " * (1 << 20)
            for _ in range(40):  # 40 MB of spaces in well under 100 KB
                fh.write(chunk)
    assert path.stat().st_size < 200_000
    monkeypatch.setenv("CLAIMLEDGER_MAX_INPUT_MB", "10")
    with pytest.raises(InputError, match=r"unpacked \.docx is 40\.0 MB, over the 10 MB limit"):
        read_document(path)


def test_docx_with_bad_crc_is_a_clear_error(tmp_path: Path) -> None:
    path = _docx(tmp_path / "crc.docx", _DOC.encode(), zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    i = data.index(b"Ketamine reduces")
    data[i] = ord("k")  # stored bytes changed, CRC-32 in the headers not
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"not a valid \.docx file \(bad CRC\)"):
        read_document(path)


def test_docx_with_truncated_document_xml_is_a_clear_error(tmp_path: Path) -> None:
    path = _docx(tmp_path / "cut.docx", _DOC.encode()[: len(_DOC) // 2])
    with pytest.raises(InputError, match=r"not a valid \.docx file"):
        read_document(path)


def test_docx_that_is_not_a_zip_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputError, match=r"not a valid \.docx file"):
        read_document(path)


def test_check_cli_on_broken_docx_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims: []\n", encoding="utf-8")
    _docx(tmp_path / "cut.docx", _DOC.encode()[:100])
    result = run_process("check", "cut.docx", cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("Error: cannot read cut.docx")
