"""The measures of DOMAIN §9: shared by the statistics and by the worksheet functions, so a rate
means the same in the dashboard and in a cell.

The row rules (which rows a rate counts, and which of them meet it) work on pandas Series, one
value per row: the statistics call them on their columns, the worksheet functions on a range
turned into a Series. This module imports no pandas itself (the callers already have it), so the
scalar helpers stay cheap to import.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator ÷ denominator, or None when there is nothing to divide by."""
    return None if not denominator else numerator / denominator


def on_time_rows(promised: pd.Series, delivered: pd.Series) -> tuple[pd.Series, pd.Series]:
    """On-time delivery (交货期达成率), per line: (counted, on time).

    A line counts once it has a promised date and the date its delivery was completed (a line
    not yet delivered is not decided yet); it is on time when delivered on or before the
    promised date. Both Series hold datetimes (NaT: none).
    """
    counted = promised.notna() & delivered.notna()
    return counted, counted & (delivered <= promised)


def quality_rows(inspected: pd.Series, passed: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Quality pass rate (质量合格率), per inspection: (quantity inspected, quantity passed),
    a blank counting as none."""
    return inspected.fillna(0), passed.fillna(0)


def complaint_rows(delivered: pd.Series, complaints: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Complaint rate (客户投诉率), per order: (counted, complained).

    An order counts once delivered (a datetime, NaT: not yet); it complained when it has at
    least one complaint (``complaints``: how many, blank meaning none).
    """
    counted = delivered.notna()
    return counted, counted & (complaints.fillna(0) > 0)


def rate_of(numerator: pd.Series, denominator: pd.Series) -> float | None:
    """The rate of two row-rule Series (booleans or quantities) summed."""
    return ratio(float(numerator.sum()), float(denominator.sum()))


def progress(ordered: Iterable[float | None], done: Iterable[float | None]) -> float | None:
    """Share of the ordered quantity done, each line capped at its own quantity."""
    pairs = list(zip(ordered, done, strict=False))
    total = sum(o or 0 for o, _ in pairs)
    return ratio(sum(min(d or 0, o or 0) for o, d in pairs), total)


def days_between(start: date, end: date) -> int:
    return (end - start).days
