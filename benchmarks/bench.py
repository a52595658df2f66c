"""Benchmark: what one action costs on a large master workbook.

Builds master workbooks of 1,000 and 10,000 orders (three lines each, every order with its
ledger rows) and prints, for each, the time of ``receive`` of one order and ``check`` of one
order through the file store, beside a plain openpyxl load and save of the same file, and the
peak memory of the process. Run: ``python benchmarks/bench.py [--sizes 1000 10000]``.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from addin.core import ledger
from addin.core.enums import OrderStatus
from addin.core.schema import TABLES
from addin.demo import seed_workbook, write_form
from addin.demo_data import clean_order
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


def timed(label: str, fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<50} {best * 1000:9.0f} ms")
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
            receipt.receive(store, form, user="bench")

    timed(f"{name}: receive one order (read, validate, save)", receive_one)

    def check_one() -> None:
        with opener(path, write=True) as store:
            receipt.check(store, [received.pop(0)], user="bench")

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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--stores", nargs="+", choices=sorted(STORES), default=["file", "patch"])
    args = parser.parse_args()
    run(args.sizes, args.stores)
