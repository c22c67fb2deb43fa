"""The claimledger command line: click only. Options → one library call → output.

Our exceptions become ``Error: ...`` on stderr and a documented exit code in one place
(AppGroup.invoke). Data goes to stdout; messages and progress to stderr.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path
from typing import Any

import click

from claimledger import __version__
from claimledger.errors import ClaimledgerError, ExitStatus, InputError, LedgerError
from claimledger.library.claims import DEFAULT_TOPICS, ClaimsLibrary, load_claims

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  findings or changes, when asked for (--fail-on, --exit-code)
  2  usage error or invalid input (claims.yaml, files, claim ids)
  3  ledger unusable: disk full, read-only, damaged, no access
  4  PubMed unreachable or failing after retries
  5  ledger busy: another command holds the lock or is writing
  6  audit chain broken
  130  interrupted (Ctrl-C)"""


class AppGroup(click.Group):
    """Translates our exceptions into ``Error: ...`` and an exit code, once, for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimledgerError as ex:
            _fail(ctx, ex)
        except sqlite3.Error as ex:  # every SQLite failure is a ledger failure, in words
            from claimledger.ledger.failures import explain

            _fail(ctx, explain(ex, str(_db_path(ctx))))
        except OSError as ex:  # a folder we cannot write, a full disk: not a crash
            _fail(ctx, _os_error(ex, _db_path(ctx)))
        except KeyboardInterrupt:
            # Ctrl-C: whatever was committed stays committed; the open transaction rolled back
            click.echo("Error: interrupted; finished work is kept, nothing half-written", err=True)
            ctx.exit(int(ExitStatus.INTERRUPTED))


def _fail(ctx: click.Context, ex: ClaimledgerError) -> None:
    for line in ex.details:
        click.echo(line, err=True)
    click.echo(f"Error: {ex}", err=True)
    ctx.exit(int(ex.exit_code))


def _os_error(ex: OSError, db_path: Path) -> ClaimledgerError:
    """Disk full, read-only file system, or a file beside the ledger → exit 3; otherwise 2."""
    where = ex.filename or "a file"
    what = ex.strerror or type(ex).__name__
    ledger_dir = db_path.resolve().parent
    near_ledger = bool(ex.filename) and Path(str(ex.filename)).resolve().is_relative_to(ledger_dir)
    if ex.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS) or near_ledger:
        return LedgerError(f"cannot write {where}: {what}; nothing was written to the ledger")
    return InputError(f"cannot use {where}: {what}")


def _db_path(ctx: click.Context) -> Path:
    root = ctx.find_root()
    return root.obj.db_path if isinstance(root.obj, Config) else Path("evidence/ledger.db")


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


# The commands live in one module per area; importing them registers them on `cli`.
from claimledger.cli import (  # noqa: E402
    claims_cmds,
    evidence_cmds,
    output_cmds,
    review_cmds,
)

__all__ = [
    "AppGroup",
    "Config",
    "claims_cmds",
    "cli",
    "evidence_cmds",
    "output_cmds",
    "review_cmds",
]
