"""Rendering helpers shared by the pages: practice cards, passages, fact tables, graphs.

Every string that comes from a report goes through ``app_text.md`` (or ``highlight``)
before Streamlit renders it as Markdown; tables use ``st.dataframe``, which shows
cell text literally.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st

from app_text import citation, clip, dot_quote, highlight, md

# The facts of a practice, in display order: (key in the practice dict, heading).
FACTS: tuple[tuple[str, str], ...] = (
    ("place", "Place"),
    ("country", "Country"),
    ("population", "Population"),
    ("activity_types", "Activity types"),
    ("catalysts", "Catalysts"),
    ("actors", "Actors"),
    ("outcomes", "Outcomes"),
    ("goals", "Goals"),
    ("target_groups", "Target groups"),
    ("alt_labels", "Also called"),
)
# Facets offered for filtering practice lists: (key, heading).
FACETS: tuple[tuple[str, str], ...] = (
    ("country", "Country"),
    ("activity_types", "Activity type"),
    ("catalysts", "Catalyst"),
    ("goals", "Goal"),
    ("target_groups", "Target group"),
)
EXPLORE_PAGE = "views/explore.py"


def values(practice: dict[str, Any], key: str) -> list[str]:
    """A fact of a practice as a list of strings (single values become one-item lists)."""
    raw = practice.get(key)
    if raw in (None, "", []):
        return []
    items = list(raw) if isinstance(raw, list | tuple | set) else [raw]
    out = []
    for item in items:
        if isinstance(item, dict):  # a fact given as {"label": ..., "iri": ...}
            item = item.get("label") or item.get("iri")
        if item not in (None, ""):
            out.append(str(item))
    return out


def fact_text(practice: dict[str, Any], key: str) -> str:
    """A fact as one plain-text line ('—' when unknown)."""
    items = values(practice, key)
    if key == "population" and items:
        try:
            return f"{int(float(items[0])):,}"
        except ValueError:
            return items[0]
    return "; ".join(items) if items else "—"


def facet_options(practices: Iterable[dict[str, Any]], key: str) -> list[str]:
    """Every value a facet takes over a list of practices, sorted."""
    return sorted({v for p in practices for v in values(p, key)}, key=str.lower)


def apply_facets(practices: list[dict[str, Any]], chosen: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Practices having, for every facet with a choice, at least one chosen value."""
    kept = []
    for p in practices:
        if all(not want or set(values(p, key)) & set(want) for key, want in chosen.items()):
            kept.append(p)
    return kept


def facet_filters(practices: list[dict[str, Any]], key_prefix: str, columns: int = 5) -> dict[str, list[str]]:
    """Multiselect widgets for the facets present in ``practices``; returns the choices."""
    chosen: dict[str, list[str]] = {}
    present = [(k, h) for k, h in FACETS if facet_options(practices, k)]
    if not present:
        return chosen
    cols = st.columns(min(columns, len(present)))
    for i, (key, heading) in enumerate(present):
        with cols[i % len(cols)]:
            chosen[key] = st.multiselect(heading, facet_options(practices, key), key=f"{key_prefix}-{key}")
    return chosen


def evidence_block(evidence: list[dict[str, Any]], query: str = "", limit: int | None = None) -> None:
    """Supporting passages, each with its citation (report, page, offsets)."""
    shown = evidence if limit is None else evidence[:limit]
    for passage in shown:
        st.markdown(f"> {highlight(str(passage.get('text', '')), query)}")
        st.caption(md(citation(passage)))
    if limit is not None and len(evidence) > limit:
        st.caption(f"{len(evidence) - limit} more passage(s) on the practice page.")


def practice_card(practice: dict[str, Any], rank: int | None = None, query: str = "") -> None:
    """A practice as a bordered card: name, place, types, catalysts, reasons, evidence."""
    with st.container(border=True):
        prefix = f"{rank}\\. " if rank is not None else ""
        st.markdown(f"#### {prefix}{md(practice.get('label') or 'Unnamed practice')}")
        where = " · ".join(v for v in (fact_text(practice, "place"), fact_text(practice, "country")) if v != "—")
        line = [md(where)] if where else []
        score = practice.get("score")
        if isinstance(score, int | float):
            line.append(f"score {score:.3f}")
        if line:
            st.caption(" — ".join(line))
        if practice.get("description"):
            st.markdown(md(practice["description"]))
        for key, heading in (("activity_types", "Type"), ("catalysts", "Catalyst"), ("target_groups", "For")):
            items = values(practice, key)
            if items:
                st.markdown(f"**{heading}:** " + ", ".join(md(v) for v in items))
        why = values(practice, "why")
        if why:
            st.markdown("**Why it matches:**\n" + "\n".join(f"- {md(reason)}" for reason in why))
        evidence = list(practice.get("evidence") or [])
        if evidence:
            with st.expander(f"Supporting passages ({len(evidence)})"):
                evidence_block(evidence, query, limit=3)
        if practice.get("iri"):
            st.page_link(
                EXPLORE_PAGE,
                label="Open practice page",
                icon=":material/search:",
                query_params={"practice": str(practice["iri"])},
            )


def facts_table(practice: dict[str, Any]) -> list[dict[str, str]]:
    """Rows (fact, value) for ``st.dataframe`` (shown literally, never as Markdown)."""
    return [{"fact": heading, "value": fact_text(practice, key)} for key, heading in FACTS]


def compare_table(practices: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One row per fact, one column per practice (headers made unique)."""
    headers: list[str] = []
    for i, p in enumerate(practices, 1):
        headers.append(f"{i}. {clip(str(p.get('label') or 'practice'), 40)}")
    rows = []
    for key, heading in (*FACTS, ("evidence", "Evidence passages")):
        row = {"fact": heading}
        for header, p in zip(headers, practices, strict=True):
            if key == "evidence":
                reports = sorted({str(e.get("report")) for e in p.get("evidence") or []})
                row[header] = f"{len(p.get('evidence') or [])} in {', '.join(reports)}" if reports else "—"
            else:
                row[header] = fact_text(p, key)
        rows.append(row)
    return rows


# Edges of the neighbourhood graph: (practice key, edge label, node shape).
_GRAPH_EDGES = (
    ("place", "located in", "house"),
    ("country", "country", "house"),
    ("activity_types", "activity type", "box"),
    ("catalysts", "catalyst", "diamond"),
    ("actors", "involves", "ellipse"),
    ("outcomes", "outcome", "note"),
    ("goals", "goal", "box"),
    ("target_groups", "target group", "box"),
)


def neighbourhood_dot(practice: dict[str, Any]) -> str:
    """Graphviz DOT of a practice and its facts; every label is a quoted, escaped string."""
    lines = [
        "digraph practice {",
        "  rankdir=LR;",
        '  node [fontname="Helvetica", fontsize=10];',
        f"  p [label={dot_quote(practice.get('label') or 'practice')}, shape=box, style=filled, fillcolor=lightblue];",
    ]
    n = 0
    for key, edge, shape in _GRAPH_EDGES:
        for value in values(practice, key):
            n += 1
            lines.append(f"  n{n} [label={dot_quote(value)}, shape={shape}];")
            lines.append(f"  p -> n{n} [label={dot_quote(edge)}];")
    lines.append("}")
    return "\n".join(lines)


def coordinates(practice: dict[str, Any]) -> tuple[float, float] | None:
    """(lat, lon) from gazetteer fields of a practice dict, when present."""
    for lat_key, lon_key in (("lat", "lon"), ("latitude", "longitude")):
        lat, lon = practice.get(lat_key), practice.get(lon_key)
        if lat is None or lon is None:
            continue
        try:
            lat_f, lon_f = float(lat), float(lon)
        except (TypeError, ValueError):
            continue
        if -90 <= lat_f <= 90 and -180 <= lon_f <= 180:
            return lat_f, lon_f
    return None


def show_error(exc: Exception) -> None:
    """A toolkit error as a message that says what to do (escaped: it may quote file text)."""
    st.error(md(str(exc)) or md(type(exc).__name__))
