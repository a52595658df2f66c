"""Server-side security on PostgreSQL, as the programs see it.

Migration ``0002_server_security`` installs it (see its docstring): the application role, an
append-only ledger whose chain the server numbers and keys (HMAC-SHA256 with a secret the
application role cannot read), the acting user taken from the login, and a roster and settings
only the roles the settings name may change. Here: who acts, the chain's check from the server's
side, and the server's refusals as messages. On SQLite (one PC) none of this applies: the file
mode's SHA-256 chain and the OS user stay.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from addin.core.problems import Problem
from workbook.store import StoreError

DEFAULT_APP_ROLE = "orderdesk_app"
APP_ROLE_ENV = "ORDERDESK_APP_ROLE"  # read by the migration: the application role's name
EDITORS_KEY = "settings_editor_roles"  # settings: database roles that may change the settings
LOGINS_KEY = "staff_logins"  # settings: "login=staff name; ..." when logins differ from names
INSUFFICIENT_PRIVILEGE = "42501"


def enforced(conn: Connection) -> bool:
    """Whether the server enforces this (PostgreSQL with migration 0002 applied)."""
    if conn.dialect.name != "postgresql":
        return False
    found = conn.execute(text("SELECT to_regprocedure('public.od_verify_ledger()')")).scalar()
    return found is not None


def login(conn: Connection) -> str:
    """The database login of the connection (who logged in)."""
    return str(conn.execute(text("SELECT session_user")).scalar_one())


def acting_user(conn: Connection) -> str | None:
    """Who acts on PostgreSQL: the staff member the login maps to (the settings'
    ``staff_logins``), else the login's name; None where the server does not enforce it."""
    if not enforced(conn):
        return None
    return str(conn.execute(text("SELECT public.od_acting_user()")).scalar_one())


def resolve_user(requested: str | None, acting: str | None, login_name: str = "") -> str | None:
    """The user an action records. In server mode it is the login's (``acting``): a ``--user``
    naming someone else is refused, nothing done; elsewhere ``requested`` as given."""
    if acting is None:
        return requested
    if requested and requested.strip().casefold() != acting.strip().casefold():
        raise StoreError(
            "security.user_not_login", user=requested, acting=acting, login=login_name or acting
        )
    return acting


def chain_problems(conn: Connection) -> list[Problem] | None:
    """The ledger chain's problems as the server finds them (``od_verify_ledger``: every hash
    recomputed with the key, the numbering, the head), with the file mode's problem keys; None
    where the server does not keep the chain (the file mode's check applies)."""
    if not enforced(conn):
        return None
    found = conn.execute(
        text("SELECT row_id, seq, problem, expected FROM public.od_verify_ledger()")
    ).all()
    problems: list[Problem] = []
    for row_id, seq, problem, expected in found:
        if problem == "edited":
            problems.append(Problem("verify.edited", {"seq": seq}, "ledger", row_id, "hash"))
        elif problem == "gap":
            problems.append(
                Problem("verify.gap", {"seq": seq, "expected": expected}, "ledger", row_id, "seq")
            )
        else:
            problems.append(Problem("verify.truncated", {"head": seq, "last": expected}, "ledger"))
    return problems


def refusal(exc: BaseException) -> StoreError | None:
    """The server's refusal of a write this security forbids, as a message (None for any
    other error): a trigger's ``orderdesk:<reason>``, or a privilege the role lacks."""
    orig: Any = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return None
    diag = getattr(orig, "diag", None)
    message = str(getattr(diag, "message_primary", None) or orig).strip()
    detail = str(getattr(diag, "message_detail", None) or "")
    if message == "orderdesk:ledger_append_only":
        return StoreError("security.ledger_append_only", operation=detail)
    if message == "orderdesk:app_role_missing":
        return StoreError("security.app_role_missing", role=detail)
    if message == "orderdesk:settings_editors_only":
        return StoreError("security.settings_editors_only", table=_table_name(detail))
    return StoreError("security.not_permitted", detail=(message.splitlines() or [""])[0])


def _table_name(sql_table: str) -> str:
    """The workbook table's name (``OD_Staff``) of a database table (``od_staff``)."""
    from addin.core.schema import TABLES

    table = TABLES.get(sql_table.removeprefix("od_"))
    return table.name if table is not None else sql_table
