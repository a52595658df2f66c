"""Archiving at closure (§8, issue 11 item 9): closed orders older than the settings' period
and the ledger's rows before it move to yearly archives whose chain continues the master's."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from lifecycle_fixtures import (
    OM,
    SALES,
    Desk,
    desk_fixture,  # noqa: F401 - fixture
    master_bytes_fixture,  # noqa: F401 - fixture
)

from addin.cli import main
from addin.core.archive import (
    NAME_ARCHIVE,
    ArchiveRecord,
    carried_details,
    carried_statuses,
    cutoff,
)
from addin.core.problems import RuleError
from addin.i18n import t
from addin.services import archive as archive_service
from addin.services import closure
from addin.services.archive import archive
from addin.services.inquiry import verify
from workbook.patch_store import PatchFileStore
from workbook.store import ChangeSet

LATER = datetime(2027, 6, 1, 9, 0)  # cutoff 2026-06-01 with the default 12 months


def test_cutoff_and_carried_statuses() -> None:
    assert cutoff(date(2027, 3, 31), 1) == datetime(2027, 2, 28)
    assert cutoff(date(2027, 1, 15), 12) == datetime(2026, 1, 15)
    (details,) = carried_details("moved", {"SO-2": "Released", "SO-3": "Checked"})
    assert carried_statuses(details) == {"SO-2": "Released", "SO-3": "Checked"}
    assert carried_statuses("moved") == {} and carried_details("moved", {}) == ["moved"]
    many = {f"SO-{n:06d}": "已下达" for n in range(5000)}  # more than one cell can hold
    rows = carried_details("moved", many)
    assert len(rows) > 1 and all(len(r) <= 32_767 for r in rows)
    assert {k: v for r in rows for k, v in carried_statuses(r).items()} == many


def _closed_history(desk: Desk) -> None:
    desk.released("SO-1")
    desk.complete("SO-1")
    desk(closure.close, "SO-1", user=OM, report_no="QR-1")
    desk(closure.cancel, "SO-4", "duplicate order", user=OM)


def _archives(desk: Desk) -> list[Path]:
    found = desk.path.parent.glob(f"{desk.path.stem}-archive-*.xlsx")
    return sorted(f for f in found if f.stem.rsplit("-", 1)[-1].isdigit())  # not backups


def _settings(path: Path) -> dict[str, str]:
    with PatchFileStore.open(path) as store:
        return {r.values["key"]: r.values["value"] for r in store.read("settings")}


def _verify(path: Path) -> Any:
    with PatchFileStore.open(path) as store:
        return verify(store)


def test_archiving_moves_closed_orders_and_the_ledger_prefix(desk: Desk) -> None:
    _closed_history(desk)
    before = {r.values["order_no"] for r in desk.rows("orders")}
    ledger_before = len(desk.rows("ledger"))
    outcome = archive(desk.path, user=OM, now=LATER)
    assert outcome.data["orders"] == 2 and outcome.data["ledger"] == ledger_before
    (file,) = _archives(desk)
    assert file.name == f"{desk.path.stem}-archive-2026.xlsx"
    with PatchFileStore.open(file) as store:
        assert NAME_ARCHIVE in store.defined_names
        assert {r.values["order_no"] for r in store.read("orders")} == {"SO-1", "SO-4"}
        assert len(store.read("ledger")) == ledger_before
    left = {r.values["order_no"] for r in desk.rows("orders")}
    assert left == before - {"SO-1", "SO-4"}
    assert not [r for r in desk.rows("lines") if r.values["order_no"] in ("SO-1", "SO-4")]
    (row,) = desk.rows("ledger")  # the archive action's own row, carrying the statuses
    assert set(carried_statuses(row.values["details"])) == left
    settings = _settings(desk.path)
    record = ArchiveRecord.parse("archive.2026", settings["archive.2026"])
    assert record is not None and record.file == file.name
    assert record.digest == hashlib.sha256(file.read_bytes()).hexdigest()
    assert settings["ledger_base"] == record.end
    assert _verify(desk.path).problems == []
    desk(closure.cancel, "SO-2", "withdrawn", user=OM)
    assert _verify(desk.path).problems == []  # the chain goes on from the base


def test_a_crash_before_the_master_write_is_resumed(desk: Desk) -> None:
    _closed_history(desk)
    ledger_before = len(desk.rows("ledger"))

    def crash() -> None:
        raise OSError("power cut")

    with pytest.raises(OSError):
        archive(desk.path, user=OM, now=LATER, before_master=crash)
    (file,) = _archives(desk)
    assert {r.values["order_no"] for r in desk.rows("orders")} >= {"SO-1", "SO-4"}
    archive(desk.path, user=OM, now=LATER)
    with PatchFileStore.open(file) as store:
        assert sorted(r.values["order_no"] for r in store.read("orders")) == ["SO-1", "SO-4"]
        assert len(store.read("ledger")) == ledger_before  # nothing appended twice
    assert _verify(desk.path).problems == []


def test_verify_reads_only_changed_archives_and_catches_an_edit(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    _closed_history(desk)
    archive(desk.path, user=OM, now=LATER)
    reads: list[Path] = []
    full = archive_service.verify_archive

    def counted(file: Path) -> Any:
        reads.append(file)
        return full(file)

    monkeypatch.setattr(archive_service, "verify_archive", counted)
    outcome = _verify(desk.path)
    assert (outcome.problems, outcome.data["archives_read"], reads) == ([], 0, [])
    (file,) = _archives(desk)
    from openpyxl import load_workbook

    wb = load_workbook(file)
    for ws in wb.worksheets:
        if "OD_Ledger" in ws.tables:
            ws.cell(row=2, column=8).value = "edited by hand"  # a moved row's details
    wb.save(file)
    outcome = _verify(desk.path)
    assert outcome.data["archives_read"] == 1 and reads == [file]
    keys = [p.key for p in outcome.problems]
    assert "verify.edited" in keys
    assert all(p.source == file.name for p in outcome.problems if p.key == "verify.edited")


def test_an_archive_refuses_actions_and_archiving(desk: Desk) -> None:
    _closed_history(desk)
    archive(desk.path, user=OM, now=LATER)
    (file,) = _archives(desk)
    with pytest.raises(RuleError) as caught:
        archive(file, user=OM, now=LATER)
    assert [p.key for p in caught.value.problems] == ["archive.is_archive"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_archive_refusals_in_both_languages(
    desk: Desk, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    _closed_history(desk)
    wb = str(desk.path)
    code = main(["archive", wb, "--user", SALES, "--lang", lang, "--date", "2027-06-01"])
    err = capsys.readouterr().err
    assert code == 1 and t("cli.refused", lang) in err
    code = main(["archive", "https://example.com/od", "--lang", lang])
    assert code == 1 and t("archive.server", lang) in capsys.readouterr().err
    before = desk.path.read_bytes()
    code = main(["archive", wb, "--user", OM, "--lang", lang, "--date", "2027-06-01",
                 "--dry-run"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and desk.path.read_bytes() == before and not _archives(desk)
    assert t("archive.dry_run", lang, cutoff=date(2026, 6, 1), orders=2, ledger=len(
        desk.rows("ledger"))) in out  # fmt: skip
    code = main(["archive", wb, "--user", OM, "--lang", lang, "--date", "2027-06-01"])
    assert code == 0 and len(_archives(desk)) == 1
    refused = t("archive.is_archive", lang, path=_archives(desk)[0].name)
    code = main(["archive", str(_archives(desk)[0]), "--user", OM, "--lang", lang])
    assert code == 1 and refused in capsys.readouterr().err
    code = main(["cancel", str(_archives(desk)[0]), "SO-4", "--reason", "x", "--user", OM,
                 "--lang", lang])  # fmt: skip
    assert code == 1 and refused in capsys.readouterr().err  # no action runs on an archive


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_show_of_an_archived_order_names_its_archive(
    desk: Desk, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    _closed_history(desk)
    archive(desk.path, user=OM, now=LATER)
    (file,) = _archives(desk)
    code = main(["show", str(desk.path), "SO-1", "--lang", lang])
    err = capsys.readouterr().err
    assert code == 1 and t("archive.in_archive", lang, order_no="SO-1", path=file.name) in err
    code = main(["show", str(desk.path), "SO-99", "--lang", lang])
    assert code == 1 and file.name not in capsys.readouterr().err


def _figures(path: Path, *extra: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    import json

    code = main(["stats", str(path), "--json", "--from", "2026-01-01", "--to", "2026-12-31",
                 *extra])  # fmt: skip
    assert code == 0
    return json.loads(capsys.readouterr().out)["figures"]


def test_statistics_with_archives_count_the_archived_years(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    _closed_history(desk)
    before = _figures(desk.path, capsys=capsys)
    archive(desk.path, user=OM, now=LATER)
    without = _figures(desk.path, capsys=capsys)
    assert without != before  # the master alone no longer holds the archived orders
    assert _figures(desk.path, "--with-archives", capsys=capsys) == before
    code = main(["dashboard", str(desk.path), "--with-archives", "--from", "2026-01-01",
                 "--to", "2026-12-31"])  # fmt: skip
    assert code == 0
    assert _verify(desk.path).problems == []  # the dashboard's ledger row goes to the master
    out = desk.path.parent / "reports"
    code = main(["report", str(desk.path), "--with-archives", "--from", "2026-01-01",
                 "--to", "2026-12-31", "--out", str(out)])  # fmt: skip
    assert code == 0 and list(out.glob("*.xlsx"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_period_or_a_foreign_file_is_refused(
    desk: Desk, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    _closed_history(desk)
    wb = str(desk.path)
    row = next(r.row for r in desk.rows("settings") if r.values["key"] == "archive_after_months")
    with PatchFileStore.open(desk.path, write=True) as store:
        changes = ChangeSet()
        changes.update("settings", row, "value", "a year")
        store.commit(changes)
    before = desk.path.read_bytes()
    code = main(["archive", wb, "--user", OM, "--lang", lang, "--date", "2027-06-01"])
    assert code == 1 and t("archive.bad_period", lang, value="a year") in capsys.readouterr().err
    assert desk.path.read_bytes() == before and not _archives(desk)
    with PatchFileStore.open(desk.path, write=True) as store:
        changes = ChangeSet()
        changes.update("settings", row, "value", "12")
        store.commit(changes)
    foreign = desk.path.with_name(f"{desk.path.stem}-archive-2026.xlsx")
    foreign.write_bytes(before)  # a master workbook, not an archive, under the archive's name
    code = main(["archive", wb, "--user", OM, "--lang", lang, "--date", "2027-06-01"])
    assert code == 1
    assert t("archive.not_archive", lang, path=foreign.name) in capsys.readouterr().err
    assert foreign.read_bytes() == before
