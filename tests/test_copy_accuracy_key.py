"""The key benchmarks/copy_accuracy.py aligns labelled sentences and findings by: lower-case
ASCII letters and digits, each with its offset in the page text read, Markdown link targets left
out so a label is located by the words a reader sees and never inside an address.
All text here was written for these tests.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import copy_accuracy as ca  # type: ignore[import-not-found]

PAGE = (
    "Read [our guide to ketamine](https://example.org/ketamine-eases-pain-fast "
    '"Ketamine eases pain") first.\n'
    "See [Ketamine](https://en.wikipedia.org/wiki/Ketamine_(drug)) on Wikipedia.\n"
    "Ketamine eases pain for some people, and the kétamine page says the same.\n"
)


def test_link_targets_are_left_out_of_the_key_of_md_text() -> None:
    key, _ = ca._key(PAGE)
    assert "https" not in key and "example" not in key and "wikipedia" in key
    assert "drug" not in key  # an address with brackets inside (Wikipedia-style) is skipped whole
    assert key.startswith("readourguidetoketaminefirst")
    # the old key (--compare-key) kept the address and its title
    old, _ = ca._key(PAGE, keep_links=True)
    assert "httpsexampleorgketamineeasespainfast" in old and "ketamineeasespainfirst" in old


def test_each_key_character_maps_to_the_page_character_it_came_from() -> None:
    key, where = ca._key(PAGE)
    assert len(key) == len(where) and where == sorted(where)
    for c, i in zip(key, where, strict=True):
        folded = unicodedata.normalize("NFKD", PAGE[i]).lower()
        assert c in folded, (c, PAGE[i])
    # a span of the key maps back to the words on the page ("kétamine" keys as "ketamine")
    a = key.index("theketaminepage")
    assert PAGE[where[a] : where[a + len("theketaminepage") - 1] + 1] == "the kétamine page"


def test_a_label_is_never_located_inside_an_address() -> None:
    key, where = ca._key(PAGE)
    said = ca.Label(0, "Ketamine eases pain for some people.", "claim", "pain", None)
    only_in_address = ca.Label(0, "ketamine eases pain fast", "claim", "pain", None)
    ca._locate([said, only_in_address], key)
    assert said.key_span is not None
    a, b = said.key_span
    assert PAGE[where[a] : where[b - 1] + 1] == "Ketamine eases pain for some people"
    assert only_in_address.key_span is None
    # with the old key the address words were found, and the label scored against the link
    old, _ = ca._key(PAGE, keep_links=True)
    ca._locate([only_in_address], old, keep_links=True)
    assert only_in_address.key_span is not None
