"""Numbers OrderDesk gives: ``<prefix><yyyymmdd>-<nnn>``, the day's next free one.

Orders are ``SO…`` (numbered by the day they were received), customer complaints ``CP…`` (by
the day the customer complained).
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date

ORDER_PREFIX = "SO"
COMPLAINT_PREFIX = "CP"


def day_number(prefix: str, day: date, n: int) -> str:
    return f"{prefix}{day:%Y%m%d}-{n:03d}"


def next_day_number(
    prefix: str, day: date, *taken: Container[str], after: int = 0
) -> tuple[str, int]:
    """The first number of ``day`` past sequence ``after`` in none of ``taken``; its sequence."""
    n = after + 1
    while any(day_number(prefix, day, n) in numbers for numbers in taken):
        n += 1
    return day_number(prefix, day, n), n


def order_number(day: date, n: int) -> str:
    return day_number(ORDER_PREFIX, day, n)


def next_order_no(day: date, *taken: Container[str], after: int = 0) -> tuple[str, int]:
    """The first order number of ``day`` past sequence ``after`` in none of ``taken``."""
    return next_day_number(ORDER_PREFIX, day, *taken, after=after)


def next_complaint_no(day: date, *taken: Container[str]) -> str:
    """The first complaint number of ``day`` in none of ``taken``."""
    return next_day_number(COMPLAINT_PREFIX, day, *taken)[0]
