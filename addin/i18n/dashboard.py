"""Messages of the dashboard sheet: its tiles, tables and charts (DOMAIN §9)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "sheet.analysis": ("统计分析", "Analysis"),
    "dashboard.heading": (
        "统计期间:{period}    统计日期:{as_of}",
        "Period: {period}    As of: {as_of}",
    ),
    "dashboard.refreshed": ("{time} 由 {user} 刷新", "Refreshed {time} by {user}"),
    "store.no_dashboard": (
        "工作簿 {path} 的看板还没有图表:请先关闭工作簿,运行一次 orderdesk dashboard 工作簿路径",
        "The dashboard of {path} has no charts yet: close the workbook and run "
        "'orderdesk dashboard WORKBOOK' once",
    ),
    # the analysis sheet's additions
    "analysis.col.p90": ("90%分位", "90th percentile"),
    "analysis.col.age": ("账龄(天)", "Age (days)"),
    "analysis.col.open": ("在手订单", "Open orders"),
    "analysis.col.overdue": ("其中逾期", "of which overdue"),
    "analysis.section.backlog": ("在手订单账龄(截至统计日期)", "Open orders by age (as of)"),
    "analysis.section.by_product": ("按产品", "By product"),
    "dashboard.written": (
        "已刷新工作表“{dashboard}”和“{analysis}”。",
        "Sheets '{dashboard}' and '{analysis}' refreshed.",
    ),
    "dashboard.no_data": ("无数据", "no data"),
    "dashboard.other": ("其他", "Other"),
    # tiles
    "dashboard.tile.orders": ("订单数", "Orders"),
    "dashboard.tile.sales": ("销售额", "Sales"),
    "dashboard.tile.on_time": ("交货期达成率", "On-time delivery"),
    "dashboard.tile.quality": ("质量合格率", "Quality pass rate"),
    "dashboard.tile.complaints": ("客户投诉率", "Complaint rate"),
    "dashboard.tile.overdue": ("逾期订单", "Overdue orders"),
    "dashboard.detail.orders": ("其中取消 {cancelled}", "{cancelled} cancelled"),
    "dashboard.detail.sales": ("{currency},已确认订单", "{currency}, confirmed orders"),
    "dashboard.detail.sales_more": ("另有 {others}", "also {others}"),
    "dashboard.detail.on_time": (
        "{numerator} / {denominator} 行按期",
        "{numerator} of {denominator} lines",
    ),
    "dashboard.detail.quality": (
        "{numerator} / {denominator} 件合格",
        "{numerator} of {denominator} pcs",
    ),
    "dashboard.detail.complaints": (
        "{numerator} / {denominator} 单有投诉",
        "{numerator} of {denominator} orders",
    ),
    "dashboard.detail.overdue": ("风险订单 {at_risk}", "{at_risk} at risk"),
    # tables
    "dashboard.table.trend": ("近12个月趋势", "The last 12 months"),
    "dashboard.table.delays": ("延误原因", "Delay causes"),
    "dashboard.table.rejections": ("不合格原因", "Rejection causes"),
    "dashboard.table.mix": ("产品结构(按销售额)", "Product mix (by sales)"),
    "dashboard.table.backlog": ("在手订单账龄", "Open orders by age"),
    "dashboard.col.month": ("月份", "Month"),
    "dashboard.col.orders": ("订单数", "Orders"),
    "dashboard.col.sales": ("销售额", "Sales"),
    "dashboard.col.on_time": ("交货期达成率", "On-time"),
    "dashboard.col.quality": ("质量合格率", "Pass rate"),
    "dashboard.col.complaints": ("投诉率", "Complaints"),
    "dashboard.col.cause": ("原因", "Cause"),
    "dashboard.col.entries": ("次数", "Entries"),
    "dashboard.col.cumulative": ("累计占比", "Cumulative"),
    "dashboard.col.rejected": ("不合格数", "Rejected"),
    "dashboard.col.group": ("产品组", "Group"),
    "dashboard.col.share": ("占比", "Share"),
    "dashboard.col.age": ("账龄(天)", "Age (days)"),
    "dashboard.col.open": ("在手订单", "Open"),
    "dashboard.col.overdue": ("其中逾期", "Overdue"),
    # charts
    "dashboard.chart.orders": ("订单数与销售额", "Orders and sales"),
    "dashboard.chart.rates": ("交货期达成率与质量合格率", "On-time delivery and pass rate"),
    "dashboard.chart.delays": ("延误原因 (帕累托)", "Delay causes (Pareto)"),
    "dashboard.chart.rejections": ("不合格原因 (数量)", "Rejection causes (quantity)"),
    "dashboard.chart.mix": ("产品结构", "Product mix"),
    "dashboard.chart.backlog": ("在手订单账龄", "Open orders by age"),
}
