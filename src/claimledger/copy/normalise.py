"""Normalise copy before matching: zero-width characters out, look-alike letters to Latin.

Copy pasted from design tools or written to slip past filters can hide a word such as
"c\u200bure" or "sаfe" (Cyrillic а). Offsets in findings always refer to the original text; only
the strings that are matched are normalised.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise"]

# Invisible characters that split words without showing.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u034f"), None
)
# Cyrillic and Greek letters that look like Latin ones (Unicode confusables, the common subset).
_LOOKALIKE = str.maketrans(
    "аеорсухіјѕԁɡӏһԛԝАВЕКМНОРСТХІЈЅΑΒΕΖΗΙΚΜΝΟΡΤΥΧοαν",
    "aeopcyxijsdglhqwABEKMHOPCTXIJSABEZHIKMNOPTYXoav",
)
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


def normalise(text: str) -> str:
    """NFKC, invisible characters removed, look-alikes mapped, typographic quotes plain,
    whitespace collapsed. Dashes used as punctuation (en/em dash) are kept."""
    s = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_LOOKALIKE)
    return _SPACE.sub(" ", s.translate(_PUNCT)).strip()
