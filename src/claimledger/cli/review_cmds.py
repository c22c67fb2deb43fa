"""`claimledger grade`, `show`, `review` and `approve`: grades and the human decisions on them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimledger.cli import AppGroup, Config, cli, pass_config

if TYPE_CHECKING:
    from claimledger.service.grading import Dossier

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
    from claimledger.ledger.store import open_ledger
    from claimledger.service.grading import dossier, grade_claims

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
@pass_config
def show(cfg: Config, claim_id: str, as_json: bool) -> None:
    """Print a claim's dossier: grade and rule trace, evidence, searches, approval status.

    Example:

    \b
        claimledger show bladder-and-urinary-damage
    """
    from claimledger.ledger.store import open_ledger
    from claimledger.service.grading import dossier

    library = cfg.library()
    claim = library.get(claim_id)
    d = dossier(library, open_ledger(cfg.db_path, create=False, readonly=True), claim)
    if as_json:
        click.echo(json.dumps(d.to_dict(), indent=2, ensure_ascii=False))
        return
    from claimledger.reports.citations import render_dossier_text

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
    from claimledger.ledger.store import open_ledger
    from claimledger.reports.citations import ama_citation
    from claimledger.service.grading import grade_claims, set_review, unreviewed

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
@click.option(
    "--reason",
    help="Why (required when overriding the suggestion or another reviewer's decision).",
)
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

    Changing another reviewer's decision needs --reason; the audit entry names whose decision
    was overridden. The audit entry records your declared name (--by) and your OS login.

    Example:

    \b
        claimledger review set not-addictive 38011560 --stance inconclusive \\
          --by "A. Reviewer" --reason "review article, no data on addiction"
    """
    from claimledger.ledger.store import open_ledger
    from claimledger.service.grading import grade_claims, set_review

    library = cfg.library()
    claim = library.get(claim_id)
    ledger = open_ledger(cfg.db_path, create=False)
    set_review(ledger, claim, pmid, stance, by, reason, level=level)
    grade_claims(library, ledger, [claim.id], actor=by)
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
    help="Approve although the grade is provisional or contested (recorded).",
)
@click.option(
    "--checkpoint-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CLAIMLEDGER_CHECKPOINTS",
    help="Append the new audit head here [default: audit-checkpoints.txt beside claims.yaml; "
    "env CLAIMLEDGER_CHECKPOINTS].",
)
@pass_config
def approve(
    cfg: Config,
    claim_id: str,
    by: str,
    note: str | None,
    meaning: str,
    acknowledge_provisional: bool,
    checkpoint_file: Path | None,
) -> None:
    """Sign a claim as graded (approved or rejected), bound to its version and evidence set.

    The signature records the declared name, the OS login, the time, its meaning and the grade
    signed. Approving a provisional or contested grade needs --acknowledge-provisional. The
    approval goes stale (shown by `show` and reports) when the claim changes (a new claim
    version) or its evidence changes. The new audit head is appended to a checkpoint file beside
    claims.yaml, for `audit verify` to check later.

    Example:

    \b
        claimledger approve treats-ptsd --by "MLR committee" --note "2026-11 review"
        claimledger approve treats-ptsd --by "MLR committee" --acknowledge-provisional
        claimledger approve not-addictive --by "A. Approver" --meaning rejected \\
          --note "evidence contested"
    """
    from claimledger.ledger.store import open_ledger
    from claimledger.service.audit import (
        default_checkpoint_file,
        ensure_appendable,
        record_checkpoint,
    )
    from claimledger.service.grading import approve as do_approve

    library = cfg.library()
    claim = library.get(claim_id)
    target = checkpoint_file or default_checkpoint_file(cfg.claims_path)
    ensure_appendable(target)
    ledger = open_ledger(cfg.db_path, create=False)
    d = do_approve(
        library,
        ledger,
        claim,
        by,
        note,
        meaning=meaning,
        acknowledge_provisional=acknowledge_provisional,
    )
    head = record_checkpoint(ledger, target)
    verb = "Approved" if meaning == "approved" else "Rejected"
    click.echo(
        f"{verb} {claim.id} (version {claim.version}, "
        f"evidence {d.grade.evidence_hash if d.grade else '-'}, grade {_grade_label(d)}) by {by}; "
        f"checkpoint {head.seq if head else 0} -> {target}.",
        err=True,
    )
