"""The ribbon's texts, generated at build time from the message catalogue into a VBA module.

The ribbon asks VBA for every label and tip (getLabel, getScreentip, getSupertip callbacks);
the callbacks look the text up in the generated module ``ODLabels`` by ``<control id>.<kind>``
and language. Chinese cannot be written as VBA string literals portably (the project has one
ANSI code page), so non-ASCII texts are stored as UTF-16 hex and decoded with ChrW at run time.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from addin.i18n import t
from addin.xlam.ovba import Module

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
MODULE_NAME = "ODLabels"

# Callback attribute -> the text kind it asks for.
TEXT_CALLBACKS = {"getLabel": "label", "getScreentip": "screentip", "getSupertip": "supertip"}

# Texts the VBA shows itself (lookup key -> catalogue key).
VBA_MESSAGES = {
    "msg.no_workbook": "addin.vba.no_workbook",
    "msg.xlwings_mismatch": "addin.vba.xlwings_mismatch",
}

_MAX_LINE = 1000  # VBA rejects lines over 1023 characters


def catalogue_key(element: str, control_id: str, kind: str) -> str:
    """The catalogue key of one ribbon text: ``ribbon.tab``, ``ribbon.group.<stage>`` (for a
    group ``grp_<stage>``) or ``ribbon.<button id>.<kind>``."""
    if element == "tab":
        if kind != "label":
            raise ValueError("only the tab's label comes from the catalogue")
        return "ribbon.tab"
    if element == "group":
        if kind != "label" or not control_id.startswith("grp_"):
            raise ValueError(f"group {control_id!r}: ids are grp_<stage>, texts labels only")
        return f"ribbon.group.{control_id.removeprefix('grp_')}"
    return f"ribbon.{control_id}.{kind}"


def ribbon_texts(customui_xml: bytes | str) -> dict[str, str]:
    """``<control id>.<kind>`` -> catalogue key, for every text callback in the ribbon XML."""
    root = ET.fromstring(customui_xml)
    out: dict[str, str] = {}
    for element in root.iter():
        tag = element.tag.removeprefix(f"{{{CUSTOMUI_NS}}}")
        for attribute, kind in TEXT_CALLBACKS.items():
            if attribute in element.attrib:
                control_id = element.attrib["id"]
                out[f"{control_id}.{kind}"] = catalogue_key(tag, control_id, kind)
    return out


def _vba_string(text: str) -> str:
    """A VBA expression for ``text``: a literal when printable ASCII, else U("<UTF-16 hex>")."""
    if all(" " <= c <= "~" for c in text):
        return '"' + text.replace('"', '""') + '"'
    hex_units = text.encode("utf-16-be").hex().upper()
    return f'U("{hex_units}")'


def labels_module(customui_xml: bytes | str) -> Module:
    """The generated ``ODLabels`` module for the ribbon XML, in both languages."""
    keys = {**ribbon_texts(customui_xml), **VBA_MESSAGES}
    lines = [
        f'Attribute VB_Name = "{MODULE_NAME}"',
        "' Generated at build time by addin/xlam/labels.py from the message catalogue",
        "' (addin/i18n): do not edit. Non-ASCII texts are UTF-16 hex, decoded by U().",
        "Option Explicit",
        "",
        "Public Function ODText(ByVal key As String, ByVal lang As String) As String",
        '    If lang = "en" Then',
        "        ODText = EnText(key)",
        "    Else",
        "        ODText = ZhText(key)",
        "    End If",
        "End Function",
    ]
    for function, lang in (("ZhText", "zh"), ("EnText", "en")):
        lines += [
            "",
            f"Private Function {function}(ByVal key As String) As String",
            "    Select Case key",
        ]
        for lookup, catalogue in sorted(keys.items()):
            text = _vba_string(t(catalogue, lang))
            lines.append(f'    Case "{lookup}": {function} = {text}')
        lines += [
            f"    Case Else: {function} = key",
            "    End Select",
            "End Function",
        ]
    lines += [
        "",
        "Private Function U(ByVal hexText As String) As String",
        "    Dim i As Long, j As Long, unit As Long",
        "    For i = 1 To Len(hexText) Step 4",
        "        unit = 0",
        "        For j = 0 To 3",
        '            unit = unit * 16 + InStr(1, "0123456789ABCDEF", Mid$(hexText, i + j, 1), '
        "vbBinaryCompare) - 1",
        "        Next j",
        "        U = U & ChrW$(unit)",
        "    Next i",
        "End Function",
    ]
    too_long = [line for line in lines if len(line) > _MAX_LINE]
    if too_long:
        raise ValueError(f"ribbon text too long for one VBA line: {too_long[0][:60]}...")
    return Module(MODULE_NAME, "procedural", "\r\n".join(lines) + "\r\n")
