"""``orderdesk addin build|install|uninstall|status``: the Excel add-in file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from addin.commands.common import EXIT_OK, EXIT_RULE
from addin.i18n import t


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "addin", parents=[common], help="build or install the Excel add-in (OrderDesk.xlam)"
    )
    verbs = p.add_subparsers(dest="addin_command", required=True, metavar="ACTION")
    build = verbs.add_parser(
        "build", parents=[common], help="build OrderDesk.xlam from its text sources"
    )
    build.add_argument("--out", type=Path, default=Path("build"), help="folder for OrderDesk.xlam")
    build.set_defaults(handler=_build)
    for name, text in (
        ("install", "put the add-in where Excel loads it, with its configuration"),
        ("uninstall", "remove the add-in and its configuration"),
        ("status", "say whether and where the add-in is installed"),
    ):
        verbs.add_parser(name, parents=[common], help=text).set_defaults(handler=_manage)


def _build(args: argparse.Namespace, out: Any) -> int:
    from addin.xlam import build_addin

    path = build_addin(args.out)
    out.line(t("addin.build.done", out.lang, path=str(path)))
    out.data({"ok": True, "addin": str(path)})
    return EXIT_OK


def _manage(args: argparse.Namespace, out: Any) -> int:
    from addin import xlam

    result = getattr(xlam, args.addin_command)()
    out.line(result.message(out.lang))
    out.data({"ok": result.ok, "message": result.message(out.lang), "path": str(result.path or "")})
    return EXIT_OK if result.ok else EXIT_RULE
