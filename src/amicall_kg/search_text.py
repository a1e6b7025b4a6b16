"""Text handling for search: BM25 tokens, and passage windows over a report's text.

Passages keep character offsets into ``Report.text()`` so every hit can be shown in
context; their display text is lightly cleaned of layout noise (page numbers, broken
hyphenation, runs of spaces) without changing the offsets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_ABBREV = re.compile(r"\b(?:e\.g|i\.e|etc|cf|vs|Dr|Mr|Mrs|Ms|St|No|approx|Fig|p|pp)\.$", re.IGNORECASE)
_PAGE_NUMBER_LINE = re.compile(r"^\s*(?:page\s+)?\d{1,4}\s*$", re.IGNORECASE | re.MULTILINE)
_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")
_SPACES = re.compile(r"[ \u00a0]{2,}")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")
_BLOCK = re.compile(r"\S(?:.*\S)?(?:\n[ \t]*\S.*)*", re.MULTILINE)

MAX_UNIT_CHARS = 700
MAX_TABLE_CHARS = 1500

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves want wants need
    needs us one""".split()  # noqa: SIM905
)


def fold(text: str) -> str:
    """Lowercase ASCII-folded text (accents dropped), for matching."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def stem(word: str) -> str:
    """A light English suffix stripper: enough to match plurals and verb forms."""
    if len(word) <= 3 or word[0].isdigit():
        return word
    for suffix, replacement, min_len in (
        ("ational", "ate", 8),
        ("ization", "ize", 8),
        ("isation", "ize", 8),
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("ly", "", 5),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= min_len:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + replacement
    return word


def tokenize(text: str) -> list[str]:
    """BM25 tokens: folded words without stopwords, stemmed."""
    return [stem(w) for w in _WORD.findall(fold(text)) if w not in STOPWORDS and len(w) > 1]


def clean(text: str) -> str:
    """Display text with layout noise removed (offsets are kept separately)."""
    text = text.replace("\r", "").replace("\u00ad", "").replace("\f", "\n")
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = _PAGE_NUMBER_LINE.sub("", text)
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


@dataclass(frozen=True)
class Span:
    """A character range of a report's text."""

    start: int
    end: int


def _split_long(start: int, end: int, text: str, limit: int) -> Iterator[Span]:
    """Cut an over-long unit at spaces so no unit exceeds ``limit`` characters."""
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        yield Span(start, cut)
        start = cut + 1
    if end > start:
        yield Span(start, end)


def sentences(text: str, start: int, end: int) -> Iterator[Span]:
    """Sentence spans of ``text[start:end]`` (a prose paragraph)."""
    chunk = text[start:end]
    begin = 0
    for match in _SENTENCE_END.finditer(chunk):
        head = chunk[begin : match.start()].rstrip()
        if _ABBREV.search(head) or len(head) < 20:
            continue
        yield from _split_long(start + begin, start + match.start(), text, MAX_UNIT_CHARS)
        begin = match.end()
    if chunk[begin:].strip():
        yield from _split_long(start + begin, end, text, MAX_UNIT_CHARS)


def units(text: str) -> list[Span]:
    """Reading units of a report: sentences of prose, whole tables, single headings or list lines."""
    out: list[Span] = []
    for block in _BLOCK.finditer(text):
        lines = block.group(0).split("\n")
        if "\t" in block.group(0) and len(lines) > 1:
            out.extend(_split_long(block.start(), block.end(), text, MAX_TABLE_CHARS))
            continue
        offset = block.start()
        for line in lines:
            stripped = line.strip()
            if stripped and not _PAGE_NUMBER_LINE.fullmatch(line):
                lead = offset + (len(line) - len(line.lstrip()))
                out.extend(sentences(text, lead, lead + len(stripped)))
            offset += len(line) + 1
    return out


_HEADING = re.compile(r"(?:^|\n[ \t]*\n)[ \t]*([A-Z0-9][^\n]{1,90}?)[ \t]*(?=\n[ \t]*\n|\Z)")


def headings(text: str) -> list[tuple[int, str]]:
    """(offset, text) of heading-like lines: a short line standing alone, not ending like a sentence."""
    out = []
    for match in _HEADING.finditer(text):
        line = match.group(1)
        if not line.endswith((".", "!", "?", ";", ",", ":")) and "\t" not in line and len(line.split()) <= 12:
            out.append((match.start(1), line))
    return out


def windows(text: str, size: int, overlap: int = 1) -> list[Span]:
    """Passage windows of ``size`` units overlapping by ``overlap`` units, covering the whole text."""
    size = max(1, size)
    overlap = min(max(0, overlap), size - 1)
    spans = units(text)
    if not spans:
        return []
    step = size - overlap
    out: list[Span] = []
    index = 0
    while True:
        group = spans[index : index + size]
        out.append(Span(group[0].start, group[-1].end))
        if index + size >= len(spans):
            break
        index += step
    return out
