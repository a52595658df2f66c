"""Master data from the command line: ``orderdesk customer|product|staff add|deactivate`` and
``orderdesk capacity set``. Values are read as the sheets read typed cells."""

from __future__ import annotations

import argparse
from typing import Any

from addin.commands.common import add_workbook, run

# noun → (table, key argument, {option: column}) of ``add``
_ADD: dict[str, tuple[str, str, dict[str, str]]] = {
    "customer": (
        "customers",
        "customer_code",
        {
            "name": "name",
            "contact": "contact",
            "contact_info": "contact_info",
            "address": "address",
            "credit_limit": "credit_limit",
            "currency": "currency",
        },
    ),
    "product": (
        "products",
        "product_code",
        {
            "name": "name",
            "spec": "spec",
            "group": "product_group",
            "unit": "unit",
            "list_price": "list_price",
            "price_floor": "price_floor",
            "lot_size": "lot_size",
            "min_qty": "min_qty",
            "lead_time": "lead_time_days",
        },
    ),
    "staff": ("staff", "name", {"dept": "department", "role": "role", "email": "email"}),
}
_HELP = {
    "customer": "customers: add one, or deactivate one (its orders keep naming it)",
    "product": "the product catalogue: add a product, or deactivate one",
    "staff": "the staff roster: add a member (department, role), or deactivate one",
}
_REQUIRED = {"customer": ("name",), "product": ("name",), "staff": ("dept",)}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    for noun, (_, key, options) in _ADD.items():
        p = sub.add_parser(noun, parents=[common], help=_HELP[noun])
        verbs = p.add_subparsers(dest="verb", required=True, metavar="ACTION")
        add = verbs.add_parser("add", parents=[common], help=f"add a {noun}")
        add_workbook(add)
        add.add_argument(key, metavar=key.upper())
        for option in options:
            add.add_argument(
                f"--{option.replace('_', '-')}", dest=option, required=option in _REQUIRED[noun]
            )
        add.set_defaults(handler=_add, noun=noun)
        off = verbs.add_parser("deactivate", parents=[common], help=f"deactivate a {noun}")
        add_workbook(off)
        off.add_argument("key", metavar=key.upper())
        off.set_defaults(handler=_deactivate, noun=noun)

    p = sub.add_parser("capacity", parents=[common], help="capacity per product group and week")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="ACTION")
    cap = verbs.add_parser(
        "set", parents=[common], help="a product group's capacity for the week of a date"
    )
    add_workbook(cap)
    cap.add_argument("group", metavar="GROUP")
    cap.add_argument("week", metavar="WEEK", help="any day of the week (its Monday is kept)")
    cap.add_argument("quantity", metavar="QTY")
    cap.set_defaults(handler=_capacity)


def _add(args: argparse.Namespace, out: Any) -> int:
    from addin.services.master_data import add

    table, key, options = _ADD[args.noun]
    values = {key: getattr(args, key), **{col: getattr(args, opt) for opt, col in options.items()}}
    return run(args, out, lambda store: add(store, table, values, args.user))


def _deactivate(args: argparse.Namespace, out: Any) -> int:
    from addin.services.master_data import deactivate

    table = _ADD[args.noun][0]
    return run(args, out, lambda store: deactivate(store, table, args.key, args.user))


def _capacity(args: argparse.Namespace, out: Any) -> int:
    from addin.services.master_data import set_capacity

    return run(
        args,
        out,
        lambda store: set_capacity(store, args.group, args.week, args.quantity, args.user),
    )
