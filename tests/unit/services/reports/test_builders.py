"""Each builder says what the records say: only signed 底稿, grouped by the round's framework, in 三段式,
with the unit's figures; the 一把手's portrait and what concerns them; the feedback's 问题清单 and dates;
the 审批单's chain."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from tests.report_builders import LEADER, NOT_SIGNED, REPORT_ORDER, SIGNED, TODAY, report_world
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.personnel_evaluations import PersonnelEvaluation
from xuncha_desktop.domain.record_types import EVALUATION
from xuncha_desktop.domain.rectification import RectificationFeedback
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.feedback import give_feedback
from xuncha_desktop.services.reports import builders
from xuncha_desktop.services.reports.generate import build_report
from xuncha_desktop.services.reports.model import Heading, Paragraph, Report, Table
from xuncha_desktop.services.reports.sources import unit_records
from xuncha_desktop.services.workspace import Workspace


def _text(report: Report) -> str:
    return "\n".join(
        b.text if isinstance(b, Heading) else b.lead + b.text
        for b in report.blocks
        if not isinstance(b, Table)
    )


def test_inspection_report_rests_on_signed_drafts_grouped_by_the_framework(workspace: Workspace):
    world = report_world(workspace)
    report = build_report(workspace, "inspection", target_id=world.unit.id, today=TODAY)
    assert report.title == "关于巡察清河县财政局党组的情况报告" and report.records == len(SIGNED)
    assert [h.text for h in report.headings()] == [
        "一、巡察发现的主要问题",
        "（一）落实党的理论和路线方针政策、党中央重大决策部署及上级要求",
        "1．党的领导融入治理、“三重一大”",
        "（二）落实全面从严治党战略部署",
        "1．中央八项规定精神、“四风”",
        "2．重点领域廉洁风险（采购、招投标、工程、资金、资产）",
        "（三）落实新时代党的组织路线",
        "（四）其他问题",
        "二、意见建议",
        "三、问题线索情况",
    ]
    assert [h.level for h in report.headings()] == [1, 2, 3, 2, 3, 3, 2, 2, 1, 1]
    text = _text(report)
    assert NOT_SIGNED not in text
    titles = [SIGNED[i][2] for i in REPORT_ORDER]
    positions = [text.index(f"（1）{t}。") for t in titles]  # each the first under its heading
    assert positions == sorted(positions)
    assert report.appendix is not None
    assert [row[2] for row in report.appendix.table.rows] == titles  # the list follows the text
    assert [row[0] for row in report.appendix.table.rows] == ["1", "2", "3", "4", "5"]
    assert report.appendix.table.rows[2][5] == ""
    assert report.appendix.table.rows[1][5] == "是"  # SIGNED[0], the immediate fix, is second in the text


def test_each_issue_is_written_in_three_parts(workspace: Workspace):
    world = report_world(workspace)
    report = build_report(workspace, "inspection", target_id=world.unit.id, today=TODAY)
    paragraphs = [b for b in report.blocks if isinstance(b, Paragraph)]
    first = next(i for i, p in enumerate(paragraphs) if p.lead == f"（1）{SIGNED[1][2]}。")
    facts, basis, blame = paragraphs[first : first + 3]
    assert facts.text.startswith("2023年1月至12月") and world.signed[1].number in facts.text
    assert (basis.lead, basis.text) == ("定性分析：", "违反《中国共产党廉洁自律准则》")
    assert (blame.lead, blame.text) == ("责任指向：", "局党组负有第一责任人责任。")


def test_the_opening_gives_the_units_figures(workspace: Workspace):
    world = report_world(workspace)
    opening = build_report(workspace, "inspection", target_id=world.unit.id, today=TODAY).blocks[0]
    assert isinstance(opening, Paragraph)
    for figure in (
        "2025年3月1日至2025年4月15日",
        "个别谈话3人次",
        "调阅资料126卷",
        "走访核查7次",
        "民主测评及问卷85份",
        "问题底稿5份",
        "发现问题5个",
        "涉及金额63万元",
        "立行立改1个",
        "登记问题线索2件，已移交1件",
    ):
        assert figure in opening.text, figure


def test_a_unit_without_signed_drafts_still_gets_its_opening(workspace: Workspace, ctx):
    report = build_report(workspace, "inspection", target_id=ctx.target.id, today=TODAY)
    assert "尚无经组长审签的问题底稿" in _text(report) and report.appendix.table.rows == ()


def test_top_leader_material_draws_on_the_portrait_and_what_concerns_them(workspace: Workspace):
    world = report_world(workspace)
    report = build_report(workspace, "top-leader", target_id=world.unit.id, today=TODAY)
    text = _text(report)
    assert report.title == f"关于清河县财政局党组主要负责人{LEADER}同志的专题材料"
    assert "政治素质：政治立场坚定。" in text and "廉洁自律：廉洁自律意识有待加强。" in text
    assert "个人测评共收回有效票42张，优秀、称职票占95.24%。" in text
    assert SIGNED[1][2] in text  # 第一责任人责任
    assert SIGNED[3][2] in text  # linked to the lead on them
    assert SIGNED[0][2] not in text and SIGNED[2][2] not in text
    assert "涉及本人的问题线索1件" in text and "建议组织部门予以关注。" in text
    polls = [b for b in report.blocks if isinstance(b, Table)]
    assert polls[0].rows[0] == ("优秀", "30")


def test_top_leader_material_needs_a_portrait_marked_as_top_leader(workspace: Workspace):
    world = report_world(workspace)
    service = RecordService[PersonnelEvaluation](workspace, EVALUATION)
    service.save(dataclasses.replace(world.leader, is_top_leader=False))
    with pytest.raises(XunchaError, match="没有标为一把手的干部画像"):
        build_report(workspace, "top-leader", target_id=world.unit.id, today=TODAY)


def test_feedback_hands_over_the_feedbacks_list_with_its_due_dates(workspace: Workspace):
    world = report_world(workspace)
    chosen = [world.signed[0].id, world.signed[2].id]
    fb = RectificationFeedback(**world.ctx.scope, given_on=date(2025, 4, 20), given_by="张组长")
    give_feedback(workspace, fb, draft_ids=chosen)
    report = build_report(workspace, "feedback", target_id=world.unit.id, today=TODAY)
    text = _text(report)
    assert [row[2] for row in report.appendix.table.rows] == [SIGNED[0][2], SIGNED[2][2]]
    assert SIGNED[1][2] not in text
    assert "于2025年5月9日前将整改方案报送巡察办" in text  # 15 working days after Sunday 4-20
    assert "于2025年7月20日前报送整改情况报告" in text
    assert report.signature[-1] == "2025年4月20日"


def test_feedback_without_a_feedback_record_lists_the_signed_drafts(workspace: Workspace):
    world = report_world(workspace)
    report = build_report(workspace, "feedback", target_id=world.unit.id, today=TODAY)
    assert len(report.appendix.table.rows) == len(SIGNED)
    assert "自反馈之日起15个工作日内" in _text(report)


def test_approval_sheet_lists_the_draft_and_its_signing_chain(workspace: Workspace):
    world = report_world(workspace)
    report = build_report(workspace, "approval", draft_id=world.signed[0].id, today=TODAY)
    [form] = report.blocks
    assert isinstance(form, Table) and form.label_column and not form.header
    rows = dict(form.rows)
    assert rows["被巡察单位"] == "清河县财政局党组"
    assert rows["问题标题"] == SIGNED[0][2] and rows["问题类别"] == "中央八项规定精神、“四风”"
    assert rows["副组长复核意见"] == "事实清楚，同意提交。　签名：王副组长　日期：2025年4月1日"
    assert rows["组长审签意见"].startswith("同意写入巡察报告。　签名：张组长")
    assert report.meta == (f"底稿编号：{world.signed[0].number}　状态：已审签",)


def test_approval_sheet_of_an_unsigned_draft_leaves_lines_to_sign(workspace: Workspace):
    world = report_world(workspace)
    report = build_report(workspace, "approval", draft_id=world.unsigned.id, today=TODAY)
    rows = dict(report.blocks[0].rows)
    assert rows["组长审签意见"] == "签名：　　　　　日期：　　　　　　"


def test_unit_records_hold_only_signed_drafts(workspace: Workspace):
    world = report_world(workspace)
    r = unit_records(workspace, world.unit.id)
    assert {d.id for d in r.signed} == {d.id for d in world.signed}
    assert r.interviews == 3 and len(r.leads) == 2 and r.framework == "四个落实"
    assert builders.top_leader(r).name == LEADER
