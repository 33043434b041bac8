"""Text of the office demo's rectification after a round: who in a unit answers for an issue, the 整改目标
and 整改措施 by the issue's 四个落实 category, the monthly 督导 notes, 验收 opinions, 回头看 findings, the
feedback's attendees and note, and the small evidence files a unit sends with its 整改报告.

Slots in braces: {u} the unit's short name, {issue} the issue's title, {n} a small number, {rule} the name
of a rule the unit drew up."""

from __future__ import annotations

import random
from typing import Any

# unit kind → category (四个落实 first level) → the office inside the unit that leads the rectification
_OFFICES: dict[str, dict[str, str]] = {
    "县直部门": {"A1": "办公室", "A2": "财务股", "A3": "人事股", "A4": "办公室", "A9": "办公室"},
    "乡镇(街道)": {"A1": "党政办", "A2": "财政所", "A3": "组织办", "A4": "党政办", "A9": "党政办"},
    "村(社区)": {"A1": "党支部", "A2": "村务监督委员会", "A3": "党支部", "A4": "党支部", "A9": "村委会"},
    "国有企业": {"A1": "党群工作部", "A2": "财务部", "A3": "人力资源部", "A4": "党群工作部", "A9": "综合部"},
    "学校": {"A1": "党政办公室", "A2": "总务处", "A3": "党政办公室", "A4": "党政办公室", "A9": "教务处"},
    "医院": {"A1": "党委办公室", "A2": "财务科", "A3": "人事科", "A4": "党委办公室", "A9": "医务科"},
    "其他": {"A1": "办公室", "A2": "财务科", "A3": "办公室", "A4": "办公室", "A9": "办公室"},
}

_GOALS: dict[str, tuple[str, ...]] = {
    "A1": (
        "上级决策部署在本单位落实落地，学习制度严格执行，问题全部整改到位",
        "举一反三查找贯彻落实中的短板，形成长效工作机制",
    ),
    "A2": (
        "违规问题全部纠正，违规资金全额追缴，相关人员严肃问责，制度漏洞全部堵塞",
        "财经纪律严格执行，同类问题不再发生",
    ),
    "A3": (
        "组织生活制度严格落实，干部选任程序规范，问题全部整改到位",
        "基层党组织建设全面规范，党员教育管理到位",
    ),
    "A4": ("上轮巡察及审计指出问题逐项整改销号，整改台账真实完整", "整改主体责任压紧压实，杜绝虚假整改"),
    "A9": ("问题整改到位，相关制度健全完善",),
}

_MEASURES: dict[str, tuple[str, ...]] = {
    "A1": (
        "一是召开专题会议，对照巡察反馈逐条研究，制定整改方案；二是修订《{rule}》，明确学习研讨和"
        "贯彻措施要求；三是建立落实情况台账，每季度对照检查，结果纳入年度考核。",
        "一是由主要负责人牵头，逐项梳理“{issue}”的原因；二是{n}个月内完成补课和专题研讨，"
        "形成贯彻措施清单；三是将落实情况纳入党组（党委）会议定期听取的事项。",
    ),
    "A2": (
        "一是对涉及款项逐笔清理核实，责令相关人员限期退还；二是对相关责任人进行批评教育，情节较重的"
        "按干部管理权限移交处理；三是修订《{rule}》，堵塞制度漏洞；四是开展为期{n}个月的专项自查。",
        "一是全面清查同类问题，建立问题清单和整改台账；二是已违规支出款项全部追缴到位，调整相关账目；"
        "三是制定《{rule}》，实行事前审批、事后公示；四是邀请县财政局、县审计局开展业务培训。",
        "一是立行立改，停止违规做法并追回相关款项；二是对经办人、审批人分别谈话提醒；三是由分管领导"
        "每月抽查相关凭证，连续{n}个月未发现同类问题后报请销号。",
    ),
    "A3": (
        "一是按照《{rule}》补充完善相关程序和档案资料；二是组织班子成员和支部书记开展专题学习；"
        "三是由组织人事部门每季度开展一次专项检查，发现问题及时纠正。",
        "一是召开专题组织生活会，班子成员逐一对照检查；二是规范“三会一课”记录和党员管理台账；"
        "三是对{n}名相关人员进行提醒谈话，限期整改。",
    ),
    "A4": (
        "一是重新梳理上轮巡察及审计反馈问题，逐项核实整改情况；二是对整改不到位的问题重新制定措施，"
        "明确责任人和时限；三是建立《{rule}》，整改完成一项、验收一项、销号一项。",
        "一是对“纸面整改”问题开展回头看，{n}个月内全部重新整改；二是对整改敷衍的责任人进行约谈；"
        "三是整改情况在单位内部公示，接受干部职工监督。",
    ),
    "A9": ("一是明确责任股室和责任人，制定整改时间表；二是完善《{rule}》；三是整改结果报县委巡察办备案。",),
}

_RULES: dict[str, tuple[str, ...]] = {
    "A1": ("党组（党委）理论学习中心组学习制度", "“第一议题”制度落实办法", "重大决策部署落实督办制度"),
    "A2": ("公务接待管理办法", "财务报销审批制度", "政府采购内部控制办法", "津补贴发放管理规定"),
    "A3": ("“三会一课”制度落实办法", "干部选拔任用工作纪实办法", "党员教育管理工作细则"),
    "A4": ("巡察审计整改工作台账管理制度", "整改销号管理办法"),
    "A9": ("内部管理制度汇编",),
}

_PROGRESS: dict[str, tuple[str, ...]] = {
    "start": (
        "已召开整改专题会议，制定整改方案，明确责任人和完成时限。",
        "已成立整改工作专班，对问题逐条梳理，建立整改台账。",
    ),
    "middle": (
        "整改措施已落实{n}项，剩余措施正在推进，相关制度初稿已形成。",
        "已完成问题清理核实，正在追缴相关款项，已退还部分资金。",
        "已组织相关人员谈话提醒，正在修订完善相关制度。",
    ),
    "late": (
        "主要整改措施已落实，正在收集整理佐证材料。",
        "相关制度已印发执行，正在对执行情况开展自查。",
    ),
    "slow": (
        "整改进度滞后，相关款项尚未追缴到位，已督促单位主要负责人加快推进。",
        "因涉及历史遗留问题，整改推进缓慢，已约谈分管领导，要求限期完成。",
        "整改方案措施较为笼统，已退回要求细化，并明确每项措施完成时限。",
    ),
    "done": (
        "已完成整改并报送整改佐证材料，待验收。",
        "整改已完成，单位已将整改情况在内部公示。",
    ),
}

_ACCEPTANCE: dict[str, tuple[str, ...]] = {
    "已完成": (
        "经查阅佐证材料、实地核查，问题已整改到位，同意验收。",
        "整改措施落实到位，违规资金已全部追缴，相关制度已建立，同意验收。",
        "经会同县纪委监委、县委组织部核查，整改到位，同意销号。",
    ),
    "基本完成持续整改": (
        "主要问题已整改，长效机制仍需在执行中巩固，同意验收，列入持续整改清单跟踪督办。",
        "整改基本到位，部分款项分期追缴中，同意验收并继续跟踪。",
    ),
}

_FINDINGS: dict[str, tuple[str, ...]] = {
    "属实整改": (
        "经查阅整改台账、抽查相关凭证和会议记录，问题已整改到位，未发现同类问题。",
        "实地核查和个别谈话印证，整改措施已落实，建立的制度正常执行。",
    ),
    "整改不到位": (
        "整改措施落实不彻底，部分款项尚未追缴，制度执行仍不规范。",
        "整改停留在出台制度层面，抽查发现仍有{n}处未按新制度执行。",
    ),
    "反弹回潮": (
        "整改销号后同类问题再次出现，抽查发现{n}笔支出仍存在相同问题。",
        "问题曾一度整改，回头看时发现有所反弹，相关做法又有回潮。",
    ),
}


def responsible_office(kind: str, short: str, category: str) -> str:
    """责任单位: the office inside the unit that leads, e.g. 县财政局财务股 or 柳林镇柳林村党支部."""
    office = _OFFICES.get(kind, _OFFICES["其他"]).get(category, "办公室")
    return f"{short}{office}"


def rule_name(rng: random.Random, category: str) -> str:
    return rng.choice(_RULES.get(category, _RULES["A9"]))


def measures(rng: random.Random, category: str, issue: str, rule: str) -> dict[str, str]:
    """整改目标 and 整改措施 of an issue of the category (keys goal, measures)."""
    slots = {"issue": issue, "rule": rule, "n": rng.randint(2, 6)}
    return {
        "goal": rng.choice(_GOALS.get(category, _GOALS["A9"])),
        "measures": rng.choice(_MEASURES.get(category, _MEASURES["A9"])).format_map(slots),
    }


def progress(rng: random.Random, stage: str) -> str:
    """A 督导 note at a stage: start, middle, late, slow or done."""
    return rng.choice(_PROGRESS[stage]).format(n=rng.randint(2, 4))


def acceptance(rng: random.Random, status: str) -> str:
    return rng.choice(_ACCEPTANCE[status])


def finding(rng: random.Random, result: str) -> str:
    return rng.choice(_FINDINGS[result]).format(n=rng.randint(2, 5))


def attendees(short: str, kind: str) -> str:
    if kind == "村(社区)":
        return f"{short}党支部委员、村务监督委员会成员，所在乡镇党委分管领导"
    return f"县委巡察办负责同志、县纪委监委和县委组织部有关同志，{short}领导班子成员及中层以上干部"


def feedback_note(issues: int, leads: int) -> str:
    if not issues:
        return "本轮巡察未发现需反馈的问题，提出加强党的建设的意见建议。"
    extra = f"，移交问题线索{leads}件" if leads else ""
    return f"反馈巡察发现问题{issues}个{extra}，提出整改意见建议；要求15个工作日内报送整改方案。"


def evidence_file(rng: random.Random, unit: str, rule: str, day: str) -> dict[str, Any]:
    """A short text file a unit sends as 整改佐证材料: the notice issuing the rule it drew up."""
    serial = rng.randint(3, 60)
    lines = [
        f"关于印发《{rule}》的通知",
        "",
        f"{unit}各股室（部门）：",
        "",
        f"为落实县委巡察反馈意见整改要求，经研究，现将《{rule}》印发给你们，请认真遵照执行。",
        "",
        f"附件：{rule}",
        "",
        f"{unit}",
        day,
        f"（文号：清{unit[:2]}发〔{day[:4]}〕{serial}号）",
    ]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    return {"file_name": f"关于印发《{rule}》的通知.txt", "data": data, "note": "整改佐证材料：制度文件"}


def reconciliation_note(organ: str, transferred: int, answered: int) -> str:
    return (
        f"与{organ}逐件核对移交线索{transferred}件，已反馈办理结果{answered}件，双方台账一致；"
        "未反馈的线索按月跟踪。"
    )
