"""The practices of the version in service, optionally filtered: the data behind ``amicall-kg practices``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .build_parts import list_practices as default_lister
from .manifest import load_version
from .settings import Settings
from .store import open_store


def _texts(value: Any) -> list[str]:
    """Labels of a practice field that may be a string, a dict with a label, or a list of either."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("label") or item.get("iri")
        if item:
            out.append(str(item).casefold())
    return out


def matches(practice: dict[str, Any], country: str | None = None, activity_type: str | None = None) -> bool:
    """Whether a practice has this country and this activity type (case-insensitive labels or IRIs)."""
    if country and country.casefold() not in _texts(practice.get("country")):
        return False
    return not activity_type or activity_type.casefold() in _texts(practice.get("activity_types", []))


def list_practices(
    settings: Settings,
    country: str | None = None,
    activity_type: str | None = None,
    practices: Callable[[Any], list[dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """Every practice of the version in service (checksums verified) in the DESIGN.md 3.1 shape."""
    version = load_version(settings.indexes)
    lister = practices or default_lister
    store = open_store(version.path, read_only=True)
    found = lister(store)
    del store
    return [p for p in found if matches(p, country, activity_type)]
