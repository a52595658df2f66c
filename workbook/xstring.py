"""Text as an .xlsx holds it: the OOXML ``ST_Xstring`` escapes, one rule for every store.

XML cannot hold most control characters (NUL, U+0001..U+001F but tab, line feed and carriage
return), lone surrogates, U+FFFE or U+FFFF; Excel writes each as ``_xHHHH_`` and reads every
``_xHHHH_`` back as its character. So a literal ``_x`` in a text is written ``_x005F_x`` (the
underscore escaped), or Excel would read ``_x0041_`` typed by a user as "A". :func:`escape` is
what a store writes, :func:`unescape` what it reads; ``unescape(escape(s)) == s`` for every s.

openpyxl neither escapes nor unescapes (and strips ``x005F_`` from shared strings, which loses
text), so the file store loads through :func:`load_workbook` here: cells hold the file's text,
escaped, and the store converts at its own reading and writing.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LITERAL = re.compile("_(?=x)")
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def escape(text: str) -> str:
    """``text`` as a worksheet's XML holds it."""
    if "_x" in text:
        text = _LITERAL.sub("_x005F_", text)
    if _NOT_XML.search(text) is None:
        return text
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unescape(text: str) -> str:
    """The text a worksheet's XML text stands for (as Excel reads it)."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def read_value(value: Any) -> Any:
    return unescape(value) if isinstance(value, str) else value


def _raw_string_table(source: Any) -> list[str]:
    """The shared strings as the file holds them (openpyxl's own reader drops ``x005F_``)."""
    strings: list[str] = []
    tag = f"{{{SHEET_MAIN_NS}}}si"
    for _, node in iterparse(source):
        if node.tag == tag:
            strings.append(Text.from_tree(node).content)
            node.clear()
    return strings


class _RawReader(ExcelReader):  # type: ignore[misc]
    def read_strings(self) -> None:
        ct = self.package.find(SHARED_STRINGS)
        if ct is not None:
            with self.archive.open(ct.PartName[1:]) as src:
                self.shared_strings = _raw_string_table(src)


def load_workbook(source: Any, **options: Any) -> Any:
    """``openpyxl.load_workbook`` keeping every cell's text as the file holds it (escaped)."""
    reader = _RawReader(
        source,
        options.get("read_only", False),
        options.get("keep_vba", False),
        options.get("data_only", False),
        options.get("keep_links", True),
        options.get("rich_text", False),
    )
    reader.read()
    return reader.wb
