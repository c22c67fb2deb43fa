"""Read copy from .txt, .md, .html and .docx into plain text, refusing binary or empty files.

The text returned is what offsets in findings refer to: the file itself for .txt and .md, the
visible text for .html (scripts and styles dropped, entities decoded), and the paragraphs of a
.docx joined by newlines.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from claimledger.errors import InputError
from claimledger.limits import max_input_bytes, read_capped, too_large

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
_SKIP = {"script", "style", "noscript", "template", "svg", "math", "head"}
# What may sit in <head>; any other start tag closes it, as a browser does when </head> is missing.
_HEAD_CONTENT = {"title", "meta", "link", "style", "script", "base", "noscript", "template"}
# Start tags that end <svg>/<math> foreign content in the HTML parsing algorithm (unclosed <svg>).
_BREAKOUT = {
    "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em",
    "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing",
    "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike",
    "sub", "sup", "table", "tt", "u", "ul", "var",
}  # fmt: skip


@dataclass(frozen=True)
class Document:
    name: str
    kind: str  # txt | md | html | docx
    text: str


class _TextExtractor(HTMLParser):
    """Visible text. Skipped elements are a stack closed the way a browser closes them, so a
    missing </head> or an unclosed <svg> does not hide the rest of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []
        self.title: str | None = None
        self._in_title = False

    def _close(self, tag: str) -> None:
        if tag in self._skipping:
            i = len(self._skipping) - 1 - self._skipping[::-1].index(tag)
            del self._skipping[i:]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if "head" in self._skipping and tag not in _HEAD_CONTENT:
            self._close("head")
        if tag in _BREAKOUT:
            for foreign in ("svg", "math"):
                self._close(foreign)
        if tag in _SKIP:
            self._skipping.append(tag)
        if tag == "title":
            self._in_title = True
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("body", "html"):
            self._skipping.clear()
        self._close(tag)
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = data.strip()
            return
        if not self._skipping:
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


def _check_docx_archive(path: Path) -> None:
    """Refuse a .docx that would decompress past the input cap (a zip bomb) before opening it.

    zipfile never inflates a member past its declared size and checks its CRC, so the declared
    sizes bound the work; a bad CRC or a truncated member fails as BadZipFile/zlib.error later.
    """
    cap = max_input_bytes()
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except Exception:  # BadZipFile, NotImplementedError (odd versions), OSError, EOFError...
        raise InputError(
            f"cannot read {path}: not a valid .docx file (not a zip archive)"
        ) from None
    if len(infos) > 10_000:
        raise InputError(f"cannot read {path}: not a valid .docx file ({len(infos)} parts)")
    total = sum(i.file_size for i in infos)
    if total > cap:
        raise too_large(path, total, "unpacked .docx")


def _docx_text(path: Path) -> str:
    import docx

    _check_docx_archive(path)
    try:
        d = docx.Document(str(path))
        paras = [p.text for p in d.paragraphs]
        for table in d.tables:
            for row in table.rows:
                for cell in row.cells:
                    paras.append(cell.text)
    # python-docx on a damaged or hostile package fails in many ways (BadZipFile, zlib.error,
    # lxml errors, KeyError, AttributeError on unexpected parts...): each one means the same
    # thing to the user, so every exception from the third-party parser is that one error.
    except Exception as ex:
        reason = "bad CRC" if "CRC" in str(ex) else type(ex).__name__
        raise InputError(f"cannot read {path}: not a valid .docx file ({reason})") from None
    return "\n".join(paras)


# Control characters other than tab and newlines: ESC starts terminal escape sequences, and
# 0x1C-0x1F count as line breaks to str.splitlines but not to our offsets. Each becomes a space,
# so every offset still points at the same character of the file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _blank_controls(text: str) -> str:
    return _CONTROL.sub(" ", text)


def read_document(path: str | Path) -> Document:
    """Read one piece of copy; InputError (exit 2) for unreadable, empty or binary files."""
    p = Path(path)
    suffix = p.suffix.lower().lstrip(".")
    kind = {"htm": "html", "markdown": "md", "text": "txt"}.get(suffix, suffix)
    if kind not in ("txt", "md", "html", "docx"):
        kind = "txt"
    if not p.is_file():
        raise InputError(f"cannot read {p}: no such file")
    if p.stat().st_size > max_input_bytes():
        raise too_large(p, p.stat().st_size)
    try:
        if kind == "docx":
            text = _docx_text(p)
        else:
            raw = read_capped(p)
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
    except OSError as ex:
        raise InputError(f"cannot read {p}: {ex.strerror or type(ex).__name__}") from None
    text = _blank_controls(text)
    if not text.strip():
        raise InputError(f"cannot check {p}: the file is empty")
    return Document(name=str(p), kind=kind, text=text)
