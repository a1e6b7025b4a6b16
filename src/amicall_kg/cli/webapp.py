"""``amicall-kg app``: start the Streamlit app (``app/main.py``) on 127.0.0.1.

(This module is ``webapp``: a submodule named ``app`` would shadow the Typer object.)

The resolved settings reach the app through ``AMICALL_*`` environment variables, so
the app loads them once at its edge like every other entry point. XSRF protection
stays on; the upload size cap follows ``max_file_mb``.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from ..errors import AmicallError
from ..settings import PROJECT_ROOT, SETTINGS, Settings
from . import app
from .options import CorpusOpt, IndexesOpt, settings_from

APP_SCRIPT = PROJECT_ROOT / "app" / "main.py"


def app_environment(settings: Settings, base: Mapping[str, str]) -> dict[str, str]:
    """``base`` plus every setting as ``AMICALL_<NAME>``, and the offline switches for the models."""
    env = dict(base)
    for setting in SETTINGS:
        value = settings.values[setting.name]
        env[setting.env] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    return env


def streamlit_command(settings: Settings, script: Path = APP_SCRIPT) -> list[str]:
    """The ``streamlit run`` command line for the app with these settings."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        f"--server.address={settings.host}",
        f"--server.port={settings.app_port}",
        "--server.headless=true",
        "--server.enableXsrfProtection=true",
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        f"--server.maxUploadSize={max(1, math.ceil(float(settings.max_file_mb)))}",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=viewer",
    ]


@app.command("app")
def app_cli(
    corpus: CorpusOpt = None,
    indexes: IndexesOpt = None,
    port: Annotated[
        int | None, typer.Option("--port", help="Port to listen on (env AMICALL_APP_PORT; default 8501).")
    ] = None,
    maintain: Annotated[
        bool | None,
        typer.Option(
            "--maintain/--no-maintain", help="Enable the Maintain page: upload and re-index (env AMICALL_APP_MAINTAIN)."
        ),
    ] = None,
) -> None:
    """Start the Streamlit app on 127.0.0.1 (stop it with Ctrl+C)."""
    settings = settings_from(corpus, indexes, app_port=port, app_maintain=maintain)
    if not APP_SCRIPT.is_file():
        raise AmicallError(
            f"The app script {APP_SCRIPT} is missing. Run `amicall-kg app` from a source checkout "
            "(pip install -e .) where the app/ folder exists."
        )
    command = streamlit_command(settings)
    env = app_environment(settings, os.environ)
    typer.echo(f"Starting the app on http://{settings.host}:{settings.app_port}/ (Ctrl+C stops it)", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        # Replace this process, so stopping it (Ctrl+C, SIGTERM to its pid) stops the server.
        os.execve(sys.executable, command, env)
    raise typer.Exit(subprocess.call(command, env=env))
