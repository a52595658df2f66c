"""The preliminary check of DOMAIN §2 (four checks) plus customer credit.

Pure functions of records: the service gathers what they need from the workbook. Each finding
is a :class:`Problem` at the order's or line's cell; ``blocking`` findings send the order to
needs-information (待补充), ``advisory`` ones are flagged for the review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from addin.core.currencies import ExchangeRates, Rate, currency_problems
from addin.core.enums import OrderStatus, YesNo
from addin.core.models import Capacity, Customer, Order, OrderLine, Product
from addin.core.phrases import Joined
from addin.core.problems import Problem

REQUIRED_ORDER_FIELDS = ("received_date", "channel", "customer_name", "contact", "contact_info")
REQUIRED_LINE_FIELDS = (
    "product_code",
    "spec",
    "quantity",
    "unit_price",
    "delivery_date",
    "delivery_place",
)
REQUIREMENT_FIELDS = ("quality_req", "packaging_req", "transport_req")
# Words that leave a requirement open: it must be settled with sales or the customer first.
VAGUE_MARKERS = (
    "?",
    "？",
    "待定",
    "待确认",
    "不详",
    "尽快",
    "tbd",
    "to be confirmed",
    "asap",
    "tba",
)
# Orders whose lines take production capacity and customer credit.
LOADING_STATUSES = frozenset(
    {
        OrderStatus.CHECKED,
        OrderStatus.IN_REVIEW,
        OrderStatus.NEGOTIATING,
        OrderStatus.REVIEW_PASSED,
        OrderStatus.RELEASED,
        OrderStatus.IN_PRODUCTION,
        OrderStatus.INSPECTED,
    }
)
CREDIT_STATUSES = LOADING_STATUSES | {OrderStatus.SHIPPED, OrderStatus.DELIVERED}
SEARCH_WEEKS = 104  # how far the earliest week with free capacity is looked for


@dataclass
class CheckResult:
    blocking: list[Problem] = field(default_factory=list)
    advisory: list[Problem] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.blocking


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Plan:
    """Capacity per (product group, week) and the load already booked on it."""

    capacity: dict[tuple[str, date], int] = field(default_factory=dict)
    load: dict[tuple[str, date], int] = field(default_factory=lambda: defaultdict(int))

    @classmethod
    def build(
        cls,
        capacity: Iterable[Capacity],
        orders: dict[str, Order],
        lines: dict[str, list[OrderLine]],
        products: dict[str, Product],
    ) -> Plan:
        plan = cls({(c.product_group, week_start(c.week_start)): c.capacity_qty for c in capacity})
        for order_no, order in orders.items():
            if order.status in LOADING_STATUSES:
                for line in lines.get(order_no, []):
                    plan.book(line, products, +1)
        return plan

    def book(self, line: OrderLine, products: dict[str, Product], sign: int) -> None:
        product = products.get(line.product_code or "")
        if product and product.product_group and line.delivery_date and line.quantity:
            self.load[(product.product_group, week_start(line.delivery_date))] += (
                sign * line.quantity
            )

    def free(self, group: str, week: date) -> int | None:
        cap = self.capacity.get((group, week))
        return None if cap is None else cap - self.load.get((group, week), 0)

    def earliest(self, group: str, quantity: int, not_before: date) -> date | None:
        """The first day from ``not_before`` in a week whose free capacity takes ``quantity``."""
        week = week_start(not_before)
        for _ in range(SEARCH_WEEKS):
            free = self.free(group, week)
            if free is None or free >= quantity:
                return max(week, not_before)
            week += timedelta(days=7)
        return None


@dataclass(frozen=True)
class Considered:
    """What the check of some orders reads of the other open orders: those of the customers
    whose credit it checks (``customers``), and those with a line of one of ``products``
    delivered from ``first`` to ``last`` (the weeks with capacity it may consult). Every line
    of such an order counts (its value, its load). A reader may give more orders: the rules
    compare customers and weeks themselves."""

    customers: frozenset[str] = frozenset()
    products: frozenset[str] = frozenset()
    first: date | None = None
    last: date | None = None


def considered(
    orders: Iterable[tuple[Order, list[OrderLine]]],
    customers: dict[str, Customer],
    products: dict[str, Product],
    capacity: Iterable[Capacity],
    credit_check: bool,
) -> Considered:
    """What :func:`check_order` of ``orders`` (each with its lines) consults of the other
    orders: the credit of a known, active customer with a limit, and the capacity of a line's
    product group in the weeks from its delivery week to the end of the search for the
    earliest free week, where the capacity table has a row (elsewhere it reads no load)."""
    codes: set[str] = set()
    starts: dict[str, list[date]] = defaultdict(list)  # group → the weeks its lines start from
    for order, lines in orders:
        customer = customer_of(order, customers)
        if (
            credit_check
            and customer is not None
            and customer.active != YesNo.NO
            and customer.credit_limit is not None
        ):
            codes.add(customer.customer_code)
        for line in lines:
            product = products.get(line.product_code or "")
            if product and product.product_group and line.delivery_date and line.quantity:
                starts[product.product_group].append(week_start(line.delivery_date))
    span = timedelta(days=7 * SEARCH_WEEKS)
    weeks: dict[str, list[date]] = defaultdict(list)  # group → its weeks the check may consult
    for row in capacity:
        week = week_start(row.week_start)
        if any(start <= week <= start + span for start in starts.get(row.product_group, ())):
            weeks[row.product_group].append(week)
    found = [week for group in weeks.values() for week in group]
    return Considered(
        customers=frozenset(codes),
        products=frozenset(p.product_code for p in products.values() if p.product_group in weeks),
        first=min(found, default=None),
        last=max(found) + timedelta(days=6) if found else None,
    )


def customer_of(order: Order, customers: dict[str, Customer]) -> Customer | None:
    """The customer an order names: by its code, or by its name when it gives no code."""
    if order.customer_code:
        return customers.get(order.customer_code)
    if order.customer_name:
        return next((c for c in customers.values() if c.name == order.customer_name), None)
    return None


def open_value(
    customer_code: str, orders: dict[str, Order], lines: dict[str, list[OrderLine]], exclude: str
) -> Decimal:
    total = Decimal(0)
    for order_no, order in orders.items():
        if order_no == exclude or order.customer_code != customer_code:
            continue
        if order.status in CREDIT_STATUSES:
            total += order_value(lines.get(order_no, []))
    return total


def order_value(lines: Iterable[OrderLine]) -> Decimal:
    return sum(
        ((line.unit_price or Decimal(0)) * (line.quantity or 0) for line in lines), Decimal(0)
    )


Finding = tuple[str, str, dict[str, object]]  # (message key, column, parameters)


def line_findings(
    line: OrderLine,
    product: Product | None,
    received: date | None,
    rate: Rate | None = None,
    base: str | None = None,
) -> list[Finding]:
    """One line against the catalogue and sales policy (§2.2) and the product's lead time (§2.3).

    Shared by the check and by the worksheet function that checks a line as staff type it.
    ``rate``: the order's currency in the floor's (``base``), when they differ; the floor is
    compared with the converted price.
    """
    if product is None:
        return (
            [("check.unknown_product", "product_code", {"code": line.product_code})]
            if line.product_code
            else []
        )
    found: list[Finding] = []
    if product.active == YesNo.NO:
        found.append(("check.inactive_product", "product_code", {"code": product.product_code}))
    if (
        line.spec
        and product.spec
        and line.spec.strip().casefold() != product.spec.strip().casefold()
    ):
        found.append(
            ("check.spec_mismatch", "spec", {"spec": line.spec, "catalogue": product.spec})
        )
    if rate is not None and line.unit_price is not None and product.price_floor is not None:
        converted = (line.unit_price * rate.value).quantize(Decimal("0.01"))
        if converted < product.price_floor:
            found.append(
                (
                    "check.price_floor_converted",
                    "unit_price",
                    {
                        "price": line.unit_price,
                        "currency": rate.currency,
                        "converted": converted,
                        "base": base or "",
                        "rate": rate.value,
                        "since": rate.since,
                        "floor": product.price_floor,
                    },
                )
            )
    elif (
        line.unit_price is not None
        and product.price_floor is not None
        and line.unit_price < product.price_floor
    ):
        found.append(
            (
                "check.price_floor",
                "unit_price",
                {"price": line.unit_price, "floor": product.price_floor},
            )
        )
    if line.quantity:
        if product.min_qty and line.quantity < product.min_qty:
            found.append(
                ("check.min_qty", "quantity", {"qty": line.quantity, "min": product.min_qty})
            )
        if product.lot_size and line.quantity % product.lot_size:
            found.append(
                ("check.lot_size", "quantity", {"qty": line.quantity, "lot": product.lot_size})
            )
    if line.delivery_date and received and product.lead_time_days is not None:
        ready = received + timedelta(days=product.lead_time_days)
        if line.delivery_date < ready:
            found.append(
                (
                    "check.lead_time",
                    "delivery_date",
                    {"days": product.lead_time_days, "earliest": ready},
                )
            )
    return found


def priced_findings(
    line: OrderLine,
    product: Product | None,
    received: date | None,
    currency: str,
    rates: ExchangeRates | None,
) -> list[Finding]:
    """:func:`line_findings` of a line priced in ``currency``: a foreign price is compared
    with the floor at the rate in force on ``received``, and not at all without one (the
    order's currency is then a finding of its own, see ``currency_problems``)."""
    if rates is None or currency.upper() == rates.base:
        return line_findings(line, product, received)
    rate = rates.on(currency, received)
    found = line_findings(line, product, received, rate, rates.base)
    return found if rate is not None else [f for f in found if f[0] != "check.price_floor"]


def check_order(
    order: Order,
    lines: list[OrderLine],
    *,
    customers: dict[str, Customer],
    products: dict[str, Product],
    plan: Plan,
    open_orders_value: Decimal,
    credit_check: bool = True,
    read_problems: Iterable[Problem] = (),
    rates: ExchangeRates | None = None,
    same_po: Iterable[Order] = (),
) -> CheckResult:
    result = CheckResult()
    block = result.blocking.append
    no = order.order_no

    def at_order(key: str, column: str | None, **params: object) -> Problem:
        return Problem(key, dict(params), "orders", order.row, column, no)

    def at_line(line: OrderLine, key: str, column: str | None, **params: object) -> Problem:
        return Problem(key, {"line_no": line.line_no, **params}, "lines", line.row, column, no)

    # 1. complete and accurate
    result.blocking.extend(read_problems)
    for name in REQUIRED_ORDER_FIELDS:
        if getattr(order, name) in (None, ""):
            block(at_order("check.missing", name))
    if not lines:
        block(at_order("check.no_lines", "order_no"))
    for line in lines:
        for name in REQUIRED_LINE_FIELDS:
            if getattr(line, name) in (None, ""):
                block(at_line(line, "check.missing", name))
        if line.delivery_date and order.received_date and line.delivery_date < order.received_date:
            block(
                at_line(
                    line,
                    "check.delivery_before_receipt",
                    "delivery_date",
                    received=order.received_date,
                )
            )

    # customer and credit
    # A code names the customer; the name alone is looked up only when no code was given.
    customer = customer_of(order, customers)
    if (
        customer is not None
        and order.customer_name
        and order.customer_name.strip().casefold() != customer.name.strip().casefold()
    ):
        block(
            at_order(
                "check.customer_mismatch",
                "customer_name",
                name=order.customer_name,
                code=customer.customer_code,
                listed=customer.name,
            )
        )
    if customer is None:
        block(
            at_order(
                "check.unknown_customer",
                "customer_code",
                code=order.customer_code or order.customer_name or "-",
            )
        )
    elif customer.active == YesNo.NO:
        block(at_order("check.inactive_customer", "customer_code", code=customer.customer_code))
    elif credit_check and customer.credit_limit is not None:
        total = open_orders_value + order_value(lines)
        if total > customer.credit_limit:
            block(
                at_order(
                    "check.credit",
                    "customer_code",
                    total=f"{total:,.2f}",
                    limit=f"{customer.credit_limit:,.2f}",
                )
            )

    # 2. catalogue and sales policy (in a currency the settings know); 3. lead time, capacity
    if rates is not None:
        for key, params in currency_problems(order.currency_code, order.received_date, rates):
            block(at_order(key, "currency", **params))
    for line in lines:
        found = priced_findings(
            line,
            products.get(line.product_code or ""),
            order.received_date,
            order.currency_code,
            rates,
        )
        for key, column, params in found:
            block(at_line(line, key, column, **params))
        product = products.get(line.product_code or "")
        if found or product is None or not (line.delivery_date and line.quantity):
            continue
        if product.product_group:
            group, week = product.product_group, week_start(line.delivery_date)
            free = plan.free(group, week)
            if free is not None and line.quantity > free:
                earliest = plan.earliest(group, line.quantity, week + timedelta(days=7))
                block(
                    at_line(
                        line,
                        "check.capacity",
                        "delivery_date",
                        group=group,
                        week=week,
                        free=max(free, 0),
                        earliest=earliest or "-",
                    )
                )
            else:
                plan.book(line, products, +1)  # later lines of the batch see this one's load

    # the same PO / contract number on another order of the customer: the same form twice?
    others = list(same_po)
    if others:
        result.advisory.append(
            at_order(
                "check.same_po",
                "customer_po",
                po=order.customer_po,
                orders=Joined.of(
                    f"{o.order_no} ({o.received_date.isoformat() if o.received_date else '-'})"
                    for o in others
                ),
            )
        )

    # 4. special requirements
    for name in REQUIREMENT_FIELDS:
        text = (getattr(order, name) or "").strip()
        if text and any(marker in text.casefold() for marker in VAGUE_MARKERS):
            block(at_order("check.vague_requirement", name, text=text))
        elif text:
            result.advisory.append(at_order("check.for_review", name))
    return result
