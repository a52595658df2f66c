"""The workbook as other programs see it: python-calamine (Rust reader) and LibreOffice."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from foundation_fixtures import (
    LANGS,
    column_index,
    copy_of,
    demo_workbook,
    edit,
    new_workbook,
    read,
    read_all,
    sheet,
)
from openpyxl.utils import get_column_letter
from soffice import CSV_ALL_SHEETS, convert, require_soffice

from addin.core import ledger
from addin.core.archive import BASE_KEY
from addin.core.enums import OrderStatus
from addin.core.parse import parse_table
from addin.core.schema import SHEETS, TABLES
from addin.i18n import t
from addin.services.inquiry import verify
from workbook.file_store import FileStore
from workbook.headers import map_headers
from workbook.store import ChangeSet, Row

calamine = pytest.importorskip("python_calamine", reason="python-calamine is a test dependency")

__all__ = ["demo_workbook"]  # a fixture, used by name

FORMULA_LIKE = ["=SUM(1,2)", "+86 21 5566 7788", "-5", "@home", "=1/0"]


# -- python-calamine --------------------------------------------------------------------------------
def _calamine_rows(path: Path) -> dict[str, list[Row]]:
    """Every table's rows as calamine reads them (its own XML and table parsing)."""
    book = calamine.CalamineWorkbook.from_path(str(path), load_tables=True)
    out: dict[str, list[Row]] = {}
    for key, table in TABLES.items():
        found = book.get_table_by_name(table.name)
        positions, missing = map_headers(table, list(found.columns))
        assert missing == [], (key, missing)
        first_row = found.start[0] + 1  # calamine: 0-based (row, column) of the first data cell
        out[key] = [
            Row(first_row + offset, {k: values[p] for k, p in positions.items()})
            for offset, values in enumerate(found.to_python())
            if any(v not in ("", None) for v in values)
        ]
    return out


def _parsed(rows: dict[str, list[Row]]) -> dict[str, tuple[list[Any], list[Any]]]:
    """Records and problems of every table, through the one parser the stores feed."""
    return {
        key: parse_table(key, table_rows, lambda raw: {"currency": "CNY"})
        for key, table_rows in rows.items()
    }


def test_calamine_sees_the_sheets_tables_and_headers(demo_workbook: Path) -> None:
    book = calamine.CalamineWorkbook.from_path(str(demo_workbook), load_tables=True)
    assert book.sheet_names == [t(f"sheet.{s}", "zh") for s in SHEETS]
    assert sorted(book.table_names) == sorted(table.name for table in TABLES.values())
    for table in TABLES.values():
        found = book.get_table_by_name(table.name)
        assert found.sheet == t(f"sheet.{table.sheet}", "zh")
        assert list(found.columns) == [c.label(table.key, "zh") for c in table.columns]
        assert found.start[1] == table.first_column - 1


def test_calamine_reads_the_same_records_as_openpyxl(demo_workbook: Path) -> None:
    theirs, ours = _parsed(_calamine_rows(demo_workbook)), _parsed(read_all(demo_workbook))
    for key in TABLES:
        records, problems = theirs[key]
        assert [r.model_dump() | {"row": r.row} for r in records] == [
            r.model_dump() | {"row": r.row} for r in ours[key][0]
        ], key
        assert problems == ours[key][1], key  # the demo's typo, at the same cell for both
    assert len(theirs["ledger"][0]) == len(read(demo_workbook, "ledger")) > 0
    assert len(theirs["orders"][0]) == len(read(demo_workbook, "orders")) > 0


def test_the_ledger_read_by_calamine_verifies(demo_workbook: Path) -> None:
    parsed = _parsed(_calamine_rows(demo_workbook))
    settings = {s.key: s.value for s in parsed["settings"][0]}
    base = ledger.parse_head(settings.get(BASE_KEY))  # the demo archived its first rows
    found = ledger.verify(
        parsed["ledger"][0], settings[ledger.HEAD_KEY], parsed["orders"][0], base=base
    )
    assert found == []


def test_pandas_with_calamine_reads_the_orders_sheet(demo_workbook: Path) -> None:
    import pandas as pd

    frame = pd.read_excel(demo_workbook, sheet_name=t("sheet.orders", "zh"), engine="calamine")
    orders = read(demo_workbook, "orders")
    assert list(frame.columns) == [c.label("orders", "zh") for c in TABLES["orders"].columns]
    assert frame[t("col.orders.order_no", "zh")].tolist() == [r.values["order_no"] for r in orders]
    assert frame[t("col.orders.status", "zh")].tolist() == [r.values["status"] for r in orders]
    received = pd.to_datetime(frame[t("col.orders.received_date", "zh")]).dt.date.tolist()
    assert received == [r.values["received_date"].date() for r in orders]


@pytest.fixture(scope="module")
def formula_like(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = new_workbook(tmp_path_factory.mktemp("formula-like"), "en", "formula-like.xlsx")
    with FileStore.open(path, write=True) as store:
        changes = ChangeSet()
        for n, text in enumerate(FORMULA_LIKE, start=1):
            changes.append("orders", {"order_no": f"SO{n}", "remarks": text, "contact": text})
        store.commit(changes)
    return path


def test_calamine_reads_formula_like_text_as_the_text(formula_like: Path) -> None:
    book = calamine.CalamineWorkbook.from_path(str(formula_like), load_tables=True)
    found = book.get_table_by_name(TABLES["orders"].name)
    positions, _ = map_headers(TABLES["orders"], list(found.columns))
    rows = found.to_python()
    assert [r[positions["remarks"]] for r in rows] == FORMULA_LIKE
    assert [r[positions["contact"]] for r in rows] == FORMULA_LIKE


# -- LibreOffice ----------------------------------------------------------------------------------
def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _late_rows(directory: Path) -> Path:
    """Orders and lines around today, with the conditional formats' formulas copied into cells
    beside the tables, so that LibreOffice computes what the formats would show."""
    path = new_workbook(directory, "zh", "late.xlsx")
    today = date.today()
    cases = [
        ("LATE", today - timedelta(days=3), OrderStatus.CHECKED, 10, 0),
        ("DONE", today - timedelta(days=3), OrderStatus.CLOSED, 10, 10),
        ("CANC", today - timedelta(days=3), OrderStatus.CANCELLED, 10, 0),
        ("DELIV", today - timedelta(days=3), OrderStatus.DELIVERED, 10, 10),
        ("SOON", today + timedelta(days=3), OrderStatus.RELEASED, 10, 0),
        ("NODATE", None, OrderStatus.RECEIVED, 10, 0),
    ]
    with FileStore.open(path, write=True) as store:
        changes = ChangeSet()
        for no, due, status, qty, delivered in cases:
            changes.append("orders", {"order_no": no, "due_date": due, "status": status})
            changes.append(
                "lines",
                {
                    "order_no": no,
                    "line_no": 1,
                    "quantity": qty,
                    "delivered_qty": delivered,
                    "delivery_date": due,
                },
            )
        store.commit(changes)

    def copy_rules(wb: Any) -> None:
        for key in ("orders", "lines"):
            ws = sheet(wb, key)
            (rule,) = next(iter(ws.conditional_formatting)).rules
            probe = get_column_letter(max(column_index(ws, key).values()) + 2)
            for row in range(2, 2 + len(cases)):
                formula = re.sub(r"\$([A-Z]+)2\b", rf"$\g<1>{row}", rule.formula[0])
                ws[f"{probe}{row}"] = f"={formula}"

    edit(path, copy_rules)
    return path


@pytest.fixture(scope="module")
def libreoffice(
    tmp_path_factory: pytest.TempPathFactory, demo_workbook: Path, formula_like: Path
) -> dict[str, Path]:
    """One LibreOffice run to CSV (every sheet) and one to xlsx, on copies of the workbooks."""
    require_soffice()
    base = tmp_path_factory.mktemp("libreoffice")
    profile = base / "profile"
    src = base / "src"
    src.mkdir()
    demo = copy_of(demo_workbook, src, "demo.xlsx")
    files = [demo, copy_of(formula_like, src), _late_rows(src)]
    convert(CSV_ALL_SHEETS, files, base / "csv", profile)
    convert("xlsx", [demo], base / "xlsx", profile)
    for archive in src.glob("*-archive-*.xlsx"):  # the archives the master records, beside it
        shutil.copy2(archive, base / "xlsx" / archive.name)
    return {"csv": base / "csv", "xlsx": base / "xlsx" / "demo.xlsx", "demo": demo}


def test_libreoffice_loads_every_sheet_of_the_demo(libreoffice: dict[str, Path]) -> None:
    demo = libreoffice["demo"]
    for sheet_key in SHEETS:
        title = t(f"sheet.{sheet_key}", "zh")
        assert (libreoffice["csv"] / f"demo-{title}.csv").exists(), title
    orders = _csv(libreoffice["csv"] / f"demo-{t('sheet.orders', 'zh')}.csv")
    assert orders[0] == [c.label("orders", "zh") for c in TABLES["orders"].columns]
    assert [r[0] for r in orders[1:] if r and r[0]] == [
        r.values["order_no"] for r in read(demo, "orders")
    ]
    entries = _csv(libreoffice["csv"] / f"demo-{t('sheet.ledger', 'zh')}.csv")
    cells = read(demo, "ledger")
    at = TABLES["ledger"].column_keys.index("hash")
    assert [(int(r[0]), r[at]) for r in entries[1:] if r and r[0]] == [
        (r.values["seq"], r.values["hash"]) for r in cells
    ]


def test_libreoffice_shows_formula_like_text_as_text(libreoffice: dict[str, Path]) -> None:
    rows = _csv(libreoffice["csv"] / f"formula-like-{t('sheet.orders', 'en')}.csv")
    header = rows[0]
    remarks = header.index(t("col.orders.remarks", "en"))
    contact = header.index(t("col.orders.contact", "en"))
    assert [r[remarks] for r in rows[1:] if r and r[0]] == FORMULA_LIKE  # not 3, not #DIV/0!
    assert [r[contact] for r in rows[1:] if r and r[0]] == FORMULA_LIKE


def test_late_open_orders_are_the_ones_the_formats_mark(libreoffice: dict[str, Path]) -> None:
    for key in ("orders", "lines"):
        rows = _csv(libreoffice["csv"] / f"late-{t(f'sheet.{key}', 'zh')}.csv")
        marked = {r[0]: r[-1] for r in rows[1:] if r and r[0]}
        assert marked == {
            "LATE": "TRUE",
            "DONE": "FALSE",
            "CANC": "FALSE" if key == "orders" else "TRUE",  # lines: by quantities delivered
            "DELIV": "FALSE",
            "SOON": "FALSE",
            "NODATE": "FALSE",
        }, key


@pytest.mark.parametrize("lang", LANGS[:1])
def test_a_workbook_saved_by_libreoffice_is_still_a_master_workbook(
    libreoffice: dict[str, Path], lang: str
) -> None:
    saved = libreoffice["xlsx"]
    with FileStore.open(saved) as store:
        assert store.lang == lang
        outcome = verify(store)
        assert outcome.problems == []
        assert outcome.data["entries"] == len(read(libreoffice["demo"], "ledger"))
    assert [r.values["order_no"] for r in read(saved, "orders")] == [
        r.values["order_no"] for r in read(libreoffice["demo"], "orders")
    ]
