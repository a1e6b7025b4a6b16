"""The corpus: report files plus one human-editable metadata file, ``reports.toml``.

Loading validates every entry and names the file and field at fault, so a typo in
the metadata is found before a build starts rather than halfway through it.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import CorpusError, MetadataError

METADATA_FILE = "reports.toml"
REPORT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
REQUIRED = ("id", "file", "title", "authors", "year", "publisher", "source", "language", "licence")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Report:
    """One report of the corpus and its metadata."""

    id: str
    file: str
    title: str
    authors: tuple[str, ...]
    year: int
    publisher: str
    source: str
    language: str
    licence: str
    path: Path = field(compare=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def text(self) -> str:
        """The report's text as stored in the corpus (UTF-8)."""
        return self.path.read_text(encoding="utf-8")

    def pages(self) -> list[tuple[int, int]] | None:
        """Character ranges of each page, from ``<file>.pages.json`` beside the text, if any.

        Readers of paged formats (PDF) write this map so passages can cite pages.
        """
        sidecar = self.path.with_name(self.path.name + ".pages.json")
        if not sidecar.is_file():
            return None
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        return [(int(a), int(b)) for a, b in data]

    def page_at(self, offset: int) -> int | None:
        """1-based page holding the character at ``offset``, or None for unpaged sources."""
        pages = self.pages()
        if not pages:
            return None
        for number, (start, end) in enumerate(pages, 1):
            if start <= offset < end:
                return number
        return None

    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = list(self.authors)
        data["path"] = str(self.path)
        data.update(data.pop("extra"))
        return data


def _check_str(meta: Path, entry: dict[str, Any], name: str) -> str:
    value = entry.get(name)
    if value is None:
        raise MetadataError(meta, name, f"is missing in report {entry.get('id', '?')!r}; add it")
    if not isinstance(value, str) or not value.strip():
        raise MetadataError(meta, name, f"must be a non-empty string in report {entry.get('id', '?')!r}")
    return value.strip()


def _parse_entry(meta: Path, root: Path, entry: dict[str, Any]) -> Report:
    report_id = _check_str(meta, entry, "id")
    if not REPORT_ID.match(report_id):
        raise MetadataError(
            meta, "id", f"{report_id!r} must be lowercase letters, digits and hyphens (at most 80 characters)"
        )
    values = {name: _check_str(meta, entry, name) for name in REQUIRED if name not in ("id", "authors", "year")}
    authors = entry.get("authors")
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not authors or not all(isinstance(a, str) and a.strip() for a in authors):
        raise MetadataError(meta, "authors", f"must be a non-empty list of names in report {report_id!r}")
    year = entry.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1800 <= year <= 2100:
        raise MetadataError(meta, "year", f"must be a whole year such as 2012 in report {report_id!r}")
    if not LANGUAGE.match(values["language"]):
        raise MetadataError(meta, "language", f"must be a language code such as 'en' in report {report_id!r}")
    path = (root / values["file"]).resolve()
    if root.resolve() not in path.parents:
        raise MetadataError(meta, "file", f"must be a path inside {root} in report {report_id!r}")
    if not path.is_file():
        raise MetadataError(meta, "file", f"names {values['file']!r}, which does not exist, in report {report_id!r}")
    extra = {k: v for k, v in entry.items() if k not in REQUIRED}
    return Report(
        id=report_id,
        authors=tuple(a.strip() for a in authors),
        year=year,
        path=path,
        extra=extra,
        **values,
    )


def load_corpus(root: Path) -> list[Report]:
    """Read and validate ``root/reports.toml``; return the reports in file order."""
    meta = root / METADATA_FILE
    if not root.is_dir():
        raise CorpusError(f"Corpus folder {root} does not exist. Pass --corpus DIR or set AMICALL_CORPUS.")
    if not meta.is_file():
        raise CorpusError(f"{meta} is missing. Create it with one [[report]] table per report (see README).")
    try:
        data = tomllib.loads(meta.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{meta} is not valid TOML ({exc}). Fix the syntax and try again.") from None
    entries = data.get("report", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise MetadataError(meta, "report", "must be a list of [[report]] tables")
    reports = [_parse_entry(meta, root, entry) for entry in entries]
    seen: set[str] = set()
    for report in reports:
        if report.id in seen:
            raise MetadataError(meta, "id", f"{report.id!r} is used by two reports; ids must be unique")
        seen.add(report.id)
    return reports
