"""The demo's history: the twelve months before the demo's week, as if imported when the company
started using OrderDesk.

About 15–30 orders a month (a little seasonality) of the demo's customers, catalogue and sales
reps, each taken through the lifecycle with plausible times: most closed, some cancelled, the
latest still open at every stage of execution, a few past their delivery date and a few at risk
from an open delay or shortage. The tracking facts (production, inspection with rejects and
their causes, material, delays, shipment, partial and complete delivery, acceptance) are checked
and applied by the lifecycle's own rules (``addin.core.tracking``), every status change goes
through the lifecycle table and writes its chained ledger row through ``Action`` as the services
do, and everything is one ``ChangeSet``, committed once. Reviews and task orders are not written:
the imported history carries the ledger's account of them only (task orders left in the sheet
would also be mailed again by the demo).

Deterministic: the same seed and day give the same rows.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from addin.core.complaints import Draft
from addin.core.enums import (
    REVIEW_DEPARTMENTS,
    ComplaintSeverity,
    ComplaintStatus,
    Decision,
    Department,
    OrderStatus,
    Role,
    TrackKind,
)
from addin.core.lifecycle import EXECUTION
from addin.core.models import Order, OrderLine, TrackingEntry
from addin.core.numbering import order_number
from addin.core.schema import TABLES
from addin.core.tracking import (
    OrderFacts,
    apply_entry,
    check_entry,
    inspection_text,
    line_totals,
    progress,
    status_from_facts,
)
from addin.demo.data import PRODUCTS, STAFF, clean_order
from addin.i18n import t
from addin.services.complaints import CLOSE, RECORD
from addin.services.complaints import complaint_values as record_values
from addin.services.context import Action
from addin.services.release import distribution_text, task_no
from addin.services.steps import move
from addin.services.tracking import STATUS_KINDS, fact_details
from workbook.store import Store

SEED = 20251128
MONTHS = 12
PER_MONTH = 22
# Orders by calendar month: a dip at the Spring Festival and in the October holidays, a busy
# autumn and year end.
SEASON = {1: 0.85, 2: 0.65, 3: 1.0, 4: 1.05, 5: 1.0, 6: 1.1, 7: 0.95, 8: 0.9, 9: 1.15, 10: 0.9}
SEASON |= {11: 1.2, 12: 1.25}
# Weights skewed so that the Pareto charts have a head and a tail.
DELAY_CAUSES = {"material": 40, "equipment": 25, "process": 15, "outsourcing": 12, "customer": 8}
REJECT_CAUSES = {"burr": 35, "dimension": 25, "scratch": 20, "rust": 12, "hardness": 8}
COMPLAINTS = ("packaging", "dimension", "late", "rust", "documents")
CARRIERS = ("sf", "deppon", "own")
CANCELLED = {"cancel_check": 0.015, "cancel_review": 0.015, "cancel_production": 0.015}
# Open orders forced so that the time nodes have something to show: past the delivery date
# (in production, or shipped and not yet delivered), and at risk (an open delay or shortage
# whose expected date is past the delivery date).
FORCED = ("overdue", "overdue", "overdue_shipped", "at_risk", "at_risk", "at_risk_material")
COMPLAINT_COUNT = 10
LEAD = {p[0]: p[9] for p in PRODUCTS}
MINUTE = timedelta(minutes=1)


def _staff(department: Department, role: Role | None = None) -> str:
    return next(n for n, d, r, _ in STAFF if d == department and (role is None or r == role))


DESK = _staff(Department.ORDER_MGMT, Role.STAFF)
MANAGER = _staff(Department.ORDER_MGMT, Role.MANAGER)
PRODUCTION = _staff(Department.PRODUCTION)
QUALITY = _staff(Department.QUALITY)
PURCHASING = _staff(Department.PURCHASING)
SALES = _staff(Department.SALES)


@dataclass
class History:
    """What was written: counts for the demo's summary and the tests."""

    orders_by_month: dict[str, int] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    tracking: int = 0
    ledger: int = 0
    complaints: int = 0
    forced: dict[str, str] = field(default_factory=dict)  # order_no → forced fate

    def to_json(self) -> dict[str, Any]:
        return {
            "orders_by_month": self.orders_by_month,
            "orders": sum(self.orders_by_month.values()),
            "statuses": dict(self.statuses),
            "tracking_rows": self.tracking,
            "ledger_rows": self.ledger,
            "complaints": self.complaints,
            "forced": self.forced,
        }


@dataclass(order=True)
class _Event:
    time: datetime
    order: int
    step: int
    user: str = field(compare=False)
    action: str = field(compare=False)
    after: OrderStatus | None = field(compare=False, default=None)  # a status change
    entry: TrackingEntry | None = field(compare=False, default=None)  # or a tracking fact
    details: Callable[[OrderFacts], str] | None = field(compare=False, default=None)
    complaint: Draft | None = field(compare=False, default=None)  # or a complaint


def _at(day: date, rng: random.Random, first: int = 8, last: int = 17) -> datetime:
    """A time of ``day`` in working hours."""
    return datetime.combine(day, time(first)) + timedelta(
        minutes=rng.randint(0, (last - first) * 60)
    )


def _workday(day: date, days: int = 1) -> date:
    """The ``days``-th Monday-to-Friday day after ``day``."""
    while days > 0:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


class _Story:
    """One order's events, kept in time order (each at least a minute after the last)."""

    def __init__(self, index: int, order: Order, lines: list[OrderLine], lang: str) -> None:
        self.index, self.order, self.lines, self.lang = index, order, lines, lang
        self.events: list[_Event] = []
        self.last = datetime.min

    def add(
        self,
        when: datetime,
        user: str,
        action: str,
        after: OrderStatus | None = None,
        details: Callable[[OrderFacts], str] | None = None,
        **fact: Any,
    ) -> datetime:
        # Facts of one day may come in any order of hours; days never go backwards.
        assert when.date() >= self.last.date(), (self.order.order_no, action, when, self.last)
        when = max(when, self.last + MINUTE)
        self.last = when
        entry = None
        if action.startswith("track_"):
            entry = TrackingEntry(
                order_no=self.order.order_no,
                kind=TrackKind(action.removeprefix("track_")),
                date=when.date(),
                recorded_by=user,
                recorded_at=when,
                **fact,
            )
        step = len(self.events)
        self.events.append(_Event(when, self.index, step, user, action, after, entry, details))
        return when

    def text(self, key: str, **params: Any) -> Callable[[OrderFacts], str]:
        return lambda _facts: t(key, self.lang, **params)


def _review_summary(lang: str, rejecting: Department | None = None) -> str:
    parts = []
    for department in REVIEW_DEPARTMENTS:
        decision = Decision.REJECT if department == rejecting else Decision.PASS
        comment = f" ({t('history.review.reject', lang)})" if department == rejecting else ""
        parts.append(
            t(
                "review.decision_summary",
                lang,
                department=department.label(lang),
                decision=decision.label(lang),
                comment=comment,
            )
        )
    return t("list.sep", lang).join(parts)


def _front(story: _Story, rng: random.Random, received: datetime, fate: str) -> datetime | None:
    """Receipt to release (or to cancellation before it); the release time, if released."""
    lang, no = story.lang, story.order.order_no
    story.add(
        received,
        DESK,
        "receive",
        OrderStatus.RECEIVED,
        story.text("receive.details", lines=len(story.lines), source=t("history.source", lang)),
    )
    checked = story.add(
        received + timedelta(minutes=rng.randint(40, 180)),
        DESK,
        "check",
        OrderStatus.CHECKED,
        story.text("check.details", blocking=0, advisory=rng.randint(0, 2)),
    )
    rep = story.order.sales_rep or DESK
    if fate == "cancel_check":
        story.add(
            _at(_workday(checked.date(), rng.randint(1, 3)), rng),
            rep,
            "cancel",
            OrderStatus.CANCELLED,
            story.text("cancel.details", reason=t("history.cancel.customer", lang), tasks=0),
        )
        return None
    started = story.add(
        _at(_workday(checked.date()), rng, 9, 11),
        MANAGER,
        "review_start",
        OrderStatus.IN_REVIEW,
        story.text("review.started", round=1),
    )
    rejected = Department.TECHNICAL if fate == "cancel_review" else None
    concluded = story.add(
        _at(_workday(started.date(), rng.randint(1, 2)), rng, 14, 17),
        MANAGER,
        "review_conclude",
        OrderStatus.REJECTED if rejected else OrderStatus.REVIEW_PASSED,
        story.text("review.concluded", round=1, summary=_review_summary(lang, rejected)),
    )
    if rejected:
        story.add(
            _at(_workday(concluded.date(), rng.randint(1, 3)), rng),
            rep,
            "cancel",
            OrderStatus.CANCELLED,
            story.text("cancel.details", reason=t("history.cancel.review", lang), tasks=0),
        )
        return None
    released = _at(_workday(concluded.date(), rng.randint(0, 1)), rng, 9, 17)
    tasks = [task_no(no, line.line_no) for line in story.lines]
    batches = [f"B{released:%y%m%d}-{story.index % 90 + n:02d}" for n in range(len(tasks))]
    return story.add(
        released,
        DESK,
        "release",
        OrderStatus.RELEASED,
        story.text(
            "release.details",
            tasks=t("list.sep", lang).join(tasks),
            batches=t("list.sep", lang).join(batches),
            distribution=distribution_text(lang),
        ),
    )


def _produce(
    story: _Story, rng: random.Random, days: list[date], upto: float = 1.0, since: float = 0.0
) -> None:
    """Each line's quantity from share ``since`` to share ``upto`` of it, in chunks over ``days``."""
    chunks: list[tuple[datetime, int, int]] = []
    for line in story.lines:
        qty = line.quantity or 0
        done = _share(qty, since)
        target = _share(qty, upto)
        if target <= done:
            continue
        cuts = sorted(rng.sample(range(done + 1, target), min(len(days), target - done) - 1))
        for day, cut in zip(days, [*cuts, target], strict=False):
            chunks.append((_at(day, rng), line.line_no, cut - done))
            done = cut
    for when, line_no, qty in sorted(chunks):  # the lines' chunks in time order
        story.add(when, PRODUCTION, "track_production", line_no=line_no, quantity=qty)


def _share(qty: int, share: float) -> int:
    if share <= 0:
        return 0
    return qty if share >= 1 else max(1, int(qty * share))


def _inspect(story: _Story, rng: random.Random, day: date, reject_share: float) -> None:
    """Every line inspected; some with rejects (and a cause), reworked and passed the same day."""
    lang = story.lang
    for line in story.lines:
        qty = line.quantity or 0
        chance = reject_share if qty >= 20 else reject_share / 4
        rejected = max(1, int(qty * rng.uniform(0.02, 0.09))) if rng.random() < chance else 0
        when = _at(day, rng, 8, 12)
        cause = t(f"history.reject.{_pick(rng, REJECT_CAUSES)}", lang) if rejected else None
        story.add(
            when,
            QUALITY,
            "track_inspection",
            line_no=line.line_no,
            quantity=qty,
            passed_qty=qty - rejected,
            rejected_qty=rejected,
            cause=cause,
        )
        if rejected:
            story.add(
                _at(day, rng, 14, 17),
                QUALITY,
                "track_inspection",
                line_no=line.line_no,
                quantity=rejected,
                passed_qty=rejected,
                rejected_qty=0,
                remarks=t("history.rework", lang),
            )


def _ship(story: _Story, rng: random.Random, day: date) -> None:
    carrier = t(f"history.carrier.{rng.choice(CARRIERS)}", story.lang)
    rep = story.order.sales_rep or DESK
    for line in story.lines:
        story.add(
            _at(day, rng, 13, 17),
            rep,
            "track_shipment",
            line_no=line.line_no,
            quantity=line.quantity,
            carrier=carrier,
        )


def _delay(story: _Story, rng: random.Random, day: date, expected: date) -> None:
    cause = _pick(rng, DELAY_CAUSES)
    story.add(
        _at(day, rng),
        PRODUCTION,
        "track_delay",
        cause=t(f"history.delay.{cause}", story.lang),
        measures=t(f"history.measures.{cause}", story.lang),
        expected_date=expected,
    )


def _material(story: _Story, rng: random.Random, day: date, shortage_until: date | None) -> None:
    item = t("history.material.item", story.lang)
    if shortage_until is not None:
        story.add(
            _at(day, rng),
            PURCHASING,
            "track_material",
            cause=t("history.material.cause", story.lang),
            expected_date=shortage_until,
            remarks=item,
        )
        return
    qty = max(1, (story.lines[0].quantity or 1) // 2)
    story.add(_at(day, rng), PURCHASING, "track_material", quantity=qty, remarks=item)


def _story(
    story: _Story,
    rng: random.Random,
    received: datetime,
    fate: str,
    late_share: float,
    reject_share: float,
    today: date,
) -> None:
    """The order's whole life as planned; what lies past the demo's week is cut off later."""
    released = _front(story, rng, received, fate)
    if released is None:
        return
    lang, rep = story.lang, story.order.sales_rep or DESK
    due = min(line.delivery_date for line in story.lines if line.delivery_date)
    start = released.date() + timedelta(days=rng.randint(1, 2))
    if fate == "at_risk_material":
        _material(story, rng, start, max(due, today) + timedelta(days=rng.randint(5, 9)))
        return
    if fate in ("overdue", "at_risk"):
        last = today - timedelta(days=4)
        _produce(story, rng, [start + timedelta(days=1)], rng.uniform(0.3, 0.7))
        day = min(start + timedelta(days=rng.randint(2, 6)), last)
        expected = max(due, today) + timedelta(days=rng.randint(3, 10))
        _delay(story, rng, max(day, start + timedelta(days=2)), expected)
        return
    if fate == "cancel_production":
        _produce(story, rng, [start + timedelta(days=1)], 0.3)
        story.add(
            _at(start + timedelta(days=rng.randint(2, 5)), rng),
            rep,
            "cancel",
            OrderStatus.CANCELLED,
            story.text(
                "cancel.details", reason=t("history.cancel.price", lang), tasks=len(story.lines)
            ),
        )
        return
    if rng.random() < 0.3:
        _material(story, rng, start, None)
    elif rng.random() < 0.15:
        # production waits for the material
        until = start + timedelta(days=rng.randint(3, 6))
        _material(story, rng, start, until)
        _material(story, rng, until, None)
        start = until
    late = False
    if fate == "overdue_shipped":
        shipped = today - timedelta(days=rng.randint(4, 7))
        delivered = shipped  # not reached: the order stops at its shipment
    else:
        late = rng.random() < late_share
        delivered = due + timedelta(days=rng.randint(1, 12) if late else -rng.randint(0, 5))
        delivered = max(delivered, start + timedelta(days=8))
        shipped = delivered - timedelta(days=rng.randint(1, 3))
    inspected = shipped - timedelta(days=rng.randint(1, 2))
    span = (inspected - start).days
    days = sorted({start + timedelta(days=rng.randint(0, span - 1)) for _ in range(2)})
    if (late and rng.random() < 0.85) or rng.random() < 0.15:
        # A delay noticed mid-production, recovered the day before the final inspection: the
        # rest is made then (a late order's delay is what made it late).
        noticed = start + timedelta(days=max(1, span // 3))
        recovered = max(inspected - timedelta(days=1), noticed + timedelta(days=1))
        _produce(story, rng, [d for d in days if d < noticed] or [start], 0.5)
        _delay(story, rng, noticed, recovered)
        story.add(_at(recovered, rng, 9, 11), PRODUCTION, "track_recovery")
        _produce(story, rng, [recovered], 1.0, 0.5)
    else:
        _produce(story, rng, days)
    _inspect(story, rng, inspected, reject_share)
    _ship(story, rng, shipped)
    if fate == "overdue_shipped":
        return
    deliveries: list[tuple[datetime, int, int]] = []
    for line in story.lines:
        qty = line.quantity or 0
        if qty > 1 and (delivered - shipped).days >= 2 and rng.random() < 0.3:
            part = qty * rng.randint(4, 7) // 10  # a partial delivery first
            deliveries.append((_at(shipped + timedelta(days=1), rng), line.line_no, part))
            qty -= part
        deliveries.append((_at(delivered, rng), line.line_no, qty))
    for when, line_no, qty in sorted(deliveries):
        story.add(when, rep, "track_delivery", line_no=line_no, quantity=qty)
    accepted = story.add(
        _at(delivered + timedelta(days=rng.randint(1, 5)), rng),
        rep,
        "track_acceptance",
        remarks=t("history.acceptance", lang),
    )
    story.add(
        _at(_workday(accepted.date(), rng.randint(1, 3)), rng),
        MANAGER,
        "close",
        OrderStatus.CLOSED,
        lambda facts: t(
            "close.details",
            lang,
            passed=sum(line.passed for line in facts.lines.values()),
            inspected=sum(line.inspected for line in facts.lines.values()),
            report=report_no(facts.order_no),
            accepted=facts.accepted_on,
        ),
    )


def report_no(order_no: str) -> str:
    """The final inspection report number quality issued for an order of the history."""
    return f"QR-{order_no}"


def _months(today: date) -> list[date]:
    """The first days of the ``MONTHS`` calendar months before ``today``'s, oldest first."""
    first = today.replace(day=1)
    months = []
    for _ in range(MONTHS):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def _plan(rng: random.Random, today: date) -> list[tuple[datetime, str, list[dict[str, Any]]]]:
    """(receipt time, fate, form rows without a number) of every order of the history."""
    latest = today - timedelta(days=14)  # received by then, released before the demo's week
    planned: list[tuple[datetime, str, list[dict[str, Any]]]] = []
    for first in _months(today):
        following = (first + timedelta(days=32)).replace(day=1)
        days = [
            first + timedelta(days=n)
            for n in range((following - first).days)
            if (first + timedelta(days=n)).weekday() < 5 and first + timedelta(days=n) <= latest
        ]
        count = min(30, max(15, round(PER_MONTH * SEASON[first.month]) + rng.randint(-2, 2)))
        for _ in range(count if days else 0):
            day = rng.choice(days)
            fate = next((f for f, share in CANCELLED.items() if rng.random() < share), "normal")
            planned.append(
                (_at(day, rng, 9, 16), fate, clean_order(rng, "", day, rng.randint(1, 3)))
            )
    for fate in FORCED:
        lines = rng.randint(1, 2)
        if fate.startswith("overdue"):
            # old enough that every line's delivery date has passed
            back = rng.randint(18, 30) + max(LEAD.values())
            day = _weekday(today - timedelta(days=back))
            rows = clean_order(rng, "", day, lines)
            for row in rows:
                lead = LEAD[row["product_code"]]
                row["delivery_date"] = day + timedelta(days=lead + rng.randint(5, 10))
        else:
            day = _weekday(today - timedelta(days=rng.randint(15, 22)))
            rows = clean_order(rng, "", day, lines)
            for row in rows:
                soonest = today + timedelta(days=rng.randint(4, 10))
                row["delivery_date"] = max(row["delivery_date"], soonest)
        planned.append((_at(day, rng, 9, 16), fate, rows))
    return sorted(planned, key=lambda item: item[0])


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _records(rows: list[dict[str, Any]], order_no: str) -> tuple[Order, list[OrderLine]]:
    for row in rows:
        row["order_no"] = order_no
    head = {k: v for k, v in rows[0].items() if k in TABLES["orders"].column_keys}
    lines = [
        OrderLine(**{k: v for k, v in row.items() if k in TABLES["lines"].column_keys})
        for row in rows
    ]
    return Order(**head), lines


def write_history(store: Store, today: date, seed: int = SEED) -> History:
    """Write the history of the ``MONTHS`` months before ``today`` into ``store``, in one
    commit; nothing in it happens later than three days before ``today`` (the demo's orders
    come after it, so the ledger stays in time order)."""
    rng = random.Random(seed)
    lang = store.lang
    cutoff = datetime.combine(today - timedelta(days=3), time(18))
    late_share = {m: rng.uniform(0.06, 0.13) for m in _months(today)}
    reject_share = {m: rng.uniform(0.35, 0.75) for m in _months(today)}
    stories: list[_Story] = []
    taken: Counter[date] = Counter()
    history = History()
    for index, (received, fate, rows) in enumerate(_plan(rng, today)):
        taken[received.date()] += 1
        order, lines = _records(rows, order_number(received.date(), taken[received.date()]))
        month = received.date().replace(day=1)
        story = _Story(index, order, lines, lang)
        _story(
            story,
            rng,
            received,
            fate,
            late_share.get(month, 0.1),
            reject_share.get(month, 0.3),
            today,
        )
        stories.append(story)
        key = f"{month:%Y-%m}"
        history.orders_by_month[key] = history.orders_by_month.get(key, 0) + 1
        if fate in FORCED:
            history.forced[order.order_no] = fate

    act = Action(store, "receive", DESK, cutoff)
    facts = {s.order.order_no: OrderFacts.of(s.order.order_no, s.lines) for s in stories}
    released: dict[str, datetime] = {}
    complaints: dict[str, dict[str, Any]] = {}  # order number → its complaint's row
    _complaint_events(rng, stories, cutoff)
    events = sorted(e for s in stories for e in s.events if e.time <= cutoff)
    for event in events:
        story = stories[event.order]
        order, state = story.order, facts[story.order.order_no]
        act.now, act.user = event.time, event.user
        details = event.details(state) if event.details else ""
        if event.complaint is not None:
            _complaint(act, order, event, complaints)
            continue
        if event.entry is None:
            assert event.after is not None
            if event.after == OrderStatus.CLOSED:
                order.final_report_no = report_no(order.order_no)
            act.transition(order, event.after, details, event.action)
            if event.action == "release":
                released[order.order_no] = event.time
            continue
        problems = check_entry(state, event.entry)
        if problems:  # the generator's mistake: never write a fact the lifecycle refuses
            raise AssertionError([p.message("en") for p in problems])
        apply_entry(state, event.entry)
        act.append("tracking", event.entry.model_dump(exclude={"row"}))
        after = order.status
        if order.status in EXECUTION and event.entry.kind in STATUS_KINDS:
            after = status_from_facts(state)
        assert after is not None
        move(act, order, after, fact_details(act, event.entry), event.action)
        history.tracking += 1
    history.ledger = len(events)

    for story in stories:
        _append_order(act, story, facts[story.order.order_no], released.get(story.order.order_no))
        history.statuses[story.order.status.value if story.order.status else "-"] += 1
    for values in complaints.values():
        act.append("complaints", values)
    history.complaints = len(complaints)
    act.commit()
    return history


def _append_order(act: Action, story: _Story, state: OrderFacts, released: datetime | None) -> None:
    order = story.order
    values = order.model_dump(exclude={"row"}, exclude_none=True)
    values.update(due_date=min(line.delivery_date for line in story.lines if line.delivery_date))
    values.update(version=1)
    if released is not None:
        values.update(
            released_at=released,
            progress=progress(state),
            inspection=inspection_text(state, act.lang),
            shipped_at=state.last_shipment,
        )
    act.append("orders", {k: v for k, v in values.items() if v is not None})
    for line in story.lines:
        row = line.model_dump(exclude={"row"}, exclude_none=True)
        if released is not None:
            row |= line_totals(state.lines[line.line_no])
        act.append("lines", row)


def _complaint_events(rng: random.Random, stories: list[_Story], cutoff: datetime) -> None:
    """A few complaints about accepted orders, a while after the acceptance; most closed."""
    accepted = {
        s.index: e.time
        for s in stories
        for e in s.events
        if e.action == "track_acceptance" and e.time <= cutoff - timedelta(days=3)
    }
    for index in sorted(rng.sample(sorted(accepted), min(COMPLAINT_COUNT, len(accepted)))):
        story = stories[index]
        day = min(accepted[index].date() + timedelta(days=rng.randint(2, 20)), cutoff.date())
        when = _at(day, rng, 9, 12)
        draft = Draft(
            story.order.order_no,
            day,
            t(f"history.complaint.{rng.choice(COMPLAINTS)}", story.lang),
            ComplaintSeverity.MAJOR if rng.random() < 0.3 else ComplaintSeverity.MINOR,
        )
        story.events.append(_Event(when, index, 1000, SALES, RECORD, complaint=draft))
        closed = _at(day + timedelta(days=rng.randint(3, 15)), rng, 9, 17)
        if closed <= cutoff:
            story.events.append(_Event(closed, index, 1001, QUALITY, CLOSE, complaint=draft))


def _complaint(
    act: Action, order: Order, event: _Event, complaints: dict[str, dict[str, Any]]
) -> None:
    """Record a complaint as the complaints service does (number, row, ledger row), or close it."""
    draft = event.complaint
    assert draft is not None
    if event.action == RECORD:
        taken = {values["complaint_no"] for values in complaints.values()}
        complaints[order.order_no] = record_values(act, order, draft, taken)
        return
    values = complaints[order.order_no]
    closed = event.time.date()
    values.update(status=ComplaintStatus.CLOSED, closed_date=closed)
    details = t("complaint.closed", act.lang, complaint_no=values["complaint_no"], closed=closed)
    act.log(order.order_no, details, order.status, order.status, CLOSE)
