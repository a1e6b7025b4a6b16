"""Built versions under the indexes folder, published by an atomic switch.

Layout::

    indexes/
      CURRENT               name of the version in service (replaced atomically)
      versions/<name>/      one complete build: manifest.json, graph, indexes

A build writes a new folder and only then replaces ``CURRENT`` with ``os.replace``,
so readers never see a half-written version and a crash leaves the old one serving.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import IntegrityError, NoBuildError

CURRENT = "CURRENT"
VERSIONS = "versions"
MANIFEST = "manifest.json"


def current_version(indexes: Path) -> Path | None:
    """The folder of the version in service, or None when nothing was built."""
    pointer = indexes / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    folder = indexes / VERSIONS / name
    return folder if name and (folder / MANIFEST).is_file() else None


def require_version(indexes: Path) -> Path:
    """Like ``current_version`` but raises a helpful error when there is none."""
    folder = current_version(indexes)
    if folder is None:
        raise NoBuildError(indexes)
    return folder


def read_manifest(version: Path) -> dict[str, Any]:
    try:
        data = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IntegrityError(
            f"{version / MANIFEST} is unreadable ({exc}). Run `amicall-kg build --force` to rebuild."
        ) from None
    if not isinstance(data, dict):
        raise IntegrityError(f"{version / MANIFEST} is not a JSON object. Run `amicall-kg build --force`.")
    return data


def publish(indexes: Path, version: Path) -> None:
    """Make ``version`` (a folder under ``indexes/versions``) the one in service, atomically."""
    if version.parent != indexes / VERSIONS:
        raise ValueError(f"{version} is not under {indexes / VERSIONS}")
    tmp = indexes / f".{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(version.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, indexes / CURRENT)
    dir_fd = os.open(indexes, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
