"""A small master workbook for the lifecycle tests: master data, a staff roster with every
department and an approver, and a few orders received and checked.

Building it takes a few file saves, so it is built once per session and copied per test; the
:class:`MemoryStore` runs actions on a loaded copy without saving (the property test's speed).
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from addin.core.enums import (
    REVIEW_DEPARTMENTS,
    Decision,
    Department,
    Opinion,
    OrderStatus,
    Role,
    TrackKind,
    YesNo,
)
from addin.core.problems import RuleError
from addin.core.schema import TABLES
from addin.services import change_review, receipt, release, review, tracking
from addin.services.context import Outcome
from addin.services.inquiry import verify
from addin.services.snapshot import Snapshot
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.store import ChangeSet, Row

RECEIVED = date(2026, 3, 2)  # a Monday
T0 = datetime(2026, 3, 2, 9, 0)
DUE = RECEIVED + timedelta(days=60)

# department → user; MAX is order management's manager (a change approver)
USERS: dict[Department, str] = {
    Department.ORDER_MGMT: "olga",
    Department.SALES: "sara",
    Department.PRODUCTION: "pete",
    Department.TECHNICAL: "tess",
    Department.QUALITY: "quinn",
    Department.PURCHASING: "paco",
}
MANAGER = "max"
STRANGER = "nobody"
OM, SALES, PROD, TECH, QUAL, PURCH = (
    USERS[Department.ORDER_MGMT],
    USERS[Department.SALES],
    USERS[Department.PRODUCTION],
    USERS[Department.TECHNICAL],
    USERS[Department.QUALITY],
    USERS[Department.PURCHASING],
)

# order → lines (product, quantity); every order passes the check
ORDERS: dict[str, list[tuple[str, int]]] = {
    "SO-1": [("P1", 100)],
    "SO-2": [("P1", 50), ("P2", 20)],
    "SO-3": [("P2", 40)],
    "SO-4": [("P1", 30)],
    "SO-5": [("P3", 10)],
    "SO-6": [("P1", 20), ("P3", 5)],
    "SO-7": [("P2", 8)],
    "SO-8": [("P1", 40)],
}
PRODUCTS = {
    "P1": ("Bolt", "M8x40", "fasteners", "pcs", "1.00", "0.80", 10, 10, 14),
    "P2": ("Bearing", "6204", "bearings", "set", "12.00", "10.00", 1, 1, 21),
    "P3": ("Gear", "m2 z18", "gears", "pcs", "50.00", "40.00", 1, 1, 21),
}


def master_changes() -> ChangeSet:
    changes = ChangeSet()
    changes.append(
        "customers",
        {
            "customer_code": "C1",
            "name": "Acme Machines",
            "contact": "Ann",
            "contact_info": "ann@example.com",
            "credit_limit": 10_000_000,
            "currency": "CNY",
            "active": YesNo.YES,
        },
    )
    for code, (name, spec, group, unit, price, floor, lot, minimum, lead) in PRODUCTS.items():
        changes.append(
            "products",
            {
                "product_code": code,
                "name": name,
                "spec": spec,
                "product_group": group,
                "unit": unit,
                "list_price": price,
                "price_floor": floor,
                "lot_size": lot,
                "min_qty": minimum,
                "lead_time_days": lead,
                "active": YesNo.YES,
            },
        )
    for department, name in USERS.items():
        changes.append("staff", {"name": name, "department": department, "role": Role.STAFF})
    changes.append(
        "staff", {"name": MANAGER, "department": Department.ORDER_MGMT, "role": Role.MANAGER}
    )
    return changes


def order_form(path: Path) -> Path:
    header = [
        "order_no", "received_date", "channel", "received_by", "customer_code", "customer_name",
        "contact", "contact_info", "sales_rep", "quality_req", "packaging_req", "transport_req",
        "line_no", "product_code", "product_name", "spec", "quantity", "unit_price",
        "delivery_date", "delivery_place",
    ]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for order_no, lines in ORDERS.items():
        for line_no, (code, qty) in enumerate(lines, start=1):
            name, spec, *_ = PRODUCTS[code]
            writer.writerow(
                [
                    order_no, RECEIVED.isoformat(), "email", OM, "C1", "Acme Machines", "Ann",
                    "ann@example.com", SALES, "GB/T 3098.1", "cartons on pallets", "truck",
                    line_no, code, name, spec, qty, PRODUCTS[code][4],
                    DUE.isoformat(), "Shanghai",
                ]
            )  # fmt: skip
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def build_master(path: Path, lang: str = "en") -> Path:
    create_master_workbook(path, lang)  # type: ignore[arg-type]
    with FileStore.open(path, write=True) as store:
        store.commit(master_changes())
    form = order_form(path.with_suffix(".csv"))
    with FileStore.open(path, write=True) as store:
        receipt.receive(store, form, user=OM, now=T0)
    with FileStore.open(path, write=True) as store:
        receipt.check(store, user=OM, now=T0 + timedelta(hours=1))
    return path


class Clock:
    """Action times: each call is ten minutes after the previous one."""

    def __init__(self, start: datetime = T0 + timedelta(hours=2)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=10)
        return self.now


class Desk:
    """Runs services on one master workbook, a store per action as the command line does.

    On a file (the default) each action opens the file for writing and saves it; ``memory``
    keeps one loaded workbook whose commits apply without saving (the property test's speed).
    """

    def __init__(self, path: Path, out_dir: Path, memory: bool = False) -> None:
        self.path = path
        self.out_dir = out_dir
        self.clock = Clock()
        self._memory = memory_store(path.read_bytes()) if memory else None

    @contextlib.contextmanager
    def open(self, write: bool = False) -> Iterator[FileStore]:
        if self._memory is not None:
            yield self._memory
        else:
            with FileStore.open(self.path, write=write) as store:
                yield store

    def __call__(self, service: Callable[..., Outcome], *args: Any, **kwargs: Any) -> Outcome:
        kwargs.setdefault("now", self.clock())
        with self.open(write=True) as store:
            return service(store, *args, **kwargs)

    def read(self) -> Snapshot:
        with self.open() as store:
            snap = Snapshot(store)
            for table in READ_TABLES:
                snap.records(table)
            snap.orders  # noqa: B018 - parse while the store is open
            snap.lines  # noqa: B018
            snap.settings  # noqa: B018
            return snap

    def status(self, order_no: str) -> OrderStatus | None:
        return self.read().orders[order_no].status

    def state(self) -> Any:
        """What a refusal must leave unchanged: the file's bytes, or every table's rows."""
        if self._memory is None:
            return self.path.read_bytes()
        return {table: self._memory.read(table) for table in TABLES}

    def rows(self, table: str) -> list[Row]:
        with self.open() as store:
            return store.read(table)

    def verify(self) -> list[Any]:
        with self.open() as store:
            return verify(store).problems

    def type_rows(self, changes: ChangeSet) -> None:
        """What staff type straight into the sheets (no action, no ledger row)."""
        with self.open(write=True) as store:
            store.commit(changes)

    # -- the procedure's steps, by the right staff ----------------------------------------------
    def review_pass(self, order_no: str) -> None:
        self(review.start, order_no, user=OM)
        for department in REVIEW_DEPARTMENTS:
            self(review.record, order_no, department, Decision.PASS, None, user=USERS[department])
        self(review.conclude, order_no, user=OM)

    def opinions(self, change_no: str, opinion: Opinion = Opinion.AGREE) -> None:
        """Every concerned department still without an opinion gives one, by its own staff."""
        for row in self.rows("change_reviews"):
            if row.values.get("change_no") != change_no or row.values.get("opinion"):
                continue
            department = Department.parse(row.values["department"])
            by = USERS[department]  # type: ignore[index]
            self(change_review.record, change_no, department, opinion, "ok", user=by)

    def release(self, order_no: str, **kwargs: Any) -> Outcome:
        kwargs.setdefault("user", OM)
        kwargs.setdefault("base_dir", self.path.parent)
        return self(release.release, order_no, self.out_dir, **kwargs)

    def released(self, order_no: str) -> Outcome:
        self.review_pass(order_no)
        return self.release(order_no)

    def track(self, order_no: str, kind: TrackKind, user: str | None = None, **kw: Any) -> Outcome:
        return self(tracking.track, order_no, kind, user=user or TRACKERS[kind], **kw)

    def lines(self, order_no: str) -> list[Any]:
        return sorted(self.read().lines[order_no], key=lambda line: line.line_no)

    def complete(self, order_no: str, accept: bool = True) -> None:
        """Produce, inspect, ship and deliver every line in full (and record acceptance)."""
        for line in self.lines(order_no):
            todo = line.quantity - (line.produced_qty or 0)
            if todo:
                self.track(order_no, TrackKind.PRODUCTION, line_no=line.line_no, quantity=todo)
            todo = line.quantity - (line.passed_qty or 0)
            if todo:
                self.track(
                    order_no, TrackKind.INSPECTION, line_no=line.line_no, quantity=todo, passed=todo
                )
        for kind, done in (
            (TrackKind.SHIPMENT, "shipped_qty"),
            (TrackKind.DELIVERY, "delivered_qty"),
        ):
            for line in self.lines(order_no):
                todo = line.quantity - (getattr(line, done) or 0)
                if todo:
                    self.track(order_no, kind, line_no=line.line_no, quantity=todo)
        if accept:
            self.track(order_no, TrackKind.ACCEPTANCE, remarks="signed")


READ_TABLES = (
    "orders",
    "lines",
    "reviews",
    "task_orders",
    "tracking",
    "changes",
    "versions",
    "ledger",
)
TRACKERS: dict[TrackKind, str] = {
    TrackKind.PRODUCTION: PROD,
    TrackKind.INSPECTION: QUAL,
    TrackKind.MATERIAL: PURCH,
    TrackKind.SHIPMENT: SALES,
    TrackKind.DELIVERY: SALES,
    TrackKind.ACCEPTANCE: SALES,
    TrackKind.DELAY: PROD,
    TrackKind.RECOVERY: PROD,
    TrackKind.RETURN: SALES,
}


class MemoryStore(FileStore):
    """A FileStore whose commit validates and applies without saving: fast, same semantics."""

    def commit(self, changes: ChangeSet) -> None:
        if not changes:
            return
        self._validate(changes)
        self.apply(changes)


def memory_store(data: bytes, name: str = "memory.xlsx") -> MemoryStore:
    return MemoryStore(Path(name), load_workbook(io.BytesIO(data), rich_text=False))


@pytest.fixture(scope="session", name="master_bytes")
def master_bytes_fixture(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = build_master(tmp_path_factory.mktemp("master") / "master.xlsx")
    return path.read_bytes()


@pytest.fixture(name="desk")
def desk_fixture(master_bytes: bytes, tmp_path: Path) -> Desk:
    """The master workbook as a file, one save per action."""
    path = tmp_path / "orders.xlsx"
    path.write_bytes(master_bytes)
    return Desk(path, tmp_path / "task-orders")


@pytest.fixture(name="mem")
def mem_fixture(master_bytes: bytes, tmp_path: Path) -> Desk:
    """The master workbook in memory: the same actions, no saving."""
    path = tmp_path / "orders.xlsx"
    path.write_bytes(master_bytes)
    return Desk(path, tmp_path / "task-orders", memory=True)


def refusal(desk: Desk, service: Callable[..., Outcome], *args: Any, **kwargs: Any) -> list[str]:
    """Run an action that must be refused; check nothing changed; the problems' keys."""
    before = desk.state()
    with pytest.raises(RuleError) as caught:
        desk(service, *args, **kwargs)
    assert desk.state() == before, "a refused action changed the workbook"
    return [p.key for p in caught.value.problems]
