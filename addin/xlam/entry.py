"""The Python command every ribbon button runs (``RunPython``), generated into the add-in's VBA.

xlwings puts the active workbook's folder and the add-in's own (XLSTART) in front of
``sys.path``, with a ``.zip`` named like each file (``xlwings.utils.prepare_sys_path``), and
``python -c`` adds the current directory. A folder named ``addin``, ``workbook`` or ``udfs``
in one of them would be imported instead of OrderDesk, by any button. So the command is
self-contained: before anything of ours is imported it drops those entries from ``sys.path``
(for good: the UDF server's process keeps them out for later imports too), then imports the
ribbon and runs the button, handing over the xlwings version the add-in was built with
(``XLWINGS_VERSION`` of xlwings' VBA), which :func:`addin.ribbon.run` checks.

The folders travel as UTF-16 hex, so that any path (quotes, backslashes, Chinese) is a plain
literal; the one template here is the VBA's constant and :func:`entry_command`'s alike.
"""

from __future__ import annotations

from addin.xlam.ovba import Module

MODULE_NAME = "ODEntry"

# No comprehension and no free name in a lambda: xlwings' UDF server runs the command with
# exec(stmt, None, None) inside a method, where names set by the command are locals that a
# nested scope cannot see; lambdas take what they use as default arguments instead.
ENTRY = (
    "import os,sys;"
    "_od=lambda p,os=os:os.path.normcase(os.path.abspath(p));"
    "_odx=set(map(lambda h,n=_od:n(bytes.fromhex(h).decode('utf-16-be')),"
    "filter(None,('%ACTIVE%','%ADDIN%'))));"
    "sys.path[:]=list(filter(lambda p,n=_od,x=_odx,os=os:p and n(p) not in x and not "
    "(p.lower().endswith('.zip') and n(os.path.dirname(p)) in x),sys.path));"
    "import addin.ribbon;addin.ribbon.run('%ID%','%XLWINGS%')"
)


def _hex(text: str) -> str:
    """What the VBA's ODHex gives: each UTF-16 unit as four upper-case hex digits."""
    return text.encode("utf-16-be").hex().upper()


def entry_command(active_dir: str, addin_dir: str, control_id: str, xlwings_version: str) -> str:
    """The command ODButtonCommand builds in VBA, built here the same way (for tests)."""
    command = ENTRY.replace("%ACTIVE%", _hex(active_dir)).replace("%ADDIN%", _hex(addin_dir))
    return command.replace("%XLWINGS%", xlwings_version).replace("%ID%", control_id)


def entry_module() -> Module:
    """The generated VBA module ``ODEntry``: ``ODButtonCommand(id)`` is a button's command
    (a procedure named like its module would be ambiguous in VBA)."""
    if '"' in ENTRY:
        raise ValueError("the entry template must not hold a double quote (a VBA literal)")
    lines = [
        f'Attribute VB_Name = "{MODULE_NAME}"',
        "' Generated at build time by addin/xlam/entry.py: do not edit. The Python command of",
        "' a button: it drops the workbook's and the add-in's folders from sys.path before",
        "' importing OrderDesk, and hands over the xlwings version the add-in was built with.",
        "Option Explicit",
        "",
        f'Private Const ENTRY As String = "{ENTRY}"',
        "",
        "Public Function ODButtonCommand(ByVal id As String) As String",
        "    Dim cmd As String",
        '    cmd = Replace(ENTRY, "%ACTIVE%", ODHex(ActiveWorkbook.Path))',
        '    cmd = Replace(cmd, "%ADDIN%", ODHex(ThisWorkbook.Path))',
        '    cmd = Replace(cmd, "%XLWINGS%", XLWINGS_VERSION)',
        '    ODButtonCommand = Replace(cmd, "%ID%", id)',
        "End Function",
        "",
        "Private Function ODHex(ByVal source As String) As String",
        "    Dim i As Long",
        "    For i = 1 To Len(source)",
        '        ODHex = ODHex & Right$("000" & Hex$(AscW(Mid$(source, i, 1)) And &HFFFF&), 4)',
        "    Next i",
        "End Function",
    ]
    return Module(MODULE_NAME, "procedural", "\r\n".join(lines) + "\r\n")
