"""The app's only door to the core API.

Every page calls the core through these functions, so the app has no logic of its
own and tests can replace any of them with a small fake (``monkeypatch.setattr``).
Heavy resources (settings, practices, the searcher with its encoder, the vocabulary)
are loaded once per process with ``st.cache_resource``; anything tied to a built
version is keyed by the version's folder, so a re-index is picked up on the next
interaction without a restart.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from amicall_kg.settings import Settings, load_settings


@st.cache_resource(show_spinner=False)
def get_settings() -> Settings:
    """Settings from the environment (``amicall-kg app`` passes its options as AMICALL_*)."""
    return load_settings()


def version_name() -> str | None:
    """Name of the version in service, or None before the first build (cheap: reads one file)."""
    from amicall_kg.versions import current_version

    version = current_version(get_settings().indexes)
    return version.name if version else None


def _version_dir() -> Path:
    from amicall_kg.manifest import serving_version

    return serving_version(get_settings().indexes)


@st.cache_resource(show_spinner="Loading practices…", max_entries=2)
def _all_practices(version_dir: str) -> list[dict[str, Any]]:
    from amicall_kg.catalogue import list_practices

    return list_practices(get_settings())


def all_practices() -> list[dict[str, Any]]:
    """Every practice in the DESIGN.md 3.1 shape (cached per version; do not mutate)."""
    return _all_practices(str(_version_dir()))


def practice(iri: str) -> dict[str, Any] | None:
    """One practice with all its facts and evidence, or None if the IRI is unknown."""
    for item in all_practices():
        if item.get("iri") == iri:
            return item
    return None


@st.cache_resource(show_spinner=False)
def vocabulary() -> Any:
    """The SKOS vocabulary (concept schemes used for the form's choices)."""
    from amicall_kg.vocab import load_vocabulary

    return load_vocabulary(get_settings().ontology)


def scheme_labels(scheme: str) -> list[str]:
    """Preferred labels of one concept scheme in the vocabulary's order; empty when it cannot load."""
    try:
        concepts = vocabulary().scheme(scheme)
    except Exception:  # the form still works with free text when the vocabulary cannot load
        return []
    return [c.pref_label for c in concepts]


@st.cache_resource(show_spinner="Loading the search indexes and the encoder (once)…", max_entries=2)
def _searcher(version_dir: str) -> Any:
    from amicall_kg import search

    return search.get_searcher(get_settings())


@st.cache_resource(show_spinner=False)
def _warm_up(version_dir: str) -> threading.Thread:
    def load() -> None:
        from amicall_kg import search

        with contextlib.suppress(Exception):  # a real problem shows when a query runs
            search.get_searcher(get_settings())

    thread = threading.Thread(target=load, name="amicall-warm-up", daemon=True)
    thread.start()
    return thread


def warm_up() -> None:
    """Start loading the search indexes and encoder in the background (once per version).

    The first page view triggers it, so the model is usually ready by the time a question is typed.
    """
    with contextlib.suppress(Exception):  # nothing built yet: nothing to warm
        _warm_up(str(_version_dir()))


def searcher() -> Any:
    """The loaded indexes and encoder of the version in service (loaded once per version)."""
    return _searcher(str(_version_dir()))


def ask(question: str, top_k: int, filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Passages answering a question (DESIGN.md 3.1 passage shape)."""
    from amicall_kg import search

    searcher()
    result: list[dict[str, Any]] = search.ask(get_settings(), question, top_k, filters or {})
    return result


def similar(situation: str, top_k: int, context: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Practices ranked for a situation, each with ``score`` and ``why``."""
    from amicall_kg import search

    searcher()
    result: list[dict[str, Any]] = search.similar(get_settings(), situation, top_k, context or {})
    return result


def run_query(text: str) -> Any:
    """Run a read-only SPARQL query on the version in service."""
    from amicall_kg import sparql

    return sparql.run_query(get_settings(), text)


def result_rows(result: Any, compact: bool = False) -> list[dict[str, str]]:
    """A query result as table rows of plain strings (SELECT rows, ASK answer, or triples).

    ``compact`` writes IRIs under the usual namespaces as ``prefix:name`` (for reading, not export).
    """
    from amicall_kg.namespaces import PREFIXES
    from amicall_kg.sparql_terms import term_text as plain

    def term_text(term: Any) -> str:
        text = plain(term)
        if compact and term and term.get("type") == "uri":
            for prefix, base in PREFIXES.items():
                if text.startswith(base) and len(text) > len(base):
                    return f"{prefix}:{text[len(base) :]}"
        return text

    if getattr(result, "boolean", None) is not None and not result.rows and not result.triples:
        return [{"answer": "yes" if result.boolean else "no"}]
    if result.triples:
        names = ("subject", "predicate", "object")
        return [{n: term_text(t) for n, t in zip(names, triple, strict=True)} for triple in result.triples]
    return [{var: term_text(row.get(var)) for var in result.variables} for row in result.rows]


def query_library() -> list[tuple[str, str]]:
    """The example queries as (file name, text), from ``ontology/queries/*.rq``."""
    folder = Path(get_settings().ontology) / "queries"
    if not folder.is_dir():
        return []
    return [(path.name, path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.rq"))]


def corpus_status() -> Any:
    """Reports, version in service and staleness (``status.Status``)."""
    from amicall_kg.status import corpus_status as core_status

    return core_status(get_settings())


def report_text(report_id: str) -> str | None:
    """The text of one report of the corpus, to show a passage in its context."""
    from amicall_kg.corpus import load_corpus

    for report in load_corpus(get_settings().corpus):
        if report.id == report_id:
            return _text_of(str(report.path), report.path.stat().st_mtime_ns)
    return None


@functools.lru_cache(maxsize=8)
def _text_of(path: str, mtime_ns: int) -> str:
    del mtime_ns  # part of the cache key: a changed file is read again
    return Path(path).read_text(encoding="utf-8")


def build(progress: Callable[..., Any] | None = None) -> Any:
    """Incremental build and atomic publish; returns the core's ``BuildResult``."""
    from amicall_kg import build as core_build

    return core_build.build(get_settings(), progress=progress)


def detect_format(name: str, head: bytes) -> str:
    """The report format judged from the file's first bytes (raises ``ReaderError`` if unsupported)."""
    from amicall_kg.readers import detect_format as core_detect

    return core_detect(Path(name), head)


def ingest(files: Sequence[Path], overrides: dict[str, Any] | None = None) -> Any:
    """Read, check and add report files to the corpus (no build: the page re-indexes with progress)."""
    from amicall_kg import ingest as core_ingest

    return core_ingest.ingest(get_settings(), list(files), overrides=overrides or None, build=False)


def clear_caches() -> None:
    """Forget loaded resources (after a re-index, or between tests)."""
    st.cache_resource.clear()
