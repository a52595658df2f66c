"""The ledger's hash chain: intact after every action, and every hand edit found."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from foundation_fixtures import (
    LANGS,
    NOW,
    check,
    copy_of,
    order_rows,
    read,
    receive_rows,
    rewrite_ledger,
    seeded_workbook,
    set_cell,
    where,
)

from addin.core import ledger
from addin.core.enums import OrderStatus
from addin.core.models import LedgerEntry, Order
from addin.core.problems import Problem
from addin.core.schema import TABLES
from addin.i18n import t
from addin.services.inquiry import verify
from workbook.file_store import FileStore
from workbook.store import ChangeSet

ORDERS = ("SO1", "SO2", "SO3")


# -- the chain itself -----------------------------------------------------------------------------
def _fields(n: int, order_no: str = "SO1", **values: Any) -> dict[str, Any]:
    return {
        "time": datetime(2026, 11, 28, 9, 0, n),
        "user": "孙丽",
        "order_no": order_no,
        "action": "接收",
        "status_before": None,
        "status_after": "已接收",
        "details": f"第 {n} 条",
    } | values


def _chain(count: int) -> list[LedgerEntry]:
    chain = ledger.Chain()
    return [
        LedgerEntry(row=n + 1, **chain.next_row(_fields(n, f"SO{n}"))) for n in range(1, count + 1)
    ]


def test_each_hash_covers_the_fields_and_the_previous_hash() -> None:
    fields = _fields(1) | {"seq": 1}
    base = ledger.row_hash(ledger.GENESIS, fields)
    assert len(base) == 64 and base == ledger.row_hash(ledger.GENESIS, dict(fields))
    for key in ("seq", "time", "user", "order_no", "action", "status_before", "status_after"):
        changed = fields | {key: "x"}
        assert ledger.row_hash(ledger.GENESIS, changed) != base, key
    assert ledger.row_hash(ledger.GENESIS, fields | {"details": "第 2 条"}) != base
    assert ledger.row_hash("1" * 64, fields) != base
    # what a cell gives back (no microseconds, text trimmed) hashes alike
    assert ledger.row_hash(ledger.GENESIS, fields | {"time": fields["time"].replace(microsecond=7)}) == base  # fmt: skip
    assert ledger.row_hash(ledger.GENESIS, fields | {"user": " 孙丽 "}) == base


def test_the_chain_continues_from_its_last_row() -> None:
    entries = _chain(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    end = ledger.chain_end(entries)
    assert (end.seq, end.hash) == (3, entries[-1].hash)
    assert end.head == f"3:{entries[-1].hash}"
    assert ledger.chain_end([]).head == f"0:{ledger.GENESIS}"
    nxt = end.next_row(_fields(4))
    assert nxt["seq"] == 4 and nxt["hash"] == ledger.row_hash(entries[-1].hash, nxt)


def test_an_intact_chain_verifies() -> None:
    entries = _chain(5)
    head = ledger.chain_end(entries).head
    orders = [Order(row=n + 1, order_no=f"SO{n}", status=OrderStatus.RECEIVED) for n in range(1, 6)]
    assert ledger.verify(entries, head, orders) == []
    assert ledger.verify(entries, None, orders) == []


def _orders(entries: list[LedgerEntry]) -> list[Order]:
    """The orders sheet that agrees with these entries (the ledger's last word per order)."""
    last = {e.order_no: e.status_after for e in sorted(entries, key=lambda e: e.seq) if e.order_no}
    return [
        Order(row=n, order_no=no, status=OrderStatus.parse(status) if status else None)
        for n, (no, status) in enumerate(sorted(last.items()), start=2)
    ]


def _messages(problem: Problem, key: str, **params: Any) -> None:
    assert problem.key == key
    for lang in LANGS:
        assert problem.message(lang) == t(key, lang, **params)


def test_an_edited_row_is_found() -> None:
    entries = _chain(4)
    entries[1].details = "改过的"
    (problem,) = ledger.verify(entries, ledger.chain_end(entries).head, _orders(entries))
    _messages(problem, "verify.edited", seq=2)
    assert (problem.table, problem.row, problem.column) == ("ledger", 3, "hash")


def test_a_deleted_row_is_found() -> None:
    entries = _chain(4)
    del entries[1]
    (problem,) = ledger.verify(entries, ledger.chain_end(entries).head, _orders(entries))
    _messages(problem, "verify.gap", seq=3, expected=2)
    assert (problem.row, problem.column) == (4, "seq")


def test_the_last_row_deleted_is_found_by_the_head() -> None:
    entries = _chain(4)
    head = ledger.chain_end(entries).head
    (problem,) = ledger.verify(entries[:-1], head, _orders(entries[:-1]))
    _messages(problem, "verify.truncated", head="4", last=3)


def test_swapped_rows_are_found() -> None:
    entries = _chain(4)
    entries[1].row, entries[2].row = entries[2].row, entries[1].row
    problems = ledger.verify(entries, ledger.chain_end(entries).head, _orders(entries))
    reordered = [p for p in problems if p.key == "verify.reordered"]
    assert len(reordered) == 1
    _messages(reordered[0], "verify.reordered", seq=2, expected=4)
    assert reordered[0].row == 4


def test_a_copied_row_and_a_deleted_order_are_found() -> None:
    entries = _chain(3)
    copy = entries[2].model_copy(update={"row": 99})
    problems = ledger.verify([*entries, copy], ledger.chain_end(entries).head, _orders(entries)[1:])
    assert [(p.key, p.row) for p in problems] == [
        ("verify.duplicate", 99),
        ("verify.order_missing", None),
    ]
    _messages(problems[1], "verify.order_missing", order_no=_orders(entries)[0].order_no)


def test_an_order_status_that_disagrees_with_its_ledger_is_found() -> None:
    entries = _chain(2)
    orders = [
        Order(row=2, order_no="SO1", status=OrderStatus.RELEASED),
        Order(row=3, order_no="SO2", status=OrderStatus.RECEIVED),
        Order(row=4, order_no="SO3", status=OrderStatus.CHECKED),  # no ledger at all
        Order(row=5, order_no="SO4"),  # typed, not yet received: nothing to agree with
    ]
    problems = ledger.verify(entries, ledger.chain_end(entries).head, orders)
    assert [(p.key, p.row, p.column, p.order_no) for p in problems] == [
        ("verify.status_mismatch", 2, "status", "SO1"),
        ("verify.no_ledger", 4, "status", "SO3"),
    ]
    for lang in LANGS:
        assert problems[0].message(lang) == t(
            "verify.status_mismatch",
            lang,
            order_no="SO1",
            cell=OrderStatus.RELEASED.label(lang),
            ledger="已接收",
        )
        assert problems[1].message(lang) == t("verify.no_ledger", lang, order_no="SO3")


# -- on a workbook, edited by hand ------------------------------------------------------------------
@pytest.fixture(scope="module", params=LANGS)
def template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three orders received and checked: ledger seq 1–3 receive, 4–6 check."""
    path = seeded_workbook(tmp_path_factory.mktemp(f"ledger-{request.param}"), request.param)
    rows = [r for n, no in enumerate(ORDERS) for r in order_rows(no, lines=1, seed=n)]
    receive_rows(path, rows, request.param, user="孙丽")
    check(path, user="周敏", now=NOW + timedelta(hours=1))
    return path


@pytest.fixture
def workbook(template: Path, tmp_path: Path) -> Path:
    return copy_of(template, tmp_path)


def _verify(path: Path) -> list[Problem]:
    with FileStore.open(path) as store:
        return verify(store).problems


def test_verify_passes_after_receive_and_check(workbook: Path) -> None:
    assert _verify(workbook) == []
    entries = read(workbook, "ledger")
    assert [r.values["seq"] for r in entries] == [1, 2, 3, 4, 5, 6]
    assert [r.values["user"] for r in entries] == ["孙丽"] * 3 + ["周敏"] * 3
    head = next(r for r in read(workbook, "settings") if r.values["key"] == ledger.HEAD_KEY)
    assert head.values["value"] == f"6:{entries[-1].values['hash']}"


def test_a_details_cell_edited_by_hand(workbook: Path) -> None:
    set_cell(workbook, "ledger", 3, "details", "改过的说明")
    (problem,) = _verify(workbook)
    assert (problem.key, problem.table, problem.row, problem.params) == (
        "verify.edited",
        "ledger",
        3,
        {"seq": 2},
    )


def test_a_row_deleted_by_hand(workbook: Path) -> None:
    rewrite_ledger(workbook, lambda rows: rows[:2] + rows[3:])
    (problem,) = _verify(workbook)
    assert (problem.key, problem.row, problem.params) == (
        "verify.gap",
        4,
        {"seq": 4, "expected": 3},
    )


def test_two_rows_swapped_by_hand(workbook: Path) -> None:
    rewrite_ledger(workbook, lambda rows: [rows[0], rows[2], rows[1], *rows[3:]])
    problems = _verify(workbook)
    assert ("verify.reordered", 4, {"seq": 2, "expected": 4}) in [
        (p.key, p.row, p.params) for p in problems
    ]


def test_the_last_row_deleted_by_hand(workbook: Path) -> None:
    rewrite_ledger(workbook, lambda rows: rows[:-1])
    problems = _verify(workbook)
    assert [(p.key, p.params) for p in problems if p.key == "verify.truncated"] == [
        ("verify.truncated", {"head": "6", "last": 5})
    ]
    # SO3's last row is gone: the ledger now says "received", the sheet "checked"
    mismatch = [p for p in problems if p.key == "verify.status_mismatch"]
    assert [(p.order_no, p.row) for p in mismatch] == [("SO3", 4)]


def test_the_last_row_edited_and_its_hash_recomputed_is_still_found(workbook: Path) -> None:
    def forge(rows: list[list[Any]]) -> list[list[Any]]:
        last = dict(zip(TABLES["ledger"].column_keys, rows[-1], strict=True))
        last["details"] = "伪造"
        prev = rows[-2][TABLES["ledger"].column_keys.index("hash")]
        last["hash"] = ledger.row_hash(prev, last)
        return [*rows[:-1], list(last.values())]

    rewrite_ledger(workbook, forge)
    assert [p.key for p in _verify(workbook)] == ["verify.truncated"]


def test_an_order_status_changed_by_hand(workbook: Path) -> None:
    with FileStore.open(workbook) as store:
        lang = store.lang
    set_cell(workbook, "orders", 2, "status", OrderStatus.RELEASED.label(lang))
    (problem,) = _verify(workbook)
    assert (problem.key, problem.table, problem.row, problem.column, problem.order_no) == (
        "verify.status_mismatch",
        "orders",
        2,
        "status",
        "SO1",
    )
    assert problem.format(lang) == (
        f"{where(lang, 'orders', 2, 'status')}{t('punct.colon', lang)}"
        + t(
            "verify.status_mismatch",
            lang,
            order_no="SO1",
            cell=OrderStatus.RELEASED.label(lang),
            ledger=OrderStatus.CHECKED.label(lang),
        )
    )


def test_an_order_typed_with_a_status_but_no_ledger(workbook: Path) -> None:
    with FileStore.open(workbook, write=True) as store:
        changes = ChangeSet()
        changes.append("orders", {"order_no": "SO9", "status": OrderStatus.CHECKED})
        store.commit(changes)
    (problem,) = _verify(workbook)
    assert (problem.key, problem.order_no, problem.row) == ("verify.no_ledger", "SO9", 5)


def test_an_unreadable_ledger_cell_fails_verification(workbook: Path) -> None:
    set_cell(workbook, "ledger", 4, "seq", "三")
    problems = _verify(workbook)
    assert ("error.not_int", "ledger", 4, "seq") in [
        (p.key, p.table, p.row, p.column) for p in problems
    ]


def test_the_chain_goes_on_across_actions(workbook: Path) -> None:
    receive_rows(workbook, order_rows("SO4", lines=1, seed=9), user="周敏")
    entries = read(workbook, "ledger")
    assert [r.values["seq"] for r in entries] == list(range(1, 8))
    assert entries[-1].values["user"] == "周敏"
    assert _verify(workbook) == []


def test_times_keep_their_seconds_through_the_file(tmp_path: Path) -> None:
    """Excel stores times as fractions of a day; the hash must not see rounding."""
    path = seeded_workbook(tmp_path)
    rng = random.Random(5)
    chain = ledger.Chain()
    start = datetime(2026, 1, 1)
    with FileStore.open(path, write=True) as store:
        changes = ChangeSet()
        for _ in range(300):
            moment = start + timedelta(seconds=rng.randrange(0, 3 * 365 * 86400))
            # statistics refreshes and the like: ledger rows that name no order
            changes.append(
                "ledger", chain.next_row(_fields(0, None, time=moment, status_after=None))
            )
        head = next(r.row for r in store.read("settings") if r.values["key"] == ledger.HEAD_KEY)
        changes.update("settings", head, "value", chain.head)
        store.commit(changes)
    assert _verify(path) == []
