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
}
