"""One builder per report kind, each turning a unit's records (sources.UnitRecords) or one 底稿 into the
content model: 巡察报告初稿, 一把手专题材料, 巡察反馈意见, 底稿审批单. Wording follows the domain README
(§1.1 三段式 and 底稿 as the report's only basis, §1.4 画像, §3.1 反馈) and GB/T 9704 heading levels."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.classification import category_label
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.personnel_evaluations import PersonnelEvaluation, favourable_rate, poll_total
from xuncha_desktop.domain.states import DraftStep
from xuncha_desktop.services.reports.model import Appendix, Outline, Report, Table
from xuncha_desktop.services.reports.sources import UnitRecords
from xuncha_desktop.services.reports.wording import (
    cn_date,
    group_by_framework,
    in_framework_order,
    issue_list,
    write_issue,
    yuan,
)

DRAFT_MARKING = "工作秘密"
LEADER_RESPONSIBILITIES = ("第一责任人责任", "主要领导责任")


def _period(r: UnitRecords) -> str:
    start, end = r.period
    if start and end:
        return f"{cn_date(start)}至{cn_date(end)}"
    return f"{cn_date(start)}起" if start else "本轮巡察期间"


def _figures(r: UnitRecords) -> str:
    """The unit's figures for the opening (domain README §5.1 Process and Output)."""
    u = r.unit
    fixes = sum(d.immediate_fix for d in r.signed)
    amount = sum((d.amount_yuan for d in r.signed), Decimal(0))
    transferred = sum(lead.transfer_on is not None for lead in r.leads)
    money = f"，涉及金额{yuan(amount)}" if amount else ""
    return (
        f"巡察期间，共开展个别谈话{r.interviews}人次，调阅资料{u.files_read}卷，走访核查{u.site_visits}次，"
        f"收回民主测评及问卷{u.questionnaires}份；经组长审签的问题底稿{len(r.signed)}份，发现问题{len(r.signed)}个"
        f"{money}，其中立行立改{fixes}个；登记问题线索{len(r.leads)}件，已移交{transferred}件。"
    )


def _suggestions(out: Outline, drafts: list[IssueDraft]) -> int:
    """The drafts' 意见建议 as numbered paragraphs, each once (spacing ignored); how many were written."""
    suggestions = list(dict.fromkeys(" ".join(d.suggestion.split()) for d in drafts if d.suggestion.strip()))
    for suggestion in suggestions:
        out.paragraph(suggestion, lead=out.item())
    return len(suggestions)


def build_inspection(r: UnitRecords, today: date) -> Report:
    """巡察报告初稿: the opening with the unit's figures, the issues of its signed 底稿 under the round's
    framework in 三段式, the suggestions, the leads in one sentence, the 问题清单 as the appendix."""
    drafts = in_framework_order(r.signed, r.framework)
    out = Outline()
    out.paragraph(
        f"根据巡察工作统一部署，{r.group_name}于{_period(r)}对{r.unit.name}开展了巡察。"
        f"{_figures(r)}现将巡察情况报告如下。"
    )
    out.heading(1, "巡察发现的主要问题")
    if drafts:
        group_by_framework(out, drafts, r.framework, write_issue)
    else:
        out.paragraph("（本单位尚无经组长审签的问题底稿。）")
    out.heading(1, "意见建议")
    if not _suggestions(out, drafts):
        out.paragraph("（意见建议待组务会研究提出。）")
    out.heading(1, "问题线索情况")
    on_site = sum(lead.on_site_transfer for lead in r.leads)
    out.paragraph(
        f"巡察期间共登记问题线索{len(r.leads)}件，其中边巡边移{on_site}件。问题线索另行专题报告，不在本报告中展开。"
    )
    return Report(
        kind="inspection",
        title=f"关于巡察{r.unit.name}的情况报告",
        meta=("（初稿）", f"{r.round_name}{r.group_name}"),
        marking=DRAFT_MARKING,
        blocks=tuple(out.blocks),
        appendix=Appendix("问题清单", issue_list(drafts)),
        records=len(drafts),
        signature=(r.group_name, cn_date(today)),
    )


# -- 一把手专题材料 ------------------------------------------------------------------------------------------


def top_leader(r: UnitRecords) -> PersonnelEvaluation:
    found = [e for e in r.portraits if e.is_top_leader]
    if not found:
        raise XunchaError(f"被巡察单位“{r.unit.name}”没有标为一把手的干部画像，请先在干部评价中建立")
    return max(found, key=lambda e: (e.evaluated_on or date.min, e.number))


def leads_on(r: UnitRecords, leader: PersonnelEvaluation) -> list[LeadRegistration]:
    """The unit's leads whose 被反映人 is the 一把手 (the same person record, or the same name)."""
    return [
        x
        for x in r.leads
        if (leader.person_id and x.subject_person_id == leader.person_id)
        or (leader.name and x.subject_name == leader.name)
    ]


def concerns(d: IssueDraft, leader: PersonnelEvaluation, linked: Collection[str]) -> bool:
    """A draft concerns the 一把手 when linked to a lead on them (`linked`), naming them as responsible, or
    laying 第一责任人 / 主要领导 responsibility."""
    return (
        d.id in linked
        or (bool(leader.name) and leader.name in d.responsible_party)
        or any(t in LEADER_RESPONSIBILITIES for t in d.responsibility_types)
    )


def build_top_leader(r: UnitRecords, today: date, linked: Collection[str] = ()) -> Report:
    """一把手专题材料: identity, the 画像 by dimension with the 民主测评, the drafts and leads that concern
    them (`linked`: drafts linked to a lead on them), and whether the organization department should take
    note."""
    e = top_leader(r)
    drafts = [d for d in in_framework_order(r.signed, r.framework) if concerns(d, e, linked)]
    leads = leads_on(r, e)
    out = Outline()
    out.heading(1, "基本情况")
    since = f"{cn_date(e.term_start)}任现职，" if e.term_start else ""
    portfolio = f"主持{e.portfolio}" if e.portfolio else "主持全面工作"
    out.paragraph(f"{e.name}，{r.unit.name}{e.post}，{since}{portfolio}。")
    out.heading(1, "政治画像")
    for dimension in vocab.PORTRAIT_DIMENSIONS:
        text = " ".join(e.dimensions.get(dimension, "").split())
        if text:
            out.paragraph(text, lead=f"{dimension}：")
    rate = favourable_rate(e)
    if rate is not None:
        favourable = "、".join(vocab.POLL_FAVOURABLE.get(e.poll_scale, ()))
        out.paragraph(
            f"{e.poll_scale}共收回有效票{poll_total(e)}张，{favourable}票占{rate}%。", lead="民主测评："
        )
        scale = vocab.POLL_SCALES.get(e.poll_scale, ())
        out.table(
            Table(("测评选项", "票数"), tuple((o, str(e.poll_tallies.get(o, 0))) for o in scale), (0.5, 0.5))
        )
    out.paragraph(" ".join(e.overall.split()) or "（待组务会研究。）", lead="综合评价：")
    if e.grade:
        out.paragraph(f"{e.grade}。", lead="画像等次：")
    out.heading(1, "巡察发现的相关问题")
    for d in drafts:
        write_issue(out, d)
    if not drafts:
        out.paragraph("（经组长审签的问题底稿中，未见涉及本人的问题。）")
    out.heading(1, "涉及本人的问题线索")
    out.paragraph(f"巡察期间登记涉及本人的问题线索{len(leads)}件，按规定密封移交，另行报告。")
    out.heading(1, "意见建议")
    out.paragraph("建议组织部门予以关注。" if e.flag_for_org else "暂无需组织部门专门关注的事项。")
    return Report(
        kind="top-leader",
        title=f"关于{r.unit.name}主要负责人{e.name}同志的专题材料",
        meta=(f"{r.round_name}{r.group_name}",),
        marking=e.marking or DRAFT_MARKING,
        blocks=tuple(out.blocks),
        records=1 + len(drafts) + len(leads),
        signature=(r.group_name, cn_date(today)),
    )


# -- 巡察反馈意见 --------------------------------------------------------------------------------


def build_feedback(r: UnitRecords, today: date, handed_over: list[IssueDraft] | None = None) -> Report:
    """巡察反馈意见: the issues handed over (the latest feedback's 问题清单, else the signed 底稿), the
    rectification asked for with its deadlines, and the 问题清单 as the appendix."""
    drafts = in_framework_order(handed_over if handed_over is not None else r.signed, r.framework)
    fb = r.feedback
    out = Outline()
    out.paragraph(
        f"根据巡察工作统一部署，{r.group_name}于{_period(r)}对{r.unit.name}开展了巡察。"
        f"现将巡察发现的主要问题和整改意见反馈如下。"
    )
    out.heading(1, "巡察发现的主要问题")
    if drafts:
        group_by_framework(out, drafts, r.framework, _fed_back_issue)
    else:
        out.paragraph("（尚无经组长审签的问题底稿。）")
    out.heading(1, "整改意见建议")
    if not _suggestions(out, drafts):
        out.paragraph(
            "针对巡察反馈的问题，逐项制定整改措施，明确责任领导、责任部门和完成时限。", lead=out.item()
        )
    out.heading(1, "整改要求")
    plan = f"于{cn_date(fb.plan_due_on)}前" if fb and fb.plan_due_on else "自反馈之日起15个工作日内"
    report = f"于{cn_date(fb.report_due_on)}前" if fb and fb.report_due_on else "自反馈之日起3个月内"
    out.paragraph(
        f"{r.unit.name}要切实履行整改主体责任，主要负责人履行第一责任人责任，"
        f"{plan}将整改方案报送巡察办，{report}报送整改情况报告，并按规定召开专题民主生活会，"
        "整改情况按规定在党内通报、向社会公开。"
    )
    given = f"（反馈日期：{cn_date(fb.given_on)}，{fb.form}）" if fb and fb.given_on else ""
    return Report(
        kind="feedback",
        title=f"关于巡察{r.unit.name}的反馈意见",
        meta=(f"{r.round_name}{r.group_name}{given}",),
        marking=fb.marking if fb else DRAFT_MARKING,
        blocks=tuple(out.blocks),
        appendix=Appendix("问题清单", issue_list(drafts)),
        records=len(drafts),
        signature=(r.group_name, cn_date(fb.given_on if fb and fb.given_on else today)),
    )


def _fed_back_issue(out: Outline, d: IssueDraft) -> None:
    """In feedback the unit reads the facts and the rule: who answers for it is the unit's to settle."""
    facts = " ".join(d.description.split())
    basis = f"{' '.join(d.basis.split())}" if d.basis.strip() else ""
    out.paragraph(f"{facts}{basis and '（' + basis + '）'}", lead=f"{out.item()}{d.title}。")


# -- 底稿审批单 --------------------------------------------------------------------------------


def _step(d: IssueDraft, step: str) -> tuple[str, str]:
    found = [s for s in d.signoffs if s.get("step") == step]
    if not found:
        return "", ""
    last = found[-1]
    return str(last.get("by", "")), cn_date(str(last.get("at", "")))


def _signed_line(opinion: str, who: str, when: str) -> str:
    text = " ".join(opinion.split())
    sign = f"签名：{who or '　' * 4}　日期：{when or '　' * 6}"
    return f"{text}　{sign}" if text else sign


def build_approval(d: IssueDraft, unit: str, round_group: str) -> Report:
    """底稿审批单 of one draft: its facts, basis and evidence, then the 承办人 → 副组长 → 组务会 → 组长 chain
    with opinions, names and dates (blank lines to sign where a step was not taken)."""
    reviewer, reviewed = _step(d, DraftStep.REVIEW)
    approver, approved = _step(d, DraftStep.APPROVE)
    category = category_label(d.category_l2 or d.category_l1) if (d.category_l2 or d.category_l1) else ""
    evidence = "；".join(
        f"{i}．{item.get('name', '')}" + (f"（{item.get('pages')}页）" if item.get("pages") else "")
        for i, item in enumerate(d.evidence, start=1)
    )
    party = f"（{d.responsible_party}）" if d.responsible_party else ""
    rows = (
        ("被巡察单位", unit),
        ("巡察轮次及组别", round_group),
        ("问题标题", d.title),
        ("问题类别", category),
        ("问题来源", d.source),
        ("问题描述", " ".join(d.description.split())),
        ("定性依据", " ".join(d.basis.split())),
        ("责任主体", "、".join(d.responsibility_types) + party),
        ("涉及金额", yuan(d.amount_yuan) if d.amount_yuan else ""),
        ("佐证材料", evidence),
        ("承办人", f"{d.preparer}　编制日期：{cn_date(d.prepared_on)}"),
        ("副组长复核意见", _signed_line(d.review_opinion, reviewer, reviewed)),
        ("组务会研究意见", " ".join(d.group_meeting_opinion.split())),
        ("组长审签意见", _signed_line(d.approval_opinion, approver, approved)),
    )
    return Report(
        kind="approval",
        title="问题底稿审批单",
        meta=(f"底稿编号：{d.number}　状态：{d.status}",),
        marking=d.marking,
        blocks=(Table((), rows, (0.24, 0.76), label_column=True),),
        records=1,
    )
