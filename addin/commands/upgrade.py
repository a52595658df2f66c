"""``orderdesk upgrade``: add the columns an older master workbook lacks (every write does it
too; this command does it on its own, e.g. before the workbook is opened in Excel)."""

from __future__ import annotations

import argparse
from typing import Any

from addin.commands.common import EXIT_OK, add_workbook
from addin.i18n import t


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "upgrade", parents=[common], help="add the newer columns to an older master workbook"
    )
    add_workbook(p)
    p.set_defaults(handler=_upgrade)


def _upgrade(args: argparse.Namespace, out: Any) -> int:
    from addin.core.schema import SCHEMA_VERSION
    from workbook.open import open_workbook

    with open_workbook(args.workbook, write=True) as store:
        out.use_workbook_lang(store.lang)
        added = store.upgrade()
        protected = _protect(store)
    lang = out.lang
    sep = "、" if lang == "zh" else ", "
    labels = [t(f"col.{table}.{column}", lang) for table, column in added or []]
    if out.json:
        out.data(
            {
                "ok": True,
                "version": SCHEMA_VERSION,
                "added": [list(p) for p in added or []],
                "protected": protected,
            }
        )
        return EXIT_OK
    if added is not None:
        out.line(
            t(
                "upgrade.done",
                lang,
                version=SCHEMA_VERSION,
                count=len(labels),
                columns=sep.join(labels),
            )
        )
    elif not protected:
        out.line(t("upgrade.current", lang, version=SCHEMA_VERSION))
    if protected:
        out.line(t("upgrade.protected", lang, sheets=sep.join(protected)))
    return EXIT_OK


def _protect(store: Any) -> list[str]:
    """A workbook file's sheets of records protected as ``init`` protects them (a database has
    no sheets)."""
    from workbook.patch_store import PatchFileStore
    from workbook.protect_patch import protect_sheets

    return protect_sheets(store) if isinstance(store, PatchFileStore) else []
