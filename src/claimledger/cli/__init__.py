"""The claimledger command line: the group (cli/app.py) and one module per area of commands.

Importing the command modules registers their commands on `cli`.
"""

from claimledger.cli import claims_cmds, evidence_cmds, output_cmds, review_cmds
from claimledger.cli.app import AppGroup, cli

__all__ = ["AppGroup", "claims_cmds", "cli", "evidence_cmds", "output_cmds", "review_cmds"]
