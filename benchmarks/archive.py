"""Benchmark: a master workbook after years of use, archived by the settings' period.

Builds ``--years`` years of orders (``--per-year`` a year; three lines, 13 tracking and 19 ledger
rows an order, as the demo's year of history) straight through the patching store in bulk (not
through the actions: that would take hours), all closed but the last two months' orders (in
production). It is built as a site lives: year by year, and from the second year on
``orderdesk archive`` (the default period, 12 months) runs at each year's end, so the master
never holds more than two years. Prints each year's and each archive's time, the master's size,
``show`` and ``track`` of one order as a ratio to an openpyxl load + save of the same master
(target ≥ 20×) and to the same action on a 1,000-order master built alike (target ≤ 2×), the
dashboard refresh and ``verify`` (asserted clean; archives unchanged, then after the largest
archive was re-saved). With one year nothing is archived: it says so and skips those steps.

Run: ``python benchmarks/archive.py [--years 5] [--per-year 10000]``.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

import bench  # beside this script: its timing helper
from openpyxl import load_workbook

from addin.core import ledger
from addin.core.enums import Department, OrderStatus, TrackKind
from addin.core.schema import TABLES
from addin.demo.data import clean_order
from addin.demo.run import seed_workbook
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet

TODAY = date(2026, 11, 2)
TRACKING_PER_LINE = 4  # with a material fact: 13 tracking rows an order
LEDGER_PER_ORDER = 19
OPEN_DAYS = 60  # orders received in the last two months are still in production
CHUNK = 2_500  # orders a commit while building
timed = partial(bench.timed, width=58)  # its labels are longer


class History:
    """``years × per_year`` orders received evenly up to ``TODAY`` (order ``n`` at ``received(n)``),
    written year by year in time order, the ledger's chain continuing the master's."""

    def __init__(self, path: Path, years: int, per_year: int) -> None:
        self.path, self.years, self.per_year = path, years, per_year
        self.total = years * per_year
        self.start = datetime.combine(TODAY - timedelta(days=365 * years), datetime.min.time())
        self.rng = random.Random(per_year)
        self.open_orders: list[str] = []
        self.last_time = self.start
        seed_workbook(path, "zh", TODAY)

    def received(self, n: int) -> datetime:
        return self.start + timedelta(days=365 * self.years) / self.total * n + timedelta(hours=8)

    def write_year(self, year: int) -> None:
        """Year ``year``'s orders (0-based), a chunk of them a commit."""
        first = year * self.per_year
        for at in range(first, first + self.per_year, CHUNK):
            self._write(range(at, min(at + CHUNK, first + self.per_year)))

    def _write(self, numbers: range) -> None:
        with PatchFileStore.open(self.path, write=True) as store:
            head_row = next(r for r in store.read("settings") if r.values["key"] == ledger.HEAD_KEY)
            chain = ledger.parse_head(str(head_row.values["value"] or "")) or ledger.Chain()
            changes = ChangeSet()
            for n in numbers:
                self._order(changes, chain, n)
            changes.update("settings", head_row.row, "value", chain.head)
            store.commit(changes)

    def _order(self, changes: ChangeSet, chain: ledger.Chain, n: int) -> None:
        order_keys = set(TABLES["orders"].column_keys)
        line_keys = set(TABLES["lines"].column_keys)
        closed = OrderStatus.CLOSED.label("zh")
        in_production = OrderStatus.IN_PRODUCTION.label("zh")
        now = self.received(n)
        received = now.date()
        rows = clean_order(self.rng, f"SO-A{n:06d}", received, lines=3)
        head = {k: v for k, v in rows[0].items() if k in order_keys}
        is_open = (TODAY - received).days < OPEN_DAYS
        last = now + timedelta(hours=LEDGER_PER_ORDER - 1)
        self.last_time = max(self.last_time, last)
        status = OrderStatus.IN_PRODUCTION if is_open else OrderStatus.CLOSED
        head.update(status=status, status_since=last, version=1)
        if not is_open:
            head["final_report_no"] = f"QR-{n:06d}"
        else:
            self.open_orders.append(head["order_no"])
        changes.append("orders", head)
        for line_no, row in enumerate(rows, start=1):
            values = {k: v for k, v in row.items() if k in line_keys}
            values["line_no"] = line_no
            changes.append("lines", values)
            for day in range(TRACKING_PER_LINE):
                if int(values["quantity"]) < 10:
                    continue  # a tenth of the line each time: nothing for so few
                changes.append(
                    "tracking",
                    {
                        "order_no": head["order_no"],
                        "line_no": line_no,
                        "kind": TrackKind.PRODUCTION,
                        "date": received,
                        "quantity": int(values["quantity"]) // 10,
                        "recorded_by": "bench",
                        "recorded_at": now + timedelta(minutes=day),
                    },
                )
        changes.append(
            "tracking",
            {
                "order_no": head["order_no"],
                "kind": TrackKind.MATERIAL,
                "date": received,
                "cause": "steel late",
                "expected_date": received + timedelta(days=10),
                "recorded_by": "bench",
                "recorded_at": now,
            },
        )
        for k in range(LEDGER_PER_ORDER):
            final = k == LEDGER_PER_ORDER - 1
            changes.append(
                "ledger",
                chain.next_row(
                    {
                        "time": now + timedelta(hours=k),
                        "user": "bench",
                        "order_no": head["order_no"],
                        "action": "生产记录",
                        "status_before": in_production,
                        "status_after": closed if final and not is_open else in_production,
                        "details": f"第1行 生产 {k} ({received})",
                    }
                ),
            )


def build(path: Path, years: int, per_year: int) -> list[str]:
    """A master that never archived: every year's orders in it; the open orders' numbers."""
    history = History(path, years, per_year)
    for year in range(years):
        history.write_year(year)
    return history.open_orders


def member(path: Path, department: Department) -> str:
    from addin.services.snapshot import Snapshot

    with PatchFileStore.open(path) as store:
        staff = Snapshot(store).settings.staff
    return next(m.name for m in staff if m.department == department)


def one_order_actions(path: Path, wanted: str) -> tuple[float, float]:
    from addin.services.inquiry import show
    from addin.services.tracking import track

    user = member(path, Department.PRODUCTION)

    def show_one() -> None:
        with PatchFileStore.open(path) as store:
            show(store, wanted)

    def track_one() -> None:
        with PatchFileStore.open(path, write=True) as store:
            track(store, wanted, TrackKind.PRODUCTION, line_no=1, quantity=1, user=user)

    return (
        timed("show one order", show_one),
        timed("track one production fact", track_one),
    )


def live(path: Path, years: int, per_year: int) -> tuple[History, set[Path]]:
    """The master as a site lives it: a year's orders, then from the second year on an
    ``archive`` at the year's end (its default period, 12 months), so the master never holds
    more than two years; the last one on ``TODAY``. Prints the times; the archives' files."""
    from addin.services.archive import archive

    history = History(path, years, per_year)
    om = member(path, Department.ORDER_MGMT)
    files: set[Path] = set()
    writing = archiving = 0.0
    for year in range(years):
        start = time.perf_counter()
        history.write_year(year)
        writing += time.perf_counter() - start
        size = path.stat().st_size / 1e6
        print(f"  year {year + 1}: written in {time.perf_counter() - start:.0f} s ({size:.1f} MB)")
        if year == 0:
            continue
        last = year == years - 1
        # After the year's last ledger row (the ledger stays in time order); the last on TODAY.
        now = datetime.combine(TODAY, datetime.min.time()) if last else history.last_time
        now += timedelta(hours=0 if last else 1)
        start = time.perf_counter()
        outcome = archive(path, user=om, now=now)
        took = time.perf_counter() - start
        archiving += took
        files.update(outcome.files)
        print(
            f"  archive on {now:%Y-%m-%d}: {outcome.data['orders']:,} orders, "
            f"{outcome.data['ledger']:,} ledger rows in {took:.0f} s "
            f"(master then {path.stat().st_size / 1e6:.1f} MB)",
            flush=True,
        )
    print(f"  writing the orders {writing:.0f} s; archiving {archiving:.0f} s")
    return history, files


def main(years: int, per_year: int) -> None:
    from addin.services.inquiry import verify
    from addin.services.statistics import refresh

    print(
        f"Archive benchmark: {years} years × {per_year:,} orders — Python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        master = Path(tmp) / "orders.xlsx"
        history, files = live(master, years, per_year)
        with PatchFileStore.open(master) as store:
            left = len(store.read("orders"))
        print(f"  master after archiving: {left:,} orders, {master.stat().st_size / 1e6:.1f} MB")
        for file in sorted(files):
            print(f"    {file.name}: {file.stat().st_size / 1e6:.1f} MB")
        if not files:  # one year: the first archive runs at the second year's end
            print("  no archive made: the steps that need one are skipped")
        open_orders = history.open_orders
        om = member(master, Department.ORDER_MGMT)

        def load_save() -> None:
            wb = load_workbook(master)
            wb.save(io.BytesIO())

        baseline = timed("openpyxl load + save of the master (baseline)", load_save, repeat=1)
        wanted = open_orders[len(open_orders) // 2]
        show_s, track_s = one_order_actions(master, wanted)

        small = Path(tmp) / "small.xlsx"
        small_open = build(small, 1, 1000)
        print(f"  1,000-order master: {small.stat().st_size / 1e6:.1f} MB")
        small_show, small_track = one_order_actions(small, small_open[len(small_open) // 2])

        def dashboard() -> None:
            with PatchFileStore.open(master, write=True) as store:
                refresh(store, user=om)

        def verify_all() -> None:
            with PatchFileStore.open(master) as store:
                assert verify(store).problems == []

        timed("dashboard refresh of the master", dashboard, repeat=1)
        if not files:
            timed("verify master (no archives)", verify_all, repeat=1)
        else:
            timed("verify master + archives (archives unchanged)", verify_all, repeat=1)
            touched = max(files, key=lambda f: f.stat().st_size)
            wb = load_workbook(touched)
            wb.save(touched)  # the same rows, another file: its digest differs, so it is re-read
            timed("verify after one archive was re-saved (read in full)", verify_all, repeat=1)
        print(
            f"  ratios: load+save / show {baseline / show_s:.0f}×, / track {baseline / track_s:.0f}×;"
            f" show / 1,000-order show {show_s / small_show:.2f}×,"
            f" track / 1,000-order track {track_s / small_track:.2f}×"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--per-year", type=int, default=10_000)
    args = parser.parse_args()
    main(args.years, args.per_year)
