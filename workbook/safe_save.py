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


@contextlib.contextmanager
def process_lock(path: Path) -> Iterator[None]:
    """Hold the workbook against other ``orderdesk`` processes for one action."""
    lock = FileLock(str(path.with_name(f".{path.name}.orderdesk.lock")))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise StoreError("store.locked", path=str(path)) from None
    try:
        yield
    finally:
        lock.release()


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
