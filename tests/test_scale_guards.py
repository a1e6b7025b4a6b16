"""Guards against costs that grow faster than the corpus (issue #8: the 10x build ran out of memory).

* ``practices()`` over an Oxigraph store: a triple stated by n report graphs comes back n times from
  Oxigraph's union default graph, so each query must see every triple once, however many reports
  state it.
* ``resolve.find_whole``: the ``str.find`` search for a practice's names finds what the regex did.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from rdflib import Graph

from amicall_kg import practices as practices_module
from amicall_kg.namespaces import PREFIXES
from amicall_kg.resolve import find_whole

_HEAD = "".join(f"@prefix {k}: <{v}> .\n" for k, v in PREFIXES.items())
# One practice with every fact the practice queries join (label, alt label, place with population,
# country, concept with its label, catalyst, actor, outcome, evidence), as a report graph states it.
REPORT_GRAPH = (
    _HEAD
    + """
id:p a amc:Practice ; rdfs:label "Town for All" ; skos:altLabel "TfA" ;
  amc:locatedIn id:town ; amc:country id:land ; amc:activityType amv:festival ;
  amc:catalyst id:c ; amc:involves id:a ; amc:hasOutcome id:o ; amc:evidence id:e .
id:town a amc:Place ; rdfs:label "Town" ; amc:population 40000 .
id:land a amc:Place , amc:Country ; rdfs:label "Land" .
amv:festival skos:prefLabel "intercultural festivals" .
id:c a amc:Catalyst ; rdfs:label "a riot" ; amc:catalystType amv:violent ; amc:evidence id:e .
amv:violent skos:prefLabel "violent incident" .
id:a a amc:Actor ; rdfs:label "the council" ; amc:evidence id:e .
id:o a amc:Outcome ; rdfs:label "more contact" ; amc:evidence id:e .
id:e a amc:Passage ; amc:inReport id:r ; amc:start 0 ; amc:end 40 ; amc:text "Town for All began after a riot." .
id:r a amc:Report ; dcterms:identifier "r" .
"""
)


def _store(copies: int) -> Any:
    """An Oxigraph store holding the same report graph in ``copies`` named graphs."""
    import pyoxigraph

    store = pyoxigraph.Store()
    for number in range(copies):
        graph = pyoxigraph.NamedNode(f"urn:report:{number}")
        store.load(REPORT_GRAPH, format=pyoxigraph.RdfFormat.TURTLE, to_graph=graph)
    return store


def _counted_rows(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counts: list[int] = []
    rows = practices_module._rows

    def counting(source: Any, query: str) -> list[dict[str, Any]]:
        found = rows(source, query)
        counts.append(len(found))
        return found

    monkeypatch.setattr(practices_module, "_rows", counting)
    return counts


def test_practices_see_each_triple_once_however_many_reports_state_it(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = practices_module.practices(Graph().parse(data=REPORT_GRAPH, format="turtle"))
    counts = _counted_rows(monkeypatch)
    assert practices_module.practices(_store(1)) == expected
    one = list(counts)
    counts.clear()
    # Oxigraph's union default graph would give 4**8 rows for the first query here.
    assert practices_module.practices(_store(4)) == expected
    assert counts == one
    assert expected[0]["label"] == "Town for All" and expected[0]["population"] == 40000


def test_one_graph_holds_each_triple_once() -> None:
    store = _store(5)
    assert len(store) == 5 * len(_store(1))
    assert len(practices_module._as_one_graph(store)) == len(_store(1))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Town for All", "Town for All, Town for Alls and (Town for All) and xTown for All."),
        ("Anna Anna", "Anna Anna Anna; xAnna Anna Anna"),  # overlapping occurrences
        ("Café", "Café_, Cafés, Café\u00e9, le Café. Café"),
        ("AB_C", "AB_C AB_CD _AB_C 1AB_C AB_C"),
        ("Köln 2020", "Köln 20201 Köln 2020. ÄKöln 2020 Köln 2020"),
        ("Town", ""),
        ("Town", "no match here"),
    ],
)
def test_find_whole_finds_what_the_regex_found(name: str, text: str) -> None:
    pattern = re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])")
    assert list(find_whole(name, text)) == [(m.start(), m.end()) for m in pattern.finditer(text)]


# -- the merged default graph: what researchers query and export ---------------------------------------


@pytest.fixture
def built_store(tmp_path: Any) -> Any:
    """A version store as the build writes it, with one practice stated by three report graphs."""
    from amicall_kg.build_store import write_store

    graph = Graph().parse(data=REPORT_GRAPH, format="turtle")
    files = {}
    for name in ("r1", "r2", "r3"):
        files[name] = tmp_path / f"{name}.nt"
        graph.serialize(files[name], format="nt")
    write_store(tmp_path / "version", files, [])
    return tmp_path / "version"


def test_sparql_sees_each_triple_once_however_many_reports_state_it(built_store: Any) -> None:
    from amicall_kg.sparql import run_query

    result = run_query(built_store, "SELECT ?e WHERE { ?x <https://w3id.org/amicall/ontology#evidence> ?e }")
    assert len(result.rows) == 4  # the practice, its catalyst, actor and outcome: once each, not 3 times
    per_report = run_query(built_store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?p a ?c } }")
    assert len(per_report.rows) == 3  # provenance by report graph is still there


def test_exports_hold_each_triple_once_and_one_graph_per_report(built_store: Any) -> None:
    import io

    from amicall_kg.export import export

    triples, quads = io.BytesIO(), io.BytesIO()
    assert export(built_store, "nt", triples).count == len(Graph().parse(data=REPORT_GRAPH, format="turtle"))
    export(built_store, "nq", quads)
    lines = quads.getvalue().decode().splitlines()
    assert lines and all(line.rstrip(" .").endswith(">") and "report" in line.rsplit(" ", 2)[-2] for line in lines)
