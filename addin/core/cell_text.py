"""How much text one cell can hold: Excel's limit, the one rule for every reader and writer.

Excel keeps at most 32,767 characters in a cell (counted as Excel counts them, in UTF-16 units:
a character outside the Basic Multilingual Plane counts twice) and cuts anything longer when
it opens the file, so a longer value is refused where it comes in (an order form, a typed row)
and before any store writes it, never cut.
"""

from __future__ import annotations

MAX_CELL_TEXT = 32_767


def excel_length(text: str) -> int:
    """The length of ``text`` as Excel counts it (UTF-16 code units)."""
    if len(text) <= MAX_CELL_TEXT // 2:
        return len(text)  # every character counts at most twice: no need to encode
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def too_long(text: str) -> bool:
    return excel_length(text) > MAX_CELL_TEXT
