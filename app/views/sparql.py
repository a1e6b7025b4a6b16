"""SPARQL console: the example query library, an editor, a results table and CSV download."""

from __future__ import annotations

import csv
import io

import streamlit as st

import app_core as core
from app_text import md
from app_views import show_error

st.title("SPARQL")
st.markdown(
    "Read-only SPARQL 1.1 over the knowledge graph. The usual prefixes (`amc:`, `skos:`, `rdfs:`, `prov:`, "
    "`dcterms:` …) are declared for you. Queries are stopped after the configured time and row limits."
)

library = core.query_library()
DEFAULT = """SELECT ?practice ?label WHERE {
  ?practice a amc:Practice ; rdfs:label ?label .
}
ORDER BY ?label
LIMIT 50"""


def _header(text: str, field: str) -> str:
    """A ``# field: value`` line of a library query's header comment, if any."""
    for line in text.splitlines():
        if line.lower().startswith(f"# {field}:"):
            return line.split(":", 1)[1].strip()
    return ""


if library:
    texts = dict(library)
    example = st.selectbox(
        "Example queries",
        ["", *texts],
        format_func=lambda name: _header(texts[name], "title") or name if name else "(choose one)",
        key="sparql-example",
    )
    if example and st.session_state.get("sparql-loaded") != example:
        st.session_state["sparql-text"] = texts[example]
        st.session_state["sparql-loaded"] = example
        st.session_state.pop("sparql-result", None)
    if example and _header(texts[example], "question"):
        st.caption(md(_header(texts[example], "question")))
else:
    st.caption("No example queries found in the ontology's queries/ folder.")

st.session_state.setdefault("sparql-text", DEFAULT)
text = st.text_area("Query", key="sparql-text", height=260)

if st.button("Run query", type="primary", key="sparql-run"):
    try:
        with st.spinner("Running…"):
            result = core.run_query(text)
        st.session_state["sparql-result"] = (core.result_rows(result), result.truncated, result.elapsed)
    except Exception as exc:
        st.session_state.pop("sparql-result", None)
        show_error(exc)

stored = st.session_state.get("sparql-result")
if stored is not None:
    rows, truncated, elapsed = stored
    st.caption(f"{len(rows)} row(s) in {elapsed:.2f} s" + (" — truncated at the row limit" if truncated else ""))
    if rows:
        st.dataframe(rows, hide_index=True)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        st.download_button("Download CSV", buffer.getvalue(), file_name="query-results.csv", mime="text/csv")
    else:
        st.info("The query returned no rows.")
