"""Never lose the master workbook: atomic replacement, a backup, and refusal while it is in use."""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from workbook.store import StoreError

# Our temporary files are ``.<target name>.<random>.orderdesk.tmp``: recognisably ours, named
# for the file they become, so that a crash's leftovers can be told apart and cleaned.
TEMP_MARK = ".orderdesk.tmp"
STALE_SECONDS = 3600  # in a folder we do not hold, a temporary this old belongs to no live run


def backup_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.bak{path.suffix}")


def real_path(path: Path | str) -> Path:
    """The file a path names, through symbolic links: what is saved, locked and watched for
    owner files (a link stays a link; the file it points to gets the change)."""
    return Path(os.path.realpath(path))


def temporary_name(target: Path) -> str:
    """A fresh name for a temporary file that will become ``target`` (see ``TEMP_MARK``)."""
    return f".{target.name}.{secrets.token_hex(6)}{TEMP_MARK}"


def _ours(name: str, target_name: str | None) -> bool:
    if not (name.startswith(".") and name.endswith(TEMP_MARK)):
        return False
    middle = name[1 : -len(TEMP_MARK)]
    stem, dot, token = middle.rpartition(".")
    if not dot or len(token) != 12 or any(c not in "0123456789abcdef" for c in token):
        return False
    return target_name is None or stem == target_name


def remove_stale_temporaries(
    folder: Path, target_name: str | None = None, older_than: float = STALE_SECONDS
) -> list[Path]:
    """Remove our temporaries a crashed run left in ``folder``: those of ``target_name`` (any,
    when None) last changed more than ``older_than`` seconds ago. Nobody else's files."""
    removed: list[Path] = []
    limit = time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _ours(entry.name, target_name):
            continue
        with contextlib.suppress(OSError):
            if entry.stat(follow_symlinks=False).st_mtime > limit:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def owner_files(path: Path) -> list[Path]:
    """Lock files an office program keeps beside a workbook it has open.

    Excel writes ``~$`` + the name (for longer names, ``~$`` replaces the first two characters);
    LibreOffice writes ``.~lock.<name>#``.
    """
    name = path.name
    candidates = {f"~${name}", f"~${name[2:]}", f".~lock.{name}#"}
    return [path.with_name(c) for c in sorted(candidates) if path.with_name(c).exists()]


def staging_folder(out_dir: Path) -> Path:
    """A new hidden folder of ours in ``out_dir`` to draw an action's files in: they appear in
    ``out_dir`` (:func:`publish`) only once the action's commit succeeded."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out_dir)
    folder = out_dir / temporary_name(out_dir / "files")
    folder.mkdir()
    return folder


def publish(folder: Path, out_dir: Path) -> None:
    """Move the files drawn in ``folder`` into ``out_dir`` (replacing same-named ones), then
    remove ``folder``."""
    for item in sorted(folder.iterdir()):
        if item.is_file() and not _ours(item.name, None):
            os.replace(item, Path(out_dir) / item.name)
    shutil.rmtree(folder, ignore_errors=True)


def ensure_not_open_elsewhere(path: Path) -> None:
    """Refuse while an office program has the file open: beside the real file, and beside the
    link when the path is one (Excel names its owner file after what it opened)."""
    found = owner_files(real_path(path))
    if not found and Path(path).is_symlink():
        found = owner_files(Path(path))
    if found:
        raise StoreError("store.open_in_excel", path=str(path), owner=found[0].name)


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.orderdesk.lock")


@contextlib.contextmanager
def process_lock(path: Path) -> Iterator[None]:
    """Hold the workbook against other ``orderdesk`` processes for one action; the lock file is
    gone again when the action ends (none is left beside the workbook)."""
    path = real_path(path)
    if os.name == "nt":  # filelock's Windows lock removes its file on release
        lock = FileLock(str(lock_path(path)))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise StoreError("store.locked", path=str(path)) from None
        try:
            yield
        finally:
            lock.release()
        return
    fd = _lock_unix(path)
    try:
        yield
    finally:
        # Removed while still held: a process that opened it meanwhile finds, once it gets the
        # lock, that the file it locked is no longer the lock file, and takes the new one.
        with contextlib.suppress(OSError):
            lock_path(path).unlink()
        os.close(fd)


def _lock_unix(path: Path) -> int:
    import fcntl

    name = lock_path(path)
    for _ in range(20):
        fd = os.open(name, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held by another action
            os.close(fd)
            raise StoreError("store.locked", path=str(path)) from None
        try:
            current = os.stat(name).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:
            return fd
        os.close(fd)  # its holder removed it as it finished: lock the file there now
    raise StoreError("store.locked", path=str(path))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def held(path: Path | str, write: bool) -> Iterator[Path]:
    """The workbook's path, for an action: it must exist, and one that writes must find it
    closed in Excel and LibreOffice, and holds it against other ``orderdesk`` processes.

    The path given is the real file's (symbolic links resolved). Holding it, the temporaries a
    crashed run of ours left beside it are stale whatever their age: they are removed."""
    if not Path(path).exists():
        raise StoreError("store.not_found", path=str(path))
    if Path(path).is_dir():
        raise StoreError("store.not_xlsx", path=str(path), detail="a folder")
    if write:
        ensure_not_open_elsewhere(path)
        real = real_path(path)
        with process_lock(real):
            remove_stale_temporaries(real.parent, real.name, older_than=0)
            remove_stale_temporaries(real.parent, backup_path(real).name, older_than=0)
            yield real
    else:
        yield real_path(path)


def save_workbook(wb: Any, path: Path, backup: bool = False) -> Path:
    """Save an openpyxl workbook at ``path`` atomically (whole or not at all)."""
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write_bytes(path, buffer.getvalue(), backup=backup)
    return path


def atomic_write_bytes(path: Path, data: bytes, backup: bool = True) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    A crash at any point leaves either the old file or the new one, never a mix. With
    ``backup`` the previous version is kept as ``<stem>.bak<suffix>``: a second name for the
    previous file, or a copy of it where the file system has no hard links, made under a
    temporary name and renamed (a crash meanwhile leaves the previous backup whole).
    A symbolic link is followed: the file it points to is replaced, the link stays.
    """
    path = real_path(path)
    remove_stale_temporaries(path.parent)
    tmp = path.with_name(temporary_name(path))
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp)  # created private; keep the share's permissions
            if backup:
                _keep_previous(path, backup_path(path))
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _keep_previous(source: Path, target: Path) -> None:
    """Keep ``source`` as it is now under the name ``target``: a second name (hard link) for the
    same file where the file system has them (the save then renames the new file over
    ``source``, leaving the old one under ``target`` alone: no copy of a large workbook); else a
    copy."""
    tmp = target.with_name(temporary_name(target))
    try:
        os.link(source, tmp)
    except OSError:  # FAT, exFAT, some network shares: no hard links
        _copy_atomically(source, target)
        return
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _copy_atomically(source: Path, target: Path) -> None:
    tmp = target.with_name(temporary_name(target))
    try:
        shutil.copy2(source, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
