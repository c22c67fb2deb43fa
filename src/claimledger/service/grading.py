"""Orchestration for grading, review and approval: ledger rows → design + stance → grades.

Machine assessments are appended when a linked article has none for the claim's version (or the
article changed since); reviewer decisions are appended beside them and win. A grade row is
appended only when the result differs from the claim version's latest grade.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from claimledger.assess.design import assess_design
from claimledger.assess.grading import EvidenceItem, Grade, grade_claim, is_stale
from claimledger.assess.stance import STANCE_METHOD, STANCES, assess_stance
from claimledger.copy.check import ClaimEvidence
from claimledger.errors import InputError
from claimledger.ledger.audit import os_user
from claimledger.ledger.store import Ledger
from claimledger.library.claims import Claim, ClaimsLibrary
from claimledger.pubmed.records import Article
from claimledger.service.refresh import actor_name

__all__ = [
    "Dossier",
    "EvidenceRow",
    "approve",
    "check_evidence",
    "dossier",
    "grade_claims",
    "set_review",
    "unreviewed",
]


@dataclass(frozen=True)
class EvidenceRow:
    """One linked article with its current (reviewer-over-machine) assessment, for display."""

    article: Article
    origin: str
    design_level: str
    design_basis: str
    population: str
    sample_size: int | None
    stance: str
    confidence: float | None
    anchor_text: str | None
    anchor_start: int | None
    anchor_end: int | None
    method: str
    rationale: str | None
    machine_stance: str | None
    flags: tuple[str, ...]
    deleted: bool

    def item(self) -> EvidenceItem:
        return EvidenceItem(
            pmid=self.article.pmid,
            level=self.design_level,
            population=self.population,
            stance=self.stance,
            method=self.method,
            retracted=self.article.retracted,
            deleted=self.deleted,
            expression_of_concern=self.article.expression_of_concern,
        )


def _auto_assess(
    ledger: Ledger, claim: Claim, art: Article, article_hash: str, actor: str
) -> dict[str, Any]:
    d = assess_design(art)
    s = assess_stance(
        claim.statement,
        claim.polarity,
        art.title,
        art.abstract,
        " ".join(x for x in (claim.outcome, claim.population) if x),
    )
    row = {
        "claim_id": claim.id,
        "claim_version": claim.version,
        "pmid": art.pmid,
        "method": STANCE_METHOD,
        "design_level": d.level,
        "population": d.population,
        "sample_size": d.sample_size,
        "stance": s.stance,
        "confidence": s.confidence,
        "anchor_start": s.anchor_start,
        "anchor_end": s.anchor_end,
        "anchor_text": s.anchor_text,
        "rationale": f"design: {d.reason} [{d.basis}]; stance: {s.rationale}",
        "article_hash": article_hash,
    }
    ledger.add_assessment(row, actor)
    return {**row, "design_basis": d.basis, "flags": d.flags}


def evidence_rows(
    ledger: Ledger, claim: Claim, *, assess: bool = True, actor: str | None = None
) -> list[EvidenceRow]:
    """Current evidence for a claim version; with ``assess`` missing machine assessments are added
    (the caller holds a transaction)."""
    who = actor or actor_name()
    by_pmid: dict[str, list[dict[str, Any]]] = {}
    for a in ledger.assessments(claim.id, claim.version):
        by_pmid.setdefault(a["pmid"], []).append(a)
    rows: list[EvidenceRow] = []
    for art, arow in ledger.claim_articles(claim.id):
        history = by_pmid.get(art.pmid, [])
        autos = [a for a in history if a["method"].startswith("auto:")]
        reviews = [a for a in history if a["method"].startswith("reviewer:")]
        auto = autos[-1] if autos else None
        if assess and (
            auto is None
            or auto["article_hash"] != arow["content_hash"]
            or auto["method"] != STANCE_METHOD
        ):
            auto = _auto_assess(ledger, claim, art, arow["content_hash"], who)
        design = assess_design(art)
        chosen = reviews[-1] if reviews else auto
        rows.append(
            EvidenceRow(
                article=art,
                origin=arow["origin"],
                design_level=(chosen or {}).get("design_level") or design.level,
                design_basis=design.basis,
                population=(chosen or {}).get("population") or design.population,
                sample_size=design.sample_size,
                stance=(chosen or {}).get("stance", "inconclusive"),
                confidence=(chosen or {}).get("confidence"),
                anchor_text=(chosen or {}).get("anchor_text"),
                anchor_start=(chosen or {}).get("anchor_start"),
                anchor_end=(chosen or {}).get("anchor_end"),
                method=(chosen or {}).get("method", "none"),
                rationale=(chosen or {}).get("rationale"),
                machine_stance=auto["stance"] if auto else None,
                flags=design.flags,
                deleted=bool(arow["deleted"]),
            )
        )
    return rows


def _grade_rows(claim: Claim, rows: list[EvidenceRow]) -> Grade:
    return grade_claim(
        [r.item() for r in rows], needs_non_pubmed_source=claim.needs_non_pubmed_source
    )


def grade_claims(
    library: ClaimsLibrary,
    ledger: Ledger,
    claim_ids: list[str] | None = None,
    *,
    actor: str | None = None,
) -> list[str]:
    """Recompute grades; append a grade row where it changed. Returns the re-graded claim ids."""
    who = actor or actor_name()
    changed: list[str] = []
    for claim in library.select(claim_ids or ()):
        with ledger.transaction():
            ledger.ensure_claim_version(claim, who)
            rows = evidence_rows(ledger, claim, actor=who)
            g = _grade_rows(claim, rows)
            last = ledger.latest_grade(claim.id)
            same = last is not None and (
                last["claim_version"] == claim.version
                and last["grade"] == g.grade
                and bool(last["provisional"]) == g.provisional
                and last["evidence_hash"] == g.evidence_hash
                and last["rubric_version"] == g.rubric_version
            )
            if not same:
                ledger.add_grade(
                    {
                        "claim_id": claim.id,
                        "claim_version": claim.version,
                        "grade": g.grade,
                        "provisional": int(g.provisional),
                        "needs_non_pubmed_source": int(g.needs_non_pubmed_source),
                        "rule_trace": json.dumps(g.to_dict()["trace"]),
                        "rubric_version": g.rubric_version,
                        "evidence_hash": g.evidence_hash,
                        "run_id": None,
                    },
                    who,
                )
                changed.append(claim.id)
    return changed


def unreviewed(ledger: Ledger, claim: Claim) -> list[EvidenceRow]:
    """Linked articles for the claim that no reviewer has decided yet, best evidence first."""
    with ledger.transaction():
        rows = evidence_rows(ledger, claim)
    pending = [r for r in rows if not r.method.startswith("reviewer:") and not r.deleted]
    return sorted(
        pending, key=lambda r: (r.design_level, r.stance == "not-relevant", r.article.pmid)
    )


def set_review(
    ledger: Ledger,
    claim: Claim,
    pmid: str,
    stance: str,
    by: str,
    reason: str | None,
    *,
    level: str | None = None,
) -> None:
    """Record a reviewer's stance for one linked article (kept beside the machine's, audited)."""
    if stance not in STANCES:
        raise InputError(f"stance must be one of: {', '.join(STANCES)}")
    if not by.strip():
        raise InputError("--by needs the reviewer's name")
    with ledger.transaction():
        rows = {r.article.pmid: r for r in evidence_rows(ledger, claim, actor=by)}
        if pmid not in rows:
            raise InputError(
                f"PMID {pmid} is not linked to claim {claim.id}; see `claimledger show {claim.id}`"
            )
        r = rows[pmid]
        overrides = _overridden(ledger, claim, pmid, by.strip(), stance, level)
        if overrides and not (reason or "").strip():
            raise InputError(
                f"overriding {overrides['reviewer']}'s decision ({overrides['stance']}) needs "
                "--reason"
            )
        if r.machine_stance and stance != r.machine_stance and not (reason or "").strip():
            raise InputError(f"overriding the suggested stance ({r.machine_stance}) needs --reason")
        ledger.add_assessment(
            {
                "claim_id": claim.id,
                "claim_version": claim.version,
                "pmid": pmid,
                "method": f"reviewer:{by.strip()}",
                "design_level": level or r.design_level,
                "population": r.population,
                "sample_size": r.sample_size,
                "stance": stance,
                "confidence": 1.0,
                "anchor_start": r.anchor_start,
                "anchor_end": r.anchor_end,
                "anchor_text": r.anchor_text,
                "rationale": (reason or "").strip()
                or f"accepted the suggested stance ({r.machine_stance})",
                "article_hash": None,
            },
            by.strip(),
            **({"overrides": overrides} if overrides else {}),
        )


def _overridden(
    ledger: Ledger, claim: Claim, pmid: str, by: str, stance: str, level: str | None
) -> dict[str, Any] | None:
    """Another reviewer's latest decision that this one changes (stance or level), if any."""
    reviews = [
        a
        for a in ledger.assessments(claim.id, claim.version)
        if a["pmid"] == pmid and a["method"].startswith("reviewer:")
    ]
    if not reviews:
        return None
    last = reviews[-1]
    who = last["method"].removeprefix("reviewer:")
    changed = last["stance"] != stance or (level is not None and level != last["design_level"])
    if who == by or not changed:
        return None
    return {
        "reviewer": who,
        "stance": last["stance"],
        "design_level": last["design_level"],
        "assessment_id": last["id"],
    }


@dataclass
class Dossier:
    claim: Claim
    grade: Grade
    rows: list[EvidenceRow]
    last_refresh: str | None
    stale: bool
    approval: dict[str, Any] | None
    approval_status: str  # none | current | stale (claim changed) | stale (evidence changed)
    searches: list[dict[str, Any]] = field(default_factory=list)
    versions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim.to_dict(),
            "grade": self.grade.to_dict(),
            "stale": self.stale,
            "last_refresh": self.last_refresh,
            "approval": self.approval,
            "approval_status": self.approval_status,
            "evidence": [
                {
                    "pmid": r.article.pmid,
                    "title": r.article.title,
                    "year": r.article.year,
                    "journal": r.article.journal_abbrev or r.article.journal,
                    "design_level": r.design_level,
                    "population": r.population,
                    "sample_size": r.sample_size,
                    "stance": r.stance,
                    "confidence": r.confidence,
                    "method": r.method,
                    "machine_stance": r.machine_stance,
                    "anchor": r.anchor_text,
                    "flags": list(r.flags),
                    "origin": r.origin,
                }
                for r in self.rows
            ],
            "searches": [
                {
                    k: s[k]
                    for k in (
                        "stage",
                        "term",
                        "query_translation",
                        "count",
                        "retrieved",
                        "searched_at",
                    )
                }
                for s in self.searches
            ],
        }


def dossier(
    library: ClaimsLibrary, ledger: Ledger, claim: Claim, today: date | None = None
) -> Dossier:
    """Everything known about a claim, computed without writing (a read-only view)."""
    rows = evidence_rows(ledger, claim, assess=False)
    g = _grade_rows(claim, rows)
    last_refresh = ledger.last_refresh(claim.id)
    stale = is_stale(last_refresh, today or date.today(), library.settings.stale_after_days)
    approval = ledger.latest_approval(claim.id)
    status = "none"
    if approval is not None:
        if not ledger.is_bound("approvals", approval):
            status = "not in the audit trail: run `claimledger audit verify`"
        elif (approval.get("meaning") or "approved") == "rejected":
            status = "rejected"
        elif approval["claim_version"] != claim.version:
            status = "stale: the claim changed since approval"
        elif approval["evidence_hash"] != g.evidence_hash:
            status = "stale: the evidence changed since approval"
        else:
            status = "current"
    return Dossier(
        claim,
        g,
        rows,
        last_refresh,
        stale,
        approval,
        status,
        searches=ledger.searches(claim.id),
        versions=ledger.claim_versions(claim.id),
    )


MEANINGS = ("approved", "rejected")


def approve(
    library: ClaimsLibrary,
    ledger: Ledger,
    claim: Claim,
    by: str,
    note: str | None,
    *,
    meaning: str = "approved",
    acknowledge_provisional: bool = False,
) -> Dossier:
    """Sign the claim as graded (approved or rejected), bound to the claim version and the
    current evidence set hash. Approving a provisional or contested grade needs an explicit
    acknowledgement, which is recorded."""
    if not by.strip():
        raise InputError("--by needs the approver's name")
    if meaning not in MEANINGS:
        raise InputError(f"meaning must be one of: {', '.join(MEANINGS)}")
    grade_claims(library, ledger, [claim.id], actor=by)
    d = dossier(library, ledger, claim)
    caveats = [
        w
        for w, on in (
            ("provisional", d.grade.provisional),
            ("contested", d.grade.grade == "contested"),
        )
        if on
    ]
    if meaning == "approved" and caveats and not acknowledge_provisional:
        raise InputError(
            f"the grade of {claim.id} is {' and '.join(caveats)} ({d.grade.grade}); approve it "
            "only with --acknowledge-provisional, or review its evidence first"
        )
    with ledger.transaction():
        ledger.ensure_claim_version(claim, by)
        ledger.add_approval(
            {
                "claim_id": claim.id,
                "claim_version": claim.version,
                "evidence_hash": d.grade.evidence_hash,
                "approved_by": by.strip(),
                "note": note,
                "meaning": meaning,
                "os_user": os_user(),
                "grade": d.grade.grade,
                "provisional": int(d.grade.provisional),
                "acknowledged": ", ".join(caveats) if meaning == "approved" and caveats else None,
            },
            by.strip(),
        )
    return dossier(library, ledger, claim)


def check_evidence(library: ClaimsLibrary, ledger: Ledger) -> dict[str, ClaimEvidence]:
    """Each claim's latest grade (for its current version) and the references that decided it."""
    from claimledger.reports.citations import ama_citation, pubmed_url

    out: dict[str, ClaimEvidence] = {}
    for claim in library.claims:
        g = ledger.latest_grade(claim.id)
        if g is None or g["claim_version"] != claim.version:
            continue
        label = "needs a non-PubMed source" if g["needs_non_pubmed_source"] else g["grade"]
        pmids: list[str] = []
        for step in json.loads(g["rule_trace"]):
            if step["rule"] == g["grade"]:
                pmids.extend(step["pmids"])
        refs = []
        for pmid in pmids[:3]:
            art = ledger.article(pmid)
            if art is not None:
                refs.append({"pmid": pmid, "citation": ama_citation(art), "url": pubmed_url(pmid)})
        out[claim.id] = ClaimEvidence(label, bool(g["provisional"]), tuple(refs))
    return out
