"""Save a screenshot of each page of the app into docs/screenshots/ (for the README).

Starts ``amicall-kg app --maintain`` on a free 127.0.0.1 port against a built index, drives
Debian's headless Chromium with Playwright, runs one example interaction per page and stops
the server. Usage::

    .venv/bin/python scripts/screenshots.py [--indexes DIR] [--corpus DIR] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from app_server import free_port, launch_browser, start_app, stop_app, wait_ready  # noqa: E402

SITUATION = (
    "A town of about 30,000 people where rumours about migrants spread after refugees arrived; "
    "we want volunteers and local media to counter them."
)
QUESTION = "How did local authorities counter rumours about migrants?"
WAIT = 180_000  # ms: the first query loads the encoder
MAX_HEIGHT = 3200  # px: long result pages are cut here


def settle(page: Any, seconds: float = 1.5) -> None:
    """Let Streamlit finish its run and the layout settle."""
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=WAIT)
    time.sleep(seconds)


def shoot(page: Any, out: Path, name: str) -> None:
    """Screenshot the whole page: Streamlit scrolls inside its main pane, so grow the viewport to fit it."""
    settle(page)
    viewport = 900
    for _ in range(6):  # grow until the content fits (it may still be laying out)
        height = int(page.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollHeight ?? 900"))
        if height <= viewport or viewport >= MAX_HEIGHT:
            break
        viewport = min(height + 40, MAX_HEIGHT)
        page.set_viewport_size({"width": 1280, "height": viewport})
        settle(page, 0.8)
    path = out / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1280, "height": 900})
    print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def run(base: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/")
        page.locator("h1").first.wait_for(timeout=WAIT)
        shoot(page, out, "home")

        page.goto(base + "/similar")
        page.get_by_label("Your situation").fill(SITUATION)
        page.get_by_role("button", name="Find practices").click()
        page.locator("h4").first.wait_for(timeout=WAIT)
        shoot(page, out, "similar")

        page.goto(base + "/ask")
        page.get_by_label("Your question").fill(QUESTION)
        page.get_by_role("button", name="Ask", exact=True).click()
        page.get_by_text("matching word").first.wait_for(timeout=WAIT)
        shoot(page, out, "ask")

        page.goto(base + "/explore")
        page.locator("h3").first.wait_for(timeout=WAIT)
        shoot(page, out, "explore")
        page.get_by_role("tab", name="Graph").click()
        shoot(page, out, "explore-graph")

        page.goto(base + "/similar")
        page.get_by_label("Your situation").fill(SITUATION)
        page.get_by_role("button", name="Find practices").click()
        page.locator("a", has_text="side by side").first.click()  # the top results, on the Compare page
        page.get_by_text("Evidence").first.wait_for(timeout=WAIT)
        shoot(page, out, "compare")

        page.goto(base + "/sparql")
        page.get_by_role("button", name="Run query").click()
        page.get_by_text("row(s) in").first.wait_for(timeout=WAIT)
        shoot(page, out, "sparql")

        page.goto(base + "/maintain")
        page.locator("h1").first.wait_for(timeout=WAIT)
        shoot(page, out, "maintain")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indexes", type=Path, help="built indexes folder (default: the project's)")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: the project's)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = start_app(port, corpus=args.corpus, indexes=args.indexes, maintain=True, log=args.out / ".app.log")
    try:
        wait_ready(port, process)
        run(f"http://127.0.0.1:{port}", args.out)
    finally:
        stop_app(process)
        (args.out / ".app.log").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
