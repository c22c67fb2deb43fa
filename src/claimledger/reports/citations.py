"""Citations and plain-text renderings of dossiers. Pure: records in, strings out."""

from __future__ import annotations

from claimledger.assess.design import LEVEL_SHORT
from claimledger.model import Approval, MethodOrigin
from claimledger.pubmed.records import Article
from claimledger.reports.dossier import Dossier
from claimledger.textutil import plural

__all__ = [
    "TRACE_PMIDS_SHOWN",
    "ama_citation",
    "full_pages",
    "pmids_text",
    "pubmed_url",
    "render_dossier_text",
    "shown_pmids",
]

#: PMIDs a rule-trace step shows in text, Markdown and HTML; the rest are counted, never dropped
#: silently (the ledger and JSON keep them all)
TRACE_PMIDS_SHOWN = 20


def shown_pmids(pmids: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
    """The PMIDs a trace step shows, and how many more it rests on."""
    return pmids[:TRACE_PMIDS_SHOWN], max(0, len(pmids) - TRACE_PMIDS_SHOWN)


def pmids_text(pmids: tuple[str, ...]) -> str:
    """'1, 2, 3' or, past TRACE_PMIDS_SHOWN, '1, 2, ... 20 ... and 5 more'."""
    shown, more = shown_pmids(pmids)
    return ", ".join(shown) + (f" ... and {more} more" if more else "")


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def full_pages(pages: str) -> str:
    """AMA gives full page ranges: MEDLINE's '113-25' becomes '113-125'."""
    if "-" not in pages:
        return pages
    start, end = pages.split("-", 1)
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return f"{start}-{end}"


def _authors_ama(authors: tuple[str, ...]) -> str:
    """AMA: all authors up to six; more than six, the first three then 'et al'."""
    if not authors:
        return ""
    if len(authors) > 6:
        return ", ".join(authors[:3]) + ", et al"
    return ", ".join(authors)


def ama_citation(a: Article, *, with_pmid: bool = True) -> str:
    """An AMA-style (11th ed.) reference for a PubMed record, used wherever a citation is shown."""
    parts: list[str] = []
    authors = _authors_ama(a.authors)
    if authors:
        parts.append(authors + ".")
    title = a.title.strip() or "[No title available]"
    if not title.endswith((".", "?", "!")):
        title += "."
    parts.append(title)
    if a.kind == "book":
        parts.append(f"In: {a.journal}." if a.journal else "")
        if a.year:
            parts.append(f"{a.year}.")
    else:
        journal = a.journal_abbrev or a.journal
        if journal:
            parts.append(journal.rstrip(".") + ".")
        loc = str(a.year or "")
        if a.volume:
            loc += f";{a.volume}"
            if a.issue:
                loc += f"({a.issue})"
        if a.pages:
            loc += f":{full_pages(a.pages)}"
        if loc:
            parts.append(loc + ".")
    if a.doi:
        parts.append(f"doi:{a.doi}")
    if with_pmid:
        parts.append(f"PMID: {a.pmid}")
    text = " ".join(p for p in parts if p)
    if a.retracted:
        text += " [Retracted]"
    return text


def render_dossier_text(d: Dossier) -> str:
    """The terminal view of `claimledger show`: the grade the ledger recorded, never a new one."""
    c, g = d.claim, d.grade
    lines = [
        f"{c.id}  (version {c.version})",
        f"  {c.statement}",
        f"  topic {c.topic} · kind {c.kind} · polarity {c.polarity}",
    ]
    if c.note:
        lines.append(f"  note: {c.note}")
    extras = [x for x, on in (("provisional", d.provisional), ("stale", d.stale)) if on]
    rubric = f"  [{g.rubric_version}]" if g else ""
    lines.append(
        f"\nGrade: {d.grade_label}{' (' + ', '.join(extras) + ')' if extras else ''}{rubric}"
    )
    evidence_set = f"evidence set {g.evidence_hash} · " if g else ""
    lines.append(f"  {evidence_set}last refresh {d.evidence_date}")
    lines.append(
        f"  approval: {d.approval_status}" + (f" — {_signature(d.approval)}" if d.approval else "")
    )
    lines.append("\nRule trace:")
    if g is None:
        lines.append("  (none: run `claimledger grade` or `claimledger refresh`)")
    for step in d.trace:
        pm = f" [PMIDs {pmids_text(step.pmids)}]" if step.pmids else ""
        lines.append(f"  - {step.rule}: {step.detail}{pm}")
    lines += _search_lines(d)
    lines.append("\nEvidence by design level (supports / contradicts / inconclusive):")
    for lvl, cnt in d.counts.items():
        lines.append(
            f"  {lvl} {LEVEL_SHORT[lvl]:34} {cnt['supports']:3} / {cnt['contradicts']:3} / {cnt['inconclusive']:3}"
        )
    lines += _alert_lines(d)
    lines.append(f"\nEvidence ({plural(len(d.rows), 'linked record')}):")
    lines += _evidence_lines(d)
    return "\n".join(lines)


def _search_lines(d: Dossier) -> list[str]:
    """The query and the latest searches, as the HTML dossier shows them."""
    out = [f"\nQuery: {d.claim.query}"]
    if d.searches:
        out.append("Latest searches:")
    for s in d.searches[-4:]:
        out.append(f"  {s.stage} search, {s.searched_at}: {plural(s.count, 'record')}")
    return out


def _alert_lines(d: Dossier) -> list[str]:
    out = []
    for r in d.rows:
        what = ", ".join(
            f
            for f, on in (
                ("retracted", r.article.retracted),
                ("expression of concern", r.article.expression_of_concern),
                ("erratum", r.article.erratum),
                ("deleted from PubMed", r.deleted),
            )
            if on
        )
        if what:
            out.append(f"  ! PMID {r.article.pmid}: {what}")
    return ["\nAlerts:", *out] if out else []


def _evidence_lines(d: Dossier) -> list[str]:
    lines = []
    order = {"supports": 0, "contradicts": 1, "inconclusive": 2, "not-relevant": 3}
    for r in sorted(d.rows, key=lambda r: (order.get(r.stance, 9), r.design_level, r.article.pmid)):
        n = f" n={r.sample_size}" if r.sample_size else ""
        if r.assessed_by is MethodOrigin.NONE:
            lines.append(
                f"  [not assessed yet · {r.design_level} · {r.population}{n}] {ama_citation(r.article)}"
            )
            continue
        who = r.method if r.assessed_by is MethodOrigin.REVIEWER else "machine"
        lines.append(
            f"  [{r.stance} · {r.design_level} · {r.population}{n} · {who}] {ama_citation(r.article)}"
        )
        if r.anchor_text and r.stance != "not-relevant":
            lines.append(f'      "{r.anchor_text}"')
    return lines


def _signature(a: Approval) -> str:
    """An approval as signed: meaning, printed name, OS login, time (21 CFR 11.50)."""
    login = f" (login {a.os_user})" if a.os_user else ""
    ack = f", acknowledging a {a.acknowledged} grade" if a.acknowledged else ""
    return f"{a.meaning or 'approved'} by {a.approved_by}{login} {a.created_at}{ack}"
