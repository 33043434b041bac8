"""Ledger import: header matching, per-row problems, all or nothing, or the valid rows only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.builders import PASSPHRASE, Context, interview, lead, make_context
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import TargetUnit
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD, TARGET
from xuncha_desktop.services.output.excel_export import write_ledger
from xuncha_desktop.services.output.excel_import import (
    ImportContext,
    ImportProblem,
    ImportRejected,
    import_ledger,
    parse_amount,
    parse_date,
    preview_import,
)
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

# An office's own ledger: a title row, its own column order and names (synonyms), mixed date styles.
LEAD_HEADER = [
    "序号",
    "登记时间",
    "被反映人姓名",
    "职务",
    "反映主要问题",
    "线索来源",
    "涉及金额（万元）",
    "被巡察单位",
    "备注",
    "举报人",
]
GOOD_ROWS = [
    [
        1,
        datetime(2025, 3, 12),
        "赵有才",
        "预算股股长",
        "收受好处费",
        "来信",
        1.5,
        "清河县财政局党组",
        "无",
        "匿名",
    ],
    [2, "2025年3月14日", "孙某", "办公室主任", "违规兼职取酬", "个别谈话", None, None, "", None],
    [3, "2025/3/15", "钱某", "副局长", "公车私用", "来电", "0.2", "清河县财政局党组", "", "周某"],
]


def _workbook(path: Path, header: list[str], rows: list[list[Any]], title: str = "问题线索台账") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append(["合计", None, None, None, None, None, 1.7])
    wb.save(path)
    return path


def _context(ctx: Context) -> ImportContext:
    return ImportContext(ctx.round.id, ctx.group.id, ctx.target.id)


def _leads(ws: Workspace) -> list[Any]:
    return RecordService(ws, LEAD).list(ListQuery(order_by="subject_name", limit=None))


def test_a_valid_ledger_imports_every_row(workspace: Workspace, ctx: Context, tmp_path: Path):
    path = _workbook(tmp_path / "台账.xlsx", LEAD_HEADER, GOOD_ROWS)
    preview = preview_import(workspace, "lead", path, _context(ctx), today=date(2025, 4, 1))
    assert (preview.total_rows, preview.valid_rows, preview.problems) == (3, 3, ())
    assert preview.matched["subject_name"] == "被反映人姓名" and preview.matched["summary"] == "反映主要问题"
    assert preview.ignored_headers == ("备注",) and preview.matched["reporter_name"] == "举报人"
    assert _leads(workspace) == []  # a preview writes nothing
    result = import_ledger(workspace, "lead", path, _context(ctx), today=date(2025, 4, 1))
    assert result.imported == 3 and len(result.ids) == 3 and result.problems == ()
    stored = {r.subject_name: r for r in _leads(workspace)}
    assert stored["赵有才"].registered_on == date(2025, 3, 12) and stored["赵有才"].amount_yuan == Decimal(
        "15000.00"
    )
    assert stored["孙某"].registered_on == date(2025, 3, 14) and stored["孙某"].amount_yuan == Decimal("0")
    assert stored["钱某"].source == "来电" and stored["钱某"].subject_post == "副局长"
    assert stored["钱某"].registered_by == workspace.user.display_name  # no 登记人 column: the importing user
    assert stored["赵有才"].anonymous and stored["钱某"].reporter_name == "周某"
    assert all(r.target_id == ctx.target.id and r.round_id == ctx.round.id for r in stored.values())
    assert all(r.number.startswith("2025-3轮-2组-线索-") for r in stored.values())


def test_bad_rows_are_reported_with_row_column_and_reason_and_nothing_is_imported(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    rows = [
        GOOD_ROWS[0],
        [2, "2025-13-40", "孙某", "主任", "违规兼职", "走访", None, None, ""],
        [3, "2025-03-15", "", "副局长", "公车私用", "走访", "很多", "不存在的单位", ""],
        [4, "2025-03-16", "李某", "科员", "", "走访", None, None, ""],
    ]
    path = _workbook(tmp_path / "bad.xlsx", LEAD_HEADER, rows)
    with pytest.raises(ImportRejected) as caught:
        import_ledger(workspace, "lead", path, _context(ctx), today=date(2025, 4, 1))
    problems = caught.value.problems
    assert ImportProblem(4, "登记时间", "日期“2025-13-40”不存在") in problems
    assert ImportProblem(5, "涉及金额（万元）", "金额“很多”不是数字") in problems
    assert (
        ImportProblem(5, "被巡察单位", "被巡察单位“不存在的单位”不在当前轮次中，请先在本轮次中建立该单位")
        in problems
    )
    assert ImportProblem(5, "被反映人姓名", "必填项为空") in problems
    assert ImportProblem(6, "反映主要问题", "必填项为空") in problems
    assert {p.row for p in problems} == {4, 5, 6}
    assert "3行" in str(caught.value) and "未导入任何记录" in str(caught.value)
    assert _leads(workspace) == []


def test_domain_rules_are_checked_per_row(workspace: Workspace, ctx: Context, tmp_path: Path):
    header = ["登记日期", "被反映人", "主要问题", "线索来源", "状态"]
    rows = [
        [date(2025, 3, 1), "甲", "问题", "微信", "已登记"],
        [date(2099, 1, 1), "乙", "问题", "来电", "已移交"],
    ]
    path = _workbook(tmp_path / "rules.xlsx", header, rows)
    preview = preview_import(workspace, "lead", path, _context(ctx), today=date(2025, 4, 1))
    reasons = {(p.row, p.column): p.reason for p in preview.problems}
    assert reasons[(3, "线索来源")].startswith("线索来源“微信”不在可选范围内")
    assert reasons[(4, "登记日期")] == "登记日期不能晚于今天"
    assert reasons[(4, "移交单位")] == "请填写移交单位"  # status 已移交 needs the transfer facts
    assert preview.valid_rows == 0


def test_only_valid_rows_are_imported_when_asked(workspace: Workspace, ctx: Context, tmp_path: Path):
    rows = [GOOD_ROWS[0], [2, "昨天", "孙某", "主任", "违规兼职", "走访", None, None, ""], GOOD_ROWS[2]]
    path = _workbook(tmp_path / "mixed.xlsx", LEAD_HEADER, rows)
    result = import_ledger(workspace, "lead", path, _context(ctx), only_valid=True, today=date(2025, 4, 1))
    assert result.imported == 2 and result.skipped_rows == (4,)
    assert result.problems == (ImportProblem(4, "登记时间", "日期“昨天”无法识别，应写作 2025-03-12"),)
    assert [r.subject_name for r in _leads(workspace)] == ["赵有才", "钱某"]


def test_missing_required_column_is_reported_once(workspace: Workspace, ctx: Context, tmp_path: Path):
    path = _workbook(tmp_path / "cols.xlsx", ["被反映人", "主要问题", "线索来源"], [["甲", "问题", "来信"]])
    preview = preview_import(workspace, "lead", path, _context(ctx))
    assert preview.problems == (ImportProblem(2, "登记日期", "文件中没有这一必填列"),)


def test_an_exported_ledger_imports_into_another_workspace_once(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    leads = RecordService(workspace, LEAD)
    leads.save(lead(ctx, amount_yuan=Decimal("12345.60"), disciplines=["廉洁纪律", "工作纪律"]))
    leads.save(lead(ctx, subject_name="孙某", anonymous=True, source="来信"))
    exported = tmp_path / "export.xlsx"
    write_ledger(workspace, "lead", exported, NullProgress())
    with Workspace.create(tmp_path / "other.xcdb", PASSPHRASE, kdf=KdfParams.cheap()) as other:
        there = make_context(other)
        result = import_ledger(other, "lead", exported, _context(there))
        assert result.imported == 2
        copies = {r.subject_name: r for r in _leads(other)}
        original = {r.subject_name: r for r in _leads(workspace)}
        for name, copy in copies.items():
            assert copy.number == original[name].number
            assert (copy.amount_yuan, copy.disciplines, copy.anonymous, copy.registered_on) == (
                original[name].amount_yuan,
                original[name].disciplines,
                original[name].anonymous,
                original[name].registered_on,
            )
        with pytest.raises(ImportRejected) as again:
            import_ledger(other, "lead", exported, _context(there))
        assert all("已在工作库中" in p.reason for p in again.value.problems)


def test_an_exported_interview_ledger_recreates_its_records(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    talks = RecordService(workspace, INTERVIEW)
    talks.save(interview(ctx, problems=["食堂账目 不清", "公车私用"], persons_involved=["甲", "乙"]))
    talks.save(interview(ctx, interviewee_name="钱某", interviewer="赵某", recorder="孙某"))
    exported = tmp_path / "talks.xlsx"
    write_ledger(workspace, "interview", exported, NullProgress())
    with Workspace.create(tmp_path / "other.xcdb", PASSPHRASE, kdf=KdfParams.cheap()) as other:
        result = import_ledger(other, "interview", exported, _context(make_context(other)))
        assert result.imported == 2 and not result.problems
        fields = (
            "number",
            "held_on",
            "interviewer",
            "recorder",
            "interviewee_name",
            "problems",
            "persons_involved",
        )
        mine = sorted(tuple(getattr(r, f) for f in fields) for r in talks.list(ListQuery(limit=None)))
        theirs = RecordService(other, INTERVIEW).list(ListQuery(limit=None))
        assert sorted(tuple(getattr(r, f) for f in fields) for r in theirs) == mine


def test_drafts_import_with_category_by_label_or_code(workspace: Workspace, ctx: Context, tmp_path: Path):
    RecordService(workspace, TARGET).save(TargetUnit(round_id=ctx.round.id, name="清河县教育局党组"))
    header = [
        "底稿编号",
        "被巡察单位",
        "编制日期",
        "问题标题",
        "问题类别",
        "问题表现",
        "问题来源",
        "涉及金额（元）",
        "撰写人",
        "立行立改",
        "涉及纪律",
    ]
    rows = [
        [
            "XC-001",
            "清河县教育局党组",
            "2025-03-10",
            "违规收费",
            "聚焦群众身边不正之风和腐败问题",
            "收取资料费",
            "调阅资料",
            "1,200.50",
            "李明",
            "是",
            "廉洁纪律、群众纪律",
        ],
        [
            "XC-002",
            None,
            20250311,
            "会议记录不全",
            "B3",
            "三会一课记录缺失",
            "个别谈话",
            None,
            None,
            "否",
            "",
        ],
        ["XC-003", None, "2025-03-12", "标题", "不存在的类别", "描述", "个别谈话", None, "李明", "也许", ""],
    ]
    path = _workbook(tmp_path / "问题清单.xlsx", header, rows, title="问题清单")
    result = import_ledger(workspace, "draft", path, _context(ctx), only_valid=True, today=date(2025, 4, 1))
    assert result.imported == 2 and result.skipped_rows == (5,)
    assert {p.column for p in result.problems} == {"问题类别", "立行立改"}
    stored = {d.number: d for d in RecordService(workspace, DRAFT).list(ListQuery(limit=None))}
    first, second = stored["XC-001"], stored["XC-002"]
    assert first.category_l1 == "B2" and first.amount_yuan == Decimal("1200.50") and first.immediate_fix
    assert first.disciplines == ["廉洁纪律", "群众纪律"] and first.description == "收取资料费"
    assert first.target_id != ctx.target.id and second.target_id == ctx.target.id
    assert second.category_l1 == "B3" and second.prepared_on == date(2025, 3, 11) and second.status == "草稿"


def test_files_that_are_not_ledgers_are_refused(workspace: Workspace, ctx: Context, tmp_path: Path):
    not_excel = tmp_path / "x.xlsx"
    not_excel.write_text("hello")
    with pytest.raises(XunchaError, match="只支持"):
        preview_import(workspace, "lead", not_excel, _context(ctx))
    no_header = _workbook(tmp_path / "empty.xlsx", ["甲", "乙"], [[1, 2]])
    with pytest.raises(XunchaError, match="找不到台账表头"):
        preview_import(workspace, "lead", no_header, _context(ctx))
    with pytest.raises(XunchaError, match="不支持导入"):
        preview_import(workspace, "evaluation", no_header, _context(ctx))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (datetime(2025, 3, 1, 8, 0), date(2025, 3, 1)),
        ("2025.3.1", date(2025, 3, 1)),
        (45717, date(2025, 3, 1)),
        ("20250301", date(2025, 3, 1)),
        (None, None),
        ("  ", None),
    ],
)
def test_dates_in_the_usual_spellings(raw: Any, expected: date | None):
    assert parse_date(raw) == expected


def test_amounts_in_yuan_and_wan():
    assert parse_amount("1.5万元", "涉及金额") == Decimal("15000.00")
    assert parse_amount(2, "涉及金额（万元）") == Decimal("20000.00")
    assert parse_amount("￥1,234.50元", "金额") == Decimal("1234.50")
