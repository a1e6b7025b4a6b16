"""Result formats: each parses back with a standard reader (rdflib, csv, XML) to the same values."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from amicall_kg.errors import QueryError
from amicall_kg.sparql import QueryResult, run_query
from amicall_kg.sparql_format import negotiate, render

from .sparql_fixture import make_version

HOSTILE = 'quote " back\\slash\nnew line\r\ttab \x00 nul \x07 bell \x85 nel \u2028 ls \u200f rtl \u202e 🙂 e\u0301'
SELECT = (
    "SELECT DISTINCT ?practice ?label ?population WHERE { ?practice a amc:Practice ; rdfs:label ?label . "
    "OPTIONAL { ?practice amc:locatedIn/amc:population ?population } } ORDER BY ?label"
)


@pytest.fixture(scope="module")
def version(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_version(tmp_path_factory.mktemp("formats") / "v1")


@pytest.fixture(scope="module")
def result(version: Path) -> QueryResult:
    return run_query(version, SELECT)


def hostile_result() -> QueryResult:
    return QueryResult(
        "select",
        variables=["text", "iri", "lang"],
        rows=[
            {
                "text": {"type": "literal", "value": HOSTILE},
                "iri": {"type": "uri", "value": "https://w3id.org/amicall/id/x"},
                "lang": {"type": "literal", "value": "ça", "xml:lang": "fr"},
            },
            {"text": {"type": "literal", "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}},
        ],
    )


def test_json_is_standard_sparql_results(result: QueryResult) -> None:
    import rdflib.query

    text = render(result, "json")
    data = json.loads(text)
    assert data["head"]["vars"] == ["practice", "label", "population"] and data["truncated"] is False
    parsed = rdflib.query.Result.parse(io.StringIO(text), format="json")
    assert [str(row[1]) for row in parsed] == [r["label"]["value"] for r in result.rows]  # type: ignore[index]


def test_xml_is_standard_sparql_results(result: QueryResult) -> None:
    import rdflib.query

    text = render(result, "xml")
    parsed = rdflib.query.Result.parse(io.BytesIO(text.encode("utf-8")), format="xml")
    labels = [str(row[1]) for row in parsed]  # type: ignore[index]
    assert labels == [r["label"]["value"] for r in result.rows]
    populations = [row[2] for row in rdflib.query.Result.parse(io.BytesIO(text.encode()), format="xml")]  # type: ignore[index]
    assert sum(p is not None for p in populations) == sum("population" in r for r in result.rows) == 3


def test_csv_and_tsv(result: QueryResult) -> None:
    rows = list(csv.reader(io.StringIO(render(result, "csv"))))
    assert rows[0] == ["practice", "label", "population"]
    assert [r[1] for r in rows[1:]] == [r["label"]["value"] for r in result.rows]
    assert "\r\n" in render(result, "csv")
    tsv = render(result, "tsv").splitlines()
    assert tsv[0] == "?practice\t?label\t?population"
    assert tsv[1].startswith("<https://w3id.org/amicall/id/") and '"' in tsv[1]
    assert any('"42000"^^<http://www.w3.org/2001/XMLSchema#integer>' in line for line in tsv)


def test_hostile_text_survives_json_csv_and_tsv_exactly() -> None:
    hostile = hostile_result()
    assert json.loads(render(hostile, "json"))["results"]["bindings"] == hostile.rows
    rows = list(csv.reader(io.StringIO(render(hostile, "csv"), newline="")))
    assert rows[1][0] == HOSTILE
    line = render(hostile, "tsv").split("\n")[1]
    assert line.count("\t") == 2, "tabs and newlines inside values must be escaped in TSV"
    import pyoxigraph as ox

    term = next(iter(ox.parse(f"<http://e/s> <http://e/p> {line.split(chr(9))[0]} .", format=ox.RdfFormat.N_TRIPLES)))
    assert term.object.value == HOSTILE


def test_xml_replaces_only_characters_xml_cannot_carry() -> None:
    text = render(hostile_result(), "xml")
    root = ET.fromstring(text.encode("utf-8"))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    literal = root.find(f".//{ns}literal")
    assert literal is not None and literal.text is not None
    assert literal.text == HOSTILE.replace("\x00", "\ufffd").replace("\x07", "\ufffd").replace("\r", "\n")


def test_table_is_aligned_and_shows_truncation(version: Path) -> None:
    capped = run_query(version, "SELECT ?s ?p WHERE { ?s ?p ?o }", max_rows=4)
    lines = render(capped, "table").splitlines()
    assert lines[0].split() == ["s", "p"]
    assert len({line.index(line.split()[1]) for line in lines[2:6]}) == 1, "second column aligned"
    assert "TRUNCATED" in lines[-1] and lines[-1].startswith("4 rows")
    hostile = render(hostile_result(), "table")
    assert "\x00" not in hostile and "\u2028" not in hostile
    assert len(hostile.splitlines()) == 5  # header, rule, 2 rows, footer: no value breaks a line


def test_ask_in_every_result_format(version: Path) -> None:
    yes = run_query(version, "ASK { ?p a amc:Practice }")
    assert render(yes, "table") == "true\n"
    assert json.loads(render(yes, "json"))["boolean"] is True
    assert render(yes, "csv").splitlines()[1] == "true"
    assert "<boolean>true</boolean>" in render(yes, "xml")


def test_graph_results_in_rdf_formats(version: Path) -> None:
    import rdflib

    graph = run_query(version, "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a amc:Practice ; rdfs:label ?l }")
    for fmt, rdflib_format in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        parsed = rdflib.Graph().parse(data=render(graph, fmt), format=rdflib_format)
        assert len(parsed) == len(graph.triples) == 3
    assert "@prefix amc:" in render(graph, "ttl")
    with pytest.raises(QueryError, match="ttl"):
        render(graph, "csv")
    with pytest.raises(QueryError, match="rows"):
        render(run_query(version, SELECT), "nt")


@pytest.mark.parametrize(
    ("accept", "graph", "expected"),
    [
        (None, False, "json"),
        ("application/sparql-results+xml", False, "xml"),
        ("text/csv;q=0.5, text/tab-separated-values", False, "tsv"),
        ("text/csv;q=0.5, text/tab-separated-values;q=0.4", False, "csv"),
        ("*/*", True, "ttl"),
        ("application/n-triples, text/turtle;q=0.2", True, "nt"),
        ("application/ld+json", True, "jsonld"),
        ("image/png", False, None),
        ("application/sparql-results+json;q=0", False, None),
    ],
)
def test_negotiate(accept: str | None, graph: bool, expected: str | None) -> None:
    assert negotiate(accept, graph) == expected
