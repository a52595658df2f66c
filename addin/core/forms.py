"""The same order form twice (issue 11 item 4): what makes two forms identical, and the orders
a customer's PO / contract number is already on.

Two forms are identical when they state the same orders: the same fields as typed (an order
number or received date the form leaves blank is not part of it, since receipt fills them in),
the same lines. The file's name, its format (CSV or xlsx), blank rows and spaces around values
do not count. The receipt keeps the form's digest in its ledger rows' details, so a second
receipt of it finds when the first was received and as which orders.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from addin.core.models import LedgerEntry, Order

DIGEST_LENGTH = 20


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


def form_digest(orders: Sequence[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]]) -> str:
    """The digest of a form's orders, each (the order's fields as typed, its lines' fields)."""
    normalized = [
        [
            {k: _text(v) for k, v in sorted(order.items()) if _text(v)},
            [{k: _text(v) for k, v in sorted(line.items()) if _text(v)} for line in lines],
        ]
        for order, lines in orders
    ]
    text = json.dumps(normalized, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def received_before(digest: str, ledger: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """The ledger rows of an earlier receipt of the form with ``digest``."""
    return [entry for entry in ledger if entry.details and digest in entry.details]


def po_key(po: str | None) -> str:
    """A PO / contract number as :func:`same_po` compares it ("" for none)."""
    return (po or "").strip().casefold()


def same_po(order: Order, orders: Iterable[Order]) -> list[Order]:
    """The other orders of ``order``'s customer with its PO / contract number."""
    po = po_key(order.customer_po)
    if not po:
        return []
    customer = (order.customer_code or order.customer_name or "").strip().casefold()
    return [
        other
        for other in orders
        if other.order_no != order.order_no
        and po_key(other.customer_po) == po
        and (other.customer_code or other.customer_name or "").strip().casefold() == customer
    ]
