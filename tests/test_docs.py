"""Docs that cannot rot: every command is in the README and has help with an example."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from claimledger.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        if name == "walk":  # `review CLAIM` is how users call it
            full = prefix.strip()
        out.append((full.strip(), cmd))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, f"{full} "))
    return out


COMMANDS = _commands(cli)


def test_readme_starts_with_the_two_setup_commands() -> None:
    lines = README.splitlines()
    assert lines[0] == "```bash"
    assert "pip install -e . && claimledger check" in lines[1]
    assert "pip install -e '.[test]' && pytest" in lines[2]


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_is_in_the_readme(name: str, cmd: click.Command) -> None:
    assert f"claimledger {name}" in README


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_with_an_example(runner, name: str, cmd: click.Command) -> None:  # type: ignore[no-untyped-def]
    assert cmd.help, f"{name} has no help"
    args = [a for a in name.split() if a != "walk"]
    if name == "review":
        args = ["review", "walk"]
    result = runner.invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert "claimledger " in result.output.split("Example:", 1)[1]


def test_exit_codes_are_documented_in_help_and_readme(runner) -> None:  # type: ignore[no-untyped-def]
    out = runner.invoke(cli, ["--help"]).output
    for code in ("0", "1", "2", "4", "5", "6"):
        assert f"\n    {code}  " in out
        assert f"| {code} |" in README
