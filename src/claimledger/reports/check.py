"""Render copy-check results: terminal text, JSON, Markdown, annotated HTML. Pure: results → str.

All copy and PubMed text in HTML goes through Jinja2 autoescaping; the page is self-contained.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from claimledger.copy.check import CheckResult, Finding
from claimledger.copy.documents import PAGE_BREAK
from claimledger.copy.normalise import disguised
from claimledger.reports.citations import pubmed_url
from claimledger.reports.safe import md_text, terminal_text
from claimledger.textutil import plural

__all__ = ["render_check"]


def _text(results: Sequence[CheckResult]) -> str:
    out: list[str] = []
    for r in results:
        s = r.summary
        out.append(
            f"{r.document}: {plural(s['claim_like_sentences'], 'claim-like sentence')}, "
            f"{s['matched']} matched, {s['not_in_library']} not in the library, "
            f"{s['flagged']} flagged, {s['unsupported']} not supported by strong or moderate evidence"
        )
        where = _locations(r.text)
        for f in r.findings:
            out.append(f"\n  {where(f.start)} [{_head(f)}]")
            if f.context:
                out.append(f'    (read with: "{f.context}")')
            out.append(f'    "{f.sentence}"')
            if f.claim_id:
                out.append(f"    grade: {f.grade}")
            elif f.candidates:
                out.append(f"    nearest: {_nearest(f)}")
            for flag in f.flags:
                basis = f" [{flag.basis}]" if flag.basis else ""
                out.append(f"    ! {flag.code}: {flag.message}{basis}")
            out.extend(f"    note: {n}" for n in disguise_notes(f))
            for ref in f.references[:3]:
                out.append(f"    ref: {ref['citation']} {ref['url']}")
        out.append("")
    return "\n".join(out)


def _head(f: Finding) -> str:
    """What the sentence was matched to, in words a writer reads at a glance."""
    if f.claim_id:
        return f"{f.claim_id} · score {f.match_score:.2f}"
    if f.other_treatment:
        return f"ABOUT ANOTHER TREATMENT ({f.other_treatment}) · not matched to this library"
    if f.about_other_treatment:  # the topic model's reading of a sentence naming none
        return "ABOUT ANOTHER TREATMENT · not matched to this library"
    topic = f" · topic {f.topic}" if f.topic else ""
    return f"NOT IN LIBRARY{topic} · best score {f.match_score:.2f}"


def disguise_notes(f: Finding) -> list[str]:
    """What a reviewer should know about words the checker read differently from how they are
    written: look-alike letters or invisible characters (they also hide a word from search,
    spell-check and screen readers, and can be put there to slip past review)."""
    return [
        f'"{written}" is read as "{read}": it contains {what}, which search, spell-check and '
        "screen readers do not read as it looks; retype the word"
        for written, read, what in disguised(f.sentence)
    ]


def _json(r: CheckResult) -> dict[str, Any]:
    """The result as JSON, each finding with the disguised words in it (see disguise_notes)."""
    d = r.to_dict()
    for fd, f in zip(d["findings"], r.findings, strict=True):
        fd["disguised"] = [
            {"written": w, "read": read, "characters": what}
            for w, read, what in disguised(f.sentence)
        ]
    return d


def _nearest(f: Finding) -> str:
    return ", ".join(f"{c['claim_id']} ({c['score']:.2f})" for c in f.candidates)


_LINE_BREAK = re.compile(r"\r\n?|\n")  # Windows, classic Mac and Unix line ends


def _locations(text: str) -> Callable[[int], str]:
    """Where an offset is, as a writer finds it: "line 12", or in a PDF's text "page 2, line 5"
    (lines counted on the page). Line and page starts are found once per document, so a long
    document with many findings costs one pass, not one per finding."""
    starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
    pages = [0, *(m.end() for m in re.finditer(PAGE_BREAK + "\n", text))]

    def where(offset: int) -> str:
        line = bisect.bisect_right(starts, offset)
        if len(pages) == 1:
            return f"line {line}"
        page = bisect.bisect_right(pages, offset)
        return f"page {page}, line {line - bisect.bisect_right(starts, pages[page - 1]) + 1}"

    return where


def _pubmed_url(ref: dict[str, str]) -> str:
    """Links in our Markdown are only ever built by us, from a numeric PMID."""
    pmid = ref.get("pmid", "")
    return pubmed_url(pmid) if pmid.isdigit() else "https://pubmed.ncbi.nlm.nih.gov/"


def _md(results: Sequence[CheckResult]) -> str:
    out: list[str] = []
    for r in results:
        s = r.summary
        out.append(f"# Copy check: {_md_escape(r.document)}\n")
        out.append(
            f"{plural(s['claim_like_sentences'], 'claim-like sentence')} · {s['matched']} matched · "
            f"{s['not_in_library']} not in the library · {s['flagged']} flagged · "
            f"{s['unsupported']} not supported by strong or moderate evidence\n"
        )
        where = _locations(r.text)
        out.append("| Line | Sentence | Claim | Grade | Flags |")
        out.append("|---|---|---|---|---|")
        for f in r.findings:
            flags = "<br>".join(
                [
                    *(
                        f"**{fl.code}**: {_md_escape(fl.message)} ({_md_escape(fl.basis)})"
                        for fl in f.flags
                    ),
                    *(f"note: {_md_escape(n)}" for n in disguise_notes(f)),
                ]
            )
            sentence = _md_escape(f.sentence)
            if f.context:  # the question or intro line it was read with, as in the text output
                sentence = f"_(read with: {_md_escape(f.context)})_<br>{sentence}"
            claim = _md_escape(_head(f))
            if not f.claim_id and f.candidates:
                claim += "<br>nearest: " + _md_escape(_nearest(f))
            out.append(
                f"| {where(f.start).removeprefix('line ')} | {sentence} | "
                f"{claim} | {_md_escape(f.grade or '')} | {flags} |"
            )
        refs = {ref["pmid"]: ref for f in r.findings for ref in f.references}
        if refs:
            out.append("\n## References\n")
            for ref in refs.values():
                out.append(f"- {_md_escape(ref['citation'])} <{_pubmed_url(ref)}>")
        out.append("")
    return "\n".join(out)


def _md_escape(s: str) -> str:
    return md_text(s)


# reports/templates/check.html, loaded from the installed package; every value it prints is
# autoescaped
_env = Environment(
    loader=PackageLoader("claimledger.reports", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
_template = _env.get_template("check.html")


def _cls(f: Finding) -> str:
    if f.claim_id is None:
        return "none"
    if any(fl.code.startswith("EVIDENCE_") for fl in f.flags) or f.unsupported:
        return "bad"
    return "warn" if f.flags else "ok"


def _parts(r: CheckResult) -> list[dict[str, Any]]:
    """The document's text cut into plain runs and findings, in order (an overlapping finding
    is left out of the marks)."""
    parts: list[dict[str, Any]] = []
    pos = 0
    for n, f in enumerate(sorted(r.findings, key=lambda f: f.start), start=1):
        if f.start < pos:
            continue
        parts.append({"text": r.text[pos : f.start], "finding": None})
        parts.append({"text": r.text[f.start : f.end], "finding": f, "n": n, "cls": _cls(f)})
        pos = f.end
    parts.append({"text": r.text[pos:], "finding": None})
    return parts


def render_html(results: Sequence[CheckResult]) -> str:
    """One self-contained page; several documents are sections of it, one after another."""
    docs = [{"r": r, "s": r.summary, "parts": _parts(r), "id": i} for i, r in enumerate(results)]
    title = results[0].document if len(results) == 1 else plural(len(results), "document")
    return _template.render(docs=docs, title=title, head=_head, notes=disguise_notes)


def render_check(results: Sequence[CheckResult], fmt: str) -> str:
    """The results in ``fmt``; the plain-text form is stripped of escape sequences for terminals."""
    if fmt == "json":
        data = [_json(r) for r in results]
        return json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return _md(results)
    if fmt == "html":
        return render_html(results)
    return terminal_text(_text(results))
