"""`claimledger refresh`, `import` and `audit ...`: getting evidence in, and proving the ledger intact."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claimledger.cli.app import AppGroup, cli, pass_session, write_output
from claimledger.cli.params import SECONDS
from claimledger.errors import ExitStatus
from claimledger.textutil import plural

if TYPE_CHECKING:
    from claimledger.service.session import Session

# --- refresh and import ------------------------------------------------------------------------


@cli.command()
@click.option("--claim", "claim_ids", multiple=True, help="Only this claim (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when evidence changed (like git diff --exit-code)."
)
@click.option("--full", is_flag=True, help="Ignore watermarks and search every claim in full.")
@click.option(
    "--wait",
    type=SECONDS,
    default=None,
    is_flag=False,
    flag_value=-1.0,
    help="Wait for a running refresh instead of exiting 5 (optionally, at most SECONDS).",
)
@pass_session
def refresh(
    session: Session,
    claim_ids: tuple[str, ...],
    as_json: bool,
    exit_code: bool,
    full: bool,
    wait: float | None,
) -> None:
    """Pull new and changed PubMed records for every claim into the ledger, then re-grade.

    Incremental and idempotent: only records created or modified since each claim's last
    refresh (with a few days' overlap) are searched, and each PMID is fetched once per run.
    Needs NCBI_EMAIL (your contact address, sent to NCBI); NCBI_API_KEY raises the rate
    limit from 3 to 10 requests/s. CLAIMLEDGER_EUTILS_URL points at another E-utilities host.

    Example:

    \b
        NCBI_EMAIL=you@example.org claimledger refresh --json --exit-code
        claimledger refresh --claim treats-ptsd --wait
    """
    from claimledger.service import evidence

    progress = _progress_bar() if (sys.stderr.isatty() and not as_json) else None
    try:
        summary = evidence.refresh(
            session, claim_ids=claim_ids, full=full, wait=wait, progress=progress
        )
    finally:
        if progress is not None:
            progress.close()
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
    else:
        click.echo(
            f"Refreshed {plural(summary.claims_searched, 'claim')}: {summary.new_articles} new and "
            f"{summary.changed_articles} changed articles, {summary.new_links} new links, "
            f"{len(summary.retracted)} newly retracted, {len(summary.deleted)} deleted "
            f"({summary.requests} requests, {summary.retries} retries)."
        )
    if summary.missing:
        n = len(summary.missing)
        click.echo(
            f"PubMed did not send {plural(n, 'record')} it was asked for "
            f"({', '.join(summary.missing[:5])}{', ...' if n > 5 else ''}); their claims "
            "keep their watermark, so the next refresh asks again.",
            err=True,
        )
    if exit_code and summary.evidence_changed:
        sys.exit(ExitStatus.FINDINGS)


class _Progress:
    def __init__(self) -> None:
        from rich.progress import Progress

        self._p = Progress(transient=True, console=_stderr_console())
        self._task: Any = None
        self._p.start()

    def __call__(self, claim_id: str, i: int, n: int) -> None:
        if self._task is None:
            self._task = self._p.add_task("refresh", total=n)
        self._p.update(self._task, completed=i, description=claim_id or "done")

    def close(self) -> None:
        self._p.stop()


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _progress_bar() -> _Progress:
    return _Progress()


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--claim", "claim_id", required=True, help="File the records under this claim.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
@pass_session
def import_(session: Session, file: Path, claim_id: str, as_json: bool) -> None:
    """Import a PubMed XML or MEDLINE/.nbib export and link its records to a claim.

    Save a search from the PubMed website with "Send to > Citation manager" or
    "Save > Format: PubMed"; the file is parsed completely before anything is written.

    Example:

    \b
        claimledger import pubmed-ketamine-ptsd.nbib --claim treats-ptsd
    """
    from claimledger.service import evidence

    summary = evidence.import_records(session, file, claim_id)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
    else:
        click.echo(
            f"Imported {plural(summary.records, 'record')} from {file} ({summary.format}) under "
            f"{summary.claim_id}: {summary.new_articles} new, {summary.new_links} new links."
        )
    if summary.kept_refreshed:
        n = len(summary.kept_refreshed)
        click.echo(
            f"Kept {plural(n, 'record')} already refreshed from PubMed "
            f"({', '.join(summary.kept_refreshed[:5])}{', ...' if n > 5 else ''}): the file "
            "differs; see `claimledger audit log` for what it says.",
            err=True,
        )


# --- audit -------------------------------------------------------------------------------------


@cli.group(cls=AppGroup)
def audit() -> None:
    """Verify, read and export the tamper-evident audit log.

    Example:

    \b
        claimledger audit verify
        claimledger audit export --format csv > audit.csv
    """


@audit.command("verify")
@pass_session
def audit_verify(session: Session) -> None:
    """Recompute the audit log's hash chain; exit 6 naming the first broken entry.

    Example:

    \b
        claimledger audit verify && echo "ledger intact"
    """
    from claimledger.service import evidence

    n = evidence.audit_verify(session)
    click.echo(f"audit chain intact: {n} entries verified")


@audit.command("log")
@click.option("--claim", "claim_id", help="Only entries about this claim.")
@click.option("--json", "as_json", is_flag=True, help="JSON array on stdout.")
@pass_session
def audit_log(session: Session, claim_id: str | None, as_json: bool) -> None:
    """Print the audit log, oldest first.

    Example:

    \b
        claimledger audit log --claim treats-ptsd
    """
    from claimledger.service import evidence

    rows = evidence.audit_log(session, claim_id)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for r in rows:
        click.echo(
            f"{r['seq']:6} {r['at']} {r['actor']:12} {r['action']:18} {r['subject']} {r['details']}"
        )


@audit.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout)."
)
@pass_session
def audit_export(session: Session, fmt: str, output: Path | None) -> None:
    """Export the whole audit log (with hashes, so it can be verified elsewhere).

    Example:

    \b
        claimledger audit export --format jsonl --output audit.jsonl
    """
    from claimledger.service import evidence

    write_output(evidence.audit_export(session, fmt), output)
