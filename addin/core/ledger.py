"""The ledger's hash chain: every row's hash covers its fields and the previous row's hash.

``verify`` finds rows edited, deleted or reordered, a chain cut short (the head is kept in the
settings table as ``ledger_head``), and orders whose status cell disagrees with their ledger.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


def row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    parts = [prev_hash] + [
        _text(fields.get(k))
        for k in (
            "seq",
            "time",
            "user",
            "order_no",
            "action",
            "status_before",
            "status_after",
            "details",
        )
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


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


def verify(entries: list[LedgerEntry], head: str | None, orders: list[Order]) -> list[Problem]:
    problems: list[Problem] = []
    prev_hash, prev_seq = GENESIS, 0
    last_status: dict[str, str | None] = {}
    for entry in sorted(entries, key=lambda e: e.row or 0):
        fields = entry.model_dump()
        if entry.seq != prev_seq + 1:
            # Rows removed or moved: report, then continue the chain from this row's own hash.
            key = "verify.reordered" if entry.seq <= prev_seq else "verify.gap"
            problems.append(
                Problem(
                    key, {"seq": entry.seq, "expected": prev_seq + 1}, "ledger", entry.row, "seq"
                )
            )
        elif row_hash(prev_hash, fields) != entry.hash:
            problems.append(
                Problem("verify.edited", {"seq": entry.seq}, "ledger", entry.row, "hash")
            )
        prev_hash, prev_seq = entry.hash, entry.seq
        if entry.order_no:
            last_status[entry.order_no] = entry.status_after
    if head is not None and head != "" and head != f"{prev_seq}:{prev_hash}":
        problems.append(
            Problem("verify.truncated", {"head": head.split(":")[0], "last": prev_seq}, "ledger")
        )
    for order in orders:
        if order.order_no in last_status:
            recorded = last_status[order.order_no]
            try:
                recorded_status = OrderStatus.parse(recorded) if recorded else None
            except ValueError:
                recorded_status = None
            if recorded_status != order.status:
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
