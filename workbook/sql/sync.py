"""A connected workbook: a master workbook that mirrors a database, refreshed from it.

The database (the *source*, a :class:`workbook.sql.store.SqlStore`) is the system of record;
the workbook (the *view*: ``XlwingsStore`` in Excel, ``FileStore`` headless) shows it and keeps
its tables, drop-downs, formats and dashboard. Four defined names carry the connection: the URL
(without password), the ledger sequence and hash the view last saw, and when.

Which sheet row mirrors which database row: within one table, the rows of one order (sheet
order) mirror that order's database rows (in the database's row order); a master table's rows
mirror the table's rows. A refresh writes the database's rows over those positions, appends the
rows the view lacks and blanks the ones the database no longer has. Rows typed into the view
and not yet sent (a tracking fact without "recorded at", a complaint or change request without
its number) are not mirror rows: they stay where they are, for the buttons to send.

Refresh: whole on first use; afterwards the ledger rows after the view's sequence (their chain
must continue from the row the view last saw, else a whole refresh, said so) name the orders
whose rows are rewritten, with the orders the view does not show yet (a new order has no ledger
row); master tables are compared and rewritten when they differ. Values are
compared as the rules read them, so a refresh writes only cells that change. An order table
of the view is not read whole then: its order number column locates the orders' rows, and only
those rows are read (the ledger's end alone is read, to append to it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from addin.core.ledger import HEAD_KEY, Chain, parse_head
from addin.core.parse import CellError, convert
from addin.core.schema import ORDER_TABLES, TABLES, Kind
from addin.i18n import Lang, t
from workbook.sql.sync_source import (
    keyed_chain,
    ledger_since,
    order_numbers,
    order_of,
    rows_of_orders,
)
from workbook.store import ChangeSet, Row, Store, reading

NAME_DATABASE = "OrderDesk_Database"
NAME_SEQ = "OrderDesk_SyncSeq"
NAME_HASH = "OrderDesk_SyncHash"
NAME_SYNCED_AT = "OrderDesk_SyncedAt"
SYNC_NAMES = (NAME_DATABASE, NAME_SEQ, NAME_HASH, NAME_SYNCED_AT)

# Order tables refreshed order by order (the ledger is appended to, never rewritten).
MIRRORED_ORDER_TABLES = tuple(k for k in ORDER_TABLES if k != "ledger")
MASTER_TABLES = tuple(k for k in TABLES if k not in ORDER_TABLES)

# A typed row not yet sent: this column is blank while the row's other cells are not.
PENDING_BLANK: dict[str, str] = {
    "tracking": "recorded_at",
    "complaints": "complaint_no",
    "changes": "change_no",
}


@dataclass(frozen=True)
class SyncState:
    """What the view last saw of the database (``seq`` None: never refreshed)."""

    url: str
    seq: int | None = None
    hash: str | None = None
    synced_at: datetime | None = None

    def names(self) -> dict[str, str]:
        return {
            NAME_DATABASE: self.url,
            NAME_SEQ: "" if self.seq is None else str(self.seq),
            NAME_HASH: self.hash or "",
            NAME_SYNCED_AT: self.synced_at.isoformat(sep=" ") if self.synced_at else "",
        }

    @classmethod
    def from_names(cls, get: Callable[[str], str | None]) -> SyncState | None:
        url = get(NAME_DATABASE)
        if not url:
            return None
        seq_text = (get(NAME_SEQ) or "").strip()
        at_text = (get(NAME_SYNCED_AT) or "").strip()
        try:
            synced_at = datetime.fromisoformat(at_text) if at_text else None
        except ValueError:
            synced_at = None
        return cls(
            url,
            int(seq_text) if seq_text.isdigit() else None,
            (get(NAME_HASH) or "").strip() or None,
            synced_at,
        )


@dataclass
class Refreshed:
    """What a refresh did: whole or by order, why whole, the orders and tables rewritten."""

    state: SyncState
    whole: bool
    reason: str | None = None  # catalogue key when a whole refresh was forced
    previous_seq: int | None = None
    orders: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    rows: int = 0  # view rows written (updated, appended or blanked)
    ledger_rows: int = 0

    def lines(self, lang: str) -> list[str]:
        """What the refresh did, for people (the command line and the ribbon alike)."""
        state = self.state
        params = {
            "url": state.url,
            "seq": state.seq or 0,
            "time": state.synced_at.isoformat(sep=" ") if state.synced_at else "-",
            "rows": self.rows,
        }
        found: list[str] = []
        if self.reason is not None:
            found.append(t(self.reason, lang, seq=self.previous_seq))
        if self.whole:
            found.append(t("sync.refreshed_whole", lang, **params))
        else:
            found.append(
                t(
                    "sync.refreshed",
                    lang,
                    orders=len(self.orders),
                    ledger=self.ledger_rows,
                    **params,
                )
            )
            if self.tables:
                tables = t("list.sep", lang).join(TABLES[k].sheet_title(lang) for k in self.tables)
                found.append(t("sync.tables", lang, tables=tables))
        return found


class View(Protocol):
    """The workbook side: a store that also keeps defined names, written with a change set."""

    @property
    def lang(self) -> Lang: ...

    def read(self, table: str) -> list[Row]: ...

    def rows_of_orders(self, table: str, orders: set[str]) -> list[Row]: ...

    def order_numbers(self, table: str) -> set[str]: ...

    def locate(self, table: str) -> None: ...

    def name_value(self, name: str) -> str | None: ...

    def commit_synced(self, changes: ChangeSet, names: dict[str, str]) -> None: ...


# -- the refresh --------------------------------------------------------------------------------
def refresh(source: Store, view: View, state: SyncState, now: datetime) -> Refreshed:
    """Bring the view up to the database, as little as the ledger allows; one commit. The
    tables read whole (a whole refresh: the ledger with them) are read as of one moment."""
    with reading(source):
        return _refresh(source, view, state, now)


def _refresh(source: Store, view: View, state: SyncState, now: datetime) -> Refreshed:
    keyed = keyed_chain(source)
    whole, reason, new_ledger = state.seq is None, None, []
    chain: Chain | None = Chain() if keyed else None
    if state.seq is not None:
        since = ledger_since(source, state.seq)
        if keyed:
            chain = _view_head(view.read("settings"))
        if not _continues(since, state) or (keyed and (chain is None or chain.seq != state.seq)):
            whole, reason, chain = True, "sync.chain_broken", Chain() if keyed else None
        else:
            new_ledger = [r for r in since if _int(r.values.get("seq")) != state.seq]
    changes = ChangeSet()
    done = Refreshed(state, whole, reason, state.seq)
    if whole:
        ledger = sorted(source.read("ledger"), key=lambda r: _int(r.values.get("seq")) or 0)
        for table in MIRRORED_ORDER_TABLES:
            done.rows += _rewrite(changes, table, view.read(table), source.read(table))
        shown = _view_chain(ledger, chain)
        done.rows += _rewrite(changes, "ledger", view.read("ledger"), shown)
        done.ledger_rows = len(ledger)
        done.tables = [*MIRRORED_ORDER_TABLES, "ledger"]
    else:
        ledger = new_ledger
        orders = {o for r in new_ledger if (o := _order_of("ledger", r))}
        # An order created without a ledger row (the ribbon's new order) is new to the view.
        orders |= order_numbers(source) - view.order_numbers("orders")
        done.orders = sorted(orders)
        if orders:  # only these orders' rows are read from the view (not its whole tables)
            for table in MIRRORED_ORDER_TABLES:
                mine = view.rows_of_orders(table, orders)
                done.rows += _rewrite_orders(changes, table, mine, source, orders)
        view.locate("ledger")  # appended to, not read
        for r in _view_chain(new_ledger, chain):
            changes.append("ledger", _view_values("ledger", r.values))
        done.rows += len(new_ledger)
        done.ledger_rows = len(new_ledger)
    for table in MASTER_TABLES:
        rows = source.read(table)
        if table == "settings" and chain is not None:
            rows = _with_head(rows, chain)
        written = _rewrite(changes, table, view.read(table), rows)
        if written:
            done.rows += written
            done.tables.append(table)
    last = max(ledger, key=lambda r: _int(r.values.get("seq")) or 0, default=None)
    if last is not None:
        seq, digest = _int(last.values.get("seq")), _text(last.values.get("hash"))
    else:
        seq, digest = (state.seq or 0, state.hash or "") if not whole else (0, "")
    done.state = SyncState(state.url, seq, digest or None, now)
    view.commit_synced(changes, done.state.names())
    return done


# A database that keys its ledger chain (PostgreSQL's server-kept HMAC) shows its ledger in the
# view chained as the file mode chains it, as ``db export`` does: the view's own ``verify``
# holds, and a refreshed view equals an export. What the sync compares with the database (the
# names' sequence and hash) stays the database's own.
def _view_chain(rows: list[Row], chain: Chain | None) -> list[Row]:
    if chain is None:
        return rows
    return [
        Row(r.row, chain.next_row({k: v for k, v in r.values.items() if k not in ("seq", "hash")}))
        for r in rows
    ]


def _view_head(settings: list[Row]) -> Chain | None:
    found = next((r for r in settings if _text(r.values.get("key")) == HEAD_KEY), None)
    return parse_head(_text(found.values.get("value"))) if found is not None else None


def _with_head(rows: list[Row], chain: Chain) -> list[Row]:
    return [
        Row(r.row, {**r.values, "value": chain.head})
        if _text(r.values.get("key")) == HEAD_KEY
        else r
        for r in rows
    ]


def _continues(since: list[Row], state: SyncState) -> bool:
    """Whether the source's ledger still holds the row the view last saw, unchanged, and the
    rows after it follow without a gap."""
    if state.seq == 0:
        seqs = [_int(r.values.get("seq")) for r in since]
        return seqs == list(range(1, len(seqs) + 1))
    if not since or _int(since[0].values.get("seq")) != state.seq:
        return False
    if _text(since[0].values.get("hash")) != (state.hash or ""):
        return False
    seqs = [_int(r.values.get("seq")) for r in since]
    return seqs == list(range(state.seq or 0, (state.seq or 0) + len(seqs)))


def _rewrite_orders(
    changes: ChangeSet, table: str, view_rows: list[Row], source: Store, orders: set[str]
) -> int:
    """Rewrite the view's rows of ``orders`` in ``table`` from the source."""
    mine = [r for r in view_rows if _order_of(table, r) in orders]
    theirs = rows_of_orders(source, table, orders)
    by_order: dict[str, list[Row]] = defaultdict(list)
    for r in theirs:
        by_order[_order_of(table, r)].append(r)
    mine_by_order: dict[str, list[Row]] = defaultdict(list)
    for r in mine:
        mine_by_order[_order_of(table, r)].append(r)
    written = 0
    for order_no in sorted(orders):
        written += _rewrite(changes, table, mine_by_order[order_no], by_order[order_no])
    return written


def _rewrite(changes: ChangeSet, table: str, view_rows: list[Row], source_rows: list[Row]) -> int:
    """Make the view's mirror rows equal the source's rows, position by position; the number
    of view rows written. Pending typed rows are left alone."""
    keys = TABLES[table].column_keys
    mirror = [r for r in view_rows if not is_pending(table, r.values)]
    wanted = sorted(source_rows, key=lambda r: r.row)
    written = 0
    for have, want in zip(mirror, wanted, strict=False):
        cells = [k for k in keys if not same(table, k, have.values.get(k), want.values.get(k))]
        for key in cells:
            changes.update(table, have.row, key, _view_value(table, key, want.values.get(key)))
        written += bool(cells)
    for want in wanted[len(mirror) :]:
        changes.append(table, _view_values(table, want.values))
        written += 1
    for gone in mirror[len(wanted) :]:
        for key in keys:
            if gone.values.get(key) not in (None, ""):
                changes.update(table, gone.row, key, None)
        written += 1
    return written


def is_pending(table: str, values: dict[str, Any]) -> bool:
    """A row typed into the view and not sent yet (the buttons send it)."""
    blank = PENDING_BLANK.get(table)
    if blank is None or not _blank(values.get(blank)):
        return False
    return any(not _blank(v) for k, v in values.items() if k != blank)


# -- values -------------------------------------------------------------------------------------
def normalized(table: str, key: str, value: Any) -> Any:
    """A value as the rules read it (an enum's label and value alike; a date and its
    midnight datetime alike); a value the rules cannot read is kept as text."""
    try:
        found = convert(TABLES[table], key, value)
    except CellError:
        return str(value).strip()
    if TABLES[table].column(key).kind == Kind.DATETIME and isinstance(found, datetime):
        return found.replace(microsecond=0, tzinfo=None)
    return found


def same(table: str, key: str, a: Any, b: Any) -> bool:
    return normalized(table, key, a) == normalized(table, key, b)


def table_contents(table: str, rows: Iterable[Row]) -> list[tuple[Any, ...]]:
    """A table's rows as the rules read them, pending typed rows left out (for comparing a
    view with the database or an export)."""
    keys = TABLES[table].column_keys
    return [
        tuple(normalized(table, k, r.values.get(k)) for k in keys)
        for r in rows
        if not is_pending(table, r.values)
    ]


def _view_value(table: str, key: str, value: Any) -> Any:
    """A source value as the view writes it: an enum by its label in the view's language."""
    column = TABLES[table].column(key)
    if column.kind == Kind.ENUM and value not in (None, ""):
        try:
            return convert(TABLES[table], key, value)
        except CellError:
            return value
    return value


def _view_values(table: str, values: dict[str, Any]) -> dict[str, Any]:
    return {k: _view_value(table, k, values.get(k)) for k in TABLES[table].column_keys}


def _order_of(table: str, row: Row) -> str:
    return order_of(table, row.values)


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
