"""Read copy from .txt, .md, .html, .docx, .pdf and .rtf into plain text, refusing binary or empty
files; UTF-16 and legacy encodings (cp1252, Latin-1; others through charset-normalizer) are
detected.

The text returned is what offsets in findings refer to: the file itself for .txt and .md (decoded),
the visible text for .html (scripts and styles dropped, entities decoded, alt text and the meta
description as captions), the paragraphs, table rows and text boxes of a .docx, one a line, the
text layer of a .pdf (pages separated by a form feed on a line of its own), and the text of an
.rtf. For HTML and .docx the reader also says which lines are headings, list items, captions,
quotations or page furniture (navigation, footer, cookie banners), so the checker can read the
page's structure.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import stat
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from claimledger.errors import InputError
from claimledger.limits import max_input_bytes, read_capped, too_large
from claimledger.textutil import RUNS_ON, names_a_column

__all__ = [
    "PAGE_BREAK",
    "STDIN",
    "SUPPORTED",
    "Document",
    "Expanded",
    "expand_paths",
    "read_document",
]

SUPPORTED = ("txt", "md", "html", "docx", "pdf", "rtf")
_ALIASES = {"htm": "html", "xhtml": "html", "markdown": "md", "mkd": "md", "text": "txt"}

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
    # each its own line in a browser too: a glossary's term and definition (dl/dt/dd), a figure
    # and its caption, a form's labels, buttons and options (never words of the sentence above)
    "dl",
    "dt",
    "dd",
    "main",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "pre",
    "hr",
    "caption",
    "form",
    "fieldset",
    "legend",
    "label",
    "button",
    "select",
    "option",
    "textarea",
    "menu",
    "dialog",
}
# a link drawn as a button ("Book Your Free Consultation", "Call (541) 555-0188"): its own line
_BUTTON_CLASS = re.compile(r"\b(btn|button|cta)\b", re.I)
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


# Block roles the checker uses (see copy/structure.py); furniture is never copy to check.
_ROLE_TAGS = {
    "h1": "heading",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
    "li": "item",
    "dt": "question",
    "figcaption": "caption",
    "blockquote": "quote",
    "nav": "furniture",
    "footer": "furniture",
}
_FURNITURE_CLASS = re.compile(
    r"\b(cookie\w*|topbar|breadcrumbs?|menu|navbar|nav|site-footer|skip-link)\b"
)
# a paragraph Word's "Save as Web Page" wrote for a bulleted or numbered list item
_WORD_LIST_CLASS = re.compile(r"\bMsoListParagraph\w*")
# private-use characters marking a line's role inside the extracted text, removed afterwards
_ROLE_CODES = {
    "heading": "\ue001",
    "item": "\ue002",
    "question": "\ue003",
    "caption": "\ue004",
    "quote": "\ue005",
    "furniture": "\ue006",
}
_CODE_ROLES = {v: k for k, v in _ROLE_CODES.items()}


@dataclass
class _Table:
    """An open <table>: where its text starts in the extractor's parts, its rows so far, a
    table inside it, a <thead>, whether its header row is decided, and the current row's first
    cell (its part) and whether the row has a <th>."""

    start: int
    rows: int = 0
    nested: bool = False
    header: bool = False
    decided: bool = False
    row_start: int | None = None
    row_th: bool = False


@dataclass(frozen=True)
class Document:
    name: str
    kind: str  # txt | md | html | docx | pdf | rtf
    text: str
    # (start, end, role) of lines with a known role (HTML): heading, item, question, caption,
    # quote or furniture
    roles: tuple[tuple[int, int, str], ...] = ()


class _TextExtractor(HTMLParser):
    """Visible text. Skipped elements are a stack closed the way a browser closes them, so a
    missing </head> or an unclosed <svg> does not hide the rest of the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []
        self.title: str | None = None
        self.description: str | None = None  # the page's meta description
        self._downlevel = False  # inside Word's fallback list bullet (see unknown_decl)
        self._in_title = False
        self._roles: list[tuple[str, str]] = []  # open role-bearing tags, innermost last
        self._cells: list[int] = []  # cells so far in the current row of each open <table>
        self._tables: list[_Table] = []  # each open <table>
        self._links: list[bool] = []  # open <a> elements: is each drawn as a button?

    def _close(self, tag: str) -> None:
        if tag in self._skipping:
            i = len(self._skipping) - 1 - self._skipping[::-1].index(tag)
            del self._skipping[i:]

    def _at_line_start(self) -> bool:
        """No words yet on the current line, or none that run on into what starts here (a
        lower-case word or a comma last: "Ask us, or <a class=cta>book a call</a> today.")."""
        for part in reversed(self.parts):
            tail = part[max(part.rfind("\n"), part.rfind(_BR)) + 1 :]
            if any(c.isalnum() for c in tail):  # do the words before it run on into it?
                return RUNS_ON.search(tail) is None
            if "\n" in part or _BR in part:
                return True
        return True

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
        cls = " ".join(v or "" for k, v in attrs if k in ("class", "id"))
        if tag == "table":
            if self._tables:
                self._tables[-1].nested = True
            self._cells.append(0)
            self._tables.append(_Table(len(self.parts)))
        elif tag == "thead" and self._tables:
            self._tables[-1].header = True
        elif tag == "tr" and self._cells:
            self._row_ended()
            self._cells[-1] = 0  # a new row (its </tr> and </td> may be left out)
            self._tables[-1].rows += 1
        if tag == "a":
            if self._links and self._links.pop():  # an <a> is never inside another: it ends it
                self.parts.append("\n")
            button = not self._cells and _BUTTON_CLASS.search(cls) is not None
            self._links.append(button and self._at_line_start())  # not a link in a sentence
            if self._links[-1]:
                self.parts.append("\n")
        if tag == "br":
            self.parts.append(_CELL_BR if self._in_cell() else _BR)
        elif tag in ("td", "th") and self._cells:
            self._cells[-1] += 1
            table = self._tables[-1]
            table.rows = table.rows or 1  # a cell with no <tr> opens a row
            if self._cells[-1] == 1:
                table.row_start, table.row_th = len(self.parts), False
            table.row_th = table.row_th or tag == "th"
            self.parts.append(_FIRST_CELL if self._cells[-1] == 1 else _CELL)
        elif tag in _BLOCK:
            self.parts.append(self._line_break(tag))
        role = _ROLE_TAGS.get(tag) or (
            "furniture"
            if _FURNITURE_CLASS.search(cls)
            else "item"
            if _WORD_LIST_CLASS.search(cls)
            else None
        )
        if role and tag not in _VOID:
            self._roles.append((tag, role))
        if tag == "meta" and self.description is None:
            a = dict(attrs)
            if (a.get("name") or a.get("property") or "").lower() in _DESCRIPTION:
                self.description = " ".join((a.get("content") or "").split()) or None
        alt = dict(attrs).get("alt") if tag in ("img", "area") else None
        if alt and alt.strip() and not self._skipping:
            # alt text is what a screen reader says for the image, and a search engine indexes:
            # published copy, read as a caption on a line of its own (in a link or nav, as that)
            code = _ROLE_CODES["furniture" if self._role() == "furniture" else "caption"]
            self.parts.append(f"\n{code}{' '.join(alt.split())}\n")

    def _in_cell(self) -> bool:
        return bool(self._cells) and self._cells[-1] > 0

    def _line_break(self, tag: str) -> str:
        """A block element's line break: inside a table cell (a paragraph or list in it) a
        mark that _table_rows makes a space in a row of a data table and a line break in a
        layout table's; a table's own rows, and any block outside tables, a line break."""
        inner = tag not in ("table", "tr", "tbody", "thead", "tfoot", "caption")
        return _CELL_BLOCK if inner and self._in_cell() else "\n"

    def _end_table(self) -> None:
        """A table of one row is a layout (a band of figures, "1,200+ infusions | 83% feel
        better | 0 complications"), not a comparison with a header: its cells are lines."""
        table = self._tables.pop()
        if table.rows == 1 and not table.nested:
            for i in range(table.start, len(self.parts)):
                part = self.parts[i].replace(_FIRST_CELL, "").replace(_CELL, "\n")
                self.parts[i] = part.replace(_CELL_BLOCK, "\n").replace(_CELL_BR, _BR)

    def _row_ended(self) -> None:
        """The first row of two or more cells is the table's header when it is a row of <th>,
        in <thead>, or of cells that name columns ("Plan | Price | Includes"); one holding
        figures or sentences ("Basic | 4 infusions | $1,890", "B1 Quiet Your Anxiety For Good.
        A calmer brain ...") is the first of the data rows, marked an item: it introduces
        nothing."""
        table = self._tables[-1]
        if table.decided or table.row_start is None or self._cells[-1] < 2:
            return
        table.decided = True
        if table.header or table.row_th:
            return
        row = _CODES.sub("", "".join(self.parts[table.row_start :]))
        cells = [c for c in re.split(f"[{_FIRST_CELL}{_CELL}]", row) if c.strip()]
        if not all(names_a_column(c) for c in cells):
            self.parts[table.row_start] += _ROLE_CODES["item"]

    def _role(self) -> str | None:
        roles = [r for _, r in self._roles]
        return "furniture" if "furniture" in roles else (roles[-1] if roles else None)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._roles) - 1, -1, -1):
            if self._roles[i][0] == tag:
                del self._roles[i:]
                break
        if tag in ("body", "html"):
            self._skipping.clear()
        self._close(tag)
        if tag == "title":
            self._in_title = False
        if tag == "a" and self._links and self._links.pop():
            self.parts.append("\n")
        if tag == "br":  # "</br>" is read as a <br>, as browsers do
            self.parts.append(_CELL_BR if self._in_cell() else _BR)
        elif tag in ("td", "th") and self._cells:
            pass  # the next cell, or the row's end, says where the cell ends
        elif tag in _BLOCK:
            self.parts.append(self._line_break(tag))
        if tag == "table" and self._cells:
            self._row_ended()
            self._cells.pop()
            self._end_table()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """<br/>, <img/>: a void element has no end tag to handle."""
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def unknown_decl(self, data: str) -> None:
        """Word's "Save as Web Page" draws list bullets for old browsers between
        <![if !supportLists]> and <![endif]>: a glyph ("·", "§"), not copy."""
        if data.strip().lower() == "if !supportlists":
            self._downlevel = True
        elif data.strip().lower() == "endif":
            self._downlevel = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = data.strip()
            return
        if not self._skipping and not self._downlevel:
            role = self._role()
            if role and data.strip():
                self.parts.append(_ROLE_CODES[role])
            self.parts.append(re.sub(r"\s+", " ", data))  # whitespace in HTML source is not layout


# meta names whose content a search engine or a link preview shows as the page's summary
_DESCRIPTION = {"description", "og:description", "twitter:description"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr"}
_CODES = re.compile("[" + "".join(_ROLE_CODES.values()) + "]")
# every private-use mark the extractor writes (role codes, breaks, cells): none may come from the page
_MARKS = re.compile("[\ue001-\ue006\ue010-\ue014]")


# A <br> inside a sentence is layout ("Relief from depression<br>in hours"): it joins the words
# around it as the line wrap of a text file does (the line before does not end a sentence, the
# next begins in lower case); any other <br> is a line break ("Harbor Clinic<br>12 Main St").
_BR = "\ue010"
# inside a table cell: a <br>, and another block's line break (a <p> or <li> in the cell)
_CELL_BR, _CELL_BLOCK = "\ue013", "\ue014"
_SOFT_BR = re.compile(
    "(?<=[^\\s.!?:;\"'”’)\\]"
    + _BR
    + _CELL_BR
    + _CELL_BLOCK
    + "])[ \t]*["
    + _BR
    + _CELL_BR
    + "][ \t]*(?=["
    + "".join(_ROLE_CODES.values())
    + "]*[a-z])"
)


# A table row of two or more cells is one line, its cells between bars ("| Fibromyalgia | Small
# studies | 3 sessions |") as in a Markdown or .docx table: the row is one item, the header row
# introduces the rows under it. A one-cell row (a layout table, a call-out box) is plain lines.
_FIRST_CELL, _CELL = "\ue011", "\ue012"
_IN_CELL_BREAKS = re.compile(f"[ \t]*[{_CELL_BR}{_CELL_BLOCK}][{_CELL_BR}{_CELL_BLOCK} \t]*")
# A cell of a data table holds a value, a phrase or a few sentences ("<td><p>Within hours.</p>
# <p>Most feel it the same day.</p></td>"); a cell longer than this is a layout column (an
# e-mail's two columns of articles), whose paragraphs are lines of their own.
MAX_CELL_WORDS = 50


def _cells_joined(line: str) -> str | None:
    """A row of a data table with paragraphs, list items or breaks inside its cells, each cell's
    pieces joined on the row's line ("Starter | 6 infusions; safety monitoring |"); None for a
    layout row (one cell, or a cell of more than MAX_CELL_WORDS words)."""
    if _CELL not in line:
        return None
    cells = line.replace(_FIRST_CELL, _CELL).split(_CELL)[1:]
    if any(len(_CODES.sub(" ", c).split()) > MAX_CELL_WORDS for c in cells):
        return None

    def join(m: re.Match[str]) -> str:
        before, after = line[: m.start()].rstrip(), _CODES.sub("", line[m.end() : m.end() + 2])
        return "; " if before[-1:].isalnum() and after[:1].isalnum() else " "

    return _IN_CELL_BREAKS.sub(join, line)


def _table_rows(text: str) -> str:
    """Table rows as lines of cells between bars (see _FIRST_CELL); breaks inside a data
    table's cells are spaces, inside a layout table's line breaks."""
    lines: list[str] = []
    for ln in text.split("\n"):
        if _CELL_BR in ln or _CELL_BLOCK in ln:
            joined = _cells_joined(ln)
            if joined is None:
                lines.extend(_IN_CELL_BREAKS.sub("\n", ln).split("\n"))
                continue
            ln = joined
        lines.append(ln)
    return _row_lines(lines)


def _row_lines(lines: list[str]) -> str:
    def row(line: str) -> str:
        if _CELL not in line:
            return line.replace(_FIRST_CELL, "")
        cells = [c.strip() for c in line.replace(_FIRST_CELL, _CELL).split(_CELL)]
        head, cells = cells[0], cells[1:]
        return f"{head} | {' | '.join(cells)} |".strip() if head else f"| {' | '.join(cells)} |"

    out: list[str] = []
    for ln in lines:
        is_row = _FIRST_CELL in ln or _CELL in ln
        ln = row(ln) if is_row else ln
        if ln.startswith("|"):  # the rows of one table are adjacent lines, as in Markdown
            while out and not out[-1].strip() and len(out) > 1 and out[-2].startswith("|"):
                out.pop()
        out.append(ln)
    return "\n".join(out)


def _html_text(raw: str) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    p = _TextExtractor()
    p.feed(_MARKS.sub("", raw))
    p.close()
    text = _table_rows(_SOFT_BR.sub(" ", "".join(p.parts)).replace(_BR, "\n"))
    if p.description:  # search results show it under the title: copy, read first, as a caption
        text = f"{_ROLE_CODES['caption']}{p.description}\n\n{text}"
    out: list[str] = []
    line_roles: list[str | None] = []
    for raw_line in text.split("\n"):
        codes = _CODES.findall(raw_line)
        ln = re.sub(r"[ \t\r\f\v\xa0]+", " ", _CODES.sub("", raw_line)).strip()
        if ln or (out and out[-1]):
            out.append(ln)
            roles = [_CODE_ROLES[c] for c in codes]
            line_roles.append(
                "furniture" if "furniture" in roles else (roles[0] if roles else None)
            )
    while out and not out[0]:
        out.pop(0)
        line_roles.pop(0)
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for ln, role in zip(out, line_roles, strict=True):
        if role and ln:
            spans.append((pos, pos + len(ln), role))
        pos += len(ln) + 1
    return "\n".join(out).strip() + "\n", tuple(spans)


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of .doc, .xls, .ppt


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(magic)) == magic
    except OSError:
        return False


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
        if _starts_with(path, _OLE):
            raise InputError(
                f"cannot read {path}: it is an older Word (.doc) file named .docx; open it in "
                "Word and save it as .docx"
            ) from None
        raise InputError(
            f"cannot read {path}: not a valid .docx file (not a zip archive)"
        ) from None
    if len(infos) > 10_000:
        raise InputError(f"cannot read {path}: not a valid .docx file ({len(infos)} parts)")
    total = sum(i.file_size for i in infos)
    if total > cap:
        raise too_large(path, total, "unpacked .docx")


# Word's built-in paragraph styles that give a line its role on the page (see copy/structure.py)
_DOCX_STYLE_ROLES = (
    (re.compile(r"^(heading \d|title|subtitle)$", re.I), "heading"),
    (re.compile(r"^list\b", re.I), "item"),
    (re.compile(r"^caption$", re.I), "caption"),
    (re.compile(r"^(intense )?quote$", re.I), "quote"),
)


def _docx_role(paragraph: Any) -> str | None:
    style = paragraph.style.name if paragraph.style is not None else ""
    for rx, role in _DOCX_STYLE_ROLES:
        if rx.match(style or ""):
            return role
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    return "item" if numbered else None  # a bullet or number set on the paragraph itself


# A text box's paragraphs; Word also writes each box a second time as a VML fallback for old
# readers (under mc:Fallback), which is left out so the box is read once.
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_WML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@cache
def _text_box_xpath() -> Any:
    from lxml import etree  # only when a .docx is read

    return etree.XPath(
        ".//w:txbxContent[not(ancestor::mc:Fallback)]/w:p", namespaces={"w": _WML, "mc": _MC}
    )


def _text_box_paragraphs(paragraph: Any) -> list[Any]:
    """Paragraphs of the text boxes anchored in ``paragraph`` (flyers and one-pagers put their
    headline claims in text boxes), in document order, read after the paragraph."""
    from docx.text.paragraph import Paragraph

    found: list[Any] = _text_box_xpath()(paragraph._p)
    return [Paragraph(p, paragraph._parent) for p in found]


def _docx_lines(d: Any) -> list[tuple[str, str | None]]:
    """The body's lines in reading order, with their roles. A table of two or more columns
    gives one line per row, its cells between bars ("| Ketamine | 70% |") as a Markdown table
    does, so the header row introduces the rows; a one-column table (a call-out box) gives its
    paragraphs. Merged cells count once."""
    from docx.table import Table

    lines: list[tuple[str, str | None]] = []
    for block in d.iter_inner_content():
        if not isinstance(block, Table):
            lines.append((block.text, _docx_role(block)))
            lines.extend((p.text, _docx_role(p)) for p in _text_box_paragraphs(block))
            continue
        for row in block.rows:
            cells = list({id(c._tc): c for c in row.cells}.values())
            if len(block.columns) < 2:
                lines.extend((p.text, _docx_role(p)) for c in cells for p in c.paragraphs)
                continue
            texts = [" ".join(c.text.split()) for c in cells]
            if any(texts):
                lines.append(("| " + " | ".join(texts) + " |", None))
    return lines


def _docx_text(path: Path) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """The paragraphs and tables of the body in order, one per line, and the roles Word's
    styles give them; a text box is read after the paragraph it is anchored in. Headers,
    footers, footnotes and comments are not read."""
    import docx

    _check_docx_archive(path)
    try:
        lines = _docx_lines(docx.Document(str(path)))
    # python-docx on a damaged or hostile package fails in many ways (BadZipFile, zlib.error,
    # lxml errors, KeyError, AttributeError on unexpected parts...): each one means the same
    # thing to the user, so every exception from the third-party parser is that one error.
    except Exception as ex:
        reason = "bad CRC" if "CRC" in str(ex) else type(ex).__name__
        raise InputError(f"cannot read {path}: not a valid .docx file ({reason})") from None
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for text, role in lines:
        if role and text.strip():
            spans.append((pos, pos + len(text), role))
        pos += len(text) + 1
    return "\n".join(text for text, _ in lines), tuple(spans)


# A word broken at a hyphen at the end of a PDF line ("long-\nterm", "side-\neffects"): the
# line break goes and the hyphen stays. Word and design tools do not hyphenate by default, so a
# hyphen there is mostly the word's own; "re-spond" from a hyphenating layout still reads better
# than "re- spond".
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[^\W\d_])")


def _opens_without_password(reader: Any) -> bool:
    """A PDF encrypted only to restrict printing or copying opens with the empty password, as
    in any viewer; its text is the copy to check."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unsupported cipher (pypdf's DependencyError, NotImplementedError)
        return False


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it repairs ("invalid pdf header") and Python prints unhandled warnings to
    # stderr, around our one `Error:` line; the reason that matters is in our message instead
    pypdf_log = logging.getLogger("pypdf")
    if not pypdf_log.handlers:
        pypdf_log.addHandler(logging.NullHandler())

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise InputError(
                f"cannot read {path}: the PDF is encrypted; export it without a password"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError):
        # pypdf's class name (PdfStreamError, ...) means nothing to a writer; what to do does
        raise InputError(
            f"cannot read {path}: not a valid PDF (damaged, or not a PDF at all);"
            " export it again as .pdf, .docx or .txt"
        ) from None
    text = _LINE_END_HYPHEN.sub("-", f"\n{PAGE_BREAK}\n".join(pages))
    if not text.strip():
        raise InputError(
            f"cannot check {path}: the PDF has no text layer (a scan?); export the copy as .docx or .txt"
        )
    return text


_FIELD_CODE = re.compile(r"\{\s*\\\*\s*\\fldinst\b")


def _without_field_codes(rtf: str) -> str:
    """The RTF without its field instructions ({\\*\\fldinst HYPERLINK "https://..."}): a
    field's shown result stays, its code goes (striprtf would print a link's address inside
    the sentence: 'the best("https://example.org") treatment')."""
    out: list[str] = []
    pos = 0
    while m := _FIELD_CODE.search(rtf, pos):
        out.append(rtf[pos : m.start()])
        depth, i = 0, m.start()
        while i < len(rtf):
            c = rtf[i]
            if c == "\\":
                i += 2  # an escaped brace or backslash
                continue
            depth += {"{": 1, "}": -1}.get(c, 0)
            i += 1
            if depth == 0:
                break
        pos = i
    out.append(rtf[pos:])
    return "".join(out)


def _rtf_text(raw: str, path: Path) -> str:
    from striprtf.striprtf import rtf_to_text

    if not raw.lstrip().startswith("{\\rtf"):
        raise InputError(f"cannot read {path}: not an RTF file (it does not start with {{\\rtf)")
    try:
        return str(rtf_to_text(_without_field_codes(raw), errors="ignore"))  # type: ignore[no-untyped-call]
    except (ValueError, IndexError) as ex:
        raise InputError(f"cannot read {path}: malformed RTF ({type(ex).__name__})") from None


# Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one). Word's
# "Unicode text" and Notepad's "Unicode" save UTF-16 with a mark; its NUL bytes are not binary.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _unicode_by_bom(raw: bytes, path: Path) -> str | None:
    """Text saved with a byte-order mark (the mark itself dropped); None without one."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise InputError(
                    f"cannot read {path}: it starts like {codec.upper()} text but is not; "
                    "save it as UTF-8 text"
                ) from None
    return None


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 saved without a mark: English text then has a NUL in every other byte, on the
    same side, and nowhere else (binary files have NULs anywhere)."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even, odd = raw[0::2], raw[1::2]
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) == 0:
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


# The Windows code page Word, Outlook and older CMSs write English copy in; Latin-1 (ISO 8859-1)
# is the same for every printable character. Its typographic quotes and dashes are 0x80-0x9F.
_WESTERN = "cp1252"
_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes that are not UTF-8, as surrogateescape keeps them


def _western(raw: bytes) -> str | None:
    """UTF-8, with every byte that is not UTF-8 read as cp1252: a cp1252 or Latin-1 file, or a
    UTF-8 file with a pasted cp1252 quote. None when that does not read as Western copy: a byte
    cp1252 leaves undefined, or many accented letters among the letters (a page in a Cyrillic or
    Greek code page read as cp1252 is all accented letters)."""
    fallback = 0

    def as_cp1252(m: re.Match[str]) -> str:
        nonlocal fallback
        s = bytes(ord(c) - 0xDC00 for c in m.group()).decode(_WESTERN)
        fallback += sum(1 for c in s if c.isalpha())
        return s

    try:
        text = _ESCAPED.sub(as_cp1252, raw.decode("utf-8", "surrogateescape"))
    except UnicodeDecodeError:  # a byte cp1252 leaves undefined: another code page
        return None
    letters = sum(1 for c in text if c.isalpha())
    return text if letters and fallback <= 0.15 * letters else None


def _decode(raw: bytes, path: Path) -> str:
    """A byte-order mark decides; then UTF-8 (UTF-16 without a mark); then cp1252 (which
    covers Latin-1) when the text reads as Western copy; otherwise the encoding
    charset-normalizer finds most likely.

    charset-normalizer alone guesses wrong on short English copy: a paragraph with one pair of
    smart quotes and a euro sign came back as cp775 ("ōtheö ... Ć300")."""
    raw = raw.removeprefix(codecs.BOM_UTF8)  # Notepad's "UTF-8 with BOM"; the rest as below
    text = _unicode_by_bom(raw, path)
    if text is None:
        text = _utf16_without_bom(raw)
    if text is not None and "\x00" not in text[:4096]:
        return text
    if text is not None or b"\x00" in raw[:8192]:
        raise InputError(f"cannot read {path}: it looks like a binary file, not text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _western(raw)
    if text is not None:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise InputError(
            f"cannot read {path}: not text in any encoding we recognise; save it as UTF-8 text"
        )
    return str(best)


@dataclass(frozen=True)
class Expanded:
    """What the paths on the command line stand for."""

    files: list[Path]  # to read, in order: files as given, each folder's supported files sorted
    problems: list[str]  # one message per folder that cannot be read or has nothing to check
    skipped: list[str]  # documents in a folder of a kind we cannot read, with what to do


# Kinds of document a writer keeps beside their copy that we cannot read: a folder check says
# it skipped them (images, archives and other files are skipped without a word).
_DOCUMENT_KINDS = ("doc", "odt", "pages", "pptx", "ppt", "key", "xlsx", "xls")


def expand_paths(paths: Iterable[str | Path]) -> Expanded:
    """Files as given, and for a folder every supported file in it and in its sub-folders
    (sorted; hidden files and folders, whose names start with ".", are left out; links to
    folders are not followed). Unsupported files named explicitly are kept so they get their
    Error; in a folder, documents of a kind we cannot read are listed as skipped."""
    out = Expanded([], [], [])
    for p in map(Path, paths):
        if str(p) != STDIN and p.is_dir():
            _expand_folder(p, out)
        else:
            out.files.append(p)
    return out


def _expand_folder(folder: Path, out: Expanded) -> None:
    found: list[Path] = []
    unreadable: list[str] = []

    def failed(ex: OSError) -> None:
        where = ex.filename or folder
        reason = "permission denied" if isinstance(ex, PermissionError) else ex.strerror
        unreadable.append(f"cannot read folder {where}: {reason or type(ex).__name__}")

    skipped: list[Path] = []
    skipped_reports: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            f = Path(root) / name
            if name.startswith("."):
                continue
            if _kind(f) in SUPPORTED and _is_our_report(f):
                skipped_reports.append(f)
            elif _kind(f) in SUPPORTED:
                found.append(f)
            elif _kind(f) in _DOCUMENT_KINDS:
                skipped.append(f)
    out.problems.extend(unreadable)
    out.skipped.extend(
        f"skipped {f}: .{_kind(f)} files are not supported; {_UNSUPPORTED_HINT[_kind(f)]}"
        for f in sorted(skipped)
    )
    out.skipped.extend(
        f"skipped {f}: a claimledger check report, not copy" for f in sorted(skipped_reports)
    )
    if not found and not unreadable:
        out.problems.append(
            f"cannot check {folder}: the folder has no {', '.join('.' + k for k in SUPPORTED)} files"
        )
    out.files.extend(sorted(found))


# What `check --format html|md` writes at the top of its reports (reports/check.py): a report
# saved into the folder being checked is not copy (its quotes of flagged words would be flagged)
_REPORT_MARKS = {
    "html": re.compile(rb'<meta name="generator" content="claimledger check">'),
    "md": re.compile(rb"\A# Copy check: "),
}


def _is_our_report(p: Path) -> bool:
    mark = _REPORT_MARKS.get(_kind(p))
    if mark is None:
        return False
    try:
        with p.open("rb") as fh:
            return mark.search(fh.read(512)) is not None
    except OSError:
        return False  # read_document will say why


def _kind(p: Path) -> str:
    suffix = p.suffix.lower().lstrip(".")
    return _ALIASES.get(suffix, suffix)


_UNSUPPORTED_HINT = {
    "doc": "save it as .docx",
    "odt": "save it as .docx",
    "pages": "export it as .docx or .pdf",
    "pptx": "export the slides as .pdf",
    "ppt": "export the slides as .pdf",
    "key": "export the slides as .pdf",
    "xlsx": "copy the text into a .txt file",
    "xls": "copy the text into a .txt file",
    "png": "check the text it came from, or export the design as .pdf with a text layer",
    "jpg": "check the text it came from, or export the design as .pdf with a text layer",
    "jpeg": "check the text it came from, or export the design as .pdf with a text layer",
    "zip": "unpack it and check the folder",
}


# Control characters other than tab and newlines: ESC starts terminal escape sequences, and
# 0x1C-0x1F count as line breaks to str.splitlines but not to our offsets. Each becomes a space,
# so every offset still points at the same character of the file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _blank_controls(text: str, kind: str = "txt") -> str:
    """Controls blanked; a PDF's page breaks (PAGE_BREAK) are kept, so findings can say on
    which page they are."""
    if kind == "pdf":
        return _CONTROL.sub(lambda m: m.group() if m.group() == PAGE_BREAK else " ", text)
    return _CONTROL.sub(" ", text)


#: between the pages of a PDF's text, on a line of its own (as pdftotext writes them)
PAGE_BREAK = "\f"


def read_document(path: str | Path) -> Document:
    """Read one piece of copy; InputError (exit 2) for unreadable, empty or binary files."""
    p = Path(path)
    kind = _kind(p)
    if kind in _UNSUPPORTED_HINT:
        raise InputError(
            f"cannot check {p}: .{kind} files are not supported; {_UNSUPPORTED_HINT[kind]} "
            f"(supported: {', '.join('.' + k for k in SUPPORTED)})"
        )
    if kind not in SUPPORTED:
        kind = "txt"
    if str(path) == STDIN:
        return _document(STDIN_NAME, "txt", _decode(_read_stdin(), Path(STDIN_NAME)))
    _must_be_a_file(p)
    roles: tuple[tuple[int, int, str], ...] = ()
    try:
        if p.stat().st_size > max_input_bytes():
            raise too_large(p, p.stat().st_size)
        if kind == "docx":
            text, roles = _docx_text(p)
        elif kind == "pdf":
            text = _pdf_text(p)
        else:
            decoded = _decode(read_capped(p), p)
            if kind == "html":
                text, roles = _html_text(decoded)
                if decoded.strip() and not text.strip():
                    raise InputError(
                        f"cannot check {p}: the page has no visible text (only markup, "
                        "scripts or styles)"
                    )
            elif kind == "rtf":
                text = _rtf_text(decoded, p)
            else:
                text = decoded
    except PermissionError:
        raise InputError(f"cannot read {p}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"cannot read {p}: it is a directory") from None
    except OSError as ex:
        raise InputError(f"cannot read {p}: {ex.strerror or type(ex).__name__}") from None
    return _document(str(p), kind, text, roles)


def _document(
    name: str, kind: str, text: str, roles: tuple[tuple[int, int, str], ...] = ()
) -> Document:
    # a classic Mac line end (CR alone) becomes the newline the page reader splits lines at:
    # one character for one, so every offset still points at the same character
    text = _LONE_CR.sub("\n", _blank_controls(text, kind))
    if not text.strip():
        raise InputError(f"cannot check {name}: the file is empty")
    return Document(name=name, kind=kind, text=text, roles=roles)


_LONE_CR = re.compile(r"\r(?!\n)")


#: the file name that means standard input (`pbpaste | claimledger check -`), read as text
STDIN = "-"
STDIN_NAME = "<stdin>"


def _read_stdin() -> bytes:
    cap = max_input_bytes()
    data = sys.stdin.buffer.read(cap + 1)
    if len(data) > cap:
        raise too_large(STDIN_NAME, len(data), "input")
    return data


def _must_be_a_file(p: Path) -> None:
    """A regular file we may read; otherwise the one-line reason (a FIFO or a device would
    block or never end, so neither is opened)."""
    try:
        st = p.stat()
    except PermissionError:
        raise InputError(f"cannot read {p}: permission denied") from None
    except FileNotFoundError:
        if p.is_symlink():
            raise InputError(
                f"cannot read {p}: it is a link to a file that does not exist"
            ) from None
        raise InputError(f"cannot read {p}: no such file") from None
    except OSError as ex:
        raise InputError(f"cannot read {p}: {ex.strerror or type(ex).__name__}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"cannot read {p}: it is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            f"cannot read {p}: not a regular file (a device, pipe or socket); "
            f"save the copy to a file, or pipe it in as {STDIN}"
        )
