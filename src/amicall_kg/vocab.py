"""SKOS concept schemes (``ontology/vocabularies.ttl``) as plain Python objects.

Extraction builds its phrase matchers from the labels, search matches context
against them, and the graph links facts to the concept IRIs. Parsing is cached
per file path and modification time, so every caller shares one parse.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OntologyError

VOCAB_FILE = "vocabularies.ttl"
VOCAB_BASE = "https://w3id.org/amicall/vocab/"

SCHEMES: tuple[str, ...] = (
    "activity-type",
    "activity-group",
    "catalyst-type",
    "goal",
    "target-group",
    "lra-role",
    "outcome-factor",
    "place-type",
    "actor-type",
    "place-size",
)


def scheme_iri(name: str) -> str:
    """The IRI of a concept scheme from its short name (``activity-type``)."""
    return VOCAB_BASE + name


@dataclass(frozen=True)
class Concept:
    """One SKOS concept; ``broader`` holds the IRIs of broader concepts."""

    iri: str
    scheme: str
    pref_label: str
    alt_labels: tuple[str, ...]
    definition: str
    broader: tuple[str, ...]
    min_population: int | None = None  # place-size classes only (inclusive)
    max_population: int | None = None  # place-size classes only (exclusive); None = no upper bound

    @property
    def labels(self) -> tuple[str, ...]:
        """Preferred label first, then the alternative labels."""
        return (self.pref_label, *self.alt_labels)


@dataclass(frozen=True)
class Vocabulary:
    """All concepts of all schemes, with look-ups by scheme, IRI and label.

    Look-up tables are built once; the lists and dicts returned are fresh copies.
    """

    concepts: tuple[Concept, ...]
    _by_iri: dict[str, Concept] = field(init=False, repr=False, compare=False)
    _by_scheme: dict[str, tuple[Concept, ...]] = field(init=False, repr=False, compare=False)
    _labels: dict[str, dict[str, Concept]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_scheme: dict[str, list[Concept]] = {name: [] for name in SCHEMES}
        for concept in self.concepts:
            by_scheme.setdefault(concept.scheme, []).append(concept)
        labels: dict[str, dict[str, Concept]] = {"": {}}
        for name, concepts in by_scheme.items():
            table = labels.setdefault(name, {})
            for concept in concepts:
                for label in concept.labels:
                    table.setdefault(label.lower(), concept)
        for concept in self.concepts:  # all schemes, in concept order
            for label in concept.labels:
                labels[""].setdefault(label.lower(), concept)
        object.__setattr__(self, "_by_iri", {c.iri: c for c in self.concepts})
        object.__setattr__(self, "_by_scheme", {k: tuple(v) for k, v in by_scheme.items()})
        object.__setattr__(self, "_labels", labels)

    def scheme(self, name: str) -> list[Concept]:
        """Concepts of one scheme (short name, see ``SCHEMES``), in file order (sorted by label)."""
        if name not in SCHEMES:
            raise KeyError(f"unknown concept scheme {name!r}; known: {', '.join(SCHEMES)}")
        return list(self._by_scheme[name])

    def get(self, iri: str) -> Concept:
        """The concept with this IRI (``KeyError`` if none)."""
        return self._by_iri[iri]

    def find(self, scheme: str, label: str) -> Concept | None:
        """The concept of ``scheme`` with this preferred or alternative label (any case), if any."""
        if scheme not in SCHEMES:
            raise KeyError(f"unknown concept scheme {scheme!r}; known: {', '.join(SCHEMES)}")
        return self._labels[scheme].get(label.strip().lower())

    def labels(self) -> dict[str, Concept]:
        """Lowercased preferred and alternative labels -> concept, over all schemes.

        A label used in two schemes maps to the first concept found (``SCHEMES``
        order); use ``labels_by_scheme`` when the scheme matters.
        """
        return dict(self._labels[""])

    def labels_by_scheme(self, name: str) -> dict[str, Concept]:
        """Lowercased labels -> concept within one scheme."""
        if name not in SCHEMES:
            raise KeyError(f"unknown concept scheme {name!r}; known: {', '.join(SCHEMES)}")
        return dict(self._labels[name])

    def narrower(self, iri: str) -> list[Concept]:
        """Concepts whose ``broader`` includes ``iri``."""
        return [c for c in self.concepts if iri in c.broader]

    def place_size(self, population: int | None) -> Concept | None:
        """The place-size class whose population bounds contain ``population``."""
        if population is None:
            return None
        for concept in self._by_scheme["place-size"]:
            low = concept.min_population or 0
            if population >= low and (concept.max_population is None or population < concept.max_population):
                return concept
        return None


def load_vocabulary(ontology_dir: Path) -> Vocabulary:
    """Parse ``<ontology_dir>/vocabularies.ttl``; cached on path and modification time."""
    path = Path(ontology_dir) / VOCAB_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise OntologyError(
            path, f"cannot read the vocabulary file ({exc.strerror})", "Check the --ontology folder setting."
        ) from exc
    return _load_cached(str(path.resolve()), mtime)


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> Vocabulary:
    del mtime_ns  # part of the cache key only
    return parse_vocabulary(Path(path))


def parse_vocabulary(path: Path) -> Vocabulary:
    """Parse a SKOS Turtle file into a ``Vocabulary`` (uncached)."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, SKOS

    from .namespaces import AMC

    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        raise OntologyError(path, f"not valid Turtle: {exc}", "Fix the syntax error at the position shown.") from exc

    def text(node: object, prop: URIRef) -> list[str]:
        return sorted(str(o) for o in graph.objects(node, prop) if isinstance(o, Literal))  # type: ignore[arg-type]

    def number(node: object, prop: URIRef) -> int | None:
        values = [o for o in graph.objects(node, prop) if isinstance(o, Literal)]  # type: ignore[arg-type]
        return int(values[0].toPython()) if values else None

    schemes = {scheme_iri(name): name for name in SCHEMES}
    concepts: list[Concept] = []
    for node in graph.subjects(RDF.type, SKOS.Concept):
        if not isinstance(node, URIRef):
            continue
        in_schemes = [schemes[str(s)] for s in graph.objects(node, SKOS.inScheme) if str(s) in schemes]
        if len(in_schemes) != 1:
            raise OntologyError(
                path, f"concept <{node}> must be in exactly one known scheme", f"Add skos:inScheme (one of {SCHEMES})."
            )
        prefs = text(node, SKOS.prefLabel)
        definitions = text(node, SKOS.definition)
        if len(prefs) != 1 or not definitions:
            raise OntologyError(
                path, f"concept <{node}> needs one skos:prefLabel and a skos:definition", "Add the missing label."
            )
        concepts.append(
            Concept(
                iri=str(node),
                scheme=in_schemes[0],
                pref_label=prefs[0],
                alt_labels=tuple(text(node, SKOS.altLabel)),
                definition=definitions[0],
                broader=tuple(sorted(str(b) for b in graph.objects(node, SKOS.broader))),
                min_population=number(node, AMC.minPopulation),
                max_population=number(node, AMC.maxPopulation),
            )
        )
    order = {name: i for i, name in enumerate(SCHEMES)}
    concepts.sort(key=lambda c: (order[c.scheme], c.min_population or 0, c.pref_label))
    return Vocabulary(tuple(concepts))
