"""Messages of the statistics and the dashboard sheet (DOMAIN §9)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "action.stats": ("刷新统计", "refresh statistics"),
    # heading block
    "stats.period": ("统计期间", "Period"),
    "stats.period_all": ("全部", "All"),
    "stats.period_range": ("{start} 至 {end}", "{start} to {end}"),
    "stats.as_of": ("统计日期", "As of"),
    "stats.refreshed": ("刷新时间", "Refreshed at"),
    "stats.user": ("刷新人", "Refreshed by"),
    "stats.none": ("无", "None"),
    "stats.unassigned": ("(未填)", "(not given)"),
    # key figures
    "stats.section.key": ("主要指标", "Key figures"),
    "stats.col.figure": ("指标", "Figure"),
    "stats.col.value": ("数值", "Value"),
    "stats.col.numerator": ("分子", "Numerator"),
    "stats.col.denominator": ("分母", "Denominator"),
    "stats.col.basis": ("口径", "Basis"),
    "stats.fig.orders": ("订单数", "Orders received"),
    "stats.fig.cancelled": ("其中已取消", "of which cancelled"),
    "stats.fig.sales": ("销售额 ({currency})", "Sales amount ({currency})"),
    "stats.fig.on_time": ("交货期达成率 (%)", "On-time delivery rate (%)"),
    "stats.fig.quality": ("质量合格率 (%)", "Quality pass rate (%)"),
    "stats.fig.complaint_rate": ("客户投诉率 (%)", "Complaint rate (%)"),
    "stats.fig.complaints": ("收到投诉数", "Complaints received"),
    "stats.fig.overdue": ("逾期订单数", "Overdue orders"),
    "stats.fig.at_risk": ("风险订单数", "At-risk orders"),
    "stats.basis.orders": ("按接收日期", "by received date"),
    "stats.basis.sales": (
        "按接收日期;仅计已确认订单(评审通过及以后,不含已取消)",
        "by received date; confirmed orders only (review passed or later, not cancelled)",
    ),
    "stats.basis.on_time": (
        "在订单确认(评审通过)时承诺的交货期当日或之前交付的发货行 ÷ 已交付的发货行(按交付完成日期)",
        "shipped lines delivered on or before the date promised when the order was confirmed "
        "(review passed) ÷ shipped lines delivered (by delivery date)",
    ),
    "stats.basis.quality": (
        "合格数量 ÷ 检验数量(成品检验,按检验日期)",
        "quantity passed ÷ quantity inspected (final inspections, by date)",
    ),
    "stats.basis.complaint_rate": (
        "有投诉的订单 ÷ 已交付订单(按交付完成日期)",
        "orders with a complaint ÷ orders delivered (by delivery date)",
    ),
    "stats.basis.complaints": ("按投诉日期", "by complaint date"),
    "stats.basis.overdue": (
        "截至统计日期:交货期已过仍未交付的未结订单",
        "as of the statistics date: open orders with a delivery date passed, not delivered",
    ),
    "stats.basis.at_risk": (
        "与逾期预警相同:未恢复的延误、未到货的缺料或生产周期超过某行交货期",
        "as the overdue listing: an open delay, material shortage or lead time reaching past a "
        "line's delivery date",
    ),
    # cycle times
    "stats.section.stages": ("周期(天,自接收日期起)", "Cycle and stage times (days from receipt)"),
    "stats.col.stage": ("阶段", "Stage"),
    "stats.col.orders": ("订单数", "Orders"),
    "stats.col.mean": ("平均", "Mean"),
    "stats.col.median": ("中位数", "Median"),
    "stats.col.max": ("最长", "Max"),
    "stats.stage.review_passed": ("接收 → 评审通过", "Receipt → review passed"),
    "stats.stage.released": ("接收 → 下达", "Receipt → released"),
    "stats.stage.shipped": ("接收 → 发货", "Receipt → shipped"),
    "stats.stage.closed": ("接收 → 结案(订单周期)", "Receipt → closure (cycle time)"),
    # product mix
    "stats.section.mix_groups": ("产品结构(按产品组)", "Product mix by product group"),
    "stats.section.mix_products": ("产品结构(按产品)", "Product mix by product"),
    "stats.col.currency": ("币种", "Currency"),
    "stats.col.group": ("产品组", "Product group"),
    "stats.col.product_code": ("产品编码", "Product code"),
    "stats.col.product_name": ("产品名称", "Product name"),
    "stats.col.quantity": ("数量", "Quantity"),
    "stats.col.amount": ("金额", "Amount"),
    "stats.col.amount_in": ("金额 ({currency})", "Amount ({currency})"),
    "stats.col.share": ("占比 (%)", "Share (%)"),
    # causes
    "stats.section.delays": ("延误原因", "Where delays come from"),
    "stats.section.rejections": ("不合格原因", "Where rejections come from"),
    "stats.col.cause": ("原因", "Cause"),
    "stats.col.entries": ("次数", "Entries"),
    "stats.col.rejected": ("不合格数量", "Quantity rejected"),
    # breakdowns
    "stats.section.by_customer": ("按客户", "By customer"),
    "stats.section.by_rep": ("按销售员", "By sales rep"),
    "stats.section.by_month": ("按月趋势", "Trend by month"),
    "stats.col.customer": ("客户", "Customer"),
    "stats.col.rep": ("销售员", "Sales rep"),
    "stats.col.month": ("月份", "Month"),
    # order lists
    "stats.section.overdue": ("逾期订单", "Overdue orders"),
    "stats.section.at_risk": ("风险订单", "At-risk orders"),
    "stats.col.order_no": ("订单号", "Order no."),
    "stats.col.status": ("状态", "Status"),
    "stats.col.due": ("最早未交交货期", "Earliest unmet delivery date"),
    "stats.col.days_overdue": ("逾期天数", "Days overdue"),
    "stats.col.expected": ("预计日期", "Expected"),
    # service and command line
    "stats.bad_period": (
        "统计期间的开始日期 {start} 晚于结束日期 {end}",
        "The period starts ({start}) after it ends ({end})",
    ),
    "stats.logged": (
        "统计期间 {period}:订单 {orders},交货期达成率 {on_time},质量合格率 {quality},"
        "客户投诉率 {complaints}",
        "period {period}: {orders} orders, on-time delivery {on_time}, quality pass {quality}, "
        "complaints {complaints}",
    ),
}
