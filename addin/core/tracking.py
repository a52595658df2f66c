"""Execution facts (DOMAIN §5–§6): quantities per line, their consistency, status and progress.

The tracking sheet is the record: every fact is a row, typed by staff or written by
``orderdesk track``. :func:`replay` runs the rows of an order in sheet order, checking each
against what came before, and gives the line totals the lines sheet shows. A unit is produced,
then inspected until it passes (a rejected unit is reworked and inspected again, or scrapped and
replaced by new production), then shipped, then delivered; the customer accepts the whole order. Goods the customer rejects
on delivery come back (a return): they count as shipped no more and as passed no more, so they
are inspected again after rework (or rejected there and replaced by new production), shipped and
delivered again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from addin.core import rates
from addin.core.enums import OrderStatus, TrackKind
from addin.core.models import OrderLine, TrackingEntry
from addin.core.problems import Problem
from addin.i18n import t

# Kinds that move quantities of one line.
LINE_KINDS = frozenset(
    {
        TrackKind.PRODUCTION,
        TrackKind.INSPECTION,
        TrackKind.SHIPMENT,
        TrackKind.DELIVERY,
        TrackKind.RETURN,
    }
)


@dataclass
class LineFacts:
    line_no: int
    ordered: int
    row: int | None = None
    produced: int = 0
    inspected: int = 0
    passed: int = 0
    rejected: int = 0
    shipped: int = 0
    delivered: int = 0
    returned: int = 0  # rejected by the customer on delivery (already taken off shipped, passed)
    # stage ("produced", "passed", "shipped", "delivered") -> (date, quantity) of each fact
    dated: dict[str, list[tuple[date, int]]] = field(default_factory=dict)

    def add(self, stage: str, on: date, quantity: int) -> None:
        self.dated.setdefault(stage, []).append((on, quantity))

    def reached(self, stage: str, amount: int) -> date | None:
        """The first date by which the facts of ``stage`` add up to ``amount`` (None: never)."""
        total = 0
        for on, quantity in sorted(self.dated.get(stage, [])):
            total += quantity
            if total >= amount:
                return on
        return None

    @property
    def in_process(self) -> int:
        """Produced and not (yet) passed: what an inspection may look at."""
        return self.produced - self.passed


@dataclass
class OrderFacts:
    order_no: str
    lines: dict[int, LineFacts]
    received: date | None = None  # the order's received date: no fact is dated before it
    accepted_on: date | None = None
    last_shipment: date | None = None
    open_delays: list[TrackingEntry] = field(default_factory=list)
    open_shortages: list[TrackingEntry] = field(default_factory=list)
    rejected_causes: list[str] = field(default_factory=list)
    returned_causes: list[str] = field(default_factory=list)

    @classmethod
    def of(
        cls, order_no: str, lines: Iterable[OrderLine], received: date | None = None
    ) -> OrderFacts:
        return cls(
            order_no,
            {line.line_no: LineFacts(line.line_no, line.quantity or 0, line.row) for line in lines},
            received,
        )

    def all(self, attribute: str) -> bool:
        """Every line has ``attribute`` up to its ordered quantity (and there is a line)."""
        return bool(self.lines) and all(
            getattr(line, attribute) >= line.ordered for line in self.lines.values()
        )


def _located(entry: TrackingEntry, key: str, column: str | None, **params: object) -> Problem:
    return Problem(key, dict(params), "tracking", entry.row, column, entry.order_no)


def inspection_counts(entry: TrackingEntry) -> tuple[int | None, int | None, int | None]:
    """(inspected, passed, rejected) with one missing value filled from the other two."""
    inspected, passed, rejected = entry.quantity, entry.passed_qty, entry.rejected_qty
    if inspected is None and passed is not None:
        inspected = passed + (rejected or 0)
    if passed is None and inspected is not None:
        passed = inspected - (rejected or 0)
    if rejected is None and inspected is not None and passed is not None:
        rejected = inspected - passed
    return inspected, passed, rejected


def check_entry(facts: OrderFacts, entry: TrackingEntry, recorded: bool = False) -> list[Problem]:
    """What makes ``entry`` impossible after the facts so far (empty: it may be recorded).

    ``recorded``: the entry is a row of the sheet already. Production and passed units beyond the
    ordered quantity are then not held against it: an approved change may have lowered the
    quantity since (a short close lowers it to what was shipped, see ``core.changes``).
    """
    kind = entry.kind
    problems: list[Problem] = []
    line: LineFacts | None = None
    if kind in LINE_KINDS or (entry.line_no is not None and kind != TrackKind.ACCEPTANCE):
        if entry.line_no is None:
            if len(facts.lines) == 1:
                line = next(iter(facts.lines.values()))
            else:
                return [_located(entry, "track.line_required", "line_no", kind=kind)]
        else:
            line = facts.lines.get(entry.line_no)
            if line is None:
                return [_located(entry, "track.unknown_line", "line_no", line_no=entry.line_no)]
    qty = entry.quantity
    if (
        kind in (TrackKind.PRODUCTION, TrackKind.SHIPMENT, TrackKind.DELIVERY, TrackKind.RETURN)
        and not qty
    ):
        return [_located(entry, "track.quantity_required", "quantity", kind=kind)]
    if not recorded:
        problems.extend(date_problems(facts, line, entry))
    if kind == TrackKind.PRODUCTION:
        assert line is not None and qty is not None
        limit = line.ordered + line.rejected
        if line.produced + qty > limit and not recorded:
            problems.append(
                _located(
                    entry,
                    "track.over_ordered",
                    "quantity",
                    line_no=line.line_no,
                    total=line.produced + qty,
                    ordered=line.ordered,
                    rejected=line.rejected,
                )
            )
    elif kind == TrackKind.INSPECTION:
        assert line is not None
        inspected, passed, rejected = inspection_counts(entry)
        if not inspected or passed is None or rejected is None:
            return [_located(entry, "track.quantity_required", "quantity", kind=kind)]
        if passed < 0 or rejected < 0 or passed + rejected != inspected:
            problems.append(
                _located(
                    entry,
                    "track.inspection_sum",
                    "passed_qty",
                    inspected=inspected,
                    passed=passed,
                    rejected=rejected,
                )
            )
        if passed > inspected:
            problems.append(
                _located(
                    entry,
                    "track.passed_over_inspected",
                    "passed_qty",
                    passed=passed,
                    inspected=inspected,
                )
            )
        if inspected > line.in_process:
            problems.append(
                _located(
                    entry,
                    "track.inspected_over_produced",
                    "quantity",
                    line_no=line.line_no,
                    inspected=inspected,
                    available=line.in_process,
                )
            )
        if passed >= 0 and line.passed + passed > line.ordered and not recorded:
            problems.append(
                _located(
                    entry,
                    "track.passed_over_ordered",
                    "passed_qty",
                    line_no=line.line_no,
                    total=line.passed + passed,
                    ordered=line.ordered,
                )
            )
        if rejected and not (entry.cause or "").strip():
            problems.append(_located(entry, "track.cause_required", "cause", kind=kind))
    elif kind == TrackKind.SHIPMENT:
        assert line is not None and qty is not None
        if line.shipped + qty > line.passed:
            problems.append(
                _located(
                    entry,
                    "track.shipped_over_passed",
                    "quantity",
                    line_no=line.line_no,
                    total=line.shipped + qty,
                    passed=line.passed,
                )
            )
    elif kind == TrackKind.DELIVERY:
        assert line is not None and qty is not None
        if line.delivered + qty > line.shipped:
            problems.append(
                _located(
                    entry,
                    "track.delivered_over_shipped",
                    "quantity",
                    line_no=line.line_no,
                    total=line.delivered + qty,
                    shipped=line.shipped,
                )
            )
    elif kind == TrackKind.RETURN:
        assert line is not None and qty is not None
        if facts.accepted_on is not None:
            problems.append(
                _located(entry, "track.return_after_acceptance", "kind", date=facts.accepted_on)
            )
        elif line.delivered + qty > line.shipped:
            problems.append(
                _located(
                    entry,
                    "track.return_over_undelivered",
                    "quantity",
                    line_no=line.line_no,
                    quantity=qty,
                    shipped=line.shipped,
                    delivered=line.delivered,
                )
            )
        if not (entry.cause or "").strip():
            problems.append(_located(entry, "track.cause_required", "cause", kind=kind))
    elif kind == TrackKind.ACCEPTANCE:
        if facts.accepted_on is not None:
            problems.append(
                _located(entry, "track.already_accepted", "kind", date=facts.accepted_on)
            )
        elif not facts.all("delivered"):
            problems.append(_located(entry, "track.accept_before_delivery", "kind"))
    elif kind == TrackKind.MATERIAL:
        shortage = entry.expected_date is not None or bool((entry.cause or "").strip())
        if shortage:
            if not (entry.cause or "").strip():
                problems.append(_located(entry, "track.cause_required", "cause", kind=kind))
            if entry.expected_date is None:
                problems.append(
                    _located(entry, "track.expected_required", "expected_date", kind=kind)
                )
        elif not qty:
            problems.append(_located(entry, "track.quantity_required", "quantity", kind=kind))
    elif kind == TrackKind.DELAY:
        for column, key in (
            ("cause", "track.cause_required"),
            ("measures", "track.measures_required"),
        ):
            if not (getattr(entry, column) or "").strip():
                problems.append(_located(entry, key, column, kind=kind))
        if entry.expected_date is None:
            problems.append(_located(entry, "track.expected_required", "expected_date", kind=kind))
    elif kind == TrackKind.RECOVERY and not facts.open_delays:
        problems.append(_located(entry, "track.no_open_delay", "kind"))
    return problems


# The stage a fact of each kind takes its units from, and the kind of fact that fills it.
_SOURCE: dict[TrackKind, tuple[str, TrackKind]] = {
    TrackKind.INSPECTION: ("produced", TrackKind.PRODUCTION),
    TrackKind.SHIPMENT: ("passed", TrackKind.INSPECTION),
    TrackKind.DELIVERY: ("shipped", TrackKind.SHIPMENT),
}


def date_problems(facts: OrderFacts, line: LineFacts | None, entry: TrackingEntry) -> list[Problem]:
    """A new fact may not be dated before the order was received, nor before the facts its
    units come from: an inspection before the production of the units it inspects, a shipment
    before the inspection that passed them, a delivery before its own shipment, an acceptance
    before the last delivery."""
    kind, on = entry.kind, entry.date
    if facts.received is not None and on < facts.received:
        return [
            _located(
                entry, "track.before_received", "date", kind=kind, date=on, received=facts.received
            )
        ]
    source = _SOURCE.get(kind)
    needed: date | None = None
    source_kind = kind
    if source is not None and line is not None:
        stage, source_kind = source
        inspected, _, _ = inspection_counts(entry)
        amount = {
            TrackKind.INSPECTION: line.passed + (inspected or 0),
            TrackKind.SHIPMENT: line.shipped + (entry.quantity or 0),
            TrackKind.DELIVERY: line.delivered + (entry.quantity or 0),
        }[kind]
        needed = line.reached(stage, amount)
    elif kind == TrackKind.ACCEPTANCE and facts.all("delivered"):
        source_kind = TrackKind.DELIVERY
        dates = [line.reached("delivered", line.ordered) for line in facts.lines.values()]
        needed = max((d for d in dates if d is not None), default=None)
    if needed is not None and on < needed:
        return [
            _located(
                entry,
                "track.before_source",
                "date",
                kind=kind,
                date=on,
                source=source_kind,
                source_date=needed,
            )
        ]
    return []


def apply_entry(facts: OrderFacts, entry: TrackingEntry) -> None:
    """Add a checked entry to the facts."""
    kind = entry.kind
    line = None
    if kind in LINE_KINDS:
        line = (
            facts.lines[entry.line_no]
            if entry.line_no is not None
            else next(iter(facts.lines.values()))
        )
    if kind == TrackKind.PRODUCTION and line:
        line.produced += entry.quantity or 0
        line.add("produced", entry.date, entry.quantity or 0)
    elif kind == TrackKind.INSPECTION and line:
        inspected, passed, rejected = inspection_counts(entry)
        line.inspected += inspected or 0
        line.passed += passed or 0
        line.rejected += rejected or 0
        line.add("passed", entry.date, passed or 0)
        if rejected and entry.cause:
            facts.rejected_causes.append(entry.cause)
    elif kind == TrackKind.SHIPMENT and line:
        line.shipped += entry.quantity or 0
        line.add("shipped", entry.date, entry.quantity or 0)
        if facts.last_shipment is None or entry.date >= facts.last_shipment:
            facts.last_shipment = entry.date
    elif kind == TrackKind.DELIVERY and line:
        line.delivered += entry.quantity or 0
        line.add("delivered", entry.date, entry.quantity or 0)
    elif kind == TrackKind.RETURN and line:
        back = entry.quantity or 0
        line.returned += back
        line.shipped -= back
        line.passed -= back
        # the returned units count as neither shipped nor passed from this day on
        line.add("shipped", entry.date, -back)
        line.add("passed", entry.date, -back)
        if entry.cause:
            facts.returned_causes.append(entry.cause)
    elif kind == TrackKind.ACCEPTANCE:
        facts.accepted_on = entry.date
    elif kind == TrackKind.MATERIAL:
        if entry.expected_date is not None:
            facts.open_shortages.append(entry)
        elif facts.open_shortages:
            # An arrival resolves the oldest open shortage (of the same item when named).
            item = (entry.remarks or "").strip()
            for index, shortage in enumerate(facts.open_shortages):
                if not item or (shortage.remarks or "").strip() in ("", item):
                    facts.open_shortages.pop(index)
                    break
    elif kind == TrackKind.DELAY:
        facts.open_delays.append(entry)
    elif kind == TrackKind.RECOVERY and facts.open_delays:
        facts.open_delays.pop(0)


def replay(
    order_no: str,
    lines: Iterable[OrderLine],
    entries: Iterable[TrackingEntry],
    received: date | None = None,
) -> tuple[OrderFacts, list[Problem]]:
    """The facts of an order from its tracking rows in sheet order; impossible rows are
    reported and left out. ``received``: the order's received date, that new facts are checked
    against (rows recorded already are not: see ``check_entry``)."""
    facts = OrderFacts.of(order_no, lines, received)
    problems: list[Problem] = []
    for entry in sorted(entries, key=lambda e: e.row or 0):
        found = check_entry(facts, entry, recorded=True)
        if found:
            problems.extend(found)
            continue
        apply_entry(facts, entry)
    return facts, problems


def status_from_facts(facts: OrderFacts) -> OrderStatus:
    """Where a released order stands, from what has been recorded."""
    if facts.all("delivered"):
        return OrderStatus.ACCEPTED if facts.accepted_on is not None else OrderStatus.DELIVERED
    if facts.all("shipped"):
        return OrderStatus.SHIPPED
    if facts.all("passed"):
        return OrderStatus.INSPECTED
    if any(line.produced or line.inspected for line in facts.lines.values()):
        return OrderStatus.IN_PRODUCTION
    return OrderStatus.RELEASED


def progress(facts: OrderFacts) -> float:
    """Produced share of the ordered quantity (surplus production does not count)."""
    lines = list(facts.lines.values())
    share = rates.progress([line.ordered for line in lines], [line.produced for line in lines])
    return 0.0 if share is None else round(share, 4)


def inspection_text(facts: OrderFacts, lang: str) -> str:
    """The tracking view's inspection status (§6): inspected so far, passed, rejected."""
    inspected = sum(line.inspected for line in facts.lines.values())
    if not inspected:
        return t("tracking.not_inspected", lang)
    passed = sum(line.passed for line in facts.lines.values())
    ordered = sum(line.ordered for line in facts.lines.values())
    rejected = sum(line.rejected for line in facts.lines.values())
    key = "tracking.inspection_done" if facts.all("passed") else "tracking.inspection_partial"
    return t(key, lang, inspected=inspected, passed=passed, ordered=ordered, rejected=rejected)


def line_totals(line: LineFacts) -> dict[str, int]:
    """The lines sheet's quantity columns."""
    return {
        "produced_qty": line.produced,
        "passed_qty": line.passed,
        "shipped_qty": line.shipped,
        "delivered_qty": line.delivered,
    }
