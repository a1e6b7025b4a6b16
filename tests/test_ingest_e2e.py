"""A maintainer's round trip: a new report (PDF and DOCX versions) ingested into a copy of the built project
shows up in ``practices``, ``similar`` and SPARQL, with page citations for the PDF. Real models: slow."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from amicall_kg.cli import app
from amicall_kg.ingest import ingest
from amicall_kg.settings import load_settings

from .test_readers import make_pdf

# A short report in our own words about practices in cities outside the bundled corpus.
PAGE_ONE = (
    "Introduction\nThis short briefing describes how two medium-sized cities responded to tension between "
    "long-standing residents and newly arrived refugees. In Tampere, Finland, the city council launched an "
    "information campaign after rumours spread about housing allocation. The council worked with the local "
    "newspaper and with migrant associations to publish plain facts about who receives housing."
)
PAGE_TWO = (
    "Dialogue in Ghent\nIn Ghent, Belgium, a violent incident outside a youth centre prompted the municipality to "
    "open a series of dialogue processes. Neighbourhood mediators, the police and youth workers met residents "
    "every fortnight. Participants reported that trust between groups improved and complaints fell."
)


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Two cities respond to local tension (Word version)"
    document.core_properties.author = "Test Author"
    for page in (PAGE_ONE, PAGE_TWO):
        heading, body = page.split("\n", 1)
        document.add_heading(heading, 1)
        document.add_paragraph(body)
    document.save(str(path))
    return path


def _json(args: list[str]) -> Any:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.slow
def test_new_report_reaches_practices_similar_and_sparql(real_build: Any, tmp_path: Path) -> None:
    corpus = shutil.copytree(real_build.corpus, tmp_path / "corpus")
    indexes = shutil.copytree(real_build.indexes, tmp_path / "indexes")
    settings = load_settings(env={}, overrides={"corpus": corpus, "indexes": indexes})
    pdf = make_pdf(tmp_path / "briefing.pdf", [PAGE_ONE, PAGE_TWO], title="Two cities respond to local tension")
    files = [pdf, _docx(tmp_path / "briefing.docx")]
    meta = {"publisher": "Test", "source": "https://example.org/briefing", "licence": "Test text", "year": 2024}
    result = ingest(settings, files, overrides=meta)
    assert [f.status for f in result.files] == ["added", "added"], result.files
    assert result.build_error is None
    pdf_id, docx_id = (f.id for f in result.files)
    where = ["--corpus", str(corpus), "--indexes", str(indexes)]

    practices = _json(["practices", "--json", *where])
    new = [p for p in practices if any(e["report"] in (pdf_id, docx_id) for e in p["evidence"])]
    assert new, "no practice extracted from the new report"
    pdf_pages = {e["page"] for p in new for e in p["evidence"] if e["report"] == pdf_id}
    assert pdf_pages and pdf_pages <= {1, 2}

    similar = _json(["similar", "rumours about housing for refugees; we want to publish the facts", "--json", *where])
    assert any(e["report"] in (pdf_id, docx_id) for p in similar for e in p["evidence"])

    query = (
        "SELECT DISTINCT ?practice WHERE { ?practice amc:evidence ?passage . ?passage amc:inReport ?report . "
        f'?report dcterms:identifier "{pdf_id}" }}'
    )
    rows = _json(["sparql", query, "--format", "json", *where])
    assert rows["results"]["bindings"]
