"""App benchmark: cold start to first answer, a warm answer, and peak RSS of the app while serving.

Each round launches ``amicall-kg app`` on a free 127.0.0.1 port (browser already running, so its
start is not counted), asks the Find-similar page one situation in headless Chromium and times
launch -> first practice card. It then asks a second situation (warm), opens Ask and Explore, and
reads the server's peak resident memory (``VmHWM`` of the process and its children). Baseline,
measured in the same run: the cold CLI ``amicall-kg similar`` doing the same query without the app.

    .venv/bin/python benchmarks/bench_app.py [--indexes DIR] [--corpus DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from app_server import free_port, launch_browser, start_app, stop_app, wait_ready  # noqa: E402

SITUATION = "Rumours about migrants spread in our town; we want trained volunteers to answer them."
WARM_SITUATION = "A small town where refugees arrived and residents feel left out; we want them to meet."
QUESTION = "What did councils do after a violent incident?"
WAIT = 180_000


def peak_rss_mb(pid: int) -> float:
    """Peak resident set (VmHWM) of a process plus its live children, in MiB."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def ask_similar(page: Any, base: str, situation: str) -> float:
    """Seconds from submitting a situation to the first practice card."""
    page.goto(base + "/similar")
    page.get_by_label("Your situation").fill(situation)
    started = time.perf_counter()
    page.get_by_role("button", name="Find practices").click()
    page.locator("h4").first.wait_for(timeout=WAIT)
    return time.perf_counter() - started


def app_round(browser: Any, args: argparse.Namespace) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    launched = time.perf_counter()
    process = start_app(port, corpus=args.corpus, indexes=args.indexes)
    try:
        ready = wait_ready(port, process, timeout=120)
        ask_similar(page, base, SITUATION)
        cold = time.perf_counter() - launched
        warm = ask_similar(page, base, WARM_SITUATION)
        page.goto(base + "/ask")
        page.get_by_label("Your question").fill(QUESTION)
        page.get_by_role("button", name="Ask", exact=True).click()
        page.get_by_text("matching word").first.wait_for(timeout=WAIT)
        page.goto(base + "/explore")
        page.locator("h3").first.wait_for(timeout=WAIT)
        rss = peak_rss_mb(process.pid)
    finally:
        stop_app(process)
        page.close()
    return {"ready": ready, "cold": cold, "warm": warm, "rss": rss}


def cli_round(args: argparse.Namespace) -> float:
    command = [sys.executable, "-m", "amicall_kg", "similar", SITUATION, "--json"]
    if args.corpus:
        command += ["--corpus", str(args.corpus)]
    if args.indexes:
        command += ["--indexes", str(args.indexes)]
    started = time.perf_counter()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indexes", type=Path)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    baseline = [cli_round(args) for _ in range(args.repeat)]
    rounds = []
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            rounds = [app_round(browser, args) for _ in range(args.repeat)]
        finally:
            browser.close()

    def med(key: str) -> float:
        return statistics.median(r[key] for r in rounds)

    cli = statistics.median(baseline)
    print(f"rounds: {args.repeat}")
    print(f"baseline  cold CLI `similar` (process start to answer): median {cli:.2f} s")
    print(f"app       server ready (health check):                 median {med('ready'):.2f} s")
    print(f"app       cold start to first answer (launch -> card): median {med('cold'):.2f} s  (target < 15 s)")
    print(f"app       warm answer (submit -> card):                 median {med('warm'):.2f} s")
    print(f"app       peak RSS while serving:                       max {max(r['rss'] for r in rounds):.0f} MiB"
          " (target < 1536 MiB)")  # fmt: skip
    print(f"ratio     app cold / CLI cold: {med('cold') / cli:.2f}; warm / CLI cold: {med('warm') / cli:.2f}")


if __name__ == "__main__":
    main()
