"""A worksheet's ``<cols>`` records: one column's own record, split out of a span."""

from __future__ import annotations

from lxml import etree

from workbook.xlsx_styles import MAIN_NS

_M = f"{{{MAIN_NS}}}"


def own_col(sheet: etree._Element, index: int) -> etree._Element:
    """The ``<col>`` of exactly this column, keeping its width and style (a span covering it
    is split around it; a column without one gets one)."""
    cols = sheet.find(_M + "cols")
    if cols is None:
        cols = etree.Element(_M + "cols")
        anchor = sheet.find(_M + "sheetData")
        assert anchor is not None
        anchor.addprevious(cols)
    for el in list(cols):
        lo, hi = int(el.get("min") or 0), int(el.get("max") or 0)
        if not lo <= index <= hi:
            continue
        if lo == hi:
            return el
        for a, b in ((lo, index - 1), (index, index), (index + 1, hi)):
            if a <= b:
                part = etree.Element(_M + "col", dict(el.attrib))
                part.set("min", str(a))
                part.set("max", str(b))
                el.addprevious(part)
                if a == b == index:
                    own = part
        cols.remove(el)
        return own
    new = etree.Element(_M + "col")
    new.set("min", str(index))
    new.set("max", str(index))
    later = [el for el in cols if int(el.get("min") or 0) > index]
    if later:
        later[0].addprevious(new)
    else:
        cols.append(new)
    return new
