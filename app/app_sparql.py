"""The SPARQL behind the app's facet views, so a practitioner can hand it to a researcher.

``facet_query`` writes the query that selects the practices matching the chosen facet
values (any chosen value within a facet, every facet with a choice). Values that are
concepts of the vocabulary are matched by IRI, others by their label; every literal is
escaped, so labels from reports can't break out of the query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# Facet key -> SPARQL property path from the practice to the value node.
FACET_PATHS: dict[str, str] = {
    "country": "(amc:country|amc:locatedIn/amc:country)",
    "place": "amc:locatedIn",
    "activity_types": "amc:activityType",
    "catalysts": "(amc:catalyst|amc:catalyst/amc:catalystType)",
    "goals": "amc:goal",
    "target_groups": "amc:targetGroup",
}


def literal(text: str) -> str:
    """A SPARQL string literal for any text (quotes, backslashes and line breaks escaped)."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def iri(value: str) -> str:
    """``<value>`` for a well-formed absolute IRI; ValueError otherwise."""
    if not value.startswith(("http://", "https://", "urn:")) or any(c in value for c in '<>"{}|^`\\ \n\t'):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def facet_query(chosen: Mapping[str, Sequence[str]], concept_iris: Mapping[str, str] | None = None) -> str:
    """SELECT the practices (IRI and label) having, for each facet, one of the chosen values.

    ``concept_iris`` maps a lowercased label to its concept IRI (from the vocabulary).
    """
    concept_iris = concept_iris or {}
    lines = [
        "SELECT DISTINCT ?practice ?label WHERE {",
        "  ?practice a amc:Practice ;",
        "            rdfs:label ?label .",
    ]
    n = 0
    for key, wanted in chosen.items():
        if not wanted or key not in FACET_PATHS:
            continue
        var = f"?v{n}"
        n += 1
        iris = sorted({iri(concept_iris[w.lower()]) for w in wanted if w.lower() in concept_iris})
        labels = ", ".join(literal(w) for w in wanted)
        tests = [f"EXISTS {{ {var} rdfs:label|skos:prefLabel ?l{n} . FILTER(STR(?l{n}) IN ({labels})) }}"]
        if iris:
            tests.insert(0, f"{var} IN ({', '.join(iris)})")
        lines.append(f"  ?practice {FACET_PATHS[key]} {var} .")
        lines.append(f"  FILTER({' || '.join(tests)})")
    lines.append("}")
    lines.append("ORDER BY ?label")
    return "\n".join(lines)


def practice_facts_query(practice_iri: str) -> str:
    """Every statement about one practice, with the value's label and the passage that states it."""
    subject = iri(practice_iri)
    return "\n".join(
        [
            "SELECT ?property ?value ?valueLabel ?report ?page ?passageText WHERE {",
            f"  {subject} ?property ?value .",
            "  OPTIONAL { ?value rdfs:label|skos:prefLabel|amc:text ?valueLabel }",
            "  OPTIONAL {",
            "    ?value amc:evidence ?passage .",
            "    ?passage amc:inReport ?report .",
            "    OPTIONAL { ?passage amc:page ?page }",
            "    OPTIONAL { ?passage amc:text ?passageText }",
            "  }",
            "}",
            "ORDER BY ?property ?value",
        ]
    )
