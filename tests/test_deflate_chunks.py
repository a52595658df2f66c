"""A member's deflate stream cut at full-flush points: each chunk inflates alone and can be
replaced while the others' compressed bytes are copied verbatim (workbook/deflate_chunks.py)."""

from __future__ import annotations

import io
import random
import struct
import time
import zipfile
import zlib
from collections.abc import Sequence

import pytest

from workbook.deflate_chunks import (
    Chunk,
    ChunkError,
    crc32_combine,
    offsets,
    pack,
    splice,
    unpack,
    whole_crc,
)


def rows(first: int, count: int) -> bytes:
    return b"".join(
        b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d"><v>%d.5</v></c></row>'
        % (n, n, n * 7 % 13, n, n)
        for n in range(first, first + count)
    )


def inflate_whole(data: bytes) -> bytes:
    """Inflate as a zip reader does, insisting the stream ends exactly at the end of the data."""
    inflater = zlib.decompressobj(-15)
    text = inflater.decompress(data)
    assert inflater.eof
    assert inflater.unused_data == b""
    return text


def check_member(data: bytes, chunks: Sequence[Chunk], text: bytes) -> None:
    """Everything the store relies on: one valid stream of the text, a right CRC, chunk sizes
    adding up, only the last chunk final, and every chunk inflating alone to its own stretch."""
    assert inflate_whole(data) == text
    assert whole_crc(chunks) == zlib.crc32(text)
    assert len(data) == sum(c.packed for c in chunks)
    assert sum(c.size for c in chunks) == len(text)
    assert [c.final for c in chunks] == [False] * (len(chunks) - 1) + [True]
    position = 0
    for chunk, start in zip(chunks, offsets(chunks), strict=True):
        assert chunk.packed > 0
        assert (
            unpack(data[start : start + chunk.packed], chunk)
            == text[position : position + chunk.size]
        )
        position += chunk.size


def one_member_zip(name: str, data: bytes, chunks: Sequence[Chunk]) -> bytes:
    """A zip with one deflated member whose compressed bytes are exactly ``data`` (zipfile's
    own writers would recompress)."""
    encoded = name.encode()
    crc, size = whole_crc(chunks), sum(c.size for c in chunks)
    time_, date = 0, (2026 - 1980) << 9 | 1 << 5 | 1
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, time_, date, crc, len(data), size, len(encoded), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        time_,
        date,
        crc,
        len(data),
        size,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    body = local + encoded + data
    directory = central + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), len(body), 0)
    return body + directory + end


def read_zip_member(blob: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        assert archive.testzip() is None
        return archive.read(name)


# --- pack ---------------------------------------------------------------------------------


def test_pack_makes_one_stream_with_one_chunk_per_piece() -> None:
    pieces = [rows(1, 300), rows(301, 500), rows(801, 2)]
    data, chunks = pack(pieces)
    assert len(chunks) == 3
    assert [c.size for c in chunks] == [len(p) for p in pieces]
    assert [c.crc for c in chunks] == [zlib.crc32(p) for p in pieces]
    check_member(data, chunks, b"".join(pieces))


def test_pack_of_no_pieces_is_one_empty_final_chunk() -> None:
    data, chunks = pack([])
    assert chunks == [Chunk(size=0, packed=len(data), crc=0, final=True)]
    check_member(data, chunks, b"")


def test_pack_empty_pieces_in_the_middle_still_make_chunks() -> None:
    pieces = [rows(1, 10), b"", b"", rows(11, 10), b""]
    data, chunks = pack(pieces)
    assert len(chunks) == 5
    assert [c.size for c in chunks] == [len(p) for p in pieces]
    check_member(data, chunks, b"".join(pieces))


def test_pack_refuses_one_bytes_object_as_the_list_of_pieces() -> None:
    with pytest.raises(ChunkError):
        pack(rows(1, 3))


# --- unpack -------------------------------------------------------------------------------


def test_every_chunk_inflates_alone_even_when_pieces_repeat() -> None:
    # Equal pieces would be back-references to the previous chunk without the full flush.
    piece = rows(1, 200)
    data, chunks = pack([piece, piece, piece])
    for chunk, start in zip(chunks, offsets(chunks), strict=True):
        assert unpack(memoryview(data)[start : start + chunk.packed], chunk) == piece


def test_unpack_refuses_any_corrupted_byte() -> None:
    data, chunks = pack([rows(1, 40), rows(41, 40), rows(81, 40)])
    for index in (1, 2):
        start, chunk = offsets(chunks)[index], chunks[index]
        for position in range(chunk.packed):
            damaged = bytearray(data[start : start + chunk.packed])
            damaged[position] ^= 0xFF
            with pytest.raises(ChunkError):
                unpack(bytes(damaged), chunk)


@pytest.mark.parametrize(
    "wrong",
    [
        {"size": 1},
        {"crc": 1},
        {"final": True},
    ],
)
def test_unpack_refuses_a_chunk_that_does_not_match_its_record(wrong: dict[str, int]) -> None:
    data, chunks = pack([rows(1, 40), rows(41, 40)])
    chunk = chunks[0]
    changed = Chunk(
        size=chunk.size + wrong.get("size", 0),
        packed=chunk.packed,
        crc=chunk.crc ^ wrong.get("crc", 0),
        final=bool(wrong.get("final", chunk.final)),
    )
    assert unpack(data[: chunk.packed], chunk) == rows(1, 40)
    with pytest.raises(ChunkError):
        unpack(data[: chunk.packed], changed)


def test_unpack_refuses_a_final_chunk_recorded_as_not_final() -> None:
    data, chunks = pack([rows(1, 40)])
    with pytest.raises(ChunkError):
        unpack(data, Chunk(chunks[0].size, chunks[0].packed, chunks[0].crc, final=False))


def test_unpack_refuses_bytes_of_another_length_than_recorded() -> None:
    data, chunks = pack([rows(1, 40), rows(41, 40)])
    first = chunks[0]
    with pytest.raises(ChunkError):
        unpack(data[: first.packed - 1], first)
    with pytest.raises(ChunkError):
        unpack(data[: first.packed + 1], first)
    # Even bytes that would inflate to the same text: an extra empty stored block.
    with pytest.raises(ChunkError):
        unpack(data[: first.packed] + b"\x00\x00\x00\xff\xff", first)


def test_unpack_refuses_bytes_after_the_end_of_the_stream() -> None:
    data, chunks = pack([rows(1, 40)])
    padded = data + b"\x00"
    with pytest.raises(ChunkError):
        unpack(padded, Chunk(chunks[0].size, len(padded), chunks[0].crc, final=True))


def test_unpack_refuses_a_chunk_cut_without_a_full_flush() -> None:
    # A sync flush keeps the history: the second stretch refers back into the first.
    piece = rows(1, 100)
    compressor = zlib.compressobj(3, zlib.DEFLATED, -15)
    first = compressor.compress(piece) + compressor.flush(zlib.Z_SYNC_FLUSH)
    second = compressor.compress(piece) + compressor.flush(zlib.Z_FINISH)
    assert zlib.decompress(first + second, -15) == piece + piece
    with pytest.raises(ChunkError):
        unpack(second, Chunk(len(piece), len(second), zlib.crc32(piece), final=True))


def test_unpack_refuses_a_chunk_that_stops_inside_a_block() -> None:
    # A partial flush yields all the text but leaves the stream between bytes.
    piece = rows(1, 50)
    compressor = zlib.compressobj(3, zlib.DEFLATED, -15)
    data = compressor.compress(piece) + compressor.flush(zlib.Z_PARTIAL_FLUSH)
    assert zlib.decompressobj(-15).decompress(data) == piece
    with pytest.raises(ChunkError):
        unpack(data, Chunk(len(piece), len(data), zlib.crc32(piece), final=False))


# --- crc32_combine ------------------------------------------------------------------------


def test_crc32_combine_matches_zlib_on_random_data() -> None:
    rng = random.Random(20261203)
    lengths = [0, 1, 2, 3, 7, 8, 255, 256, 1000, 4096, 65537, 1 << 20, 3_000_001]
    for _ in range(60):
        a = rng.randbytes(rng.choice(lengths))
        b = rng.randbytes(rng.choice(lengths))
        assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)
    for a, b in [(b"", b""), (b"", rows(1, 5)), (rows(1, 5), b"")]:
        assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def reference_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib 1.2.11's crc32_combine (a 32x32 bit matrix squared per bit of len2): another
    algorithm than the module's, to check it on lengths no test could hold in memory."""
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << (n - 1) for n in range(1, 32)]  # one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def test_crc32_combine_matches_another_algorithm_on_huge_lengths() -> None:
    rng = random.Random(4242)
    for length in [0, 1, 5, 1000]:
        a, b = rng.randbytes(50), rng.randbytes(length)
        assert reference_combine(zlib.crc32(a), zlib.crc32(b), length) == zlib.crc32(a + b)
    for bits in [31, 32, 33, 36, 40, 48, 63]:
        for _ in range(5):
            crc1, crc2, length = rng.getrandbits(32), rng.getrandbits(32), rng.getrandbits(bits)
            assert crc32_combine(crc1, crc2, length) == reference_combine(crc1, crc2, length)


def test_crc32_combine_is_fast_for_multi_megabyte_lengths() -> None:
    rng = random.Random(7)
    cases = [
        (rng.getrandbits(32), rng.getrandbits(32), rng.randrange(1 << 21, 1 << 27))
        for _ in range(10_000)
    ]
    started = time.perf_counter()
    results = [crc32_combine(*case) for case in cases]
    elapsed = time.perf_counter() - started
    print(f"10,000 crc32_combine of 2–128 MB lengths: {elapsed * 1000:.1f} ms")
    # Correctness only (no timed assertion): a few of them against zlib on real bytes.
    for length in (1 << 21, (1 << 21) + 12345):
        a, b = rng.randbytes(100), rng.randbytes(length)
        assert crc32_combine(zlib.crc32(a), zlib.crc32(b), length) == zlib.crc32(a + b)
    assert len(results) == 10_000


def test_crc32_combine_refuses_a_negative_length() -> None:
    with pytest.raises(ChunkError):
        crc32_combine(1, 2, -1)


def test_whole_crc_and_offsets() -> None:
    pieces = [rows(1, 30), b"", rows(31, 30)]
    data, chunks = pack(pieces)
    assert whole_crc(chunks) == zlib.crc32(b"".join(pieces))
    assert offsets(chunks)[-1] + chunks[-1].packed == len(data)
    assert whole_crc([]) == 0
    assert offsets(chunks) == [0, chunks[0].packed, chunks[0].packed + chunks[1].packed]
    assert offsets([]) == []


# --- splice -------------------------------------------------------------------------------


def spliced_text(pieces: Sequence[bytes], new: dict[int, list[bytes]]) -> bytes:
    out: list[bytes] = []
    for index, piece in enumerate(pieces):
        out.extend(new.get(index, [piece]))
    return b"".join(out)


def pack_at_level(pieces: Sequence[bytes], level: int) -> tuple[bytes, list[Chunk]]:
    """Like pack, at another level: bytes that recompressing a kept chunk (at pack's level)
    would not reproduce, so only a true verbatim copy keeps them."""
    parts, chunks = [], []
    for index, piece in enumerate(pieces):
        final = index == len(pieces) - 1
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        data = compressor.compress(piece) + compressor.flush(
            zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
        )
        parts.append(data)
        chunks.append(Chunk(len(piece), len(data), zlib.crc32(piece), final))
    return b"".join(parts), chunks


def check_splice(pieces: Sequence[bytes], new: dict[int, list[bytes]], level: int = 1) -> None:
    data, chunks = pack_at_level(pieces, level)
    check_member(data, chunks, b"".join(pieces))
    result, result_chunks = splice(data, chunks, new)
    text = spliced_text(pieces, new)
    check_member(result, result_chunks, text)
    # One chunk per new piece or kept chunk (at least one: everything removed leaves an empty one).
    count = sum(len(new[i]) if i in new else 1 for i in range(len(chunks)))
    assert len(result_chunks) == max(count, 1)
    # Kept chunks: the same records, their compressed bytes copied byte for byte.
    old_starts, new_starts = offsets(chunks), offsets(result_chunks)
    position = 0
    for index, chunk in enumerate(chunks):
        if index in new:
            position += len(new[index])
            continue
        assert result_chunks[position] == chunk
        old = data[old_starts[index] : old_starts[index] + chunk.packed]
        assert result[new_starts[position] : new_starts[position] + chunk.packed] == old
        position += 1
    name = "xl/worksheets/sheet1.xml"
    assert read_zip_member(one_member_zip(name, result, result_chunks), name) == text


PIECES = [rows(1, 100), rows(101, 100), rows(201, 100), rows(301, 100)]


@pytest.mark.parametrize(
    "new",
    [
        {1: [rows(1001, 80)]},  # a middle chunk
        {0: [rows(2001, 3)]},  # the first
        {3: [rows(3001, 120)]},  # the last: its replacement must end the stream
        {0: [b"<x/>"], 2: [rows(4001, 10)], 3: [b""]},  # several
        {2: []},  # remove a middle chunk
        {0: []},  # remove the first
        {1: [rows(5001, 10), b"", rows(5011, 10)]},  # one chunk by several
        {3: [rows(6001, 10), rows(6011, 10)]},  # the last by several
        {2: [], 3: [rows(7001, 5)]},  # remove one, and the last by a new last
        {0: [], 1: [], 2: [], 3: []},  # everything: one empty final chunk
        {},  # nothing: the member as it was
    ],
)
def test_splice_replaces_chunks_and_copies_the_rest_verbatim(new: dict[int, list[bytes]]) -> None:
    check_splice(PIECES, new)


def test_splice_of_everything_removed_leaves_one_empty_final_chunk() -> None:
    data, chunks = pack(PIECES)
    result, result_chunks = splice(data, chunks, {i: [] for i in range(len(PIECES))})
    assert result_chunks == [Chunk(0, len(result), 0, True)]
    assert inflate_whole(result) == b""


def test_splice_refuses_to_make_a_non_final_chunk_last() -> None:
    data, chunks = pack(PIECES)
    with pytest.raises(ChunkError):
        splice(data, chunks, {3: []})
    with pytest.raises(ChunkError):
        splice(data, chunks, {2: [], 3: []})


def test_splice_refuses_compressed_bytes_that_do_not_add_up() -> None:
    data, chunks = pack(PIECES)
    with pytest.raises(ChunkError):
        splice(data[:-1], chunks, {1: [b"x"]})
    with pytest.raises(ChunkError):
        splice(data + b"\x00", chunks, {1: [b"x"]})


@pytest.mark.parametrize("index", [-1, 4, "1"])
def test_splice_refuses_a_chunk_that_is_not_there(index: object) -> None:
    data, chunks = pack(PIECES)
    with pytest.raises(ChunkError):
        splice(data, chunks, {index: [b"x"]})  # type: ignore[dict-item]


def test_splice_refuses_one_bytes_object_as_the_new_pieces() -> None:
    data, chunks = pack(PIECES)
    with pytest.raises(ChunkError):
        splice(data, chunks, {1: b"<row/>"})


def test_splice_refuses_chunks_whose_final_flags_are_wrong() -> None:
    data, chunks = pack(PIECES)
    not_final = [*chunks[:-1], Chunk(chunks[-1].size, chunks[-1].packed, chunks[-1].crc, False)]
    with pytest.raises(ChunkError):
        splice(data, not_final, {0: [b"x"]})
    early_final = [Chunk(chunks[0].size, chunks[0].packed, chunks[0].crc, True), *chunks[1:]]
    with pytest.raises(ChunkError):
        splice(data, early_final, {1: [b"x"]})
    with pytest.raises(ChunkError):
        splice(b"", [], {})


def test_splice_of_a_splice_keeps_working() -> None:
    data, chunks = pack(PIECES)
    data, chunks = splice(data, chunks, {1: [rows(900, 5), rows(905, 5)], 3: [b"</sheetData>"]})
    data, chunks = splice(data, chunks, {0: [], 4: [rows(950, 20), b"</sheetData>"]})
    text = rows(900, 5) + rows(905, 5) + rows(201, 100) + rows(950, 20) + b"</sheetData>"
    check_member(data, chunks, text)


# --- property loop ------------------------------------------------------------------------


def random_piece(rng: random.Random) -> bytes:
    kind = rng.random()
    if kind < 0.15:
        return b""
    if kind < 0.65:
        return rows(rng.randrange(1, 100_000), rng.randrange(1, 60))
    return rng.randbytes(rng.randrange(1, 3000))


def test_random_packs_and_splices_stay_consistent() -> None:
    rng = random.Random(31337)
    for _ in range(300):
        pieces = [random_piece(rng) for _ in range(rng.randrange(1, 8))]
        new: dict[int, list[bytes]] = {}
        for index in rng.sample(range(len(pieces)), rng.randrange(0, len(pieces) + 1)):
            new[index] = [random_piece(rng) for _ in range(rng.randrange(0, 4))]
        data, chunks = pack(pieces)
        check_member(data, chunks, b"".join(pieces))
        if _last_item_is_kept_non_final(pieces, new):
            # The store never asks this: the final chunk removed, an earlier one kept as last.
            with pytest.raises(ChunkError):
                splice(data, chunks, new)
        else:
            check_splice(pieces, new)


def _last_item_is_kept_non_final(pieces: Sequence[bytes], new: dict[int, list[bytes]]) -> bool:
    """Whether the last chunk after the splice would be a verbatim chunk other than the final."""
    for index in range(len(pieces) - 1, -1, -1):
        if index not in new:
            return index != len(pieces) - 1
        if new[index]:
            return False
    return False


def test_zipfile_reads_packed_and_spliced_members() -> None:
    name = "xl/worksheets/sheet2.xml"
    pieces = [
        b"<worksheet><sheetData>",
        rows(1, 2000),
        rows(2001, 2000),
        b"</sheetData></worksheet>",
    ]
    data, chunks = pack(pieces)
    assert read_zip_member(one_member_zip(name, data, chunks), name) == b"".join(pieces)
    result, result_chunks = splice(data, chunks, {2: [rows(9001, 10), rows(9011, 10)]})
    expected = pieces[0] + pieces[1] + rows(9001, 20) + pieces[3]
    assert read_zip_member(one_member_zip(name, result, result_chunks), name) == expected
