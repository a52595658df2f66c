"""What a database's refusals become: StoreErrors the entry points show, some of them worth
running the action again (a stale view the store read itself, contention)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from workbook.store import StoreError

RETRYABLE_STATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock


class StaleView(StoreError):
    """The order changed since it was read: refresh and decide again (nothing was written)."""

    def __init__(
        self, order_no: str, user: str | None, time: datetime | None, retryable: bool = True
    ) -> None:
        when = time.replace(microsecond=0).isoformat(sep=" ") if time else "-"
        super().__init__("store.stale", order_no=order_no, user=user or "-", time=when)
        self.retryable = retryable  # the store read the order itself: a re-run reads it anew


class Contention(StoreError):
    """The database refused the transaction for another one's sake (serialization, deadlock,
    a busy file): running the action again may succeed."""

    retryable = True

    def __init__(self, detail: str) -> None:
        super().__init__("server.busy", detail=detail)


def database_error(exc: SQLAlchemyError, url: str) -> StoreError:
    """A database error as a StoreError: retryable contention, or the detail, password-free."""
    from workbook.sql import security

    refused = security.refusal(exc)  # the server's security refused the write
    if refused is not None:
        return refused
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    text = _first_line(orig if orig is not None else exc)
    if isinstance(exc, IntegrityError):
        return StoreError("server.constraint", detail=text)
    if state in RETRYABLE_STATES or "database is locked" in text:
        return Contention(text)
    if isinstance(exc, OperationalError) and (state is None or state.startswith("08")):
        return StoreError("server.unreachable", url=url, detail=text)
    return StoreError("server.db_error", url=url, detail=text)


def _first_line(exc: object) -> str:
    return (str(exc).strip().splitlines() or [""])[0]
