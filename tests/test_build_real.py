"""End to end with the real spaCy pipeline, SHACL shapes and practice list on the bundled corpus.

The search indexes use the FakeEncoder (the real encoder has its own slow tests), so this checks
the build's wiring of the real parts: extraction, validation, store, practices, removal.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from amicall_kg import manifest
from amicall_kg.build import build
from amicall_kg.build_store import report_graph
from amicall_kg.corpus import Report
from amicall_kg.manifest import load_version
from amicall_kg.settings import Settings, load_settings
from amicall_kg.store import open_store

from .conftest import CORPUS
from .test_build_fakes import pinned_code_hash

pytestmark = pytest.mark.slow


def _real_parts_ready() -> bool:
    graph = Path(__file__).resolve().parents[1] / "src" / "amicall_kg" / "graph.py"
    return graph.is_file() and "def report_graphs(" in graph.read_text(encoding="utf-8")


def _indexer(version: Path, reports: list[Report], practices: list[dict[str, Any]], settings: Settings) -> Any:
    from amicall_kg.encoder import FakeEncoder
    from amicall_kg.index import build_indexes

    return build_indexes(version, reports, practices, settings, encoder=FakeEncoder())


@pytest.mark.skipif(not _real_parts_ready(), reason="extraction (graph.report_graphs) is not there yet")
def test_real_build_then_noop_then_removal(tmp_path: Path, clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest, "code_hash", pinned_code_hash)  # colleagues may edit the package meanwhile
    shutil.copytree(CORPUS, tmp_path / "corpus")
    settings = load_settings(overrides={"corpus": tmp_path / "corpus", "indexes": tmp_path / "indexes"})
    first = build(settings, indexer=_indexer)
    assert not first.noop and first.counts["practices"] >= 20 and first.counts["passages"] > 0
    version = load_version(settings.indexes)
    from amicall_kg.practices import practices

    listed = practices(open_store(version.path, read_only=True))
    assert len(listed) == first.counts["practices"]
    report_ids = {r for r in version.report_ids}
    cited = {ev["report"].rsplit("/", 1)[-1] for p in listed for ev in p["evidence"]}
    assert cited and all(any(c.startswith(rid) for rid in report_ids) for c in cited)

    again = build(settings, indexer=_indexer)
    assert again.noop, again.reasons

    # drop the smaller report: its named graph, passages and practices found only there go away
    meta = (tmp_path / "corpus" / "reports.toml").read_text(encoding="utf-8")
    kept, dropped = version.report_ids[0], version.report_ids[1]
    tables = meta.split("[[report]]")
    (tmp_path / "corpus" / "reports.toml").write_text(
        tables[0] + "".join("[[report]]" + t for t in tables[1:] if f'id = "{dropped}"' not in t), encoding="utf-8"
    )
    third = build(settings, indexer=_indexer)
    assert third.extracted == [] and {c.id: c.status for c in third.changes}[dropped] == "removed"
    now = load_version(settings.indexes)
    store = open_store(now.path, read_only=True)
    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{report_graph(dropped)}> {{ ?s ?p ?o }} }}"))
    assert int(rows[0][0].value) == 0
    records = (now.path / "passages" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert records and all(json.loads(line)["report"] == kept for line in records)
