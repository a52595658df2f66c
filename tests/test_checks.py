"""Every rule of the preliminary check (DOMAIN §2), located and worded in both languages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from foundation_fixtures import LANGS, has_cjk, where

from addin.core.checks import (
    REQUIRED_LINE_FIELDS,
    REQUIRED_ORDER_FIELDS,
    SEARCH_WEEKS,
    CheckResult,
    Considered,
    Plan,
    check_order,
    considered,
    open_value,
    order_value,
    week_start,
)
from addin.core.enums import Channel, OrderStatus, YesNo
from addin.core.models import Capacity, Customer, Order, OrderLine, Product
from addin.core.problems import Problem
from addin.i18n import t

RECEIVED = date(2026, 11, 26)
DELIVERY = RECEIVED + timedelta(days=30)
ORDER_ROW = 5


def _customers() -> dict[str, Customer]:
    return {
        "C1": Customer(row=2, customer_code="C1", name="Acme Ltd", credit_limit=Decimal("100000")),
        "C2": Customer(row=3, customer_code="C2", name="Gone Ltd", active=YesNo.NO),
        "C3": Customer(row=4, customer_code="C3", name="Open Ltd"),  # no credit limit
    }


def _products() -> dict[str, Product]:
    common = {"name": "Bolt", "unit": "pcs", "list_price": Decimal("1.00")}
    return {
        "P1": Product(
            row=2,
            product_code="P1",
            spec="M8x40",
            product_group="G",
            price_floor=Decimal("0.70"),
            lot_size=100,
            min_qty=200,
            lead_time_days=14,
            **common,
        ),
        "P9": Product(
            row=3,
            product_code="P9",
            spec="OLD",
            product_group="G",
            active=YesNo.NO,
            **common,
        ),
    }


@dataclass
class Setup:
    """One order about to be checked, and everything the check reads besides it."""

    order: Order
    lines: list[OrderLine]
    customers: dict[str, Customer] = field(default_factory=_customers)
    products: dict[str, Product] = field(default_factory=_products)
    plan: Plan = field(default_factory=Plan)
    open_orders_value: Decimal = Decimal(0)
    credit_check: bool = True
    read_problems: list[Problem] = field(default_factory=list)

    def run(self) -> CheckResult:
        return check_order(
            self.order,
            self.lines,
            customers=self.customers,
            products=self.products,
            plan=self.plan,
            open_orders_value=self.open_orders_value,
            credit_check=self.credit_check,
            read_problems=self.read_problems,
        )


def make_order(**values: Any) -> Order:
    base = {
        "row": ORDER_ROW,
        "order_no": "SO1",
        "received_date": RECEIVED,
        "channel": Channel.EMAIL,
        "customer_code": "C1",
        "customer_name": "Acme Ltd",
        "contact": "Wang",
        "contact_info": "021-5566 7788",
        "status": OrderStatus.RECEIVED,
    }
    return Order(**(base | values))


def make_line(number: int = 1, **values: Any) -> OrderLine:
    base = {
        "row": 10 + number,
        "order_no": "SO1",
        "line_no": number,
        "product_code": "P1",
        "spec": "M8x40",
        "quantity": 500,
        "unit_price": Decimal("1.00"),
        "delivery_date": DELIVERY,
        "delivery_place": "Shanghai",
    }
    return OrderLine(**(base | values))


def clean_setup() -> Setup:
    return Setup(make_order(), [make_line(1)])


def test_a_clean_order_passes_with_nothing_to_report() -> None:
    result = clean_setup().run()
    assert result.blocking == []
    assert result.advisory == []
    assert result.passed


# -- one case per rule: how to spoil the clean order, and the one finding expected -----------------
@dataclass
class Case:
    spoil: Callable[[Setup], None]
    key: str
    params: dict[str, Any]
    table: str
    column: str
    row: int = 11  # the first line's row (orders: ORDER_ROW)


def _set(target: str, **values: Any) -> Callable[[Setup], None]:
    def spoil(setup: Setup) -> None:
        record = setup.order if target == "order" else setup.lines[0]
        for key, value in values.items():
            setattr(record, key, value)

    return spoil


def _plan_with_load(setup: Setup) -> None:
    week = week_start(DELIVERY)
    setup.plan = Plan({("G", week): 1000, ("G", week + timedelta(days=7)): 1000})
    setup.plan.load[("G", week)] = 800


def _no_lines(setup: Setup) -> None:
    setup.lines.clear()


def _over_credit(setup: Setup) -> None:
    setup.open_orders_value = Decimal("99900")  # + 500 x 1.00 of this order


CASES: dict[str, Case] = {
    **{
        f"missing_order_{name}": Case(
            _set("order", **{name: None}), "check.missing", {}, "orders", name, ORDER_ROW
        )
        for name in REQUIRED_ORDER_FIELDS
    },
    **{
        f"missing_line_{name}": Case(
            _set("line", **{name: None}), "check.missing", {"line_no": 1}, "lines", name
        )
        for name in REQUIRED_LINE_FIELDS
    },
    "no_lines": Case(_no_lines, "check.no_lines", {}, "orders", "order_no", ORDER_ROW),
    "unknown_customer": Case(
        _set("order", customer_code="C404", customer_name="Nobody Ltd"),
        "check.unknown_customer",
        {"code": "C404"},
        "orders",
        "customer_code",
        ORDER_ROW,
    ),
    "unknown_customer_by_name": Case(
        _set("order", customer_code=None, customer_name="Nobody Ltd"),
        "check.unknown_customer",
        {"code": "Nobody Ltd"},
        "orders",
        "customer_code",
        ORDER_ROW,
    ),
    "unknown_code_with_a_listed_name": Case(
        _set("order", customer_code="C404", customer_name="Acme Ltd"),
        "check.unknown_customer",
        {"code": "C404"},
        "orders",
        "customer_code",
        ORDER_ROW,
    ),
    "customer_name_differs_from_code": Case(
        _set("order", customer_code="C1", customer_name="Acme Trading"),
        "check.customer_mismatch",
        {"name": "Acme Trading", "code": "C1", "listed": "Acme Ltd"},
        "orders",
        "customer_name",
        ORDER_ROW,
    ),
    "inactive_customer": Case(
        _set("order", customer_code="C2", customer_name="Gone Ltd"),
        "check.inactive_customer",
        {"code": "C2"},
        "orders",
        "customer_code",
        ORDER_ROW,
    ),
    "credit": Case(
        _over_credit,
        "check.credit",
        {"total": "100,400.00", "limit": "100,000.00"},
        "orders",
        "customer_code",
        ORDER_ROW,
    ),
    "unknown_product": Case(
        _set("line", product_code="P404"),
        "check.unknown_product",
        {"line_no": 1, "code": "P404"},
        "lines",
        "product_code",
    ),
    "inactive_product": Case(
        _set("line", product_code="P9", spec="OLD"),
        "check.inactive_product",
        {"line_no": 1, "code": "P9"},
        "lines",
        "product_code",
    ),
    "spec_mismatch": Case(
        _set("line", spec="M10x50"),
        "check.spec_mismatch",
        {"line_no": 1, "spec": "M10x50", "catalogue": "M8x40"},
        "lines",
        "spec",
    ),
    "price_floor": Case(
        _set("line", unit_price=Decimal("0.69")),
        "check.price_floor",
        {"line_no": 1, "price": Decimal("0.69"), "floor": Decimal("0.70")},
        "lines",
        "unit_price",
    ),
    "min_qty": Case(
        _set("line", quantity=100),
        "check.min_qty",
        {"line_no": 1, "qty": 100, "min": 200},
        "lines",
        "quantity",
    ),
    "lot_size": Case(
        _set("line", quantity=250),
        "check.lot_size",
        {"line_no": 1, "qty": 250, "lot": 100},
        "lines",
        "quantity",
    ),
    "lead_time": Case(
        _set("line", delivery_date=RECEIVED + timedelta(days=13)),
        "check.lead_time",
        {"line_no": 1, "days": 14, "earliest": RECEIVED + timedelta(days=14)},
        "lines",
        "delivery_date",
    ),
    "capacity": Case(
        _plan_with_load,
        "check.capacity",
        {
            "line_no": 1,
            "group": "G",
            "week": week_start(DELIVERY),
            "free": 200,
            "earliest": week_start(DELIVERY) + timedelta(days=7),
        },
        "lines",
        "delivery_date",
    ),
    "vague_requirement": Case(
        _set("order", quality_req="Surface finish TBD"),
        "check.vague_requirement",
        {"text": "Surface finish TBD"},
        "orders",
        "quality_req",
        ORDER_ROW,
    ),
    "vague_requirement_zh": Case(
        _set("order", transport_req="运输方式待定"),
        "check.vague_requirement",
        {"text": "运输方式待定"},
        "orders",
        "transport_req",
        ORDER_ROW,
    ),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(CASES))
def test_each_rule_blocks_at_its_cell_in_both_languages(name: str, lang: str) -> None:
    case = CASES[name]
    setup = clean_setup()
    case.spoil(setup)
    result = setup.run()

    assert not result.passed
    assert result.blocking == [
        Problem(case.key, case.params, case.table, case.row, case.column, "SO1")
    ]
    problem = result.blocking[0]
    expected = t(case.key, lang, **{k: str(v) for k, v in case.params.items()})
    assert problem.message(lang) == expected
    colon = t("punct.colon", lang)
    assert (
        problem.format(lang) == f"{where(lang, case.table, case.row, case.column)}{colon}{expected}"
    )
    # the message is really in that language (ASCII data, so English text has no CJK at all)
    text = problem.format(lang)
    if lang == "zh":
        assert has_cjk(text)
    elif "zh" not in name:
        assert not has_cjk(text)
    located = problem.to_json(lang)
    assert located["sheet"] == t(f"sheet.{case.table}", lang)
    assert (located["row"], located["column"]) == (case.row, case.column)
    assert located["field"] == t(f"col.{case.table}.{case.column}", lang)
    assert located["message"] == expected


def test_the_catalogue_words_every_finding_differently_in_each_language() -> None:
    for case in CASES.values():
        params = {k: str(v) for k, v in case.params.items()}
        zh, en = t(case.key, "zh", **params), t(case.key, "en", **params)
        assert zh != en
        assert has_cjk(zh)


# -- the edges of each rule ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "spoil",
    [
        _set("line", unit_price=Decimal("0.70")),  # exactly the floor
        _set("line", quantity=200),  # exactly the minimum, a multiple of the lot
        _set("line", delivery_date=RECEIVED + timedelta(days=14)),  # exactly the lead time
        _set("line", spec=" m8X40 "),  # same spec, other case and spaces
        _set("order", customer_code=None),  # found by name
        _set("order", customer_code="C3", customer_name="Open Ltd"),  # no credit limit
    ],
    ids=["floor", "min_qty", "lead_time", "spec_case", "customer_by_name", "no_limit"],
)
def test_values_on_the_limit_pass(spoil: Callable[[Setup], None]) -> None:
    setup = clean_setup()
    spoil(setup)
    assert setup.run().blocking == []


def test_credit_exactly_at_the_limit_passes_and_the_check_can_be_switched_off() -> None:
    setup = clean_setup()
    setup.open_orders_value = Decimal("99500")
    assert setup.run().passed
    setup.open_orders_value = Decimal("99501")
    assert [p.key for p in setup.run().blocking] == ["check.credit"]
    setup.credit_check = False
    assert setup.run().passed


def test_delivery_before_receipt_is_reported_with_the_lead_time() -> None:
    setup = clean_setup()
    setup.lines[0].delivery_date = RECEIVED - timedelta(days=5)
    keys = {(p.key, p.column) for p in setup.run().blocking}
    assert keys == {
        ("check.delivery_before_receipt", "delivery_date"),
        ("check.lead_time", "delivery_date"),
    }
    first = next(p for p in setup.run().blocking if p.key == "check.delivery_before_receipt")
    assert first.params == {"line_no": 1, "received": RECEIVED}
    for lang in LANGS:
        assert first.message(lang) == t(
            "check.delivery_before_receipt", lang, line_no=1, received=RECEIVED.isoformat()
        )


def test_special_requirements_go_to_the_review_without_blocking() -> None:
    setup = clean_setup()
    setup.order.packaging_req = "wooden crate, fumigated"
    result = setup.run()
    assert result.passed
    assert result.advisory == [
        Problem("check.for_review", {}, "orders", ORDER_ROW, "packaging_req", "SO1")
    ]
    for lang in LANGS:
        assert result.advisory[0].message(lang) == t("check.for_review", lang)


@pytest.mark.parametrize("text", ["tbd", "ASAP please", "颜色？", "尽快", "to be confirmed"])
def test_vague_markers_are_found_in_any_case(text: str) -> None:
    setup = clean_setup()
    setup.order.quality_req = text
    assert [p.key for p in setup.run().blocking] == ["check.vague_requirement"]


def test_read_problems_of_the_order_block_it() -> None:
    setup = clean_setup()
    typo = Problem("error.not_int", {"value": "两百"}, "lines", 12, "quantity", "SO1")
    setup.read_problems = [typo]
    result = setup.run()
    assert result.blocking == [typo]


def test_a_second_line_sees_the_capacity_the_first_one_took() -> None:
    week = week_start(DELIVERY)
    setup = Setup(make_order(), [make_line(1, quantity=600), make_line(2, quantity=600)])
    setup.plan = Plan({("G", week): 1000})
    result = setup.run()
    assert [(p.key, p.row) for p in result.blocking] == [("check.capacity", 12)]
    assert result.blocking[0].params["free"] == 400
    # no capacity row for the following weeks: the next week is feasible
    assert result.blocking[0].params["earliest"] == week + timedelta(days=7)


def test_the_plan_counts_only_orders_that_hold_capacity() -> None:
    week = week_start(DELIVERY)
    products = _products()
    orders = {
        "A": make_order(order_no="A", status=OrderStatus.CHECKED),
        "B": make_order(order_no="B", status=OrderStatus.NEEDS_INFO),
        "C": make_order(order_no="C", status=OrderStatus.CLOSED),
    }
    lines = {no: [make_line(1, order_no=no, quantity=300)] for no in orders}
    plan = Plan.build([Capacity(product_group="G", week_start=week, capacity_qty=1000)], orders, lines, products)  # fmt: skip
    assert plan.free("G", week) == 700
    assert plan.free("G", week + timedelta(days=7)) is None


def test_the_earliest_feasible_week_skips_full_weeks() -> None:
    week = week_start(DELIVERY)
    plan = Plan({("G", week + timedelta(days=7 * n)): 100 for n in range(4)})
    plan.load[("G", week + timedelta(days=7))] = 100
    plan.load[("G", week + timedelta(days=14))] = 50
    assert plan.earliest("G", 60, week + timedelta(days=7)) == week + timedelta(days=21)
    assert plan.earliest("G", 60, DELIVERY) == DELIVERY


def test_open_value_counts_the_customers_other_open_orders() -> None:
    orders = {
        "A": make_order(order_no="A", status=OrderStatus.CHECKED),
        "B": make_order(order_no="B", status=OrderStatus.SHIPPED),
        "C": make_order(order_no="C", status=OrderStatus.CLOSED),
        "D": make_order(order_no="D", status=OrderStatus.NEEDS_INFO),
        "E": make_order(order_no="E", status=OrderStatus.CHECKED, customer_code="C3"),
        "SELF": make_order(order_no="SELF", status=OrderStatus.CHECKED),
    }
    lines = {
        no: [make_line(1, order_no=no, quantity=100, unit_price=Decimal("2.50"))] for no in orders
    }
    assert order_value(lines["A"]) == Decimal("250.00")
    assert open_value("C1", orders, lines, exclude="SELF") == Decimal("500.00")  # A and B


def test_week_start_is_monday() -> None:
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)  # a Sunday
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)


def _considered(order: Order, credit_check: bool = True, *weeks: date) -> Considered:
    capacity = [Capacity(row=2, product_group="G", week_start=w, capacity_qty=100) for w in weeks]
    return considered([(order, [make_line()])], _customers(), _products(), capacity, credit_check)


def test_the_check_considers_the_credit_of_a_known_active_customer_with_a_limit() -> None:
    assert _considered(make_order()).customers == {"C1"}
    assert _considered(make_order(customer_code=None)).customers == {"C1"}  # by its name
    assert _considered(make_order(), False).customers == frozenset()  # credit check off
    for code in ("C2", "C3", "C9"):  # inactive, no limit, unknown: no credit counted
        assert _considered(make_order(customer_code=code)).customers == frozenset()


def test_the_check_considers_the_weeks_whose_capacity_it_may_consult() -> None:
    week = week_start(DELIVERY)
    assert _considered(make_order()) == Considered(customers=frozenset({"C1"}))  # no capacity
    last = week + timedelta(days=7 * SEARCH_WEEKS)
    found = _considered(
        make_order(), True, week - timedelta(days=7), week + timedelta(days=14), last
    )
    assert found.products == {"P1", "P9"}  # the group's products
    assert (found.first, found.last) == (week + timedelta(days=14), last + timedelta(days=6))
    beyond = _considered(make_order(), True, week - timedelta(days=7), last + timedelta(days=7))
    assert (beyond.products, beyond.first, beyond.last) == (frozenset(), None, None)
