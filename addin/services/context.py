"""The frame every action runs in: read a snapshot, decide, collect one change set, commit.

An action validates everything before it writes: it raises RuleError (nothing written) or
returns an Outcome after one ``commit``. Status changes go through the lifecycle table and each
one appends its chained ledger row.

On a store that offers one (the database), the action's reads share one consistent view
(:func:`workbook.store.reading`), held from the action's start until its commit begins, or
until the action is dropped unfinished (refused, or only reading): another user's commit
meanwhile is seen by none of them, and the commit's version checks catch it.
"""

from __future__ import annotations

import contextlib
import getpass
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from addin.core import controlled, ledger
from addin.core.archive import NAME_ARCHIVE
from addin.core.enums import LabelledEnum, OrderStatus
from addin.core.lifecycle import ensure_allowed
from addin.core.models import Order, Record
from addin.core.problems import Problem, RuleError
from addin.i18n import t
from addin.services.snapshot import Snapshot
from workbook.store import ChangeSet, Store, reading


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
            line = f"{item.order_no}{t('punct.colon', lang)}{before} → {after}"
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
        self._reading = contextlib.ExitStack()
        self._reading.enter_context(reading(store))
        # a refused action never commits: its view ends when it is dropped (a process
        # ending closes its connections anyway)
        weakref.finalize(self, self._reading.close).atexit = False
        self.snap = Snapshot(store)
        self.changes = ChangeSet()
        self._chain: ledger.Chain | None = None
        self._pending: list[dict[str, Any]] = []  # ledger rows, chained at commit
        # controlled rows written or attested since the last ledger row (see _take_digest)
        self._records: dict[tuple[str, int], Record] = {}
        self._seen_updates = self._seen_appends = 0
        self.outcome = Outcome(name)
        self._staged: dict[Path, Path] = {}  # output folder → where its files are drawn

    # -- files -----------------------------------------------------------------------------
    def stage(self, out_dir: Path) -> Path:
        """The folder to draw this action's files for ``out_dir`` in: hidden, they move into
        ``out_dir`` once the commit succeeded and are removed when the action is refused."""
        from workbook.safe_save import staging_folder

        out_dir = Path(out_dir)
        folder = self._staged.get(out_dir)
        if folder is None:
            folder = self._staged[out_dir] = staging_folder(out_dir)
        return folder

    def final_path(self, drawn: Path) -> Path:
        """Where a file drawn in a staging folder will be once the action committed."""
        for out_dir, folder in self._staged.items():
            if drawn.parent == folder:
                return out_dir / drawn.name
        return drawn

    def discard_files(self) -> None:
        """Remove the files drawn so far (the action is refused or failed)."""
        import shutil

        for folder in self._staged.values():
            shutil.rmtree(folder, ignore_errors=True)
        self._staged.clear()

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
                if table in controlled.CONTROLLED:
                    self._records[(table, record.row)] = record

    def attest(self, table: str, record: Record) -> None:
        """Record a row's controlled fields in the ledger as the action found them (a row it
        takes responsibility for without writing it, e.g. a typed order's lines at the check)."""
        if table in controlled.CONTROLLED and record.row is not None:
            self._records[(table, record.row)] = record

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
        """Append a ledger row (an action without a status change keeps before == after); it is
        chained at commit, when the controlled data the action wrote is known."""
        fields = {
            "time": self.now,
            "user": self.user,
            "order_no": order_no,
            "action": t(f"action.{action or self.name}", self.lang),
            "status_before": _label(before, self.lang),
            "status_after": _label(after, self.lang),
            "details": details,
        }
        fields["digest"] = self._take_digest()
        self._pending.append(fields)

    def _take_digest(self) -> controlled.Digest:
        """The controlled fields of the rows written (or attested) since the last ledger row,
        as they stand now; they go with the next ledger row."""
        rows: dict[tuple[str, int | None, int], dict[str, Any]] = {}
        for (table, row), record in self._records.items():
            rows[(table, row, 0)] = {
                k: getattr(record, k, None) for k in (*controlled.CONTROLLED[table], *_KEYS)
            }
        for update in self.changes.updates[self._seen_updates :]:
            if update.table in controlled.CONTROLLED and (update.table, update.row) not in (
                self._records
            ):
                rows.setdefault((update.table, update.row, 0), {})[update.key] = update.value
        for index, append in enumerate(self.changes.appends[self._seen_appends :]):
            if append.table in controlled.CONTROLLED:
                rows[(append.table, None, index)] = dict(append.values)
        self._records = {}
        self._seen_updates, self._seen_appends = (
            len(self.changes.updates),
            len(self.changes.appends),
        )
        digest: controlled.Digest = {}
        for (table, _row, _index), values in rows.items():
            key = controlled.row_key(table, values)
            if key is None:
                continue
            fields = {
                k: controlled.text(values.get(k))
                for k in controlled.CONTROLLED[table]
                if k in values
            }
            digest.setdefault(table, {}).setdefault(key, {}).update(fields)
        return digest

    def _continued(self) -> str:
        return t("ledger.digest_continued", self.lang)

    def commit(self) -> Outcome:
        if self._pending:
            # The head kept in the settings spares reading the whole ledger on every action;
            # ``verify`` checks that it matches the ledger's last row.
            self._chain = ledger.parse_head(
                self.snap.settings.get(ledger.HEAD_KEY)
            ) or ledger.chain_end(self.snap.ledger)
            # what was written after the last ledger row goes with the last row of its order
            last_of = {fields["order_no"]: fields for fields in self._pending}
            for table, rows in self._take_digest().items():
                for key, values in rows.items():
                    order_no = key.split(controlled.KEY_SEP)[0] if table in _BY_KEY else None
                    order_no = order_no or values.get("order_no")
                    target = last_of.get(order_no, self._pending[-1])["digest"]
                    target.setdefault(table, {}).setdefault(key, {}).update(values)
            for fields in self._pending:
                digest = fields.pop("digest")
                parts = controlled.split(digest) if digest else [None]
                for index, part in enumerate(parts):
                    row = dict(fields) if index == 0 else dict(fields, details=self._continued())
                    if part is not None:
                        row["digest"] = part
                    self.append("ledger", self._chain.next_row(row))
            self._pending = []
        if self._chain is not None:
            row = self.snap.settings_rows.get(ledger.HEAD_KEY)
            if row is not None:
                self.changes.update("settings", row, "value", self._chain.head)
            else:
                self.changes.append("settings", {"key": ledger.HEAD_KEY, "value": self._chain.head})
        self._reading.close()  # the reads are done; the commit checks what changed since
        try:
            self.store.commit(self.changes)
        except BaseException:
            self.discard_files()
            raise
        from workbook.safe_save import publish

        for out_dir, folder in self._staged.items():
            publish(folder, out_dir)
        self._staged.clear()
        return self.outcome


# the fields naming a controlled row (see ``controlled.row_key``)
_KEYS = ("order_no", "line_no", "complaint_no", "change_no")
# tables whose digest key starts with the order's number
_BY_KEY = frozenset({"orders", "lines"})


def _label(status: LabelledEnum | None, lang: str) -> str | None:
    return status.label(lang) if status is not None else None
