"""Time nodes (DOMAIN §1): ``orderdesk overdue`` — orders past a stage's time limit, late on
delivery or at risk of it. Read-only: it writes nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from addin.core.models import LedgerEntry
from addin.core.problems import Problem
from addin.core.timenodes import Late, parse_holidays
from addin.core.timenodes import overdue as find_overdue
from addin.core.tracking import OrderFacts, replay
from addin.services.context import Outcome
from addin.services.snapshot import Snapshot
from workbook.store import Store


def overdue(
    store: Store,
    today: date | None = None,
    now: datetime | None = None,
    lang: str | None = None,
) -> Outcome:
    """Every open order past a time node or with its delivery date late or at risk (reasons in
    ``lang``, by default the workbook's)."""
    today = today or (now or datetime.now()).date()
    found, problems = late_orders(Snapshot(store), today)
    outcome = Outcome("overdue", problems=problems)
    outcome.data = {
        "today": today.isoformat(),
        "items": [late.to_json(lang or store.lang) for late in found],
    }
    return outcome


def late_orders(snap: Snapshot, today: date) -> tuple[list[Late], list[Problem]]:
    """The time nodes' findings as of ``today`` (most late first) and the settings' unreadable
    holidays: what ``overdue`` lists and the meeting report shows."""
    settings = snap.settings
    holidays, bad = parse_holidays(settings.get("holidays"))
    problems = [
        Problem(
            "overdue.bad_holiday",
            {"value": part},
            "settings",
            snap.settings_rows.get("holidays"),
            "value",
        )
        for part in bad
    ]
    ledger: dict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in sorted(snap.ledger, key=lambda e: e.row or 0):
        if entry.order_no:
            ledger[entry.order_no].append(entry)
    tracking = snap.by_order("tracking")
    facts: dict[str, OrderFacts] = {}
    for order_no in snap.orders:
        # Impossible rows are left out here: the listing is advice, the actions refuse them.
        facts[order_no], _ = replay(
            order_no, snap.lines.get(order_no, []), tracking.get(order_no, [])
        )
    found = find_overdue(
        snap.orders.values(),
        snap.lines,
        ledger,
        snap.by_order("changes"),
        facts,
        snap.products,
        settings.time_limits,
        holidays,
        today,
    )
    return found, problems
