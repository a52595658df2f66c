"""The measures of DOMAIN §9 as small pure functions (no pandas): shared by the statistics and
by the worksheet functions, so a rate means the same in the dashboard and in a cell."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator ÷ denominator, or None when there is nothing to divide by."""
    return None if not denominator else numerator / denominator


def on_time_rate(pairs: Iterable[tuple[date | None, date | None]]) -> float | None:
    """Share of (promised, delivered) pairs delivered on or before the promised date.

    Pairs without a delivery date are not yet decided and do not count.
    """
    decided = [(promised, delivered) for promised, delivered in pairs if promised and delivered]
    return ratio(sum(1 for p, d in decided if d <= p), len(decided))


def pass_rate(inspected: Iterable[float | None], passed: Iterable[float | None]) -> float | None:
    return ratio(sum(p or 0 for p in passed), sum(i or 0 for i in inspected))


def progress(ordered: Iterable[float | None], done: Iterable[float | None]) -> float | None:
    """Share of the ordered quantity done, each line capped at its own quantity."""
    pairs = list(zip(ordered, done, strict=False))
    total = sum(o or 0 for o, _ in pairs)
    return ratio(sum(min(d or 0, o or 0) for o, d in pairs), total)


def days_between(start: date, end: date) -> int:
    return (end - start).days
