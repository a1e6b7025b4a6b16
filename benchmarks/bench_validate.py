"""Time SHACL validation (``validate.validate_graph``) on a synthetic graph.

Builds a graph shaped like a real build (reports, passages, practices with places,
countries, actors, catalysts and outcomes linked to concepts) of about the requested
size, then prints median times for inference "none" and "rdfs", and their ratio.

    .venv/bin/python benchmarks/bench_validate.py [--triples 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from amicall_kg.namespaces import AMC, GN, mint
from amicall_kg.validate import validate_graph
from amicall_kg.vocab import load_vocabulary

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"


def synthetic_graph(n_practices: int) -> Graph:
    """About 40 triples per practice: practice, 2 passages, place, actor, catalyst, outcome."""
    vocab = load_vocabulary(ONTOLOGY)
    schemes = {name: vocab.scheme(name) for name in ("activity-type", "catalyst-type", "goal", "target-group")}
    actor_types = vocab.scheme("actor-type")
    g = Graph()
    countries = [mint("country", f"c{i}") for i in range(10)]
    for i, country in enumerate(countries):
        g.add((country, RDF.type, AMC.Country))
        g.add((country, RDFS.label, Literal(f"Country {i}")))
    reports = [mint("report", f"r{i}") for i in range(5)]
    for i, report in enumerate(reports):
        g.add((report, RDF.type, AMC.Report))
        g.add((report, RDFS.label, Literal(f"Report {i}")))
    for i in range(n_practices):
        passages = []
        for j in range(2):
            p = mint("passage", f"p{i}-{j}")
            start = i * 1000 + j * 300
            g.add((p, RDF.type, AMC.Passage))
            g.add((p, AMC.inReport, reports[i % len(reports)]))
            g.add((p, AMC.start, Literal(start)))
            g.add((p, AMC.end, Literal(start + 250)))
            g.add((p, AMC.text, Literal(f"passage text {i} {j}")))
            passages.append(p)
        practice, place, actor = mint("practice", f"x{i}"), mint("place", f"pl{i}"), mint("actor", f"a{i}")
        catalyst, outcome = mint("catalyst", f"c{i}"), mint("outcome", f"o{i}")
        g.add((practice, RDF.type, AMC.Practice))
        g.add((practice, RDFS.label, Literal(f"Practice {i}")))
        for p in passages:
            g.add((practice, AMC.evidence, p))
        g.add((practice, AMC.locatedIn, place))
        g.add((practice, AMC.country, countries[i % len(countries)]))
        for scheme, prop in (
            ("activity-type", AMC.activityType),
            ("goal", AMC.goal),
            ("target-group", AMC.targetGroup),
        ):
            concepts = schemes[scheme]
            g.add((practice, prop, _iri(concepts[i % len(concepts)].iri)))
        g.add((practice, AMC.involves, actor))
        g.add((practice, AMC.catalyst, catalyst))
        g.add((practice, AMC.hasOutcome, outcome))
        g.add((place, RDF.type, AMC.Place))
        g.add((place, RDFS.label, Literal(f"Place {i}")))
        g.add((place, AMC.country, countries[i % len(countries)]))
        g.add((place, AMC.population, Literal(1000 + i)))
        g.add((place, OWL.sameAs, GN[str(100000 + i)]))
        g.add((actor, RDF.type, AMC.LocalAuthority))
        g.add((actor, RDFS.label, Literal(f"Council {i}")))
        g.add((actor, AMC.actorType, _iri(actor_types[i % len(actor_types)].iri)))
        g.add((catalyst, RDF.type, AMC.Catalyst))
        g.add((catalyst, RDFS.label, Literal(f"incident {i}")))
        cts = schemes["catalyst-type"]
        g.add((catalyst, AMC.catalystType, _iri(cts[i % len(cts)].iri)))
        g.add((catalyst, AMC.evidence, passages[0]))
        g.add((outcome, RDF.type, AMC.Outcome))
        g.add((outcome, RDFS.label, Literal(f"evaluated {i}")))
        g.add((outcome, AMC.outcomeKind, Literal("evaluation")))
        g.add((outcome, AMC.evidence, passages[1]))
    return g


def _iri(text: str) -> object:
    from rdflib import URIRef

    return URIRef(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    graph = synthetic_graph(max(1, args.triples // 40))
    print(f"graph: {len(graph)} triples")
    validate_graph(graph, ONTOLOGY)  # warm the ontology cache and imports
    medians = {}
    for inference in ("none", "rdfs"):
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            violations = validate_graph(graph, ONTOLOGY, inference=inference)  # type: ignore[arg-type]
            times.append(time.perf_counter() - t0)
        medians[inference] = statistics.median(times)
        print(f"inference={inference}: median {medians[inference]:.2f} s over {args.repeat}, {len(violations)} results")
    print(f"ratio rdfs/none: {medians['rdfs'] / medians['none']:.2f}")


if __name__ == "__main__":
    main()
