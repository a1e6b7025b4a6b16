"""RDF graphs of extracted practices, one per report, with provenance to passages.

IRIs come from ``namespaces.mint`` over normalised keys, so the union of per-report graphs
merges the nodes that several reports state (practices, places, actors).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from .extract import extract_report
from .namespaces import AMC, GN, PREFIXES, mint
from .places import Place, norm
from .records import Passage, Practice, mention_from_json
from .resolve import resolve
from .segments import _PageMap

if TYPE_CHECKING:
    from spacy.language import Language

    from .corpus import Report
    from .vocab import Vocabulary


def report_iri(report_id: str) -> URIRef:
    return mint("report", report_id)


def passage_iri(p: Passage) -> URIRef:
    return mint("passage", p.report, str(p.start), str(p.end))


def place_iri(place: Place) -> URIRef:
    return mint("place", place.key, place.name)


def practice_iri(practice: Practice) -> URIRef:
    return mint("practice", practice.key)


def extract_practices(reports: list[Report], nlp: Language, vocab: Vocabulary) -> list[Practice]:
    """All practices of the reports, resolved across them."""
    mentions = []
    texts = {}
    for report in reports:
        texts[report.id] = report.text()
        mentions.extend(extract_report(report, nlp, vocab))
    return resolve(mentions, texts)


def report_graphs(reports: list[Report], nlp: Language, vocab: Vocabulary) -> dict[str, Graph]:
    """Report id -> every triple that report states (report, passages, practices, facts)."""
    return _graphs(reports, extract_practices(reports, nlp, vocab), vocab)


def graphs_from_mentions(
    reports: list[Report], mentions: Mapping[str, list[Any]], vocab: Vocabulary
) -> dict[str, Graph]:
    """The second, cheap step of a staged build: resolve every report's cached mentions
    (``extract.report_mentions``) across reports into per-report graphs."""
    records = [mention_from_json(m) for report in reports for m in mentions.get(report.id, [])]
    texts = {r.id: r.text() for r in reports}
    return _graphs(reports, resolve(records, texts), vocab)


def _graphs(reports: list[Report], practices: list[Practice], vocab: Vocabulary) -> dict[str, Graph]:
    pages = {r.id: _PageMap(r) for r in reports}
    graphs = {r.id: _new_graph() for r in reports}
    for report in reports:
        _add_report(graphs[report.id], report)
    for practice in practices:
        _add_practice(graphs, practice, pages, vocab)
    return graphs


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def _add_report(graph: Graph, report: Report) -> None:
    node = report_iri(report.id)
    graph.add((node, RDF.type, AMC.Report))
    graph.add((node, DCTERMS.title, Literal(report.title)))
    graph.add((node, DCTERMS.identifier, Literal(report.id)))
    graph.add((node, AMC.year, Literal(str(report.year), datatype=XSD.gYear)))
    graph.add((node, DCTERMS.publisher, Literal(report.publisher)))
    for author in report.authors:
        graph.add((node, DCTERMS.creator, Literal(author)))


def _passage(graph: Graph, p: Passage, pages: dict[str, _PageMap]) -> URIRef:
    node = passage_iri(p)
    graph.add((node, RDF.type, AMC.Passage))
    graph.add((node, AMC.inReport, report_iri(p.report)))
    graph.add((node, AMC.start, Literal(p.start, datatype=XSD.integer)))
    graph.add((node, AMC.end, Literal(p.end, datatype=XSD.integer)))
    graph.add((node, AMC.text, Literal(p.text)))
    page = p.page if p.page is not None else (pages[p.report].page(p.start) if p.report in pages else None)
    if page is not None:
        graph.add((node, AMC.page, Literal(page, datatype=XSD.integer)))
    return node


def _place(graph: Graph, place: Place, vocab: Vocabulary) -> URIRef:
    node = place_iri(place)
    graph.add((node, RDF.type, AMC.Place))
    graph.add((node, RDFS.label, Literal(place.name)))
    graph.add((node, AMC.countryCode, Literal(place.country_code)))
    if place.geonames_id is not None:
        graph.add((node, AMC.geonamesId, Literal(place.geonames_id, datatype=XSD.integer)))
        graph.add((node, OWL.sameAs, GN[f"{place.geonames_id}/"]))
    if place.kind == "country":
        graph.add((node, RDF.type, AMC.Country))
        return node
    if place.lat is not None and place.lon is not None:
        graph.add((node, AMC.latitude, Literal(str(place.lat), datatype=XSD.decimal)))
        graph.add((node, AMC.longitude, Literal(str(place.lon), datatype=XSD.decimal)))
    if place.population:
        graph.add((node, AMC.population, Literal(place.population, datatype=XSD.integer)))
        size = vocab.place_size(place.population)
        if size is not None:
            graph.add((node, AMC.placeSize, URIRef(size.iri)))
    country = Place(place.country_name, "country", place.country_code, place.country_name)
    graph.add((node, AMC.country, _country_node(graph, country)))
    return node


def _country_node(graph: Graph, country: Place) -> URIRef:
    from .places import get_gazetteer

    full = get_gazetteer().countries.get(country.country_code, country)
    node = place_iri(full)
    graph.add((node, RDF.type, AMC.Place))
    graph.add((node, RDF.type, AMC.Country))
    graph.add((node, RDFS.label, Literal(full.name)))
    graph.add((node, AMC.countryCode, Literal(full.country_code)))
    if full.geonames_id is not None:
        graph.add((node, AMC.geonamesId, Literal(full.geonames_id, datatype=XSD.integer)))
        graph.add((node, OWL.sameAs, GN[f"{full.geonames_id}/"]))
    return node


def _add_practice(graphs: dict[str, Graph], practice: Practice, pages: dict[str, _PageMap], vocab: Vocabulary) -> None:
    node = practice_iri(practice)
    reports = {p.report for p in practice.evidence if p.report in graphs}
    for report_id in reports:
        graph = graphs[report_id]
        graph.add((node, RDF.type, AMC.Practice))
        graph.add((node, RDFS.label, Literal(practice.label)))
        for alt in sorted(practice.alt_labels):
            graph.add((node, SKOS.altLabel, Literal(alt)))
        if practice.place is not None:
            graph.add((node, AMC.locatedIn, _place(graph, practice.place, vocab)))
        if practice.country is not None:
            graph.add((node, AMC.country, _country_node(graph, practice.country)))
        if practice.years:
            graph.add((node, AMC.year, Literal(str(min(practice.years)), datatype=XSD.gYear)))
        if practice.end_year:
            graph.add((node, AMC.endDate, Literal(str(practice.end_year), datatype=XSD.gYear)))
    for p in practice.evidence:
        if p.report in graphs:
            graphs[p.report].add((node, AMC.evidence, _passage(graphs[p.report], p, pages)))
    for m in practice.mentions:
        mg = graphs.get(m.report)
        if mg is None:
            continue
        for prop, iris in (
            (AMC.activityType, m.activity_types),
            (AMC.goal, m.goals),
            (AMC.targetGroup, m.target_groups),
            (AMC.lraRole, m.roles),
        ):
            for iri in sorted(iris):
                mg.add((node, prop, URIRef(iri)))
    for c in practice.catalysts:
        cg = graphs.get(c.passage.report)
        if cg is None:
            continue
        cnode = mint("catalyst", practice.key, norm(c.text))
        cg.add((node, AMC.catalyst, cnode))
        cg.add((cnode, RDF.type, AMC.Catalyst))
        cg.add((cnode, RDFS.label, Literal(c.text)))
        if c.type_iri:
            cg.add((cnode, AMC.catalystType, URIRef(c.type_iri)))
        cg.add((cnode, AMC.evidence, _passage(cg, c.passage, pages)))
    for o in practice.outcomes:
        og = graphs.get(o.passage.report)
        if og is None:
            continue
        onode = mint("outcome", practice.key, o.passage.report, str(o.passage.start))
        og.add((node, AMC.hasOutcome, onode))
        og.add((onode, RDF.type, AMC.Outcome))
        og.add((onode, RDFS.label, Literal(o.text)))
        og.add((onode, AMC.outcomeKind, Literal(o.kind)))
        for f in o.factor_iris:
            og.add((onode, AMC.outcomeFactor, URIRef(f)))
        og.add((onode, AMC.evidence, _passage(og, o.passage, pages)))
    for a in practice.actors:
        ag = graphs.get(a.passage.report)
        if ag is None:
            continue
        anode = mint("actor", a.key)
        ag.add((node, AMC.involves, anode))
        ag.add((anode, RDF.type, AMC.Actor))
        ag.add((anode, RDFS.label, Literal(a.label)))
        if a.type_iri:
            ag.add((anode, AMC.actorType, URIRef(a.type_iri)))
        ag.add((anode, AMC.evidence, _passage(ag, a.passage, pages)))
