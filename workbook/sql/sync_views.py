"""The workbook side of a connected workbook: a store that also keeps the sync's defined names.

``BookView`` is the workbook open in Excel (the ribbon's :class:`XlwingsStore`); ``FileView``
is the file headless (the command line's ``db connect`` / ``db refresh``, through openpyxl's
:class:`FileStore`: one load, the rows and the names written in one atomic save).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

from openpyxl.workbook.defined_name import DefinedName

from addin.i18n import Lang
from workbook.file_store import FileStore
from workbook.safe_save import atomic_write_bytes, ensure_not_open_elsewhere
from workbook.store import ChangeSet, Row, StoreError
from workbook.xlwings_store import XlwingsStore, order_key


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _unquoted(text: str) -> str:
    text = text.lstrip("=").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return text


class BookView:
    """A workbook open in Excel (through xlwings)."""

    def __init__(self, store: XlwingsStore) -> None:
        self.store = store

    @property
    def lang(self) -> Lang:
        return self.store.lang

    def read(self, table: str) -> list[Row]:
        return self.store.read(table)

    def rows_of_orders(self, table: str, orders: set[str]) -> list[Row]:
        return self.store.rows_of_orders(table, orders)

    def order_numbers(self, table: str) -> set[str]:
        return self.store.order_numbers(table)

    def locate(self, table: str) -> None:
        self.store.locate(table)

    def name_value(self, name: str) -> str | None:
        names = self.store.book.names
        if name not in names:
            return None
        return _unquoted(names[name].refers_to or "")

    def commit_synced(self, changes: ChangeSet, names: dict[str, str]) -> None:
        # Excel has no transactions: the rows first, then the names that say they are there.
        self.store.commit(changes)
        for name, value in names.items():
            self.store.book.names.add(name, "=" + _quoted(value))


class FileView:
    """A workbook file, loaded once through openpyxl and saved once."""

    def __init__(self, store: FileStore) -> None:
        self.store = store

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: Path | str) -> Iterator[FileView]:
        with FileStore.open(path, write=True) as store:
            yield cls(store)

    @property
    def lang(self) -> Lang:
        return self.store.lang

    def read(self, table: str) -> list[Row]:
        return self.store.read(table)

    # The file is loaded whole once: its rows are filtered, nothing to locate.
    def rows_of_orders(self, table: str, orders: set[str]) -> list[Row]:
        return [r for r in self.store.read(table) if order_key(r.values.get("order_no")) in orders]

    def order_numbers(self, table: str) -> set[str]:
        return {no for r in self.store.read(table) if (no := order_key(r.values.get("order_no")))}

    def locate(self, table: str) -> None:
        pass

    def name_value(self, name: str) -> str | None:
        defined = self.store.wb.defined_names.get(name)
        return None if defined is None else _unquoted(str(defined.attr_text))

    def commit_synced(self, changes: ChangeSet, names: dict[str, str]) -> None:
        store = self.store
        store._validate(changes)
        store.apply(changes)
        for name, value in names.items():
            store.wb.defined_names[name] = DefinedName(name, attr_text=_quoted(value))
        ensure_not_open_elsewhere(store.path)
        buffer = io.BytesIO()
        try:
            store.wb.save(buffer)
            atomic_write_bytes(store.path, buffer.getvalue())
        except OSError as exc:
            raise StoreError("store.write_failed", detail=str(exc)) from exc
