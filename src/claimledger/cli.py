"""The claimledger command line: click only. Options → one library call → output.

Our exceptions become ``Error: ...`` on stderr and a documented exit code in one place
(AppGroup.invoke). Data goes to stdout; messages and progress to stderr.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from claimledger import __version__
from claimledger.claims import (
    DEFAULT_TOPICS,
    KINDS,
    POLARITIES,
    ClaimsLibrary,
    append_claim,
    load_claims,
)
from claimledger.errors import ClaimledgerError, ExitStatus, InputError

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  findings or changes, when asked for (--fail-on, --exit-code)
  2  usage error or invalid input (claims.yaml, files, claim ids)
  4  PubMed unreachable or failing after retries
  5  ledger busy: another refresh holds the lock
  6  audit chain broken"""


class AppGroup(click.Group):
    """Translates our exceptions into ``Error: ...`` and an exit code, once, for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimledgerError as ex:
            for line in ex.details:
                click.echo(line, err=True)
            click.echo(f"Error: {ex}", err=True)
            ctx.exit(int(ex.exit_code))


class Config:
    """Paths shared by every command (from the group's --claims and --db)."""

    def __init__(self, claims: Path, db: Path) -> None:
        self.claims_path = claims
        self.db_path = db

    def library(self) -> ClaimsLibrary:
        return load_claims(self.claims_path)


pass_config = click.make_pass_decorator(Config)


@click.group(
    cls=AppGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_CODES_HELP,
)
@click.option(
    "--claims",
    "claims_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("claims.yaml"),
    show_default=True,
    envvar="CLAIMLEDGER_CLAIMS",
    help="The claims library (env CLAIMLEDGER_CLAIMS).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("evidence/ledger.db"),
    show_default=True,
    envvar="CLAIMLEDGER_DB",
    help="The evidence ledger, SQLite (env CLAIMLEDGER_DB).",
)
@click.version_option(__version__, prog_name="claimledger")
@click.pass_context
def cli(ctx: click.Context, claims_path: Path, db_path: Path) -> None:
    """How well does the published literature support each health claim in your copy?

    claimledger keeps a claims library (claims.yaml), pulls PubMed records for each claim,
    grades the evidence with a transparent rule trace, checks copy for overstatement, and keeps
    an append-only, tamper-evident ledger of every search, grade and human decision.

    Example:

    \b
        claimledger check draft.docx
        NCBI_EMAIL=you@example.org claimledger refresh --json
    """
    ctx.obj = Config(claims_path, db_path)


# --- init --------------------------------------------------------------------------------------

SKELETON = """\
# claimledger claims library.
# One entry per health claim, in your own words. Validate with `claimledger claims validate`.
#
# Required fields:
#   id         stable slug: lower-case letters, digits, single hyphens
#   statement  the claim in canonical wording
#   topic      one of the topics below (edit the list to suit your product)
#   kind       efficacy | safety | mechanism | regulatory | procedure
#   polarity   asserts-benefit | asserts-no-harm | asserts-harm | asserts-fact
#   query      a PubMed query: MeSH plus title/abstract synonyms, upper-case AND/OR/NOT
# Optional: population, intervention, comparator, outcome, timeframe, note,
#           variants (phrasings seen in copy), sources (documents that make the claim)
# Changing a statement or query makes a new claim version; old grades stay with the old one.
version: 1

settings:
  relevance_limit: 200     # records fetched per claim by relevance, after all high-level evidence
  stale_after_days: 90     # a grade older than this is marked stale
  overlap_days: 3          # incremental refresh re-reads this many days before the watermark

topics: [{topics}]

claims:
  - id: example-claim
    statement: Drug X reduces symptom Y in adults with condition Z.
    topic: {first_topic}
    kind: efficacy
    polarity: asserts-benefit
    population: adults with condition Z
    intervention: drug X
    outcome: symptom Y
    query: >-
      ("Drug X"[tiab]) AND ("Condition Z"[mh] OR "condition z"[tiab])
    variants:
      - drug X relieves symptom Y
    sources: [draft-001.md]
"""


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--force", is_flag=True, help="Overwrite an existing claims.yaml.")
def init(directory: Path, force: bool) -> None:
    """Start a claims library of your own: a commented claims.yaml and an empty evidence/.

    Example:

    \b
        claimledger init my-product
        cd my-product && claimledger claims validate
    """
    target = directory / "claims.yaml"
    if target.exists() and not force:
        raise InputError(f"{target} already exists; pass --force to overwrite it")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "evidence").mkdir(exist_ok=True)
        target.write_text(
            SKELETON.format(topics=", ".join(DEFAULT_TOPICS), first_topic=DEFAULT_TOPICS[0]),
            encoding="utf-8",
        )
    except OSError as ex:
        raise InputError(f"cannot create {target}: {ex.strerror or ex}") from None
    click.echo(f"Created {target} and {directory / 'evidence'}/", err=True)


# --- claims ------------------------------------------------------------------------------------


@cli.group(cls=AppGroup)
def claims() -> None:
    """Validate, list and add claims in the claims library.

    Example:

    \b
        claimledger claims validate
        claimledger claims list --topic ptsd
    """


@claims.command("validate")
@pass_config
def claims_validate(cfg: Config) -> None:
    """Check claims.yaml and report every problem at once (exit 2 when invalid).

    Checks YAML syntax, unknown or missing fields, types, ids, allowed values, empty statements
    and PubMed query syntax, naming file, line and claim id for each problem.

    Example:

    \b
        claimledger --claims claims.yaml claims validate
    """
    library = cfg.library()
    click.echo(f"{cfg.claims_path}: {len(library.claims)} claims, all valid")


@claims.command("list")
@click.option("--topic", help="Only claims with this topic.")
@click.option("--json", "as_json", is_flag=True, help="JSON array on stdout.")
@pass_config
def claims_list(cfg: Config, topic: str | None, as_json: bool) -> None:
    """List the claims in the library.

    Example:

    \b
        claimledger claims list --topic chronic-pain --json
    """
    library = cfg.library()
    if topic is not None and topic not in library.topics:
        raise InputError(f'unknown topic "{topic}"; topics: {", ".join(library.topics)}')
    chosen = [c for c in library.claims if topic is None or c.topic == topic]
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in chosen], indent=2, ensure_ascii=False))
        return
    for c in chosen:
        click.echo(f"{c.id:45} {c.topic:18} {c.kind:11} {c.statement}")


@claims.command("add")
@click.option("--id", "claim_id", help="Stable slug, e.g. relieves-migraine.")
@click.option("--statement")
@click.option("--topic")
@click.option("--kind", type=click.Choice(KINDS))
@click.option("--polarity", type=click.Choice(POLARITIES))
@click.option("--query", help="PubMed query string.")
@click.option("--population")
@click.option("--intervention")
@click.option("--comparator")
@click.option("--outcome")
@click.option("--timeframe")
@click.option("--variant", "variants", multiple=True, help="A phrasing seen in copy (repeatable).")
@click.option("--source", "sources", multiple=True, help="A document making the claim (repeatable).")
@pass_config
def claims_add(cfg: Config, **fields: Any) -> None:
    """Append a claim to claims.yaml, validating the result before anything is written.

    Prompts for required fields not given as options.

    Example:

    \b
        claimledger claims add --id relieves-migraine --topic chronic-pain \\
          --kind efficacy --polarity asserts-benefit \\
          --statement "Ketamine relieves migraine." \\
          --query '(Ketamine[mh] OR ketamine[tiab]) AND (Migraine Disorders[mh] OR migraine[tiab])'
    """
    fields["id"] = fields.pop("claim_id")
    prompts = {
        "id": ("Claim id (slug)", None),
        "statement": ("Statement", None),
        "topic": ("Topic", click.Choice(_topics(cfg.claims_path))),
        "kind": ("Kind", click.Choice(KINDS)),
        "polarity": ("Polarity", click.Choice(POLARITIES)),
        "query": ("PubMed query", None),
    }
    for key, (text, choice) in prompts.items():
        if not fields.get(key):
            fields[key] = click.prompt(text, type=choice)
    fields["variants"] = list(fields["variants"])
    fields["sources"] = list(fields["sources"])
    claim = append_claim(cfg.claims_path, fields)
    click.echo(f"Added claim {claim.id} to {cfg.claims_path}", err=True)


def _topics(path: Path) -> list[str]:
    try:
        return list(load_claims(path).topics)
    except ClaimledgerError:
        return list(DEFAULT_TOPICS)


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
    type=float,
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
    from claimledger import workflow
    from claimledger.eutils import client_from_env
    from claimledger.store import open_ledger

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
            f"Refreshed {summary.claims_searched} claims: {summary.new_articles} new and "
            f"{summary.changed_articles} changed articles, {summary.new_links} new links, "
            f"{len(summary.retracted)} newly retracted, {len(summary.deleted)} deleted "
            f"({summary.requests} requests, {summary.retries} retries)."
        )
    if exit_code and summary.evidence_changed:
        sys.exit(ExitStatus.FINDINGS)


def _regrade_hook(library: ClaimsLibrary, ledger: Any) -> Any:
    def hook(affected: set[str], summary: Any) -> None:
        try:
            from claimledger.gradeflow import grade_claims
        except ImportError:
            return
        ids = [c.id for c in library.claims if c.id in affected]
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
    from claimledger.store import open_ledger
    from claimledger.workflow import import_file, ledger_lock

    library = cfg.library()
    claim = library.get(claim_id)
    if not file.is_file():
        raise InputError(f"cannot read {file}: no such file")
    lock = ledger_lock(cfg.db_path, 30)
    try:
        ledger = open_ledger(cfg.db_path)
        summary = import_file(file, claim, ledger)
        _regrade_hook(library, ledger)({claim.id}, _Bag())
    finally:
        lock.release()
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
    else:
        click.echo(
            f"Imported {summary.records} records from {file} ({summary.format}) under "
            f"{claim.id}: {summary.new_articles} new, {summary.new_links} new links."
        )


class _Bag:
    regraded: list[str] = []


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
    from claimledger.store import open_ledger

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
    from claimledger.store import open_ledger

    rows = open_ledger(cfg.db_path, create=False).audit_entries(claim_id)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for r in rows:
        click.echo(f"{r['seq']:6} {r['at']} {r['actor']:12} {r['action']:18} {r['subject']} {r['details']}")


@audit.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout).")
@pass_config
def audit_export(cfg: Config, fmt: str, output: Path | None) -> None:
    """Export the whole audit log (with hashes, so it can be verified elsewhere).

    Example:

    \b
        claimledger audit export --format jsonl --output audit.jsonl
    """
    from claimledger.store import open_ledger

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


def _write_output(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as ex:
        raise InputError(f"cannot write {output}: {ex.strerror or ex}") from None
    click.echo(f"Wrote {output}", err=True)
