"""The meeting report (例会报告) as a standalone A4-landscape workbook: a summary sheet (the
period's figures and causes) and one sheet per list the meeting goes through (overdue orders,
orders at risk, open change requests, the period's progress).

Pure rendering: :func:`render_report` words a :class:`~addin.core.agenda.MeetingReport` in
one language and writes the file whole or not at all. Every sheet prints on A4 landscape, fit
to the page's width, its title rows and table header repeated on each page, with the period in
the page header and page numbers in the footer. openpyxl is imported only when a file is drawn.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin.core.enums import LabelledEnum
from addin.i18n import normalize_lang, t
from workbook.headers import is_formula_like
from workbook.safe_save import save_workbook
from workbook.task_order_file import safe_filename

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from addin.core.agenda import MeetingReport
    from addin.core.statistics import CauseCount, Rate

DATE = "yyyy-mm-dd"
MONEY = "#,##0.00"
COUNT = "#,##0"
PERCENT = "0.0%"
_SIZE = 10  # the font size of the tables, and of the workbook's normal style
_WIDE_CHAR = 1.8  # a CJK character of the normal font, in digit widths
_NARROW_CHAR = 0.92  # any other character, on average (capitals are wider, "i" narrower)
_LINE_PT = 13.0  # one line of 10-point text
_KEEP_ROWS = 3
_SHRINK_TO_ONE = 1.25  # a sheet of several tables up to this many pages is shrunk to one  # a table's rows kept on the page of its header
# A4 landscape within the margins below, in points; a column unit printed, about
_PRINT_WIDTH_PT = 842 - 72
_PRINT_HEIGHT_PT = 595 - 108
_UNIT_PT = 6.0
_MAX_ROW_PT = 409.0
_HEAD_FILL = "D9E1F2"
_SECTION_FILL = "F2F2F2"
_TITLE_COLOUR = "1F3864"


def report_filename(period_label: str, lang: str) -> str:
    """``例会报告-2026-11.xlsx`` / ``meeting-report-2026-11.xlsx``."""
    return safe_filename(t("report.file_stem", lang, period=period_label), ".xlsx")


# -- what a sheet holds: blocks of tables, worded ------------------------------------------------
@dataclass(frozen=True)
class Column:
    header: str
    width: tuple[int, int]  # the least and the most width (characters) it gets
    fmt: str = ""
    wrap: bool = False


@dataclass
class Table:
    """A titled table (the title may be empty: the sheet's own)."""

    title: str
    columns: list[Column]
    rows: list[list[Any]]
    empty: str  # the text shown in place of rows when there are none
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → format


@dataclass
class SheetSpec:
    name: str  # the sheet tab
    heading: str  # the section title printed under the report title
    tables: list[Table]
    notes: list[str] = field(default_factory=list)  # lines under the heading


# -- wording the report --------------------------------------------------------------------------
class _Words:
    def __init__(self, report: MeetingReport, lang: str, now: datetime, user: str) -> None:
        self.r, self.lang, self.now, self.user = report, lang, now, user

    def __call__(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def label(self, value: Any) -> Any:
        if isinstance(value, LabelledEnum):
            return value.label(self.lang)
        return value

    def name(self, text: str) -> str:
        return text or self("report.not_given")

    # sheets
    def sheets(self) -> list[SheetSpec]:
        return [self.summary(), self.overdue(), self.at_risk(), self.changes(), self.progress()]

    def summary(self) -> SheetSpec:
        r, s = self.r, self.r.stats
        figure_cols = [
            Column(self("report.col.figure"), (18, 40)),
            Column(self("report.col.value"), (12, 16)),
            Column(self("report.col.numerator"), (8, 13), COUNT),
            Column(self("report.col.denominator"), (8, 13), COUNT),
            Column(self("report.col.basis"), (30, 52), wrap=True),
        ]
        rows: list[list[Any]] = []
        formats: dict[tuple[int, int], str] = {}

        def add(label: str, value: Any, fmt: str, num: Any = None, den: Any = None, basis=""):
            formats[(len(rows), 1)] = fmt
            rows.append([label, value, num, den, basis])

        add(self("stats.fig.orders"), s.orders, COUNT, basis=self("stats.basis.orders"))
        add(self("stats.fig.cancelled"), s.orders_cancelled, COUNT)
        for currency in s.currencies or [r.currency]:
            add(
                self("stats.fig.sales", currency=currency),
                s.sales.get(currency, Decimal(0)),
                MONEY,
                basis=self("stats.basis.sales"),
            )
        for key, rate in (
            ("on_time", s.on_time),
            ("quality", s.quality),
            ("complaint_rate", s.complaint_rate),
        ):
            add(
                self(f"report.fig.{key}"),
                *self.rate(rate),
                rate.numerator,
                rate.denominator,
                self(f"stats.basis.{key}"),
            )
        add(
            self("stats.fig.complaints"),
            s.complaints_received,
            COUNT,
            basis=self("stats.basis.complaints"),
        )
        add(self("report.fig.overdue"), len(r.overdue), COUNT, basis=self("report.basis.overdue"))
        add(self("report.fig.at_risk"), len(r.at_risk), COUNT, basis=self("report.basis.at_risk"))
        add(self("report.fig.changes"), len(r.changes), COUNT, basis=self("report.basis.changes"))
        add(
            self("report.fig.progress"),
            len(r.milestones),
            COUNT,
            basis=self("report.basis.progress"),
        )
        figures = Table("", figure_cols, rows, self("report.none"), formats)
        delays = self.causes("delays", r.stats.delay_causes, rejected=False)
        rejections = self.causes("rejections", r.stats.rejection_causes, rejected=True)
        notes = [
            self("report.note.sep").join(
                (
                    self("report.note.period", start=r.period.start, end=r.period.end),
                    self("report.note.as_of", as_of=r.as_of),
                    self(
                        "report.note.prepared",
                        at=self.now.strftime("%Y-%m-%d %H:%M"),
                        user=self.user,
                    ),
                )
            )
        ]
        if r.rows_left_out:
            notes.append(self("report.note.left_out", count=r.rows_left_out))
        return SheetSpec(
            self("report.sheet.summary"),
            self("report.section.summary"),
            [figures, delays, rejections],
            notes,
        )

    def rate(self, rate: Rate) -> tuple[Any, str]:
        if rate.value is None:
            return self("report.no_data"), ""
        return rate.value, PERCENT

    def causes(self, key: str, causes: Sequence[CauseCount], rejected: bool) -> Table:
        columns = [
            Column(self("report.col.cause"), (18, 34), wrap=True),
            Column(self("report.col.entries"), (12, 16), COUNT),
            Column(self("report.col.orders"), (8, 10), COUNT),
        ]
        if rejected:
            columns.append(Column(self("report.col.rejected"), (8, 14), COUNT))
        rows = [
            [self.name(c.cause), c.entries, c.orders, *([c.quantity] if rejected else [])]
            for c in causes
        ]
        return Table(self(f"report.section.{key}"), columns, rows, self("report.none_in_period"))

    def order_columns(self) -> list[Column]:
        return [
            Column(self("report.col.order_no"), (10, 16)),
            Column(self("report.col.customer"), (12, 26), wrap=True),
            Column(self("report.col.status"), (8, 14)),
        ]

    def overdue(self) -> SheetSpec:
        columns = [
            *self.order_columns(),
            Column(self("report.col.kind"), (8, 12)),
            Column(self("report.col.reason"), (24, 46), wrap=True),
            Column(self("report.col.since"), (11, 11), DATE),
            Column(self("report.col.deadline"), (11, 11), DATE),
            Column(self("report.col.late_by"), (10, 20)),
        ]
        rows = [
            [
                f.late.order_no,
                self.name(f.customer),
                self.label(f.status),
                self(f"overdue.kind.{f.late.kind}"),
                f.late.reason.label(self.lang),
                f.late.since,
                f.late.deadline,
                self(f"overdue.unit.{f.late.unit}", days=f.late.days_late),
            ]
            for f in self.r.overdue
        ]
        return SheetSpec(
            self("report.sheet.overdue"),
            self("report.section.overdue"),
            [Table("", columns, rows, self("report.none_overdue"))],
            [self("report.basis.overdue"), self("report.note.as_of", as_of=self.r.as_of)],
        )

    def at_risk(self) -> SheetSpec:
        columns = [
            *self.order_columns(),
            Column(self("report.col.reason"), (30, 60), wrap=True),
            Column(self("report.col.delivery_date"), (11, 12), DATE),
            Column(self("report.col.beyond"), (10, 20)),
        ]
        rows = [
            [
                f.late.order_no,
                self.name(f.customer),
                self.label(f.status),
                f.late.reason.label(self.lang),
                f.late.deadline,
                self(f"overdue.unit.{f.late.unit}", days=f.late.days_late),
            ]
            for f in self.r.at_risk
        ]
        return SheetSpec(
            self("report.sheet.at_risk"),
            self("report.section.at_risk"),
            [Table("", columns, rows, self("report.none_at_risk"))],
            [self("report.basis.at_risk"), self("report.note.as_of", as_of=self.r.as_of)],
        )

    def changes(self) -> SheetSpec:
        columns = [
            Column(self("report.col.change_no"), (12, 18)),
            Column(self("report.col.order_no"), (10, 16)),
            Column(self("report.col.customer"), (12, 22), wrap=True),
            Column(self("report.col.content"), (20, 34), wrap=True),
            Column(self("report.col.change_reason"), (16, 28), wrap=True),
            Column(self("report.col.requested_by"), (12, 18), wrap=True),
            Column(self("report.col.requested_at"), (11, 11), DATE),
            Column(self("report.col.change_status"), (8, 10)),
            Column(self("report.col.days_open"), (8, 10), COUNT),
        ]
        rows = [
            [
                c.change_no,
                c.order_no,
                self.name(c.customer),
                c.content,
                c.reason,
                " ".join(p for p in (c.requested_by.label(self.lang), c.requester) if p),
                c.requested_at,
                c.status.label(self.lang),
                c.days_open,
            ]
            for c in self.r.changes
        ]
        return SheetSpec(
            self("report.sheet.changes"),
            self("report.section.changes"),
            [Table("", columns, rows, self("report.none_changes"))],
            [self("report.basis.changes"), self("report.note.as_of", as_of=self.r.as_of)],
        )

    def progress(self) -> SheetSpec:
        columns = [
            Column(self("report.col.milestone"), (12, 16)),
            Column(self("report.col.date"), (11, 11), DATE),
            Column(self("report.col.order_no"), (10, 16)),
            Column(self("report.col.customer"), (20, 40), wrap=True),
        ]
        rows = [
            [m.status.label(self.lang), m.day, m.order_no, self.name(m.customer)]
            for m in self.r.milestones
        ]
        return SheetSpec(
            self("report.sheet.progress"),
            self("report.section.progress"),
            [Table("", columns, rows, self("report.none_in_period"))],
            [self("report.basis.progress")],
        )


# -- drawing -------------------------------------------------------------------------------------
def render_report(
    report: MeetingReport, out_dir: Path | str, lang: str, now: datetime, user: str
) -> Path:
    """Write the report in ``out_dir`` (whole or not at all; a report of the same period and
    language is replaced) and return its path."""
    from openpyxl import Workbook

    lang = normalize_lang(lang)
    words = _Words(report, lang, now, user)
    title = t("report.title", lang)
    wb = Workbook()
    _normal_font(wb, lang)
    wb.remove(wb.active)
    for spec in words.sheets():
        _Drawer(wb.create_sheet(spec.name), spec, lang).draw(
            title,
            report.company,
            report.period.label,
            words("report.footer", at=now.strftime("%Y-%m-%d %H:%M"), user=user),
        )
    wb.properties.title = f"{title} {report.period.label}"
    wb.properties.subject = report.company
    wb.properties.creator = "OrderDesk"

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return save_workbook(wb, folder / report_filename(report.period.label, lang))


def _font_face(lang: str) -> str:
    return "Microsoft YaHei" if lang == "zh" else "Arial"


def _normal_font(wb: Any, lang: str) -> None:
    """The workbook's normal style in the report's font: column widths are counted in its
    digits, so Excel and LibreOffice size the columns alike (openpyxl has no public API)."""
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    font = Font(name=_font_face(lang), size=_SIZE)
    wb._fonts = IndexedList([font])
    wb._named_styles["Normal"].font = font


def display_width(text: str) -> float:
    """The width of ``text`` at the sheet's font size, in column-width units (the width of a
    digit of the workbook's normal font): an East Asian wide character takes about 1.8."""
    return sum(
        _WIDE_CHAR if unicodedata.east_asian_width(ch) in "WF" else _NARROW_CHAR for ch in text
    )


def shown(value: Any, fmt: str = "") -> str:
    """A value as its cell shows it (close enough to size columns and rows)."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and fmt == PERCENT:
        return f"{value * 100:.1f}%"
    if isinstance(value, Decimal | float) and fmt == MONEY:
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` units wide."""
    usable = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


class _Drawer:
    """Lays one sheet out: two title rows, notes, then each table with its header."""

    def __init__(self, ws: Worksheet, spec: SheetSpec, lang: str) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.ws, self.spec, self.lang = ws, spec, lang
        face = _font_face(lang)
        self.font = Font(name=face, size=_SIZE)
        self.bold = Font(name=face, size=_SIZE, bold=True)
        self.title_font = Font(name=face, size=16, bold=True, color=_TITLE_COLOUR)
        self.heading_font = Font(name=face, size=12, bold=True)
        self.note_font = Font(name=face, size=9, color="595959")
        thin = Side(style="thin", color="A6A6A6")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.rule = Border(bottom=Side(style="medium", color=_TITLE_COLOUR))
        self.head_fill = PatternFill("solid", fgColor=_HEAD_FILL)
        self.section_fill = PatternFill("solid", fgColor=_SECTION_FILL)
        self.wrap = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1)
        self.plain = Alignment(horizontal="left", vertical="top", indent=1)
        self.number = Alignment(horizontal="right", vertical="top", indent=1)
        self.day = Alignment(horizontal="center", vertical="top")
        self.head_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center")
        self.span_align = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.widths = self._widths()
        self.row = 0

    @property
    def ncols(self) -> int:
        return len(self.widths)

    def _widths(self) -> list[float]:
        """Each column as wide as its widest cell within the columns' bounds (tables on one
        sheet share columns: the widest bound wins)."""
        widths: list[float] = []
        for table in self.spec.tables:
            for i, column in enumerate(table.columns):
                least, most = column.width
                texts = [column.header] + [
                    shown(row[i], table.formats.get((n, i), column.fmt))
                    for n, row in enumerate(table.rows)
                ]
                need = max(display_width(line) for text in texts for line in text.split("\n"))
                header_words = max(display_width(w) for w in column.header.split())
                width = min(most, max(least, need + 3, header_words + 2))
                if i < len(widths):
                    widths[i] = max(widths[i], width)
                else:
                    widths.append(width)
        return widths

    def _next(self) -> int:
        self.row += 1
        return self.row

    def _text(self, col: int, value: Any, font: Any = None, align: Any = None) -> Any:
        cell = self.ws.cell(row=self.row, column=col)
        if isinstance(value, str):
            cell.value = _clean(value)
            if is_formula_like(cell.value):
                cell.data_type = "s"  # a customer's "=..." is text, never a formula
        else:
            cell.value = value
        cell.font = font or self.font
        cell.alignment = align or self.plain
        return cell

    def _span(self, text: str, font: Any, height: float | None = None, border: Any = None) -> None:
        """A text across the sheet's width (merged), its row tall enough for it."""
        row = self._next()
        self._text(1, text, font, self.span_align)
        if self.ncols > 1:
            self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=self.ncols)
        if border is not None:
            for col in range(1, self.ncols + 1):
                self.ws.cell(row=row, column=col).border = border
        size = font.sz or 10
        lines = _lines(text, sum(self.widths) * 10 / size)
        self.ws.row_dimensions[row].height = height or min(_MAX_ROW_PT, lines * size * 1.5 + 4)

    def draw(self, title: str, company: str, period: str, footer: str) -> None:
        ws = self.ws
        from openpyxl.utils import get_column_letter

        for i, width in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.sheet_view.showGridLines = False
        heading = " · ".join(p for p in (title, period) if p)
        self._span(heading, self.title_font, 28)
        self._span(
            " · ".join(p for p in (self.spec.heading, company) if p),
            self.heading_font,
            22,
            self.rule,
        )
        fixed = self.row  # the title rows: repeated on every printed page
        for note in self.spec.notes:
            self._span(note, self.note_font)
        single = len(self.spec.tables) == 1
        blocks: list[tuple[int, int]] = []  # a table's first rows, kept on one page
        for table in self.spec.tables:
            first = self.row + 1
            if table.title:
                self._next()
                self.ws.row_dimensions[self.row].height = 8
                self._span(table.title, self.bold, 20)
                ws.cell(row=self.row, column=1).fill = self.section_fill
            header_row = self._header(table)
            if single:
                fixed = header_row  # one table: its header repeats as well
            self._rows(table)
            blocks.append((first, min(self.row, header_row + _KEEP_ROWS)))
        ws.freeze_panes = ws.cell(row=fixed + 1, column=1)
        self._page_setup(fixed, title, period, footer)
        if not single:
            self._keep_together(blocks, fixed)

    def _height(self, row: int) -> float:
        return self.ws.row_dimensions[row].height or _LINE_PT + 4

    def _keep_together(self, blocks: list[tuple[int, int]], fixed: int) -> None:
        """Page breaks before a table whose title, header and first rows would otherwise be
        split over two pages (estimated from the row heights, as printed at fit-to-width)."""
        from openpyxl.worksheet.pagebreak import Break

        width_pt = sum(self.widths) * _UNIT_PT
        scale = min(1.0, _PRINT_WIDTH_PT / width_pt) if width_pt else 1.0
        room = _PRINT_HEIGHT_PT / scale
        titles = sum(self._height(r) for r in range(1, fixed + 1))
        if sum(self._height(r) for r in range(1, self.row + 1)) <= room * _SHRINK_TO_ONE:
            self.ws.page_setup.fitToHeight = 1  # a little smaller beats a page of leftovers
            return
        starts = {first: last for first, last in blocks}
        used = 0.0
        for row in range(1, self.row + 1):
            height = self._height(row)
            if row in starts and used > titles:
                block = sum(self._height(r) for r in range(row, starts[row] + 1))
                if used + block > room:
                    self.ws.row_breaks.append(Break(id=row - 1))
                    used = titles
            if used + height > room:
                used = titles
            used += height

    def _align(self, value: Any, wrap: bool) -> Any:
        if isinstance(value, date):
            return self.day
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return self.number
        return self.wrap if wrap else self.plain

    def _header(self, table: Table) -> int:
        row = self._next()
        lines = 1
        for i, column in enumerate(table.columns, start=1):
            cell = self._text(i, column.header, self.bold, self.head_align)
            cell.fill = self.head_fill
            cell.border = self.box
            lines = max(lines, _lines(column.header, self.widths[i - 1]))
        self.ws.row_dimensions[row].height = lines * _LINE_PT + 4
        return row

    def _rows(self, table: Table) -> None:
        if not table.rows:
            row = self._next()
            self._text(1, table.empty, self.font, self.left)
            last = len(table.columns)
            if last > 1:
                self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
            for col in range(1, last + 1):
                self.ws.cell(row=row, column=col).border = self.box
            self.ws.row_dimensions[row].height = _LINE_PT + 4
            return
        for n, values in enumerate(table.rows):
            row = self._next()
            lines = 1
            for i, (column, value) in enumerate(zip(table.columns, values, strict=True)):
                fmt = table.formats.get((n, i), column.fmt)
                cell = self._text(i + 1, value, align=self._align(value, column.wrap))
                cell.border = self.box
                if fmt and not isinstance(value, str):
                    cell.number_format = fmt
                elif isinstance(value, date):
                    cell.number_format = DATE
                if column.wrap:
                    lines = max(lines, _lines(shown(value, fmt), self.widths[i]))
            self.ws.row_dimensions[row].height = min(_MAX_ROW_PT, lines * _LINE_PT + 4)

    def _page_setup(self, fixed: int, title: str, period: str, footer: str) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.page import PageMargins

        ws = self.ws
        ws.print_area = f"A1:{get_column_letter(self.ncols)}{self.row}"
        ws.print_title_rows = f"1:{fixed}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as the lists need
        ws.print_options.horizontalCentered = True
        ws.page_margins = PageMargins(
            left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3
        )
        for part, text in (
            (ws.oddHeader.left, title),
            (ws.oddHeader.right, period),
            (ws.oddFooter.left, footer),
        ):
            part.text = _header_text(text)
            part.size = 8
        ws.oddFooter.right.text = t("report.page", self.lang, page="&P", pages="&N")
        ws.oddFooter.right.size = 8


def _header_text(text: str) -> str:
    """Plain text for a page header or footer: "&" starts a code there, so it is doubled."""
    return _clean(text).replace("&", "&&").replace("\n", " ")


def _clean(text: str) -> str:
    """Cell text without the control characters a worksheet cannot hold."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()
