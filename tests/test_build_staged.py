"""Staged extraction: cached per-report mentions, resolution across all reports on every build."""

from __future__ import annotations

from pathlib import Path

import pytest

from amicall_kg import manifest
from amicall_kg.build_extract import mentions_path
from amicall_kg.build_store import nt_path
from amicall_kg.manifest import load_version

from .test_build_fakes import (
    FakeExtractor,
    FakeStager,
    make_settings,
    pinned_code_hash,
    run_build,
    write_corpus,
    write_ontology,
)

TEXTS = {
    "alpha": "PRACTICE: Soup Festival @ Weston\nACTOR: Weston Town Council\n",
    "beta": "PRACTICE: Myth Busting Leaflets @ Easton\nVolunteers later copied the Welcome Walks idea.\n",
}


@pytest.fixture(autouse=True)
def _pinned_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest, "code_hash", pinned_code_hash)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_corpus(tmp_path / "corpus", TEXTS)
    write_ontology(tmp_path / "ontology")
    return tmp_path


def _graphs(version: Path, ids: list[str]) -> dict[str, str]:
    return {rid: (version / nt_path(rid)).read_text(encoding="utf-8") for rid in ids}


def test_incremental_staged_build_equals_a_full_build(root: Path, tmp_path: Path) -> None:
    settings = make_settings(root)
    run_build(settings, stager=FakeStager())
    first = load_version(settings.indexes)
    assert (first.path / mentions_path("alpha")).is_file()
    # alpha now names a practice that beta's prose mentions: beta's graph must gain evidence for it
    (root / "corpus" / "reports" / "alpha.txt").write_text(
        TEXTS["alpha"] + "PRACTICE: Welcome Walks @ Weston\n", encoding="utf-8"
    )
    stager = FakeStager()
    result = run_build(settings, stager=stager)
    assert stager.calls == ["alpha"] and result.extracted == ["alpha"]  # beta's mentions came from the cache
    changes = {c.id: c for c in result.changes}
    assert changes["alpha"].practices_added == ["Welcome Walks"]
    assert changes["beta"].status == "updated" and changes["beta"].practices_added == ["Welcome Walks"]
    incremental = load_version(settings.indexes)

    full = make_settings(tmp_path / "fresh", corpus=root / "corpus", ontology=root / "ontology")
    run_build(full, stager=FakeStager())
    assert _graphs(incremental.path, ["alpha", "beta"]) == _graphs(load_version(full.indexes).path, ["alpha", "beta"])


def test_staged_noop_extracts_nothing_and_unchanged_report_stays_unchanged(root: Path) -> None:
    settings = make_settings(root)
    run_build(settings, stager=FakeStager())
    stager = FakeStager()
    assert run_build(settings, stager=stager).noop and stager.calls == []
    (root / "corpus" / "reports" / "beta.txt").write_text(TEXTS["beta"] + "Closing words.\n", encoding="utf-8")
    stager = FakeStager()
    result = run_build(settings, stager=stager)
    assert stager.calls == ["beta"]
    assert {c.id: c.status for c in result.changes} == {"alpha": "unchanged", "beta": "changed"}
    assert {c.id: c.triples_added for c in result.changes} == {"alpha": 0, "beta": 0}


def test_per_report_extractor_keeps_unchanged_triples_as_they_were(root: Path) -> None:
    """The plain contract cannot see cross-report effects: documented, and shown here."""
    settings = make_settings(root)
    run_build(settings)
    (root / "corpus" / "reports" / "alpha.txt").write_text(
        TEXTS["alpha"] + "PRACTICE: Welcome Walks @ Weston\n", encoding="utf-8"
    )
    extractor = FakeExtractor()
    result = run_build(settings, extractor=extractor)
    assert extractor.calls == ["alpha"]
    assert {c.id: c.status for c in result.changes}["beta"] == "unchanged"
