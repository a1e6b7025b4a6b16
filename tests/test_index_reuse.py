"""Incremental index builds: only texts not embedded by the previous version are encoded again."""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from amicall_kg.build_parts import accepted
from amicall_kg.corpus import Report, load_corpus
from amicall_kg.encoder import FakeEncoder
from amicall_kg.index import PASSAGES, PRACTICES, build_indexes, load_indexes
from amicall_kg.index_vectors import TEXT_HASHES, VECTORS
from amicall_kg.settings import Settings, load_settings
from tests.search_fixtures import practices, write_corpus


class CountingEncoder(FakeEncoder):
    """FakeEncoder that records every text it is asked to encode."""

    def __init__(self, dimension: int = 256, name: str | None = None) -> None:
        super().__init__(dimension)
        self.texts: list[str] = []
        self._other_name = name

    @property
    def name(self) -> str:
        return self._other_name or super().name

    def encode(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return super().encode(texts)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, list[Report], Settings]:
    reports = write_corpus(tmp_path / "corpus")
    settings = load_settings(env={}, overrides={"corpus": tmp_path / "corpus", "indexes": tmp_path / "indexes"})
    return tmp_path, reports, settings


def _build(
    root: Path, name: str, reports: list[Report], settings: Settings, encoder: Any, **kw: Any
) -> tuple[Path, dict[str, Any]]:
    version = root / name
    version.mkdir()
    return version, build_indexes(version, reports, practices_for(reports), settings, encoder, **kw)


def practices_for(reports: list[Report]) -> list[dict[str, Any]]:
    """The fixture practices; the garden's description follows report-b's text (changed in a test)."""
    found = practices()
    if "a shared orchard" in reports[1].text():
        found[2]["description"] = "A shared orchard replaced the garden."
    return found


def _change_report_b(root: Path) -> list[Report]:
    path = root / "corpus" / "reports" / "b.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nIn 2019 the village added a shared orchard.\n", "utf-8")
    return load_corpus(root / "corpus")


def _records(version: Path, kind: str) -> list[dict[str, Any]]:
    lines = (version / kind / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_second_build_encodes_only_the_changed_report_and_practice(setup: tuple[Path, list[Report], Settings]) -> None:
    root, reports, settings = setup
    first = CountingEncoder()
    v1, counts1 = _build(root, "v1", reports, settings, first)
    assert counts1["encoded"] == len(first.texts) == counts1["passages"] + counts1["practices"]
    assert counts1["reused"] == 0

    changed = _change_report_b(root)
    second = CountingEncoder()
    v2, counts2 = _build(root, "v2", changed, settings, second, previous=v1)
    old_passages = {r["passage"] for r in _records(v1, PASSAGES)}
    new_b = [r for r in _records(v2, PASSAGES) if r["report"] == "report-b" and r["passage"] not in old_passages]
    garden = next(r for r in _records(v2, PRACTICES) if r["label"] == "Community garden")
    assert new_b and any("shared orchard" in r["text"] for r in new_b)
    # exactly the new passages of report-b and the one practice whose description changed
    assert len(second.texts) == len(new_b) + 1 == counts2["encoded"]
    assert garden["text"] in second.texts
    assert not any("Southport" in t or "Northbridge" in t for t in second.texts)  # report-a untouched
    assert counts2["reused"] == counts2["passages"] + counts2["practices"] - counts2["encoded"] > 0

    # the reused vectors are exactly those a full build computes
    v3, _ = _build(root, "v3", changed, settings, CountingEncoder())
    for kind in (PASSAGES, PRACTICES):
        assert np.allclose(np.load(v2 / kind / VECTORS), np.load(v3 / kind / VECTORS), atol=1e-6)
        assert json.loads((v2 / kind / TEXT_HASHES).read_text()) == json.loads((v3 / kind / TEXT_HASHES).read_text())
    passages, _ = load_indexes(v2, settings, FakeEncoder())  # checksums of the new files hold
    assert len(passages) == counts2["passages"]


def test_another_encoder_encodes_everything(setup: tuple[Path, list[Report], Settings]) -> None:
    root, reports, settings = setup
    v1, _ = _build(root, "v1", reports, settings, CountingEncoder())
    other = CountingEncoder(name="other-model")
    _, counts = _build(root, "v2", reports, settings, other, previous=v1)
    assert counts["reused"] == 0 and len(other.texts) == counts["passages"] + counts["practices"]
    assert "other-model" in counts["reuse_refused"]
    smaller = CountingEncoder(128)
    _, counts = _build(root, "v3", reports, settings, smaller, previous=v1)
    assert counts["reused"] == 0 and "128" in counts["reuse_refused"]


@pytest.mark.parametrize("damage", ["bytes", "hashes", "pickled", "shape", "nan"])
def test_damaged_previous_vectors_are_not_reused(setup: tuple[Path, list[Report], Settings], damage: str) -> None:
    root, reports, settings = setup
    v1, _ = _build(root, "v1", reports, settings, CountingEncoder())
    folder = v1 / PASSAGES
    if damage == "bytes":
        data = bytearray((folder / VECTORS).read_bytes())
        data[-4:] = struct.pack("<f", 0.5)  # a plausible value; only the stale checksum tells
        (folder / VECTORS).write_bytes(bytes(data))
    elif damage == "hashes":
        (folder / TEXT_HASHES).write_text(json.dumps(["0" * 64]), encoding="utf-8")
    else:
        if damage == "pickled":
            np.save(folder / VECTORS, np.array([{"a": 1}], dtype=object), allow_pickle=True)
        elif damage == "shape":
            np.save(folder / VECTORS, np.zeros((2, 256), dtype=np.float32), allow_pickle=False)
        else:
            rows = len(json.loads((folder / TEXT_HASHES).read_text()))
            np.save(folder / VECTORS, np.full((rows, 256), np.nan, dtype=np.float32), allow_pickle=False)
        # a consistent config: only the content checks can refuse it
        config = json.loads((folder / "config.json").read_text())
        from amicall_kg.manifest import sha256_file

        config["files"][VECTORS] = sha256_file(folder / VECTORS)
        (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    encoder = CountingEncoder()
    v2, counts = _build(root, "v2", reports, settings, encoder, previous=v1)
    assert PASSAGES in counts["reuse_refused"]
    # every passage encoded again; the practices index was intact, so its vectors were reused
    assert len(encoder.texts) == counts["encoded"] == counts["passages"]
    assert counts["reused"] == counts["practices"] > 0
    assert not any(r["text"] in encoder.texts for r in _records(v2, PRACTICES))
    load_indexes(v2, settings, FakeEncoder())


def test_missing_previous_folder_or_old_format_encodes_everything(setup: tuple[Path, list[Report], Settings]) -> None:
    root, reports, settings = setup
    v1, _ = _build(root, "v1", reports, settings, CountingEncoder())
    shutil.rmtree(v1 / PRACTICES)
    (v1 / PASSAGES / TEXT_HASHES).unlink()
    _, counts = _build(root, "v2", reports, settings, CountingEncoder(), previous=v1)
    assert counts["reused"] == 0 and TEXT_HASHES in counts["reuse_refused"]


def test_build_passes_the_previous_version() -> None:
    """BUILD hands over only the keywords ``build_indexes`` accepts: ``previous`` must be among them."""
    kwargs = accepted(build_indexes, {"previous": Path("v1"), "changed": ["r"]})
    assert kwargs.get("previous") == Path("v1")
