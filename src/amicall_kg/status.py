"""What is in the corpus and what is built: the data behind ``amicall-kg status``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .corpus import load_corpus
from .settings import Settings
from .versions import current_version, read_manifest


@dataclass
class ReportStatus:
    id: str
    title: str
    year: int
    file: str
    chars: int
    built: bool


@dataclass
class Status:
    corpus: str
    indexes: str
    reports: list[ReportStatus]
    version: str | None = None
    built_at: str | None = None
    stale: bool = True
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def corpus_status(settings: Settings) -> Status:
    """Reports in the corpus, the version in service and whether it is stale."""
    reports = load_corpus(settings.corpus)
    version = current_version(settings.indexes)
    manifest = read_manifest(version) if version else {}
    built_hashes: dict[str, str] = {rid: info.get("sha256", "") for rid, info in manifest.get("reports", {}).items()}
    rows = [
        ReportStatus(
            id=r.id,
            title=r.title,
            year=r.year,
            file=r.file,
            chars=len(r.text()),
            built=built_hashes.get(r.id) == r.sha256(),
        )
        for r in reports
    ]
    stale = version is None or not all(row.built for row in rows) or set(built_hashes) != {r.id for r in rows}
    return Status(
        corpus=str(settings.corpus),
        indexes=str(settings.indexes),
        reports=rows,
        version=version.name if version else None,
        built_at=manifest.get("built_at"),
        stale=stale,
        counts=dict(manifest.get("counts", {})),
    )
