"""Run every benchmark script and print one summary table of the targets.

Builds the bundled corpus once (inside ``bench_floor``, kept in a temporary folder) and points the
scripts that need a built version (query, scale, SPARQL, app) at it. The other engineers' scripts
run with their documented defaults; their output is saved to ``benchmarks/results/<script>.txt`` and
the last lines are shown. A script that fails or times out is reported and the rest still run.

    .venv/bin/python benchmarks/run_all.py [--quick] [--only floor query scale build search sparql ...]

``--quick`` runs one build/floor pair, scale 1x/10x for the index part only, and skips the slow
scripts of the others (SPARQL at 1M triples, the app in a browser).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, ROOT, load, machine, offline

HERE = Path(__file__).resolve().parent
MINE = ("floor", "query", "scale")
OTHERS = ("build", "search", "sparql", "validate", "readers", "app")
SLOW = ("sparql", "app")


def _run(name: str, args: list[str], timeout: float) -> dict[str, Any]:
    """Run ``bench_<name>.py`` with ``args``; its output (saved), exit code, seconds and load."""
    script = HERE / f"bench_{name}.py"
    if not script.is_file():
        return {"name": name, "status": "missing", "seconds": 0.0, "load": round(load(), 2), "tail": ""}
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, str(script), *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
        )
        status, out = ("ok" if proc.returncode == 0 else f"exit {proc.returncode}"), proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        status = f"timeout {timeout:.0f}s"
        out = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else str(exc.stdout or "")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"bench_{name}.txt").write_text(out, encoding="utf-8")
    tail = "\n".join(out.strip().splitlines()[-12:])
    return {
        "name": name,
        "status": status,
        "seconds": time.perf_counter() - started,
        "load": round(load(), 2),
        "tail": tail,
    }


def _json(name: str) -> dict[str, Any]:
    path = RESULTS / f"bench_{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _row(target: str, goal: str, value: str, met: bool | None, load_avg: Any, script: str) -> str:
    verdict = "-" if met is None else ("met" if met else "MISSED")
    return f"| {target} | {goal} | {value} | {verdict} | {load_avg} | `{script}` |"


def summary_table() -> str:
    """Markdown table of the targets measured by this suite's own scripts (from their JSON results)."""
    rows = ["| target | goal | measured | verdict | load | script |", "|---|---|---|---|---|---|"]
    floor = _json("floor").get("figures", {})
    loads = _json("floor").get("load_when_measured", {})
    if floor:
        ratio = floor["ratio_build_to_floor"]
        rows.append(
            _row(
                "full build vs floor (spaCy pipe + encoding)",
                "<= 1.3x",
                f"{ratio:.2f}x ({floor['build_seconds']:.0f} s vs {floor['floor_seconds']:.0f} s)",
                ratio <= 1.3,
                loads.get("ratio_build_to_floor"),
                "bench_floor.py",
            )
        )
        extract = [r["timings"].get("extract", 0.0) for r in floor["build_runs"]]
        rows.append(
            _row(
                "extraction of the bundled corpus",
                "< 30 s",
                f"{max(extract):.1f} s (slowest run)",
                max(extract) < 30,
                loads.get("build_runs"),
                "bench_floor.py",
            )
        )
        noop = floor["noop_cli_median"]
        rows.append(
            _row(
                "no-op rebuild (`amicall-kg build` process)",
                "< 2 s",
                f"{noop:.2f} s",
                noop < 2,
                loads.get("noop_cli_median"),
                "bench_floor.py",
            )
        )
        inc = floor["incremental"]
        rows.append(
            _row(
                "incremental build, one report changed",
                "(report)",
                f"{inc['seconds']:.0f} s",
                None,
                inc.get("load"),
                "bench_floor.py",
            )
        )
    query = _json("query")
    if query:
        f, q_loads = query["figures"], query["load_when_measured"]
        ratio = f["ratio_similar_to_encode"]
        rows.append(
            _row(
                "warm `similar` vs one raw query encoding",
                "<= 3x",
                f"{ratio:.2f}x ({f['similar']['median'] * 1000:.0f} ms vs {f['encode']['median'] * 1000:.0f} ms)",
                ratio <= 3,
                q_loads.get("ratio_similar_to_encode"),
                "bench_query.py",
            )
        )
        p95 = f["similar"]["p95"] * 1000
        rows.append(
            _row(
                "warm `similar` p95, bundled corpus",
                "< 150 ms",
                f"{p95:.0f} ms",
                p95 < 150,
                q_loads.get("similar"),
                "bench_query.py",
            )
        )
    scale = _json("scale").get("figures", {})
    for key, d in scale.get("indexes", {}).items():
        p95 = d["similar"]["p95"] * 1000
        goal = "< 300 ms" if key == "100x" else "< 150 ms"
        met = p95 < (300 if key == "100x" else 150)
        rows.append(
            _row(
                f"warm `similar` p95, index at {key}",
                goal,
                f"{p95:.0f} ms (p50 {d['similar']['p50'] * 1000:.0f} ms)",
                met,
                d.get("load"),
                "bench_scale.py",
            )
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", choices=MINE + OTHERS)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed per script")
    args = parser.parse_args(argv)
    offline()
    chosen = args.only or [n for n in MINE + OTHERS if not (args.quick and n in SLOW)]
    print(f"run_all {datetime.now(UTC).isoformat(timespec='seconds')} on {machine()}")
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-all-") as tmp:
        work = Path(tmp) / "floor"
        indexes = work / "indexes"
        if "floor" in chosen or any(n in chosen for n in ("query", "scale", "sparql", "app")):
            floor_args = ["--repeat", "1" if args.quick else "2", "--keep", str(work)]
            runs.append(_run("floor", floor_args, args.timeout))
        version = sorted((indexes / "versions").glob("*/manifest.json"))
        version_dir = str(version[-1].parent) if version else ""
        plans: dict[str, list[str]] = {
            "query": ["--indexes", str(indexes)],
            "scale": (
                ["--build-scales", "--index-scales", "1", "10"] if args.quick else ["--index-scales", "1", "10", "100"]
            )
            + (["--version", version_dir] if version_dir else []),
            "build": ["--repeat", "3"],
            "search": ["--replicas", "10" if args.quick else "100"],
            "sparql": ["--indexes", str(indexes)],
            "validate": ["--repeat", "3"],
            "readers": ["--repeat", "3"],
            "app": ["--indexes", str(indexes), "--repeat", "1"],
        }
        for name in [n for n in MINE + OTHERS if n in chosen and n != "floor"]:
            runs.append(_run(name, plans[name], args.timeout))
    print("\n| script | status | seconds | load after |\n|---|---|---|---|")
    for run in runs:
        print(f"| bench_{run['name']}.py | {run['status']} | {run['seconds']:.0f} | {run['load']} |")
    for run in runs:
        print(f"\n--- bench_{run['name']}.py ({run['status']}), last lines:\n{run['tail']}")
    print("\nTargets measured by this suite (see each script's section in docs/BENCHMARKS.md for the rest):")
    print(summary_table())


if __name__ == "__main__":
    main()
