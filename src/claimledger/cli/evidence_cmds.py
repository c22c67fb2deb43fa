"""`claimledger refresh`, `import` and `audit ...`: getting evidence in, and proving the ledger intact."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from claimledger.cli import AppGroup, Config, _write_output, cli, pass_config
from claimledger.cli.params import SECONDS
from claimledger.errors import ExitStatus, InputError
from claimledger.library.claims import ClaimsLibrary
from claimledger.textutil import plural

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
@pass_config
def refresh(
    cfg: Config,
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
    from claimledger.ledger.store import open_ledger
    from claimledger.pubmed.eutils import client_from_env
    from claimledger.service import refresh as workflow

    library = cfg.library()
    library.select(claim_ids)  # unknown ids fail before anything else
    client = client_from_env()
    # no --wait: fail at once (timeout 0); --wait: forever (-1); --wait N: N seconds
    lock = workflow.ledger_lock(cfg.db_path, 0 if wait is None else wait)
    try:
        ledger = open_ledger(cfg.db_path)
        progress = _progress_bar() if (sys.stderr.isatty() and not as_json) else None
        try:
            summary = workflow.refresh(
                library,
                ledger,
                client,
                claim_ids=claim_ids,
                full=full,
                progress=progress,
                after_claims=_regrade_hook(library, ledger),
            )
        finally:
            if progress is not None:
                progress.close()
    finally:
        lock.release()
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
            f"PubMed did not send {n} record{'s' if n != 1 else ''} it was asked for "
            f"({', '.join(summary.missing[:5])}{', ...' if n > 5 else ''}); their claims "
            "keep their watermark, so the next refresh asks again.",
            err=True,
        )
    if exit_code and summary.evidence_changed:
        sys.exit(ExitStatus.FINDINGS)


def _regrade_hook(library: ClaimsLibrary, ledger: Any) -> Any:
    """After a refresh, re-grade the claims whose evidence changed."""

    def hook(affected: set[str], summary: Any) -> None:
        from claimledger.service.grading import grade_claims

        ids = [c.id for c in library.claims if c.id in affected]
        if ids:
            summary.regraded = grade_claims(library, ledger, ids)

    return hook


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
@pass_config
def import_(cfg: Config, file: Path, claim_id: str, as_json: bool) -> None:
    """Import a PubMed XML or MEDLINE/.nbib export and link its records to a claim.

    Save a search from the PubMed website with "Send to > Citation manager" or
    "Save > Format: PubMed"; the file is parsed completely before anything is written.

    Example:

    \b
        claimledger import pubmed-ketamine-ptsd.nbib --claim treats-ptsd
    """
    from claimledger.ledger.store import open_ledger
    from claimledger.service.refresh import import_file, ledger_lock

    library = cfg.library()
    claim = library.get(claim_id)
    if not file.is_file():
        raise InputError(f"cannot read {file}: no such file")
    lock = ledger_lock(cfg.db_path, 30)
    try:
        ledger = open_ledger(cfg.db_path)
        summary = import_file(file, claim, ledger)
        from claimledger.service.grading import grade_claims

        grade_claims(library, ledger, [claim.id])
    finally:
        lock.release()
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
    else:
        click.echo(
            f"Imported {plural(summary.records, 'record')} from {file} ({summary.format}) under "
            f"{claim.id}: {summary.new_articles} new, {summary.new_links} new links."
        )
    if summary.kept_refreshed:
        n = len(summary.kept_refreshed)
        click.echo(
            f"Kept {n} record{'s' if n != 1 else ''} already refreshed from PubMed "
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
@pass_config
def audit_verify(cfg: Config) -> None:
    """Recompute the audit log's hash chain; exit 6 naming the first broken entry.

    Example:

    \b
        claimledger audit verify && echo "ledger intact"
    """
    from claimledger.ledger.store import open_ledger

    n = open_ledger(cfg.db_path, create=False).verify_audit()
    click.echo(f"audit chain intact: {n} entries verified")


@audit.command("log")
@click.option("--claim", "claim_id", help="Only entries about this claim.")
@click.option("--json", "as_json", is_flag=True, help="JSON array on stdout.")
@pass_config
def audit_log(cfg: Config, claim_id: str | None, as_json: bool) -> None:
    """Print the audit log, oldest first.

    Example:

    \b
        claimledger audit log --claim treats-ptsd
    """
    from claimledger.ledger.store import open_ledger

    rows = open_ledger(cfg.db_path, create=False).audit_entries(claim_id)
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
@pass_config
def audit_export(cfg: Config, fmt: str, output: Path | None) -> None:
    """Export the whole audit log (with hashes, so it can be verified elsewhere).

    Example:

    \b
        claimledger audit export --format jsonl --output audit.jsonl
    """
    from claimledger.ledger.store import open_ledger

    rows = open_ledger(cfg.db_path, create=False).audit_entries()
    buf = io.StringIO()
    if fmt == "jsonl":
        for r in rows:
            buf.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        cols = ["seq", "at", "actor", "action", "subject", "details", "prev_hash", "hash"]
        w = csv.DictWriter(buf, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    _write_output(buf.getvalue(), output)
