"""Whole rows deleted from a worksheet part, the rows below moved up as Excel moves them.

Used by :class:`workbook.patch_store.PatchFileStore` for ``ChangeSet.deletes``. The rows left
are renumbered (each row's and each cell's reference), and so are what points at rows: the
sheet's dimension, the ranges of conditional formats, data validations and ignored errors, and
its table's range, its notes (comments and their VML shapes). Anything whose meaning would change and that this module does not rewrite
(formulas, merged cells, hyperlinks, drawings, page breaks, further tables on the sheet, ...) is refused (see :func:`refusal`; :class:`Unpatchable` for a range
it cannot renumber) before anything is written.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from openpyxl.utils import get_column_letter, range_boundaries

from workbook.xlsx_notes import _NOTE as _VML_NOTE
from workbook.xlsx_notes import _ROW as _VML_ROW
from workbook.xlsx_notes import _SHAPE as _VML_SHAPE
from workbook.xlsx_package import Unpatchable
from workbook.xlsx_sheet import SheetXml

_ROW_R = re.compile(rb"(<(?:[A-Za-z_][\w.\-]*:)?row(?=[\s/>])[^>]*?\sr\s*=\s*[\"'])(\d+)([\"'])")
_CELL_R = re.compile(
    rb"(<(?:[A-Za-z_][\w.\-]*:)?c(?=[\s/>])[^>]*?\sr\s*=\s*[\"'])([A-Z]{1,3})(\d+)([\"'])"
)
_NOTE_REF = re.compile(rb"\sref\s*=\s*[\"']\$?[A-Z]{1,3}\$?(\d+)[\"']")
_SQREF = re.compile(rb"(\s(?:sqref|ref)\s*=\s*)([\"'])([^\"']*)\2")
_RANGED = re.compile(
    rb"<(?:[A-Za-z_][\w.\-]*:)?(conditionalFormatting|dataValidation|ignoredError|dimension)"
    rb"(?=[\s/>])([^>]*)>"
)
# Worksheet content whose row references this module does not rewrite: a delete is refused.
# (The reason is a catalogue key's last part: store.delete_why.<reason>.)
_REFUSED = {
    b"<{p}f>": "formulas",
    b"<{p}f ": "formulas",
    b"mergeCell": "merged",
    b"hyperlink": "hyperlinks",
    b"<{p}drawing": "drawings",
    b"rowBreaks": "breaks",
    b"protectedRange": "other",
    b"sortState": "other",
    b"<{p}scenarios": "other",  # the element: sheetProtection has a scenarios attribute
    b"dataConsolidate": "other",
    b"sqref>": "other",
}


def shift(number: int, deleted: Sequence[int]) -> int | None:
    """Where row ``number`` lands once the sorted rows ``deleted`` are gone (None: deleted)."""
    at = bisect_left(deleted, number)
    if at < len(deleted) and deleted[at] == number:
        return None
    return number - at


def shift_span(first: int, last: int, deleted: Sequence[int]) -> tuple[int, int] | None:
    """A row span after the deletion, as Excel shrinks it (None: every row of it deleted)."""
    gone_before = bisect_left(deleted, first)
    gone_through = bisect_right(deleted, last)
    new_first = first - gone_before
    new_last = last - gone_through
    return None if new_last < new_first else (new_first, new_last)


def shift_ref(ref: str, deleted: Sequence[int]) -> str | None:
    """One A1 range (or cell) after the deletion; whole-column ranges stay as they are."""
    if re.fullmatch(r"\$?[A-Z]{1,3}:\$?[A-Z]{1,3}", ref):
        return ref
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    if min_row is None or max_row is None or min_col is None or max_col is None:
        raise Unpatchable(f"a range {ref!r} this delete cannot renumber")
    span = shift_span(min_row, max_row, deleted)
    if span is None:
        return None
    top = f"{get_column_letter(min_col)}{span[0]}"
    bottom = f"{get_column_letter(max_col)}{span[1]}"
    return top if ":" not in ref and top == bottom else f"{top}:{bottom}"


def shift_sqref(sqref: str, deleted: Sequence[int]) -> str | None:
    """A space-separated list of ranges after the deletion (None when nothing is left)."""
    parts = [shift_ref(part, deleted) for part in sqref.split()]
    kept = [part for part in parts if part is not None]
    return " ".join(kept) if kept else None


def refusal(sheet: SheetXml, tables: int) -> str | None:
    """Why rows of this worksheet cannot be deleted faithfully here, if they cannot."""
    if tables != 1:
        return "tables"
    for token, what in _REFUSED.items():
        if token.replace(b"{p}", sheet.prefix) in sheet.data:
            return what
    return None


def note_rows(comments: bytes) -> list[int]:
    """The rows of a sheet's notes (from its comments part)."""
    return [int(m.group(1)) for m in _NOTE_REF.finditer(comments)]


def delete_rows(sheet: SheetXml, deleted: Sequence[int]) -> bytes:
    """The worksheet's bytes without the rows ``deleted`` (sorted), the rows below moved up."""
    data = sheet.data
    pieces = [data[: sheet.body_start]]
    for index, number in enumerate(sheet.numbers):
        start = sheet.starts[index]
        end = sheet.starts[index + 1] if index + 1 < len(sheet.numbers) else sheet.body_end
        new = shift(number, deleted)
        if new is None:
            continue
        piece = data[start:end]
        if new != number:
            text = str(new).encode()
            # Functions, not templates: a template per row number would be parsed every time.
            piece = _ROW_R.sub(lambda m, t=text: m[1] + t + m[3], piece, count=1)
            piece = _CELL_R.sub(lambda m, t=text: m[1] + m[2] + t + m[4], piece)
        pieces.append(piece)
    if sheet.numbers and sheet.starts[0] > sheet.body_start:
        pieces.insert(1, data[sheet.body_start : sheet.starts[0]])
    tail = data[sheet.body_end :]
    pieces.append(_shift_ranges(tail, deleted))
    head = _shift_ranges(pieces[0], deleted)
    return head + b"".join(pieces[1:])


_P = rb"((?:[A-Za-z_][\w.\-]*:)?)"
_WHOLE = re.compile(
    rb"<" + _P + rb"(conditionalFormatting|dataValidation)(?=[\s/>])([^>]*?)"
    rb"(?:/>|>.*?</\1\2\s*>)",
    re.S,
)
_VALIDATIONS = re.compile(
    rb"<" + _P + rb"dataValidations(?=[\s/>])([^>]*?)(?:/>|>(.*?)</\1dataValidations\s*>)", re.S
)
_COUNT = re.compile(rb"(\scount\s*=\s*[\"'])\d+([\"'])")


def _drop_emptied(data: bytes, deleted: Sequence[int]) -> bytes:
    """Without the formats and validations all of whose cells are deleted (as Excel drops
    them); the validations' count kept right."""

    def one(match: re.Match[bytes]) -> bytes:
        found = _SQREF.search(match.group(3))
        if found is None or shift_sqref(found.group(3).decode("ascii"), deleted) is not None:
            return match.group(0)
        return b""

    data = _WHOLE.sub(one, data)

    def recount(match: re.Match[bytes]) -> bytes:
        body = match.group(3) or b""
        count = len(
            re.findall(rb"<" + re.escape(match.group(1)) + rb"dataValidation(?=[\s/>])", body)
        )
        if count == 0:
            return b""
        return _COUNT.sub(rb"\g<1>" + str(count).encode() + rb"\g<2>", match.group(0), count=1)

    return _VALIDATIONS.sub(recount, data)


def _shift_ranges(data: bytes, deleted: Sequence[int]) -> bytes:
    data = _drop_emptied(data, deleted)

    def one_tag(tag: re.Match[bytes]) -> bytes:
        def one_attr(attr: re.Match[bytes]) -> bytes:
            moved = shift_sqref(attr.group(3).decode("ascii"), deleted)
            if moved is None:
                if tag.group(1) == b"dimension":
                    moved = "A1"
                else:  # formats and validations were dropped above: an ignored error's
                    raise Unpatchable("a range covering only deleted rows")
            return attr.group(1) + attr.group(2) + moved.encode("ascii") + attr.group(2)

        return _SQREF.sub(one_attr, tag.group(0))

    return _RANGED.sub(one_tag, data)


_COMMENT = re.compile(
    rb"<((?:[A-Za-z_][\w.\-]*:)?)comment(?=[\s>])([^>]*?\sref\s*=\s*[\"'])([A-Z]{1,3})(\d+)"
    rb"([\"'][^>]*)>.*?</\1comment\s*>",
    re.S,
)
_ANCHOR = re.compile(
    rb"(<(?:[A-Za-z_][\w.\-]*:)?Anchor\s*>)([\d,\s]+)(</(?:[A-Za-z_][\w.\-]*:)?Anchor\s*>)"
)


def delete_comments(data: bytes, deleted: Sequence[int]) -> bytes:
    """A comments part without the notes of deleted rows, the others' cells renumbered."""

    def one(match: re.Match[bytes]) -> bytes:
        moved = shift(int(match.group(4)), deleted)
        if moved is None:
            return b""
        start = match.start(4) - match.start(0)
        end = match.end(4) - match.start(0)
        whole = match.group(0)
        return whole[:start] + str(moved).encode() + whole[end:]

    return _COMMENT.sub(one, data)


def delete_vml_notes(data: bytes, deleted: Sequence[int]) -> bytes:
    """A VML drawing without the note shapes of deleted rows, the others moved up (their row
    and their anchor's rows, 0-based there)."""

    def one(match: re.Match[bytes]) -> bytes:
        body = match.group(3) or b""
        row = _VML_ROW.search(body)
        if not _VML_NOTE.search(body) or row is None:
            return match.group(0)
        moved = shift(int(row.group(1)) + 1, deleted)
        if moved is None:
            return b""
        whole = match.group(0)
        offset = match.start(3) - match.start(0)
        at, end = offset + row.start(1), offset + row.end(1)
        whole = whole[:at] + str(moved - 1).encode() + whole[end:]

        def anchor(found: re.Match[bytes]) -> bytes:
            numbers = [int(n) for n in found.group(2).replace(b" ", b"").split(b",")]
            if len(numbers) != 8:
                raise Unpatchable("a note anchor this delete cannot move")
            for i in (2, 6):  # top and bottom rows, 0-based: up by the rows deleted above
                numbers[i] -= bisect_left(deleted, numbers[i] + 1)
            text = ", ".join(str(n) for n in numbers).encode()
            return found.group(1) + text + found.group(3)

        return _ANCHOR.sub(anchor, whole)

    return _VML_SHAPE.sub(one, data)
