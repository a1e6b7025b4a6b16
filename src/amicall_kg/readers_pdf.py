"""PDF reader (pypdf): text per page with a page map, outline as sections, info dict and XMP as metadata."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

from .errors import ReaderError
from .readers_base import Limits, ReadResult, check_text_size, finish_metadata

_OCR_FIX = "It has no text layer (scanned pages?): run OCR first, e.g. `ocrmypdf in.pdf out.pdf`, and ingest the result"


def _page_lines(raw: str) -> list[str]:
    """One page's extracted lines: normalised newlines, no trailing spaces, no NULs."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\f", "\n")
    return [line.rstrip() for line in text.split("\n")]


def _page_text(lines: list[str]) -> str:
    """Join a page's lines: words hyphenated across a line break are rejoined, and a line that ends
    mid-sentence (lowercase letter or comma) continues on the next lowercase line with a space."""
    text = "\n".join(lines)
    text = re.sub(r"(\w)-\n(?=[a-z])", r"\1", text)
    text = re.sub(r"([a-z,;])\n(?=[a-z])", r"\1 ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


class _Warnings(logging.Handler):
    """Collects pypdf's warnings: signs that a damaged file was repaired while reading."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 20:
            self.messages.append(record.getMessage()[:120])


_BAD_CHARS = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b-\x1f]")


def _garbled(text: str) -> bool:
    """Text that is mostly replacement, private-use or control characters (fonts without a Unicode map)."""
    visible = len(text) - text.count(" ") - text.count("\n")
    return visible > 0 and len(_BAD_CHARS.findall(text)) > 0.3 * visible


def _has_images(reader: Any, index: int) -> bool:
    try:
        resources = reader.pages[index].get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        return any(xobjects[name].get("/Subtype") == "/Image" for name in xobjects)
    except Exception:
        return False


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _strip_running(pages: list[list[str]], keep: set[str]) -> tuple[list[list[str]], list[str]]:
    """Remove running headers and footers (page numbers, report title) repeated at the top or bottom of
    at least half the pages (and at least three), so they do not break sentences in the text.
    Lines in ``keep`` (outline titles, digits as ``#``) and long lines are never removed."""
    if len(pages) < 3:
        return pages, []

    def edges(lines: list[str]) -> list[int]:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        return sorted(set(filled[:2] + filled[-2:]))

    counts: dict[str, int] = {}
    for lines in pages:
        for key in {_edge_key(lines[i]) for i in edges(lines)}:
            counts[key] = counts.get(key, 0) + 1
    threshold = max(3, len(pages) // 2)
    running = {key for key, n in counts.items() if n >= threshold and len(key) <= 100 and key not in keep}
    if not running:
        return pages, []
    cleaned: list[list[str]] = []
    for lines in pages:
        kept = list(lines)
        for _ in range(2):  # from the top: at most two running lines, each at the current edge
            while kept and not kept[0].strip():
                kept.pop(0)
            if kept and _edge_key(kept[0]) in running:
                kept.pop(0)
        for _ in range(2):  # and from the bottom
            while kept and not kept[-1].strip():
                kept.pop()
            if kept and _edge_key(kept[-1]) in running:
                kept.pop()
        cleaned.append(kept)
    return cleaned, sorted(running)


def _metadata(reader: Any) -> dict[str, Any]:
    """Title, authors, date and language from the info dictionary, completed from XMP."""
    meta: dict[str, Any] = {}
    try:
        info = reader.metadata
    except Exception:
        info = None
    if info is not None:
        for key, attr in (("title", "title"), ("authors", "author")):
            try:
                value = getattr(info, attr)
            except Exception:
                value = None
            if value:
                meta[key] = str(value)
        try:
            created = info.creation_date
        except Exception:
            created = None
        if created is not None:
            meta["date"] = created.date().isoformat()
    try:
        xmp = reader.xmp_metadata
    except Exception:
        xmp = None
    if xmp is not None:
        try:
            if "title" not in meta and xmp.dc_title:
                meta["title"] = next(iter(xmp.dc_title.values()))
            if "authors" not in meta and xmp.dc_creator:
                meta["authors"] = [str(a) for a in xmp.dc_creator]
            if "date" not in meta and xmp.dc_date:
                meta["date"] = str(xmp.dc_date[0])[:10]
            if xmp.dc_language:
                meta["language"] = str(xmp.dc_language[0])
        except Exception:
            pass  # malformed XMP: the info dictionary is enough
    return meta


def _outline(reader: Any) -> list[tuple[str, int]]:
    """Outline (bookmark) titles with their 0-based page numbers, in document order."""
    found: list[tuple[str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if len(found) >= 2000 or depth > 20:
                return
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            try:
                title = " ".join(str(item.title).split())
                number = reader.get_destination_page_number(item)
            except Exception:
                continue
            if title and number is not None:
                found.append((title, number))

    try:
        walk(list(reader.outline), 0)
    except Exception:
        return []
    return found


def _sections(outline: list[tuple[str, int]], text: str, pages: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Each outline title with the offset where it lands: the title on its page, else the page start."""
    found: list[tuple[str, int]] = []
    for title, number in outline:
        if 0 <= number < len(pages):
            start, end = pages[number]
            hit = text.lower().find(title.lower(), start, end)
            found.append((title, hit if hit >= 0 else start))
    return sorted(found, key=lambda s: s[1])


def read_pdf(path: Path, data: bytes, limits: Limits) -> ReadResult:
    """Read a PDF's text layer page by page; refuse encrypted, truncated, image-only or oversized files."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    warnings = _Warnings()
    logger = logging.getLogger("pypdf")
    logger.propagate = False
    logger.addHandler(warnings)
    if b"%%EOF" not in data.rstrip(b"\r\n\t \x00")[-1024:]:
        raise ReaderError(
            path,
            "is truncated or damaged: the PDF end marker (%%EOF) is missing",
            "Download or export the PDF again",
        )
    notes: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except DependencyError:
                opened = False
            if not opened:
                raise ReaderError(
                    path,
                    "is encrypted (password-protected)",
                    "Save an unprotected copy (e.g. `qpdf --decrypt --password=PW in.pdf out.pdf`) and ingest that",
                )
            notes.append("encrypted with an empty password: read without one")
        count = len(reader.pages)
    except ReaderError:
        raise
    except FileNotDecryptedError:
        raise ReaderError(
            path, "is encrypted (password-protected)", "Save an unprotected copy and ingest that"
        ) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError) as exc:
        raise ReaderError(
            path, f"is corrupted or not a valid PDF ({type(exc).__name__}: {exc})", "Download or export the PDF again"
        ) from None
    if count == 0:
        raise ReaderError(path, "has no pages", "Check it is the right file")
    if count > limits.max_pages:
        raise ReaderError(
            path,
            f"has {count:,} pages, more than the limit of {limits.max_pages:,}",
            "Split the PDF, or raise the limit with AMICALL_MAX_PAGES",
        )
    raw_pages: list[list[str]] = []
    size = 0
    for number in range(count):
        try:
            raw_pages.append(_page_lines(reader.pages[number].extract_text() or ""))
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError) as exc:
            raise ReaderError(
                path,
                f"page {number + 1} is corrupted ({type(exc).__name__}: {exc})",
                "Download or export the PDF again",
            ) from None
        size += sum(len(line) + 1 for line in raw_pages[-1])
        check_text_size(path, size, limits)
    outline = _outline(reader)
    raw_pages, running = _strip_running(raw_pages, {_edge_key(title) for title, _ in outline})
    if running:
        notes.append(f"removed {len(running)} running header/footer line(s) repeated across pages")
    parts: list[str] = []
    pages: list[tuple[int, int]] = []
    empty: list[int] = []
    garbled: list[int] = []
    offset = 0
    for number, lines in enumerate(raw_pages):
        page_text = _page_text(lines)
        if _garbled(page_text):
            garbled.append(number + 1)
            page_text = ""
        elif not page_text.strip():
            empty.append(number + 1)
        if number:
            offset += 2  # the blank line between pages
        pages.append((offset, offset + len(page_text)))
        parts.append(page_text)
        offset += len(page_text)
        check_text_size(path, offset, limits)
    if len(empty) + len(garbled) == count:
        if garbled and not empty:
            raise ReaderError(path, "has a text layer that cannot be decoded (fonts without a Unicode map)", _OCR_FIX)
        if not any(_has_images(reader, n - 1) for n in empty[:50]):
            damage = f" ({warnings.messages[0]})" if warnings.messages else ""
            raise ReaderError(
                path, f"has no readable text and no images: blank or damaged{damage}", "Export the PDF again"
            )
        raise ReaderError(path, f"has no text on any of its {count} page(s)", _OCR_FIX)
    for label, numbers in (("no text", empty), ("undecodable text dropped", garbled)):
        if numbers:
            shown = ", ".join(map(str, numbers[:20])) + (" ..." if len(numbers) > 20 else "")
            notes.append(f"{label} on page(s) {shown} (images only?)" if label == "no text" else f"{label}: {shown}")
    if warnings.messages:
        notes.append(f"the PDF needed repairs while reading: {'; '.join(warnings.messages[:3])}")
    text = "\n\n".join(parts) + "\n"
    meta = _metadata(reader)
    meta["page_count"] = count
    return ReadResult(
        text=text,
        format="pdf",
        pages=pages,
        sections=_sections(outline, text, pages),
        metadata=finish_metadata(meta),
        notes=notes,
    )
