"""Commands whose result writers and reviewers take away: check, report, export refs.

One function per command; each takes the Session the CLI made and returns data to render.
All of them read the ledger; none writes to it or recomputes a grade.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from claimledger.assess.grading import RUBRIC_VERSION
from claimledger.copy.check import (
    CheckResult,
    ClaimEvidence,
    ClaimMatcher,
    Finding,
    check_text,
    fails,
)
from claimledger.copy.documents import expand_paths, read_document
from claimledger.copy.suggest import suggest_claim
from claimledger.errors import ClaimledgerError, InputError
from claimledger.ledger.store import now_iso
from claimledger.library.claims import claim_to_yaml
from claimledger.reports.refs import Reference, to_bibtex, to_csljson, to_ris, unique_references
from claimledger.reports.site import ClaimPage, render_report
from claimledger.service.grading import check_evidence, dossier, evidence_rows
from claimledger.service.session import Session

__all__ = ["CheckOutcome", "Written", "check", "export_refs", "report"]


@dataclass(frozen=True)
class CheckOutcome:
    results: list[CheckResult]
    unreadable: list[str]  # one message per file that could not be read
    suggestions: list[str]  # claims.yaml stubs for unmatched sentences (when asked)
    failed: bool  # findings of the --fail-on kind exist
    skipped: list[str] = field(default_factory=list)  # documents in a folder we cannot read


def check(session: Session, files: tuple[Path, ...], fail_on: str, suggest: bool) -> CheckOutcome:
    """`claimledger check`: check copy against the library and each claim's recorded grade
    (works without a ledger: every matched claim then has no evidence yet)."""
    library = session.library()
    evidence: dict[str, ClaimEvidence] = {}
    if session.has_ledger():
        evidence = check_evidence(library, session.ledger(readonly=True))
    matcher = ClaimMatcher(library)
    results: list[CheckResult] = []
    given = expand_paths(files)  # a folder: every supported file in it
    unreadable: list[str] = list(given.problems)
    for f in given.files:
        try:
            doc = read_document(f)
        except ClaimledgerError as ex:
            unreadable.append(str(ex))
            continue
        results.append(
            check_text(doc.name, doc.text, library, evidence, matcher, doc.kind, doc.roles)
        )
    # a sentence about another treatment is no claim for this library; a short answer is drafted
    # with its question ("Is ketamine addictive? Never."), which is what it claims
    stubs = [
        claim_to_yaml(suggest_claim(_with_question(f), r.document, library))
        for r in results
        for f in r.findings
        if suggest and f.claim_id is None and not f.about_other_treatment
    ]
    return CheckOutcome(results, unreadable, stubs, fails(results, fail_on), given.skipped)


def _with_question(f: Finding) -> str:
    return f"{f.context} {f.sentence}" if f.context.rstrip().endswith("?") else f.sentence


@dataclass(frozen=True)
class Written:
    """What `report` did in its folder."""

    directory: Path
    files: int
    removed: list[str]  # files the previous run (same format) wrote that this one does not
    kept: list[str]  # such files changed since they were written: left alone, no longer tracked


#: beside the report's files: for each format, the files it wrote (relative path -> sha256), so a
#: re-run removes the pages of claims that left the library, and nothing it did not write
MANIFEST = ".claimledger-report.json"


def _sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _manifest(out: Path) -> dict[str, dict[str, str]]:
    """Per format, the files the last run wrote (an unreadable manifest counts as none)."""
    try:
        formats = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["formats"]
        return {
            fmt: {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}
            for fmt, files in formats.items()
            if isinstance(files, dict)
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _ours(out: Path, rel: str, digest: str) -> bool | None:
    """Whether out/rel is still the file a run wrote (None: gone, or a path outside out, as an
    edited manifest could name)."""
    target = out / rel
    if Path(rel).is_absolute() or ".." in Path(rel).parts or not target.is_file():
        return None
    return _sha256(target) == digest


def _write_report(out: Path, fmt: str, files: dict[str, str]) -> Written:
    manifest = _manifest(out)
    previous = manifest.get(fmt, {})
    hashes = {}
    for rel, text in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        hashes[rel] = _sha256(target)
    removed, kept = [], []
    for rel, digest in sorted(previous.items()):
        ours = None if rel in files else _ours(out, rel, digest)
        if ours is None:
            continue
        if not ours:  # changed since: the user's now, left alone and no longer ours
            kept.append(rel)
            continue
        target = out / rel
        target.unlink()
        removed.append(rel)
        if target.parent != out and not any(target.parent.iterdir()):
            target.parent.rmdir()
    manifest[fmt] = hashes
    (out / MANIFEST).write_text(
        json.dumps({"written_by": "claimledger report", "formats": manifest}, indent=1) + "\n",
        encoding="utf-8",
    )
    return Written(out, len(files), removed, kept)


def report(session: Session, fmt: str, output: Path | None) -> Written:
    """`claimledger report`: write the reviewer's report. A re-run in the same format removes
    the files the last one wrote that this one does not (pages of claims that left the library),
    unless they were changed since; it never touches a file it did not write."""
    library = session.library()
    ledger = session.ledger(readonly=True)
    pages = [
        ClaimPage(dossier(library, ledger, c), ledger.audit_entries(c.id)) for c in library.claims
    ]
    files = render_report(pages, fmt, now_iso(), RUBRIC_VERSION)
    out = output or session.db_path.parent / "report"
    try:
        return _write_report(out, fmt, files)
    except OSError as ex:
        raise InputError(f"cannot write the report to {out}: {ex.strerror or ex}") from None


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
