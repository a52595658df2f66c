"""The dashboard sheet: its native charts point at the blocks a refresh fills, every store fills
them without touching a chart or a style, and the charts survive LibreOffice."""

from __future__ import annotations

import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from openpyxl import load_workbook

from addin.i18n import t
from tests.soffice import convert
from workbook import dashboard_blocks as D
from workbook.create import create_master_workbook
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet, StoreError

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _column_range(title: str, key: str, offset: int, header: bool = False) -> str:
    block = D.TABLES[key].block
    col = _col(block.left + offset)
    top = block.top - 1 if header else block.top
    return f"{title}!${col}${top}:${col}${block.top + block.rows - 1}"


def expected_charts(title: str) -> list[dict[str, set[str]]]:
    """What each chart draws, worked out from the blocks: series values (with their header as
    the series name) and categories, in the order the charts are built."""
    r = lambda key, offset, header=False: _column_range(title, key, offset, header)  # noqa: E731
    return [
        # orders (bars) and sales (line, secondary axis) by month
        {"val": {r("trend", 1), r("trend", 2)}, "cat": {r("trend", 0)}},
        # on-time and pass rate by month
        {"val": {r("trend", 3), r("trend", 4)}, "cat": {r("trend", 0)}},
        # Pareto: delay entries (bars) and their cumulative share (line)
        {"val": {r("delays", 1), r("delays", 3)}, "cat": {r("delays", 0)}},
        {"val": {r("rejections", 1)}, "cat": {r("rejections", 0)}},
        {"val": {r("mix", 1)}, "cat": {r("mix", 0)}},
        {"val": {r("backlog", 1), r("backlog", 2)}, "cat": {r("backlog", 0)}},
    ]


def chart_refs(path: Path) -> list[dict[str, set[str]]]:
    """The ranges each chart of the dashboard sheet reads, from the package's chart parts."""
    with zipfile.ZipFile(path) as z:
        names = sorted(
            (n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
            key=lambda n: int(re.findall(r"\d+", n)[-1]),
        )
        out = []
        for name in names:
            root = etree.fromstring(z.read(name))
            refs: dict[str, set[str]] = {"val": set(), "cat": set()}
            for kind in ("val", "cat"):
                for f in root.iter(f"{C}{kind}"):
                    # LibreOffice leaves a sheet name unquoted where it can
                    refs[kind].update(el.text.replace("'", "") for el in f.iter(f"{C}f") if el.text)
            out.append(refs)
        return out


def series_names(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as z:
        found: set[str] = set()
        for name in z.namelist():
            if re.fullmatch(r"xl/charts/chart\d+\.xml", name):
                root = etree.fromstring(z.read(name))
                for tx in root.iter(f"{C}tx"):
                    found.update(
                        el.text.replace("$", "").replace("'", "")
                        for el in tx.iter(f"{C}f")
                        if el.text
                    )
        return found


def sample_values(rows: int = 3) -> dict[str, list[list[Any]]]:
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    return {
        "heading": [["period 2026", None, None, None, None, None, "refreshed"]],
        "tile.orders": [[42]],
        "tile.orders.detail": [["2 cancelled"]],
        "tile.on_time": [[0.875]],
        "trend": [[m, i, Decimal(1000 * i), 0.9, 0.98, None] for i, m in enumerate(months)],
        "delays": [[f"cause {i}", 10 - i, 5, (i + 1) / 8] for i in range(rows)],
        "backlog": [["0–7", 3, 0], ["8–14", 1, 1]],
    }


@pytest.fixture(params=["zh", "en"])
def master(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return create_master_workbook(tmp_path / f"master-{request.param}.xlsx", request.param)


def test_a_new_workbook_has_the_six_charts_on_the_blocks(master: Path) -> None:
    lang = "zh" if master.stem.endswith("zh") else "en"
    title = t("sheet.dashboard", lang)
    assert chart_refs(master) == expected_charts(title)
    # every series is named by its table's header cell
    header = lambda key, offset: (  # noqa: E731
        f"{title}!{_col(D.TABLES[key].block.left + offset)}{D.TABLES[key].block.top - 1}"
    )
    assert series_names(master) == {
        *(header("trend", i) for i in (1, 2, 3, 4)),
        *(header("delays", i) for i in (1, 3)),
        header("rejections", 1),
        header("mix", 1),
        *(header("backlog", i) for i in (1, 2)),
    }
    wb = load_workbook(master)
    ws = wb[title]
    assert D.NAME_DASHBOARD in wb.defined_names
    assert ws["B1"].value == t("dashboard.title", lang)
    for tile in D.TILES:
        assert ws.cell(row=D.TILE_LABEL_ROW, column=tile.col).value == t(
            f"dashboard.tile.{tile.key}", lang
        )
    assert ws.cell(row=D.TILE_VALUE_ROW, column=D.TILES[2].col).number_format == D.PERCENT
    assert t("sheet.analysis", lang) in wb.sheetnames


def test_blocks_do_not_overlap_and_fit_the_printed_area() -> None:
    cells: dict[tuple[int, int], str] = {}
    for key, block in D.blocks().items():
        for r in range(block.top, block.top + block.rows):
            for c in range(block.left, block.left + block.cols):
                assert (r, c) not in cells, f"{key} overlaps {cells.get((r, c))}"
                cells[(r, c)] = key
                assert r <= D.LAST_ROW and c <= D.LAST_COL
    for spec in D.TABLES.values():  # titles and headers sit above the values, clear of them
        for r in (spec.title_row, spec.block.top - 1):
            assert (r, spec.block.left) not in cells


def test_cell_blocks_pad_with_blanks_and_refuse_what_does_not_fit() -> None:
    blocks = D.cell_blocks({"delays": [["a", 1, 1, 1.0]]})
    assert len(blocks) == 1 and len(blocks[0].values) == D.TOP_N + 1
    assert blocks[0].values[1] == [None] * 4
    with pytest.raises(ValueError, match="delays"):
        D.cell_blocks({"delays": [["a", 1, 1, 1.0]] * (D.TOP_N + 2)})


def _read_blocks(path: Path, lang: str) -> dict[tuple[int, int], Any]:
    ws = load_workbook(path)[t("sheet.dashboard", lang)]
    return {
        (r, c): ws.cell(row=r, column=c).value
        for block in D.blocks().values()
        for r in range(block.top, block.top + block.rows)
        for c in range(block.left, block.left + block.cols)
    }


def _expected(values: dict[str, list[list[Any]]]) -> dict[tuple[int, int], Any]:
    out = {
        (r, c): None
        for block in D.blocks().values()
        for r in range(block.top, block.top + block.rows)
        for c in range(block.left, block.left + block.cols)
    }
    for block in D.cell_blocks(values):
        for r, row in enumerate(block.values, start=block.top):
            for c, value in enumerate(row, start=block.left):
                out[(r, c)] = float(value) if isinstance(value, Decimal) else value
    return out


@pytest.mark.parametrize("store", [FileStore, PatchFileStore])
def test_file_stores_fill_the_blocks_and_keep_charts_and_styles(store: Any, master: Path) -> None:
    lang = "zh" if master.stem.endswith("zh") else "en"
    title = t("sheet.dashboard", lang)
    for values in (sample_values(rows=6), sample_values(rows=2)):  # the second is shorter
        with store.open(master, write=True) as opened:
            opened.commit(ChangeSet(dashboard=D.cell_blocks(values)))
            assert getattr(opened, "last_commit", "patch") == "patch"
        assert _read_blocks(master, lang) == _expected(values)
    assert chart_refs(master) == expected_charts(title)
    ws = load_workbook(master)[title]
    trend = D.TABLES["trend"].block
    assert ws.cell(row=trend.top, column=trend.left + 3).number_format == D.PERCENT
    assert ws.cell(row=D.TILE_VALUE_ROW, column=D.TILES[0].col).font.sz == 20


def test_an_older_dashboard_is_rebuilt_by_the_command_line(tmp_path: Path) -> None:
    """A workbook made before the dashboard had tiles and charts: the patching store hands the
    refresh to openpyxl once, which builds the sheet where the old one was."""
    path = create_master_workbook(tmp_path / "old.xlsx", "en")
    wb = load_workbook(path)
    title = t("sheet.dashboard", "en")
    index = wb.sheetnames.index(title)
    wb.remove(wb[title])
    wb.create_sheet(title, index)["A1"] = "Order statistics (old layout)"
    del wb.defined_names[D.NAME_DASHBOARD]
    wb.save(path)
    assert chart_refs(path) == []
    with PatchFileStore.open(path, write=True) as store:
        store.commit(ChangeSet(dashboard=D.cell_blocks(sample_values())))
        assert store.last_commit != "patch"
    assert chart_refs(path) == expected_charts(title)
    wb = load_workbook(path)
    assert wb.sheetnames.index(title) == index
    assert wb[title]["A1"].value is None
    assert _read_blocks(path, "en") == _expected(sample_values())
    with PatchFileStore.open(path, write=True) as store:  # from now on it is patched
        store.commit(ChangeSet(dashboard=D.cell_blocks(sample_values(rows=1))))
        assert store.last_commit == "patch"


def test_live_excel_store_fills_the_same_cells(master: Path, open_book: Any) -> None:
    from workbook.xlwings_store import XlwingsStore

    lang = "zh" if master.stem.endswith("zh") else "en"
    live = master.with_name("live.xlsx")
    shutil.copy(master, live)
    values = sample_values(rows=4)
    with FileStore.open(master, write=True) as store:
        store.commit(ChangeSet(dashboard=D.cell_blocks(values)))
    book = open_book(live)
    XlwingsStore(book).commit(ChangeSet(dashboard=D.cell_blocks(values)))
    book.save()
    assert _read_blocks(live, lang) == _read_blocks(master, lang) == _expected(values)


def test_live_excel_store_refuses_a_dashboard_without_charts(
    tmp_path: Path, open_book: Any
) -> None:
    from workbook.xlwings_store import XlwingsStore

    path = create_master_workbook(tmp_path / "old.xlsx", "en")
    wb = load_workbook(path)
    del wb.defined_names[D.NAME_DASHBOARD]
    wb.save(path)
    before = path.read_bytes()
    book = open_book(path)
    with pytest.raises(StoreError) as caught:
        XlwingsStore(book).commit(ChangeSet(dashboard=D.cell_blocks(sample_values())))
    assert "orderdesk dashboard" in t(caught.value.key, "en", **caught.value.params)
    assert path.read_bytes() == before


def test_charts_survive_a_libreoffice_round_trip(tmp_path: Path) -> None:
    path = create_master_workbook(tmp_path / "master.xlsx", "zh")
    with PatchFileStore.open(path, write=True) as store:
        store.commit(ChangeSet(dashboard=D.cell_blocks(sample_values(rows=6))))
    out = tmp_path / "lo"
    (saved,) = convert("xlsx", [path], out, tmp_path / "profile")
    title = t("sheet.dashboard", "zh")
    assert chart_refs(saved) == expected_charts(title)
    # and LibreOffice read the values the charts draw
    ws = load_workbook(saved, data_only=True)[title]
    trend = D.TABLES["trend"].block
    assert ws.cell(row=trend.top + 11, column=trend.left).value == "2026-12"
    assert ws.cell(row=trend.top + 11, column=trend.left + 2).value == 11000


def test_the_pie_names_its_slices_and_has_no_legend_of_blank_rows(master: Path) -> None:
    """The mix block has a row for every group a refresh may fill; a legend would show the
    unfilled ones as entries without a name (issue 11 item 12)."""
    with zipfile.ZipFile(master) as z:
        charts = [
            etree.fromstring(z.read(n))
            for n in z.namelist()
            if re.fullmatch(r"xl/charts/chart\d+\.xml", n)
        ]
    (pie,) = [c for c in charts if next(c.iter(f"{C}pieChart"), None) is not None]
    assert next(pie.iter(f"{C}legend"), None) is None
    labels = next(pie.iter(f"{C}dLbls"))
    assert labels.find(f"{C}showCatName").get("val") in ("1", "true")
    assert labels.find(f"{C}showPercent").get("val") in ("1", "true")
