"""The RDF side of a build: per-report N-Triples caches, the Oxigraph store, the dump, the diff.

Each report's triples are kept as sorted, canonical N-Triples lines in
``graph/reports/<id>.nt``; an incremental build copies unchanged reports' lines from the
previous version instead of extracting them again, and diffs changed reports' lines
against the old ones for the changelog. The store holds one named graph per report plus
one for the ontology and vocabularies, so dropping a report drops exactly its triples.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .store import GRAPH_DIR, TURTLE_FILE, open_store

if TYPE_CHECKING:
    import rdflib

AMC = "https://w3id.org/amicall/ontology#"
REPORT_GRAPH_BASE = "https://w3id.org/amicall/id/report/"
ONTOLOGY_GRAPH = "https://w3id.org/amicall/ontology"
REPORTS_DIR = f"{GRAPH_DIR}/reports"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
# What the counts and the changelog count, by class (instances of subclasses included).
COUNTED = {"practices": "Practice", "actors": "Actor", "places": "Place", "passages": "Passage"}


def report_graph(report_id: str) -> str:
    """IRI of the named graph holding every triple stated by one report."""
    return REPORT_GRAPH_BASE + report_id


def nt_path(report_id: str) -> str:
    return f"{REPORTS_DIR}/{report_id}.nt"


def ontology_files(ontology: Path) -> list[Path]:
    """The Turtle files loaded into the ontology graph: classes and vocabularies, not SHACL shapes."""
    return sorted(p for p in ontology.glob("*.ttl") if "shape" not in p.name.lower())


def graph_lines(graph: rdflib.Graph) -> list[str]:
    """A graph as sorted N-Triples lines: the same triples always give the same text."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted({line.strip() for line in text.splitlines() if line.strip()})


def has_blank_nodes(lines: Iterable[str]) -> bool:
    return any(line.startswith("_:") or " _:" in line for line in lines)


def write_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def read_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]


def lines_graph(lines: Iterable[str]) -> rdflib.Graph:
    """Parse N-Triples lines into an rdflib graph (for SHACL validation)."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data="\n".join(lines) + "\n", format="nt")
    return graph


# --- the store ----------------------------------------------------------------------------


@dataclass
class StoreSummary:
    counts: dict[str, int]
    classes: dict[str, set[str]] = field(default_factory=dict)  # counted kind -> its class and subclasses


def _select(store: Any, query: str) -> list[Any]:
    """Rows of a SELECT over the merged (default) graph."""
    return list(store.query(query))


def _count(store: Any, query: str) -> int:
    rows = _select(store, query)
    return int(rows[0][0].value) if rows else 0


def _write_store(version: Path, files: Mapping[str, Path], ontology: list[Path]) -> StoreSummary:
    import pyoxigraph as ox

    merged = ox.DefaultGraph()  # every triple once: a store is a set of quads (see store.py)

    def quads() -> Iterator[Any]:
        for report_id, path in files.items():
            graph = ox.NamedNode(report_graph(report_id))
            for q in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES):
                yield ox.Quad(q.subject, q.predicate, q.object, graph)
                yield ox.Quad(q.subject, q.predicate, q.object, merged)
        ontology_graph = ox.NamedNode(ONTOLOGY_GRAPH)
        for path in ontology:
            for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
                yield ox.Quad(q.subject, q.predicate, q.object, ontology_graph)
                yield ox.Quad(q.subject, q.predicate, q.object, merged)

    store = open_store(version, read_only=False)
    store.bulk_extend(quads())  # one bulk load: its cost is per call, not per triple
    store.flush()
    store.optimize()
    counts: dict[str, int] = {}
    classes: dict[str, set[str]] = {}
    for kind, cls in COUNTED.items():
        sub = f"?c <{RDFS_SUBCLASS}>* <{AMC}{cls}>"
        counts[kind] = _count(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c . {sub} }}")
        classes[kind] = {row[0].value for row in _select(store, f"SELECT ?c WHERE {{ {sub} }}")} | {AMC + cls}
    del store
    return StoreSummary(counts=counts, classes=classes)


def write_store(version: Path, files: Mapping[str, Path], ontology: list[Path]) -> StoreSummary:
    """Bulk-load each report's N-Triples into its named graph plus the ontology graph, and every triple
    once into the default (merged) graph; close the store."""
    summary = _write_store(version, files, ontology)
    gc.collect()  # the store closes when its last reference goes; nothing may write to it afterwards
    return summary


def dump_turtle(version: Path, lines: Iterable[str], ontology: list[Path]) -> None:
    """``graph/graph.ttl``: the whole graph (reports' triples and the ontology) in one Turtle file."""
    import pyoxigraph as ox

    from .namespaces import PREFIXES

    memory = ox.Store()
    memory.bulk_load("".join(line + "\n" for line in lines), format=ox.RdfFormat.N_TRIPLES)
    for path in ontology:
        memory.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
    memory.dump(version / TURTLE_FILE, ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)


# --- changelog ----------------------------------------------------------------------------


def entities(lines: Iterable[str], classes: set[str]) -> dict[str, str]:
    """IRI -> label of every subject typed with one of ``classes`` in these N-Triples lines."""
    import pyoxigraph as ox

    typed: set[str] = set()
    labels: dict[str, str] = {}
    for triple in ox.parse("".join(line + "\n" for line in lines), format=ox.RdfFormat.N_TRIPLES):
        subject = triple.subject.value
        if triple.predicate.value == RDF_TYPE and triple.object.value in classes:
            typed.add(subject)
        elif triple.predicate.value == RDFS_LABEL:
            labels.setdefault(subject, triple.object.value)
    return {iri: labels.get(iri, iri) for iri in typed}


def diff_names(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Labels of entities added and removed between two IRI -> label maps."""
    added = sorted(new[i] for i in set(new) - set(old))
    removed = sorted(old[i] for i in set(old) - set(new))
    return added, removed
