"""Practices as plain dicts (the DESIGN.md 3.1 shape), read from the graph with SPARQL.

Accepts a ``pyoxigraph.Store`` (queried in its merged default graph: see ``store.py``) or an
``rdflib.Graph``. Concept values are their ``skos:prefLabel`` (or, when the vocabulary is not
loaded in the graph, a label derived from the concept IRI).
"""

from __future__ import annotations

from typing import Any

from .namespaces import PREFIXES
from .store import has_merged_graph

_PREFIX = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
_FILTER = "{values}"

Q_PRACTICES = (
    _PREFIX
    + """
SELECT ?p ?label ?alt ?place ?pop ?lat ?lon ?country WHERE {
  ?p a amc:Practice ; rdfs:label ?label . {values}
  OPTIONAL { ?p skos:altLabel ?alt }
  OPTIONAL {
    ?p amc:locatedIn ?pl . ?pl rdfs:label ?place .
    OPTIONAL { ?pl amc:population ?pop }
    OPTIONAL { ?pl amc:latitude ?lat ; amc:longitude ?lon }
  }
  OPTIONAL { ?p amc:country ?c . ?c rdfs:label ?country }
}"""
)
Q_CONCEPTS = (
    _PREFIX
    + """
SELECT ?p ?prop ?o ?olabel WHERE {
  ?p a amc:Practice . {values}
  VALUES ?prop { amc:activityType amc:goal amc:targetGroup }
  ?p ?prop ?o . OPTIONAL { ?o skos:prefLabel ?olabel }
}"""
)
Q_CATALYSTS = (
    _PREFIX
    + """
SELECT ?p ?text ?t ?tlabel WHERE {
  ?p a amc:Practice ; amc:catalyst ?c . {values}
  ?c rdfs:label ?text .
  OPTIONAL { ?c amc:catalystType ?t . OPTIONAL { ?t skos:prefLabel ?tlabel } }
}"""
)
Q_LABELLED = (
    _PREFIX
    + """
SELECT ?p ?prop ?label WHERE {
  ?p a amc:Practice . {values}
  VALUES ?prop { amc:involves amc:hasOutcome }
  ?p ?prop ?o . ?o rdfs:label ?label .
}"""
)
Q_EVIDENCE = (
    _PREFIX
    + """
SELECT ?p ?passage ?report ?text ?start ?end ?page WHERE {
  ?p a amc:Practice ; amc:evidence ?passage . {values}
  ?passage amc:start ?start ; amc:end ?end ; amc:inReport ?r .
  OPTIONAL { ?passage amc:text ?text }
  OPTIONAL { ?passage amc:page ?page }
  OPTIONAL { ?r dcterms:identifier ?rid }
  BIND(COALESCE(?rid, STR(?r)) AS ?report)
}"""
)
_FIELD = {"activityType": "activity_types", "goal": "goals", "targetGroup": "target_groups"}


def _as_one_graph(store: Any) -> Any:
    """An in-memory Oxigraph store whose default graph holds every triple of ``store`` once
    (for stores built before the build wrote the merged default graph).

    Oxigraph 0.5's union default graph is a multiset: a triple stated by n report graphs comes
    back n times, so a query joining k patterns on a node that n reports state yields n**k rows
    (``Q_PRACTICES`` joins up to 8: 4 million rows when practices are stated by 8 reports, and
    the 10x-corpus build ran out of memory). An RDF graph is a set, as rdflib's is; the queries
    here are written for that.
    """
    import pyoxigraph

    merged = pyoxigraph.Store()
    merged.extend(pyoxigraph.Quad(q.subject, q.predicate, q.object) for q in store)
    return merged


def _rows(source: Any, query: str) -> list[dict[str, Any]]:
    """Run a SELECT on a pyoxigraph Store (its default graph) or an rdflib Graph; values as str/int."""
    import pyoxigraph

    out: list[dict[str, Any]] = []
    if isinstance(source, pyoxigraph.Store):
        solutions = source.query(query)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        for solution in solutions:  # type: ignore[union-attr]
            row = {}
            for name in names:
                term = solution[name]
                row[name] = None if term is None else _py(term.value, getattr(term, "datatype", None))
            out.append(row)
        return out
    result = source.query(query)
    for binding in result.bindings:
        out.append(
            {str(k): (None if v is None else _py(str(v), getattr(v, "datatype", None))) for k, v in binding.items()}
        )
    return out


def _py(value: str, datatype: Any) -> Any:
    if datatype is not None and str(getattr(datatype, "value", datatype)).endswith(("#integer", "#int", "#long")):
        return int(value)
    return value


def _concept_label(iri: str, label: str | None) -> str:
    return label or iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")


def practices(source: Any, iri: str | None = None) -> list[dict[str, Any]]:
    """Every practice (or the one with ``iri``) in the DESIGN.md 3.1 shape, sorted by label."""
    import pyoxigraph

    if isinstance(source, pyoxigraph.Store) and not has_merged_graph(source):
        source = _as_one_graph(source)
    values = f"VALUES ?p {{ <{iri}> }}" if iri else ""
    found: dict[str, dict[str, Any]] = {}
    for row in _rows(source, Q_PRACTICES.replace(_FILTER, values)):
        p = found.setdefault(row["p"], _empty(row["p"]))
        if not p["label"] or row["label"] < p["label"]:
            if p["label"]:
                p["alt_labels"].add(p["label"])
            p["label"] = row["label"]
        elif row["label"] != p["label"]:
            p["alt_labels"].add(row["label"])
        if row.get("alt"):
            p["alt_labels"].add(row["alt"])
        if row.get("place") and p["place"] is None:
            p["place"], p["population"] = row["place"], row.get("pop")
            if row.get("lat") is not None and row.get("lon") is not None:
                p["lat"], p["lon"] = float(row["lat"]), float(row["lon"])
        if row.get("country") and p["country"] is None:
            p["country"] = row["country"]
    for row in _rows(source, Q_CONCEPTS.replace(_FILTER, values)):
        if row["p"] in found:
            field = _FIELD[row["prop"].rsplit("#", 1)[-1]]
            found[row["p"]][field].add(_concept_label(row["o"], row.get("olabel")))
    for row in _rows(source, Q_CATALYSTS.replace(_FILTER, values)):
        if row["p"] in found and row.get("t"):
            found[row["p"]]["catalysts"].add(_concept_label(row["t"], row.get("tlabel")))
    for row in _rows(source, Q_LABELLED.replace(_FILTER, values)):
        if row["p"] in found:
            field = "actors" if row["prop"].endswith("involves") else "outcomes"
            found[row["p"]][field].add(row["label"])
    for row in _rows(source, Q_EVIDENCE.replace(_FILTER, values)):
        if row["p"] in found:
            found[row["p"]]["evidence"].append(
                {
                    "report": row["report"],
                    "passage": row["passage"],
                    "text": row.get("text") or "",
                    "start": row["start"],
                    "end": row["end"],
                    "page": row.get("page"),
                }
            )
    return sorted((_finish(p) for p in found.values()), key=lambda p: (p["label"].casefold(), p["iri"]))


def _empty(iri: str) -> dict[str, Any]:
    return {
        "iri": iri,
        "label": "",
        "description": "",
        "place": None,
        "country": None,
        "population": None,
        "lat": None,
        "lon": None,
        "activity_types": set(),
        "catalysts": set(),
        "actors": set(),
        "outcomes": set(),
        "goals": set(),
        "target_groups": set(),
        "alt_labels": set(),
        "evidence": [],
    }


def _finish(p: dict[str, Any]) -> dict[str, Any]:
    evidence = sorted(
        {(e["report"], e["start"], e["end"]): e for e in p["evidence"]}.values(),
        key=lambda e: (e["report"], e["start"], e["end"]),
    )
    texts: list[str] = []
    for e in evidence:
        if e["text"] and e["text"] not in texts:
            texts.append(e["text"])
    description = " ".join(texts[:3])
    out = dict(p)
    out["evidence"] = evidence
    out["description"] = description if len(description) <= 800 else description[:797].rstrip() + "..."
    for key in ("activity_types", "catalysts", "actors", "outcomes", "goals", "target_groups"):
        out[key] = sorted(p[key])
    out["alt_labels"] = sorted(p["alt_labels"] - {p["label"]})
    return out
