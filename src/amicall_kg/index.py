"""Passage and practice indexes: FAISS (dense) + BM25 (lexical) + JSONL records + config.json.

Layout of each index folder (``<version>/passages/`` and ``<version>/practices/``)::

    config.json      model, dimension, index type, count, sha256 of every file and of the inputs
    records.jsonl    one record per row of the index (passage or practice)
    dense.faiss      FAISS index of the L2-normalised embeddings (inner product = cosine)
    vectors.npy      the same embeddings (float32), and text_sha256.json the hash of each row's
                     text, so the next build encodes only new texts (``index_vectors``)
    bm25/            bm25s' own save format (JSON + .npy arrays, no pickle)

Loading checks the config against the current settings and every checksum, so a
stale or tampered index is refused with a message to rebuild rather than giving
silently wrong results.
"""

from __future__ import annotations

import bisect
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .corpus import Report
from .encoder import Encoder, load_encoder
from .errors import IndexMismatchError, IntegrityError
from .index_vectors import embed, previous_vectors, save_vectors, text_sha256
from .manifest import sha256_file, sha256_json
from .search_text import clean, headings, tokenize, windows
from .settings import Settings

FORMAT = 1
PASSAGES = "passages"
PRACTICES = "practices"
CONFIG = "config.json"
RECORDS = "records.jsonl"
DENSE = "dense.faiss"
BM25_DIR = "bm25"
INDEX_TYPES = ("flat", "hnsw")
REBUILD = "Run `amicall-kg build --force` to rebuild the indexes."


def as_labels(value: Any) -> list[str]:
    """Strings from a practice field that may be a string, a list of strings or a list of dicts."""
    if value is None or value == "":
        return []
    if isinstance(value, str | int | float):
        return [str(value)]
    if isinstance(value, dict):
        for key in ("label", "type", "name", "text", "iri"):
            if value.get(key):
                return [str(value[key])]
        return []
    out: list[str] = []
    for item in value:
        out.extend(as_labels(item))
    return out


def practice_text(practice: dict[str, Any]) -> str:
    """One searchable text per practice: names and facts first (they survive model truncation), then evidence."""
    parts = [
        ". ".join(as_labels(practice.get("label")) + as_labels(practice.get("alt_labels"))),
        ", ".join(as_labels(practice.get("activity_types"))),
        ". ".join(as_labels(practice.get("catalysts"))),
        ", ".join(as_labels(practice.get("goals")) + as_labels(practice.get("target_groups"))),
        ". ".join(as_labels(practice.get("outcomes"))),
        ", ".join(as_labels(practice.get("place")) + as_labels(practice.get("country"))),
        str(practice.get("description") or ""),
    ]
    evidence = [str(e.get("text", "")) for e in practice.get("evidence") or [] if isinstance(e, dict)]
    seen: set[str] = set()
    for text in evidence:
        if text and text not in seen:
            seen.add(text)
            parts.append(clean(text))
    return "\n".join(p for p in parts if p.strip())


def _page(pages: list[tuple[int, int]] | None, offset: int) -> int | None:
    if not pages:
        return None
    for number, (start, end) in enumerate(pages, 1):
        if start <= offset < end:
            return number
    return None


def build_passages(reports: list[Report], practices: list[dict[str, Any]], sentences: int) -> list[dict[str, Any]]:
    """Passage records over every report: sentence windows with offsets, page and the practices they state."""
    evidence: dict[str, list[tuple[int, int, str]]] = {}
    for practice in practices:
        for item in practice.get("evidence") or []:
            if isinstance(item, dict) and item.get("report") is not None and item.get("start") is not None:
                evidence.setdefault(str(item["report"]), []).append(
                    (int(item["start"]), int(item.get("end") or item["start"]), str(practice["iri"]))
                )
    records: list[dict[str, Any]] = []
    for report in reports:
        text = report.text()
        pages = report.pages()
        spans = windows(text, sentences, overlap=1)
        marks = headings(text)
        starts = [m[0] for m in marks]
        ends = [s.end for s in spans]
        linked: list[list[str]] = [[] for _ in spans]
        for start, end, iri in evidence.get(report.id, []):
            index = bisect.bisect_right(ends, start)
            while index < len(spans) and spans[index].start < max(end, start + 1):
                if iri not in linked[index]:
                    linked[index].append(iri)
                index += 1
        for span, iris in zip(spans, linked, strict=True):
            before = bisect.bisect_right(starts, span.start) - 1
            if before >= 0 and marks[before][0] >= span.start:
                before -= 1  # the window starts with this heading already
            section = " / ".join(m[1] for m in marks[max(0, before - 1) : before + 1])
            records.append(
                {
                    "report": report.id,
                    "passage": f"{report.id}#{span.start}-{span.end}",
                    "text": clean(text[span.start : span.end]),
                    "start": span.start,
                    "end": span.end,
                    "page": _page(pages, span.start),
                    "practices": sorted(iris),
                    "section": section,
                }
            )
    return records


def _faiss_index(vectors: np.ndarray, index_type: str) -> Any:
    import faiss

    dim = int(vectors.shape[1])
    index: Any
    if index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    elif index_type == "flat":
        index = faiss.IndexFlatIP(dim)
    else:
        raise IndexMismatchError(f"Unknown faiss_index setting {index_type!r}; use one of {', '.join(INDEX_TYPES)}.")
    if len(vectors):
        index.add(vectors)
    return index


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): sha256_file(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != CONFIG
    }


def write_index(
    folder: Path,
    kind: str,
    texts: list[str],
    records: list[dict[str, Any]],
    encoder: Encoder,
    settings: Settings,
    inputs: dict[str, Any],
    vectors: np.ndarray | None = None,
) -> int:
    """Encode ``texts`` (unless ``vectors`` are given) and write one index folder, replacing an old one."""
    import bm25s
    import faiss

    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if vectors is None:
        vectors = encoder.encode(texts) if texts else np.zeros((0, encoder.dimension), dtype=np.float32)
    save_vectors(tmp, vectors, [text_sha256(t) for t in texts])
    faiss.write_index(_faiss_index(vectors, settings.faiss_index), str(tmp / DENSE))
    retriever = bm25s.BM25()
    retriever.index([tokenize(t) or ["\x00"] for t in texts] or [["\x00"]], show_progress=False)
    retriever.save(str(tmp / BM25_DIR))
    with open(tmp / RECORDS, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    config = {
        "format": FORMAT,
        "kind": kind,
        "model": encoder.name,
        "dimension": encoder.dimension,
        "index_type": settings.faiss_index,
        "count": len(records),
        "passage_sentences": settings.passage_sentences,
        "files": _files(tmp),
        "inputs": inputs,
    }
    (tmp / CONFIG).write_text(json.dumps(config, indent=2, sort_keys=True), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.replace(folder)
    return len(records)


def build_indexes(
    version: Path,
    reports: list[Report],
    practices: list[dict[str, Any]],
    settings: Settings,
    encoder: Encoder | None = None,
    previous: Path | None = None,
) -> dict[str, Any]:
    """Write ``<version>/passages/`` and ``<version>/practices/``; return counts.

    With ``previous`` (the version this build follows), texts whose sha256 is among that
    version's saved vectors are not encoded again: a changed report's passages and the
    practices whose description changed are. Counts: rows per index, texts ``encoded`` and
    ``reused``, and ``reuse_refused`` (why) when the previous vectors could not be trusted.
    """
    encoder = encoder or load_encoder(settings)
    passages = build_passages(reports, practices, settings.passage_sentences)
    inputs = {
        "practices": sha256_json(practices),
        "passages": sha256_json(passages),
        "reports": {r.id: r.sha256() for r in reports},
    }
    practice_records = [{**p, "text": practice_text(p)} for p in practices]
    parts = {
        PASSAGES: ([f"{p['section']}\n{p['text']}" if p["section"] else p["text"] for p in passages], passages),
        PRACTICES: ([p["text"] for p in practice_records], practice_records),
    }
    counts: dict[str, Any] = {}
    encoded = reused = 0
    refused: list[str] = []
    for kind, (texts, records) in parts.items():
        cache = previous_vectors(previous / kind if previous is not None else None, encoder)
        if cache.refused:
            refused.append(cache.refused)
        vectors, fresh, kept = embed(texts, encoder, cache)
        counts[kind] = write_index(version / kind, kind, texts, records, encoder, settings, inputs, vectors=vectors)
        encoded, reused = encoded + fresh, reused + kept
    counts.update(encoded=encoded, reused=reused)
    if refused:
        counts["reuse_refused"] = "; ".join(refused)
    return counts


@dataclass
class LoadedIndex:
    """One index folder in memory: records, FAISS index, BM25 retriever and its config."""

    folder: Path
    config: dict[str, Any]
    records: list[dict[str, Any]]
    dense_index: Any
    bm25: Any

    def __len__(self) -> int:
        return len(self.records)

    def dense(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Top ``k`` rows by cosine similarity to one query vector."""
        k = min(k, len(self.records))
        if k <= 0:
            return []
        scores, ids = self.dense_index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def lexical_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every row for the query tokens (zeros when no token is known)."""
        ids = self.bm25.get_tokens_ids(tokens)
        if not ids:
            return np.zeros(len(self.records), dtype=np.float32)
        return np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32)[: len(self.records)]

    def lexical(self, tokens: list[str], k: int) -> list[tuple[int, float]]:
        """Top ``k`` rows by BM25 score (rows scoring zero are left out)."""
        scores = self.lexical_scores(tokens)
        k = min(k, len(scores))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


def _read_config(folder: Path) -> dict[str, Any]:
    path = folder / CONFIG
    if not path.is_file():
        raise IndexMismatchError(f"{path} is missing, so the index at {folder} cannot be trusted. {REBUILD}")
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise IntegrityError(f"{path} is not valid JSON ({exc}). {REBUILD}") from None
    if not isinstance(config, dict):
        raise IntegrityError(f"{path} is not a JSON object. {REBUILD}")
    return config


def check_config(folder: Path, config: dict[str, Any], settings: Settings, encoder: Encoder) -> None:
    """Refuse an index built with another model, dimension, index type or format."""
    expected = {
        "format": FORMAT,
        "model": encoder.name,
        "dimension": encoder.dimension,
        "index_type": settings.faiss_index,
    }
    for key, want in expected.items():
        if config.get(key) != want:
            raise IndexMismatchError(
                f"The index at {folder} was built with {key}={config.get(key)!r}, "
                f"but the current settings use {key}={want!r}. {REBUILD}"
            )


def verify_files(folder: Path, config: dict[str, Any]) -> None:
    """Every file listed in config.json exists with its checksum, and no file is unlisted."""
    listed = config.get("files")
    if not isinstance(listed, dict) or not listed:
        raise IntegrityError(f"{folder / CONFIG} lists no file checksums. {REBUILD}")
    actual = _files(folder)
    for name, digest in listed.items():
        if name not in actual:
            raise IntegrityError(f"{folder / name} is missing. {REBUILD}")
        if actual[name] != digest:
            raise IntegrityError(f"{folder / name} does not match its checksum in {folder / CONFIG}. {REBUILD}")
    extra = sorted(set(actual) - set(listed))
    if extra:
        raise IntegrityError(f"{folder} holds files not listed in {CONFIG}: {', '.join(extra)}. {REBUILD}")


def read_records(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_index(folder: Path, settings: Settings, encoder: Encoder) -> LoadedIndex:
    """Load one index folder after checking its config and checksums."""
    import bm25s
    import faiss

    config = _read_config(folder)
    check_config(folder, config, settings, encoder)
    verify_files(folder, config)
    records = read_records(folder / RECORDS)
    dense_index = faiss.read_index(str(folder / DENSE))
    if dense_index.d != encoder.dimension or dense_index.ntotal != len(records) or config.get("count") != len(records):
        raise IndexMismatchError(
            f"The index at {folder} holds {dense_index.ntotal} vectors of dimension {dense_index.d} for "
            f"{len(records)} records; expected dimension {encoder.dimension}. {REBUILD}"
        )
    retriever = bm25s.BM25.load(str(folder / BM25_DIR), load_corpus=False)
    return LoadedIndex(folder, config, records, dense_index, retriever)


def load_indexes(version: Path, settings: Settings, encoder: Encoder) -> tuple[LoadedIndex, LoadedIndex]:
    """The passage and practice indexes of one version; both must come from the same inputs."""
    passages = load_index(version / PASSAGES, settings, encoder)
    practices = load_index(version / PRACTICES, settings, encoder)
    if passages.config.get("inputs") != practices.config.get("inputs"):
        raise IndexMismatchError(f"The passage and practice indexes in {version} come from different builds. {REBUILD}")
    return passages, practices
