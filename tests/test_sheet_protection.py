"""Sheet protection of the master workbook (issue 11 item 3): the sheets of records protected
without a password, staff's input columns unlocked, and every store writing through it.

Read back with openpyxl: ``<sheetProtection>`` and each cell's (or, for a cell not yet there,
its column's) locked flag. Live Excel is the tests' engine, which refuses a write into a locked
cell of a protected sheet as Excel does.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from lifecycle_fixtures import OM, T0, master_changes
from openpyxl import load_workbook
from protection_checks import build, check_protected, last_rows, locked, options
from soffice import convert
from xlwings_openpyxl.engine import ComError

from addin.cli import main
from addin.core.enums import OrderStatus
from addin.core.protection import LOCKED, PROTECTED_SHEETS, input_columns, is_locked
from addin.core.schema import SCHEMA_VERSION, TABLES
from addin.i18n import Lang, t
from addin.services import review
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet, RowAppend, StoreError
from workbook.xlwings_store import XlwingsStore

DATA = Path(__file__).parent / "data"
STORES = {"patch": PatchFileStore, "openpyxl": FileStore}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_init_protects_the_sheets_of_records(tmp_path: Path, lang: Lang) -> None:
    path = create_master_workbook(tmp_path / "master.xlsx", lang)
    check_protected(path, lang)


def test_the_rule_names_input_and_action_columns() -> None:
    # What staff type stays open; what only actions write is locked.
    assert "quantity" in input_columns("lines") and is_locked("lines", "shipped_qty")
    assert is_locked("orders", "status") and not is_locked("orders", "customer_code")
    assert set(input_columns("tracking")) >= {"order_no", "kind", "date", "quantity"}
    assert is_locked("tracking", "recorded_at") and is_locked("changes", "change_no")
    assert input_columns("ledger") == input_columns("versions") == ()
    assert input_columns("task_orders") == ()
    assert "decision" in input_columns("reviews") and is_locked("reviews", "department")
    assert not any(is_locked("customers", k) for k in TABLES["customers"].column_keys)
    assert {"settings", "customers", "products", "dashboard"}.isdisjoint(PROTECTED_SHEETS)


@pytest.mark.parametrize(
    ("name", "lang"), [("master_v1_en.xlsx", "en"), ("empty_v1_zh.xlsx", "zh")]
)
def test_upgrade_protects_an_older_workbook(
    tmp_path: Path, name: str, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path(shutil.copy(DATA / name, tmp_path / name))
    assert not any(ws.protection.sheet for ws in load_workbook(path).worksheets)
    assert main(["upgrade", str(path), "--lang", lang]) == 0
    out = capsys.readouterr().out
    titles = [TABLES[k].sheet_title(lang) for k in LOCKED if k != "change_reviews"]
    sep = "、" if lang == "zh" else ", "
    assert t("upgrade.protected", lang, sheets=sep.join(titles)) in out
    check_protected(path, lang, last_rows(path))
    assert main(["verify", str(path), "--lang", lang]) == 0
    before = path.read_bytes()
    assert main(["upgrade", str(path), "--lang", lang]) == 0  # protected already: left alone
    assert t("upgrade.current", lang, version=SCHEMA_VERSION) in capsys.readouterr().out
    assert path.read_bytes() == before


def test_upgrade_leaves_a_sheet_protected_with_its_own_options(tmp_path: Path) -> None:
    path = create_master_workbook(tmp_path / "master.xlsx", "en")
    wb = load_workbook(path)
    wb[TABLES["ledger"].sheet_title("en")].protection.sheet = False  # a site lifted this one
    wb[TABLES["orders"].sheet_title("en")].protection.formatCells = False
    wb.save(path)
    assert main(["upgrade", str(path), "--lang", "en", "--json"]) == 0
    after = load_workbook(path)
    assert after[TABLES["ledger"].sheet_title("en")].protection.sheet
    orders = after[TABLES["orders"].sheet_title("en")].protection
    assert orders.sheet and orders.formatCells is False


@pytest.mark.parametrize("kind", list(STORES))
def test_each_file_store_keeps_protection_and_the_columns_flags(tmp_path: Path, kind: str) -> None:
    path = build(tmp_path / "master.xlsx", STORES[kind])
    rows = last_rows(path)
    assert rows["orders"] > 2 and rows["lines"] > 2 and rows["ledger"] > 2  # rows appended
    check_protected(path, "en", rows)


def test_the_patching_store_keeps_the_sheet_protection_as_it_was(tmp_path: Path) -> None:
    path = create_master_workbook(tmp_path / "master.xlsx", "en")
    wb = load_workbook(path)
    ws = wb[TABLES["tracking"].sheet_title("en")]
    ws.protection.formatCells = False  # a site's own choice of options
    wb.save(path)
    with PatchFileStore.open(path, write=True) as store:
        store.commit(master_changes())
        fact = {"order_no": "SO-1", "kind": "production", "quantity": 5}
        store.commit(ChangeSet(appends=[RowAppend("tracking", fact)]))
        assert store.last_commit == "patch"
    after = load_workbook(path)[TABLES["tracking"].sheet_title("en")]
    assert options(after) == options(ws)
    assert not locked(after, 2, 1) and locked(after, 2, 1 + 12)  # order no, recorded by


def test_a_libreoffice_round_trip_keeps_the_protection(tmp_path: Path) -> None:
    path = build(tmp_path / "master.xlsx", PatchFileStore)
    rows = last_rows(path)
    saved = convert("xlsx", [path], tmp_path / "lo", tmp_path / "profile")
    assert [p.name for p in saved] == [path.name]
    check_protected(saved[0], "en", rows)


# -- live Excel (the tests' engine) ------------------------------------------------------------
@pytest.fixture
def live(tmp_path: Path, open_book: Callable[[Path | str], xw.Book]) -> xw.Book:
    return open_book(build(tmp_path / "master.xlsx", PatchFileStore))


def sheet_of(book: xw.Book, table: str) -> xw.Sheet:
    return book.sheets[TABLES[table].sheet_title("en")]


def order_no(book: xw.Book) -> str:
    return str(XlwingsStore(book).read("orders")[0].values["order_no"])


def test_excel_refuses_typing_into_a_locked_cell(live: xw.Book) -> None:
    orders = sheet_of(live, "orders")
    status = 1 + TABLES["orders"].column_keys.index("status")
    remarks = 1 + TABLES["orders"].column_keys.index("remarks")
    with pytest.raises(ComError):
        orders.range((2, status)).value = "closed"
    orders.range((2, remarks)).value = "call first"  # an input column takes typing
    tracking = sheet_of(live, "tracking")
    tracking.range((9, 1)).value = "SO-9"  # a row typed below the table: unlocked too
    with pytest.raises(ComError):
        tracking.range((9, 13)).value = "me"  # recorded by: the action's
    assert orders.range((2, remarks)).value == "call first"


def test_the_xlwings_store_writes_through_protection(live: xw.Book, xl_engine: Any) -> None:
    before = {key: options(sheet_of(live, key).api) for key in ("orders", "reviews", "ledger")}
    number = order_no(live)
    review.start(XlwingsStore(live), number, user=OM, now=T0 + timedelta(hours=2))
    assert XlwingsStore(live).read("orders")[0].values["status"] == OrderStatus.IN_REVIEW.label(
        "en"
    )
    assert xl_engine.count("unprotect") == xl_engine.count("protect") >= 3
    for key, was in before.items():
        assert options(sheet_of(live, key).api) == was, key
    live.save()
    check_protected(Path(live.fullname), "en", last_rows(Path(live.fullname)))


def test_a_failed_write_leaves_every_sheet_protected(
    live: xw.Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("Excel stopped")

    monkeypatch.setattr(XlwingsStore, "_append", broken)
    with pytest.raises(StoreError) as failure:
        review.start(XlwingsStore(live), order_no(live), user=OM, now=T0 + timedelta(hours=2))
    assert failure.value.key == "store.write_failed"
    for key in LOCKED:
        assert sheet_of(live, key).api.ProtectContents, key


def test_a_password_the_store_lacks_refuses_the_write_and_restores_the_rest(
    live: xw.Book,
) -> None:
    # Sheets are lifted in table order: orders before reviews; a password on the reviews
    # sheet stops the write after orders was unprotected.
    reviews = sheet_of(live, "reviews").api
    reviews.Unprotect()
    reviews.Protect(Password="secret", AllowFormattingColumns=True)
    before = XlwingsStore(live).read("orders")
    with pytest.raises(StoreError) as failure:
        review.start(XlwingsStore(live), order_no(live), user=OM, now=T0 + timedelta(hours=2))
    assert failure.value.key == "store.write_failed"
    assert XlwingsStore(live).read("orders") == before  # nothing written
    assert sheet_of(live, "orders").api.ProtectContents
    assert reviews.ProtectContents and reviews.Protection.AllowFormattingColumns


def test_rows_typed_below_a_protected_table_are_read_and_the_table_grows_over_them(
    live: xw.Book,
) -> None:
    tracking = sheet_of(live, "tracking")
    table = tracking.tables[TABLES["tracking"].name]
    last = table.range.last_cell.row
    keys = TABLES["tracking"].column_keys
    typed = {"order_no": order_no(live), "line_no": 1, "kind": "Production", "quantity": 3}
    for key, value in typed.items():  # Excel does not extend the table on a protected sheet
        tracking.range((last + 1, 1 + keys.index(key))).value = value
    assert table.range.last_cell.row == last
    rows = XlwingsStore(live).read("tracking")
    assert [r.row for r in rows] == [last + 1]
    appended = dict(typed, quantity=4)
    XlwingsStore(live).commit(ChangeSet(appends=[RowAppend("tracking", appended)]))
    assert table.range.last_cell.row == last + 2  # over the typed row and the appended one
    assert tracking.api.ProtectContents


# -- Excel for Mac: the same lift and restore through AppleScript's names -------------------------
class _Property:
    """An appscript property reference: read with ``get()``."""

    def __init__(self, owner: dict[str, bool], name: str) -> None:
        self.owner, self.name = owner, name

    def get(self) -> bool:
        return self.owner[self.name]


class _MacSheetApi:
    """A worksheet as appscript shows it: properties read with ``get()``, the protect and
    unprotect commands (names from xlwings' AppleScript dictionary)."""

    def __init__(self, options: dict[str, bool]) -> None:
        self.state = {"protect_contents": True, **options}
        self.calls: list[tuple[str, dict[str, bool]]] = []

    def __getattr__(self, name: str) -> Any:
        if name == "protection_object":
            return self
        if name in self.state or name.startswith(("allow_", "protect_")):
            self.state.setdefault(name, False)
            return _Property(self.state, name)
        raise AttributeError(name)

    def unprotect(self) -> None:
        self.calls.append(("unprotect", {}))
        self.state["protect_contents"] = False

    def protect_worksheet(self, **options: bool) -> None:
        self.calls.append(("protect_worksheet", options))
        self.state["protect_contents"] = True


def test_the_applescript_names_are_excel_for_macs() -> None:
    """Every name the macOS path uses is in xlwings' AppleScript dictionary of Excel."""
    from xlwings import mac_dict

    from workbook.xlwings_protection import ALLOW

    properties = {name for name, _ in mac_dict.properties}
    commands = {c[0]: {p for p, _ in c[2]} for c in mac_dict.commands}
    used = {"protect_contents", "protect_drawing_objects", "protect_scenarios", "protection_object"}
    assert used | {mac for _, mac in ALLOW} <= properties
    assert "unprotect" in commands
    assert {mac for _, mac in ALLOW} | {"drawing_objects", "scenarios", "worksheet_contents"} <= (
        commands["protect_worksheet"]
    )


def test_on_macos_a_write_lifts_and_restores_protection_by_applescript(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from workbook import xlwings_protection

    monkeypatch.setattr(xlwings_protection.sys, "platform", "darwin")
    api = _MacSheetApi({"allow_sorting": True, "protect_drawing_objects": True})
    sheet = type("Sheet", (), {"name": "Orders", "api": api})()
    with pytest.raises(RuntimeError), xlwings_protection.lifted([sheet, sheet]):
        assert not api.state["protect_contents"]  # lifted once for the block
        raise RuntimeError("Excel refused a write")
    assert [name for name, _ in api.calls] == ["unprotect", "protect_worksheet"]
    restored = api.calls[1][1]
    assert restored["worksheet_contents"] and restored["drawing_objects"]
    assert restored["allow_sorting"] and not restored["allow_deleting_rows"]
    assert api.state["protect_contents"]
