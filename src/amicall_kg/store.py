"""Where a built version keeps its graph, and how to open it.

Inside a version folder (see ``versions.py``)::

    graph/store/     the Oxigraph store: one named graph per report, plus the ontology graph
    graph/graph.ttl  a Turtle dump of the whole graph, for people and other tools

Readers open the store read-only; the default graph is the union of the named graphs,
so researchers query it without naming graphs.
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
