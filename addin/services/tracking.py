"""Execution and tracking (DOMAIN §5–§6): ``orderdesk track``.

Each call records one fact as a row of the tracking sheet, checked against every fact recorded
before it (rows typed into the sheet included); the lines' quantities, the order's tracking view
and its status follow from the facts.
"""

from __future__ import annotations

from datetime import date, datetime

from addin.core import roles
from addin.core.enums import TrackKind
from addin.core.lifecycle import EXECUTION
from addin.core.models import TrackingEntry
from addin.core.problems import Problem, RuleError
from addin.core.tracking import (
    LINE_KINDS,
    apply_entry,
    check_entry,
    inspection_counts,
    status_from_facts,
)
from addin.i18n import t
from addin.services.context import Action, Outcome
from addin.services.steps import check_status, move, order_facts, order_lines, show_facts
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
    action = f"track_{kind.value}"
    act = Action(store, action, user, now)
    order = act.order(order_no)
    check_status(act, order)
    roles.ensure_department(act.snap.settings, act.user, action)
    lines = order_lines(act, order)
    if line_no is None and kind in LINE_KINDS and len(lines) == 1:
        line_no = lines[0].line_no
    day = on or act.now.date()
    entry = TrackingEntry(
        order_no=order.order_no,
        line_no=line_no,
        kind=kind,
        date=day,
        cause=_text(cause),
        measures=_text(measures),
        expected_date=expected,
        carrier=_text(carrier),
        recorded_by=act.user,
        recorded_at=act.now,
        remarks=_text(remarks),
    )
    problems = [
        Problem("error.min", {"value": value, "limit": 0}, "tracking", None, key, order.order_no)
        for key, value in zip(QUANTITY_FIELDS, (quantity, passed, rejected), strict=True)
        if value is not None and value < 0
    ]
    if day > act.now.date():
        problems.append(
            Problem("track.future_date", {"date": day}, "tracking", None, "date", order.order_no)
        )
    if problems:
        raise RuleError(problems)
    entry.quantity, entry.passed_qty, entry.rejected_qty = quantity, passed, rejected
    if kind == TrackKind.INSPECTION:
        entry.quantity, entry.passed_qty, entry.rejected_qty = inspection_counts(entry)
    facts = order_facts(act, order)
    problems = check_entry(facts, entry)
    if problems:
        raise RuleError(problems)
    apply_entry(facts, entry)
    act.append("tracking", entry.model_dump(exclude={"row"}))
    before = order.status
    after = before
    if before in EXECUTION and kind in STATUS_KINDS:
        after = status_from_facts(facts)
        show_facts(act, order, facts)
    assert after is not None
    outcome = move(act, order, after, _details(act, entry))
    outcome.message, outcome.params = "track.recorded", {"fact": _details(act, entry)}
    act.outcome.orders.append(outcome)
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


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _details(act: Action, entry: TrackingEntry) -> str:
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
