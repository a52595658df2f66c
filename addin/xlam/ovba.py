"""Writing VBA projects (``vbaProject.bin``) from module source text, per [MS-OVBA].

What is here:

* :func:`compress` / :func:`decompress`: the run-length compression of MS-OVBA 2.4.1, used for
  the ``dir`` stream and the source in every module stream;
* :func:`encrypt` / :func:`decrypt`: the data "encryption" of 2.4.3 that the PROJECT stream uses
  for its protection fields (CMG, DPB, GC), even in an unprotected project;
* :func:`vba_project_bin`: the whole project, an OLE compound file holding ``PROJECT``,
  ``PROJECTwm``, ``VBA/_VBA_PROJECT``, ``VBA/dir`` and one stream per module.

No p-code is written: ``_VBA_PROJECT`` is the 7-byte version-independent header (version
0xFFFF), so Office discards any performance cache and compiles the modules from their source,
which sits at offset 0 of each module stream (MODULEOFFSET = 0).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from addin.xlam.cfb import Storage, write_compound_file

CHUNK_SIZE = 4096
_CHUNK_SIGNATURE = 0x3000
_COMPRESSED_FLAG = 0x8000

ModuleKind = Literal["procedural", "class", "document"]


# --- compression (MS-OVBA 2.4.1) -------------------------------------------------------------


def _copy_token_help(position: int) -> tuple[int, int]:
    """Bit count of the offset and maximum match length at ``position`` in a chunk (2.4.1.3.19.1)."""
    bit_count = max((position - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(chunk: bytes) -> bytes:
    """One compressed chunk (header included), or a raw chunk if compression does not pay."""
    n = len(chunk)
    body = bytearray()
    heads: dict[bytes, list[int]] = {}  # 3-byte prefix -> positions, oldest first
    indexed = 0  # positions below this are in ``heads``
    pos = 0
    while pos < n:
        flag_index = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            while indexed < pos:
                heads.setdefault(chunk[indexed : indexed + 3], []).append(indexed)
                indexed += 1
            offset, length = _match(chunk, pos, heads)
            if length:
                bit_count, _ = _copy_token_help(pos)
                token = ((offset - 1) << (16 - bit_count)) | (length - 3)
                body += struct.pack("<H", token)
                flags |= 1 << bit
                pos += length
            else:
                body.append(chunk[pos])
                pos += 1
        body[flag_index] = flags
    if len(body) > CHUNK_SIZE:
        # 2.4.1.3.10: a raw chunk always holds 4096 bytes; a short last chunk is zero-padded.
        return struct.pack("<H", _CHUNK_SIGNATURE | 0x0FFF) + chunk.ljust(CHUNK_SIZE, b"\0")
    header = _COMPRESSED_FLAG | _CHUNK_SIGNATURE | (len(body) + 2 - 3)
    return struct.pack("<H", header) + bytes(body)


def _match(chunk: bytes, pos: int, heads: dict[bytes, list[int]]) -> tuple[int, int]:
    """(offset, length) of the longest earlier match, the nearest one among equals (2.4.1.3.19.4).

    Only candidates sharing the next three bytes can give a match of 3 or more, so only those are
    tried, nearest first; a candidate must beat the best length found to replace it, as in the
    spec's loop. Returns (0, 0) when there is no match of at least 3 bytes.
    """
    end = len(chunk)
    if end - pos < 3:
        return 0, 0
    candidates = heads.get(chunk[pos : pos + 3])
    if not candidates:
        return 0, 0
    best_len = 0
    best = -1
    for candidate in reversed(candidates):
        if best_len:
            # Cheap test first: a longer match must agree one byte past the current best.
            probe = pos + best_len
            if probe >= end or chunk[candidate + best_len] != chunk[probe]:
                continue
            if chunk[candidate : candidate + best_len] != chunk[pos:probe]:
                continue
        length = best_len
        while pos + length < end and chunk[candidate + length] == chunk[pos + length]:
            length += 1
        if length > best_len:
            best_len, best = length, candidate
            if pos + best_len == end:
                break  # nothing can be longer than the rest of the chunk
    if best_len < 3:
        return 0, 0
    _, max_length = _copy_token_help(pos)
    return pos - best, min(best_len, max_length)


def compress(data: bytes) -> bytes:
    """Compress ``data`` into a CompressedContainer (signature byte 0x01, then chunks)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK_SIZE):
        out += _compress_chunk(data[start : start + CHUNK_SIZE])
    return bytes(out)


def decompress(data: bytes) -> bytes:
    """Decompress a CompressedContainer (2.4.1.3.1); raises ValueError on malformed input."""
    if not data or data[0] != 0x01:
        raise ValueError("not a compressed container (signature byte must be 0x01)")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise ValueError("truncated chunk header")
        (header,) = struct.unpack_from("<H", data, pos)
        if header & 0x7000 != _CHUNK_SIGNATURE:
            raise ValueError(f"bad chunk signature at byte {pos}")
        chunk_end = min(len(data), pos + (header & 0x0FFF) + 3)
        pos += 2
        if not header & _COMPRESSED_FLAG:
            out += data[pos : pos + CHUNK_SIZE]
            pos += CHUNK_SIZE
            continue
        chunk_start = len(out)
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(data[pos])
                    pos += 1
                    continue
                if pos + 2 > chunk_end:
                    raise ValueError("truncated copy token")
                (token,) = struct.unpack_from("<H", data, pos)
                pos += 2
                done = len(out) - chunk_start
                if done == 0:
                    raise ValueError("copy token at the start of a chunk")
                bit_count, _ = _copy_token_help(done)
                length = (token & (0xFFFF >> bit_count)) + 3
                offset = (token >> (16 - bit_count)) + 1
                if offset > done:
                    raise ValueError("copy token reaches before the chunk")
                source = len(out) - offset
                for k in range(length):  # byte by byte: source and target may overlap
                    out.append(out[source + k])
    return bytes(out)


# --- data encryption (MS-OVBA 2.4.3) ---------------------------------------------------------


def project_key(project_id: str) -> int:
    """The 8-bit key of a project: the sum of the characters of its ID ("{GUID}")."""
    return sum(project_id.encode("ascii")) & 0xFF


def encrypt(data: bytes, project_id: str, seed: int, ignored: int = 0) -> str:
    """Encrypt ``data`` as the PROJECT stream's CMG/DPB/GC fields hold it (hex, upper case).

    ``seed`` and the ``ignored`` filler byte are free choices; fixing them makes builds
    reproducible.
    """
    key = project_key(project_id)
    version_enc = seed ^ 2
    key_enc = seed ^ key
    out = [seed, version_enc, key_enc]
    state = [key, key_enc, version_enc]  # UnencryptedByte1, EncryptedByte1, EncryptedByte2

    def push(byte: int) -> None:
        unencrypted1, encrypted1, encrypted2 = state
        byte_enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(byte_enc)
        state[:] = [byte, byte_enc, encrypted1]

    for _ in range((seed & 6) // 2):
        push(ignored)
    for byte in struct.pack("<I", len(data)) + data:
        push(byte)
    return bytes(out).hex().upper()


def decrypt(text: str, project_id: str | None = None) -> bytes:
    """Decrypt a CMG/DPB/GC value; with ``project_id``, also check the key it was made with."""
    raw = bytes.fromhex(text)
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise ValueError("unsupported encryption version")
    key = seed ^ key_enc
    if project_id is not None and key != project_key(project_id):
        raise ValueError("encrypted with another project's key")
    state = [key, key_enc, version_enc]
    plain = []
    for byte_enc in raw[3:]:
        unencrypted1, encrypted1, encrypted2 = state
        byte = byte_enc ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(byte)
        state[:] = [byte, byte_enc, encrypted1]
    skip = (seed & 6) // 2
    (length,) = struct.unpack_from("<I", bytes(plain), skip)
    data = bytes(plain[skip + 4 :])
    if len(data) != length:
        raise ValueError("encrypted data length mismatch")
    return data


# --- the project -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    """One module as stored: ``code`` starts with its ``Attribute VB_Name`` line."""

    name: str
    kind: ModuleKind
    code: str


@dataclass(frozen=True)
class Reference:
    """A registered type library reference (REFERENCEREGISTERED)."""

    name: str
    libid: str


# The two references every Excel project has; the paths are only hints, Office resolves the
# type libraries by GUID and version from the registry (Windows) or its bundle (macOS).
STDOLE = Reference(
    "stdole",
    r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb"
    "#OLE Automation",
)
OFFICE = Reference(
    "Office",
    r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0"
    r"#C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL"
    "#Microsoft Office 16.0 Object Library",
)

# _VBA_PROJECT: Reserved1 0x61CC, Version 0xFFFF (version-independent), Reserved2 0x00,
# Reserved3 (undefined; these are the bytes of xlwings' own shipped add-in).
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")

_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"


def _record(record_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(payload)) + payload


def _text_records(record_id: int, unicode_id: int, text: str, code_page: str) -> bytes:
    """An MBCS record followed by its UTF-16 twin (whose "reserved" field is the twin's id)."""
    return _record(record_id, text.encode(code_page)) + _record(
        unicode_id, text.encode("utf-16-le")
    )


def _dir_stream(
    name: str, modules: Sequence[Module], references: Sequence[Reference], code_page: int
) -> bytes:
    cp = f"cp{code_page}"
    out = bytearray()
    # PROJECTINFORMATION (2.3.4.2.1)
    out += _record(0x0001, struct.pack("<I", 1))  # SysKind: 32-bit Windows, as Excel writes it
    out += _record(0x0002, struct.pack("<I", 0x0409))  # LCID
    out += _record(0x0014, struct.pack("<I", 0x0409))  # LCIDINVOKE
    out += _record(0x0003, struct.pack("<H", code_page))
    out += _record(0x0004, name.encode(cp))
    out += _text_records(0x0005, 0x0040, "", cp)  # doc string
    out += _text_records(0x0006, 0x003D, "", cp)  # help file (both paths empty)
    out += _record(0x0007, struct.pack("<I", 0))  # help context
    out += _record(0x0008, struct.pack("<I", 0))  # lib flags
    # PROJECTVERSION has a fixed 4 in its size field, then 6 bytes (values from Excel files).
    out += struct.pack("<HIIH", 0x0009, 4, 0x61EEF783, 3)
    out += _text_records(0x000C, 0x003C, "", cp)  # conditional compilation constants
    # PROJECTREFERENCES (2.3.4.2.2)
    for ref in references:
        out += _text_records(0x0016, 0x003E, ref.name, cp)
        libid = ref.libid.encode(cp)
        out += _record(0x000D, struct.pack("<I", len(libid)) + libid + b"\0" * 6)
    # PROJECTMODULES (2.3.4.2.3)
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # project cookie
    for module in modules:
        out += _record(0x0019, module.name.encode(cp))
        out += _record(0x0047, module.name.encode("utf-16-le"))
        out += _text_records(0x001A, 0x0032, module.name, cp)  # stream name
        out += _text_records(0x001C, 0x0048, "", cp)  # doc string
        out += _record(0x0031, struct.pack("<I", 0))  # source at offset 0: no p-code
        out += _record(0x001E, struct.pack("<I", 0))  # help context
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # module cookie
        out += _record(0x0021 if module.kind == "procedural" else 0x0022, b"")
        out += _record(0x002B, b"")  # module terminator
    out += _record(0x0010, b"")  # dir terminator
    return bytes(out)


def _project_stream(
    name: str, modules: Sequence[Module], project_id: str, code_page: int, seed: int
) -> bytes:
    # Protection state 0, no password, project visible: what an unprotected project holds.
    cmg = encrypt(struct.pack("<I", 0), project_id, seed)
    dpb = encrypt(b"\x00", project_id, (seed + 1) & 0xFF)
    gc = encrypt(b"\xff", project_id, (seed + 2) & 0xFF)
    lines = [f'ID="{project_id}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{cmg}"',
        f'DPB="{dpb}"',
        f'GC="{gc}"',
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
        "[Workspace]",
    ]
    lines += [f"{module.name}=0, 0, 0, 0, C" for module in modules]
    return ("\r\n".join(lines) + "\r\n").encode(f"cp{code_page}")


def _project_wm(modules: Iterable[Module], code_page: int) -> bytes:
    out = bytearray()
    for module in modules:
        out += module.name.encode(f"cp{code_page}") + b"\0"
        out += module.name.encode("utf-16-le") + b"\0\0"
    return bytes(out + b"\0\0")


def vba_project_bin(
    modules: Sequence[Module],
    *,
    name: str,
    project_id: str,
    references: Sequence[Reference] = (STDOLE, OFFICE),
    code_page: int = 1252,
    seed: int = 0x5A,
) -> bytes:
    """The bytes of ``vbaProject.bin`` holding ``modules`` (source only, compiled by Office).

    ``project_id`` is a GUID in braces; with it and ``seed`` fixed the output is reproducible.
    Module code must be encodable in ``code_page``: keep VBA source ASCII and build other
    text at run time (ChrW), so the project reads the same under every Windows code page.
    """
    names = [m.name.lower() for m in modules]
    if len(set(names)) != len(names):
        raise ValueError("module names must be unique (case-insensitive)")
    for module in modules:
        if not module.code.startswith(f'Attribute VB_Name = "{module.name}"'):
            raise ValueError(f"module {module.name!r} must start with its Attribute VB_Name line")
    cp = f"cp{code_page}"
    root = Storage()
    root.add_stream("PROJECT", _project_stream(name, modules, project_id, code_page, seed))
    root.add_stream("PROJECTwm", _project_wm(modules, code_page))
    root.add_stream("VBA/_VBA_PROJECT", VBA_PROJECT_STREAM)
    root.add_stream("VBA/dir", compress(_dir_stream(name, modules, references, code_page)))
    for module in modules:
        root.add_stream(f"VBA/{module.name}", compress(module.code.encode(cp)))
    return write_compound_file(root)
