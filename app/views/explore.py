"""Explore: browse practices by facets, open one with every fact, its provenance and its graph."""

from __future__ import annotations

from typing import Any

import streamlit as st

import app_core as core
from app_sparql import facet_query, practice_facts_query
from app_text import citation, md
from app_views import (
    apply_facets,
    coordinates,
    evidence_block,
    facet_filters,
    fact_text,
    facts_table,
    neighbourhood_dot,
    show_error,
)

SPARQL_PAGE = "views/sparql.py"

st.title("Explore practices")

try:
    practices = core.all_practices()
except Exception as exc:
    show_error(exc)
    st.stop()

if not practices:
    st.info("The graph has no practices yet. Add reports and run `amicall-kg build`.")
    st.stop()


def _concept_iris() -> dict[str, str]:
    try:
        return {label: c.iri for label, c in core.vocabulary().labels().items()}
    except Exception:  # the query then matches by label only
        return {}


def _open_in_sparql(query: str, key: str) -> None:
    """A button that carries a query to the SPARQL page's editor."""
    if st.button("Open this query on the SPARQL page", key=key):
        st.session_state["sparql-text"] = query
        st.switch_page(SPARQL_PAGE)


st.subheader("Browse by facets")
chosen = facet_filters(practices, "explore-facet")
shown = apply_facets(practices, chosen)
st.caption(f"{len(shown)} of {len(practices)} practice(s)")
st.dataframe(
    [
        {
            "practice": p.get("label", ""),
            "place": fact_text(p, "place"),
            "country": fact_text(p, "country"),
            "activity types": fact_text(p, "activity_types"),
            "catalysts": fact_text(p, "catalysts"),
            "passages": len(p.get("evidence") or []),
        }
        for p in shown
    ],
    hide_index=True,
)
with st.expander("The SPARQL behind this view"):
    view_query = facet_query(chosen, _concept_iris())
    st.code(view_query, language="sparql")
    _open_in_sparql(view_query, "explore-view-sparql")

located = [(p, coordinates(p)) for p in shown]
points = [{"lat": c[0], "lon": c[1], "practice": p.get("label", "")} for p, c in located if c]
if points:
    st.subheader("Map")
    st.map(points, latitude="lat", longitude="lon")
    st.caption(f"{len(points)} of {len(shown)} practice(s) have a place with coordinates.")
else:
    st.caption("No map: the practices of this build carry no coordinates (lat/lon) for their places.")

st.divider()
st.subheader("Practice")
by_iri = {str(p["iri"]): p for p in practices if p.get("iri")}
options = [str(p["iri"]) for p in shown if p.get("iri")]
wanted = st.query_params.get("practice")
if wanted and wanted in by_iri and wanted not in options:
    options.insert(0, wanted)
if not options:
    st.stop()
index = options.index(wanted) if wanted in options else 0
iri = st.selectbox(
    "Open a practice",
    options,
    index=index,
    format_func=lambda i: str(by_iri[i].get("label") or i),
    key="explore-practice",
)
practice: dict[str, Any] = by_iri[iri]
if st.query_params.get("practice") != iri:
    st.query_params["practice"] = iri

st.markdown(f"### {md(practice.get('label') or iri)}")
st.caption(md(iri))
if practice.get("description"):
    st.markdown(md(practice["description"]))

facts_tab, evidence_tab, provenance_tab, graph_tab = st.tabs(["Facts", "Evidence", "Provenance", "Graph"])
with facts_tab:
    st.dataframe(facts_table(practice), hide_index=True, height="content")
with evidence_tab:
    evidence = list(practice.get("evidence") or [])
    if evidence:
        evidence_block(evidence)
    else:
        st.caption("No passages recorded for this practice.")
with provenance_tab:
    st.markdown("Every statement about this practice in the graph, with the passage that states each value.")
    facts_query = practice_facts_query(iri)
    if st.button("Load statements", key="explore-provenance"):
        try:
            result = core.run_query(facts_query)
            st.session_state["explore-provenance-rows"] = (iri, core.result_rows(result, compact=True))
        except Exception as exc:
            show_error(exc)
    loaded = st.session_state.get("explore-provenance-rows")
    if loaded and loaded[0] == iri:
        st.dataframe(loaded[1], hide_index=True)
    with st.expander("The SPARQL behind this table"):
        st.code(facts_query, language="sparql")
        _open_in_sparql(facts_query, "explore-facts-sparql")
with graph_tab:
    st.graphviz_chart(neighbourhood_dot(practice))
    for passage in (practice.get("evidence") or [])[:1]:
        st.caption("First evidence: " + md(citation(passage)))
