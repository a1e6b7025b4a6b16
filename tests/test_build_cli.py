"""``amicall-kg build`` and ``amicall-kg practices`` over the fake parts; the no-op path stays light."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import amicall_kg.build
import amicall_kg.catalogue
from amicall_kg import manifest
from amicall_kg.build_parts import Parts
from amicall_kg.cli import app
from amicall_kg.settings import Settings

from .conftest import ROOT
from .test_build import TEXTS
from .test_build_fakes import (
    fake_parts,
    fake_practices,
    make_settings,
    pinned_code_hash,
    run_build,
    write_corpus,
    write_ontology,
)

runner = CliRunner()


@pytest.fixture(autouse=True)
def _pinned_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest, "code_hash", pinned_code_hash)


@pytest.fixture
def root(tmp_path: Path, clean_env: None, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_corpus(tmp_path / "corpus", TEXTS)
    write_ontology(tmp_path / "ontology")
    monkeypatch.setenv("AMICALL_ONTOLOGY", str(tmp_path / "ontology"))

    def fakes(settings: Settings, staged: bool = False) -> Parts:
        return Parts(**fake_parts())

    monkeypatch.setattr(amicall_kg.build, "default_parts", fakes)
    monkeypatch.setattr(amicall_kg.catalogue, "default_lister", fake_practices)
    return tmp_path


def _args(root: Path) -> list[str]:
    return ["--corpus", str(root / "corpus"), "--indexes", str(root / "indexes")]


def test_build_prints_changelog_then_noop(root: Path) -> None:
    first = runner.invoke(app, ["build", *_args(root)])
    assert first.exit_code == 0, first.output
    assert "full rebuild (first build)" in first.output
    assert "+ practice: Soup Festival" in first.output and "+ actor: Easton Borough" in first.output
    assert "practices 2" in first.output
    again = runner.invoke(app, ["build", *_args(root)])
    assert again.exit_code == 0 and "Nothing changed" in again.output
    forced = runner.invoke(app, ["build", *_args(root), "--force", "--json"])
    data = json.loads(forced.output)
    assert data["full"] and data["reasons"] == ["--force"] and sorted(data["extracted"]) == ["alpha", "beta"]


def test_practices_lists_and_filters(root: Path) -> None:
    assert runner.invoke(app, ["build", *_args(root)]).exit_code == 0
    table = runner.invoke(app, ["practices", *_args(root)])
    assert table.exit_code == 0, table.output
    assert "Myth Busting Leaflets" in table.output and "2 practice(s)." in table.output
    listed = json.loads(runner.invoke(app, ["practices", *_args(root), "--json"]).output)
    assert [p["label"] for p in listed] == ["Myth Busting Leaflets", "Soup Festival"]
    none = json.loads(runner.invoke(app, ["practices", *_args(root), "--json", "--country", "Atlantis"]).output)
    assert none == []  # the fake practices carry no country, so a country filter keeps none


def test_practices_without_build_says_what_to_do(root: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "amicall_kg", "practices", *_args(root)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 1 and "amicall-kg build" in proc.stderr and "Traceback" not in proc.stderr


def test_noop_build_imports_no_heavy_module(root: Path) -> None:
    settings = make_settings(root)
    run_build(settings)
    code = (
        "import sys\n"
        "import amicall_kg.manifest as m\n"
        "m.code_hash = lambda *a: 'pinned-code-hash'\n"
        "from amicall_kg.build import build\n"
        "from amicall_kg.settings import load_settings\n"
        f"r = build(load_settings(overrides={{'corpus': {str(settings.corpus)!r}, 'indexes': "
        f"{str(settings.indexes)!r}, 'ontology': {str(settings.ontology)!r}}}))\n"
        "heavy = {'torch', 'spacy', 'faiss', 'sentence_transformers', 'rdflib', 'pyoxigraph', 'pyshacl'}\n"
        "print(r.noop, sorted(heavy & set(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMICALL_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip() == "True []"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("tty", "ci", "shown"), [(True, None, True), (True, "1", False), (False, None, False)])
def test_progress_bar_only_on_a_terminal_outside_ci(
    monkeypatch: pytest.MonkeyPatch, tty: bool, ci: str | None, shown: bool
) -> None:
    from amicall_kg.cli.build import StageBar

    stream = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    bar = StageBar()
    bar("extract", 1, 4)
    bar.close()
    assert ("extract" in stream.getvalue() and "1/4" in stream.getvalue()) == shown
