"""Messages of the meeting report (DOMAIN §6 regular tracking meeting): ``orderdesk report``."""

MESSAGES: dict[str, tuple[str, str]] = {
    "report.title": ("订单跟踪例会报告", "Order tracking meeting report"),
    "report.file_stem": ("例会报告-{period}", "meeting-report-{period}"),
    "report.no_data": ("无数据", "no data"),
    "report.not_given": ("（未填）", "(not given)"),
    "report.none": ("无", "None"),
    "report.none_in_period": ("本期无", "None in the period"),
    "report.none_overdue": ("没有超时或逾期交货的订单", "No order is overdue"),
    "report.none_at_risk": ("没有交期风险的订单", "No order is at risk"),
    "report.none_changes": ("没有未结的变更申请", "No change request is open"),
    # sheets (tab names: at most 31 characters, none of []:*?/\)
    "report.sheet.summary": ("概览", "Summary"),
    "report.sheet.overdue": ("超时与逾期", "Overdue"),
    "report.sheet.at_risk": ("交期风险", "At risk"),
    "report.sheet.changes": ("未结变更", "Open changes"),
    "report.sheet.progress": ("本期进展", "Progress"),
    "report.section.summary": ("一、本期指标与原因分析", "1. The period's figures and causes"),
    "report.section.overdue": ("二、超时与逾期交货的订单", "2. Overdue orders"),
    "report.section.at_risk": ("三、有交期风险的订单", "3. Orders at risk"),
    "report.section.changes": ("四、未结的变更申请", "4. Open change requests"),
    "report.section.progress": (
        "五、本期下达、发货、结案的订单",
        "5. Orders released, shipped and closed in the period",
    ),
    "report.section.delays": ("延误原因", "Delay causes"),
    "report.section.rejections": ("不合格原因", "Rejection causes"),
    # columns
    "report.col.figure": ("指标", "Figure"),
    "report.col.value": ("数值", "Value"),
    "report.col.numerator": ("分子", "Numerator"),
    "report.col.denominator": ("分母", "Denominator"),
    "report.col.basis": ("口径", "Basis"),
    "report.col.cause": ("原因", "Cause"),
    "report.col.entries": ("记录数", "Entries"),
    "report.col.orders": ("订单数", "Orders"),
    "report.col.rejected": ("不合格数量", "Rejected qty"),
    "report.col.order_no": ("订单号", "Order no."),
    "report.col.customer": ("客户", "Customer"),
    "report.col.status": ("状态", "Status"),
    "report.col.kind": ("类别", "Kind"),
    "report.col.reason": ("说明", "Reason"),
    "report.col.since": ("起始日", "Since"),
    "report.col.deadline": ("期限", "Due"),
    "report.col.late_by": ("超出", "Late by"),
    "report.col.delivery_date": ("交货期", "Delivery date"),
    "report.col.beyond": ("预计超出", "Beyond by"),
    "report.col.change_no": ("变更编号", "Change no."),
    "report.col.content": ("变更内容", "What changes"),
    "report.col.change_reason": ("变更原因", "Reason"),
    "report.col.requested_by": ("申请部门/人", "Requested by"),
    "report.col.requested_at": ("申请日期", "Requested on"),
    "report.col.change_status": ("状态", "Status"),
    "report.col.days_open": ("已开天数", "Days open"),
    "report.col.milestone": ("进展", "Milestone"),
    "report.col.date": ("日期", "Date"),
    # figures
    "report.fig.on_time": ("交货期达成率", "On-time delivery rate"),
    "report.fig.quality": ("质量合格率", "Quality pass rate"),
    "report.fig.complaint_rate": ("客户投诉率", "Complaint rate"),
    "report.fig.overdue": ("超时或逾期的事项", "Overdue items"),
    "report.fig.at_risk": ("有交期风险的订单", "Orders at risk"),
    "report.fig.changes": ("未结的变更申请", "Open change requests"),
    "report.fig.progress": ("本期下达/发货/结案", "Released / shipped / closed"),
    "report.basis.overdue": (
        "截至报告日期：阶段超过时限（工作日）、变更超过处理时限、交货期已过仍未交付",
        "as of the report date: a stage or a change past its time limit (working days), "
        "a delivery date passed undelivered",
    ),
    "report.basis.at_risk": (
        "截至报告日期：未恢复的延误、未到货的缺料或产品交货周期超出交货期",
        "as of the report date: an open delay, a material shortage or the product's lead time "
        "reaching past the delivery date",
    ),
    "report.basis.changes": (
        "已申请或已评审、尚未批准或驳回的变更申请",
        "requested or reviewed, not yet approved or rejected",
    ),
    "report.basis.progress": (
        "按台账中状态变更的日期，每个订单每种进展计一次",
        "by the ledger's date of the status change; each order once per milestone",
    ),
    "report.note.period": ("统计期间：{start} 至 {end}", "Period: {start} to {end}"),
    "report.note.as_of": ("报告日期：{as_of}", "As of: {as_of}"),
    "report.note.sep": ("　　", " · "),
    "report.note.prepared": ("编制：{user}，{at}", "Prepared by {user} at {at}"),
    "report.note.left_out": (
        "主工作簿中有 {count} 行无法读取，未计入本报告",
        "{count} row(s) of the master workbook could not be read and are left out",
    ),
    "report.footer": ("OrderDesk 生成 · {user} · {at}", "Made by OrderDesk · {user} · {at}"),
    "report.page": ("第 {page} 页 / 共 {pages} 页", "Page {page} of {pages}"),
    # the command
    "report.summary": (
        "{period}：订单 {orders} 个，交货期达成率 {on_time}，质量合格率 {quality}；"
        "超时或逾期 {overdue} 项，交期风险 {at_risk} 个，未结变更 {changes} 个",
        "{period}: {orders} order(s), on time {on_time}, quality {quality}; "
        "{overdue} overdue item(s), {at_risk} at risk, {changes} open change(s)",
    ),
    "report.bad_month": (
        "期间“{value}”不是月份（格式 YYYY-MM，如 2026-11）",
        "period '{value}' is not a month (YYYY-MM, e.g. 2026-11)",
    ),
    "report.bad_period": (
        "期间的开始日 {start} 晚于结束日 {end}",
        "the period starts on {start}, after its end {end}",
    ),
    "report.pdf_missing": (
        "报告工作簿已生成，但没有 PDF：{reason}",
        "The report workbook is written, but not its PDF: {reason}",
    ),
}
