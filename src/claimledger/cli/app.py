"""The claimledger command group: click only. Options → one service call → output.

Our exceptions become ``Error: ...`` on stderr and a documented exit code in one place
(AppGroup.invoke). Data goes to stdout; messages and progress to stderr.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import Any

import click

from claimledger import __version__
from claimledger.clock import SYSTEM_CLOCK, Clock
from claimledger.errors import ClaimledgerError, ExitStatus, InputError, LedgerError
from claimledger.service.session import Session, declared_actor, ledger_failure, resolve_paths

__all__ = ["EXIT_CODES_HELP", "AppGroup", "cli", "pass_session", "write_output"]

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  findings or changes, when asked for (--fail-on, --exit-code)
  2  usage error or invalid input (claims.yaml, files, claim ids)
  3  ledger unusable: disk full, read-only, damaged, no access
  4  PubMed unreachable or failing after retries
  5  ledger busy: another command holds the lock or is writing
  6  audit chain broken
  130  interrupted (Ctrl-C)
  141  output closed early (piped into head): stops quietly"""


class AppGroup(click.Group):
    """Translates our exceptions into ``Error: ...`` and an exit code, once, for every command;
    SQLite and OS failures and Ctrl-C too, so no command ends in a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimledgerError as ex:
            _fail(ctx, ex)
        except click.Abort as ex:  # a prompt saw end of input or Ctrl-C
            click.echo()  # end the prompt's line, so the error starts on its own
            if isinstance(ex.__context__, EOFError):
                _fail(ctx, InputError(_NO_INPUT))
            else:
                click.echo(f"Error: {_INTERRUPTED}", err=True)
                ctx.exit(int(ExitStatus.INTERRUPTED))
        except BrokenPipeError:  # `claimledger show ... | head`: the reader has what it wanted
            _silence_stdout()
            ctx.exit(int(ExitStatus.OUTPUT_CLOSED))
        except OSError as ex:  # a folder we cannot write, a full disk: not a crash
            _fail(ctx, _os_error(ex, _db_path(ctx)))
        except KeyboardInterrupt:
            # Ctrl-C: whatever was committed stays committed; the open transaction rolled back
            click.echo(f"Error: {_INTERRUPTED}", err=True)
            ctx.exit(int(ExitStatus.INTERRUPTED))
        except Exception as ex:  # every SQLite failure is a ledger failure, in words
            failure = ledger_failure(ex, _db_path(ctx))
            if failure is None:
                raise
            _fail(ctx, failure)


_INTERRUPTED = "interrupted; finished work is kept, nothing half-written"
_NO_INPUT = (
    "the input ended before every question was answered; give the answers as options "
    "(see --help) or run the command in a terminal"
)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush does not report the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test runner)
        pass


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
    return root.obj.db_path if isinstance(root.obj, Session) else Path("evidence/ledger.db")


pass_session = click.make_pass_decorator(Session)


@click.group(
    cls=AppGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_CODES_HELP,
)
@click.option(
    "--claims",
    "claims_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    envvar="CLAIMLEDGER_CLAIMS",
    help="The claims library (env CLAIMLEDGER_CLAIMS; default: claims.yaml here or in the "
    "nearest folder above).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    envvar="CLAIMLEDGER_DB",
    help="The evidence ledger, SQLite (env CLAIMLEDGER_DB; default: evidence/ledger.db beside "
    "the claims library).",
)
@click.option(
    "--actor",
    metavar="NAME",
    default=None,
    help="The name the audit log records for what this command writes (default: "
    "CLAIMLEDGER_ACTOR, else the OS account the command runs as; review and approve record "
    "their --by). The OS account is recorded beside the name either way.",
)
@click.version_option(__version__, prog_name="claimledger")
@click.pass_context
def cli(
    ctx: click.Context, claims_path: Path | None, db_path: Path | None, actor: str | None
) -> None:
    """How well does the published literature support each health claim in your copy?

    claimledger keeps a claims library (claims.yaml), pulls PubMed records for each claim,
    grades the evidence with a transparent rule trace, checks copy for overstatement, and keeps
    an append-only, tamper-evident ledger of every search, grade and human decision.

    Example:

    \b
        claimledger check draft.docx
        NCBI_EMAIL=you@example.org claimledger refresh --json
    """
    # The session every command's service call runs in; closed (ledger too) when the command ends.
    # A caller may pass a Clock as obj (tests: a virtual clock for the rate limiter and backoff).
    clock = ctx.obj if isinstance(ctx.obj, Clock) else SYSTEM_CLOCK
    paths = resolve_paths(claims_path, db_path, Path.cwd())
    session = Session(*paths, clock=clock, actor=declared_actor(actor))
    ctx.obj = session
    ctx.call_on_close(session.close)


# --- init --------------------------------------------------------------------------------------


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
    from claimledger.service.claims import init_library

    target = init_library(directory, force)
    click.echo(f"Created {target} and {directory / 'evidence'}/", err=True)


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as ex:
        raise InputError(f"cannot write {output}: {ex.strerror or ex}") from None
    click.echo(f"Wrote {output}", err=True)
