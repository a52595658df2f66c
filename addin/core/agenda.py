"""The regular tracking meeting's agenda (DOMAIN §6, §9): its period, the open change requests
and the orders that moved in the period. Pure: records in, rows out.

The figures come from :mod:`addin.core.statistics`, the overdue and at-risk orders from
:mod:`addin.core.timenodes`; this module holds what the meeting report adds to them, and the
report whole (:class:`MeetingReport`), which the renderer in :mod:`workbook.report_file` words.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from addin.core.closure import PENDING_CHANGE
from addin.core.enums import ChangeStatus, Department, OrderStatus
from addin.core.models import ChangeRequest, LedgerEntry, Order
from addin.core.timenodes import Late

if TYPE_CHECKING:
    from addin.core.statistics import Statistics

# What the meeting hears of the period's progress, in the procedure's order.
MILESTONES: tuple[OrderStatus, ...] = (
    OrderStatus.RELEASED,
    OrderStatus.SHIPPED,
    OrderStatus.CLOSED,
)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
RISK = "delivery_risk"  # the time nodes' kind of an at-risk finding


@dataclass(frozen=True)
class ReportPeriod:
    """The days the report's figures cover, both included."""

    start: date
    end: date

    @classmethod
    def month(cls, text: str) -> ReportPeriod:
        """``YYYY-MM`` as its first to its last day; ValueError for anything else."""
        found = _MONTH.match(text.strip())
        if not found:
            raise ValueError(text)
        year, month = int(found.group(1)), int(found.group(2))
        if not 1 <= month <= 12 or year < 1:
            raise ValueError(text)
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def month_of(cls, day: date) -> ReportPeriod:
        return cls.month(f"{day.year:04d}-{day.month:02d}")

    @property
    def is_month(self) -> bool:
        return self == ReportPeriod.month_of(self.start)

    @property
    def label(self) -> str:
        """``2026-11`` for a whole month, ``2026-11-03~2026-11-20`` otherwise."""
        if self.is_month:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return f"{self.start.isoformat()}~{self.end.isoformat()}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "from": self.start.isoformat(), "to": self.end.isoformat()}


@dataclass(frozen=True)
class OpenChange:
    """A change request not yet approved or rejected, as the meeting discusses it."""

    change_no: str
    order_no: str
    customer: str
    content: str
    reason: str
    requested_by: Department
    requester: str
    requested_at: date | None
    status: ChangeStatus
    days_open: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "change_no": self.change_no,
            "order_no": self.order_no,
            "customer": self.customer,
            "content": self.content,
            "reason": self.reason,
            "requested_by": self.requested_by.value,
            "requester": self.requester,
            "requested_at": self.requested_at.isoformat() if self.requested_at else None,
            "status": self.status.value,
            "days_open": self.days_open,
        }


@dataclass(frozen=True)
class Milestone:
    """An order reaching a milestone status (released, shipped, closed) on ``day``."""

    status: OrderStatus
    day: date
    order_no: str
    customer: str

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "date": self.day.isoformat(),
            "order_no": self.order_no,
            "customer": self.customer,
        }


@dataclass(frozen=True)
class FlaggedOrder:
    """A time-node finding (:class:`addin.core.timenodes.Late`) with its order's customer and
    status, as a row of the overdue or at-risk list."""

    late: Late
    customer: str
    status: OrderStatus | None

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            **self.late.to_json(lang),
            "customer": self.customer,
            "status": self.status.value if self.status else None,
        }


def split_late(
    found: Iterable[Late], orders: dict[str, Order]
) -> tuple[list[FlaggedOrder], list[FlaggedOrder]]:
    """The overdue (a stage past its limit, a delivery date passed) and the at-risk findings,
    each in the order the time nodes give them (most late first)."""
    overdue: list[FlaggedOrder] = []
    at_risk: list[FlaggedOrder] = []
    for late in found:
        order = orders.get(late.order_no)
        row = FlaggedOrder(late, customer_of(order), order.status if order else None)
        (at_risk if late.kind == RISK else overdue).append(row)
    return overdue, at_risk


def customer_of(order: Order | None) -> str:
    if order is None:
        return ""
    return (order.customer_name or order.customer_code or "").strip()


def open_changes(
    changes: Iterable[ChangeRequest], orders: dict[str, Order], as_of: date
) -> list[OpenChange]:
    """Change requests still pending (requested or reviewed), oldest first; days open count
    calendar days from the request to ``as_of``."""
    found: list[OpenChange] = []
    for change in changes:
        if change.status not in PENDING_CHANGE:
            continue
        requested = change.requested_at.date() if change.requested_at else None
        found.append(
            OpenChange(
                change_no=change.change_no,
                order_no=change.order_no,
                customer=customer_of(orders.get(change.order_no)),
                content=(change.content or "").strip(),
                reason=(change.reason or "").strip(),
                requested_by=change.requested_by,
                requester=(change.requester or "").strip(),
                requested_at=requested,
                status=change.status,
                days_open=max(0, (as_of - requested).days) if requested else None,
            )
        )
    found.sort(key=lambda c: (c.requested_at or date.min, c.change_no))
    return found


def milestones(
    ledger: Iterable[LedgerEntry], orders: dict[str, Order], period: ReportPeriod
) -> list[Milestone]:
    """The ledger rows that moved an order into a milestone status within ``period``: each
    order and status once (its first such row in the period), in the procedure's order, then
    by day and order number."""
    seen: dict[tuple[str, OrderStatus], date] = {}
    for entry in sorted(ledger, key=lambda e: (e.seq, e.row or 0)):
        if not entry.order_no or entry.time.date() not in period:
            continue
        after = OrderStatus.parse_or_none(entry.status_after)
        if after not in MILESTONES or after == OrderStatus.parse_or_none(entry.status_before):
            continue
        seen.setdefault((entry.order_no, after), entry.time.date())
    rank = {status: i for i, status in enumerate(MILESTONES)}
    found = [
        Milestone(status, day, order_no, customer_of(orders.get(order_no)))
        for (order_no, status), day in seen.items()
    ]
    found.sort(key=lambda m: (rank[m.status], m.day, m.order_no))
    return found


@dataclass
class MeetingReport:
    """Everything the report shows, language-neutral: the renderer words it."""

    period: ReportPeriod
    as_of: date
    company: str
    currency: str  # the workbook's default currency: the sales line shown when there are none
    stats: Statistics
    overdue: list[FlaggedOrder] = field(default_factory=list)
    at_risk: list[FlaggedOrder] = field(default_factory=list)
    changes: list[OpenChange] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    rows_left_out: int = 0  # unreadable rows of the tables read

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "period": self.period.to_json(),
            "as_of": self.as_of.isoformat(),
            "figures": self.stats.to_json(),
            "overdue": [f.to_json(lang) for f in self.overdue],
            "at_risk": [f.to_json(lang) for f in self.at_risk],
            "open_changes": [c.to_json() for c in self.changes],
            "milestones": [m.to_json() for m in self.milestones],
            "rows_left_out": self.rows_left_out,
        }
