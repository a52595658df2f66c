"""Time nodes (DOMAIN §1): working days, each stage's time limit, and the delivery date at risk.

The settings give each stage a limit in working days (Monday to Friday, less the settings'
holidays), counted from the day the stage began: ``check`` from receipt, ``review`` from the
check that passed, ``release`` from the review that passed, ``change_review`` from a change
request. An order is late on delivery once a line's delivery date has passed undelivered, and
at risk when an open delay or material shortage, or the product's lead time, reaches past it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from addin.core.closure import PENDING_CHANGE
from addin.core.enums import OPEN_STATUSES, OrderStatus
from addin.core.models import ChangeRequest, LedgerEntry, Order, OrderLine, Product
from addin.core.phrases import Phrase
from addin.core.tracking import OrderFacts

S = OrderStatus


@dataclass(frozen=True)
class Stage:
    start: OrderStatus  # the status the stage begins with
    pending: frozenset[OrderStatus]  # statuses in which the stage is not yet done


STAGES: dict[str, Stage] = {
    "check": Stage(S.RECEIVED, frozenset({S.RECEIVED, S.NEEDS_INFO})),
    "review": Stage(S.CHECKED, frozenset({S.CHECKED, S.IN_REVIEW, S.NEGOTIATING})),
    "release": Stage(S.REVIEW_PASSED, frozenset({S.REVIEW_PASSED})),
}
CHANGE_STAGE = "change_review"
NOT_YET_RELEASED = frozenset(
    {S.RECEIVED, S.NEEDS_INFO, S.CHECKED, S.IN_REVIEW, S.NEGOTIATING, S.REVIEW_PASSED}
)
# Orders whose delivery can no longer be late or at risk: delivered, or not to be delivered as
# they stand (a rejected order waits for a change or its cancellation, not for production).
DONE_DELIVERING = frozenset({S.DELIVERED, S.ACCEPTED, S.CLOSED, S.CANCELLED, S.REJECTED})


def parse_holidays(text: str) -> tuple[frozenset[date], list[str]]:
    """The settings' holiday list (dates separated by commas, semicolons or spaces) and the
    parts that are not dates."""
    days: set[date] = set()
    bad: list[str] = []
    for part in re.split(r"[,;，；\s]+", text or ""):
        if not part:
            continue
        try:
            days.add(date.fromisoformat(part.replace("/", "-")))
        except ValueError:
            bad.append(part)
    return frozenset(days), bad


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: frozenset[date]) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(first: date, last: date, holidays: frozenset[date]) -> int:
    """Working days after ``first`` up to and including ``last`` (0 when ``last <= first``)."""
    count = 0
    day = first
    while day < last:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


@dataclass
class Late:
    """One order (or change request) past a time node or with its delivery date in danger."""

    order_no: str
    kind: str  # "stage" | "delivery_late" | "delivery_risk"
    reason: Phrase
    days_late: int
    unit: str  # "working_days" | "days"
    stage: str | None = None
    since: date | None = None
    deadline: date | None = None
    change_no: str | None = None
    line_no: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "order_no": self.order_no,
            "kind": self.kind,
            "stage": self.stage,
            "change_no": self.change_no,
            "line_no": self.line_no,
            "since": self.since.isoformat() if self.since else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_late": self.days_late,
            "unit": self.unit,
            "reason": self.reason.label(lang),
        }


def stage_start(order: Order, stage: Stage, entries: Iterable[LedgerEntry]) -> datetime | None:
    """When the order last entered the stage's start status (from its ledger rows)."""
    start: datetime | None = None
    for entry in entries:
        after, before = (
            OrderStatus.parse_or_none(entry.status_after),
            OrderStatus.parse_or_none(entry.status_before),
        )
        if after == stage.start and before != stage.start:
            start = entry.time
    if start is None and stage.start == S.RECEIVED and order.received_date:
        return datetime.combine(order.received_date, datetime.min.time())
    if start is None and order.status == stage.start:
        return order.status_since
    return start


def overdue(
    orders: Iterable[Order],
    lines: dict[str, list[OrderLine]],
    ledger: dict[str, list[LedgerEntry]],
    changes: dict[str, list[ChangeRequest]],
    facts: dict[str, OrderFacts],
    products: dict[str, Product],
    limits: dict[str, int],
    holidays: frozenset[date],
    today: date,
) -> list[Late]:
    found: list[Late] = []
    for order in orders:
        if order.status not in OPEN_STATUSES:
            continue
        no = order.order_no
        found.extend(_stages(order, ledger.get(no, []), limits, holidays, today))
        found.extend(_changes(order, changes.get(no, []), limits, holidays, today))
        order_lines = lines.get(no, [])
        order_facts = facts.get(no) or OrderFacts.of(no, order_lines)
        found.extend(delivery_state(order, order_lines, order_facts, products, today))
    found.sort(key=lambda late: (-late.days_late, late.order_no))
    return found


def _stages(
    order: Order,
    entries: list[LedgerEntry],
    limits: dict[str, int],
    holidays: frozenset[date],
    today: date,
) -> list[Late]:
    out = []
    for name, stage in STAGES.items():
        if order.status not in stage.pending or name not in limits:
            continue
        start = stage_start(order, stage, entries)
        if start is None:
            continue
        deadline = add_working_days(start.date(), limits[name], holidays)
        if today > deadline:
            late = working_days_between(deadline, today, holidays)
            if late > 0:
                out.append(
                    Late(
                        order.order_no,
                        "stage",
                        Phrase("overdue.stage", {"stage": Phrase(f"stage.{name}")}),
                        late,
                        "working_days",
                        stage=name,
                        since=start.date(),
                        deadline=deadline,
                    )
                )
    return out


def _changes(
    order: Order,
    changes: list[ChangeRequest],
    limits: dict[str, int],
    holidays: frozenset[date],
    today: date,
) -> list[Late]:
    if CHANGE_STAGE not in limits:
        return []
    out = []
    for change in changes:
        if change.status not in PENDING_CHANGE or change.requested_at is None:
            continue
        deadline = add_working_days(change.requested_at.date(), limits[CHANGE_STAGE], holidays)
        late = working_days_between(deadline, today, holidays)
        if late > 0:
            out.append(
                Late(
                    order.order_no,
                    "stage",
                    Phrase("overdue.change", {"change_no": change.change_no}),
                    late,
                    "working_days",
                    stage=CHANGE_STAGE,
                    since=change.requested_at.date(),
                    deadline=deadline,
                    change_no=change.change_no,
                )
            )
    return out


def delivery_state(
    order: Order,
    lines: list[OrderLine],
    facts: OrderFacts,
    products: dict[str, Product],
    today: date,
) -> list[Late]:
    """The order late on delivery (an open line past its delivery date: the oldest such date),
    else at risk (an open delay or shortage whose expected date, or for an order not yet
    released the product's lead time, reaches past an open line's delivery date: the furthest),
    else nothing. ``facts``: the order's replayed tracking rows (:func:`addin.core.tracking.replay`).
    The one rule of ``orderdesk overdue`` and of the statistics' overdue and at-risk orders."""
    if order.status in DONE_DELIVERING:
        return []
    no = order.order_no
    out: list[Late] = []
    open_lines = [
        line
        for line in lines
        if line.delivery_date is not None
        and (facts.lines.get(line.line_no) is None or not _delivered(facts, line.line_no))
    ]
    # late: the worst line past its date
    past = [line for line in open_lines if line.delivery_date and line.delivery_date < today]
    if past:
        worst = min(past, key=lambda line: line.delivery_date or today)
        assert worst.delivery_date is not None
        out.append(
            Late(
                no,
                "delivery_late",
                Phrase("overdue.delivery_late", {"line_no": worst.line_no}),
                (today - worst.delivery_date).days,
                "days",
                deadline=worst.delivery_date,
                line_no=worst.line_no,
            )
        )
        return out
    # at risk: an expected date or the lead time beyond a line's delivery date
    risks: list[Late] = []
    for line in open_lines:
        assert line.delivery_date is not None
        pending = [(e, "overdue.risk_delay") for e in facts.open_delays] + [
            (e, "overdue.risk_material") for e in facts.open_shortages
        ]
        for entry, key in pending:
            if entry.line_no not in (None, line.line_no) or entry.expected_date is None:
                continue
            if entry.expected_date > line.delivery_date:
                risks.append(
                    Late(
                        no,
                        "delivery_risk",
                        Phrase(
                            key,
                            {
                                "line_no": line.line_no,
                                "expected": entry.expected_date,
                                "cause": entry.cause or "",
                            },
                        ),
                        (entry.expected_date - line.delivery_date).days,
                        "days",
                        deadline=line.delivery_date,
                        line_no=line.line_no,
                    )
                )
        product = products.get(line.product_code or "")
        if order.status in NOT_YET_RELEASED and product and product.lead_time_days:
            ready = today + timedelta(days=product.lead_time_days)
            if ready > line.delivery_date:
                risks.append(
                    Late(
                        no,
                        "delivery_risk",
                        Phrase(
                            "overdue.risk_lead_time",
                            {
                                "line_no": line.line_no,
                                "days": product.lead_time_days,
                                "ready": ready,
                            },
                        ),
                        (ready - line.delivery_date).days,
                        "days",
                        deadline=line.delivery_date,
                        line_no=line.line_no,
                    )
                )
    if risks:
        out.append(max(risks, key=lambda late: late.days_late))
    return out


def _delivered(facts: OrderFacts, line_no: int) -> bool:
    line = facts.lines[line_no]
    return line.delivered >= line.ordered
