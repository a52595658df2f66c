"""Never lose the master workbook: atomic replacement, a backup, and refusal while it is in use."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from workbook.store import StoreError


def backup_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.bak{path.suffix}")


def owner_files(path: Path) -> list[Path]:
    """Lock files an office program keeps beside a workbook it has open.

    Excel writes ``~$`` + the name (for longer names, ``~$`` replaces the first two characters);
    LibreOffice writes ``.~lock.<name>#``.
    """
    name = path.name
    candidates = {f"~${name}", f"~${name[2:]}", f".~lock.{name}#"}
    return [path.with_name(c) for c in sorted(candidates) if path.with_name(c).exists()]


def ensure_not_open_elsewhere(path: Path) -> None:
    found = owner_files(path)
    if found:
        raise StoreError("store.open_in_excel", path=str(path), owner=found[0].name)


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.orderdesk.lock")


@contextlib.contextmanager
def process_lock(path: Path) -> Iterator[None]:
    """Hold the workbook against other ``orderdesk`` processes for one action; the lock file is
    gone again when the action ends (none is left beside the workbook)."""
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
    closed in Excel and LibreOffice, and holds it against other ``orderdesk`` processes."""
    path = Path(path)
    if not path.exists():
        raise StoreError("store.not_found", path=str(path))
    if write:
        ensure_not_open_elsewhere(path)
        with process_lock(path):
            yield path
    else:
        yield path


def save_workbook(wb: Any, path: Path, backup: bool = False) -> Path:
    """Save an openpyxl workbook at ``path`` atomically (whole or not at all)."""
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write_bytes(path, buffer.getvalue(), backup=backup)
    return path


def atomic_write_bytes(path: Path, data: bytes, backup: bool = True) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    A crash at any point leaves either the old file or the new one, never a mix. With
    ``backup`` the previous version is kept as ``<stem>.bak<suffix>``.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp)  # mkstemp makes it private; keep the share's permissions
            if backup:
                shutil.copy2(path, backup_path(path))
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
