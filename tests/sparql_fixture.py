"""Helpers shared by the SPARQL, endpoint and export tests: a built version from a TriG fixture."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "sparql" / "graph.trig"


def make_version(folder: Path, trig: Path = FIXTURE) -> Path:
    """A sealed version folder whose Oxigraph store holds the fixture's named graphs (store closed after)."""
    import pyoxigraph as ox

    from amicall_kg.store import open_store

    from .search_fixtures import seal_version

    store = open_store(folder, read_only=False)
    store.load(path=str(trig), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    seal_version(folder)
    return folder


def count_quads(version: Path) -> int:
    import pyoxigraph as ox

    from amicall_kg.store import store_path

    return len(ox.Store.read_only(str(store_path(version))))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def oxigraph_binary() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.exists() else shutil.which("oxigraph")
    assert found, "the `oxigraph` server is a dev dependency: .venv/bin/pip install 'oxigraph>=0.5,<0.6'"
    return found


@contextmanager
def running_oxigraph(location: Path) -> Iterator[str]:
    """A real ``oxigraph serve`` on a free 127.0.0.1 port; yields its base URL, stops it after."""
    port = free_port()
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None, "oxigraph server exited"
                assert time.monotonic() < deadline, "oxigraph server did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
