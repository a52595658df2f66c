"""Writing through sheet protection in live Excel (issue 11 item 3).

Excel refuses a value in a locked cell of a protected sheet, a format, a note, an inserted
row or a table resized; a file writer is not stopped by it. So the xlwings store lifts the
protection of the sheets it is about to write (no password: the master workbook has none) and
restores it with the options it had, whatever happens in between, so a failed write never
leaves a sheet unprotected.

Excel's object model differs by platform: COM on Windows (``Unprotect``, ``Protect`` and the
``Protection`` object's ``Allow...`` switches), AppleScript on macOS (``unprotect``,
``protect_worksheet`` and the ``protection_object``'s ``allow_...`` properties, as xlwings'
``mac_dict`` names them; ``tests/test_sheet_protection.py`` checks the names against it).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import Any

# Worksheet.Protect's switches (COM name, AppleScript name), each True where allowed.
ALLOW = (
    ("AllowFormattingCells", "allow_formatting_cells"),
    ("AllowFormattingColumns", "allow_formatting_columns"),
    ("AllowFormattingRows", "allow_formatting_rows"),
    ("AllowInsertingColumns", "allow_inserting_columns"),
    ("AllowInsertingRows", "allow_inserting_rows"),
    ("AllowInsertingHyperlinks", "allow_inserting_hyperlinks"),
    ("AllowDeletingColumns", "allow_deleting_columns"),
    ("AllowDeletingRows", "allow_deleting_rows"),
    ("AllowSorting", "allow_sorting"),
    ("AllowFiltering", "allow_filtering"),
    ("AllowUsingPivotTables", "allow_using_pivot_table"),
)


class _Com:
    """Excel for Windows."""

    @staticmethod
    def is_protected(api: Any) -> bool:
        return bool(api.ProtectContents)

    @staticmethod
    def options(api: Any) -> dict[str, bool]:
        allowed = api.Protection
        options = {com: bool(getattr(allowed, com)) for com, _ in ALLOW}
        options["DrawingObjects"] = bool(api.ProtectDrawingObjects)
        options["Scenarios"] = bool(api.ProtectScenarios)
        options["Contents"] = True
        return options

    @staticmethod
    def unprotect(api: Any) -> None:
        api.Unprotect()

    @staticmethod
    def protect(api: Any, options: dict[str, bool]) -> None:
        api.Protect(**options)


class _AppleScript:
    """Excel for Mac (appscript references: a property is read with ``.get()``)."""

    @staticmethod
    def is_protected(api: Any) -> bool:
        return bool(api.protect_contents.get())

    @staticmethod
    def options(api: Any) -> dict[str, bool]:
        allowed = api.protection_object
        options = {mac: bool(getattr(allowed, mac).get()) for _, mac in ALLOW}
        options["drawing_objects"] = bool(api.protect_drawing_objects.get())
        options["scenarios"] = bool(api.protect_scenarios.get())
        options["worksheet_contents"] = True
        return options

    @staticmethod
    def unprotect(api: Any) -> None:
        api.unprotect()

    @staticmethod
    def protect(api: Any, options: dict[str, bool]) -> None:
        api.protect_worksheet(**options)


def excel_api() -> type[_Com] | type[_AppleScript]:
    return _AppleScript if sys.platform == "darwin" else _Com


def protect_options(api: Any) -> dict[str, bool]:
    """The arguments of the protect command that restore a protected sheet's options."""
    return excel_api().options(api)


@contextlib.contextmanager
def lifted(sheets: Iterable[Any]) -> Iterator[None]:
    """Unprotect the protected ones of ``sheets`` (xlwings sheets) for the block; protect them
    again afterwards with their own options, also when the block fails."""
    excel = excel_api()
    restore: list[tuple[Any, dict[str, bool]]] = []
    try:
        seen: set[str] = set()
        for sheet in sheets:
            if sheet.name in seen:
                continue
            seen.add(sheet.name)
            api = sheet.api
            if excel.is_protected(api):
                options = excel.options(api)
                excel.unprotect(api)
                restore.append((api, options))
        yield
    finally:
        for api, options in reversed(restore):
            excel.protect(api, options)
