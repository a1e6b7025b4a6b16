"""Graph building, IRI validity and the practices() shape (blank pipeline, tiny texts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from amicall_kg.corpus import Report
from amicall_kg.extract import load_pipeline
from amicall_kg.graph import report_graphs
from amicall_kg.namespaces import AMC
from amicall_kg.practices import practices
from amicall_kg.settings import load_settings
from amicall_kg.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
TEXT_A = (
    "Case studies\n\n"
    "After a racist murder in 2009, Tampere launched the 'Tampere for All' campaign to counter rumours.\n"
    "The campaign was evaluated in 2012 and the evaluation found positive contact across groups.\n"
)
TEXT_B = "Officials in Finland praised Tampere for All as a model for other towns.\n"


def _report(tmp_path: Path, rid: str, text: str) -> Report:
    path = tmp_path / f"{rid}.txt"
    path.write_text(text, encoding="utf-8")
    return Report(rid, path.name, "A test report", ("A",), 2020, "P", "S", "en", "L", path)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[Report]]:
    tmp = tmp_path_factory.mktemp("graph")
    vocab = load_vocabulary(ROOT / "ontology")
    nlp = load_pipeline(load_settings(env={}), vocab, blank=True)
    reports = [_report(tmp, "ra", TEXT_A), _report(tmp, "rb", TEXT_B)]
    return report_graphs(reports, nlp, vocab), reports


def test_one_practice_across_reports(built: tuple[dict[str, Any], list[Report]]) -> None:
    graphs, _ = built
    union = graphs["ra"] + graphs["rb"]
    found = practices(union)
    assert [p["label"] for p in found] == ["Tampere for All"]
    assert {e["report"] for e in found[0]["evidence"]} == {"ra", "rb"}


def test_practice_shape(built: tuple[dict[str, Any], list[Report]]) -> None:
    graphs, _ = built
    (p,) = practices(graphs["ra"] + graphs["rb"])
    assert p["place"] == "Tampere" and p["country"] == "Finland" and p["population"] > 100_000
    assert 61.3 < p["lat"] < 61.7 and 23.5 < p["lon"] < 24.0  # Tampere's GeoNames coordinates, for the app's map
    assert "violent incident" in p["catalysts"]
    assert p["outcomes"] and p["description"].startswith("After a racist murder")
    keys = {
        "iri",
        "label",
        "description",
        "place",
        "country",
        "activity_types",
        "catalysts",
        "actors",
        "outcomes",
        "goals",
        "target_groups",
        "alt_labels",
        "population",
        "evidence",
    }
    assert keys <= set(p)
    assert practices(graphs["ra"], iri=p["iri"])[0]["iri"] == p["iri"]


def test_evidence_offsets_exact(built: tuple[dict[str, Any], list[Report]]) -> None:
    graphs, reports = built
    texts = {r.id: r.text() for r in reports}
    (p,) = practices(graphs["ra"] + graphs["rb"])
    for e in p["evidence"]:
        assert texts[e["report"]][e["start"] : e["end"]] == e["text"]


def test_every_fact_has_evidence(built: tuple[dict[str, Any], list[Report]]) -> None:
    graphs, _ = built
    g = graphs["ra"]
    for cls in (AMC.Practice, AMC.Catalyst, AMC.Outcome):
        for node in g.subjects(predicate=None, object=cls):
            assert list(g.objects(node, AMC.evidence)), node


def test_hostile_text_gives_valid_iris(tmp_path: Path) -> None:
    vocab = load_vocabulary(ROOT / "ontology")
    nlp = load_pipeline(load_settings(env={}), vocab, blank=True)
    hostile = (
        'In Tampere the "Quote\\"s <b>&\\\\ \u0000\u200b\U0001f600 Ünïcødé" campaign began.\n'
        "The 'A\tB\x07 \u202eevil' project started in Bergen, Norway.\n"
    )
    graphs = report_graphs([_report(tmp_path, "hx", hostile)], nlp, vocab)
    data = graphs["hx"].serialize(format="nt")
    from rdflib import Graph

    again = Graph().parse(data=data, format="nt")
    assert len(again) == len(graphs["hx"])
    for s, _, o in graphs["hx"]:
        for term in (s, o):
            if isinstance(term, URIRef):
                assert not any(ch in str(term) for ch in ' "<>\\{}|^`\n\t')


def test_practices_from_oxigraph_store_with_named_graphs(built: tuple[dict[str, Any], list[Report]]) -> None:
    import pyoxigraph

    graphs, _ = built
    store = pyoxigraph.Store()
    for rid, graph in graphs.items():
        data = graph.serialize(format="nt").encode("utf-8")
        store.load(data, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(f"urn:report:{rid}"))
    from_store = practices(store)
    from_rdflib = practices(graphs["ra"] + graphs["rb"])
    assert from_store == from_rdflib
    assert from_store[0]["evidence"][0]["start"] >= 0 and isinstance(from_store[0]["evidence"][0]["start"], int)


def test_staged_mentions_give_the_same_graphs(built: tuple[dict[str, Any], list[Report]]) -> None:
    import json

    from amicall_kg.extract import report_mentions
    from amicall_kg.graph import graphs_from_mentions

    graphs, reports = built
    vocab = load_vocabulary(ROOT / "ontology")
    nlp = load_pipeline(load_settings(env={}), vocab, blank=True)
    cached = {r.id: json.loads(json.dumps(report_mentions(r, nlp, vocab))) for r in reports}
    staged = graphs_from_mentions(reports, cached, vocab)
    for rid, graph in graphs.items():
        assert set(staged[rid]) == set(graph)
