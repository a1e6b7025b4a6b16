"""The search-index stage of a build: full (every text encoded) vs incremental (only new texts encoded).

Usage: ``.venv/bin/python benchmarks/bench_index_reuse.py --indexes DIR [--repeat 1]``

Uses the reports of the build in ``DIR`` (its corpus setting) and the practices of its version. Cases,
all with the real encoder (loaded and warmed first, so model loading is not counted):

* **full** [baseline]: ``index.build_indexes`` with a copy of the corpus where one report has a new
  paragraph and one practice a new description, and no previous version (what the build did before);
* **incremental**: the same inputs, ``previous=`` an index built from the unchanged corpus;
* **unchanged**: unchanged inputs, ``previous=`` the version in service (nothing to encode).

Also times ``manifest.check_version`` on the version (what ``search`` verifies once per version).
Prints medians, ratios to the full case and the counts of texts encoded and reused.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import load, machine, offline, timed

offline()

from amicall_kg.corpus import load_corpus  # noqa: E402
from amicall_kg.encoder import load_encoder  # noqa: E402
from amicall_kg.index import PRACTICES, build_indexes  # noqa: E402
from amicall_kg.manifest import check_version, load_version  # noqa: E402
from amicall_kg.settings import load_settings  # noqa: E402


def _practices(version: Path) -> list[dict[str, Any]]:
    lines = (version / PRACTICES / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return [{k: v for k, v in json.loads(line).items() if k != "text"} for line in lines if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indexes", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    settings = load_settings(overrides={"indexes": args.indexes})
    version = load_version(args.indexes)
    check_ms = statistics.median(timed(lambda: check_version(version.path))[0] * 1000 for _ in range(5))
    practices = _practices(version.path)
    reports = load_corpus(settings.corpus)
    encoder = load_encoder(settings)
    encoder.encode(["warm up the model"] * 8)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(settings.corpus, work / "corpus")
        changed_file = work / "corpus" / reports[0].file
        changed_file.write_text(
            changed_file.read_text(encoding="utf-8")
            + "\n\nA new paragraph: the council opened a neighbourhood centre where residents and newcomers meet.\n",
            encoding="utf-8",
        )
        changed_reports = load_corpus(work / "corpus")
        changed_practices = copy.deepcopy(practices)
        changed_practices[0]["description"] = "An updated description of this practice."
        prev = work / "prev"
        prev.mkdir()
        build_indexes(prev, reports, practices, settings, encoder, previous=version.path)

        def run(name: str, n: int, inputs: tuple[Any, Any], previous: Path | None) -> tuple[float, dict[str, Any]]:
            folder = work / f"{name}-{n}"
            folder.mkdir()
            return timed(lambda: build_indexes(folder, *inputs, settings, encoder, previous=previous))

        cases = {
            "full": ((changed_reports, changed_practices), None),
            "incremental": ((changed_reports, changed_practices), prev),
            "unchanged": ((reports, practices), version.path),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        counts: dict[str, dict[str, Any]] = {}
        for n in range(args.repeat):
            for name, (inputs, previous) in cases.items():
                seconds, counts[name] = run(name, n, inputs, previous)
                times[name].append(seconds)

    base = statistics.median(times["full"])
    print(f"machine: {machine()}  load now: {load():.2f}")
    print(f"check_version({version.name}): {check_ms:.1f} ms (median of 5)")
    for name in cases:
        median = statistics.median(times[name])
        c = counts[name]
        print(
            f"{name:12s} {median:8.2f} s  ratio {median / base:.3f}  encoded {c['encoded']:5d}  "
            f"reused {c['reused']:5d}  (passages {c['passages']}, practices {c['practices']})"
        )


if __name__ == "__main__":
    main()
