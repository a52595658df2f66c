"""``orderdesk archive``: closed orders older than the settings' period, and the ledger's rows
before it, move from the master to yearly archive workbooks (§8 "archives its documents").

Each archive is written (atomically) and verified in full first; then one master commit
deletes what moved and records, in the settings, each archive's digest and chain end and the
master's new chain start (``ledger_base``). A crash between the two is resumed by running the
action again: rows already in an archive (same ledger seq and hash, same order numbers) are
not appended twice.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.defined_name import DefinedName

from addin.core import ledger, roles
from addin.core.archive import (
    ARCHIVED_TABLES,
    BASE_KEY,
    NAME_ARCHIVE,
    PERIOD_KEY,
    RECORD_PREFIX,
    ArchiveRecord,
    archive_name,
    archived_orders,
    carried,
    carried_details,
    cutoff,
    ledger_prefix,
    ledger_years,
)
from addin.core.models import LedgerEntry
from addin.core.problems import Problem, RuleError
from addin.i18n import t
from addin.services.context import Action, Outcome
from addin.services.snapshot import Snapshot
from workbook.create import create_master_workbook
from workbook.patch_store import PatchFileStore
from workbook.safe_save import atomic_write_bytes
from workbook.store import ChangeSet, Row, StoreError

DEFAULT_MONTHS = 12
ARCHIVE_ROWS = 1 << 21  # above a worksheet's 1,048,576 rows: archive n's rows start at n × this


def is_archive(store: PatchFileStore) -> bool:
    return NAME_ARCHIVE in store.defined_names


def ensure_not_archive(store: PatchFileStore) -> None:
    if is_archive(store):
        raise RuleError(Problem("archive.is_archive", {"path": store.path.name}))


def archive(
    path: Path,
    user: str | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    before_master: Callable[[], None] | None = None,
    opened: Callable[[str], None] | None = None,
) -> Outcome:
    """Archive what the settings' period allows; ``opened`` hears the master's language;
    ``before_master`` runs between the archives' writes and the master's (tests crash there)."""
    path = Path(path)
    with PatchFileStore.open(path, write=True) as store:
        if opened is not None:
            opened(store.lang)
        ensure_not_archive(store)
        act = Action(store, "archive", user, now)
        roles.ensure_department(act.snap.settings, act.user, act.name)
        months = _period(act)
        before = cutoff(act.now.date(), months)
        entries = sorted(act.snap.ledger, key=lambda e: e.row or 0)
        prefix = ledger_prefix(entries, before)
        moved = {e.seq for e in prefix}
        orders = archived_orders(act.snap.orders.values(), entries, moved, before)
        outcome = act.outcome
        outcome.data = {
            "cutoff": before.date().isoformat(),
            "orders": len(orders),
            "ledger": len(prefix),
        }
        params = {"cutoff": before.date(), "orders": len(orders), "ledger": len(prefix)}
        if not prefix:
            outcome.report = lambda lang: [t("archive.nothing", lang, **params)]
            return outcome
        said = "archive.dry_run" if dry_run else "archive.done"
        outcome.report = lambda lang: [t(said, lang, **params)]
        numbers = {o.order_no for o in orders}
        year_of_order = {o.order_no: o.status_since.year for o in orders if o.status_since}
        tables = {key: store.read(key) for key in ARCHIVED_TABLES}
        by_year: dict[int, dict[str, list[Row]]] = {}
        for key, rows in tables.items():
            for row in rows:
                no = str(row.values.get("order_no") or "").strip()
                if no in numbers:
                    by_year.setdefault(year_of_order[no], {}).setdefault(key, []).append(row)
        years = ledger_years(prefix)
        ledger_rows = {r.values.get("seq"): r for r in store.read("ledger")}
        base = ledger.parse_head(act.snap.settings.get(BASE_KEY)) or ledger.Chain()
        outcome.data["years"] = sorted({*years.values(), *by_year})
        if dry_run:
            return outcome
        records: list[ArchiveRecord] = []
        chain = base
        for year in outcome.data["years"]:
            rows_of_year = [e for e in prefix if years[e.seq] == year]
            file = path.with_name(archive_name(path.stem, year))
            record = _write_archive(
                file,
                store.lang,
                year,
                chain,
                by_year.get(year, {}),
                [ledger_rows[e.seq] for e in rows_of_year],
            )
            records.append(record)
            outcome.files.append(file)
            if rows_of_year:
                chain = ledger.Chain(rows_of_year[-1].seq, rows_of_year[-1].hash)
        if before_master is not None:
            before_master()
        _master_changes(act, tables, numbers, prefix, entries, records, chain)
        summary = t("archive.details", act.lang, orders=len(orders), ledger=len(prefix))
        staying = {no for no in act.snap.orders if no not in numbers}
        staying -= {e.order_no for e in entries if e.order_no and e.seq not in moved}
        for details in carried_details(summary, carried(prefix, staying)):
            act.log(None, details)
        act.commit()
        return outcome


def _period(act: Action) -> int:
    text = (act.snap.settings.get(PERIOD_KEY) or "").strip()
    if not text:
        return DEFAULT_MONTHS
    if not text.isdigit() or int(text) < 1:
        raise RuleError(
            Problem(
                "archive.bad_period",
                {"value": text},
                "settings",
                act.snap.settings_rows.get(PERIOD_KEY),
                "value",
            )
        )
    return int(text)


def _master_changes(
    act: Action,
    tables: dict[str, list[Row]],
    numbers: set[str],
    prefix: list[LedgerEntry],
    entries: list[LedgerEntry],
    records: list[ArchiveRecord],
    chain: ledger.Chain,
) -> None:
    changes = act.changes
    for key, rows in tables.items():
        for row in rows:
            if str(row.values.get("order_no") or "").strip() in numbers:
                changes.delete(key, row.row)
    for entry in prefix:
        assert entry.row is not None
        changes.delete("ledger", entry.row)
    settings = {BASE_KEY: chain.head}
    settings.update({f"{RECORD_PREFIX}{r.year}": r.value for r in records})
    _put_settings(act, settings)


def _put_settings(act: Action, values: dict[str, str]) -> None:
    rows = act.snap.settings_rows
    for key, value in values.items():
        if key in rows:
            act.changes.update("settings", rows[key], "value", value)
        else:
            act.changes.append("settings", {"key": key, "value": value})


def _new_archive(file: Path, lang: str) -> None:
    create_master_workbook(file, lang)  # type: ignore[arg-type]
    wb = load_workbook(file)
    wb.defined_names[NAME_ARCHIVE] = DefinedName(NAME_ARCHIVE, attr_text="TRUE")
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write_bytes(file, buffer.getvalue())


def _write_archive(
    file: Path,
    lang: str,
    year: int,
    base: ledger.Chain,
    tables: dict[str, list[Row]],
    ledger_rows: list[Row],
) -> ArchiveRecord:
    """Append what is not there yet, verify the archive in full, and describe it."""
    if not file.exists():
        _new_archive(file, lang)
    with PatchFileStore.open(file, write=True) as store:
        if not is_archive(store):
            raise RuleError(Problem("archive.not_archive", {"path": file.name}))
        snap = Snapshot(store)
        have_orders = set(snap.orders)
        have_ledger = {e.seq: e.hash for e in snap.ledger}
        changes = ChangeSet()
        for key, rows in tables.items():
            for row in rows:
                if str(row.values.get("order_no") or "").strip() not in have_orders:
                    changes.append(key, _values(row))
        end = ledger.chain_end(snap.ledger) if snap.ledger else base
        for row in ledger_rows:
            seq, digest = row.values.get("seq"), row.values.get("hash")
            if seq in have_ledger:
                if have_ledger[seq] != digest:
                    raise RuleError(
                        Problem("archive.conflict", {"path": file.name, "seq": seq}, "ledger")
                    )
                continue
            changes.append("ledger", _values(row))
            end = ledger.Chain(int(seq), str(digest))
        settings = snap.settings_rows
        for key, value in ((BASE_KEY, _archive_base(snap, base)), (ledger.HEAD_KEY, end.head)):
            if key in settings:
                changes.update("settings", settings[key], "value", value)
            else:
                changes.append("settings", {"key": key, "value": value})
        store.commit(changes)
    problems = verify_archive(file)
    if problems:
        raise RuleError(problems)
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    return ArchiveRecord(year, file.name, digest, end.head)


def _archive_base(snap: Snapshot, base: ledger.Chain) -> str:
    """An archive's chain starts where it first started (kept), else at ``base``."""
    return snap.settings.get(BASE_KEY) or base.head


def _values(row: Row) -> dict[str, Any]:
    return {k: v for k, v in row.values.items() if v is not None and v != ""}


def verify_archive(file: Path) -> list[Problem]:
    """The archive's chain in full, from its recorded start to its recorded end."""
    try:
        with PatchFileStore.open(file) as store:
            snap = Snapshot(store)
            base = ledger.parse_head(snap.settings.get(BASE_KEY))
            head = snap.settings.get(ledger.HEAD_KEY) or None
            problems = ledger.verify(snap.ledger, head, [], base=base, statuses=False)
            problems = snap.problems_of("ledger") + problems
    except StoreError as exc:
        return [Problem("archive.unreadable", {"detail": t(exc.key, "en", **exc.params)})]
    return [replace(p, source=file.name) for p in problems]  # named by the archive's file


def verify_archives(
    master: Path, values: dict[str, str], base: str | None
) -> tuple[list[Problem], int]:
    """The archives the master records, in year order from genesis to the master's
    ``ledger_base``: an archive whose digest is the recorded one was verified in full when it
    was written and is unchanged (its recorded end is used); any other is read and verified
    in full. (problems, how many archives were read.)"""
    records = sorted(
        (r for k, v in values.items() if (r := ArchiveRecord.parse(k, v)) is not None),
        key=lambda r: r.year,
    )
    problems: list[Problem] = []
    expected = ledger.Chain().head
    read = 0
    for record in records:
        file = master.with_name(record.file)
        if not file.exists():
            problems.append(Problem("archive.missing", {"path": record.file}))
        elif hashlib.sha256(file.read_bytes()).hexdigest() != record.digest:
            read += 1
            found = verify_archive(file)
            start, end = _chain_ends(file)
            if start != expected:
                found.append(Problem("archive.chain_start", {"path": record.file}, "ledger"))
            if end != record.end:
                found.append(Problem("archive.chain_end", {"path": record.file}, "ledger"))
            problems += [replace(p, source=record.file) for p in found]
        expected = record.end
    if records and base != expected:
        problems.append(Problem("archive.base_mismatch", {"path": records[-1].file}, "settings"))
    return problems, read


def _chain_ends(file: Path) -> tuple[str, str]:
    """An archive's recorded chain start and its last row's head."""
    try:
        with PatchFileStore.open(file) as store:
            snap = Snapshot(store)
            start = snap.settings.get(BASE_KEY) or ledger.Chain().head
            return start, ledger.chain_end(snap.ledger).head
    except StoreError:
        return "", ""


def archive_holding(master: Path, values: dict[str, str], order_no: str) -> str | None:
    """The file name of the archive that holds ``order_no`` (newest year first), if any."""
    records = [r for k, v in values.items() if (r := ArchiveRecord.parse(k, v)) is not None]
    for record in sorted(records, key=lambda r: -r.year):
        file = master.with_name(record.file)
        if not file.exists():
            continue
        with PatchFileStore.open(file) as store:
            found = store.read_where("orders", "order_no", order_no.strip(), lambda v: True)
            if found is None:
                found = store.read("orders")
            if any(str(r.values.get("order_no") or "").strip() == order_no.strip() for r in found):
                return record.file
    return None


class WithArchives:
    """The master read together with the archives it records (statistics over all years):
    the tables of orders and the ledger hold the archives' rows first (oldest year first,
    their own row numbers), then the master's; every other table is the master's. Writing
    goes to the master and may not touch those tables' rows (an archive's rows are read-only).
    """

    MERGED = frozenset({*ARCHIVED_TABLES, "ledger"})

    def __init__(self, master: PatchFileStore) -> None:
        self.master = master
        self.path = master.path
        values = {r.values.get("key"): r.values.get("value") for r in master.read("settings")}
        records = [
            r for k, v in values.items() if (r := ArchiveRecord.parse(str(k), str(v))) is not None
        ]
        self.archives: list[PatchFileStore] = []
        for record in sorted(records, key=lambda r: r.year):
            file = master.path.with_name(record.file)
            if not file.exists():
                raise RuleError(Problem("archive.missing", {"path": record.file}))
            with PatchFileStore.open(file) as store:
                self.archives.append(store)

    @property
    def lang(self) -> Any:
        return self.master.lang

    def sheet_title(self, table: str) -> str:
        return self.master.sheet_title(table)

    def read(self, table: str) -> list[Row]:
        rows: list[Row] = []
        if table in self.MERGED:
            for n, store in enumerate(self.archives, start=1):
                # Rows are keyed by number: an archive's lie beyond any sheet's last row.
                rows += [Row(r.row + n * ARCHIVE_ROWS, r.values) for r in store.read(table)]
        return rows + self.master.read(table)

    def commit(self, changes: ChangeSet) -> None:
        touched = [*changes.updates, *changes.marks, *changes.deletes]
        if any(item.table in self.MERGED for item in touched):
            raise StoreError("store.write_failed", detail="archived rows are read-only")
        self.master.commit(changes)
