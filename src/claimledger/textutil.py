"""Small text helpers shared by stance, matching and copy checking: sentences with offsets, stems.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = [
    "MAX_SEGMENT_CHARS",
    "STOPWORDS",
    "Span",
    "content_stems",
    "plural",
    "segment",
    "sentences",
    "stem",
    "tokens",
]

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "may",
        "might",
        "must",
        "shall",
        "within",
        "via",
        "per",
        "among",
        "upon",
        "whether",
        "however",
        "thus",
        "therefore",
        "eg",
        "ie",
        "vs",
        "et",
        "al",
    ]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-']*|\d+(?:\.\d+)?")
_ABBREV = re.compile(
    r"\b(?:e\.g|i\.e|vs|et al|approx|fig|no|dr|mr|mrs|ms|prof|jr|sr|st|ca|cf|resp|incl|inc|ltd|co|corp)\.$",
    re.I,
)
_INITIAL = re.compile(r"\b[A-Z]\.$")
_ABBREV_TAIL = 16  # longer than any abbreviation above plus the character before it
_SUFFIXES = (
    "ational",
    "ization",
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ities",
    "ity",
    "ings",
    "ing",
    "ies",
    "ied",
    "ives",
    "ive",
    "ers",
    "er",
    "ed",
    "es",
    "ly",
    "al",
    "s",
)


# the suffixes by their last letter, in _SUFFIXES's order: a word is tried only against those
# it may end with (stem is called for every word of every page)
_SUFFIXES_BY_LAST = {
    c: tuple(x for x in _SUFFIXES if x.endswith(c)) for c in {x[-1] for x in _SUFFIXES}
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    label: str | None = None  # the abstract section label the sentence sits in, if any


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 claim', '2 claims': counts in messages agree with their nouns."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


@cache
def stem(word: str) -> str:
    """A crude suffix-stripping stem: enough to match 'reduces'/'reduced'/'reduction' loosely."""
    w = word.lower().strip("'-")
    for suf in _SUFFIXES_BY_LAST.get(w[-1:], ()):  # only those a word ending so can end with
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


# Acronyms the literature and copy use interchangeably with their long forms.
ACRONYMS = {
    "ptsd": "post-traumatic stress disorder",
    "trd": "treatment-resistant depression",
    "mdd": "major depressive disorder",
    "ocd": "obsessive-compulsive disorder",
    "bdnf": "brain-derived neurotrophic factor",
    "nmda": "n-methyl-d-aspartate",
    "nmdar": "n-methyl-d-aspartate receptor",
    "mtor": "mammalian target of rapamycin",
    "gad": "generalized anxiety disorder",
    "crps": "complex regional pain syndrome",
    "si": "suicidal ideation",
    "iv": "intravenous",
    "bp": "blood pressure",
    "gaba": "gamma-aminobutyric acid",
    "ssri": "selective serotonin reuptake inhibitor",
}
_LONG_FORMS = {v: k for k, v in ACRONYMS.items()}
_ACRONYM_RX = re.compile(r"\b(" + "|".join(ACRONYMS) + r")s?\b")  # one pass finds them all


_LOW_WORD = re.compile(r"[a-z][a-z0-9\-']*|\d+(?:\.\d+)?")  # _WORD on lower-cased ASCII


def content_stems(text: str) -> set[str]:
    """Stems of the content words; hyphenated words count whole and by their parts, and known
    acronyms count with their long forms (and long forms with their acronyms)."""
    low = text.lower()
    found = {m.group(1) for m in _ACRONYM_RX.finditer(low)}
    extra = [long for short, long in ACRONYMS.items() if short in found] if found else []
    spelled = low.replace("posttraumatic", "post-traumatic")
    extra += [short for long, short in _LONG_FORMS.items() if long in spelled]
    if text.isascii():  # lower-casing ASCII moves no letter in or out of _WORD: one pass
        words = _LOW_WORD.findall(f"{low} {' '.join(extra)}" if extra else low)
    else:
        words = tokens(text + " " + " ".join(extra) if extra else text)
    parts = [p for t in words for p in ((t, *t.split("-")) if "-" in t else (t,))]
    return {stem(p) for p in parts if p not in STOPWORDS and len(p) > 1}


# a cut after . ! or ? before a capital, digit or opening quote; or after a closing quotation
# mark before a dash attribution ("... my life back." — Dana R.)
_SPLIT = re.compile(
    r"(?<=[.!?])[\"')\]”’]*\s+(?=[\"'(\[“‘]?[A-Z0-9])|(?<=[\"”])\s+(?=[—–]\s?[A-Z])"
)
_LABEL = re.compile(r"^([A-Z][A-Z /&,-]{1,60}):\s+")


def _split(body: str, closers: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) of the sentences of one line or paragraph: a cut after . ! or ? (and any
    closing quote or bracket) before a capital, digit or opening quote, except after an
    abbreviation or an initial. The one rule both abstracts and copy are split by. ``closers``:
    the closing quote or bracket stays with the sentence it closes ('"... drowning in it."'; copy
    reads quotations by their marks); abstracts' recorded spans end at the stop."""
    start = 0
    for cut in _SPLIT.finditer(body):
        # only the end can be an abbreviation: look at the tail, never re-copy the sentence
        tail = body[max(start, cut.start() - _ABBREV_TAIL) : cut.start()].rstrip()
        if _ABBREV.search(tail) or _INITIAL.search(tail):
            continue
        end = cut.start()
        if closers:
            end += len(cut.group()) - len(cut.group().lstrip("\"')]”’"))
        candidate = body[start:end].rstrip()
        if candidate.strip():
            yield start, start + len(candidate)
        start = cut.end()
    tail = body[start:].rstrip()
    if tail.strip():
        yield start, start + len(tail)


def sentences(text: str) -> Iterator[Span]:
    """Sentences of a stored abstract with character offsets into it.

    Abstract sections are stored one per line as 'LABEL: text'; the label is reported, not
    included in the sentence span.
    """
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        label = None
        offset = 0
        m = _LABEL.match(line)
        if m:
            label = m.group(1).strip()
            offset = m.end()
        body = line[offset:]
        for a, b in _split(body):
            s = line_start + offset + a
            yield Span(s, s + (b - a), body[a:b], label)


# --- copy: paragraphs, then sentences with offsets -----------------------------------------------


@cache
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


_LIST_ITEM = re.compile(r"^\s*([-*+•]|\d+[.)])\s+")
_NUMBERED = re.compile(r"[ \t]*(\d{1,3}[.)])[ \t]+(?=\S)")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s")
_TERMINAL = re.compile(r"[.!?:;\"')\]]\s*$")


_QUOTE_RULE = re.compile(r"^\s*>[\s>]*$")  # a blockquote's blank line: its paragraphs' break
_QUOTED_ITEM = re.compile(r"^\s*(>\s*)+([-*+•]|\d+[.)])\s+")  # "> - a list inside a quotation"
_FIRST_WORD = re.compile(r"\S+")


WRAP_SLACK = 0.8
_NEAR = 2  # lines each side of a line break that say how wide this stretch of text is wrapped


def _full(lines: list[str], i: int) -> bool:
    """Line ``i - 1`` was filled: the first word of line ``i`` would not have fitted on it at the
    width of the lines near it (a paragraph is measured by its own lines, not the page's: a page
    may mix long unwrapped paragraphs with text wrapped at 72), as when an editor wraps."""
    near = [len(ln.rstrip()) for ln in lines[max(0, i - 1 - _NEAR) : i + 1 + _NEAR] if ln.strip()]
    word = _FIRST_WORD.search(lines[i])
    prev = len(lines[i - 1].rstrip())
    return prev + 1 + (len(word.group()) if word else 0) > WRAP_SLACK * max(near, default=0)


_ATTRIBUTION = re.compile(r"^[\s>]*(—|–|--)\s")  # "— Sam, client since spring"
_SMALL_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"]
)


def _title_case(line: str) -> bool:
    """A headline ("What To Expect", "Calm Within A Day"): two words or more, each capitalised
    but the small ones, and no terminal punctuation."""
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    return (
        len(words) >= 2
        and not _TERMINAL.search(line)
        and all(w[0].isupper() or w in _SMALL_WORDS for w in words)
        and words[0][0].isupper()
    )


# a line of fields ("u/foggy_otter · 412 points", "Returns | Privacy"): not words of a sentence
_FIELDS = re.compile(r"\s[·|•]\s")
# a greeting or sign-off: three words at most, ending in a comma ("Dear friend,", "Warmly,")
_SALUTATION = re.compile(r"^\W*\w+(\s+\w+){0,2},$")
# a line that carries its sentence on: it ends in a comma, hyphen or linking word, or the next
# one starts with one ("...that usually passes within an hour" / "or two of the infusion")
_CARRIES_ON = re.compile(r"([,\-–—]|\b(a|an|and|at|by|for|from|in|of|on|or|the|to|with))\s*$", re.I)
_CARRIED_ON = re.compile(
    r"^[\s>]*(and|or|but|of|to|with|that|which|who|than|as|from|by|for|in|on|at|so|because)\b"
)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t>"))


def _ended_early(lines: list[str], i: int, in_list: bool, kind: str) -> bool:
    """Positive evidence that line ``i - 1`` ended before its paragraph did: it is an item of a
    list written without markers under an intro line (``in_list``) and does not carry its
    sentence on to line ``i``; it is a line of fields, or a greeting or sign-off over a capital;
    it is a title-case headline that ends short of the lines near it, or (Markdown) an intro
    line or a headline over a line starting with a capital or a digit; or line ``i`` is an
    attribution under a quotation."""
    prev, line = lines[i - 1].strip(), lines[i].lstrip(" \t>")
    if in_list and not (_CARRIES_ON.search(prev) or _CARRIED_ON.match(lines[i])):
        return True
    if _ATTRIBUTION.match(lines[i]) and _TERMINAL.search(prev):
        return True
    if not _TERMINAL.search(prev) and _FIELDS.search(prev):
        return True
    if _SALUTATION.match(prev) and line[:1].isupper():  # "Warmly," over the name signing
        return True
    if _title_case(prev) and not _full(lines, i):
        return True
    if kind != "md":
        return False
    return prev.endswith(":") or (_title_case(prev) and (line[:1].isupper() or line[:1].isdigit()))


def _joins(lines: list[str], i: int, in_list: bool, kind: str) -> bool:
    """Line ``i`` continues the paragraph of line ``i - 1``. In Markdown a line break inside a
    paragraph is a space unless the line before ended early (_ended_early). In text, a line
    continues the one before if that has no terminal punctuation and the line starts in lower
    case, or with a digit after a filled line ending in a lower-case word or a comma
    ("...approved by the FDA in" / "1970 as an anaesthetic"; not a timetable's "10:30 Talk")."""
    if _ended_early(lines, i, in_list, kind):
        return False
    if kind == "md":
        return True
    prev = lines[i - 1].rstrip()
    if kind in ("html", "docx") or _TERMINAL.search(prev):
        return False
    first = lines[i].strip()[:1]
    return first.islower() or (
        first.isdigit() and RUNS_ON.search(prev) is not None and _full(lines, i)
    )


# a line whose words run on into the next: a lower-case word or a comma last ("...approved by the
# FDA in", "...of 2,"; also read by documents.py for a button link inside a sentence)
RUNS_ON = re.compile(r"(\b[a-z][\w'’-]*|,)\s*$")


def _intro(line: str) -> bool:
    """A line a list may hang under: it ends with a colon ("You may notice:"), or is a heading
    in capitals ("WHO SHOULD NOT HAVE KETAMINE?") or in title case."""
    letters = re.sub(r"[^A-Za-z]", "", line)
    return line.endswith(":") or (len(letters) > 3 and letters.isupper()) or _title_case(line)


def _blocks(
    text: str, kind: str, rows: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset()
) -> Iterator[tuple[int, int]]:
    """Paragraph ranges: a blank line, heading or list item starts a new block; a wrapped line
    joins the one before (_joins). A line ended early starts a block of its own: a list written
    without markers under an intro line, a headline over its paragraph, a quotation over its
    attribution."""
    start: int | None = None
    end = 0
    prev_line = ""
    pos = 0
    lines = text.split("\n")
    # under an intro line ("You may notice:") until the list's blank line or a line that is no item
    in_list = items = False
    prev_row = False
    intro = 0  # the intro line's indent
    for i, line in enumerate(lines):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        stripped = line.strip()
        if kind == "md" and _QUOTE_RULE.match(line):
            stripped = ""
        if not stripped and items:
            in_list = items = False
        table = kind == "md" and (stripped.startswith("|") or prev_line.strip().startswith("|"))
        table = table or (line_start, line_end) in rows or prev_row  # a row without outer bars
        prev_row = (line_start, line_end) in rows
        new_block = (
            not stripped
            or table  # a Markdown table row is a line of its own ("| Success rate | 90% |")
            or _MD_HEADING.match(line) is not None
            or _LIST_ITEM.match(line) is not None
            or (kind == "md" and _QUOTED_ITEM.match(line) is not None)
            or start is None
            or _MD_HEADING.match(prev_line) is not None
            or not _joins(lines, i, in_list and items, kind)
        )
        if new_block and start is not None:
            yield start, end
            start = None
        if stripped:
            if start is None:
                start = line_start
            end = line_end
            # an item starts in lower case or is indented under the intro; a line that does
            # neither ends the list (prose after a colon or a heading is not a list)
            in_list = in_list and (stripped[:1].islower() or _indent(line) > intro)
            items = in_list
            if kind not in ("html", "docx") and not in_list and _intro(stripped):
                in_list, intro = True, _indent(line)
        prev_line = line if stripped else ""
    if start is not None:
        yield start, end


# A table written without bars at the ends of its rows ("Feature | Ketamine | TMS", as GitHub
# Markdown allows and plain-text copy often has): a header over a delimiter row ("--- | ---"),
# or a run of at least MIN_BARE_ROWS lines with the same number of " | " separators (a blank
# line may sit between rows) under a header of column names (a few words each, no figure or
# sentence end) and with no quotation or copyright mark. A lone line of fields ("Home | Pricing
# | Contact", a byline "By Dr. Lee | Updated May") is no table; nor are testimonials signed
# '"I felt like myself again." — Maria | Austin' or a footer of fields ("© 2026 Harbor | Terms").
MIN_BARE_ROWS = 3
HEADER_CELL_WORDS = 6
_NOT_A_HEADER_CELL = re.compile(r"\d|[.!?](\s|$)|\$")


def names_a_column(cell: str) -> bool:
    """A header cell names a column in a few words; a figure, a price or a sentence end makes
    it data ("Basic | 4 infusions | $1,890")."""
    c = cell.strip()
    return not _NOT_A_HEADER_CELL.search(c) and len(c.split()) <= HEADER_CELL_WORDS


_NOT_A_ROW = re.compile('["“”©]')
_BARE_SEPARATOR = re.compile(r"\s\|\s")
_DELIMITER_ROW = re.compile(r"\s*:?-{3,}:?(\s*\|\s*:?-{3,}:?)+\s*")


def _labels_rows(text: str, run: list[tuple[int, int]]) -> bool:
    """The run's first line names columns and no line quotes anyone or is a copyright line."""
    header = text[run[0][0] : run[0][1]].split("|")
    return all(names_a_column(c) for c in header) and not any(
        _NOT_A_ROW.search(text, a, b) for a, b in run
    )


def bare_table_rows(text: str) -> list[list[tuple[int, int]]]:
    """The tables written without outer bars: for each, its rows' line spans (header first)."""
    if " |" not in text:
        return []
    tables: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    bars = 0
    blank = 0  # blank lines since the run's last row
    pos = 0

    def close() -> None:
        delimited = len(run) >= 2 and _DELIMITER_ROW.fullmatch(text, *run[1]) is not None
        if delimited or (len(run) >= MIN_BARE_ROWS and _labels_rows(text, run)):
            tables.append(list(run))

    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        stripped = line.strip()
        if not stripped:
            blank += 1
            if blank > 1 and run:
                close()
                run = []
            continue
        n = len(_BARE_SEPARATOR.findall(line)) if not stripped.startswith("|") else 0
        n = stripped.count("|") if _DELIMITER_ROW.fullmatch(line) else n
        if n and run and n == bars:
            run.append((a, b))
        else:
            if run:
                close()
            run, bars = ([(a, b)], n) if n else ([], 0)
        blank = 0
    if run:
        close()
    return tables


def segment(text: str, kind: str = "txt") -> Iterator[tuple[int, int, str]]:
    """Sentences of copy with offsets into ``text``. Paragraphs are found first (see _blocks),
    cut into pieces pysbd handles in linear time (_chunks), then split by pysbd and by the rule
    abstracts are split by (_split); offsets always point at the original characters."""
    if kind == "md":  # comments, code and metadata are not copy; blanked, no offset moves
        text = _blank_md_code(_blank_md_front_matter(_blank_md_comments(text)))
        text = _RULE.sub(lambda m: _blank(m.group()), text)
        text = _INLINE_TAG.sub(lambda m: _blank(m.group()), text)
        text = _STRONG.sub(lambda m: f"  {m.group(2) or m.group(4)}  ", text)
    bare = {row for table in bare_table_rows(text) for row in table}
    for b_start, b_end in _blocks(text, kind, bare):
        if _TABLE_ROW.fullmatch(text, b_start, b_end) or (b_start, b_end) in bare:
            # a table row is one item whatever its cells' punctuation ("| How fast? | Hours |
            # Weeks |"): its cells read together, under the header row, as a label joins them
            yield b_start, b_end, text[b_start:b_end]
            continue
        # "1. Two preparation sessions ...": the item's number opens its first sentence; both
        # splitters would cut after "1." (a full stop before a capital)
        number = _NUMBERED.match(text, b_start, b_end)
        for c_start, c_end in _chunks(text, number.end() if number else b_start, b_end):
            block = text[c_start:c_end]
            if kind == "md":  # a quotation's markers on the lines it continues over are not words
                block = _QUOTE_MARKS.sub(lambda m: " " * len(m.group()), block)
            block = block.replace("\n", " ")
            cursor = 0
            for sent in _pysbd_sentences(block):
                s = sent.strip()
                if not s:
                    continue
                i = block.find(s, cursor)
                if i < 0:
                    continue
                cursor = i + len(s)
                for a, b in _glued(s, _split(s, closers=True)):  # pysbd keeps quotes whole
                    a, b = c_start + i + a, c_start + i + b
                    if number:
                        a, number = number.start(1), None
                    yield a, b, text[a:b]


# one line of a table with two or more cells between bars, as Markdown writes a row and the HTML
# and .docx readers write one ("| Onset | Hours | Weeks |"); not a line of fields ("Privacy |
# Terms"), which has no bar at both ends
_TABLE_ROW = re.compile(r"[ \t]*\|[^\n]*\|[^\n]*\|[ \t]*")
_QUOTE_MARKS = re.compile(r"(?<=\n)[ \t]*(>[ \t]?)+")
# a full stop run into the next sentence with no space, as text copied from a web page often is
# ("...being studied.Panic attacks stop..."): a cut after a word of two or more lower-case letters
_GLUED = re.compile(r"(?<=[a-z]{2}[.!?])[\"')\]”’]*(?=[A-Z][a-z])")
# a scraped "read on" link run into the text it leads to, with no stop or space between
# ("Continue ReadingEsketamine Nasal Spray: ..."): the link is a button, not part of the sentence.
# It may follow a list marker or an invisible character ("- Read More...", a zero-width space),
# another button ("Continue ReadingContinue Reading...") or be followed by one, and what it leads
# to may begin with an acronym or a capital outside ASCII ("Learn MoreMDMA", "Read MoreÉtude"):
# _capital_after tells that what follows begins a new line
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_READ_ON = re.compile(
    rf"[\W_]*?(?i:continue reading|read more|learn more|read on)[{_INVISIBLE}]*(?=[^\W\d_])"
)


def _capital_after(s: str, i: int) -> bool:
    """A capital starts a new line at ``s[i]``: followed by a lower-case letter ("Ketamine",
    "Étude"), or after a button ending in lower case ("MoreMDMA"); "READ ONE" is a sentence."""
    if not s[i].isupper():
        return False
    before = s[i - 1] if s[i - 1] not in _INVISIBLE else s[i - 2]
    return (i + 1 < len(s) and s[i + 1].islower()) or before.islower()


# a web address or e-mail around the full stop ("www.Example.org", "clinic.Com", "care@x.Org")
_ADDRESS = re.compile(r"www|[/@]|\.\w+\.|\.(com|org|net|edu|gov|info|biz|io|us|co)\b", re.I)
_CAMEL = re.compile(r"[a-z][A-Z]")  # a brand written with a capital inside ("KetaCare.Health")


def _token_at(s: str, i: int) -> str:
    """The run of characters without a space around position ``i`` of ``s``."""
    left = s.rfind(" ", 0, i) + 1
    right = s.find(" ", i)
    return s[left : right if right >= 0 else len(s)]


def _glued(s: str, pieces: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """``pieces`` of ``s``, each also cut after a "read on" link glued to its text at the
    piece's start (_READ_ON), and where one sentence runs into the next (_GLUED), except
    after an abbreviation ("vs.The", "Mrs.Jones") or inside a web address, an e-mail address or
    a brand written with a capital inside ("www.Example.org", "KetaCare.Health")."""
    for a, b in pieces:
        m = _READ_ON.match(s, a, b)
        while m and _capital_after(s, m.end()):
            yield a, m.end()
            a = m.end()
            m = _READ_ON.match(s, a, b)
        for m in _GLUED.finditer(s, a, b):
            token = _token_at(s, m.start() - 1)
            word = token[: token.find(".") if "." in token else len(token)]
            if (
                m.end() - a >= 2
                and not _ABBREV.search(s[max(a, m.start() - _ABBREV_TAIL) : m.start()])
                and not _ADDRESS.search(token)
                and not _CAMEL.search(word)
            ):
                yield a, m.end()
                a = m.end()
        yield a, b


def _pysbd_sentences(block: str) -> list[str]:
    """pysbd's sentences without its offset pass, which re-scans the text once per sentence
    (quadratic for many short, alike sentences); segment() finds offsets in one forward pass."""
    if not block:
        return []
    sents: list[str] = _segmenter().processor(block).process()
    return sents


def _blank_md_comments(text: str) -> str:
    """Blank every <!-- ... --> (an unclosed one runs to the end), one pass, keeping offsets."""
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        end = len(text) if end < 0 else end + 3
        out.append(text[pos:start])
        out.append(re.sub(r"[^\n]", " ", text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _blank(s: str) -> str:
    return re.sub(r"[^\n]", " ", s)


_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\n(.*?\n)(---|\.\.\.|\+\+\+)[ \t]*(\n|\Z)", re.S)
_FIELD = re.compile(r"[ \t]*[\w-]+[ \t]*[:=]")
# front-matter fields a static-site generator prints on the page: their values are copy
_SHOWN_FIELD = re.compile(
    r"^([ \t]*(title|subtitle|description|summary|excerpt|headline)[ \t]*[:=][ \t]*[\"']?)"
    r"(.*?)([\"']?[ \t]*)$",
    re.I,
)


def _blank_md_front_matter(text: str) -> str:
    """YAML (---) or TOML (+++) front matter blanked, except the values of the fields a page
    shows (title, description...), which stay where they are, one line each."""
    m = _FRONT_MATTER.match(text)
    if not m or not _FIELD.match(m.group(2).lstrip("\n")):  # a rule over prose is not metadata
        return text
    lines = []
    for line in text[: m.end()].split("\n"):
        shown = _SHOWN_FIELD.match(line)
        if shown and shown.group(3).strip():
            key, value, tail = shown.group(1), shown.group(3), shown.group(4)
            lines.append(_blank(key) + value + _blank(tail))
        else:
            lines.append(_blank(line))
    return "\n".join(lines) + text[m.end() :]


# a thematic break (---, ***, ___) or a setext heading's underline (===, ---): a line of its own
# that ends the paragraph above, never words of it
_RULE = re.compile(r"^[ ]{0,3}([-*_=])([ \t]*\1){2,}[ \t]*$", re.M)
# inline HTML in Markdown ("completely <em>safe</em>", "<br>"): markup, not words of the sentence
_INLINE_TAG = re.compile(r"</?[A-Za-z][\w:-]*(\s[^<>]*)?/?>")
# strong emphasis ("**Is it safe?**", "__never__"): markup, as an HTML <strong> is; a question
# in bold is still a question, and a bold line still ends where its words end; "__" inside a word
# ("snake__case__name") is not emphasis (CommonMark)
_STRONG = re.compile(r"(\*\*)(?=\S)([^\n]*?\S)\*\*|(?<!\w)(__)(?=\S)([^\n]*?\S)__(?!\w)")
_FENCE = re.compile(r"^[ ]{0,3}(```+|~~~+)", re.M)


def _blank_md_code(text: str) -> str:
    """Fenced code blocks (``` or ~~~, an unclosed one runs to the end) blanked: not prose."""
    out: list[str] = []
    pos = 0
    while m := _FENCE.search(text, pos):
        fence = re.escape(m.group(1)[0]) + "{" + str(len(m.group(1))) + ",}"
        close = re.compile(r"^[ ]{0,3}" + fence + r"[ \t]*$", re.M)
        end_line = text.find("\n", m.end())
        c = close.search(text, len(text) if end_line < 0 else end_line + 1)
        end = len(text) if c is None else c.end()
        out.append(text[pos : m.start()])
        out.append(_blank(text[m.start() : end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


# pysbd's time grows faster than linearly with the length of what it is given, so a paragraph
# longer than this is cut at a sentence end (or a space, or anywhere) into pieces it handles fast.
MAX_SEGMENT_CHARS = 5000
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s")


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Ranges of at most MAX_SEGMENT_CHARS covering text[start:end], cut where a sentence ends."""
    while end - start > MAX_SEGMENT_CHARS:
        window = text[start : start + MAX_SEGMENT_CHARS]
        cut = 0
        for m in _SENTENCE_END.finditer(window, MAX_SEGMENT_CHARS // 2):
            cut = m.end()
        if not cut:
            space = max(window.rfind(" "), window.rfind("\n"))
            cut = space + 1 if space > 0 else MAX_SEGMENT_CHARS
        yield start, start + cut
        start += cut
    if end > start:
        yield start, end
