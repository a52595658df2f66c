"""Map a table's header cells to column keys, in either display language."""

from __future__ import annotations

from addin.core.schema import Table
from addin.i18n import LANGS


def header_lookup(table: Table) -> dict[str, str]:
    """Header text (any language, case-insensitive, trimmed) → column key."""
    lookup: dict[str, str] = {}
    for col in table.columns:
        lookup[col.key.casefold()] = col.key
        for lang in LANGS:
            lookup[col.label(table.key, lang).strip().casefold()] = col.key
    return lookup


def map_headers(table: Table, headers: list[object]) -> tuple[dict[str, int], list[str]]:
    """(column key → 0-based position among ``headers``, missing keys)."""
    lookup = header_lookup(table)
    positions: dict[str, int] = {}
    for index, text in enumerate(headers):
        if text is None:
            continue
        key = lookup.get(str(text).strip().casefold())
        if key is not None and key not in positions:
            positions[key] = index
    missing = [k for k in table.column_keys if k not in positions]
    return positions, missing


def is_formula_like(text: str) -> bool:
    """Text Excel would take for a formula if typed: it must be stored as plain text."""
    return text[:1] in ("=", "+", "-", "@")
