"""MS-OVBA pieces: compression, data encryption, the compound file and the project streams.

Independent readers check what we write: oletools' decompressor and VBA parser, olefile's
compound-file reader, and data that Excel itself wrote (the add-in xlwings ships).
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from addin.xlam.build import installed_xlwings
from addin.xlam.cfb import Storage, write_compound_file
from addin.xlam.ovba import (
    VBA_PROJECT_STREAM,
    Module,
    compress,
    decompress,
    decrypt,
    encrypt,
    project_key,
    vba_project_bin,
)

# MS-OVBA 3.2.1 "No Compression Example"
SPEC_NO_COMPRESSION = b"abcdefghijklmnopqrstuv."
SPEC_NO_COMPRESSION_OUT = bytes.fromhex(
    "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E"
)
# MS-OVBA 3.2.2 "Normal Compression Example"
SPEC_NORMAL = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
SPEC_NORMAL_OUT = bytes.fromhex(
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30"
    " 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
)
# MS-OVBA 3.2.3 "Maximum Compression Example"
SPEC_MAXIMUM = b"a" * 73
SPEC_MAXIMUM_OUT = bytes.fromhex("01 03 B0 02 61 45 00")


def _xlwings_project() -> olefile.OleFileIO:
    """The VBA project of xlwings' ribbon add-in: compressed and encrypted by Excel."""
    import zipfile

    xlam = installed_xlwings().package_dir / "quickstart_addin_ribbon.xlam"
    with zipfile.ZipFile(xlam) as archive:
        return olefile.OleFileIO(io.BytesIO(archive.read("xl/vbaProject.bin")))


# --- compression -----------------------------------------------------------------------------


def test_spec_no_compression_example_is_reproduced_byte_for_byte() -> None:
    assert compress(SPEC_NO_COMPRESSION) == SPEC_NO_COMPRESSION_OUT
    assert decompress(SPEC_NO_COMPRESSION_OUT) == SPEC_NO_COMPRESSION


def test_spec_maximum_compression_example_is_reproduced_byte_for_byte() -> None:
    assert compress(SPEC_MAXIMUM) == SPEC_MAXIMUM_OUT
    assert decompress(SPEC_MAXIMUM_OUT) == SPEC_MAXIMUM


def test_spec_normal_compression_example() -> None:
    # The spec's printed output picks other (equally long) matches than its own pseudo-code
    # does for three copy tokens, so only its decompression and our size are compared.
    assert decompress(SPEC_NORMAL_OUT) == SPEC_NORMAL
    ours = compress(SPEC_NORMAL)
    assert decompress(ours) == SPEC_NORMAL
    assert len(ours) == len(SPEC_NORMAL_OUT)


def test_empty_input_is_just_the_signature() -> None:
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""


@pytest.mark.parametrize("size", [1, 2, 3, 4095, 4096, 4097, 8192, 8193, 20000])
def test_round_trip_at_chunk_boundaries(size: int) -> None:
    text = (b'Public Sub Main()\r\n    RunPython "x"\r\nEnd Sub\r\n' * 500)[:size]
    packed = compress(text)
    assert decompress(packed) == text
    assert bytes(decompress_stream(bytearray(packed))) == text


def test_long_runs_use_maximum_length_tokens_late_in_a_chunk() -> None:
    # Near the end of a chunk the offset takes 12 bits, leaving 4 for the length (max 18).
    data = bytes(range(256)) * 12 + b"z" * 1000
    packed = compress(data)
    assert decompress(packed) == data
    assert len(packed) < len(data) // 2


def test_incompressible_last_chunk_becomes_a_padded_raw_chunk() -> None:
    # 3700 distinct-pair bytes: literal tokens plus flag bytes exceed 4096, so the chunk is
    # stored raw; MS-OVBA 2.4.1.3.10 pads a raw chunk to 4096 bytes.
    data = b"".join(struct.pack("<H", i * 7919 % 65521) for i in range(1850))
    packed = compress(data)
    assert packed[1:3] == struct.pack("<H", 0x3FFF)
    assert len(packed) == 1 + 2 + 4096
    assert decompress(packed) == data.ljust(4096, b"\0")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=9000))
def test_round_trip_binary(data: bytes) -> None:
    packed = compress(data)
    restored = decompress(packed)
    # Only a raw (incompressible) last chunk adds padding, always zeros.
    assert restored[: len(data)] == data
    assert set(restored[len(data) :]) <= {0}
    assert bytes(decompress_stream(bytearray(packed))) == restored


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab c\r\n'\"()=&_Sub End If Then")), max_size=12000))
def test_round_trip_source_like_text(text: str) -> None:
    data = text.encode("ascii")
    packed = compress(data)
    assert decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data


def test_decompresses_what_excel_compressed() -> None:
    ole = _xlwings_project()
    raw_dir = ole.openstream("VBA/dir").read()
    assert decompress(raw_dir) == bytes(decompress_stream(bytearray(raw_dir)))
    records = _dir_records(decompress(raw_dir))
    names = [payload.decode() for r, payload in records if r == 0x0019]
    offsets = [struct.unpack("<I", payload)[0] for r, payload in records if r == 0x0031]
    assert len(names) == len(offsets) == 5
    for name, offset in zip(names, offsets, strict=True):  # source follows any p-code
        raw = ole.openstream(f"VBA/{name}").read()[offset:]
        assert decompress(raw) == bytes(decompress_stream(bytearray(raw)))
        assert decompress(raw).startswith(f'Attribute VB_Name = "{name}"'.encode())


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "signature"),
        (b"\x00\x19\xb0", "signature"),
        (b"\x01\x19\x00", "signature"),  # chunk signature bits are not 0b011
        (b"\x01\x03\xb0\x01\x00\x00", "start of a chunk"),  # copy token with nothing before
    ],
)
def test_decompress_rejects_malformed_input(data: bytes, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        decompress(data)


# --- encryption of the PROJECT stream's protection fields ------------------------------------


def test_decrypts_the_protection_fields_excel_wrote() -> None:
    text = _xlwings_project().openstream("PROJECT").read().decode("cp1252")
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    project_id = fields["ID"].strip('"')
    assert decrypt(fields["CMG"].strip('"'), project_id) == b"\0\0\0\0"  # not protected
    assert decrypt(fields["DPB"].strip('"'), project_id) == b"\0"  # no password
    assert decrypt(fields["GC"].strip('"'), project_id) == b"\xff"  # visible


@pytest.mark.parametrize("seed", [0x00, 0x02, 0x04, 0x06, 0x5A, 0xFF])
def test_encrypt_round_trip(seed: int) -> None:
    project_id = "{5B0E7C62-3D41-4F8A-9C2E-0D7A1F6B4E93}"
    for data in (b"\0\0\0\0", b"\0", b"\xff", b"any data"):
        text = encrypt(data, project_id, seed)
        assert text == text.upper()
        assert len(text) == 2 * (3 + (seed & 6) // 2 + 4 + len(data))
        assert decrypt(text, project_id) == data


def test_decrypt_checks_the_project_key() -> None:
    text = encrypt(b"\0", "{00000000-0000-0000-0000-000000000001}", 7)
    assert project_key("{00000000-0000-0000-0000-000000000001}") != project_key("{X}")
    with pytest.raises(ValueError, match="key"):
        decrypt(text, "{X}")


# --- compound file ---------------------------------------------------------------------------


def test_compound_file_round_trip_through_olefile() -> None:
    streams = {
        "PROJECT": b"ID=...\r\n",
        "PROJECTwm": b"",
        "VBA/dir": bytes(range(256)) * 20,  # large: regular sectors
        "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM,
        "VBA/Exactly4095": b"y" * 4095,  # largest mini stream
        "VBA/Exactly4096": b"z" * 4096,  # smallest regular stream
        "VBA/Big": bytes(200_000),
    }
    streams.update({f"VBA/Module{i}": bytes([i]) * (37 * i) for i in range(40)})
    root = Storage()
    for path, data in streams.items():
        root.add_stream(path, data)
    ole = olefile.OleFileIO(
        io.BytesIO(write_compound_file(root)), raise_defects=olefile.DEFECT_INCORRECT
    )
    assert sorted("/".join(e) for e in ole.listdir()) == sorted(streams)
    for path, data in streams.items():
        assert ole.openstream(path).read() == data, path
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE


def test_compound_file_directory_is_a_search_tree() -> None:
    # Windows finds a stream by walking each storage's tree in CFB order (shorter names
    # first, then upper-cased): olefile does not need the order, so check it here.
    root = Storage()
    names = ["dir", "_VBA_PROJECT", "ThisWorkbook", "Sheet1", "xlwings", "Dictionary", "a", "B"]
    for name in names:
        root.add_stream(f"VBA/{name}", b"x")
    root.add_stream("PROJECT", b"x")
    root.add_stream("PROJECTwm", b"x")
    ole = olefile.OleFileIO(io.BytesIO(write_compound_file(root)))
    entries = {i: e for i, e in enumerate(ole.direntries) if e is not None}

    def in_order(sid: int) -> list[str]:
        if sid == olefile.NOSTREAM:
            return []
        entry = entries[sid]
        return [*in_order(entry.sid_left), entry.name, *in_order(entry.sid_right)]

    def cfb_key(name: str) -> tuple[int, str]:
        return (len(name), name.upper())

    for entry in entries.values():
        if entry.entry_type in (olefile.STGTY_ROOT, olefile.STGTY_STORAGE):
            children = in_order(entry.sid_child)
            assert children == sorted(children, key=cfb_key), entry.name
    vba = next(e for e in entries.values() if e.name == "VBA")
    assert sorted(in_order(vba.sid_child)) == sorted(names)


def test_compound_file_rejects_bad_names() -> None:
    root = Storage()
    with pytest.raises(ValueError):
        root.add_stream("VBA/" + "x" * 32, b"")
    root.add_stream("VBA/Module", b"")
    root.add_stream("VBA/MODULE", b"")
    with pytest.raises(ValueError, match="duplicate"):
        write_compound_file(root)


# --- the project -----------------------------------------------------------------------------


def _module(name: str, body: str, kind: str = "procedural") -> Module:
    return Module(name, kind, f'Attribute VB_Name = "{name}"\r\n{body}\r\n')  # type: ignore[arg-type]


def test_project_read_back_by_olevba(tmp_path: Path) -> None:
    modules = [
        _module("Alpha", "Sub A()\r\nEnd Sub"),
        _module("Beta", "Function B() As Long\r\n    B = 1\r\nEnd Function" * 200),
        _module("Gamma", "Option Explicit", "class"),
    ]
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(vba_project_bin(modules, name="Test", project_id="{1-2-3}"))
    parser = VBA_Parser(str(path))
    found = {vba_name: code for (_, _, vba_name, code) in parser.extract_macros()}
    assert found == {
        "Alpha.bas": modules[0].code,
        "Beta.bas": modules[1].code,
        "Gamma.cls": modules[2].code,
    }


def test_project_streams() -> None:
    modules = [
        _module("ThisWorkbook", "", "document"),
        _module("Main", "Sub M()\r\nEnd Sub"),
        _module("Events", "", "class"),
    ]
    data = vba_project_bin(modules, name="Proj", project_id="{ABC}", seed=3)
    ole = olefile.OleFileIO(io.BytesIO(data))
    project = ole.openstream("PROJECT").read().decode("cp1252").split("\r\n")
    assert project[:4] == [
        'ID="{ABC}"',
        "Document=ThisWorkbook/&H00000000",
        "Module=Main",
        "Class=Events",
    ]
    assert 'Name="Proj"' in project
    fields = dict(line.split("=", 1) for line in project if line.split("=")[0] in ("CMG", "GC"))
    assert decrypt(fields["CMG"].strip('"'), "{ABC}") == b"\0\0\0\0"
    assert decrypt(fields["GC"].strip('"'), "{ABC}") == b"\xff"
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")
    wm = ole.openstream("PROJECTwm").read()
    assert wm.startswith(b"ThisWorkbook\0T\0h\0") and wm.endswith(b"s\0\0\0\0\0")
    for module in modules:  # source at offset 0, no p-code
        assert decompress(ole.openstream(f"VBA/{module.name}").read()) == module.code.encode()


def _dir_records(data: bytes) -> list[tuple[int, bytes]]:
    records, pos = [], 0
    while pos < len(data):
        record_id, size = struct.unpack_from("<HI", data, pos)
        if record_id == 0x0009:  # PROJECTVERSION: its size field says 4 but 6 bytes follow
            size = 6
        records.append((record_id, data[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    return records


def test_dir_stream_records() -> None:
    modules = [_module("Main", "Sub M()\r\nEnd Sub"), _module("Sheet1", "", "document")]
    ole = olefile.OleFileIO(io.BytesIO(vba_project_bin(modules, name="Proj", project_id="{A}")))
    records = _dir_records(decompress(ole.openstream("VBA/dir").read()))
    ids = [r for r, _ in records]
    assert ids[:4] == [0x0001, 0x0002, 0x0014, 0x0003]
    assert dict(records)[0x0004] == b"Proj"
    assert dict(records)[0x0003] == struct.pack("<H", 1252)
    assert ids[-1] == 0x0010
    assert dict(records)[0x000F] == struct.pack("<H", 2)
    names = [payload for r, payload in records if r == 0x0019]
    assert names == [b"Main", b"Sheet1"]
    assert [payload for r, payload in records if r == 0x0031] == [b"\0\0\0\0"] * 2
    assert ids.count(0x0021) == 1 and ids.count(0x0022) == 1  # procedural, document
    libids = [payload[4:] for r, payload in records if r == 0x000D]
    assert any(b"{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in lib for lib in libids)  # Office


def test_project_refuses_modules_it_cannot_store() -> None:
    with pytest.raises(ValueError, match="VB_Name"):
        vba_project_bin([Module("A", "procedural", "Sub A()\r\n")], name="P", project_id="{A}")
    with pytest.raises(ValueError, match="unique"):
        vba_project_bin([_module("A", ""), _module("a", "")], name="P", project_id="{A}")
