"""The Streamlit app, page by page, with the core replaced by small fakes (``AppTest``).

The app reaches the core only through ``app/app_core.py``, so each test patches that
module's functions. Hostile report text (HTML, Markdown links, Streamlit directives)
must come out escaped on every page.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from amicall_kg.settings import load_settings
from amicall_kg.status import ReportStatus, Status

APP = Path(__file__).resolve().parents[1] / "app"
MAIN = str(APP / "main.py")
if str(APP) not in sys.path:
    sys.path.insert(0, str(APP))

from streamlit.testing.v1 import AppTest  # noqa: E402

import app_core  # noqa: E402

HOSTILE = (
    "<script>alert('x')</script> **bold** [click](javascript:alert(1)) :red[red] $x^2$ "
    "![img](http://example.invalid/a.png) <img src=x onerror=alert(1)>"
)
# Fragments that must never reach Markdown unescaped (a backslash before the special character escapes it).
RAW = (
    r"(?<!\\)<script",
    r"(?<!\\)\]\(javascript",
    r"(?<!\\)\*\*bold",
    r"(?<!\\):red",
    r"(?<!\\)!\\?\[img",
    r"(?<!\\)<img",
)


def practice(n: int, label: str, country: str, activity: str, catalyst: str, text: str) -> dict[str, Any]:
    return {
        "iri": f"https://w3id.org/amicall/id/practice/p{n}",
        "label": label,
        "description": f"Description of {label}",
        "place": f"Town {n}",
        "country": country,
        "activity_types": [activity],
        "catalysts": [catalyst],
        "actors": [f"council {n}"],
        "outcomes": [f"outcome {n}"],
        "goals": [],
        "target_groups": ["refugees"],
        "alt_labels": [],
        "population": 10000 * n,
        "evidence": [
            {"report": "report-a", "passage": f"report-a#{n}", "text": text, "start": 10 * n, "end": 10 * n + 9}
        ],
    }


PRACTICES = [
    practice(1, "Dialogue evenings", "Examplia", "dialogue processes", "violent incident", "Residents met monthly."),
    practice(2, "Rumour responders", "Otherland", "information campaigns", "rumours", "Volunteers answered rumours."),
    practice(3, HOSTILE, "Examplia", "intercultural festivals", "funding", HOSTILE),
]
PRACTICES[0] |= {"lat": 61.5, "lon": 23.8}  # one practice whose town has coordinates


@pytest.fixture
def fake_core(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, list[Any]]]:
    """Replace every core call of the app with a fake; record the calls."""
    calls: dict[str, list[Any]] = {"similar": [], "ask": [], "query": [], "build": [], "ingest": []}
    settings = load_settings(env={}, overrides={"indexes": tmp_path / "indexes", "app_maintain": True})

    def similar(situation: str, top_k: int, context: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        calls["similar"].append((situation, top_k, context))
        return [{**p, "score": 1.0 / n, "why": [f"same catalyst type: {p['catalysts'][0]}"]} for n, p in
                enumerate(PRACTICES, 1)][:top_k]  # fmt: skip

    def ask(question: str, top_k: int, filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        calls["ask"].append((question, top_k, filters))
        return [
            {**PRACTICES[1]["evidence"][0], "score": 0.5, "page": 4, "practices": [PRACTICES[1]["iri"]]},
            {**PRACTICES[2]["evidence"][0], "score": 0.4, "page": None, "practices": [PRACTICES[2]["iri"]]},
        ]

    def run_query(text: str) -> Any:
        calls["query"].append(text)
        term = {"type": "literal", "value": HOSTILE}
        return SimpleNamespace(variables=["label"], rows=[{"label": term}], triples=[], boolean=None,
                               truncated=False, elapsed=0.01)  # fmt: skip

    def build(progress: Any = None) -> Any:
        for i in range(3):
            progress("extract", i + 1, 3)
        calls["build"].append(True)
        return {"version": "v2", "noop": False, "seconds": 1.5, "changes": [{"id": "report-a", "status": "changed",
                "triples_added": 4, "triples_removed": 1, "practices_added": [HOSTILE]}], "warnings": [],
                "counts": {"practices": 3}}  # fmt: skip

    status = Status(
        corpus="corpus",
        indexes="indexes",
        reports=[ReportStatus("report-a", HOSTILE, 2020, "a.txt", 1234, True)],
        version="v1",
        built_at="2026-01-01T00:00:00Z",
        stale=False,
        counts={"practices": 3, "passages": 10},
    )
    fakes = {
        "get_settings": lambda: settings,
        "warm_up": lambda: None,
        "all_practices": lambda: PRACTICES,
        "similar": similar,
        "ask": ask,
        "run_query": run_query,
        "query_library": lambda: [("practices.rq", "# title: All practices\n# question: Which <b>?\nSELECT ?p {}")],
        "corpus_status": lambda: status,
        "scheme_labels": lambda scheme: ["rumours", "violent incident"] if scheme == "catalyst-type" else [],
        "report_text": lambda rid: "x" * 200,
        "vocabulary": lambda: SimpleNamespace(labels=lambda: {}),
        "build": build,
        "ingest": lambda files, overrides=None: calls["ingest"].append([p.name for p in files]) or {"added": 1},
    }
    for name, fake in fakes.items():
        monkeypatch.setattr(app_core, name, fake)
    yield calls


def open_page(page: str | None = None) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=30).run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def rendered_markdown(at: AppTest) -> list[str]:
    """Every string Streamlit renders as Markdown on the page (bodies and labels)."""
    texts: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success"):
        texts += [str(e.value) for e in getattr(at, kind)]
    texts += [str(e.label) for e in at.expander]
    texts += [str(getattr(e, "proto", SimpleNamespace(label="")).label) for e in at.get("page_link")]
    return texts


def assert_escaped(at: AppTest) -> None:
    texts = rendered_markdown(at)
    joined = "\n".join(texts)
    for pattern in RAW:
        assert not re.search(pattern, joined), f"unescaped {pattern!r} rendered"
    assert r"\<script\>" in joined, "the hostile text should be shown, escaped"


def click(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def test_home_lists_reports_escaped(fake_core: dict[str, list[Any]]) -> None:
    at = open_page()
    assert [m.label for m in at.metric] == ["practices", "passages"]
    assert "v1" in " ".join(c.value for c in at.caption)
    frame = at.dataframe[0].value
    assert list(frame["title"]) == [HOSTILE]  # tables show text literally, never as Markdown


def test_similar_shows_ranked_cards_and_filters(fake_core: dict[str, list[Any]]) -> None:
    at = open_page("views/similar.py")
    at.text_area(key="similar-situation").input("a small town after a violent incident")
    at.selectbox(key="similar-catalyst").select("violent incident")
    at.number_input(key="similar-population").set_value(12000)
    at = click(at, "Find practices")
    assert not at.exception
    situation, top_k, context = fake_core["similar"][-1]
    assert (situation, top_k) == ("a small town after a violent incident", 5)
    assert context == {"population": 12000, "catalyst": "violent incident"}
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert headings[:2] == ["#### 1\\. Dialogue evenings", "#### 2\\. Rumour responders"]
    assert any("same catalyst type" in m.value for m in at.markdown)
    links = [e.proto for e in at.get("page_link")]
    assert [link.label for link in links if "side by side" in link.label] == ["Compare these 3 side by side"]
    assert_escaped(at)
    # A facet filter narrows the cards without asking the core again.
    at.multiselect(key="similar-facet-country").select("Otherland").run()
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert headings == ["#### 1\\. Rumour responders"]
    assert len(fake_core["similar"]) == 1


def test_similar_empty_situation_warns(fake_core: dict[str, list[Any]]) -> None:
    at = click(open_page("views/similar.py"), "Find practices")
    assert "Describe your situation" in at.warning[0].value
    assert fake_core["similar"] == []


def test_ask_highlights_and_cites(fake_core: dict[str, list[Any]]) -> None:
    at = open_page("views/ask.py")
    at.text_input(key="ask-question").input("who answered the rumours?")
    at = click(at, "Ask")
    assert not at.exception
    assert fake_core["ask"][-1][0] == "who answered the rumours?"
    bodies = [m.value for m in at.markdown]
    assert "Volunteers **answered** **rumours**\\." in bodies
    assert any("report\\-a\\, p\\. 4" in b for b in bodies), bodies
    assert_escaped(at)


def test_explore_facets_practice_page_and_graph(fake_core: dict[str, list[Any]]) -> None:
    at = open_page("views/explore.py")
    assert len(at.dataframe[0].value) == 3
    at.multiselect(key="explore-facet-country").select("Examplia").run()
    assert len(at.dataframe[0].value) == 2
    sparql_code = [c.value for c in at.code if "amc:Practice" in c.value]
    assert sparql_code and '"Examplia"' in sparql_code[0]
    at.selectbox(key="explore-practice").select(PRACTICES[2]["iri"]).run()
    assert not at.exception
    dot = at.get("graphviz_chart")[0].proto.spec
    assert "<script>" in dot and '\\"' not in dot.replace("\\\\", "")  # a label, quoted; no broken quotes
    assert_escaped(at)


def test_explore_maps_the_practices_with_coordinates(fake_core: dict[str, list[Any]]) -> None:
    at = open_page("views/explore.py")
    assert not at.exception
    assert "1 of 3 practice(s) have a place with coordinates." in [c.value for c in at.caption]


def test_explore_hands_its_sparql_to_the_console(fake_core: dict[str, list[Any]]) -> None:
    at = open_page("views/explore.py")
    at.multiselect(key="explore-facet-country").select("Otherland").run()
    shown = next(c.value for c in at.code if "amc:Practice" in c.value)
    at.button(key="explore-view-sparql").click().run()
    assert not at.exception
    assert at.title[0].value == "SPARQL"
    assert at.text_area(key="sparql-text").value == shown
    # AppTest does not follow st.switch_page for later runs (a browser does: its URL changes); follow it here.
    at.switch_page("views/sparql.py").run()
    at = click(at, "Run query")
    assert fake_core["query"] == [shown]


def test_explore_opens_practice_from_link(fake_core: dict[str, list[Any]]) -> None:
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.query_params["practice"] = PRACTICES[1]["iri"]
    at.run()
    at.switch_page("views/explore.py").run()
    assert at.selectbox(key="explore-practice").value == PRACTICES[1]["iri"]


def test_compare_side_by_side(fake_core: dict[str, list[Any]]) -> None:
    at = open_page("views/compare.py")
    at.multiselect(key="compare-picked").select(PRACTICES[0]["iri"]).select(PRACTICES[2]["iri"]).run()
    table = at.dataframe[0].value
    assert list(table["fact"])[:2] == ["Place", "Country"]
    assert list(table.columns)[1:] == ["1. Dialogue evenings", "2. " + HOSTILE[:39] + "…"]
    assert_escaped(at)


def test_compare_preselects_practices_from_link(fake_core: dict[str, list[Any]]) -> None:
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.query_params["practice"] = [PRACTICES[1]["iri"], "https://unknown.example/x", PRACTICES[0]["iri"]]
    at.run()
    at.switch_page("views/compare.py").run()
    assert at.multiselect(key="compare-picked").value == [PRACTICES[1]["iri"], PRACTICES[0]["iri"]]
    assert list(at.dataframe[0].value.columns)[1:] == ["1. Rumour responders", "2. Dialogue evenings"]


def test_sparql_runs_library_query_and_offers_csv(fake_core: dict[str, list[Any]]) -> None:
    at = open_page("views/sparql.py")
    at.selectbox(key="sparql-example").select("practices.rq").run()
    assert at.text_area(key="sparql-text").value.endswith("SELECT ?p {}")
    assert at.caption[0].value == "Which \\<b\\>\\?"
    at = click(at, "Run query")
    assert fake_core["query"] == ["# title: All practices\n# question: Which <b>?\nSELECT ?p {}"]
    assert list(at.dataframe[0].value["label"]) == [HOSTILE]
    assert at.get("download_button"), "a CSV download is offered"


def test_maintain_hidden_unless_enabled(fake_core: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_core, "get_settings", lambda: load_settings(env={}, overrides={"app_maintain": False}))
    at = open_page()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/maintain.py")
    # Run on its own, the page refuses too: no upload, no re-index.
    page = AppTest.from_file(str(APP / "views" / "maintain.py"), default_timeout=30).run()
    assert "switched off" in page.warning[0].value
    assert not page.button and not page.get("file_uploader")


def test_maintain_reindex_shows_changelog(fake_core: dict[str, list[Any]]) -> None:
    at = open_page("views/maintain.py")
    assert list(at.dataframe[0].value["title"]) == [HOSTILE]
    at = click(at, "Re-index now")
    assert not at.exception
    assert fake_core["build"] == [True]
    assert "v2" in at.success[-1].value
    changelog = at.dataframe[1].value
    assert list(changelog["status"]) == ["changed"]
    assert not [m for m in rendered_markdown(at) if re.search(RAW[0], m)]


def test_app_source_has_no_raw_html() -> None:
    """No raw HTML rendering anywhere in the app, and no st.write (which renders strings as Markdown)."""
    sources = {p: p.read_text(encoding="utf-8") for p in APP.rglob("*.py")}
    assert len(sources) >= 8
    for path, text in sources.items():
        assert "unsafe_allow_html" not in text, path
        assert not re.search(r"\bst\.html\s*\(", text), path
        assert not re.search(r"\bst\.write\s*\(", text), path
        assert "enableXsrfProtection=false" not in text.replace(" ", ""), path


def test_upload_checks_size_content_and_name() -> None:
    from amicall_kg.errors import ReaderError
    from amicall_kg.readers import detect_format
    from app_upload import UploadRefused, check_upload, safe_name

    def detect(name: str, head: bytes) -> str:
        return detect_format(Path(name), head)

    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\evil <b>.pdf") == "evil-b-.pdf"
    assert safe_name("...") == "report"
    assert check_upload("notes.md", b"# Title\n\nSome text.", 1.0, detect) == ("notes.md", "markdown")
    assert check_upload("x.pdf", b"%PDF-1.7\n...", 1.0, detect)[1] == "pdf"
    with pytest.raises(UploadRefused, match="over the 1 MiB limit"):
        check_upload("big.txt", b"a" * ((1 << 20) + 1), 1.0, detect)
    with pytest.raises(UploadRefused, match="empty"):
        check_upload("blank.txt", b"  \n", 1.0, detect)
    with pytest.raises(ReaderError, match="PNG image"):
        check_upload("report.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, 1.0, detect)
