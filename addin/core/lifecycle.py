"""The lifecycle: the one table of allowed status changes that every action goes through."""

from __future__ import annotations

from addin.core.enums import OrderStatus as S
from addin.core.problems import Problem, RuleError

# action → {status before (None: not yet in the workbook / typed without status) → allowed after}
BEFORE_SHIPMENT = frozenset(
    {
        S.RECEIVED,
        S.NEEDS_INFO,
        S.CHECKED,
        S.IN_REVIEW,
        S.NEGOTIATING,
        S.REJECTED,
        S.REVIEW_PASSED,
        S.RELEASED,
        S.IN_PRODUCTION,
        S.INSPECTED,
    }
)
CHANGEABLE = BEFORE_SHIPMENT | {S.SHIPPED, S.DELIVERED}

TRANSITIONS: dict[str, dict[S | None, frozenset[S]]] = {
    "receive": {None: frozenset({S.RECEIVED})},
    "check": {
        None: frozenset({S.CHECKED, S.NEEDS_INFO}),
        S.RECEIVED: frozenset({S.CHECKED, S.NEEDS_INFO}),
        S.NEEDS_INFO: frozenset({S.CHECKED, S.NEEDS_INFO}),
    },
    "review_start": {S.CHECKED: frozenset({S.IN_REVIEW}), S.NEGOTIATING: frozenset({S.IN_REVIEW})},
    "review_record": {S.IN_REVIEW: frozenset({S.IN_REVIEW})},
    "review_agree": {S.NEGOTIATING: frozenset({S.NEGOTIATING})},
    "review_conclude": {
        S.IN_REVIEW: frozenset({S.REVIEW_PASSED, S.NEGOTIATING, S.REJECTED}),
    },
    "release": {S.REVIEW_PASSED: frozenset({S.RELEASED})},
    "track_production": {
        S.RELEASED: frozenset({S.IN_PRODUCTION}),
        S.IN_PRODUCTION: frozenset({S.IN_PRODUCTION}),
        S.INSPECTED: frozenset({S.INSPECTED}),
    },
    "track_inspection": {
        S.IN_PRODUCTION: frozenset({S.IN_PRODUCTION, S.INSPECTED}),
        S.INSPECTED: frozenset({S.INSPECTED, S.IN_PRODUCTION}),
    },
    "track_material": {
        s: frozenset({s}) for s in (S.REVIEW_PASSED, S.RELEASED, S.IN_PRODUCTION, S.INSPECTED)
    },
    "track_delay": {
        s: frozenset({s}) for s in (S.RELEASED, S.IN_PRODUCTION, S.INSPECTED, S.SHIPPED)
    },
    "track_shipment": {
        S.INSPECTED: frozenset({S.INSPECTED, S.SHIPPED}),
        S.SHIPPED: frozenset({S.SHIPPED}),
    },
    "track_delivery": {
        S.SHIPPED: frozenset({S.SHIPPED, S.DELIVERED}),
        S.DELIVERED: frozenset({S.DELIVERED}),
    },
    "track_acceptance": {S.DELIVERED: frozenset({S.ACCEPTED})},
    "change_request": {s: frozenset({s}) for s in CHANGEABLE},
    "change_review": {s: frozenset({s}) for s in CHANGEABLE},
    "change_decide": {s: frozenset({s}) for s in CHANGEABLE}
    | {S.REJECTED: frozenset({S.REJECTED, S.CHECKED})},
    "close": {S.ACCEPTED: frozenset({S.CLOSED})},
    "cancel": {s: frozenset({S.CANCELLED}) for s in BEFORE_SHIPMENT},
    "send": {s: frozenset({s}) for s in (S.RELEASED, S.IN_PRODUCTION, S.INSPECTED, S.SHIPPED)},
}


def allowed(action: str, before: S | None, after: S | None = None) -> bool:
    targets = TRANSITIONS[action].get(before)
    if targets is None:
        return False
    return after is None or after in targets


def ensure_allowed(action: str, order_no: str, before: S | None, after: S | None = None) -> None:
    """Raise RuleError naming the action and the order's status when the table forbids it."""
    if not allowed(action, before, after):
        raise RuleError(
            Problem(
                "rule.status_forbids",
                {"action": f"action.{action}", "status": before or "none", "order_no": order_no},
                table="orders",
                column="status",
                order_no=order_no,
            )
        )


def actions_from(status: S | None) -> list[str]:
    """The actions the table allows from ``status`` (for help texts and tests)."""
    return [action for action, table in TRANSITIONS.items() if status in table]
