"""The list columns of each page: header, value, width in characters and the database column to sort by."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from xuncha_desktop.domain.classification import category_label
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal, PersonnelEvaluation, favourable_rate
from xuncha_desktop.gui.formatting import period_text
from xuncha_desktop.gui.record_table_model import Column
from xuncha_desktop.services.context_names import ContextNames

Columns = Callable[[ContextNames], Sequence[Column[Any]]]


def _target(names: ContextNames) -> Column[Any]:
    return Column("被巡察单位", lambda r: names.target(r.target_id), 11)


def interview_columns(names: ContextNames) -> list[Column[InterviewRecord]]:
    return [
        Column("编号", lambda r: r.number, 13, sort="number"),
        Column("谈话日期", lambda r: r.held_on, 6, sort="held_on"),
        Column("谈话对象", lambda r: r.interviewee_name, 5, sort="interviewee_name"),
        Column("单位及职务", lambda r: r.post, 13, sort="post"),
        _target(names),
        Column("谈话类型", lambda r: r.interview_type, 5, sort="interview_type"),
        Column("主谈人", lambda r: r.interviewer, 4, sort="interviewer"),
        Column("记录人", lambda r: r.recorder, 4, sort="recorder"),
    ]


def _draft_status(r: IssueDraft) -> str:
    return r.status + ("（审签后修改）" if r.edited_after_signoff else "")


def draft_columns(names: ContextNames) -> list[Column[IssueDraft]]:
    return [
        Column("编号", lambda r: r.number, 13, sort="number"),
        Column("问题标题", lambda r: r.title, 16, sort="title"),
        Column("状态", _draft_status, 5, sort="status"),
        Column(
            "问题类别",
            lambda r: category_label(r.category_l1) if r.category_l1 else "",
            11,
            sort="category_l1",
        ),
        _target(names),
        Column("涉及金额（元）", lambda r: r.amount_yuan or None, 8, align_right=True, sort="amount_yuan"),
        Column("承办人", lambda r: r.preparer, 4, sort="preparer"),
        Column("编制日期", lambda r: r.prepared_on, 6, sort="prepared_on"),
        Column("问题来源", lambda r: r.source, 5, sort="source"),
    ]


def lead_columns(names: ContextNames) -> list[Column[LeadRegistration]]:
    return [
        Column("编号", lambda r: r.number, 13, sort="number"),
        Column("登记日期", lambda r: r.registered_on, 6, sort="registered_on"),
        Column("被反映人", lambda r: r.subject_name, 5, sort="subject_name"),
        Column("单位及职务", lambda r: r.subject_post, 13, sort="subject_post"),
        Column("状态", lambda r: r.status, 5, sort="status"),
        Column("拟处置建议", lambda r: r.proposed_disposal, 8, sort="proposed_disposal"),
        Column("移交日期", lambda r: r.transfer_on, 6, sort="transfer_on"),
        Column("涉及纪律", lambda r: r.disciplines, 7),
        Column("线索来源", lambda r: r.source, 5, sort="source"),
        _target(names),
    ]


def _rate(r: PersonnelEvaluation) -> str:
    rate = favourable_rate(r)
    return "" if rate is None else f"{rate}%"


def evaluation_columns(names: ContextNames) -> list[Column[PersonnelEvaluation]]:
    return [
        Column("编号", lambda r: r.number, 13, sort="number"),
        Column("姓名", lambda r: r.name, 5, sort="name"),
        Column("职务", lambda r: r.post, 12, sort="post"),
        Column("一把手", lambda r: r.is_top_leader, 4, sort="is_top_leader"),
        Column("测评类型", lambda r: r.poll_scale, 5, sort="poll_scale"),
        Column("好评率", _rate, 4, align_right=True),
        Column("画像等次", lambda r: r.grade, 4, sort="grade"),
        Column("评价日期", lambda r: r.evaluated_on, 6, sort="evaluated_on"),
        _target(names),
    ]


def appraisal_columns(names: ContextNames) -> list[Column[MemberAppraisal]]:
    return [
        Column("编号", lambda r: r.number, 13, sort="number"),
        Column("姓名", lambda r: r.name, 5, sort="name"),
        Column("原单位及职务", lambda r: r.home_unit_post, 12, sort="home_unit_post"),
        Column("组内分工", lambda r: r.duty, 4, sort="duty"),
        Column("在组期间", lambda r: period_text(r.period_start, r.period_end), 12, sort="period_start"),
        Column("纪律作风得分", lambda r: r.conduct_score, 6, align_right=True, sort="conduct_score"),
        Column("鉴定等次", lambda r: r.grade, 4, sort="grade"),
        Column("推荐优秀", lambda r: r.recommend_excellent, 4, sort="recommend_excellent"),
        Column("巡察组", lambda r: names.group(r.group_id), 6),
    ]
