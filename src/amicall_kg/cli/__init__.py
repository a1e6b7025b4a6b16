"""Command line: each command parses options and calls one core function.

Only light modules are imported here so ``amicall-kg --help`` is instant; the
commands import the heavy core (spaCy, torch, FAISS) inside their bodies.
"""

from __future__ import annotations

import sys

import typer

from ..errors import AmicallError

app = typer.Typer(
    name="amicall-kg",
    help="Knowledge graph and semantic search over reports on local migrant integration.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root() -> None:
    """Knowledge graph and semantic search over reports on local migrant integration."""


# Each module registers its commands on ``app``.
from . import build, evaluate, ingest, search, sparql, status, webapp  # noqa: E402,F401


def main() -> None:
    """Console entry point: show toolkit errors as one clear message, not a traceback."""
    try:
        app()
    except AmicallError as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
