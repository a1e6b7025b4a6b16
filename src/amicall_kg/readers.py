"""Read report files (PDF, DOCX, HTML, Markdown, text) into plain text, safely.

``read_file`` parses each file in a child process (``python -m amicall_kg.readers``) with a wall-clock
timeout and ``setrlimit`` caps on memory and CPU, so a hostile or broken file can neither hang nor
kill the caller; the child answers with JSON on stdout. ``read_bytes`` is the in-process parser the
child runs. The type is detected from the content (magic bytes), the extension only breaks ties.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ReaderError
from .readers_base import FORMATS, Limits, ReadResult

__all__ = ["FORMATS", "Limits", "ReadResult", "detect_format", "read_bytes", "read_file"]

EXTENSIONS = {
    ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
}  # fmt: skip
_OTHER_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_SUPPORTED = "Give a PDF, DOCX, HTML, Markdown or plain text file"
# Test-only: ``sleep:SECONDS`` or ``alloc:MIB`` makes the child misbehave, to prove the limits hold.
TEST_HOOK_ENV = "AMICALL_READER_TEST_HOOK"


def detect_format(path: Path, head: bytes) -> str:
    """The file's format from its first bytes; refuses content that contradicts its name or is unsupported."""
    ext = EXTENSIONS.get(path.suffix.lower())
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"  # the DOCX reader checks it is a Word document
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if "EncryptedPackage".encode("utf-16-le") in head or ext == "docx":
            raise ReaderError(
                path, "is a password-protected Office document", "Save an unprotected .docx copy and ingest that"
            )
        raise ReaderError(path, "is an old-style Office file (.doc/.xls)", "Save it as .docx or PDF and ingest that")
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            raise ReaderError(path, f"is {what}, not a supported report format", _SUPPORTED)
    if ext in ("pdf", "docx"):
        kind = "PDF" if ext == "pdf" else "Word document"
        raise ReaderError(
            path,
            f"is named {path.suffix} but its content is not a {kind} (truncated, corrupted or mislabelled)",
            "Download or export the file again",
        )
    lowered = stripped[:1024].lower()
    sniffed = lowered.startswith((b"<!doctype html", b"<html")) or (ext != "markdown" and b"<html" in lowered[:512])
    if ext == "html" or sniffed:
        return "html"
    if ext == "markdown":
        return "markdown"
    if ext in (None, "text"):
        return "text"
    return ext


def read_bytes(path: Path, data: bytes, limits: Limits) -> ReadResult:
    """Parse a file's bytes in this process (the child's job; use ``read_file`` from elsewhere)."""
    if not data.strip():
        raise ReaderError(path, "is empty", "Check it is the right file; an empty report cannot be indexed")
    if len(data) > limits.max_file_mb * (1 << 20):
        raise ReaderError(
            path,
            f"is {len(data) / (1 << 20):,.1f} MiB, more than the limit of {limits.max_file_mb:g} MiB",
            "Split it, or raise the limit with AMICALL_MAX_FILE_MB",
        )
    fmt = detect_format(path, data[:4096])
    readers: dict[str, Callable[[Path, bytes, Limits], ReadResult]]
    if fmt == "pdf":
        from .readers_pdf import read_pdf

        return read_pdf(path, data, limits)
    if fmt == "docx":
        from .readers_docx import read_docx

        return read_docx(path, data, limits)
    if fmt == "html":
        from .readers_html import read_html

        return read_html(path, data, limits)
    from .readers_text import read_markdown, read_text

    readers = {"markdown": read_markdown, "text": read_text}
    return readers[fmt](path, data, limits)


def _timeout_error(path: Path, limits: Limits) -> ReaderError:
    return ReaderError(
        path,
        f"took longer than {limits.read_timeout:g} s to read and was stopped",
        "Check the file is not damaged or hostile; if it is just large, raise AMICALL_READ_TIMEOUT",
    )


def _memory_error(path: Path, limits: Limits) -> ReaderError:
    return ReaderError(
        path,
        f"needed more than {limits.read_memory_mb:,} MiB of memory to read and was stopped",
        "Check the file is not damaged or hostile; if it is just large, raise AMICALL_READ_MEMORY_MB",
    )


def read_file(path: Path, limits: Limits | Any, isolated: bool = True) -> ReadResult:
    """Read one report file into text, in a limited child process unless ``isolated`` is False.

    ``limits`` is a ``Limits`` or a ``Settings``. Every failure is a ``ReaderError`` naming the file.
    """
    path = Path(path)
    limits = limits if isinstance(limits, Limits) else Limits.from_settings(limits)
    if not path.is_file():
        raise ReaderError(path, "does not exist or is not a file", "Check the path")
    size = path.stat().st_size
    if size == 0:
        raise ReaderError(path, "is empty", "Check it is the right file; an empty report cannot be indexed")
    if size > limits.max_file_mb * (1 << 20):
        raise ReaderError(
            path,
            f"is {size / (1 << 20):,.1f} MiB, more than the limit of {limits.max_file_mb:g} MiB",
            "Split it, or raise the limit with AMICALL_MAX_FILE_MB",
        )
    if not isolated:
        return read_bytes(path, path.read_bytes(), limits)
    command = [sys.executable, "-m", "amicall_kg.readers", str(path.resolve()), json.dumps(limits.as_dict())]
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=limits.read_timeout, stdin=subprocess.DEVNULL, check=False
        )
    except subprocess.TimeoutExpired:
        raise _timeout_error(path, limits) from None
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL) and not done.stdout:
        # SIGXCPU: the CPU limit; SIGKILL: the kernel's out-of-memory killer.
        raise (_timeout_error if done.returncode == -signal.SIGXCPU else _memory_error)(path, limits)
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
        raise ReaderError(
            path,
            f"crashed the reader ({detail[0][:200]})",
            "The file is probably damaged; export it again, or report the problem with the file attached",
        ) from None
    if answer.get("ok"):
        return ReadResult.from_dict(answer["result"])
    if answer.get("kind") == "memory":
        raise _memory_error(path, limits)
    raise ReaderError(path, str(answer["problem"]), str(answer["fix"]))


def _apply_limits(limits: Limits) -> None:
    """Cap this (child) process's address space and CPU seconds."""
    import resource

    memory = int(limits.read_memory_mb) << 20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, math.ceil(limits.read_timeout)) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _test_hook() -> None:
    hook = os.environ.get(TEST_HOOK_ENV, "")
    kind, _, value = hook.partition(":")
    if kind == "sleep":
        time.sleep(float(value))
    elif kind == "alloc":
        hog = [bytearray(1 << 20) for _ in range(int(value))]
        del hog


def _child(argv: list[str]) -> int:
    """Child entry point: read ``argv[0]`` under ``argv[1]`` (limits JSON), answer JSON on stdout."""
    path = Path(argv[0])
    limits = Limits(**json.loads(argv[1]))
    answer: dict[str, Any]
    try:
        _apply_limits(limits)
        _test_hook()
        result = read_bytes(path, path.read_bytes(), limits)
        answer = {"ok": True, "result": result.as_dict()}
    except ReaderError as exc:
        answer = {"ok": False, "problem": exc.problem, "fix": exc.fix}
    except MemoryError:
        answer = {"ok": False, "kind": "memory"}
    except RecursionError:
        answer = {"ok": False, "problem": "is nested too deeply to parse", "fix": "Check where the file came from"}
    except Exception as exc:
        answer = {
            "ok": False,
            "problem": f"could not be parsed ({type(exc).__name__}: {str(exc)[:200]}); it may be damaged",
            "fix": "Export or download it again",
        }
    sys.stdout.write(json.dumps(answer, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
