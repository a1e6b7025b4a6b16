"""Extraction speed on the bundled corpus: full extraction (pipeline + rules + resolution) vs raw
``nlp.pipe`` of the same statistical model over the same blocks, median of several runs.

Usage: .venv/bin/python benchmarks/bench_extract.py [--runs 3] [--blank]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--blank", action="store_true", help="also time the blank (rule-only) pipeline")
    args = parser.parse_args()

    import spacy

    from amicall_kg.corpus import load_corpus
    from amicall_kg.extract import load_pipeline
    from amicall_kg.graph import extract_practices, report_graphs
    from amicall_kg.places import get_gazetteer
    from amicall_kg.segments import segment
    from amicall_kg.settings import load_settings
    from amicall_kg.vocab import load_vocabulary

    settings = load_settings()
    t0 = time.perf_counter()
    vocab = load_vocabulary(settings.ontology)
    get_gazetteer()
    nlp = load_pipeline(settings, vocab)
    print(f"one-off load (vocabulary, gazetteer, pipeline): {time.perf_counter() - t0:.2f} s")
    reports = load_corpus(settings.corpus)
    blocks = [b.text for r in reports for b in segment(r.text())]
    chars = sum(len(r.text()) for r in reports)
    raw = spacy.load(settings.spacy_model, exclude=["parser", "lemmatizer"])

    def timed(fn: object) -> float:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            fn()  # type: ignore[operator]
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    base = timed(lambda: list(raw.pipe(blocks, batch_size=64)))
    full = timed(lambda: extract_practices(reports, nlp, vocab))
    graphs = timed(lambda: report_graphs(reports, nlp, vocab))
    print(f"corpus: {len(reports)} reports, {chars} characters, {len(blocks)} blocks, runs={args.runs}")
    print(f"raw nlp.pipe (tok2vec+tagger+ner)      median {base:6.2f} s")
    print(f"extract_practices (pipeline + rules)   median {full:6.2f} s   ratio {full / base:5.2f}x")
    print(f"report_graphs (extraction + RDF)       median {graphs:6.2f} s   ratio {graphs / base:5.2f}x")
    if args.blank:
        blank = load_pipeline(settings, vocab, blank=True)
        b = timed(lambda: extract_practices(reports, blank, vocab))
        print(f"extract_practices, blank pipeline      median {b:6.2f} s   ratio {b / base:5.2f}x")


if __name__ == "__main__":
    main()
