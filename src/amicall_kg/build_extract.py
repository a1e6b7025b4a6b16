"""Which reports go through extraction, and how the others' results are reused.

Two ways, depending on what extraction offers:

* **staged** (exact): extraction splits into per-report *mentions* (the spaCy work; JSON,
  depending on that report alone, cached as ``graph/mentions/<id>.json``) and a cheap
  cross-report step that resolves all mentions into per-report graphs. Only changed reports'
  mentions are recomputed, the resolution reruns over all of them, so an incremental build
  gives exactly the graph a full build would, cross-report merges and evidence included.
* **per report** (the plain ``report_graphs`` contract): changed reports are extracted in one
  call and the others' triples are copied. Exact when a report's graph depends on that report
  alone; where extraction resolves across reports, unchanged reports keep their last triples
  until a full rebuild (``--force``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build_parts import Extractor, Progress, Stager
from .build_store import graph_lines, nt_path, read_lines
from .corpus import Report
from .errors import BuildError
from .manifest import Version
from .store import GRAPH_DIR

MENTIONS_DIR = f"{GRAPH_DIR}/mentions"


def mentions_path(report_id: str) -> str:
    return f"{MENTIONS_DIR}/{report_id}.json"


@dataclass
class Extracted:
    """Every report's triples as N-Triples lines, and what was computed afresh."""

    lines: dict[str, list[str]]
    extracted: list[str]  # reports that went through extraction
    regenerated: list[str]  # reports whose graph was regenerated (diffed for the changelog)
    mentions: dict[str, list[Any]] = field(default_factory=dict)  # staged only: cache to write


def _graph_lines(graphs: Mapping[str, Any], report_ids: list[str]) -> dict[str, list[str]]:
    missing = [rid for rid in report_ids if rid not in graphs]
    if missing:
        raise BuildError(f"Extraction returned no graph for {', '.join(missing)}; the version in service is kept.")
    return {rid: graph_lines(graphs[rid]) for rid in report_ids}


def _cached_mentions(previous: Version | None, report_id: str) -> list[Any] | None:
    if previous is None:
        return None
    path = previous.path / mentions_path(report_id)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, list) else None


def extract_staged(
    reports: list[Report], todo: list[Report], previous: Version | None, stager: Stager, step: Progress
) -> Extracted:
    """Fresh mentions for ``todo`` (and any report without a cache), cached ones for the rest; resolve all."""
    mentions: dict[str, list[Any]] = {}
    todo_ids = {r.id for r in todo}
    for report in reports:
        cached = None if report.id in todo_ids else _cached_mentions(previous, report.id)
        if cached is not None:
            mentions[report.id] = cached
    fresh = [r for r in reports if r.id not in mentions]
    for number, report in enumerate(fresh):
        step("extract", number, len(fresh))
        mentions[report.id] = stager.mentions(report)
    step("extract", len(fresh), len(fresh))
    step("resolve", 0, 1)
    ids = [r.id for r in reports]
    lines = _graph_lines(stager.graphs(reports, mentions), ids)
    step("resolve", 1, 1)
    return Extracted(lines, [r.id for r in fresh], ids, mentions)


def extract_per_report(
    reports: list[Report], todo: list[Report], previous: Version | None, extractor: Extractor, step: Progress
) -> Extracted:
    """Extract ``todo`` in one call; copy every other report's triples from ``previous``."""
    step("extract", 0, len(todo))
    lines = _graph_lines(extractor(todo), [r.id for r in todo]) if todo else {}
    step("extract", len(todo), len(todo))
    for report in reports:
        if report.id not in lines:
            if previous is None:
                raise BuildError(f"No previous triples for report {report.id!r}. Run `amicall-kg build --force`.")
            lines[report.id] = read_lines(previous.path / nt_path(report.id))
    return Extracted(lines, [r.id for r in todo], [r.id for r in todo])


def write_mentions(version: Path, mentions: Mapping[str, list[Any]]) -> None:
    for report_id, items in mentions.items():
        path = version / mentions_path(report_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(items, ensure_ascii=False, sort_keys=True), encoding="utf-8")
