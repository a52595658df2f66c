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
    # delivery date changes and the promised date
    "col.lines.promised_date": ("承诺交货期", "Promised date"),
    "col.changes.date_reason": ("交货期早于当日的理由", "Reason for a past date"),
    "change.date_of_delivered_line": (
        "第 {line_no} 行已于 {delivered} 交付完毕，其交货期不能再变更",
        "line {line_no} was delivered in full on {delivered}: its delivery date can no longer "
        "change",
    ),
    "change.past_date_reason_required": (
        "第 {line_no} 行的新交货期 {date} 早于今天 {today}，须在“交货期早于当日的理由”中写明理由",
        "the new delivery date {date} of line {line_no} is before today, {today}: state why in "
        "'Reason for a past date'",
    ),
    "stats.fig.on_time_agreed": (
        "交货期达成率,按变更后交货期 (%)",
        "On-time rate against the agreed date (%)",
    ),
    "stats.basis.on_time_agreed": (
        "同上各行,以经变更后约定的交货期衡量(仅供对照,不替代承诺交货期口径)",
        "the same lines measured against the delivery date agreed later through changes "
        "(for comparison; the promised date remains the measure)",
    ),
    "dashboard.detail.on_time_agreed": (
        "(按变更后交货期 {rate},{numerator} 行)",
        " (against the agreed date: {rate}, {numerator} lines)",
    ),
    # currencies
    "setting.exchange_rates": (
        "汇率(每条: 币种 汇率 起始日期,以分号分隔;汇率为一单位该币种折合的默认币种金额)",
        "Exchange rates (each: CURRENCY RATE SINCE, separated by semicolons; the rate is the "
        "default currency's amount for one unit)",
    ),
    "currency.bad_rate": (
        "无法读取汇率“{entry}”:应为“币种 汇率 起始日期”,如 USD 7.10 2026-01-01",
        "cannot read the exchange rate '{entry}': expected CURRENCY RATE SINCE, e.g. "
        "USD 7.10 2026-01-01",
    ),
    "check.unknown_currency": (
        "币种 {currency} 未在设置中登记汇率(已知币种: {known})",
        "the currency {currency} has no exchange rate in the settings (known: {known})",
    ),
    "check.no_rate": (
        "币种 {currency} 在接收日期 {received} 没有有效汇率(最早的汇率自 {first} 起)",
        "the currency {currency} has no exchange rate in force on the received date "
        "{received} (the first starts on {first})",
    ),
    "check.price_floor_converted": (
        "第 {line_no} 行: 单价 {price} {currency} 按 {since} 起的汇率 {rate} 折合 {converted} "
        "{base},低于最低价 {floor} {base}",
        "line {line_no}: price {price} {currency} is {converted} {base} at the rate {rate} "
        "in force since {since}, below the floor {floor} {base}",
    ),
    "kind.check.unknown_currency": ("未知币种", "unknown currency"),
    "kind.check.no_rate": ("无有效汇率", "no exchange rate"),
    "kind.check.price_floor_converted": ("折算后低于最低价", "price below floor (converted)"),
    # the same order form twice
    "col.orders.customer_po": ("客户订单号/合同号", "Customer PO / contract no."),
    "receive.form_digest": ("; 表单摘要 {digest}", "; form digest {digest}"),
    "receive.same_form": (
        "订单表 {file} 与 {time} 由 {user} 接收过的订单表相同，当时生成订单 {orders}；不再重复接收",
        "the order form {file} is the same as the one {user} received on {time} as orders "
        "{orders}: not received again",
    ),
    "check.same_po": (
        "该客户的订单 {orders} 也使用客户订单号/合同号 {po}：是否重复下单？",
        "the customer's order(s) {orders} carry the same PO / contract number {po}: "
        "the same order twice?",
    ),
    "kind.check.same_po": ("客户订单号重复", "same customer PO"),
    # who may do what
    "receive.form_receiver": ("订单表填写的接收人: {name}", "receiver named on the form: {name}"),
    "role.own_change": (
        "{user} 提出了变更申请 {change_no}，不能再批准它（须由另一位审批人批准）",
        "{user} filed the change request {change_no} and cannot also approve it (another "
        "approver must)",
    ),
    # hand edits of controlled data
    "col.ledger.digest": ("受控数据摘要", "Controlled data"),
    "verify.controlled_edit": (
        "与台账最后记录的值不符：记录为 {recorded}，现为 {found}（受控数据被手工修改）",
        "differs from what the ledger last recorded: recorded {recorded}, found {found} "
        "(controlled data edited by hand)",
    ),
    "verify.controlled_row_missing": (
        "台账记录过的行 {key} 已不在表中",
        "the row {key} the ledger recorded is no longer in the sheet",
    ),
    "complaint.before_shipment": (
        "投诉日期 {date} 早于订单 {order_no} 的首次发货日期 {shipped}",
        "the complaint's date {date} is before order {order_no} first shipped, on {shipped}",
    ),
    "ledger.digest_continued": (
        "(上一行受控数据摘要的续行)",
        "(the controlled data of the row above, continued)",
    ),
}
