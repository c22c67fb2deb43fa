"""Read copy from .txt, .md, .html, .docx, .pdf and .rtf into plain text, refusing binary or empty
files; text in legacy encodings (cp1252, Latin-1, ...) is detected with charset-normalizer.

The text returned is what offsets in findings refer to: the file itself for .txt and .md (decoded),
the visible text for .html (scripts and styles dropped, entities decoded), the paragraphs of a
.docx joined by newlines, the text layer of a .pdf, and the text of an .rtf. For HTML the reader
also says which lines are headings, list items, captions, quotations or page furniture
(navigation, footer, cookie banners), so the checker can read the page's structure.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from claimledger.errors import InputError
from claimledger.limits import max_input_bytes, read_capped, too_large

__all__ = ["SUPPORTED", "Document", "expand_paths", "read_document"]

SUPPORTED = ("txt", "md", "html", "docx", "pdf", "rtf")
_ALIASES = {"htm": "html", "markdown": "md", "text": "txt"}

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
        self._in_title = False
        self._roles: list[tuple[str, str]] = []  # open role-bearing tags, innermost last

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
        cls = " ".join(v or "" for k, v in attrs if k in ("class", "id"))
        role = _ROLE_TAGS.get(tag) or ("furniture" if _FURNITURE_CLASS.search(cls) else None)
        if role and tag not in _VOID:
            self._roles.append((tag, role))

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
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = data.strip()
            return
        if not self._skipping:
            role = self._role()
            if role and data.strip():
                self.parts.append(_ROLE_CODES[role])
            self.parts.append(re.sub(r"\s+", " ", data))  # whitespace in HTML source is not layout


_VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr"}
_CODES = re.compile("[" + "".join(_ROLE_CODES.values()) + "]")


def _html_text(raw: str) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    p = _TextExtractor()
    p.feed(_CODES.sub("", raw))
    p.close()
    text = "".join(p.parts)
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
        if reader.is_encrypted:
            raise InputError(
                f"cannot read {path}: the PDF is encrypted; export it without a password"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as ex:
        raise InputError(f"cannot read {path}: not a valid PDF ({type(ex).__name__})") from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise InputError(
            f"cannot check {path}: the PDF has no text layer (a scan?); export the copy as .docx or .txt"
        )
    return text


def _rtf_text(raw: str, path: Path) -> str:
    from striprtf.striprtf import rtf_to_text

    if not raw.lstrip().startswith("{\\rtf"):
        raise InputError(f"cannot read {path}: not an RTF file (it does not start with {{\\rtf)")
    try:
        return str(rtf_to_text(raw, errors="ignore"))  # type: ignore[no-untyped-call]
    except (ValueError, IndexError) as ex:
        raise InputError(f"cannot read {path}: malformed RTF ({type(ex).__name__})") from None


def _decode(raw: bytes, path: Path) -> str:
    """UTF-8 first; otherwise the encoding charset-normalizer finds most likely (cp1252 and
    Latin-1 exports from Word and old CMSs)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise InputError(
            f"cannot read {path}: not text in any encoding we recognise; save it as UTF-8 text"
        )
    return str(best)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and for a folder every supported file in it (sorted, not recursive into
    hidden folders). Unsupported files named explicitly are kept so they get their Error."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and _kind(f) in SUPPORTED
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                raise InputError(
                    f"cannot check {p}: the folder has no {', '.join('.' + k for k in SUPPORTED)} files"
                )
            out.extend(found)
        else:
            out.append(p)
    return out


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


def _blank_controls(text: str) -> str:
    return _CONTROL.sub(" ", text)


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
    if not p.is_file():
        raise InputError(f"cannot read {p}: no such file")
    if p.stat().st_size > max_input_bytes():
        raise too_large(p, p.stat().st_size)
    roles: tuple[tuple[int, int, str], ...] = ()
    try:
        if kind == "docx":
            text = _docx_text(p)
        elif kind == "pdf":
            text = _pdf_text(p)
        else:
            raw = read_capped(p)
            if b"\x00" in raw[:8192]:
                raise InputError(f"cannot read {p}: it looks like a binary file, not text")
            decoded = _decode(raw, p)
            if kind == "html":
                text, roles = _html_text(decoded)
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
    text = _blank_controls(text)
    if not text.strip():
        raise InputError(f"cannot check {p}: the file is empty")
    return Document(name=str(p), kind=kind, text=text, roles=roles)
