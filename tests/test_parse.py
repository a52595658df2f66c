"""Cell values → records: conversion per kind, and bad rows reported at sheet, row and column."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from foundation_fixtures import LANGS, where

from addin.core import enums
from addin.core.enums import Channel, OrderStatus
from addin.core.models import Customer, Order, OrderLine, Product
from addin.core.parse import CellError, convert, parse_row, parse_table
from addin.core.problems import Problem
from addin.core.schema import TABLES
from addin.i18n import t
from workbook.headers import header_lookup, is_formula_like, map_headers
from workbook.store import Row

ORDERS, LINES, PRODUCTS, ORDER_COLUMNS = (
    TABLES["orders"],
    TABLES["lines"],
    TABLES["products"],
    TABLES["orders"].column_keys,
)


# -- conversion of one cell ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("table", "key", "raw", "expected"),
    [
        # text (and codes): what Excel turned into numbers or dates comes back as text
        ("orders", "customer_name", "  上海华东机械  ", "上海华东机械"),
        ("orders", "customer_code", 1001.0, "1001"),
        ("orders", "contact_info", 12.5, "12.5"),
        ("orders", "remarks", datetime(2026, 1, 2), "2026-01-02"),
        ("orders", "remarks", "=SUM(A1)", "=SUM(A1)"),
        ("lines", "product_code", "007", "007"),
        ("orders", "remarks", "", None),
        ("orders", "remarks", "   ", None),
        ("orders", "remarks", None, None),
        # whole numbers
        ("lines", "quantity", 5, 5),
        ("lines", "quantity", 5.0, 5),
        ("lines", "quantity", "1,200", 1200),
        ("lines", "quantity", " 300 ", 300),
        ("lines", "quantity", "-2", -2),
        # money, exact
        ("lines", "unit_price", 0.1, Decimal("0.1")),
        ("lines", "unit_price", 1234.56, Decimal("1234.56")),
        ("lines", "unit_price", "¥1,234.50", Decimal("1234.50")),
        ("lines", "unit_price", "￥8", Decimal("8")),
        ("lines", "unit_price", 12, Decimal("12")),
        # percent
        ("orders", "progress", "35%", 0.35),
        ("orders", "progress", 0.5, 0.5),
        ("orders", "progress", 1, 1.0),
        # dates and times
        ("orders", "received_date", datetime(2026, 12, 31, 0, 0), date(2026, 12, 31)),
        ("orders", "received_date", date(2026, 12, 31), date(2026, 12, 31)),
        ("orders", "received_date", "2026-12-31", date(2026, 12, 31)),
        ("orders", "received_date", "2026/12/31", date(2026, 12, 31)),
        ("orders", "received_date", "2026.12.31", date(2026, 12, 31)),
        ("orders", "received_date", "2026年12月31日", date(2026, 12, 31)),
        ("orders", "received_date", "31.12.2026", date(2026, 12, 31)),
        ("orders", "status_since", "2026-12-31 08:30", datetime(2026, 12, 31, 8, 30)),
        ("orders", "status_since", "2026-12-31 08:30:15", datetime(2026, 12, 31, 8, 30, 15)),
        ("orders", "status_since", "2026-12-31", datetime(2026, 12, 31)),
        ("orders", "status_since", date(2026, 12, 31), datetime(2026, 12, 31)),
        # closed lists: the key or the label in either language
        ("orders", "channel", "电子邮件", Channel.EMAIL),
        ("orders", "channel", "E-mail", Channel.EMAIL),
        ("orders", "channel", " e-MAIL ", Channel.EMAIL),
        ("orders", "channel", "email", Channel.EMAIL),
        ("orders", "status", "待补充", OrderStatus.NEEDS_INFO),
        ("orders", "status", "Needs information", OrderStatus.NEEDS_INFO),
    ],
)
def test_convert(table: str, key: str, raw: Any, expected: Any) -> None:
    value = convert(TABLES[table], key, raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("table", "key", "raw", "error"),
    [
        ("lines", "quantity", "两百", "error.not_int"),
        ("lines", "quantity", 5.5, "error.not_int"),
        ("lines", "quantity", "5.5", "error.not_int"),
        ("lines", "quantity", True, "error.not_int"),
        ("lines", "quantity", datetime(2026, 1, 1), "error.not_int"),
        ("lines", "unit_price", "abc", "error.not_number"),
        ("lines", "unit_price", True, "error.not_number"),
        ("orders", "progress", "half", "error.not_number"),
        ("orders", "received_date", "明天", "error.not_date"),
        ("orders", "received_date", "12/31/2026", "error.not_date"),
        ("orders", "received_date", "2026-02-30", "error.not_date"),
        ("orders", "received_date", 46000, "error.not_date"),
        ("orders", "status_since", "soon", "error.not_date"),
        ("orders", "channel", "pigeon", "error.not_choice"),
        ("orders", "status", "done", "error.not_choice"),
    ],
)
def test_convert_refuses_wrong_types(table: str, key: str, raw: Any, error: str) -> None:
    with pytest.raises(CellError) as caught:
        convert(TABLES[table], key, raw)
    assert caught.value.key == error
    assert caught.value.params == {"value": raw.strip() if isinstance(raw, str) else raw}


def test_every_closed_list_reads_back_each_label_as_its_own_member() -> None:
    for enum in (
        enums.OrderStatus,
        enums.Channel,
        enums.Department,
        enums.Role,
        enums.Decision,
        enums.TrackKind,
        enums.ChangeStatus,
        enums.TaskOrderStatus,
        enums.YesNo,
    ):
        seen: dict[str, Any] = {}
        for member in enum:
            for text in (member.value, member.label("zh"), member.label("en")):
                assert seen.setdefault(text.casefold(), member) is member, (enum, text)
                assert enum.parse(text) is member
                assert enum.parse(text.upper()) is member


# -- one row → a record and located problems -----------------------------------------------------
def _located(problems: list[Problem]) -> list[tuple[str, str | None, int | None, str | None]]:
    return [(p.key, p.table, p.row, p.column) for p in problems]


def test_a_good_order_row() -> None:
    record, problems = parse_row(
        "orders",
        7,
        {
            "order_no": " SO1 ",
            "received_date": datetime(2026, 11, 26),
            "channel": "传真",
            "customer_name": "甲",
            "status": "已接收",
            "version": 1.0,
            "unknown": "ignored",
        },
    )
    assert problems == []
    assert isinstance(record, Order)
    assert (record.row, record.order_no, record.channel, record.status, record.version) == (
        7,
        "SO1",
        Channel.FAX,
        OrderStatus.RECEIVED,
        1,
    )
    assert record.received_date == date(2026, 11, 26)


def test_an_order_keeps_its_row_when_a_cell_is_wrong() -> None:
    record, problems = parse_row(
        "orders", 9, {"order_no": "SO1", "received_date": "明天", "channel": "pigeon"}
    )
    assert isinstance(record, Order)
    assert record.received_date is None and record.channel is None
    assert _located(problems) == [
        ("error.not_date", "orders", 9, "received_date"),
        ("error.not_choice", "orders", 9, "channel"),
    ]
    assert all(p.order_no == "SO1" for p in problems)


def test_an_order_without_number_is_refused_with_its_place() -> None:
    record, problems = parse_row("orders", 4, {"order_no": "  ", "customer_name": "甲"})
    assert record is None
    assert _located(problems) == [("error.required", "orders", 4, "order_no")]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"quantity": "两百"}, ("error.not_int", "quantity", {"value": "两百"})),
        ({"quantity": 0}, ("error.gt", "quantity", {"value": 0, "limit": 0})),
        ({"quantity": -3}, ("error.gt", "quantity", {"value": -3, "limit": 0})),
        ({"produced_qty": -1}, ("error.min", "produced_qty", {"value": -1, "limit": 0})),
        ({"unit_price": -1}, ("error.min", "unit_price", {"value": Decimal(-1), "limit": 0})),
        ({"unit_price": 1.234}, ("error.precision", "unit_price", {"places": 2})),
        ({"delivery_date": "soon"}, ("error.not_date", "delivery_date", {"value": "soon"})),
    ],
)
def test_a_bad_line_cell_is_emptied_and_located(
    values: dict[str, Any], expected: tuple[str, str, dict[str, Any]]
) -> None:
    raw = {"order_no": "SO1", "line_no": 1, "product_code": "P1", "quantity": 10} | values
    record, problems = parse_row("lines", 12, raw, {"currency": "CNY"})
    key, column, params = expected
    assert isinstance(record, OrderLine)
    assert getattr(record, column) is None
    assert record.product_code == "P1"
    assert problems == [Problem(key, params, "lines", 12, column, "SO1")]


def test_price_precision_follows_the_currency() -> None:
    raw = {"order_no": "SO1", "line_no": 1, "unit_price": 1.5}
    record, problems = parse_row("lines", 3, raw, {"currency": "JPY"})
    assert problems == [Problem("error.precision", {"places": 0}, "lines", 3, "unit_price", "SO1")]
    record, problems = parse_row("lines", 3, raw | {"unit_price": 1500}, {"currency": "JPY"})
    assert problems == [] and record is not None and record.unit_price == Decimal(1500)
    record, problems = parse_row("lines", 3, raw | {"unit_price": 0.05}, {"currency": "USD"})
    assert problems == [] and record is not None and record.unit_price == Decimal("0.05")


def test_a_line_without_number_is_refused() -> None:
    record, problems = parse_row("lines", 5, {"order_no": "SO1", "line_no": None, "quantity": 3})
    assert record is None
    assert _located(problems) == [("error.required", "lines", 5, "line_no")]
    assert problems[0].order_no == "SO1"


def test_strict_tables_drop_a_bad_row_and_say_where() -> None:
    record, problems = parse_row(
        "products", 6, {"product_code": "P1", "name": None, "lot_size": 0, "list_price": "x"}
    )
    assert record is None
    assert _located(problems) == [
        ("error.not_number", "products", 6, "list_price"),
        ("error.required", "products", 6, "name"),
        ("error.min", "products", 6, "lot_size"),
    ]
    record, problems = parse_row("capacity", 3, {"product_group": "G", "week_start": "下周"})
    assert record is None
    assert _located(problems) == [
        ("error.not_date", "capacity", 3, "week_start"),  # once, not "required" as well
        ("error.required", "capacity", 3, "capacity_qty"),
    ]


def test_parse_table_keeps_good_rows_and_reports_bad_ones() -> None:
    rows = [
        Row(2, {"customer_code": "C1", "name": "甲", "credit_limit": 1000, "active": "是"}),
        Row(3, {"customer_code": "C2", "name": None}),
        Row(4, {"customer_code": "C3", "name": "丙", "active": "No"}),
    ]
    records, problems = parse_table("customers", rows)
    assert [(c.customer_code, c.row) for c in records] == [("C1", 2), ("C3", 4)]
    assert isinstance(records[0], Customer) and records[0].credit_limit == Decimal(1000)
    assert records[1].active == enums.YesNo.NO
    assert _located(problems) == [("error.required", "customers", 3, "name")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("table", "raw", "key", "column", "params"),
    [
        ("lines", {"quantity": "两百"}, "error.not_int", "quantity", {"value": "两百"}),
        ("lines", {"unit_price": "abc"}, "error.not_number", "unit_price", {"value": "abc"}),
        ("lines", {"delivery_date": "soon"}, "error.not_date", "delivery_date", {"value": "soon"}),
        ("lines", {"quantity": 0}, "error.gt", "quantity", {"value": 0, "limit": 0}),
        ("lines", {"passed_qty": -1}, "error.min", "passed_qty", {"value": -1, "limit": 0}),
        ("lines", {"unit_price": 0.001}, "error.precision", "unit_price", {"places": 2}),
        ("orders", {"channel": "飞鸽"}, "error.not_choice", "channel", {"value": "飞鸽"}),
        ("products", {"name": None}, "error.required", "name", {}),
    ],
)
def test_read_problems_are_worded_and_located_in_both_languages(
    lang: str, table: str, raw: dict[str, Any], key: str, column: str, params: dict[str, Any]
) -> None:
    base = {
        "lines": {"order_no": "SO1", "line_no": 1},
        "orders": {"order_no": "SO1"},
        "products": {"product_code": "P1", "name": "螺栓"},
    }[table]
    _, problems = parse_row(table, 8, base | raw, {"currency": "CNY"})
    (problem,) = problems
    assert (problem.key, problem.table, problem.row, problem.column) == (key, table, 8, column)
    expected = t(key, lang, **{k: str(v) for k, v in params.items()})
    assert problem.message(lang) == expected
    assert (
        problem.format(lang) == f"{where(lang, table, 8, column)}{t('punct.colon', lang)}{expected}"
    )


# -- headers in either language ------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_headers_are_recognised_in_the_workbooks_language(lang: str) -> None:
    headers = [c.label("orders", lang) for c in ORDERS.columns]
    positions, missing = map_headers(ORDERS, headers)
    assert missing == []
    assert positions == {key: i for i, key in enumerate(ORDER_COLUMNS)}


def test_headers_may_mix_languages_order_case_spacing_and_extra_columns() -> None:
    headers: list[object] = [
        " QUANTITY ",
        "订单号",
        None,
        "My own column",
        "line",
        "产品代码",
        "spec / MODEL",
        "unit_price",
    ]
    positions, missing = map_headers(LINES, headers)
    assert positions == {
        "quantity": 0,
        "order_no": 1,
        "line_no": 4,
        "product_code": 5,
        "spec": 6,
        "unit_price": 7,
    }
    assert missing == [k for k in LINES.column_keys if k not in positions]


def test_header_labels_are_unambiguous_within_each_table() -> None:
    for table in TABLES.values():
        lookup = header_lookup(table)
        for lang in LANGS:
            labels = [c.label(table.key, lang).strip().casefold() for c in table.columns]
            assert len(set(labels)) == len(labels), (table.key, lang)
        for col in table.columns:
            for lang in LANGS:
                assert lookup[col.label(table.key, lang).strip().casefold()] == col.key


@pytest.mark.parametrize(
    ("text", "formula_like"),
    [
        ("=SUM(A1:A3)", True),
        ("+86 21 5566 7788", True),
        ("-5", True),
        ("@home", True),
        ("SUM(A1)", False),
        ("a=b", False),
        ("", False),
    ],
)
def test_formula_like_text(text: str, formula_like: bool) -> None:
    assert is_formula_like(text) is formula_like


def test_a_product_row_round_trips_through_the_model() -> None:
    raw = {
        "product_code": "P100",
        "name": "六角头螺栓",
        "spec": "M8x40 8.8级",
        "product_group": "紧固件",
        "unit": "件",
        "list_price": 0.85,
        "price_floor": 0.7,
        "lot_size": 500.0,
        "min_qty": 1000,
        "lead_time_days": 14,
        "active": "是",
    }
    record, problems = parse_row("products", 2, raw)
    assert problems == []
    assert isinstance(record, Product)
    assert record.list_price == Decimal("0.85") and record.price_floor == Decimal("0.7")
    assert record.model_dump(exclude={"row"})["active"] == enums.YesNo.YES
    again, _ = parse_row("products", 2, record.model_dump())
    assert again == record


@pytest.mark.parametrize(
    ("table", "raw", "field", "default"),
    [
        ("customers", {"customer_code": "C1", "name": "甲", "active": None}, "active", "yes"),
        ("staff", {"name": "孙丽", "department": "订单管理", "role": ""}, "role", "staff"),
        ("task_orders", {"task_no": "T1", "order_no": "SO1"}, "revision", 1),
        ("task_orders", {"task_no": "T1", "order_no": "SO1"}, "status", "current"),
        (
            "changes",
            {
                "change_no": "CR1",
                "order_no": "SO1",
                "requested_by": "销售",
                "reason": "r",
                "content": "c",
            },
            "status",
            "requested",
        ),
    ],
)
def test_a_blank_cell_takes_the_models_default(
    table: str, raw: dict[str, Any], field: str, default: Any
) -> None:
    record, problems = parse_row(table, 2, raw)
    assert problems == []
    assert record is not None
    assert getattr(record, field) == default


@pytest.mark.parametrize("lang", LANGS)
def test_a_blank_required_cell_says_so_in_words(lang: str) -> None:
    _, problems = parse_row("staff", 4, {"name": "孙丽", "department": None})
    (problem,) = problems
    assert (problem.key, problem.row, problem.column) == ("error.required", 4, "department")
    assert problem.message(lang) == t("error.required", lang)
    assert "None" not in problem.format(lang)
