"""Normalise copy before matching: zero-width characters out, look-alike letters to Latin.

Copy pasted from design tools or written to slip past filters can hide a word such as
"c\u200bure" or "sаfe" (Cyrillic а). Offsets in findings always refer to the original text; only
the strings that are matched are normalised.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["disguised", "normalise"]

# Invisible characters that split words without showing: every format character (Unicode
# category Cf: zero-width space and joiners, word joiner, soft hyphen, byte-order mark, bidi
# controls, tag characters) and the combining grapheme joiner. Blank-looking letters (Hangul
# fillers, the braille blank) show as a space, so they become one.
_BLANK_LOOKING = dict.fromkeys(map(ord, "\u115f\u1160\u3164\uffa0\u2800"), " ")
# Cyrillic, Greek and Latin letters that look like other Latin ones (Unicode confusables, the
# common subset), and the Latin small capitals NFKC leaves alone ("\u1d04ompletely").
_LOOKALIKE = str.maketrans(
    "аеорсухіјѕԁɡӏһԛԝүԌАВЕКМНОРСТХІЈЅԚԜΑΒΕΖΗΙΚΜΝΟΡΤΥΧοανικρτυχϲϳɑıȷᴀʙᴄᴅᴇɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ",
    "aeopcyxijsdglhqwyGABEKMHOPCTXIJSQWABEZHIKMNOPTYXoavikptuxcjaijabcdeghijklmnoprstuvwyz",
)
# Trade marks: NFKC spells ™ as "TM", glued to the name ("SpravatoTM"); they say nothing.
_MARKS = dict.fromkeys(map(ord, "\u2122\u2120\u00ae"), None)
_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")


def _dropped() -> dict[int, None]:
    """Format characters (Cf) and combining marks, as a translate table (the BMP and the tag
    block hold every one copy will meet)."""
    points = [*range(0x10000), *range(0xE0000, 0xE0080)]
    return {
        cp: None
        for cp in points
        if unicodedata.category(chr(cp)) == "Cf" or unicodedata.combining(chr(cp))
    } | {0x034F: None}


_DROP = _dropped()


def _visible(text: str) -> str:
    """``text`` without invisible characters and combining marks: "sa\u0301fe" reads "safe"
    (accents carry no meaning the matcher uses, so "café" reading "cafe" costs nothing)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_MARKS))
    return decomposed.translate(_BLANK_LOOKING).translate(_DROP)


def normalise(text: str) -> str:
    """Compatibility forms folded (fullwidth, ligatures, math letters), invisible characters and
    accents removed, look-alikes mapped, typographic quotes plain, whitespace collapsed. Dashes
    used as punctuation (en/em dash) are kept."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", _visible(text)).translate(_LOOKALIKE).translate(_PUNCT)
    return _SPACE.sub(" ", text).strip()


# A word as a reader sees it: letters, digits and the invisible characters inside it.
_WORD = re.compile(r"[^\W_]+(?:[\u00ad\u200b-\u200d\u2060\ufeff\u034f]+[^\W_]+)*")
_SOFT_HYPHEN = "\u00ad"  # a hyphenation hint a page may legitimately carry


def disguised(text: str) -> list[tuple[str, str, str]]:
    """Words whose letters are not what they look like: a look-alike letter from another
    script ("ѕafe", Cyrillic ѕ), fullwidth or mathematical letters, or an invisible character
    between letters ("sa\u200bfe"). Each as (word as written, word as read, what is in it).
    A word wholly in another script (Russian copy) and accents are not disguises."""
    out: list[tuple[str, str, str]] = []
    if text.isascii():
        return out  # plain letters only: nothing can be disguised
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        read = normalise(word)
        if not read.isascii() or read == word.replace(_SOFT_HYPHEN, ""):
            continue
        odd = list(dict.fromkeys(c for c in word if not c.isascii() and _disguise(c)))
        if odd and len(read) > 1:  # a lone Greek letter ("α-blocker") is a symbol
            more = f" and {len(odd) - 3} more" if len(odd) > 3 else ""
            out.append((word, read, ", ".join(map(_describe, odd[:3])) + more))
    return out


def _disguise(c: str) -> bool:
    """A character that changes how a word is read without showing: not an accented letter
    (é reads as e, but shows as it is), a soft hyphen (a hyphenation hint) or a ligature (as
    PDFs write "ﬁ")."""
    if c == _SOFT_HYPHEN or "LIGATURE" in unicodedata.name(c, ""):
        return False
    base = unicodedata.normalize("NFD", c)[0]
    return not (base.isascii() and base != c and unicodedata.category(c).startswith("L"))


def _describe(c: str) -> str:
    name = unicodedata.name(c, "").lower() or "unnamed character"
    return f"{name} (U+{ord(c):04X})"
