"""``xl/styles.xml``: number formats of cell styles as openpyxl reads them, and new cell styles.

Reading follows openpyxl exactly (which styles hold dates, what a style's number format is
called), so both stores turn the same cells into the same values. Writing finds or appends a
cell style (``xf``) cloned from a cell's style with one property changed, so a workbook's styles
do not grow with every action.
"""

from __future__ import annotations

import copy
from typing import Any

from lxml import etree
from openpyxl.styles.numbers import (
    BUILTIN_FORMATS,
    BUILTIN_FORMATS_MAX_SIZE,
    BUILTIN_FORMATS_REVERSE,
    is_date_format,
    is_timedelta_format,
)

from workbook.xlsx_package import Unpatchable, parse_xml, xml_bytes

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_M = f"{{{MAIN_NS}}}"
GENERAL = "General"
# styleSheet children in schema order: a missing container is inserted before its successors.
_ORDER = (
    "numFmts",
    "fonts",
    "fills",
    "borders",
    "cellStyleXfs",
    "cellXfs",
    "cellStyles",
    "dxfs",
    "tableStyles",
    "colors",
    "extLst",
)


def _key(el: etree._Element) -> bytes:
    """What makes two style elements the same: names, attributes, text and children, whatever
    namespace prefix each was written with (a new element's is not the file's)."""
    return repr(_canonical(el)).encode()


def _canonical(el: etree._Element) -> tuple[Any, ...]:
    text = el.text if el.text and el.text.strip() else None  # indentation is not content
    children = tuple(_canonical(child) for child in el if isinstance(child.tag, str))
    return (el.tag, tuple(sorted(el.attrib.items())), text, children)


def _unlock(xf: etree._Element) -> None:
    """Clear a cell format's locked flag (``<protection>`` goes before any ``<extLst>``)."""
    prot = xf.find(_M + "protection")
    if prot is None:
        prot = etree.Element(_M + "protection")
        ext = xf.find(_M + "extLst")
        if ext is None:
            xf.append(prot)
        else:
            ext.addprevious(prot)
    prot.set("locked", "0")
    xf.set("applyProtection", "1")


class Styles:
    """The workbook's stylesheet, parsed once; edits are kept until :meth:`to_bytes`."""

    def __init__(self, data: bytes | None) -> None:
        self.original = data
        if data is None:  # a package without styles: openpyxl reads it with defaults
            self.root = etree.Element(_M + "styleSheet", nsmap={None: MAIN_NS})
        else:
            self.root = parse_xml(data)
        self.changed = False
        self.custom: dict[int, str] = {}
        numfmts = self.root.find(_M + "numFmts")
        if numfmts is not None:
            for el in numfmts.findall(_M + "numFmt"):
                try:
                    self.custom[int(el.get("numFmtId", ""))] = el.get("formatCode", "")
                except ValueError:
                    continue
        self._xf_keys: list[bytes] | None = None
        # derive()'s answers: the stylesheet only grows and each lookup takes the first match,
        # so an answer stays right; a bulk write derives the same few styles for every cell.
        self._derived: dict[tuple[Any, ...], int] = {}
        self._formats: list[str] = [self._format_of(xf) for xf in self._xfs()]
        self.date_styles = {i for i, f in enumerate(self._formats) if is_date_format(f)}
        self.timedelta_styles = {i for i, f in enumerate(self._formats) if is_timedelta_format(f)}

    # -- reading --------------------------------------------------------------------------
    def _container(self, name: str, create: bool = False) -> etree._Element | None:
        el = self.root.find(_M + name)
        if el is None and create:
            el = etree.Element(_M + name)
            later = _ORDER[_ORDER.index(name) + 1 :]
            for index, child in enumerate(self.root):
                if isinstance(child.tag, str) and etree.QName(child).localname in later:
                    self.root.insert(index, el)
                    break
            else:
                self.root.append(el)
        return el

    def _xfs(self) -> list[etree._Element]:
        xfs = self._container("cellXfs")
        return [] if xfs is None else xfs.findall(_M + "xf")

    def _format_of(self, xf: etree._Element) -> str:
        try:
            fmt_id = int(xf.get("numFmtId", "0"))
        except ValueError:
            return GENERAL
        if fmt_id in self.custom:
            return self.custom[fmt_id]
        if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
            return BUILTIN_FORMATS.get(fmt_id, GENERAL)
        return GENERAL

    def number_format(self, style: int) -> str:
        """The style's number format as openpyxl names it (``cell.number_format``)."""
        return self._formats[style] if 0 <= style < len(self._formats) else GENERAL

    def fill_rgb(self, style: int) -> str | None:
        """The foreground colour of the style's fill, upper case (``None`` without one)."""
        xfs = self._xfs()
        if not 0 <= style < len(xfs):
            return None
        fills = self._container("fills")
        try:
            fill = fills.findall(_M + "fill")[int(xfs[style].get("fillId", "0"))]  # type: ignore[union-attr]
        except (AttributeError, IndexError, ValueError):
            return None
        color = fill.find(f"{_M}patternFill/{_M}fgColor")
        rgb = color.get("rgb") if color is not None else None
        return rgb.upper() if rgb else None

    # -- writing --------------------------------------------------------------------------
    def _format_id(self, code: str) -> int:
        if code in BUILTIN_FORMATS_REVERSE:
            return BUILTIN_FORMATS_REVERSE[code]
        for fmt_id, existing in self.custom.items():
            if existing == code and fmt_id >= BUILTIN_FORMATS_MAX_SIZE:
                return fmt_id
        fmt_id = max([BUILTIN_FORMATS_MAX_SIZE - 1, *self.custom]) + 1
        numfmts = self._container("numFmts", create=True)
        assert numfmts is not None
        el = etree.SubElement(numfmts, _M + "numFmt")
        el.set("numFmtId", str(fmt_id))
        el.set("formatCode", code)
        numfmts.set("count", str(len(numfmts.findall(_M + "numFmt"))))
        self.custom[fmt_id] = code
        self.changed = True
        return fmt_id

    def _find_or_add(self, container: str, tag: str, el: etree._Element) -> int:
        parent = self._container(container, create=True)
        assert parent is not None
        wanted = _key(el)
        existing = parent.findall(_M + tag)
        for index, item in enumerate(existing):
            if _key(item) == wanted:
                return index
        parent.append(el)
        parent.set("count", str(len(existing) + 1))
        self.changed = True
        return len(existing)

    def _fill_id(self, mark_rgb: str | None) -> int:
        fills = self._container("fills", create=True)
        assert fills is not None
        for index, fill in enumerate(fills.findall(_M + "fill")):
            pattern = fill.find(_M + "patternFill")
            if pattern is None or fill.find(_M + "gradientFill") is not None:
                continue
            kind = pattern.get("patternType")
            fg = pattern.find(_M + "fgColor")
            if mark_rgb is None:
                if kind in (None, "none") and len(pattern) == 0:
                    return index
            elif (
                kind == "solid"
                and fg is not None
                and (fg.get("rgb") or "").upper() == mark_rgb
                and fg.get("tint") is None
            ):
                return index
        fill = etree.Element(_M + "fill")
        pattern = etree.SubElement(fill, _M + "patternFill")
        if mark_rgb is None:
            pattern.set("patternType", "none")
        else:
            pattern.set("patternType", "solid")
            etree.SubElement(pattern, _M + "fgColor").set("rgb", mark_rgb)
            etree.SubElement(pattern, _M + "bgColor").set("indexed", "64")
        return self._find_or_add("fills", "fill", fill)

    def _font_id(self, bold: bool, size: int) -> int:
        font = etree.Element(_M + "font")
        if bold:
            etree.SubElement(font, _M + "b").set("val", "1")
        etree.SubElement(font, _M + "sz").set("val", str(size))
        return self._find_or_add("fonts", "font", font)

    def derive(
        self,
        style: int,
        number_format: str | None = None,
        quote_prefix: bool = False,
        fill_rgb: str | None = None,
        no_fill: bool = False,
        font: tuple[bool, int] | None = None,
        unlocked: bool = False,
    ) -> int:
        """The index of a cell style like ``style`` with the given properties changed
        (``unlocked``: typing allowed there on a protected sheet)."""
        if self.original is None:
            raise Unpatchable("the workbook has no stylesheet")
        asked = (style, number_format, quote_prefix, fill_rgb, no_fill, font, unlocked)
        found = self._derived.get(asked)
        if found is None:
            found = self._derived[asked] = self._derive(*asked)
        return found

    def _derive(
        self,
        style: int,
        number_format: str | None,
        quote_prefix: bool,
        fill_rgb: str | None,
        no_fill: bool,
        font: tuple[bool, int] | None,
        unlocked: bool,
    ) -> int:
        xfs = self._xfs()
        if 0 <= style < len(xfs):
            xf = copy.deepcopy(xfs[style])
            xf.tail = None
        else:
            xf = etree.Element(_M + "xf")
            for name in ("numFmtId", "fontId", "fillId", "borderId", "xfId"):
                xf.set(name, "0")
        if number_format is not None and self.number_format(style) != number_format:
            xf.set("numFmtId", str(self._format_id(number_format)))
            xf.set("applyNumberFormat", "1")
        if quote_prefix:
            xf.set("quotePrefix", "1")
        if fill_rgb is not None or no_fill:
            xf.set("fillId", str(self._fill_id(fill_rgb)))
            xf.set("applyFill", "1")
        if font is not None:
            xf.set("fontId", str(self._font_id(*font)))
            xf.set("applyFont", "1")
        if unlocked:
            _unlock(xf)
        if self._xf_keys is None:
            self._xf_keys = [_key(x) for x in xfs]
        if 0 <= style < len(xfs) and self._xf_keys[style] == _key(xf):
            return style
        return self._add_xf(xf)

    def adopt(self, other: Styles, style: int) -> int:
        """The index of a cell style here that looks like ``other``'s ``style`` (its number
        format, font, fill, border, alignment and protection found or added here)."""
        xfs = other._xfs()
        if not 0 <= style < len(xfs):
            return 0
        xf = copy.deepcopy(xfs[style])
        xf.tail = None
        for attr, container, tag in (
            ("fontId", "fonts", "font"),
            ("fillId", "fills", "fill"),
            ("borderId", "borders", "border"),
        ):
            found = other._container(container)
            items = [] if found is None else found.findall(_M + tag)
            index = int(xf.get(attr) or 0)
            if 0 <= index < len(items):
                item = copy.deepcopy(items[index])
                item.tail = None
                xf.set(attr, str(self._find_or_add(container, tag, item)))
        xf.set("numFmtId", str(self._format_id(other.number_format(style))))
        xf.set("xfId", "0")  # the Normal cell style; named styles are not carried over
        return self._add_xf(xf)

    def adopt_dxf(self, other: Styles, index: int) -> int:
        """The index of a differential style (conditional formats) here like ``other``'s."""
        found = other._container("dxfs")
        items = [] if found is None else found.findall(_M + "dxf")
        if not 0 <= index < len(items):
            return index
        item = copy.deepcopy(items[index])
        item.tail = None
        return self._find_or_add("dxfs", "dxf", item)

    def _add_xf(self, xf: etree._Element) -> int:
        """The index of a cell style equal to ``xf``, appended when there is none."""
        if self.original is None:
            raise Unpatchable("the workbook has no stylesheet")
        xfs = self._xfs()
        if self._xf_keys is None:
            self._xf_keys = [_key(x) for x in xfs]
        wanted = _key(xf)
        for index, existing in enumerate(self._xf_keys):
            if existing == wanted:
                return index
        parent = self._container("cellXfs", create=True)
        assert parent is not None
        if not xfs:  # a stylesheet without cell styles: index 0 must stay the default style
            default = etree.SubElement(parent, _M + "xf")
            for name in ("numFmtId", "fontId", "fillId", "borderId", "xfId"):
                default.set(name, "0")
            self._xf_keys.append(_key(default))
            self._formats.append(GENERAL)
        parent.append(xf)
        self._xf_keys.append(wanted)
        index = len(self._xf_keys) - 1
        parent.set("count", str(index + 1))
        fmt = self._format_of(xf)
        self._formats.append(fmt)
        if is_date_format(fmt):
            self.date_styles.add(index)
        if is_timedelta_format(fmt):
            self.timedelta_styles.add(index)
        self.changed = True
        return index

    def to_bytes(self) -> bytes:
        if self.original is None:
            return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + etree.tostring(
                self.root, encoding="UTF-8"
            )
        return xml_bytes(self.root, self.original)
