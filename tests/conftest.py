"""Shared fixtures. Fast by default; tests using real models are marked ``slow``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AMICALL_* variables from the caller's shell leak into a test."""
    for key in list(os.environ):
        if key.startswith("AMICALL_"):
            monkeypatch.delenv(key)


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One real build (real spaCy and encoder) of the bundled corpus, shared by every slow test.

    Returns the Settings pointing at it (``settings.indexes`` holds the published version).
    Tests must treat it as read-only; copy it (``shutil.copytree``) to change anything.
    """
    from amicall_kg.build import build
    from amicall_kg.settings import load_settings

    indexes = tmp_path_factory.mktemp("real-indexes")
    settings = load_settings(env={}, overrides={"corpus": CORPUS, "indexes": indexes})
    build(settings)
    return settings
