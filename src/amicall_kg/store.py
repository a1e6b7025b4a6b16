"""Where a built version keeps its graph, and how to open it.

Inside a version folder (see ``versions.py``)::

    graph/store/     the Oxigraph store: one named graph per report, plus the ontology graph
    graph/graph.ttl  a Turtle dump of the whole graph, for people and other tools

Readers open the store read-only. The default graph is the merged graph: every triple of the
named graphs once (written by the build), so researchers query it without naming graphs and
without duplicates; ``GRAPH <report>`` still tells which report states what. (Oxigraph's own
union default graph repeats a triple once per graph holding it; stores built before the merged
graph existed are queried that way, see ``has_merged_graph``.)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph

GRAPH_DIR = "graph"
STORE_DIR = "graph/store"
TURTLE_FILE = "graph/graph.ttl"


def store_path(version: Path) -> Path:
    return version / STORE_DIR


def open_store(version: Path, read_only: bool = True) -> pyoxigraph.Store:
    """Open the version's Oxigraph store (read-only unless a build is writing it)."""
    import pyoxigraph

    path = store_path(version)
    if read_only:
        return pyoxigraph.Store.read_only(str(path))
    path.mkdir(parents=True, exist_ok=True)
    return pyoxigraph.Store(str(path))


def has_merged_graph(store: pyoxigraph.Store) -> bool:
    """Whether the store's default graph holds the merged graph (every version built since it existed)."""
    import pyoxigraph

    return next(iter(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())), None) is not None
