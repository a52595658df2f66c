"""Customer complaints (DOMAIN §9: the complaint rate's source): what a complaint must be.

A complaint is about what the customer received, so it names an existing order of which
something has been shipped: an order shipped, delivered, accepted or closed, or one still in
production or inspection with a partial shipment recorded. An order cancelled (only possible
before shipment) or rejected in review never reached the customer. The customer is the order's
(a customer code typed that disagrees is refused); the complaint is dated no earlier than the
order was received and not in the future; its severity is one of a closed list; it is open, or
closed on a day no earlier than it was made and not in the future.

Every problem names the complaints sheet's row and column (no row for the command line's
input), or the order's status cell when the order is the reason. Nothing here reads a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from addin.core.enums import ComplaintSeverity, ComplaintStatus, Department, OrderStatus
from addin.core.lifecycle import ActionName
from addin.core.models import Complaint, Order
from addin.core.problems import Problem

# Who deals with a customer's complaint: sales (the customer's contact), quality (its
# investigation and corrective action, §5) and order management (the procedure's owner).
RECORDERS = frozenset({Department.SALES, Department.QUALITY, Department.ORDER_MGMT})
# Who closes one: quality, once the corrective action is done, or order management.
CLOSERS = frozenset({Department.QUALITY, Department.ORDER_MGMT})

# Statuses in which every line has shipped (or more: delivered, accepted, closed).
SHIPPED = frozenset(
    {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.ACCEPTED, OrderStatus.CLOSED}
)
# Statuses in which part of an order may have shipped (partial shipments precede the last
# inspection): the tracking facts tell.
MAY_HAVE_SHIPPED = frozenset({OrderStatus.IN_PRODUCTION, OrderStatus.INSPECTED})
# Statuses of orders that ended without ever being shipped.
ENDED_UNSHIPPED = frozenset({OrderStatus.CANCELLED, OrderStatus.REJECTED})


@dataclass(frozen=True)
class Draft:
    """A complaint as given: from the command line (``row`` None) or typed into a row."""

    order_no: str
    date: date | None
    description: str | None
    severity: ComplaintSeverity | None = None
    customer_code: str | None = None
    status: ComplaintStatus = ComplaintStatus.OPEN
    closed_date: date | None = None
    row: int | None = None


def shipment_problem(order: Order, shipped_qty: int) -> Problem | None:
    """Why nothing of ``order`` can have reached the customer, or None.

    ``shipped_qty``: what the order's tracking facts show as shipped (read only for the
    statuses in :data:`MAY_HAVE_SHIPPED`)."""
    status = order.status
    if status in SHIPPED or (status in MAY_HAVE_SHIPPED and shipped_qty > 0):
        return None
    key = "complaint.order_ended" if status in ENDED_UNSHIPPED else "complaint.not_shipped"
    return Problem(
        key,
        {"order_no": order.order_no, "status": status or ActionName("none")},
        "orders",
        order.row,
        "status",
        order.order_no,
    )


def draft_problems(
    draft: Draft, order: Order, today: date, first_shipment: date | None = None
) -> list[Problem]:
    """What keeps ``draft`` from being recorded against ``order`` (empty: it may be).

    ``first_shipment``: the date of the order's first recorded shipment; a complaint about
    what the customer received is not dated before it."""
    problems: list[Problem] = []

    def at(column: str, key: str, **params: object) -> None:
        problems.append(Problem(key, params, "complaints", draft.row, column, order.order_no))

    typed = (draft.customer_code or "").strip()
    if typed and order.customer_code and typed != order.customer_code:
        at(
            "customer_code",
            "complaint.customer_mismatch",
            typed=typed,
            order_no=order.order_no,
            customer=order.customer_code,
        )
    if not (draft.description or "").strip():
        at("description", "error.required")
    if draft.date is None:
        at("date", "error.required")
    else:
        if order.received_date is not None and draft.date < order.received_date:
            at(
                "date",
                "complaint.before_received",
                date=draft.date,
                received=order.received_date,
                order_no=order.order_no,
            )
        elif first_shipment is not None and draft.date < first_shipment:
            at(
                "date",
                "complaint.before_shipment",
                date=draft.date,
                shipped=first_shipment,
                order_no=order.order_no,
            )
        if draft.date > today:
            at("date", "complaint.future_date", date=draft.date)
    if draft.status == ComplaintStatus.CLOSED:
        problems += closing_problems(
            draft.date, draft.closed_date, today, draft.row, order.order_no
        )
    elif draft.closed_date is not None:
        at("closed_date", "complaint.closed_date_while_open", closed=draft.closed_date)
    return problems


def closing_problems(
    made: date | None, closed: date | None, today: date, row: int | None, order_no: str | None
) -> list[Problem]:
    """What keeps a complaint made on ``made`` from being closed on ``closed``."""

    def at(key: str, **params: object) -> Problem:
        return Problem(key, params, "complaints", row, "closed_date", order_no)

    if closed is None:
        return [at("complaint.closed_date_required")]
    problems = []
    if made is not None and closed < made:
        problems.append(at("complaint.closed_before_made", closed=closed, date=made))
    if closed > today:
        problems.append(at("complaint.future_date", date=closed))
    return problems


def close_problems(complaint: Complaint, closed: date, today: date) -> list[Problem]:
    """What keeps a recorded complaint from being closed on ``closed``."""
    if complaint.status == ComplaintStatus.CLOSED:
        return [
            Problem(
                "complaint.already_closed",
                {"complaint_no": complaint.complaint_no, "closed": complaint.closed_date or "-"},
                "complaints",
                complaint.row,
                "status",
                complaint.order_no,
            )
        ]
    return closing_problems(complaint.date, closed, today, complaint.row, complaint.order_no)
