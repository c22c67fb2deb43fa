"""Which markup holds the labelled sentences the reader loses? Tag names only, never the text.

reader_coverage.py counts a labelled item "lost, reader" when its words are in the file (markup
removed) but not in the text `check` reads. This finds each such item's place in the HTML file
and prints the elements open there (tag names, attribute names, and whether an attribute hides
the element: ``hidden``, ``aria-hidden``, ``display:none``, ``aria-expanded=false``), so the
shape that loses text can be reproduced with synthetic markup without reading the page. Safe
on the fresh pages: nothing of the page's words is printed, only the file's number and tags.

    python benchmarks/lost_markup.py            # every dev page and the seeds
    python benchmarks/lost_markup.py --docs 1165-1234
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import copy_accuracy as ca
from reader_coverage import classify

_TAG = re.compile(r"<[^>]*>")
_VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed"}
_HIDING = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _stripped_key(raw: str) -> tuple[str, list[int]]:
    """The file's words without markup as a copy_accuracy key, with each key character's
    offset in ``raw``."""
    chars: list[str] = []
    where: list[int] = []
    for m in re.finditer(r"<[^>]*>|[^<]+", raw):
        if m.group().startswith("<"):
            continue
        piece = m.group()
        k, w = ca._key(html.unescape(piece))
        # entities change lengths: map each key character to the piece's start (good enough
        # for locating the element that holds it)
        chars.append(k)
        where.extend(m.start() + min(x, len(piece) - 1) for x in w)
    return "".join(chars), where


class _Stack(HTMLParser):
    """The open elements at a raw offset."""

    def __init__(self, stop: int) -> None:
        super().__init__(convert_charrefs=True)
        self.stop = stop
        self.stack: list[str] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done or tag in _VOID:
            return
        marks = [k for k, _ in attrs if k not in ("class", "id", "href", "src", "style")]
        marks = [k for k in marks if not k.startswith("data-")] + sorted(
            {"data-*" for k, _ in attrs if k.startswith("data-")}
        )
        a = dict(attrs)
        if _HIDING.search(a.get("style") or ""):
            marks.append("style:HIDDEN")
        if (a.get("aria-expanded") or "").lower() == "false":
            marks.append("EXPANDED=false")
        if "hidden" in a or (a.get("aria-hidden") or "").lower() == "true":
            marks.append("HIDDEN")
        self.stack.append(f"{tag}[{','.join(marks)}]" if marks else tag)

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].split("[")[0] == tag:
                del self.stack[i:]
                break


def open_elements(raw: str, offset: int) -> list[str]:
    p = _Stack(offset)
    p.feed(raw[:offset])
    return p.stack


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", help='only these dev pages ("1165-1234")')
    args = ap.parse_args()
    dev = ca.load_set(ca.ROOT / "benchmarks" / "copy-dev", docs=args.docs)
    shapes: Counter[str] = Counter()
    for i, path in enumerate(dev.docs):
        labels = [lab for lab in dev.labels if lab.doc == i]
        classes = classify(path, labels)
        lost = [lab for lab, c in zip(labels, classes, strict=True) if c == "lost, reader"]
        if not lost:
            continue
        if path.suffix not in (".html", ".htm"):
            print(f"{path.name.split('-')[0]} {path.suffix}: {len(lost)} lost (not HTML)")
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        key, where = _stripped_key(raw)
        for lab in lost:
            k = ca._key(lab.text)[0]
            j = key.find(k)
            stack = open_elements(raw, where[j]) if j >= 0 else ["(not located)"]
            shape = " > ".join(stack[-6:])
            shapes[shape] += 1
            print(f"{path.name.split('-')[0]} {lab.label:10} {shape}")
    print("\nshapes:")
    for shape, n in shapes.most_common():
        print(f"  {n:3}  {shape}")


if __name__ == "__main__":
    main()
