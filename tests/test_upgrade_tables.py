"""``orderdesk upgrade`` adds the sheets of tables an older master workbook lacks.

The fixtures in ``tests/data`` (see its README) were made before the change reviews sheet: the
upgrade adds it as ``orderdesk init`` makes it, through the patch store (what the command line
uses) and the openpyxl file store alike; afterwards the old workbook files, reviews and approves
a change.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import MANAGER, OM, PROD, PURCH, SALES
from openpyxl import load_workbook
from soffice import CSV_ALL_SHEETS, convert

from addin.cli import main
from addin.core.enums import Department, Opinion
from addin.core.schema import TABLES
from addin.i18n import t
from addin.services import change_review, changes
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet

DATA = Path(__file__).parent / "data"
REVIEWS = TABLES["change_reviews"]
NOW = "2026-03-03 10:00"


@pytest.fixture
def old_master(tmp_path: Path) -> Path:
    return Path(shutil.copy(DATA / "master_v1_en.xlsx", tmp_path / "master.xlsx"))


def sheet_facts(path: Path, title: str) -> dict[str, Any]:
    """What ``orderdesk init`` gives a table sheet, as openpyxl reads it."""
    ws = load_workbook(path)[title]
    (name,) = ws.tables
    lo = ws.tables[name]
    header = next(ws.iter_rows(min_row=1, max_row=1))
    return {
        "table": (lo.displayName, lo.ref, lo.tableStyleInfo.name, lo.tableStyleInfo.showRowStripes),
        "columns": [c.name for c in lo.tableColumns],
        "header": [c.value for c in header],
        "header_style": [
            (c.font.b, c.font.color.rgb, c.fill.fgColor.rgb, c.alignment.wrap_text) for c in header
        ],
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "formats": {k: d.number_format for k, d in ws.column_dimensions.items()},
        "body_formats": [c.number_format for c in next(ws.iter_rows(min_row=2, max_row=2))],
        "validations": sorted(
            (str(dv.sqref), dv.formula1, dv.error, dv.errorTitle)
            for dv in ws.data_validations.dataValidation
        ),
        "freeze": ws.freeze_panes,
        # protected as init protects it: the options, and which columns are left unlocked
        "protection": (ws.protection.sheet, ws.protection.password, ws.protection.autoFilter),
        "locked": {k: d.protection.locked for k, d in ws.column_dimensions.items()},
        "print": (
            ws.print_title_rows,
            ws.page_setup.orientation,
            ws.page_setup.fitToWidth,
            ws.page_setup.fitToHeight,
            ws.sheet_properties.pageSetUpPr.fitToPage,
        ),
        "tab": ws.sheet_properties.tabColor.rgb,
        "header_height": ws.row_dimensions[1].height,
    }


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("fresh")
    return {lang: create_master_workbook(folder / f"{lang}.xlsx", lang) for lang in ("zh", "en")}


def upgrade_with_file_store(path: Path) -> None:
    """The openpyxl path: the loaded workbook upgraded, saved by a commit writing the new table."""
    with FileStore.open(path, write=True) as store:
        added = store.upgrade()
        assert added.tables == ("change_reviews",)
        changes = ChangeSet()
        changes.append("change_reviews", {"change_no": "CH-X", "order_no": "SO-1"})
        store.commit(changes)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path_taken", ["patch", "openpyxl"])
def test_the_added_sheet_is_the_one_init_makes(
    tmp_path: Path, fresh: dict[str, Path], lang: str, path_taken: str
) -> None:
    source = "master_v1_en.xlsx" if lang == "en" else "empty_v1_zh.xlsx"
    path = Path(shutil.copy(DATA / source, tmp_path / "old.xlsx"))
    before = load_workbook(path).sheetnames
    if path_taken == "patch":
        assert main(["upgrade", str(path)]) == 0
    else:
        upgrade_with_file_store(path)
    title = t("sheet.change_reviews", lang)
    after = load_workbook(path).sheetnames
    # in a new workbook's place: after the changes sheet, every other sheet in its order
    assert after == [*before[: before.index(t("sheet.changes", lang)) + 1], title,
                     *before[before.index(t("sheet.changes", lang)) + 1 :]]  # fmt: skip
    got, want = sheet_facts(path, title), sheet_facts(fresh[lang], title)
    if path_taken == "openpyxl":  # the commit wrote its row there (as text)
        assert got.pop("body_formats")[:2] == ["@", "@"]
        want.pop("body_formats")
    assert got == want


def local_names(path: Path) -> list[tuple[str, str, str]]:
    """Each sheet-local defined name: (name, the sheet its index points at, its text)."""
    root = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    sheets = re.findall(r'<sheet [^>]*name="([^"]+)"', root)
    found = re.findall(r'<definedName name="([^"]+)" localSheetId="(\d+)">([^<]*)<', root)
    return [(name, sheets[int(index)], text) for name, index, text in found]


def test_sheet_local_names_and_the_active_tab_still_point_at_their_sheets(
    old_master: Path,
) -> None:
    wb = load_workbook(old_master)
    wb.active = wb.sheetnames.index("Ledger")
    wb.save(old_master)
    before = local_names(old_master)
    assert ("_xlnm.Print_Titles", "Ledger", "'Ledger'!$1:$1") in before
    assert main(["upgrade", str(old_master)]) == 0
    after = local_names(old_master)
    for name, sheet, text in after:  # every name's index is its sheet's
        assert text.startswith(f"'{sheet}'!"), (name, sheet, text)
    assert set(after) == {
        *before,
        ("_xlnm.Print_Titles", "Change reviews", "'Change reviews'!$1:$1"),
    }
    assert load_workbook(old_master).active.title == "Ledger"


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<Application>Microsoft Excel</Application><HeadingPairs><vt:vector size="4" '
    'baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant>'
    "<vt:i4>{count}</vt:i4></vt:variant><vt:variant><vt:lpstr>Named Ranges</vt:lpstr>"
    "</vt:variant><vt:variant><vt:i4>2</vt:i4></vt:variant></vt:vector></HeadingPairs>"
    '<TitlesOfParts><vt:vector size="{size}" baseType="lpstr">{titles}</vt:vector>'
    "</TitlesOfParts></Properties>"
)


def app_xml(sheets: list[str]) -> str:
    titles = "".join(f"<vt:lpstr>{s}</vt:lpstr>" for s in [*sheets, "OD_CustomerCodes",
                     "OD_ProductCodes"])  # fmt: skip
    return APP_XML.format(count=len(sheets), size=len(sheets) + 2, titles=titles)


def test_the_document_properties_list_the_new_sheet_where_excel_lists_sheets(
    old_master: Path, tmp_path: Path
) -> None:
    """A workbook Excel saved lists its sheets' titles in docProps/app.xml: the upgrade lists the
    new one in its place and counts it."""
    sheets = load_workbook(old_master).sheetnames
    with zipfile.ZipFile(old_master) as z, zipfile.ZipFile(tmp_path / "x.xlsx", "w") as out:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == "docProps/app.xml":
                data = app_xml(sheets).encode()
            out.writestr(info, data)
    shutil.move(tmp_path / "x.xlsx", old_master)
    assert main(["upgrade", str(old_master)]) == 0
    new = load_workbook(old_master).sheetnames
    assert new.index("Change reviews") == sheets.index("Changes") + 1
    app = zipfile.ZipFile(old_master).read("docProps/app.xml").decode()
    assert app.replace("\r\n", "") == app_xml(new).replace("\r\n", "")


def file_change_and_approve(path: Path) -> str:
    """Request a quantity change, collect production's and purchasing's opinions, review and
    approve it: through the command line, as staff would."""
    wb = str(path)
    assert main(["change", "request", wb, "SO-3", "--by", "customer", "--reason", "more",
                 "--user", SALES, "quantity=50"]) == 0  # fmt: skip
    with PatchFileStore.open(path) as store:
        (change,) = [r.values["change_no"] for r in store.read("changes")]
        rows = store.read("change_reviews")
    assert sorted(r.values["department"] for r in rows) == ["Production", "Purchasing"]
    for department, user in ((Department.PRODUCTION, PROD), (Department.PURCHASING, PURCH)):
        with PatchFileStore.open(path, write=True) as store:
            change_review.record(store, change, department, Opinion.AGREE, "ok", user=user)
    with PatchFileStore.open(path, write=True) as store:
        changes.review(store, change, "needed", "feasible", "none", "none", "none", user=OM)
    with PatchFileStore.open(path, write=True) as store:
        changes.approve(store, change, "ok", path.parent / "notices", user=MANAGER)
    return change


def test_an_upgraded_older_workbook_files_reviews_and_approves_a_change(
    old_master: Path, tmp_path: Path
) -> None:
    assert main(["upgrade", str(old_master), "--json"]) == 0
    change = file_change_and_approve(old_master)
    with PatchFileStore.open(old_master) as store:
        (row,) = [r.values for r in store.read("changes") if r.values["change_no"] == change]
        lines = [r.values for r in store.read("lines") if r.values["order_no"] == "SO-3"]
        opinions = {
            r.values["department"]: r.values["opinion"] for r in store.read("change_reviews")
        }
    assert row["status"] == "Approved"
    assert [line["quantity"] for line in lines] == [50]
    assert opinions == {"Production": "Agree", "Purchasing": "Agree"}
    assert main(["verify", str(old_master), "--lang", "en"]) == 0
    load_workbook(old_master)  # openpyxl reads it


def test_an_upgraded_workbook_opens_in_libreoffice(tmp_path: Path) -> None:
    path = Path(shutil.copy(DATA / "empty_v1_zh.xlsx", tmp_path / "empty.xlsx"))
    assert main(["upgrade", str(path)]) == 0
    sheets = convert(CSV_ALL_SHEETS, [path], tmp_path / "csv", tmp_path / "profile")
    header = ",".join(c.label("change_reviews", "zh") for c in REVIEWS.columns)
    assert any(p.read_text(encoding="utf-8").startswith(header) for p in sheets)
    (pdf,) = convert("pdf", [path], tmp_path / "pdf", tmp_path / "profile")
    assert pdf.read_bytes().startswith(b"%PDF")
    (back,) = convert("xlsx", [path], tmp_path / "lo", tmp_path / "profile")
    with PatchFileStore.open(back) as store:  # LibreOffice keeps the new table
        assert store.absent_tables() == () and store.read("change_reviews") == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "the workbook has a sheet named 'Change reviews' already, without the table "
               "OD_ChangeReviews, so that table cannot be added; rename that sheet and try again"),
        ("zh", "工作簿已有名为“Change reviews”的工作表，但其中没有表 OD_ChangeReviews，无法添加"
               "该表：请重命名该工作表后重试"),
    ],
)  # fmt: skip
def test_a_sheet_of_that_name_stops_the_upgrade_and_nothing_is_written(
    old_master: Path, lang: str, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = load_workbook(old_master)
    wb.create_sheet("change REVIEWS")["A1"] = "my notes"
    wb.save(old_master)
    before = old_master.read_bytes()
    assert main(["upgrade", str(old_master), "--lang", lang, "--json"]) == 2
    answer = json.loads(capsys.readouterr().out)
    assert (answer["error"], answer["message"]) == ("store.upgrade_sheet_taken", text)
    assert old_master.read_bytes() == before
    with FileStore.open(old_master, write=True) as store:
        with pytest.raises(Exception) as caught:
            store.upgrade()
        assert getattr(caught.value, "key", None) == "store.upgrade_sheet_taken"


@pytest.mark.parametrize("owner", ["~$master.xlsx", ".~lock.master.xlsx#"])
def test_the_upgrade_refuses_a_workbook_in_use(
    old_master: Path, owner: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (old_master.parent / owner).write_bytes(b"owner")
    before = old_master.read_bytes()
    assert main(["upgrade", str(old_master), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"] == "store.open_in_excel"
    assert old_master.read_bytes() == before


def test_a_current_workbook_is_left_alone(fresh: dict[str, Path], tmp_path: Path) -> None:
    path = Path(shutil.copy(fresh["en"], tmp_path / "new.xlsx"))
    before = path.read_bytes()
    assert main(["upgrade", str(path), "--json"]) == 0
    assert path.read_bytes() == before


def test_upgrade_of_a_database_url_is_db_upgrade(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'site.db'}"
    assert main(["db", "init", url, "--lang", "en"]) == 0
    capsys.readouterr()
    assert main(["db", "upgrade", url, "--lang", "en"]) == 0
    expected = capsys.readouterr().out
    assert main(["upgrade", url, "--lang", "en"]) == 0
    assert capsys.readouterr().out == expected


def test_every_later_table_has_a_sheet_of_its_own() -> None:
    """The upgrade adds a later table by adding its sheet: no other table may live there."""
    from addin.core.schema_history import LATER_TABLES

    for key in LATER_TABLES:
        sheet = TABLES[key].sheet
        assert {k for k, table in TABLES.items() if table.sheet == sheet} <= LATER_TABLES


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_workbook_whose_columns_a_write_added_gets_its_sheet_from_the_upgrade(
    old_master: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with PatchFileStore.open(old_master, write=True) as store:  # a write: columns, not sheets
        changes = ChangeSet()
        changes.update("orders", 2, "remarks", "call back")
        store.commit(changes)
    assert main(["upgrade", str(old_master), "--lang", lang]) == 0
    # the first line; the sheets it protects follow (tests/test_sheet_protection.py)
    assert (
        capsys.readouterr().out.splitlines()[0]
        == {
            "en": "sheet 'Change reviews' added (table OD_ChangeReviews)",
            "zh": "已添加工作表“Change reviews”（表 OD_ChangeReviews）",
        }[lang]
    )
    with PatchFileStore.open(old_master) as store:
        assert (
            store.absent_tables() == () and store.read("orders")[0].values["remarks"] == "call back"
        )
    assert main(["verify", str(old_master)]) == 0
