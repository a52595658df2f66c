"""Who may do what: each action's departments, checked against the settings' staff roster.

The procedure gives each step to a department (DOMAIN §3–§8): order management leads the review,
releases, closes; each department judges its own part of the review; production records output,
quality inspections, purchasing materials, sales shipments, deliveries and acceptance. Order
management owns the tracking ledger (§6), so it may record any tracking fact reported to it.
Change approval goes by role (the settings' ``change_approver_roles``), not by department.
"""

from __future__ import annotations

from collections.abc import Container

from addin.core.enums import Department as D
from addin.core.enums import Role, YesNo
from addin.core.lifecycle import ActionName
from addin.core.models import StaffMember
from addin.core.phrases import Joined
from addin.core.problems import Problem, RuleError
from addin.core.settings import Settings

ANY_DEPARTMENT = frozenset(D) - {D.CUSTOMER}
TRACKING_DEPARTMENTS = frozenset({D.PRODUCTION, D.TECHNICAL, D.QUALITY, D.PURCHASING, D.SALES})

ACTION_DEPARTMENTS: dict[str, frozenset[D]] = {
    # §2: sales collect orders and pass them on; order management receives and checks them
    "receive": frozenset({D.ORDER_MGMT}),
    "check": frozenset({D.ORDER_MGMT}),
    "review_start": frozenset({D.ORDER_MGMT}),
    "review_agree": frozenset({D.SALES}),
    "review_conclude": frozenset({D.ORDER_MGMT}),
    "release": frozenset({D.ORDER_MGMT}),
    "track_production": frozenset({D.PRODUCTION, D.ORDER_MGMT}),
    "track_inspection": frozenset({D.QUALITY, D.ORDER_MGMT}),
    "track_material": frozenset({D.PURCHASING, D.ORDER_MGMT}),
    "track_shipment": frozenset({D.SALES, D.ORDER_MGMT}),
    "track_delivery": frozenset({D.SALES, D.ORDER_MGMT}),
    "track_acceptance": frozenset({D.SALES, D.ORDER_MGMT}),
    "track_return": frozenset({D.SALES, D.QUALITY, D.ORDER_MGMT}),
    "track_delay": TRACKING_DEPARTMENTS | {D.ORDER_MGMT},
    "track_recovery": TRACKING_DEPARTMENTS | {D.ORDER_MGMT},
    "change_request": ANY_DEPARTMENT,
    "change_review": frozenset({D.ORDER_MGMT}),
    "close": frozenset({D.ORDER_MGMT}),
    "cancel": frozenset({D.ORDER_MGMT, D.SALES}),
    "archive": frozenset({D.ORDER_MGMT}),
}
# A customer's change request is filed by the staff who deal with the customer.
CUSTOMER_REQUEST_FILERS = frozenset({D.SALES, D.ORDER_MGMT})


def member(settings: Settings, user: str, action: str) -> StaffMember:
    """The roster's entry for ``user``; refuse when there is none."""
    found = settings.member(user)
    if found is None:
        raise RuleError(
            Problem(
                "role.not_in_roster",
                {"user": user, "action": ActionName(action)},
                table="staff",
                column="name",
            )
        )
    return found


def ensure_department(
    settings: Settings, user: str, action: str, departments: frozenset[D] | None = None
) -> StaffMember:
    """Refuse unless ``user`` is on the roster in one of the departments ``action`` allows."""
    allowed = departments if departments is not None else ACTION_DEPARTMENTS[action]
    found = member(settings, user, action)
    if found.department not in allowed:
        raise RuleError(
            Problem(
                "role.wrong_department",
                {
                    "user": found.name,
                    "department": found.department,
                    "action": ActionName(action),
                    "allowed": Joined.of(d for d in D if d in allowed),
                },
                table="staff",
                row=found.row,
                column="department",
            )
        )
    return found


def ensure_reviewer(settings: Settings, user: str, department: D) -> StaffMember:
    """Only staff of a department decide for it in a review (§3)."""
    return ensure_department(settings, user, "review_record", frozenset({department}))


def ensure_requester(settings: Settings, user: str, requested_by: D) -> StaffMember:
    """A department files its own change requests; sales or order management file the
    customer's."""
    allowed = CUSTOMER_REQUEST_FILERS if requested_by == D.CUSTOMER else frozenset({requested_by})
    return ensure_department(settings, user, "change_request", allowed)


def ensure_approver(settings: Settings, user: str, action: str) -> StaffMember:
    """Changes are approved or rejected by the roles the settings name."""
    return ensure_role(settings, user, action, settings.approver_roles(), "role.not_approver")


def ensure_role(
    settings: Settings, user: str, action: str, allowed: Container[Role], key: str
) -> StaffMember:
    """Refuse (``key``, at the member's role cell) unless ``user`` is an active roster member
    whose role is one of ``allowed``."""
    found = member(settings, user, action)
    if found.role not in allowed:
        raise RuleError(
            Problem(
                key,
                {
                    "user": found.name,
                    "role": found.role,
                    "action": ActionName(action),
                    "allowed": Joined.of(r for r in Role if r in allowed),
                },
                table="staff",
                row=found.row,
                column="role",
            )
        )
    return found


def is_requester(member: StaffMember, requester: str | None) -> bool:
    """Whether ``member`` filed the change request ``requester`` names (four eyes)."""
    return bool(requester) and requester.strip().casefold() == member.name.strip().casefold()


def approvers(settings: Settings) -> list[StaffMember]:
    """The active roster members whose role may approve a change, in roster order."""
    roles = settings.approver_roles()
    return [m for m in settings.staff if m.active == YesNo.YES and m.role in roles]


def ensure_second_person(
    approver: StaffMember, requester: str | None, change_no: str, row: int | None = None
) -> None:
    """Four eyes: who filed a change request does not approve it."""
    if is_requester(approver, requester):
        raise RuleError(
            Problem(
                "role.own_change",
                {"user": approver.name, "change_no": change_no},
                table="changes",
                row=row,
                column="requester",
            )
        )
