"""Options shared by every command, and the settings they resolve to."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..settings import Settings, load_settings

CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus", help="Corpus folder (env AMICALL_CORPUS; default: the project's corpus/).", show_default=False
    ),
]
IndexesOpt = Annotated[
    Path | None,
    typer.Option(
        "--indexes",
        help="Built artefacts folder (env AMICALL_INDEXES; default: the project's indexes/).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def settings_from(corpus: Path | None, indexes: Path | None, **overrides: Any) -> Settings:
    """Resolve settings: defaults < AMICALL_* environment < the options given."""
    return load_settings(overrides={"corpus": corpus, "indexes": indexes, **overrides})
