"""One worksheet part edited in place: rows located by a scan of the raw XML, only the touched
rows re-serialised, every other byte kept as it was.

The scan relies on what a worksheet can hold: no ``<`` inside text or attribute values, so a
``<row`` or ``<c`` tag found in the bytes is a real one. XML comments are dropped (Excel drops
them too); a part with CDATA sections, processing instructions or a DTD is refused
(:class:`Unpatchable`), and so are rows without numbers, rows out of order, and formulas that
other cells depend on.
"""

from __future__ import annotations

import bisect
import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from openpyxl.utils.cell import range_boundaries

from workbook.xlsx_cells import CELL, CellDecoder, coordinate, split_coordinate
from workbook.xlsx_package import Unpatchable

_NAME = rb"[A-Za-z_][\w.\-]*"
_ROOT = re.compile(rb"<(?:(" + _NAME + rb"):)?worksheet(?=[\s/>])([^>]*)>")
_NSDECL = re.compile(rb"\sxmlns(?::(" + _NAME + rb"))?\s*=\s*(\"[^\"]*\"|'[^']*')")
_ATTR = re.compile(rb"([\w:.\-]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_R_ATTR = re.compile(rb"(?:^|\s)r\s*=\s*[\"']([^\"']*)[\"']")
# A start, end or empty tag; attribute values quoted (they may hold '>').
_TAG = re.compile(
    rb"<(/?)("
    + _NAME
    + rb"(?::"
    + _NAME
    + rb")?)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>"
)
# Worksheet children that come after <legacyDrawing> (schema order); AlternateContent wraps
# controls and OLE objects there.
_AFTER_LEGACY = {
    b"legacyDrawingHF",
    b"drawingHF",
    b"picture",
    b"oleObjects",
    b"controls",
    b"webPublishItems",
    b"tableParts",
    b"extLst",
    b"AlternateContent",
}
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_UNSAFE = re.compile(rb"<[!?]")  # comments, CDATA, DTD, processing instructions
# An XML comment; only looked for when no CDATA could hold "<!--" as text.
_COMMENT = re.compile(rb"<!--.*?-->", re.S)


def _local(name: bytes) -> bytes:
    return name.rsplit(b":", 1)[-1]


def escape_attr(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").encode("utf-8")


def _unquote(raw: bytes) -> str:
    text = raw[1:-1].decode("utf-8")
    if "&" in text:
        text = (
            text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", '"')
            .replace("&apos;", "'")
            .replace("&amp;", "&")
        )
    return text


@dataclass
class CellModel:
    """One ``<c>``: its attributes as written and its content; rewritten only when dirty."""

    col: int
    attrs: list[tuple[bytes, bytes]]
    inner: bytes | None  # None: an empty element
    raw: bytes | None  # the original bytes while unchanged
    dirty: bool = False

    def attr(self, name: bytes) -> str | None:
        for key, value in self.attrs:
            if key == name:
                return _unquote(value)
        return None

    def set_attr(self, name: bytes, value: str | None) -> None:
        encoded = None if value is None else b'"' + escape_attr(value) + b'"'
        for index, (key, _) in enumerate(self.attrs):
            if key == name:
                if encoded is None:
                    del self.attrs[index]
                else:
                    self.attrs[index] = (name, encoded)
                break
        else:
            if encoded is not None:
                if name == b"r":
                    self.attrs.insert(0, (name, encoded))
                else:
                    self.attrs.append((name, encoded))
        self.dirty = True

    @property
    def style(self) -> int:
        text = self.attr(b"s")
        try:
            return int(text) if text else 0
        except ValueError:
            return 0

    def formula_tag(self) -> bytes | None:
        if self.inner is None or b"f" not in self.inner:
            return None
        for match in _TAG.finditer(self.inner):
            if not match.group(1) and _local(match.group(2)) == b"f":
                return match.group(0)
        return None

    def to_bytes(self, prefix: bytes) -> bytes:
        if not self.dirty and self.raw is not None:
            return self.raw
        attrs = b"".join(b" " + k + b"=" + v for k, v in self.attrs)
        if self.inner:
            return b"<" + prefix + b"c" + attrs + b">" + self.inner + b"</" + prefix + b"c>"
        return b"<" + prefix + b"c" + attrs + b"/>"


@dataclass
class RowModel:
    number: int
    attrs: list[tuple[bytes, bytes]]
    cells: dict[int, CellModel] = field(default_factory=dict)
    tail: bytes = b""  # an <extLst> after the cells, kept as it is
    span: tuple[int, int] | None = None  # where the original row lies in the part
    dirty: bool = False

    def to_bytes(self, prefix: bytes) -> bytes:
        attrs = b"".join(b" " + k + b"=" + v for k, v in self.attrs if k != b"spans")
        cells = b"".join(self.cells[c].to_bytes(prefix) for c in sorted(self.cells))
        if not cells and not self.tail:
            return b"<" + prefix + b"row" + attrs + b"/>"
        return b"<" + prefix + b"row" + attrs + b">" + cells + self.tail + b"</" + prefix + b"row>"

    @property
    def style(self) -> int | None:
        """The row's own style when it applies to empty cells (``customFormat``)."""
        values = {k: _unquote(v) for k, v in self.attrs}
        if values.get(b"customFormat") in ("1", "true") and values.get(b"s"):
            try:
                return int(values[b"s"])
            except ValueError:
                return None
        return None


class NeedRows(Exception):
    """A row was asked for outside the row groups a partial sheet holds: load its group."""

    def __init__(self, part: str, number: int) -> None:
        super().__init__(part, number)
        self.part, self.number = part, number


class SheetXml:
    """A worksheet part's bytes with its rows indexed; edits collect in row models.

    ``require`` (a partial sheet, see :mod:`workbook.sheet_chunks`) checks that a row number
    lies in the row groups this data holds (it raises :class:`NeedRows` for any other row), so
    that no row is read as absent, or created twice, for want of its group."""

    def __init__(self, data: bytes, require: Callable[[int], None] | None = None) -> None:
        self.data = data
        self.require = require
        self.stripped = False  # XML comments were dropped: offsets differ from the part's
        first = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        if data.startswith(b"<?xml", first):
            first = data.find(b"?>", first) + 2
        if _UNSAFE.search(data, first):
            # XML comments mean nothing to Excel (it drops them itself): they go, so that the
            # part can be patched. CDATA, a DTD or processing instructions are refused.
            data = data[:first] + _COMMENT.sub(b"", data[first:])
            if _UNSAFE.search(data, first):
                raise Unpatchable("worksheet with CDATA, a DTD or processing instructions")
            self.data = data
            self.stripped = True
        root = _ROOT.search(data)
        if root is None:
            raise Unpatchable("no worksheet element")
        self.prefix = (root.group(1) + b":") if root.group(1) else b""
        self.nsdecls = b"".join(m.group(0) for m in _NSDECL.finditer(root.group(2)))
        p = re.escape(self.prefix)
        start = re.search(rb"<" + p + rb"sheetData(?=[\s/>])[^>]*?(/?)>", data)
        if start is None:
            raise Unpatchable("no sheetData")
        self.data_start = start.start()
        if start.group(1):  # <sheetData/>
            self.body_start = self.body_end = start.end()
            self.data_end = start.end()
            self.empty = True
        else:
            self.body_start = start.end()
            close = data.rfind(b"</" + self.prefix + b"sheetData>")
            if close < self.body_start:
                raise Unpatchable("sheetData not closed")
            self.body_end = close
            self.data_end = close + len(b"</" + self.prefix + b"sheetData>")
            self.empty = False
        self._cell_re = re.compile(
            rb"<" + p + rb"c(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + p + rb"c\s*>)", re.S
        )
        self._row_end = re.compile(rb"</" + p + rb"row\s*>")
        self.numbers, self.starts = self._index()
        self.rows: dict[int, RowModel] = {}
        self.replace_body: bool = False  # the dashboard: every row rewritten
        self.head_edits: list[tuple[int, int, bytes]] = []
        self.tail_inserts: list[tuple[int, bytes]] = []
        self.tail_removals: list[tuple[int, int]] = []
        self._cols: list[tuple[int, int, int]] | None = None
        self._arrays: list[tuple[int, int, int, int]] | None = None

    def clone(self) -> SheetXml:
        """The same part and index with no edits (one per commit attempt)."""
        fresh = copy.copy(self)
        fresh.rows = {}
        fresh.replace_body = False
        fresh.head_edits, fresh.tail_inserts, fresh.tail_removals = [], [], []
        return fresh

    def array_ranges(self) -> list[tuple[int, int, int, int]]:
        """(min_col, min_row, max_col, max_row) of every array formula: cells no one may
        overwrite alone."""
        if self._arrays is None:
            found: list[tuple[int, int, int, int]] = []
            if b"array" in self.data:
                pattern = re.compile(rb"<" + re.escape(self.prefix) + rb"f(?=[\s/>])([^>]*)>")
                for match in pattern.finditer(self.data, self.body_start, self.body_end):
                    values = {k: _unquote(v) for k, v in _ATTR.findall(match.group(1))}
                    if values.get(b"t") == "array" and values.get(b"ref"):
                        try:
                            found.append(range_boundaries(values[b"ref"]))  # type: ignore[arg-type]
                        except (ValueError, TypeError):
                            raise Unpatchable("unreadable array formula range") from None
            self._arrays = found
        return self._arrays

    # -- the index -----------------------------------------------------------------------
    def _index(self) -> tuple[list[int], list[int]]:
        numbers: list[int] = []
        starts: list[int] = []
        # The row number is nearly always the first attribute: read it in the same match.
        pattern = re.compile(
            rb"<" + re.escape(self.prefix) + rb"row(?=[\s/>])(?:\s+r=\"(\d+)\")?([^>]*)>"
        )
        last = 0
        for match in pattern.finditer(self.data, self.body_start, self.body_end):
            text = match.group(1)
            if text is None:
                found = _R_ATTR.search(match.group(2))
                if found is None:
                    raise Unpatchable("a row without its number")
                text = found.group(1)
            try:
                number = int(text)
            except ValueError:
                raise Unpatchable("a row number that is not a whole number") from None
            if number <= last:
                raise Unpatchable("rows out of order")
            numbers.append(number)
            starts.append(match.start())
            last = number
        return numbers, starts

    @property
    def max_row(self) -> int:
        return self.numbers[-1] if self.numbers else 0

    def has_row(self, number: int) -> bool:
        if self.require is not None:
            self.require(number)
        index = bisect.bisect_left(self.numbers, number)
        return index < len(self.numbers) and self.numbers[index] == number

    def _span(self, index: int) -> tuple[int, int, re.Match[bytes]]:
        start = self.starts[index]
        tag = _TAG.match(self.data, start)
        if tag is None:
            raise Unpatchable("unreadable row tag")
        if tag.group(4):
            return start, tag.end(), tag
        close = self._row_end.search(self.data, tag.end(), self.body_end)
        if close is None:
            raise Unpatchable("row not closed")
        return start, close.end(), tag

    def _parse_row(self, number: int) -> RowModel:
        index = bisect.bisect_left(self.numbers, number)
        start, end, tag = self._span(index)
        attrs = _ATTR.findall(tag.group(3))
        row = RowModel(number, attrs, span=(start, end))
        if tag.group(4):
            return row
        content = self.data[tag.end() : end]
        close = self._row_end.search(content)
        assert close is not None
        content = content[: close.start()]
        position = 0
        col_counter = 0
        missing_refs = False
        for match in self._cell_re.finditer(content):
            gap = content[position : match.start()]
            if gap.strip():
                raise Unpatchable(f"unexpected content in row {number}")
            position = match.end()
            cell_attrs = _ATTR.findall(match.group(1))
            model = CellModel(0, cell_attrs, match.group(2), match.group(0))
            ref = model.attr(b"r")
            if ref:
                try:
                    cell_row, col = split_coordinate(ref)
                except (ValueError, KeyError):
                    raise Unpatchable(f"bad cell reference {ref!r}") from None
                if cell_row != number:
                    raise Unpatchable(f"cell {ref} inside row {number}")
            else:
                col, missing_refs = col_counter + 1, True
            if col <= col_counter:
                raise Unpatchable(f"cells out of order in row {number}")
            col_counter = col
            model.col = col
            row.cells[col] = model
        rest = content[position:]
        if rest.strip():
            ext = _TAG.match(rest.lstrip())
            if ext is None or _local(ext.group(2)) != b"extLst":
                raise Unpatchable(f"unexpected content in row {number}")
            row.tail = rest.strip()
        if missing_refs:  # positions would shift if a cell were inserted: name every cell
            for model in row.cells.values():
                if model.attr(b"r") is None:
                    model.set_attr(b"r", coordinate(number, model.col))
            row.dirty = True
        return row

    def row(self, number: int, create: bool = True) -> RowModel | None:
        """The model of a row, parsed on first use; a new one if the part has none."""
        model = self.rows.get(number)
        if model is None:
            if self.has_row(number):
                model = self._parse_row(number)
            elif create:
                model = RowModel(number, [(b"r", f'"{number}"'.encode())], dirty=True)
            else:
                return None
            self.rows[number] = model
        return model

    def row_values(self, number: int, decoder: CellDecoder) -> dict[int, Any]:
        """A row's values as openpyxl reads them ({column: value}); {} when the row is absent."""
        if not self.has_row(number):
            return {}
        index = bisect.bisect_left(self.numbers, number)
        start, end, _ = self._span(index)
        wrapped = b"<wrap" + self.nsdecls + b">" + self.data[start:end] + b"</wrap>"
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        root = etree.fromstring(wrapped, parser)
        values: dict[int, Any] = {}
        col_counter = 0
        for element in root:
            for cell in element:
                if cell.tag != CELL:
                    continue
                ref = cell.get("r")
                if ref:
                    _, col = split_coordinate(ref)
                else:
                    col = col_counter + 1
                col_counter = col
                values[col] = decoder.value(cell, ref, {})
        return values

    # -- styles of cells that do not exist yet -------------------------------------------
    def column_styles(self) -> list[tuple[int, int, int]]:
        if self._cols is None:
            cols: list[tuple[int, int, int]] = []
            head = self.data[: self.data_start]
            for match in _TAG.finditer(head):
                if match.group(1) or _local(match.group(2)) != b"col":
                    continue
                values = {k: _unquote(v) for k, v in _ATTR.findall(match.group(3))}
                try:
                    lo, hi = int(values.get(b"min", "0")), int(values.get(b"max", "0"))
                    style = int(values.get(b"style", "0") or 0)
                except ValueError:
                    continue
                cols.append((lo, hi, style))
            self._cols = cols
        return self._cols

    def column_style(self, col: int) -> int:
        for lo, hi, style in self.column_styles():
            if lo <= col <= hi:
                return style
        return 0

    def empty_cell_style(self, row: RowModel, col: int) -> int:
        """The style Excel shows for a cell that has no element: the row's, else the column's."""
        style = row.style
        return style if style is not None else self.column_style(col)

    # -- the head and the tail -----------------------------------------------------------
    def dimension(self) -> tuple[int, int, str] | None:
        """(start, end, ref) of the ``<dimension>`` element's ref value."""
        head = self.data[: self.data_start]
        for match in _TAG.finditer(head):
            if not match.group(1) and _local(match.group(2)) == b"dimension":
                attr = re.search(rb"(?:^|\s)ref\s*=\s*([\"'])([^\"']*)\1", match.group(3))
                if attr is None:
                    return None
                offset = match.start(3)
                return offset + attr.start(2), offset + attr.end(2), attr.group(2).decode()
        return None

    def extend_dimension(self, cells: list[tuple[int, int]]) -> None:
        found = self.dimension()
        if found is None or not cells:
            return
        start, end, ref = found
        try:
            lo_col, lo_row, hi_col, hi_row = range_boundaries(ref)
        except (ValueError, TypeError):
            return
        if lo_col is None or lo_row is None:
            return
        hi_col = hi_col or lo_col
        hi_row = hi_row or lo_row
        rows = [r for r, _ in cells] + [lo_row, hi_row]
        cols = [c for _, c in cells] + [lo_col, hi_col]
        first, last = coordinate(min(rows), min(cols)), coordinate(max(rows), max(cols))
        new = first if first == last else f"{first}:{last}"
        if new != ref:
            self.head_edits.append((start, end, new.encode()))

    def set_column_widths(self, widths: dict[int, float]) -> None:
        """Give columns a custom width (``<cols>``), splitting ranges that cover others."""
        if not widths:
            return
        head = self.data[: self.data_start]
        entries: list[list[Any]] = []  # [min, max, attrs]
        span: tuple[int, int] | None = None
        start_tag = b""
        for match in _TAG.finditer(head):
            closing, name, attrs, empty = match.groups()
            local = _local(name)
            if local == b"cols":
                if closing:
                    assert span is not None
                    span = (span[0], match.end())
                else:
                    span = (match.start(), match.end())
                    start_tag = match.group(0)[:-2] + b">" if empty else match.group(0)
            elif local == b"col" and not closing:
                pairs = _ATTR.findall(attrs)
                values = {k: _unquote(v) for k, v in pairs}
                try:
                    entries.append([int(values[b"min"]), int(values[b"max"]), pairs])
                except (KeyError, ValueError):
                    raise Unpatchable("a column definition without its range") from None
        for col, width in sorted(widths.items()):
            pairs = [(b"width", f'"{width:.16g}"'.encode()), (b"customWidth", b'"1"')]
            for entry in list(entries):
                lo, hi, attrs = entry
                if not lo <= col <= hi:
                    continue
                entries.remove(entry)
                if lo < col:
                    entries.append([lo, col - 1, attrs])
                if col < hi:
                    entries.append([col + 1, hi, attrs])
                kept = [
                    (k, v) for k, v in attrs if k not in (b"min", b"max", b"width", b"customWidth")
                ]
                entries.append([col, col, kept + pairs])
                break
            else:
                entries.append([col, col, pairs])
        p = self.prefix
        body = b"".join(
            b"<" + p + b'col min="' + str(lo).encode() + b'" max="' + str(hi).encode() + b'"'
            + b"".join(b" " + k + b"=" + v for k, v in attrs if k not in (b"min", b"max"))
            + b"/>"
            for lo, hi, attrs in sorted(entries, key=lambda e: e[0])
        )  # fmt: skip
        if span is None:
            self.head_edits.append(
                (
                    self.data_start,
                    self.data_start,
                    b"<" + p + b"cols>" + body + b"</" + p + b"cols>",
                )
            )
        else:
            self.head_edits.append((span[0], span[1], start_tag + body + b"</" + p + b"cols>"))
        self._cols = None

    def _top_level_tail(self) -> list[tuple[bytes, int, int]]:
        """(local name, start, end) of the worksheet's children after sheetData."""
        found: list[tuple[bytes, int, int]] = []
        depth = 0
        start = 0
        for match in _TAG.finditer(self.data, self.data_end):
            closing, name, _, empty = match.groups()
            if closing:
                if depth == 0:
                    break  # </worksheet>
                depth -= 1
                if depth == 0:
                    found.append((_local(name), start, match.end()))
            elif empty:
                if depth == 0:
                    found.append((_local(name), match.start(), match.end()))
            else:
                if depth == 0:
                    start = match.start()
                depth += 1
        return found

    def legacy_drawing_id(self) -> str | None:
        for name, start, _ in self._top_level_tail():
            if name == b"legacyDrawing":
                tag = _TAG.match(self.data, start)
                assert tag is not None
                for key, value in _ATTR.findall(tag.group(3)):
                    if _local(key) == b"id":
                        return _unquote(value)
        return None

    def add_legacy_drawing(self, rel_id: str) -> None:
        children = self._top_level_tail()
        position = None
        for name, start, _ in children:
            if name in _AFTER_LEGACY:
                position = start
                break
        if position is None:
            close = self.data.rfind(b"</" + self.prefix + b"worksheet")
            if close < self.data_end:
                raise Unpatchable("worksheet not closed")
            position = close
        element = (
            b"<" + self.prefix + b'legacyDrawing xmlns:r="' + REL_NS.encode() + b'" r:id="'
            + rel_id.encode()
            + b'"/>'
        )  # fmt: skip
        self.tail_inserts.append((position, element))

    def remove_legacy_drawing(self) -> None:
        for name, start, end in self._top_level_tail():
            if name == b"legacyDrawing":
                self.tail_removals.append((start, end))

    # -- output --------------------------------------------------------------------------
    @property
    def changed(self) -> bool:
        return (
            self.replace_body
            or any(r.dirty or any(c.dirty for c in r.cells.values()) for r in self.rows.values())
            or bool(self.head_edits or self.tail_inserts or self.tail_removals)
        )

    def render(self) -> tuple[bytes, bytes]:
        """(the new part, its skeleton): the skeleton is the same part without the rows copied
        unchanged, so checking that it is well-formed checks every byte this edit wrote at a
        cost that grows with the edit, not with the sheet."""
        full, skeleton, _ = self.render_cut([])
        return full, skeleton

    def render_cut(self, cuts: list[int]) -> tuple[bytes, bytes, list[int]]:
        """:meth:`render`, and where each of ``cuts`` (offsets of the data, ascending) lands in
        the new part. Text inserted at a cut lands after it: a chunk of a partial sheet ends
        where the next begins, and rows added there belong to the next."""
        data = self.data
        full: list[bytes] = []
        skeleton: list[bytes] = []
        landed: list[int] = []
        written = 0

        def put(piece: bytes) -> None:
            nonlocal written
            full.append(piece)
            skeleton.append(piece)
            written += len(piece)

        def copy(start: int, end: int, copied_rows: bool = False) -> None:
            nonlocal written
            while len(landed) < len(cuts) and cuts[len(landed)] <= end:
                landed.append(written + max(0, cuts[len(landed)] - start))
            piece = data[start:end]
            full.append(piece)
            if not copied_rows:
                skeleton.append(piece)
            written += len(piece)

        position = 0
        for start, end, text in sorted(self.head_edits):
            copy(position, start)
            put(text)
            position = end
        p = self.prefix
        if self.empty and (self.rows or self.replace_body):
            copy(position, self.data_start)
            put(b"<" + p + b"sheetData>")
            for number in sorted(self.rows):
                put(self.rows[number].to_bytes(p))
            put(b"</" + p + b"sheetData>")
            position = self.data_end
        elif self.replace_body:
            copy(position, self.body_start)
            for number in sorted(self.rows):
                put(self.rows[number].to_bytes(p))
            position = self.body_end
        else:
            # unchanged stretches of rows copied, touched rows re-serialised, new rows placed
            copy(position, self.body_start)
            position = self.body_start
            for number in sorted(self.rows):
                model = self.rows[number]
                if model.span is not None:
                    if not (model.dirty or any(c.dirty for c in model.cells.values())):
                        continue
                    start, end = model.span
                    copy(position, start, copied_rows=True)
                    put(model.to_bytes(p))
                    position = end
                else:
                    index = bisect.bisect_left(self.numbers, number)
                    at = self.starts[index] if index < len(self.starts) else self.body_end
                    copy(position, at, copied_rows=True)
                    put(model.to_bytes(p))
                    position = at
            copy(position, self.body_end, copied_rows=True)
            position = self.body_end
        edits = [(s, s, text) for s, text in self.tail_inserts]
        edits += [(s, e, b"") for s, e in self.tail_removals]
        for start, end, text in sorted(edits, key=lambda e: (e[0], e[1])):
            copy(position, start)
            put(text)
            position = end
        copy(position, len(data))
        return b"".join(full), b"".join(skeleton), landed
