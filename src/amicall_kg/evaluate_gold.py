"""Gold practices for extraction evaluation: the record format, validation and loading.

One JSON object per line: ``id``, ``report`` (a corpus report id), ``label``, ``aliases``,
``place``, ``country`` (English name), ``activity_types`` and ``catalysts`` (prefLabels of the
activity-type and catalyst-type schemes, below), ``quote`` (an exact substring of the report
stating the practice) and optionally ``"optional": true`` for borderline items that are
neither rewarded nor punished. Gold data serves evaluation only; extraction never reads it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import EvaluationError

# The label space the gold annotates (prefLabels of the activity-type and catalyst-type schemes).
ACTIVITY_TYPES = (
    "press releases", "information campaigns", "web presence", "multimedia strategies", "media engagement",
    "diversity training", "intercultural festivals", "physical spaces", "dialogue processes", "conflict mediation",
    "network development", "neighbourhood regeneration", "city branding",
)  # fmt: skip
CATALYST_TYPES = (
    "violent incident", "cultural conflict", "national debate", "funding", "arrival of refugees",
    "countering negative discourse", "rumours",
)  # fmt: skip
GOLD_FIELDS = ("id", "report", "label", "aliases", "place", "country", "activity_types", "catalysts", "quote")


@dataclass(frozen=True)
class GoldPractice:
    id: str
    report: str
    label: str
    aliases: tuple[str, ...]
    place: str | None
    country: str | None
    activity_types: tuple[str, ...]
    catalysts: tuple[str, ...]
    quote: str
    optional: bool = False
    start: int | None = None
    end: int | None = None


def _strings(value: Any, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EvaluationError(f"{where}: field {name!r} must be a list of strings. Fix the gold file.")
    return tuple(value)


def gold_from_dict(
    data: Mapping[str, Any], texts: Mapping[str, str] | None = None, where: str = "gold"
) -> GoldPractice:
    """Validate one gold record; with ``texts`` (report id -> text) also locate its quote."""
    missing = [f for f in GOLD_FIELDS if f not in data]
    if missing:
        raise EvaluationError(f"{where}: missing field(s) {', '.join(missing)}. Add them to the gold record.")
    for name in ("id", "report", "label", "quote"):
        if not isinstance(data[name], str) or not data[name].strip():
            raise EvaluationError(f"{where}: field {name!r} must be a non-empty string. Fix the gold file.")
    for name in ("place", "country"):
        if data[name] is not None and not isinstance(data[name], str):
            raise EvaluationError(f"{where}: field {name!r} must be a string or null. Fix the gold file.")
    activity = _strings(data["activity_types"], where, "activity_types")
    catalysts = _strings(data["catalysts"], where, "catalysts")
    for name, values, space in (("activity_types", activity, ACTIVITY_TYPES), ("catalysts", catalysts, CATALYST_TYPES)):
        unknown = [v for v in values if v not in space]
        if unknown:
            raise EvaluationError(f"{where}: {name} {unknown} are not prefLabels of the scheme; use one of {space}.")
    start = end = None
    if texts is not None and data["report"] in texts:
        start = texts[data["report"]].find(data["quote"])
        if start < 0:
            raise EvaluationError(f"{where}: quote {data['quote'][:60]!r} is not in report {data['report']!r}.")
        end = start + len(data["quote"])
    return GoldPractice(
        id=data["id"],
        report=data["report"],
        label=data["label"],
        aliases=_strings(data["aliases"], where, "aliases"),
        place=data["place"] or None,
        country=data["country"] or None,
        activity_types=activity,
        catalysts=catalysts,
        quote=data["quote"],
        optional=bool(data.get("optional", False)),
        start=start,
        end=end,
    )


def load_gold(path: Path, texts: Mapping[str, str] | None = None) -> list[GoldPractice]:
    """Read and validate a gold JSON-lines file; ids must be unique."""
    if not path.is_file():
        raise EvaluationError(f"Gold file {path} does not exist. Pass --gold FILE (see docs/EVALUATION.md).")
    records: list[GoldPractice] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationError(f"{path}:{number}: not valid JSON ({exc.msg}). Fix the line.") from None
        if not isinstance(data, dict):
            raise EvaluationError(f"{path}:{number}: each line must be a JSON object.")
        records.append(gold_from_dict(data, texts, f"{path}:{number}"))
    ids = [g.id for g in records]
    if len(ids) != len(set(ids)):
        raise EvaluationError(
            f"{path}: gold ids must be unique; {sorted({i for i in ids if ids.count(i) > 1})} repeat."
        )
    return records


def asdict_gold(g: GoldPractice) -> dict[str, Any]:
    """A gold record as its JSON-lines dict (lists for tuples)."""
    data = asdict(g)
    for name in ("aliases", "activity_types", "catalysts"):
        data[name] = list(data[name])
    return data
