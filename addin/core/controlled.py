"""Controlled data (issue 11 item 3): the fields only actions write, recorded in the ledger.

Every action records, in its ledger rows' ``digest`` column, the controlled fields of the rows
it wrote (as they stand after it): a compact JSON object ``{table: {row key: {field: text}}}``
covered by the row's chained hash. ``verify`` compares each controlled field with the value
the ledger last recorded for it, so that a hand edit of, say, a closed order's quantity or
price is reported with its sheet, row, field, the recorded and the found value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from addin.core.models import LedgerEntry
from addin.core.problems import Problem

# table → the fields only actions write: quantities, prices, dates, status, customer, product.
# An order's status is checked against the ledger's own status columns (``ledger.verify``).
CONTROLLED: dict[str, tuple[str, ...]] = {
    "orders": (
        "received_date",
        "customer_code",
        "customer_name",
        "currency",
        "version",
        "customer_po",
    ),
    "lines": (
        "product_code",
        "quantity",
        "unit_price",
        "delivery_date",
        "promised_date",
        "produced_qty",
        "passed_qty",
        "shipped_qty",
        "delivered_qty",
    ),
    "complaints": ("order_no", "date", "customer_code", "severity", "status", "closed_date"),
    "changes": ("order_no", "requester", "status", "content", "decided_by"),
}
KEY_SEP = "|"


def row_key(table: str, values: Mapping[str, Any]) -> str | None:
    """The key naming a row of ``table`` in the digest (None: the row names none)."""
    if table == "orders":
        parts = [values.get("order_no")]
    elif table == "lines":
        parts = [values.get("order_no"), values.get("line_no")]
    elif table == "complaints":
        parts = [values.get("complaint_no")]
    elif table == "changes":
        parts = [values.get("change_no")]
    else:
        return None
    texts = [text(p) for p in parts]
    return KEY_SEP.join(texts) if all(texts) else None


def text(value: Any) -> str:
    """A value as the digest keeps it: the same text whether written or read back."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value)).normalize()
        except InvalidOperation:
            return str(value)
        return format(number, "f")
    return str(value).strip()


Digest = dict[str, dict[str, dict[str, str]]]


def encode(digest: Digest) -> str:
    return json.dumps(digest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# Excel keeps at most 32,767 characters in a cell; a digest longer than that is split.
CELL_LIMIT = 32_767


def split(digest: Digest, limit: int = CELL_LIMIT) -> list[str]:
    """The digest as one or more encoded parts, each within ``limit`` characters (a row's
    fields are never split between parts)."""
    parts: list[str] = []
    current: Digest = {}
    size = 0  # an upper bound of the encoded length of ``current``
    for table, rows in sorted(digest.items()):
        for key, fields in sorted(rows.items()):
            piece = len(encode({table: {key: fields}}))
            if current and size + piece > limit:
                parts.append(encode(current))
                current, size = {}, 0
            current.setdefault(table, {})[key] = fields
            size += piece
    if current:
        parts.append(encode(current))
    return parts


def decode(value: str | None) -> Digest:
    if not value:
        return {}
    try:
        found = json.loads(value)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def recorded(entries: Iterable[LedgerEntry]) -> Digest:
    """The value the ledger last recorded for each controlled field (in ledger order)."""
    last: Digest = {}
    for entry in sorted(entries, key=lambda e: e.seq):
        for table, rows in decode(entry.digest).items():
            if not isinstance(rows, dict):
                continue
            for key, fields in rows.items():
                if isinstance(fields, dict):
                    last.setdefault(table, {}).setdefault(key, {}).update(fields)
    return last


def edits(
    last: Digest,
    current: Callable[[str, str], tuple[int | None, str | None, Any] | None],
) -> list[Problem]:
    """Controlled fields that differ from what the ledger last recorded.

    ``current(table, key)``: the row now in the sheet, as (sheet row, order number, record),
    or None when no row has that key."""
    problems: list[Problem] = []
    for table, rows in sorted(last.items()):
        if table not in CONTROLLED:
            continue
        for key, fields in rows.items():
            found = current(table, key)
            if found is None:
                problems.append(
                    Problem(
                        "verify.controlled_row_missing",
                        {"key": key.replace(KEY_SEP, " / ")},
                        table,
                        order_no=key.split(KEY_SEP)[0] if table != "complaints" else None,
                    )
                )
                continue
            row, order_no, record = found
            for field, value in fields.items():
                if field not in CONTROLLED[table]:
                    continue
                now = text(getattr(record, field, None))
                if now != value:
                    problems.append(
                        Problem(
                            "verify.controlled_edit",
                            {"recorded": value or "-", "found": now or "-"},
                            table,
                            row,
                            field,
                            order_no,
                        )
                    )
    return problems
