"""The reviewer's report: an index of claims with an evidence map, and one dossier page per claim.

Pure rendering: dossiers in, files' contents out (a dict of relative path → text). Everything is
self-contained (inline CSS, inline SVG, no scripts, no CDN) and every string from PubMed or from
copy goes through Jinja2 autoescaping.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from claimledger.reports.citations import ama_citation, pmids_text, pubmed_url, shown_pmids
from claimledger.reports.dossier import Dossier
from claimledger.reports.safe import csv_row, md_text
from claimledger.textutil import plural

__all__ = ["ClaimPage", "evidence_map_svg", "render_report"]

LEVELS = ("L1", "L2", "L3", "L4", "L5")


class ClaimPage:
    """A dossier plus its audit history, as the report shows it."""

    def __init__(self, dossier: Dossier, audit: list[dict[str, Any]]) -> None:
        self.d = dossier
        self.audit = audit

    @property
    def grade_label(self) -> str:
        return self.d.grade_label

    @property
    def grade_class(self) -> str:
        """CSS class of the grade ("" when not graded yet)."""
        return str(self.d.grade.grade) if self.d.grade else ""

    @property
    def status(self) -> list[str]:
        out = []
        if self.d.provisional:
            out.append("provisional")
        if self.d.stale:
            out.append("stale")
        return out

    def row(self) -> dict[str, Any]:
        counts = self.d.counts
        return {
            "claim_id": self.d.claim.id,
            "statement": self.d.claim.statement,
            "topic": self.d.claim.topic,
            "version": self.d.claim.version,
            "grade": self.grade_label,
            "provisional": self.d.provisional,
            "stale": self.d.stale,
            "approval": self.d.approval_status,
            "last_refresh": self.d.last_refresh or "",
            "last_import": self.d.last_import or "",
            "linked_records": len(self.d.rows),
            **{f"supports_{lv}": counts[lv]["supports"] for lv in LEVELS},
            **{f"contradicts_{lv}": counts[lv]["contradicts"] for lv in LEVELS},
            "retracted_linked": sum(1 for r in self.d.rows if r.article.retracted),
        }


def evidence_map_svg(pages: Sequence[ClaimPage]) -> str:
    """Claims by design level: supporting evidence to the right (green), contradicting to the left (red)."""
    row_h, label_w, cell_w, top = 22, 300, 110, 40
    width = label_w + cell_w * len(LEVELS) + 20
    height = top + row_h * len(pages) + 30
    mx = max(
        [1]
        + [
            max(p.d.counts[lv]["supports"], p.d.counts[lv]["contradicts"])
            for p in pages
            for lv in LEVELS
        ]
    )
    half = cell_w / 2 - 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="12">',
        "<title>Evidence map: claims by design level, supporting against contradicting</title>",
    ]
    short = {
        "L1": "reviews, guidelines",
        "L2": "RCTs",
        "L3": "cohort, observational",
        "L4": "case-control, cases",
        "L5": "animal, opinion",
    }
    for i, lv in enumerate(LEVELS):
        x = label_w + i * cell_w
        parts.append(
            f'<text x="{x + cell_w / 2}" y="{top - 22}" text-anchor="middle" font-weight="600">{lv}</text>'
        )
        parts.append(
            f'<text x="{x + cell_w / 2}" y="{top - 8}" text-anchor="middle" fill="#666" font-size="10">{short[lv]}</text>'
        )
    for r, p in enumerate(pages):
        y = top + r * row_h
        if r % 2 == 0:
            parts.append(f'<rect x="0" y="{y}" width="{width}" height="{row_h}" fill="#f6f7f9"/>')
        parts.append(f'<text x="6" y="{y + 15}">{escape(p.d.claim.id[:44])}</text>')
        for i, lv in enumerate(LEVELS):
            cx = label_w + i * cell_w + cell_w / 2
            s = p.d.counts[lv]["supports"]
            c = p.d.counts[lv]["contradicts"]
            if s:
                w = max(2.0, half * s / mx)
                parts.append(
                    f'<rect x="{cx}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" fill="#2a8a47"><title>{s} supporting at {lv}</title></rect>'
                )
            if c:
                w = max(2.0, half * c / mx)
                parts.append(
                    f'<rect x="{cx - w:.1f}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" fill="#c33"><title>{c} contradicting at {lv}</title></rect>'
                )
    for i in range(len(LEVELS)):  # axis lines drawn over the row shading
        cx = label_w + i * cell_w + cell_w / 2
        parts.append(
            f'<line x1="{cx}" y1="{top}" x2="{cx}" y2="{top + row_h * len(pages)}" stroke="#bbb"/>'
        )
    ly = top + row_h * len(pages) + 18
    parts.append(
        f'<rect x="6" y="{ly - 10}" width="10" height="10" fill="#2a8a47"/><text x="20" y="{ly}">supporting</text>'
    )
    parts.append(
        f'<rect x="110" y="{ly - 10}" width="10" height="10" fill="#c33"/><text x="124" y="{ly}">contradicting</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


# Templates are files in reports/templates/ (loaded from the installed package); every value they
# print is autoescaped.
_env = Environment(
    loader=PackageLoader("claimledger.reports", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
_env.globals["plural"] = plural
_env.globals["shown_pmids"] = shown_pmids


def _flags_text(r: Any) -> str:
    a = r.article
    parts = [
        n
        for n, on in (
            ("retracted", a.retracted),
            ("expression of concern", a.expression_of_concern),
            ("erratum published", a.erratum),
            ("deleted from PubMed", r.deleted),
        )
        if on
    ]
    return ", ".join(parts)


def _html(pages: Sequence[ClaimPage], generated: str, rubric: str) -> dict[str, str]:
    out = {
        "index.html": _env.get_template("index.html").render(
            pages=pages,
            levels=LEVELS,
            generated=generated,
            rubric=rubric,
            svg=Markup(evidence_map_svg(pages)),
        )
    }
    order = {"supports": 0, "contradicts": 1, "inconclusive": 2, "not-relevant": 3}
    for p in pages:
        rows = sorted(
            p.d.rows, key=lambda r: (order.get(r.stance, 9), r.design_level, r.article.pmid)
        )
        alerts = [
            r
            for r in p.d.rows
            if r.article.retracted
            or r.article.expression_of_concern
            or r.article.erratum
            or r.deleted
        ]
        out[f"claims/{p.d.claim.id}.html"] = _env.get_template("dossier.html").render(
            p=p,
            d=p.d,
            rows=rows,
            alerts=alerts,
            url=pubmed_url,
            cite=ama_citation,
            flags_text=_flags_text,
        )
    return out


def _md(pages: Sequence[ClaimPage], generated: str) -> str:
    esc = md_text

    lines = [
        f"# Evidence report ({generated})",
        "",
        "| Claim | Grade | Supporting L1–L5 | Contradicting L1–L5 | Status | Approval | Last refresh |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in pages:
        c = p.d.counts
        lines.append(
            f"| {p.d.claim.id} | {p.grade_label} | {' · '.join(str(c[lv]['supports']) for lv in LEVELS)} | "
            f"{' · '.join(str(c[lv]['contradicts']) for lv in LEVELS)} | {', '.join(p.status)} | {esc(p.d.approval_status)} | {p.d.evidence_date} |"
        )
    for p in pages:
        lines += [
            "",
            f"## {p.d.claim.id}",
            "",
            esc(p.d.claim.statement),
            "",
            f"Grade: **{p.grade_label}** {', '.join(p.status)}",
            "",
        ]
        lines += [
            f"- `{st.rule}`: {esc(st.detail)}"
            + (f" (PMIDs {pmids_text(st.pmids)})" if st.pmids else "")
            for st in p.d.trace
        ]
        for r in p.d.rows:
            if r.stance in ("supports", "contradicts"):
                lines.append(f"- {r.stance} · {r.design_level}: {esc(ama_citation(r.article))}")
    return "\n".join(lines) + "\n"


def _csv(pages: Sequence[ClaimPage]) -> str:
    rows = [p.row() for p in pages]
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(csv_row(r) for r in rows)
    return buf.getvalue()


def render_report(
    pages: Sequence[ClaimPage], fmt: str, generated: str, rubric: str
) -> dict[str, str]:
    """Files for the report in the given format, keyed by path relative to the output directory."""
    if fmt == "html":
        return _html(pages, generated, rubric)
    if fmt == "md":
        return {"report.md": _md(pages, generated)}
    if fmt == "csv":
        return {"claims.csv": _csv(pages)}
    data = {
        "generated": generated,
        "rubric_version": rubric,
        "claims": [{**p.d.to_dict(), "audit": p.audit} for p in pages],
    }
    return {"report.json": json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"}
