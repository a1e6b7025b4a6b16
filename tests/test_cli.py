"""The CLI's seams: help for every command, instant start-up, errors as messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amicall_kg.cli import app

from .conftest import ROOT

runner = CliRunner()
COMMANDS = sorted(c.name for c in app.registered_commands if c.name)


def test_top_level_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    # Every command says where it reads from: a corpus, the indexes, or (train) the training sets.
    assert any(opt in result.output for opt in ("--corpus", "--indexes", "--sets")), name


def test_readme_mentions_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"amicall-kg {name}" in readme, name


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from amicall_kg.cli import app\n"
        "heavy = {'torch', 'spacy', 'faiss', 'sentence_transformers', 'streamlit', 'pyoxigraph', 'rdflib'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_status_without_build(tmp_path: Path, clean_env: None) -> None:
    result = runner.invoke(app, ["status", "--indexes", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["version"] is None and data["stale"] is True
    assert {r["id"] for r in data["reports"]} >= {"amicall-final-2012"}
    text = runner.invoke(app, ["status", "--indexes", str(tmp_path)]).output
    assert "amicall-kg build" in text


def test_error_is_a_message_not_a_traceback(tmp_path: Path, clean_env: None) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "amicall_kg", "status", "--corpus", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error:") and "Traceback" not in proc.stderr
    assert "--corpus" in proc.stderr
