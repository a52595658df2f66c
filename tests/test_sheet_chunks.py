"""Sheets of order rows kept in chunks (workbook.sheet_chunks): one order's action reads a few
chunks and rewrites a few; what it reads and writes is what the whole sheet would give; an index
that does not match its sheet as stored is never used; other programs read the file as usual.

The contract suite runs the whole procedure on chunked sheets (tests/contract); here: what an
action reads, stale and lying indexes, re-saves by other programs, LibreOffice."""

from __future__ import annotations

import json
import random
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from soffice import convert, require_soffice

from addin.core import ledger
from addin.core.enums import Department, OrderStatus, TrackKind
from addin.core.schema import TABLES
from addin.demo.data import clean_order
from addin.demo.run import seed_workbook
from addin.services.inquiry import show, verify
from addin.services.snapshot import Snapshot
from addin.services.tracking import track
from workbook import sheet_chunks
from workbook.file_store import FileStore
from workbook.patch_store import PatchFileStore
from workbook.sheet_chunks import SheetIndex, index_name
from workbook.store import ChangeSet, StoreError
from workbook.xlsx_package import Package, write_package
from workbook.xlsx_sheet import SheetXml

TODAY = date(2026, 11, 2)
ORDERS = 40


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every sheet of order rows in chunks of a few rows, however small the workbook."""
    monkeypatch.setattr(sheet_chunks, "PACK_FROM", 1)
    monkeypatch.setattr(sheet_chunks, "GROUP", 2_000)


def build(path: Path) -> list[str]:
    """A master with ORDERS orders in production: three lines, five tracking rows and three
    ledger rows each, written by the patching store (so its sheets are packed)."""
    seed_workbook(path, "zh", TODAY)
    rng = random.Random(5)
    chain = ledger.Chain()
    changes = ChangeSet()
    order_keys, line_keys = set(TABLES["orders"].column_keys), set(TABLES["lines"].column_keys)
    numbers = []
    for n in range(ORDERS):
        received = TODAY - timedelta(days=60 - n)
        rows = clean_order(rng, f"SO-C{n:04d}", received, lines=3)
        head = {k: v for k, v in rows[0].items() if k in order_keys}
        now = datetime.combine(received, datetime.min.time())
        head.update(status=OrderStatus.IN_PRODUCTION, status_since=now, version=1)
        changes.append("orders", head)
        numbers.append(head["order_no"])
        for line_no, row in enumerate(rows, start=1):
            values = {k: v for k, v in row.items() if k in line_keys}
            changes.append("lines", {**values, "line_no": line_no})
        for step in range(5):
            changes.append(
                "tracking",
                {
                    "order_no": head["order_no"],
                    "line_no": 1 + step % 3,
                    "kind": TrackKind.PRODUCTION,
                    "date": received + timedelta(days=1),
                    "quantity": 1,
                    "recorded_by": "test",
                    "recorded_at": now + timedelta(days=1, minutes=step),
                },
            )
        for step in range(3):
            entry = {
                "time": now + timedelta(hours=step),
                "user": "test",
                "order_no": head["order_no"],
                "action": "生产记录",
                "status_before": OrderStatus.IN_PRODUCTION.label("zh"),
                "status_after": OrderStatus.IN_PRODUCTION.label("zh"),
                "details": f"step {step}",
            }
            changes.append("ledger", chain.next_row(entry))
    with PatchFileStore.open(path, write=True) as store:
        head_row = next(r.row for r in store.read("settings") if r.values["key"] == ledger.HEAD_KEY)
        changes.update("settings", head_row, "value", chain.head)
        store.commit(changes)
    return numbers


@pytest.fixture(scope="module")
def packed_bytes(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[str]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sheet_chunks, "PACK_FROM", 1)
        patch.setattr(sheet_chunks, "GROUP", 2_000)
        path = tmp_path_factory.mktemp("packed") / "orders.xlsx"
        numbers = build(path)
    return path.read_bytes(), numbers


@pytest.fixture(name="packed")
def packed_fixture(packed_bytes: tuple[bytes, list[str]], tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(packed_bytes[0])
    yield path


def parts(path: Path) -> dict[str, int]:
    """Sheet part → its chunks, for every part whose index matches it as stored."""
    with PatchFileStore.open(path) as store:
        found = {s.part: store._partial(s.part) for s in store._sheets}
    return {part: len(p.index.chunks) for part, p in found.items() if p is not None}


def production_user(path: Path) -> str:
    with FileStore.open(path) as store:
        staff = Snapshot(store).settings.staff
    return next(m.name for m in staff if m.department == Department.PRODUCTION)


def shown(path: Path, order_no: str, store_type: Any = PatchFileStore) -> Any:
    with store_type.open(path) as store:
        return show(store, order_no)


def whole_tables(path: Path) -> dict[str, list[Any]]:
    with FileStore.open(path) as store:
        return {key: [(r.row, r.values) for r in store.read(key)] for key in TABLES}


def test_one_order_is_read_from_a_few_chunks(
    packed: Path, packed_bytes: tuple[bytes, list[str]]
) -> None:
    numbers = packed_bytes[1]
    sizes = parts(packed)
    with PatchFileStore.open(packed) as store:
        big = {store._view(key).sheet.part for key in ("orders", "lines", "tracking", "ledger")}
    assert min(sizes[part] for part in big) >= 10, sizes
    wanted = numbers[len(numbers) // 2]
    with PatchFileStore.open(packed) as store:
        found = show(store, wanted)
        loaded = {s.part: len(p.texts) for s in store._sheets if (p := store._partials.get(s.part))}
    assert found == shown(packed, wanted, FileStore)
    assert found["order"]["order_no"] == wanted and len(found["tracking"]) == 5
    for part in big:
        assert loaded[part] < sizes[part] / 2, (part, loaded[part], sizes[part])


def test_an_action_on_chunks_writes_what_the_whole_sheet_store_writes(
    packed: Path, tmp_path: Path, packed_bytes: tuple[bytes, list[str]]
) -> None:
    numbers = packed_bytes[1]
    reference = tmp_path / "reference.xlsx"
    shutil.copyfile(packed, reference)
    user = production_user(packed)
    now = datetime(2026, 11, 2, 10)
    for path, store_type in ((packed, PatchFileStore), (reference, FileStore)):
        for order_no in (numbers[0], numbers[17], numbers[-1]):
            with store_type.open(path, write=True) as store:
                track(
                    store, order_no, TrackKind.PRODUCTION, line_no=2, quantity=1, user=user, now=now
                )
    tables = whole_tables(packed)
    assert tables == whole_tables(reference)
    assert len(tables["tracking"]) == ORDERS * 5 + 3
    with PatchFileStore.open(packed) as store:
        assert verify(store).problems == []
    assert len(parts(packed)) >= 4  # still in chunks, and the indexes match


def test_a_part_another_program_rewrote_is_read_whole(
    packed: Path, tmp_path: Path, packed_bytes: tuple[bytes, list[str]]
) -> None:
    """The index stays in the package, but the part it describes was rewritten (other
    compression, and a hand edit): the index no longer matches and is not used."""
    numbers = packed_bytes[1]
    wanted = numbers[3]
    edited = tmp_path / "edited.xlsx"
    with PatchFileStore.open(packed) as store:
        tracking = store._view("tracking").sheet.part
    package = Package(packed.read_bytes())
    text = package.read(tracking).replace(numbers[4].encode(), wanted.encode())  # by hand
    edited.write_bytes(write_package(package, {tracking: text}, {}, set()))  # others as stored
    assert tracking not in parts(edited) and parts(edited)  # the other parts keep theirs
    with FileStore.open(edited) as store:
        expected = show(store, wanted)
    assert shown(edited, wanted) == expected
    assert shown(edited, wanted) != shown(packed, wanted)  # the hand edit is seen


@pytest.mark.parametrize(
    "lie", ["member_crc", "chunk_crc", "sizes", "rows", "keys", "format", "not_json"]
)
def test_an_index_that_does_not_describe_its_part_is_not_used(
    packed: Path, tmp_path: Path, lie: str, packed_bytes: tuple[bytes, list[str]]
) -> None:
    numbers = packed_bytes[1]
    with PatchFileStore.open(packed) as store:
        part = store._view("tracking").sheet.part
    name = index_name(part)
    package = Package(packed.read_bytes())
    doc = json.loads(package.read(name))
    if lie == "member_crc":
        doc["member"][0] ^= 1
    elif lie == "chunk_crc":
        doc["chunks"][3][2] ^= 1
    elif lie == "sizes":  # two chunks' sizes swapped: the totals still agree
        a, b = doc["chunks"][2], doc["chunks"][3]
        a[0], b[0] = b[0], a[0]
    elif lie == "rows":  # a group said to begin one row later than it does
        doc["chunks"][3][4][0] += 1
    elif lie == "keys":  # every group said to hold the wanted order
        for chunk in doc["chunks"][1:-1]:
            chunk[5] += "\n" + numbers[7]
    elif lie == "format":
        doc["format"] = 99
    data = b"{" if lie == "not_json" else json.dumps(doc).encode()
    lied = tmp_path / "lied.xlsx"
    lied.write_bytes(write_package(package, {name: data}, {}, set()))  # the part as stored
    if lie not in ("rows", "keys"):  # found when the package is opened
        assert parts(lied).keys() == parts(packed).keys() - {part}
    wanted = numbers[7]
    with FileStore.open(lied) as store:
        expected = show(store, wanted)
    try:
        found = shown(lied, wanted)
    except StoreError as exc:  # a lie found only when its chunk is read: refused, not believed
        assert lie == "rows" and exc.key == "store.not_xlsx"
    else:
        assert found == expected


def test_a_workbook_saved_by_another_program_is_packed_again_by_the_next_action(
    packed: Path, packed_bytes: tuple[bytes, list[str]]
) -> None:
    numbers = packed_bytes[1]
    load_workbook(packed).save(packed)  # as Excel does: every part rewritten, the index dropped
    with zipfile.ZipFile(packed) as z:
        assert not [n for n in z.namelist() if n.startswith("orderdesk/")]
    assert parts(packed) == {}
    user = production_user(packed)
    with PatchFileStore.open(packed, write=True) as store:
        track(store, numbers[1], TrackKind.PRODUCTION, line_no=1, quantity=1, user=user)
    assert len(parts(packed)) >= 2  # the sheets it wrote, and those it read whole


def test_the_index_parts_are_declared_and_other_programs_read_the_file(
    packed: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(packed) as z:
        assert z.testzip() is None
        names = [n for n in z.namelist() if n.startswith("orderdesk/")]
        types = z.read("[Content_Types].xml").decode()
        for name in names:
            assert f'PartName="/{name}"' in types
            SheetIndex.from_bytes(z.read(name))
    assert len(names) == len(parts(packed)) >= 4
    expected = whole_tables(packed)
    wb = load_workbook(packed)
    assert wb.sheetnames
    soffice = require_soffice()
    assert soffice
    out = convert("xlsx", [packed], tmp_path / "lo", tmp_path / "profile")
    assert whole_tables(out[0])["tracking"] == expected["tracking"]
    assert len(expected["tracking"]) == ORDERS * 5


def test_rows_added_one_at_a_time_join_the_last_group(
    packed: Path, packed_bytes: tuple[bytes, list[str]]
) -> None:
    """A fact a day must not make a chunk a day: added rows join the last group, which is cut
    again when it outgrows the group size."""
    numbers = packed_bytes[1]
    with PatchFileStore.open(packed) as store:
        part = store._view("tracking").sheet.part
    before = parts(packed)[part]
    size_before = Package(packed.read_bytes()).info(part).file_size  # type: ignore[union-attr]
    user = production_user(packed)
    for n in range(20):
        with PatchFileStore.open(packed, write=True) as store:
            track(store, numbers[n], TrackKind.PRODUCTION, line_no=1, quantity=1, user=user)
    after = parts(packed)[part]
    grown = Package(packed.read_bytes()).info(part).file_size - size_before  # type: ignore[union-attr]
    assert grown > 20 * 200
    assert after - before <= grown // sheet_chunks.GROUP + 1, (before, after, grown)
    with FileStore.open(packed) as store:
        assert len(store.read("tracking")) == ORDERS * 5 + 20


@pytest.mark.parametrize(
    ("cell", "kept_whole"),
    [
        ('<c r="A{n}" t="inlineStr"><is><t>SO-{n}</t></is></c>', False),
        ('<c r="A{n}"><f>1+1</f><v>2</v></c>', True),  # a formula may reach other groups
        ('<c t="inlineStr"><is><t>SO-{n}</t></is></c>', True),  # a cell known by counting
        ('<c s="1" r="A{n}"><v>{n}</v></c>', True),  # its reference not first
    ],
)
def test_only_sheets_whose_rows_and_cells_can_be_found_alone_are_packed(
    cell: str, kept_whole: bool
) -> None:
    rows = "".join(f'<row r="{n}">{cell.format(n=n)}</row>' for n in range(1, 200))
    data = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()
    assert sheet_chunks.packable(SheetXml(data)) is not kept_whole
    single = data.replace(b'<row r="7">', b"<row r='7'>")
    assert not sheet_chunks.packable(SheetXml(single))  # a row numbered in single quotes
