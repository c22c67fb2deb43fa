from claimledger.cli import cli

cli()
