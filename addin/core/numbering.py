"""Order numbers OrderDesk gives: ``SO<yyyymmdd>-<nnn>``, the day's next free one."""

from __future__ import annotations

from collections.abc import Container
from datetime import date


def order_number(day: date, n: int) -> str:
    return f"SO{day:%Y%m%d}-{n:03d}"


def next_order_no(day: date, *taken: Container[str], after: int = 0) -> tuple[str, int]:
    """The first number of ``day`` past sequence ``after`` in none of ``taken``; its sequence."""
    n = after + 1
    while any(order_number(day, n) in numbers for numbers in taken):
        n += 1
    return order_number(day, n), n
