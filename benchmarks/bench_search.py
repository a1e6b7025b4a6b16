"""Warm ``similar`` latency on the bundled corpus and on the corpus replicated N times.

Usage: ``.venv/bin/python benchmarks/bench_search.py [--replicas 100] [--repeat 5]``

The base index is built once with the real encoder from the bundled corpus and the practices
of the version in service (or, without a build, one synthetic practice per five passages).
The replicated index reuses the base embeddings (tiled, with a little noise, re-normalised)
so it is cheap to make; its BM25 and records are really N times larger. Figures are medians
of warm queries; the baseline is one raw query encoding measured in the same process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from amicall_kg.corpus import load_corpus
from amicall_kg.encoder import Encoder, load_encoder, normalise
from amicall_kg.index import PASSAGES, PRACTICES, build_indexes, load_index, write_index
from amicall_kg.manifest import sha256_json
from amicall_kg.search import Searcher
from amicall_kg.settings import Settings, load_settings
from amicall_kg.versions import current_version

QUERIES = [
    "A small town in eastern Germany where far-right groups are growing",
    "Rumours about newcomers spread; we want volunteers to counter them",
    "Our city wants a festival that brings all communities together",
    "We need mediation between residents and a new mosque",
    "Refugees arrived suddenly in our village and residents are worried",
    "How can the council work with local journalists on migration stories?",
]


def _practices(settings: Settings) -> list[dict[str, Any]]:
    version = current_version(settings.indexes)
    records = version / PRACTICES / "records.jsonl" if version else None
    if records and records.is_file():
        rows = [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [{k: v for k, v in r.items() if k != "text"} for r in rows]
    return []


def _synthetic_practices(passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n, p in enumerate(passages[::5]):
        evidence = {k: p[k] for k in ("report", "passage", "text", "start", "end", "page")}
        words = " ".join(p["text"].split()[:6])
        out.append({"iri": f"urn:bench:practice:{n}", "label": words, "evidence": [evidence], "population": 10_000 * n})
    return out


def _median_ms(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _replicate(base: Path, target: Path, replicas: int, settings: Settings, encoder: Encoder) -> None:
    rng = np.random.default_rng(0)
    for kind in (PASSAGES, PRACTICES):
        index = load_index(base / kind, settings, encoder)
        vectors = index.dense_index.reconstruct_n(0, index.dense_index.ntotal)
        records: list[dict[str, Any]] = []
        for r in range(replicas):
            for record in index.records:
                copy = dict(record)
                if kind == PRACTICES:
                    copy["iri"] = f"{record['iri']}/copy{r}"
                else:
                    copy["practices"] = [f"{iri}/copy{r}" for iri in record.get("practices", [])]
                records.append(copy)
        tiled = np.tile(vectors, (replicas, 1)) + rng.normal(0, 0.01, (len(records), vectors.shape[1]))
        texts = [str(r.get("text", "")) for r in records]
        inputs = {"practices": sha256_json(replicas), "passages": sha256_json(replicas), "reports": {}}
        write_index(target / kind, kind, texts, records, encoder, settings, inputs, vectors=normalise(tiled))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicas", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = load_settings()
    encoder = load_encoder(settings)
    reports = load_corpus(settings.corpus)
    practices = _practices(settings)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        if not practices:
            from amicall_kg.index import build_passages

            practices = _synthetic_practices(build_passages(reports, [], settings.passage_sentences))
        counts = build_indexes(base, reports, practices, settings, encoder)
        big = Path(tmp) / "big"
        big.mkdir()
        _replicate(base, big, args.replicas, settings, encoder)
        encode_ms = statistics.median(_median_ms(lambda q=q: encoder.encode([q]), args.repeat) for q in QUERIES)
        print(f"raw query encoding (baseline): {encode_ms:.1f} ms")
        for name, folder, n in (("bundled", base, 1), (f"{args.replicas}x", big, args.replicas)):
            searcher = Searcher(folder, settings, encoder)
            for q in QUERIES:  # warm up
                searcher.similar(q, 5)
            similar_ms = statistics.median(
                _median_ms(lambda q=q, s=searcher: s.similar(q, 5), args.repeat) for q in QUERIES
            )
            ask_ms = statistics.median(_median_ms(lambda q=q, s=searcher: s.ask(q, 5), args.repeat) for q in QUERIES)
            print(
                f"{name:>8}: {counts['passages'] * n:>7} passages, {counts['practices'] * n:>6} practices  "
                f"similar {similar_ms:6.1f} ms ({similar_ms / encode_ms:4.1f}x encoding)  "
                f"ask {ask_ms:6.1f} ms ({ask_ms / encode_ms:4.1f}x encoding)"
            )


if __name__ == "__main__":
    main()
