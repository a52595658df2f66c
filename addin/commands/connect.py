"""``orderdesk db connect WORKBOOK URL`` and ``orderdesk db refresh WORKBOOK``: a master
workbook as a view of a database (see :mod:`workbook.sql.sync`).

Registered under ``orderdesk db`` by :func:`register_db`, called from the ``db`` command's own
registration.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from addin.i18n import t

EXIT_OK = 0


def register_db(db_sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``connect`` and ``refresh`` to the subparsers of ``orderdesk db``."""
    p = db_sub.add_parser(
        "connect",
        parents=[common],
        help="connect a master workbook to a database (stored without password) and fill it",
    )
    p.add_argument("workbook", type=Path, metavar="WORKBOOK", help="the workbook (.xlsx)")
    p.add_argument("url", metavar="URL", help="postgresql://… or sqlite:///…")
    p.set_defaults(handler=connect)
    p = db_sub.add_parser(
        "refresh",
        parents=[common],
        help="refresh a connected workbook from its database (the orders changed since)",
    )
    p.add_argument("workbook", type=Path, metavar="WORKBOOK", help="the connected workbook")
    p.set_defaults(handler=refresh)


def connect(args: argparse.Namespace, out: Any) -> int:
    from workbook.sql import url as urls
    from workbook.sql.sync import SyncState

    urls.parse(args.url)  # refuses what is not a database URL
    shown = urls.mask(args.url)  # as given (no driver added), without its password
    done = _refresh(args.workbook, args.url, SyncState(shown), out)
    out.line(t("sync.connected", out.lang, workbook=args.workbook, url=shown))
    _print(out, done)
    return EXIT_OK


def refresh(args: argparse.Namespace, out: Any) -> int:
    from workbook.sql.sync import SyncState
    from workbook.sql.sync_views import FileView
    from workbook.store import StoreError

    with FileView.open(args.workbook) as view:
        state = SyncState.from_names(view.name_value)
    if state is None:
        raise StoreError("sync.not_connected", workbook=str(args.workbook))
    _print(out, _refresh(args.workbook, state.url, state, out))
    return EXIT_OK


def _refresh(workbook: Path, url: str, state: Any, out: Any) -> Any:
    from workbook.sql.store import SqlStore
    from workbook.sql.sync import refresh as refresh_view
    from workbook.sql.sync_views import FileView

    with SqlStore.open(url) as source, FileView.open(workbook) as view:
        out.use_workbook_lang(view.lang)
        return refresh_view(source, view, state, datetime.now().replace(microsecond=0))


def _print(out: Any, done: Any) -> None:
    for line in done.lines(out.lang):
        out.line(line)
    out.data(
        {
            "ok": True,
            "url": done.state.url,
            "whole": done.whole,
            "reason": done.reason,
            "seq": done.state.seq,
            "orders": done.orders,
            "tables": done.tables,
            "rows": done.rows,
            "ledger_rows": done.ledger_rows,
        }
    )
