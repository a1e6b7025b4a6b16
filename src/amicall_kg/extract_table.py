"""Practices listed in a table whose columns say which cell names the initiative.

Reports often summarise their cases in a table (``| Town | Country | Initiative | Since |``).
A row of such a table is one practice: the name from the initiative column, the place from a
town/city column, the country from a country column. Only the column headings are read, so any
report's table with headings like these works; the typology tables of ``extract_place`` (first
cell an activity type) are handled there.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .candidates import clean, cue_of
from .extract_place import strip_place
from .records import Mention
from .segments import cells

if TYPE_CHECKING:
    from .extract import _Context
    from .segments import Block

_NAME_COLUMN = re.compile(r"\b(?:initiatives?|practices?|projects?|programmes?|programs?|examples?|name)\b", re.I)
_PLACE_COLUMN = re.compile(r"\b(?:towns?|city|cities|municipality|municipalities|place|location|region)\b", re.I)
_COUNTRY_COLUMN = re.compile(r"\bcountry\b", re.I)
_GLOSS = re.compile(r"^(?P<name>.+?)\s*\((?P<gloss>[^()]{2,80})\)$")


def _column(header: tuple[str, ...], pattern: re.Pattern[str]) -> int | None:
    return next((i for i, h in enumerate(header) if pattern.search(h)), None)


def listed_mentions(ctx: _Context, block: Block) -> list[Mention]:
    """The practice a row of a practice table states, if its table has an initiative column."""
    if not block.header:
        return []
    name_col = _column(block.header, _NAME_COLUMN)
    country_col = _column(block.header, _COUNTRY_COLUMN)
    place_col = _column(block.header, _PLACE_COLUMN)
    if name_col is None or (country_col is None and place_col is None):
        return []  # not a list of practices by place (a typology table lists examples, not cases)
    row = cells(block.text)
    if len(row) != len(block.header):
        return []  # a ragged row: the columns cannot be trusted
    raw = row[name_col]
    if not re.search(r"[A-Za-z]", raw):
        return []
    country = ctx.gaz.country(row[country_col]) if country_col is not None else None
    codes = [country.country_code] if country else []
    place = ctx.resolve(row[place_col], codes, fuzzy=True) if place_col is not None else None
    if country is None and place is not None:
        country = ctx.gaz.countries.get(place.country_code)
    name, alts = clean(raw), []
    gloss = _GLOSS.match(raw.strip())
    if gloss:
        name, alts = clean(gloss["name"]), [clean(gloss["gloss"])]
    words = name.split()
    kind = "named" if sum(w[:1].isupper() for w in words) >= 1 and len(words) <= 10 else "unnamed"
    if kind == "unnamed" and place is None:
        return []
    passage = ctx.passage(block.start, block.end)  # the whole row: name, place and dates together
    stripped, rest = strip_place(ctx, name, codes)
    mention = Mention(ctx.report_id, name, kind, passage, cue_of(words[-1]), alts, place or country, country)
    mention.core = rest if stripped is not None and rest else name  # as in running text: "<Town> X" -> "X"
    return [mention]
