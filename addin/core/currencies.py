"""Currencies (DOMAIN §2.2): the settings' dated exchange rates, so that a price in another
currency is checked against the catalogue's floors (kept in the settings' currency), and an
order in a currency without a rate is not checked against a floor it cannot be compared with.

The setting ``exchange_rates`` lists one rate per entry, separated by ``;`` or new lines:
``CURRENCY RATE SINCE`` — units of the settings' currency for one unit of CURRENCY, valid from
SINCE (a date) until the next rate of that currency, e.g. ``USD 7.10 2026-01-01; USD 7.25
2026-07-01; EUR 7.80 2026-01-01``. An order's rate is the one in force on its received date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from addin.core.problems import Problem

RATES_KEY = "exchange_rates"
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Rate:
    currency: str
    value: Decimal  # units of the base currency for one unit of ``currency``
    since: date


@dataclass
class ExchangeRates:
    base: str
    rates: dict[str, list[Rate]] = field(default_factory=dict)

    @classmethod
    def parse(cls, base: str, text: str | None) -> tuple[ExchangeRates, list[Problem]]:
        """The rates of the setting's text, and a problem for each entry that cannot be read."""
        found = cls(base.upper())
        problems: list[Problem] = []
        for entry in (text or "").replace("\n", ";").split(";"):
            if not entry.strip():
                continue
            rate = _entry(entry)
            if rate is None:
                problems.append(
                    Problem(
                        "currency.bad_rate", {"entry": entry.strip()}, "settings", None, "value"
                    )
                )
                continue
            found.rates.setdefault(rate.currency, []).append(rate)
        for rates in found.rates.values():
            rates.sort(key=lambda r: r.since)
        return found, problems

    def known(self, currency: str) -> bool:
        return currency.upper() == self.base or currency.upper() in self.rates

    def known_text(self) -> str:
        return ", ".join([self.base, *sorted(self.rates)])

    def on(self, currency: str, day: date | None) -> Rate | None:
        """The rate of ``currency`` in force on ``day`` (None: none is)."""
        if day is None:
            return None
        current = None
        for rate in self.rates.get(currency.upper(), []):
            if rate.since <= day:
                current = rate
        return current


def _entry(text: str) -> Rate | None:
    parts = text.split()
    if len(parts) != 3 or not _CURRENCY.match(parts[0].upper()):
        return None
    try:
        value = Decimal(parts[1])
        since = date.fromisoformat(parts[2])
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value <= 0:
        return None
    return Rate(parts[0].upper(), value, since)


def currency_problems(
    currency: str, received: date | None, rates: ExchangeRates
) -> list[tuple[str, dict[str, object]]]:
    """What keeps an order in ``currency`` from being checked: (message key, parameters)."""
    code = currency.upper()
    if code == rates.base:
        return []
    if code not in rates.rates:
        return [("check.unknown_currency", {"currency": code, "known": rates.known_text()})]
    if rates.on(code, received) is None:
        first = rates.rates[code][0].since
        return [("check.no_rate", {"currency": code, "received": received or "-", "first": first})]
    return []
