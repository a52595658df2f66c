"""The lifecycle: the one table of allowed status changes that every action goes through."""

from __future__ import annotations

from dataclasses import dataclass

from addin.core.enums import OrderStatus as S
from addin.core.problems import Problem, RuleError
from addin.i18n import t

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
# After release the status follows the facts recorded (addin.core.tracking.status_from_facts).
EXECUTION = (S.RELEASED, S.IN_PRODUCTION, S.INSPECTED, S.SHIPPED, S.DELIVERED)
# An approved change during the review sends the order back to be reviewed again.
REVIEWING = (S.IN_REVIEW, S.NEGOTIATING, S.REJECTED)


def _stay(*statuses: S) -> dict[S | None, frozenset[S]]:
    return {s: frozenset({s}) for s in statuses}


TRANSITIONS: dict[str, dict[S | None, frozenset[S]]] = {
    "receive": {None: frozenset({S.RECEIVED})},
    "check": {
        None: frozenset({S.CHECKED, S.NEEDS_INFO}),
        S.RECEIVED: frozenset({S.CHECKED, S.NEEDS_INFO}),
        S.NEEDS_INFO: frozenset({S.CHECKED, S.NEEDS_INFO}),
    },
    # review (§3): a round opens on a checked order, or on agreement after a negotiation
    "review_start": {S.CHECKED: frozenset({S.IN_REVIEW})},
    "review_record": _stay(S.IN_REVIEW),
    "review_agree": {S.NEGOTIATING: frozenset({S.IN_REVIEW})},
    "review_conclude": {
        S.IN_REVIEW: frozenset({S.REVIEW_PASSED, S.NEGOTIATING, S.REJECTED}),
    },
    # release (§4)
    "release": {S.REVIEW_PASSED: frozenset({S.RELEASED})},
    # execution and tracking (§5–§6): partial shipments and deliveries may precede the last
    # inspection; the order is shipped / delivered once every line is.
    "track_production": {
        S.RELEASED: frozenset({S.IN_PRODUCTION}),
        S.IN_PRODUCTION: frozenset({S.IN_PRODUCTION}),
        S.INSPECTED: frozenset({S.INSPECTED}),
    },
    "track_inspection": {
        S.IN_PRODUCTION: frozenset({S.IN_PRODUCTION, S.INSPECTED}),
        S.INSPECTED: frozenset({S.INSPECTED}),
    },
    "track_material": _stay(S.REVIEW_PASSED, S.RELEASED, S.IN_PRODUCTION, S.INSPECTED),
    "track_shipment": {
        S.IN_PRODUCTION: frozenset({S.IN_PRODUCTION}),
        S.INSPECTED: frozenset({S.INSPECTED, S.SHIPPED}),
    },
    "track_delivery": {
        S.IN_PRODUCTION: frozenset({S.IN_PRODUCTION}),
        S.INSPECTED: frozenset({S.INSPECTED}),
        S.SHIPPED: frozenset({S.SHIPPED, S.DELIVERED}),
    },
    "track_acceptance": {S.DELIVERED: frozenset({S.ACCEPTED})},
    # goods rejected on delivery come back for rework: the order is in production again, or
    # inspected when enough surplus passed units are left (after a short close)
    "track_return": {
        S.IN_PRODUCTION: frozenset({S.IN_PRODUCTION}),
        S.INSPECTED: frozenset({S.IN_PRODUCTION, S.INSPECTED}),
        S.SHIPPED: frozenset({S.IN_PRODUCTION, S.INSPECTED}),
    },
    "track_delay": _stay(S.REVIEW_PASSED, *EXECUTION),
    "track_recovery": _stay(S.REVIEW_PASSED, *EXECUTION),
    # change (§7): a rejected change leaves the order as it was; an approved one may move a
    # released order between execution statuses (its quantities changed) or send an order in
    # review back to be reviewed again.
    "change_request": _stay(*CHANGEABLE),
    "change_review": _stay(*CHANGEABLE),
    "change_opinion": _stay(*CHANGEABLE),
    # a request still open when the customer has accepted can only be turned down (to close)
    "change_reject": _stay(*CHANGEABLE, S.ACCEPTED),
    # A changed quantity moves a released order to where its facts now stand: more to make
    # sends it back to production; less may complete it (a short close: down to what shipped).
    "change_approve": _stay(S.RECEIVED, S.NEEDS_INFO, S.CHECKED, S.REVIEW_PASSED, S.RELEASED)
    | {s: frozenset({S.CHECKED}) for s in REVIEWING}
    | {
        S.IN_PRODUCTION: frozenset({S.IN_PRODUCTION, S.INSPECTED, S.SHIPPED, S.DELIVERED}),
        S.INSPECTED: frozenset({S.INSPECTED, S.IN_PRODUCTION, S.SHIPPED, S.DELIVERED}),
        S.SHIPPED: frozenset({S.SHIPPED, S.IN_PRODUCTION}),
        S.DELIVERED: frozenset({S.DELIVERED, S.IN_PRODUCTION}),
    },
    # closure and cancellation (§8)
    "close": {S.ACCEPTED: frozenset({S.CLOSED})},
    "cancel": {s: frozenset({S.CANCELLED}) for s in BEFORE_SHIPMENT},
    "send": _stay(S.RELEASED, S.IN_PRODUCTION, S.INSPECTED, S.SHIPPED),
}


@dataclass(frozen=True)
class ActionName:
    """An action named in a message: shown as its catalogue label (``action.<name>``)."""

    name: str

    def label(self, lang: str) -> str:
        return t(f"action.{self.name}", lang)

    def __str__(self) -> str:
        return self.name


def allowed(action: str, before: S | None, after: S | None = None) -> bool:
    targets = TRANSITIONS[action].get(before)
    if targets is None:
        return False
    return after is None or after in targets


def forbids(action: str, order_no: str, before: S | None, row: int | None = None) -> Problem:
    """The problem of an action the table does not allow from ``before``."""
    return Problem(
        "rule.status_forbids",
        {
            "action": ActionName(action),
            "status": before or ActionName("none"),
            "order_no": order_no,
        },
        table="orders",
        row=row,
        column="status",
        order_no=order_no,
    )


def ensure_allowed(
    action: str, order_no: str, before: S | None, after: S | None = None, row: int | None = None
) -> None:
    """Raise RuleError naming the action and the order's status when the table forbids it."""
    if not allowed(action, before, after):
        raise RuleError(forbids(action, order_no, before, row))


def ensure_transition(
    action: str, order_no: str, before: S | None, after: S, row: int | None = None
) -> None:
    """Like :func:`ensure_allowed`, but when the action is allowed from ``before`` and only the
    status its facts lead to is not, say so (``rule.transition_forbids``): the status cell
    disagrees with the order's records."""
    if allowed(action, before, after):
        return
    if not allowed(action, before):
        raise RuleError(forbids(action, order_no, before, row))
    raise RuleError(
        Problem(
            "rule.transition_forbids",
            {
                "action": ActionName(action),
                "status": before or ActionName("none"),
                "after": after,
                "order_no": order_no,
            },
            table="orders",
            row=row,
            column="status",
            order_no=order_no,
        )
    )


def actions_from(status: S | None) -> list[str]:
    """The actions the table allows from ``status`` (for help texts and tests)."""
    return [action for action, table in TRANSITIONS.items() if status in table]
