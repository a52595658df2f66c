"""A large worksheet part stored in chunks, so that one order's action reads and rewrites a few
chunks instead of the whole part (which grows with the master workbook's size).

The part stays one ordinary deflate stream (:mod:`workbook.deflate_chunks`); its chunks are the
head (everything up to and including ``<sheetData>``), groups of whole rows, and the tail (from
``</sheetData>`` to the end). The head, any run of groups and the tail together make a
well-formed worksheet: a *partial sheet*, which :class:`~workbook.xlsx_sheet.SheetXml` reads and
edits as it does a whole one, refusing (``NeedRows``) any row outside the groups it holds.

What the chunks are is recorded beside the part, in a package part of its own (the *index*):
the chunks, each group's first and last row number, and the texts each group holds in the
table's order-number column, so that one order's rows are found without reading the others.
The index names the part's CRC-32 and sizes as stored: when anything else rewrites the part
(Excel, LibreOffice, openpyxl), they differ and the index is ignored, and the part read whole.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from lxml import etree
from openpyxl.utils import get_column_letter

from workbook.deflate_chunks import Chunk, ChunkError, offsets, splice_pieces, unpack, whole_crc
from workbook.xlsx_cells import CellDecoder
from workbook.xlsx_package import Unpatchable
from workbook.xlsx_sheet import NeedRows, SheetXml

PACK_FROM = 2_000_000  # a record sheet's XML this large is written in chunks
GROUP = 256_000  # about this much XML to a group of rows
INDEX_TYPE = "application/vnd.orderdesk.sheet-chunks+json"
_FORMAT = 1
_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?row(?=[\s/>])")
_ROW_NUMBER = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?row(?=[\s/>])[^>]*?\sr=\"(\d+)\"")


class Stale(Exception):
    """More chunks were read after an edit of the partial sheet began: begin it again."""


def index_name(member: str) -> str:
    """The package part that holds a worksheet part's index."""
    return "orderdesk/" + member.replace("/", "_") + ".json"


@dataclass
class SheetIndex:
    """The chunks of one worksheet part as stored, and what each group holds."""

    crc: int  # the part as stored: CRC-32, compressed and uncompressed size
    packed: int
    size: int
    chunks: list[Chunk]
    rows: list[tuple[int, int] | None]  # a group's first and last row; None: head and tail
    keys: list[str]  # a group's order-number texts, "\n"-joined ("" for head and tail)
    key_col: int  # the column those texts come from

    @classmethod
    def of(
        cls, chunks: list[Chunk], rows: list[tuple[int, int] | None], keys: list[str], key_col: int
    ) -> SheetIndex:
        """The index of a part made of ``chunks`` (its CRC and sizes derived from theirs)."""
        packed, size = sum(c.packed for c in chunks), sum(c.size for c in chunks)
        index = cls(whole_crc(chunks), packed, size, chunks, rows, keys, key_col)
        index.check()
        return index

    def to_bytes(self) -> bytes:
        doc = {
            "format": _FORMAT,
            "member": [self.crc, self.packed, self.size],
            "key_col": self.key_col,
            "chunks": [
                [c.size, c.packed, c.crc, int(c.final), list(r) if r else None, k]
                for c, r, k in zip(self.chunks, self.rows, self.keys, strict=True)
            ],
        }
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> SheetIndex:
        """Raises ValueError (or KeyError, TypeError) on anything not written by to_bytes."""
        doc = json.loads(data)
        if doc["format"] != _FORMAT:
            raise ValueError("another index format")
        crc, packed, size = (int(v) for v in doc["member"])
        chunks: list[Chunk] = []
        rows: list[tuple[int, int] | None] = []
        keys: list[str] = []
        for c_size, c_packed, c_crc, final, span, key in doc["chunks"]:
            chunks.append(Chunk(int(c_size), int(c_packed), int(c_crc), bool(final)))
            rows.append((int(span[0]), int(span[1])) if span is not None else None)
            keys.append(str(key))
        index = cls(crc, packed, size, chunks, rows, keys, int(doc["key_col"]))
        index.check()
        return index

    def check(self) -> None:
        """The shape every index has: head, groups in row order, tail."""
        if len(self.chunks) < 2 or self.rows[0] is not None or self.rows[-1] is not None:
            raise ValueError("an index without its head and tail")
        last = 0
        for span in self.rows[1:-1]:
            if span is None or not last < span[0] <= span[1]:
                raise ValueError("groups out of row order")
            last = span[1]
        if sum(c.size for c in self.chunks) != self.size:
            raise ValueError("chunks and part sizes differ")
        if sum(c.packed for c in self.chunks) != self.packed:
            raise ValueError("chunks and part compressed sizes differ")


def row_span(piece: bytes) -> tuple[int, int] | None:
    """The first and last row number in a run of rows (None when it holds none)."""
    numbers = _ROW_NUMBER.findall(piece)
    return (int(numbers[0]), int(numbers[-1])) if numbers else None


def groups_of(sheet: SheetXml, start: int, end: int) -> list[bytes]:
    """The rows of ``sheet.data[start:end]`` (which begins at a row) cut into groups at row
    starts, each about GROUP bytes."""
    cuts = [start]
    lo = bisect_left(sheet.starts, start)
    for at in sheet.starts[lo:]:
        if at >= end:
            break
        if at - cuts[-1] >= GROUP:
            cuts.append(at)
    cuts.append(end)
    return [sheet.data[a:b] for a, b in pairwise(cuts) if b > a]


def pieces(sheet: SheetXml) -> list[bytes] | None:
    """A whole sheet's chunks: head, groups, tail (None: a sheet not kept in chunks)."""
    if sheet.empty or sheet.stripped or not sheet.numbers:
        return None
    first = sheet.starts[0]
    if sheet.data[sheet.body_start : first].strip():
        return None
    head = sheet.data[:first]  # with any blanks between <sheetData> and the first row
    tail = sheet.data[sheet.body_end :]
    return [head, *groups_of(sheet, first, sheet.body_end), tail]


def packable(sheet: SheetXml) -> bool:
    """Kept in chunks: a large sheet of rows without formulas (a formula can reach rows of
    other groups: an array's range, a shared formula's dependents), every row and cell naming
    its number or reference first (groups and order numbers are found by them). Judged by a few counts of tag starts: a
    rich-text run's ``<family>`` or ``<color>`` counts against it too (then kept whole)."""
    if len(sheet.data) < PACK_FROM or sheet.empty or sheet.stripped:
        return False
    data, lo, hi, p = sheet.data, sheet.body_start, sheet.body_end, sheet.prefix
    if data.find(b"<" + p + b"f", lo, hi) >= 0:
        return False
    return all(
        data.count(b"<" + p + tag, lo, hi) == data.count(b"<" + p + tag + b' r="', lo, hi)
        for tag in (b"row", b"c")
    )


@dataclass
class Partial:
    """A packed worksheet part read chunk by chunk: the chunks loaded so far, as one sheet."""

    part: str
    index: SheetIndex
    raw: memoryview  # the part's compressed bytes
    texts: dict[int, bytes] = field(default_factory=dict)
    _sheet: SheetXml | None = None
    _cuts: list[int] = field(default_factory=list)  # where each loaded chunk but the first starts
    _loaded: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.version = 0  # one more each time chunks are read
        self._starts = offsets(self.index.chunks)
        self._lasts = [span[1] for span in self.index.rows[1:-1] if span is not None]
        self.load([0, len(self.index.chunks) - 1])

    @property
    def groups(self) -> range:
        return range(1, len(self.index.chunks) - 1)

    def covering(self, number: int) -> int:
        """The chunk a row number belongs to: the first group ending at or after it, else the
        tail (rows after the last group are added there)."""
        return 1 + bisect_left(self._lasts, number)

    def load(self, chunks: Iterable[int]) -> None:
        """Inflate more chunks (ChunkError: the part is not what the index says)."""
        new = [i for i in chunks if i not in self.texts]
        for i in new:
            chunk = self.index.chunks[i]
            self.texts[i] = unpack(
                self.raw[self._starts[i] : self._starts[i] + chunk.packed], chunk
            )
        if new:
            self._sheet = None
            self.version += 1

    @property
    def cuts(self) -> list[int]:
        """Where each loaded chunk but the first begins in :meth:`sheet`'s data."""
        self.sheet()
        return self._cuts

    @property
    def chunk_range(self) -> range:
        return range(len(self.index.chunks))

    def sheet(self) -> SheetXml:
        """The loaded chunks as one sheet; raises ValueError when they do not make the sheet
        the index says (then read the part whole)."""
        if self._sheet is None:
            order = sorted(self.texts)
            self._cuts, position = [], 0
            for i in order:
                if i:
                    self._cuts.append(position)
                position += len(self.texts[i])
            sheet = SheetXml(b"".join(self.texts[i] for i in order), self._require)
            if sheet.stripped or sheet.empty or sheet.body_start > len(self.texts[0]):
                raise ValueError("the head chunk does not end inside <sheetData>")
            if sheet.body_end != self._cuts[-1]:
                raise ValueError("the tail chunk does not begin at </sheetData>")
            bounds = [*self._cuts, len(sheet.data)]
            for n, i in enumerate(order[1:-1]):  # each group holds just the rows it says
                first = bisect_left(sheet.starts, bounds[n])
                end = bisect_left(sheet.starts, bounds[n + 1])
                held = sheet.numbers[first:end]
                if not held or (held[0], held[-1]) != self.index.rows[i]:
                    raise ValueError(f"group {i} does not hold rows {self.index.rows[i]}")
            self._loaded = order
            self._sheet = sheet
        return self._sheet

    def _require(self, number: int) -> None:
        if self.covering(number) not in self.texts:
            raise NeedRows(self.part, number)

    def groups_with(self, needle: str) -> list[int]:
        """The groups whose order-number column holds a text containing ``needle``."""
        return [i for i in self.groups if needle in self.index.keys[i]]

    def trailing(self, after: int, upto: int) -> list[int]:
        """Groups holding rows in (after, upto], last first."""
        out = []
        for i in reversed(self.groups):
            span = self.index.rows[i]
            assert span is not None
            if span[1] <= after:
                break
            if span[0] <= upto:
                out.append(i)
        return out

    def rows_of(self, group: int) -> tuple[int, int]:
        span = self.index.rows[group]
        assert span is not None
        return span

    def rewrite(
        self, rendered: bytes, landed: Sequence[int], decoder: CellDecoder
    ) -> tuple[list[bytes | memoryview], SheetIndex] | None:
        """The part's compressed bytes (in pieces) and index after an edit of the loaded chunks
        (``rendered`` is :meth:`SheetXml.render_cut` of :meth:`sheet` at its cuts, ``landed``
        where they went). None: nothing changed."""
        bounds = [0, *landed, len(rendered)]
        texts = {i: rendered[bounds[n] : bounds[n + 1]] for n, i in enumerate(self._loaded)}
        last = len(self.index.chunks) - 1
        end = texts[last].find(b"</" + self.sheet().prefix + b"sheetData")
        if end < 0:
            raise ValueError("the tail chunk lost </sheetData>")
        if end and last - 1 in texts and last - 1 > 0:
            # Rows added at the end join the last group (one row a day would else make a group
            # a day); it is cut again when it outgrows GROUP.
            texts[last - 1] += texts[last][:end]
            texts[last], end = texts[last][end:], 0
        new: dict[int, list[bytes]] = {}
        spans: dict[int, list[tuple[int, int] | None]] = {}
        for i, text in texts.items():
            if text == self.texts[i]:
                continue
            if i == 0:
                if row_span(text) is not None:
                    raise ValueError("rows written into the head chunk")
                new[i], spans[i] = [text], [None]
            elif i == last:  # rows added after the last group, then the tail
                rows = _split_rows(text[:end])
                new[i], spans[i] = [*rows, text[end:]], [*map(row_span, rows), None]
            else:
                rows = _split_rows(text)
                new[i], spans[i] = rows, [row_span(r) for r in rows]
        if not new:
            return None
        raw, chunks = splice_pieces(self.raw, self.index.chunks, new)
        rows: list[tuple[int, int] | None] = []
        keys: list[str] = []
        sheet = self.sheet()
        for i in range(len(self.index.chunks)):
            if i not in new:
                rows.append(self.index.rows[i])
                keys.append(self.index.keys[i])
                continue
            for span, piece in zip(spans[i], new[i], strict=True):
                rows.append(span)
                keys.append(
                    "" if span is None else group_keys(sheet, piece, self.index.key_col, decoder)
                )
        index = SheetIndex.of(chunks, rows, keys, self.index.key_col)
        return raw, index


def _split_rows(body: bytes) -> list[bytes]:
    """Rows (a run of whole ``<row>`` elements) cut into groups of about GROUP bytes."""
    if not body:
        return []
    starts = [m.start() for m in _ROW_START.finditer(body)]
    if not starts or starts[0] != 0:
        raise ValueError("a group that does not begin with a row")
    cuts = [0]
    for at in starts:
        if at - cuts[-1] >= GROUP:
            cuts.append(at)
    cuts.append(len(body))
    return [body[a:b] for a, b in pairwise(cuts) if b > a]


def open_partial(
    part: str, index_data: bytes, raw: memoryview, stored: tuple[int, int, int]
) -> Partial | None:
    """A partial reader of a packed part, or None when its index does not describe the part
    as stored (another program rewrote it) or cannot be read."""
    try:
        index = SheetIndex.from_bytes(index_data)
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    if (index.crc, index.packed, index.size) != stored or len(raw) != index.packed:
        return None
    if whole_crc(index.chunks) != index.crc:  # the chunks' own CRCs must make the part's
        return None
    try:
        partial = Partial(part, index, raw)
        partial.sheet()
    except (ChunkError, ValueError, Unpatchable):
        return None
    return partial


def group_keys(sheet: SheetXml, group: bytes, col: int, decoder: CellDecoder) -> str:
    """The "\n"-joined texts of a group's cells in column ``col`` (blank ones left out), each
    read as :meth:`SheetXml.row_values` reads it; only those cells are parsed."""
    p = re.escape(sheet.prefix)
    letters = get_column_letter(col).encode()
    # Cells name their reference first (see packable): the pattern starts with a literal.
    pattern = re.compile(
        rb"<" + p + rb'c r="' + letters + rb'\d+"[^>]*?(?:/>|>.*?</' + p + rb"c\s*>)", re.S
    )
    cells = b"".join(pattern.findall(group))
    if not cells:
        return ""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(b"<wrap" + sheet.nsdecls + b">" + cells + b"</wrap>", parser)
    values = (decoder.value(cell, cell.get("r"), {}) for cell in root)
    return "\n".join(sorted({str(v) for v in values if v is not None and v != ""}))


def pack_index(
    chunks: list[Chunk], texts: Sequence[bytes], keys: Sequence[str], key_col: int
) -> SheetIndex:
    """The index of a part just packed from ``texts`` (head, groups, tail)."""
    rows = [None, *(row_span(t) for t in texts[1:-1]), None]
    return SheetIndex.of(chunks, rows, ["", *keys, ""], key_col)
