"""Messages of customer complaints: severities and statuses, the rules a complaint passes, the
ledger's texts and the ribbon's complaints button."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # closed lists (the complaints sheet's drop-downs)
    "enum.ComplaintSeverity.minor": ("轻微", "Minor"),
    "enum.ComplaintSeverity.major": ("严重", "Major"),
    "enum.ComplaintSeverity.critical": ("重大", "Critical"),
    "enum.ComplaintStatus.open": ("处理中", "Open"),
    "enum.ComplaintStatus.closed": ("已关闭", "Closed"),
    # actions (ledger and messages)
    "action.complaint_record": ("记录投诉", "record complaint"),
    "action.complaint_close": ("关闭投诉", "close complaint"),
    # rules
    "complaint.not_shipped": (
        "订单 {order_no} 当前状态为“{status}”，尚未向客户发货，不能登记投诉",
        "order {order_no} is '{status}': nothing has been shipped to the customer yet, so "
        "there is nothing to complain about",
    ),
    "complaint.order_ended": (
        "订单 {order_no} 当前状态为“{status}”，从未发货，不能登记投诉",
        "order {order_no} is '{status}': it was never shipped, so no complaint can be "
        "recorded against it",
    ),
    "complaint.customer_mismatch": (
        "客户代码“{typed}”与订单 {order_no} 的客户“{customer}”不符",
        "customer code '{typed}' is not order {order_no}'s customer '{customer}'",
    ),
    "complaint.before_received": (
        "投诉日期 {date} 早于订单 {order_no} 的接收日期 {received}",
        "the complaint's date {date} is before order {order_no} was received ({received})",
    ),
    "complaint.future_date": ("日期 {date} 在今天之后", "the date {date} is in the future"),
    "complaint.bad_severity": (
        "“{value}”不是有效的严重程度（可选：{choices}）",
        "'{value}' is not a severity (one of: {choices})",
    ),
    "complaint.closed_date_required": (
        "投诉已关闭时必须填写关闭日期",
        "a closed complaint needs its closed date",
    ),
    "complaint.closed_date_while_open": (
        "投诉仍在处理中，却填写了关闭日期 {closed}（关闭投诉时请将状态改为“已关闭”）",
        "the complaint is open but has a closed date {closed} (set its status to Closed to "
        "close it)",
    ),
    "complaint.closed_before_made": (
        "关闭日期 {closed} 早于投诉日期 {date}",
        "the closed date {closed} is before the complaint's date {date}",
    ),
    "complaint.already_closed": (
        "投诉 {complaint_no} 已于 {closed} 关闭",
        "complaint {complaint_no} was closed on {closed}",
    ),
    "complaint.unknown": ("找不到投诉 {complaint_no}", "no complaint {complaint_no}"),
    # ledger and outcome
    "complaint.recorded": (
        "投诉 {complaint_no}（{date}，{severity}）：{description}",
        "complaint {complaint_no} ({date}, {severity}): {description}",
    ),
    "complaint.recorded_short": ("已记录投诉 {complaint_no}", "complaint {complaint_no} recorded"),
    "complaint.closed": (
        "投诉 {complaint_no} 于 {closed} 关闭",
        "complaint {complaint_no} closed on {closed}",
    ),
    "complaint.closed_short": ("投诉 {complaint_no} 已关闭", "complaint {complaint_no} closed"),
    # the ribbon
    "ribbon.group.complaint": ("客户投诉", "Complaints"),
    "ribbon.btn_complaints.label": ("记录投诉", "Record complaints"),
    "ribbon.btn_complaints.screentip": ("记录客户投诉", "Record customer complaints"),
    "ribbon.btn_complaints.supertip": (
        "为“客户投诉”工作表中新填写的投诉（投诉编号留空）编号并记入台账：订单号、日期、投诉内容、"
        "严重程度。投诉计入客户投诉率。",
        "Number the complaints typed into the Complaints sheet (complaint no. left blank) and "
        "record them in the ledger: order, date, description, severity. They count in the "
        "complaint rate.",
    ),
    "addin.ribbon.no_pending_complaints": (
        "没有待记录的客户投诉。请在“{sheet}”工作表中逐行填写订单号、日期、投诉内容和严重程度"
        "（“{column}”留空），再点击本按钮。",
        "No complaints are waiting. Type each as a row in sheet '{sheet}': order number, date, "
        "description and severity (leave '{column}' blank), then press this button again.",
    ),
    # the demo's complaint path
    "demo.path.complaint": ("交付后客户投诉", "customer complaints after delivery"),
    "demo.complaint.finish": (
        "部分零件表面划伤，客户要求说明原因",
        "some parts arrived with scratched surfaces; the customer asks why",
    ),
    "demo.complaint.label": ("外箱标签型号有误", "the carton labels show the wrong model"),
}
