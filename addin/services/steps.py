"""Steps the lifecycle services share: status moves through the table, the facts of an order,
and the tracking view (lines' quantities, the order's progress columns) kept in step with them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol, TypeVar

from addin.core.enums import OrderStatus
from addin.core.lifecycle import ensure_allowed, ensure_transition, forbids
from addin.core.models import Order, OrderLine, TrackingEntry
from addin.core.problems import Problem, RuleError
from addin.core.tracking import OrderFacts, inspection_text, line_totals, progress, replay
from addin.services.context import Action, OrderOutcome

T = TypeVar("T", bound="TypedRow")


def check_status(act: Action, order: Order, action: str | None = None) -> None:
    """Refuse early when the table allows ``action`` nothing from the order's status."""
    ensure_allowed(action or act.name, order.order_no, order.status, row=order.row)


def stay(act: Action, order: Order, details: str, action: str | None = None) -> OrderOutcome:
    """An action that changes no status: allowed by the table, recorded in the ledger, and the
    order's ``status_since`` left alone (time nodes count from it)."""
    action = action or act.name
    status = order.status
    if status is None:
        raise RuleError(forbids(action, order.order_no, status, order.row))
    ensure_allowed(action, order.order_no, status, status, row=order.row)
    act.log(order.order_no, details, status, status, action)
    return OrderOutcome(order.order_no, status, status)


def move(
    act: Action, order: Order, after: OrderStatus, details: str, action: str | None = None
) -> OrderOutcome:
    if after == order.status:
        return stay(act, order, details, action)
    ensure_transition(action or act.name, order.order_no, order.status, after, order.row)
    return act.transition(order, after, details, action)


def order_lines(act: Action, order: Order) -> list[OrderLine]:
    return sorted(act.snap.lines.get(order.order_no, []), key=lambda line: line.line_no)


def tracking_rows(act: Action, order: Order) -> list[TrackingEntry]:
    return act.snap.by_order("tracking").get(order.order_no, [])


def order_facts(act: Action, order: Order, leave_out: Collection[int] = ()) -> OrderFacts:
    """The order's facts from its tracking rows; refuse while a row of it cannot be read or is
    impossible (typed into the sheet), so that nothing typed is silently left out.

    ``leave_out``: sheet rows not counted (typed facts about to be applied one by one)."""
    rows = [e for e in tracking_rows(act, order) if e.row not in leave_out]
    unreadable = [
        p for p in act.snap.problems_for("tracking", order.order_no) if p.row not in leave_out
    ] + _line_problems(act, order)
    facts, impossible = replay(order.order_no, order_lines(act, order), rows, order.received_date)
    if unreadable or impossible:
        heading = Problem("track.sheet_problems", {"order_no": order.order_no})
        raise RuleError([heading, *unreadable, *impossible])
    return facts


def _line_problems(act: Action, order: Order) -> list[Problem]:
    return [
        p
        for p in act.snap.problems_for("lines", order.order_no)
        if p.column in ("quantity", "line_no")
    ]


def show_facts(act: Action, order: Order, facts: OrderFacts) -> None:
    """Write the facts where staff read them: lines' quantities, the order's tracking view."""
    for line in order_lines(act, order):
        totals = facts.lines.get(line.line_no)
        if totals is not None and line.row is not None:
            act.update("lines", line, **line_totals(totals))
    if order.row is not None:
        act.update(
            "orders",
            order,
            progress=progress(facts),
            inspection=inspection_text(facts, act.lang),
            shipped_at=facts.last_shipment,
        )


class TypedRow(Protocol):
    """A row staff typed into a sheet for an action to apply (a tracking fact, a change
    request): the order it names, if the workbook has it, and why it cannot be read."""

    row: int
    order_no: str
    order: Order | None
    problems: list[Problem]


def pending(typed: Sequence[T]) -> tuple[list[str], list[Problem]]:
    """The orders typed rows are waiting for (in sheet order), and the problems of the rows
    that name no order of the workbook."""
    orders = list(dict.fromkeys(row.order_no for row in typed if row.order is not None))
    return orders, [p for row in typed if row.order is None for p in row.problems]


def typed_for(act: Action, typed: Sequence[T], order_no: str | None) -> list[T]:
    """The typed rows of ``order_no`` (every one when None); refuse rows naming no order."""
    if order_no is not None:
        wanted = act.order(order_no).order_no
        typed = [row for row in typed if row.order_no == wanted]
    problems = [p for row in typed if row.order is None for p in row.problems]
    if problems:
        raise RuleError(problems)
    return list(typed)


def confirm_dates(act: Action, order: Order) -> None:
    """The delivery dates the order is confirmed with (review passed) become its lines'
    promised dates, kept as they are by later changes: on-time delivery is measured
    against them."""
    for line in order_lines(act, order):
        if line.row is not None and line.promised_date is None:
            act.update("lines", line, promised_date=line.delivery_date)
