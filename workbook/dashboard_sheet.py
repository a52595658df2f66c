"""Building the dashboard sheet: KPI tiles, native Excel charts and the tables they are drawn
from, styled for the weekly tracking meeting's screen (DOMAIN §6, §9).

The sheet is built once, when the workbook is created or, for a workbook made before it
existed, by the first refresh from the command line. The charts point at the fixed blocks of
:mod:`workbook.dashboard_blocks`, which every refresh fills.
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
    RichTextProperties,
)
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from addin.i18n import Lang, t
from workbook.dashboard_blocks import (
    INTEGER,
    LAST_COL,
    LAST_ROW,
    NAME_DASHBOARD,
    TABLE_COL,
    TABLES,
    TILE_DETAIL_ROW,
    TILE_LABEL_ROW,
    TILE_VALUE_ROW,
    TILES,
    TableSpec,
    tile_value,
)

BLUE, ORANGE, GREEN, RED, GREY = "2F5597", "ED7D31", "70AD47", "C00000", "7F7F7F"
TITLE_FONT = Font(bold=True, size=18, color="1F4E78")
NOTE_FONT = Font(size=9, color=GREY)
TILE_FILL = PatternFill("solid", fgColor="EEF3FA")
TILE_EDGE = Side(style="thin", color="B4C7E7")
HEAD_FILL = PatternFill("solid", fgColor="1F4E78")
HEAD_FONT = Font(bold=True, color="FFFFFF", size=9)
CELL_EDGE = Side(style="hair", color="BFBFBF")


# -- building the sheet ----------------------------------------------------------------------
def build(wb: Workbook, ws: Worksheet, lang: Lang) -> None:
    """Lay out ``ws`` as the dashboard (labels in ``lang``) and mark the workbook with
    :data:`NAME_DASHBOARD`."""
    ws.sheet_view.showGridLines = False
    ws.sheet_properties.tabColor = "548235"
    ws.column_dimensions["A"].width = 2
    for col in range(2, 14):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.column_dimensions[get_column_letter(14)].width = 3
    ws.column_dimensions[get_column_letter(TABLE_COL)].width = 16
    for col in range(TABLE_COL + 1, LAST_COL + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws["B1"] = t("dashboard.title", lang)
    ws["B1"].font = TITLE_FONT
    ws.row_dimensions[1].height = 28
    ws["B2"] = t("dashboard.empty", lang)
    for cell in (ws["B2"], ws["H2"]):
        cell.font = NOTE_FONT
    ws.row_dimensions[3].height = 6
    _tiles(ws, lang)
    for spec in TABLES.values():
        _table(ws, spec, lang)
    _charts(ws, lang)
    ws.print_area = f"A1:{get_column_letter(LAST_COL)}{LAST_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ref = f"{quote_sheetname(ws.title)}!$A$1:${get_column_letter(LAST_COL)}${LAST_ROW}"
    wb.defined_names[NAME_DASHBOARD] = DefinedName(NAME_DASHBOARD, attr_text=ref)


def _tiles(ws: Worksheet, lang: Lang) -> None:
    ws.row_dimensions[TILE_VALUE_ROW].height = 22
    ws.row_dimensions[TILE_VALUE_ROW + 1].height = 22
    for tile in TILES:
        first, last = get_column_letter(tile.col), get_column_letter(tile.col + 1)
        ws[f"{first}{TILE_LABEL_ROW}"] = t(f"dashboard.tile.{tile.key}", lang)
        for row in range(TILE_LABEL_ROW, TILE_DETAIL_ROW + 1):
            for col in (tile.col, tile.col + 1):
                cell = ws.cell(row=row, column=col)
                cell.fill = TILE_FILL
                cell.border = Border(
                    left=TILE_EDGE if col == tile.col else None,
                    right=TILE_EDGE if col == tile.col + 1 else None,
                    top=TILE_EDGE if row == TILE_LABEL_ROW else None,
                    bottom=TILE_EDGE if row == TILE_DETAIL_ROW else None,
                )
                cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(f"{first}{TILE_LABEL_ROW}:{last}{TILE_LABEL_ROW}")
        ws.merge_cells(f"{first}{TILE_VALUE_ROW}:{last}{TILE_VALUE_ROW + 1}")
        ws.merge_cells(f"{first}{TILE_DETAIL_ROW}:{last}{TILE_DETAIL_ROW}")
        ws[f"{first}{TILE_LABEL_ROW}"].font = Font(size=10, bold=True, color="1F4E78")
        value = ws[f"{first}{TILE_VALUE_ROW}"]
        value.font = Font(size=20, bold=True, color=RED if tile.key == "overdue" else BLUE)
        value.number_format = tile_value(tile).formats[0] or "General"
        ws[f"{first}{TILE_DETAIL_ROW}"].font = NOTE_FONT


def _table(ws: Worksheet, spec: TableSpec, lang: Lang) -> None:
    block = spec.block
    title = ws.cell(row=spec.title_row, column=block.left)
    title.value = t(f"dashboard.table.{spec.key}", lang)
    title.font = Font(bold=True, size=10, color="1F4E78")
    for offset, key in enumerate(spec.headers):
        cell = ws.cell(row=block.top - 1, column=block.left + offset)
        cell.value = t(f"dashboard.col.{key}", lang)
        cell.font = HEAD_FONT
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in range(block.top, block.top + block.rows):
        for offset in range(block.cols):
            cell = ws.cell(row=row, column=block.left + offset)
            cell.border = Border(bottom=CELL_EDGE)
            cell.font = Font(size=9)
            fmt = block.formats[offset] if offset < len(block.formats) else None
            if fmt:
                cell.number_format = fmt


def _ref(ws: Worksheet, spec: TableSpec, offset: int, header: bool = False) -> Reference:
    block = spec.block
    col = block.left + offset
    top = block.top - 1 if header else block.top
    return Reference(ws, min_col=col, max_col=col, min_row=top, max_row=block.top + block.rows - 1)


def _line_props(color: str, width: int = 28575) -> GraphicalProperties:
    return GraphicalProperties(ln=LineProperties(solidFill=color, w=width))


def _bar_props(color: str) -> GraphicalProperties:
    return GraphicalProperties(solidFill=color, ln=LineProperties(noFill=True))


def _title(text: str) -> Title:
    font = CharacterProperties(sz=1100, b=True, solidFill="1F4E78")
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)]
    )
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _small_text(rotate: bool = False) -> RichText:
    """Axis labels at 8 pt, slanted when ``rotate`` (month labels would overlap)."""
    font = CharacterProperties(sz=800)
    body = RichTextProperties(rot=-2700000 if rotate else 0, vert="horz")
    return RichText(bodyPr=body, p=[Paragraph(pPr=ParagraphProperties(defRPr=font))])


def _frame(chart: Any, title: str, slanted: bool = False) -> None:
    chart.title = _title(title)
    chart.width, chart.height = 12.6, 7.4
    chart.legend.position = "b"
    chart.style = 2
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False  # openpyxl 3.1 hides axes unless told otherwise
        axis.txPr = _small_text()
    chart.x_axis.txPr = _small_text(rotate=slanted)
    chart.y_axis.majorGridlines.spPr = GraphicalProperties(ln=LineProperties(solidFill="D9D9D9"))


def _secondary(line: LineChart, fmt: str) -> None:
    """Put ``line`` on a secondary value axis at the right."""
    line.y_axis.axId = 200
    line.y_axis.crosses = "max"
    line.y_axis.majorGridlines = None
    line.y_axis.number_format = fmt
    line.y_axis.delete = False
    line.y_axis.txPr = _small_text()


def _charts(ws: Worksheet, lang: Lang) -> None:
    trend, delays = TABLES["trend"], TABLES["delays"]
    rejections, mix, backlog = TABLES["rejections"], TABLES["mix"], TABLES["backlog"]
    title = lambda key: t(f"dashboard.chart.{key}", lang)  # noqa: E731

    orders = BarChart()
    orders.add_data(_ref(ws, trend, 1, header=True), titles_from_data=True)
    orders.set_categories(_ref(ws, trend, 0))
    orders.series[0].graphicalProperties = _bar_props(BLUE)
    orders.y_axis.number_format = INTEGER
    sales = LineChart()
    sales.add_data(_ref(ws, trend, 2, header=True), titles_from_data=True)
    sales.series[0].graphicalProperties = _line_props(ORANGE)
    sales.series[0].smooth = False
    _secondary(sales, INTEGER)
    _frame(orders, title("orders"), slanted=True)
    orders += sales
    ws.add_chart(orders, "B9")

    rates = LineChart()
    for offset, color in ((3, GREEN), (4, BLUE)):
        rates.add_data(_ref(ws, trend, offset, header=True), titles_from_data=True)
        rates.series[-1].graphicalProperties = _line_props(color)
        rates.series[-1].smooth = False
    rates.set_categories(_ref(ws, trend, 0))
    rates.y_axis.number_format = "0%"
    rates.y_axis.scaling.max = 1
    rates.y_axis.scaling.min = 0.5  # rates live near the top: a 0–100 % axis flattens them
    _frame(rates, title("rates"), slanted=True)
    ws.add_chart(rates, "H9")

    pareto = BarChart()
    pareto.add_data(_ref(ws, delays, 1, header=True), titles_from_data=True)
    pareto.set_categories(_ref(ws, delays, 0))
    pareto.series[0].graphicalProperties = _bar_props(BLUE)
    pareto.gapWidth = 40
    cumulative = LineChart()
    cumulative.add_data(_ref(ws, delays, 3, header=True), titles_from_data=True)
    cumulative.series[0].graphicalProperties = _line_props(RED)
    cumulative.series[0].smooth = False
    _secondary(cumulative, "0%")
    cumulative.y_axis.scaling.min, cumulative.y_axis.scaling.max = 0, 1
    _frame(pareto, title("delays"))
    pareto += cumulative
    ws.add_chart(pareto, "B25")

    rejected = BarChart()
    rejected.type = "bar"  # horizontal: cause names are long
    rejected.add_data(_ref(ws, rejections, 1, header=True), titles_from_data=True)
    rejected.set_categories(_ref(ws, rejections, 0))
    rejected.series[0].graphicalProperties = _bar_props(ORANGE)
    rejected.x_axis.scaling.orientation = "maxMin"  # the largest cause on top
    _frame(rejected, title("rejections"))
    rejected.legend = None
    ws.add_chart(rejected, "H25")

    pie = PieChart()
    pie.add_data(_ref(ws, mix, 1, header=True), titles_from_data=True)
    pie.set_categories(_ref(ws, mix, 0))
    # The slices carry their group's name: a legend would list the block's unused rows as
    # entries without a name (the block has room for every group; a refresh fills what it has).
    pie.dataLabels = DataLabelList(
        showPercent=True, showVal=False, showCatName=True, showSerName=False, showLegendKey=False
    )
    pie.dataLabels.separator = "\n"
    pie.title = _title(title("mix"))
    pie.width, pie.height = 12.6, 7.4
    pie.legend = None
    pie.layout = Layout(manualLayout=ManualLayout(x=0.15, y=0.15, w=0.7, h=0.8))
    ws.add_chart(pie, "B41")

    ages = BarChart()
    for offset, color in ((1, BLUE), (2, RED)):
        ages.add_data(_ref(ws, backlog, offset, header=True), titles_from_data=True)
        ages.series[-1].graphicalProperties = _bar_props(color)
    ages.set_categories(_ref(ws, backlog, 0))
    ages.y_axis.number_format = INTEGER
    _frame(ages, title("backlog"))
    ws.add_chart(ages, "H41")
