"""``orderdesk init``: the new master workbook, its tables, lists, marks and names."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from foundation_fixtures import LANGS, new_workbook, opened, table_parts
from openpyxl.utils import get_column_letter, range_boundaries

from addin.core.enums import Department, OrderStatus
from addin.core.schema import (
    NAME_LANG,
    NAME_SCHEMA_VERSION,
    NUMBER_FORMATS,
    SCHEMA_VERSION,
    SHEETS,
    TABLES,
    Kind,
)
from addin.core.settings import DEFAULT_SETTINGS, DEFAULT_TIME_LIMITS
from addin.i18n import t
from workbook.create import VALIDATION_ROWS, column_range, create_master_workbook
from workbook.file_store import FileStore
from workbook.safe_save import backup_path
from workbook.store import StoreError


@pytest.fixture(scope="module", params=LANGS)
def created(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    lang = request.param
    path = new_workbook(tmp_path_factory.mktemp(f"init-{lang}"), lang)
    return lang, path, opened(path)


def test_sheets_are_named_in_the_chosen_language_in_order(created) -> None:
    lang, _, wb = created
    assert wb.sheetnames == [t(f"sheet.{s}", lang) for s in SHEETS]
    assert wb.active.title == t("sheet.orders", lang)


def test_every_table_is_a_listobject_with_the_headers_of_the_language(created) -> None:
    lang, path, wb = created
    parts = table_parts(path)
    assert set(parts) == {table.name for table in TABLES.values()}
    for table in TABLES.values():
        ws = wb[t(f"sheet.{table.sheet}", lang)]
        assert table.name in ws.tables, table.name
        lo = ws.tables[table.name]
        min_col, min_row, max_col, max_row = range_boundaries(lo.ref)
        assert (min_col, min_row) == (table.first_column, 1)
        assert max_col - min_col + 1 == len(table.columns)
        assert max_row >= 2  # Excel needs a body row
        headers = [ws.cell(row=1, column=c).value for c in range(min_col, max_col + 1)]
        assert headers == [c.label(table.key, lang) for c in table.columns]
        # Excel repairs (and warns about) a table whose column names differ from its headers
        part = parts[table.name]
        ns = {"m": part.tag.split("}")[0].strip("{")}
        names = [c.get("name") for c in part.iterfind("m:tableColumns/m:tableColumn", ns)]
        assert names == headers
        assert part.get("ref") == lo.ref
        auto = part.find("m:autoFilter", ns)
        assert auto is not None and auto.get("ref") == lo.ref


def test_tables_on_one_sheet_do_not_overlap(created) -> None:
    lang, _, wb = created
    for sheet in SHEETS:
        ws = wb[t(f"sheet.{sheet}", lang)]
        spans = sorted(range_boundaries(lo.ref)[0::2] for lo in ws.tables.values())
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end < start, (sheet, spans)


def test_header_rows_are_frozen_on_every_table_sheet(created) -> None:
    lang, _, wb = created
    for sheet in SHEETS:
        ws = wb[t(f"sheet.{sheet}", lang)]
        if ws.tables:
            assert ws.freeze_panes == "A2", sheet


def _validations(ws) -> dict[str, str]:
    """Cell range → list formula of every list validation on the sheet."""
    out: dict[str, str] = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        for rng in str(dv.sqref).split():
            out[rng] = dv.formula1
    return out


def test_every_closed_list_has_a_drop_down(created) -> None:
    lang, _, wb = created
    listed = 0
    for table in TABLES.values():
        ws = wb[t(f"sheet.{table.sheet}", lang)]
        validations = _validations(ws)
        for col in table.columns:
            if col.kind not in (Kind.ENUM, Kind.CUSTOMER, Kind.PRODUCT):
                continue
            formula = validations.get(column_range(table, col.key))
            assert formula is not None, (table.key, col.key)
            if col.kind == Kind.ENUM:
                assert col.enum is not None
                assert formula == '"' + ",".join(col.enum.labels(lang)) + '"'
            else:
                name = "OD_CustomerCodes" if col.kind == Kind.CUSTOMER else "OD_ProductCodes"
                assert formula == f"={name}"
            listed += 1
    assert listed >= 15


@pytest.mark.parametrize(
    ("table", "key", "labels"),
    [
        ("orders", "status", [s.label for s in OrderStatus]),
        ("orders", "channel", None),
        ("reviews", "department", [d.label for d in Department]),
        ("reviews", "decision", None),
        ("staff", "department", [d.label for d in Department]),
    ],
)
def test_the_named_closed_lists_offer_every_label(created, table, key, labels) -> None:
    lang, _, wb = created
    tbl = TABLES[table]
    ws = wb[t(f"sheet.{tbl.sheet}", lang)]
    formula = _validations(ws)[column_range(tbl, key)]
    enum = tbl.column(key).enum
    assert enum is not None
    expected = [label(lang) for label in labels] if labels else enum.labels(lang)
    assert formula.strip('"').split(",") == expected
    assert len(formula) <= 257  # Excel's limit for a literal list (255 characters + quotes)


def test_code_lists_point_at_the_code_columns(created) -> None:
    lang, _, wb = created
    for name, table in (("OD_CustomerCodes", "customers"), ("OD_ProductCodes", "products")):
        defined = wb.defined_names[name]
        sheet_title, ref = defined.attr_text.rsplit("!", 1)
        assert sheet_title.strip("'") == t(f"sheet.{table}", lang)
        assert ref == f"$A$2:$A${VALIDATION_ROWS + 1}"
        code_header = wb[t(f"sheet.{table}", lang)]["A1"].value
        assert code_header == t(f"col.{table}.{TABLES[table].keys[0]}", lang)
    for table, key in (
        ("orders", "customer_code"),
        ("lines", "product_code"),
        ("task_orders", "product_code"),
        ("complaints", "customer_code"),
    ):
        ws = wb[t(f"sheet.{TABLES[table].sheet}", lang)]
        assert _validations(ws)[column_range(TABLES[table], key)].startswith("=OD_")


def test_late_open_orders_are_marked_by_conditional_formatting(created) -> None:
    lang, _, wb = created
    orders = TABLES["orders"]
    ws = wb[t("sheet.orders", lang)]
    letter = {k: get_column_letter(i + 1) for i, k in enumerate(orders.column_keys)}
    ranges = {str(r.sqref): r.rules for r in ws.conditional_formatting}
    rules = ranges[f"A2:{letter[orders.column_keys[-1]]}{VALIDATION_ROWS + 1}"]
    (rule,) = rules
    formula = rule.formula[0]
    assert f"${letter['due_date']}2<TODAY()" in formula
    for status in (OrderStatus.CLOSED, OrderStatus.CANCELLED):
        assert f'${letter["status"]}2<>"{status.label(lang)}"' in formula
    assert rule.dxf is not None and rule.dxf.fill is not None
    lines = wb[t("sheet.lines", lang)]
    assert any("TODAY()" in r.formula[0] for cf in lines.conditional_formatting for r in cf.rules)


def test_schema_version_and_language_are_defined_names(created) -> None:
    lang, path, wb = created
    assert wb.defined_names[NAME_SCHEMA_VERSION].attr_text == str(SCHEMA_VERSION)
    assert wb.defined_names[NAME_LANG].attr_text == f'"{lang}"'
    with FileStore.open(path) as store:
        assert store.lang == lang


def test_columns_carry_the_number_format_of_their_kind(created) -> None:
    lang, _, wb = created
    for table in TABLES.values():
        ws = wb[t(f"sheet.{table.sheet}", lang)]
        for offset, col in enumerate(table.columns):
            if col.kind in NUMBER_FORMATS:
                letter = get_column_letter(table.first_column + offset)
                assert ws.column_dimensions[letter].number_format == NUMBER_FORMATS[col.kind]
                assert ws[f"{letter}2"].number_format == NUMBER_FORMATS[col.kind]


def test_a_new_workbook_reads_as_empty_tables_and_default_settings(created) -> None:
    lang, path, _ = created
    with FileStore.open(path) as store:
        for key in TABLES:
            rows = store.read(key)
            if key == "settings":
                assert [r.values["key"] for r in rows] == [k for k, _ in DEFAULT_SETTINGS]
                assert all(r.values["note"] == t(f"setting.{r.values['key']}", lang) for r in rows)
            elif key == "time_limits":
                assert [(r.values["stage"], r.values["days"]) for r in rows] == list(
                    DEFAULT_TIME_LIMITS
                )
            elif key == "dept_mail":
                assert [r.values["department"] for r in rows] == [
                    d.label(lang) for d in Department if d != Department.CUSTOMER
                ]
            else:
                assert rows == [], key


# -- init never overwrites ---------------------------------------------------------------------
def test_init_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    path = tmp_path / "master.xlsx"
    path.write_bytes(b"precious")
    with pytest.raises(StoreError) as caught:
        create_master_workbook(path, "zh")
    assert caught.value.key == "store.exists"
    assert path.read_bytes() == b"precious"
    assert not backup_path(path).exists()


def test_init_with_force_keeps_a_backup(tmp_path: Path) -> None:
    path = new_workbook(tmp_path, "en")
    before = path.read_bytes()
    create_master_workbook(path, "zh", force=True)
    assert backup_path(path).read_bytes() == before
    assert opened(path).sheetnames[0] == t("sheet.orders", "zh")


def test_init_writes_no_stray_files(tmp_path: Path) -> None:
    new_workbook(tmp_path, "zh")
    assert [p.name for p in tmp_path.iterdir()] == ["master.xlsx"]
