"""The build with fake parts: first, no-op, incremental and removal builds, validation, pruning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amicall_kg import manifest
from amicall_kg.build_store import report_graph
from amicall_kg.errors import ValidationError
from amicall_kg.manifest import load_version
from amicall_kg.store import open_store
from amicall_kg.versions import VERSIONS, current_version

from .test_build_fakes import (
    FakeExtractor,
    FakeIndexer,
    make_settings,
    pinned_code_hash,
    run_build,
    write_corpus,
    write_ontology,
)

TEXTS = {
    "alpha": "Intro line.\nPRACTICE: Soup Festival @ Weston\nACTOR: Weston Town Council\nPLACE: Freedonia\n",
    "beta": "PRACTICE: Myth Busting Leaflets @ Easton\nACTOR: Easton Borough\nClosing line.\n",
}


@pytest.fixture(autouse=True)
def _pinned_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest, "code_hash", pinned_code_hash)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_corpus(tmp_path / "corpus", TEXTS)
    write_ontology(tmp_path / "ontology")
    return tmp_path


def _count(version: Path, query: str) -> int:
    store = open_store(version, read_only=True)
    rows = list(store.query(query, use_default_graph_as_union=True))
    return int(rows[0][0].value)


def _labels_in_graph(version: Path, report_id: str) -> set[str]:
    store = open_store(version, read_only=True)
    query = (
        f"SELECT ?l WHERE {{ GRAPH <{report_graph(report_id)}> "
        "{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"
    )
    return {row[0].value for row in store.query(query)}


def test_first_build_writes_a_complete_version(root: Path) -> None:
    settings = make_settings(root)
    extractor, indexer = FakeExtractor(), FakeIndexer()
    result = run_build(settings, extractor=extractor, indexer=indexer)
    assert not result.noop and result.full and result.reasons == ["first build"]
    assert sorted(extractor.calls) == ["alpha", "beta"]
    version = load_version(settings.indexes)
    assert version.name == result.version and version.path == current_version(settings.indexes)
    # one named graph per report, plus the ontology graph; subclasses count (LocalAuthority is an Actor)
    assert "Soup Festival" in _labels_in_graph(version.path, "alpha")
    assert "Soup Festival" not in _labels_in_graph(version.path, "beta")
    assert result.counts["practices"] == 2 and result.counts["actors"] == 2
    assert result.counts["places"] == 1 and result.counts["passages"] == 5
    manifest = version.manifest
    assert manifest["reports"]["alpha"]["practices"] == 1
    assert manifest["counts"] == result.counts and manifest["built_at"]
    assert manifest["indexes"] == {"passages": 7, "practices": 2}
    assert "graph/graph.ttl" in manifest["files"] and "passages/config.json" in manifest["files"]
    assert any(name.startswith("graph/store/") for name in manifest["files"])
    assert "Soup Festival" in (version.path / "graph" / "graph.ttl").read_text(encoding="utf-8")
    added = {c.id: c for c in result.changes}
    assert added["alpha"].status == "added" and added["alpha"].practices_added == ["Soup Festival"]
    assert added["beta"].actors_added == ["Easton Borough"]


def test_noop_build_reuses_and_extracts_nothing(root: Path) -> None:
    settings = make_settings(root)
    first = run_build(settings)
    extractor, indexer = FakeExtractor(), FakeIndexer()
    again = run_build(settings, extractor=extractor, indexer=indexer)
    assert again.noop and again.version == first.version
    assert extractor.calls == [] and indexer.calls == []
    assert again.counts == first.counts
    assert len(list((settings.indexes / VERSIONS).iterdir())) == 1


def test_changed_report_alone_is_reextracted_with_a_changelog(root: Path) -> None:
    settings = make_settings(root)
    first = run_build(settings)
    text = TEXTS["beta"].replace("PRACTICE: Myth Busting Leaflets @ Easton", "PRACTICE: Welcome Walks @ Easton")
    (root / "corpus" / "reports" / "beta.txt").write_text(text, encoding="utf-8")
    extractor, indexer = FakeExtractor(), FakeIndexer()
    result = run_build(settings, extractor=extractor, indexer=indexer)
    assert not result.noop and not result.full and result.version != first.version
    assert extractor.calls == ["beta"] and result.extracted == ["beta"]
    changes = {c.id: c for c in result.changes}
    assert changes["alpha"].status == "unchanged" and changes["alpha"].triples_added == 0
    beta = changes["beta"]
    assert beta.status == "changed"
    assert beta.practices_added == ["Welcome Walks"] and beta.practices_removed == ["Myth Busting Leaflets"]
    assert beta.actors_added == [] and beta.actors_removed == []
    assert beta.triples_added > 0 and beta.triples_removed > 0
    version = load_version(settings.indexes)
    assert "Welcome Walks" in _labels_in_graph(version.path, "beta")
    assert "Myth Busting Leaflets" not in _labels_in_graph(version.path, "beta")
    # the unchanged report's triples were carried over, not lost
    assert "Soup Festival" in _labels_in_graph(version.path, "alpha")
    assert indexer.calls[0]["changed"] == ["beta"] and indexer.calls[0]["previous"] == first.path
    assert version.manifest["previous"] == first.version


def test_removed_report_leaves_no_triples_or_passages(root: Path) -> None:
    settings = make_settings(root)
    first = run_build(settings)
    write_corpus(root / "corpus", {"alpha": TEXTS["alpha"]})
    (root / "corpus" / "reports" / "beta.txt").unlink()
    extractor = FakeExtractor()
    result = run_build(settings, extractor=extractor)
    assert extractor.calls == []
    gone = {c.id: c for c in result.changes}["beta"]
    assert gone.status == "removed" and gone.practices_removed == ["Myth Busting Leaflets"]
    assert gone.triples_removed == first.counts["triples"] - result.counts["triples"] > 0
    version = load_version(settings.indexes)
    assert "beta" not in version.manifest["reports"]
    beta_iri = "https://w3id.org/amicall/id/report/beta"
    assert (
        _count(version.path, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{report_graph('beta')}> {{ ?s ?p ?o }} }}") == 0
    )
    assert _count(version.path, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p <{beta_iri}> }}") == 0
    assert "beta" not in (version.path / "passages" / "passages.jsonl").read_text(encoding="utf-8")
    assert not (version.path / "graph" / "reports" / "beta.nt").exists()
    assert result.counts["practices"] == 1


def test_ontology_or_settings_change_rebuilds_everything(root: Path) -> None:
    settings = make_settings(root)
    run_build(settings)
    with (root / "ontology" / "amicall.ttl").open("a", encoding="utf-8") as handle:
        handle.write("amc:Outcome a owl:Class .\n")
    extractor, indexer = FakeExtractor(), FakeIndexer()
    result = run_build(settings, extractor=extractor, indexer=indexer)
    assert result.full and any("ontology" in r for r in result.reasons)
    assert sorted(extractor.calls) == ["alpha", "beta"]
    assert indexer.calls[0]["previous"] is None  # no vector reuse across a full rebuild
    assert all(c.status == "unchanged" for c in result.changes)  # same triples: an empty changelog
    changed = run_build(make_settings(root, passage_sentences=5), extractor=(extractor := FakeExtractor()))
    assert changed.full and any("settings changed (passage_sentences)" in r for r in changed.reasons)
    assert sorted(extractor.calls) == ["alpha", "beta"]
    assert run_build(make_settings(root, passage_sentences=5), force=True).reasons == ["--force"]


def test_validation_error_publishes_nothing(root: Path) -> None:
    settings = make_settings(root)
    first = run_build(settings)
    (root / "corpus" / "reports" / "beta.txt").write_text("PRACTICE:  @ Nowhere\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        run_build(settings)
    message = str(info.value)
    assert "https://w3id.org/amicall/id/practice/" in message and "PracticeShape" in message
    assert "nothing was published" in message
    assert load_version(settings.indexes).name == first.version
    assert [p.name for p in (settings.indexes / VERSIONS).iterdir()] == [first.version]


def test_old_versions_are_pruned_keeping_two(root: Path) -> None:
    settings = make_settings(root)
    names = []
    for number in range(4):
        (root / "corpus" / "reports" / "alpha.txt").write_text(f"PRACTICE: Festival {number}\n", encoding="utf-8")
        names.append(run_build(settings).version)
    left = sorted(p.name for p in (settings.indexes / VERSIONS).iterdir())
    assert left == sorted(names[-2:])
    assert load_version(settings.indexes).name == names[-1]


def test_failure_in_a_part_removes_the_new_folder(root: Path) -> None:
    settings = make_settings(root)
    first = run_build(settings)
    (root / "corpus" / "reports" / "alpha.txt").write_text("PRACTICE: Something New\n", encoding="utf-8")

    def broken_indexer(*args: object, **kwargs: object) -> dict[str, int]:
        raise RuntimeError("encoder exploded")

    with pytest.raises(RuntimeError):
        run_build(settings, indexer=broken_indexer)
    assert [p.name for p in (settings.indexes / VERSIONS).iterdir()] == [first.version]
    assert load_version(settings.indexes).name == first.version


def test_result_is_json_serialisable(root: Path) -> None:
    result = run_build(make_settings(root))
    data = json.loads(json.dumps(result.as_dict()))
    assert data["version"] == result.version and {c["id"] for c in data["changes"]} == {"alpha", "beta"}
