"""The 巡察干部鉴定 page (a sub-page of 干部评价): list columns, form bindings and the page spec."""

from __future__ import annotations

from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal
from xuncha_desktop.domain.record_types import APPRAISAL
from xuncha_desktop.gui import form_behaviours as behave
from xuncha_desktop.gui.formatting import period_text
from xuncha_desktop.gui.page_bindings import GROUP, MARKING, NUMBER, ROUND, B, members
from xuncha_desktop.gui.page_columns import field_column
from xuncha_desktop.gui.page_types import FilterSpec, PageSpec, plain
from xuncha_desktop.gui.record_table_model import Column
from xuncha_desktop.services.context_names import ContextNames

ASPECT_WIDGETS = (
    ("政治素质", "politicalQualityCommentEdit"),
    ("业务能力", "businessAbilityCommentEdit"),
    ("工作作风", "workStyleCommentEdit"),
    ("纪律执行", "disciplineCommentEdit"),
    ("廉洁自律", "integrityCommentEdit"),
)


def columns(names: ContextNames) -> list[Column[Any]]:
    def col(name: str, width: int, **how: Any) -> Column[Any]:
        return field_column(APPRAISAL, name, width, **how)

    return [
        col("number", 13),
        col("name", 5),
        col("home_unit_post", 12),
        col("duty", 4),
        Column("在组期间", lambda r: period_text(r.period_start, r.period_end), 12, sort="period_start"),
        col("conduct_score", 6, header="纪律作风得分", align_right=True),
        col("grade", 4),
        col("recommend_excellent", 4),
        Column("巡察组", lambda r: names.group(r.group_id), 6),
    ]


BINDINGS = (
    NUMBER,
    ROUND,
    GROUP,
    B("member_id", "memberCombo", members, ("group_id",), optional=True),
    B("name", "nameEdit"),
    B("gender", "genderCombo", vocab.GENDERS, optional=True),
    B("birth_month", "birthMonthEdit"),
    B("political_status", "politicalStatusCombo", vocab.POLITICAL_STATUSES, optional=True),
    B("home_unit_post", "homeUnitPostEdit"),
    B("duty", "dutyCombo", vocab.MEMBER_DUTIES, optional=True),
    B("period_start", "periodStartDate"),
    B("period_end", "periodEndDate"),
    MARKING,
    B("conduct_score", "conductScoreSpin"),
    B("self_summary", "selfSummaryText"),
    B("leader_comments", "leaderCommentsGroup", parts=ASPECT_WIDGETS),
    B("grade", "gradeCombo", vocab.APPRAISAL_GRADES, optional=True),
    B("recommend_excellent", "recommendExcellentCheck"),
    B("group_opinion", "groupOpinionText"),
    B("office_opinion", "officeOpinionText"),
    B("feedback_unit", "feedbackUnitEdit"),
    B("appraised_on", "appraisedOnDate"),
)

PAGE = PageSpec[MemberAppraisal](
    tab="干部评价",
    title="巡察干部鉴定",
    record_type=APPRAISAL,
    columns=columns,
    heading=lambda r: f"{r.name} 巡察干部鉴定" if r.name else "巡察干部鉴定",
    form_file="member_appraisal_form.ui",
    bindings=BINDINGS,
    new_record=lambda c: MemberAppraisal(round_id=c.round_id, group_id=c.group_id, appraised_on=c.today),
    filters=(FilterSpec("grade", "等次", plain(vocab.APPRAISAL_GRADES)),),
    behaviours=(behave.prefill_from_member, behave.workload),
)
