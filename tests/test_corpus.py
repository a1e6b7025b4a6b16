from pathlib import Path

import pytest

from amicall_kg.corpus import load_corpus
from amicall_kg.errors import CorpusError, MetadataError

from .conftest import CORPUS

GOOD = """
[[report]]
id = "town-report"
file = "a.txt"
title = "A report"
authors = ["A. Author"]
year = 2020
publisher = "Somebody"
source = "https://example.org/a"
language = "en"
licence = "CC-BY"
"""


def write(tmp_path: Path, meta: str) -> Path:
    (tmp_path / "a.txt").write_text("Some text.", encoding="utf-8")
    (tmp_path / "reports.toml").write_text(meta, encoding="utf-8")
    return tmp_path


def test_bundled_corpus_loads() -> None:
    reports = load_corpus(CORPUS)
    assert len(reports) >= 2
    assert all(r.path.is_file() and r.text().strip() for r in reports)
    assert len({r.id for r in reports}) == len(reports)


def test_good_metadata(tmp_path: Path) -> None:
    (report,) = load_corpus(write(tmp_path, GOOD))
    assert report.id == "town-report"
    assert report.authors == ("A. Author",)
    assert report.year == 2020


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda m: m.replace('title = "A report"\n', ""), "title"),
        (lambda m: m.replace("year = 2020", 'year = "twenty"'), "year"),
        (lambda m: m.replace('authors = ["A. Author"]', "authors = []"), "authors"),
        (lambda m: m.replace('id = "town-report"', 'id = "Town Report!"'), "id"),
        (lambda m: m.replace('file = "a.txt"', 'file = "missing.txt"'), "file"),
        (lambda m: m.replace('file = "a.txt"', 'file = "../outside.txt"'), "file"),
        (lambda m: m.replace('language = "en"', 'language = "English!"'), "language"),
        (lambda m: m + m, "id"),
    ],
)
def test_bad_metadata_names_file_and_field(tmp_path: Path, edit, field: str) -> None:  # type: ignore[no-untyped-def]
    root = write(tmp_path, edit(GOOD))
    with pytest.raises(MetadataError) as info:
        load_corpus(root)
    assert info.value.field == field
    assert str(root / "reports.toml") in str(info.value)


def test_missing_metadata_file_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"reports\.toml is missing"):
        load_corpus(tmp_path)
    with pytest.raises(CorpusError, match="not valid TOML"):
        load_corpus(write(tmp_path, "[[report]\nid="))
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")
