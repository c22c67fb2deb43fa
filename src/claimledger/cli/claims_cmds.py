"""`claimledger claims ...`: validate, list and add claims."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from claimledger.cli.app import AppGroup, cli, pass_session
from claimledger.library.claims import KINDS, POLARITIES
from claimledger.textutil import plural

if TYPE_CHECKING:
    from claimledger.service.session import Session

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
@pass_session
def claims_validate(session: Session) -> None:
    """Check claims.yaml and report every problem at once (exit 2 when invalid).

    Checks YAML syntax, unknown or missing fields, types, ids, allowed values, empty statements
    and PubMed query syntax, naming file, line and claim id for each problem.

    Example:

    \b
        claimledger --claims claims.yaml claims validate
    """
    from claimledger.service.claims import validate

    library = validate(session)
    click.echo(f"{session.claims_path}: {plural(len(library.claims), 'claim')}, all valid")


@claims.command("list")
@click.option("--topic", help="Only claims with this topic.")
@click.option("--json", "as_json", is_flag=True, help="JSON array on stdout.")
@pass_session
def claims_list(session: Session, topic: str | None, as_json: bool) -> None:
    """List the claims in the library.

    Example:

    \b
        claimledger claims list --topic chronic-pain --json
    """
    from claimledger.service.claims import list_claims

    chosen = list_claims(session, topic)
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
@pass_session
def claims_add(session: Session, /, **fields: Any) -> None:
    """Append a claim to claims.yaml, validating the result before anything is written.

    Prompts for required fields not given as options.

    Example:

    \b
        claimledger claims add --id relieves-migraine --topic chronic-pain \\
          --kind efficacy --polarity asserts-benefit \\
          --statement "Ketamine relieves migraine." \\
          --query '(Ketamine[mh] OR ketamine[tiab]) AND (Migraine Disorders[mh] OR migraine[tiab])'
    """
    from claimledger.service.claims import add_claim, prompt_topics

    fields["id"] = fields.pop("claim_id")
    prompts = {
        "id": ("Claim id (slug)", None),
        "statement": ("Statement", None),
        "topic": ("Topic", click.Choice(prompt_topics(session))),
        "kind": ("Kind", click.Choice(KINDS)),
        "polarity": ("Polarity", click.Choice(POLARITIES)),
        "query": ("PubMed query", None),
    }
    for key, (text, choice) in prompts.items():
        if not fields.get(key):
            fields[key] = click.prompt(text, type=choice)
    fields["variants"] = list(fields["variants"])
    fields["sources"] = list(fields["sources"])
    claim = add_claim(session, fields)
    click.echo(f"Added claim {claim.id} to {session.claims_path}", err=True)
