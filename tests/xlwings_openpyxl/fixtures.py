"""pytest fixtures: xlwings over the openpyxl engine, and master workbooks opened through it.

Loaded for every test by ``tests/conftest.py`` (``pytest_plugins``). Typical use::

    def test_button(master_book, xl_engine):
        master_book.sheets[0].range("A2").select()      # what the user selected
        my_ribbon_function()                            # uses xw.books.active / Book.caller()
        master_book.save()                              # back to the file, for FileStore to read
        assert xl_engine.count("write") == 1
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import xlwings as xw

from addin.i18n import Lang
from workbook.create import create_master_workbook
from xlwings_openpyxl import ENGINE, Engine, activate, deactivate


@pytest.fixture
def xl_engine() -> Iterator[Engine]:
    """The engine, active for this test; no book is open at the start, every one is closed
    (unsaved) at the end. ``xl_engine.calls`` records each operation on the workbooks."""
    previous = activate()
    ENGINE.reset()
    try:
        yield ENGINE
    finally:
        deactivate(previous)


@pytest.fixture
def open_book(xl_engine: Engine) -> Callable[[Path | str], xw.Book]:
    """``open_book(path)``: the workbook file opened as ``xw.Book(path)``, the active book of
    the active app (what ``xw.books.active`` and the ribbon see). ``book.save()`` writes it back."""

    def _open(path: Path | str) -> xw.Book:
        return xw.Book(Path(path))

    return _open


@pytest.fixture
def new_master_book(
    open_book: Callable[[Path | str], xw.Book], tmp_path: Path
) -> Callable[..., xw.Book]:
    """``new_master_book(lang="zh", name="master.xlsx")``: a fresh master workbook in
    ``tmp_path``, open through xlwings."""

    def _new(lang: Lang = "zh", name: str = "master.xlsx") -> xw.Book:
        path = create_master_workbook(tmp_path / name, lang)
        return open_book(path)

    return _new


@pytest.fixture
def master_book(new_master_book: Callable[..., xw.Book]) -> xw.Book:
    """A fresh zh master workbook open through xlwings (file: ``Path(master_book.fullname)``)."""
    return new_master_book()
