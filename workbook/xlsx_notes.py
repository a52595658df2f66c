"""Cell notes of one worksheet: the comments part and the legacy VML drawing that shows them.

The comments part is XML and is edited as a tree. The VML drawing is edited as text, shape by
shape (Excel's VML is not always well-formed XML): a note's shape is found by its
``<x:Row>``/``<x:Column>`` and removed or added whole; every other shape (buttons, form
controls, other people's notes) is kept byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from workbook.xlsx_cells import split_coordinate
from workbook.xlsx_package import Unpatchable, parse_xml, xml_bytes
from workbook.xlsx_styles import MAIN_NS
from workbook.xstring import escape, unescape

_M = f"{{{MAIN_NS}}}"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_VML_NS = (
    b'xmlns:v="urn:schemas-microsoft-com:vml" '
    b'xmlns:o="urn:schemas-microsoft-com:office:office" '
    b'xmlns:x="urn:schemas-microsoft-com:office:excel"'
)
_NAME = rb"[A-Za-z_][\w.\-]*"
_ATTRS = rb"((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*"
_SHAPE = re.compile(
    rb"<(" + _NAME + rb"):shape(?=[\s/>])" + _ATTRS + rb"(?:/>|>(.*?)</\1:shape\s*>)", re.S
)
_NOTE = re.compile(rb"ObjectType\s*=\s*[\"']Note[\"']")
_ROW = re.compile(rb"<(?:" + _NAME + rb":)?Row\s*>\s*(\d+)\s*</(?:" + _NAME + rb":)?Row\s*>")
_COL = re.compile(rb"<(?:" + _NAME + rb":)?Column\s*>\s*(\d+)\s*</(?:" + _NAME + rb":)?Column\s*>")
_SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
_IDMAP = re.compile(rb"<(?:" + _NAME + rb":)?idmap\b[^>]*?\sdata\s*=\s*[\"']([\d,\s]*)[\"']")
_SHAPETYPE_202 = re.compile(rb"id\s*=\s*[\"']_x0000_t202[\"']")
_SHAPETYPE = (
    b"<v:shapetype " + _VML_NS + b' id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
    b'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    b'<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)


def note_size(note: str) -> tuple[int, int]:
    """(width, height) in pixels, as the file store sizes a note."""
    return 300, max(60, 20 * (1 + note.count("\n")) + len(note) // 2)


def idmaps(vml: bytes) -> list[int]:
    found: list[int] = []
    for match in _IDMAP.finditer(vml):
        found += [int(x) for x in match.group(1).replace(b" ", b"").split(b",") if x]
    return found


def new_vml(idmap: int) -> bytes:
    return (
        b"<xml " + _VML_NS + b">"
        b'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="'
        + str(idmap).encode()
        + b'"/></o:shapelayout>'
        + _SHAPETYPE
        + b"</xml>"
    )


class Vml:
    """A legacy drawing's text with note shapes removed and added."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.original = data
        if data.rfind(b"</xml>") < 0:
            raise Unpatchable("a VML drawing without its <xml> root")

    def _note_spans(self, row0: int, col0: int) -> list[tuple[int, int]]:
        spans = []
        for match in _SHAPE.finditer(self.data):
            body = match.group(3) or b""
            if not _NOTE.search(body):
                continue
            row, col = _ROW.search(body), _COL.search(body)
            if row and col and int(row.group(1)) == row0 and int(col.group(1)) == col0:
                spans.append((match.start(), match.end()))
        return spans

    def remove_note(self, row0: int, col0: int) -> None:
        for start, end in reversed(self._note_spans(row0, col0)):
            self.data = self.data[:start] + self.data[end:]

    def add_note(self, row0: int, col0: int, width: int, height: int) -> None:
        self.remove_note(row0, col0)
        numbers = [int(n) for n in _SHAPE_ID.findall(self.data)]
        maps = idmaps(self.data) or [1]
        number = max([min(maps) * 1024, *numbers]) + 1
        style = (
            f"position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:{width}px;"
            f"height:{height}px;z-index:1;visibility:hidden"
        )
        shape = (
            b"<v:shape " + _VML_NS + b' id="_x0000_s' + str(number).encode() + b'" '
            b'type="#_x0000_t202" style="' + style.encode() + b'" fillcolor="#ffffe1" '
            b'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow color="black" obscured="t"/>'
            b'<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
            b'<div style="text-align:left"/></v:textbox><x:ClientData ObjectType="Note">'
            b"<x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>"
            b"<x:Row>" + str(row0).encode() + b"</x:Row>"
            b"<x:Column>" + str(col0).encode() + b"</x:Column></x:ClientData></v:shape>"
        )
        if not _SHAPETYPE_202.search(self.data):
            shape = _SHAPETYPE + shape
        end = self.data.rfind(b"</xml>")
        self.data = self.data[:end] + shape + self.data[end:]

    def has_shapes(self) -> bool:
        return _SHAPE.search(self.data) is not None

    @property
    def changed(self) -> bool:
        return self.data != self.original


@dataclass
class Comments:
    """A worksheet's comments part (or a new one), edited as a tree."""

    data: bytes | None
    root: etree._Element = field(init=False)
    changed: bool = False

    def __post_init__(self) -> None:
        if self.data is None:
            self.root = etree.Element(_M + "comments", nsmap={None: MAIN_NS})
            etree.SubElement(self.root, _M + "authors")
            etree.SubElement(self.root, _M + "commentList")
        else:
            self.root = parse_xml(self.data)
        if self.root.find(_M + "commentList") is None or self.root.find(_M + "authors") is None:
            raise Unpatchable("a comments part without authors or a comment list")

    def _list(self) -> etree._Element:
        found = self.root.find(_M + "commentList")
        assert found is not None
        return found

    def _authors(self) -> list[str]:
        authors = self.root.find(_M + "authors")
        assert authors is not None
        return [a.text or "" for a in authors.findall(_M + "author")]

    def _find(self, ref: str) -> etree._Element | None:
        for comment in self._list().findall(_M + "comment"):
            if (comment.get("ref") or "").upper() == ref:
                return comment
        return None

    def author(self, ref: str) -> str | None:
        comment = self._find(ref)
        if comment is None:
            return None
        try:
            return self._authors()[int(comment.get("authorId", "0"))]
        except (IndexError, ValueError):
            return ""

    def text(self, ref: str) -> str | None:
        comment = self._find(ref)
        if comment is None:
            return None
        return unescape("".join(comment.itertext()))

    def has(self, ref: str) -> bool:
        return self._find(ref) is not None

    def _author_id(self, name: str) -> int:
        names = self._authors()
        if name in names:
            return names.index(name)
        authors = self.root.find(_M + "authors")
        assert authors is not None
        etree.SubElement(authors, _M + "author").text = name
        return len(names)

    def put(self, ref: str, author: str, note: str) -> None:
        comment = self._find(ref)
        if comment is None:
            comment = etree.Element(_M + "comment")
            comment.set("ref", ref)
            comment.set("shapeId", "0")
            target = split_coordinate(ref)
            siblings = self._list()
            position = len(siblings)
            for index, other in enumerate(siblings):
                try:
                    if split_coordinate((other.get("ref") or "").upper()) > target:
                        position = index
                        break
                except (ValueError, KeyError):
                    continue
            siblings.insert(position, comment)
        for child in list(comment):
            if etree.QName(child).localname == "text":
                comment.remove(child)
        comment.set("authorId", str(self._author_id(author)))
        text = etree.Element(_M + "text")
        t = etree.SubElement(text, _M + "t")
        t.text = escape(note)
        if note != note.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        comment.insert(0, text)
        self.changed = True

    def remove(self, ref: str) -> None:
        comment = self._find(ref)
        if comment is not None:
            self._list().remove(comment)
            self.changed = True

    def empty(self) -> bool:
        return len(self._list().findall(_M + "comment")) == 0

    def to_bytes(self) -> bytes:
        if self.data is None:
            return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + etree.tostring(
                self.root, encoding="UTF-8"
            )
        return xml_bytes(self.root, self.data)
