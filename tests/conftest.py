"""Shared fixtures. Fast by default; tests using real models are marked ``slow``."""

from __future__ import annotations

import os
from pathlib import Path

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
