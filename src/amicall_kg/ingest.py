"""Add report files to the corpus: read each one safely, store its text, record its metadata, then build.

Each file goes in on its own: a refused file leaves no trace and does not stop the others. The text
(``reports/<id>.txt``, plus ``<id>.txt.pages.json`` for paged sources) is written first, then the
metadata file is rewritten atomically (temp file + ``os.replace``) with the new ``[[report]]`` table
appended, so the corpus is never half-updated. Content already in the corpus (same sha256 of the
source file or of its text) is reported as a duplicate, not added twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .corpus import METADATA_FILE, Report, load_corpus
from .errors import AmicallError, ReaderError
from .ingest_meta import METADATA_HEADER, compose_entry, entry_block, replace_block, validate_entry
from .readers import read_file
from .readers_base import ReadResult

Progress = Callable[[str, int, int], None]
REPORTS_DIR = "reports"


@dataclass
class FileOutcome:
    """What happened to one file: ``added``, ``replaced``, ``duplicate`` or ``refused``."""

    path: str
    status: str
    id: str | None = None
    reason: str | None = None
    notes: list[str] = field(default_factory=list)
    format: str | None = None
    chars: int = 0
    pages: int | None = None
    seconds: float = 0.0


@dataclass
class IngestResult:
    """Per-file outcomes, and the build that followed (if any)."""

    files: list[FileOutcome]
    build: Any = None
    build_error: str | None = None

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "refused"]

    @property
    def changed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status in ("added", "replaced")]

    def as_dict(self) -> dict[str, Any]:
        build = self.build.as_dict() if hasattr(self.build, "as_dict") else self.build
        return {"files": [asdict(f) for f in self.files], "build": build, "build_error": self.build_error}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and ``os.replace``: readers see old or new, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def _corpus_lock(root: Path) -> Iterator[None]:
    """One ingest at a time per corpus (the metadata file is read, changed and rewritten).

    The lock is on the corpus folder itself, so no lock file is left behind in the corpus."""
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class _Corpus:
    """The corpus state an ingest call works on, updated as files go in."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.meta = root / METADATA_FILE
        (root / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
        if not self.meta.exists():
            _write_atomic(self.meta, METADATA_HEADER.encode("utf-8"))
        self.reports: dict[str, Report] = {r.id: r for r in load_corpus(root)}
        self.by_source: dict[str, str] = {}
        self.by_text: dict[str, str] = {}
        for report in self.reports.values():
            self.remember(report.id, str(report.extra.get("source_sha256", "")), report.sha256())

    def remember(self, report_id: str, source_sha: str, text_sha: str) -> None:
        if source_sha:
            self.by_source[source_sha] = report_id
        self.by_text[text_sha] = report_id

    def taken(self, report_id: str) -> bool:
        """An id is taken by an entry or by a leftover file of that name."""
        return report_id in self.reports or (self.root / REPORTS_DIR / f"{report_id}.txt").exists()


def _store(corpus: _Corpus, path: Path, result: ReadResult, entry: dict[str, Any], replace: str | None) -> None:
    """Write text, page map and metadata; on any failure restore what was there (nothing half-ingested)."""
    text_path = corpus.root / entry["file"]
    sidecar = text_path.with_name(text_path.name + ".pages.json")
    saved = {p: (p.read_bytes() if p.exists() else None) for p in (text_path, sidecar, corpus.meta)}
    try:
        old_meta = saved[corpus.meta] or b""
        meta_text = old_meta.decode("utf-8")
        block = entry_block(entry)
        if replace is None:
            new_meta = meta_text.rstrip("\n") + "\n\n" + block
        else:
            new_meta = replace_block(corpus.meta, meta_text, replace, block)
        _write_atomic(text_path, result.text.encode("utf-8"))
        if result.pages is not None:
            _write_atomic(sidecar, json.dumps([list(p) for p in result.pages]).encode("utf-8"))
        else:
            sidecar.unlink(missing_ok=True)
        validate_entry(corpus.meta, corpus.root, new_meta, entry["id"])
        _write_atomic(corpus.meta, new_meta.encode("utf-8"))
    except BaseException:
        for p, data in saved.items():
            if data is None:
                p.unlink(missing_ok=True)
            else:
                _write_atomic(p, data)
        raise


def _ingest_one(
    settings: Any, corpus: _Corpus, path: Path, overrides: dict[str, Any], replace: str | None
) -> FileOutcome:
    started = time.perf_counter()
    outcome = FileOutcome(path=str(path), status="refused")
    try:
        if replace is not None and replace not in corpus.reports:
            raise ReaderError(
                path, f"cannot replace report {replace!r}: no such id", "Check the id with `amicall-kg status`"
            )
        result = read_file(path, settings)
        outcome.format, outcome.chars = result.format, len(result.text)
        outcome.pages = len(result.pages) if result.pages is not None else None
        source_sha = _sha256(path.read_bytes())
        text_sha = _sha256(result.text.encode("utf-8"))
        same = corpus.by_source.get(source_sha) or corpus.by_text.get(text_sha)
        if same is not None and (replace is None or same == replace):
            outcome.status, outcome.id = "duplicate", same
            outcome.reason = f"same content as report {same!r}; not added again"
            return outcome
        previous = corpus.reports.get(replace) if replace else None
        entry, notes = compose_entry(path, result, overrides, corpus.taken, previous, source_sha)
        _store(corpus, path, result, entry, replace)
        corpus.reports[entry["id"]] = load_corpus_entry(corpus.root, entry["id"])
        corpus.remember(entry["id"], source_sha, text_sha)
        outcome.status = "replaced" if replace else "added"
        outcome.id, outcome.notes = entry["id"], result.notes + notes
    except AmicallError as exc:
        outcome.reason = str(exc)
    except OSError as exc:
        outcome.reason = f"{path}: could not be stored in the corpus ({exc}); nothing was changed. Fix and retry"
    finally:
        outcome.seconds = round(time.perf_counter() - started, 3)
    return outcome


def load_corpus_entry(root: Path, report_id: str) -> Report:
    """The corpus' current ``Report`` for an id (after a successful write)."""
    return next(r for r in load_corpus(root) if r.id == report_id)


def ingest(
    settings: Any,
    files: list[Path],
    overrides: dict[str, Any] | None = None,
    build: bool = True,
    progress: Progress | None = None,
    replace: str | None = None,
) -> IngestResult:
    """Add ``files`` to ``settings.corpus`` (or, with ``replace``, update that report from the one file).

    ``overrides`` sets metadata (``id``, ``title``, ``authors``, ``year``, ``publisher``, ``source``,
    ``language``, ``licence``) over what the file says. Then runs an incremental build if anything
    changed and ``build`` is true; a build failure is reported in ``build_error``, the ingested files stay.
    """
    overrides = {k: v for k, v in (overrides or {}).items() if v not in (None, "", [])}
    if replace is not None and len(files) != 1:
        raise ReaderError(replace, "--replace takes exactly one file", "Give the one new version of the report")
    if len(files) > 1 and ({"id", "title"} & set(overrides)):
        raise ReaderError(
            ", ".join(map(str, files)), "an id or title given for several files", "Ingest them one at a time"
        )
    root = Path(settings.corpus)
    root.mkdir(parents=True, exist_ok=True)
    outcomes: list[FileOutcome] = []
    with _corpus_lock(root):
        corpus = _Corpus(root)
        for number, path in enumerate(files):
            if progress:
                progress("ingest", number, len(files))
            outcomes.append(_ingest_one(settings, corpus, Path(path), overrides, replace))
        if progress:
            progress("ingest", len(files), len(files))
    result = IngestResult(files=outcomes)
    if build and result.changed:
        try:
            from . import build as build_module

            result.build = build_module.build(settings, progress=progress)
        except AmicallError as exc:
            result.build_error = str(exc)
    return result
