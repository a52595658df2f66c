"""One punctuation style for the Chinese messages: full-width, as Chinese text is written.

The catalogue's entries were written in two styles (``保存失败,工作簿未改动: {detail}`` and
``请重新安装加载项：orderdesk addin install``); every Chinese message is given in the full-width
style when the catalogue is built. Placeholders (``{name}``, argparse's ``%(name)s``) and times
(``18:25``) are left as they are, and so are the texts a workbook holds as data (column headers,
sheet names, list choices): the stores find tables and read cells by them.
"""

from __future__ import annotations

import re

# What is never rewritten: a placeholder, a %-placeholder, a time or a ratio between digits, a
# URL's or a path's colon, an ellipsis.
_KEEP = re.compile(r"\{[^{}]*\}|%\([^)]*\)[a-z]|%[sdr]|\d:\d|:(?=//|\\)|\.\.\.")
_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
_CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Spaces next to full-width punctuation are not written in Chinese.
_SPACES = re.compile(r"[ \t]*([，；：（！？])[ \t]*|[ \t]*(）)")
# Keys whose Chinese text is data in the workbook, not a message.
DATA_KEYS = ("col.", "sheet.", "enum.", "table.")


def full_width(text: str) -> str:
    """``text`` with ASCII , ; : ( ) ! ? written full-width (when it is Chinese at all)."""
    if not _CJK.search(text):
        return text
    out: list[str] = []
    position = 0
    for kept in _KEEP.finditer(text):
        out.append(_convert(text[position : kept.start()]))
        out.append(kept.group())
        position = kept.end()
    out.append(_convert(text[position:]))
    return "".join(out)


def _convert(piece: str) -> str:
    if not any(c in _FULL for c in piece):
        return piece
    piece = "".join(_FULL.get(c, c) for c in piece)
    return _SPACES.sub(lambda m: m.group(1) or m.group(2), piece)
