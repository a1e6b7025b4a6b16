"""RDF namespaces and IRI minting shared by the graph, queries and exports."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

AMC = Namespace("https://w3id.org/amicall/ontology#")
ID = Namespace("https://w3id.org/amicall/id/")
GN = Namespace("https://sws.geonames.org/")
AMV = Namespace("https://w3id.org/amicall/vocab/")

# Prefixes predeclared for SPARQL queries and used in dumps.
PREFIXES: dict[str, str] = {
    "amc": str(AMC),
    "id": str(ID),
    "amv": str(AMV),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "gn": str(GN),
}

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_len: int = 60) -> str:
    """Lowercase ASCII slug; never empty (falls back to a hash)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")[:max_len].strip("-")
    return slug or "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def mint(kind: str, *parts: str) -> URIRef:
    """A valid instance IRI ``id/<kind>/<slug>[-<hash>]`` for any text whatsoever.

    The short hash of the full key keeps IRIs distinct when slugs collide
    (different scripts, truncation), and stable across builds.
    """
    key = "\x1f".join(parts)
    slug = slugify(parts[-1] if parts else kind)
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return ID[f"{slugify(kind, 30)}/{slug}-{digest}"]
