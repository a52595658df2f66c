"""One zip member's raw deflate stream cut into chunks that are read and replaced one at a time.

The member stays ONE ordinary deflate stream (any zip reader inflates it as usual), but every
chunk boundary is a full flush: the compressor forgets its history there and pads to a byte, so
the compressed bytes of each chunk inflate alone, and a chunk can be swapped for freshly
compressed bytes while every other chunk's compressed bytes are copied as they are. The member's
CRC-32 is then combined from the chunks' CRCs instead of reading the whole text again.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workbook.xlsx_package import DEFLATE_LEVEL

# A final block with no data (BFINAL=1, fixed codes, end-of-block): appended to a non-final chunk
# it must end the stream at once, which proves the chunk stopped on a block boundary.
_EMPTY_FINAL_BLOCK = b"\x03\x00"
_CRC_POLY = 0xEDB88320  # CRC-32, reflected
_MASK_32 = 0xFFFFFFFF


@dataclass(frozen=True)
class Chunk:
    size: int  # its uncompressed bytes
    packed: int  # its compressed bytes
    crc: int  # CRC-32 of its uncompressed bytes
    final: bool  # its compressed bytes end the deflate stream (Z_FINISH); only the last may


class ChunkError(Exception):
    """Chunks and compressed bytes disagree, the stream is damaged, or the call is misused."""


def _compress(piece: bytes, final: bool) -> tuple[bytes, Chunk]:
    # A fresh compressor has no history, so its output may follow any full-flush point; and
    # unlike a second Z_FULL_FLUSH on a used compressor, it emits a (non-empty) flush marker
    # even for an empty piece, so every chunk has compressed bytes of its own.
    compressor = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    data = compressor.compress(piece) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )
    return data, Chunk(len(piece), len(data), zlib.crc32(piece), final)


def _check_pieces(pieces: Sequence[bytes]) -> None:
    # bytes is itself a Sequence (of ints): a lone piece passed as the list would pack silently.
    if isinstance(pieces, bytes | bytearray | memoryview | str):
        raise ChunkError("pieces must be a sequence of bytes objects, not one bytes object")


def pack(pieces: Sequence[bytes]) -> tuple[bytes, list[Chunk]]:
    """One raw deflate stream of b"".join(pieces): a full flush after each piece but the last,
    Z_FINISH after the last (one chunk per piece; no pieces → one empty final chunk)."""
    _check_pieces(pieces)
    if not pieces:
        pieces = [b""]
    parts: list[bytes] = []
    chunks: list[Chunk] = []
    for index, piece in enumerate(pieces):
        data, chunk = _compress(piece, index == len(pieces) - 1)
        parts.append(data)
        chunks.append(chunk)
    return b"".join(parts), chunks


def unpack(packed: bytes | memoryview, chunk: Chunk) -> bytes:
    """Inflate one chunk's compressed bytes alone, checking them against the chunk."""
    if len(packed) != chunk.packed:
        raise ChunkError(f"chunk has {chunk.packed} compressed bytes, {len(packed)} given")
    inflater = zlib.decompressobj(-15)
    try:
        text = inflater.decompress(packed)
        if chunk.final:
            ended = inflater.eof
        else:
            if inflater.eof:
                raise ChunkError("a non-final chunk ends the deflate stream")
            # Not ending on a block boundary would leave later chunks undecodable alone.
            ended = inflater.decompress(_EMPTY_FINAL_BLOCK) == b"" and inflater.eof
    except zlib.error as exc:
        # Includes back-references into a previous chunk: the flush point was not a full flush.
        raise ChunkError(f"chunk does not inflate alone: {exc}") from exc
    if not ended or inflater.unused_data:
        raise ChunkError("chunk does not end where its compressed bytes end")
    if len(text) != chunk.size:
        raise ChunkError(f"chunk inflates to {len(text)} bytes, {chunk.size} expected")
    if zlib.crc32(text) != chunk.crc:
        raise ChunkError("chunk's CRC-32 does not match its text")
    return text


def _multiply(a: int, b: int) -> int:
    """a·b modulo the CRC polynomial, in CRC-32's reflected bit order (zlib's multmodp)."""
    product = 0
    mask = 1 << 31  # x^0
    while a:
        if a & mask:
            product ^= b
            a ^= mask
        mask >>= 1
        b = (b >> 1) ^ _CRC_POLY if b & 1 else b >> 1
    return product


def _byte_tables(factor: int) -> tuple[list[int], ...]:
    # Multiplying by a fixed factor is linear over GF(2): four 256-entry tables (one per byte of
    # the other operand) turn it into four look-ups instead of up to 32 shift-and-add steps.
    tables: list[list[int]] = []
    for shift in (0, 8, 16, 24):
        bits = [_multiply(factor, 1 << (shift + i)) for i in range(8)]
        table = [0] * 256
        for value in range(1, 256):
            low = (value & -value).bit_length() - 1
            table[value] = table[value & (value - 1)] ^ bits[low]
        tables.append(table)
    return tuple(tables)


def _powers() -> list[tuple[list[int], ...]]:
    # x^(2^n) mod P for n = 0..31; zlib relies on x^(2^32) = x mod P, so n wraps at 32.
    powers: list[tuple[list[int], ...]] = []
    power = 1 << 30  # x^1
    for _ in range(32):
        powers.append(_byte_tables(power))
        power = _multiply(power, power)
    return powers


_X_2N = _powers()


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from crc32(A), crc32(B) and len(B), in O(log len2) steps like zlib's."""
    if len2 < 0:
        raise ChunkError("a length cannot be negative")
    # crc(A+B) = crc(A)·x^(8·len2) ^ crc(B): shift crc1 by len2 zero bytes, one set bit of
    # len2 at a time (bit n of len2 is a factor x^(2^(n+3))).
    crc = crc1 & _MASK_32
    n = 3
    while len2 and crc:
        if len2 & 1:
            t0, t1, t2, t3 = _X_2N[n & 31]
            crc = t0[crc & 0xFF] ^ t1[(crc >> 8) & 0xFF] ^ t2[(crc >> 16) & 0xFF] ^ t3[crc >> 24]
        len2 >>= 1
        n += 1
    return crc ^ (crc2 & _MASK_32)


def whole_crc(chunks: Sequence[Chunk]) -> int:
    """CRC-32 of the whole member."""
    crc = 0
    for chunk in chunks:
        crc = crc32_combine(crc, chunk.crc, chunk.size)
    return crc


def offsets(chunks: Sequence[Chunk]) -> list[int]:
    """Where each chunk's compressed bytes start in the member."""
    starts: list[int] = []
    position = 0
    for chunk in chunks:
        starts.append(position)
        position += chunk.packed
    return starts


def _check_member(packed: bytes | memoryview, chunks: Sequence[Chunk]) -> None:
    if len(packed) != sum(c.packed for c in chunks):
        raise ChunkError(
            f"member has {len(packed)} compressed bytes, its chunks {sum(c.packed for c in chunks)}"
        )
    if not chunks or not chunks[-1].final or any(c.final for c in chunks[:-1]):
        raise ChunkError("exactly the last chunk must be final")


def splice(
    packed: bytes | memoryview, chunks: Sequence[Chunk], new: Mapping[int, Sequence[bytes]]
) -> tuple[bytes, list[Chunk]]:
    """:func:`splice_pieces`, joined."""
    pieces, result = splice_pieces(packed, chunks, new)
    return b"".join(pieces), result


def splice_pieces(
    packed: bytes | memoryview, chunks: Sequence[Chunk], new: Mapping[int, Sequence[bytes]]
) -> tuple[list[bytes | memoryview], list[Chunk]]:
    """The member with chunk i replaced by the pieces new[i] (one fresh chunk each; [] removes
    chunk i), every other chunk's compressed bytes copied verbatim. Removing everything leaves
    one empty final chunk, as pack([]) does."""
    _check_member(packed, chunks)
    for index, pieces in new.items():
        if not isinstance(index, int) or not 0 <= index < len(chunks):
            raise ChunkError(f"no chunk {index!r} to replace (the member has {len(chunks)})")
        _check_pieces(pieces)

    # Each item: the index of a chunk kept verbatim, or a new piece to compress.
    items: list[int | bytes] = []
    for index in range(len(chunks)):
        if index in new:
            items.extend(new[index])
        else:
            items.append(index)
    if not items:
        items.append(b"")

    view = memoryview(packed)
    starts = offsets(chunks)
    parts: list[bytes | memoryview] = []
    result: list[Chunk] = []
    for position, item in enumerate(items):
        last = position == len(items) - 1
        if isinstance(item, int):
            kept = chunks[item]
            # A verbatim chunk's ending (Z_FINISH or full flush) is baked into its bytes. A kept
            # final chunk is always last (it was, and only later chunks' pieces could follow it);
            # a kept non-final one ends up last when everything after it is removed.
            if last and not kept.final:
                raise ChunkError(f"non-final chunk {item} would become last")
            parts.append(view[starts[item] : starts[item] + kept.packed])
            result.append(kept)
        else:
            data, chunk = _compress(item, last)
            parts.append(data)
            result.append(chunk)
    return parts, result  # the kept chunks as views of ``packed``: not copied
