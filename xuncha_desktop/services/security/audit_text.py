"""What audit log entries say in Chinese: action names, labels of fields outside the record forms, stored
values as text and one-line summaries of events that are not record edits."""

from __future__ import annotations

from typing import Any

from xuncha_desktop.services.security import audit_events
from xuncha_desktop.storage.revisions import hlc_display

SIGNOFF = "signoff"  # not stored as such: an update or resolution that adds a 底稿 sign-off step
ACTION_LABELS = {
    "create": "新建",
    "update": "修改",
    SIGNOFF: "审签流程",
    "delete": "删除（移入回收站）",
    "restore": "从回收站恢复",
    "resolve": "裁决冲突",
    "revoke_signoff": "撤销审签",
    "import": "导入工作包",
    "export": "导出工作包",
    "provision": "生成配置包",
    "init": "建立工作库",
    "passphrase": "修改口令",
    "recovery_slot": "添加巡察办恢复密钥",
    "key_recovery": "恢复现场工作库口令",
    "restore_backup": "从备份恢复",
    "wipe": "现场工作库清理",
    **audit_events.ACTION_LABELS,
    "reidentify": "重新确定身份",
    "remint": "以新身份重新签发",
    "accept_identity": "接受重新确定身份的电脑",
}
SYSTEM_LOGIN = "system"
SYSTEM_LABEL = "系统"
EMPTY = "（空）"
SHORT = 16  # characters of a value shown in the one-line summary

# Labels of fields the record forms do not show (organisation records); the GUI's own labels come first.
OTHER_FIELD_LABELS = {
    "number": "编号",
    "name": "名称",
    "login": "登录名",
    "display_name": "姓名",
    "role": "角色",
    "member_id": "对应巡察组成员",
    "active": "启用",
    "year": "年度",
    "ordinal": "序号",
    "kind": "类型",
    "start_on": "开始日期",
    "end_on": "结束日期",
    "framework": "问题框架",
    "framework_version": "问题框架版本",
    "staffing": "人员来源",
    "home_unit": "原单位",
    "home_post": "原职务",
    "duty": "组内分工",
    "unit": "单位",
    "post": "职务",
    "rank": "职级",
    "is_leadership": "班子成员",
    "leadership_order": "班子排序",
    "record_type": "所属记录类型",
    "record_id": "所属记录",
    "sha256": "文件校验值",
    "file_name": "文件名",
    "mime": "文件类型",
    "size": "文件大小（字节）",
    "note": "说明",
    "from_type": "关联来源类型",
    "from_id": "关联来源",
    "to_type": "关联目标类型",
    "to_id": "关联目标",
    "version": "版本",
    "code": "代码",
    "label": "名称",
    "parent_code": "上级代码",
    "sort_order": "排序",
}
PERSON_NAMED = ("person", "member", "user")

# What the details of an event (not a record edit) are called.
DETAIL_LABELS = {
    "file": "文件",
    "package_id": "工作包标识",
    "revisions": "修订数",
    "new": "新增记录",
    "updated": "更新记录",
    "conflicts": "新冲突",
    "backup": "备份文件",
    "incarnation_before": "恢复前的工作库编号",
    "incarnation": "恢复后的工作库编号",
    "slot": "密钥槽",
    "office_replica": "巡察办副本标识",
    "workspace_id": "工作库标识",
    "replica_id": "副本标识",
    "label": "电脑",
    "wiped_at": "清理时间",
    "by": "操作人",
    "role": "工作库类型",
    **audit_events.DETAIL_LABELS,
    "old_replica": "原副本标识",
    "old_label": "原电脑",
    "kept": "保留的修订数",
}
DETAIL_VALUES = {"office": "巡察办工作库", "field": "巡察组现场工作库", "passphrase": "口令"}


# -- values as text ------------------------------------------------------------------------------------
def value_text(value: Any) -> str:
    """A stored body value as people read it; EMPTY for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        if "step" in value:  # a 底稿 sign-off
            who = "，".join(str(value.get(k) or "") for k in ("by", "role", "at") if value.get(k))
            opinion = f"：{value['opinion']}" if value.get("opinion") else ""
            return f"{value['step']}（{who}）{opinion}"
        return "，".join(f"{k}：{value_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        separator = "；" if any(isinstance(v, dict) for v in value) else "、"
        return separator.join(value_text(v) for v in value)
    return str(value)


def short(text: str, limit: int = SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def other_field_label(record_type: str, name: str) -> str:
    if name == "name" and record_type in PERSON_NAMED:
        return "姓名"
    return OTHER_FIELD_LABELS.get(name, name)


def _signoff_step(changes: dict[str, Any]) -> str:
    """The step an edit added to a 底稿's sign-offs ('' when it added none)."""
    pair = changes.get("signoffs")
    if not isinstance(pair, list) or len(pair) != 2:
        return ""
    before, after = (p if isinstance(p, list) else [] for p in pair)
    added = [s for s in after if s not in before]
    return value_text(added[-1]) if added and isinstance(added[-1], dict) else ""


def _detail_value(value: Any, action: str = "", key: str = "") -> str:
    known = audit_events.detail_value(action, key, value)
    if known is not None:
        return known
    return DETAIL_VALUES.get(value, value_text(value)) if isinstance(value, str) else value_text(value)


def event_summary(action: str, details: dict[str, Any]) -> str:
    """One line for an event that is not a record edit."""
    d = {k: _detail_value(v, action, k) for k, v in details.items()}
    line = audit_events.summary(action, d)
    if line is not None:
        return line
    templates = {
        "init": "建立{role}",
        "passphrase": "修改了本工作库的口令",
        "recovery_slot": "添加巡察办恢复密钥（忘记口令时可由巡察办恢复）",
        "key_recovery": "为现场工作库的密钥文件“{file}”重新设置口令",
        "restore_backup": "从备份“{backup}”恢复，工作库编号 {incarnation_before} → {incarnation}",
        "import": "导入工作包“{file}”：新增 {new} 条，更新 {updated} 条，冲突 {conflicts} 处",
        "export": "导出工作包“{file}”（{revisions} 条修订）",
        "provision": "生成配置包“{file}”（{revisions} 条修订）",
        "wipe": "{label}已清理现场工作库（{by}，{wiped_at}）",
        "reidentify": "本工作库改用新身份（原身份 {old_replica}），以新身份重新签发修订 {revisions} 条",
        "accept_identity": "确认接受重新确定身份的电脑“{label}”（原为“{old_label}”），"
        "其停用的旧修订 {revisions} 条不再接收",
    }
    try:
        return templates[action].format(**d)
    except (KeyError, IndexError):
        return "；".join(f"{DETAIL_LABELS.get(k, k)}：{v}" for k, v in d.items())


def _at_text(at: str) -> str:
    try:
        return hlc_display(at)
    except ValueError:
        return at
