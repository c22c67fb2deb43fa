"""`claimledger check`, `report` and `export refs`: what writers and reviewers take away."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from claimledger.cli import AppGroup, Config, _write_output, cli, pass_config
from claimledger.errors import ClaimledgerError, ExitStatus, InputError

# --- copy check --------------------------------------------------------------------------------


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md", "html"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--output", type=click.Path(path_type=Path), help="Write here instead of stdout.")
@click.option(
    "--fail-on",
    type=click.Choice(["none", "unsupported", "overstated", "unmatched", "any"]),
    default="none",
    show_default=True,
    help="Exit 1 when findings of this kind exist (for CI of content repositories).",
)
@click.option(
    "--suggest", is_flag=True, help="Print claims.yaml stubs for unmatched claim-like sentences."
)
@pass_config
def check(
    cfg: Config, files: tuple[Path, ...], fmt: str, output: Path | None, fail_on: str, suggest: bool
) -> None:
    """Check copy (.txt, .md, .html, .docx) against the claims library and the ledger.

    Marks every claim-like sentence, matches it to a library claim (or reports it as not in
    the library, with the nearest candidates), gives the claim's evidence grade and top
    references, and flags overstatement: absolutes and minimisers, certainty beyond the grade,
    missing fair balance, misstated approval status, contested or contradicted claims. Works
    without network; with no ledger every matched claim shows "no evidence yet".

    JSON schema (one object per document, an array for several):
    {schema_version, document, findings: [{sentence, start, end, claim_id, match_score, grade,
    flags: [{code, message}], references: [{pmid, citation, url}], candidates, categories}],
    summary}

    Example:

    \b
        claimledger check draft.docx
        claimledger check blog/*.md --format json --fail-on overstated
        claimledger check page.html --format html --output page-check.html
    """
    from claimledger.copy.check import ClaimMatcher, check_text, fails
    from claimledger.copy.documents import read_document
    from claimledger.copy.suggest import suggest_claim
    from claimledger.library.claims import claim_to_yaml
    from claimledger.reports.check import render_check

    library = cfg.library()
    evidence = {}
    if cfg.db_path.exists():
        from claimledger.ledger.store import open_ledger
        from claimledger.service.grading import check_evidence

        evidence = check_evidence(library, open_ledger(cfg.db_path, create=False))
    matcher = ClaimMatcher(library)
    results = []
    unreadable = 0
    for f in files:
        try:
            doc = read_document(f)
        except ClaimledgerError as ex:
            click.echo(f"Error: {ex}", err=True)
            unreadable += 1
            continue
        results.append(check_text(doc.name, doc.text, library, evidence, matcher, doc.kind))
    if results:
        _write_output(render_check(results, fmt), output)
    if suggest:
        stubs = [
            claim_to_yaml(suggest_claim(f.sentence, r.document, library))
            for r in results
            for f in r.findings
            if f.claim_id is None
        ]
        click.echo(
            "# Draft claims for sentences not in the library: review, then paste under claims:\n"
            + "".join(stubs)
        )
    if unreadable:
        sys.exit(ExitStatus.INVALID_INPUT)
    if fails(results, fail_on):
        sys.exit(ExitStatus.FINDINGS)


# --- reports and exports -----------------------------------------------------------------------


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "json", "csv"]),
    default="html",
    show_default=True,
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory to write into (default: evidence/report/ beside the ledger).",
)
@pass_config
def report(cfg: Config, fmt: str, output: Path | None) -> None:
    """Write the reviewer's report: an index with an evidence map, one dossier per claim.

    HTML is self-contained (no scripts, no CDN) and works offline; every dossier shows the grade
    and its rule trace, the evidence table with anchoring sentences and reviewer decisions,
    retraction and correction alerts, the audit history and the approval status.

    Example:

    \b
        claimledger report
        claimledger report --format csv --output out/
    """
    from claimledger.assess.grading import RUBRIC_VERSION
    from claimledger.ledger.store import now_iso, open_ledger
    from claimledger.reports.site import ClaimPage, render_report
    from claimledger.service.grading import dossier

    library = cfg.library()
    ledger = open_ledger(cfg.db_path, create=False)
    pages = [
        ClaimPage(dossier(library, ledger, c), ledger.audit_entries(c.id)) for c in library.claims
    ]
    files = render_report(pages, fmt, now_iso(), RUBRIC_VERSION)
    out = output or cfg.db_path.parent / "report"
    try:
        for rel, text in files.items():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    except OSError as ex:
        raise InputError(f"cannot write the report to {out}: {ex.strerror or ex}") from None
    click.echo(f"Wrote {len(files)} files to {out}/", err=True)


@cli.group(cls=AppGroup)
def export() -> None:
    """Export evidence for other tools.

    Example:

    \b
        claimledger export refs --format ris --stance supports > supporting.ris
    """


@export.command("refs")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ris", "bibtex", "csljson"]),
    default="ris",
    show_default=True,
)
@click.option("--claim", "claim_ids", multiple=True, help="Only this claim (repeatable).")
@click.option(
    "--stance",
    type=click.Choice(["supports", "contradicts", "inconclusive", "not-relevant"]),
    help="Only references with this stance towards their claim.",
)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout)."
)
@click.option(
    "--include-retracted", is_flag=True, help="Keep retracted papers (left out by default)."
)
@pass_config
def export_refs(
    cfg: Config,
    fmt: str,
    claim_ids: tuple[str, ...],
    stance: str | None,
    output: Path | None,
    include_retracted: bool,
) -> None:
    """References for EndNote, Zotero or Mendeley: RIS, BibTeX or CSL-JSON.

    One reference per PMID, with its DOI and a note saying which claims it bears on and how;
    retracted papers are left out unless --include-retracted.

    Example:

    \b
        claimledger export refs --format ris --claim treats-ptsd --stance supports
        claimledger export refs --format bibtex --output evidence/refs.bib
    """
    from claimledger.ledger.store import open_ledger
    from claimledger.reports.refs import (
        Reference,
        to_bibtex,
        to_csljson,
        to_ris,
        unique_references,
    )
    from claimledger.service.grading import evidence_rows

    library = cfg.library()
    chosen = library.select(claim_ids)
    ledger = open_ledger(cfg.db_path, create=False)
    refs = unique_references(
        (
            Reference(r.article, c.id, r.stance)
            for c in chosen
            for r in evidence_rows(ledger, c, assess=False)
            if not r.deleted and (stance is None or r.stance == stance)
        ),
        include_retracted=include_retracted,
    )
    text = {"ris": to_ris, "bibtex": to_bibtex, "csljson": to_csljson}[fmt](refs)
    _write_output(text, output)
