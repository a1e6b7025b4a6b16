"""ask / similar on a tiny fixture corpus with the FakeEncoder: fusion, context, filters, CLI batch, eval."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from amicall_kg import search
from amicall_kg.cli import app
from amicall_kg.context import context_from, find_population, recognise
from amicall_kg.encoder import FakeEncoder
from amicall_kg.evaluate_search import evaluate_search, practice_matches
from amicall_kg.index import build_indexes
from amicall_kg.search import Searcher, rrf
from amicall_kg.settings import Settings, load_settings
from amicall_kg.vocab import Vocabulary
from tests.search_fixtures import practices, seal_version, vocabulary, write_corpus


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Settings]:
    """A corpus and a published version built with the fake encoder."""
    root = tmp_path_factory.mktemp("search")
    reports = write_corpus(root / "corpus")
    indexes = root / "indexes"
    version = indexes / "versions" / "v1"
    version.mkdir(parents=True)
    settings = load_settings(
        env={}, overrides={"corpus": root / "corpus", "indexes": indexes, "encoder_model": "fake-hash-256"}
    )
    build_indexes(version, reports, practices(), settings, FakeEncoder())
    seal_version(version)
    (indexes / "CURRENT").write_text("v1\n", encoding="utf-8")
    return root, settings


@pytest.fixture(scope="module")
def searcher(env: tuple[Path, Settings]) -> Searcher:
    _, settings = env
    return Searcher(settings.indexes / "versions" / "v1", settings, FakeEncoder(), vocabulary())


@pytest.fixture
def fixture_vocab(monkeypatch: pytest.MonkeyPatch) -> Vocabulary:
    vocab = vocabulary()
    monkeypatch.setattr(search, "load_vocabulary", lambda _path: vocab)
    search._SEARCHERS.clear()
    return vocab


def test_rrf_sums_reciprocal_ranks() -> None:
    fused = rrf([[1, 2, 3], [3, 1]], k=60)
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[3] == pytest.approx(1 / 63 + 1 / 61)
    assert fused[2] == pytest.approx(1 / 62)
    assert sorted(fused, key=lambda i: -fused[i]) == [1, 3, 2]
    assert rrf([[5], [6]], weights=[2.0, 1.0])[5] == pytest.approx(2 / 61)


def test_context_recognised_from_text() -> None:
    vocab = vocabulary()
    ctx = recognise("We are a small town in eastern Germany where far-right violence is growing.", vocab)
    assert (ctx.size, ctx.country, ctx.catalysts) == ("small town", "Germany", ("violent incident",))
    ctx = recognise("A port with 1.2 million residents; rumours spread about the new arrivals.", vocab)
    assert ctx.population == 1_200_000 and ctx.size == "large city"
    assert set(ctx.catalysts) == {"rumours", "arrival of refugees"}
    assert find_population("a town of 40,000 inhabitants") == 40_000
    assert recognise("We organise a festival.", vocab).country is None


def test_explicit_context_overrides_text() -> None:
    ctx = context_from(
        {"country": "netherlands", "population": 3000, "catalyst": ["funding"]}, "A town in Germany", vocabulary()
    )
    assert ctx.country == "The Netherlands" and ctx.size == "village" and ctx.catalysts == ("funding",)


def test_ask_returns_cited_passages(searcher: Searcher) -> None:
    hits = searcher.ask("volunteers trained as rumour responders", 3)
    assert set(hits[0]) == {"report", "passage", "text", "score", "start", "end", "page", "practices"}
    assert "rumour responders" in hits[0]["text"] and hits[0]["report"] == "report-a"
    assert hits[0]["practices"] == [practices()[1]["iri"]]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_ask_table_row(searcher: Searcher) -> None:
    assert "Examplia\t8.5" in searcher.ask("harbour statistics share Examplia 2010", 2)[0]["text"]


def test_similar_uses_context_and_explains(searcher: Searcher) -> None:
    results = searcher.similar("A small town in Germany: after an arson attack, we want residents to talk", 4)
    assert results[0]["label"] == "Neighbourhood dialogue evenings"
    why = results[0]["why"]
    assert "same catalyst type: violent incident" in why
    assert any(w.startswith("similar place size: small town") for w in why)
    assert "same country: Germany" in why
    assert results[0]["evidence"][0]["report"] == "report-a"
    assert all(r["why"] and "score" in r and "text" not in r for r in results)


def test_context_changes_ranking(searcher: Searcher) -> None:
    text = "We want to bring people together in our place"
    plain = [r["label"] for r in searcher.similar(text, 4)]
    with_context = searcher.similar(text, 4, {"catalyst": "funding", "country": "Netherlands"})
    assert with_context[0]["label"] == "Food festival"
    assert plain.index("Food festival") >= 0 and "same catalyst type: funding" in with_context[0]["why"]


def test_facet_filters(searcher: Searcher) -> None:
    results = searcher.similar("people meeting together", 4, filters={"country": ["germany"]})
    assert {r["label"] for r in results} == {"Neighbourhood dialogue evenings", "Community garden"}
    results = searcher.similar("people meeting together", 4, filters={"size": "village"})
    assert [r["label"] for r in results] == ["Community garden"]
    results = searcher.similar("anything", 4, filters={"activity_type": "intercultural festivals"})
    assert [r["label"] for r in results] == ["Food festival"]
    hits = searcher.ask("town", 10, filters={"catalyst_type": ["rumours"]})
    assert hits and all(h["practices"] == [practices()[1]["iri"]] for h in hits)
    with pytest.raises(Exception, match="Unknown filter"):
        searcher.similar("x", 2, filters={"colour": "red"})


def test_queries_batch(env: tuple[Path, Settings], fixture_vocab: Vocabulary, tmp_path: Path) -> None:
    root, settings = env
    queries = tmp_path / "q.jsonl"
    lines = [
        {"id": "a", "situation": "a garden for refugee women", "population": 2000},
        {"id": "b", "situation": "people talk after an attack", "country": "Germany", "top": 2},
    ]
    queries.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    argv = ["similar", "--queries", str(queries), "--indexes", str(settings.indexes), "--corpus", str(root / "corpus")]
    result = CliRunner().invoke(app, argv, env={"AMICALL_ENCODER_MODEL": "fake-hash-256"})
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[0]["results"][0]["label"] == "Community garden" and len(out[1]["results"]) == 2
    assert any("village" in w for w in out[0]["results"][0]["why"])
    questions = tmp_path / "a.jsonl"
    questions.write_text(json.dumps({"id": 7, "question": "food festival visitors"}) + "\n", encoding="utf-8")
    argv = ["ask", "--queries", str(questions), "--indexes", str(settings.indexes), "--top", "1"]
    result = CliRunner().invoke(app, argv, env={"AMICALL_ENCODER_MODEL": "fake-hash-256"})
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(x) for x in result.output.splitlines()]
    assert line["id"] == 7 and "food festival" in line["results"][0]["text"]


def test_human_output_has_citations(env: tuple[Path, Settings], fixture_vocab: Vocabulary) -> None:
    _, settings = env
    argv = ["similar", "refugees arrived and we want a garden", "--indexes", str(settings.indexes), "--top", "1"]
    result = CliRunner().invoke(app, argv, env={"AMICALL_ENCODER_MODEL": "fake-hash-256"})
    assert result.exit_code == 0, result.output
    assert "Community garden (Eastvale, Germany)" in result.output
    assert "evidence [report-b, chars" in result.output and "same catalyst type: arrival of refugees" in result.output


def test_eval_scores_and_baselines(env: tuple[Path, Settings], fixture_vocab: Vocabulary, tmp_path: Path) -> None:
    _, settings = env
    situations = [
        {"id": "s1", "situation": "a garden where refugee women meet", "targets": [{"label_any": ["garden"]}]},
        {"id": "s2", "situation": "volunteers answer false stories", "targets": [{"place_any": ["southport"]}]},
        {"id": "s3", "situation": "nothing relevant", "targets": [{"label_any": ["no such practice"]}]},
    ]
    questions = [{"id": "q1", "question": "how many visitors at the food festival", "answer_any": ["20,000 visitors"]}]
    (tmp_path / "dev_situations.jsonl").write_text("\n".join(json.dumps(s) for s in situations), encoding="utf-8")
    (tmp_path / "dev_questions.jsonl").write_text(json.dumps(questions[0]), encoding="utf-8")
    result = evaluate_search(settings, tmp_path)
    scores = result["similar"]["scores"]
    assert set(scores) == {"hybrid", "bm25_passages", "dense_passages"}
    assert scores["hybrid"]["hit@1"] == pytest.approx(2 / 3) and scores["hybrid"]["mrr@10"] == pytest.approx(2 / 3)
    assert result["ask"]["scores"]["hybrid"]["hit@5"] == 1.0
    assert [q["hybrid"] for q in result["similar"]["queries"]] == [1, 1, None]
    argv = ["eval", "search", "--eval-dir", str(tmp_path), "--indexes", str(settings.indexes)]
    shown = CliRunner().invoke(app, argv, env={"AMICALL_ENCODER_MODEL": "fake-hash-256"})
    assert shown.exit_code == 0, shown.output
    assert "hybrid missed: s3" in shown.output and "bm25_passages" in shown.output


def test_target_matching_rules() -> None:
    p = {"label": "Community Garden", "alt_labels": ["Green Patch"], "place": "Eastvale"}
    assert practice_matches(p, [{"label_any": ["green patch"]}])
    assert practice_matches(p, [{"place_any": ["eastvale"]}])
    assert not practice_matches(p, [{"label_any": ["eastvale"]}])


@pytest.mark.slow
def test_real_encoder_ranks_by_meaning(tmp_path: Path) -> None:
    from amicall_kg.encoder import load_encoder

    reports = write_corpus(tmp_path / "corpus")
    settings = load_settings(env={}, overrides={"corpus": tmp_path / "corpus"})
    encoder = load_encoder(settings)
    assert encoder.dimension == 384
    build_indexes(tmp_path, reports, practices(), settings, encoder)
    real = Searcher(tmp_path, settings, encoder, vocabulary())
    # No shared content words with the evidence: only meaning links them.
    assert real.similar("a yearly multicultural party with cuisine from many nations", 1)[0]["label"] == "Food festival"
    assert "vegetables" in real.ask("where do newcomers grow food with locals?", 1)[0]["text"]


def test_size_word_inside_another_phrase_is_not_a_size() -> None:
    vocab = vocabulary()
    assert recognise("We run a leaflet campaign in a small town", vocab).size == "small town"
    assert recognise("We want a festival", vocab).size is None
    assert recognise("Our city wants a festival", vocab).size == "medium-sized city"
    # "city" inside the activity phrase "city branding" is not a size class
    assert recognise("We want a city branding campaign", vocab).size is None


def test_section_heading_makes_passage_findable(tmp_path: Path) -> None:
    from amicall_kg.index import build_passages

    reports = write_corpus(tmp_path / "corpus")
    text = reports[1].text()
    records = build_passages(reports, [], 1)
    later = [r for r in records if r["report"] == "report-b" and r["start"] > text.index("The garden started")]
    assert later and all(r["section"] == "Briefing on smaller places" for r in later)


class _AxisEncoder:
    """Maps texts starting with given prefixes to fixed unit vectors (to test thresholds exactly)."""

    name, dimension = "axis", 3

    def __init__(self, axes: dict[str, int]) -> None:
        self.axes = axes

    def encode(self, texts: list[str]) -> Any:
        import numpy as np

        out = np.zeros((len(texts), 3), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, next((axis for prefix, axis in self.axes.items() if text.startswith(prefix)), 2)] = 1.0
        return out


def _meaning_searcher(axes: dict[str, int]) -> Searcher:
    searcher = Searcher.__new__(Searcher)
    searcher.vocab, searcher.encoder, searcher._concepts = vocabulary(), _AxisEncoder(axes), {}
    return searcher


def test_catalyst_recognised_by_meaning_only_when_clear() -> None:
    from amicall_kg.context import Context

    query = _AxisEncoder({"q": 0}).encode(["q"])[0]
    clear = _meaning_searcher({"violent incident": 0, "q": 0})
    assert clear._by_meaning(Context(), query, None).catalysts == ("violent incident",)
    assert clear._by_meaning(Context(), query, {"catalyst": "funding"}).catalysts == ()  # the caller said
    assert clear._by_meaning(Context(catalysts=("rumours",)), query, None).catalysts == ("rumours",)
    tie = _meaning_searcher({"violent incident": 0, "rumours": 0, "q": 0})
    assert tie._by_meaning(Context(), query, None).catalysts == ()
    far = _meaning_searcher({"q": 0})
    assert far._by_meaning(Context(), query, None).catalysts == ()
