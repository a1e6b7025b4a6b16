"""The app's only door to the core API.

Every page calls the core through these functions, so the app has no logic of its
own and tests can replace any of them with a small fake (``monkeypatch.setattr``).
Heavy resources (settings, store, vocabulary) are loaded once per process with
``st.cache_resource``; anything tied to a built version is keyed by the version's
name, so a re-index is picked up on the next interaction without a restart.
"""

from __future__ import annotations

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
    from amicall_kg.versions import require_version

    return require_version(get_settings().indexes)


@st.cache_resource(show_spinner="Opening the graph…")
def _store(version_dir: str) -> Any:
    from amicall_kg.store import open_store

    return open_store(Path(version_dir), read_only=True)


def store() -> Any:
    """The read-only Oxigraph store of the version in service."""
    return _store(str(_version_dir()))


@st.cache_resource(show_spinner="Loading practices…")
def _all_practices(version_dir: str) -> list[dict[str, Any]]:
    from amicall_kg.practices import practices as core_practices

    return core_practices(_store(version_dir))


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
    """Preferred labels of one concept scheme, sorted; empty when the vocabulary is unavailable."""
    try:
        concepts = vocabulary().scheme(scheme)
    except Exception:  # the form still works with free text when the vocabulary cannot load
        return []
    return sorted(c.pref_label for c in concepts)


def ask(question: str, top_k: int, filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Passages answering a question (DESIGN.md 3.1 passage shape)."""
    from amicall_kg import search

    result: list[dict[str, Any]] = search.ask(get_settings(), question, top_k, filters or {})
    return result


def similar(situation: str, top_k: int, context: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Practices ranked for a situation, each with ``score`` and ``why``."""
    from amicall_kg import search

    result: list[dict[str, Any]] = search.similar(get_settings(), situation, top_k, context or {})
    return result


def run_query(text: str) -> Any:
    """Run a read-only SPARQL query on the version in service."""
    from amicall_kg import sparql

    return sparql.run_query(get_settings(), text)


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
            return report.text()
    return None


def build(progress: Callable[..., Any] | None = None) -> Any:
    """Incremental build and atomic publish; returns the core's ``BuildResult``."""
    from amicall_kg import build as core_build

    return core_build.build(get_settings(), progress=progress)


def ingest(files: Sequence[Path], metadata: dict[str, Any] | None = None) -> Any:
    """Validate and convert report files into the corpus (type checked by content)."""
    from amicall_kg import ingest as core_ingest

    if metadata:
        return core_ingest.ingest(get_settings(), list(files), **metadata)
    return core_ingest.ingest(get_settings(), list(files))


def clear_caches() -> None:
    """Forget loaded resources (after a re-index, or between tests)."""
    st.cache_resource.clear()
