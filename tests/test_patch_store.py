"""The patching file store against the reference (openpyxl) file store.

The same change sets go through ``FileStore`` and ``PatchFileStore`` into copies of one master
workbook; both files must then read the same through both stores and look the same to openpyxl
(values, number formats, notes, marks, table ranges), open in LibreOffice and python-calamine,
and keep what users added to the workbook.
"""

from __future__ import annotations

import csv
import os
import random
import re
import shutil
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import TableColumn
from soffice import CSV_ALL_SHEETS, convert

from addin.core.enums import Channel, OrderStatus, YesNo
from addin.core.schema import SHEETS, TABLES, Kind
from addin.demo.data import clean_order
from addin.demo.run import FLAWS, seed_workbook, write_form
from addin.i18n import t
from addin.services import receipt
from workbook.file_store import MARK_COLOR, FileStore
from workbook.patch_store import PatchFileStore
from workbook.safe_save import backup_path
from workbook.store import ChangeSet, Row, StoreError

TODAY = date(2026, 11, 2)
NOW = datetime(2026, 11, 2, 9, 30)


# -- workbooks -------------------------------------------------------------------------------
def _master(path: Path, lang: str, orders: int = 6) -> Path:
    """A seeded master workbook with received and checked orders, some flawed (so marked)."""
    seed_workbook(path, lang, TODAY)
    rng = random.Random(7)
    rows: list[dict[str, Any]] = []
    spoil = list(FLAWS.values())
    for n in range(orders):
        order = clean_order(rng, f"SO-T{n:03d}", TODAY - timedelta(days=3), lines=2)
        if n % 2:
            spoil[n % len(spoil)](order)
        rows += order
    form = path.with_suffix(".csv")
    write_form(form, rows, lang)
    with FileStore.open(path, write=True) as store:
        receipt.receive(store, form, user="孙丽", now=NOW)  # order management
    with FileStore.open(path, write=True) as store:
        receipt.check(store, user="孙丽", now=NOW)
    return path


@pytest.fixture(scope="module")
def masters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("masters")
    return {lang: _master(folder / f"master-{lang}.xlsx", lang) for lang in ("zh", "en")}


def _copies(source: Path, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    ref, new = folder / "reference.xlsx", folder / "patched.xlsx"
    shutil.copy(source, ref)
    shutil.copy(source, new)
    return ref, new


def _commit_both(ref: Path, new: Path, change_sets: list[ChangeSet]) -> list[str]:
    with FileStore.open(ref, write=True) as store:
        for changes in change_sets:
            store.commit(changes)
    modes: list[str] = []
    with PatchFileStore.open(new, write=True) as patched:
        for changes in change_sets:
            patched.commit(changes)
            modes.append(patched.last_commit or "")
    return modes


# -- comparisons -----------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """Formula objects compare by what they hold."""
    if isinstance(value, ArrayFormula):
        return ("array", value.ref, value.text)
    return value


def _plain_rows(rows: list[Row]) -> list[tuple[int, dict[str, Any]]]:
    return [(r.row, {k: _plain(v) for k, v in r.values.items()}) for r in rows]


def _reads(path: Path, wb: Any = None) -> dict[str, Any]:
    """Every table through both stores (the reference one over ``wb`` when given)."""
    wb = wb if wb is not None else load_workbook(path)
    reference = FileStore(path, wb)
    with PatchFileStore.open(path) as patched:
        out = {}
        for table in TABLES:
            expected = _plain_rows(reference.read(table))
            assert _plain_rows(patched.read(table)) == expected, table
            assert patched.sheet_title(table) == reference.sheet_title(table)
            out[table] = expected
        assert patched.lang == reference.lang
        return out


def _mark(cell: Any) -> bool:
    return (
        cell.fill is not None
        and cell.fill.fgColor is not None
        and (cell.fill.fgColor.rgb == MARK_COLOR)
    )


def _cells(wb: Any) -> dict[tuple[str, str], tuple[Any, ...]]:
    """What a person sees in each cell that holds something: value, number format (for a value),
    text-ness, note and mark."""
    out: dict[tuple[str, str], tuple[Any, ...]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                note = (cell.comment.text, cell.comment.author) if cell.comment else None
                if cell.value is None and note is None and not _mark(cell):
                    continue
                out[(ws.title, cell.coordinate)] = (
                    _plain(cell.value),
                    cell.number_format if cell.value is not None else None,
                    bool(cell.quotePrefix) if isinstance(cell.value, str) else None,
                    note,
                    _mark(cell),
                )
    return out


def _tables(wb: Any) -> dict[str, tuple[str, str | None]]:
    return {
        table.name: (table.ref, table.autoFilter.ref if table.autoFilter else None)
        for ws in wb.worksheets
        for table in ws.tables.values()
    }


def _widths(wb: Any) -> dict[tuple[str, int], float]:
    """Custom column widths, per column (openpyxl keeps ranges as their first column)."""
    out = {}
    for ws in wb.worksheets:
        for dim in ws.column_dimensions.values():
            if dim.customWidth and dim.min and dim.max:
                for col in range(dim.min, dim.max + 1):
                    out[(ws.title, col)] = dim.width
    return out


def _calamine(path: Path) -> dict[str, list[list[Any]]]:
    calamine = pytest.importorskip("python_calamine")
    book = calamine.CalamineWorkbook.from_path(str(path))
    grids = {}
    for name in book.sheet_names:
        # openpyxl (so the reference store) writes text that reads like an error value as one
        rows = [
            ["" if v in ERROR_CODES else v for v in row]
            for row in book.get_sheet_by_name(name).to_python()
        ]
        while rows and all(v in ("", None) for v in rows[-1]):
            rows.pop()
        grids[name] = [_trim(row) for row in rows]
    return grids


def _trim(row: list[Any]) -> list[Any]:
    row = list(row)
    while row and row[-1] in ("", None):
        row.pop()
    return row


def assert_same_workbook(ref: Path, new: Path, cached_formulas: bool = False) -> None:
    """``cached_formulas``: the workbook has formulas, whose last results openpyxl drops and the
    patch keeps, so a reader of cached values (calamine) sees a difference there."""
    wb_new, wb_ref = load_workbook(new), load_workbook(ref)
    assert _reads(new, wb_new) == _reads(ref, wb_ref)
    assert _cells(wb_new) == _cells(wb_ref)
    assert _tables(wb_new) == _tables(wb_ref)
    assert _widths(wb_new) == _widths(wb_ref)
    if _has_calamine():
        grids = _calamine_or_failure(new)
        if not cached_formulas:
            assert grids == _calamine_or_failure(ref)
        else:
            assert isinstance(grids, dict)


def _calamine_or_failure(path: Path) -> Any:
    """calamine's grids, or how it failed (it panics on some dates far out of range: then it
    must fail on the reference file alike)."""
    try:
        return _calamine(path)
    except (KeyboardInterrupt, pytest.skip.Exception):
        raise
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        return ("calamine failed", type(exc).__name__)


def _has_calamine() -> bool:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


# -- change sets -----------------------------------------------------------------------------
FORMULA_LIKE = ["=SUM(A1:A3)", "+86 21 5566 7788", "-5", "@home", "=", "=1+1"]
TRICKY_TEXT = [" padded ", "a\nb", "x&y<z>'\"", "#N/A", "0123", "TRUE", "", "tab\there"]
_chars = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n")
TEXTS = st.text(_chars, max_size=24) | st.sampled_from(FORMULA_LIKE + TRICKY_TEXT)
ANY_VALUE = st.one_of(
    TEXTS,
    st.none(),
    st.integers(-(10**17), 10**17),
    st.floats(allow_nan=True, allow_infinity=False, width=64),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.dates(date(1901, 1, 1), date(2099, 12, 31)),
    st.datetimes(datetime(1901, 1, 1), datetime(2099, 12, 31)),
    st.booleans(),
    st.sampled_from([*OrderStatus, *YesNo, *Channel]),
)


def _value_for(kind: Kind) -> st.SearchStrategy[Any]:
    typical: dict[Kind, st.SearchStrategy[Any]] = {
        Kind.INT: st.integers(0, 10**6),
        Kind.MONEY: st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
        Kind.PERCENT: st.floats(0, 1),
        Kind.DATE: st.dates(date(2020, 1, 1), date(2030, 12, 31)),
        Kind.DATETIME: st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31)),
    }
    return st.one_of(typical.get(kind, TEXTS), ANY_VALUE)


EDITED = ["orders", "lines", "customers", "ledger", "settings", "staff", "reviews"]


@st.composite
def change_sets(draw: st.DrawFn, rows: dict[str, list[int]], lang: str) -> ChangeSet:
    changes = ChangeSet()

    def target(table: str) -> int:
        known = rows[table]
        last = max(known, default=1)
        return draw(st.sampled_from([*known, last + 1, last + 3]) if known else st.just(last + 1))

    for _ in range(draw(st.integers(0, 6))):
        table = draw(st.sampled_from(EDITED))
        col = draw(st.sampled_from(TABLES[table].columns))
        changes.update(table, target(table), col.key, draw(_value_for(col.kind)))
    for _ in range(draw(st.integers(0, 3))):
        table = draw(st.sampled_from(EDITED))
        columns = draw(st.lists(st.sampled_from(TABLES[table].columns), unique=True))
        changes.append(table, {c.key: draw(_value_for(c.kind)) for c in columns})
    for _ in range(draw(st.integers(0, 5))):
        table = draw(st.sampled_from(["orders", "lines", "customers"]))
        key = draw(st.sampled_from(TABLES[table].column_keys))
        note = draw(st.none() | TEXTS.filter(bool))
        changes.mark(table, target(table), key, note)
    if draw(st.integers(0, 4)) == 0:
        width = draw(st.integers(1, 4))
        changes.analysis = [
            [draw(ANY_VALUE) for _ in range(width)] for _ in range(draw(st.integers(1, 5)))
        ]
    return changes


def _row_numbers(path: Path) -> dict[str, list[int]]:
    with FileStore.open(path) as store:
        return {table: [r.row for r in store.read(table)] for table in TABLES}


# -- equal results ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reads_equal_the_file_store(masters: dict[str, Path], lang: str) -> None:
    reads = _reads(masters[lang])
    assert len(reads["orders"]) == 6 and len(reads["lines"]) == 12
    assert reads["ledger"]


ROWS: dict[str, dict[str, list[int]]] = {}


@settings(
    max_examples=int(os.environ.get("PATCH_STORE_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), lang=st.sampled_from(["zh", "en"]))
def test_random_change_sets_give_the_same_workbook(
    masters: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, data: Any, lang: str
) -> None:
    rows = ROWS.setdefault(lang, _row_numbers(masters[lang]))
    sets = data.draw(st.lists(change_sets(rows, lang), min_size=1, max_size=2))
    ref, new = _copies(masters[lang], tmp_path_factory.mktemp("random"))
    modes = _commit_both(ref, new, sets)
    assert all(m == "patch" for m in modes if m), modes
    assert_same_workbook(ref, new)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_receive_and_check_give_the_same_workbook(
    masters: dict[str, Path], tmp_path: Path, lang: str
) -> None:
    ref, new = _copies(masters[lang], tmp_path)
    rows = []
    rng = random.Random(3)
    for n, spoil in enumerate(list(FLAWS.values())[:4]):
        order = clean_order(rng, f"SO-N{n:03d}", TODAY, lines=3)
        spoil(order)
        rows += order
    form = tmp_path / "form.csv"
    write_form(form, rows, lang)
    modes = []
    for path, store_type in ((ref, FileStore), (new, PatchFileStore)):
        with store_type.open(path, write=True) as store:
            receipt.receive(store, form, user="孙丽", now=NOW)
            modes.append(getattr(store, "last_commit", None))
        with store_type.open(path, write=True) as store:
            receipt.check(store, user="孙丽", now=NOW + timedelta(hours=1))
            modes.append(getattr(store, "last_commit", None))
    assert modes == [None, None, "patch", "patch"]
    assert_same_workbook(ref, new)
    # the second check clears marks of orders found clean and sets new ones
    with FileStore.open(ref) as store:
        marked = [r for r in store.read("orders") if r.values["findings"]]
    assert marked


def test_marks_are_set_replaced_and_cleared(masters: dict[str, Path], tmp_path: Path) -> None:
    ref, new = _copies(masters["en"], tmp_path)
    rows = _row_numbers(ref)["lines"]
    first = ChangeSet()
    for row in rows[:3]:
        first.mark("lines", row, "quantity", f"too few on row {row}")
    second = ChangeSet()
    second.mark("lines", rows[0], "quantity", "replaced\nover two lines")
    for row in rows[1:3]:
        second.mark("lines", row, "quantity", None)
    clear_all = ChangeSet()
    with FileStore.open(ref) as store:
        for table in ("orders", "lines"):
            for row in store.read(table):
                for key in TABLES[table].column_keys:
                    clear_all.mark(table, row.row, key, None)
    _commit_both(ref, new, [first, second])
    assert_same_workbook(ref, new)
    _commit_both(ref, new, [clear_all])
    assert_same_workbook(ref, new)
    with zipfile.ZipFile(new) as package:
        names = package.namelist()
    assert not [n for n in names if "comment" in n.lower() or n.endswith(".vml")], names


def test_a_note_someone_else_wrote_is_kept(masters: dict[str, Path], tmp_path: Path) -> None:
    """Unlike the reference store, a mark never replaces a note a person wrote: the cell is
    highlighted and the person's note stays (the finding is in the order's findings too)."""
    wb = load_workbook(masters["en"])
    ws = wb[TABLES["orders"].sheet_title("en")]
    col = TABLES["orders"].column_keys.index("contact") + 1
    ws.cell(row=2, column=col).comment = Comment("call before noon", "Alice")
    source = tmp_path / "noted.xlsx"
    wb.save(source)
    _, new = _copies(source, tmp_path / "run")
    marked, cleared = ChangeSet(), ChangeSet()
    marked.mark("orders", 2, "contact", "contact missing")
    cleared.mark("orders", 2, "contact", None)
    with PatchFileStore.open(new, write=True) as store:
        store.commit(marked)
        assert store.last_commit == "patch"
    cell = load_workbook(new)[ws.title].cell(row=2, column=col)
    assert (cell.comment.text, cell.comment.author) == ("call before noon", "Alice")
    assert _mark(cell)
    with PatchFileStore.open(new, write=True) as store:
        store.commit(cleared)
    cell = load_workbook(new)[ws.title].cell(row=2, column=col)
    assert (cell.comment.text, cell.comment.author) == ("call before noon", "Alice")
    assert not _mark(cell)


# -- what the patch keeps ------------------------------------------------------------------------
def _raw_members(path: Path) -> dict[str, tuple[int, int, bytes]]:
    data = path.read_bytes()
    with zipfile.ZipFile(path) as package:
        out = {}
        for info in package.infolist():
            header = data[info.header_offset : info.header_offset + 30]
            start = info.header_offset + 30 + int.from_bytes(header[26:28], "little")
            start += int.from_bytes(header[28:30], "little")
            out[info.filename] = (
                info.CRC,
                info.file_size,
                data[start : start + info.compress_size],
            )
        return out


def test_unchanged_members_are_copied_byte_for_byte(
    masters: dict[str, Path], tmp_path: Path
) -> None:
    _, new = _copies(masters["zh"], tmp_path)
    before = _raw_members(new)
    with PatchFileStore.open(new, write=True) as store:
        row = store.read("orders")[0].row
        changes = ChangeSet()
        changes.update("orders", row, "remarks", "patched")
        store.commit(changes)
        orders_part = store._found[TABLES["orders"].name].sheet.part
    after = _raw_members(new)
    assert list(after) == list(before)  # same members, same order
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {orders_part}
    assert backup_path(new).read_bytes() == masters["zh"].read_bytes()
    with zipfile.ZipFile(new) as package:
        assert package.testzip() is None
        assert not [i for i in package.infolist() if i.flag_bits & 0x8]  # no data descriptors


def _user_workbook(source: Path, folder: Path) -> Path:
    """The master as users make it theirs: an extra column inside the orders table, a format, a
    sheet of their own with a chart, and a picture on the orders sheet."""
    wb = load_workbook(source)
    orders = wb[TABLES["orders"].sheet_title("zh")]
    table = orders.tables[TABLES["orders"].name]
    last_col = orders.max_column + 1
    orders.cell(row=1, column=last_col, value="客户评级")
    for row in range(2, orders.max_row + 1):
        orders.cell(row=row, column=last_col, value=f"A{row}")
    letter = get_column_letter(last_col)
    table.ref = f"A1:{letter}{orders.max_row}"
    table.autoFilter.ref = table.ref
    table.tableColumns.append(TableColumn(id=last_col, name="客户评级"))
    orders["F2"].number_format = "0.000"
    mine = wb.create_sheet("我的分析")
    for r, (name, qty) in enumerate([("甲", 3), ("乙", 5), ("丙", 8)], start=1):
        mine.cell(row=r, column=1, value=name)
        mine.cell(row=r, column=2, value=qty)
    chart = BarChart()
    chart.add_data(Reference(mine, min_col=2, min_row=1, max_row=3))
    mine.add_chart(chart, "D2")
    path = folder / "user.xlsx"
    wb.save(path)
    _add_picture(path, TABLES["orders"].sheet_title("zh"))
    return path


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2a7"
    "9c4a0000000049454e44ae426082"
)


def _add_picture(path: Path, sheet_title: str) -> None:
    """A picture in a drawing of its own on a sheet, written as Excel writes it (openpyxl needs
    Pillow for pictures)."""
    with zipfile.ZipFile(path) as package:
        members = {i.filename: package.read(i.filename) for i in package.infolist()}
    wb_xml = members["xl/workbook.xml"].decode()
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    rel_id = wb_xml.split(f'name="{sheet_title}"')[1].split('r:id="')[1].split('"')[0]
    target = rels.split(f'Id="{rel_id}"')[0].rsplit("Target=", 1)[1].split('"')[1]
    sheet = "xl/worksheets/" + target.rsplit("/", 1)[1]
    sheet_rels = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
    members["xl/media/picture1.png"] = PNG
    members["xl/drawings/drawing99.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        b' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b"<xdr:oneCellAnchor><xdr:from><xdr:col>30</xdr:col><xdr:colOff>0</xdr:colOff>"
        b"<xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        b'<xdr:ext cx="952500" cy="952500"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Logo"/>'
        b'<xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId1"/>'
        b"<a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr>"
        b'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>'
        b"<xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"
    )
    members["xl/drawings/_rels/drawing99.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Target="../media/picture1.png" Type="http://schemas.openxmlformats'
        b'.org/officeDocument/2006/relationships/image"/></Relationships>'
    )
    members[sheet_rels] = members[sheet_rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdPic" Target="/xl/drawings/drawing99.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/drawing"/></Relationships>',
    )
    xml = members[sheet]
    anchor = xml.index(b"<legacyDrawing") if b"<legacyDrawing" in xml else xml.index(b"<tableParts")
    members[sheet] = (
        xml[:anchor]
        + b'<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        b' r:id="rIdPic"/>' + xml[anchor:]
    )
    types = members["[Content_Types].xml"]
    members["[Content_Types].xml"] = types.replace(
        b"</Types>",
        b'<Default Extension="png" ContentType="image/png"/><Override PartName="/xl/drawings/'
        b'drawing99.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>'
        b"</Types>",
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in members.items():
            package.writestr(name, content)


def test_what_users_added_is_kept(masters: dict[str, Path], tmp_path: Path) -> None:
    source = _user_workbook(masters["zh"], tmp_path)
    ref, new = _copies(source, tmp_path / "run")
    before = _raw_members(new)
    rows = []
    rng = random.Random(11)
    for n in range(2):
        rows += clean_order(rng, f"SO-U{n:03d}", TODAY, lines=2)
    form = tmp_path / "form.csv"
    write_form(form, rows, "zh")
    for path, store_type in ((ref, FileStore), (new, PatchFileStore)):
        with store_type.open(path, write=True) as store:
            receipt.receive(store, form, user="孙丽", now=NOW)
        with store_type.open(path, write=True) as store:
            receipt.check(store, user="孙丽", now=NOW)
            if store_type is PatchFileStore:
                assert store.last_commit == "patch"
    after = _raw_members(new)
    kept = [n for n in before if "chart" in n or "drawing" in n or "media" in n]
    assert len(kept) >= 5, kept
    for name in kept:
        if not name.endswith(".vml"):
            assert after[name] == before[name], name  # byte for byte
    wb = load_workbook(new)
    orders = wb[TABLES["orders"].sheet_title("zh")]
    extra = orders.max_column
    assert orders.cell(row=1, column=extra).value == "客户评级"
    assert orders.cell(row=2, column=extra).value == "A2"
    assert orders["F2"].number_format == "0.000"
    assert [c.value for c in wb["我的分析"]["A"]] == ["甲", "乙", "丙"]
    with zipfile.ZipFile(new) as package:
        sheet_xml = package.read(
            next(n for n in package.namelist() if n.endswith("sheet1.xml"))
        ).decode()
    assert 'r:id="rIdPic"' in sheet_xml
    # the reference store loses the picture it did not write
    with zipfile.ZipFile(ref) as package:
        assert not [n for n in package.namelist() if n.startswith("xl/media/")]
    with FileStore.open(ref) as a, PatchFileStore.open(new) as b:
        for table in TABLES:
            assert a.read(table) == b.read(table), table
    _calamine(new)


# -- rows typed below a table, blank rows --------------------------------------------------------
def test_rows_typed_below_the_table_and_blank_rows(
    masters: dict[str, Path], tmp_path: Path
) -> None:
    wb = load_workbook(masters["en"])
    ws = wb[TABLES["ledger"].sheet_title("en")]
    ref = ws.tables[TABLES["ledger"].name].ref
    last = int(ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    ws.cell(row=last + 1, column=3, value="typed below")
    ws.cell(row=last + 2, column=4, value="SO-X")
    ws.cell(row=last + 4, column=4, value="after a gap: not the table's")
    ws.cell(row=3, column=1).value = None  # a row inside the table made blank
    for c in range(1, 10):
        ws.cell(row=3, column=c).value = None
    lines = wb[TABLES["lines"].sheet_title("en")]
    lines.merge_cells("N2:O3")  # merged cells beside a table read as openpyxl reads them
    source = tmp_path / "typed.xlsx"
    wb.save(source)
    ref_path, new = _copies(source, tmp_path / "run")
    changes = ChangeSet()
    changes.append("ledger", {"user": "appended", "details": "=not a formula"})
    _commit_both(ref_path, new, [changes])
    assert_same_workbook(ref_path, new)


# -- validation, locks, errors -------------------------------------------------------------------
@pytest.mark.parametrize(
    "build",
    [
        lambda c: c.update("orders", 2, "no_such_column", 1),
        lambda c: c.update("no_such_table", 2, "order_no", 1),
        lambda c: c.append("lines", {"order_no": "X", "bogus": 1}),
        lambda c: c.mark("orders", 2, "bogus", "note"),
        lambda c: c.update("orders", 0, "remarks", "row zero"),
    ],
)
def test_invalid_change_sets_write_nothing(
    masters: dict[str, Path], tmp_path: Path, build: Any
) -> None:
    _, new = _copies(masters["zh"], tmp_path)
    before = new.read_bytes()
    changes = ChangeSet()
    changes.update("orders", 2, "remarks", "fine")  # a valid change first: not written either
    build(changes)
    with PatchFileStore.open(new, write=True) as store, pytest.raises(StoreError):
        store.commit(changes)
    assert new.read_bytes() == before
    assert not backup_path(new).exists()


def test_open_refuses_like_the_file_store(masters: dict[str, Path], tmp_path: Path) -> None:
    _, new = _copies(masters["zh"], tmp_path)
    with pytest.raises(StoreError) as missing, PatchFileStore.open(tmp_path / "missing.xlsx"):
        pass
    assert missing.value.key == "store.not_found"
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(StoreError) as bad, PatchFileStore.open(junk):
        pass
    assert bad.value.key == "store.not_xlsx"
    owner = new.with_name(f"~${new.name}")
    owner.write_text("")
    with pytest.raises(StoreError) as in_excel, PatchFileStore.open(new, write=True):
        pass
    assert in_excel.value.key == "store.open_in_excel"
    owner.unlink()
    with (
        PatchFileStore.open(new, write=True),
        pytest.raises(StoreError) as locked,
        PatchFileStore.open(new, write=True),
    ):
        pass
    assert locked.value.key == "store.locked"
    not_master = tmp_path / "plain.xlsx"
    from openpyxl import Workbook

    Workbook().save(not_master)
    with pytest.raises(StoreError) as plain, PatchFileStore.open(not_master):
        pass
    assert plain.value.key == "store.not_master"


# -- what is not patched goes through openpyxl ---------------------------------------------------
def _rewrite_member(path: Path, name: str, edit: Any) -> None:
    with zipfile.ZipFile(path) as package:
        members = {i.filename: package.read(i.filename) for i in package.infolist()}
    members[name] = edit(members[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for member, content in members.items():
            package.writestr(member, content)


def _put_cell(xml: bytes, cell: bytes) -> bytes:
    """``cell`` (a whole ``<c r="..">`` element) in its row, in column order, replacing a cell
    of the same reference."""
    ref = re.search(rb'r="([A-Z]+)(\d+)"', cell)
    assert ref is not None
    letters, number = ref.group(1), ref.group(2)
    row = re.search(rb'<row r="' + number + rb'"[^>]*?(?:/>|>(.*?)</row>)', xml, re.S)
    assert row is not None
    if row.group(1) is None:  # <row .../>
        return xml[: row.end() - 2] + b">" + cell + b"</row>" + xml[row.end() :]
    target = column_index_from_string(letters.decode())
    for found in re.finditer(rb'<c r="([A-Z]+)\d+"[^>]*?(?:/>|>.*?</c>)', row.group(1), re.S):
        col = column_index_from_string(found.group(1).decode())
        if col >= target:
            start, end = row.start(1) + found.start(), row.start(1) + found.end()
            return xml[:start] + cell + xml[end if col == target else start :]
    return xml[: row.end(1)] + cell + xml[row.end(1) :]


def _orders_part(path: Path) -> str:
    with PatchFileStore.open(path) as store:
        return store._found[TABLES["orders"].name].sheet.part


def test_worksheet_with_xml_comments_is_patched(masters: dict[str, Path], tmp_path: Path) -> None:
    source = tmp_path / "commented.xlsx"
    shutil.copy(masters["zh"], source)
    _rewrite_member(
        source,
        _orders_part(source),
        lambda xml: xml.replace(b"<sheetData>", b"<!-- <row r='2'> --><sheetData>", 1),
    )
    ref, new = _copies(source, tmp_path / "run")
    changes = ChangeSet()
    changes.update("orders", 2, "remarks", "patched")
    modes = _commit_both(ref, new, [changes])
    assert modes == ["patch"]  # the comments go, as Excel drops them; the rest is patched
    assert_same_workbook(ref, new)
    with zipfile.ZipFile(new) as package:
        assert b"<!--" not in package.read(_orders_part(new))


# The formulas below go into each row's last cell.
LAST = TABLES["orders"].column_keys[-1]


def test_overwriting_a_shared_formula_master_is_patched(
    masters: dict[str, Path], tmp_path: Path
) -> None:
    source = tmp_path / "shared.xlsx"
    shutil.copy(masters["en"], source)
    part = _orders_part(source)
    letter = get_column_letter(TABLES["orders"].column_keys.index(LAST) + 1).encode()

    def put_formula(xml: bytes) -> bytes:
        master = b'<c r="' + letter + b'2"><f t="shared" ref="' + letter + b"2:"
        master += letter + b'3" si="7">LEN("ab")</f><v>2</v></c>'
        xml = _put_cell(xml, master)
        return _put_cell(xml, b'<c r="' + letter + b'3"><f t="shared" si="7"/><v>2</v></c>')

    _rewrite_member(source, part, put_formula)
    _add_calc_chain(source, letter.decode())
    with FileStore.open(source) as store:
        remarks = {r.row: r.values[LAST] for r in store.read("orders")}
    assert remarks[2] == '=LEN("ab")' and remarks[3] == '=LEN("ab")'
    ref, new = _copies(source, tmp_path / "run")
    changes = ChangeSet()
    changes.update("orders", 2, LAST, "over the master")
    modes = _commit_both(ref, new, [changes])
    assert modes == ["patch"]  # the other cell gets its own formula first
    assert_same_workbook(ref, new, cached_formulas=True)
    # a dependent cell alone is patched
    ref, new = _copies(source, tmp_path / "dependent")
    changes = ChangeSet()
    changes.update("orders", 3, LAST, "over a dependent")
    assert _commit_both(ref, new, [changes]) == ["patch"]
    assert_same_workbook(ref, new, cached_formulas=True)
    with zipfile.ZipFile(new) as package:  # Excel rebuilds the chain; a stale one is damage
        assert "xl/calcChain.xml" not in package.namelist()
        assert b"calcChain" not in package.read("[Content_Types].xml")
        assert b"calcChain" not in package.read("xl/_rels/workbook.xml.rels")
    ref, new = _copies(source, tmp_path / "no-formula")
    changes = ChangeSet()
    changes.update("orders", 4, LAST, "no formula here")
    assert _commit_both(ref, new, [changes]) == ["patch"]
    with zipfile.ZipFile(new) as package:  # no formula overwritten: the chain stays
        assert "xl/calcChain.xml" in package.namelist()


def _add_calc_chain(path: Path, letter: str) -> None:
    _rewrite_member(
        path,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats'
            b'-officedocument.spreadsheetml.calcChain+xml"/></Types>',
        ),
    )
    _rewrite_member(
        path,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdCalc" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>',
        ),
    )
    with zipfile.ZipFile(path, "a") as package:
        package.writestr(
            "xl/calcChain.xml",
            '<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<c r="{letter}2" i="1"/><c r="{letter}3"/></calcChain>',
        )


def test_writing_into_an_array_formula_falls_back(masters: dict[str, Path], tmp_path: Path) -> None:
    source = tmp_path / "array.xlsx"
    shutil.copy(masters["en"], source)
    part = _orders_part(source)
    letter = get_column_letter(TABLES["orders"].column_keys.index(LAST) + 1).encode()

    def put_array(xml: bytes) -> bytes:
        rows = xml.split(b"</row>")
        rows[1] += b'<c r="' + letter + b'2"><f t="array" ref="' + letter + b"2:" + letter
        rows[1] += b'3">{1;2}</f><v>1</v></c>'
        rows[2] += b'<c r="' + letter + b'3"><v>2</v></c>'
        return b"</row>".join(rows)

    _rewrite_member(source, part, put_array)
    ref, new = _copies(source, tmp_path / "inside")
    changes = ChangeSet()
    changes.update("orders", 3, LAST, "inside the array")
    modes = _commit_both(ref, new, [changes])
    assert modes[0].startswith("openpyxl:") and "array" in modes[0]
    assert_same_workbook(ref, new, cached_formulas=True)
    ref, new = _copies(source, tmp_path / "outside")
    changes = ChangeSet()
    changes.update("orders", 4, LAST, "below the array")
    assert _commit_both(ref, new, [changes]) == ["patch"]
    assert_same_workbook(ref, new, cached_formulas=True)


# -- files from elsewhere: shared strings, relative targets --------------------------------------
def _csv_files(folder: Path) -> dict[str, list[list[str]]]:
    out = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            out[path.name] = list(csv.reader(handle))
    return out


def test_libreoffice_opens_patched_workbooks(masters: dict[str, Path], tmp_path: Path) -> None:
    """Both languages, after receipt, check, marks set and cleared, a dashboard and appends:
    LibreOffice loads the patched file and shows every sheet as it shows the reference."""
    profile = tmp_path / "profile"
    for lang in ("zh", "en"):
        ref, new = _copies(masters[lang], tmp_path / lang)
        rows = _row_numbers(ref)
        changes = ChangeSet()
        changes.update("orders", rows["orders"][0], "remarks", "=SUM(1,2)")
        changes.update("orders", rows["orders"][1], "due_date", date(2027, 1, 31))
        changes.append("ledger", {"time": NOW, "user": "lo", "details": "+1 & <b>"})
        changes.mark("lines", rows["lines"][0], "quantity", "note ✓")
        changes.mark("orders", rows["orders"][0], "order_no", None)
        changes.analysis = [["title", "n"], ["a", 1], [date(2026, 1, 2), 2.5]]
        assert _commit_both(ref, new, [changes]) == ["patch"]
        assert_same_workbook(ref, new)
        ref_csv = convert(CSV_ALL_SHEETS, [ref], tmp_path / lang / "ref-csv", profile)
        new_csv = convert(CSV_ALL_SHEETS, [new], tmp_path / lang / "new-csv", profile)
        assert len(new_csv) == len(SHEETS) == len(ref_csv)
        ref_sheets = _csv_files(tmp_path / lang / "ref-csv")
        new_sheets = {
            name.replace("patched", "reference"): rows
            for name, rows in _csv_files(tmp_path / lang / "new-csv").items()
        }
        assert new_sheets == ref_sheets


def test_workbook_saved_by_libreoffice(masters: dict[str, Path], tmp_path: Path) -> None:
    """A master saved by another program (shared strings, its own styles and part names) reads
    the same through both stores and takes a patch."""
    profile = tmp_path / "profile"
    convert("xlsx", [masters["zh"]], tmp_path / "lo", profile)
    source = tmp_path / "lo" / masters["zh"].name
    with zipfile.ZipFile(source) as package:
        assert "xl/sharedStrings.xml" in package.namelist()
    try:
        _reads(source)
    except StoreError as exc:  # LibreOffice may drop the tables: then neither store can read it
        pytest.fail(f"LibreOffice's copy is not a master workbook: {exc.key} {exc.params}")
    ref, new = _copies(source, tmp_path / "run")
    rows = _row_numbers(ref)
    changes = ChangeSet()
    changes.update("orders", rows["orders"][0], "remarks", "patched")
    changes.append("lines", {"order_no": "SO-LO", "line_no": 1, "quantity": 5})
    changes.mark("orders", rows["orders"][0], "contact", "check this")
    assert _commit_both(ref, new, [changes]) == ["patch"]
    assert_same_workbook(ref, new)
    convert(CSV_ALL_SHEETS, [new], tmp_path / "new-csv", profile)


def test_analysis_keeps_its_sheet_and_gets_the_grid(
    masters: dict[str, Path], tmp_path: Path
) -> None:
    ref, new = _copies(masters["zh"], tmp_path)
    grid: list[list[Any]] = [["统计", "数量"], ["订单", 6], ["日期", datetime(2026, 11, 2, 8)]]
    first, second = ChangeSet(), ChangeSet()
    first.analysis = grid
    second.analysis = [["短"]]
    _commit_both(ref, new, [first])
    assert_same_workbook(ref, new)
    _commit_both(ref, new, [second])
    assert_same_workbook(ref, new)
    ws = load_workbook(new)[t("sheet.analysis", "zh")]
    assert ws["A1"].value == "短" and ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["A2"].value is None


def test_analysis_layout_of_the_statistics(masters: dict[str, Path], tmp_path: Path) -> None:
    """Sections, headers, money and dates: fonts, formats and widths as the file store gives."""
    ref, new = _copies(masters["en"], tmp_path)
    changes = ChangeSet()
    changes.analysis = [
        ["Statistics 2026-10", None, None],
        [],
        ["Orders"],
        ["Customer", "Value", "Since"],
        ["Bosch Powertrain Wuxi", Decimal("12345.60"), date(2026, 10, 1)],
        ["上海华东机械有限公司", Decimal("7.5"), datetime(2026, 10, 2, 8, 30)],
        [],
        ["Late"],
        ["Order", "Days"],
        ["SO-1", 3],
    ]
    _commit_both(ref, new, [changes])
    assert_same_workbook(ref, new)
    ws = load_workbook(new)[t("sheet.analysis", "en")]
    assert ws["A3"].font.b and ws["A3"].font.sz == 12 and ws["B5"].number_format == "#,##0.00"


def test_workbook_counting_dates_from_1904(masters: dict[str, Path], tmp_path: Path) -> None:
    wb = load_workbook(masters["zh"])
    wb.epoch = CALENDAR_MAC_1904
    source = tmp_path / "mac.xlsx"
    wb.save(source)
    with zipfile.ZipFile(source) as package:
        assert b"date1904" in package.read("xl/workbook.xml")
    ref, new = _copies(source, tmp_path / "run")
    rows = _row_numbers(ref)
    changes = ChangeSet()
    changes.update("orders", rows["orders"][0], "due_date", date(2027, 2, 28))
    changes.append("ledger", {"time": datetime(2026, 12, 31, 23, 59, 59), "user": "mac"})
    _commit_both(ref, new, [changes])
    assert_same_workbook(ref, new)
    with PatchFileStore.open(new) as store:
        due = {r.row: r.values["due_date"] for r in store.read("orders")}
    assert due[rows["orders"][0]] == datetime(2027, 2, 28)


def test_decimal_money_and_percent_formats(masters: dict[str, Path], tmp_path: Path) -> None:
    ref, new = _copies(masters["en"], tmp_path)
    rows = _row_numbers(ref)
    changes = ChangeSet()
    changes.update("lines", rows["lines"][0], "unit_price", Decimal("12.50"))
    changes.update("orders", rows["orders"][0], "progress", 0.25)
    changes.update("orders", rows["orders"][0], "status_since", datetime(2026, 11, 2, 8, 15, 30))
    changes.append("customers", {"customer_code": "C100", "credit_limit": Decimal("1000")})
    _commit_both(ref, new, [changes])
    assert_same_workbook(ref, new)
    wb = load_workbook(new)
    ws = wb[TABLES["lines"].sheet_title("en")]
    col = TABLES["lines"].column_keys.index("unit_price") + 1
    assert ws.cell(row=rows["lines"][0], column=col).number_format == "#,##0.00"
