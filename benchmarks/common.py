"""Shared helpers of the benchmark scripts: timing, percentiles, load, peak memory, JSON results.

Every figure a benchmark prints should carry the machine's load (``load()``) because the machine
may be shared; ratios against a baseline measured in the same run are what to compare.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def offline() -> None:
    """No network for models (the encoder and spaCy load from installed packages)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def snapshot_code(dest: Path) -> dict[str, str]:
    """Copy the package source, ontology, trained models and pyproject to ``dest``; an environment running them.

    Other people may edit the tree during a long benchmark; a build notices a changed code or
    ontology hash and rebuilds everything. Child processes run with ``PYTHONPATH`` on this frozen
    copy so every build of one run sees the same code (the project root resolves to ``dest``).
    """
    import shutil

    shutil.copytree(ROOT / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "ontology", dest / "ontology")
    shutil.copytree(ROOT / "models", dest / "models")
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")
    env = dict(os.environ)
    env["PYTHONPATH"] = str(dest / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median, p50, p95, min, max and count of a list of timings."""
    return {
        "median": statistics.median(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "min": min(values),
        "max": max(values),
        "n": float(len(values)),
    }


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds taken by ``fn()`` and its value."""
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def seconds_of(fn: Callable[..., Any], *args: Any) -> float:
    """Seconds taken by ``fn(*args)`` (its value is dropped)."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def repeat_times(fn: Callable[[], Any], repeat: int, warmup: int = 0) -> list[float]:
    """Seconds of each of ``repeat`` calls of ``fn()``, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    return [timed(fn)[0] for _ in range(repeat)]


def load() -> float:
    """The 1-minute load average (the machine may be shared: note it with every figure)."""
    return os.getloadavg()[0]


def _status_kib(field_name: str, pid: int | str = "self") -> int | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return None


def peak_rss_mib(pid: int | str = "self") -> float | None:
    """Peak resident memory (``VmHWM``) of a process in MiB, read from /proc (Linux only)."""
    kib = _status_kib("VmHWM", pid)
    return None if kib is None else kib / 1024


def rss_mib(pid: int | str = "self") -> float | None:
    """Current resident memory (``VmRSS``) of a process in MiB."""
    kib = _status_kib("VmRSS", pid)
    return None if kib is None else kib / 1024


class StagePeaks:
    """Peak resident memory per build stage: pass as ``build(progress=...)``; a thread samples ``VmRSS``.

    Use as a context manager around the build; ``peaks`` maps each stage the build reported to the
    largest RSS seen while it ran (MiB, sampled every ``interval`` seconds, so short spikes may be missed).
    """

    def __init__(self, interval: float = 0.1) -> None:
        import threading

        self.interval = interval
        self.stage = "start"
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.stage = stage

    def _sample(self) -> None:
        while not self._stop.is_set():
            rss = rss_mib() or 0.0
            self.peaks[self.stage] = max(self.peaks.get(self.stage, 0.0), rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> StagePeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def children_peak_rss_mib() -> float:
    """Peak resident memory of the largest waited-for child process, in MiB (``getrusage``)."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def folder_bytes(folder: Path) -> int:
    """Total size of the files under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "load_at_start": round(load(), 2),
    }


@dataclass
class Result:
    """One benchmark run: named figures with the load at the time each was taken."""

    name: str
    figures: dict[str, Any] = field(default_factory=dict)
    loads: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    host: dict[str, Any] = field(default_factory=machine)

    def add(self, key: str, value: Any) -> None:
        """Record a figure and the load average when it was taken."""
        self.figures[key] = value
        self.loads[key] = round(load(), 2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "started": self.started,
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": self.host,
            "figures": self.figures,
            "load_when_measured": self.loads,
            "notes": self.notes,
        }


def write_result(result: Result, folder: Path | None = None) -> Path:
    """Write ``<folder>/<name>.json`` (default ``benchmarks/results/``); return its path."""
    folder = folder or RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{result.name}.json"
    path.write_text(json.dumps(result.as_dict(), indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return path


def fmt_s(seconds: float) -> str:
    """Seconds for a table: ms below one second."""
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
