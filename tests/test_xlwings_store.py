"""XlwingsStore against FileStore: the same change sets, the same workbook.

XlwingsStore runs through xlwings' real front end (xw.Book, Sheet, Range, Table, Note ...); only
the engine below it is the openpyxl one of ``xlwings_openpyxl`` (fixtures in its ``fixtures``
module). Each comparison starts from copies of one master workbook.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from xlwings_openpyxl import Engine, book_impl

from addin.core.enums import Channel, Department, OrderStatus, Role, YesNo
from addin.core.schema import TABLES
from addin.i18n import Lang, t
from workbook.cell_values import cell_value, excel_keeps_as_text, excel_literal, note_text
from workbook.create import create_master_workbook
from workbook.file_store import MARK_COLOR, NOTE_AUTHOR, FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet, Row, StoreError
from workbook.xlwings_store import MARK_RGB, READ_MARGIN, XlwingsStore

ORDERS_LAST = get_column_letter(len(TABLES["orders"].columns))  # the orders table's last column

OpenBook = Callable[[Path | str], xw.Book]
# Operations that change a workbook; a refused change set must record none of them.
MUTATIONS = {
    "write",
    "set_number_format",
    "set_color",
    "set_font",
    "add_note",
    "set_note_text",
    "delete_note",
    "resize",
    "clear",
    "clear_contents",
    "add_sheet",
}
FORMULA_LIKE = ["=SUM(A1:A3)", "+86 138 0000 0000", "-5% tolerance", "@wang", "'quoted"]


# -- change sets -----------------------------------------------------------------------------
def first_changes() -> ChangeSet:
    cs = ChangeSet()
    cs.append(
        "orders",
        {
            "order_no": "SO-2024-001",
            "received_date": date(2024, 5, 6),
            "channel": Channel.EMAIL,
            "received_by": "王芳",
            "customer_code": "C001",
            "customer_name": FORMULA_LIKE[0],
            "contact": FORMULA_LIKE[1],
            "contact_info": FORMULA_LIKE[3],
            "currency": "CNY",
            "quality_req": FORMULA_LIKE[2],
            "packaging_req": FORMULA_LIKE[4],
            "status": OrderStatus.RECEIVED,
            "status_since": datetime(2024, 5, 6, 9, 30, 15, 123456, tzinfo=UTC),
            "due_date": date(2024, 6, 1),
            "version": 1,
            "progress": Decimal("0.25"),
            "remarks": "00123",
        },
    )
    cs.append(
        "orders",
        {
            "order_no": "2024-01",  # Excel would read this as a date
            "received_date": date(2024, 5, 7),
            "channel": Channel.PHONE,
            "status": OrderStatus.NEEDS_INFO,
            "version": Decimal("2"),
            "findings": "TRUE",
            "remarks": "1/2",
        },
    )
    for line_no, qty in ((1, 100), (2, 250)):
        cs.append(
            "lines",
            {
                "order_no": "SO-2024-001",
                "line_no": line_no,
                "product_code": "P-01",
                "quantity": qty,
                "unit_price": Decimal("12.50"),
                "delivery_date": date(2024, 6, 1),
            },
        )
    cs.append(
        "customers",
        {
            "customer_code": "C001",
            "name": "Acme",
            "credit_limit": Decimal("100000"),
            "active": YesNo.YES,
        },
    )
    cs.update("settings", 2, "value", "Acme Manufacturing")
    cs.update("staff", 2, "name", "王芳")
    cs.update("staff", 2, "department", Department.ORDER_MGMT)
    cs.update("staff", 2, "role", Role.MANAGER)
    cs.mark("orders", 2, "customer_name", "公式样的文本")
    cs.mark("orders", 3, "order_no", "缺少客户")
    cs.analysis = [
        ["订单看板", None, "x"],
        ["=SUM(A1)", 3, Decimal("1.5")],
        [date(2024, 5, 6), OrderStatus.RECEIVED],
    ]
    return cs


def second_changes() -> ChangeSet:
    cs = ChangeSet()
    cs.update("orders", 2, "status", OrderStatus.CHECKED)
    cs.update("orders", 2, "status_since", datetime(2024, 5, 7, 8, 0))
    cs.update("orders", 2, "version", 2)
    cs.update("orders", 3, "remarks", None)
    cs.update("orders", 3, "findings", "TRUE")  # unchanged
    cs.mark("orders", 2, "customer_name", None)
    cs.mark("orders", 3, "order_no", "重复的订单号\n第二行")
    cs.mark("lines", 2, "quantity", "低于起订量")
    cs.append("orders", {"order_no": "SO-2024-003", "status": OrderStatus.RECEIVED})
    cs.append("tracking", {"order_no": "SO-2024-001", "line_no": 1, "quantity": 40})
    cs.analysis = [["看板"], [1]]
    return cs


# -- helpers ---------------------------------------------------------------------------------
def copies(tmp_path: Path, lang: Lang = "zh") -> tuple[Path, Path]:
    master = create_master_workbook(tmp_path / "master.xlsx", lang)
    return (
        Path(shutil.copy(master, tmp_path / "by_file.xlsx")),
        Path(shutil.copy(master, tmp_path / "by_excel.xlsx")),
    )


def commit_file(path: Path, changes: ChangeSet) -> None:
    with FileStore.open(path, write=True) as store:
        store.commit(changes)


def commit_excel(open_book: OpenBook, path: Path, changes: ChangeSet) -> None:
    book = open_book(path)
    XlwingsStore(book).commit(changes)
    book.save()
    book.close()


def snapshot(path: Path) -> dict[str, Any]:
    """Everything the comparison looks at: values (with type), table refs, notes, marks."""
    wb = load_workbook(path)
    values: dict[tuple[str, str], Any] = {}
    formats: dict[tuple[str, str], str] = {}
    notes: dict[tuple[str, str], str] = {}
    marks: set[tuple[str, str]] = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                where = (ws.title, cell.coordinate)
                if cell.value is not None:
                    values[where] = (type(cell.value).__name__, cell.value, cell.data_type)
                    formats[where] = cell.number_format
                if cell.comment is not None:
                    notes[where] = cell.comment.text
                if cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == MARK_COLOR:
                    marks.add(where)
    tables = {
        lo.name: (ws.title, lo.ref, lo.autoFilter.ref if lo.autoFilter else None)
        for ws in wb.worksheets
        for lo in ws.tables.values()
    }
    return {
        "sheets": wb.sheetnames,
        "values": values,
        "formats": formats,
        "notes": notes,
        "marks": marks,
        "tables": tables,
    }


def typed(rows: list[Row]) -> list[tuple[int, dict[str, tuple[str, Any]]]]:
    """Rows with each value's type, so that 5 and 5.0 count as different."""
    return [(r.row, {k: (type(v).__name__, v) for k, v in r.values.items()}) for r in rows]


def mutations(engine: Engine) -> list[tuple[str, str]]:
    return [(c.op, c.target) for c in engine.calls if c.op in MUTATIONS]


# -- the same change sets through both stores ------------------------------------------------
@pytest.mark.parametrize("keep_apostrophe", [True, False])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_same_changes_leave_the_same_workbook(
    tmp_path: Path, open_book: OpenBook, xl_engine: Engine, lang: Lang, keep_apostrophe: bool
) -> None:
    xl_engine.text_cells_keep_apostrophe = keep_apostrophe
    by_file, by_excel = copies(tmp_path, lang)
    for changes in (first_changes, second_changes):
        commit_file(by_file, changes())
        commit_excel(open_book, by_excel, changes())
        expected, got = snapshot(by_file), snapshot(by_excel)
        for part in ("sheets", "values", "notes", "marks", "tables", "formats"):
            assert got[part] == expected[part], part
    # The comparison saw the changes: appended rows, the dashboard, a note and a mark.
    orders = TABLES["orders"].sheet_title(lang)
    assert got["tables"]["OD_Orders"][1] == f"A1:{ORDERS_LAST}4"
    assert got["values"][(orders, "A3")] == ("str", "2024-01", "s")
    assert got["notes"] == {
        (orders, "A3"): note_text("重复的订单号\n第二行"),
        (TABLES["lines"].sheet_title(lang), "F2"): note_text("低于起订量"),
    }
    assert (t("sheet.analysis", lang), "A1") in got["values"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reads_are_equal(tmp_path: Path, open_book: OpenBook, lang: Lang) -> None:
    path, _ = copies(tmp_path, lang)
    commit_file(path, first_changes())
    commit_file(path, second_changes())
    # Rows typed just below the orders table belong to it; a row after a blank one does not.
    wb = load_workbook(path)
    ws = wb[TABLES["orders"].sheet_title(lang)]
    ws["A5"], ws["N5"], ws["Q5"] = "SO-TYPED", OrderStatus.RECEIVED.label(lang), 7
    ws["A6"], ws["B6"] = "SO-TYPED-2", datetime(2024, 7, 1)
    ws["A8"] = "AFTER-A-GAP"
    wb.save(path)

    with FileStore.open(path) as file_store:
        expected = {key: typed(file_store.read(key)) for key in TABLES}
        assert file_store.lang == lang
    store = XlwingsStore(open_book(path))
    assert store.lang == lang
    for key in TABLES:
        assert typed(store.read(key)) == expected[key], key
    assert [row for row, _ in expected["orders"]] == [2, 3, 4, 5, 6]
    assert expected["orders"][3][1]["version"] == ("int", 7)


def test_rows_typed_far_below_the_table_are_read(
    tmp_path: Path, open_book: OpenBook, xl_engine: Engine
) -> None:
    path, _ = copies(tmp_path)
    wb = load_workbook(path)
    ws = wb[TABLES["capacity"].sheet_title("zh")]
    typed_rows = READ_MARGIN * 2 + 5
    for r in range(2, typed_rows + 2):
        ws.cell(row=r, column=1, value=f"G{r}")
        ws.cell(row=r, column=3, value=r)
    wb.save(path)
    with FileStore.open(path) as file_store:
        expected = typed(file_store.read("capacity"))
    store = XlwingsStore(open_book(path))
    xl_engine.calls.clear()
    assert typed(store.read("capacity")) == expected
    assert len(expected) == typed_rows
    assert xl_engine.count("read") == 2  # the block with its margin, then the rest


# -- what is written -------------------------------------------------------------------------
def test_formula_like_text_stays_text(master_book: xw.Book) -> None:
    store = XlwingsStore(master_book)
    keys = ["customer_name", "contact", "contact_info", "quality_req", "packaging_req"]
    values = dict(zip(keys, FORMULA_LIKE, strict=True))
    changes = ChangeSet()
    changes.append("orders", values)  # row 2: the master formats it (Text for text columns)
    changes.append("orders", values)  # row 3: not formatted yet when written
    store.commit(changes)
    again = XlwingsStore(master_book)
    assert [[row.values[k] for k in keys] for row in again.read("orders")] == [FORMULA_LIKE] * 2
    ws = book_impl(master_book).workbook[store.sheet_title("orders")]
    columns = [TABLES["orders"].column_keys.index(k) + 1 for k in keys]
    for row in (2, 3):
        assert [ws.cell(row=row, column=c).data_type for c in columns] == ["s"] * 5
    # The guard matters: this engine, as Excel, makes a formula of unguarded "=..." text.
    master_book.sheets[0].range("A20").value = FORMULA_LIKE[0]
    assert ws["A20"].data_type == "f"


def _append(table: str, values: dict[str, Any]) -> ChangeSet:
    changes = ChangeSet()
    changes.append(table, values)
    return changes


def test_only_changed_cells_are_written(
    tmp_path: Path, open_book: OpenBook, xl_engine: Engine
) -> None:
    path, _ = copies(tmp_path)
    commit_file(path, first_changes())
    store = XlwingsStore(open_book(path))
    store.read("orders")
    xl_engine.calls.clear()
    changes = ChangeSet()
    changes.update("orders", 2, "status", OrderStatus.RECEIVED)  # as it is: not written
    changes.update("orders", 2, "version", Decimal("1"))  # as it is: not written
    changes.update("orders", 2, "contact", "李雷")  # G2 and H2: one block
    changes.update("orders", 2, "contact_info", "lilei@example.com")
    changes.update("orders", 3, "remarks", "已确认")
    changes.append("orders", {"order_no": "SO-2024-002", "version": 1})
    changes.append("orders", {"order_no": "SO-2024-004", "version": 1})
    store.commit(changes)
    writes = [target for op, target in mutations(xl_engine) if op == "write"]
    assert writes == ["订单!G2:H2", "订单!W3", f"订单!A4:{ORDERS_LAST}5"]
    assert ("resize", f"OD_Orders=A1:{ORDERS_LAST}5") in mutations(xl_engine)
    assert xl_engine.count("read") == 0  # the table was read once, before
    # Committing the same updates again writes nothing.
    xl_engine.calls.clear()
    again = ChangeSet(updates=changes.updates)
    store.commit(again)
    assert mutations(xl_engine) == []


def test_validation_failure_writes_nothing(master_book: xw.Book, xl_engine: Engine) -> None:
    store = XlwingsStore(master_book)
    xl_engine.calls.clear()
    changes = first_changes()
    changes.append("orders", {"order_no": "SO-9", "no_such_column": 1})
    with pytest.raises(StoreError) as failure:
        store.commit(changes)
    assert failure.value.key == "store.unknown_column"
    bad_table = first_changes()
    bad_table.update("no_such_table", 2, "x", 1)
    with pytest.raises(KeyError):
        store.commit(bad_table)
    assert mutations(xl_engine) == []
    assert store.read("orders") == []


def test_missing_header_is_reported(master_book: xw.Book) -> None:
    master_book.sheets[0].api.Unprotect()  # a header or value typed over a locked cell
    master_book.sheets[0].range("N1").value = "something else"
    with pytest.raises(StoreError) as failure:
        XlwingsStore(master_book).read("orders")
    assert failure.value.key == "store.missing_column"
    assert failure.value.params["column"] == TABLES["orders"].column("status").label("orders", "zh")


def test_headers_in_the_other_language_are_mapped(master_book: xw.Book) -> None:
    master_book.sheets[0].api.Unprotect()  # a header or value typed over a locked cell
    orders = TABLES["orders"]
    header = master_book.sheets[0].range((1, 1), (1, len(orders.columns)))
    header.value = [[c.label("orders", "en") for c in orders.columns]]
    store = XlwingsStore(master_book)
    store.commit(_append("orders", {"order_no": "SO-1", "status": OrderStatus.RECEIVED}))
    assert store.lang == "zh"
    row = XlwingsStore(master_book).read("orders")[0]
    assert row.values["status"] == OrderStatus.RECEIVED.label("zh")


def test_marks_remove_only_orderdesk_notes(tmp_path: Path, open_book: OpenBook) -> None:
    path, _ = copies(tmp_path)
    commit_file(path, first_changes())  # FileStore's marks: author OrderDesk
    wb = load_workbook(path)
    ws = wb[TABLES["orders"].sheet_title("zh")]
    ws["B2"].comment = Comment("the customer's own note", "Someone")
    wb.save(path)
    book = open_book(path)
    store = XlwingsStore(book)
    changes = ChangeSet()
    changes.mark("orders", 2, "received_date", None)  # a user's note, no mark: kept
    changes.mark("orders", 3, "order_no", None)  # FileStore's mark: removed
    changes.mark("orders", 2, "received_by", "新的标记")  # XlwingsStore's mark ...
    store.commit(changes)
    sheet = book.sheets[0]
    assert sheet["B2"].note.text == "the customer's own note"
    assert sheet["A3"].note is None and sheet["A3"].color is None
    assert sheet["D2"].note.author == book.app.impl.user_name  # as Excel: the user's name
    assert sheet["D2"].color == MARK_RGB
    cleared = ChangeSet()
    cleared.mark("orders", 2, "received_by", None)  # ... removed: its first line is ours
    store.commit(cleared)
    assert sheet["D2"].note is None and sheet["D2"].color is None
    assert NOTE_AUTHOR == "OrderDesk"


@pytest.mark.parametrize("file_store", [FileStore, PatchFileStore], ids=["openpyxl", "patch"])
def test_a_mark_set_in_excel_is_cleared_from_the_command_line(
    tmp_path: Path, open_book: OpenBook, file_store: Any
) -> None:
    """Excel makes the user the author of the ribbon's notes; the file stores still know them
    for OrderDesk's by their first line, and leave a person's note on a marked cell alone."""
    path, _ = copies(tmp_path)
    book = open_book(path)
    marks = ChangeSet()
    marks.mark("orders", 2, "received_by", "缺少接收人")
    marks.mark("orders", 2, "contact", "缺少联系人")
    XlwingsStore(book).commit(marks)
    book.sheets[0]["G2"].note.text = "a person's own note"  # written over ours, by hand
    book.save()
    book.close()
    cleared = ChangeSet()
    cleared.mark("orders", 2, "received_by", None)
    cleared.mark("orders", 2, "contact", None)
    with file_store.open(path, write=True) as store:
        store.commit(cleared)
    ws = load_workbook(path).worksheets[0]
    assert ws["D2"].comment is None and ws["D2"].fill.fgColor.rgb != MARK_COLOR
    assert ws["G2"].comment.text == "a person's own note"
    assert ws["G2"].fill.fgColor.rgb != MARK_COLOR


def test_status_bar_is_set_and_reset(master_book: xw.Book) -> None:
    app = master_book.app
    with XlwingsStore(master_book) as store:
        store.status("正在检查订单…")
        assert app.status_bar == "正在检查订单…"
        store.commit(_append("orders", {"order_no": "SO-1"}))
        assert app.status_bar is False  # handed back to Excel at the end of the commit
        store.status("再来一次")
    assert app.status_bar is False
    assert app.impl.status_history == ["正在检查订单…", False, "再来一次", False]


def test_analysis_sheet_is_created_when_missing(master_book: xw.Book) -> None:
    title = t("sheet.analysis", "zh")
    master_book.sheets[title].delete()
    store = XlwingsStore(master_book)
    changes = ChangeSet(analysis=[["看板", "=1"]])
    store.commit(changes)
    names = [s.name for s in master_book.sheets]
    assert names.index(title) == names.index(t("sheet.dashboard", "zh")) + 1  # back in its place
    sheet = master_book.sheets[title]
    assert sheet.range("A1:B1").value == ["看板", "=1"]
    assert sheet.range("A1").font.bold and sheet.range("B1").font.size == 14


def test_active_store_is_the_callers_book(tmp_path: Path, open_book: OpenBook) -> None:
    first = open_book(create_master_workbook(tmp_path / "a.xlsx", "zh"))
    second = open_book(create_master_workbook(tmp_path / "b.xlsx", "en"))
    assert XlwingsStore.active().book == second  # no caller: Excel's active book
    assert XlwingsStore.active().lang == "en"
    first.set_mock_caller()
    assert XlwingsStore.active().book == first
    assert XlwingsStore.active().lang == "zh"


# -- cost ------------------------------------------------------------------------------------
def test_cost_of_reads_and_commits(tmp_path: Path, open_book: OpenBook, xl_engine: Engine) -> None:
    path, _ = copies(tmp_path)
    commit_file(path, first_changes())
    book = open_book(path)
    xl_engine.calls.clear()
    store = XlwingsStore(book)
    # Opening: list the sheets and their tables, read two defined names; no cell is touched.
    assert xl_engine.count("tables") == len(book.sheets)
    assert xl_engine.count("read", "write") == 0
    xl_engine.calls.clear()
    store.read("orders")
    store.read("orders")
    assert [call.op for call in xl_engine.calls] == ["table_range", "read"]  # one block, kept
    xl_engine.calls.clear()
    store.commit(second_changes())
    # Two tables read for the first time (lines, tracking); six blocks written: orders N2:O2,
    # Q2, W3 and the appended A4:W4, tracking A2:N2, the dashboard.
    assert xl_engine.count("read") == 2
    assert xl_engine.count("write") == 6
    # Each sheet written is asked whether it is protected (orders, lines, tracking, dashboard);
    # the three protected ones are unprotected and protected again.
    assert xl_engine.count("protection") == 4
    assert xl_engine.count("unprotect") == xl_engine.count("protect") == 3
    # (41: clearing a mark reads its note's text, the only sign in Excel that the note is ours)
    # (+1: the dashboard's sheet looked up to ask it)
    assert xl_engine.count() - xl_engine.count("protection", "unprotect", "protect") <= 41 + 1


# -- conversions and the engine --------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("SO-2024-001", True),
        ("Acme", True),
        ("王芳", True),
        ("Marketing plan", True),
        ("", True),
        ("=SUM(A1)", False),
        ("+86 138", False),
        ("-5%", False),
        ("@wang", False),
        ("'quoted", False),
        ("00123", False),
        ("2024-01", False),
        ("1/2", False),
        ("(5)", False),
        ("$5", False),
        (".5", False),
        ("#N/A", False),
        ("true", False),
        ("Jan 5", False),
        ("March 2024", False),
        ("１２３", False),
    ],
)
def test_text_excel_would_convert_is_guarded(text: str, kept: bool) -> None:
    assert excel_keeps_as_text(text) is kept
    assert excel_literal(text) == (text if kept else "'" + text)


def test_cell_values_are_converted_as_the_workbook_holds_them() -> None:
    assert cell_value(OrderStatus.RECEIVED, "en") == OrderStatus.RECEIVED.label("en")
    assert cell_value(OrderStatus.RECEIVED, "zh") == OrderStatus.RECEIVED.label("zh")
    assert cell_value(Decimal("12.00"), "zh") == 12 and isinstance(
        cell_value(Decimal("12"), "zh"), int
    )
    assert cell_value(Decimal("12.5"), "zh") == 12.5
    moment = datetime(2024, 5, 6, 9, 30, 15, 999999, tzinfo=UTC)
    assert cell_value(moment, "zh") == datetime(2024, 5, 6, 9, 30, 15)
    assert cell_value(date(2024, 5, 6), "zh") == date(2024, 5, 6)
    assert cell_value(Path("a.pdf"), "zh") == "a.pdf"
    assert cell_value(None, "zh") is None and cell_value(True, "zh") is True


def test_engine_enters_values_as_excel_does(master_book: xw.Book, xl_engine: Engine) -> None:
    master_book.sheets[0].api.Unprotect()  # a header or value typed over a locked cell
    sheet = master_book.sheets[0]
    sheet.range("A30:F30").value = [["123", "'007", "2024-01-05", "TRUE", "1,234.5", "50%"]]
    assert sheet.range("A30:F30").value == [123.0, "007", datetime(2024, 1, 5), True, 1234.5, 0.5]
    sheet.range("A31").number_format = "@"
    sheet.range("A31").value = "123"
    assert sheet.range("A31").value == "123"
    xl_engine.text_cells_keep_apostrophe = True
    sheet.range("A31").value = "'123"
    assert sheet.range("A31").value == "'123"
    xl_engine.text_cells_keep_apostrophe = False
    sheet.range("A31").value = "'123"
    assert sheet.range("A31").value == "123"
    assert sheet.range("A30").options(ndim=2).value == [[123.0]]
    assert sheet.range("A30").options(numbers=int).value == 123


def test_engine_selection_and_save_as(master_book: xw.Book, tmp_path: Path) -> None:
    lines = master_book.sheets[1]
    lines.range("B3:C4").select()
    assert master_book.selection.address == "$B$3:$C$4"
    assert master_book.selection.sheet.name == lines.name
    assert xw.apps.active.selection == lines.range("B3:C4")
    assert xw.books.active == master_book
    master_book.sheets[0].activate()
    assert master_book.selection.address == "$A$1"  # each sheet keeps its own selection
    lines.range("A2").value = "SO-1"
    master_book.save(tmp_path / "copy.xlsx")
    assert master_book.name == "copy.xlsx"
    assert load_workbook(tmp_path / "copy.xlsx")[lines.name]["A2"].value == "SO-1"


def test_engine_tables_names_and_navigation(master_book: xw.Book) -> None:
    orders = master_book.sheets[0]
    table = orders.tables["OD_Orders"]
    assert table.header_row_range.value[:2] == [
        TABLES["orders"].column("order_no").label("orders", "zh"),
        TABLES["orders"].column("received_date").label("orders", "zh"),
    ]
    assert table.data_body_range.address == f"$A$2:${ORDERS_LAST}$2"
    orders.range("A2:B4").value = [["SO-1", 1], ["SO-2", 2], ["SO-3", 3]]
    assert orders.range("A2").end("down").address == "$A$4"
    assert orders.range("A2").expand().address == "$A$2:$B$4"
    assert orders.range("A2").table == table
    assert orders.range("A3").table is None  # typed below the table: not in it
    orders.api.Unprotect()  # Excel resizes a table only on an unprotected sheet
    table.resize(orders.range(f"A1:{ORDERS_LAST}4"))
    assert table.range.address == f"$A$1:${ORDERS_LAST}$4"
    assert orders.range("A3").table == table
    codes = master_book.names["OD_CustomerCodes"]
    assert codes.refers_to_range.sheet.name == TABLES["customers"].sheet_title("zh")
    assert "OrderDesk_Lang" in master_book.names and "NoSuchName" not in master_book.names
    with pytest.raises(KeyError):
        orders.tables["OD_NoSuchTable"]
