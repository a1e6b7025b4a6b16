"""SPARQL benchmark: the query library (ontology/queries) on Oxigraph against rdflib's in-memory engine.

Two graphs, measured in the same run:

- the bundled graph: the version in service (``--indexes``), every named graph;
- a synthetic graph of about ``--triples`` triples (default 1M) in the same vocabulary: reports as
  named graphs, practices with places, countries, activity types, catalysts, actors, outcomes, target
  groups, goals, aliases and evidence passages, plus the real ontology and SKOS vocabularies.

Oxigraph runs on its on-disk store and on an in-memory copy (what the query workers use for stores
up to ``sparql_memory_mb``); rdflib on a ``Dataset(default_union=True)`` holding the same quads. Both
engines are timed the same way: run the query and turn every term of every row into a Python object.
Each query is run ``--repeat`` times per engine (``--rdflib-repeat`` for rdflib on the large graph)
and the median is reported, with the ratio rdflib/Oxigraph. Row counts are compared so a "fast"
engine that answers differently is caught. The end-to-end ``run_query`` (worker process, JSON) is
timed on the bundled graph as well.

    .venv/bin/python benchmarks/bench_sparql.py [--indexes DIR] [--triples 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from amicall_kg.store import has_merged_graph

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "ontology" / "queries").glob("*.rq"))
AMC = "https://w3id.org/amicall/ontology#"
ID = "https://w3id.org/amicall/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
GN = "https://sws.geonames.org/"
ONTOLOGY_GRAPH = "https://w3id.org/amicall/ontology"
WORDS = (  # noqa: SIM905
    "community dialogue festival network campaign welcome neighbourhood mediation training media council residents "
    "migrants refugees youth school sport culture radio website forum rumours integration diversity "
    "cohesion volunteers mosque church library market square"
).split()


def median_time(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        rows = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def median_time_capped(fn: Callable[[], int], repeat: int, budget: float) -> tuple[float | None, int]:
    """``median_time`` in a forked child killed after ``budget`` seconds (None: over budget).

    rdflib cannot be interrupted, and some library queries take it many minutes on 1M triples.
    """
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)

    def target() -> None:
        sender.send(median_time(fn, repeat))

    child = ctx.Process(target=target)
    child.start()
    if receiver.poll(budget):
        elapsed, rows = receiver.recv()
        child.join()
        return elapsed, rows
    child.kill()
    child.join()
    return None, -1


def concepts() -> dict[str, list[str]]:
    """Concept IRIs per scheme name, from the real vocabularies."""
    by_scheme: dict[str, list[str]] = {}
    for quad in ox.parse(path=str(ROOT / "ontology" / "vocabularies.ttl"), format=ox.RdfFormat.TURTLE):
        if quad.predicate.value == SKOS + "inScheme":
            by_scheme.setdefault(quad.object.value.rsplit("/", 1)[-1], []).append(quad.subject.value)
    return by_scheme


def lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def synthetic_nquads(path: Path, target: int, seed: int = 7) -> int:
    """Write about ``target`` quads of a build-shaped graph; return the number written."""
    rnd = random.Random(seed)
    schemes = concepts()
    n_practices = max(1, target // 44)
    n_reports = max(2, n_practices // 300)
    countries = [f"{ID}place/country-{i}" for i in range(40)]
    places = [(f"{ID}place/town-{i}", rnd.choice(countries), int(10 ** rnd.uniform(3.5, 6.8))) for i in range(3000)]
    actors = [f"{ID}actor/a-{i}" for i in range(4000)]
    count = 0
    with path.open("w", encoding="utf-8") as out:

        def q(s: str, p: str, o: str, g: str) -> None:
            nonlocal count
            out.write(f"<{s}> <{p}> {o} <{g}> .\n")
            count += 1

        first = f"<{ID}graph/r-0>"
        for i, country in enumerate(countries):
            g = first[1:-1]
            q(country, RDF_TYPE, f"<{AMC}Country>", g)
            q(country, RDF_TYPE, f"<{AMC}Place>", g)
            q(country, RDFS_LABEL, lit(f"Country {i}"), g)
        for i, (place, country, population) in enumerate(places):
            g = f"{ID}graph/r-{i % n_reports}"
            q(place, RDF_TYPE, f"<{AMC}Place>", g)
            q(place, RDFS_LABEL, lit(f"Town {i}"), g)
            q(place, AMC + "population", f'"{population}"^^<{XSD}integer>', g)
            q(place, AMC + "country", f"<{country}>", g)
            q(place, AMC + "geonamesId", f'"{9_000_000 + i}"^^<{XSD}integer>', g)
            q(place, "http://www.w3.org/2002/07/owl#sameAs", f"<{GN}{9_000_000 + i}/>", g)
        for r in range(n_reports):
            g = f"{ID}graph/r-{r}"
            report = f"{ID}report/r-{r}"
            q(report, RDF_TYPE, f"<{AMC}Report>", g)
            q(report, DCT + "title", lit(f"Report {r}"), g)
            q(report, DCT + "identifier", lit(f"r-{r}"), g)
            q(report, AMC + "year", f'"{2000 + r % 25}"^^<{XSD}gYear>', g)
        for i in range(n_practices):
            r = i % n_reports
            g = f"{ID}graph/r-{r}"
            p = f"{ID}practice/p-{i}"
            place, country, _ = rnd.choice(places)
            q(p, RDF_TYPE, f"<{AMC}Practice>", g)
            q(p, RDFS_LABEL, lit(" ".join(rnd.sample(WORDS, 3))), g)
            if rnd.random() < 0.3:
                q(p, SKOS + "altLabel", lit(rnd.choice(WORDS).upper()), g)
            q(p, AMC + "locatedIn", f"<{place}>", g)
            q(p, AMC + "country", f"<{country}>", g)
            for t in rnd.sample(schemes["activity-type"], 2):
                q(p, AMC + "activityType", f"<{t}>", g)
            q(p, AMC + "targetGroup", f"<{rnd.choice(schemes['target-group'])}>", g)
            q(p, AMC + "goal", f"<{rnd.choice(schemes['goal'])}>", g)
            passages = []
            for k in range(3):
                passage = f"{ID}passage/p-{i}-{k}"
                start = rnd.randrange(1_000_000)
                q(passage, RDF_TYPE, f"<{AMC}Passage>", g)
                q(passage, AMC + "inReport", f"<{ID}report/r-{r}>", g)
                q(passage, AMC + "start", f'"{start}"^^<{XSD}integer>', g)
                q(passage, AMC + "end", f'"{start + 300}"^^<{XSD}integer>', g)
                q(passage, AMC + "text", lit(" ".join(rnd.choices(WORDS, k=40))), g)
                passages.append(passage)
            for passage in passages[:2]:
                q(p, AMC + "evidence", f"<{passage}>", g)
            c = f"{ID}catalyst/c-{i}"
            q(p, AMC + "catalyst", f"<{c}>", g)
            q(c, RDF_TYPE, f"<{AMC}Catalyst>", g)
            q(c, RDFS_LABEL, lit(" ".join(rnd.sample(WORDS, 4))), g)
            q(c, AMC + "catalystType", f"<{rnd.choice(schemes['catalyst-type'])}>", g)
            q(c, AMC + "evidence", f"<{passages[0]}>", g)
            for a in rnd.sample(actors, 2):
                q(p, AMC + "involves", f"<{a}>", g)
                q(a, RDF_TYPE, f"<{AMC}Actor>", g)
                q(a, RDFS_LABEL, lit(f"actor {a.rsplit('-', 1)[-1]}"), g)
            o = f"{ID}outcome/o-{i}"
            q(p, AMC + "hasOutcome", f"<{o}>", g)
            q(o, RDF_TYPE, f"<{AMC}Outcome>", g)
            q(o, RDFS_LABEL, lit(" ".join(rnd.sample(WORDS, 5))), g)
            q(o, AMC + "outcomeKind", lit(rnd.choice(["evaluation", "success", "failure"])), g)
            q(o, AMC + "evidence", f"<{passages[2]}>", g)
    return count


def ontology_quads() -> list[ox.Quad]:
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    quads = []
    for name in ("amicall.ttl", "vocabularies.ttl"):
        for quad in ox.parse(path=str(ROOT / "ontology" / name), format=ox.RdfFormat.TURTLE):
            quads.append(ox.Quad(quad.subject, quad.predicate, quad.object, graph))
    return quads


def rdflib_dataset(nquads: bytes) -> rdflib.Dataset:
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=nquads, format="nquads")
    return ds


def bench(
    label: str,
    stores: dict[str, Any],
    ds: rdflib.Dataset,
    repeat: int,
    rdflib_repeat: int,
    budget: float,
    extra: Callable[[str], float] | None,
) -> list[dict[str, Any]]:
    """Time every library query on each Oxigraph store and on rdflib; print a table; return rows."""
    from amicall_kg.namespaces import PREFIXES

    init_ns = {k: rdflib.Namespace(v) for k, v in PREFIXES.items()}
    rows: list[dict[str, Any]] = []
    names = list(stores)
    print(f"\n{label}  (medians; ratio = rdflib / Oxigraph {names[0]}; rdflib budget {budget:g} s per query)")
    head = f"{'query':<40} {'rows':>6} " + " ".join(f"{'ox ' + n:>10}" for n in names)
    print(head + f" {'rdflib':>10} {'ratio':>8}" + (" {:>10}".format("run_query") if extra else ""))
    for path in QUERIES:
        text = path.read_text(encoding="utf-8")
        row: dict[str, Any] = {"query": path.stem}
        for name, store in stores.items():

            def ox_run(store: Any = store, text: str = text) -> int:
                union = not has_merged_graph(store)  # as the endpoint does (store.py)
                result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=union)
                if isinstance(result, ox.QueryBoolean):
                    return 1
                return sum(1 for row in result if tuple(row) is not None)  # every term made a Python object

            row[name], row["rows"] = median_time(ox_run, repeat)

        def rdflib_run(text: str = text) -> int:
            return sum(1 for row in ds.query(text, initNs=init_ns) if tuple(row) is not None)  # type: ignore[arg-type]

        row["rdflib"], row["rdflib_rows"] = median_time_capped(rdflib_run, rdflib_repeat, budget)
        base = row[names[0]]
        row["ratio"] = (row["rdflib"] if row["rdflib"] is not None else budget) / base
        over = row["rdflib"] is None
        rl = f">{budget:g}s" if over else f"{row['rdflib'] * 1000:.1f}ms"
        line = f"{path.stem:<40} {row['rows']:>6} " + " ".join(f"{row[n] * 1000:>8.1f}ms" for n in names)
        line += f" {rl:>10} {('>' if over else '') + format(row['ratio'], '.1f') + 'x':>8}"
        if extra:
            row["run_query"] = extra(text)
            line += f" {row['run_query'] * 1000:>8.1f}ms"
        if not over and row["rdflib_rows"] != row["rows"]:
            line += f"  (rdflib rows {row['rdflib_rows']})"
        print(line, flush=True)
        rows.append(row)
    ratios = [r["ratio"] for r in rows]
    totals = {n: sum(r[n] for r in rows) for n in names}
    total_rl = sum(r["rdflib"] if r["rdflib"] is not None else budget for r in rows)
    geo = math.exp(statistics.mean(math.log(max(x, 1e-9)) for x in ratios))
    print(
        f"{'TOTAL':<40} {'':>6} "
        + " ".join(f"{totals[n] * 1000:>8.1f}ms" for n in names)
        + f" {total_rl * 1000:>8.1f}ms {total_rl / totals[names[0]]:>7.1f}x"
    )
    print(
        f"ratio vs {names[0]}: median {statistics.median(ratios):.1f}x, geometric mean {geo:.1f}x, "
        f"min {min(ratios):.1f}x; queries over budget count as {budget:g} s (ratios are then lower bounds)"
    )
    if len(names) > 1:
        alt = [(r["rdflib"] if r["rdflib"] is not None else budget) / r[names[1]] for r in rows]
        geo_alt = math.exp(statistics.mean(math.log(max(x, 1e-9)) for x in alt))
        print(f"ratio vs {names[1]}: median {statistics.median(alt):.1f}x, geometric mean {geo_alt:.1f}x")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indexes", type=Path, default=None, help="indexes folder with a built version")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--rdflib-repeat", type=int, default=None, help="rdflib runs on the large graph (default --repeat)"
    )
    parser.add_argument("--budget", type=float, default=120.0, help="seconds rdflib may spend per query")
    parser.add_argument("--skip-bundled", action="store_true")
    args = parser.parse_args()

    from amicall_kg.settings import load_settings
    from amicall_kg.sparql import run_query
    from amicall_kg.store import store_path
    from amicall_kg.versions import require_version

    print(
        f"{len(QUERIES)} library queries; Python {sys.version.split()[0]}, pyoxigraph {ox.__version__}, "
        f"rdflib {rdflib.__version__}"
    )
    if not args.skip_bundled:
        settings = load_settings(overrides={"indexes": args.indexes})
        version = require_version(settings.indexes)
        store = ox.Store.read_only(str(store_path(version)))
        data = store.dump(format=ox.RdfFormat.N_QUADS)
        ds = rdflib_dataset(data)
        print(f"bundled graph: {len(store):,} quads ({version.name})")

        def end_to_end(text: str) -> float:
            run_query(version, text)  # warm worker and its store
            return median_time(lambda: len(run_query(version, text)), args.repeat)[0]

        memory = ox.Store()
        memory.extend(store)
        stores = {"disk": store, "memory": memory}
        bench("BUNDLED GRAPH", stores, ds, args.repeat, args.repeat, args.budget, end_to_end)
        del ds

    with tempfile.TemporaryDirectory() as tmp:
        nq = Path(tmp) / "synthetic.nq"
        started = time.perf_counter()
        count = synthetic_nquads(nq, args.triples - 5_000)
        store = ox.Store(str(Path(tmp) / "store"))
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        store.extend(ontology_quads())
        store.flush()
        t_ox_load = time.perf_counter() - started
        started = time.perf_counter()
        data = store.dump(format=ox.RdfFormat.N_QUADS)
        ds = rdflib_dataset(data)
        t_rl_load = time.perf_counter() - started
        print(
            f"\nsynthetic graph: {len(store):,} quads ({count:,} generated + ontology); "
            f"generate+load Oxigraph {t_ox_load:.1f} s, load rdflib {t_rl_load:.1f} s"
        )
        memory = ox.Store()
        memory.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        stores = {"disk": store, "memory": memory}
        bench("SYNTHETIC GRAPH", stores, ds, args.repeat, args.rdflib_repeat or args.repeat, args.budget, None)


if __name__ == "__main__":
    main()
