"""Crash safety, the build lock and checksums: the version in service survives anything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from amicall_kg import manifest
from amicall_kg.build import clean_stale
from amicall_kg.errors import BuildLockedError, IntegrityError
from amicall_kg.lock import BuildLock
from amicall_kg.manifest import load_version
from amicall_kg.store import open_store
from amicall_kg.versions import MANIFEST, VERSIONS

from .conftest import ROOT
from .test_build import TEXTS, _labels_in_graph
from .test_build_fakes import FakeExtractor, make_settings, pinned_code_hash, run_build, write_corpus, write_ontology


@pytest.fixture(autouse=True)
def _pinned_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest, "code_hash", pinned_code_hash)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_corpus(tmp_path / "corpus", TEXTS)
    write_ontology(tmp_path / "ontology")
    return tmp_path


def _start_blocked_build(root: Path, stage: str) -> subprocess.Popen[bytes]:
    """A build in a subprocess that stops at the first progress event of ``stage``."""
    marker = root / f"reached-{stage}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.test_build_fakes", str(root), stage, str(marker)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"build ended before {stage}: {proc.stderr.read().decode() if proc.stderr else ''}")
        assert time.monotonic() < deadline, f"build never reached {stage}"
        time.sleep(0.05)
    return proc


@pytest.mark.parametrize("stage", ["extract", "write", "store", "index", "publish", "prune"])
def test_kill_9_at_any_stage_keeps_a_loadable_version(root: Path, stage: str) -> None:
    settings = make_settings(root)
    first = run_build(settings)
    (root / "corpus" / "reports" / "alpha.txt").write_text("PRACTICE: Late Addition @ Weston\n", encoding="utf-8")
    proc = _start_blocked_build(root, stage)
    try:
        # while it runs, a second build is refused with a clear message
        with pytest.raises(BuildLockedError, match=f"pid {proc.pid}"):
            run_build(settings)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    served = load_version(settings.indexes)  # checksums verified
    published = stage == "prune"  # killed after the switch: the new version is already in service
    assert (served.name != first.version) == published
    labels = _labels_in_graph(served.path, "alpha")
    assert ("Late Addition" in labels) == published and ("Soup Festival" in labels) != published
    # the next build recovers: no half-written folder remains and the change is published
    result = run_build(settings)
    folders = list((settings.indexes / VERSIONS).iterdir())
    assert all((f / MANIFEST).is_file() and not f.name.startswith(".") for f in folders), folders
    assert len(folders) <= 2
    now = load_version(settings.indexes)
    assert now.name == result.version and "Late Addition" in _labels_in_graph(now.path, "alpha")
    assert result.noop == published


def test_clean_stale_removes_half_written_folders_only(root: Path) -> None:
    settings = make_settings(root)
    first = run_build(settings)
    versions = settings.indexes / VERSIONS
    (versions / "20990101T000000000000Z-deadbeef" / "graph").mkdir(parents=True)
    (versions / ".trash-old").mkdir()
    with BuildLock(settings.indexes):
        removed = clean_stale(settings.indexes)
    assert sorted(removed) == [".trash-old", "20990101T000000000000Z-deadbeef"]
    assert [p.name for p in versions.iterdir()] == [first.version]


def test_lock_is_exclusive_and_released(root: Path) -> None:
    settings = make_settings(root)
    with BuildLock(settings.indexes), pytest.raises(BuildLockedError) as info:
        run_build(settings)
    assert f"pid {os.getpid()}" in str(info.value) and "Wait for it to finish" in str(info.value)
    assert not run_build(settings).noop  # released on exit


def test_lock_released_when_build_fails(root: Path) -> None:
    settings = make_settings(root)

    def failing(*args: object) -> dict[str, object]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run_build(settings, extractor=failing)
    assert run_build(settings).version is not None


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete"])
def test_damaged_version_raises_integrity_error_and_rebuild_recovers(root: Path, damage: str) -> None:
    settings = make_settings(root)
    first = run_build(settings)
    assert first.path is not None
    target = {
        "flip": first.path / "graph" / "graph.ttl",
        "truncate": max((first.path / "graph" / "store").glob("*.sst"), key=lambda p: p.stat().st_size),
        "delete": first.path / "passages" / "config.json",
    }[damage]
    data = target.read_bytes()
    if damage == "flip":
        target.write_bytes(data[:10] + bytes([data[10] ^ 0x01]) + data[11:])
    elif damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    else:
        target.unlink()
    with pytest.raises(IntegrityError) as info:
        load_version(settings.indexes)
    assert target.name in str(info.value) and "amicall-kg build --force" in str(info.value)
    extractor = FakeExtractor()
    result = run_build(settings, extractor=extractor)
    assert result.full and "damaged" in result.reasons[0]
    assert sorted(extractor.calls) == ["alpha", "beta"]
    assert load_version(settings.indexes).name == result.version


def test_reading_the_store_does_not_change_its_checksums(root: Path) -> None:
    settings = make_settings(root)
    run_build(settings)
    version = load_version(settings.indexes)
    store = open_store(version.path, read_only=True)
    assert len(list(store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 5", use_default_graph_as_union=True))) == 5
    del store
    assert load_version(settings.indexes, deep=True).name == version.name
