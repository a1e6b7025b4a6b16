"""DOCX reader: the zip is checked for bombs, then its XML is parsed with defusedxml (no DTDs, no entities)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from .errors import ReaderError
from .readers_base import Limits, ReadResult, check_text_size, finish_metadata

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CORE = {
    "{http://purl.org/dc/elements/1.1/}title": "title",
    "{http://purl.org/dc/elements/1.1/}creator": "authors",
    "{http://purl.org/dc/elements/1.1/}language": "language",
    "{http://purl.org/dc/terms/}created": "date",
}
MAX_MEMBERS = 10_000
_RATIO_FLOOR = 1 << 20  # ratios of members smaller than 1 MiB do not matter
_MB = 1 << 20


def open_zip(path: Path, data: bytes, limits: Limits) -> zipfile.ZipFile:
    """Open the archive and refuse zip bombs from the declared sizes, before inflating anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise ReaderError(
            path, f"is truncated or corrupted: not a readable zip archive ({exc})", "Save or download it again"
        ) from None
    if len(members) > MAX_MEMBERS:
        raise ReaderError(path, f"is a zip archive with {len(members):,} members", "It is not a normal Word document")
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped_mb * _MB:
        raise ReaderError(
            path,
            f"would unpack to {total / _MB:,.0f} MiB, more than the limit of {limits.max_unzipped_mb:,.0f} MiB "
            "(a zip bomb?)",
            "Check the file's origin; if it is genuine, raise AMICALL_MAX_UNZIPPED_MB",
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise ReaderError(path, "contains encrypted zip members", "Save an unprotected copy and ingest that")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and ratio > limits.max_zip_ratio:
            raise ReaderError(
                path,
                f"member {member.filename!r} is compressed {ratio:,.0f}:1, more than the limit of "
                f"{limits.max_zip_ratio:,.0f}:1 (a zip bomb?)",
                "Check the file's origin; if it is genuine, raise AMICALL_MAX_ZIP_RATIO",
            )
    return archive


def read_member(path: Path, archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    """Inflate one member, stopping as soon as it grows past its declared size (a lying header)."""
    info = archive.getinfo(name)
    cap = min(info.file_size, int(limits.max_unzipped_mb * _MB))
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 16):
                size += len(chunk)
                if size > cap:
                    raise ReaderError(
                        path,
                        f"member {name!r} inflates beyond its declared size (a zip bomb?)",
                        "Check the file's origin and save it again from Word",
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ReaderError(path, f"is truncated or corrupted ({name}: {exc})", "Save or download it again") from None
    return b"".join(chunks)


def parse_xml(path: Path, xml: bytes, name: str) -> Element:
    """Parse XML refusing any DTD: Word never writes one, and entities are how XML bombs work."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root: Element = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ReaderError(
            path,
            f"{name} declares a DTD or XML entities ({type(exc).__name__}), which Word never writes: "
            "an entity-expansion or external-entity attack?",
            "Open it in Word and save it again, or check where it came from",
        ) from None
    except ParseError as exc:
        raise ReaderError(path, f"{name} is not well-formed XML ({exc})", "Save or download it again") from None
    return root


def _style_names(path: Path, archive: zipfile.ZipFile, limits: Limits) -> dict[str, str]:
    if "word/styles.xml" not in archive.namelist():
        return {}
    root = parse_xml(path, read_member(path, archive, "word/styles.xml", limits), "word/styles.xml")
    names: dict[str, str] = {}
    for style in root.iter(W + "style"):
        sid = style.get(W + "styleId")
        name = style.find(W + "name")
        if sid:
            names[sid] = (name.get(W + "val") if name is not None else None) or sid
    return names


def _paragraph_text(p: Element) -> str:
    parts: list[str] = []
    for node in p.iter():
        tag = node.tag
        if tag == W + "t" and node.text:
            parts.append(node.text)
        elif tag == W + "tab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts).strip()


def _heading_level(p: Element, styles: dict[str, str]) -> int | None:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return None
    style = ppr.find(W + "pStyle")
    if style is not None:
        name = styles.get(style.get(W + "val") or "", style.get(W + "val") or "").lower()
        if name == "title":
            return 0
        match = re.fullmatch(r"heading\s*(\d)", name)
        if match:
            return int(match.group(1))
    outline = ppr.find(W + "outlineLvl")
    if outline is not None and (outline.get(W + "val") or "").isdigit():
        return int(outline.get(W + "val") or 0) + 1
    return None


def _blocks(body: Element, styles: dict[str, str]) -> list[tuple[str, int | None]]:
    """Paragraphs and table rows in document order, with the heading level of each paragraph."""
    out: list[tuple[str, int | None]] = []
    stack: list[Element] = list(reversed(list(body)))
    while stack:
        node = stack.pop()
        if node.tag == W + "p":
            text = _paragraph_text(node)
            if text:
                out.append((text, _heading_level(node, styles)))
        elif node.tag == W + "tbl":
            for row in node.iter(W + "tr"):
                cells = [" ".join(_paragraph_text(p) for p in tc.iter(W + "p")).strip() for tc in row.iter(W + "tc")]
                if any(cells):
                    out.append((" | ".join(c for c in cells if c), None))
        elif node.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
            stack.extend(reversed(list(node)))
    return out


def _core_properties(path: Path, archive: zipfile.ZipFile, limits: Limits) -> dict[str, Any]:
    if "docProps/core.xml" not in archive.namelist():
        return {}
    root = parse_xml(path, read_member(path, archive, "docProps/core.xml", limits), "docProps/core.xml")
    meta: dict[str, Any] = {}
    for node in root:
        key = _CORE.get(node.tag)
        if key and node.text and node.text.strip():
            meta[key] = node.text.strip()
    return meta


def _notes(path: Path, archive: zipfile.ZipFile, limits: Limits) -> list[str]:
    """Footnote and endnote texts, numbered in order (Word's separator pseudo-notes skipped)."""
    texts: list[str] = []
    for member, tag in (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")):
        if member not in archive.namelist():
            continue
        root = parse_xml(path, read_member(path, archive, member, limits), member)
        for note in root.iter(W + tag):
            if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = " ".join(_paragraph_text(p) for p in note.iter(W + "p")).strip()
            if text:
                texts.append(f"[{len(texts) + 1}] {text}")
    return texts


def read_docx(path: Path, data: bytes, limits: Limits) -> ReadResult:
    """Read a Word document's body text; headings become sections, core properties the metadata."""
    archive = open_zip(path, data, limits)
    if "word/document.xml" not in archive.namelist():
        raise ReaderError(path, "is a zip archive without word/document.xml", "Give a Word .docx document")
    root = parse_xml(path, read_member(path, archive, "word/document.xml", limits), "word/document.xml")
    styles = _style_names(path, archive, limits)
    body = root.find(W + "body")
    blocks = _blocks(body, styles) if body is not None else []
    notes = _notes(path, archive, limits)
    if notes and blocks:
        blocks += [("Notes", 1), *((text, None) for text in notes)]
    parts: list[str] = []
    sections: list[tuple[str, int]] = []
    offset = 0
    title_style: str | None = None
    for text, level in blocks:
        if level is not None:
            sections.append((" ".join(text.split()), offset))
            if level == 0 and title_style is None:
                title_style = " ".join(text.split())
        parts.append(text)
        offset += len(text) + 2
        check_text_size(path, offset, limits)
    if not parts:
        raise ReaderError(path, "contains no text", "Check it is the right file; an empty report cannot be indexed")
    meta = _core_properties(path, archive, limits)
    if "title" not in meta and title_style:
        meta["title"] = title_style
    return ReadResult(
        text="\n\n".join(parts) + "\n", format="docx", sections=sections, metadata=finish_metadata(meta), notes=[]
    )
