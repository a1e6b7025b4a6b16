"""Passage windows, index save/reload, and refusal of mismatched or tampered indexes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from amicall_kg.corpus import Report
from amicall_kg.encoder import FakeEncoder, normalise
from amicall_kg.errors import IndexMismatchError, IntegrityError
from amicall_kg.index import build_indexes, build_passages, load_index, load_indexes, practice_text
from amicall_kg.search_text import clean, stem, tokenize, windows
from amicall_kg.settings import Settings, load_settings
from tests.search_fixtures import practices, write_corpus


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Report], Settings]:
    root = tmp_path_factory.mktemp("idx")
    reports = write_corpus(root / "corpus")
    settings = load_settings(env={}, overrides={"corpus": root / "corpus", "indexes": root / "indexes"})
    version = root / "v1"
    version.mkdir()
    counts = build_indexes(version, reports, practices(), settings, FakeEncoder())
    assert counts["practices"] == 4 and counts["passages"] > 4
    return version, reports, settings


def test_windows_overlap_and_cover_text() -> None:
    text = "First sentence is here. Second sentence follows it. Third sentence comes now. Fourth sentence ends it."
    spans = windows(text, 2, overlap=1)
    assert len(spans) == 3
    assert text[spans[0].start : spans[0].end] == "First sentence is here. Second sentence follows it."
    assert spans[1].start < spans[0].end  # overlap of one sentence
    assert spans[-1].end == len(text)


def test_table_is_kept_whole_and_tabs_survive_cleaning() -> None:
    text = "Intro paragraph about the data shown below.\n\nCountry\tA\tB\nAlpha\t1.0\t8.5\nBeta\t2.0\t3.1\n\nCaption."
    spans = windows(text, 1, overlap=0)
    table = [text[s.start : s.end] for s in spans if "\t" in text[s.start : s.end]]
    assert table == ["Country\tA\tB\nAlpha\t1.0\t8.5\nBeta\t2.0\t3.1"]
    assert "Alpha\t1.0\t8.5" in clean(table[0])


def test_clean_removes_layout_noise() -> None:
    assert clean("inte-\ngration  of   migrants\n12\nnext") == "integration of migrants\n\nnext"


def test_tokenize_stems_plurals_and_drops_stopwords() -> None:
    assert tokenize("The Rumours about refugees") == ["rumour", "refugee"]
    assert stem("communities") == stem("community")


def test_passages_have_offsets_pages_and_practices(tmp_path: Path) -> None:
    reports = write_corpus(tmp_path / "corpus")
    text_a = reports[0].text()
    sidecar = reports[0].path.with_name(reports[0].path.name + ".pages.json")
    sidecar.write_text(json.dumps([[0, 300], [300, len(text_a)]]), encoding="utf-8")
    records = build_passages(reports, practices(), 3)
    for record in records:
        source = reports[0].text() if record["report"] == "report-a" else reports[1].text()
        assert record["text"] == clean(source[record["start"] : record["end"]])
    a = [r for r in records if r["report"] == "report-a"]
    assert a[0]["page"] == 1 and a[-1]["page"] == 2
    assert all(r["page"] is None for r in records if r["report"] == "report-b")
    rumour = [r for r in records if "rumour responders" in r["text"]]
    assert rumour and all(any(i.endswith("Rumour responders campaign") for i in r["practices"]) for r in rumour)
    assert not [r for r in records if "Harbour statistics" in r["text"] and r["practices"]]


def test_practice_text_includes_facts_and_evidence() -> None:
    text = practice_text(practices()[0])
    for part in ("Neighbourhood dialogue evenings", "dialogue processes", "arson attack", "Northbridge", "mayor"):
        assert part in text


def test_round_trip(built: tuple[Path, list[Report], Settings]) -> None:
    version, _, settings = built
    encoder = FakeEncoder()
    passages, practice_index = load_indexes(version, settings, encoder)
    assert [r["label"] for r in practice_index.records] == [p["label"] for p in practices()]
    config = json.loads((version / "practices" / "config.json").read_text())
    assert config["model"] == encoder.name and config["dimension"] == 256 and config["index_type"] == "flat"
    assert set(config["inputs"]) == {"practices", "passages", "reports"}
    for row, record in enumerate(passages.records):
        assert passages.dense(encoder.encode([record["text"]])[0], 1)[0][0] == row
    assert passages.lexical(tokenize("rumour responders"), 1)[0][0] == next(
        i for i, r in enumerate(passages.records) if "rumour responders" in r["text"]
    )


class _Renamed:
    """A fake encoder pretending to be another model, or to have another dimension."""

    def __init__(self, name: str, dimension: int) -> None:
        self.name, self.dimension, self._inner = name, dimension, FakeEncoder(dimension)

    def encode(self, texts: list[str]) -> np.ndarray:
        return normalise(self._inner.encode(texts))


@pytest.mark.parametrize(
    ("encoder", "field"),
    [(_Renamed("other-model", 256), "model"), (_Renamed("fake-hash-256", 128), "dimension")],
)
def test_config_mismatch_is_refused(built: tuple[Path, list[Report], Settings], encoder: Any, field: str) -> None:
    version, _, settings = built
    with pytest.raises(IndexMismatchError, match=rf"{field}=.*build --force"):
        load_index(version / "passages", settings, encoder)


def test_other_index_type_is_refused(built: tuple[Path, list[Report], Settings]) -> None:
    version, _, settings = built
    with pytest.raises(IndexMismatchError, match="index_type"):
        load_index(version / "passages", settings.replace(faiss_index="hnsw"), FakeEncoder())


def test_tampered_file_is_refused(tmp_path: Path) -> None:
    reports = write_corpus(tmp_path / "corpus")
    settings = load_settings(env={}, overrides={"corpus": tmp_path / "corpus"})
    build_indexes(tmp_path, reports, practices(), settings, FakeEncoder())
    records = tmp_path / "practices" / "records.jsonl"
    records.write_text(records.read_text().replace("Food festival", "Food fiesta"))
    with pytest.raises(IntegrityError, match=r"records.jsonl does not match its checksum.*build --force"):
        load_index(tmp_path / "practices", settings, FakeEncoder())
    (tmp_path / "passages" / "stray.bin").write_bytes(b"x")
    with pytest.raises(IntegrityError, match=r"stray\.bin"):
        load_index(tmp_path / "passages", settings, FakeEncoder())


def test_hnsw_index_builds_and_searches(tmp_path: Path) -> None:
    reports = write_corpus(tmp_path / "corpus")
    settings = load_settings(env={}, overrides={"corpus": tmp_path / "corpus", "faiss_index": "hnsw"})
    build_indexes(tmp_path, reports, practices(), settings, FakeEncoder())
    index = load_index(tmp_path / "practices", settings, FakeEncoder())
    assert index.config["index_type"] == "hnsw"
    assert index.dense(FakeEncoder().encode([index.records[2]["text"]])[0], 1)[0][0] == 2
