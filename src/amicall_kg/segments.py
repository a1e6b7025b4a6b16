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


_PIPE_ROW = re.compile(r"^\|.*\|$")
_RULE_ROW = re.compile(r"^\|?[\s:|\-]+\|?$")


@dataclass
class Block:
    start: int
    end: int
    text: str
    heading: bool
    table: bool
    header: tuple[str, ...] = ()  # a table row's column headings (the first row of its table)


# Quotation marks of other typographies: guillemets (French, Swiss, Scandinavian: «X», »X«) and
# the German low-high pair („X“). Each becomes an English curly quote of the same length.
_GUILLEMETS = re.compile(r"\u00ab([^\u00ab\u00bb\n]{1,120})\u00bb|\u00bb([^\u00ab\u00bb\n]{1,120})\u00ab")
_LOW_HIGH = re.compile(r"\u201e([^\u201c\u201d\u201e\n]{1,120})[\u201c\u201d]")


def english_quotes(text: str) -> str:
    """``text`` with other typographies' quotation marks as English ones, character for character.

    The rules read names in English quotes; a report translated from French or German keeps its
    «guillemets» or „low-high" marks. Offsets are unchanged, so passages still cite the source text.
    """
    text = _GUILLEMETS.sub(lambda m: "\u201c" + (m.group(1) or m.group(2)) + "\u201d", text)
    return _LOW_HIGH.sub(lambda m: "\u201c" + m.group(1) + "\u201d", text)


def cells(row: str) -> list[str]:
    """The non-empty cells of a tab-separated or Markdown pipe table row."""
    return [part.strip() for part in row.split("\t" if "\t" in row else "|") if part.strip()]


def segment(text: str) -> list[Block]:
    """Non-empty lines with their offsets; headings are short lines without final punctuation.

    Consecutive table rows (tab-separated, or Markdown ``| a | b |``) carry their table's first
    row as ``header``; a Markdown rule row (``|---|---|``) is dropped.
    """
    blocks: list[Block] = []
    header: tuple[str, ...] = ()
    prev_end = -2
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        table = "\t" in stripped or bool(_PIPE_ROW.match(stripped))
        if table and _RULE_ROW.match(stripped) and "|" in stripped:
            prev_end = end
            continue
        if table:
            continued = text[prev_end:start].strip() == "" and "\n\n" not in text[prev_end:start]
            if not (continued and header):
                header = tuple(cells(stripped))
                row_header: tuple[str, ...] = ()
            else:
                row_header = header
        else:
            header, row_header = (), ()
        prev_end = end
        words = stripped.split()
        heading = len(words) <= 12 and not re.search(r"[.:;!?]$", stripped) and not table
        heading = heading and not stripped.startswith(("-", "\u2022", "*"))
        blocks.append(Block(start, end, stripped, heading, table, row_header))
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
