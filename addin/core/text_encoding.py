"""Which encoding a text file (an order form saved as CSV) is in, decided only when certain.

Accepted: UTF-8 with or without its byte-order mark, UTF-16 with its byte-order mark, and GBK /
GB18030 (what Excel in China saves as "CSV") when that reading is unambiguous: the bytes are not
UTF-8 and every character they give is one of GB2312's (the Simplified Chinese set a GBK file
holds). Anything else (Windows-1252, where "Müller" reads as "M黮ler" in GBK; UTF-16 without
its mark; UTF-32) is refused: the user saves the file as UTF-8, nothing is guessed.
"""

from __future__ import annotations

import codecs

_UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


class UnclearEncoding(ValueError):
    """The bytes cannot be read as text with certainty; ``reason`` names why (a catalogue key's
    last part: ``encoding.<reason>``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode_text(raw: bytes) -> str:
    """The text of ``raw``, or :class:`UnclearEncoding` when its encoding is not certain."""
    if raw.startswith(_UTF32_BOMS):
        raise UnclearEncoding("utf32")
    for bom, encoding in _UTF16_BOMS.items():
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise UnclearEncoding("utf16_damaged") from None
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            raise UnclearEncoding("utf8_damaged") from None
    if _looks_like_utf16(raw):
        raise UnclearEncoding("utf16_no_bom")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise UnclearEncoding("unknown") from None
    if not all(c.isascii() or _in_gb2312(c) for c in text):
        raise UnclearEncoding("not_only_gbk")
    return text


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _looks_like_utf16(raw: bytes) -> bool:
    """Text of UTF-16 without its mark: zero bytes at every other position, mostly."""
    sample = raw[:4096]
    if len(sample) < 8 or b"\x00" not in sample:
        return False
    half = len(sample) // 2
    zeros = max(sample[0::2].count(0), sample[1::2].count(0))
    return zeros > 0.3 * half  # one byte in three of one parity is zero: not a text's NULs
