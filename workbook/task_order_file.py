"""The production task order (生产任务单) as a one-page .xlsx: one file per task order and revision.

Pure rendering: the caller gathers the data into a :class:`TaskOrderDoc`, :func:`render_task_order`
writes the file and returns its path. openpyxl is imported only when a file is rendered, so the
ribbon can import this module cheaply.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin.core.enums import Department
from addin.i18n import normalize_lang, t
from workbook.cell_values import display_width
from workbook.safe_save import save_workbook

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DEFAULT_DISTRIBUTION: tuple[str, ...] = (
    Department.PRODUCTION.value,
    Department.TECHNICAL.value,
    Department.QUALITY.value,
    Department.PURCHASING.value,
)


@dataclass(frozen=True)
class TaskOrderDoc:
    """Everything printed on one task order (revision numbers start at 1)."""

    company: str
    task_no: str
    order_no: str
    revision: int
    customer_name: str
    product_code: str
    product_name: str
    spec: str
    quantity: int | Decimal
    unit: str
    due_date: date
    batch: str
    quality_req: str = ""
    packaging_req: str = ""
    transport_req: str = ""
    review_notes: str = ""
    distribution: Sequence[str] = field(default_factory=lambda: list(DEFAULT_DISTRIBUTION))
    issued_by: str = ""
    issued_at: datetime | None = None
    lang: str = "zh"
    delivery_place: str = ""
    # on a revision: (field, old, new) of what changed, and what was already done
    revision_changes: Sequence[tuple[str, str, str]] = ()
    work_done: str = ""

    @property
    def departments(self) -> list[Department]:
        """The distribution as departments, in order, without repeats (keys or labels accepted)."""
        seen: list[Department] = []
        for item in self.distribution:
            dept = Department.parse(item)
            if dept not in seen:
                seen.append(dept)
        return seen  # type: ignore[return-value]

    @property
    def product(self) -> str:
        return " ".join(p for p in (self.product_code.strip(), self.product_name.strip()) if p)


# --- file names ----------------------------------------------------------------------------------

_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
# Windows device names, also reserved with any extension ("CON.txt") and with superscript digits.
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in "0123456789¹²³"}
)
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def safe_filename(name: str, suffix: str = "", max_bytes: int = 120, unique: bool = False) -> str:
    """``name`` made a file name valid on Windows, macOS and Linux, with ``suffix`` appended.

    Path separators, ``<>:"/\\|?*``, control and invisible format characters become ``_``;
    leading dots and spaces and trailing dots and spaces go; Windows device names (CON, NUL,
    COM1, ...) get a leading ``_``; the whole name is at most ``max_bytes`` bytes of UTF-8
    (file systems count bytes or UTF-16 units, 255 at most, and Windows paths are short).
    ``suffix`` (like ``".xlsx"``) is the caller's own and is kept as is.

    A name cut to fit ends in ``~`` and a short hash of the whole name, so that names that
    differ only past the cut stay apart; with ``unique`` so does a name whose characters were
    replaced (``SO/1`` and ``SO:1`` are different orders).
    """
    text = unicodedata.normalize("NFC", str(name))
    chars = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in _BAD_CATEGORIES or _FORBIDDEN.match(ch):
            chars.append("_")
        elif category == "Zs":
            chars.append(" ")
        else:
            chars.append(ch)
    stem = re.sub(r"_{2,}", "_", re.sub(r" {2,}", " ", "".join(chars)))
    budget = max(1, max_bytes - len(suffix.encode("utf-8")))
    tag = "~" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if len(stem.encode("utf-8")) > budget or (unique and stem != text):
        stem = _cut(stem, budget - len(tag)) + tag
    stem = stem.lstrip(". ").rstrip(". ")
    if not stem:
        stem = "_"
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
        if len(stem.encode("utf-8")) > budget:
            stem = stem[:-1].rstrip(". ") or "_"
    return stem + suffix


def _cut(text: str, budget: int) -> str:
    while text and len(text.encode("utf-8")) > budget:
        text = text[:-1]
    return text.rstrip(". ")


def task_order_filename(doc: TaskOrderDoc, suffix: str = ".xlsx") -> str:
    """The task order's file name: title, task and order numbers, revision, customer."""
    stem = t(
        "taskorder.file_stem",
        doc.lang,
        task_no=doc.task_no,
        order_no=doc.order_no,
        revision=doc.revision,
        customer=doc.customer_name,
    )
    return safe_filename(stem, suffix, unique=True)


# --- rendering -----------------------------------------------------------------------------------

# Four columns: label | value | label | value. Widths in Excel character units.
_WIDTHS = {"A": 17, "B": 27, "C": 17, "D": 27}
_WIDE = _WIDTHS["B"] + _WIDTHS["C"] + _WIDTHS["D"]  # a value merged over B:D
_FULL = sum(_WIDTHS.values())  # a text merged over A:D
_LINE_PT = 15.5  # the height of one line of 11-point text
_MAX_ROW_PT = 409.0  # Excel's largest row height
_GREY = "F2F2F2"
_SECTION = "D9E1F2"
_CELL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def render_task_order(doc: TaskOrderDoc, out_dir: Path | str) -> Path:
    """Write ``doc`` as a one-page A4 workbook in ``out_dir`` and return the file's path.

    The file is written whole or not at all (saved beside and renamed); a file of the same task
    order and revision is replaced.
    """
    from openpyxl import Workbook

    lang = normalize_lang(doc.lang)
    wb = Workbook()
    ws = wb.active
    ws.title = t("taskorder.sheet", lang)
    _Sheet(ws, doc, lang).fill()
    wb.properties.title = f"{t('taskorder.title', lang)} {doc.task_no}"
    wb.properties.subject = doc.order_no
    wb.properties.creator = "OrderDesk"

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return save_workbook(wb, folder / task_order_filename(doc))


def _row_height(text: str, width: int, min_lines: int = 1) -> float:
    """Points needed to show ``text`` wrapped in a (merged) cell ``width`` characters wide.

    Excel does not grow merged cells to fit, so the height is estimated here, a little generously.
    """
    usable = max(1, int(width * 1.05) - 2)
    lines = sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))
    return min(_MAX_ROW_PT, max(min_lines, lines) * _LINE_PT + 6)


def _clean(value: object) -> str:
    """Cell text: None as blank, characters a worksheet cannot hold removed."""
    if value is None:
        return ""
    return _CELL_ILLEGAL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n")).strip()


class _Sheet:
    """Lays the task order out on one worksheet, row after row."""

    def __init__(self, ws: Worksheet, doc: TaskOrderDoc, lang: str) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.ws, self.doc, self.lang = ws, doc, lang
        face = "Microsoft YaHei" if lang == "zh" else "Arial"
        self.font = Font(name=face, size=11)
        self.bold = Font(name=face, size=11, bold=True)
        self.big = Font(name=face, size=20, bold=True)
        self.company_font = Font(name=face, size=14, bold=True)
        thin = Side(style="thin", color="808080")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title_rule = Border(bottom=Side(style="medium", color="1F3864"))
        self.no_border = Border()
        # a text split over several rows reads as one box: sides on all, top and bottom at ends
        self.box_top = Border(left=thin, right=thin, top=thin)
        self.box_middle = Border(left=thin, right=thin)
        self.box_bottom = Border(left=thin, right=thin, bottom=thin)
        self.grey = PatternFill("solid", fgColor=_GREY)
        self.section_fill = PatternFill("solid", fgColor=_SECTION)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
        self.top_left = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.row = 0

    def _t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    # cells

    def _put(self, col: str, value: Any, font=None, fill=None, align=None, fmt: str = "") -> None:
        cell = self.ws[f"{col}{self.row}"]
        if isinstance(value, str):
            cell.value = _clean(value)
            cell.data_type = "s"  # a customer's "=..." is text, never a formula
        else:
            cell.value = value
        cell.font = font or self.font
        cell.alignment = align or self.left
        cell.border = self.box
        if fill is not None:
            cell.fill = fill
        if fmt:
            cell.number_format = fmt

    def _merge(self, first: str, last: str, border=None) -> None:
        """Merge the current row from ``first`` to ``last``, every cell with one border (a merged
        range shows each cell's own border)."""
        self.ws.merge_cells(f"{first}{self.row}:{last}{self.row}")
        for col in "ABCD"["ABCD".index(first) : "ABCD".index(last) + 1]:
            self.ws[f"{col}{self.row}"].border = border or self.box

    def _next(self, height: float | None = None) -> None:
        self.row += 1
        if height is not None:
            self.ws.row_dimensions[self.row].height = height

    # blocks

    def _section(self, key: str) -> None:
        self._next(22)
        self._put("A", self._t(key), self.bold, self.section_fill)
        self._merge("A", "D")

    def _pair(self, label_a: str, value_a: Any, label_c: str, value_c: Any, fmt_b="", fmt_d=""):
        self._next(24)
        self._put("A", self._t(label_a), self.bold, self.grey)
        self._put("B", value_a, fmt=fmt_b)
        self._put("C", self._t(label_c), self.bold, self.grey)
        self._put("D", value_c, fmt=fmt_d)

    def _wide(self, label: str, value: str, min_lines: int = 1) -> None:
        self._wide_text(self._t(label), value, min_lines)

    def _wide_text(self, label: str, value: str, min_lines: int = 1) -> None:
        text = _clean(value) or self._t("taskorder.none")
        self._next(max(24.0, _row_height(text, _WIDE, min_lines), _row_height(label, 17)))
        self._put("A", label, self.bold, self.grey)
        self._put("B", text)
        self._merge("B", "D")

    def fill(self) -> None:
        ws, doc = self.ws, self.doc
        for col, width in _WIDTHS.items():
            ws.column_dimensions[col].width = width
        ws.sheet_view.showGridLines = False

        # header: company, title, task number and revision (repeated on every printed page)
        self._next(26)
        self._put("A", doc.company, self.company_font, align=self.center)
        self._merge("A", "D", self.no_border)
        self._next(38)
        self._put("A", self._t("taskorder.title"), self.big, align=self.center)
        self._merge("A", "D", self.title_rule)
        self._next(6)
        revision = self._t("taskorder.revision_value", revision=doc.revision)
        self._pair("taskorder.field.task_no", doc.task_no, "taskorder.field.revision", revision)
        ws[f"B{self.row}"].font = ws[f"D{self.row}"].font = self.bold
        header_end = self.row

        self._section("taskorder.section.basic")
        self._pair(
            "taskorder.field.order_no",
            doc.order_no,
            "taskorder.field.issued_at",
            doc.issued_at,
            fmt_d="yyyy-mm-dd hh:mm",
        )
        self._wide("taskorder.field.customer", doc.customer_name)

        self._section("taskorder.section.product")
        self._pair(
            "taskorder.field.product_code",
            doc.product_code,
            "taskorder.field.product_name",
            doc.product_name,
        )
        self._wide("taskorder.field.spec", doc.spec)
        self._pair(
            "taskorder.field.quantity",
            doc.quantity,
            "taskorder.field.due_date",
            doc.due_date,
            fmt_b=_quantity_format(doc.quantity, doc.unit),
            fmt_d="yyyy-mm-dd",
        )
        ws[f"B{self.row}"].font = ws[f"D{self.row}"].font = self.bold
        self._wide("taskorder.field.delivery_place", doc.delivery_place)
        self._wide("taskorder.field.batch", doc.batch)

        if doc.revision_changes or doc.work_done:
            self._section("taskorder.section.revision")
            for name, old, new in doc.revision_changes:
                self._wide_text(name, self._t("taskorder.change_value", old=old, new=new))
            self._wide("taskorder.field.work_done", doc.work_done)

        self._section("taskorder.section.requirements")
        self._wide("taskorder.field.quality_req", doc.quality_req, 2)
        self._wide("taskorder.field.packaging_req", doc.packaging_req, 2)
        self._wide("taskorder.field.transport_req", doc.transport_req, 2)

        self._section("taskorder.section.notes")
        notes = _clean(doc.review_notes) or self._t("taskorder.none")
        paragraphs = notes.split("\n")
        for i, paragraph in enumerate(paragraphs):
            # a row per paragraph keeps every row within Excel's height limit
            first, last = i == 0, i == len(paragraphs) - 1
            self._next(_row_height(paragraph, _FULL, 3 if len(paragraphs) == 1 else 1))
            self._put("A", paragraph, align=self.top_left)
            edge = {
                (True, True): self.box,
                (True, False): self.box_top,
                (False, True): self.box_bottom,
            }.get((first, last), self.box_middle)
            self._merge("A", "D", edge)

        self._section("taskorder.section.distribution")
        self._next(20)
        for col, key in zip("ABCD", ("department", "received_by", "date", "remarks"), strict=True):
            self._put(col, self._t(f"taskorder.col.{key}"), self.bold, self.grey, self.center)
        for dept in doc.departments:
            self._next(36)
            self._put("A", dept.label(self.lang), self.bold)
            for col in "BCD":
                self._put(col, None)

        self._next(10)
        self._next(36)
        self._put("A", self._t("taskorder.sign.issued_by"), self.bold, self.grey)
        self._put("B", doc.issued_by)
        self._put("C", self._t("taskorder.sign.signature"), self.bold, self.grey)
        self._put("D", None)

        self._page_setup(header_end)

    def _page_setup(self, header_end: int) -> None:
        from openpyxl.worksheet.page import PageMargins

        ws, doc = self.ws, self.doc
        ws.print_area = f"A1:D{self.row}"
        ws.print_title_rows = f"1:{header_end}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1
        ws.print_options.horizontalCentered = True
        ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.6, bottom=0.7, footer=0.3)
        footer = self._t(
            "taskorder.footer", task_no=doc.task_no, revision=doc.revision, order_no=doc.order_no
        )
        # "&" starts a header/footer code: a literal one is written "&&"
        ws.oddFooter.left.text = _clean(footer).replace("&", "&&").replace("\n", " ")
        ws.oddFooter.left.size = 8
        ws.oddFooter.right.text = self._t("taskorder.page", page="&P", pages="&N")
        ws.oddFooter.right.size = 8


def _quantity_format(quantity: int | Decimal, unit: str) -> str:
    number = "#,##0" if Decimal(quantity) == Decimal(quantity).to_integral_value() else "#,##0.###"
    unit = re.sub(r'["\\]', "", _clean(unit)).replace("\n", " ")
    return f'{number} "{unit}"' if unit else number
