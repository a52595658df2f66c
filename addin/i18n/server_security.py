"""Messages of server mode's security on PostgreSQL: who acts, the server's refusals."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "security.user_not_login": (
        "服务器模式下操作人就是登录数据库的账户: 登录 {login} 以职员 {acting} 的身份操作, "
        "不能用 --user {user} (未执行任何操作)",
        "in server mode the acting user is the database login: {login} acts as {acting}, "
        "not as --user {user} (nothing was done)",
    ),
    "security.ledger_append_only": (
        "台账只能追加: 数据库拒绝了对台账的 {operation} (未写入任何内容)",
        "the ledger is append-only: the database refused {operation} on it (nothing was written)",
    ),
    "security.settings_editors_only": (
        "只有设置 settings_editor_roles 中列出的数据库角色才能修改 {table}: 数据库拒绝了该写入 "
        "(未写入任何内容)",
        "only the database roles the setting settings_editor_roles names may change {table}: "
        "the database refused the write (nothing was written)",
    ),
    "security.app_role_missing": (
        "应用角色 {role} 不存在, 当前登录也无权创建它: 请先由数据库管理员执行 "
        "CREATE ROLE {role} NOLOGIN (未写入任何内容)",
        "the application role {role} does not exist and this login may not create it: have the "
        "database administrator run CREATE ROLE {role} NOLOGIN first (nothing was written)",
    ),
    "security.not_permitted": (
        "数据库拒绝了该操作, 当前登录没有此权限 (未写入任何内容): {detail}",
        "the database refused this: the login lacks the permission (nothing was written): {detail}",
    ),
}
