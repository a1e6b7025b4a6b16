"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

The ontology (``amicall.ttl``) and the concept schemes (``vocabularies.ttl``) are
mixed into a working copy of the data (the caller's graph is never changed), so
class hierarchies and concept schemes are visible to the shapes. Parsed ontology
and shapes graphs are cached per folder and file modification times.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import OntologyError

if TYPE_CHECKING:
    from rdflib import Graph

ONTOLOGY_FILES = ("amicall.ttl", "vocabularies.ttl")
SHAPES_FILE = "shapes.ttl"
Inference = Literal["none", "rdfs"]


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node broke which shape, on which path, and why."""

    focus_node: str
    shape: str
    path: str | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    value: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """A JSON-ready form (for manifests and ``--json`` output)."""
        return dataclasses.asdict(self)

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value is not None else ""
        return f"{self.severity}: <{self.focus_node}>{where} broke {self.shape}: {self.message}{value}"


def validate_graph(data: Graph, ontology_dir: Path, *, inference: Inference = "none") -> list[Violation]:
    """Validate ``data``; return every result (all severities), sorted by shape and node.

    An empty list means the graph conforms. ``inference="rdfs"`` also applies
    RDFS entailment first (slower; the shapes do not need it).
    """
    import pyshacl
    from rdflib import Graph

    ontology, shapes = _load(Path(ontology_dir))
    # pyshacl's ont_graph only copies RDFS/OWL axioms, not SKOS concepts, so the
    # ontology and concept schemes are mixed into a working copy of the data here.
    combined = Graph()
    combined.addN((s, p, o, combined) for s, p, o in data)
    combined.addN((s, p, o, combined) for s, p, o in ontology)
    conforms, results, _text = pyshacl.validate(
        combined,
        shacl_graph=shapes,
        inference=inference,
        inplace=True,
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
        advanced=False,
    )
    if conforms:
        return []
    return _violations(results, shapes)


def blocking(violations: list[Violation]) -> list[Violation]:
    """The results that must stop publishing (severity ``Violation``)."""
    return [v for v in violations if v.severity == "Violation"]


def format_violations(violations: list[Violation], limit: int = 20) -> str:
    """A readable summary for logs and error messages, at most ``limit`` lines plus a count."""
    lines = [str(v) for v in violations[:limit]]
    if len(violations) > limit:
        lines.append(f"... and {len(violations) - limit} more")
    return "\n".join(lines)


def _mtimes(ontology_dir: Path) -> tuple[int, ...]:
    out = []
    for name in (*ONTOLOGY_FILES, SHAPES_FILE):
        path = ontology_dir / name
        try:
            out.append(path.stat().st_mtime_ns)
        except OSError as exc:
            raise OntologyError(path, f"cannot read ({exc.strerror})", "Check the --ontology folder setting.") from exc
    return tuple(out)


def _load(ontology_dir: Path) -> tuple[Graph, Graph]:
    return _load_cached(str(ontology_dir.resolve()), _mtimes(ontology_dir))


@functools.lru_cache(maxsize=4)
def _load_cached(folder: str, mtimes: tuple[int, ...]) -> tuple[Graph, Graph]:
    del mtimes  # part of the cache key only
    root = Path(folder)
    ontology = _parse(*(root / name for name in ONTOLOGY_FILES))
    shapes = _parse(root / SHAPES_FILE)
    return ontology, shapes


def _parse(*paths: Path) -> Graph:
    from rdflib import Graph

    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many parser exception types
            raise OntologyError(
                path, f"not valid Turtle: {exc}", "Fix the syntax error at the position shown."
            ) from exc
    return graph


def _violations(results: Graph, shapes: Graph) -> list[Violation]:
    from rdflib import BNode
    from rdflib.namespace import RDF, SH

    def shape_name(shape: object) -> str:
        # A blank property shape, or a member of an sh:or list, is named by the shape that holds it.
        for _ in range(50):
            if not isinstance(shape, BNode):
                break
            parent = next(shapes.subjects(None, shape), None)
            if parent is None:
                break
            shape = parent
        return _short(shape)

    out: list[Violation] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, result) in results:
            continue  # nested detail of a reported sh:node result
        severity = results.value(result, SH.resultSeverity)
        value = results.value(result, SH.value)
        path = results.value(result, SH.resultPath)
        out.append(
            Violation(
                focus_node=str(results.value(result, SH.focusNode)),
                shape=shape_name(results.value(result, SH.sourceShape)),
                path=_short(path) if path is not None else None,
                message=str(results.value(result, SH.resultMessage) or "constraint not met"),
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                value=str(value) if value is not None else None,
            )
        )
    out.sort(key=lambda v: (v.shape, v.focus_node, v.path or "", v.message))
    return out


SHAPES_NS = "https://w3id.org/amicall/shapes#"


def _short(node: object) -> str:
    """A prefixed name (``amcsh:PracticeShape``, ``amc:evidence``) where a known prefix fits."""
    from .namespaces import PREFIXES

    text = str(node)
    prefixes = {**PREFIXES, "amcsh": SHAPES_NS}
    for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text
