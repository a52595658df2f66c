"""Messages of the order lifecycle: review, release, tracking, change, closure, cancellation,
time nodes, the change notice and the demo's paths."""

MESSAGES: dict[str, tuple[str, str]] = {
    "list.sep": ("、", ", "),
    # actions (ledger and messages)
    "action.review_start": ("开始评审", "start review"),
    "action.review_record": ("评审意见", "review decision"),
    "action.review_agree": ("协商达成", "negotiation agreed"),
    "action.review_conclude": ("评审结论", "conclude review"),
    "action.release": ("下达", "release"),
    "action.track_production": ("生产记录", "record production"),
    "action.track_inspection": ("检验记录", "record inspection"),
    "action.track_material": ("物料记录", "record material"),
    "action.track_shipment": ("发货记录", "record shipment"),
    "action.track_delivery": ("交付记录", "record delivery"),
    "action.track_acceptance": ("客户验收", "record acceptance"),
    "action.track_delay": ("延误报告", "report delay"),
    "action.track_recovery": ("延误恢复", "report recovery"),
    "action.change_request": ("变更申请", "change request"),
    "action.change_review": ("变更评审", "change review"),
    "action.change_approve": ("批准变更", "approve change"),
    "action.change_reject": ("驳回变更", "reject change"),
    "action.close": ("结案", "close"),
    "action.cancel": ("取消", "cancel"),
    "action.send": ("发送任务单", "send task order"),
    "rule.transition_forbids": (
        "订单 {order_no} 当前状态为“{status}”,“{action}”将使其变为“{after}”,流程不允许(请核对订单状态与跟踪记录)",
        "order {order_no} is '{status}': '{action}' would make it '{after}', which the procedure does not allow (check the status against the tracking rows)",
    ),
    # roles
    "role.not_in_roster": (
        "用户“{user}”不在人员名单中,不能执行“{action}”(请在设置表的人员名单中登记)",
        "user '{user}' is not on the staff roster and may not '{action}' (add them to the roster in the settings sheet)",
    ),
    "role.wrong_department": (
        "“{user}”属于{department}部门,“{action}”只能由{allowed}部门人员执行",
        "'{user}' is in {department}; '{action}' is for {allowed} staff only",
    ),
    "role.not_approver": (
        "“{user}”的角色为{role},“{action}”需要以下角色: {allowed}",
        "'{user}' is {role}; '{action}' needs one of these roles: {allowed}",
    ),
    # review points (§3)
    "review.points.sales": (
        "市场需求;客户信用状况;价格合理性",
        "Market demand; customer credit standing; price reasonableness",
    ),
    "review.points.production": (
        "生产可行性:产能、生产周期、设备状况;能否按时、按质、按量完成",
        "Feasibility: capacity, production cycle, equipment condition; on time, to quality, in quantity?",
    ),
    "review.points.technical": (
        "技术要求:技术能力与工艺条件;是否需要研发或工艺改进",
        "Technical requirements: capability and process conditions; R&D or process improvement needed?",
    ),
    "review.points.quality": (
        "质量标准与检验要求;需采取的质量控制措施",
        "Quality standards and inspection requirements; quality-control measures to take",
    ),
    "review.points.purchasing": (
        "原材料及零部件:供应商能力、采购周期、价格",
        "Raw materials and parts: supplier capacity, lead time, price",
    ),
    "review.points.line": (
        "第{line_no}行 {product} {spec} ×{quantity} 交货 {date}",
        "line {line_no} {product} {spec} ×{quantity} due {date}",
    ),
    "review.points.quality_req": ("质量要求: {text}", "Quality requirement: {text}"),
    "review.points.packaging_req": ("包装要求: {text}", "Packaging requirement: {text}"),
    "review.points.transport_req": ("运输要求: {text}", "Transport requirement: {text}"),
    "review.points.agreement": ("与客户协商结果: {text}", "Agreed with the customer: {text}"),
    # review rules
    "review.missing_row": (
        "本轮评审缺少{department}部门的评审行",
        "the round has no review row for {department}",
    ),
    "review.undecided": ("{department}部门尚未给出评审意见", "{department} has not decided yet"),
    "review.comment_required": (
        "{department}部门的“{decision}”意见须写明理由",
        "a '{decision}' decision ({department}) needs a comment saying why",
    ),
    "review.not_reviewing": (
        "{department}不参加订单评审(评审部门: 销售、生产、技术、质量、采购)",
        "{department} does not take part in the review (sales, production, technical, quality, purchasing do)",
    ),
    "review.already_decided": (
        "{department}部门在第 {round} 轮已给出意见“{decision}”(评审人 {reviewer}),意见不可改写",
        "{department} already decided '{decision}' in round {round} (by {reviewer}); a decision is not rewritten",
    ),
    "review.reviewer_not_in_department": (
        "评审人“{reviewer}”不是{department}部门人员,不能代表该部门评审",
        "reviewer '{reviewer}' is not {department} staff and may not decide for it",
    ),
    "review.agreement_required": (
        "请写明与客户协商达成的内容",
        "say what was agreed with the customer",
    ),
    "review.started": ("第 {round} 轮评审已开始", "review round {round} opened"),
    "review.recorded": (
        "第 {round} 轮 {department}: {decision} {comment}",
        "round {round} {department}: {decision} {comment}",
    ),
    "review.decision_summary": (
        "{department} {decision}{comment}",
        "{department} {decision}{comment}",
    ),
    "review.concluded": ("第 {round} 轮评审结论: {summary}", "round {round} concluded: {summary}"),
    "review.agreed": (
        "协商达成,开始第 {round} 轮评审: {text}",
        "agreed with the customer, round {round} opened: {text}",
    ),
    "review.next.review_passed": (
        "第 {round} 轮评审通过,可下达生产任务单",
        "round {round} passed: the task order can be released",
    ),
    "review.next.negotiating": (
        "第 {round} 轮评审有条件,请销售与客户协商,达成后录入协商结果",
        "round {round} is conditional: sales negotiates with the customer, then records the agreement",
    ),
    "review.next.rejected": (
        "第 {round} 轮评审未通过,请销售与客户商定取消或变更订单",
        "round {round} rejected: sales agrees with the customer to cancel or change the order",
    ),
    # release
    "release.file_failed": ("无法生成文件: {detail}", "the file could not be written: {detail}"),
    "release.line_incomplete": (
        "第 {line_no} 行缺少数量或交货期,无法下达",
        "line {line_no} has no quantity or delivery date to release",
    ),
    "release.no_folder": (
        "需要任务单文件夹来生成新版任务单",
        "a task-order folder is needed to issue the revised task order",
    ),
    "release.details": (
        "任务单 {tasks},批次 {batches},分发: {distribution}",
        "task orders {tasks}, batches {batches}, distributed to {distribution}",
    ),
    "release.done": ("已下达 {count} 张生产任务单", "{count} task order(s) issued"),
    # tracking view
    "tracking.not_inspected": ("未检验", "not inspected"),
    "tracking.inspection_done": (
        "已检验 {inspected},合格 {passed},不合格 {rejected}",
        "inspected {inspected}, passed {passed}, rejected {rejected}",
    ),
    "tracking.inspection_partial": (
        "检验中: 已检验 {inspected},合格 {passed},不合格 {rejected}(订货 {ordered})",
        "inspecting: inspected {inspected}, passed {passed}, rejected {rejected} (ordered {ordered})",
    ),
    # tracking rules
    "track.line_required": (
        "订单有多行,请指明“{kind}”记录的行号",
        "the order has several lines: say which line this {kind} is for",
    ),
    "track.unknown_line": ("订单没有第 {line_no} 行", "the order has no line {line_no}"),
    "track.quantity_required": ("“{kind}”记录需要数量", "a {kind} record needs a quantity"),
    "track.over_ordered": (
        "第 {line_no} 行累计生产 {total} 超过订单数量 {ordered}(另可补产不合格品 {rejected})",
        "line {line_no}: {total} produced would exceed the ordered {ordered} (plus {rejected} to replace rejects)",
    ),
    "track.inspection_sum": (
        "检验数 {inspected} 应等于合格 {passed} 加不合格 {rejected}",
        "inspected {inspected} must equal passed {passed} plus rejected {rejected}",
    ),
    "track.passed_over_inspected": (
        "合格数 {passed} 超过检验数 {inspected}",
        "passed {passed} is more than inspected {inspected}",
    ),
    "track.inspected_over_produced": (
        "第 {line_no} 行检验 {inspected},但已生产未合格的只有 {available}",
        "line {line_no}: {inspected} inspected, but only {available} produced and not yet passed",
    ),
    "track.passed_over_ordered": (
        "第 {line_no} 行累计合格 {total} 超过订单数量 {ordered}",
        "line {line_no}: {total} passed would exceed the ordered {ordered}",
    ),
    "track.cause_required": ("“{kind}”记录须写明原因", "a {kind} record needs its cause"),
    "track.measures_required": (
        "“{kind}”记录须写明采取的措施",
        "a {kind} record needs the measures taken",
    ),
    "track.expected_required": (
        "“{kind}”记录须写明预计解决(恢复)日期",
        "a {kind} record needs the expected resolution (recovery) date",
    ),
    "track.shipped_over_passed": (
        "第 {line_no} 行累计发货 {total} 超过检验合格数 {passed}",
        "line {line_no}: {total} shipped would exceed the {passed} passed",
    ),
    "track.delivered_over_shipped": (
        "第 {line_no} 行累计交付 {total} 超过发货数 {shipped}",
        "line {line_no}: {total} delivered would exceed the {shipped} shipped",
    ),
    "track.already_accepted": ("客户已于 {date} 验收", "the customer already accepted on {date}"),
    "track.accept_before_delivery": (
        "全部产品交付后客户才能验收",
        "the customer accepts only once everything is delivered",
    ),
    "track.no_open_delay": ("没有未恢复的延误", "there is no open delay to recover from"),
    "track.sheet_problems": (
        "订单 {order_no} 的跟踪记录有问题,请先在跟踪表中更正:",
        "order {order_no} has tracking rows to correct in the tracking sheet first:",
    ),
    "track.future_date": (
        "“{kind}”记录的日期 {date} 晚于今天 {today}",
        "the {kind} dated {date} is after today, {today}",
    ),
    "track.recorded": ("已记录: {fact}", "recorded: {fact}"),
    "track.details.production": (
        "第{line_no}行 生产 {quantity} ({date})",
        "line {line_no} produced {quantity} ({date})",
    ),
    "track.details.inspection": (
        "第{line_no}行 检验 {quantity},合格 {passed},不合格 {rejected} {cause} ({date})",
        "line {line_no} inspected {quantity}, passed {passed}, rejected {rejected} {cause} ({date})",
    ),
    "track.details.material": (
        "物料到货 {quantity} {remarks} ({date})",
        "material arrived {quantity} {remarks} ({date})",
    ),
    "track.details.shortage": (
        "物料短缺 {quantity} {remarks}: {cause},预计 {expected} 解决",
        "material shortage {quantity} {remarks}: {cause}, expected resolved {expected}",
    ),
    "track.details.shipment": (
        "第{line_no}行 发货 {quantity},承运 {carrier} ({date})",
        "line {line_no} shipped {quantity} by {carrier} ({date})",
    ),
    "track.details.delivery": (
        "第{line_no}行 交付 {quantity} ({date})",
        "line {line_no} delivered {quantity} ({date})",
    ),
    "track.details.acceptance": (
        "客户验收 ({date}) {remarks}",
        "accepted by the customer ({date}) {remarks}",
    ),
    "track.details.delay": (
        "延误: {cause};措施: {measures};预计 {expected} 恢复",
        "delay: {cause}; measures: {measures}; expected recovery {expected}",
    ),
    "track.details.recovery": (
        "延误已恢复 ({date}) {remarks}",
        "delay recovered ({date}) {remarks}",
    ),
    # closure
    "closure.no_lines": ("订单没有产品明细", "the order has no lines"),
    "closure.not_produced": (
        "第 {line_no} 行未全部生产: {done}/{ordered}",
        "line {line_no} not fully produced: {done}/{ordered}",
    ),
    "closure.not_passed": (
        "第 {line_no} 行最终检验未全部合格: {done}/{ordered}",
        "line {line_no} has not passed final inspection in full: {done}/{ordered}",
    ),
    "closure.not_shipped": (
        "第 {line_no} 行未全部发货: {done}/{ordered}",
        "line {line_no} not fully shipped: {done}/{ordered}",
    ),
    "closure.not_delivered": (
        "第 {line_no} 行未全部交付: {done}/{ordered}",
        "line {line_no} not fully delivered: {done}/{ordered}",
    ),
    "closure.not_accepted": ("客户验收尚未记录", "the customer's acceptance is not recorded"),
    "closure.pending_change": (
        "变更 {change_no} 尚未处理({status}),请先批准或驳回",
        "change {change_no} is still open ({status}): approve or reject it first",
    ),
    "closure.no_report": (
        "缺少最终检验报告号: 请在订单表填写,或结案时给出",
        "the final inspection report number is missing: enter it on the orders sheet or give it "
        "when closing",
    ),
    "close.details": (
        "检验合格 {passed}/{inspected},检验报告 {report},客户验收 {accepted},结案归档",
        "passed {passed} of {inspected} inspected (report {report}), accepted {accepted}; "
        "closed and archived",
    ),
    "close.done": ("订单已结案(验收 {accepted})", "order closed (accepted {accepted})"),
    # cancellation
    "cancel.reason_required": ("请写明取消原因", "give the reason for cancelling"),
    "cancel.shipped": (
        "第 {line_no} 行已发货 {shipped},发货后不能取消",
        "line {line_no} has shipped {shipped}: an order cannot be cancelled after shipment",
    ),
    "cancel.details": (
        "取消原因: {reason};作废任务单 {tasks} 张",
        "reason: {reason}; {tasks} task order(s) withdrawn",
    ),
    "cancel.done": ("订单已取消: {reason}", "order cancelled: {reason}"),
    # change
    "change.bad_assignment": (
        "“{text}”应写成 字段=新值(行字段: 字段@行号=新值)",
        "'{text}' should read FIELD=VALUE (a line's field: FIELD@LINE=VALUE)",
    ),
    "change.unknown_field": (
        "“{field}”不能变更;可变更: {allowed}",
        "'{field}' cannot be changed; these can: {allowed}",
    ),
    "change.unknown_line": (
        "“{text}”: 订单没有第 {line_no} 行",
        "'{text}': the order has no line {line_no}",
    ),
    "change.line_required": (
        "“{text}”: 订单有多行,请写成 {field}@行号=新值",
        "'{text}': the order has several lines; write {field}@LINE=VALUE",
    ),
    "change.not_line_field": (
        "“{text}”: {field} 是订单字段,不带行号",
        "'{text}': {field} is an order field and takes no line number",
    ),
    "change.value_required": ("{field} 不能变更为空", "{field} cannot be changed to blank"),
    "change.twice": ("{field} 在同一变更中出现两次", "{field} appears twice in one change"),
    "change.quantity_below_done": (
        "第 {line_no} 行数量不能改为 {quantity}: 已生产 {produced}、合格 {passed}、发货 {shipped}",
        "line {line_no} cannot go down to {quantity}: {produced} produced, {passed} passed, {shipped} shipped",
    ),
    "change.no_difference": (
        "变更内容与订单现有内容相同",
        "the change alters nothing: the order already reads so",
    ),
    "change.nothing": (
        "请给出变更内容(字段=新值)",
        "give the change's content (FIELD=VALUE)",
    ),
    "change.unknown": ("找不到变更单 {change_no}", "no change request {change_no}"),
    "change.text_required": ("“{field}”不能为空", "'{field}' is required"),
    "change.not_requested": (
        "变更 {change_no} 当前为“{status}”,只有已申请的变更才能评审",
        "change {change_no} is '{status}': only a requested change can be reviewed",
    ),
    "change.not_reviewed": (
        "变更 {change_no} 尚未评审,评审后才能批准",
        "change {change_no} has not been reviewed: review it before approval",
    ),
    "change.already_decided": (
        "变更 {change_no} 已处理(“{status}”)",
        "change {change_no} is already decided ('{status}')",
    ),
    "change.field_changed": ("{field}: {old} → {new}", "{field}: {old} → {new}"),
    "change.requested": (
        "变更申请 {change_no}({department}): {content};原因: {reason}",
        "change request {change_no} ({department}): {content}; reason: {reason}",
    ),
    "change.requested_short": ("已提交变更申请 {change_no}", "change request {change_no} filed"),
    "change.reviewed": (
        "变更 {change_no} 评审: 必要性 {necessity};可行性 {feasibility};交期 {impact_delivery};成本 {impact_cost};质量 {impact_quality}",
        "change {change_no} reviewed: necessity {necessity}; feasibility {feasibility}; delivery {impact_delivery}; cost {impact_cost}; quality {impact_quality}",
    ),
    "change.reviewed_short": ("变更 {change_no} 已评审", "change {change_no} reviewed"),
    "change.revision_note": ("按变更 {change_no} 修订", "revised by change {change_no}"),
    "change.approved": (
        "批准变更 {change_no},订单版本 {version}: {terms};新版任务单 {revisions} 张;已发变更通知",
        "change {change_no} approved, order version {version}: {terms}; {revisions} task order revision(s); change notice issued",
    ),
    "change.approved_short": (
        "变更 {change_no} 已批准,订单版本 {version}",
        "change {change_no} approved: order version {version}",
    ),
    "change.rejected": (
        "驳回变更 {change_no}: {comment}",
        "change {change_no} rejected: {comment}",
    ),
    "change.rejected_short": ("变更 {change_no} 已驳回", "change {change_no} rejected"),
    # change notice file
    "notice.file_stem": (
        "订单变更通知 {change_no} {order_no}",
        "Change notice {change_no} {order_no}",
    ),
    "notice.sheet": ("变更通知", "Change notice"),
    "notice.title": ("订单变更通知", "Order change notice"),
    "notice.field.change_no": ("变更单号", "Change no."),
    "notice.field.order_no": ("订单号", "Order no."),
    "notice.field.customer": ("客户", "Customer"),
    "notice.field.version": ("订单版本", "Order version"),
    "notice.field.reason": ("变更原因", "Reason"),
    "notice.field.task_orders": ("新版任务单", "Revised task orders"),
    "notice.field.approved": ("批准", "Approved"),
    "notice.field.comment": ("批准意见", "Approval comment"),
    "notice.approved_value": ("{by} {at}", "{by}, {at}"),
    "notice.col.line_no": ("行号", "Line"),
    "notice.col.field": ("变更项目", "Field"),
    "notice.col.old": ("原内容", "Was"),
    "notice.col.new": ("新内容", "Now"),
    "notice.col.department": ("接收部门", "Department"),
    "notice.col.received": ("签收", "Received (signature, date)"),
    "notice.review.necessity": ("必要性", "Necessity"),
    "notice.review.feasibility": ("可行性", "Feasibility"),
    "notice.review.impact_delivery": ("对交期的影响", "Impact on delivery date"),
    "notice.review.impact_cost": ("对成本的影响", "Impact on cost"),
    "notice.review.impact_quality": ("对质量的影响", "Impact on quality"),
    # time nodes
    "stage.check": ("初审", "check"),
    "stage.review": ("评审", "review"),
    "stage.release": ("下达", "release"),
    "stage.change_review": ("变更处理", "change decision"),
    "overdue.stage": ("{stage}超过时限", "{stage} past its time limit"),
    "overdue.change": ("变更 {change_no} 超过处理时限", "change {change_no} past its time limit"),
    "overdue.delivery_late": (
        "第 {line_no} 行已过交货期未交付",
        "line {line_no} is past its delivery date",
    ),
    "overdue.risk_delay": (
        "第 {line_no} 行: 延误({cause})预计 {expected} 才恢复,晚于交货期",
        "line {line_no}: the delay ({cause}) recovers only by {expected}, after the delivery date",
    ),
    "overdue.risk_material": (
        "第 {line_no} 行: 物料短缺({cause})预计 {expected} 才解决,晚于交货期",
        "line {line_no}: the material shortage ({cause}) is resolved only by {expected}, after the delivery date",
    ),
    "overdue.risk_lead_time": (
        "第 {line_no} 行尚未下达,生产周期 {days} 天,最早 {ready} 完成,晚于交货期",
        "line {line_no} is not released yet: {days} days' lead time, ready {ready} at the earliest, after the delivery date",
    ),
    "overdue.bad_holiday": ("非工作日“{value}”不是日期", "holiday '{value}' is not a date"),
    "overdue.none": ("没有超时或有交期风险的订单", "no order is overdue or at risk"),
    "overdue.count": (
        "{count} 项超时或交期风险(截至 {today})",
        "{count} item(s) overdue or at risk (as of {today})",
    ),
    "overdue.kind.stage": ("超时", "overdue"),
    "overdue.kind.delivery_late": ("逾期交货", "late"),
    "overdue.kind.delivery_risk": ("交期风险", "at risk"),
    "overdue.unit.working_days": ("{days} 个工作日", "{days} working day(s)"),
    "overdue.unit.days": ("{days} 天", "{days} day(s)"),
    "overdue.deadline": ("期限 {deadline}", "due {deadline}"),
    # the demo's paths
    "demo.path.clean_pass": ("评审一次通过并下达", "clean pass and release"),
    "demo.path.negotiation": ("协商后第二轮评审通过", "negotiation, then a second-round pass"),
    "demo.path.rejection_cancel": ("评审未通过后取消", "rejection, then cancellation"),
    "demo.path.change_after_release": (
        "下达后变更(新版任务单)",
        "a change after release (task-order revision)",
    ),
    "demo.path.delay_recovery": ("生产延误及恢复", "a delay and its recovery"),
    "demo.path.rework": ("检验不合格后返工", "rejected inspection, then rework"),
    "demo.path.closure": ("全流程至结案", "all the way to closure"),
    "demo.step": ("{action}: {status}", "{action}: {status}"),
    "demo.step.repeated": ("{action} ×{count}: {status}", "{action} ×{count}: {status}"),
    "demo.step.refused": ("{action} ✗ 被拒绝: {reason}", "{action} ✗ refused: {reason}"),
    "demo.comment.quality": (
        "按订单质量要求做出厂检验,随货附检验报告",
        "final inspection to the order's quality requirement; report ships with the goods",
    ),
    "demo.comment.conditional": (
        "交期偏紧,建议与客户协商推迟一周",
        "the delivery date is tight: ask the customer for one more week",
    ),
    "demo.comment.agreement": (
        "客户同意交货期推迟一周",
        "the customer agreed to deliver one week later",
    ),
    "demo.comment.reject": (
        "现有工艺无法达到客户要求的公差",
        "our process cannot hold the tolerance the customer asks for",
    ),
    "demo.comment.cancel": (
        "评审未通过,经与客户协商取消订单",
        "review rejected; cancelled by agreement with the customer",
    ),
    "demo.comment.change_reason": (
        "客户追加数量并顺延交期",
        "the customer orders more and a later date",
    ),
    "demo.comment.later_reason": (
        "客户要求交期顺延两周",
        "the customer asks for delivery two weeks later",
    ),
    "demo.comment.change_impact": ("需增加排产,交期顺延一周", "more production; one week later"),
    "demo.comment.approve": (
        "同意变更,请各部门按新版任务单执行",
        "approved: work to the revised task order",
    ),
    "demo.review.necessity": ("客户需求变化,必要", "the customer's demand changed: needed"),
    "demo.review.feasibility": ("产能可满足", "capacity allows it"),
    "demo.review.delivery": ("交期顺延一周", "one week later"),
    "demo.review.cost": ("无额外成本", "no extra cost"),
    "demo.review.quality": ("无影响", "none"),
    "demo.delay.cause": ("数控机床主轴故障", "CNC spindle failure"),
    "demo.delay.measures": ("维修并安排加班", "repair and overtime shifts"),
    "demo.delay.recovered": ("设备修复,产量恢复", "machine repaired, output back to plan"),
    "demo.rework.cause": ("表面毛刺", "burrs on the surface"),
    "demo.rework.done": ("返工后复检", "re-inspected after rework"),
    "demo.acceptance": ("客户签收确认", "signed for by the customer"),
    "demo.material": ("原材料到货", "raw material arrived"),
    "demo.carrier": ("顺丰物流", "SF Express"),
    "demo.path.skipped": ("没有可用的已初审订单", "no checked order was left for this path"),
}
