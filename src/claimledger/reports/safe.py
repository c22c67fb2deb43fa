"""Making untrusted text (copy, PubMed titles, reviewer notes) inert in each output format.

Copy and PubMed records are written by others: in Markdown they must not become links, images
or HTML; in a spreadsheet they must not become formulas; on a terminal they must not move the
cursor, recolour or retitle it. One function per format, used by every renderer.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["csv_cell", "csv_row", "md_text", "terminal_text"]

# Characters Markdown (CommonMark and GFM) gives a meaning to anywhere in a line, escaped with a
# backslash: [ ] ( ) ! make links and images, | table cells, ` * _ ~ code and emphasis, & entities,
# \ itself; < and > (raw HTML, autolinks) become entities. At the start of a line # + - = and
# "1." would make headings and lists, so a leading one is escaped too.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|~&])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([#+\-=])|(\d+)([.)]))")
# GFM turns bare URLs into links; an escaped ':' or '.' keeps them plain text.
_MD_AUTOLINK = re.compile(r"(?i)(\b[a-z][a-z0-9+.\-]*):(?=//)|\b(www)\.(?=\S)")


def md_text(s: str) -> str:
    """Untrusted text as Markdown that renders as exactly that text, on one line."""
    s = terminal_text(" ".join(s.split()))
    s = _MD_SPECIAL.sub(r"\\\1", s)
    s = s.replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_AUTOLINK.sub(lambda m: f"{m.group(1)}\\:" if m.group(1) else f"{m.group(2)}\\.", s)
    return _MD_LINE_START.sub(_escape_line_start, s)


def _escape_line_start(m: re.Match[str]) -> str:
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}"
    return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"


# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> Any:
    """A text cell that would start a formula is prefixed with an apostrophe (OWASP advice);
    numbers stay numbers."""
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: csv_cell(v) for k, v in row.items()}


# ANSI/VT escape sequences (CSI, OSC, other ESC sequences, 8-bit CSI), then any other C0/C1
# control character except tab and newline.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST (or unterminated)
    r"|\x1b[ -/]*[0-~]?"  # other escape sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# Bidirectional embeddings, overrides and isolates reorder what a terminal shows (a "safe" that
# reads "efas", a file name that hides its extension): shown as their code point instead, so a
# reviewer sees the same characters the copy has.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_text(s: str) -> str:
    """Text with escape sequences and control characters removed and bidi controls made
    visible, safe to print."""
    s = _CONTROLS.sub("", _ESCAPES.sub("", s))
    return _BIDI.sub(lambda m: f"<U+{ord(m.group()):04X}>", s)
