"""Dump the built graph for other tools, or push it to an external triple store.

``export`` streams from the Oxigraph store without loading the graph into Python:
Turtle, N-Triples and JSON-LD give the union graph (every report's triples merged);
N-Quads and TriG keep one named graph per report. ``push`` sends each named graph to a
SPARQL 1.1 Graph Store Protocol endpoint (``PUT <url>?graph=<iri>``, N-Triples), which is
how the graph moves to a store that scales past one machine.
"""

from __future__ import annotations

import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import ExportError
from .settings import Settings
from .sparql import resolve_store
from .store import has_merged_graph

FORMATS = ("ttl", "nt", "jsonld", "nq", "trig")
DATASET_FORMATS = ("nq", "trig")
MEDIA = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "nq": "application/n-quads",
    "trig": "application/trig",
}


@dataclass
class ExportResult:
    format: str
    count: int  # triples (graph formats) or quads (dataset formats) written
    graphs: dict[str, int] = field(default_factory=dict)  # pushed graph IRI -> triples


def _rdf_format(fmt: str) -> Any:
    import pyoxigraph as ox

    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}. Use one of: {', '.join(FORMATS)}.")
    return {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "nq": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
    }[fmt]


def _open(source: Settings | Path | str) -> Any:
    import pyoxigraph as ox

    return ox.Store.read_only(str(resolve_store(source)))


def _counted(items: Iterator[Any], counter: list[int]) -> Iterator[Any]:
    for item in items:
        counter[0] += 1
        yield item


def export(source: Settings | Path | str, fmt: str, out: IO[bytes] | Path | str) -> ExportResult:
    """Write the graph of ``source`` (settings: the version in service) to ``out`` in ``fmt``."""
    import pyoxigraph as ox

    from .namespaces import PREFIXES

    rdf_format = _rdf_format(fmt)
    store = _open(source)
    target: Any = str(out) if isinstance(out, Path | str) else out
    counter = [0]
    prefixes = PREFIXES if fmt in ("ttl", "trig", "jsonld") else None
    try:
        merged = has_merged_graph(store)
        if fmt in DATASET_FORMATS:  # the report graphs; the merged default graph is derived from them
            quads = (q for q in store if not (merged and isinstance(q.graph_name, ox.DefaultGraph)))
            ox.serialize(_counted(quads, counter), target, rdf_format, prefixes=prefixes)
        else:
            query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
            triples = store.query(query, use_default_graph_as_union=not merged)
            ox.serialize(_counted(iter(triples), counter), target, rdf_format, prefixes=prefixes)
    except BrokenPipeError:
        raise  # the reader went away (`| head`): the edge decides what to do
    except OSError as exc:
        raise ExportError(f"Could not write the export to {out}: {exc}. Check the path and free space.") from None
    return ExportResult(fmt, counter[0])


def graph_names(source: Settings | Path | str) -> list[str]:
    """The named graphs of the store (one per report, plus the ontology), sorted."""
    return sorted(g.value for g in _open(source).named_graphs() if hasattr(g, "value"))


def push(source: Settings | Path | str, url: str, method: str = "PUT", timeout: float = 60.0) -> ExportResult:
    """Send every named graph to a Graph Store Protocol endpoint (``PUT`` replaces, ``POST`` adds).

    ``url`` is the store's graph-store URL (Oxigraph server: ``http://host:port/store``);
    each graph goes to ``url?graph=<iri>`` as N-Triples, staged in a temporary file so big
    graphs are never held in memory twice. The store's default graph is the merge of its named
    graphs and is not sent (a store with only a default graph sends it to ``url?default``).
    """
    import pyoxigraph as ox

    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ExportError(f"{url!r} is not an http(s) URL. Give the store's Graph Store endpoint, e.g. .../store.")
    if method not in ("PUT", "POST"):
        raise ExportError(f"Method {method!r} is not PUT or POST.")
    store = _open(source)
    targets: list[tuple[str | None, Any]] = [(g.value, g) for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    if not targets and has_merged_graph(store):
        targets.append((None, ox.DefaultGraph()))  # only a default graph; else it is derived from the named ones
    result = ExportResult("nt", 0)
    for name, graph in sorted(targets, key=lambda t: t[0] or ""):
        with tempfile.TemporaryFile() as staged:
            counter = [0]
            ox.serialize(
                _counted(
                    (
                        ox.Triple(q.subject, q.predicate, q.object)
                        for q in store.quads_for_pattern(None, None, None, graph)
                    ),
                    counter,
                ),
                staged,
                ox.RdfFormat.N_TRIPLES,
            )
            size = staged.tell()
            staged.seek(0)
            query = urllib.parse.urlencode({"graph": name}) if name is not None else "default"
            target = f"{url}{'&' if '?' in url else '?'}{query}"
            _send(target, method, staged, size, timeout)
        result.graphs[name or "default"] = counter[0]
        result.count += counter[0]
    return result


def _send(url: str, method: str, body: IO[bytes], size: int, timeout: float) -> None:
    request = urllib.request.Request(
        url,
        data=body,
        method=method,
        headers={"Content-Type": "application/n-triples", "Content-Length": str(size)},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace").strip()
        raise ExportError(f"{method} {url} failed: {exc.code} {exc.reason}. {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ExportError(f"Cannot reach {url}: {reason}. Is the store running?") from None
