"""Read copy from .txt, .md, .html and .docx into plain text, refusing binary or empty files.

The text returned is what offsets in findings refer to: the file itself for .txt and .md, the
visible text for .html (scripts and styles dropped, entities decoded), and the paragraphs of a
.docx joined by newlines.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from claimledger.errors import InputError

__all__ = ["Document", "read_document"]

_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "table",
    "title",
    "nav",
    "aside",
}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}


@dataclass(frozen=True)
class Document:
    name: str
    kind: str  # txt | md | html | docx
    text: str


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        if tag == "title":
            self._in_title = True
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self._skip:
            self._skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = data.strip()
            return
        if not self._skip:
            self.parts.append(re.sub(r"\s+", " ", data))  # whitespace in HTML source is not layout


def _html_text(raw: str) -> str:
    p = _TextExtractor()
    p.feed(raw)
    p.close()
    text = "".join(p.parts)
    text = html.unescape(text)
    lines = [re.sub(r"[ \t\r\f\v\xa0]+", " ", ln).strip() for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip() + "\n"


def _docx_text(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        d = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as ex:
        raise InputError(
            f"cannot read {path}: not a valid .docx file ({type(ex).__name__})"
        ) from None
    paras = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                paras.append(cell.text)
    return "\n".join(paras)


def read_document(path: str | Path) -> Document:
    """Read one piece of copy; InputError (exit 2) for unreadable, empty or binary files."""
    p = Path(path)
    suffix = p.suffix.lower().lstrip(".")
    kind = {"htm": "html", "markdown": "md", "text": "txt"}.get(suffix, suffix)
    if kind not in ("txt", "md", "html", "docx"):
        kind = "txt"
    if not p.is_file():
        raise InputError(f"cannot read {p}: no such file")
    try:
        if kind == "docx":
            text = _docx_text(p)
        else:
            raw = p.read_bytes()
            if b"\x00" in raw[:8192]:
                raise InputError(f"cannot read {p}: it looks like a binary file, not text")
            try:
                decoded = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InputError(f"cannot read {p}: not UTF-8 text") from None
            text = _html_text(decoded) if kind == "html" else decoded
    except PermissionError:
        raise InputError(f"cannot read {p}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"cannot read {p}: it is a directory") from None
    if not text.strip():
        raise InputError(f"cannot check {p}: the file is empty")
    return Document(name=str(p), kind=kind, text=text)
