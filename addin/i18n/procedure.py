"""Messages of the procedure's later parts: master data, reminders, short close and returns,
task orders and change notices production can act on."""

MESSAGES: dict[str, tuple[str, str]] = {
    # master data (issue 11 item 11)
    "col.staff.active": ("在职", "Active"),
    "setting.master_data_roles": (
        "可维护主数据（客户、产品、产能、人员）的角色（逗号分隔）",
        "Roles that may change master data: customers, products, capacity, staff (comma separated)",
    ),
    "action.customer_add": ("新增客户", "add customer"),
    "action.customer_deactivate": ("停用客户", "deactivate customer"),
    "action.product_add": ("新增产品", "add product"),
    "action.product_deactivate": ("停用产品", "deactivate product"),
    "action.capacity_set": ("设置产能", "set capacity"),
    "action.staff_add": ("新增人员", "add staff member"),
    "action.staff_deactivate": ("停用人员", "deactivate staff member"),
    "action.master_check": ("校验主数据", "check master data"),
    "master.not_allowed": (
        "“{user}”的角色为{role}，“{action}”需要以下角色：{allowed}（设置项 master_data_roles）",
        "'{user}' is {role}; '{action}' needs one of these roles: {allowed} "
        "(setting master_data_roles)",
    ),
    "master.exists": ("“{key}”已存在", "'{key}' exists already"),
    "master.inactive_exists": (
        "“{key}”已存在（已停用），不能重复新增",
        "'{key}' exists already (deactivated); it cannot be added again",
    ),
    "master.unknown": ("找不到“{key}”", "no '{key}' in this table"),
    "master.already_inactive": ("“{key}”已停用", "'{key}' is deactivated already"),
    "master.last_editor": (
        "“{key}”是唯一可维护主数据的在职人员，停用后无人能再维护主数据（请先新增另一位）",
        "'{key}' is the only active member who may change master data; after this nobody could "
        "(add another one first)",
    ),
    "master.duplicate": (
        "“{key}”与第 {other} 行重复",
        "'{key}' repeats row {other}",
    ),
    "master.added": ("已在“{sheet}”新增“{key}”", "'{key}' added to sheet '{sheet}'"),
    "master.deactivated": ("已在“{sheet}”停用“{key}”", "'{key}' deactivated in sheet '{sheet}'"),
    "master.capacity_set": ("产能已设置：{key}", "capacity set: {key}"),
    "master.check_ok": (
        "主数据无问题：客户 {customers} 行，产品 {products} 行，产能 {capacity} 行，人员 {staff} 行",
        "Master data is in order: {customers} customers, {products} products, "
        "{capacity} capacity rows, {staff} staff",
    ),
    "master.check_found": (
        "主数据有 {count} 处问题（客户 {customers} 行，产品 {products} 行，产能 {capacity} 行，"
        "人员 {staff} 行）",
        "{count} problem(s) in the master data ({customers} customers, {products} products, "
        "{capacity} capacity rows, {staff} staff)",
    ),
    "ribbon.group.master": ("主数据", "Master data"),
    "ribbon.btn_master_check.label": ("校验主数据", "Check master data"),
    "ribbon.btn_master_check.screentip": ("校验主数据", "Check the master data"),
    "ribbon.btn_master_check.supertip": (
        "检查“客户”“产品目录”“产能”和设置表人员名单中手工填写的行：数值、日期、下拉选项是否有效，"
        "编码是否重复。与命令行新增主数据时的校验相同。",
        "Checks the rows typed into the Customers, Products and Capacity sheets and the staff "
        "roster: readable values, dates and choices, no repeated code. The same checks as adding "
        "master data from the command line.",
    ),
    "ribbon.btn_deactivate.label": ("停用", "Deactivate"),
    "ribbon.btn_deactivate.screentip": ("停用所选客户、产品或人员", "Deactivate the selection"),
    "ribbon.btn_deactivate.supertip": (
        "停用所选的客户、产品或人员行（行保留，已有订单仍可引用）。只有设置项 master_data_roles "
        "所列角色的人员可以操作。",
        "Deactivates the selected customer, product or staff rows (the rows stay: orders still "
        "name them). Only staff whose role the setting master_data_roles lists may do it.",
    ),
    "addin.ribbon.select_master": (
        "请先在“{sheets}”中选择要停用的行",
        "Select the rows to deactivate in {sheets} first",
    ),
    # reminders (issue 11 item 10)
    "action.remind": ("待办提醒", "reminders"),
    "remind.review": (
        "订单 {order_no} 第 {round} 轮评审：请填写本部门的评审意见",
        "order {order_no}, review round {round}: your department's decision",
    ),
    "remind.overdue": (
        "订单 {order_no}：{reason}（已超 {late}）",
        "order {order_no}: {reason} ({late} late)",
    ),
    "remind.change_review": (
        "变更 {change_no}（订单 {order_no}）待评审",
        "change {change_no} (order {order_no}) to review",
    ),
    "remind.change_opinion": (
        "变更 {change_no}（订单 {order_no}）：请填写本部门的变更评审意见",
        "change {change_no} (order {order_no}): your department's opinion",
    ),
    "remind.change_opinions_owed": (
        "变更 {change_no}（订单 {order_no}）已评审，尚缺 {departments} 的意见",
        "change {change_no} (order {order_no}) reviewed, still waiting for the opinions of "
        "{departments}",
    ),
    "remind.change_approve": (
        "变更 {change_no}（订单 {order_no}）意见已齐，待批准或驳回（可批准人：{approvers}）",
        "change {change_no} (order {order_no}): every opinion in, to approve or reject "
        "(approvers: {approvers})",
    ),
    "remind.change_decide": (
        "变更 {change_no}（订单 {order_no}）已评审，待批准或驳回",
        "change {change_no} (order {order_no}) reviewed, to approve or reject",
    ),
    "remind.task_unsent": (
        "生产任务单 {task_no} 第 {revision} 版（订单 {order_no}）尚未发送",
        "task order {task_no} rev. {revision} (order {order_no}) not sent yet",
    ),
    "remind.subject": (
        "【待办提醒】{company}｜{department}｜{count} 项｜{date}",
        "[Reminder] {company} · {department} · {count} item(s) · {date}",
    ),
    "remind.greeting": (
        "{department}：截至 {date}，以下事项等待处理。",
        "{department}: as of {date}, these wait for you.",
    ),
    "remind.heading.review": ("待填写的评审意见（{count}）", "Review decisions due ({count})"),
    "remind.heading.opinion": ("待填写的变更评审意见（{count}）", "Change opinions due ({count})"),
    "remind.heading.overdue": ("超时或交期风险（{count}）", "Overdue or at risk ({count})"),
    "remind.heading.change": ("待处理的变更（{count}）", "Changes to review or decide ({count})"),
    "remind.heading.task_order": (
        "未发送的生产任务单（{count}）",
        "Task orders not sent ({count})",
    ),
    "remind.signature": (
        "请在主工作簿中处理。\n此致\n订单管理部门（OrderDesk 自动提醒）",
        "Please act on them in the master workbook.\nRegards,\nOrder management (OrderDesk reminder)",
    ),
    "remind.details": (
        "提醒{department} {count} 项，发送至 {recipients}",
        "reminded {department} of {count} item(s), sent to {recipients}",
    ),
    "remind.sent": (
        "{department}：{count} 项 → {recipients}",
        "{department}: {count} item(s) → {recipients}",
    ),
    "remind.would_send": (
        "{department}：{count} 项 → {recipients}（试运行，未发送）",
        "{department}: {count} item(s) → {recipients} (dry run, nothing sent)",
    ),
    "remind.nothing": (
        "截至 {date} 没有待办事项，未发送提醒",
        "Nothing waits as of {date}: no reminder sent",
    ),
    "remind.refused": (
        "{department}的地址 {address} 被拒收（{reason}）",
        "{department}'s address {address} was refused ({reason})",
    ),
    "ribbon.btn_remind.label": ("待办提醒", "Reminders"),
    "ribbon.btn_remind.screentip": ("邮件提醒各部门待办事项", "Mail each department what waits"),
    "ribbon.btn_remind.supertip": (
        "按设置表的邮件方式，给每个部门发一封邮件，列出等待它处理的事项：待填写的评审意见、超时的"
        "时间节点与交期风险、待评审或待批准的变更、尚未发送的生产任务单。",
        "Mails each department, by the settings' transport, what waits for it: review decisions "
        "due, overdue time nodes and deliveries at risk, changes to review or decide, task orders "
        "not yet sent.",
    ),
    "demo.archive": (
        "归档：半年前结案的 {orders} 个订单和 {ledger} 行台账已移入 {files}",
        "Archive: {orders} order(s) closed over half a year ago and {ledger} ledger row(s) "
        "moved to {files}",
    ),
    "demo.reminders": (
        "提醒：{departments} 个部门共 {items} 项待办，经本机 SMTP 服务器收到 {messages} 封提醒邮件",
        "Reminders: {items} item(s) waiting for {departments} department(s); {messages} reminder "
        "messages arrived at the loopback SMTP server",
    ),
    # short close and returns (issue 11 item 8)
    "enum.TrackKind.return": ("退货", "Return"),
    "action.track_return": ("退货记录", "record return"),
    "track.details.return": (
        "第{line_no}行 客户拒收退回 {quantity}：{cause}（{date}）",
        "line {line_no}: {quantity} rejected by the customer on delivery and returned: {cause} "
        "({date})",
    ),
    "track.return_over_undelivered": (
        "第 {line_no} 行退回 {quantity}，但已发货未交付的只有 {shipped} − {delivered}（只能退回在途未交付的货物）",
        "line {line_no}: {quantity} returned, but only {shipped} − {delivered} are shipped and "
        "not delivered (only goods not yet delivered can be rejected on delivery)",
    ),
    "track.return_after_acceptance": (
        "客户已于 {date} 验收，不能再记录退货",
        "the customer accepted the order on {date}: no return can be recorded after that",
    ),
    "demo.path.short_close": (
        "部分发货后客户取消剩余数量（短交结案）",
        "a short close: the customer cancels the rest after a partial shipment",
    ),
    "demo.path.return": (
        "客户收货时拒收部分货物，退回返工后再交付",
        "a return: goods rejected on delivery, reworked and delivered again",
    ),
    "demo.short_close.reason": (
        "客户取消未发货的剩余数量",
        "the customer cancels what has not shipped",
    ),
    "demo.short_close.impact": (
        "已生产未发货部分转为库存",
        "units made and not shipped go to stock",
    ),
    "demo.short_close.review": ("同意，按已发货数量结案", "agreed: close at the quantity shipped"),
    "demo.return.cause": ("包装破损，产品表面划伤", "damaged packaging, scratched surface"),
    "demo.return.reworked": ("返工后复检合格", "passed again after rework"),
    # task orders production can act on (issue 11 item 7)
    "taskorder.round": ("第 {round} 轮评审", "Review round {round}"),
    "taskorder.field.delivery_place": ("交货地点", "Delivery place"),
    "taskorder.section.revision": ("本版变更（原 → 新）", "What this revision changes (was → now)"),
    "taskorder.change_value": ("{old} → {new}", "{old} → {new}"),
    "taskorder.field.work_done": ("已完成", "Already done"),
    "taskorder.work_done_value": (
        "已生产 {produced}，合格 {passed}，不合格 {rejected}，已发货 {shipped}，已交付 {delivered}",
        "produced {produced}, passed {passed}, rejected {rejected}, shipped {shipped}, "
        "delivered {delivered}",
    ),
    "notice.section.request": ("变更申请", "The request"),
    "notice.section.changes": ("变更内容（原 → 新）", "What changes (was → now)"),
    "notice.section.review": ("变更评审与批准", "Change review and approval"),
    "notice.section.signoff": ("各部门签收", "Receipt by the departments"),
    "notice.field.requester": ("申请部门 / 申请人", "Requested by"),
    "notice.requester_value": (
        "{department} / {requester}，{at}",
        "{department}: {requester}, {at}",
    ),
    "notice.field.impact": ("对执行的影响", "Impact on execution"),
    "notice.col.signature": ("签收人（签字）", "Received by (signature)"),
    "notice.col.date": ("日期", "Date"),
    "action.send_notice": ("发送变更通知", "send change notice"),
    "send.unknown_change": ("找不到变更 {change_no}", "no change {change_no} in the workbook"),
    "send.notice_not_approved": (
        "变更 {change_no} 状态为“{status}”，只有已批准的变更才有变更通知",
        "change {change_no} is '{status}': only an approved change has a notice",
    ),
    "send.no_notice_file": (
        "变更 {change_no} 的变更通知文件不在 {path}",
        "the notice of change {change_no} is not at {path}",
    ),
    "send.notice_details": (
        "变更通知 {change_no} 已发送至 {recipients}（{transport}）",
        "change notice {change_no} sent to {recipients} ({transport})",
    ),
    "send.notice_done": (
        "变更通知 {change_no} 已处理 {count} 个收件人。",
        "Change notice {change_no}: {count} recipient(s) done.",
    ),
    "notice.mail.subject": (
        "【订单变更通知】{change_no}｜订单 {order_no}｜{customer}",
        "[Change notice] {change_no} · order {order_no} · {customer}",
    ),
    "notice.mail.body": (
        "各部门：订单 {order_no} 的变更 {change_no} 已批准（订单第 {version} 版），请按附件执行并签收。变更内容：",
        "To the departments: change {change_no} of order {order_no} is approved (order version "
        "{version}). Please act on the attached notice and sign for it. What changes:",
    ),
    "notice.mail.signature": ("此致\n订单管理部门", "Regards,\nOrder management"),
    "remind.at_risk": (
        "订单 {order_no}：{reason}（预计晚 {late}）",
        "order {order_no}: {reason} (expected {late} late)",
    ),
}
