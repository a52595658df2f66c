"""The master workbook's file on disk (issue 12): symlinks, init --force, the backup, temporaries."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from foundation_fixtures import LANGS, cli, file_state, new_workbook, read

import workbook.safe_save as safe_save
from addin.i18n import t
from workbook.create import create_master_workbook
from workbook.open import open_workbook
from workbook.safe_save import backup_path
from workbook.store import ChangeSet, StoreError

REPO = Path(__file__).resolve().parents[1]


def _append_order(path: Path, order_no: str = "SO1") -> None:
    with open_workbook(path, write=True) as store:
        changes = ChangeSet()
        changes.append("orders", {"order_no": order_no})
        store.commit(changes)


def _linked(tmp_path: Path) -> tuple[Path, Path]:
    real_dir = tmp_path / "share"
    real_dir.mkdir()
    real = new_workbook(real_dir)
    link = tmp_path / "desk.xlsx"
    link.symlink_to(real)
    return real, link


# -- 1. a symlinked workbook path ----------------------------------------------------------------
def test_a_save_through_a_symlink_changes_the_real_workbook_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    real, link = _linked(tmp_path)
    _append_order(link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert [r.values["order_no"] for r in read(real, "orders")] == ["SO1"]
    assert backup_path(real).exists() and not backup_path(link).exists()


def test_excel_holding_the_real_file_refuses_a_write_through_the_link(tmp_path: Path) -> None:
    real, link = _linked(tmp_path)
    (real.parent / "~$master.xlsx").write_bytes(b"owner")
    before = file_state(real)
    with pytest.raises(StoreError) as caught:
        _append_order(link)
    assert caught.value.key == "store.open_in_excel"
    assert file_state(real) == before and link.is_symlink()


def test_the_lock_is_the_real_files_whatever_name_reaches_it(tmp_path: Path) -> None:
    real, link = _linked(tmp_path)
    with open_workbook(real, write=True), pytest.raises(StoreError) as caught:
        _append_order(link)
    assert caught.value.key == "store.locked"


# -- 4. init --force on a workbook in use --------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("owner", ["~$master.xlsx", ".~lock.master.xlsx#"])
def test_init_force_refuses_a_workbook_open_in_excel_or_libreoffice(
    tmp_path: Path, lang: str, owner: str
) -> None:
    path = new_workbook(tmp_path)
    _append_order(path)
    (tmp_path / owner).write_bytes(b"owner")
    before = file_state(path)
    result = cli("init", path, "--force", "--lang", lang)
    assert result.code == 2
    assert result.err.strip() == t("store.open_in_excel", lang, owner=owner, path=str(path))
    assert file_state(path) == before


def test_init_force_refuses_a_workbook_another_orderdesk_process_holds(tmp_path: Path) -> None:
    path = new_workbook(tmp_path)
    _append_order(path)
    before = file_state(path)
    with open_workbook(path, write=True), pytest.raises(StoreError) as caught:
        create_master_workbook(path, "zh", force=True)
    assert caught.value.key == "store.locked"
    assert file_state(path) == before


def test_init_force_through_a_symlink_replaces_the_real_file(tmp_path: Path) -> None:
    real, link = _linked(tmp_path)
    _append_order(link)
    assert cli("init", link, "--force").code == 0
    assert link.is_symlink() and read(real, "orders") == []
    assert [r.values["order_no"] for r in read(backup_path(real), "orders")] == ["SO1"]


# -- 5. the backup and our temporaries -----------------------------------------------------------
def no_links(src: object, dst: object, **kwargs: object) -> None:
    raise OSError(1, "Operation not permitted")


def test_the_backup_is_the_previous_version_and_stays_it(tmp_path: Path) -> None:
    """The backup is a second name for the previous file (no copy of a large workbook): the
    next save replaces the workbook's name, never its bytes, so the backup keeps them."""
    path = new_workbook(tmp_path)
    _append_order(path, "SO1")
    first = path.read_bytes()
    _append_order(path, "SO2")
    assert backup_path(path).read_bytes() == first
    assert os.stat(backup_path(path)).st_ino != os.stat(path).st_ino
    second = path.read_bytes()
    _append_order(path, "SO3")
    assert backup_path(path).read_bytes() == second
    assert [r.values["order_no"] for r in read(backup_path(path), "orders")] == ["SO1", "SO2"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("links", [True, False])
def test_the_backup_is_the_previous_file_or_without_hard_links_its_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    if not links:
        monkeypatch.setattr(safe_save.os, "link", no_links)
    path = new_workbook(tmp_path)
    _append_order(path, "SO1")
    first, inode = path.read_bytes(), os.stat(path).st_ino
    _append_order(path, "SO2")
    assert backup_path(path).read_bytes() == first
    assert (os.stat(backup_path(path)).st_ino == inode) is links


CRASH_AFTER_LINK = """
import os, sys
import workbook.safe_save as safe_save
from workbook.open import open_workbook
from workbook.store import ChangeSet

replace = os.replace
def die(src, dst):
    if str(dst).endswith(".bak.xlsx"):
        os._exit(71)  # killed between naming the previous file and renaming it the backup
    replace(src, dst)

safe_save.os.replace = die
with open_workbook(sys.argv[1], write=True) as store:
    changes = ChangeSet()
    changes.append("orders", {"order_no": "SO3"})
    store.commit(changes)
"""


def test_a_process_killed_while_naming_the_backup_leaves_both_whole(tmp_path: Path) -> None:
    path = new_workbook(tmp_path)
    _append_order(path, "SO1")
    _append_order(path, "SO2")
    backup_before, workbook_before = backup_path(path).read_bytes(), path.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", CRASH_AFTER_LINK, str(path)], env=env, cwd=REPO, timeout=120
    )
    assert done.returncode == 71
    assert backup_path(path).read_bytes() == backup_before
    assert path.read_bytes() == workbook_before
    _append_order(path, "SO3")  # the next run: its temporaries were stale, and are gone
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert backup_path(path).read_bytes() == workbook_before
    assert [r.values["order_no"] for r in read(path, "orders")] == ["SO1", "SO2", "SO3"]


def test_a_crash_while_copying_the_backup_keeps_the_previous_backup_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = new_workbook(tmp_path)
    _append_order(path, "SO1")
    _append_order(path, "SO2")
    backup_before = backup_path(path).read_bytes()
    workbook_before = path.read_bytes()

    def torn_copy(src: object, dst: object, **kwargs: object) -> None:
        Path(str(dst)).write_bytes(b"")  # the copy got as far as creating its target
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_save.os, "link", no_links)  # a file system without hard links
    monkeypatch.setattr(safe_save.shutil, "copyfile", torn_copy)
    monkeypatch.setattr(safe_save.shutil, "copy2", torn_copy)
    with pytest.raises(StoreError):
        _append_order(path, "SO3")
    monkeypatch.undo()
    assert backup_path(path).read_bytes() == backup_before
    assert path.read_bytes() == workbook_before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


CRASH_IN_BACKUP = """
import os, shutil, sys
from pathlib import Path
import workbook.safe_save as safe_save
from workbook.open import open_workbook
from workbook.store import ChangeSet

def die(src, dst, **kwargs):
    Path(dst).write_bytes(b"")
    os._exit(70)  # killed while the backup is being copied

def no_links(src, dst):
    raise OSError(1, "Operation not permitted")

safe_save.os.link = no_links  # a file system without hard links: the backup is a copy
safe_save.shutil.copyfile = die
safe_save.shutil.copy2 = die
with open_workbook(sys.argv[1], write=True) as store:
    changes = ChangeSet()
    changes.append("orders", {"order_no": "SO3"})
    store.commit(changes)
"""


def test_a_process_killed_during_the_backup_leaves_no_empty_backup_and_the_next_run_cleans_up(
    tmp_path: Path,
) -> None:
    path = new_workbook(tmp_path)
    _append_order(path, "SO1")
    backup_before = backup_path(path).read_bytes()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", CRASH_IN_BACKUP, str(path)], env=env, cwd=REPO, timeout=120
    )
    assert done.returncode == 70
    assert backup_path(path).read_bytes() == backup_before  # never 0 bytes
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp"))
    assert [name.split(".")[1:3] for name in left] == [["master", "bak"], ["master", "xlsx"]]
    _append_order(path, "SO2")  # the next run holds the workbook: its temporaries are stale
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert [r.values["order_no"] for r in read(path, "orders")] == ["SO1", "SO2"]


def test_only_our_own_stale_temporaries_are_cleaned(tmp_path: Path) -> None:
    path = new_workbook(tmp_path)
    ours = safe_save.temporary_name(path)
    (tmp_path / ours).write_bytes(b"left by a crash")
    others = [
        ".master.tmp",  # not our pattern
        ".master.xlsx.draft.tmp",  # someone else's: no marker
        safe_save.temporary_name(tmp_path / "other.xlsx"),  # another workbook's, not held
        "~$master.xlsx.tmp",
    ]
    for name in others:
        (tmp_path / name).write_bytes(b"keep")
    _append_order(path)
    assert not (tmp_path / ours).exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == sorted(others)


def test_an_output_folders_temporaries_are_cleaned_only_when_stale(tmp_path: Path) -> None:
    out = tmp_path / "orders"
    out.mkdir()
    fresh = out / safe_save.temporary_name(out / "task.xlsx")
    stale = out / safe_save.temporary_name(out / "old.xlsx")
    for item in (fresh, stale):
        item.write_bytes(b"x")
    hour_ago = time.time() - safe_save.STALE_SECONDS - 60
    os.utime(stale, (hour_ago, hour_ago))
    foreign = out / ".old.xlsx.mine.tmp"
    foreign.write_bytes(b"x")
    os.utime(foreign, (hour_ago, hour_ago))
    safe_save.atomic_write_bytes(out / "task.xlsx", b"content", backup=False)
    assert fresh.exists() and foreign.exists() and not stale.exists()
    assert (out / "task.xlsx").read_bytes() == b"content"


def test_the_backup_is_written_beside_under_a_temporary_name_then_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = new_workbook(tmp_path)
    renamed: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str | Path, dst: str | Path) -> None:
        renamed.append((Path(src).name, Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(safe_save.os, "replace", spy)
    _append_order(path)
    targets = [dst for _, dst in renamed]
    assert targets == ["master.bak.xlsx", "master.xlsx"]
    assert all(src.endswith(".tmp") for src, _ in renamed)
