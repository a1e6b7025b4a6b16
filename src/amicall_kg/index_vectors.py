"""Embeddings saved beside each index, so the next build encodes only texts it has not seen.

Each index folder keeps ``vectors.npy`` (float32, one row per record, no pickle) and
``text_sha256.json`` (the sha256 of the exact text each row encodes). A build looks up every
text's hash among the previous version's vectors and encodes only the new ones. The previous
vectors are used only when that folder's ``config.json`` names the same encoder and dimension
and its checksums of both files hold; otherwise everything is encoded again (never an error:
the build can always recompute).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .encoder import Encoder
from .manifest import sha256_file

VECTORS = "vectors.npy"
TEXT_HASHES = "text_sha256.json"
_CONFIG = "config.json"
_SHA = re.compile(r"[0-9a-f]{64}")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def save_vectors(folder: Path, vectors: np.ndarray, hashes: list[str]) -> None:
    """Write the rows and the hash of each row's text (the index's config.json checksums both)."""
    np.save(folder / VECTORS, np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
    (folder / TEXT_HASHES).write_text(json.dumps(hashes), encoding="utf-8")


@dataclass
class VectorCache:
    """Vectors of a previous build by text hash, and why there are none when refused."""

    rows: dict[str, int] = field(default_factory=dict)
    matrix: np.ndarray | None = None
    refused: str = ""  # empty when reused or when there was no previous index

    def get(self, digest: str) -> np.ndarray | None:
        row = self.rows.get(digest)
        return None if row is None or self.matrix is None else self.matrix[row]


def previous_vectors(folder: Path | None, encoder: Encoder) -> VectorCache:
    """The vectors saved in ``folder`` (a previous version's index) if they can be trusted for ``encoder``."""
    if folder is None or not folder.is_dir():
        return VectorCache()
    try:
        return _load(folder, encoder)
    except _Refused as exc:
        return VectorCache(refused=f"previous vectors in {folder} not reused: {exc}")


class _Refused(Exception):
    """Why a previous index's vectors are not reused."""


def _load(folder: Path, encoder: Encoder) -> VectorCache:
    try:
        config = json.loads((folder / _CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _Refused(f"{_CONFIG} unreadable ({exc})") from None
    if not isinstance(config, dict):
        raise _Refused(f"{_CONFIG} is not a JSON object")
    if config.get("model") != encoder.name or config.get("dimension") != encoder.dimension:
        raise _Refused(
            f"built with {config.get('model')!r} ({config.get('dimension')} dimensions), "
            f"now {encoder.name!r} ({encoder.dimension})"
        )
    files = config.get("files")
    if not isinstance(files, dict):
        raise _Refused(f"{_CONFIG} lists no checksums")
    for name in (VECTORS, TEXT_HASHES):
        path = folder / name
        if name not in files or not path.is_file():
            raise _Refused(f"{name} missing")
        if sha256_file(path) != files[name]:
            raise _Refused(f"{name} does not match its checksum")
    try:
        hashes = json.loads((folder / TEXT_HASHES).read_text(encoding="utf-8"))
        matrix = np.load(folder / VECTORS, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise _Refused(f"unreadable ({exc})") from None
    if not isinstance(hashes, list) or not all(isinstance(h, str) and _SHA.fullmatch(h) for h in hashes):
        raise _Refused(f"{TEXT_HASHES} is not a list of sha256 digests")
    if matrix.dtype != np.float32 or matrix.ndim != 2 or matrix.shape != (len(hashes), encoder.dimension):
        raise _Refused(f"{VECTORS} has shape {matrix.shape} ({matrix.dtype}) for {len(hashes)} texts")
    if not np.isfinite(matrix).all():
        raise _Refused(f"{VECTORS} holds non-finite values")
    return VectorCache(rows={h: i for i, h in enumerate(hashes)}, matrix=matrix)


def embed(texts: list[str], encoder: Encoder, cache: VectorCache) -> tuple[np.ndarray, int, int]:
    """(vectors, texts encoded, rows reused): cached rows reused, the other distinct texts encoded in one call."""
    hashes = [text_sha256(t) for t in texts]
    vectors = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    todo: dict[str, list[int]] = {}
    for row, digest in enumerate(hashes):
        known = cache.get(digest)
        if known is None:
            todo.setdefault(digest, []).append(row)
        else:
            vectors[row] = known
    if todo:
        fresh = encoder.encode([texts[rows[0]] for rows in todo.values()])
        for rows, vector in zip(todo.values(), fresh, strict=True):
            vectors[rows] = vector
    return vectors, len(todo), len(texts) - sum(len(rows) for rows in todo.values())
