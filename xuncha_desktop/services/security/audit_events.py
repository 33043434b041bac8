"""Chinese labels and one-line summaries of the audit log's sign-in and output events: wrong passphrases,
passphrases an administrator set, the key file's upgrade, prints, ledgers and packages with their kind and
record count. services.audit_log merges these into its own tables."""

from __future__ import annotations

from typing import Any

ACTION_LABELS = {
    "print": "打印",
    "ledger": "导出台账",
    "unlock_failed": "口令错误（登录失败）",
    "user_passphrase": "设置用户口令",
    "keyfile_upgrade": "密钥文件升级",
    "avoidance_override": "回避例外",
    "roster_login": "切换为名册用户",
    "plan_import": "导入计划工作簿",
    "plan_export": "导出计划工作簿",
    "rect_settings": "修改整改设置",
    "rect_scheme": "保存整改评估方案",
    "appraisal_settings": "修改优秀比例上限",
    "group_scheme": "保存巡察组质效评估方案",
    "petition_dispose": "信访件处置",
    "report": "生成报告",
    "undo_import": "撤销导入",
}
DETAIL_LABELS = {
    "kind": "类型",
    "records": "记录数",
    "printer": "打印机",
    "login": "登录名",
    "count": "次数",
    "first": "第一次",
    "last": "最后一次",
    "where": "场合",
    "user": "用户",
    "how": "方式",
    "member": "巡察组成员",
    "group": "巡察组",
    "conflicts": "回避情形",
    "version": "版本",
    "items": "项数",
    "retired": "停用本地用户",
    "created": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "reason": "理由",
    "excellent_share_percent": "优秀比例上限（%）",
}
# What each printed kind is called: the audit viewer and the print dialogs both name it so.
PRINT_TITLES = {
    "interview": "个别谈话记录",
    "draft": "问题底稿",
    "lead": "问题线索登记表",
    "evaluation": "干部政治画像",
    "appraisal": "巡察干部鉴定表",
    "petition": "信访件登记表",
    "transfer": "问题线索移交清单",
    "batch": "问题底稿汇编",
    "provision_sheet": "巡察单机版配置单",
    "rectification": "巡察整改情况",
    "rectification-evaluation": "整改质效评估结果",
    "statistics-brief": "统计简报",
    "group-scoring": "巡察组质效评估结果",
}
_LEDGERS = {
    "interview": "谈话登记表",
    "draft": "问题清单",
    "lead": "问题线索台账",
    "petition": "信访件台账",
    "evaluation": "干部评价汇总",
    "statistics": "统计表",
    "rectification": "整改台账",
    "reconciliation": "移交线索对账表",
    "rectification-evaluation": "整改质效评估",
    "group-scoring": "巡察组质效评估",
}
# The reports of services.reports (生成报告初稿, `report --kind`).
REPORT_TITLES = {
    "inspection": "巡察报告初稿",
    "top-leader": "一把手专题材料",
    "feedback": "巡察反馈意见",
    "approval": "底稿审批单",
}
_PACKAGES = {"full": "完整", "delta": "增量", "provision": "配置", "wipe": "清理通知"}
# Values of one detail of one action, in Chinese: (action, detail) → value → text.
KEYED_VALUES: dict[tuple[str, str], dict[str, str]] = {
    ("print", "kind"): PRINT_TITLES,
    ("ledger", "kind"): _LEDGERS,
    ("report", "kind"): REPORT_TITLES,
    ("export", "kind"): _PACKAGES,
    ("import", "kind"): _PACKAGES,
    ("provision", "kind"): _PACKAGES,
    ("unlock_failed", "where"): {"open": "登录时", "unlock": "锁定后解锁时"},
    ("unlock_failed", "login"): {"": "（未填写）"},
    ("user_passphrase", "how"): {"set": "设置", "reset": "重设"},
}
TEMPLATES = {
    "print": "打印{kind}（{records} 份）：“{file}”",
    "print/printer": "打印{kind}（{records} 份）到打印机“{printer}”",
    "ledger": "导出{kind}（{records} 条记录）：“{file}”",
    "report": "生成{kind}（依据 {records} 条记录）：“{file}”",
    "export": "导出{kind}工作包“{file}”：{records} 条记录（{revisions} 条修订）",
    "provision": "生成配置包“{file}”：{records} 条记录（{revisions} 条修订）",
    "import": "导入{kind}工作包“{file}”：新增 {new} 条，更新 {updated} 条，冲突 {conflicts} 处",
    "unlock_failed": "登录名“{login}”{where}口令错误 {count} 次（{first} 至 {last}）",
    "unlock_failed/once": "登录名“{login}”{where}口令错误 1 次（{last}）",
    "user_passphrase": "{how}用户“{user}”的口令",
    "keyfile_upgrade": "密钥文件升级为每位用户单独设置口令，原工作库口令归用户“{user}”",
    "roster_login": "本机用户“{login}”切换为巡察组“{group}”名册中的{name}（{role}）",
    "key_recovery": "为现场工作库的密钥文件“{file}”中用户“{user}”重新设置口令",
    "avoidance_override": "{member}（{group}）存在回避情形仍予安排：{conflicts}",
    "plan_import": "导入计划工作簿“{file}”：新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条",
    "plan_export": "导出计划工作簿（{records} 条记录）：“{file}”",
    "undo_import": "撤销 {imported_at} 导入的工作包“{file}”：新增的 {new} 条移除，更新的 {updated} 条复原",
    "rect_scheme": "保存整改质效评估方案“{version}”（{items} 项）",
    "group_scheme": "保存巡察组质效评估方案“{version}”（{items} 项）",
}


def detail_value(action: str, key: str, value: Any) -> str | None:
    """The Chinese text of a detail this module knows, else None."""
    values = KEYED_VALUES.get((action, key))
    if values is None or not isinstance(value, str):
        return None
    return values.get(value)


def summary(action: str, details: dict[str, str]) -> str | None:
    """One line for the events above (details already as text); None when it is not one of them or an
    older entry lacks what the line needs."""
    name = action
    if action == "print" and "printer" in details:
        name = "print/printer"
    elif action == "unlock_failed" and str(details.get("count")) == "1":
        name = "unlock_failed/once"
    template = TEMPLATES.get(name)
    if template is None:
        return None
    try:
        return template.format(**details)
    except (KeyError, IndexError):
        return None
