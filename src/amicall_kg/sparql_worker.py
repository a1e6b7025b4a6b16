"""Run SPARQL queries in worker processes that can be killed at a deadline.

Oxigraph cannot interrupt a running query, so a pathological one (a cross join of every
triple with itself, four times) would hold a CPU for hours. Each query therefore runs in a
worker subprocess; the caller waits on the worker's pipe with a deadline and, when it passes,
kills the worker (CPU freed at once) and starts a fresh one. A small pool of pre-started
workers keeps normal queries fast. Requests and answers are single JSON lines (no pickle).

Run as ``python -m amicall_kg.sparql_worker``: the worker loop, reading stdin.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from typing import Any

from .sparql_terms import term_to_json, triple_to_json
from .store import has_merged_graph

_STORE_CACHE_SIZE = 2


class WorkerTimeout(Exception):
    """The query did not finish by its deadline; its worker was killed."""


class WorkerCrashed(Exception):
    """The worker exited while running a query (out of memory, a crash in the engine)."""


def execute(store: Any, query: str, prefixes: dict[str, str], max_rows: int) -> dict[str, Any]:
    """Run one query on an open pyoxigraph store; the answer as a JSON-able dict.

    Reads at most ``max_rows + 1`` solutions or triples, so a cap also bounds the work
    of streaming queries, and says whether more were left (``truncated``).
    """
    import pyoxigraph as ox

    try:
        union = not has_merged_graph(store)  # a store built before the merged default graph
        result = store.query(query, prefixes=prefixes, use_default_graph_as_union=union)
        if isinstance(result, ox.QueryBoolean):
            return {"ok": True, "kind": "ask", "boolean": bool(result)}
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows: list[dict[str, Any]] = []
            truncated = False
            for solution in result:
                if len(rows) >= max_rows:
                    truncated = True
                    break
                row = {}
                for name in variables:
                    value = solution[name]
                    if value is not None:
                        row[name] = term_to_json(value)
                rows.append(row)
            return {"ok": True, "kind": "select", "variables": variables, "rows": rows, "truncated": truncated}
        triples, truncated = _take(result, max_rows)
        return {"ok": True, "kind": "graph", "triples": [triple_to_json(t) for t in triples], "truncated": truncated}
    except SyntaxError as exc:
        return {"ok": False, "error": "syntax", "message": str(exc)}
    except (OSError, ValueError, RuntimeError) as exc:
        return {"ok": False, "error": "query", "message": str(exc)}


def _take(items: Iterable[Any], limit: int) -> tuple[list[Any], bool]:
    out: list[Any] = []
    for item in items:
        if len(out) >= limit:
            return out, True
        out.append(item)
    return out, False


# --- the worker process --------------------------------------------------------------


def _die_with_parent() -> None:
    """Linux: be killed when the parent dies, even in the middle of a query."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class StoreHolder:
    """A version's store, read-only; swapped for an in-memory copy once one is made.

    Oxigraph answers from memory several times faster than from its on-disk (RocksDB) store,
    and a published version never changes, so a copy is safe. Stores whose files take at most
    ``memory_mb`` MiB are copied by a background thread (a 1M-triple store takes ~25 s and
    ~320 MiB), while queries are answered from disk meanwhile, so no query waits for the copy.
    """

    def __init__(self, ox: Any, path: str, memory_mb: float, background: bool = True) -> None:
        self.current: Any = ox.Store.read_only(path)
        self.ready = threading.Event()  # set when the in-memory copy is in use
        size = sum(f.stat().st_size for f in os.scandir(path) if f.is_file())
        if memory_mb <= 0 or size > memory_mb * 1024 * 1024:
            return
        if background:
            threading.Thread(target=self._copy, args=(ox,), daemon=True).start()
        else:
            self._copy(ox)

    def _copy(self, ox: Any) -> None:
        # dump + load run in Rust without the GIL, so queries go on meanwhile (bulk_extend holds it).
        data = self.current.dump(format=ox.RdfFormat.N_QUADS)
        memory = ox.Store()
        memory.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        del data
        self.current = memory
        self.ready.set()


def worker_main() -> None:
    """Answer one JSON request per stdin line until stdin closes."""
    import pyoxigraph as ox

    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stores: dict[str, StoreHolder] = {}
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            path, memory_mb = request["store"], float(request.get("memory_mb", 0))
            key = f"{path}\x00{memory_mb}"
            if key not in stores:
                while len(stores) >= _STORE_CACHE_SIZE:
                    stores.pop(next(iter(stores)))
                stores[key] = StoreHolder(ox, path, memory_mb)
            answer = execute(stores[key].current, request["query"], request["prefixes"], int(request["max_rows"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            answer = {"ok": False, "error": "store", "message": str(exc)}
        out.write(json.dumps(answer).encode("ascii") + b"\n")
        out.flush()


# --- the pool, in the calling process --------------------------------------------------


class _Worker:
    def __init__(self) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "amicall_kg.sparql_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def call(self, request: dict[str, Any], deadline: float) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(json.dumps(request).encode("ascii") + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerCrashed(f"worker exited with code {self.proc.poll()}") from None
        fd = self.proc.stdout.fileno()
        buf = bytearray()
        while not buf.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerTimeout
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                raise WorkerTimeout
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise WorkerCrashed(f"worker exited with code {self.proc.wait()}")
            buf += chunk
        answer: dict[str, Any] = json.loads(buf)
        return answer

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


class WorkerPool:
    """At most ``size`` workers running queries at once; idle ones are kept warm."""

    def __init__(self, size: int = 2) -> None:
        self.size = max(1, size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.size)
        self._closed = False

    def start(self) -> None:
        """Pre-start every worker so the first queries do not pay the start-up."""
        with self._lock:
            while len(self._idle) < self.size:
                self._idle.append(_Worker())

    def run(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request to a free worker; kill it if no answer within ``timeout``."""
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=max(0.0, timeout)):
            raise WorkerTimeout
        try:
            worker = self._checkout()
            try:
                answer = worker.call(request, deadline)
            except WorkerTimeout:
                worker.kill()
                self._replace()
                raise
            except WorkerCrashed:
                worker.kill()
                self._replace()
                raise
            self._checkin(worker)
            return answer
        finally:
            self._slots.release()

    def _checkout(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
        return _Worker()

    def _checkin(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed or len(self._idle) >= self.size:
                worker.kill()
            else:
                self._idle.append(worker)

    def _replace(self) -> None:
        """Start a fresh worker in place of a killed one, ready for the next query."""
        with self._lock:
            if not self._closed and len(self._idle) < self.size:
                self._idle.append(_Worker())

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


_POOLS: dict[int, WorkerPool] = {}
_POOLS_LOCK = threading.Lock()


def shared_pool(size: int = 2) -> WorkerPool:
    """The process-wide pool of ``size`` workers (created on first use, closed at exit)."""
    with _POOLS_LOCK:
        pool = _POOLS.get(size)
        if pool is None:
            pool = _POOLS[size] = WorkerPool(size)
        return pool


@atexit.register
def _close_pools() -> None:
    for pool in list(_POOLS.values()):
        pool.close()


if __name__ == "__main__":
    worker_main()
