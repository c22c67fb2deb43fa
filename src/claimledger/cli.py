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
@click.option(
    "--source", "sources", multiple=True, help="A document making the claim (repeatable)."
)
@pass_config
def claims_add(cfg: Config, /, **fields: Any) -> None:
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
    """After a refresh, re-grade the claims whose evidence changed."""

    def hook(affected: set[str], summary: Any) -> None:
        from claimledger.gradeflow import grade_claims

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
        from claimledger.gradeflow import grade_claims

        grade_claims(library, ledger, [claim.id])
    finally:
        lock.release()
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
    else:
        click.echo(
            f"Imported {summary.records} records from {file} ({summary.format}) under "
            f"{claim.id}: {summary.new_articles} new, {summary.new_links} new links."
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


# --- grading, dossier, review, approval -------------------------------------------------------


@cli.command()
@click.option("--claim", "claim_ids", multiple=True, help="Only this claim (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="JSON on stdout.")
@pass_config
def grade(cfg: Config, claim_ids: tuple[str, ...], as_json: bool) -> None:
    """Recompute claim grades from the ledger (refresh does this for changed claims).

    New machine assessments are added for linked articles that have none; a grade row is
    appended only when a grade changes. Grades are strong, moderate, limited, insufficient,
    contested or contradicted, marked provisional while they rest on unreviewed assessments.

    Example:

    \b
        claimledger grade --claim treats-ptsd
    """
    from claimledger.gradeflow import dossier, grade_claims
    from claimledger.store import open_ledger

    library = cfg.library()
    chosen = library.select(claim_ids)
    ledger = open_ledger(cfg.db_path, create=False)
    changed = grade_claims(library, ledger, [c.id for c in chosen])
    out = []
    for c in chosen:
        d = dossier(library, ledger, c)
        out.append({"claim_id": c.id, "grade": _grade_label(d), "changed": c.id in changed})
    if as_json:
        click.echo(json.dumps(out, indent=2))
        return
    for row in out:
        mark = "*" if row["changed"] else " "
        click.echo(f"{mark} {row['claim_id']:45} {row['grade']}")


def _grade_label(d: Any) -> str:
    g = d.grade
    if g.needs_non_pubmed_source:
        return "needs a non-PubMed source"
    parts = [g.grade]
    if g.provisional:
        parts.append("provisional")
    if d.stale:
        parts.append("stale")
    return ", ".join(parts)


@cli.command()
@click.argument("claim_id")
@click.option("--json", "as_json", is_flag=True, help="JSON on stdout.")
@pass_config
def show(cfg: Config, claim_id: str, as_json: bool) -> None:
    """Print a claim's dossier: grade and rule trace, evidence, searches, approval status.

    Example:

    \b
        claimledger show bladder-and-urinary-damage
    """
    from claimledger.gradeflow import dossier
    from claimledger.store import open_ledger

    library = cfg.library()
    claim = library.get(claim_id)
    d = dossier(library, open_ledger(cfg.db_path, create=False), claim)
    if as_json:
        click.echo(json.dumps(d.to_dict(), indent=2, ensure_ascii=False))
        return
    from claimledger.report import render_dossier_text

    click.echo(render_dossier_text(d))


class ReviewGroup(AppGroup):
    """`review CLAIM` walks through pending links; `review set ...` records one decision."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["walk", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=ReviewGroup)
def review() -> None:
    """Review machine stance suggestions: accept, override with a reason, or skip.

    `claimledger review CLAIM` walks through the claim's unreviewed evidence interactively;
    `claimledger review set` records one decision without prompts.

    Example:

    \b
        claimledger review treats-ptsd --by "A. Reviewer"
        claimledger review set treats-ptsd 24740528 --stance supports --by "A. Reviewer" \\
          --reason "primary outcome met at 24 h"
    """


@review.command("walk")
@click.argument("claim_id")
@click.option("--by", required=True, help="Reviewer's name (recorded in the audit log).")
@pass_config
def review_walk(cfg: Config, claim_id: str, by: str) -> None:
    """Walk through a claim's unreviewed evidence, best design level first.

    Example:

    \b
        claimledger review treats-ptsd --by "A. Reviewer"
    """
    from claimledger.gradeflow import grade_claims, set_review, unreviewed
    from claimledger.report import ama_citation
    from claimledger.store import open_ledger

    library = cfg.library()
    claim = library.get(claim_id)
    ledger = open_ledger(cfg.db_path, create=False)
    pending = unreviewed(ledger, claim)
    if not pending:
        click.echo(f"Nothing to review for {claim.id}.", err=True)
        return
    click.echo(f"{claim.id}: {claim.statement}\n{len(pending)} links to review.\n")
    done = 0
    for r in pending:
        click.echo(ama_citation(r.article))
        click.echo(f"  design {r.design_level} ({r.population}); suggested stance: {r.stance}")
        if r.anchor_text:
            click.echo(f'  anchor: "{r.anchor_text}"')
        choice = click.prompt(
            "  [a]ccept, [s]upports/[c]ontradicts/[i]nconclusive/[n]ot-relevant, s[k]ip, [q]uit",
            type=click.Choice(["a", "s", "c", "i", "n", "k", "q"]),
            show_choices=False,
        )
        if choice == "q":
            break
        if choice == "k":
            continue
        stance = (
            r.stance
            if choice == "a"
            else {"s": "supports", "c": "contradicts", "i": "inconclusive", "n": "not-relevant"}[
                choice
            ]
        )
        reason = None
        if stance != r.machine_stance:
            reason = click.prompt("  reason for overriding", type=str)
        set_review(ledger, claim, r.article.pmid, stance, by, reason)
        done += 1
    grade_claims(library, ledger, [claim.id], actor=by)
    click.echo(f"Recorded {done} decisions for {claim.id}.", err=True)


@review.command("set")
@click.argument("claim_id")
@click.argument("pmid")
@click.option(
    "--stance",
    required=True,
    type=click.Choice(["supports", "contradicts", "inconclusive", "not-relevant"]),
)
@click.option("--by", required=True, help="Reviewer's name.")
@click.option("--reason", help="Why (required when overriding the suggestion).")
@click.option(
    "--level", type=click.Choice(["L1", "L2", "L3", "L4", "L5"]), help="Correct the design level."
)
@pass_config
def review_set(
    cfg: Config,
    claim_id: str,
    pmid: str,
    stance: str,
    by: str,
    reason: str | None,
    level: str | None,
) -> None:
    """Record a reviewer's stance for one linked article, without prompts.

    Example:

    \b
        claimledger review set not-addictive 38011560 --stance inconclusive \\
          --by "A. Reviewer" --reason "review article, no data on addiction"
    """
    from claimledger.gradeflow import grade_claims, set_review
    from claimledger.store import open_ledger

    library = cfg.library()
    claim = library.get(claim_id)
    ledger = open_ledger(cfg.db_path, create=False)
    set_review(ledger, claim, pmid, stance, by, reason, level=level)
    grade_claims(library, ledger, [claim.id], actor=by)
    click.echo(f"Recorded {stance} for PMID {pmid} under {claim.id} by {by}.", err=True)


@cli.command()
@click.argument("claim_id")
@click.option("--by", required=True, help="Approver's name.")
@click.option("--note", help="A note kept with the approval.")
@pass_config
def approve(cfg: Config, claim_id: str, by: str, note: str | None) -> None:
    """Approve a claim as graded: bound to the claim version and the evidence set.

    The approval goes stale (shown by `show` and reports) when the claim's statement or query
    changes, or when its evidence changes.

    Example:

    \b
        claimledger approve treats-ptsd --by "MLR committee" --note "2026-11 review"
    """
    from claimledger.gradeflow import approve as do_approve
    from claimledger.store import open_ledger

    library = cfg.library()
    claim = library.get(claim_id)
    d = do_approve(library, open_ledger(cfg.db_path, create=False), claim, by, note)
    click.echo(
        f"Approved {claim.id} (version {claim.version}, evidence {d.grade.evidence_hash}, "
        f"grade {_grade_label(d)}) by {by}.",
        err=True,
    )


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
    from claimledger.checkreport import render_check
    from claimledger.claims import claim_to_yaml
    from claimledger.copycheck import ClaimMatcher, check_text, fails
    from claimledger.documents import read_document
    from claimledger.suggest import suggest_claim

    library = cfg.library()
    evidence = {}
    if cfg.db_path.exists():
        from claimledger.gradeflow import check_evidence
        from claimledger.store import open_ledger

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
    from claimledger.gradeflow import dossier
    from claimledger.grading import RUBRIC_VERSION
    from claimledger.reportsite import ClaimPage, render_report
    from claimledger.store import now_iso, open_ledger

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
@pass_config
def export_refs(
    cfg: Config, fmt: str, claim_ids: tuple[str, ...], stance: str | None, output: Path | None
) -> None:
    """References for EndNote, Zotero or Mendeley: RIS, BibTeX or CSL-JSON.

    Each reference carries its PMID, DOI and a note saying which claim it bears on and how.

    Example:

    \b
        claimledger export refs --format ris --claim treats-ptsd --stance supports
        claimledger export refs --format bibtex --output evidence/refs.bib
    """
    from claimledger.gradeflow import evidence_rows
    from claimledger.refs import Reference, to_bibtex, to_csljson, to_ris
    from claimledger.store import open_ledger

    library = cfg.library()
    chosen = library.select(claim_ids)
    ledger = open_ledger(cfg.db_path, create=False)
    refs = [
        Reference(r.article, c.id, r.stance)
        for c in chosen
        for r in evidence_rows(ledger, c, assess=False)
        if not r.deleted and (stance is None or r.stance == stance)
    ]
    text = {"ris": to_ris, "bibtex": to_bibtex, "csljson": to_csljson}[fmt](refs)
    _write_output(text, output)
