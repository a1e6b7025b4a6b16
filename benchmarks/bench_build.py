"""Build benchmark: full build, no-op build (in-process and from the CLI), incremental after one change.

Runs on a copy of the bundled corpus in a temporary folder (the project's ``indexes/`` is never
touched). By default the build machinery runs with the fake parts of the tests (rule-based
extractor, label check instead of SHACL, an indexer writing one record per line), which isolates
what the build itself costs: hashing, the store, the dump, checksums, publish. ``--real`` uses the
real spaCy pipeline, SHACL shapes and sentence-transformers indexes instead (slow; keep
``--repeat`` low). The baseline, measured in the same run, is the full build; ratios are given
against it.

    .venv/bin/python benchmarks/bench_build.py [--repeat 5] [--real]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_build_fakes import fake_parts  # noqa: E402

from amicall_kg.build import BuildResult, build  # noqa: E402
from amicall_kg.settings import Settings, load_settings  # noqa: E402


def _settings(work: Path) -> Settings:
    return load_settings(overrides={"corpus": work / "corpus", "indexes": work / "indexes"})


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, value


def _touch_report(corpus: Path, number: int) -> None:
    """Change the first report's text a little (a new paragraph), so it must be extracted again."""
    path = sorted((corpus / "reports").glob("*.txt"))[0]
    text = path.read_text(encoding="utf-8").split("\n\nBenchmark paragraph")[0]
    path.write_text(text + f"\n\nBenchmark paragraph {number}: the town council ran a festival.\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--real", action="store_true", help="real spaCy, SHACL and encoder (slow)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

    def run_build(settings: Settings, force: bool = False) -> BuildResult:
        return build(settings, force=force) if args.real else build(settings, force=force, **fake_parts())

    full, noop, noop_cli, incremental = [], [], [], []
    stages: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "corpus", work / "corpus")
        settings = _settings(work)
        cli = [str(ROOT / ".venv" / "bin" / "amicall-kg"), "build", "--corpus", str(work / "corpus")]
        cli += ["--indexes", str(work / "indexes")]
        for number in range(args.repeat):
            seconds, result = _timed(lambda: run_build(settings, force=True))
            full.append(seconds)
            counts = result.counts
            seconds, result = _timed(lambda: run_build(settings))
            assert result.noop, result.reasons
            noop.append(seconds)
            seconds, proc = _timed(lambda: subprocess.run(cli, capture_output=True, text=True, check=True))
            assert "Nothing changed" in proc.stdout, proc.stdout + proc.stderr
            noop_cli.append(seconds)
            _touch_report(work / "corpus", number)
            seconds, result = _timed(lambda: run_build(settings))
            assert not result.noop and not result.full and len(result.extracted) == 1, result.reasons
            incremental.append(seconds)
            for stage, spent in result.timings.items():
                stages.setdefault(stage, []).append(spent)

    base = statistics.median(full)
    mode = "real parts" if args.real else "fake parts"
    print(f"bench_build ({mode}), corpus: {counts}, medians of {args.repeat}")
    print(f"{'case':<34} {'median s':>9} {'ratio':>7}")
    for name, values in (
        ("full build (--force) [baseline]", full),
        ("no-op build, in-process", noop),
        ("no-op build, CLI process", noop_cli),
        ("incremental, one report changed", incremental),
    ):
        median = statistics.median(values)
        print(f"{name:<34} {median:>9.3f} {median / base:>7.3f}")
    print("incremental build, median seconds per stage:")
    print("  " + ", ".join(f"{k} {statistics.median(v):.3f}" for k, v in stages.items()))


if __name__ == "__main__":
    main()
