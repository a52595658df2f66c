"""Benchmark of server mode on PostgreSQL.

Builds databases of N orders with a five-year history each (two lines an order; five review
decisions, two task orders, nine tracking facts and nineteen ledger rows an order; all but the
last weeks' orders closed), loaded in bulk through SQL (``COPY``), not through actions: the
master data and roster are the lifecycle tests' workbook, imported with ``db import``. The
ledger rows are loaded with the server's triggers off (the owner's bulk load) and the head set
to the last of them, so the actions measured afterwards continue the chain; their keyed hashes
are not the server's (``verify`` would report them), which the figures here do not need.

Then, for each size, in process (the command line's imports not counted):

- one order's actions on a new order: ``check``, one department's ``review record``, one
  ``track`` fact and ``close`` (the rest of the procedure run between them untimed), the best
  of ``--rounds`` (3) new orders;
- the statistics of the last year (``addin.services.statistics.figures``: the rows of the
  orders that can matter to the year, one query per table, ``SqlStore.read_period``);
- a connected workbook's refresh after one action (only at the sizes given to
  ``--refresh-sizes``: the view is first filled whole as ``db connect`` fills it, then opened
  through the tests' engine): the time, the rows written, the engine's calls and the cells
  they read and wrote;
- the twenty simulated staff of ``tests/test_concurrency.py`` for ``--seconds`` on its seeded
  site (orders at every stage): throughput and p50/p95 latency.

Run: ``python benchmarks/server.py --url postgresql://postgres@127.0.0.1:55432/postgres
[--sizes 1000 100000] [--refresh-sizes 1000] [--seconds 20]``. The URL is a server login that
may create databases and roles; each size gets its own database (``<prefix>_<size>``,
``--prefix`` od_bench by default), dropped at the end unless ``--keep``; ``--reuse`` measures a
database kept by an earlier run instead of loading it again (the orders the actions add are
closed, so they change no later figure). ``--parts`` chooses what is measured.

The orders all belong to one customer (C1), unless ``--orders-per-customer N``: then there is a
customer per N orders (C1, C2, ...), the orders taking them in turn, so that a customer's open
orders are as many at every size.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import psycopg  # noqa: E402

from addin.core.enums import REVIEW_DEPARTMENTS, Decision, OrderStatus, TrackKind  # noqa: E402
from addin.core.ledger import HEAD_KEY  # noqa: E402
from addin.i18n import t  # noqa: E402

LANG = "en"
YEARS = 5
LINES = 2
QTY = 10
PRODUCT = ("P1", "Bolt", "M8x40", "1.00")
PARTS = ("actions", "stats", "refresh", "staff")  # what is measured (after the load)
TRACK_KINDS = (TrackKind.PRODUCTION, TrackKind.INSPECTION, TrackKind.SHIPMENT, TrackKind.DELIVERY)


# -- databases ------------------------------------------------------------------------------------
def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def fresh_database(server: str, name: str) -> str:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(server, name)


def database_exists(server: str, name: str) -> bool:
    with psycopg.connect(server, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return found is not None


def drop_database(server: str, name: str) -> None:
    from workbook.sql.engine import dispose_all

    dispose_all()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the bulk load -------------------------------------------------------------------------------
def _status(status: OrderStatus | None) -> str | None:
    return status.label(LANG) if status is not None else None


class Loader:
    """Rows of every order table, generated order by order and copied in per table."""

    def __init__(self, orders: int, today: date, seed: int = 7, customers: int = 1) -> None:
        self.orders = orders
        self.customers = customers
        self.today = today
        self.rng = random.Random(seed)
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.seq = 0
        self.hash = "0" * 64

    def add(self, table: str, *values: Any) -> None:
        self.rows.setdefault(table, []).append(values)

    def ledger(
        self,
        at: datetime,
        user: str,
        order_no: str,
        action: str,
        before: OrderStatus | None,
        after: OrderStatus | None,
        details: str = "",
    ) -> None:
        from addin.core.ledger import row_hash

        self.seq += 1
        fields = {
            "seq": self.seq,
            "time": at,
            "user": user,
            "order_no": order_no,
            "action": t(f"action.{action}", LANG),
            "status_before": _status(before),
            "status_after": _status(after),
            "details": details,
        }
        self.hash = row_hash(self.hash, fields)
        self.add("ledger", *fields.values(), self.hash, order_no)  # its order key last

    def generate(self) -> None:
        from lifecycle_fixtures import OM, SALES, TRACKERS, USERS

        S = OrderStatus
        span = YEARS * 365
        start = self.today - timedelta(days=span)
        for n in range(1, self.orders + 1):
            no = f"BO-{n:06d}"
            received = start + timedelta(days=span * (n - 1) // self.orders)
            at = datetime.combine(received, datetime.min.time()) + timedelta(hours=9)
            open_order = (self.today - received).days < 30
            due = received + timedelta(days=45)
            final = S.RELEASED if open_order else S.CLOSED
            code, customer = customer_of(n, self.customers)
            self.add(
                "orders",
                no, received, "email", OM, code, customer, "Ann", "ann@example.com",
                SALES, "CNY", None, None, None, final.value, at + timedelta(days=20), due, 1,
                None, at + timedelta(days=3), None, None,
                None if open_order else due - timedelta(days=5), None, no,
            )  # fmt: skip
            self.ledger(at, OM, no, "receive", None, S.RECEIVED)
            self.ledger(at + timedelta(hours=1), OM, no, "check", S.RECEIVED, S.CHECKED)
            self.ledger(at + timedelta(hours=2), OM, no, "review_start", S.CHECKED, S.IN_REVIEW)
            day1 = at + timedelta(days=1)
            for department in REVIEW_DEPARTMENTS:
                user = USERS[department]
                self.add(
                    "reviews", no, 1, department.value, None, Decision.PASS.value, user, None,
                    day1, no,
                )  # fmt: skip
                self.ledger(day1, user, no, "review_record", S.IN_REVIEW, S.IN_REVIEW)
            self.ledger(day1, OM, no, "review_conclude", S.IN_REVIEW, S.REVIEW_PASSED)
            self.ledger(at + timedelta(days=3), OM, no, "release", S.REVIEW_PASSED, S.RELEASED)
            for line in range(1, LINES + 1):
                product, name, spec, price = PRODUCT
                done = 0 if open_order else QTY
                self.add(
                    "lines", no, line, product, name, spec, QTY, price, due, "Shanghai",
                    done, done, done, done, no,
                )  # fmt: skip
                self.add(
                    "task_orders", f"TO-{no}-{line}", no, line, 1, None, product, name, spec, QTY,
                    due, None, None, None, None, None, "current", at + timedelta(days=3), OM,
                    None, None, None, None, no,
                )  # fmt: skip
            if open_order:
                continue
            status = S.RELEASED
            day = at + timedelta(days=5)
            after = {
                TrackKind.PRODUCTION: S.IN_PRODUCTION,
                TrackKind.INSPECTION: S.INSPECTED,
                TrackKind.SHIPMENT: S.SHIPPED,
                TrackKind.DELIVERY: S.DELIVERED,
            }
            for kind in TRACK_KINDS:
                for line in range(1, LINES + 1):
                    day += timedelta(days=2)
                    user = TRACKERS[kind]
                    passed = QTY if kind == TrackKind.INSPECTION else None
                    self.add(
                        "tracking", no, line, kind.value, day.date(), QTY, passed,
                        0 if passed else None, None, None, None, None, user, day, None, no,
                    )  # fmt: skip
                    new = after[kind] if line == LINES else status
                    self.ledger(day, user, no, f"track_{kind.value}", status, new, kind.label(LANG))
                    status = new
            day += timedelta(days=1)
            self.add(
                "tracking", no, None, TrackKind.ACCEPTANCE.value, day.date(), None, None, None,
                None, None, None, None, SALES, day, "signed", no,
            )  # fmt: skip
            self.ledger(day, SALES, no, "track_acceptance", S.DELIVERED, S.ACCEPTED, "signed")
            self.ledger(day + timedelta(days=1), OM, no, "close", S.ACCEPTED, S.CLOSED)


def customer_of(number: int, customers: int) -> tuple[str, str]:
    """The code and name of order ``number``'s customer: C1 (the lifecycle workbook's), or the
    customers in turn."""
    index = 1 + number % customers
    return ("C1", "Acme Machines") if index == 1 else (f"C{index}", f"Customer {index}")


def bulk_load(url: str, orders: int, folder: Path, per_customer: int = 0) -> dict[str, int]:
    """The lifecycle tests' workbook imported, then ``orders`` orders with their history
    copied in (and the customers beyond C1, see ``--orders-per-customer``); the counts of rows
    per table."""
    from lifecycle_fixtures import build_master

    from workbook.sql import admin
    from workbook.sql.columns import COLUMNS

    admin.import_workbook(build_master(folder / "master.xlsx", LANG), url)
    customers = max(1, orders // per_customer) if per_customer else 1
    loader = Loader(orders, date.today(), customers=customers)
    loader.generate()
    for index in range(2, customers + 1):  # as C1: the same credit limit
        code, name = customer_of(index - 1, customers)
        loader.add("customers", code, name, "Ann", "ann@example.com", None, 10_000_000, "CNY",
                   "yes")  # fmt: skip
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as conn:
        conn.execute("SET session_replication_role = replica")  # the owner's bulk load
        conn.execute("DELETE FROM od_ledger")  # the lifecycle workbook's own history goes
        for table in ("orders", "lines", "reviews", "task_orders", "tracking", "ledger"):
            conn.execute(f"DELETE FROM od_{table}")
        for table, rows in loader.rows.items():
            names = [name for name, _ in COLUMNS[table]]
            if table != "customers":
                names.append("order_key")
            columns = ", ".join(f'"{c}"' for c in names)
            with conn.cursor().copy(f"COPY od_{table} ({columns}) FROM STDIN") as copy:
                width = len(COLUMNS[table])  # columns added since the loader: left blank
                for row in rows:
                    bare = table == "customers"
                    cells, key = (row, ()) if bare else (row[:-1], row[-1:])
                    copy.write_row((*cells, *(None,) * (width - len(cells)), *key))
        conn.execute(
            "UPDATE od_ledger_head SET seq = %s, hash = %s WHERE id = 1", (loader.seq, loader.hash)
        )
        conn.execute(
            "UPDATE od_settings SET value = %s WHERE key = %s",
            (f"{loader.seq}:{loader.hash}", HEAD_KEY),
        )
        conn.execute("SET session_replication_role = origin")
        conn.commit()
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {table: len(rows) for table, rows in loader.rows.items()}


# -- measurements ---------------------------------------------------------------------------
def best(runs: int, measure: Callable[[], float]) -> float:
    return min(measure() for _ in range(runs))


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def one_order(url: str, number: int) -> dict[str, float]:
    """A new order of C1 through the whole procedure; the time of check, one review decision,
    one tracking fact and close."""
    from lifecycle_fixtures import OM, SALES, TRACKERS, USERS

    from addin.services import closure, receipt, release, review, tracking
    from workbook.sql.store import SqlStore
    from workbook.store import ChangeSet

    now = datetime.now().replace(microsecond=0)
    no = f"NEW-{now:%H%M%S}-{number}"  # a reused database has the earlier runs' orders
    out: dict[str, float] = {}
    with SqlStore.open(url) as store:
        changes = ChangeSet()
        changes.append(
            "orders",
            {"order_no": no, "received_date": now.date(), "channel": "email", "received_by": OM,
             "customer_code": "C1", "customer_name": "Acme Machines", "contact": "Ann",
             "contact_info": "ann@example.com", "sales_rep": SALES,
             "due_date": now.date() + timedelta(days=60)},
        )  # fmt: skip
        changes.append(
            "lines",
            {"order_no": no, "line_no": 1, "product_code": "P1", "product_name": "Bolt",
             "spec": "M8x40", "quantity": QTY, "unit_price": "1.00",
             "delivery_date": now.date() + timedelta(days=60), "delivery_place": "Shanghai"},
        )  # fmt: skip
        store.commit(changes)

    def act(service: Callable[..., Any], *args: Any, **kwargs: Any) -> float:
        with SqlStore.open(url) as store:
            return timed(lambda: service(store, *args, **kwargs))

    out["check"] = act(receipt.check, [no], user=OM, now=now)
    act(review.start, no, user=OM, now=now)
    for i, department in enumerate(REVIEW_DEPARTMENTS):
        seconds = act(
            review.record, no, department, Decision.PASS, None, user=USERS[department], now=now
        )
        if i == 0:
            out["review record"] = seconds
    act(review.conclude, no, user=OM, now=now)
    with tempfile.TemporaryDirectory() as tmp:
        act(release.release, no, Path(tmp), user=OM, now=now, base_dir=Path(tmp))
    for kind in TRACK_KINDS:
        extra = {"passed": QTY} if kind == TrackKind.INSPECTION else {}
        seconds = act(
            tracking.track, no, kind, user=TRACKERS[kind], now=now, quantity=QTY, line_no=1,
            **extra,
        )  # fmt: skip
        if kind == TrackKind.PRODUCTION:
            out["track"] = seconds
    act(tracking.track, no, TrackKind.ACCEPTANCE, user=TRACKERS[TrackKind.ACCEPTANCE], now=now)
    out["close"] = act(closure.close, no, user=OM, now=now, report_no=f"QR-{no}")
    return out


def actions(url: str, rounds: int = 3) -> dict[str, float]:
    found: dict[str, list[float]] = {}
    for number in range(1, rounds + 1):
        for name, seconds in one_order(url, number).items():
            found.setdefault(name, []).append(seconds)
    return {name: min(values) for name, values in found.items()}


def statistics(url: str) -> float:
    from addin.services.statistics import figures
    from workbook.sql.store import SqlStore

    today = date.today()

    def run() -> float:
        with SqlStore.open(url) as store:
            return timed(lambda: figures(store, today - timedelta(days=365), today))

    return best(2, run)


def refresh_after_action(url: str, folder: Path) -> dict[str, float]:
    """A view filled whole (through openpyxl, as ``db connect`` fills it), opened through the
    tests' engine; one action by someone else; the view's refresh, its time, the engine's
    calls and the cells they read (besides the order number columns: ``key cells``) and
    wrote."""
    import xlwings as xw
    from openpyxl.utils import range_boundaries
    from xlwings_openpyxl import ENGINE, activate

    from addin.services import tracking
    from workbook.create import create_master_workbook
    from workbook.sql.store import SqlStore
    from workbook.sql.sync import SyncState, refresh
    from workbook.sql.sync_views import BookView, FileView
    from workbook.xlwings_store import XlwingsStore

    path = create_master_workbook(folder / "view.xlsx", LANG)
    now = datetime.now().replace(microsecond=0)
    start = time.perf_counter()
    with SqlStore.open(url) as source, FileView.open(path) as view:
        state = refresh(source, view, SyncState(url), now).state
    whole = time.perf_counter() - start
    activate()
    start = time.perf_counter()
    book = xw.Book(path)
    opened = time.perf_counter() - start
    with SqlStore.open(url) as store:  # someone else records a fact on an open order
        order = _an_open_order(store)
        tracking.track(
            store, order, TrackKind.PRODUCTION, user="pete", now=now, quantity=1, line_no=1
        )
    ENGINE.calls.clear()
    start = time.perf_counter()
    with SqlStore.open(url) as source:
        done = refresh(source, BookView(XlwingsStore(book)), state, now)
    seconds = time.perf_counter() - start
    book.close()  # the next size's view has the same name
    cells = {"read": 0, "key": 0, "write": 0}
    for call in ENGINE.calls:
        if call.op in ("read", "write"):
            left, top, right, bottom = range_boundaries(call.target.rsplit("!", 1)[1])
            width, height = right - left + 1, bottom - top + 1
            kind = "key" if call.op == "read" and width == 1 and height > 1 else call.op
            cells[kind] += width * height
    return {
        "fill": whole,
        "open": opened,
        "seconds": seconds,
        "rows": done.rows,
        "orders": len(done.orders),
        "calls": len(ENGINE.calls),
        "reads": ENGINE.count("read"),
        "writes": ENGINE.count("write"),
        "cells read": cells["read"],
        "key cells": cells["key"],
        "cells written": cells["write"],
    }


def _an_open_order(store: Any) -> str:
    for row in store.read("orders"):
        if OrderStatus.parse(row.values["status"]) == OrderStatus.RELEASED:
            return str(row.values["order_no"])
    raise RuntimeError("no released order")


STAFF_ORDERS, STAGED = 6, 2  # as tests/test_concurrency.py: checked, and per later stage


def staff_run(server: str, folder: Path, seconds: float, prefix: str) -> Any:
    """The concurrency test's twenty staff on its seeded site (orders at every stage, see
    ``tests/staff_sim.py``), for ``seconds``."""
    import uuid

    from staff_sim import build_site, run_staff, staff_list

    from workbook.sql import admin, security

    staff = staff_list(20, 8)
    name = f"{prefix}_staff"
    site = fresh_database(server, name)
    admin.import_workbook(build_site(folder / "site.xlsx", STAFF_ORDERS, staff, STAGED), site)
    logins: dict[str, str] = {}
    roles = []
    with psycopg.connect(site, autocommit=True) as conn:
        for member in staff:
            name = f"od_b{uuid.uuid4().hex[:8]}_{member.user}"
            conn.execute(f'CREATE ROLE "{name}" LOGIN IN ROLE {security.DEFAULT_APP_ROLE}')
            roles.append(name)
            parts = urlsplit(site)
            logins[member.user] = urlunsplit(
                parts._replace(netloc=f"{name}@{parts.hostname}:{parts.port}")
            )
        mapping = "; ".join(f"{urlsplit(u).username}={user}" for user, u in logins.items())
        conn.execute(
            "INSERT INTO od_settings (key, value) VALUES (%s, %s)", (security.LOGINS_KEY, mapping)
        )
    try:
        return run_staff(site, folder, staff, seconds, lambda s: logins[s.user])
    finally:
        drop_database(server, name)
        with psycopg.connect(server, autocommit=True) as conn:
            for name in roles:
                conn.execute(f'DROP ROLE IF EXISTS "{name}"')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a PostgreSQL login that creates databases")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 100_000])
    parser.add_argument("--refresh-sizes", type=int, nargs="*", default=[1000])
    parser.add_argument("--no-stats-sizes", type=int, nargs="*", default=[])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--prefix", default="od_bench", help="the databases' names' prefix")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the databases an earlier --keep left"
    )
    parser.add_argument("--parts", nargs="*", choices=PARTS, default=list(PARTS))
    parser.add_argument("--orders-per-customer", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3, help="new orders whose actions are timed")
    args = parser.parse_args(argv)
    results: dict[int, dict[str, Any]] = {}
    for size in args.sizes:
        name = f"{args.prefix}_{size}"
        reused = args.reuse and database_exists(args.url, name)
        url = database_url(args.url, name) if reused else fresh_database(args.url, name)
        with tempfile.TemporaryDirectory() as tmp:
            found: dict[str, Any] = {}
            if reused:
                print(f"{size:,} orders: {name} reused", flush=True)
            else:
                start = time.perf_counter()
                counts = bulk_load(url, size, Path(tmp), args.orders_per_customer)
                found["load"] = load = time.perf_counter() - start
                print(f"{size:,} orders: loaded in {load:.0f} s: {counts}", flush=True)
            if "actions" in args.parts:
                found["actions"] = actions(url, args.rounds)
                print(f"  actions: {_ms(found['actions'])}", flush=True)
            if "stats" in args.parts and size not in args.no_stats_sizes:
                found["stats"] = statistics(url)
                print(f"  statistics of the year: {found['stats'] * 1000:,.0f} ms", flush=True)
            if "refresh" in args.parts and size in args.refresh_sizes:
                found["refresh"] = refresh_after_action(url, Path(tmp))
                print(f"  refresh after one action: {found['refresh']}", flush=True)
        results[size] = found
        if not (args.keep or reused):
            drop_database(args.url, name)
    if len(args.sizes) > 1 and "actions" in args.parts:
        small, large = results[min(args.sizes)], results[max(args.sizes)]
        for action, seconds in large["actions"].items():
            ratio = seconds / small["actions"][action]
            print(f"  {action}: {max(args.sizes):,} / {min(args.sizes):,} orders = {ratio:.2f}")
    if args.seconds and "staff" in args.parts:
        with tempfile.TemporaryDirectory() as tmp:
            run = staff_run(args.url, Path(tmp), args.seconds, args.prefix)
        done = [a for a in run.attempts if a.ok]
        print(
            f"20 staff, {run.seconds:.1f} s: {len(run.attempts)} attempts, {len(done)} done "
            f"({len(done) / run.seconds:.1f}/s), p50 {run.percentile(0.5) * 1000:,.0f} ms, "
            f"p95 {run.percentile(0.95) * 1000:,.0f} ms, errors {len(run.errors)}; "
            f"done: {dict(Counter(a.action for a in done))}"
        )


def _ms(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {v * 1000:,.0f} ms" for k, v in values.items())


if __name__ == "__main__":
    main()
