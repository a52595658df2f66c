"""Execution facts (DOMAIN §5–§6): quantities per line, their consistency, status and progress.

The tracking sheet is the record: every fact is a row, typed by staff or written by
``orderdesk track``. :func:`replay` runs the rows of an order in sheet order, checking each
against what came before, and gives the line totals the lines sheet shows. A unit is produced,
then inspected until it passes (a rejected unit is reworked and inspected again, or scrapped and
replaced by new production), then shipped, then delivered; the customer accepts the whole order.
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
    {TrackKind.PRODUCTION, TrackKind.INSPECTION, TrackKind.SHIPMENT, TrackKind.DELIVERY}
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

    @property
    def in_process(self) -> int:
        """Produced and not (yet) passed: what an inspection may look at."""
        return self.produced - self.passed


@dataclass
class OrderFacts:
    order_no: str
    lines: dict[int, LineFacts]
    accepted_on: date | None = None
    last_shipment: date | None = None
    open_delays: list[TrackingEntry] = field(default_factory=list)
    open_shortages: list[TrackingEntry] = field(default_factory=list)
    rejected_causes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, order_no: str, lines: Iterable[OrderLine]) -> OrderFacts:
        return cls(
            order_no,
            {line.line_no: LineFacts(line.line_no, line.quantity or 0, line.row) for line in lines},
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

    ``recorded``: the entry is a row of the sheet already. Production beyond the ordered
    quantity is then not held against it: an approved change may have lowered the quantity
    since (down to what was produced and not rejected, see ``core.changes``).
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
    if kind in (TrackKind.PRODUCTION, TrackKind.SHIPMENT, TrackKind.DELIVERY) and not qty:
        return [_located(entry, "track.quantity_required", "quantity", kind=kind)]
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
        if passed >= 0 and line.passed + passed > line.ordered:
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
    elif kind == TrackKind.INSPECTION and line:
        inspected, passed, rejected = inspection_counts(entry)
        line.inspected += inspected or 0
        line.passed += passed or 0
        line.rejected += rejected or 0
        if rejected and entry.cause:
            facts.rejected_causes.append(entry.cause)
    elif kind == TrackKind.SHIPMENT and line:
        line.shipped += entry.quantity or 0
        if facts.last_shipment is None or entry.date >= facts.last_shipment:
            facts.last_shipment = entry.date
    elif kind == TrackKind.DELIVERY and line:
        line.delivered += entry.quantity or 0
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
    order_no: str, lines: Iterable[OrderLine], entries: Iterable[TrackingEntry]
) -> tuple[OrderFacts, list[Problem]]:
    """The facts of an order from its tracking rows in sheet order; impossible rows are
    reported and left out."""
    facts = OrderFacts.of(order_no, lines)
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
