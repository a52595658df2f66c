"""Customer complaints (DOMAIN §9, the complaint rate's source): ``orderdesk complaint``.

A complaint is a row of the complaints sheet. It comes from :func:`record_complaint` (a new
row), or staff type it into the sheet without a complaint number and :func:`record_pending`
numbers it (the ribbon's complaints button, ``orderdesk complaint --pending``). Either way the
rules of :mod:`addin.core.complaints` check it, it gets the next ``CP<date>-<n>`` number of its
day and the order's ledger gets one row per complaint; the order's status does not change.
:func:`close_complaint` closes an open complaint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from addin.core import roles
from addin.core.complaints import (
    CLOSERS,
    MAY_HAVE_SHIPPED,
    RECORDERS,
    Draft,
    close_problems,
    draft_problems,
    shipment_problem,
)
from addin.core.enums import ComplaintSeverity, ComplaintStatus, TrackKind
from addin.core.models import Order
from addin.core.numbering import next_complaint_no
from addin.core.parse import CellError, convert
from addin.core.problems import Problem, RuleError
from addin.core.schema import TABLES
from addin.i18n import t
from addin.services.context import Action, OrderOutcome, Outcome
from addin.services.steps import order_facts, pending, typed_for
from workbook.store import Store

RECORD, CLOSE = "complaint_record", "complaint_close"
# The typed row's cells read besides the order number.
TYPED_COLUMNS = ("date", "customer_code", "description", "severity", "status", "closed_date")


def record_complaint(
    store: Store,
    order_no: str,
    date: dt.date,
    description: str,
    severity: ComplaintSeverity | str | None = None,
    user: str | None = None,
    now: dt.datetime | None = None,
    customer_code: str | None = None,
) -> Outcome:
    """Record a customer's complaint against ``order_no`` (see the module doc); open."""
    act = Action(store, RECORD, user, now)
    order = act.order(order_no)
    roles.ensure_department(act.snap.settings, act.user, RECORD, RECORDERS)
    draft = Draft(
        order.order_no,
        date,
        description,
        _severity(severity, order.order_no),
        customer_code,
    )
    problems = _problems(act, order, draft)
    if problems:
        raise RuleError(problems)
    values = complaint_values(act, order, draft, _taken(act))
    act.append("complaints", values)
    act.outcome.data["complaint_no"] = values["complaint_no"]
    return act.commit()


def record_pending(
    store: Store,
    order_no: str | None = None,
    user: str | None = None,
    now: dt.datetime | None = None,
) -> Outcome:
    """Number the complaints typed into the complaints sheet (rows without a complaint
    number), of every order or of ``order_no``: each passes the rules ``record_complaint``
    applies (a typed row may also be closed already: status closed and its closed date). Every
    row is checked before anything is written; a refusal names the rows' cells. A row then holds
    what ``record_complaint`` would have written (number, the order's customer code, the
    description trimmed), and each complaint has its ledger row."""
    act = Action(store, RECORD, user, now)
    typed = typed_for(act, _typed_rows(act), order_no)
    if not typed:
        return act.commit()
    roles.ensure_department(act.snap.settings, act.user, RECORD, RECORDERS)
    problems: list[Problem] = []
    for row in typed:
        assert row.order is not None
        problems += row.problems or _problems(act, row.order, row.draft)
    if problems:
        raise RuleError(problems)
    taken = _taken(act)
    numbers = []
    for row in typed:
        assert row.order is not None
        values = complaint_values(act, row.order, row.draft, taken)
        for key, value in values.items():  # the row as ``record_complaint`` writes it
            act.changes.update("complaints", row.row, key, value)
        numbers.append(values["complaint_no"])
    act.outcome.data["complaint_nos"] = numbers
    return act.commit()


def pending_complaints(store: Store) -> tuple[list[str], list[Problem]]:
    """The orders with complaints typed and not yet numbered (in sheet order), and the
    problems of typed complaints that name no order of the workbook."""
    return pending(_typed_rows(Action(store, RECORD)))


def close_complaint(
    store: Store,
    complaint_no: str,
    closed_date: dt.date | None = None,
    user: str | None = None,
    now: dt.datetime | None = None,
) -> Outcome:
    """Close an open complaint on ``closed_date`` (default: today)."""
    act = Action(store, CLOSE, user, now)
    wanted = complaint_no.strip()
    complaint = next((c for c in act.snap.records("complaints") if c.complaint_no == wanted), None)
    if complaint is None:
        raise RuleError(
            Problem(
                "complaint.unknown", {"complaint_no": wanted}, "complaints", None, "complaint_no"
            )
        )
    roles.ensure_department(act.snap.settings, act.user, CLOSE, CLOSERS)
    closed = closed_date or act.now.date()
    problems = close_problems(complaint, closed, act.now.date())
    if problems:
        raise RuleError(problems)
    act.update("complaints", complaint, status=ComplaintStatus.CLOSED, closed_date=closed)
    details = t("complaint.closed", act.lang, complaint_no=complaint.complaint_no, closed=closed)
    order = act.snap.orders.get(complaint.order_no or "")
    if order is not None:
        act.outcome.orders.append(
            _log(act, order, details, "complaint.closed_short", complaint.complaint_no)
        )
    else:  # a complaint typed against no order (before OrderDesk recorded them): no order's row
        act.log(None, details, action=CLOSE)
    act.outcome.data.update(complaint_no=complaint.complaint_no, closed_date=closed.isoformat())
    return act.commit()


# -- the rules every complaint passes, typed or from the command line ---------------------------
def _problems(act: Action, order: Order, draft: Draft) -> list[Problem]:
    shipped = 0
    if order.status in MAY_HAVE_SHIPPED:
        try:
            facts = order_facts(act, order)
        except RuleError as exc:  # tracking rows that cannot be read: nothing is guessed
            return exc.problems
        shipped = sum(line.shipped for line in facts.lines.values())
    found = shipment_problem(order, shipped)
    shipments = [
        entry.date
        for entry in act.snap.by_order("tracking").get(order.order_no, [])
        if entry.kind == TrackKind.SHIPMENT and entry.recorded_at is not None
    ]
    first = min(shipments, default=None)
    return [*([found] if found else []), *draft_problems(draft, order, act.now.date(), first)]


def complaint_values(act: Action, order: Order, draft: Draft, taken: set[str]) -> dict[str, Any]:
    """The complaint's values under its new number, its ledger row and outcome."""
    assert draft.date is not None
    number = next_complaint_no(draft.date, taken)
    taken.add(number)
    closed = draft.status == ComplaintStatus.CLOSED
    values: dict[str, Any] = {
        "complaint_no": number,
        "order_no": order.order_no,
        "date": draft.date,
        "customer_code": order.customer_code or (draft.customer_code or "").strip() or None,
        "description": (draft.description or "").strip(),
        "severity": draft.severity,
        "status": draft.status,
        "closed_date": draft.closed_date if closed else None,
    }
    details = t(
        "complaint.recorded",
        act.lang,
        complaint_no=number,
        date=draft.date,
        severity=draft.severity.label(act.lang) if draft.severity else "-",
        description=values["description"].replace("\n", " "),
    )
    if closed:
        details += t("list.sep", act.lang) + t(
            "complaint.closed", act.lang, complaint_no=number, closed=draft.closed_date
        )
    act.outcome.orders.append(_log(act, order, details, "complaint.recorded_short", number))
    return values


def _log(act: Action, order: Order, details: str, message: str, number: str) -> OrderOutcome:
    """The order's ledger row: an action that leaves its status as it is."""
    act.log(order.order_no, details, order.status, order.status)
    outcome = OrderOutcome(order.order_no, order.status, order.status)
    outcome.message, outcome.params = message, {"complaint_no": number}
    return outcome


def _taken(act: Action) -> set[str]:
    """Every complaint number in the sheet, readable row or not."""
    return {
        str(_cell("complaint_no", row.values.get("complaint_no")))
        for row in act.store.read("complaints")
        if _is_text(row.values.get("complaint_no"))
    }


def _severity(value: ComplaintSeverity | str | None, order_no: str) -> ComplaintSeverity | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return ComplaintSeverity.parse(value)  # type: ignore[return-value]
    except ValueError:
        raise RuleError(
            Problem(
                "complaint.bad_severity",
                {"value": value, "choices": _Choices()},
                "complaints",
                None,
                "severity",
                order_no,
            )
        ) from None


class _Choices:
    """The severities, as the message names them in its language."""

    def label(self, lang: str) -> str:
        return t("list.sep", lang).join(ComplaintSeverity.labels(lang))


# -- rows typed into the sheet ------------------------------------------------------------------
class _Typed:
    """A complaint typed into the complaints sheet without a number: what it says, or why it
    cannot be read."""

    def __init__(self, act: Action, row: int, raw: dict[str, Any]) -> None:
        self.row = row
        self.order_no = self._text(raw, "order_no")
        self.order: Order | None = act.snap.orders.get(self.order_no)
        self.problems: list[Problem] = []
        if not self.order_no:
            self.problems.append(Problem("error.required", {}, "complaints", row, "order_no"))
        elif self.order is None:
            self.problems.append(
                Problem(
                    "rule.unknown_order",
                    {"order_no": self.order_no},
                    "complaints",
                    row,
                    "order_no",
                    self.order_no,
                )
            )
        values: dict[str, Any] = {}
        for key in TYPED_COLUMNS:
            try:
                values[key] = _cell(key, raw.get(key))
            except CellError as exc:
                values[key] = None
                self.problems.append(
                    Problem(exc.key, exc.params, "complaints", row, key, self.order_no or None)
                )
        self.draft = Draft(
            self.order_no,
            values["date"],
            values["description"],
            values["severity"],
            values["customer_code"],
            values["status"] or ComplaintStatus.OPEN,
            values["closed_date"],
            row,
        )

    @staticmethod
    def _text(raw: dict[str, Any], key: str) -> str:
        try:
            return str(_cell(key, raw.get(key)) or "")
        except CellError:
            return ""


def _typed_rows(act: Action) -> Sequence[_Typed]:
    return [
        _Typed(act, row.row, row.values)
        for row in act.store.read("complaints")
        if not _is_text(row.values.get("complaint_no"))
        and any(_is_text(v) for v in row.values.values())
    ]


def _cell(key: str, value: Any) -> Any:
    """A complaints-sheet cell as the model reads it (text stripped, blank as None)."""
    return convert(TABLES["complaints"], key, value)


def _is_text(value: Any) -> bool:
    return value is not None and bool(str(value).strip())
