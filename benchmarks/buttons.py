"""Benchmark: each ribbon button's Python-side time on a large master workbook.

Opens a master workbook of N orders (built as ``bench.py`` builds them) through xlwings' own
Book/Sheet/Range front end over the tests' openpyxl engine (no Excel here), selects one order
on the orders sheet and presses every button through ``addin.ribbon.run``. It prints, per
button, the wall time, the number of workbook operations (each one a round trip to Excel in
real use) and the first line of the message box it showed; then the import time of the ribbon
module, measured in a fresh interpreter. Run: ``python benchmarks/buttons.py [--orders 10000]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(Path(__file__).resolve().parent)]

import xlwings as xw  # noqa: E402
from bench import build  # noqa: E402
from xlwings_openpyxl import ENGINE, activate  # noqa: E402

from addin import ribbon  # noqa: E402

USER = "周敏"  # order management's manager in the demo roster


def import_time() -> float:
    code = (
        "import time; t = time.perf_counter(); import addin.ribbon; print(time.perf_counter() - t)"
    )
    best = min(
        float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(5)
    )
    return best


def run(orders: int) -> None:
    print(f"Ribbon buttons on {orders:,} orders × 3 lines (xlwings front end, openpyxl engine)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "master.xlsx"
        build(path, orders)
        activate()
        book = xw.Book(path)
        ribbon.current_user = lambda: USER  # type: ignore[assignment]
        print(f"  {'button':<22} {'time':>9} {'operations':>11}  message box (first line)")
        for control_id in ribbon.BUTTONS:
            book.sheets[0].range("A2").select()
            ENGINE.calls.clear()
            alerts = book.app.impl.alerts
            seen = len(alerts)
            start = time.perf_counter()
            ribbon.run(control_id)
            elapsed = time.perf_counter() - start
            said = alerts[-1][0].splitlines()[0] if len(alerts) > seen else ""
            print(
                f"  {control_id:<22} {elapsed * 1000:7.0f} ms {len(ENGINE.calls):>11}  {said[:60]}"
            )
    print(f"\nimport addin.ribbon (fresh interpreter, best of 5): {import_time() * 1000:.0f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=10_000)
    run(parser.parse_args().orders)
