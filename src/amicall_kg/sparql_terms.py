"""RDF terms as SPARQL 1.1 JSON results terms, the one shape every query result uses.

Results cross a process boundary (the query worker) and come from remote endpoints, so
they are kept as plain JSON-able dicts (``{"type": "uri", "value": ...}``) rather than
engine objects; these helpers convert to and from pyoxigraph terms for RDF output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyoxigraph

Term = dict[str, Any]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def term_to_json(term: Any) -> Term:
    """A pyoxigraph term as a SPARQL 1.1 JSON results term."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: Term = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_to_json(term.subject),
                "predicate": term_to_json(term.predicate),
                "object": term_to_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def json_to_term(data: Term) -> Any:
    """A SPARQL 1.1 JSON results term as a pyoxigraph term."""
    import pyoxigraph as ox

    kind = data.get("type")
    value: Any = data.get("value")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in data:
            return ox.Literal(value, language=data["xml:lang"])
        if "datatype" in data:
            return ox.Literal(value, datatype=ox.NamedNode(data["datatype"]))
        return ox.Literal(value)
    if kind == "triple" and isinstance(value, dict):
        return ox.Triple(
            json_to_term(value["subject"]), json_to_term(value["predicate"]), json_to_term(value["object"])
        )
    raise ValueError(f"not a SPARQL JSON term: {data!r}")


def triple_to_json(triple: pyoxigraph.Triple) -> tuple[Term, Term, Term]:
    return (term_to_json(triple.subject), term_to_json(triple.predicate), term_to_json(triple.object))


def term_text(term: Term | None) -> str:
    """Short human form of a term for tables: the IRI, ``_:id``, or the literal's text."""
    if term is None:
        return ""
    kind = term.get("type")
    if kind == "bnode":
        return f"_:{term['value']}"
    if kind == "triple":
        v = term["value"]
        return f"<< {term_text(v['subject'])} {term_text(v['predicate'])} {term_text(v['object'])} >>"
    return str(term.get("value", ""))
