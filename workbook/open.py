"""The master workbook file as the command line opens it.

``PatchFileStore`` patches only the parts an action changes (and falls back to the openpyxl
``FileStore`` for what it cannot patch faithfully); both follow the same store rules.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbook.patch_store import PatchFileStore


def open_workbook(path: Path | str, write: bool = False) -> AbstractContextManager[PatchFileStore]:
    """Open the master workbook; ``write`` holds it against other writers for the action."""
    from workbook.patch_store import PatchFileStore

    return PatchFileStore.open(path, write=write)
