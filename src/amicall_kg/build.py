"""``build()``: corpus + ontology -> a new, validated, checksummed version, published atomically.

Steps, under an exclusive lock (``lock.py``): compare the corpus, ontology, settings, code and
models with the manifest of the version in service (``manifest.py``); stop at once when nothing
changed; otherwise extract only the changed reports (the spaCy pipeline loads only then), reuse
the cached mentions or triples of the others (``build_extract.py``), validate the union with SHACL,
write a new version folder (store, dump, search indexes, manifest last) and switch
``indexes/CURRENT`` to it. A crash at any point
leaves the previous version serving; the next build removes the half-written folder.

The parts owned by other modules (extraction, validation, search indexes, the practice list) are
keyword-only seams, so tests run the whole build with fakes in a fraction of a second.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .build_extract import Extracted, extract_per_report, extract_staged, write_mentions
from .build_parts import (
    Extractor,
    Indexer,
    Parts,
    PracticeLister,
    Progress,
    Stager,
    Validator,
    accepted,
    default_parts,
    split_results,
    validation_error,
)
from .build_store import (
    ONTOLOGY_GRAPH,
    dump_turtle,
    has_blank_nodes,
    lines_graph,
    nt_path,
    ontology_files,
    report_graph,
    write_lines,
    write_store,
)
from .changelog import ReportChange, changelog
from .corpus import Report, load_corpus
from .errors import AmicallError, BuildError
from .lock import BuildLock
from .manifest import (
    FORMAT,
    Version,
    build_inputs,
    changed_inputs,
    check_version,
    checksum_files,
    report_fingerprint,
    sha256_json,
    write_manifest,
)
from .settings import Settings
from .store import open_store
from .versions import CURRENT, MANIFEST, VERSIONS, current_version, publish


@dataclass
class BuildResult:
    """The outcome of ``build()``: the version in service afterwards and what changed."""

    version: str | None
    path: Path | None
    noop: bool
    full: bool = False
    reasons: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    changes: list[ReportChange] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    index_counts: dict[str, Any] = field(default_factory=dict)
    removed_folders: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path) if self.path else None
        return data


@dataclass
class Plan:
    """What a build found to do: the reports, their hashes, and what changed since ``previous``."""

    reports: list[Report]
    prints: dict[str, dict[str, str]]
    inputs: dict[str, Any]
    previous: Version | None
    reasons: list[str]  # why every report is rebuilt; empty for an incremental build
    edited: list[str]  # reports added or whose text, metadata or page map changed
    gone: list[str]  # reports removed from the corpus

    @property
    def full(self) -> bool:
        return bool(self.reasons)

    @property
    def todo(self) -> list[Report]:
        """The reports to extract again."""
        return self.reports if self.full else [r for r in self.reports if r.id in self.edited]


def plan_build(settings: Settings, force: bool = False) -> Plan:
    """Compare the corpus, ontology, settings, code and models with the version in service."""
    reports = load_corpus(settings.corpus)
    if not Path(settings.ontology).is_dir():
        raise BuildError(f"Ontology folder {settings.ontology} does not exist. Set AMICALL_ONTOLOGY to it.")
    prints = {r.id: report_fingerprint(r) for r in reports}
    inputs = build_inputs(settings)
    previous, reasons = _previous(settings.indexes, inputs, force)
    old = previous.manifest.get("reports", {}) if previous else {}
    compared = ("sha256", "meta_sha256", "pages_sha256")
    edited = [rid for rid, fp in prints.items() if any(old.get(rid, {}).get(k) != fp[k] for k in compared)]
    return Plan(reports, prints, inputs, previous, reasons, edited, sorted(set(old) - set(prints)))


def _quiet(stage: str, done: int, total: int) -> None:
    """Default progress callback: nothing."""


class _StageClock:
    """Passes progress on and adds up the seconds spent in each stage."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.stage = "lock"
        self.at = time.perf_counter()
        self.timings: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.timings[self.stage] = self.timings.get(self.stage, 0.0) + now - self.at
        self.stage, self.at = stage, now
        self.progress(stage, done, total)


# --- version folders ------------------------------------------------------------------------


def clean_stale(indexes: Path) -> list[str]:
    """Remove what dead builds left (call only under the lock): folders without a manifest, trash."""
    removed: list[str] = []
    folder = indexes / VERSIONS
    current = current_version(indexes)
    (indexes / f".{CURRENT}.tmp").unlink(missing_ok=True)
    if not folder.is_dir():
        return removed
    for entry in sorted(folder.iterdir()):
        if current is not None and entry.name == current.name:
            continue
        if entry.name.startswith(".trash-") or (entry.is_dir() and not (entry / MANIFEST).is_file()):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def prune(indexes: Path, keep: set[str], progress: Progress = _quiet) -> list[str]:
    """Remove complete versions other than ``keep``: renamed to ``.trash-*`` first, then deleted."""
    folder = indexes / VERSIONS
    doomed = [e for e in sorted(folder.iterdir()) if e.is_dir() and not e.name.startswith(".") and e.name not in keep]
    for number, entry in enumerate(doomed):
        progress("prune", number, len(doomed))
        trash = folder / f".trash-{entry.name}"
        entry.rename(trash)
        shutil.rmtree(trash, ignore_errors=True)
    progress("prune", len(doomed), len(doomed))
    return [e.name for e in doomed]


def _new_folder(indexes: Path, key: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = indexes / VERSIONS / f"{stamp}-{key[:8]}"
    folder.mkdir(parents=True)
    return folder


def _previous(indexes: Path, inputs: dict[str, Any], force: bool) -> tuple[Version | None, list[str]]:
    """The version in service (checked) and the reasons, if any, to rebuild every report."""
    current = current_version(indexes)
    if current is None:
        return None, ["first build"]
    try:
        previous = check_version(current)
    except AmicallError as exc:
        return None, [f"the version in service is damaged ({exc})"]
    reasons = ["--force"] if force else []
    reasons += changed_inputs(previous.manifest.get("inputs", {}), inputs)
    return previous, reasons


# --- the build ------------------------------------------------------------------------------


def build(
    settings: Settings,
    force: bool = False,
    progress: Progress | None = None,
    *,
    extractor: Extractor | None = None,
    validator: Validator | None = None,
    indexer: Indexer | None = None,
    practices: PracticeLister | None = None,
    stager: Stager | None = None,
) -> BuildResult:
    """Bring ``settings.indexes`` up to date with the corpus; see the module docstring."""
    started = time.perf_counter()
    step = _StageClock(progress or _quiet)
    indexes: Path = settings.indexes
    with BuildLock(indexes):
        removed_folders = clean_stale(indexes)
        step("check", 0, 1)
        plan = plan_build(settings, force)
        step("check", 1, 1)
        if plan.previous is not None and not plan.full and not plan.edited and not plan.gone:
            return BuildResult(
                version=plan.previous.name,
                path=plan.previous.path,
                noop=True,
                counts=plan.previous.counts,
                removed_folders=removed_folders,
                seconds=time.perf_counter() - started,
            )
        real = default_parts(settings, staged=extractor is None and stager is None)
        parts = Parts(
            extractor or real.extractor,
            validator or real.validator,
            indexer or real.indexer,
            practices or real.practices,
            stager or real.stager,
        )
        result = _rebuild(settings, plan, parts, step)
        result.full, result.reasons = plan.full, plan.reasons
        result.removed_folders = removed_folders + result.removed_folders
        result.seconds = time.perf_counter() - started
        step("done", 1, 1)
        result.timings = {k: round(v, 3) for k, v in step.timings.items()}
        return result


def _rebuild(settings: Settings, plan: Plan, parts: Parts, step: Progress) -> BuildResult:
    indexes: Path = settings.indexes
    previous = plan.previous
    if parts.stager is not None:
        done = extract_staged(plan.reports, plan.todo, previous, parts.stager, step)
    else:
        done = extract_per_report(plan.reports, plan.todo, previous, parts.extractor, step)
    union = sorted(set().union(*done.lines.values())) if done.lines else []
    warnings = ["the graph has blank nodes: their triples cannot be diffed across builds"]
    warnings = warnings if has_blank_nodes(union) else []

    step("validate", 0, 1)
    blocking, notes = split_results(parts.validator(lines_graph(union)))
    if blocking:
        raise validation_error(blocking)
    warnings += [str(note) for note in notes]
    step("validate", 1, 1)

    key = sha256_json({"inputs": plan.inputs, "reports": plan.prints})
    version = _new_folder(indexes, key)
    try:
        result = _write_version(settings, version, plan, done, union, parts, step)
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)  # the version in service stays; nothing half-written remains
        raise
    step("publish", 0, 1)
    publish(indexes, version)
    step("publish", 1, 1)
    result.removed_folders = prune(indexes, {version.name} | ({previous.name} if previous else set()), step)
    result.warnings = warnings + result.warnings
    return result


def _write_version(
    settings: Settings, version: Path, plan: Plan, done: Extracted, union: list[str], parts: Parts, step: Progress
) -> BuildResult:
    """Write everything of the new version, the manifest last; publishing is the caller's."""
    reports, previous, gone = plan.reports, plan.previous, plan.gone
    for number, report in enumerate(reports):
        step("write", number, len(reports))
        write_lines(version / nt_path(report.id), done.lines[report.id])
    write_mentions(version, done.mentions)
    step("write", len(reports), len(reports))

    ontology = ontology_files(settings.ontology)
    step("store", 0, 1)
    summary = write_store(version, {r.id: version / nt_path(r.id) for r in reports}, ontology)
    counts = {"reports": len(reports), **summary.counts, "triples": len(union)}
    step("store", 1, 1)
    step("dump", 0, 1)
    dump_turtle(version, union, ontology)
    step("dump", 1, 1)

    entries, changes = changelog(
        [r.id for r in reports], plan.prints, previous, done.regenerated, plan.edited, gone, done.lines, summary.classes
    )

    step("index", 0, 1)
    store = open_store(version, read_only=True)
    practice_list = parts.practices(store)
    del store
    # Search indexes may reuse the previous version's vectors for reports whose triples are unchanged,
    # unless everything is rebuilt (settings, models or code changed).
    changed = sorted({*done.regenerated, *gone} - {c.id for c in changes if c.status == "unchanged"})
    extra = {"previous": None if plan.full or previous is None else previous.path, "changed": changed}
    index_counts = dict(parts.indexer(version, reports, practice_list, settings, **accepted(parts.indexer, extra)))
    step("index", 1, 1)

    step("manifest", 0, 1)
    manifest = {
        "format": FORMAT,
        "version": version.name,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": plan.inputs,
        "reports": entries,
        "removed_reports": gone,
        "previous": previous.name if previous else None,
        "counts": counts,
        "indexes": index_counts,
        "graphs": {"reports": {r.id: report_graph(r.id) for r in reports}, "ontology": ONTOLOGY_GRAPH},
        "files": checksum_files(version),
    }
    write_manifest(version, manifest)
    return BuildResult(
        version=version.name,
        path=version,
        noop=False,
        extracted=done.extracted,
        changes=changes,
        counts=counts,
        index_counts=index_counts,
    )


__all__ = ["BuildResult", "Parts", "ReportChange", "build", "clean_stale", "default_parts", "prune"]
