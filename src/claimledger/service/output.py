"""Commands whose result writers and reviewers take away: check, report, export refs.

One function per command; each takes the Session the CLI made and returns data to render.
All of them read the ledger; none writes to it or recomputes a grade.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from claimledger.assess.grading import RUBRIC_VERSION
from claimledger.copy.check import CheckResult, ClaimEvidence, ClaimMatcher, check_text, fails
from claimledger.copy.documents import expand_paths, read_document
from claimledger.copy.suggest import suggest_claim
from claimledger.errors import ClaimledgerError, InputError
from claimledger.ledger.store import now_iso
from claimledger.library.claims import claim_to_yaml
from claimledger.reports.refs import Reference, to_bibtex, to_csljson, to_ris, unique_references
from claimledger.reports.site import ClaimPage, render_report
from claimledger.service.grading import check_evidence, dossier, evidence_rows
from claimledger.service.session import Session

__all__ = ["CheckOutcome", "check", "export_refs", "report"]


@dataclass(frozen=True)
class CheckOutcome:
    results: list[CheckResult]
    unreadable: list[str]  # one message per file that could not be read
    suggestions: list[str]  # claims.yaml stubs for unmatched sentences (when asked)
    failed: bool  # findings of the --fail-on kind exist


def check(session: Session, files: tuple[Path, ...], fail_on: str, suggest: bool) -> CheckOutcome:
    """`claimledger check`: check copy against the library and each claim's recorded grade
    (works without a ledger: every matched claim then has no evidence yet)."""
    library = session.library()
    evidence: dict[str, ClaimEvidence] = {}
    if session.has_ledger():
        evidence = check_evidence(library, session.ledger(readonly=True))
    matcher = ClaimMatcher(library)
    results: list[CheckResult] = []
    unreadable: list[str] = []
    for f in expand_paths(files):  # a folder: every supported file in it
        try:
            doc = read_document(f)
        except ClaimledgerError as ex:
            unreadable.append(str(ex))
            continue
        results.append(
            check_text(doc.name, doc.text, library, evidence, matcher, doc.kind, doc.roles)
        )
    stubs = [
        claim_to_yaml(suggest_claim(f.sentence, r.document, library))
        for r in results
        for f in r.findings
        if suggest and f.claim_id is None
    ]
    return CheckOutcome(results, unreadable, stubs, fails(results, fail_on))


def report(session: Session, fmt: str, output: Path | None) -> tuple[Path, int]:
    """`claimledger report`: write the reviewer's report; returns the directory and file count."""
    library = session.library()
    ledger = session.ledger(readonly=True)
    pages = [
        ClaimPage(dossier(library, ledger, c), ledger.audit_entries(c.id)) for c in library.claims
    ]
    files = render_report(pages, fmt, now_iso(), RUBRIC_VERSION)
    out = output or session.db_path.parent / "report"
    try:
        for rel, text in files.items():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    except OSError as ex:
        raise InputError(f"cannot write the report to {out}: {ex.strerror or ex}") from None
    return out, len(files)


_REF_FORMATS = {"ris": to_ris, "bibtex": to_bibtex, "csljson": to_csljson}


def export_refs(
    session: Session,
    fmt: str,
    claim_ids: tuple[str, ...],
    stance: str | None,
    include_retracted: bool = False,
) -> str:
    """`claimledger export refs`: linked references as RIS, BibTeX or CSL-JSON text, one per
    PMID; retracted papers only when asked for."""
    library = session.library()
    ledger = session.ledger(readonly=True)
    refs = unique_references(
        (
            Reference(r.article, c.id, r.stance)
            for c in library.select(claim_ids)
            for r in evidence_rows(ledger, c, assess=False)
            if not r.deleted and (stance is None or r.stance == stance)
        ),
        include_retracted=include_retracted,
    )
    return _REF_FORMATS[fmt](refs)
