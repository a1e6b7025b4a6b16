"""Ingest: good files go into the corpus with metadata; bad ones are refused without a trace; no duplicates."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from amicall_kg.cli import app
from amicall_kg.corpus import load_corpus
from amicall_kg.ingest import ingest
from amicall_kg.settings import Settings, load_settings

from .test_readers import (
    BILLION_LAUGHS,
    HTML_PAGE,
    MARKDOWN,
    make_docx,
    make_encrypted_pdf,
    make_image_pdf,
    make_nested_html,
    make_pdf,
    make_zip_bomb,
    replace_member,
)

EXISTING = """# Hand-written header comment: must survive ingest.

[[report]]
id = "existing-report"
file = "reports/existing.txt"
title = "An existing report"
authors = ["Someone Else"]
year = 2010
publisher = "A publisher"
source = "https://example.org/existing"
language = "en"
licence = "CC BY 4.0"
# trailing comment of the existing entry
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "reports").mkdir(parents=True)
    (root / "reports" / "existing.txt").write_text("Existing report text about a city council.\n")
    (root / "reports.toml").write_text(EXISTING)
    return root


def settings_for(root: Path, **overrides: Any) -> Settings:
    return load_settings(env={}, overrides={"corpus": root, "indexes": root.parent / "indexes", **overrides})


def test_bad_files_are_refused_and_good_ones_go_in(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    good_pdf = make_pdf(
        src / "good.pdf",
        ["Overview\nThe town hall opened a welcome desk.", "Results\nVolunteers met new arrivals weekly."],
        title="Welcome desks in small towns",
        author="Rita Moreno",
        year=2016,
    )
    good_docx = make_docx(src / "good.docx", title="Centres for newcomers", author="Mia Wong", year=2019)
    empty = src / "empty.txt"
    empty.write_bytes(b"")
    truncated = src / "truncated.pdf"
    truncated.write_bytes(good_pdf.read_bytes()[:900])
    noise = src / "noise.pdf"
    noise.write_bytes(bytes(range(256)) * 20)
    laughs = replace_member(good_docx, src / "laughs.docx", "word/document.xml", BILLION_LAUGHS)
    oversize = src / "oversize.md"
    oversize.write_text("# Big\n\n" + "text " * 120_000)
    bad = {
        make_encrypted_pdf(src / "locked.pdf", good_pdf): "encrypted",
        empty: "is empty",
        make_image_pdf(src / "scan.pdf"): "OCR",
        truncated: "truncated",
        noise: "not a PDF",
        make_zip_bomb(src / "bomb.docx"): "zip bomb",
        laughs: "DTD",
        make_nested_html(src / "deep.html"): "nests elements",
        oversize: "more than the limit of",
    }
    before = {p.name for p in (corpus / "reports").iterdir()}
    files = [*bad, good_pdf, good_docx]
    result = ingest(settings_for(corpus, max_file_mb=0.5), files, build=False)
    by_path = {Path(f.path): f for f in result.files}
    for path, reason in bad.items():
        outcome = by_path[path]
        assert outcome.status == "refused", (path, outcome)
        assert outcome.reason is not None and str(path) in outcome.reason and reason in outcome.reason
    assert [by_path[good_pdf].status, by_path[good_docx].status] == ["added", "added"]
    reports = {r.id: r for r in load_corpus(corpus)}
    assert set(reports) == {"existing-report", "welcome-desks-in-small-towns", "centres-for-newcomers"}
    pdf_report = reports["welcome-desks-in-small-towns"]
    assert pdf_report.authors == ("Rita Moreno",) and pdf_report.year == 2016
    pages = pdf_report.pages()
    assert pages is not None and len(pages) == 2
    assert "Volunteers met new arrivals" in pdf_report.text()[pages[1][0] : pages[1][1]]
    assert pdf_report.page_at(pdf_report.text().index("Volunteers")) == 2
    assert reports["centres-for-newcomers"].pages() is None
    after = {p.name for p in (corpus / "reports").iterdir()}
    assert after - before == {
        "welcome-desks-in-small-towns.txt",
        "welcome-desks-in-small-towns.txt.pages.json",
        "centres-for-newcomers.txt",
    }
    text = (corpus / "reports.toml").read_text()
    assert text.startswith(EXISTING.rstrip("\n"))


def test_every_format_with_metadata_and_overrides(corpus: Path, tmp_path: Path) -> None:
    html = tmp_path / "page.html"
    html.write_text(HTML_PAGE)
    md = tmp_path / "notes.md"
    md.write_text(MARKDOWN)
    txt = tmp_path / "plain_notes-2015.txt"
    txt.write_text("Short field notes\n\nThe mayor and the residents " + "met and talked at the hall. " * 10)
    result = ingest(settings_for(corpus), [html, md, txt], overrides={"publisher": "Test Press"}, build=False)
    assert [f.status for f in result.files] == ["added"] * 3
    reports = {r.id: r for r in load_corpus(corpus)}
    page = reports["welcoming-towns-a-review"]
    assert page.authors == ("Ana Lopez", "Tom Baker") and page.year == 2018 and page.language == "en-GB"
    assert "FOOTER-TEXT" not in page.text() and "mentoring" in page.text()
    notes = reports["neighbourhood-dialogue-in-practice"]
    assert notes.authors == ("Priya Shah", "Lars Berg") and notes.year == 2022
    plain = reports["short-field-notes"]
    assert plain.year == 2015 and plain.publisher == "Test Press" and plain.language == "en"
    assert plain.authors == ("Unknown",)
    outcome = result.files[2]
    assert any("authors" in n and "--authors" in n for n in outcome.notes)
    assert all(r.extra.get("source_sha256") for r in reports.values() if r.id != "existing-report")


def test_overrides_win_and_bad_values_leave_no_trace(corpus: Path, tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text(MARKDOWN)
    meta_before = (corpus / "reports.toml").read_bytes()
    files_before = sorted((corpus / "reports").iterdir())
    refused = ingest(settings_for(corpus), [md], overrides={"year": 1500}, build=False)
    assert refused.files[0].status == "refused" and "year" in (refused.files[0].reason or "")
    assert (corpus / "reports.toml").read_bytes() == meta_before
    assert sorted((corpus / "reports").iterdir()) == files_before
    blank_title = ingest(settings_for(corpus), [md], overrides={"title": "  "}, build=False)  # fails late
    assert blank_title.files[0].status == "refused" and "title" in (blank_title.files[0].reason or "")
    assert (corpus / "reports.toml").read_bytes() == meta_before
    assert sorted((corpus / "reports").iterdir()) == files_before
    overrides = {"title": "Another name", "authors": "A. Smith; B. Jones", "year": 2001, "id": "chosen-id"}
    result = ingest(settings_for(corpus), [md], overrides=overrides, build=False)
    assert result.files[0].id == "chosen-id"
    report = next(r for r in load_corpus(corpus) if r.id == "chosen-id")
    assert (report.title, report.authors, report.year) == ("Another name", ("A. Smith", "B. Jones"), 2001)


def test_failed_metadata_write_rolls_back_and_others_go_in(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import amicall_kg.ingest as ingest_module

    real_write = ingest_module._write_atomic
    fail = {"once": True}

    def flaky_write(path: Path, data: bytes) -> None:
        if path.name == "reports.toml" and fail.pop("once", False):
            raise OSError(28, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(ingest_module, "_write_atomic", flaky_write)
    first = tmp_path / "first.md"
    first.write_text(MARKDOWN)
    second = tmp_path / "second.txt"
    second.write_text("Second report\n\nThe residents met the mayor at the hall every week.")
    meta_before = (corpus / "reports.toml").read_bytes()
    result = ingest(settings_for(corpus), [first, second], build=False)
    assert [f.status for f in result.files] == ["refused", "added"]
    assert "No space left" in (result.files[0].reason or "") and str(first) in (result.files[0].reason or "")
    assert not (corpus / "reports" / "neighbourhood-dialogue-in-practice.txt").exists()
    assert (corpus / "reports.toml").read_bytes().startswith(meta_before)
    assert [r.id for r in load_corpus(corpus)] == ["existing-report", "second-report"]


def test_same_content_is_a_duplicate_not_a_copy(corpus: Path, tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text(MARKDOWN)
    copy = tmp_path / "copy-of-notes.md"
    copy.write_text(MARKDOWN)
    first = ingest(settings_for(corpus), [md, copy], build=False)
    assert [f.status for f in first.files] == ["added", "duplicate"]
    again = ingest(settings_for(corpus), [md], build=False)
    assert again.files[0].status == "duplicate" and again.files[0].id == first.files[0].id
    existing_text = tmp_path / "same.txt"
    existing_text.write_text("Existing report text about a city council.\n")
    assert ingest(settings_for(corpus), [existing_text], build=False).files[0].id == "existing-report"
    assert len(load_corpus(corpus)) == 2


def test_replace_updates_one_report_in_place(corpus: Path, tmp_path: Path) -> None:
    new = make_pdf(tmp_path / "v2.pdf", ["Revised\nThe council revised its plan."], title="Revised plan")
    result = ingest(settings_for(corpus), [new], replace="existing-report", build=False)
    assert result.files[0].status == "replaced"
    reports = {r.id: r for r in load_corpus(corpus)}
    assert list(reports) == ["existing-report"]
    report = reports["existing-report"]
    assert "revised its plan" in report.text() and report.pages() is not None
    assert report.title == "An existing report" and report.licence == "CC BY 4.0"  # curated metadata kept
    text = (corpus / "reports.toml").read_text()
    assert text.startswith("# Hand-written header comment") and "# trailing comment of the existing entry" in text
    missing = ingest(settings_for(corpus), [new], replace="no-such-report", build=False)
    assert missing.files[0].status == "refused" and "no such id" in (missing.files[0].reason or "")


def test_build_runs_only_when_something_changed(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import amicall_kg.build

    calls: list[Path] = []

    def fake_build(settings: Settings, force: bool = False, progress: Any = None) -> str:
        calls.append(settings.corpus)
        return "built"

    monkeypatch.setattr(amicall_kg.build, "build", fake_build)
    md = tmp_path / "notes.md"
    md.write_text(MARKDOWN)
    assert ingest(settings_for(corpus), [md]).build == "built"
    assert ingest(settings_for(corpus), [md]).build is None  # a duplicate: nothing to build
    assert calls == [corpus]


def test_new_corpus_folder_is_created(tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text(MARKDOWN)
    root = tmp_path / "fresh"
    ingest(settings_for(root), [md], build=False)
    assert [r.id for r in load_corpus(root)] == ["neighbourhood-dialogue-in-practice"]
    assert tomllib.loads((root / "reports.toml").read_text())["report"][0]["format"] == "markdown"


def test_cli_prints_outcomes_and_fails_when_a_file_is_refused(corpus: Path, tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text(MARKDOWN)
    empty = tmp_path / "empty.html"
    empty.write_text("")
    args = ["ingest", str(md), str(empty), "--no-build", "--corpus", str(corpus), "--language", "en"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "added     " in result.output and "neighbourhood-dialogue-in-practice" in result.output
    assert f"refused   {empty}: is empty" in result.output
    again = CliRunner().invoke(app, ["ingest", str(md), "--no-build", "--corpus", str(corpus), "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["files"][0]["status"] == "duplicate"


def test_concurrent_ingests_lose_no_entry(corpus: Path, tmp_path: Path) -> None:
    import threading

    groups = []
    for g in range(2):
        files = []
        for n in range(3):
            path = tmp_path / f"g{g}-n{n}.md"
            path.write_text(f"# Report {g} {n}\n\nThe council of town {g}-{n} met residents to discuss the plan.\n")
            files.append(path)
        groups.append(files)
    errors: list[BaseException] = []

    def run(files: list[Path]) -> None:
        try:
            ingest(settings_for(corpus), files, build=False)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(files,)) for files in groups]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(load_corpus(corpus)) == 7
    assert not [p for p in corpus.iterdir() if p.name.startswith(".")]
