"""Master workbooks made before a column existed keep working (schema 1 → 2).

The fixtures in ``tests/data`` were made by the code of commit 8f0bcf3 (see its README): their
tables lack the columns of ``addin.core.schema_history.ADDED_IN``. Reading them shows those
columns blank; the first write, or ``orderdesk upgrade``, adds them by patching the package.
"""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest
import xlwings as xw
from lifecycle_fixtures import OM, RECEIVED
from openpyxl import load_workbook
from soffice import CSV_ALL_SHEETS, convert

from addin.cli import main
from addin.core.schema import NAME_SCHEMA_VERSION, SCHEMA_VERSION, TABLES
from addin.core.schema_history import ADDED_IN, later_columns
from addin.i18n import t
from addin.services import receipt
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet, StoreError
from workbook.xlwings_store import XlwingsStore

DATA = Path(__file__).parent / "data"
ADDED = ADDED_IN[2]
HEADER_EN = ["Customer code", "Customer name", "Customer PO / contract no.", "Product code",
             "Quantity", "Unit price", "Delivery date", "Received"]  # fmt: skip


@pytest.fixture
def old_master(tmp_path: Path) -> Path:
    return Path(shutil.copy(DATA / "master_v1_en.xlsx", tmp_path / "master.xlsx"))


@pytest.fixture
def old_empty(tmp_path: Path) -> Path:
    return Path(shutil.copy(DATA / "empty_v1_zh.xlsx", tmp_path / "empty.xlsx"))


def form(path: Path, po: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER_EN)
        writer.writerow(["C1", "Acme Machines", po, "P1", 100, "1.00", "2026-05-01",
                         RECEIVED.isoformat()])  # fmt: skip
    return path


def headers(path: Path) -> dict[str, list[str]]:
    """Table name → its header cells, and the tableColumns' names, as openpyxl reads them."""
    wb = load_workbook(path)
    out: dict[str, list[str]] = {}
    for ws in wb.worksheets:
        for name in ws.tables:
            lo = ws.tables[name]
            cells = ws[lo.ref.split(":")[0] : lo.ref.split(":")[1].rstrip("0123456789") + "1"]
            texts = [c.value for c in cells[0]]
            assert texts == [c.name for c in lo.tableColumns], name
            out[name] = texts
    return out


def version(path: Path) -> str:
    return str(load_workbook(path).defined_names[NAME_SCHEMA_VERSION].attr_text)


def kept(path: Path) -> dict[str, list[dict]]:
    """Every table's rows as read (without the added columns), to compare before and after."""
    with PatchFileStore.open(path) as store:
        return {
            key: [
                {k: v for k, v in row.values.items() if k not in later_columns(key)}
                for row in store.read(key)
            ]
            for key in TABLES
        }


def test_the_fixture_is_an_older_workbook(old_master: Path) -> None:
    assert version(old_master) == "1"
    found = headers(old_master)
    for table, column in ADDED:
        label = TABLES[table].column(column).label(table, "en")
        assert label not in found[TABLES[table].name]
    assert SCHEMA_VERSION == 2


@pytest.mark.parametrize("store_class", [PatchFileStore, FileStore])
def test_absent_columns_read_blank_and_reading_writes_nothing(
    old_master: Path, store_class: type
) -> None:
    before = old_master.read_bytes()
    with store_class.open(old_master) as store:
        orders = store.read("orders")
        ledger = store.read("ledger")
    assert len(orders) == 8 and len(ledger) == 16
    assert {r.values["customer_po"] for r in orders} == {None}
    assert {r.values["digest"] for r in ledger} == {None}
    assert main(["verify", str(old_master), "--lang", "en"]) == 0
    assert old_master.read_bytes() == before


def test_upgrade_adds_the_columns_and_keeps_every_other_part(
    old_master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before_rows = kept(old_master)
    with zipfile.ZipFile(old_master) as z:
        before = {n: z.read(n) for n in z.namelist()}
    assert main(["upgrade", str(old_master), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert f"workbook upgraded to version 2, {len(ADDED)} columns added" in out
    assert "sheet 'Change reviews' added (table OD_ChangeReviews)" in out
    assert version(old_master) == "2"
    found = headers(old_master)
    for table in {name for name, _ in ADDED}:
        # at the table's right end, in schema order, in the workbook's language
        keys = [key for key in TABLES[table].column_keys if (table, key) in ADDED]
        labels = [TABLES[table].column(key).label(table, "en") for key in keys]
        assert found[TABLES[table].name][-len(labels) :] == labels
    with zipfile.ZipFile(old_master) as z:
        after = {n: z.read(n) for n in z.namelist()}
    # the change reviews sheet: its worksheet, its relationships and its table
    assert set(after) - set(before) == {
        "xl/worksheets/sheet16.xml",
        "xl/worksheets/_rels/sheet16.xml.rels",
        "xl/tables/table17.xml",
    }
    assert set(before) <= set(after)
    changed = {n for n in before if before[n] != after[n]}
    # the sheets and tables that gained a column, the stylesheet (column formats), the workbook
    # part (schema version, the new sheet), its relationships, the content types, and the sheets
    # of records it protects (the ten the older workbook has, among them the five): every other
    # part keeps its bytes
    assert len([n for n in changed if n.startswith("xl/worksheets/sheet")]) == 10
    assert len([n for n in changed if n.startswith("xl/tables/")]) == 5
    assert changed - {n for n in changed if n.startswith(("xl/worksheets/", "xl/tables/"))} == {
        "xl/styles.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
    }
    assert kept(old_master) == before_rows
    assert main(["upgrade", str(old_master), "--lang", "en"]) == 0
    assert "nothing to upgrade" in capsys.readouterr().out
    assert main(["verify", str(old_master), "--lang", "en"]) == 0


def test_upgraded_columns_have_format_and_drop_down(old_master: Path) -> None:
    assert main(["upgrade", str(old_master)]) == 0
    wb = load_workbook(old_master)
    lines = wb["Order lines"]
    promised = lines.max_column
    letter = lines.cell(row=1, column=promised).column_letter
    assert lines.cell(row=1, column=promised).value == "Promised date"
    assert lines.column_dimensions[letter].number_format == "yyyy-mm-dd"
    beside = lines.cell(row=1, column=promised - 1)
    assert lines.cell(row=1, column=promised).font.b == beside.font.b
    assert lines.cell(row=1, column=promised).fill.fgColor.rgb == beside.fill.fgColor.rgb
    settings = wb["Settings"]
    staff = settings.tables["OD_Staff"]
    assert staff.ref.startswith("E1:I")
    rules = {str(dv.sqref): dv.formula1 for dv in settings.data_validations.dataValidation}
    assert rules["I2:I20001"] == '"Yes,No"'
    assert settings["J1"].value == t("col.time_limits.stage", "en")  # the next table is unmoved


def test_an_action_through_the_patch_store_upgrades_first(old_master: Path, tmp_path: Path) -> None:
    before_rows = kept(old_master)
    path = form(tmp_path / "new.csv", "PO-77")
    with PatchFileStore.open(old_master, write=True) as store:
        outcome = receipt.receive(store, path, user=OM)
        assert store.last_commit == "patch"
    (order,) = outcome.orders
    assert version(old_master) == "2"
    after = kept(old_master)
    assert after["orders"][:8] == before_rows["orders"]
    assert after["ledger"][:16] == before_rows["ledger"]
    with PatchFileStore.open(old_master) as store:
        rows = {r.values["order_no"]: r.values for r in store.read("orders")}
        digests = [r.values["digest"] for r in store.read("ledger")]
    assert rows[order.order_no]["customer_po"] == "PO-77"
    assert digests[-1]  # the new ledger row records its digest in the added column
    assert main(["check", str(old_master), order.order_no, "--user", OM, "--lang", "en"]) == 0
    assert main(["verify", str(old_master), "--lang", "en"]) == 0


def test_an_action_through_the_openpyxl_store_upgrades_first(
    old_master: Path, tmp_path: Path
) -> None:
    before_rows = kept(old_master)
    with FileStore.open(old_master, write=True) as store:
        outcome = receipt.receive(store, form(tmp_path / "new.csv", "PO-78"), user=OM)
    assert version(old_master) == "2"
    found = headers(old_master)
    assert found["OD_Orders"][-2:] == ["Customer PO / contract no.", "Final inspection report"]
    assert found["OD_Staff"][-1] == "Active"
    after = kept(old_master)
    assert after["orders"][:8] == before_rows["orders"]
    with FileStore.open(old_master) as store:
        rows = {r.values["order_no"]: r.values for r in store.read("orders")}
    assert rows[outcome.orders[0].order_no]["customer_po"] == "PO-78"
    assert main(["verify", str(old_master), "--lang", "en"]) == 0


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "sheet 'Orders': cell X3 is not empty, so column 'Customer PO / contract no.' "
               "cannot be added at the table's right end; move that content and try again"),
        ("zh", "工作表“Orders”的单元格 X3 有内容，无法在表右侧添加“Customer PO / contract no.”列："
               "请移走该内容后重试"),
    ],
)  # fmt: skip
def test_upgrade_refuses_to_cover_a_users_cell(
    old_master: Path, lang: str, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = load_workbook(old_master)
    wb["Orders"]["X3"] = "my note"
    wb.save(old_master)
    before = old_master.read_bytes()
    assert main(["upgrade", str(old_master), "--lang", lang, "--json"]) == 2
    answer = json.loads(capsys.readouterr().out)
    assert answer["error"] == "store.upgrade_blocked"
    assert answer["message"] == text
    assert old_master.read_bytes() == before
    with pytest.raises(StoreError) as caught, FileStore.open(old_master, write=True) as store:
        store.upgrade()
    assert caught.value.key == "store.upgrade_blocked"


def test_an_empty_older_workbook_upgraded_opens_in_libreoffice(
    old_empty: Path, tmp_path: Path
) -> None:
    assert main(["upgrade", str(old_empty), "--lang", "zh"]) == 0
    assert version(old_empty) == "2"
    assert headers(old_empty)["OD_Ledger"][-1] == t("col.ledger.digest", "zh")
    sheets = convert(CSV_ALL_SHEETS, [old_empty], tmp_path / "csv", tmp_path / "profile")
    texts = [p.read_text(encoding="utf-8") for p in sheets]
    orders = next(x for x in texts if x.startswith(t("col.orders.order_no", "zh")))
    assert orders.splitlines()[0].endswith(
        t("col.orders.customer_po", "zh") + "," + t("col.orders.final_report_no", "zh")
    )
    (back,) = convert("xlsx", [old_empty], tmp_path / "lo", tmp_path / "profile")
    with FileStore.open(back) as store:  # LibreOffice keeps the tables and their new columns
        assert [r.values for r in store.read("staff")] == []
    with PatchFileStore.open(back) as store:
        assert store.absent_columns() == {}


def test_live_excel_reads_an_older_workbook_and_asks_for_the_upgrade(
    old_master: Path, open_book: object
) -> None:
    book: xw.Book = open_book(old_master)  # type: ignore[operator]
    store = XlwingsStore(book)
    assert {r.values["customer_po"] for r in store.read("orders")} == {None}
    changes = ChangeSet()
    changes.update("orders", 2, "remarks", "call back")
    with pytest.raises(StoreError) as caught:
        store.commit(changes)
    assert caught.value.key == "store.needs_upgrade"
    message = t(caught.value.key, "en", **caught.value.params)
    assert message.startswith("the workbook lacks a newer column ('Customer PO / contract no.'")
    assert "orderdesk upgrade" in t(caught.value.key, "zh", **caught.value.params)
    book.close()
    # once upgraded by the command line, the same action works in Excel
    assert main(["upgrade", str(old_master)]) == 0
    book = open_book(old_master)  # type: ignore[operator]
    XlwingsStore(book).commit(changes)
    book.save()
    book.close()
    with PatchFileStore.open(old_master) as store:
        assert store.read("orders")[0].values["remarks"] == "call back"


def test_only_newer_columns_may_be_absent(old_master: Path, tmp_path: Path) -> None:
    """A column the workbook's version already had is still required; a current workbook
    lacking a newer column is damaged, not old."""
    wb = load_workbook(old_master)
    wb["Orders"]["A1"] = "something else"
    wb.save(tmp_path / "no_order_no.xlsx")
    wb = load_workbook(old_master)
    wb.defined_names[NAME_SCHEMA_VERSION].attr_text = str(SCHEMA_VERSION)
    wb.save(tmp_path / "current_without_po.xlsx")
    for name, column in (("no_order_no", "order_no"), ("current_without_po", "customer_po")):
        for store_class in (PatchFileStore, FileStore):
            with (
                pytest.raises(StoreError) as caught,
                store_class.open(tmp_path / f"{name}.xlsx") as s,
            ):
                s.read("orders")
            assert caught.value.key == "store.missing_column"
            assert caught.value.params["column"] == t(f"col.orders.{column}", "zh")


@pytest.mark.parametrize("store_type", [PatchFileStore, FileStore])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_table_added_later_reads_empty_and_a_write_to_it_is_refused(
    old_master: Path, store_type: type, lang: str
) -> None:
    """An older workbook not yet upgraded lacks the change reviews table: every other action
    works on it (adding the newer columns, not the sheet), and one that would write that table
    is refused with nothing written, saying to run the upgrade."""
    before = old_master.read_bytes()
    with store_type.open(old_master, write=True) as store:
        assert store.read("change_reviews") == []
        assert store.read("orders")  # the rest reads as ever
        changes = ChangeSet()
        changes.append("change_reviews", {"change_no": "CH-1", "order_no": "SO-1"})
        with pytest.raises(StoreError) as refused:
            store.commit(changes)
    assert refused.value.key == "store.table_absent"
    text = t(refused.value.key, lang, **refused.value.params)
    assert (
        text
        == {
            "en": "the workbook has no table OD_ChangeReviews (it was made by a version before that "
            f"table) and this action needs it; nothing was written: close the workbook and run "
            f"orderdesk upgrade {old_master} to add it",
            "zh": "工作簿中没有表 OD_ChangeReviews（由早于该表的版本创建），此操作需要它，未写入任何"
            f"内容：请关闭工作簿，运行 orderdesk upgrade {old_master} 添加该表",
        }[lang]
    )
    assert old_master.read_bytes() == before
    assert main(["verify", str(old_master), "--lang", lang]) == 0
    with store_type.open(old_master, write=True) as store:  # a write adds columns, not sheets
        changes = ChangeSet()
        changes.update("orders", 2, "remarks", "call back")
        store.commit(changes)
    with PatchFileStore.open(old_master) as store:
        assert store.absent_columns() == {} and store.absent_tables() == ("change_reviews",)


def test_db_import_reads_an_older_workbook(old_master: Path, tmp_path: Path) -> None:
    """db import takes a workbook made before the change reviews sheet; its export has it."""
    url = f"sqlite:///{tmp_path / 'move.db'}"
    current = tmp_path / "current.xlsx"
    assert main(["db", "init", url, "--lang", "en"]) == 0
    assert main(["db", "import", str(old_master), url]) == 0
    assert main(["db", "export", url, str(current)]) == 0
    assert main(["verify", str(current)]) == 0
    with PatchFileStore.open(current) as store:
        assert store.read("change_reviews") == []  # the table is there, empty
        assert len(store.read("orders")) == len(kept(old_master)["orders"])
    assert TABLES["change_reviews"].name in headers(current)
