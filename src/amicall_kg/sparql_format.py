"""Write a ``QueryResult`` as text: an aligned table, SPARQL 1.1 results (JSON, XML, CSV,
TSV) for SELECT/ASK, and Turtle, N-Triples or JSON-LD for CONSTRUCT/DESCRIBE.

The same functions serve the CLI (``--format``) and the HTTP endpoint (content negotiation).
"""

from __future__ import annotations

import csv
import io
import json
import re
from xml.sax.saxutils import escape, quoteattr

from .errors import QueryError
from .sparql import QueryResult
from .sparql_terms import Term, json_to_term, term_text

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("ttl", "nt", "jsonld")
FORMATS = RESULT_FORMATS + GRAPH_FORMATS

# Media types for content negotiation, in order of preference when the client accepts any.
RESULT_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
}
MEDIA_OF = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "table": "text/plain",
}

_CELL_WIDTH = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(result: QueryResult, fmt: str) -> str:
    """The result in ``fmt`` (one of ``FORMATS``); graph formats only for graph results."""
    if fmt not in FORMATS:
        raise QueryError(f"Unknown format {fmt!r}. Use one of: {', '.join(FORMATS)}.")
    if result.is_graph:
        if fmt in ("ttl", "table"):
            return to_rdf(result, "ttl")
        if fmt in GRAPH_FORMATS:
            return to_rdf(result, fmt)
        if fmt == "json":
            return to_rdf(result, "jsonld")
        raise QueryError(f"A {result.kind.upper()} query gives a graph: use --format ttl, nt or jsonld.")
    if fmt in GRAPH_FORMATS:
        raise QueryError(f"A {result.kind.upper()} query gives result rows: use table, csv, tsv, json or xml.")
    return {"table": to_table, "csv": to_csv, "tsv": to_tsv, "json": to_json, "xml": to_xml}[fmt](result)


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, base in prefixes.items():
        if iri.startswith(base) and len(iri) > len(base):
            local = iri[len(base) :]
            if re.fullmatch(r"[\w\-./]+", local):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def _cell(term: Term | None, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    text = _compact(term["value"], prefixes) if term.get("type") == "uri" else term_text(term)
    text = _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}" if m.group(0) not in "\n\t" else " ", text)
    return text if len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 1] + "…"


def to_table(result: QueryResult) -> str:
    """Aligned text for people: IRIs shortened with the common prefixes, long cells cut."""
    from .namespaces import PREFIXES

    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    header = result.variables
    cells = [[_cell(row.get(v), PREFIXES) for v in header] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    count = len(result.rows)
    footer = f"{count} row{'s' if count != 1 else ''}"
    if result.truncated:
        footer += f" (TRUNCATED at {count}; more rows exist: raise --max-rows or add LIMIT)"
    lines.append(footer)
    return "\n".join(lines) + "\n"


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON, plus a top-level ``truncated`` flag."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
    data = {
        "head": {"vars": result.variables},
        "results": {"bindings": result.rows},
        "truncated": result.truncated,
    }
    return json.dumps(data, ensure_ascii=False) + "\n"


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results: plain values, CRLF line ends (ASK: one ``_askResult`` column)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerows([["_askResult"], ["true" if result.boolean else "false"]])
        return out.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([term_text(row.get(v)) for v in result.variables])
    return out.getvalue()


def nt_term(term: Term) -> str:
    """A term in N-Triples syntax, escaping tab as well (for TSV)."""
    kind = term.get("type")
    if kind == "uri":
        return f"<{term['value']}>"
    if kind == "bnode":
        return f"_:{term['value']}"
    if kind == "triple":
        v = term["value"]
        return f"<< {nt_term(v['subject'])} {nt_term(v['predicate'])} {nt_term(v['object'])} >>"
    value = str(term["value"])
    value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    value = value.replace("\t", "\\t")
    text = f'"{value}"'
    if "xml:lang" in term:
        return f"{text}@{term['xml:lang']}"
    if "datatype" in term:
        return f"{text}^^<{term['datatype']}>"
    return text


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV results: ``?var`` header, terms in Turtle/N-Triples syntax."""
    if result.kind == "ask":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(nt_term(row[v]) if v in row else "" for v in result.variables))
    return "\n".join(lines) + "\n"


def _xml_text(value: str) -> str:
    # XML 1.0 cannot carry NUL and most C0 controls even as character references.
    return escape(_XML_ILLEGAL.sub("\ufffd", value))


def _xml_term(term: Term) -> str:
    kind = term.get("type")
    if kind == "uri":
        return f"<uri>{_xml_text(term['value'])}</uri>"
    if kind == "bnode":
        return f"<bnode>{_xml_text(term['value'])}</bnode>"
    if kind == "triple":
        v = term["value"]
        parts = "".join(f"<{k}>{_xml_term(v[k])}</{k}>" for k in ("subject", "predicate", "object"))
        return f"<triple>{parts}</triple>"
    attrs = ""
    if "xml:lang" in term:
        attrs = f" xml:lang={quoteattr(term['xml:lang'])}"
    elif "datatype" in term:
        attrs = f" datatype={quoteattr(term['datatype'])}"
    return f"<literal{attrs}>{_xml_text(str(term['value']))}</literal>"


def to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML (characters XML 1.0 forbids become U+FFFD)."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("  <head>")
    out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    out += ["  </head>", "  <results>"]
    for row in result.rows:
        out.append("    <result>")
        for v in result.variables:
            if v in row:
                out.append(f"      <binding name={quoteattr(v)}>{_xml_term(row[v])}</binding>")
        out.append("    </result>")
    out += ["  </results>", "</sparql>"]
    return "\n".join(out) + "\n"


def to_rdf(result: QueryResult, fmt: str) -> str:
    """A graph result as Turtle (with the common prefixes), N-Triples or JSON-LD."""
    import pyoxigraph as ox

    from .namespaces import PREFIXES

    rdf_format = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    triples = [ox.Triple(json_to_term(s), json_to_term(p), json_to_term(o)) for s, p, o in result.triples]
    prefixes = PREFIXES if fmt == "ttl" else None
    data = ox.serialize(triples, None, rdf_format, prefixes=prefixes)
    return (data or b"").decode("utf-8")


def negotiate(accept: str | None, graph: bool) -> str | None:
    """The format for an HTTP ``Accept`` header (q-values honoured), or None if none fits."""
    table = GRAPH_MEDIA if graph else RESULT_MEDIA
    default = "ttl" if graph else "json"
    if not accept or not accept.strip():
        return default
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if media in table:
            fmt = table[media]
        elif media == "*/*":
            fmt = default
        elif media in ("application/*", "text/*"):
            fmt = {"application/*": "nt" if graph else "json", "text/*": "ttl" if graph else "csv"}[media]
        else:
            continue
        candidate = (quality, -position, fmt)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None
