"""The days the procedure counts with: Excel's calendar, less a year of room at the end.

Excel shows no date before 1900-01-01, and the figures of a period reach past its last day
(months, weeks, working days ahead), so a day outside this range is refused where it is given.
"""

from __future__ import annotations

from datetime import date

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(9998, 12, 31)


def within(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY
