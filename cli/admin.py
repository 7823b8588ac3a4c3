"""`devhealth admin`: the semantic layer (organizations, users, credentials, mappings)."""

import typer

app = typer.Typer(help="Administer the semantic layer in PostgreSQL.", no_args_is_help=True)
