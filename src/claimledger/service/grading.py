"""Orchestration for grading, review and approval: ledger rows → design + stance → grades.

Machine assessments are appended when a linked article has none for the claim's version (or the
article changed since); reviewer decisions are appended beside them and win. A grade row is
appended only when the result differs from the claim version's current grade. Reading (the
dossier, copy-check evidence) never grades: it shows the grade the ledger recorded.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from claimledger.assess.design import Design, assess_design
from claimledger.assess.grading import Grade, grade_claim, is_stale
from claimledger.assess.relevance import (
    GATE_VERSION,
    ClaimScope,
    claim_scope,
    no_harm_qualified,
)
from claimledger.assess.stance import STANCE_METHOD, assess_stance
from claimledger.copy.check import ClaimEvidence
from claimledger.errors import InputError
from claimledger.ledger.audit import declared_actor, os_user
from claimledger.ledger.store import Ledger, LinkedArticle
from claimledger.library.claims import Claim, ClaimsLibrary
from claimledger.model import (
    NEEDS_NON_PUBMED_LABEL,
    Approval,
    Assessment,
    DesignLevel,
    GradeLabel,
    GradeRecord,
    MethodOrigin,
    StanceLabel,
)
from claimledger.pubmed.records import Article
from claimledger.reports.citations import ama_citation, pubmed_url
from claimledger.reports.dossier import Dossier, EvidenceRow, level_counts

__all__ = [
    "Dossier",
    "EvidenceRow",
    "absolute_no_harm",
    "approve",
    "check_evidence",
    "dossier",
    "grade_claims",
    "long_term_safety",
    "set_review",
    "unreviewed",
]


# The method of a machine assessment: the stance reader's version and the relevance gate's (which
# covers the design reading); an assessment made by an older one is redone.
ASSESS_METHOD = f"{STANCE_METHOD}+{GATE_VERSION}"


def scope_of(claim: Claim) -> ClaimScope:
    """The claim's PICO as the relevance gate reads it."""
    return claim_scope(
        claim.statement,
        claim.kind,
        population=claim.population,
        intervention=claim.intervention,
        outcome=claim.outcome,
        timeframe=claim.timeframe,
        comparator=claim.comparator,
    )


def _auto_assess(
    ledger: Ledger, claim: Claim, art: Article, article_hash: str, actor: str
) -> Assessment:
    d = assess_design(art)
    s = assess_stance(
        claim.statement, claim.polarity, art.title, art.abstract, scope=scope_of(claim)
    )
    if not d.counts_as_evidence:  # protocols, registry entries and errata report no findings
        s = replace(s, stance="not-relevant", rationale=f"not evidence: {d.reason}")
    row = Assessment(
        claim_id=claim.id,
        claim_version=claim.version,
        pmid=art.pmid,
        method=ASSESS_METHOD,
        design_level=DesignLevel(d.level),
        population=d.population,
        sample_size=d.sample_size,
        stance=StanceLabel(s.stance),
        confidence=s.confidence,
        anchor_start=s.anchor_start,
        anchor_end=s.anchor_end,
        anchor_text=s.anchor_text,
        rationale=f"design: {d.reason} [{d.basis}]; stance: {s.rationale}",
        article_hash=article_hash,
        indirect=json.dumps(list(s.indirect)),
    )
    ledger.add_assessment(row, actor)
    return row


def _needs_assessment(auto: Assessment | None, link: LinkedArticle) -> bool:
    """No machine assessment yet, or one of an older article version or an older model."""
    return auto is None or auto.article_hash != link.content_hash or auto.method != ASSESS_METHOD


def _evidence_row(
    link: LinkedArticle, design: Design, chosen: Assessment | None, auto: Assessment | None
) -> EvidenceRow:
    """The displayed row: the chosen assessment's values, the design assessment's otherwise."""
    level = chosen.design_level if chosen else None
    population = chosen.population if chosen else None
    return EvidenceRow(
        article=link.article,
        origin=str(link.origin),
        design_level=level or DesignLevel(design.level),
        design_basis=design.basis,
        population=population or design.population,
        sample_size=design.sample_size,
        stance=chosen.stance if chosen else StanceLabel.INCONCLUSIVE,
        confidence=chosen.confidence if chosen else None,
        anchor_text=chosen.anchor_text if chosen else None,
        anchor_start=chosen.anchor_start if chosen else None,
        anchor_end=chosen.anchor_end if chosen else None,
        method=chosen.method if chosen else str(MethodOrigin.NONE),
        rationale=chosen.rationale if chosen else None,
        machine_stance=auto.stance if auto else None,
        flags=design.flags,
        deleted=link.deleted,
        indirect=chosen.indirect_reasons if chosen else None,
    )


def evidence_rows(
    ledger: Ledger, claim: Claim, *, assess: bool = True, actor: str | None = None
) -> list[EvidenceRow]:
    """Current evidence for a claim version; with ``assess`` missing machine assessments are added
    (the caller holds a transaction)."""
    who = declared_actor(actor)
    by_pmid: dict[str, list[Assessment]] = {}
    for a in ledger.assessments(claim.id, claim.version):
        by_pmid.setdefault(a.pmid, []).append(a)
    rows: list[EvidenceRow] = []
    for link in ledger.claim_articles(claim.id):
        history = by_pmid.get(link.article.pmid, [])
        autos = [a for a in history if a.origin is MethodOrigin.AUTO]
        reviews = [a for a in history if a.origin is MethodOrigin.REVIEWER]
        auto = autos[-1] if autos else None
        if assess and _needs_assessment(auto, link):
            auto = _auto_assess(ledger, claim, link.article, link.content_hash, who)
        chosen = reviews[-1] if reviews else auto
        rows.append(_evidence_row(link, assess_design(link.article), chosen, auto))
    return rows


def _grade_rows(claim: Claim, rows: list[EvidenceRow]) -> Grade:
    return grade_claim(
        [r.item() for r in rows],
        needs_non_pubmed_source=claim.needs_non_pubmed_source,
        kind=claim.kind,
        long_term=long_term_safety(claim),
        absolute=absolute_no_harm(claim),
    )


def absolute_no_harm(claim: Claim) -> bool:
    """A no-harm claim that names no rarity, severity or duration ("is safe", "does not lead to
    addiction"): the rubric grades it at most moderate."""
    return claim.polarity == "asserts-no-harm" and not no_harm_qualified(claim.statement)


def long_term_safety(claim: Claim) -> bool:
    """A safety claim about long-term use (its harms are seen only in long-term data)."""
    return claim.kind == "safety" and scope_of(claim).durable


def _record(claim: Claim, g: Grade) -> GradeRecord:
    return GradeRecord(
        claim_id=claim.id,
        claim_version=claim.version,
        grade=GradeLabel(g.grade),
        provisional=g.provisional,
        needs_non_pubmed_source=g.needs_non_pubmed_source,
        trace=g.trace,
        rubric_version=g.rubric_version,
        evidence_hash=g.evidence_hash,
    )


def _same_grade(a: GradeRecord | None, b: GradeRecord) -> bool:
    return a is not None and (
        (a.grade, a.provisional, a.evidence_hash, a.rubric_version)
        == (b.grade, b.provisional, b.evidence_hash, b.rubric_version)
    )


def grade_claims(
    library: ClaimsLibrary,
    ledger: Ledger,
    claim_ids: list[str] | None = None,
    *,
    actor: str | None = None,
) -> list[str]:
    """Grade claims; append a grade row where the grade of the claim version changed (or it
    had none). Returns the re-graded claim ids."""
    who = declared_actor(actor)
    changed: list[str] = []
    for claim in library.select(claim_ids or ()):
        with ledger.transaction():
            ledger.ensure_claim_version(claim, who)
            new = _record(claim, _grade_rows(claim, evidence_rows(ledger, claim, actor=who)))
            if not _same_grade(ledger.current_grade(claim.id, claim.version), new):
                ledger.add_grade(new, who)
                changed.append(claim.id)
    return changed


def unreviewed(ledger: Ledger, claim: Claim) -> list[EvidenceRow]:
    """Linked articles for the claim that no reviewer has decided yet, best evidence first."""
    with ledger.transaction():
        rows = evidence_rows(ledger, claim)
    pending = [r for r in rows if r.assessed_by is not MethodOrigin.REVIEWER and not r.deleted]
    return sorted(
        pending,
        key=lambda r: (r.design_level, r.stance == StanceLabel.NOT_RELEVANT, r.article.pmid),
    )


def _check_declared_name(by: str, role: str) -> None:
    """A printed name for the audit trail: one line, readable, not empty."""
    name = by.strip()
    if not name:
        raise InputError(f"--by needs the {role}'s name")
    if len(name) > 200 or any(not ch.isprintable() for ch in name):
        raise InputError(
            f"--by must be the {role}'s printed name on one line (at most 200 characters)"
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
    if stance not in tuple(StanceLabel):
        raise InputError(f"stance must be one of: {', '.join(StanceLabel)}")
    _check_declared_name(by, "reviewer")
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
            Assessment(
                claim_id=claim.id,
                claim_version=claim.version,
                pmid=pmid,
                method=f"{MethodOrigin.REVIEWER}:{by.strip()}",
                design_level=DesignLevel(level) if level else r.design_level,
                population=r.population,
                sample_size=r.sample_size,
                stance=StanceLabel(stance),
                confidence=1.0,
                anchor_start=r.anchor_start,
                anchor_end=r.anchor_end,
                anchor_text=r.anchor_text,
                rationale=(reason or "").strip()
                or f"accepted the suggested stance ({r.machine_stance})",
                article_hash=None,
            ),
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
        if a.pmid == pmid and a.origin is MethodOrigin.REVIEWER
    ]
    if not reviews:
        return None
    last = reviews[-1]
    who = last.method.split(":", 1)[1]
    changed = last.stance != stance or (level is not None and level != last.design_level)
    if who == by or not changed:
        return None
    return {
        "reviewer": who,
        "stance": str(last.stance),
        "design_level": str(last.design_level) if last.design_level else None,
        "assessment_id": last.id,
    }


def _approval_status(
    ledger: Ledger, claim: Claim, grade: GradeRecord | None, approval: Approval | None
) -> str:
    if approval is None:
        return "none"
    if not ledger.is_bound("approvals", approval.to_dict()):
        return "not in the audit trail: run `claimledger audit verify`"
    if (approval.meaning or "approved") == "rejected":
        return "rejected"
    if approval.claim_version != claim.version:
        return "stale: the claim changed since approval"
    if grade is None or approval.evidence_hash != grade.evidence_hash:
        return "stale: the evidence changed since approval"
    if _signed_other_grade(approval, grade):
        return "stale: the grade changed since approval"
    return "current"


def _signed_other_grade(approval: Approval, grade: GradeRecord) -> bool:
    """The grade signed differs from the current one under the same evidence set (a new rubric,
    say). Approvals recorded before the grade was signed with them (None) are not compared.

    What an approval signs: the claim version (its meaning), the evidence set (which records,
    their design level and stance, reviewer or machine, retraction) and the grade. Who recorded
    a decision, and in what words, are none of these: re-wording a reason leaves it current."""
    if approval.grade is not None and approval.grade != str(grade.grade):
        return True
    return approval.provisional is not None and bool(approval.provisional) != grade.provisional


def dossier(
    library: ClaimsLibrary, ledger: Ledger, claim: Claim, today: date | None = None
) -> Dossier:
    """Everything recorded about a claim, read without writing: the stored grade, never a
    recomputed one."""
    rows = evidence_rows(ledger, claim, assess=False)
    grade = ledger.current_grade(claim.id, claim.version)
    last_refresh = ledger.last_refresh(claim.id)
    last_import = None if last_refresh else ledger.last_import(claim.id)
    stale = is_stale(
        last_refresh or last_import, today or date.today(), library.settings.stale_after_days
    )
    approval = ledger.latest_approval(claim.id)
    return Dossier(
        claim,
        grade,
        rows,
        level_counts(rows),
        last_refresh,
        stale,
        approval,
        _approval_status(ledger, claim, grade, approval),
        searches=ledger.searches(claim.id),
        last_import=last_import,
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
    evidence set of its current grade. Approving a provisional, contested or stale grade, or a
    claim that needs a non-PubMed source, needs an explicit acknowledgement, which is recorded."""
    _check_declared_name(by, "approver")
    if meaning not in MEANINGS:
        raise InputError(f"meaning must be one of: {', '.join(MEANINGS)}")
    grade_claims(library, ledger, [claim.id], actor=by)
    with ledger.transaction():
        grade = ledger.current_grade(claim.id, claim.version)
        if grade is None:  # grade_claims always records one; a guard, not a path
            raise InputError(f"claim {claim.id} is not graded yet; run `claimledger grade`")
        caveats = [
            w
            for w, on in (
                ("provisional", grade.provisional),
                ("contested", grade.grade is GradeLabel.CONTESTED),
                ("stale", _stale(library, ledger, claim)),
                (NEEDS_NON_PUBMED_LABEL, grade.needs_non_pubmed_source),
            )
            if on
        ]
        if meaning == "approved" and caveats and not acknowledge_provisional:
            raise InputError(
                f"the grade of {claim.id} is {' and '.join(caveats)} ({grade.label}); approve it "
                "only with --acknowledge-provisional, or review its evidence first"
            )
        ledger.add_approval(
            Approval(
                claim_id=claim.id,
                claim_version=claim.version,
                evidence_hash=grade.evidence_hash,
                approved_by=by.strip(),
                note=note,
                meaning=meaning,
                os_user=os_user(),
                grade=str(grade.grade),
                provisional=int(grade.provisional),
                acknowledged=", ".join(caveats) if meaning == "approved" and caveats else None,
            ),
            by.strip(),
        )
    return dossier(library, ledger, claim)


def _stale(library: ClaimsLibrary, ledger: Ledger, claim: Claim) -> bool:
    """The evidence is older than the library's stale_after_days, dated by the claim's last
    refresh, or by its last import when no refresh ever ran for it; never searched nor
    imported: stale (see ``dossier``)."""
    last = ledger.last_refresh(claim.id) or ledger.last_import(claim.id)
    return is_stale(last, date.today(), library.settings.stale_after_days)


def check_evidence(library: ClaimsLibrary, ledger: Ledger) -> dict[str, ClaimEvidence]:
    """Each claim's current grade and the references that decided it (ungraded claims are left
    out: the checker says "no evidence yet")."""
    # one query for every claim's grade, not one per claim (check reads them all)
    pairs = [(claim.id, claim.version) for claim in library.claims]  # a version is a digest
    current = ledger.current_grades(pairs)
    grades = [(cid, current.get((cid, version))) for cid, version in pairs]
    graded = [(cid, g, g.deciding_pmids()[:3]) for cid, g in grades if g is not None]
    articles = ledger.articles(pmid for _, _, pmids in graded for pmid in pmids)  # one query
    out: dict[str, ClaimEvidence] = {}
    for cid, g, pmids in graded:
        refs = [
            {"pmid": pmid, "citation": ama_citation(art), "url": pubmed_url(pmid)}
            for pmid in pmids
            if (art := articles.get(pmid)) is not None
        ]
        out[cid] = ClaimEvidence(g.label, g.provisional, tuple(refs))
    return out
