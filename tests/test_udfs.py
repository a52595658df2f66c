"""The worksheet functions: pure, and the same rules as the preliminary check."""

from __future__ import annotations

from datetime import datetime

import pytest

from addin.core.schema import TABLES
from addin.i18n import t
from udfs.functions import (
    OD_CHECK_LINE,
    OD_COMPLAINT_RATE,
    OD_DAYS_TO_DELIVERY,
    OD_ONTIME_RATE,
    OD_PASS_RATE,
    OD_PROGRESS,
)

PRODUCT_KEYS = (
    "product_code",
    "name",
    "spec",
    "price_floor",
    "lot_size",
    "min_qty",
    "lead_time_days",
    "active",
)


def catalogue(lang: str) -> list[list[object]]:
    header = [TABLES["products"].column(k).label("products", lang) for k in PRODUCT_KEYS]
    yes, no = ("是", "否") if lang == "zh" else ("Yes", "No")
    return [
        header,
        ["P100", "螺栓", "M8x40", 0.70, 500, 1000, 14, yes],
        ["P900", "联轴器", "LX3", 120, 10, 10, 30, no],
    ]


RECEIVED = datetime(2026, 11, 2)
LATER = datetime(2027, 1, 15)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_clean_line_is_ok(lang: str) -> None:
    assert (
        OD_CHECK_LINE("P100", "M8x40", 1500, 0.85, LATER, RECEIVED, catalogue(lang), lang) == "OK"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("args", "key", "params"),
    [
        (("P999", "X", 1000, 1.0, LATER), "check.unknown_product", {"code": "P999"}),
        (("P900", "LX3", 10, 150, LATER), "check.inactive_product", {"code": "P900"}),
        (
            ("P100", "M10", 1000, 0.85, LATER),
            "check.spec_mismatch",
            {"spec": "M10", "catalogue": "M8x40"},
        ),
        (
            ("P100", "M8x40", 1000, 0.5, LATER),
            "check.price_floor",
            {"price": "0.5", "floor": "0.7"},
        ),
        (("P100", "M8x40", 500, 0.85, LATER), "check.min_qty", {"qty": 500, "min": 1000}),
        (("P100", "M8x40", 1200, 0.85, LATER), "check.lot_size", {"qty": 1200, "lot": 500}),
        (
            ("P100", "M8x40", 1000, 0.85, datetime(2026, 11, 5)),
            "check.lead_time",
            {"days": 14, "earliest": "2026-11-16"},
        ),
    ],
)
def test_each_catalogue_rule_in_both_languages(
    lang: str, args: tuple, key: str, params: dict
) -> None:
    result = OD_CHECK_LINE(*args, RECEIVED, catalogue(lang), lang)
    assert result == t(key, lang, line_no=1, **params)


def test_unreadable_quantity_is_reported_not_raised() -> None:
    assert OD_CHECK_LINE("P100", "M8x40", "abc", 0.85, LATER, RECEIVED, catalogue("en"), "en") == t(
        "error.not_int", "en", value="abc"
    )


def test_days_progress_and_rates() -> None:
    assert OD_DAYS_TO_DELIVERY(datetime(2026, 12, 1), datetime(2026, 11, 28)) == 3
    assert OD_DAYS_TO_DELIVERY(datetime(2026, 11, 20), datetime(2026, 11, 28)) == -8
    assert OD_DAYS_TO_DELIVERY(None) is None
    assert OD_PROGRESS([100, 50], [100, 60]) == pytest.approx(150 / 150)
    assert OD_PROGRESS([100, 100], [50, None]) == pytest.approx(0.25)
    assert OD_PROGRESS([], []) is None
    promised = [datetime(2026, 11, 10), datetime(2026, 11, 10), datetime(2026, 11, 10)]
    delivered = [datetime(2026, 11, 9), datetime(2026, 11, 11), None]
    assert OD_ONTIME_RATE(promised, delivered) == pytest.approx(0.5)
    assert OD_PASS_RATE([100, 50], [95, 50]) == pytest.approx(145 / 150)
    assert OD_PASS_RATE([None], [None]) is None


def test_rates_over_ranges_count_rows_as_the_statistics_do() -> None:
    due = datetime(2026, 11, 10)
    # on the promised day counts as on time; a blank or a text is not a delivery yet; a row
    # without a promise is not decided: 2 on time (11-09, 11-10) of 3 decided
    promised = [due, due, due, due, None]
    delivered = [datetime(2026, 11, 9), due, datetime(2026, 11, 12), "soon", due]
    assert OD_ONTIME_RATE(promised, delivered) == pytest.approx(2 / 3)
    # ranges of different lengths are paired row by row up to the shorter: 11-12 late, 0 of 1
    assert OD_ONTIME_RATE([due], [datetime(2026, 11, 12), due]) == 0.0
    # blanks count as none inspected or passed: (95 + 3 + 0) ÷ (100 + 0 + 5)
    assert OD_PASS_RATE([100, None, 5], [95, 3, None]) == pytest.approx(98 / 105)
    # one order per row: delivered ones count, those with at least one complaint complained;
    # the second complaint of an order counts once, an undelivered order not at all: 2 of 3
    delivered_on = [datetime(2026, 3, 1), datetime(2026, 3, 2), datetime(2026, 3, 3), None]
    assert OD_COMPLAINT_RATE(delivered_on, [2, 0, 1, 4]) == pytest.approx(2 / 3)
    assert OD_COMPLAINT_RATE(delivered_on, [None, None, None, 1]) == 0.0


def test_rates_of_empty_or_undecided_ranges_are_none() -> None:
    assert OD_ONTIME_RATE([], []) is None
    assert OD_ONTIME_RATE([datetime(2026, 11, 10)], [None]) is None  # not delivered yet
    assert OD_PASS_RATE([], []) is None
    assert OD_PASS_RATE([0], [0]) is None  # nothing inspected
    assert OD_COMPLAINT_RATE([], []) is None
    assert OD_COMPLAINT_RATE([None, None], [1, 2]) is None  # nothing delivered
    # one row: one order delivered with one complaint; one inspection
    assert OD_COMPLAINT_RATE([datetime(2026, 3, 1)], [1]) == 1.0
    assert OD_PASS_RATE([10], [9]) == pytest.approx(0.9)
