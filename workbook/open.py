"""The store a command opens: the master workbook file, or a database in server mode.

``PatchFileStore`` patches only the parts an action changes (and falls back to the openpyxl
``FileStore`` for what it cannot patch faithfully); ``SqlStore`` keeps the records in a
database (``postgresql://…``, ``sqlite:///…``). Both follow the same store rules.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbook.store import Store


def is_database(target: Path | str) -> bool:
    """Whether ``target`` names a database (a URL) rather than a workbook file."""
    from workbook.sql.url import is_url

    return isinstance(target, str) and is_url(target)


def open_store(target: Path | str, write: bool = False) -> AbstractContextManager[Store]:
    """Open the master workbook at a path, or the database at a URL; ``write`` holds a workbook
    against other writers for the action (a database commits each action in one transaction)."""
    if is_database(target):
        from workbook.sql.store import SqlStore

        return SqlStore.open(str(target), write=write)  # type: ignore[return-value]
    from workbook.patch_store import PatchFileStore

    return PatchFileStore.open(target, write=write)  # type: ignore[return-value]


def open_workbook(path: Path | str, write: bool = False) -> AbstractContextManager[Store]:
    """The store at ``path`` (a workbook, or a database URL): see :func:`open_store`."""
    return open_store(path, write=write)


def working_dir(target: Path | str) -> Path:
    """Where files an action writes are put relative to: the workbook's folder, or the
    current directory for a database."""
    if is_database(target):
        return Path.cwd()
    return Path(target).resolve().parent
