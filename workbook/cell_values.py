"""What a value becomes in a cell: the one conversion both stores apply before writing.

Pure functions, no Excel: :func:`cell_value` gives the value the workbook should hold (the file
store writes it through openpyxl), :func:`excel_literal` how to hand that value to live Excel so
that it keeps it as given (the xlwings store).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from addin.core.enums import LabelledEnum
from addin.i18n import Lang
from workbook.headers import is_formula_like

# Leading text Excel parses into a date when typed: "Jan 5", "March 2024", "5-Jan" starts with a digit.
_MONTH_START = re.compile(
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?)\.?([\s,/\-]|\d|$)",
    re.IGNORECASE,
)
_NUMBER_START = "(.$€£¥￥#"  # "(5)", ".5", "$5", "#N/A": Excel reads these as numbers or errors
_LOGICAL = {"TRUE", "FALSE"}

# A finding shown at a cell: this fill, and a note by this author whose text opens with this
# line. Only such notes are replaced or cleared: live Excel makes the user every note's author,
# so the first line is what tells OrderDesk's notes from people's in every store.
MARK_COLOR = "FFFFC7CE"
NOTE_AUTHOR = "OrderDesk"
NOTE_HEADER = "OrderDesk:"


def note_text(note: str) -> str:
    """A finding's note as OrderDesk writes it."""
    return f"{NOTE_HEADER}\n{note}"


def note_is_ours(author: str | None, text: str | None) -> bool:
    """Whether a cell's note is OrderDesk's to replace or clear (every other one stays)."""
    return author == NOTE_AUTHOR or (text or "").startswith(NOTE_HEADER)


def cell_value(value: Any, lang: Lang) -> Any:
    """The value as the workbook holds it: an enum as its label in the workbook's language, a
    Decimal as a number, a datetime naive and to the second, anything unknown as text."""
    if isinstance(value, LabelledEnum):
        return value.label(lang)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if value is not None and not isinstance(value, str | int | float | date):
        return str(value)
    return value


def excel_keeps_as_text(text: str) -> bool:
    """Whether Excel stores ``text`` unchanged when it is entered into a General cell.

    Excel turns entered text into a formula (``=``, ``+``, ``-``, ``@``), a number, a date, a
    time, a boolean or an error value when it looks like one, and drops a leading apostrophe.
    This answers conservatively: anything that might be converted counts as not kept.
    """
    if is_formula_like(text) or text.startswith("'"):
        return False
    stripped = text.strip()
    if not stripped:
        return True
    first = stripped[0]
    if first.isdigit() or first in _NUMBER_START or first in "+-=":
        return False
    return stripped.upper() not in _LOGICAL and not _MONTH_START.match(stripped)


def excel_literal(value: Any) -> Any:
    """A :func:`cell_value` as it must be entered into Excel: text that Excel would convert is
    prefixed with an apostrophe, which Excel consumes and keeps the rest as text."""
    if isinstance(value, str) and not excel_keeps_as_text(value):
        return "'" + value
    return value


def display_width(value: Any) -> int:
    """Columns the value takes as text: East Asian wide characters take two."""
    text = value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
