"""The frame every action runs in: read a snapshot, decide, collect one change set, commit.

An action validates everything before it writes: it raises RuleError (nothing written) or
returns an Outcome after one ``commit``. Status changes go through the lifecycle table and each
one appends its chained ledger row.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from addin.core import ledger
from addin.core.archive import NAME_ARCHIVE
from addin.core.enums import LabelledEnum, OrderStatus
from addin.core.lifecycle import ensure_allowed
from addin.core.models import Order, Record
from addin.core.problems import Problem, RuleError
from addin.i18n import t
from addin.services.snapshot import Snapshot
from workbook.store import ChangeSet, Store


def default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers, services): still record something
        return "unknown"


@dataclass
class OrderOutcome:
    order_no: str
    before: OrderStatus | None
    after: OrderStatus | None
    problems: list[Problem] = field(default_factory=list)
    message: str | None = None  # catalogue key of a one-line summary
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    action: str
    orders: list[OrderOutcome] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # not tied to one order
    # More lines for people, rendered in the reader's language (e.g. a mail's per-recipient report).
    report: Callable[[str], list[str]] | None = None

    def lines(self, lang: str) -> list[str]:
        """The outcome for people, as the command line prints it and the ribbon shows it."""
        lines: list[str] = []
        for item in self.orders:
            before = item.before.label(lang) if item.before else "—"
            after = item.after.label(lang) if item.after else "—"
            line = f"{item.order_no}: {before} → {after}"
            if item.message:
                line += f"  {t(item.message, lang, **item.params)}"
            lines.append(line)
            lines.extend(f"    - {p.format(lang)}" for p in item.problems)
        lines.extend(f"  - {p.format(lang)}" for p in self.problems)
        lines.extend(f"  → {path}" for path in self.files)
        if self.report is not None:
            lines.extend(f"    {line}" for line in self.report(lang))
        elif not self.orders and not self.problems:
            lines.append(t("cli.nothing", lang))
        return lines

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "action": self.action,
            "orders": [
                {
                    "order_no": o.order_no,
                    "status_before": o.before.value if o.before else None,
                    "status_after": o.after.value if o.after else None,
                    "message": t(o.message, lang, **o.params) if o.message else None,
                    "problems": [p.to_json(lang) for p in o.problems],
                }
                for o in self.orders
            ],
            "problems": [p.to_json(lang) for p in self.problems],
            "files": [str(f) for f in self.files],
            "data": self.data,
        }


class Action:
    """One action on the master workbook. Subclass-free: services call these helpers."""

    def __init__(
        self, store: Store, name: str, user: str | None = None, now: datetime | None = None
    ) -> None:
        if NAME_ARCHIVE in (getattr(store, "defined_names", None) or {}):
            # An archive is read (verify, statistics), never acted on.
            name_of = Path(str(getattr(store, "path", ""))).name
            raise RuleError(Problem("archive.is_archive", {"path": name_of}))
        self.store = store
        self.name = name
        self.user = user or default_user()
        self.now = (now or datetime.now()).replace(microsecond=0)
        self.snap = Snapshot(store)
        self.changes = ChangeSet()
        self._chain: ledger.Chain | None = None
        self.outcome = Outcome(name)

    @property
    def lang(self) -> str:
        return self.store.lang

    # -- reading ---------------------------------------------------------------------------
    def order(self, order_no: str) -> Order:
        from addin.core.problems import RuleError

        order = self.snap.orders.get(order_no.strip())
        if order is None:
            raise RuleError(
                Problem("rule.unknown_order", {"order_no": order_no}, "orders", order_no=order_no)
            )
        return order

    # -- writing ---------------------------------------------------------------------------
    def update(self, table: str, record: Record, **values: Any) -> None:
        """Change fields of a record read from ``table`` (in memory and in the change set)."""
        assert record.row is not None
        for key, value in values.items():
            if getattr(record, key) != value:
                setattr(record, key, value)
                self.changes.update(table, record.row, key, value)

    def append(self, table: str, values: dict[str, Any]) -> None:
        self.changes.append(table, values)

    def transition(
        self, order: Order, after: OrderStatus, details: str = "", action: str | None = None
    ) -> OrderOutcome:
        """Move an order to ``after`` if the lifecycle allows it, with its ledger row."""
        action = action or self.name
        before = order.status
        ensure_allowed(action, order.order_no, before, after)
        if order.row is not None:
            self.update("orders", order, status=after, status_since=self.now)
        else:
            order.status, order.status_since = after, self.now
        self.log(order.order_no, details, before, after, action)
        return OrderOutcome(order.order_no, before, after)

    def log(
        self,
        order_no: str | None,
        details: str,
        before: OrderStatus | None = None,
        after: OrderStatus | None = None,
        action: str | None = None,
    ) -> None:
        """Append a ledger row (an action without a status change keeps before == after)."""
        if self._chain is None:
            # The head kept in the settings spares reading the whole ledger on every action;
            # ``verify`` checks that it matches the ledger's last row.
            self._chain = ledger.parse_head(
                self.snap.settings.get(ledger.HEAD_KEY)
            ) or ledger.chain_end(self.snap.ledger)
        fields = {
            "time": self.now,
            "user": self.user,
            "order_no": order_no,
            "action": t(f"action.{action or self.name}", self.lang),
            "status_before": _label(before, self.lang),
            "status_after": _label(after, self.lang),
            "details": details,
        }
        self.append("ledger", self._chain.next_row(fields))

    def commit(self) -> Outcome:
        if self._chain is not None:
            row = self.snap.settings_rows.get(ledger.HEAD_KEY)
            if row is not None:
                self.changes.update("settings", row, "value", self._chain.head)
            else:
                self.changes.append("settings", {"key": ledger.HEAD_KEY, "value": self._chain.head})
        self.store.commit(self.changes)
        return self.outcome


def _label(status: LabelledEnum | None, lang: str) -> str | None:
    return status.label(lang) if status is not None else None
