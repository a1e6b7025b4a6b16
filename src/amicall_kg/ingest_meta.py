"""Metadata for an ingested report: choose each field (override > file > default with a note) and edit
``reports.toml`` as text, so existing entries and comments stay exactly as they were."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from .corpus import REPORT_ID, Report, _parse_entry
from .errors import CorpusError, MetadataError
from .readers_base import ReadResult, clean_title, language_from, split_authors, year_from

METADATA_HEADER = """\
# Metadata for every report in the corpus: one [[report]] table each.
# Edit by hand or let `amicall-kg ingest` add entries. Fields:
#   id        stable identifier (lowercase letters, digits, hyphens); used in IRIs and citations
#   file      the report's text, relative to this folder
#   title, authors (list), year, publisher, source (address), language (e.g. "en"), licence (a note)
"""
FIELDS = ("id", "file", "title", "authors", "year", "publisher", "source", "language", "licence")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = {
    "en": _words("the and of to in is that for with are on as by this be from"),
    "de": _words("der die und das ist nicht mit den von zu für auf ein eine sich"),
    "fr": _words("le la les et des est que pour dans une du en pas sur qui"),
    "es": _words("el la los las y de que en es por para una con del se"),
    "it": _words("il la di che e per non una sono del della con gli le"),
    "nl": _words("de het een en van is dat op te voor met niet zijn"),
}


def guess_language(text: str) -> str | None:
    """The language whose common words are most frequent in the text's start, if clearly ahead."""
    words = re.findall(r"[^\W\d_]+", text[:20_000].lower())
    if len(words) < 20:
        return None
    counts = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=lambda k: counts[k])
    ranked = sorted(counts.values(), reverse=True)
    return best if ranked[0] >= 5 and ranked[0] >= 1.5 * ranked[1] else None


def _as_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _first_line_title(text: str) -> str | None:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return clean_title(line) if 3 <= len(line) <= 200 else None


def _new_id(base: str, taken: Callable[[str], bool]) -> str:
    from .namespaces import slugify

    slug = slugify(base, max_len=60)
    if not slug[0].isalnum():
        slug = "r" + slug
    candidate, number = slug, 2
    while taken(candidate):
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def compose_entry(
    path: Path,
    result: ReadResult,
    overrides: dict[str, Any],
    taken: Callable[[str], bool],
    previous: Report | None,
    source_sha: str,
) -> tuple[dict[str, Any], list[str]]:
    """The ``[[report]]`` entry for a read file, and notes on every field that fell back to a default."""
    meta = result.metadata
    notes: list[str] = []
    old = previous.as_dict() if previous else {}

    def pick(name: str, *candidates: Any, default: Any, hint: str) -> Any:
        for value in (overrides.get(name), old.get(name), *candidates):
            if value not in (None, "", []):
                return value
        notes.append(f"{name} not found in the file: set to {default!r}; {hint}")
        return default

    title = pick(
        "title",
        meta.get("title"),
        result.sections[0][0] if result.sections else None,
        _first_line_title(result.text),
        default=path.stem.replace("_", " ").replace("-", " ").strip() or "Untitled report",
        hint="set it with --title",
    )
    authors = split_authors(pick("authors", meta.get("authors"), default=["Unknown"], hint="set it with --authors"))
    if "year" in overrides and year_from(overrides["year"]) != _as_int(overrides["year"]):
        raise MetadataError(path, "year", f"{overrides['year']!r} must be a whole year between 1800 and 2100")
    year_raw = overrides.get("year") or old.get("year") or meta.get("year") or year_from(path.stem)
    if year_raw is None:
        year_raw = year_from(result.text[:3000])
        if year_raw is not None:
            notes.append(f"year {year_raw} guessed from the text's first page; check it or set --year")
    year = year_from(year_raw)
    if year is None:
        year = date.today().year
        notes.append(f"year not found: set to {year}; set it with --year")
    language = language_from(overrides.get("language")) or old.get("language") or language_from(meta.get("language"))
    if not language:
        guessed = guess_language(result.text)
        language = guessed or "en"
        notes.append(f"language not in the file: {'guessed' if guessed else 'assumed'} {language!r}; use --language")
    if previous is not None:
        report_id, file = previous.id, previous.file
    else:
        wanted = overrides.get("id")
        if wanted is not None and (not REPORT_ID.match(str(wanted)) or taken(str(wanted))):
            raise MetadataError(path, "id", f"{wanted!r} is taken or not lowercase letters, digits and hyphens")
        report_id = str(wanted) if wanted is not None else _new_id(str(title), taken)
        file = f"reports/{report_id}.txt"
    entry: dict[str, Any] = {
        "id": report_id,
        "file": file,
        "title": " ".join(str(title).split()),
        "authors": authors or ["Unknown"],
        "year": year,
        "publisher": pick("publisher", meta.get("publisher"), default="Unknown publisher", hint="use --publisher"),
        "source": pick("source", meta.get("source"), default=path.name, hint="use --source with its address"),
        "language": language,
        "licence": pick(
            "licence",
            meta.get("licence"),
            default="Unknown; added by amicall-kg ingest: check the licence before sharing",
            hint="use --licence",
        ),
    }
    extras = {k: v for k, v in old.items() if k not in FIELDS and k != "path"}
    extras.update({"format": result.format, "original_file": path.name, "source_sha256": source_sha})
    if meta.get("date"):
        extras["date"] = str(meta["date"])
    if result.pages is not None:
        extras["pages"] = len(result.pages)
    entry.update(extras)
    return entry, notes


def entry_block(entry: dict[str, Any]) -> str:
    """One ``[[report]]`` table as TOML text."""
    import tomli_w

    return tomli_w.dumps({"report": [entry]}, multiline_strings=False)


_HEADER = re.compile(r"^\[", re.M)


def replace_block(meta: Path, text: str, report_id: str, block: str) -> str:
    """``text`` with the ``[[report]]`` table of ``report_id`` swapped for ``block``; the rest untouched."""
    starts = [m.start() for m in _HEADER.finditer(text)]
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunk = text[start:end]
        if not chunk.lstrip().startswith("[[report]]"):
            continue
        # Comments and blank lines at the end belong to the next table: keep them.
        lines = chunk.split("\n")
        while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
            lines.pop()
        body = "\n".join(lines)
        try:
            entries = tomllib.loads(body).get("report", [])
        except tomllib.TOMLDecodeError:
            continue
        if entries and entries[0].get("id") == report_id:
            return text[:start] + block.rstrip("\n") + text[start + len(body) :]
    raise CorpusError(f"{meta}: no [[report]] table with id {report_id!r} to replace. Check the id.")


def validate_entry(meta: Path, root: Path, text: str, report_id: str) -> None:
    """Check the new metadata text parses and its entry for ``report_id`` passes the corpus' checks."""
    try:
        entries = tomllib.loads(text).get("report", [])
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{meta} would become invalid TOML ({exc}); nothing was changed.") from None
    matching = [e for e in entries if e.get("id") == report_id]
    if len(matching) != 1:
        raise MetadataError(meta, "id", f"{report_id!r} would appear {len(matching)} times; nothing was changed")
    _parse_entry(meta, root, matching[0])
