"""One build at a time: an exclusive ``flock`` on ``indexes/build.lock``.

The kernel drops the lock when its holder dies (even by ``kill -9``), so a crashed
build never leaves a stale lock behind; the file itself stays and records the pid and
start time of the last holder, which the error message shows.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from .errors import BuildLockedError

LOCK_FILE = "build.lock"


class BuildLock:
    """Context manager holding ``<indexes>/build.lock`` exclusively, or raising ``BuildLockedError``."""

    def __init__(self, indexes: Path) -> None:
        self.path = indexes / LOCK_FILE
        self.acquired_at = 0.0
        self._handle: IO[str] | None = None

    def acquire(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown process"
            handle.close()
            raise BuildLockedError(
                f"Another build ({holder}) is running on {self.path.parent}. "
                "Wait for it to finish, then run the command again."
            ) from None
        self.acquired_at = time.time()
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
        finally:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> BuildLock:
        return self.acquire()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
