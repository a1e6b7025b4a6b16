"""Loading a version for search: checksums verified once per version, and at most two versions cached."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from amicall_kg import manifest, search
from amicall_kg.encoder import FakeEncoder
from amicall_kg.errors import IntegrityError
from amicall_kg.index import build_indexes
from amicall_kg.settings import Settings, load_settings
from tests.search_fixtures import practices, seal_version, vocabulary, write_corpus


@pytest.fixture
def indexes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Settings, list[Path]]]:
    """Three sealed versions (v1 built, v2 and v3 copies) under one indexes folder; v1 in service."""
    reports = write_corpus(tmp_path / "corpus")
    root = tmp_path / "indexes"
    settings = load_settings(
        env={}, overrides={"corpus": tmp_path / "corpus", "indexes": root, "encoder_model": "fake-hash-256"}
    )
    first = root / "versions" / "v1"
    (first / "graph").mkdir(parents=True)
    (first / "graph" / "graph.ttl").write_text("# the graph of this version\n", encoding="utf-8")
    build_indexes(first, reports, practices(), settings, FakeEncoder())
    seal_version(first)
    versions = [first]
    for name in ("v2", "v3"):
        versions.append(root / "versions" / name)
        shutil.copytree(first, versions[-1])
    monkeypatch.setattr(search, "load_vocabulary", lambda _path: vocabulary())
    search._SEARCHERS.clear()
    _serve(settings, "v1")
    yield settings, versions
    search._SEARCHERS.clear()


def _serve(settings: Settings, name: str) -> None:
    (settings.indexes / "CURRENT").write_text(name + "\n", encoding="utf-8")


def test_damaged_version_is_refused_with_rebuild_advice(indexes: tuple[Settings, list[Path]]) -> None:
    settings, versions = indexes
    (versions[0] / "graph" / "graph.ttl").write_text("# the graph of another vers\n", encoding="utf-8")  # same size
    with pytest.raises(IntegrityError, match=r"graph\.ttl does not match.*build --force"):
        search.similar(settings, "a garden for refugee families")
    assert not search._SEARCHERS  # nothing half-loaded is kept
    _serve(settings, "v2")
    assert search.similar(settings, "a garden for refugee families", 1)[0]["label"] == "Community garden"


def test_checksums_are_verified_once_per_version(
    indexes: tuple[Settings, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = indexes
    checked: list[str] = []
    original = manifest.check_version

    def counting(version: Path, deep: bool = False) -> Any:
        checked.append(version.name)
        return original(version, deep)

    monkeypatch.setattr(search, "check_version", counting)
    for question in ("rumours about benefits", "a food festival", "dialogue after an attack"):
        search.ask(settings, question, 2)
    assert checked == ["v1"]
    _serve(settings, "v2")
    search.ask(settings, "rumours about benefits", 2)
    assert checked == ["v1", "v2"]


def test_only_the_two_most_recent_versions_stay_loaded(indexes: tuple[Settings, list[Path]]) -> None:
    settings, _ = indexes
    loaded = {}
    for name in ("v1", "v2", "v3"):
        _serve(settings, name)
        loaded[name] = search.get_searcher(settings)
    assert len(search._SEARCHERS) == search.MAX_SEARCHERS == 2
    assert {s.version.name for s in search._SEARCHERS.values()} == {"v2", "v3"}
    _serve(settings, "v2")
    assert search.get_searcher(settings) is loaded["v2"]  # still cached, now the most recent
    _serve(settings, "v1")
    assert search.get_searcher(settings) is not loaded["v1"]  # evicted earlier, loaded again
    assert {s.version.name for s in search._SEARCHERS.values()} == {"v1", "v2"}
