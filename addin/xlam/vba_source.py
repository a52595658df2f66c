"""VBA module text: from exported ``.bas``/``.cls`` files to the form a module stream stores.

A ``.bas`` export is stored as it is. A ``.cls`` export starts with a ``VERSION 1.0 CLASS`` /
``BEGIN`` ... ``END`` header that the module stream does not hold; the stream holds instead a
few attributes that exports leave out (VB_Base, VB_TemplateDerived, VB_Customizable), as Excel
itself writes them. Document modules (``ThisWorkbook``, sheets) are generated.
"""

from __future__ import annotations

import re

from addin.xlam.ovba import Module

_NAME = re.compile(r'^Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]*)"$')

# VB_Base of class modules and of Excel's document modules (workbook, worksheet).
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"


def normalize(text: str) -> str:
    """Text with CRLF line ends and a final line end, as VBA stores it."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    return text.replace("\n", "\r\n")


def module_from_export(text: str) -> Module:
    """The stored module for the text of a ``.bas`` or ``.cls`` export."""
    lines = normalize(text).split("\r\n")[:-1]
    kind = "procedural"
    if lines and lines[0].startswith("VERSION ") and lines[0].endswith(" CLASS"):
        kind = "class"
        try:
            end = lines.index("END")
        except ValueError as exc:
            raise ValueError("class export without END of its BEGIN block") from exc
        lines = lines[end + 1 :]
    match = _NAME.match(lines[0]) if lines else None
    if not match:
        raise ValueError('a module export must start with Attribute VB_Name = "..."')
    name = match.group(1)
    if kind == "class":
        lines = _class_attributes(lines)
    return Module(name, kind, "\r\n".join(lines) + "\r\n")


def _class_attributes(lines: list[str]) -> list[str]:
    attributes = {
        line.split("=")[0].split()[1]: i
        for i, line in enumerate(lines[:12])
        if line.startswith("Attribute VB_")
    }
    out = list(lines)
    if "VB_Exposed" in attributes and "VB_TemplateDerived" not in attributes:
        at = attributes["VB_Exposed"] + 1
        out[at:at] = ["Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False"]
    if "VB_Base" not in attributes:
        out.insert(1, f'Attribute VB_Base = "{CLASS_BASE}"')
    return out


def document_module(name: str, base: str) -> Module:
    """An empty document module (the code behind the workbook or one of its sheets)."""
    lines = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, "document", "\r\n".join(lines) + "\r\n")


def code_lines(code: str) -> list[str]:
    """The code of a module without attribute lines, class header and blank edges: what a
    person wrote, to compare a module read back from a project with its source file."""
    lines = normalize(code).split("\r\n")[:-1]
    if lines and lines[0].startswith("VERSION ") and "END" in lines:
        lines = lines[lines.index("END") + 1 :]
    lines = [line.rstrip() for line in lines if not line.startswith("Attribute VB_")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines
