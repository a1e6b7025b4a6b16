"""Start and stop the app on a free 127.0.0.1 port and drive Debian's Chromium.

Shared by the end-to-end test, ``scripts/screenshots.py`` and ``benchmarks/bench_app.py``.
The browser is the system's ``chromium`` (never a download); traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
INSTALL_HINT = "Install Debian's Chromium with `apt-get install -y chromium chromium-driver` (or `make browser`)."


def free_port() -> int:
    """A TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_app(
    port: int, corpus: Path | None = None, indexes: Path | None = None, maintain: bool = False, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """``amicall-kg app`` in the background (the command replaces itself with the server)."""
    command = [sys.executable, "-m", "amicall_kg", "app", "--port", str(port)]
    if corpus is not None:
        command += ["--corpus", str(corpus)]
    if indexes is not None:
        command += ["--indexes", str(indexes)]
    if maintain:
        command.append("--maintain")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    out = open(log, "wb") if log is not None else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)


def wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> float:
    """Wait for the server's health check; return the seconds it took."""
    started = time.monotonic()
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"The app exited early with code {process.returncode}.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"The app did not answer on port {port} within {timeout:g} s.")


def stop_app(process: subprocess.Popen[bytes]) -> None:
    """Stop the server started by ``start_app`` (SIGTERM, then SIGKILL)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def chromium_path() -> str:
    """The system Chromium; a clear error when it is missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise FileNotFoundError("No `chromium` on PATH. " + INSTALL_HINT)
    return path


def launch_browser(playwright: Any) -> Any:
    """A headless Chromium browser (Playwright) from the system's package."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
