"""`claimledger check`, `report` and `export refs`: what writers and reviewers take away."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimledger.cli.app import AppGroup, cli, pass_session, write_output
from claimledger.errors import ExitStatus, InputError
from claimledger.textutil import plural

if TYPE_CHECKING:
    from claimledger.service.session import Session

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
    help="Exit 1 when findings of this kind exist (for CI of content repositories): "
    "unsupported = a matched claim graded below moderate, or not graded yet; overstated = any "
    "flag; unmatched = a claim-like sentence matched to no library claim (one about another "
    "treatment too); any = one of these.",
)
@click.option(
    "--suggest",
    is_flag=True,
    help="Print claims.yaml stubs for unmatched claim-like sentences (on stderr when a JSON, "
    "Markdown or HTML document goes to stdout, so that stays valid).",
)
@pass_session
def check(
    session: Session,
    files: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    fail_on: str,
    suggest: bool,
) -> None:
    """Check copy (.txt, .md, .html, .docx, .pdf, .rtf, a folder of them, or - for standard
    input) against the claims library and the ledger.

    Reads the page's structure (FAQ questions and answers, headlines, bullets under an intro
    line, captions, navigation and footer), works out which treatment each sentence is about,
    marks every claim-like sentence and matches it to a library claim by topic and condition (or
    reports it as about another treatment, or as not in the library with the nearest claims),
    gives the claim's evidence grade and top references, and flags overstatement with its
    regulatory basis: absolute safety, unqualified efficacy, puffery, minimisation, unsupported
    figures, comparative superiority, approval scope, testimonials as proof, certainty beyond the
    grade, missing fair balance, contested or contradicted claims. Look-alike letters (Cyrillic
    "а"), zero-width characters, soft hyphens and ligatures are read as the plain letters they
    show, while findings quote and point at the text as written. Works without network; with no
    ledger every matched claim shows "no evidence yet".

    Inputs: text in UTF-8, UTF-16 (Word's and Notepad's "Unicode") or a legacy code page
    (cp1252, Latin-1) is detected. A folder is checked with its sub-folders, leaving out hidden
    files and folders; documents in it that cannot be read (.doc, .pptx...) are listed as
    skipped. A file that cannot be read gets an Error line and the others are still checked.
    Line numbers count lines of the text read (for .html and .docx, its text, not the file's
    source; for a .pdf, the page and the line on it).

    Exit status: 0 checked; 1 findings of the --fail-on kind; 2 a usage error, or a file or
    folder that could not be read (even when the others were checked).

    JSON schema (one object per document, an array for several):
    {schema_version, document, findings: [{sentence, start, end, claim_id, match_score, grade,
    flags: [{code, message, basis}], references: [{pmid, citation, url}], candidates,
    categories, topic, other_treatment, context, disguised: [{written, read, characters}]}],
    summary}; start and end are character offsets into the text read.

    Example:

    \b
        claimledger check draft.docx
        claimledger check blog/*.md --format json --fail-on overstated
        claimledger check page.html --format html --output page-check.html
        claimledger check drafts/ --fail-on overstated
        pbpaste | claimledger check -
    """
    from claimledger.reports.check import render_check
    from claimledger.service import output as service

    if output is not None and any(_same_file(output, f) for f in files):
        raise InputError(
            f"--output {output} is one of the files being checked; write the result elsewhere "
            "(it would replace the copy)"
        )
    outcome = service.check(session, files, fail_on, suggest)
    for message in outcome.unreadable:
        click.echo(f"Error: {message}", err=True)
    for message in outcome.skipped:
        click.echo(f"note: {message}", err=True)
    if outcome.results:
        write_output(render_check(outcome.results, fmt), output)
    # drafts never mix into a JSON, Markdown or HTML document on stdout: they go to stderr then
    drafts_to_stderr = fmt != "text" and output is None
    if suggest and outcome.suggestions:
        click.echo(
            "# Draft claims for sentences not in the library: review, then paste under claims:\n"
            + "".join(outcome.suggestions),
            err=drafts_to_stderr,
        )
    elif suggest:
        others = any(f.about_other_treatment for r in outcome.results for f in r.findings)
        click.echo(
            "# No claims to draft: every claim-like sentence matched the library or is about "
            "another treatment."
            if others
            else "# Every claim-like sentence matched the library: no claims to draft.",
            err=drafts_to_stderr,
        )
    if outcome.unreadable:
        sys.exit(ExitStatus.INVALID_INPUT)
    if outcome.failed:
        sys.exit(ExitStatus.FINDINGS)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


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
    help="Directory to write into (default: report/ in the ledger's folder, evidence/report/).",
)
@pass_session
def report(session: Session, fmt: str, output: Path | None) -> None:
    """Write the reviewer's report: an index with an evidence map, one dossier per claim.

    HTML is self-contained (no scripts, no CDN) and works offline; every dossier shows the grade
    and its rule trace, the evidence table with anchoring sentences and reviewer decisions,
    retraction and correction alerts, the audit history and the approval status.

    A re-run removes what the previous run in the same format wrote and this one does not (the
    pages of claims that left the library), as listed in .claimledger-report.json in the folder;
    files it did not write, and its own files changed since, are left alone.

    Example:

    \b
        claimledger report
        claimledger report --format csv --output out/
    """
    from claimledger.service import output as service

    w = service.report(session, fmt, output)
    for rel in w.kept:
        click.echo(f"Kept {rel}: the previous report wrote it, but it was changed since", err=True)
    removed = (
        f" (removed {len(w.removed)} the previous report wrote that this one does not)"
        if w.removed
        else ""
    )
    click.echo(f"Wrote {plural(w.files, 'file')} to {w.directory}/{removed}", err=True)


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
@pass_session
def export_refs(
    session: Session,
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
    from claimledger.service import output as service

    write_output(service.export_refs(session, fmt, claim_ids, stance, include_retracted), output)
