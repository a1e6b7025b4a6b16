"""A report's text cut into blocks (its lines: paragraphs, bullets, headings, table rows) with
exact offsets, and the page of an offset."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .corpus import Report

SKIP_SECTIONS = frozenset(
    {
        "references",
        "bibliography",
        "acknowledgements",
        "acknowledgments",
        "contact",
        "about",
        "table of contents",
        "contents",
        "partner organisations",
        "endnotes",
        "footnotes",
        "notes",
    }
)


@dataclass
class Block:
    start: int
    end: int
    text: str
    heading: bool
    table: bool


def segment(text: str) -> list[Block]:
    """Non-empty lines with their offsets; headings are short lines without final punctuation."""
    blocks = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        words = stripped.split()
        heading = len(words) <= 12 and not re.search(r"[.:;!?]$", stripped) and "\t" not in stripped
        heading = heading and not stripped.startswith(("-", "\u2022", "*"))
        blocks.append(Block(start, end, stripped, heading, "\t" in stripped))
    return blocks


class _PageMap:
    def __init__(self, report: Report) -> None:
        pages = report.pages() or []
        self.starts = [a for a, _ in pages]
        self.ends = [b for _, b in pages]

    def page(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ends[i]:
            return i + 1
        return None
