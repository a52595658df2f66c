"""Workbook → models → workbook loses nothing: every table, every kind of column, both languages."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from foundation_fixtures import new_workbook, read_all
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.core.models import MODELS, Record
from addin.core.parse import parse_table
from addin.core.schema import TABLES, Column, Kind, Table
from workbook.file_store import FileStore
from workbook.store import ChangeSet

TEXTS = (
    "上海华东机械有限公司",
    "=SUM(A1:A3)",
    "007",
    "-5",
    "第一行\n第二行",
    "Anna Schmidt <anna@example.com>",
    "100%",
)
MONEY = (Decimal("1234567.89"), Decimal("0.01"), Decimal("9999999999999.99"), Decimal(12))


def _value(table: Table, col: Column, n: int) -> Any:
    if col.kind == Kind.INT:
        return 10**n + 7
    if col.kind == Kind.MONEY:
        return MONEY[n % len(MONEY)]
    if col.kind == Kind.PERCENT:
        return (0.375, 1.0, 0.0)[n % 3]
    if col.kind == Kind.DATE:
        return date(2026, 2, 28) + timedelta(days=n)
    if col.kind == Kind.DATETIME:
        return datetime(2026, 11, 28, 23, 59, 59) - timedelta(days=n, seconds=n)
    if col.kind == Kind.ENUM:
        assert col.enum is not None
        members = list(col.enum)
        return members[n % len(members)]
    return f"{TEXTS[n % len(TEXTS)]} {table.key}.{col.key}"


def sample_rows(table: Table, count: int = 3) -> list[dict[str, Any]]:
    return [{col.key: _value(table, col, n) for col in table.columns} for n in range(count)]


def write_records(path: Path, rows: dict[str, list[dict[str, Any]]]) -> None:
    with FileStore.open(path, write=True) as store:
        changes = ChangeSet()
        for table, records in rows.items():
            for values in records:
                changes.append(table, values)
        store.commit(changes)


def read_records(path: Path) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    with FileStore.open(path) as store:
        for key in TABLES:
            records, problems = parse_table(key, store.read(key))
            assert problems == [], (key, problems)
            out[key] = records
    return out


def _dump(records: list[Record]) -> list[dict[str, Any]]:
    return [r.model_dump() | {"row": r.row} for r in records]


def prefilled(path: Path) -> dict[str, int]:
    """Rows a new workbook comes with (settings, time limits, department mail): compare only
    the rows added after them."""
    return {key: len(rows) for key, rows in read_all(path).items()}


@pytest.mark.parametrize(("first", "second"), [("zh", "zh"), ("en", "en"), ("zh", "en")])
def test_every_table_round_trips_without_loss(tmp_path: Path, first: str, second: str) -> None:
    rows = {key: sample_rows(table) for key, table in TABLES.items()}
    a = new_workbook(tmp_path, first, "a.xlsx")
    skip = prefilled(a)
    write_records(a, rows)
    records = read_records(a)

    for key, table in TABLES.items():
        added = records[key][skip[key] :]
        expected = [MODELS[key].model_validate(values) for values in rows[key]]
        assert [r.model_dump() for r in added] == [e.model_dump() for e in expected], key
        # the kinds survive: money stays exact, dates stay dates, labels become members
        for record, values in zip(added, rows[key], strict=True):
            for col in table.columns:
                got = getattr(record, col.key)
                assert got == values[col.key], (key, col.key, got, values[col.key])
                assert type(got) is type(values[col.key]), (key, col.key)

    # models → a second workbook (maybe the other language) → the same models
    b = new_workbook(tmp_path, second, "b.xlsx")
    write_records(
        b,
        {key: [r.model_dump() for r in recs[skip[key] :]] for key, recs in records.items()},
    )
    again = read_records(b)
    for key in TABLES:
        assert _dump(again[key][skip[key] :]) == _dump(records[key][skip[key] :]), key
    if first == second:  # same language: the very same cell values
        cells_a, cells_b = read_all(a), read_all(b)
        for key in TABLES:
            assert [r.values for r in cells_a[key]] == [r.values for r in cells_b[key]], key


def test_row_numbers_are_remembered_for_writing_back(tmp_path: Path) -> None:
    path = new_workbook(tmp_path)
    write_records(path, {"customers": sample_rows(TABLES["customers"], 4)})
    records = read_records(path)["customers"]
    assert [r.row for r in records] == [2, 3, 4, 5]
    with FileStore.open(path, write=True) as store:
        changes = ChangeSet()
        changes.update("customers", records[2].row or 0, "name", "改名后的客户")
        store.commit(changes)
    names = [r.name for r in read_records(path)["customers"]]
    assert names[2] == "改名后的客户"
    assert names[:2] == [r.name for r in records[:2]] and names[3] == records[3].name


# -- any values -----------------------------------------------------------------------------------
text = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Cn")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
line = st.fixed_dictionaries(
    {
        "order_no": text,
        "product_name": text,
        "spec": text,
        "quantity": st.integers(min_value=1, max_value=10**12),
        "unit_price": st.decimals(
            min_value=0, max_value=Decimal("9999999999.99"), places=2, allow_nan=False
        ),
        "delivery_date": st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
        "delivery_place": text,
    }
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=st.lists(line, min_size=1, max_size=20))
def test_any_text_number_and_date_survives_the_file(tmp_path: Path, lines: list[dict]) -> None:
    path = new_workbook(Path(tempfile.mkdtemp(dir=tmp_path)))  # one per example
    rows = [values | {"line_no": n} for n, values in enumerate(lines, start=1)]
    write_records(path, {"lines": rows})
    with FileStore.open(path) as store:
        records, problems = parse_table(
            "lines", store.read("lines"), lambda raw: {"currency": "CNY"}
        )
    assert problems == []
    for record, values in zip(records, rows, strict=True):
        for key, value in values.items():
            assert getattr(record, key) == value, (key, value)
