"""The ledger's hash chain: every row's hash covers its fields and the previous row's hash.

``verify`` finds rows edited, deleted or reordered, a chain cut short (the head is kept in the
settings table as ``ledger_head``), and orders whose status cell disagrees with their ledger.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from addin.core.archive import carried_statuses
from addin.core.enums import OrderStatus
from addin.core.models import LedgerEntry, Order
from addin.core.problems import Problem

GENESIS = "0" * 64
HEAD_KEY = "ledger_head"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    return str(value).strip()


# The fields a row's hash covers, in order.
HASHED_FIELDS = (
    "seq",
    "time",
    "user",
    "order_no",
    "action",
    "status_before",
    "status_after",
    "details",
)


def row_text(prev_hash: str, fields: dict[str, Any]) -> str:
    """The text a row's hash covers: the previous hash and the row's fields, joined by U+001F
    (the server's keyed chain covers the same text). A row with a digest (of the controlled data
    it wrote) covers it too; rows written before there was one verify as they always did."""
    parts = [prev_hash] + [_text(fields.get(k)) for k in HASHED_FIELDS]
    digest = _text(fields.get("digest"))
    if digest:
        parts.append(digest)
    return "\x1f".join(parts)


def row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """The row's hash (see :func:`row_text`)."""
    return hashlib.sha256(row_text(prev_hash, fields).encode("utf-8")).hexdigest()


@dataclass
class Chain:
    """The end of the chain: where the next appended row continues it."""

    seq: int = 0
    hash: str = GENESIS

    def next_row(self, fields: dict[str, Any]) -> dict[str, Any]:
        row = dict(fields, seq=self.seq + 1)
        row["hash"] = row_hash(self.hash, row)
        self.seq, self.hash = row["seq"], row["hash"]
        return row

    @property
    def head(self) -> str:
        return f"{self.seq}:{self.hash}"


def parse_head(head: str | None) -> Chain | None:
    """The chain end kept in the settings (``seq:hash``), or None when absent or unreadable."""
    seq, _, digest = (head or "").partition(":")
    if seq.isdigit() and len(digest) == 64:
        return Chain(int(seq), digest)
    return None


def chain_end(entries: list[LedgerEntry]) -> Chain:
    if not entries:
        return Chain()
    last = max(entries, key=lambda e: e.row or 0)
    return Chain(last.seq, last.hash)


def verify(
    entries: list[LedgerEntry],
    head: str | None,
    orders: list[Order],
    chain: list[Problem] | None = None,
    base: Chain | None = None,
    statuses: bool = True,
) -> list[Problem]:
    """The chain's problems and the orders whose status disagrees with their ledger.

    ``chain``: the chain's problems as a database server found them (PostgreSQL keys the chain
    with a secret it keeps, see ``workbook.sql.security``); given, they stand for this
    function's own check of the numbering, hashes and head. ``base``: where the chain continues
    from when its start was archived (``ledger_base``); ``statuses=False`` checks the chain only
    (an archive: its orders' statuses span years).
    """
    base = base or Chain()
    in_order = sorted(entries, key=lambda e: e.row or 0)
    by_seq: dict[int, LedgerEntry] = {}
    for entry in in_order:
        by_seq.setdefault(entry.seq, entry)
    problems = _chain_problems(in_order, by_seq, head, base) if chain is None else list(chain)
    last_status: dict[str, str | None] = {}
    for entry in sorted(by_seq.values(), key=lambda e: e.seq):
        last_status.update(carried_statuses(entry.details))  # an archive row's
        if entry.order_no:
            last_status[entry.order_no] = entry.status_after
    if not statuses:
        return problems
    present = {order.order_no for order in orders}
    for order_no in sorted(set(last_status) - present):
        problems.append(
            Problem("verify.order_missing", {"order_no": order_no}, "orders", order_no=order_no)
        )
    for order in orders:
        if order.order_no in last_status:
            recorded = last_status[order.order_no]
            if OrderStatus.parse_or_none(recorded) != order.status:
                problems.append(
                    Problem(
                        "verify.status_mismatch",
                        {
                            "order_no": order.order_no,
                            "cell": order.status or "-",
                            "ledger": recorded or "-",
                        },
                        "orders",
                        order.row,
                        "status",
                        order.order_no,
                    )
                )
        elif order.status is not None:
            problems.append(
                Problem(
                    "verify.no_ledger",
                    {"order_no": order.order_no},
                    "orders",
                    order.row,
                    "status",
                    order.order_no,
                )
            )
    return problems


def _chain_problems(
    in_order: list[LedgerEntry], by_seq: dict[int, LedgerEntry], head: str | None, base: Chain
) -> list[Problem]:
    """Rows duplicated, out of order, missing or edited, and a chain cut short of its head."""
    problems: list[Problem] = []
    seen: set[int] = set()
    for entry in in_order:
        if entry.seq in seen:
            problems.append(
                Problem("verify.duplicate", {"seq": entry.seq}, "ledger", entry.row, "seq")
            )
        seen.add(entry.seq)
    last_seq = 0
    for entry in in_order:
        # Each row's hash covers the row of the previous number, wherever it stands, so one
        # edit, deletion or move is reported once, where it happened.
        if entry.seq < last_seq:
            problems.append(
                Problem(
                    "verify.reordered",
                    {"seq": entry.seq, "expected": last_seq + 1},
                    "ledger",
                    entry.row,
                    "seq",
                )
            )
        previous = by_seq.get(entry.seq - 1)
        if (entry.seq > base.seq + 1 and previous is None) or 0 < entry.seq <= base.seq:
            missing_from = max((s for s in by_seq if s < entry.seq), default=base.seq) + 1
            problems.append(
                Problem(
                    "verify.gap",
                    {"seq": entry.seq, "expected": missing_from},
                    "ledger",
                    entry.row,
                    "seq",
                )
            )
        else:
            prev_hash = previous.hash if previous is not None else base.hash
            if row_hash(prev_hash, entry.model_dump()) != entry.hash:
                problems.append(
                    Problem("verify.edited", {"seq": entry.seq}, "ledger", entry.row, "hash")
                )
        last_seq = max(last_seq, entry.seq)
    end = by_seq.get(last_seq)
    if head and end is not None and head != f"{end.seq}:{end.hash}":
        problems.append(
            Problem("verify.truncated", {"head": head.split(":")[0], "last": last_seq}, "ledger")
        )
    return problems
