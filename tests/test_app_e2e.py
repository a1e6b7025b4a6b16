"""End to end: ``amicall-kg app`` on a real build, driven by Debian's headless Chromium via Playwright.

Starts the server on a free 127.0.0.1 port, asks the Find-similar page for a situation and
checks that the practice the core ranks first appears as the first card; then stops the server.
A missing browser is a failure with the install command, never a silent skip.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

APP = Path(__file__).resolve().parents[1] / "app"
if str(APP) not in sys.path:
    sys.path.insert(0, str(APP))

from app_server import INSTALL_HINT, chromium_path, free_port, launch_browser, start_app, stop_app, wait_ready  # noqa: E402

SITUATION = (
    "False stories about immigrants are going round our city. We want volunteers trained to answer "
    "rumours, with a handbook and local media."
)


@pytest.fixture(scope="module")
def running_app(real_build: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app serving the session's real build; yields its base URL."""
    try:
        chromium_path()
    except FileNotFoundError as exc:
        pytest.fail(str(exc))
    port = free_port()
    log = tmp_path_factory.mktemp("app") / "app.log"
    process = start_app(port, corpus=real_build.corpus, indexes=real_build.indexes, log=log)
    try:
        wait_ready(port, process, timeout=90)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_app(process)
        assert process.returncode is not None


@pytest.mark.slow
def test_similar_practice_card_in_browser(running_app: str, real_build: Any) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a broken set-up, not a reason to skip
        pytest.fail("The playwright package is missing: pip install -e '.[dev]'. " + INSTALL_HINT)
    from amicall_kg.search import similar

    expected = similar(real_build, SITUATION, 5)
    assert expected, "the real build should rank some practice for this situation"
    top_label = str(expected[0]["label"])

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(f"{running_app}/similar")
            page.get_by_label("Your situation").fill(SITUATION)
            page.get_by_role("button", name="Find practices").click()
            first_card = page.locator("h4").first
            first_card.wait_for(timeout=120_000)
            assert first_card.inner_text().strip() == f"1. {top_label}"
            # The card shows its reasons and offers the practice page.
            page.get_by_text("Why it matches:").first.wait_for(timeout=30_000)
            link = page.locator("a", has_text="Open practice page").first
            link.wait_for(timeout=30_000)
            assert "practice=" in (link.get_attribute("href") or "")
        finally:
            browser.close()


HOSTILE_REPORT = """Harbourtown welcome notes

In Harbourtown the council opened a welcome cafe <img src=x onerror=alert(1)> where trained volunteers \
meet newcomers [every week](javascript:alert(2)) and **share** a meal; <script>alert(3)</script> local \
shops donate the food.
"""


@pytest.fixture(scope="module")
def maintained_app(real_build: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app with --maintain on a copy of the real build (so uploads never touch the shared one)."""
    try:
        chromium_path()
    except FileNotFoundError as exc:
        pytest.fail(str(exc))
    root = tmp_path_factory.mktemp("maintained")
    corpus, indexes = root / "corpus", root / "indexes"
    shutil.copytree(real_build.corpus, corpus)
    shutil.copytree(real_build.indexes, indexes, ignore=shutil.ignore_patterns("*.lock"))
    port = free_port()
    process = start_app(port, corpus=corpus, indexes=indexes, maintain=True, log=root / "app.log")
    try:
        wait_ready(port, process, timeout=90)
        yield f"http://127.0.0.1:{port}", root
    finally:
        stop_app(process)


@pytest.mark.slow
def test_upload_reindex_and_hostile_text_stays_text(maintained_app: tuple[str, Path]) -> None:
    """Upload a report through Maintain, re-index, then find its passage on Ask: shown as text, never run."""
    from playwright.sync_api import sync_playwright

    base, root = maintained_app
    upload = root / "harbourtown-notes.txt"
    upload.write_text(HOSTILE_REPORT, encoding="utf-8")
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(f"{base}/maintain")
            page.locator("input[type=file]").set_input_files(str(upload))
            page.get_by_role("button", name="Check and add to the corpus").click()
            page.get_by_text("Re-index below to make the new reports searchable").wait_for(timeout=120_000)
            page.get_by_role("button", name="Re-index now").click()
            page.get_by_text("is in service").wait_for(timeout=600_000)
            page.get_by_text("Changelog").wait_for(timeout=30_000)

            page.goto(f"{base}/ask")
            page.get_by_label("Your question").fill("Harbourtown welcome cafe volunteers meal")
            page.get_by_role("button", name="Ask", exact=True).click()
            page.get_by_text("matching word").first.wait_for(timeout=180_000)
            body = page.locator("[data-testid=stMain]").inner_text()
            assert "<img src=x onerror=alert(1)>" in body
            assert "<script>alert(3)</script>" in body
            assert "[every week](javascript:alert(2))" in body
            assert page.locator("[data-testid=stMain] img[src='x']").count() == 0
            assert page.locator("[data-testid=stMain] a[href^='javascript']").count() == 0
            page.wait_for_timeout(1000)
            assert dialogs == []
        finally:
            browser.close()
