"""`claimledger grade`, `show`, `review` and `approve`: grades and the human decisions on them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimledger.cli.app import AppGroup, cli, pass_session
from claimledger.reports.safe import terminal_text
from claimledger.textutil import plural

if TYPE_CHECKING:  # the service loads when a command runs, so `--help` stays quick
    from claimledger.library.claims import Claim
    from claimledger.reports.dossier import Dossier, EvidenceRow
    from claimledger.service.review import Decision, WalkStep
    from claimledger.service.session import Session

# --- grading, dossier, review, approval -------------------------------------------------------


@cli.command()
@click.option("--claim", "claim_ids", multiple=True, help="Only this claim (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="JSON on stdout.")
@pass_session
def grade(session: Session, claim_ids: tuple[str, ...], as_json: bool) -> None:
    """Recompute claim grades from the ledger (refresh does this for changed claims).

    New machine assessments are added for linked articles that have none; a grade row is
    appended only when a grade changes. Grades are strong, moderate, limited, insufficient,
    contested or contradicted, marked provisional while they rest on unreviewed assessments.

    Example:

    \b
        claimledger grade --claim treats-ptsd
    """
    from claimledger.service import review

    out = [
        {"claim_id": d.claim.id, "grade": _grade_label(d), "changed": changed}
        for d, changed in review.grade(session, claim_ids)
    ]
    if as_json:
        click.echo(json.dumps(out, indent=2))
        return
    for row in out:
        mark = "*" if row["changed"] else " "
        click.echo(f"{mark} {row['claim_id']:45} {row['grade']}")


def _grade_label(d: Dossier) -> str:
    """The grade as stored, with provisional and stale marks."""
    if d.grade is None or d.grade.needs_non_pubmed_source:
        return d.grade_label
    parts = [d.grade_label]
    if d.provisional:
        parts.append("provisional")
    if d.stale:
        parts.append("stale")
    return ", ".join(parts)


@cli.command()
@click.argument("claim_id")
@click.option("--json", "as_json", is_flag=True, help="JSON on stdout.")
@pass_session
def show(session: Session, claim_id: str, as_json: bool) -> None:
    """Print a claim's dossier: grade and rule trace, evidence, searches, approval status.

    Example:

    \b
        claimledger show bladder-and-urinary-damage
    """
    from claimledger.service import review

    d = review.show(session, claim_id)
    if as_json:
        click.echo(json.dumps(d.to_dict(), indent=2, ensure_ascii=False))
        return
    from claimledger.reports.citations import render_dossier_text

    click.echo(terminal_text(render_dossier_text(d)))  # PubMed text may carry C1 escapes


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
@pass_session
def review_walk(session: Session, claim_id: str, by: str) -> None:
    """Walk through a claim's unreviewed evidence, best design level first.

    Example:

    \b
        claimledger review treats-ptsd --by "A. Reviewer"
    """
    from claimledger.service import review

    walk = review.review_walk(session, claim_id, by, _ask)
    if not walk.pending:
        click.echo(f"Nothing to review for {walk.claim.id}.", err=True)
        return
    click.echo(f"Recorded {plural(walk.decided, 'decision')} for {walk.claim.id}.", err=True)


_KEYS = {"s": "supports", "c": "contradicts", "i": "inconclusive", "n": "not-relevant"}


def _ask(claim: Claim, r: EvidenceRow, i: int, n: int) -> Decision | WalkStep:
    """Show one article and prompt for the reviewer's decision."""
    from claimledger.reports.citations import ama_citation
    from claimledger.service.review import Decision, WalkStep

    if i == 0:
        click.echo(f"{claim.id}: {claim.statement}\n{plural(n, 'link')} to review.\n")
    click.echo(terminal_text(ama_citation(r.article)))
    click.echo(f"  design {r.design_level} ({r.population}); suggested stance: {r.stance}")
    if r.anchor_text:
        click.echo(f'  anchor: "{terminal_text(r.anchor_text)}"')
    choice = click.prompt(
        "  [a]ccept, [s]upports/[c]ontradicts/[i]nconclusive/[n]ot-relevant, s[k]ip, [q]uit",
        type=click.Choice(["a", "s", "c", "i", "n", "k", "q"]),
        show_choices=False,
    )
    if choice == "q":
        return WalkStep.QUIT
    if choice == "k":
        return WalkStep.SKIP
    stance = str(r.stance) if choice == "a" else _KEYS[choice]
    reason = None
    if stance != r.machine_stance:
        reason = click.prompt("  reason for overriding", type=str)
    return Decision(stance, reason)


@review.command("set")
@click.argument("claim_id")
@click.argument("pmid")
@click.option(
    "--stance",
    required=True,
    type=click.Choice(["supports", "contradicts", "inconclusive", "not-relevant"]),
)
@click.option("--by", required=True, help="Reviewer's name.")
@click.option(
    "--reason",
    help="Why (required when overriding the suggestion or another reviewer's decision).",
)
@click.option(
    "--level", type=click.Choice(["L1", "L2", "L3", "L4", "L5"]), help="Correct the design level."
)
@pass_session
def review_set(
    session: Session,
    claim_id: str,
    pmid: str,
    stance: str,
    by: str,
    reason: str | None,
    level: str | None,
) -> None:
    """Record a reviewer's stance for one linked article, without prompts.

    Changing another reviewer's decision needs --reason; the audit entry names whose decision
    was overridden. The audit entry records your declared name (--by) and your OS login.

    Example:

    \b
        claimledger review set not-addictive 38011560 --stance inconclusive \\
          --by "A. Reviewer" --reason "review article, no data on addiction"
    """
    from claimledger.service import review
    from claimledger.service.review import Decision

    claim = review.review_set(session, claim_id, pmid, Decision(stance, reason), by, level)
    click.echo(f"Recorded {stance} for PMID {pmid} under {claim.id} by {by}.", err=True)


@cli.command()
@click.argument("claim_id")
@click.option("--by", required=True, help="Approver's name (recorded with your OS login).")
@click.option("--note", help="A note kept with the approval.")
@click.option(
    "--meaning",
    type=click.Choice(["approved", "rejected"]),
    default="approved",
    show_default=True,
    help="What this signature means.",
)
@click.option(
    "--acknowledge-provisional",
    is_flag=True,
    help="Approve although the grade is provisional, contested or stale, or the claim needs a "
    "non-PubMed source (recorded).",
)
@click.option(
    "--checkpoint-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CLAIMLEDGER_CHECKPOINTS",
    help="Append the new audit head here [default: audit-checkpoints.txt beside claims.yaml; "
    "env CLAIMLEDGER_CHECKPOINTS].",
)
@pass_session
def approve(
    session: Session,
    claim_id: str,
    by: str,
    note: str | None,
    meaning: str,
    acknowledge_provisional: bool,
    checkpoint_file: Path | None,
) -> None:
    """Sign a claim as graded (approved or rejected), bound to its version and evidence set.

    The signature records the declared name, the OS login, the time, its meaning and the grade
    signed. Approving a provisional, contested or stale grade (its last refresh, or its last
    import if it was never refreshed, older than stale_after_days, or neither ever ran), or a
    claim that needs a non-PubMed source, needs --acknowledge-provisional. The
    approval goes stale (shown by `show` and reports) when the claim changes (a new claim
    version), its evidence changes (records, their level or stance) or the grade signed changes;
    a decision re-recorded with only a new reason changes none of these. The new audit head is appended to a checkpoint file
    beside claims.yaml, for `audit verify` to check later.

    Example:

    \b
        claimledger approve treats-ptsd --by "MLR committee" --note "2026-11 review"
        claimledger approve treats-ptsd --by "MLR committee" --acknowledge-provisional
        claimledger approve not-addictive --by "A. Approver" --meaning rejected \\
          --note "evidence contested"
    """
    from claimledger.service import review

    signed = review.approve(
        session,
        claim_id,
        by,
        note,
        meaning=meaning,
        acknowledge_provisional=acknowledge_provisional,
        checkpoint_file=checkpoint_file,
    )
    d, head = signed.dossier, signed.checkpoint
    verb = "Approved" if meaning == "approved" else "Rejected"
    click.echo(
        f"{verb} {d.claim.id} (version {d.claim.version}, "
        f"evidence {d.grade.evidence_hash if d.grade else '-'}, grade {_grade_label(d)}) by {by}; "
        f"checkpoint {head.seq if head else 0} -> {signed.checkpoint_file}.",
        err=True,
    )
