"""What openpyxl's whole load and save would lose from a workbook, found before it happens.

The patching store falls back to openpyxl for a change set it cannot patch faithfully. openpyxl
drops pictures and shapes (it keeps charts) and, loaded as the fallback loads it, flattens rich
text to plain text: in every sheet, not only the one written. So the fallback first looks for
them here and refuses (naming the sheet) rather than lose what users added.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from workbook.xlsx_package import DOC_REL_NS, Package

REL_DRAWING = f"{DOC_REL_NS}/drawing"
_P = rb"(?:[A-Za-z_][\w.\-]*:)?"
# What a drawing holds besides charts: pictures, shapes, connectors, groups, ink.
_DRAWN = re.compile(rb"<" + _P + rb"(?:pic|sp|grpSp|cxnSp|contentPart)(?=[\s/>])")
# A run of rich text, or a phonetic run.
_RUN = re.compile(rb"<" + _P + rb"(?:r|rPh)(?=[\s/>])")
_SI = re.compile(rb"<" + _P + rb"si(?=[\s/>])[^>]*?(?:/>|>(.*?)</" + _P + rb"si\s*>)", re.S)
_CELL = re.compile(rb"<" + _P + rb"c(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + _P + rb"c\s*>)", re.S)
_TYPE = re.compile(rb"\st\s*=\s*[\"'](\w+)[\"']")
_VALUE = re.compile(rb"<" + _P + rb"v(?:\s[^>]*)?>\s*\+?(\d+)\s*<")


def rich_strings(data: bytes) -> set[int]:
    """The indexes of the shared strings made of runs."""
    return {i for i, m in enumerate(_SI.finditer(data)) if m.group(1) and _RUN.search(m.group(1))}


def has_rich_text(sheet: bytes, rich: set[int]) -> bool:
    """Whether a cell of the worksheet shows rich text (a shared one of ``rich``, or inline)."""
    if not rich and b"inlineStr" not in sheet:
        return False
    for cell in _CELL.finditer(sheet):
        kind = _TYPE.search(cell.group(1))
        inner = cell.group(2)
        if kind is None or inner is None:
            continue
        if kind.group(1) == b"inlineStr" and _RUN.search(inner):
            return True
        if kind.group(1) == b"s":
            value = _VALUE.search(inner)
            if value is not None and int(value.group(1)) in rich:
                return True
    return False


def fallback_loss(
    package: Package, sheets: Iterable[tuple[str, str]], strings_part: str | None
) -> tuple[str, str] | None:
    """(what, sheet title) of the first thing openpyxl would lose, or None: ``what`` is
    ``pictures`` or ``rich_text``; ``sheets`` are (title, part) in workbook order."""
    rich = rich_strings(package.read(strings_part)) if strings_part else set()
    for title, part in sheets:
        for rel in package.rels(part):
            drawing = rel.type == REL_DRAWING and not rel.external and package.has(rel.target)
            if drawing and _DRAWN.search(package.read(rel.target)):
                return "pictures", title
        if has_rich_text(package.read(part), rich):
            return "rich_text", title
    return None
