"""`claimledger claims ...`: validate, list and add claims."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from claimledger.cli import AppGroup, Config, cli, pass_config
from claimledger.errors import ClaimledgerError, InputError
from claimledger.library.claims import DEFAULT_TOPICS, KINDS, POLARITIES, append_claim, load_claims
from claimledger.textutil import plural

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
    click.echo(f"{cfg.claims_path}: {plural(len(library.claims), 'claim')}, all valid")


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
