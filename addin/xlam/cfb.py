"""A minimal writer for Compound File Binary files (MS-CFB, version 3, 512-byte sectors).

olefile only reads these files; a VBA project (``vbaProject.bin``) is one, so we write it here.
The writer builds the whole file in memory: header, FAT, directory, mini FAT, mini stream and
the large streams, each laid out contiguously. It supports what a VBA project needs: nested
storages and streams, no DIFAT sectors (files up to ~7 MB), all timestamps zero so a build is
byte-for-byte reproducible.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR_SIZE = 512
MINI_SECTOR_SIZE = 64
MINI_STREAM_CUTOFF = 4096
HEADER_DIFAT_ENTRIES = 109

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_TYPE_STORAGE, _TYPE_STREAM, _TYPE_ROOT = 1, 2, 5
_BLACK = 1


@dataclass
class Storage:
    """A storage (folder) of streams (``bytes``) and sub-storages, by name."""

    entries: dict[str, bytes | Storage] = field(default_factory=dict)

    def add_stream(self, path: str, data: bytes) -> None:
        """Add a stream at a ``/``-separated path, creating storages on the way."""
        *folders, name = path.split("/")
        node = self
        for folder in folders:
            child = node.entries.setdefault(folder, Storage())
            if not isinstance(child, Storage):
                raise ValueError(f"{folder!r} is a stream, not a storage")
            node = child
        _check_name(name)
        node.entries[name] = data


def _check_name(name: str) -> None:
    if not name or len(name) > 31 or any(c in name for c in "/\\:!"):
        raise ValueError(f"invalid compound-file entry name {name!r}")


def _sort_key(name: str) -> tuple[int, str]:
    # MS-CFB 2.6.4: shorter names first, then by upper-cased code points.
    return (len(name), name.upper())


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN
    size: int = 0


def _flatten(root: Storage) -> list[_Entry]:
    entries = [_Entry("Root Entry", _TYPE_ROOT)]

    def visit(storage: Storage, index: int) -> None:
        for name, value in storage.entries.items():
            _check_name(name)
            child_index = len(entries)
            if isinstance(value, Storage):
                entries.append(_Entry(name, _TYPE_STORAGE))
                entries[index].children.append(child_index)
                visit(value, child_index)
            else:
                entries.append(_Entry(name, _TYPE_STREAM, data=bytes(value)))
                entries[index].children.append(child_index)

    visit(root, 0)
    for entry in entries:
        entry.child = _balanced_tree(entries, entry.children)
    return entries


def _balanced_tree(entries: list[_Entry], ids: list[int]) -> int:
    """Link siblings as a balanced binary search tree; all nodes black (valid red-black tree
    only when perfectly balanced, which readers do not check; Apache POI writes the same)."""
    ordered = sorted(ids, key=lambda i: _sort_key(entries[i].name))
    names = [_sort_key(entries[i].name) for i in ordered]
    if len(set(names)) != len(names):
        raise ValueError("duplicate entry names (case-insensitive) in one storage")

    def build(lo: int, hi: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = entries[ordered[mid]]
        node.left = build(lo, mid)
        node.right = build(mid + 1, hi)
        return ordered[mid]

    return build(0, len(ordered))


def _sectors(length: int, size: int) -> int:
    return (length + size - 1) // size


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def write_compound_file(root: Storage) -> bytes:
    """Serialize ``root`` as a version-3 compound file."""
    entries = _flatten(root)

    # Small streams live in the mini stream, in 64-byte mini sectors.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    for entry in entries:
        if entry.kind != _TYPE_STREAM or len(entry.data) >= MINI_STREAM_CUTOFF:
            continue
        entry.size = len(entry.data)
        if not entry.data:
            entry.start = ENDOFCHAIN
            continue
        first = len(mini_fat)
        count = _sectors(len(entry.data), MINI_SECTOR_SIZE)
        mini_fat.extend(range(first + 1, first + count))
        mini_fat.append(ENDOFCHAIN)
        entry.start = first
        mini_stream += _pad(entry.data, MINI_SECTOR_SIZE)

    big = [e for e in entries if e.kind == _TYPE_STREAM and len(e.data) >= MINI_STREAM_CUTOFF]
    dir_sectors = _sectors(len(entries) * 128, SECTOR_SIZE)
    minifat_sectors = _sectors(len(mini_fat) * 4, SECTOR_SIZE)
    ministream_sectors = _sectors(len(mini_stream), SECTOR_SIZE)
    data_sectors = sum(_sectors(len(e.data), SECTOR_SIZE) for e in big)
    payload = dir_sectors + minifat_sectors + ministream_sectors + data_sectors

    fat_sectors = 1
    while fat_sectors * (SECTOR_SIZE // 4) < fat_sectors + payload:
        fat_sectors += 1
    if fat_sectors > HEADER_DIFAT_ENTRIES:
        raise ValueError("compound file too large for a header-only DIFAT")

    fat: list[int] = [FATSECT] * fat_sectors
    body = bytearray()

    def place(data: bytes) -> int:
        """Append ``data`` in whole sectors, chain them in the FAT, return the first sector."""
        count = _sectors(len(data), SECTOR_SIZE)
        if count == 0:
            return ENDOFCHAIN
        first = len(fat)
        fat.extend(range(first + 1, first + count))
        fat.append(ENDOFCHAIN)
        body.extend(_pad(data, SECTOR_SIZE))
        return first

    body_dir_offset = len(body)
    dir_start = place(b"\0" * dir_sectors * SECTOR_SIZE)  # filled in once starts are known
    minifat_start = place(b"".join(struct.pack("<I", v) for v in mini_fat))
    entries[0].start = place(bytes(mini_stream))
    entries[0].size = len(mini_stream)
    for entry in big:
        entry.start = place(entry.data)
        entry.size = len(entry.data)

    directory = b"".join(_dir_entry(e) for e in entries)
    directory = _pad(directory, SECTOR_SIZE)
    # Unused directory slots must read as empty entries with NOSTREAM links.
    unused = (len(directory) - len(entries) * 128) // 128
    directory = directory[: len(entries) * 128] + _empty_dir_entry() * unused
    body[body_dir_offset : body_dir_offset + len(directory)] = directory

    fat.extend([FREESECT] * (fat_sectors * (SECTOR_SIZE // 4) - len(fat)))
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)

    difat = list(range(fat_sectors)) + [FREESECT] * (HEADER_DIFAT_ENTRIES - fat_sectors)
    header = b"".join(
        [
            _SIGNATURE,
            b"\0" * 16,  # header CLSID
            struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6),
            b"\0" * 6,
            struct.pack(
                "<9I",
                0,  # directory sectors (must be 0 in version 3)
                fat_sectors,
                dir_start,
                0,  # transaction signature
                MINI_STREAM_CUTOFF,
                minifat_start,
                minifat_sectors,
                ENDOFCHAIN,  # first DIFAT sector
                0,  # DIFAT sectors
            ),
            b"".join(struct.pack("<I", v) for v in difat),
        ]
    )
    assert len(header) == SECTOR_SIZE, len(header)
    return header + fat_bytes + bytes(body)


def _dir_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\0\0"
    return b"".join(
        [
            name.ljust(64, b"\0"),
            struct.pack("<HBB", len(name), entry.kind, _BLACK),
            struct.pack("<III", entry.left, entry.right, entry.child),
            b"\0" * 16,  # CLSID
            b"\0" * 4,  # state bits
            b"\0" * 16,  # creation and modification times
            struct.pack("<IQ", entry.start if entry.kind != _TYPE_STORAGE else 0, entry.size),
        ]
    )


def _empty_dir_entry() -> bytes:
    links = struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
    return b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + links + b"\0" * 48
