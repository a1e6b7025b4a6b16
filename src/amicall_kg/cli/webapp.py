"""CLI command `amicall-kg app`: starts the Streamlit app (APP engineer: write it HERE, not in cli/app.py,
because a submodule named `app` would shadow the Typer object `amicall_kg.cli.app`)."""

from __future__ import annotations
