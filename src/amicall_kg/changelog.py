"""What a build changed, report by report: triples, practices and actors added and removed.

Each report's triples are compared as canonical N-Triples lines with those of the previous
version, so the changelog is exact (nodes have deterministic IRIs); practices and actors are
the subjects typed with ``amc:Practice`` / ``amc:Actor`` or a subclass, named by their label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .build_store import diff_names, entities, nt_path, read_lines, report_graph
from .manifest import Version


@dataclass
class ReportChange:
    """What one build changed in one report's triples."""

    id: str
    # added | removed | changed (its text, metadata or page map changed) | updated (only its triples
    # changed, through other reports or extraction) | unchanged
    status: str
    triples_added: int = 0
    triples_removed: int = 0
    practices_added: list[str] = field(default_factory=list)
    practices_removed: list[str] = field(default_factory=list)
    actors_added: list[str] = field(default_factory=list)
    actors_removed: list[str] = field(default_factory=list)


def changelog(
    report_ids: list[str],
    prints: dict[str, dict[str, str]],
    previous: Version | None,
    regenerated: list[str],
    edited: list[str],
    gone: list[str],
    lines: dict[str, list[str]],
    classes: dict[str, set[str]],
) -> tuple[dict[str, dict[str, Any]], list[ReportChange]]:
    """Manifest entries for each report, and what changed in each one's triples since ``previous``."""
    old = previous.manifest.get("reports", {}) if previous else {}
    entries: dict[str, dict[str, Any]] = {}
    changes: list[ReportChange] = []
    for report_id in [*report_ids, *gone]:
        new_lines = lines.get(report_id, [])
        if report_id in regenerated or report_id in gone:
            old_lines = read_lines(previous.path / nt_path(report_id)) if previous and report_id in old else []
            change = diff(report_id, old_lines, new_lines, classes, report_id in old, report_id in gone)
            if change.status in ("updated", "unchanged") and report_id in edited:
                change.status = "changed"
        else:
            change = ReportChange(report_id, "unchanged")
        changes.append(change)
        if report_id in gone:
            continue
        if change.status == "unchanged" and report_id in old:
            counts = {k: old[report_id].get(k, 0) for k in ("practices", "actors")}
        else:
            counts = {kind: len(entities(new_lines, classes[kind])) for kind in ("practices", "actors")}
        entries[report_id] = {
            **prints[report_id],
            "graph": report_graph(report_id),
            "nt": nt_path(report_id),
            "triples": len(new_lines),
            **counts,
        }
    return entries, changes


def diff(
    report_id: str, old: list[str], new: list[str], classes: dict[str, set[str]], existed: bool, removed: bool
) -> ReportChange:
    """The change between one report's old and new triples."""
    old_set, new_set = set(old), set(new)
    status = "removed" if removed else "added" if not existed else "updated" if old_set != new_set else "unchanged"
    p_added, p_removed = diff_names(entities(old, classes["practices"]), entities(new, classes["practices"]))
    a_added, a_removed = diff_names(entities(old, classes["actors"]), entities(new, classes["actors"]))
    return ReportChange(
        id=report_id,
        status=status,
        triples_added=len(new_set - old_set),
        triples_removed=len(old_set - new_set),
        practices_added=p_added,
        practices_removed=p_removed,
        actors_added=a_added,
        actors_removed=a_removed,
    )
