"""Closing conditions (DOMAIN §8): all produced, inspected and passed, shipped, delivered, and
accepted by the customer; nothing less closes an order. Each unmet condition is a Problem."""

from __future__ import annotations

from collections.abc import Iterable

from addin.core.enums import ChangeStatus
from addin.core.models import ChangeRequest, Order
from addin.core.problems import Problem
from addin.core.tracking import OrderFacts

# (line attribute, lines sheet column, message key), in the order the work is done.
LINE_CONDITIONS: tuple[tuple[str, str, str], ...] = (
    ("produced", "produced_qty", "closure.not_produced"),
    ("passed", "passed_qty", "closure.not_passed"),
    ("shipped", "shipped_qty", "closure.not_shipped"),
    ("delivered", "delivered_qty", "closure.not_delivered"),
)
PENDING_CHANGE = frozenset({ChangeStatus.REQUESTED, ChangeStatus.REVIEWED})


def report_number(order: Order, given: str | None = None) -> str:
    """The final inspection report number closing rests on: the one given, else the cell's."""
    return (given or "").strip() or (order.final_report_no or "").strip()


def unmet_conditions(
    order: Order,
    facts: OrderFacts,
    changes: Iterable[ChangeRequest] = (),
    report_no: str | None = None,
) -> list[Problem]:
    """Every unmet closing condition; ``report_no`` overrides the order's report cell."""
    no = order.order_no
    problems: list[Problem] = []
    if not facts.lines:
        problems.append(Problem("closure.no_lines", {}, "orders", order.row, "order_no", no))
    for line in facts.lines.values():
        for attribute, column, key in LINE_CONDITIONS:
            done = getattr(line, attribute)
            if done < line.ordered:
                problems.append(
                    Problem(
                        key,
                        {"line_no": line.line_no, "done": done, "ordered": line.ordered},
                        "lines",
                        line.row,
                        column,
                        no,
                    )
                )
    if facts.accepted_on is None:
        problems.append(Problem("closure.not_accepted", {}, "tracking", None, "kind", no))
    # Order management closes holding the inspection report (§8): its number is on record.
    if not report_number(order, report_no):
        problems.append(
            Problem("closure.no_report", {}, "orders", order.row, "final_report_no", no)
        )
    for change in changes:
        if change.status in PENDING_CHANGE:
            problems.append(
                Problem(
                    "closure.pending_change",
                    {"change_no": change.change_no, "status": change.status},
                    "changes",
                    change.row,
                    "status",
                    no,
                )
            )
    return problems
