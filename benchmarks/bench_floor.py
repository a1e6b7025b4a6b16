"""Build speed against its floor: the raw spaCy and encoder work the same build has to do.

On a copy of the bundled corpus in a temporary folder (the project's ``indexes/`` is never touched):

* **build**: ``build(settings, force=True)`` with the real parts, in a fresh process;
* **floor** (the baseline, measured in the same run, also in a fresh process): load the same spaCy
  pipeline extraction loads (``spacy.load(model, exclude=[parser, lemmatizer])``, no custom
  components), ``nlp.pipe`` over the same blocks extraction pipes (``extract.segment`` of every
  report), then load the same encoder and encode the very passage and practice texts the build
  just indexed (read back from its ``records.jsonl``), with the same batch size;
* **no-op** rebuild, as an ``amicall-kg build`` process (what a user waits for) and in-process;
* **incremental** build after one report changes (a paragraph appended).

Build and floor alternate ``--repeat`` times so both see the same machine load; the ratio
build/floor (target <= 1.3) is computed from their medians. Each child also reports its stage
times, so where the build loses time against the floor is visible. ``--profile`` runs one more
build under pyinstrument and writes the text profile to ``benchmarks/results/``.

    .venv/bin/python benchmarks/bench_floor.py [--repeat 2] [--profile]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    RESULTS,
    ROOT,
    Result,
    StagePeaks,
    load,
    offline,
    peak_rss_mib,
    repeat_times,
    snapshot_code,
    timed,
    write_result,
)

PYTHON = sys.executable
CLI = str(Path(sys.executable).parent / "amicall-kg")


def _settings(work: Path, **overrides: Any) -> Any:
    from amicall_kg.settings import load_settings

    return load_settings(overrides={"corpus": work / "corpus", "indexes": work / "indexes", **overrides})


def corpus_words(corpus: Path) -> int:
    """Whitespace-separated words in every report of the corpus."""
    from amicall_kg.corpus import load_corpus

    return sum(len(r.text().split()) for r in load_corpus(corpus))


def run_build(work: Path, force: bool = True, profile: Path | None = None, **parts: Any) -> dict[str, Any]:
    """One build of ``work/corpus`` into ``work/indexes``; seconds, stage timings and counts."""
    from amicall_kg.build import build

    settings = _settings(work)
    profiler = None
    if profile is not None:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    with StagePeaks() as peaks:
        seconds, result = timed(lambda: build(settings, force=force, progress=peaks, **parts))
    if profiler is not None:
        profiler.stop()
        assert profile is not None
        profile.write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    return {
        "seconds": seconds,
        "noop": result.noop,
        "extracted": result.extracted,
        "timings": result.timings,
        "counts": result.counts,
        "index_counts": result.index_counts,
        "peak_rss_mib": peak_rss_mib(),
        "stage_peak_rss_mib": {stage: round(mib) for stage, mib in peaks.peaks.items()},
    }


def _passage_and_practice_texts(version: Path) -> list[str]:
    """The texts the build encoded: passages (with their section heading) and practices."""
    from amicall_kg.index import PASSAGES, PRACTICES, RECORDS, read_records

    texts = []
    for p in read_records(version / PASSAGES / RECORDS):
        texts.append(f"{p['section']}\n{p['text']}" if p.get("section") else p["text"])
    texts += [p["text"] for p in read_records(version / PRACTICES / RECORDS)]
    return texts


def run_floor(work: Path, blank: bool = False, encoder: Any = None) -> dict[str, Any]:
    """Raw spaCy over the extraction's blocks plus raw encoding of the built version's texts."""
    from amicall_kg.corpus import load_corpus

    try:
        from amicall_kg.segments import segment
    except ImportError:  # older layout: segment() lived in extract.py
        from amicall_kg.extract import segment  # type: ignore[attr-defined]
    from amicall_kg.versions import current_version

    settings = _settings(work)
    out: dict[str, Any] = {}
    started = time.perf_counter()
    import spacy

    nlp = spacy.blank("en") if blank else spacy.load(settings.spacy_model, exclude=["parser", "lemmatizer"])
    out["spacy_load"] = time.perf_counter() - started
    blocks = [b.text for r in load_corpus(settings.corpus) for b in segment(r.text())]
    out["blocks"] = len(blocks)
    out["spacy_pipe"], _ = timed(lambda: sum(1 for _ in nlp.pipe(blocks, batch_size=64)))
    version = current_version(settings.indexes)
    if version is None:
        raise SystemExit("the floor needs a built version in the work folder: run the build first")
    texts = _passage_and_practice_texts(version)
    out["texts"] = len(texts)
    at = time.perf_counter()
    if encoder is None:
        from sentence_transformers import SentenceTransformer

        from amicall_kg.encoder import model_path

        model = SentenceTransformer(str(model_path(settings.encoder_model)), device="cpu")
        out["encoder_load"] = time.perf_counter() - at
        size = int(settings.encoder_batch_size)
        out["encode"], _ = timed(
            lambda: model.encode(texts, batch_size=size, convert_to_numpy=True, normalize_embeddings=True)
        )
    else:
        out["encoder_load"] = 0.0
        out["encode"], _ = timed(lambda: encoder.encode(texts))
    out["seconds"] = time.perf_counter() - started
    out["peak_rss_mib"] = peak_rss_mib()
    return out


def _child(kind: str, work: Path, extra: list[str] | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run this script as a fresh process doing one ``kind`` step; its JSON answer and wall time."""
    cmd = [PYTHON, __file__, "--child", kind, "--work", str(work), *(extra or [])]
    wall, proc = timed(lambda: subprocess.run(cmd, capture_output=True, text=True, env=env))
    if proc.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{proc.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall"] = wall
    data["load"] = round(load(), 2)
    return data


def touch_report(corpus: Path, number: int) -> None:
    """Append a paragraph to the first report so exactly one report must be extracted again."""
    path = sorted((corpus / "reports").glob("*.txt"))[0]
    text = path.read_text(encoding="utf-8").split("\n\nBenchmark paragraph")[0]
    path.write_text(text + f"\n\nBenchmark paragraph {number}: the town council ran a festival.\n", encoding="utf-8")


def noop_cli(work: Path, repeat: int, env: dict[str, str] | None = None) -> list[float]:
    """Wall seconds of ``amicall-kg build`` processes that find nothing to do."""
    cmd = [CLI, "build", "--corpus", str(work / "corpus"), "--indexes", str(work / "indexes")]

    def once() -> None:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
        if "Nothing changed" not in proc.stdout:
            raise SystemExit(f"expected a no-op build, got:\n{proc.stdout}{proc.stderr}")

    return repeat_times(once, repeat)


def measure(work: Path, repeat: int, profile: bool, noop_repeat: int = 3, freeze: bool = True) -> Result:
    """Every figure of this benchmark on the corpus in ``work/corpus`` (built into ``work/indexes``).

    With ``freeze`` the children run a frozen copy of the code and ontology (``work/code``), so an
    edit to the tree during the run cannot turn a no-op into a full rebuild. Partial results are
    written after each step.
    """
    env = snapshot_code(work / "code") if freeze else None
    result = Result("bench_floor")
    words = corpus_words(work / "corpus")
    result.add("words", words)
    builds, floors = [], []
    for _ in range(repeat):
        builds.append(_child("build", work, env=env))
        floors.append(_child("floor", work, env=env))
        result.add("build_runs", builds)
        result.add("floor_runs", floors)
        write_result(result)
    build_s = statistics.median(b["seconds"] for b in builds)
    floor_s = statistics.median(f["seconds"] for f in floors)
    result.add("build_seconds", build_s)
    result.add("floor_seconds", floor_s)
    result.add("build_words_per_s", words / build_s)
    result.add("floor_words_per_s", words / floor_s)
    result.add("ratio_build_to_floor", build_s / floor_s)
    result.add("build_wall_seconds", statistics.median(b["wall"] for b in builds))
    result.add("floor_wall_seconds", statistics.median(f["wall"] for f in floors))

    result.add("noop_in_process", _child("noop", work, env=env)["seconds"])
    result.add("noop_cli_runs", noop_cli(work, noop_repeat, env))
    result.add("noop_cli_median", statistics.median(result.figures["noop_cli_runs"]))
    write_result(result)

    touch_report(work / "corpus", 1)
    result.add("incremental", _child("incremental", work, env=env))
    write_result(result)
    if profile:
        RESULTS.mkdir(parents=True, exist_ok=True)
        target = RESULTS / "bench_floor_profile.txt"
        result.add("profiled_build", _child("build", work, ["--profile-to", str(target)], env=env))
        result.notes.append(f"pyinstrument profile of one full build: {target}")
    return result


def report(result: Result) -> str:
    """The figures as a small table."""
    f = result.figures
    lines = [
        f"bench_floor: {f['words']} words; build and floor alternated {len(f['build_runs'])}x "
        f"(load at start {result.host['load_at_start']}, cpus {result.host['cpus']})",
        f"{'case':<44}{'median':>10}  {'words/s':>9}  load",
        f"{'floor: raw spaCy pipe + raw encoding [base]':<44}{f['floor_seconds']:>9.1f}s  "
        f"{f['floor_words_per_s']:>9.0f}  {result.loads['floor_seconds']}",
        f"{'full build (--force), real parts':<44}{f['build_seconds']:>9.1f}s  "
        f"{f['build_words_per_s']:>9.0f}  {result.loads['build_seconds']}",
        f"ratio build/floor: {f['ratio_build_to_floor']:.2f} (target <= 1.3)",
    ]
    for run in f["floor_runs"]:
        parts = ("spacy_load", "spacy_pipe", "encoder_load", "encode")
        lines.append("  floor run: " + ", ".join(f"{k} {run[k]:.1f}s" for k in parts) + f" (load {run['load']})")
    for run in f["build_runs"]:
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in run["timings"].items() if v >= 0.05)
        lines.append(f"  build run: {run['seconds']:.1f}s: {stages} (load {run['load']})")
    lines.append(f"no-op build in-process: {f['noop_in_process'] * 1000:.0f} ms")
    lines.append(f"no-op `amicall-kg build` process: median {f['noop_cli_median']:.2f}s (target < 2 s)")
    inc = f["incremental"]
    stages = ", ".join(f"{k} {v:.1f}s" for k, v in inc["timings"].items() if v >= 0.05)
    lines.append(f"incremental, one report changed: {inc['seconds']:.1f}s ({stages}) (load {inc['load']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> Result | None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="build/floor pairs (each is a real full build)")
    parser.add_argument("--profile", action="store_true", help="profile one more full build with pyinstrument")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--keep", type=Path, help="work in this new folder and keep it (corpus/ and indexes/)")
    parser.add_argument("--child", choices=("build", "floor", "noop", "incremental"), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    offline()
    if args.child:
        if args.child == "floor":
            data = run_floor(args.work)
        else:
            data = run_build(args.work, force=args.child == "build", profile=args.profile_to)
            if (args.child == "noop") != data["noop"]:
                raise SystemExit(f"unexpected build outcome for {args.child}: {data}")
        print(json.dumps(data, default=str))
        return None
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        work = args.keep or Path(tmp)
        shutil.copytree(args.corpus, work / "corpus")
        result = measure(work, args.repeat, args.profile)
    print(report(result))
    print(f"written {write_result(result)}")
    return result


if __name__ == "__main__":
    main()
