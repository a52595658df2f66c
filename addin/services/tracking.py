"""Execution and tracking (DOMAIN §5–§6): ``orderdesk track``.

A fact is a row of the tracking sheet. It comes from ``orderdesk track`` (a new row), or staff
type it into the sheet and :func:`record_pending` applies it (a row whose "recorded at" is
blank: the ribbon's tracking button, ``orderdesk track --pending``). Either way the same rules
check it against the facts recorded before it, and the lines' quantities, the order's tracking
view and its status follow from the facts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from addin.core import roles
from addin.core.enums import TrackKind
from addin.core.lifecycle import EXECUTION
from addin.core.models import Order, OrderLine, TrackingEntry
from addin.core.parse import convert, parse_row
from addin.core.problems import Problem, RuleError
from addin.core.schema import TABLES
from addin.core.tracking import (
    LINE_KINDS,
    OrderFacts,
    apply_entry,
    check_entry,
    inspection_counts,
    status_from_facts,
)
from addin.i18n import t
from addin.services.context import Action, OrderOutcome, Outcome
from addin.services.steps import (
    check_status,
    move,
    order_facts,
    order_lines,
    pending,
    show_facts,
    typed_for,
)
from workbook.store import Store

QUANTITY_FIELDS = ("quantity", "passed_qty", "rejected_qty")
# Facts that move quantities or acceptance, and with them the status; the others (material,
# delay, recovery) are recorded without touching it.
STATUS_KINDS = LINE_KINDS | {TrackKind.ACCEPTANCE}


def track(
    store: Store,
    order_no: str,
    kind: TrackKind,
    *,
    line_no: int | None = None,
    quantity: int | None = None,
    passed: int | None = None,
    rejected: int | None = None,
    cause: str | None = None,
    measures: str | None = None,
    expected: date | None = None,
    carrier: str | None = None,
    on: date | None = None,
    remarks: str | None = None,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Record one fact of ``kind`` about an order (see the module doc)."""
    kind = TrackKind.parse(kind)  # type: ignore[assignment]  # a label from the ribbon too
    act = Action(store, _action(kind), user, now)
    order = act.order(order_no)
    lines = _authorize(act, order, kind)
    entry = TrackingEntry(
        order_no=order.order_no,
        line_no=line_no,
        kind=kind,
        date=on or act.now.date(),
        cause=_text(cause),
        measures=_text(measures),
        expected_date=expected,
        carrier=_text(carrier),
        recorded_by=act.user,
        recorded_at=act.now,
        remarks=_text(remarks),
    )
    _default_line(entry, lines)
    negative = [
        Problem("error.min", {"value": value, "limit": 0}, "tracking", None, key, order.order_no)
        for key, value in zip(QUANTITY_FIELDS, (quantity, passed, rejected), strict=True)
        if value is not None and value < 0
    ]
    _screen(act, entry, negative)
    entry.quantity, entry.passed_qty, entry.rejected_qty = quantity, passed, rejected
    facts = order_facts(act, order)
    _admit(facts, entry)
    act.append("tracking", entry.model_dump(exclude={"row"}))
    act.outcome.orders.append(_effects(act, order, entry, facts))
    line = facts.lines.get(entry.line_no) if entry.line_no is not None else None
    if line is not None:
        act.outcome.data["line"] = {
            "line_no": line.line_no,
            "ordered": line.ordered,
            "produced": line.produced,
            "inspected": line.inspected,
            "passed": line.passed,
            "rejected": line.rejected,
            "shipped": line.shipped,
            "delivered": line.delivered,
        }
    return act.commit()


def record_pending(
    store: Store,
    order_no: str | None = None,
    user: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Apply the facts typed into the tracking sheet (rows whose "recorded at" is blank), of
    every order or of ``order_no``, in sheet order: each passes the rules ``track`` applies and
    is checked against the recorded facts and the typed rows above it; a blank date is today.
    The row then holds what ``track`` would have written (recorded by and at, a single line's
    number, the inspection counts completed), and each fact has its ledger row. All or
    nothing: a fact refused refuses the action, named at its row's cells."""
    act = Action(store, "track_pending", user, now)
    typed = typed_for(act, _typed_rows(act), order_no)
    leave_out = frozenset(row.row for row in typed)
    by_order: dict[str, list[_Typed]] = {}
    for row in typed:
        by_order.setdefault(row.order_no, []).append(row)
    for rows in by_order.values():
        order = rows[0].order
        assert order is not None
        unreadable = [p for row in rows for p in row.problems]
        if unreadable:  # as order_facts refuses unreadable rows of the order
            heading = Problem("track.sheet_problems", {"order_no": order.order_no})
            raise RuleError([heading, *unreadable])
        facts = order_facts(act, order, leave_out)
        for row in rows:
            assert row.entry is not None
            _record_typed(act, order, row, facts)
    return act.commit()


def pending_orders(store: Store) -> tuple[list[str], list[Problem]]:
    """The orders with facts typed and not yet applied (in sheet order), and the problems of
    typed rows that name no order of the workbook."""
    return pending(_typed_rows(Action(store, "track_pending")))


class _Typed:
    """A row typed into the tracking sheet: the fact it states, or why it cannot be read."""

    def __init__(self, act: Action, row: int, raw: dict[str, Any]) -> None:
        self.row = row
        self.order_no = str(convert(TABLES["tracking"], "order_no", raw.get("order_no")) or "")
        self.order: Order | None = act.snap.orders.get(self.order_no)
        self.problems: list[Problem] = []
        self.entry: TrackingEntry | None = None
        if not self.order_no:
            self.problems.append(Problem("error.required", {}, "tracking", row, "order_no"))
            return
        if self.order is None:
            self.problems.append(
                Problem(
                    "rule.unknown_order",
                    {"order_no": self.order_no},
                    "tracking",
                    row,
                    "order_no",
                    self.order_no,
                )
            )
            return
        values = dict(raw)
        if _blank(values.get("date")):
            values["date"] = act.now.date()  # as ``track`` without a date
        entry, found = parse_row("tracking", row, values)
        self.problems = found
        self.entry = entry if isinstance(entry, TrackingEntry) and not found else None


def _typed_rows(act: Action) -> list[_Typed]:
    return [
        _Typed(act, row.row, row.values)
        for row in act.store.read("tracking")
        if _blank(row.values.get("recorded_at"))
        and any(not _blank(v) for k, v in row.values.items() if k != "recorded_at")
    ]


def _record_typed(act: Action, order: Order, typed: _Typed, facts: OrderFacts) -> None:
    entry = typed.entry
    assert entry is not None
    lines = _authorize(act, order, entry.kind)
    _default_line(entry, lines)
    _screen(act, entry, [])
    _admit(facts, entry)
    entry.recorded_by, entry.recorded_at = act.user, act.now
    for key, value in entry.model_dump(exclude={"row"}).items():  # the row as ``track`` writes it
        act.changes.update("tracking", typed.row, key, value)
    act.outcome.orders.append(_effects(act, order, entry, facts))


# -- the rules every fact passes, typed or from the command line -------------------------------
def _action(kind: TrackKind) -> str:
    return f"track_{kind.value}"


def _authorize(act: Action, order: Order, kind: TrackKind) -> list[OrderLine]:
    """The order's status allows the fact and the user's department may record it."""
    action = _action(kind)
    check_status(act, order, action)
    roles.ensure_department(act.snap.settings, act.user, action)
    return order_lines(act, order)


def _default_line(entry: TrackingEntry, lines: list[OrderLine]) -> None:
    if entry.line_no is None and entry.kind in LINE_KINDS and len(lines) == 1:
        entry.line_no = lines[0].line_no


def _screen(act: Action, entry: TrackingEntry, problems: list[Problem]) -> None:
    """Refuse a fact dated in the future (with any problems found before)."""
    problems = list(problems)
    if entry.date > act.now.date():
        problems.append(
            Problem(
                "track.future_date",
                {"kind": entry.kind, "date": entry.date, "today": act.now.date()},
                "tracking",
                entry.row,
                "date",
                entry.order_no,
            )
        )
    if problems:
        raise RuleError(problems)


def _admit(facts: OrderFacts, entry: TrackingEntry) -> None:
    """Check the fact against the facts so far and add it to them, or refuse it."""
    if entry.kind == TrackKind.INSPECTION:
        entry.quantity, entry.passed_qty, entry.rejected_qty = inspection_counts(entry)
    problems = check_entry(facts, entry)
    if problems:
        raise RuleError(problems)
    apply_entry(facts, entry)


def _effects(act: Action, order: Order, entry: TrackingEntry, facts: OrderFacts) -> OrderOutcome:
    """The status and the tracking view that follow from the facts, and the ledger row."""
    before = order.status
    after = before
    if before in EXECUTION and entry.kind in STATUS_KINDS:
        after = status_from_facts(facts)
        show_facts(act, order, facts)
    assert after is not None
    details = fact_details(act, entry)
    outcome = move(act, order, after, details, _action(entry.kind))
    outcome.message, outcome.params = "track.recorded", {"fact": details}
    return outcome


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def fact_details(act: Action, entry: TrackingEntry) -> str:
    """The fact in a sentence, for the ledger."""
    lang = act.lang
    values = {
        "line_no": entry.line_no or "-",
        "quantity": entry.quantity if entry.quantity is not None else "-",
        "passed": entry.passed_qty if entry.passed_qty is not None else "-",
        "rejected": entry.rejected_qty if entry.rejected_qty is not None else "-",
        "cause": entry.cause or "-",
        "measures": entry.measures or "-",
        "expected": entry.expected_date or "-",
        "carrier": entry.carrier or "-",
        "date": entry.date,
        "remarks": entry.remarks or "",
    }
    key = f"track.details.{entry.kind.value}"
    if entry.kind == TrackKind.MATERIAL and entry.expected_date is not None:
        key = "track.details.shortage"
    return t(key, lang, **values)
