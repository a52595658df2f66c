"""Messages of the task-order workbook, its PDF copy and e-mail sending (keys ``taskorder.*``,
``mail.*``)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the task-order workbook -------------------------------------------------------------
    "taskorder.sheet": ("生产任务单", "Task order"),
    "taskorder.title": ("生产任务单", "PRODUCTION TASK ORDER"),
    "taskorder.file_stem": (
        "生产任务单_{task_no}_{order_no}_R{revision}_{customer}",
        "TaskOrder_{task_no}_{order_no}_R{revision}_{customer}",
    ),
    "taskorder.revision_value": ("第 {revision} 版", "Rev. {revision}"),
    "taskorder.section.basic": ("基本信息", "General"),
    "taskorder.section.product": ("产品与交付", "Product and delivery"),
    "taskorder.section.requirements": ("特殊要求", "Special requirements"),
    "taskorder.section.notes": ("评审意见（生产须知）", "Review notes production must know"),
    "taskorder.section.distribution": ("分发与签收", "Distribution and receipt"),
    "taskorder.field.task_no": ("任务单号", "Task order no."),
    "taskorder.field.revision": ("版本", "Revision"),
    "taskorder.field.order_no": ("订单号", "Order no."),
    "taskorder.field.issued_at": ("下达日期", "Issued on"),
    "taskorder.field.customer": ("客户名称", "Customer"),
    "taskorder.field.product_code": ("产品编码", "Product code"),
    "taskorder.field.product_name": ("产品名称", "Product name"),
    "taskorder.field.spec": ("规格型号", "Specification / model"),
    "taskorder.field.quantity": ("数量", "Quantity"),
    "taskorder.field.due_date": ("交货期", "Due date"),
    "taskorder.field.batch": ("生产批次", "Production batch"),
    "taskorder.field.quality_req": ("质量要求", "Quality"),
    "taskorder.field.packaging_req": ("包装要求", "Packaging"),
    "taskorder.field.transport_req": ("运输要求", "Transport"),
    "taskorder.col.department": ("部门", "Department"),
    "taskorder.col.received_by": ("签收人", "Received by"),
    "taskorder.col.date": ("签收日期", "Date"),
    "taskorder.col.remarks": ("备注", "Remarks"),
    "taskorder.sign.issued_by": ("下达人", "Issued by"),
    "taskorder.sign.signature": ("签字", "Signature"),
    "taskorder.none": ("无", "None"),
    "taskorder.footer": (
        "生产任务单 {task_no} 第 {revision} 版 · 订单 {order_no}",
        "Task order {task_no} rev. {revision} · order {order_no}",
    ),
    "taskorder.page": ("第 {page} 页 / 共 {pages} 页", "Page {page} of {pages}"),
    # --- the PDF copy ------------------------------------------------------------------------
    "taskorder.pdf.no_soffice": (
        "未找到 LibreOffice（soffice），无法生成 PDF 副本。请安装 LibreOffice，"
        "或用环境变量 ORDERDESK_SOFFICE 指定 soffice 的路径。",
        "LibreOffice (soffice) was not found, so no PDF copy can be made. Install LibreOffice, "
        "or set the environment variable ORDERDESK_SOFFICE to the path of soffice.",
    ),
    "taskorder.pdf.source_missing": (
        "找不到要转换为 PDF 的文件：{file}",
        "The file to convert to PDF does not exist: {file}",
    ),
    "taskorder.pdf.timeout": (
        "LibreOffice 在 {seconds} 秒内未完成 {file} 的 PDF 转换，已中止。",
        "LibreOffice did not convert {file} to PDF within {seconds} seconds; it was stopped.",
    ),
    "taskorder.pdf.failed": (
        "LibreOffice 未能把 {file} 转换为 PDF（退出码 {code}）：{detail}",
        "LibreOffice could not convert {file} to PDF (exit code {code}): {detail}",
    ),
    # --- the e-mail --------------------------------------------------------------------------
    "mail.subject": (
        "【生产任务单】{task_no} 第{revision}版 · 订单 {order_no} · {customer} · {product}",
        "[Task order] {task_no} rev. {revision} · order {order_no} · {customer} · {product}",
    ),
    "mail.body": (
        "各位同事：\n\n"
        "订单管理部门下达生产任务单，请查收附件，并按任务单开展生产、技术准备、"
        "质量控制和物资采购。\n\n"
        "任务单号：{task_no}（第 {revision} 版）\n"
        "订单号：{order_no}\n"
        "客户：{customer}\n"
        "产品：{product}\n"
        "规格型号：{spec}\n"
        "数量：{quantity}\n"
        "交货期：{due_date}\n"
        "生产批次：{batch}\n"
        "分发部门：{departments}\n"
        "附件：{attachments}\n",
        "Dear colleagues,\n\n"
        "Order management releases the production task order below. Please find it attached "
        "and act on it: production, technical preparation, quality control and purchasing.\n\n"
        "Task order: {task_no} (revision {revision})\n"
        "Order: {order_no}\n"
        "Customer: {customer}\n"
        "Product: {product}\n"
        "Specification / model: {spec}\n"
        "Quantity: {quantity}\n"
        "Due date: {due_date}\n"
        "Production batch: {batch}\n"
        "Distribution: {departments}\n"
        "Attachments: {attachments}\n",
    ),
    "mail.body.revised": (
        "本任务单为订单变更后的新版本，此前各版本作废。\n",
        "This revision follows a change of the order and replaces all earlier revisions.\n",
    ),
    "mail.body.signature": (
        "\n此致\n订单管理部门 {issued_by}\n",
        "\nRegards,\nOrder management, {issued_by}\n",
    ),
    "mail.empty": ("—", "—"),
    # outcome of a recipient the transport accepted
    "mail.outcome.sent": ("已发送（邮件服务器已接收）", "sent (accepted by the mail server)"),
    "mail.outcome.queued": ("已放入 Outlook 发件箱", "queued in the Outlook outbox"),
    "mail.outcome.draft": ("已存为 Outlook 草稿，待手动发送", "saved as an Outlook draft to send"),
    "mail.outcome.written": ("已写入邮件文件 {file}，待手动发送", "written to {file}, to send"),
    "mail.report.accepted": ("{address}：{outcome}", "{address}: {outcome}"),
    "mail.report.refused": ("{address}：被拒收（{reason}）", "{address}: refused ({reason})"),
    "mail.report.skipped": ("{address}：此前已发送，本次跳过", "{address}: sent before, skipped"),
    "mail.report.not_sent": ("{address}：未发送", "{address}: not sent"),
    "mail.summary.done": (
        "生产任务单 {task_no} 已处理 {count} 个收件人。",
        "Task order {task_no}: {count} recipient(s) done.",
    ),
    "mail.summary.partial": (
        "生产任务单 {task_no} 只完成了部分收件人：{accepted} 个成功，{refused} 个被拒收；"
        "修正后再次发送只会发给未完成的收件人。",
        "Task order {task_no} reached only some recipients: {accepted} done, {refused} refused; "
        "sending again after a fix goes only to the ones left.",
    ),
    "mail.summary.nothing_left": (
        "生产任务单 {task_no} 已发送给全部收件人，无需再发。",
        "Task order {task_no} has already gone to every recipient; nothing left to send.",
    ),
    "mail.summary.failed": (
        "生产任务单 {task_no} 未发送：{error}",
        "Task order {task_no} was not sent: {error}",
    ),
    # errors (each SendResult.error_key / MailError.key)
    "mail.error.no_recipients": (
        "没有收件人：请在设置表中为分发部门填写邮箱地址。",
        "No recipients: fill in the e-mail addresses of the distribution departments in "
        "the settings sheet.",
    ),
    "mail.error.no_department_address": (
        "设置表中没有部门“{department}”的邮箱地址。",
        "The settings sheet has no e-mail address for the department “{department}”.",
    ),
    "mail.error.bad_address": (
        "邮箱地址无效：“{address}”。",
        "Not a valid e-mail address: “{address}”.",
    ),
    "mail.error.attachment_missing": (
        "附件不存在：{file}。未发送任何邮件。",
        "The attachment does not exist: {file}. Nothing was sent.",
    ),
    "mail.error.attachment_unreadable": (
        "无法读取附件 {file}（{reason}），可能正被其他程序占用。未发送任何邮件。",
        "Cannot read the attachment {file} ({reason}); another program may hold it. "
        "Nothing was sent.",
    ),
    "mail.error.no_host": (
        "邮件设置缺少 SMTP 服务器地址（smtp_host）。",
        "The mail settings have no SMTP server (smtp_host).",
    ),
    "mail.error.no_sender": (
        "邮件设置缺少发件人地址（mail_from）。",
        "The mail settings have no sender address (mail_from).",
    ),
    "mail.error.no_password": (
        "找不到用户 {user} 的邮箱密码：请设置环境变量 {env}，或在系统钥匙串（服务名 {service}）"
        "中保存密码。密码不得写在工作簿中。",
        "No mail password for user {user}: set the environment variable {env}, or store it in "
        "the system keyring (service {service}). Passwords never go in the workbook.",
    ),
    "mail.error.keyring": (
        "读取系统钥匙串失败：{reason}",
        "Reading the system keyring failed: {reason}",
    ),
    "mail.error.login_needs_tls": (
        "为保护密码，登录邮件服务器需要加密连接：请把 smtp_security 设为 starttls 或 tls。",
        "Logging in to the mail server needs an encrypted connection to protect the password: "
        "set smtp_security to starttls or tls.",
    ),
    "mail.error.unreachable": (
        "无法连接邮件服务器 {host}:{port}：{reason}。未发送任何邮件。",
        "Cannot reach the mail server {host}:{port}: {reason}. Nothing was sent.",
    ),
    "mail.error.tls": (
        "与邮件服务器 {host} 建立加密连接失败：{reason}。未发送任何邮件。",
        "The encrypted connection to the mail server {host} failed: {reason}. Nothing was sent.",
    ),
    "mail.error.starttls_unsupported": (
        "邮件服务器 {host} 不支持 STARTTLS 加密。未发送任何邮件。",
        "The mail server {host} does not offer STARTTLS. Nothing was sent.",
    ),
    "mail.error.auth_unsupported": (
        "邮件服务器 {host} 不接受登录（未提供 AUTH）。未发送任何邮件。",
        "The mail server {host} does not accept a login (no AUTH offered). Nothing was sent.",
    ),
    "mail.error.login_refused": (
        "邮件服务器拒绝了用户 {user} 的登录（{reason}）。请检查用户名和密码。未发送任何邮件。",
        "The mail server refused the login of {user} ({reason}). Check the user name and "
        "password. Nothing was sent.",
    ),
    "mail.error.sender_refused": (
        "邮件服务器拒绝了发件人 {sender}（{reason}）。未发送任何邮件。",
        "The mail server refused the sender {sender} ({reason}). Nothing was sent.",
    ),
    "mail.error.all_refused": (
        "邮件服务器拒收了全部收件人。未发送任何邮件。",
        "The mail server refused every recipient. Nothing was sent.",
    ),
    "mail.error.data_refused": (
        "邮件服务器拒收了邮件内容（{reason}）。未发送任何邮件。",
        "The mail server refused the message ({reason}). Nothing was sent.",
    ),
    "mail.error.disconnected": (
        "邮件服务器中途断开了连接（{reason}）。未确认发送任何邮件。",
        "The mail server closed the connection ({reason}). No recipient was confirmed.",
    ),
    "mail.error.smtp": (
        "邮件服务器报错（{reason}）。未确认发送任何邮件。",
        "The mail server reported an error ({reason}). No recipient was confirmed.",
    ),
    "mail.error.eml_write": (
        "无法写入邮件文件到 {dir}：{reason}",
        "Cannot write the e-mail file to {dir}: {reason}",
    ),
    "mail.error.outlook_unavailable": (
        "无法使用 Outlook：只在装有 Outlook 和 pywin32 的 Windows 上可用。",
        "Outlook cannot be used: it needs Windows with Outlook and pywin32 installed.",
    ),
    "mail.error.outlook_failed": (
        "Outlook 未能创建或发送邮件：{reason}",
        "Outlook could not create or send the message: {reason}",
    ),
    "mail.error.password_in_workbook": (
        "设置表中不得保存邮箱密码（{key}）：请删除该行，改用环境变量或系统钥匙串。",
        "The settings sheet must not hold a mail password ({key}): delete that row and use an "
        "environment variable or the system keyring.",
    ),
    "mail.error.bad_setting": (
        "邮件设置 {key} 的值无效：{reason}",
        "The mail setting {key} has an invalid value: {reason}",
    ),
    # sending a task order from the workbook (addin.services.sending)
    "send.unknown_task": ("找不到任务单 {task_no}", "no task order {task_no} in the workbook"),
    "send.not_current": (
        "任务单 {task_no} 状态为“{status}”,不能发送",
        "task order {task_no} is '{status}' and cannot be sent",
    ),
    "send.no_file": (
        "任务单 {task_no} 没有文件,请先下达",
        "task order {task_no} has no file: release it first",
    ),
    "send.no_address": (
        "设置表中“{department}”部门没有邮箱",
        "the settings give no e-mail address for {department}",
    ),
    "send.recipient_refused": ("{address} 被拒收: {reason}", "{address} was refused: {reason}"),
    "send.done": (
        "任务单 {task_no} 已发送给 {count} 个收件人",
        "task order {task_no} sent to {count} recipient(s)",
    ),
    "send.partial": (
        "任务单 {task_no} 已发送给 {count} 个收件人,{missing} 个未送达(再次发送将补发)",
        "task order {task_no} reached {count} recipient(s), {missing} not (sending again completes it)",
    ),
    "send.dry_run": (
        "演练: 将发送 {task_no} 给 {recipients},附件 {files}",
        "dry run: would send {task_no} to {recipients} with {files}",
    ),
    "send.pdf_done": ("已生成 PDF: {path}", "PDF written: {path}"),
}
