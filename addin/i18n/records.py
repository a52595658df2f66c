"""Messages of the records that must stay true (issue 11 items 1–6): the dates of facts,
delivery-date changes and the promised date, hand edits caught by ``verify``, the same order
form twice, who may do what, and currencies."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # dates of facts
    "track.before_received": (
        "“{kind}”记录的日期 {date} 早于订单的接收日期 {received}",
        "the {kind} dated {date} is before the order was received, on {received}",
    ),
    "track.before_source": (
        "“{kind}”记录的日期 {date} 早于其所依据的“{source}”记录的日期 {source_date}",
        "the {kind} dated {date} is before the {source} it follows, dated {source_date}",
    ),
}
