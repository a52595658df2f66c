"""Writing through sheet protection in live Excel (issue 11 item 3).

Excel refuses a value in a locked cell of a protected sheet, a format, a note, an inserted
row or a table resized; a file writer is not stopped by it. So the xlwings store lifts the
protection of the sheets it is about to write (no password: the master workbook has none) and
restores it with the options it had, whatever happens in between, so a failed write never
leaves a sheet unprotected.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

# Worksheet.Protect's switches that Excel's Protection object reports (True: allowed).
ALLOW = (
    "AllowFormattingCells",
    "AllowFormattingColumns",
    "AllowFormattingRows",
    "AllowInsertingColumns",
    "AllowInsertingRows",
    "AllowInsertingHyperlinks",
    "AllowDeletingColumns",
    "AllowDeletingRows",
    "AllowSorting",
    "AllowFiltering",
    "AllowUsingPivotTables",
)


def protect_options(api: Any) -> dict[str, bool]:
    """The arguments of ``Protect`` that restore a protected sheet's options as they are."""
    allowed = api.Protection
    options = {name: bool(getattr(allowed, name)) for name in ALLOW}
    options["DrawingObjects"] = bool(api.ProtectDrawingObjects)
    options["Scenarios"] = bool(api.ProtectScenarios)
    options["Contents"] = True
    return options


@contextlib.contextmanager
def lifted(sheets: Iterable[Any]) -> Iterator[None]:
    """Unprotect the protected ones of ``sheets`` (xlwings sheets) for the block; protect them
    again afterwards with their own options, also when the block fails."""
    restore: list[tuple[Any, dict[str, bool]]] = []
    try:
        seen: set[str] = set()
        for sheet in sheets:
            if sheet.name in seen:
                continue
            seen.add(sheet.name)
            api = sheet.api
            if api.ProtectContents:
                options = protect_options(api)
                api.Unprotect()
                restore.append((api, options))
        yield
    finally:
        for api, options in reversed(restore):
            api.Protect(**options)
