"""The benchmark scripts still run: their main functions on a one-report corpus with fast parts.

Not a timing test: it checks the helpers compute the right statistics, the scale script's copies
really rename places, and each script's measuring function runs end to end on tiny inputs (the
build tests' fake extraction, a blank spaCy pipeline for the floor, the hashing encoder) and
returns the figures its report prints.
"""

from __future__ import annotations

import importlib
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from amicall_kg.corpus import load_corpus
from amicall_kg.settings import load_settings
from amicall_kg.versions import current_version

ROOT = Path(__file__).resolve().parents[1]
TEXT = """Welcoming newcomers in two towns

In Leipzig, Germany, the city council opened a neighbourhood centre where residents and refugees cook together.
The centre in Leipzig also trains volunteers to answer rumours about migrants.
In Antwerp, Belgium, the municipality runs an intercultural festival every summer with local associations.
PRACTICE: Neighbourhood kitchen @ Leipzig
PRACTICE: Summer festival @ Antwerp
"""


def _bench(name: str) -> ModuleType:
    folder = str(ROOT / "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(name)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-report corpus built with the blank pipeline, real SHACL and indexes, and the fake encoder."""
    work = tmp_path_factory.mktemp("bench")
    corpus = work / "corpus"
    (corpus / "reports").mkdir(parents=True)
    (corpus / "reports" / "towns.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "reports.toml").write_text(
        '[[report]]\nid = "towns"\nfile = "reports/towns.txt"\ntitle = "Two towns"\nauthors = ["A. Author"]\n'
        'year = 2020\npublisher = "P"\nsource = "https://example.org/"\nlanguage = "en"\nlicence = "test"\n',
        encoding="utf-8",
    )
    return work


@pytest.fixture
def fast_parts(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Build keyword seams: the build tests' fake extraction, validation and practice list, and the
    real search indexes with the hashing encoder (so the benchmarks read real index files)."""
    from tests.test_build_fakes import FakeExtractor, fake_practices, fake_validator

    monkeypatch.setenv("AMICALL_ENCODER_MODEL", "fake-hash-64")
    return {"extractor": FakeExtractor(), "validator": fake_validator, "practices": fake_practices}


def test_percentiles_and_result_file(tmp_path: Path) -> None:
    common = _bench("common")
    values = [0.1 * n for n in range(1, 101)]
    stats = common.summary(values)
    assert stats["p50"] == pytest.approx(5.05)
    assert stats["p95"] == pytest.approx(9.505)
    assert stats["median"] == pytest.approx(5.05) and stats["n"] == 100
    assert common.percentile([3.0], 95) == 3.0
    with pytest.raises(ValueError):
        common.percentile([], 50)
    result = common.Result("tiny")
    result.add("seconds", 1.5)
    saved = json.loads(common.write_result(result, tmp_path).read_text(encoding="utf-8"))
    assert saved["figures"] == {"seconds": 1.5} and "seconds" in saved["load_when_measured"]
    assert common.peak_rss_mib() > 10


def test_scale_copies_rename_places_and_stay_distinct(tiny: Path, tmp_path: Path) -> None:
    scale = _bench("bench_scale")
    info = scale.replicate_corpus(tiny / "corpus", tmp_path / "copies", 3)
    assert {"Leipzig", "Antwerp"} <= set(info["names"])
    reports = load_corpus(tmp_path / "copies")
    assert [r.id for r in reports] == ["towns", "towns-c1", "towns-c2"]
    texts = [r.text() for r in reports]
    assert "Leipzig" in texts[0] and "Leipzig" not in texts[1] and "Antwerp" not in texts[2]
    new_names = [info["maps"][k]["Leipzig"] for k in (1, 2)]
    assert new_names[0] != new_names[1] and all(name in texts[k + 1] for k, name in enumerate(new_names))
    assert texts[1].count(new_names[0]) == texts[0].count("Leipzig")  # every occurrence, nothing else


def test_floor_query_and_index_scale_run(tiny: Path, fast_parts: dict[str, Any], tmp_path: Path) -> None:
    floor = _bench("bench_floor")
    from amicall_kg.encoder import FakeEncoder

    work = tmp_path / "work"
    shutil.copytree(tiny / "corpus", work / "corpus")
    built = floor.run_build(work, force=True, **fast_parts)
    assert not built["noop"] and built["index_counts"]["passages"] > 0 and "extract" in built["timings"]
    assert built["stage_peak_rss_mib"] and min(built["stage_peak_rss_mib"].values()) > 10
    assert floor.run_build(work, force=False, **fast_parts)["noop"]
    base = floor.run_floor(work, blank=True, encoder=FakeEncoder(64))
    assert base["texts"] == built["index_counts"]["passages"] + built["index_counts"]["practices"]
    assert base["blocks"] >= 4 and base["seconds"] >= base["spacy_pipe"] > 0

    settings = load_settings(overrides={"corpus": work / "corpus", "indexes": work / "indexes"})
    query = _bench("bench_query").measure(settings, repeat=1)
    assert query.figures["similar"]["n"] == len(_bench("bench_query").SITUATIONS)
    assert query.figures["ratio_similar_to_encode"] > 0

    version = current_version(work / "indexes")
    assert version is not None
    result = _bench("bench_scale").measure([], [1, 3], 1, work / "corpus", tmp_path / "scale", version)
    one, three = result.figures["indexes"]["1x"], result.figures["indexes"]["3x"]
    assert three["passages"] == 3 * one["passages"] and three["practices"] == 3 * one["practices"]
    assert three["size_bytes"] > one["size_bytes"] and three["similar"]["p95"] > 0
