"""The file store: bad files, locks, atomic saves, text never formulas, and users' own additions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from foundation_fixtures import (
    LANGS,
    RECEIVED,
    check,
    column_index,
    edit,
    file_state,
    new_workbook,
    opened,
    order_rows,
    read,
    receive_rows,
    seeded_workbook,
    shared_strings,
    sheet,
    table_parts,
    xml_cell,
    xml_text,
)
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import TableColumn

import workbook.safe_save as safe_save
from addin.core.enums import Channel, OrderStatus
from addin.core.schema import NAME_SCHEMA_VERSION, TABLES
from addin.i18n import t
from workbook.file_store import FileStore
from workbook.safe_save import atomic_write_bytes, backup_path
from workbook.store import ChangeSet, StoreError

REPO = Path(__file__).resolve().parents[1]


def _store_error(path: Path, write: bool = False, table: str = "orders") -> StoreError:
    with pytest.raises(StoreError) as caught, FileStore.open(path, write=write) as store:
        store.read(table)
    return caught.value


def _append_order(path: Path, **values: object) -> None:
    with FileStore.open(path, write=True) as store:
        changes = ChangeSet()
        changes.append("orders", {"order_no": "SO1", **values})
        store.commit(changes)


# -- bad files ------------------------------------------------------------------------------------
def test_a_missing_file(tmp_path: Path) -> None:
    assert _store_error(tmp_path / "nowhere.xlsx").key == "store.not_found"


@pytest.mark.parametrize(
    "content",
    [b"", b"order_no,customer\nSO1,ACME\n", b"\x89PNG\r\n\x1a\n" + bytes(200)],
    ids=["empty", "csv", "png"],
)
def test_a_file_that_is_not_xlsx(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "master.xlsx"
    path.write_bytes(content)
    error = _store_error(path)
    assert error.key == "store.not_xlsx"
    assert error.params["path"] == str(path)


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "master.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    assert _store_error(path).key == "store.not_xlsx"


@pytest.mark.parametrize("fraction", [0.5, 0.9, 0.99])
def test_a_truncated_xlsx(tmp_path: Path, fraction: float) -> None:
    path = new_workbook(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    assert _store_error(path).key == "store.not_xlsx"


@pytest.mark.parametrize(
    "member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/tables/table1.xml"]
)
def test_an_xlsx_with_a_damaged_part(tmp_path: Path, member: str) -> None:
    """A part cut short inside an intact zip (a copy interrupted, a sync conflict)."""
    good = new_workbook(tmp_path)
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, data[: len(data) // 2] if info.filename == member else data)
    assert _store_error(path).key == "store.not_xlsx"


def test_an_old_xls_name(tmp_path: Path) -> None:
    path = tmp_path / "master.xls"
    shutil.copy(new_workbook(tmp_path), path)
    assert _store_error(path).key == "store.not_xlsx"


def test_an_xlsx_that_is_not_a_master_workbook(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    error = _store_error(path)
    assert error.key == "store.not_master"
    assert error.params["table"] == "OD_Orders"


def test_a_workbook_of_a_newer_schema(tmp_path: Path) -> None:
    path = new_workbook(tmp_path)

    def newer(wb) -> None:
        wb.defined_names[NAME_SCHEMA_VERSION] = DefinedName(NAME_SCHEMA_VERSION, attr_text="99")

    edit(path, newer)
    assert _store_error(path).key == "store.newer_schema"


@pytest.mark.parametrize("lang", LANGS)
def test_a_table_that_lost_a_column(tmp_path: Path, lang: str) -> None:
    path = new_workbook(tmp_path, lang)

    def rename(wb) -> None:
        ws = sheet(wb, "lines")
        ws.cell(row=1, column=column_index(ws, "lines")["quantity"], value="多少")

    edit(path, rename)
    error = _store_error(path, table="lines")
    assert error.key == "store.missing_column"
    assert error.params["column"] == t("col.lines.quantity", "zh")
    assert error.params["sheet"] == t("sheet.lines", lang)


# -- locks ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "owner",
    ["~$master.xlsx", "~$ster.xlsx", ".~lock.master.xlsx#"],
    ids=["excel", "excel-long-name", "libreoffice"],
)
def test_refused_while_open_in_excel(tmp_path: Path, owner: str) -> None:
    path = new_workbook(tmp_path)
    (tmp_path / owner).write_bytes(b"owner")
    before = file_state(path)
    error = _store_error(path, write=True)
    assert error.key == "store.open_in_excel"
    assert error.params["owner"] == owner
    assert file_state(path) == before
    # reading stays possible
    with FileStore.open(path) as store:
        assert store.read("orders") == []


def test_refused_when_excel_opens_it_during_the_action(tmp_path: Path) -> None:
    path = new_workbook(tmp_path)
    before = file_state(path)
    with pytest.raises(StoreError) as caught, FileStore.open(path, write=True) as store:
        (tmp_path / "~$master.xlsx").write_bytes(b"owner")
        changes = ChangeSet()
        changes.append("orders", {"order_no": "SO1"})
        store.commit(changes)
    assert caught.value.key == "store.open_in_excel"
    assert file_state(path) == before


HOLD = """
import sys
from workbook.file_store import FileStore
with FileStore.open(sys.argv[1], write=True):
    print("held", flush=True)
    sys.stdin.readline()
"""


def _python(code: str, *args: object, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=REPO,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def test_refused_while_another_orderdesk_process_holds_it(tmp_path: Path) -> None:
    path = new_workbook(tmp_path)
    holder = _python(HOLD, path, stdin=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        before = file_state(path)
        assert _store_error(path, write=True).key == "store.locked"
        assert file_state(path) == before
    finally:
        holder.communicate("\n", timeout=30)
    assert holder.returncode == 0
    _append_order(path)  # released: the next action goes through
    assert [r.values["order_no"] for r in read(path, "orders")] == ["SO1"]


# -- atomic save ----------------------------------------------------------------------------------
def _stray(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_a_failure_between_writing_and_renaming_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = new_workbook(tmp_path)
    _append_order(path, customer_name="甲")
    before = path.read_bytes()

    def fail(src: object, dst: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(safe_save.os, "replace", fail)
    with pytest.raises(StoreError) as caught, FileStore.open(path, write=True) as store:
        changes = ChangeSet()
        changes.update("orders", 2, "customer_name", "乙")
        store.commit(changes)
    monkeypatch.undo()
    assert caught.value.key == "store.write_failed"
    assert path.read_bytes() == before
    assert _stray(tmp_path) == []
    assert read(path, "orders")[0].values["customer_name"] == "甲"


def test_a_failure_while_writing_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = new_workbook(tmp_path)
    before = path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_save.os, "fsync", full)
    with pytest.raises(OSError):
        atomic_write_bytes(path, b"new content")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert _stray(tmp_path) == []


CRASH = """
import os, sys
from workbook.file_store import FileStore
from workbook.store import ChangeSet
os.replace = lambda src, dst: os._exit(70)  # the process dies right before the rename
with FileStore.open(sys.argv[1], write=True) as store:
    changes = ChangeSet()
    changes.update("orders", 2, "customer_name", "乙")
    store.commit(changes)
"""


def test_a_crash_between_writing_and_renaming_leaves_the_original(tmp_path: Path) -> None:
    path = new_workbook(tmp_path)
    _append_order(path, customer_name="甲")
    before = path.read_bytes()
    crashed = _python(CRASH, path)
    crashed.communicate(timeout=60)
    assert crashed.returncode == 70
    assert path.read_bytes() == before
    assert read(path, "orders")[0].values["customer_name"] == "甲"
    # the next action works, the crashed process's lock is gone with it
    with FileStore.open(path, write=True) as store:
        changes = ChangeSet()
        changes.update("orders", 2, "customer_name", "丙")
        store.commit(changes)
    assert read(path, "orders")[0].values["customer_name"] == "丙"


def test_each_save_keeps_the_previous_version_and_the_file_mode(tmp_path: Path) -> None:
    path = new_workbook(tmp_path)
    os.chmod(path, 0o640)
    first = path.read_bytes()
    _append_order(path)
    assert backup_path(path).read_bytes() == first
    assert path.stat().st_mode & 0o777 == 0o640
    assert _stray(tmp_path) == []


def test_an_empty_change_set_writes_nothing(tmp_path: Path) -> None:
    path = new_workbook(tmp_path)
    before = file_state(path)
    with FileStore.open(path, write=True) as store:
        store.commit(ChangeSet())
    assert file_state(path) == before
    assert not backup_path(path).exists()


def test_an_unknown_column_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = new_workbook(tmp_path)
    before = file_state(path)
    with pytest.raises(StoreError) as caught, FileStore.open(path, write=True) as store:
        changes = ChangeSet()
        changes.append("orders", {"order_no": "SO1"})
        changes.append("lines", {"order_no": "SO1", "colour": "red"})
        store.commit(changes)
    assert caught.value.key == "store.unknown_column"
    assert file_state(path) == before


# -- text that looks like a formula --------------------------------------------------------------
FORMULA_LIKE = ["=SUM(1,2)", "+86 21 5566 7788", "-5", "@home", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("lang", LANGS)
def test_formula_like_text_is_saved_as_text_never_as_a_formula(tmp_path: Path, lang: str) -> None:
    path = new_workbook(tmp_path, lang)
    with FileStore.open(path, write=True) as store:
        changes = ChangeSet()
        for n, text in enumerate(FORMULA_LIKE, start=1):
            changes.append("orders", {"order_no": f"SO{n}", "remarks": text, "contact_info": text})
        changes.append("customers", {"customer_code": "=C1", "name": "+Plus", "address": "-x"})
        store.commit(changes)
    with FileStore.open(path, write=True) as store:  # an update of an existing cell, too
        changes = ChangeSet()
        changes.update("orders", 2, "customer_name", "=1+1")
        store.commit(changes)

    strings = shared_strings(path)
    orders = opened(path)[t("sheet.orders", lang)]
    cols = column_index(orders, "orders")
    expected = {}
    for n, text in enumerate(FORMULA_LIKE, start=2):
        expected[f"{get_column_letter(cols['remarks'])}{n}"] = text
        expected[f"{get_column_letter(cols['contact_info'])}{n}"] = text
    expected[f"{get_column_letter(cols['customer_name'])}2"] = "=1+1"
    for ref, text in expected.items():
        node = xml_cell(path, t("sheet.orders", lang), ref)
        assert node is not None, ref
        assert node.find("{*}f") is None, ref  # no formula element
        assert node.get("t") in ("s", "inlineStr"), ref
        assert xml_text(node, strings) == text
        assert orders[ref].value == text and orders[ref].data_type == "s"
        assert orders[ref].quotePrefix  # Excel keeps it text when the cell is edited
    for ref, text in (("A2", "=C1"), ("B2", "+Plus"), ("E2", "-x")):
        node = xml_cell(path, t("sheet.customers", lang), ref)
        assert node is not None and node.find("{*}f") is None
        assert xml_text(node, strings) == text
    rows = read(path, "orders")
    assert [r.values["remarks"] for r in rows] == FORMULA_LIKE
    assert rows[0].values["customer_name"] == "=1+1"


# -- users' own additions survive ---------------------------------------------------------------
USER_COLUMN = "跟单备注"
USER_SHEET = "我的笔记"


def _customise(wb) -> None:
    """What staff do to the workbook in Excel: a column of their own in a table, formats,
    another sheet with a formula, a name, a note."""
    ws = sheet(wb, "orders")
    lo = ws.tables[TABLES["orders"].name]
    _, _, max_col, max_row = range_boundaries(lo.ref)
    extra = max_col + 1
    ws.cell(row=1, column=extra, value=USER_COLUMN).font = Font(bold=True, color="FF0000")
    lo.ref = f"A1:{get_column_letter(extra)}{max_row}"
    lo.autoFilter.ref = lo.ref
    lo.tableColumns.append(TableColumn(id=extra, name=USER_COLUMN))
    ws.column_dimensions[get_column_letter(extra)].width = 33
    ws.cell(row=2, column=extra, value="客户很急").fill = PatternFill("solid", fgColor="FFFF00")
    ws.cell(row=2, column=column_index(ws, "orders")["due_date"]).number_format = "dd/mm/yyyy"
    beside = ws.cell(row=2, column=extra + 2, value=1234.5)  # outside the table
    beside.number_format = "0.000"
    notes = wb.create_sheet(USER_SHEET)
    notes["A1"] = "本周重点客户"
    notes["B2"] = "=1+1"
    notes.merge_cells("A5:C5")
    wb.defined_names["MyRange"] = DefinedName("MyRange", attr_text=f"'{USER_SHEET}'!$A$1")
    customers = sheet(wb, "customers")
    customers["B2"].comment = Comment("老客户,注意回款", "王经理")


def test_user_columns_formats_and_sheets_survive_receive_and_check(tmp_path: Path) -> None:
    path = seeded_workbook(tmp_path)
    receive_rows(path, order_rows("SO1", lines=2))
    edit(path, _customise)
    receive_rows(path, order_rows("SO2", lines=1, seed=3))
    check(path)

    wb = opened(path)
    ws = sheet(wb, "orders")
    lo = ws.tables[TABLES["orders"].name]
    _, _, max_col, max_row = range_boundaries(lo.ref)
    assert ws.cell(row=1, column=max_col).value == USER_COLUMN
    assert ws.cell(row=1, column=max_col).font.bold
    assert max_row == 3  # grown with the new order, the user's column still inside
    assert [c.name for c in lo.tableColumns][-1] == USER_COLUMN
    assert ws.cell(row=2, column=max_col).value == "客户很急"
    assert ws.cell(row=2, column=max_col).fill.fgColor.rgb.endswith("FFFF00")
    assert ws.column_dimensions[get_column_letter(max_col)].width == 33
    due = ws.cell(row=2, column=column_index(ws, "orders")["due_date"])
    assert due.number_format == "dd/mm/yyyy"  # the user's format, kept when OrderDesk writes
    assert due.value.date() == RECEIVED + timedelta(days=60)
    beside = ws.cell(row=2, column=max_col + 2)
    assert (beside.value, beside.number_format) == (1234.5, "0.000")
    assert wb[USER_SHEET]["A1"].value == "本周重点客户"
    assert wb[USER_SHEET]["B2"].value == "=1+1"  # the user's formula stays a formula
    assert "A5:C5" in {str(r) for r in wb[USER_SHEET].merged_cells.ranges}
    assert "MyRange" in wb.defined_names
    note = sheet(wb, "customers")["B2"].comment
    assert note is not None and note.author == "王经理"
    # and OrderDesk's own parts are intact
    assert [r.values["status"] for r in read(path, "orders")] == [
        OrderStatus.CHECKED.label("zh")
    ] * 2
    node = xml_cell(path, USER_SHEET, "B2")
    assert node is not None and node.find("{*}f") is not None
    part = table_parts(path)[TABLES["orders"].name]
    ns = {"m": part.tag.split("}")[0].strip("{")}
    assert [c.get("name") for c in part.iterfind("m:tableColumns/m:tableColumn", ns)] == [
        ws.cell(row=1, column=c).value for c in range(1, max_col + 1)
    ]


def test_validations_and_marks_of_the_workbook_survive_an_action(tmp_path: Path) -> None:
    path = seeded_workbook(tmp_path)
    fresh = opened(path)
    receive_rows(path, order_rows("SO1"))
    check(path)
    after = opened(path)
    for title in fresh.sheetnames:
        a, b = fresh[title], after[title]
        assert len(b.data_validations.dataValidation) == len(a.data_validations.dataValidation)
        assert [str(r.sqref) for r in b.conditional_formatting] == [
            str(r.sqref) for r in a.conditional_formatting
        ]
        assert b.freeze_panes == a.freeze_panes
    assert after.defined_names.keys() == fresh.defined_names.keys()


def test_a_column_moved_by_the_user_is_still_found_by_its_header(tmp_path: Path) -> None:
    """Staff insert a column of their own in the middle of the lines table."""
    path = seeded_workbook(tmp_path)

    def insert(wb) -> None:
        ws = sheet(wb, "lines")
        lo = ws.tables[TABLES["lines"].name]
        _, _, max_col, max_row = range_boundaries(lo.ref)
        at = column_index(ws, "lines")["product_name"]
        ws.move_range(f"{get_column_letter(at)}1:{get_column_letter(max_col)}{max_row}", cols=1)
        ws.cell(row=1, column=at, value="客户料号")
        lo.ref = f"A1:{get_column_letter(max_col + 1)}{max_row}"
        lo.autoFilter.ref = lo.ref
        lo.tableColumns.insert(at - 1, TableColumn(id=max_col + 1, name="客户料号"))

    edit(path, insert)
    receive_rows(path, order_rows("SO1", lines=1))
    ws = sheet(opened(path), "lines")
    cols = column_index(ws, "lines")
    line = read(path, "lines")[0].values
    assert ws.cell(row=1, column=cols["product_name"] - 1).value == "客户料号"
    assert ws.cell(row=2, column=cols["product_name"] - 1).value is None
    for key in ("product_name", "spec", "quantity", "unit_price", "delivery_date"):
        assert ws.cell(row=2, column=cols[key]).value == line[key]
    assert isinstance(line["quantity"], int)
    assert Decimal(str(line["unit_price"])) > 0


@pytest.mark.parametrize("lang", LANGS)
def test_headers_renamed_into_the_other_language_are_still_recognised(
    tmp_path: Path, lang: str
) -> None:
    path = new_workbook(tmp_path, lang)
    other = "en" if lang == "zh" else "zh"

    def translate(wb) -> None:
        ws = sheet(wb, "orders")
        lo = ws.tables[TABLES["orders"].name]
        for offset, col in enumerate(TABLES["orders"].columns):
            label = col.label("orders", other)
            ws.cell(row=1, column=1 + offset, value=label)
            lo.tableColumns[offset].name = label

    edit(path, translate)
    _append_order(path, channel=Channel.FAX, customer_name="甲")
    row = read(path, "orders")[0]
    assert row.values["order_no"] == "SO1"
    assert row.values["channel"] == Channel.FAX.label(lang)  # labels in the workbook's language
    assert row.values["customer_name"] == "甲"


def test_rows_typed_just_below_a_table_belong_to_it(tmp_path: Path) -> None:
    """Excel grows a table when staff type under it; a file edited elsewhere may not have."""
    path = new_workbook(tmp_path)
    _append_order(path, customer_name="甲")

    def type_below(wb) -> None:
        ws = sheet(wb, "orders")
        cols = column_index(ws, "orders")
        ws.cell(row=3, column=cols["order_no"], value="SO2")
        ws.cell(row=3, column=cols["customer_name"], value="乙")
        assert ws.tables[TABLES["orders"].name].ref.endswith("2")  # not grown

    edit(path, type_below)
    assert [r.values["order_no"] for r in read(path, "orders")] == ["SO1", "SO2"]
    with FileStore.open(path, write=True) as store:
        changes = ChangeSet()
        changes.append("orders", {"order_no": "SO3"})
        store.commit(changes)
    rows = read(path, "orders")
    assert [(r.row, r.values["order_no"]) for r in rows] == [(2, "SO1"), (3, "SO2"), (4, "SO3")]
    ref = sheet(opened(path), "orders").tables[TABLES["orders"].name].ref
    assert ref == f"A1:{get_column_letter(len(TABLES['orders'].columns))}4"
