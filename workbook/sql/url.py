"""Database URLs: telling one from a workbook path, the driver, the password never shown, and
SQLite refused on a network drive (its locking is not safe there: records would be lost).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from workbook.store import StoreError

SCHEMES = ("postgresql", "postgres", "sqlite")
NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "afpfs", "webdav", "9p"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+]*)://", re.IGNORECASE)


def is_url(target: object) -> bool:
    """Whether a command's WORKBOOK argument is a database URL."""
    match = _SCHEME.match(str(target))
    return bool(match) and match.group(1).split("+")[0].lower() in SCHEMES


def parse(text: str) -> URL:
    """The URL with its driver (psycopg 3 for PostgreSQL); StoreError when unusable."""
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise StoreError("server.bad_url", url=mask(text)) from exc
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        url = with_keyring_password(url.set(drivername="postgresql"))
        url = url.set(drivername="postgresql+psycopg")
    elif backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise StoreError("server.sqlite_memory", url=mask(text))
        refuse_network_drive(Path(url.database))
    else:
        raise StoreError("server.bad_url", url=mask(text))
    return url


KEYRING_SERVICE = "orderdesk"


def with_keyring_password(url: URL) -> URL:
    """The URL with the password the system keyring keeps for it (service ``orderdesk``, the
    URL without password as the user name), when neither the URL nor PGPASSWORD gives one and
    the ``keyring`` package is installed; otherwise unchanged (libpq then reads ~/.pgpass)."""
    if url.password is not None or os.environ.get("PGPASSWORD"):
        return url
    try:
        import keyring  # optional
    except ImportError:
        return url
    try:
        password = keyring.get_password(KEYRING_SERVICE, mask(url))
    except Exception:  # no usable keyring backend: the other sources apply
        return url
    return url.set(password=password) if password else url


def mask(url: str | URL) -> str:
    """The URL as it may be printed or stored: without its password."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except ArgumentError:
        return re.sub(r"(://[^:/@]*):[^@]*@", r"\1@", str(url))
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query={k: v for k, v in parsed.query.items() if k.lower() != "password"},
    )
    return bare.render_as_string(hide_password=False)


def refuse_network_drive(path: Path, mounts: str | None = None) -> None:
    """Refuse a SQLite file on a network drive: a UNC path, or a mount of a network file
    system (``mounts`` as /proc/mounts gives them; read from the system when None)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        raise StoreError("server.sqlite_network", path=text, fs="UNC")
    fs = network_fs(path, mounts)
    if fs is not None:
        raise StoreError("server.sqlite_network", path=text, fs=fs)


def network_fs(path: Path, mounts: str | None = None) -> str | None:
    """The network file system holding ``path``, or None when it is local (or unknown)."""
    if mounts is None:
        if sys.platform == "win32":
            return _windows_remote(path)
        mounts = _system_mounts()
    resolved = str(path.expanduser().absolute())
    best, best_fs = "", None
    for point, fs in _mount_points(mounts):
        inside = resolved == point or resolved.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, best_fs = point, fs
    return best_fs if best_fs and best_fs.lower() in NETWORK_FS else None


def _mount_points(mounts: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for line in mounts.splitlines():
        mac = re.match(r"^\S+ on (.+) \(([^,)]+)", line)  # macOS `mount`: "x on /p (smbfs, ...)"
        if mac:
            found.append((mac.group(1), mac.group(2)))
            continue
        parts = line.split()
        if len(parts) >= 3:  # /proc/mounts: device, mount point (octal escapes), type
            found.append((parts[1].replace("\\040", " "), parts[2]))
    return found


def _system_mounts() -> str:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        pass
    import subprocess

    try:
        return subprocess.run(["mount"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _windows_remote(path: Path) -> str | None:
    import ctypes

    drive = os.path.splitdrive(str(path.absolute()))[0]
    kernel: Any = getattr(ctypes, "windll", None)
    if not drive or kernel is None:
        return None
    DRIVE_REMOTE = 4
    return "network" if kernel.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE else None
