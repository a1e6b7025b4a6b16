"""What every reader returns, the limits it obeys, and small metadata helpers shared by the readers."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import ReaderError

FORMATS = ("pdf", "docx", "html", "markdown", "text")


@dataclass
class ReadResult:
    """A report read into plain text.

    ``pages`` holds the ``[start, end)`` character range of each page for paged formats (PDF),
    ``sections`` the ``(heading, start offset)`` of each heading, ``metadata`` what the file says
    about itself (``title``, ``authors``, ``date``, ``year``, ``language`` and any other keys found).
    """

    text: str
    format: str
    pages: list[tuple[int, int]] | None = None
    sections: list[tuple[str, int]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReadResult:
        pages = data.get("pages")
        return cls(
            text=str(data["text"]),
            format=str(data["format"]),
            pages=[(int(a), int(b)) for a, b in pages] if pages is not None else None,
            sections=[(str(t), int(s)) for t, s in data.get("sections", [])],
            metadata=dict(data.get("metadata", {})),
            notes=[str(n) for n in data.get("notes", [])],
        )


@dataclass(frozen=True)
class Limits:
    """The reading limits, taken from settings so the subprocess gets plain values."""

    max_file_mb: float = 50.0
    max_pages: int = 2000
    max_text_chars: int = 5_000_000
    read_timeout: float = 120.0
    read_memory_mb: int = 2048
    max_unzipped_mb: float = 200.0
    max_zip_ratio: float = 200.0
    max_html_depth: int = 512

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        return cls(**{name: getattr(settings, name) for name in cls.__dataclass_fields__})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_text_size(path: Path, chars: int, limits: Limits) -> None:
    """Refuse a report whose text is longer than ``max_text_chars`` (rather than silently cut it)."""
    if chars > limits.max_text_chars:
        raise ReaderError(
            path,
            f"its text is longer than the limit of {limits.max_text_chars:,} characters",
            "Split the report into parts, or raise the limit with AMICALL_MAX_TEXT_CHARS",
        )


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d|2100)\b")


def year_from(value: object) -> int | None:
    """The first plausible four-digit year in a date-like value, or None."""
    if value is None:
        return None
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else None


_LANG_NAMES = {
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "français": "fr", "italian": "it",
    "spanish": "es", "dutch": "nl", "portuguese": "pt", "polish": "pl", "swedish": "sv", "danish": "da",
    "finnish": "fi", "greek": "el", "czech": "cs", "hungarian": "hu", "romanian": "ro", "norwegian": "no",
}  # fmt: skip
_LANG_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([A-Za-z0-9]{2,8}))?$")


def language_from(value: object) -> str | None:
    """A language code such as ``en`` or ``en-GB`` from a code or an English language name."""
    if not value:
        return None
    text = str(value).strip()
    named = _LANG_NAMES.get(text.lower())
    if named:
        return named
    match = _LANG_CODE.match(text)
    if not match:
        return None
    code = match.group(1).lower()
    return f"{code}-{match.group(2)}" if match.group(2) else code


_JUNK_TITLE = re.compile(
    r"^(microsoft (word|powerpoint) - |untitled|document\d*$|title$)|\.(docx?|pdf|txt|html?)$", re.I
)


def clean_title(value: object) -> str | None:
    """A usable title, or None for empty values and tool-generated ones ("Microsoft Word - x.docx")."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text or len(text) > 400 or _JUNK_TITLE.search(text):
        return None
    return text


def split_authors(value: object) -> list[str]:
    """Author names from a list or a string such as "A. Smith; B. Jones" or "A. Smith and B. Jones"."""
    if value is None:
        return []
    items = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    names: list[str] = []
    for item in items:
        parts = re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", item)
        for part in parts:
            # "Jane Doe, John Roe" is two names; "Doe, Jane" is one.
            pieces = [p.strip() for p in part.split(",")]
            if len(pieces) > 1 and all(" " in p for p in pieces if p):
                names.extend(p for p in pieces if p)
            elif part.strip():
                names.append(" ".join(part.split()))
    return [n for n in names if n and len(n) <= 200]


def finish_metadata(meta: dict[str, Any]) -> dict[str, Any]:
    """Normalise the common keys: a clean title, a list of authors, a year and a language code."""
    out = {k: v for k, v in meta.items() if v not in (None, "", [])}
    title = clean_title(out.get("title"))
    if title:
        out["title"] = title
    else:
        out.pop("title", None)
    authors = split_authors(out.get("authors"))
    if authors:
        out["authors"] = authors
    else:
        out.pop("authors", None)
    if "year" not in out or not isinstance(out["year"], int):
        year = year_from(out.get("year")) or year_from(out.get("date"))
        if year:
            out["year"] = year
        else:
            out.pop("year", None)
    language = language_from(out.get("language"))
    if language:
        out["language"] = language
    else:
        out.pop("language", None)
    if "date" in out:
        out["date"] = iso_date(out["date"])
    return out


_DATE = re.compile(r"^\s*D?:?(\d{4})[-/.]?(\d{2})?[-/.]?(\d{2})?")


def iso_date(value: object) -> str:
    """``2020-03-01`` (or ``2020-03``, ``2020``) from dates such as ``2020/03/01`` or ``2013-12-23T23:15:00Z``."""
    text = str(value).strip()
    match = _DATE.match(text)
    if not match:
        return text
    return "-".join(part for part in match.groups() if part)
