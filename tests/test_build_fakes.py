"""Fakes for build tests: a tiny corpus and ontology, and a rule-based fake of each build part.

The fake extractor reads lines such as ``PRACTICE: Soup Festival @ Weston`` and ``ACTOR: Town
Council`` from a report and states them as triples with deterministic IRIs, as the real one
does. Run as a module, this file performs one build with the fakes and can block at a named
progress stage (after writing a marker file), so a test can ``kill -9`` it there.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import rdflib

from amicall_kg import manifest
from amicall_kg.build import BuildResult, build
from amicall_kg.corpus import Report
from amicall_kg.namespaces import AMC, ID, mint
from amicall_kg.settings import Settings, load_settings

RDF_TYPE = rdflib.URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#label")
XSD_INTEGER = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#integer")
ONTOLOGY_TTL = """\
@prefix amc: <https://w3id.org/amicall/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/amicall/ontology> a owl:Ontology .
amc:Practice a owl:Class . amc:Actor a owl:Class . amc:Place a owl:Class .
amc:Passage a owl:Class . amc:Report a owl:Class .
amc:LocalAuthority a owl:Class ; rdfs:subClassOf amc:Actor .
amc:Country a owl:Class ; rdfs:subClassOf amc:Place .
"""
VOCAB_TTL = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/amicall/vocab/activity-type/festivals> a skos:Concept ; skos:prefLabel "intercultural festivals"@en .
"""
SHAPES_TTL = "# the fake validator stands in for SHACL\n"


def write_ontology(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "amicall.ttl").write_text(ONTOLOGY_TTL, encoding="utf-8")
    (folder / "vocabularies.ttl").write_text(VOCAB_TTL, encoding="utf-8")
    (folder / "shapes.ttl").write_text(SHAPES_TTL, encoding="utf-8")
    return folder


def write_corpus(folder: Path, texts: dict[str, str]) -> Path:
    """A corpus folder with one report per entry of ``texts`` (id -> text)."""
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    entries = []
    for report_id, text in texts.items():
        (folder / "reports" / f"{report_id}.txt").write_text(text, encoding="utf-8")
        entries.append(
            f'[[report]]\nid = "{report_id}"\nfile = "reports/{report_id}.txt"\ntitle = "Report {report_id}"\n'
            f'authors = ["A. Author"]\nyear = 2020\npublisher = "P"\nsource = "https://example.org/"\n'
            f'language = "en"\nlicence = "test"\n'
        )
    (folder / "reports.toml").write_text("\n".join(entries), encoding="utf-8")
    return folder


def make_settings(root: Path, **overrides: Any) -> Settings:
    return load_settings(
        env={},
        overrides={"corpus": root / "corpus", "indexes": root / "indexes", "ontology": root / "ontology", **overrides},
    )


def fake_mentions(report: Report) -> list[dict[str, Any]]:
    """The PRACTICE/ACTOR/PLACE lines of a report, with their character offsets (JSON-able)."""
    found = []
    offset = 0
    for line in report.text().splitlines(keepends=True):
        start, end, offset = offset, offset + len(line.rstrip("\n")), offset + len(line)
        kind, _, rest = line.strip().partition(":")
        if kind in ("PRACTICE", "ACTOR", "PLACE"):
            name, _, place = (part.strip() for part in rest.partition("@"))
            found.append({"kind": kind, "name": name, "place": place, "start": start, "end": end, "text": line.strip()})
    return found


def _passage(graph: rdflib.Graph, report_id: str, start: int, end: int, text: str) -> rdflib.URIRef:
    passage = mint("passage", report_id, str(start))
    graph.add((passage, RDF_TYPE, AMC.Passage))
    graph.add((passage, AMC.inReport, ID[f"report/{report_id}"]))
    graph.add((passage, AMC.start, rdflib.Literal(start, datatype=XSD_INTEGER)))
    graph.add((passage, AMC.end, rdflib.Literal(end, datatype=XSD_INTEGER)))
    graph.add((passage, AMC.text, rdflib.Literal(text)))
    return passage


def fake_graph(report: Report, mentions: list[dict[str, Any]]) -> rdflib.Graph:
    """The triples a report states through its own mentions."""
    graph = rdflib.Graph()
    node = ID[f"report/{report.id}"]
    graph.add((node, RDF_TYPE, AMC.Report))
    graph.add((node, RDFS_LABEL, rdflib.Literal(report.title)))
    for m in mentions:
        passage = _passage(graph, report.id, m["start"], m["end"], m["text"])
        cls = {"PRACTICE": AMC.Practice, "ACTOR": AMC.LocalAuthority, "PLACE": AMC.Country}[m["kind"]]
        thing = mint(m["kind"].lower(), m["name"] or f"unnamed-{m['start']}")
        graph.add((thing, RDF_TYPE, cls))
        graph.add((thing, AMC.evidence, passage))
        if m["name"]:
            graph.add((thing, RDFS_LABEL, rdflib.Literal(m["name"])))
        if m["place"]:
            graph.add((thing, AMC.locatedIn, mint("place", m["place"])))
    return graph


class FakeExtractor:
    """Per-report extraction of the PRACTICE/ACTOR/PLACE lines; records which reports it saw."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, reports: list[Report]) -> dict[str, rdflib.Graph]:
        self.calls.extend(r.id for r in reports)
        return {r.id: fake_graph(r, fake_mentions(r)) for r in reports}


class FakeStager:
    """Two-step extraction that also resolves across reports: a practice named in one report
    gets evidence in every other report whose text mentions its name (as the real one does)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def mentions(self, report: Report) -> list[dict[str, Any]]:
        self.calls.append(report.id)
        return fake_mentions(report)

    def graphs(self, reports: list[Report], mentions: Mapping[str, list[dict[str, Any]]]) -> dict[str, rdflib.Graph]:
        graphs = {r.id: fake_graph(r, mentions[r.id]) for r in reports}
        names = {m["name"] for ms in mentions.values() for m in ms if m["kind"] == "PRACTICE" and m["name"]}
        for report in reports:
            text = report.text()
            for name in sorted(names):
                at = text.find(name)
                if at < 0 or any(m["name"] == name for m in mentions[report.id]):
                    continue
                graph, thing = graphs[report.id], mint("practice", name)
                graph.add((thing, RDF_TYPE, AMC.Practice))
                graph.add((thing, RDFS_LABEL, rdflib.Literal(name)))
                graph.add((thing, AMC.evidence, _passage(graph, report.id, at, at + len(name), name)))
        return graphs


class FakeViolation:
    severity = "Violation"

    def __init__(self, focus_node: str) -> None:
        self.focus_node = focus_node

    def __str__(self) -> str:
        return f"<{self.focus_node}> broke PracticeShape: a practice needs an rdfs:label"


def fake_validator(graph: rdflib.Graph) -> list[FakeViolation]:
    """Every practice needs a label (the real shapes ask much more)."""
    return [FakeViolation(str(p)) for p in graph.subjects(RDF_TYPE, AMC.Practice) if graph.value(p, RDFS_LABEL) is None]


def fake_practices(store: Any) -> list[dict[str, Any]]:
    rows = store.query(
        "PREFIX amc: <https://w3id.org/amicall/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?p ?label ?report ?text WHERE { ?p a amc:Practice ; rdfs:label ?label ; amc:evidence ?e . "
        "?e amc:inReport ?report ; amc:text ?text } ORDER BY ?label"  # the merged default graph
    )
    return [
        {
            "iri": r["p"].value,
            "label": r["label"].value,
            "evidence": [{"report": r["report"].value, "text": r["text"].value}],
        }
        for r in rows
    ]


class FakeIndexer:
    """Writes ``passages/passages.jsonl`` (one record per report line) and a config.json; records calls."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(
        self, version: Path, reports: list[Report], practices: list[dict[str, Any]], settings: Settings, **kw: Any
    ) -> dict[str, int]:
        self.calls.append({"reports": [r.id for r in reports], "practices": len(practices), **kw})
        folder = version / "passages"
        folder.mkdir(parents=True)
        records = [{"report": r.id, "text": line} for r in reports for line in r.text().splitlines() if line.strip()]
        (folder / "passages.jsonl").write_text("".join(json.dumps(x) + "\n" for x in records), encoding="utf-8")
        (folder / "config.json").write_text(json.dumps({"model": "fake", "count": len(records)}), encoding="utf-8")
        return {"passages": len(records), "practices": len(practices)}


def fake_parts() -> dict[str, Any]:
    return {
        "extractor": FakeExtractor(),
        "validator": fake_validator,
        "indexer": FakeIndexer(),
        "practices": fake_practices,
    }


def run_build(settings: Settings, force: bool = False, **parts: Any) -> BuildResult:
    return build(settings, force=force, **{**fake_parts(), **parts})


PINNED_CODE = "pinned-code-hash"


def pinned_code_hash(*args: object) -> str:
    """Stands in for ``manifest.code_hash`` so that colleagues editing the package mid-test change nothing."""
    return PINNED_CODE


def _main(root: str, stage: str, marker: str) -> None:
    """Build with the fakes; on the first progress event of ``stage``, write ``marker`` and block."""
    manifest.code_hash = pinned_code_hash

    def progress(name: str, done: int, total: int) -> None:
        if name == stage:
            Path(marker).write_text(f"{name} {done}/{total}", encoding="utf-8")
            time.sleep(120)

    run_build(make_settings(Path(root)), progress=progress)


if __name__ == "__main__":
    _main(*sys.argv[1:4])
