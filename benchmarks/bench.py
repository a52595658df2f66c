"""Benchmark: what one action costs on a large master workbook, and what the statistics cost.

Workbook section: builds master workbooks of 1,000 and 10,000 orders (three lines each, every
order with its ledger rows) and prints, for each, the time of ``receive`` of one order and
``check`` of one order through the file store, beside a plain openpyxl load and save of the
same file, and the peak memory of the process.

Statistics section: generates 10,000 and 100,000 orders of three lines in memory, as the parsed
records the statistics get (tracking rows from production to acceptance with rejects, delays and
shortages, complaints, ledger rows; 24 months, most orders finished, the recent ones open), and
prints the time of ``StatsInput.from_records`` and of ``compute_frames`` (best of 3) and the
memory each allocates at its peak. Generating a workbook that large would take longer than
reading it; the time to read the tables from a real workbook is measured at 10,000 orders.

Actions section: builds master workbooks with a year's history per 270 orders (three lines,
13 tracking and 19 ledger rows an order, as the demo's) at 270, 1,000 and 3,000 orders and times
``show`` and ``track`` of one order through the patching store (in process: imports not
counted), which read only that order's rows.

Run: ``python benchmarks/bench.py [--sections workbook stats actions] [--sizes 1000 10000]
[--stats-sizes 10000 100000] [--action-sizes 270 1000 3000]``.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from addin.core import ledger
from addin.core.enums import OrderStatus, TrackKind
from addin.core.models import Complaint, LedgerEntry, Order, OrderLine, Product, TrackingEntry
from addin.core.schema import TABLES
from addin.core.statistics import StatsInput
from addin.core.stats_figures import compute_frames
from addin.demo.data import clean_order
from addin.demo.run import seed_workbook, write_form
from addin.services import receipt
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet

TODAY = date(2026, 11, 2)


def build(path: Path, orders: int) -> None:
    """A master workbook with ``orders`` checked orders of three lines, written in one commit."""
    seed_workbook(path, "zh", TODAY)
    rng = random.Random(orders)
    chain = ledger.Chain()
    changes = ChangeSet()
    now = datetime(2026, 11, 2, 9, 0)
    order_keys = set(TABLES["orders"].column_keys)
    line_keys = set(TABLES["lines"].column_keys)
    for n in range(orders):
        rows = clean_order(rng, f"SO-B{n:06d}", TODAY - timedelta(days=rng.randint(0, 60)), lines=3)
        head = {k: v for k, v in rows[0].items() if k in order_keys}
        head.update(status=OrderStatus.CHECKED, status_since=now, version=1)
        changes.append("orders", head)
        for row in rows:
            changes.append("lines", {k: v for k, v in row.items() if k in line_keys})
        for before, after, action in (
            (None, OrderStatus.RECEIVED, "接收"),
            (OrderStatus.RECEIVED, OrderStatus.CHECKED, "初审"),
        ):
            changes.append(
                "ledger",
                chain.next_row(
                    {
                        "time": now,
                        "user": "bench",
                        "order_no": head["order_no"],
                        "action": action,
                        "status_before": before.label("zh") if before else None,
                        "status_after": after.label("zh"),
                        "details": "",
                    }
                ),
            )
    with FileStore.open(path, write=True) as store:
        head_row = next(r.row for r in store.read("settings") if r.values["key"] == ledger.HEAD_KEY)
        changes.update("settings", head_row, "value", chain.head)
        store.commit(changes)


def timed(label: str, fn: Callable[[], object], repeat: int = 3, width: int = 50) -> float:
    """The best of ``repeat`` runs of ``fn``, printed after ``label``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<{width}} {best * 1000:9.0f} ms")
    return best


STORES = {"file": FileStore.open, "patch": PatchFileStore.open}


NEW_ORDERS = itertools.count()  # numbers of the orders received, across stores and sizes


def measure(path: Path, tmp: Path, name: str) -> None:
    opener = STORES[name]

    def plain() -> None:
        wb = load_workbook(path)
        wb.save(path)

    if name == "file":
        timed("openpyxl load + save (baseline)", plain)
    rng = random.Random(1)
    received: list[str] = []

    def receive_one() -> None:
        form = tmp / "one.csv"
        received.append(f"SO-NEW{next(NEW_ORDERS):05d}")
        write_form(form, clean_order(rng, received[-1], TODAY, lines=3), "zh")
        with opener(path, write=True) as store:
            receipt.receive(store, form, user="孙丽")

    timed(f"{name}: receive one order (read, validate, save)", receive_one)

    def check_one() -> None:
        with opener(path, write=True) as store:
            receipt.check(store, [received.pop(0)], user="孙丽")

    timed(f"{name}: check one order (read, check, save)", check_one)

    def read_only() -> None:
        with opener(path) as store:
            store.read("orders")
            store.read("lines")

    timed(f"{name}: read orders + lines (no save)", read_only)


def run(sizes: list[int], stores: list[str]) -> None:
    print(f"OrderDesk benchmark — Python {sys.version.split()[0]}, best of 3")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"bench-{size}.xlsx"
            start = time.perf_counter()
            build(path, size)
            mb = path.stat().st_size / 1e6
            print(
                f"\n{size:,} orders × 3 lines: {mb:.1f} MB, built in {time.perf_counter() - start:.1f} s"
            )
            for name in stores:
                measure(path, Path(tmp), name)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (RSS): {peak:.0f} MB")


# -- statistics -------------------------------------------------------------------------------
S = OrderStatus
K = TrackKind
STATS_TODAY = date(2026, 11, 2)
DELAY_CAUSES = ("machine breakdown", "mould repair", "staff shortage", "power cut", "rework")
MATERIAL_CAUSES = ("steel late", "supplier capacity", "customs hold")
REJECT_CAUSES = ("burr", "crack", "dimension", "surface")


@dataclass
class Records:
    """Parsed records as the statistics get them from the snapshot."""

    orders: list[Order] = field(default_factory=list)
    lines: list[OrderLine] = field(default_factory=list)
    tracking: list[TrackingEntry] = field(default_factory=list)
    complaints: list[Complaint] = field(default_factory=list)
    ledger: list[LedgerEntry] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)


def stats_records(orders: int, seed: int = 7) -> Records:
    """``orders`` orders of three lines received over 24 months up to ``STATS_TODAY``, each
    carried as far as its age allows: review, release, production and inspection (one line in
    ten rejected in part and reworked), shipment, delivery, acceptance, closure; some delays
    (most recovered), material shortages (most arrived), cancellations and rejections, a
    complaint on one delivered order in thirty. A few recent rows are typed and not yet
    recorded."""
    rng = random.Random(seed)
    out = Records()
    products = [
        Product.model_construct(
            product_code=f"P{n:04d}",
            name=f"Product {n}",
            product_group=f"G{n % 12}",
            lead_time_days=rng.choice((None, 10, 20, 30, 45)),
        )
        for n in range(400)
    ]
    out.products = products
    customers = [(f"C{n:04d}", f"Customer {n}") for n in range(600)]
    reps = [f"Rep{n}" for n in range(15)]
    seq = itertools.count(1)
    row = itertools.count(2)
    day = timedelta(days=1)
    for n in range(orders):
        no = f"SO-{n:07d}"
        received = STATS_TODAY - rng.randint(0, 730) * day
        code, name = rng.choice(customers)
        status_days: list[tuple[OrderStatus, date]] = [(S.RECEIVED, received)]
        track: list[dict[str, Any]] = []

        fate = rng.random()
        checked = received + rng.randint(0, 2) * day
        passed = checked + rng.randint(1, 5) * day
        lines = []
        for line_no, product in enumerate(rng.sample(products, 3), start=1):
            quantity = rng.randint(1, 100) * 10
            lines.append(
                OrderLine.model_construct(
                    order_no=no,
                    line_no=line_no,
                    product_code=product.product_code,
                    product_name=product.name,
                    quantity=quantity,
                    unit_price=Decimal(rng.randint(50, 50_000)) / 100,
                    delivery_date=received + rng.randint(25, 60) * day,
                    row=next(row),
                )
            )
        _step(status_days, S.CHECKED, checked) and _step(status_days, S.IN_REVIEW, checked + day)
        if fate < 0.03:
            _step(status_days, S.CANCELLED, checked + 2 * day)
        elif fate < 0.05:
            _step(status_days, S.REJECTED, passed)
        elif _step(status_days, S.REVIEW_PASSED, passed) and _step(
            status_days, S.RELEASED, released := passed + 2 * day
        ):
            track.extend(_execution(rng, lines, released, status_days))
        out.orders.append(
            Order.model_construct(
                order_no=no,
                received_date=received,
                customer_code=code,
                customer_name=name,
                sales_rep=rng.choice(reps),
                currency="USD" if rng.random() < 0.1 else "CNY",
                status=status_days[-1][0],
            )
        )
        out.lines.extend(lines)
        track.sort(key=lambda values: values["date"])
        for values in track:
            typed = values["date"] > STATS_TODAY - 3 * day and rng.random() < 0.3
            out.tracking.append(
                TrackingEntry.model_construct(
                    order_no=no,
                    row=next(row),
                    recorded_at=None if typed else datetime.combine(values["date"], TIME_17),
                    **values,
                )
            )
        before = None
        for status, when in status_days:
            out.ledger.append(
                LedgerEntry.model_construct(
                    seq=next(seq),
                    time=datetime.combine(when, TIME_17),
                    user="bench",
                    order_no=no,
                    action="bench",
                    status_before=before.label("zh") if before else None,
                    status_after=status.label("zh"),
                    hash="-",
                )
            )
            before = status
        delivered = dict(status_days).get(S.DELIVERED)
        if delivered and rng.random() < 1 / 30:
            out.complaints.append(
                Complaint.model_construct(
                    complaint_no=f"CP-{n}",
                    order_no=no,
                    date=min(delivered + rng.randint(1, 30) * day, STATS_TODAY),
                    customer_code=code,
                )
            )
    return out


TIME_17 = datetime.min.time().replace(hour=17)


def _step(status_days: list[tuple[OrderStatus, date]], status: OrderStatus, when: date) -> bool:
    """The order reaches ``status`` on ``when``, unless that is after today."""
    if when > STATS_TODAY:
        return False
    status_days.append((status, when))
    return True


def _execution(
    rng: random.Random,
    lines: list[OrderLine],
    released: date,
    status_days: list[tuple[OrderStatus, date]],
) -> list[dict[str, Any]]:
    """The tracking rows of a released order up to today; its statuses appended."""
    day = timedelta(days=1)
    rows: list[dict[str, Any]] = []
    if rng.random() < 0.05:
        cause = rng.choice(MATERIAL_CAUSES)
        expected = released + rng.randint(5, 40) * day
        rows.append(
            {"kind": K.MATERIAL, "date": released, "cause": cause, "expected_date": expected}
        )
        if rng.random() < 0.8 and expected <= STATS_TODAY:
            rows.append({"kind": K.MATERIAL, "date": expected, "quantity": 100})
    stages: dict[str, list[date]] = {
        "produced": [],
        "inspected": [],
        "shipped": [],
        "delivered": [],
    }
    for line in lines:
        qty = line.quantity or 0
        made = released + rng.randint(3, 25) * day
        if made > STATS_TODAY:
            continue
        rows.append({"kind": K.PRODUCTION, "line_no": line.line_no, "date": made, "quantity": qty})
        if rng.random() < 0.08:
            late = made + rng.randint(0, 5) * day
            recovers = late + rng.randint(3, 30) * day
            rows.append(
                {
                    "kind": K.DELAY,
                    "line_no": line.line_no,
                    "date": late,
                    "cause": rng.choice(DELAY_CAUSES),
                    "measures": "overtime",
                    "expected_date": recovers,
                }
            )
            if rng.random() < 0.85 and recovers <= STATS_TODAY:
                rows.append({"kind": K.RECOVERY, "line_no": line.line_no, "date": recovers})
        stages["produced"].append(made)
        checked = made + rng.randint(1, 3) * day
        if checked > STATS_TODAY:
            continue
        rejected = rng.randint(1, max(1, qty // 10)) if rng.random() < 0.1 else 0
        rows.append(
            {
                "kind": K.INSPECTION,
                "line_no": line.line_no,
                "date": checked,
                "quantity": qty,
                "passed_qty": qty - rejected,
                "rejected_qty": rejected,
                "cause": rng.choice(REJECT_CAUSES) if rejected else None,
            }
        )
        if rejected:  # reworked and inspected again
            checked += rng.randint(1, 4) * day
            if checked > STATS_TODAY:
                continue
            rows.append(
                {
                    "kind": K.INSPECTION,
                    "line_no": line.line_no,
                    "date": checked,
                    "quantity": rejected,
                    "passed_qty": rejected,
                    "rejected_qty": 0,
                }
            )
        stages["inspected"].append(checked)
        shipped = checked + rng.randint(1, 6) * day
        if shipped > STATS_TODAY:
            continue
        rows.append({"kind": K.SHIPMENT, "line_no": line.line_no, "date": shipped, "quantity": qty})
        stages["shipped"].append(shipped)
        arrived = shipped + rng.randint(1, 8) * day
        if arrived > STATS_TODAY:
            continue
        rows.append({"kind": K.DELIVERY, "line_no": line.line_no, "date": arrived, "quantity": qty})
        stages["delivered"].append(arrived)
    if stages["produced"]:
        status_days.append((S.IN_PRODUCTION, min(stages["produced"])))
    for status, key in (
        (S.INSPECTED, "inspected"),
        (S.SHIPPED, "shipped"),
        (S.DELIVERED, "delivered"),
    ):
        if len(stages[key]) == len(lines):
            status_days.append((status, max(stages[key])))
    if len(stages["delivered"]) == len(lines):
        accepted = max(stages["delivered"]) + rng.randint(1, 7) * day
        if accepted <= STATS_TODAY:
            rows.append({"kind": K.ACCEPTANCE, "date": accepted})
            status_days.append((S.ACCEPTED, accepted))
            closed = accepted + rng.randint(1, 14) * day
            if closed <= STATS_TODAY:
                status_days.append((S.CLOSED, closed))
    return rows


def _peak(fn: Callable[[], object]) -> float:
    """MB allocated at the peak of one call (tracemalloc; numpy and pandas buffers included)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def run_stats(sizes: list[int], workbook: bool) -> None:
    print(f"\nStatistics — Python {sys.version.split()[0]}, best of 3")
    for size in sizes:
        stats_size(size, workbook and size <= 10_000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (RSS): {peak:.0f} MB")


def stats_size(size: int, workbook: bool) -> None:
    start = time.perf_counter()
    records = stats_records(size)
    print(
        f"\n{size:,} orders × 3 lines in memory: {len(records.tracking):,} tracking rows, "
        f"{len(records.ledger):,} ledger rows, {len(records.complaints):,} complaints "
        f"(generated in {time.perf_counter() - start:.1f} s)"
    )

    def frames() -> StatsInput:
        return StatsInput.from_records(
            records.orders,
            records.lines,
            records.tracking,
            records.complaints,
            records.ledger,
            records.products,
        )

    inp = frames()
    period = (date(2026, 1, 1), date(2026, 10, 31))

    def figures() -> Any:
        return compute_frames(inp, *period, as_of=STATS_TODAY)

    timed("StatsInput.from_records", frames)
    timed("compute_frames", figures)
    print(f"  {'peak allocated: from_records':<50} {_peak(frames):9.0f} MB")
    print(f"  {'peak allocated: compute_frames':<50} {_peak(figures):9.0f} MB")
    stats = figures()
    print(
        f"  figures: {stats.orders:,} orders, on time {stats.on_time.value:.3f}, "
        f"quality {stats.quality.value:.3f}, complaints {stats.complaint_rate.value:.3f}, "
        f"{len(stats.overdue):,} overdue, {len(stats.at_risk):,} at risk, "
        f"backlog {[b.orders for b in stats.backlog]}"
    )
    if workbook:
        read_workbook(records)


def read_workbook(records: Records) -> None:
    """Write the records to a master workbook, then time reading them back as the statistics
    service does (the snapshot's parsed records) and the figures from them."""
    from addin.services.statistics import figures
    from workbook.open import open_workbook

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stats.xlsx"
        seed_workbook(path, "zh", STATS_TODAY)
        changes = ChangeSet()
        for table, rows in (
            ("products", records.products),
            ("orders", records.orders),
            ("lines", records.lines),
            ("tracking", records.tracking),
            ("complaints", records.complaints),
            ("ledger", records.ledger),
        ):
            keys = set(TABLES[table].column_keys)
            for record in rows:
                changes.append(table, {k: v for k, v in record.__dict__.items() if k in keys})
        start = time.perf_counter()
        with FileStore.open(path, write=True) as store:
            store.commit(changes)
        print(f"  {'(workbook written in':<50} {time.perf_counter() - start:9.0f} s)")

        def read() -> None:
            # as orderdesk stats does: the patching store, the service's snapshot and compute
            with open_workbook(path) as store:
                figures(store, now=datetime.combine(STATS_TODAY, datetime.min.time()))

        timed("orderdesk stats: read, parse and compute", read, repeat=1)


# -- one order's actions on a workbook with history -------------------------------------------
ACTION_TODAY = date(2026, 11, 2)
TRACKING_PER_LINE = 4  # production facts of each line; with a material fact, 13 rows an order
LEDGER_PER_ORDER = 19  # the demo history's year: about 13 tracking and 19 ledger rows an order


def build_history(path: Path, orders: int) -> list[str]:
    """A master workbook with ``orders`` orders in production (three lines each) and their
    tracking and ledger rows, in the proportions of a year of the demo's history."""
    seed_workbook(path, "zh", ACTION_TODAY)
    rng = random.Random(orders)
    chain = ledger.Chain()
    changes = ChangeSet()
    order_keys = set(TABLES["orders"].column_keys)
    line_keys = set(TABLES["lines"].column_keys)
    numbers: list[str] = []
    for n in range(orders):
        received = ACTION_TODAY - timedelta(days=rng.randint(20, 360))
        rows = clean_order(rng, f"SO-H{n:06d}", received, lines=3)
        head = {k: v for k, v in rows[0].items() if k in order_keys}
        now = datetime.combine(received, datetime.min.time()) + timedelta(hours=9)
        head.update(status=OrderStatus.IN_PRODUCTION, status_since=now, version=1)
        changes.append("orders", head)
        numbers.append(head["order_no"])
        for line_no, row in enumerate(rows, start=1):
            values = {k: v for k, v in row.items() if k in line_keys}
            values["line_no"] = line_no
            changes.append("lines", values)
            for step in range(TRACKING_PER_LINE):
                changes.append(
                    "tracking",
                    {
                        "order_no": head["order_no"],
                        "line_no": line_no,
                        "kind": TrackKind.PRODUCTION,
                        "date": received + timedelta(days=step + 1),
                        "quantity": max(1, int(values["quantity"]) // 10),
                        "recorded_by": "bench",
                        "recorded_at": now + timedelta(days=step + 1),
                    },
                )
        changes.append(
            "tracking",
            {
                "order_no": head["order_no"],
                "kind": TrackKind.MATERIAL,
                "date": received + timedelta(days=1),
                "cause": "steel late",
                "expected_date": received + timedelta(days=10),
                "recorded_by": "bench",
                "recorded_at": now,
            },
        )
        for step in range(LEDGER_PER_ORDER):
            changes.append(
                "ledger",
                chain.next_row(
                    {
                        "time": now + timedelta(hours=step),
                        "user": "bench",
                        "order_no": head["order_no"],
                        "action": "生产记录",
                        "status_before": OrderStatus.IN_PRODUCTION.label("zh"),
                        "status_after": OrderStatus.IN_PRODUCTION.label("zh"),
                        "details": f"第1行 生产 {step} ({received})",
                    }
                ),
            )
    with PatchFileStore.open(path, write=True) as store:
        head_row = next(r.row for r in store.read("settings") if r.values["key"] == ledger.HEAD_KEY)
        changes.update("settings", head_row, "value", chain.head)
        store.commit(changes)
    return numbers


def run_actions(sizes: list[int]) -> None:
    """``show`` and ``track`` of one order (the command line's store, in process: imports not
    counted) on workbooks whose other orders' rows the action does not need."""
    print(f"\nOne order's actions on a workbook with history — Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            measure_actions(Path(tmp) / f"history-{size}.xlsx", size)


def measure_actions(path: Path, size: int) -> None:
    from addin.core.enums import Department
    from addin.services.inquiry import show
    from addin.services.snapshot import Snapshot
    from addin.services.tracking import track

    start = time.perf_counter()
    numbers = build_history(path, size)
    with PatchFileStore.open(path) as store:
        counts = {t: len(store.read(t)) for t in ("tracking", "ledger")}
        staff = Snapshot(store).settings.staff
    user = next(m.name for m in staff if m.department == Department.PRODUCTION)
    print(
        f"\n{size:,} orders × 3 lines, {counts['tracking']:,} tracking and "
        f"{counts['ledger']:,} ledger rows: {path.stat().st_size / 1e6:.1f} MB, "
        f"built in {time.perf_counter() - start:.1f} s"
    )
    wanted = numbers[len(numbers) // 2]

    def show_one() -> None:
        with PatchFileStore.open(path) as store:
            show(store, wanted)

    def track_one() -> None:
        with PatchFileStore.open(path, write=True) as store:
            track(store, wanted, TrackKind.PRODUCTION, line_no=1, quantity=1, user=user)

    timed("patch: show one order (read only)", show_one)
    timed("patch: track one production fact (read, check, save)", track_one)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sections",
        nargs="+",
        choices=["workbook", "stats", "actions"],
        default=["workbook", "stats", "actions"],
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--stores", nargs="+", choices=sorted(STORES), default=["file", "patch"])
    parser.add_argument("--stats-sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--action-sizes", type=int, nargs="+", default=[270, 1000, 3000])
    parser.add_argument(
        "--no-stats-workbook", action="store_true", help="skip reading a statistics workbook"
    )
    args = parser.parse_args()
    if "workbook" in args.sections:
        run(args.sizes, args.stores)
    if "stats" in args.sections:
        run_stats(args.stats_sizes, not args.no_stats_workbook)
    if "actions" in args.sections:
        run_actions(args.action_sizes)
