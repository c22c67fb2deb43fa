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
            f"{summary.changed_articles} changed articles, {plural(summary.new_links, 'new link')}, "
            f"{len(summary.retracted)} newly retracted, {len(summary.deleted)} deleted "
            f"({plural(summary.requests, 'request')}, {plural(summary.retries, 'retry', 'retries')})."
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
    """Import a PubMed XML or MEDLINE/.nbib export, link its records to a claim, re-grade.

    The claim is graded again, and so is every other claim linked to a record the file changed.

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
            f"{summary.claim_id}: {summary.new_articles} new, {plural(summary.new_links, 'new link')}."
        )
    if summary.revised_refreshed:
        n = len(summary.revised_refreshed)
        click.echo(
            f"The file changed {plural(n, 'record')} refreshed from PubMed "
            f"({', '.join(summary.revised_refreshed[:5])}{', ...' if n > 5 else ''}): each is "
            "a new version, the PubMed one kept; `claimledger audit log` shows what changed.",
            err=True,
        )


# --- audit -------------------------------------------------------------------------------------


@cli.group(cls=AppGroup)
def audit() -> None:
    """Verify, checkpoint, read and export the tamper-evident audit log.

    Every row that matters (claim versions, runs, searches, stored responses, articles and
    their versions, links, assessments, grades, approvals) is bound by its content hash to a
    hash-chained audit entry. Checkpoints (chain heads kept outside the ledger) and an optional
    HMAC key (CLAIMLEDGER_AUDIT_KEY or CLAIMLEDGER_AUDIT_KEY_FILE) catch consistent rewrites.

    Example:

    \b
        claimledger audit verify --checkpoint audit-checkpoints.txt
        claimledger audit checkpoint --output /mnt/worm/claimledger-heads.txt
        claimledger audit export --format csv > audit.csv
    """


_CHECKPOINT_OPT = click.option(
    "--checkpoint",
    "checkpoint_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A checkpoint file (repeatable); default: audit-checkpoints.txt beside claims.yaml "
    "(env CLAIMLEDGER_CHECKPOINTS) when it exists.",
)


@audit.command("verify")
@_CHECKPOINT_OPT
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="HMAC key file (else env CLAIMLEDGER_AUDIT_KEY_FILE or CLAIMLEDGER_AUDIT_KEY).",
)
@click.option(
    "--backup",
    is_flag=True,
    help="The ledger is a backup: checkpoints taken after its last entry are expected "
    "(those up to it must still match).",
)
@pass_session
def audit_verify(
    session: Session, checkpoint_files: tuple[Path, ...], key_file: Path | None, backup: bool
) -> None:
    """Prove the ledger intact; exit 6 naming the first problem.

    Recomputes every entry's hash and link, checks time stamps never go backwards, checks the
    ledger still holds every checkpointed head (truncation, an older copy, a rewrite), and
    recomputes every bound row: a row without its entry, an entry without its row or a changed
    row is tampering. With a key, every keyed entry's HMAC is checked too. Opens the ledger
    read-only, so a backup on read-only media verifies.

    Example:

    \b
        claimledger audit verify && echo "ledger intact"
        claimledger audit verify --checkpoint heads.txt --key-file /secure/audit.key
        claimledger --db backups/ledger-2026-11-01.db audit verify --backup
    """
    from claimledger.service import evidence

    rep = evidence.audit_verify(session, checkpoint_files, key_file, backup=backup)
    r = rep.result
    head = f"; head {rep.head.seq} {rep.head.hash}" if rep.head else ""
    cps = (
        f", {plural(r.checkpoints, 'checkpoint')}"
        if rep.checkpoint_files
        else ", no checkpoint file"
    )
    if r.later_checkpoints:
        cps += f" ({r.later_checkpoints} taken after this backup)"
    click.echo(
        f"audit trail intact: {plural(r.entries, 'entry', 'entries')} and {plural(r.rows, 'row')} "
        f"verified{cps}"
        f"{', HMAC checked' if r.keyed else ''}{head}"
    )
    if rep.unkeyed_note:
        click.echo("note: entries carry HMACs; give the key to check them", err=True)


@audit.command("checkpoint")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the line to this file (keep it outside the ledger: git, a WORM share).",
)
@pass_session
def audit_checkpoint(session: Session, output: Path | None) -> None:
    """Print the chain head as one line (SEQ HASH TIME), optionally appending it to a file.

    A later `audit verify --checkpoint FILE` fails if the ledger no longer holds that head:
    truncated, replaced by an older copy, or rewritten before it.

    Example:

    \b
        claimledger audit checkpoint --output audit-checkpoints.txt
    """
    from claimledger.service import evidence

    click.echo(evidence.audit_checkpoint(session, output).line())


@audit.command("upgrade")
@pass_session
def audit_upgrade(session: Session) -> None:
    """Upgrade a ledger written by an older claimledger to this version's schema.

    Reading commands refuse an older ledger rather than write to it; any writing command
    upgrades it too (refresh once it holds the writer lock). The upgrade is recorded in the
    audit log (`ledger.upgrade`, naming the migrations). A ledger from before rows were bound to
    the audit chain also gets one audited re-binding entry, which binds rows that had no audit
    entry yet as they are now: it proves they have not changed since the upgrade, not that they
    were unchanged before it.

    Example:

    \b
        claimledger audit upgrade && claimledger audit checkpoint --output heads.txt
    """
    from claimledger.service import evidence

    click.echo(f"ledger at the current schema; audit head {evidence.audit_upgrade(session)}")


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
    if not rows and claim_id is not None:  # a mistyped id must not look like a quiet history
        click.echo(f'no audit entries about claim "{claim_id}"', err=True)
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
@_CHECKPOINT_OPT
@pass_session
def audit_export(
    session: Session, fmt: str, output: Path | None, checkpoint_files: tuple[Path, ...]
) -> None:
    """Export the whole audit log and the checkpoints (with hashes, to verify elsewhere).

    Each record has `record` = entry or checkpoint. CSV cells starting with = + - @ are
    prefixed with an apostrophe so a spreadsheet shows them instead of running them.

    Example:

    \b
        claimledger audit export --format jsonl --output audit.jsonl
        claimledger audit export --format csv --checkpoint heads.txt > audit.csv
    """
    from claimledger.service import evidence

    write_output(evidence.audit_export(session, fmt, checkpoint_files), output)
