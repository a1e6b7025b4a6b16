"""Warm query latency against its floor: one raw query encoding, measured in the same process.

Loads the version in service of ``--indexes`` once (as the app and ``--queries`` batches do), warms
up, then for every query in turn times, interleaved so all three see the same machine load:

* **encode** (the baseline): the bare sentence-transformers model encoding the query alone
  (``SentenceTransformer.encode([q])`` on one torch thread, the fastest raw way for one query on
  this machine; what any semantic search must pay). The same call on torch's default threads is
  timed afterwards for reference;
* **similar**: ``search.similar(settings, q, top_k)`` through the public core function;
* **ask**: ``search.ask(settings, q, top_k)``.

Prints median, p50 and p95 of each and the ratio similar/encode (target <= 3). ``--profile`` runs
the similar queries once more under pyinstrument and writes the profile to ``benchmarks/results/``.

    .venv/bin/python benchmarks/bench_query.py --indexes DIR [--repeat 5] [--profile]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, Result, load, offline, peak_rss_mib, seconds_of, summary, write_result

# Generic situations and questions (no names from the bundled reports), as practitioners would type them.
SITUATIONS = [
    "A small town where far-right groups are growing and residents distrust newcomers",
    "Rumours about migrants spread on social media; we want volunteers to counter them",
    "Our city wants a festival that brings all communities together",
    "Tension between residents and a new place of worship needs mediation",
    "Refugees arrived suddenly in our village and people are worried",
    "The council wants to work with local journalists on stories about migration",
    "Young people from migrant families feel isolated; we want sport to bring them in",
    "Train front-line council staff to deal with a diverse public",
]
QUESTIONS = [
    "How do councils use local media to change attitudes to migrants?",
    "What role do volunteers play in countering rumours?",
    "How are smaller municipalities planning for integration?",
    "What happened after a violent incident in a neighbourhood?",
    "Which practices use intercultural festivals?",
    "How was dialogue organised between residents and newcomers?",
]


def raw_encoder(encoder: Any, threads: int | None = 1) -> Callable[[str], Any]:
    """Encode one query with the bare sentence-transformers model (else the encoder as is).

    ``threads=1`` runs torch on one thread for the call: for a single query that is the fastest
    raw configuration on a small, busy machine, so it is the floor; ``None`` keeps torch's default.
    """
    model = getattr(encoder, "_model", None)
    if model is None or not hasattr(model, "encode"):
        return lambda q: encoder.encode([q])

    def encode(q: str) -> Any:
        return model.encode([q], convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)

    if threads is None:
        return encode
    import torch

    def on_threads(q: str) -> Any:
        before = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            return encode(q)
        finally:
            torch.set_num_threads(before)

    return on_threads


def interleaved(
    encode: Callable[[str], Any],
    similar: Callable[[str], Any],
    ask: Callable[[str], Any],
    repeat: int,
    situations: list[str] = SITUATIONS,
    questions: list[str] = QUESTIONS,
) -> dict[str, dict[str, float]]:
    """Warm up, then time encode / similar / ask one query after another (same load for all three)."""
    for q in situations:
        encode(q)
        similar(q)
    for q in questions:
        ask(q)
    times: dict[str, list[float]] = {"encode": [], "similar": [], "ask": []}
    for _ in range(repeat):
        for n, q in enumerate(situations):
            times["encode"].append(seconds_of(encode, q))
            times["similar"].append(seconds_of(similar, q))
            times["ask"].append(seconds_of(ask, questions[n % len(questions)]))
    return {name: summary(values) for name, values in times.items()}


def query_latencies(settings: Any, repeat: int, top_k: int = 5, encoder: Any = None) -> dict[str, Any]:
    """Cold load, then warm encode / similar / ask timings (seconds) through the core functions."""
    from amicall_kg import search
    from amicall_kg.encoder import load_encoder

    started = time.perf_counter()
    enc = encoder or load_encoder(settings)
    cold_encoder = time.perf_counter() - started
    cold_searcher = seconds_of(search.get_searcher, settings, encoder)

    def similar(q: str) -> Any:
        return search.similar(settings, q, top_k, encoder=encoder)

    def ask(q: str) -> Any:
        return search.ask(settings, q, top_k, encoder=encoder)

    figures = interleaved(raw_encoder(enc), similar, ask, repeat)
    default_threads = raw_encoder(enc, threads=None)
    for q in SITUATIONS[:2]:
        default_threads(q)
    figures["encode_default_threads"] = summary([seconds_of(default_threads, q) for q in SITUATIONS * repeat])
    return {"load_encoder_s": cold_encoder, "load_indexes_s": cold_searcher, **figures}


def profile_similar(settings: Any, situations: list[str], top_k: int, target: Path, encoder: Any = None) -> Path:
    """A pyinstrument profile of warm ``similar`` calls, written as text to ``target``."""
    from pyinstrument import Profiler

    from amicall_kg import search

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(5):
        for q in situations:
            search.similar(settings, q, top_k, encoder=encoder)
    profiler.stop()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
    return target


def measure(settings: Any, repeat: int, top_k: int = 5, profile: bool = False, encoder: Any = None) -> Result:
    result = Result("bench_query")
    lat = query_latencies(settings, repeat, top_k, encoder)
    for key, value in lat.items():
        result.add(key, value)
    result.add("ratio_similar_to_encode", lat["similar"]["median"] / lat["encode"]["median"])
    result.add("ratio_ask_to_encode", lat["ask"]["median"] / lat["encode"]["median"])
    result.add("peak_rss_mib", peak_rss_mib())
    if profile:
        path = profile_similar(settings, SITUATIONS, top_k, RESULTS / "bench_query_profile.txt", encoder)
        result.notes.append(f"pyinstrument profile of warm similar: {path}")
    return result


def report(result: Result) -> str:
    f = result.figures
    ms = 1000.0
    lines = [
        f"bench_query: {int(f['encode']['n'])} timings each, load {result.loads['encode']} "
        f"on {result.host['cpus']} cpus",
        f"cold: encoder load {f['load_encoder_s']:.2f}s, indexes load {f['load_indexes_s']:.2f}s",
        f"{'':<28}{'median':>9}{'p50':>9}{'p95':>9}",
    ]
    for name, label in (
        ("encode", "raw encoding, 1 thread [base]"),
        ("encode_default_threads", "raw encoding, torch default"),
        ("similar", "similar (warm)"),
        ("ask", "ask (warm)"),
    ):
        s = f[name]
        lines.append(f"{label:<28}{s['median'] * ms:>7.1f}ms{s['p50'] * ms:>7.1f}ms{s['p95'] * ms:>7.1f}ms")
    lines.append(
        f"ratio similar/encode {f['ratio_similar_to_encode']:.2f} (target <= 3); ask/encode "
        f"{f['ratio_ask_to_encode']:.2f}; peak RSS {f['peak_rss_mib']:.0f} MiB"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--indexes", type=Path, help="folder with a built version (default: the project's)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    offline()
    from amicall_kg.settings import load_settings

    settings = load_settings(overrides={"indexes": args.indexes} if args.indexes else {})
    result = measure(settings, args.repeat, args.top, args.profile)
    print(report(result))
    print(f"written {write_result(result)}  (load now {load():.2f})")
    return result


if __name__ == "__main__":
    main()
