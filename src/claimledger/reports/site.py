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

from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

from claimledger.reports.citations import ama_citation, pubmed_url
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


_CSS = """
body{font:14px/1.5 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
table{border-collapse:collapse;width:100%;margin:12px 0}th,td{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f4f4f7}.strong,.moderate{color:#1d6b36;font-weight:600}.limited,.insufficient{color:#8a6d00;font-weight:600}
.contested,.contradicted{color:#b32020;font-weight:600}.tag{display:inline-block;padding:0 6px;border-radius:8px;background:#eee;margin-right:4px;font-size:12px}
.alert{background:#fde8e8;border-left:4px solid #c33;padding:6px 10px;margin:6px 0}.muted{color:#666}code{font-size:12px}
"""

_INDEX = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>claimledger report</title><style>{{ css }}</style></head><body>
<h1>Evidence report</h1>
<p class="muted">{{ plural(pages|length, "claim") }} · generated {{ generated }} · {{ rubric }}</p>
<h2>Evidence map</h2>
<figure>{{ svg }}</figure>
<h2>Claims</h2>
<table id="claims"><thead><tr><th>Claim</th><th>Grade</th><th>Supporting by level (L1–L5)</th><th>Contradicting by level (L1–L5)</th><th>Status</th><th>Approval</th><th>Last refresh</th></tr></thead><tbody>
{% for p in pages %}{% set c = p.d.counts %}<tr>
<td><a href="claims/{{ p.d.claim.id }}.html">{{ p.d.claim.id }}</a><br><span class="muted">{{ p.d.claim.statement }}</span></td>
<td class="{{ p.grade_class }}">{{ p.grade_label }}</td>
<td>{% for lv in levels %}{{ c[lv].supports }}{% if not loop.last %} · {% endif %}{% endfor %}</td>
<td>{% for lv in levels %}{{ c[lv].contradicts }}{% if not loop.last %} · {% endif %}{% endfor %}</td>
<td>{% for s in p.status %}<span class="tag">{{ s }}</span>{% endfor %}{% if p.row().retracted_linked %}<span class="tag">retracted evidence linked</span>{% endif %}</td>
<td>{{ p.d.approval_status }}</td><td>{{ p.d.last_refresh or "never" }}</td></tr>
{% endfor %}</tbody></table></body></html>
"""

_DOSSIER = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ d.claim.id }} · claimledger</title><style>{{ css }}</style></head><body>
<p><a href="../index.html">← all claims</a></p>
<h1>{{ d.claim.id }}</h1>
<p><strong>{{ d.claim.statement }}</strong></p>
<p class="muted">version {{ d.claim.version }} · topic {{ d.claim.topic }} · kind {{ d.claim.kind }} · polarity {{ d.claim.polarity }}</p>
{% if d.claim.note %}<p class="alert">Note: {{ d.claim.note }}</p>{% endif %}
<h2>Grade: <span class="{{ p.grade_class }}">{{ p.grade_label }}</span> {% for s in p.status %}<span class="tag">{{ s }}</span>{% endfor %}</h2>
<p class="muted">{% if d.grade %}{{ d.grade.rubric_version }} · evidence set {{ d.grade.evidence_hash }} · {% endif %}last refresh {{ d.last_refresh or "never" }}</p>
<p>Approval: <strong>{{ d.approval_status }}</strong>{% if d.approval %} — {{ d.approval.meaning or "approved" }} by {{ d.approval.approved_by }}{% if d.approval.os_user %} (login {{ d.approval.os_user }}){% endif %}, {{ d.approval.created_at }}{% if d.approval.acknowledged %}, acknowledging a {{ d.approval.acknowledged }} grade{% endif %}{% if d.approval.note %} ({{ d.approval.note }}){% endif %}{% endif %}</p>
<h3>Rule trace</h3><ol>{% for st in d.trace %}<li><code>{{ st.rule }}</code>: {{ st.detail }}{% if st.pmids %} — PMIDs {% for pm in st.pmids %}<a href="{{ url(pm) }}">{{ pm }}</a>{% if not loop.last %}, {% endif %}{% endfor %}{% endif %}</li>{% endfor %}</ol>
{% if alerts %}<h3>Retractions and corrections</h3>{% for r in alerts %}<div class="alert">PMID <a href="{{ url(r.article.pmid) }}">{{ r.article.pmid }}</a>: {{ flags_text(r) }} — {{ r.article.title }}</div>{% endfor %}{% endif %}
<h3>Query</h3><p><code>{{ d.claim.query }}</code></p>
{% for s in d.searches[-4:] %}<p class="muted">{{ s.stage }} search, {{ s.searched_at }}: {{ s.count }} records; PubMed read it as <code>{{ s.query_translation or "(no translation returned)" }}</code></p>{% endfor %}
<h3>Evidence ({{ plural(d.rows|length, "linked record") }})</h3>
<table id="evidence"><thead><tr><th>PMID</th><th>Year</th><th>Journal</th><th>Design</th><th>Population</th><th>n</th><th>Stance and anchoring sentence</th><th>Decided by</th><th>Flags</th></tr></thead><tbody>
{% for r in rows %}<tr><td><a href="{{ url(r.article.pmid) }}">{{ r.article.pmid }}</a></td><td>{{ r.article.year or "" }}</td><td>{{ r.article.journal_abbrev or r.article.journal }}</td>
<td>{{ r.design_level }}</td><td>{{ r.population }}</td><td>{{ r.sample_size or "" }}</td>
<td><strong>{{ r.stance }}</strong>{% if r.anchor_text %}<br>“{{ r.anchor_text }}”{% endif %}<br><span class="muted">{{ cite(r.article) }}</span></td>
<td>{{ r.method }}{% if r.method.startswith("reviewer:") and r.machine_stance %}<br><span class="muted">machine suggested {{ r.machine_stance }}</span>{% endif %}</td>
<td>{% for f in r.flags %}<span class="tag">{{ f }}</span>{% endfor %}{% if r.deleted %}<span class="tag">deleted</span>{% endif %}</td></tr>{% endfor %}
</tbody></table>
<h3>Audit history</h3><table><thead><tr><th>#</th><th>When</th><th>Who</th><th>Action</th><th>Details</th></tr></thead><tbody>
{% for e in p.audit %}<tr><td>{{ e.seq }}</td><td>{{ e.at }}</td><td>{{ e.actor }}</td><td>{{ e.action }}</td><td><code>{{ e.details }}</code></td></tr>{% endfor %}
</tbody></table></body></html>
"""

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_env.globals["plural"] = plural


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
        "index.html": _env.from_string(_INDEX).render(
            pages=pages,
            css=_CSS,
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
        out[f"claims/{p.d.claim.id}.html"] = _env.from_string(_DOSSIER).render(
            p=p,
            d=p.d,
            rows=rows,
            alerts=alerts,
            css=_CSS,
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
            f"{' · '.join(str(c[lv]['contradicts']) for lv in LEVELS)} | {', '.join(p.status)} | {esc(p.d.approval_status)} | {p.d.last_refresh or 'never'} |"
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
            + (f" (PMIDs {', '.join(st.pmids)})" if st.pmids else "")
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
