"""Manifest inputs: which settings count, what the code hash covers, how changes are explained."""

from __future__ import annotations

from pathlib import Path

from amicall_kg.manifest import changed_inputs, code_hash, output_settings
from amicall_kg.settings import Settings, load_settings


def test_output_settings_leave_out_what_cannot_change_a_build() -> None:
    chosen = output_settings(load_settings(env={}))
    assert {"spacy_model", "encoder_model", "passage_sentences", "faiss_index"} <= set(chosen)
    assert not {"corpus", "indexes", "top_k", "port", "sparql_timeout", "read_timeout"} & set(chosen)
    # a setting nobody classified yet counts as an input: the safe side
    extra = Settings({**load_settings(env={}).values, "extract_window": 7})
    assert output_settings(extra)["extract_window"] == 7


def test_code_hash_follows_core_files_not_cli_or_caches(tmp_path: Path) -> None:
    (tmp_path / "cli").mkdir()
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "core.py").write_text("A = 1\n", encoding="utf-8")
    (tmp_path / "data.json").write_text("{}", encoding="utf-8")
    before = code_hash(tmp_path)
    (tmp_path / "cli" / "build.py").write_text("print('hi')\n", encoding="utf-8")
    (tmp_path / "__pycache__" / "core.cpython-311.pyc").write_bytes(b"\0")
    assert code_hash(tmp_path) == before
    (tmp_path / "data.json").write_text('{"gazetteer": 1}', encoding="utf-8")
    assert code_hash(tmp_path) != before


def test_changed_inputs_name_what_changed() -> None:
    old = {"format": 1, "settings": {"spacy_model": "a", "faiss_index": "flat"}, "ontology": {"x.ttl": "1"}}
    new = {"format": 1, "settings": {"spacy_model": "b", "faiss_index": "flat"}, "ontology": {"x.ttl": "1"}}
    assert changed_inputs(old, new) == ["settings changed (spacy_model)"]
    assert changed_inputs(old, old) == []
