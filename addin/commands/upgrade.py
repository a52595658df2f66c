"""``orderdesk upgrade``: add the columns and the sheets an older master workbook lacks (every
write adds the columns too; this command does both, e.g. before the workbook is opened in Excel)."""

from __future__ import annotations

import argparse
from typing import Any

from addin.commands.common import EXIT_OK, add_workbook
from addin.i18n import t


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "upgrade",
        parents=[common],
        help="add the newer columns and sheets to an older master workbook",
    )
    add_workbook(p)
    p.set_defaults(handler=_upgrade)


def _upgrade(args: argparse.Namespace, out: Any) -> int:
    from addin.core.schema import SCHEMA_VERSION, TABLES
    from workbook.open import is_database, open_workbook

    if is_database(args.workbook):  # `upgrade URL` is `db upgrade URL`
        from addin.commands.db import upgrade_database

        return upgrade_database(str(args.workbook), out)
    with open_workbook(args.workbook, write=True) as store:
        out.use_workbook_lang(store.lang)
        workbook_lang = store.lang  # the added sheet's title is in the workbook's language
        upgrade = store.upgrade()
        protected = _protect(store)
    lang = out.lang
    sep = "、" if lang == "zh" else ", "
    columns = upgrade.columns if upgrade else ()
    tables = upgrade.tables if upgrade else ()
    labels = [t(f"col.{table}.{column}", lang) for table, column in columns]
    if out.json:
        out.data(
            {
                "ok": True,
                "version": SCHEMA_VERSION,
                "added": [list(p) for p in columns],
                "tables": list(tables),
                "protected": protected,
            }
        )
        return EXIT_OK
    if upgrade is None and not protected:
        out.line(t("upgrade.current", lang, version=SCHEMA_VERSION))
    if columns:
        out.line(
            t(
                "upgrade.done",
                lang,
                version=SCHEMA_VERSION,
                count=len(labels),
                columns=sep.join(labels),
            )
        )
    for key in tables:
        sheet = t(f"sheet.{TABLES[key].sheet}", workbook_lang)
        out.line(t("upgrade.sheet_added", lang, sheet=sheet, table=TABLES[key].name))
    if protected:
        out.line(t("upgrade.protected", lang, sheets=sep.join(protected)))
    return EXIT_OK


def _protect(store: Any) -> list[str]:
    """A workbook file's sheets of records protected as ``init`` protects them (a database has
    no sheets)."""
    from workbook.patch_store import PatchFileStore
    from workbook.protect_patch import protect_sheets

    return protect_sheets(store) if isinstance(store, PatchFileStore) else []
