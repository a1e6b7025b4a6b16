"""Plain text and Markdown readers, and the encoding detection they and the HTML reader share."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import ReaderError
from .readers_base import Limits, ReadResult, check_text_size, finish_metadata

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(path: Path, data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode bytes to text: BOM, then a declared charset, then UTF-8, then cp1252 (with a note).

    Returns (text, encoding, notes). Refuses binary content with a clear message.
    """
    notes: list[str] = []
    text: str | None = None
    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data[len(bom) :].decode(name.replace("-sig", "")), name
            except UnicodeDecodeError:
                raise ReaderError(
                    path, f"starts with a {name} byte-order mark but is not valid {name}", "Re-save it as UTF-8"
                ) from None
            break
    if text is None and declared:
        try:
            text, encoding = data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            notes.append(f"declared charset {declared!r} did not fit; detected instead")
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            if b"\x00" in data:
                raise ReaderError(
                    path,
                    "holds binary data, not text",
                    "Give a PDF, DOCX, HTML, Markdown or plain text file (check the file is what its name says)",
                ) from None
            text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
            notes.append("not valid UTF-8: decoded as Windows-1252 (cp1252); check accented characters")
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls > max(3, len(text[:100_000]) // 100):
        raise ReaderError(
            path,
            "holds binary data, not text",
            "Give a PDF, DOCX, HTML, Markdown or plain text file (check the file is what its name says)",
        )
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text, encoding, notes


def _require_text(path: Path, text: str) -> None:
    if not text.strip():
        raise ReaderError(path, "contains no text", "Check it is the right file; an empty report cannot be indexed")


def read_text(path: Path, data: bytes, limits: Limits) -> ReadResult:
    """A plain-text report: decoded, newlines normalised, no structure assumed."""
    text, encoding, notes = decode_text(path, data)
    text = text.strip("\n") + "\n"
    _require_text(path, text)
    check_text_size(path, len(text), limits)
    return ReadResult(text=text, format="text", metadata={"encoding": encoding}, notes=notes)


# --- Markdown ---------------------------------------------------------------------------------

_FRONT_KEYS = {
    "title": "title", "author": "authors", "authors": "authors", "creator": "authors", "date": "date",
    "year": "year", "lang": "language", "language": "language", "publisher": "publisher", "source": "source",
    "url": "source", "licence": "licence", "license": "licence",
}  # fmt: skip


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _parse_yaml_like(block: str) -> dict[str, Any]:
    """The simple YAML subset front matter uses: ``key: value``, ``key: [a, b]`` and ``- item`` lists."""
    data: dict[str, Any] = {}
    key: str | None = None
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s+-\s+(.*)$", line) or re.match(r"^-\s+(.*)$", line)
        if item and key is not None:
            current = data.get(key)
            data[key] = [*current, _unquote(item.group(1))] if isinstance(current, list) else [_unquote(item.group(1))]
            continue
        pair = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if not pair:
            continue
        key, value = pair.group(1).lower(), pair.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            data[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
        elif value:
            data[key] = _unquote(value)
        else:
            data[key] = []
    return data


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split YAML (``---``) or TOML (``+++``) front matter from the body."""
    for fence, parse in (("---", _parse_yaml_like), ("+++", tomllib.loads)):
        if text.startswith(fence + "\n"):
            end = re.search(rf"^(?:{re.escape(fence)}|\.\.\.)\s*$", text[len(fence) + 1 :], re.M)
            if end and end.start() <= 65_536:
                block = text[len(fence) + 1 : len(fence) + 1 + end.start()]
                try:
                    raw = parse(block)
                except (tomllib.TOMLDecodeError, ValueError):
                    return {}, text
                meta: dict[str, Any] = {}
                for k, v in raw.items():
                    name = _FRONT_KEYS.get(str(k).lower())
                    if name and name not in meta:
                        meta[name] = v
                return meta, text[len(fence) + 1 + end.end() :].lstrip("\n")
    return {}, text


_INLINE = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote references
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"`+([^`]+)`+"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),
)


def _inline(text: str) -> str:
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return text


_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+")


def markdown_to_text(source: str) -> tuple[str, list[tuple[str, int]]]:
    """Plain text from Markdown: markup stripped, soft-wrapped lines joined, headings as their own blocks."""
    blocks: list[tuple[str, bool]] = []  # (text, is_heading)
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append((" ".join(para), False))
            para.clear()

    lines = source.splitlines()
    fence: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        i += 1
        marker = _FENCE.match(line)
        if fence is not None:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
                flush()
            elif line.strip():
                blocks.append((line.rstrip(), False))
            continue
        if marker:
            flush()
            fence = marker.group(1)
            continue
        stripped = re.sub(r"^\s{0,3}(>\s?)+", "", line)  # block quotes
        heading = _ATX.match(stripped)
        if heading:
            flush()
            blocks.append((_inline(heading.group(2)).strip(), True))
            continue
        if stripped.strip() and not para and _SETEXT.match(nxt) and not _LIST.match(stripped):
            blocks.append((_inline(stripped).strip(), True))
            i += 1
            continue
        if not stripped.strip() or _RULE.match(stripped) or _TABLE_RULE.match(stripped) or _REF_DEF.match(stripped):
            flush()
            continue
        if _LIST.match(stripped):
            flush()
            para.append(_inline(_LIST.sub("", stripped, count=1)).strip())
            continue
        if stripped.lstrip().startswith("|"):
            flush()
            cells = [c.strip() for c in stripped.strip().strip("|").split("|")]
            blocks.append((_inline(" | ".join(c for c in cells if c)), False))
            continue
        para.append(_inline(stripped).strip())
    flush()
    text_parts: list[str] = []
    sections: list[tuple[str, int]] = []
    offset = 0
    for block, is_heading in blocks:
        if not block.strip():
            continue
        if is_heading:
            sections.append((block, offset))
        text_parts.append(block)
        offset += len(block) + 2
    return "\n\n".join(text_parts) + "\n", sections


def read_markdown(path: Path, data: bytes, limits: Limits) -> ReadResult:
    """A Markdown report: front matter as metadata, headings as sections, markup stripped."""
    source, encoding, notes = decode_text(path, data)
    meta, body = _front_matter(source)
    text, sections = markdown_to_text(body)
    _require_text(path, text)
    check_text_size(path, len(text), limits)
    if "title" not in meta and sections:
        meta["title"] = sections[0][0]
    meta["encoding"] = encoding
    return ReadResult(text=text, format="markdown", sections=sections, metadata=finish_metadata(meta), notes=notes)
