"""Exports round-trip through rdflib and Oxigraph; hostile text survives; Graph Store push works."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from amicall_kg.errors import ExportError
from amicall_kg.export import export, graph_names, push
from amicall_kg.sparql import run_query

from .sparql_fixture import FIXTURE, free_port, make_version, running_oxigraph

HOSTILE = [
    'double " quote',
    "single ' quote and '''triple''' and \"\"\"triple\"\"\"",
    "back\\slash \\n not a newline \\u0041 not an escape",
    "new\nline\r\ncarriage\rreturn\ttab",
    "nul \x00 bell \x07 escape \x1b del \x7f",
    "nel \x85 line separator \u2028 paragraph separator \u2029",
    "rtl \u200f mark \u202e override \u2066 isolate \u2069 \u05e9\u05dc\u05d5\u05dd",
    "emoji 🙂 family 👨‍👩‍👧 flag 🇪🇺 astral 𝔸",
    "combining e\u0301 vs \u00e9, bom \ufeff, zero width \u200b, nbsp \u00a0",
    "",
    " leading and trailing spaces ",
    "@prefix x: <http://e/> . <a> <b> <c> . # not turtle",
]
EX = "http://example.org/hostile/"


@pytest.fixture(scope="module")
def version(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_version(tmp_path_factory.mktemp("export") / "v1")


def fixture_union() -> set[tuple[str, str, str]]:
    import pyoxigraph as ox

    return {
        (str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    }


def oxigraph_triples(data: bytes, fmt: str) -> set[tuple[str, str, str]]:
    import pyoxigraph as ox

    rdf_format = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(data, format=rdf_format)}


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_graph_export_round_trips_through_rdflib_and_oxigraph(version: Path, fmt: str, rdflib_format: str) -> None:
    import rdflib
    from rdflib.compare import isomorphic

    out = io.BytesIO()
    result = export(version, fmt, out)
    data = out.getvalue()
    expected = rdflib.Dataset()
    expected.parse(FIXTURE, format="trig")
    union = rdflib.Graph()
    for s, p, o, _ in expected.quads((None, None, None, None)):
        union.add((s, p, o))
    parsed = rdflib.Graph().parse(data=data, format=rdflib_format)
    assert isomorphic(parsed, union)
    assert result.count == len(union) == len(fixture_union())
    assert oxigraph_triples(data, fmt) == fixture_union()


def test_nquads_keeps_one_graph_per_report(version: Path, tmp_path: Path) -> None:
    import rdflib
    from rdflib.compare import isomorphic

    target = tmp_path / "graph.nq"
    result = export(version, "nq", target)
    parsed = rdflib.Dataset()
    parsed.parse(target, format="nquads")
    expected = rdflib.Dataset()
    expected.parse(FIXTURE, format="trig")
    names = sorted(str(g.identifier) for g in expected.graphs() if len(g))
    assert sorted(str(g.identifier) for g in parsed.graphs() if len(g)) == names == graph_names(version)
    for name in names:
        assert isomorphic(parsed.graph(rdflib.URIRef(name)), expected.graph(rdflib.URIRef(name)))
    assert result.count == sum(len(expected.graph(rdflib.URIRef(n))) for n in names)


@pytest.fixture(scope="module")
def hostile_version(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import pyoxigraph as ox

    from amicall_kg.store import open_store

    folder = tmp_path_factory.mktemp("hostile") / "v1"
    store = open_store(folder, read_only=False)
    graph = ox.NamedNode(EX + "graph")
    for i, text in enumerate(HOSTILE):
        subject = ox.NamedNode(f"{EX}passage/{i}")
        store.add(ox.Quad(subject, ox.NamedNode("https://w3id.org/amicall/ontology#text"), ox.Literal(text), graph))
        store.add(ox.Quad(subject, ox.NamedNode(EX + "lang"), ox.Literal(text, language="en-GB"), graph))
    store.flush()
    del store
    return folder


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("nt", "nt"), ("ttl", "turtle"), ("nq", "nquads")])
def test_hostile_text_survives_round_trips_exactly(hostile_version: Path, fmt: str, rdflib_format: str) -> None:
    import pyoxigraph as ox
    import rdflib

    out = io.BytesIO()
    export(hostile_version, fmt, out)
    data = out.getvalue()
    ox_format = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "nq": ox.RdfFormat.N_QUADS}[fmt]
    by_oxigraph = {(q.subject.value, q.object.value, q.object.language) for q in ox.parse(data, format=ox_format)}
    if fmt == "nq":
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format="nquads")
        triples = [t[:3] for t in parsed.quads((None, None, None, None))]
    else:
        triples = list(rdflib.Graph().parse(data=data, format=rdflib_format))
    by_rdflib = {(str(s), str(o), getattr(o, "language", None)) for s, _, o in triples}
    expected = set()
    for i, text in enumerate(HOSTILE):
        expected |= {(f"{EX}passage/{i}", text, None), (f"{EX}passage/{i}", text, "en-gb")}
    lowered = {(s, o, lang.lower() if lang else None) for s, o, lang in by_oxigraph | by_rdflib}
    assert lowered == expected
    # and through SPARQL: the exact text comes back as a query result
    rows = run_query(hostile_version, "SELECT ?t WHERE { ?p amc:text ?t }").rows
    assert sorted(r["t"]["value"] for r in rows) == sorted(HOSTILE)


def test_unknown_format_and_unwritable_target(version: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="ttl"):
        export(version, "rdfxml", io.BytesIO())
    with pytest.raises(ExportError, match="Could not write"):
        export(version, "nt", tmp_path / "missing-dir" / "x.nt")


# --- Graph Store Protocol push to a real Oxigraph server ---------------------------------


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    with running_oxigraph(tmp_path / "oxstore") as url:
        yield url


@pytest.mark.slow
def test_push_to_oxigraph_server_then_query_it_remotely(version: Path, oxigraph_server: str) -> None:
    result = push(version, oxigraph_server + "/store")
    local_counts = {
        row["g"]["value"]: int(row["n"]["value"])
        for row in run_query(version, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    }
    assert result.graphs == local_counts
    remote = run_query(
        None,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        endpoint=oxigraph_server + "/query",
    )
    assert {row["g"]["value"]: int(row["n"]["value"]) for row in remote.rows} == local_counts
    # PUT replaces: pushing twice does not double anything
    push(version, oxigraph_server + "/store")
    again = run_query(
        None, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", endpoint=oxigraph_server + "/query"
    )
    assert int(again.rows[0]["n"]["value"]) == sum(local_counts.values())
    text = "SELECT DISTINCT ?l WHERE { GRAPH ?g { ?p a amc:Practice ; rdfs:label ?l } } ORDER BY ?l"
    assert [r["l"]["value"] for r in run_query(None, text, endpoint=oxigraph_server + "/query").rows] == [
        "Bigcity summer festival",
        "Bigcity welcome campaign",
        "Smalltown dialogue circle",
    ]


def test_push_errors_are_clear(version: Path) -> None:
    with pytest.raises(ExportError, match="http"):
        push(version, "file:///tmp/x")
    with pytest.raises(ExportError, match="Is the store running"):
        push(version, f"http://127.0.0.1:{free_port()}/store", timeout=2)
