"""The parts of a build that other modules provide, behind seams that tests replace with fakes.

``default_parts`` wires the real ones (spaCy extraction, SHACL validation, search indexes, the
practice list), each importing its heavy module only when first called, so a no-op build never
loads spaCy or torch.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .corpus import Report
from .errors import ValidationError
from .settings import Settings

if TYPE_CHECKING:
    import rdflib

Progress = Callable[[str, int, int], None]
# reports -> report id -> every triple that report states
Extractor = Callable[[list[Report]], Mapping[str, "rdflib.Graph"]]


class Stager(Protocol):
    """Extraction in two steps, for exact incremental builds (see ``build_extract``)."""

    def mentions(self, report: Report) -> list[Any]:
        """The spaCy work on one report, as JSON-able records that depend on that report alone."""

    def graphs(self, reports: list[Report], mentions: Mapping[str, list[Any]]) -> Mapping[str, rdflib.Graph]:
        """Resolve every report's mentions across reports into report id -> graph (cheap)."""


# the union graph -> SHACL results (objects with ``severity``; only "Violation" blocks publishing)
Validator = Callable[["rdflib.Graph"], Sequence[object]]
# (version, reports, practices, settings, **optional capabilities) -> counts
Indexer = Callable[..., Mapping[str, Any]]
# an open pyoxigraph store -> practices in the DESIGN.md 3.1 shape
PracticeLister = Callable[[Any], list[dict[str, Any]]]
MAX_VIOLATIONS_SHOWN = 20


@dataclass
class Parts:
    """What a build calls to extract, validate, index and list practices."""

    extractor: Extractor
    validator: Validator
    indexer: Indexer
    practices: PracticeLister
    stager: Stager | None = None  # preferred over ``extractor`` when given


def _module(name: str) -> Any:
    """Import one of the package's heavy modules by name, when first needed."""
    return importlib.import_module(f"amicall_kg.{name}")


class _Pipeline:
    """The vocabulary and spaCy pipeline, loaded on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.vocab: Any = None
        self.nlp: Any = None

    def load(self) -> tuple[Any, Any]:
        if self.nlp is None:
            self.vocab = _module("vocab").load_vocabulary(self.settings.ontology)
            self.nlp = _module("extract").load_pipeline(self.settings, self.vocab)
        return self.nlp, self.vocab


class _RealStager:
    """``extract.report_mentions`` + ``graph.graphs_from_mentions``, when extraction offers them."""

    def __init__(self, pipeline: _Pipeline) -> None:
        self.pipeline = pipeline

    def mentions(self, report: Report) -> list[Any]:
        nlp, vocab = self.pipeline.load()
        found: list[Any] = _module("extract").report_mentions(report, nlp, vocab)
        return found

    def graphs(self, reports: list[Report], mentions: Mapping[str, list[Any]]) -> Mapping[str, rdflib.Graph]:
        vocab = self.pipeline.vocab or _module("vocab").load_vocabulary(self.pipeline.settings.ontology)
        graphs: Mapping[str, rdflib.Graph] = _module("graph").graphs_from_mentions(reports, mentions, vocab)
        return graphs


def _staging_available() -> bool:
    """Whether extraction offers the two-step API (imports the extraction modules: call only to build)."""
    try:
        return hasattr(_module("extract"), "report_mentions") and hasattr(_module("graph"), "graphs_from_mentions")
    except ImportError:
        return False


def default_parts(settings: Settings, staged: bool = False) -> Parts:
    """The real parts, each importing its heavy module only when first called.

    ``staged`` also offers the two-step extraction when extraction provides it (finding out
    imports the extraction modules, so only a build that will extract asks).
    """
    pipeline = _Pipeline(settings)

    def extractor(reports: list[Report]) -> Mapping[str, rdflib.Graph]:
        nlp, vocab = pipeline.load()
        graphs: Mapping[str, rdflib.Graph] = _module("graph").report_graphs(reports, nlp, vocab)
        return graphs

    def validator(graph: rdflib.Graph) -> Sequence[object]:
        violations: Sequence[object] = _module("validate").validate_graph(graph, settings.ontology)
        return violations

    def indexer(version: Path, reports: list[Report], practices: list[dict[str, Any]], cfg: Settings, **kw: Any) -> Any:
        build_indexes = _module("index").build_indexes
        return build_indexes(version, reports, practices, cfg, **accepted(build_indexes, kw))

    stager = _RealStager(pipeline) if staged and _staging_available() else None
    return Parts(extractor, validator, indexer, list_practices, stager)


def list_practices(store: Any) -> list[dict[str, Any]]:
    """``practices.practices`` over an open store (EXTRACT's DESIGN.md 3.1 shape)."""
    found: list[dict[str, Any]] = _module("practices").practices(store)
    return found


def accepted(fn: Callable[..., Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments ``fn`` accepts (for optional capabilities such as index reuse)."""
    params = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return dict(kwargs)
    return {k: v for k, v in kwargs.items() if k in params}


def split_results(results: Sequence[object]) -> tuple[list[object], list[object]]:
    """SHACL results that block publishing (severity Violation, or none given) and the rest."""
    blocking = [r for r in results if getattr(r, "severity", "Violation") == "Violation"]
    return blocking, [r for r in results if r not in blocking]


def validation_error(violations: Sequence[object]) -> ValidationError:
    shown = [f"  - {v}" for v in violations[:MAX_VIOLATIONS_SHOWN]]
    more = len(violations) - len(shown)
    lines = "\n".join(shown) + (f"\n  ... and {more} more" if more > 0 else "")
    return ValidationError(
        f"The built graph breaks {len(violations)} SHACL constraint(s); nothing was published and the "
        f"version in service is unchanged:\n{lines}\n"
        "Fix the extraction or the shapes (ontology/shapes.ttl) and run `amicall-kg build` again."
    )
