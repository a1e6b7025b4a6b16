"""The query library in ontology/queries: documented, valid, and answering on real data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from amicall_kg.sparql import run_query

from .conftest import ROOT
from .sparql_fixture import make_version

QUERIES = sorted((ROOT / "ontology" / "queries").glob("*.rq"))
NAMES = [q.name for q in QUERIES]


def header(path: Path) -> dict[str, str]:
    """The ``# key: value`` lines at the top of a query file."""
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"#\s*(title|question|columns):\s*(.+)", line)
        if match:
            fields[match.group(1)] = match.group(2).strip()
        elif not line.startswith("#"):
            break
    return fields


def columns(path: Path) -> list[str] | None:
    text = header(path)["columns"]
    return None if text.startswith("(CONSTRUCT)") else [c.strip() for c in text.split(",")]


@pytest.fixture(scope="module")
def version(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_version(tmp_path_factory.mktemp("library") / "v1")


def test_library_has_at_least_twelve_documented_queries() -> None:
    assert len(QUERIES) >= 12
    readme = (ROOT / "ontology" / "queries" / "README.md").read_text(encoding="utf-8")
    for path in QUERIES:
        fields = header(path)
        assert {"title", "question", "columns"} <= set(fields), path.name
        assert fields["question"].endswith("?"), path.name
        assert path.name in readme, f"{path.name} missing from queries/README.md"


@pytest.mark.parametrize("name", NAMES)
def test_query_answers_on_the_fixture_graph_with_its_documented_columns(version: Path, name: str) -> None:
    path = ROOT / "ontology" / "queries" / name
    result = run_query(version, path.read_text(encoding="utf-8"))
    assert len(result) > 0, f"{name} returned nothing on the fixture graph"
    expected = columns(path)
    if expected is None:
        assert result.is_graph
    else:
        assert result.variables == expected
    assert not result.truncated


def _run(version: Path, name: str) -> list[dict[str, Any]]:
    text = (ROOT / "ontology" / "queries" / name).read_text(encoding="utf-8")
    return [{k: v["value"] for k, v in row.items()} for row in run_query(version, text).rows]


def test_violent_incident_query_finds_only_practices_with_that_catalyst_type(version: Path) -> None:
    rows = _run(version, "practices-triggered-by-violent-incident.rq")
    assert [(r["label"], r["catalyst"], r["country"]) for r in rows] == [
        ("Smalltown dialogue circle", "an attack on a shop", "Ruritania")
    ]


def test_small_places_query_applies_the_population_threshold(version: Path) -> None:
    rows = _run(version, "practices-in-small-places.rq")
    assert {(r["place"], int(r["population"])) for r in rows} == {("Smalltown", 42000)}


def test_cross_report_queries_merge_graphs_without_double_counting(version: Path) -> None:
    places = _run(version, "places-with-most-practices.rq")
    assert [(r["place"], r["practices"]) for r in places] == [("Bigcity", "2"), ("Smalltown", "1")]
    assert set(places[0]["reports"].split(" | ")) == {"alpha", "beta"}
    actors = _run(version, "actors-in-most-practices.rq")
    assert (actors[0]["label"], actors[0]["practices"]) == ("town council", "3")
    per_report = {r["report"]: (r["practices"], r["passages"]) for r in _run(version, "practices-per-report.rq")}
    assert per_report == {"alpha": ("2", "3"), "beta": ("2", "2")}


def test_evidence_query_gives_offsets_and_the_passage_text(version: Path) -> None:
    rows = _run(version, "evidence-for-catalysts.rq")
    assert len(rows) == 3  # one per stated practice-catalyst fact, no duplicates from the union graph
    for row in rows:
        assert int(row["start"]) < int(row["end"])
        assert row["text"]


def _check_real(settings: Any, name: str) -> None:
    path = ROOT / "ontology" / "queries" / name
    result = run_query(settings, path.read_text(encoding="utf-8"), timeout=60)
    assert len(result) > 0, f"{name} returned nothing on the bundled corpus"
    expected = columns(path)
    if expected is not None:
        assert result.variables == expected


@pytest.mark.slow
def test_every_library_query_answers_on_the_bundled_corpus(real_build: Any) -> None:
    failures = []
    for name in NAMES:
        try:
            _check_real(real_build, name)
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
    assert failures == []
