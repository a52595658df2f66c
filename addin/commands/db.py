"""``orderdesk db``: set up a database for server mode and move records in and out.

``db init URL`` creates the schema and a new master workbook's settings; ``db upgrade URL``
brings an older schema up to date; ``db import WORKBOOK URL`` moves a master workbook's records
into an empty database after re-checking its ledger chain (a broken chain is refused, nothing
written); ``db export URL WORKBOOK`` writes a complete master workbook, dashboard filled.
A URL is printed without its password; the password comes from PGPASSWORD or ~/.pgpass.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from addin.commands.common import EXIT_OK
from addin.i18n import t


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", help="server mode: the records in a database (issue 10)")
    steps = db.add_subparsers(dest="step", required=True, metavar="STEP")
    p = steps.add_parser("init", parents=[common], help="create the schema and the settings")
    p.add_argument("url", metavar="URL", help="postgresql://user@host/db or sqlite:///file.db")
    p.set_defaults(handler=_init)
    p = steps.add_parser("upgrade", parents=[common], help="bring the schema up to date")
    p.add_argument("url", metavar="URL")
    p.set_defaults(handler=_upgrade)
    p = steps.add_parser(
        "import", parents=[common], help="move a master workbook into an empty database"
    )
    p.add_argument("workbook", type=Path, metavar="WORKBOOK")
    p.add_argument("url", metavar="URL")
    p.set_defaults(handler=_import)
    p = steps.add_parser("export", parents=[common], help="write the records as a master workbook")
    p.add_argument("url", metavar="URL")
    p.add_argument("workbook", type=Path, metavar="WORKBOOK")
    p.add_argument("--force", action="store_true", help="overwrite (a backup is kept)")
    p.set_defaults(handler=_export)
    try:  # db connect / db refresh: the connected workbook
        from addin.commands import connect
    except ModuleNotFoundError as exc:
        if exc.name != "addin.commands.connect":
            raise
    else:
        connect.register_db(steps, common)


def init_database(url: str, lang: str | None, out: Any) -> int:
    from addin.i18n import normalize_lang
    from workbook.sql import admin

    chosen = normalize_lang(lang or "zh")
    out.use_workbook_lang(chosen)
    shown, revision, created = admin.init(url, chosen)
    key = "db.init_done" if created else "db.already"
    out.line(t(key, out.lang, url=shown, revision=revision, lang=chosen))
    out.data({"ok": True, "url": shown, "revision": revision, "created": created, "lang": chosen})
    return EXIT_OK


def _init(args: argparse.Namespace, out: Any) -> int:
    return init_database(args.url, args.lang, out)


def _upgrade(args: argparse.Namespace, out: Any) -> int:
    return upgrade_database(args.url, out)


def upgrade_database(url: str, out: Any) -> int:
    from workbook.sql import admin

    shown, before, after = admin.upgrade(url)
    out.line(t("db.upgrade_done", out.lang, url=shown, before=before, after=after))
    out.data({"ok": True, "url": shown, "before": before, "after": after})
    return EXIT_OK


def _import(args: argparse.Namespace, out: Any) -> int:
    from addin.core.problems import RuleError
    from workbook.sql import admin

    try:
        moved = admin.import_workbook(args.workbook, args.url)
    except RuleError as exc:
        if not out.json:
            out.line(t("db.import_refused", out.lang))
        raise exc
    out.use_workbook_lang(moved.lang)
    params = {"rows": moved.rows, "orders": moved.orders, "ledger": moved.ledger}
    out.line(t("db.import_done", out.lang, workbook=str(args.workbook), url=moved.url, **params))
    out.data({"ok": True, "workbook": str(args.workbook), "url": moved.url, **params})
    return EXIT_OK


def _export(args: argparse.Namespace, out: Any) -> int:
    from workbook.sql import admin

    moved = admin.export_workbook(args.url, args.workbook, force=args.force)
    out.use_workbook_lang(moved.lang)
    fill_dashboard(args.workbook, args.user)
    params = {"rows": moved.rows, "orders": moved.orders}
    out.line(t("db.export_done", out.lang, url=moved.url, workbook=str(args.workbook), **params))
    out.data({"ok": True, "url": moved.url, "workbook": str(args.workbook), **params})
    return EXIT_OK


def fill_dashboard(workbook: Path, user: str | None) -> None:
    """The dashboard and analysis sheets of an exported workbook, as ``orderdesk dashboard``
    fills them, without its ledger row: an export holds the database's records, no more."""
    from datetime import datetime

    from addin.services.context import default_user
    from addin.services.dashboard import dashboard_values
    from addin.services.snapshot import Snapshot
    from addin.services.statistics import analysis_grid, figures_of, last_twelve_months
    from workbook.dashboard_blocks import cell_blocks
    from workbook.open import open_workbook
    from workbook.store import ChangeSet

    now = datetime.now().replace(microsecond=0)
    who = user or default_user()
    date_from, date_to = last_twelve_months(now.date())
    with open_workbook(workbook, write=True) as store:
        stats, _, currency = figures_of(Snapshot(store), date_from, date_to, now.date())
        changes = ChangeSet(
            analysis=analysis_grid(stats, store.lang, now, who, currency),
            dashboard=cell_blocks(dashboard_values(stats, store.lang, now, who, currency)),
        )
        store.commit(changes)
