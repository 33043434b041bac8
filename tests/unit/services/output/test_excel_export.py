"""Excel ledgers read back with openpyxl: headers, cell types, row counts, frozen header, drop-downs,
print set-up; streaming in pages; cancel; and LibreOffice opening them."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.builders import Context, appraisal, draft, evaluation, interview, lead
from tests.output_helpers import RecordingProgress
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, EVALUATION, INTERVIEW, LEAD
from xuncha_desktop.services.output import excel_export
from xuncha_desktop.services.output.excel_export import write_ledger
from xuncha_desktop.services.progress import Cancelled, NullProgress
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


def _transferred(ctx: Context, **kw):  # type: ignore[no-untyped-def]
    values = dict(
        status="已移交",
        group_opinion="具有可查性",
        group_opinion_on=date(2025, 3, 13),
        proposed_disposal="移交纪检监察机关",
        transfer_unit="县纪委监委",
        transfer_on=date(2025, 3, 20),
        receiver="周某",
        transfer_method="密封专人移送",
    )
    values.update(kw)
    return lead(ctx, **values)


def _column(ws, header: str) -> list:  # type: ignore[no-untyped-def]
    """A column's values in the data rows (the 合计 row left out)."""
    headers = [c.value for c in ws[1]]
    index = headers.index(header)
    return [row[index] for row in ws.iter_rows(min_row=2, values_only=True) if row[0] != "合计"]


def _total(ws, header: str):  # type: ignore[no-untyped-def]
    """A column's value in the 合计 row, which is the last row."""
    headers = [c.value for c in ws[1]]
    last = next(ws.iter_rows(min_row=ws.max_row, values_only=True))
    assert last[0] == "合计"
    return last[headers.index(header)]


def test_lead_ledger_has_typed_cells_frozen_header_dropdowns_and_print_setup(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    leads = RecordService(workspace, LEAD)
    leads.save(lead(ctx, amount_yuan=Decimal("12345.60"), reporter_name="钱多多", source="来信"))
    leads.save(_transferred(ctx, subject_name="孙某"))
    target = tmp_path / "线索台账.xlsx"
    result = write_ledger(workspace, "lead", target, NullProgress(), today=date(2025, 7, 1))
    assert result.rows == {"问题线索台账": 2} and result.path == target
    wb = load_workbook(target)
    assert wb.sheetnames == ["问题线索台账", "选项"] and wb["选项"].sheet_state == "hidden"
    ws = wb["问题线索台账"]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["序号", "线索编号", "被反映人", "巡察轮次", "巡察组", "被巡察单位"]
    assert {"被反映人", "主要问题", "移交单位", "移交日期", "反馈日期", "是否超期", "办理结果"} <= set(
        headers
    )
    assert all(c.font.b for c in ws[1])
    assert ws.max_row == 4  # header, two leads, 合计
    assert _total(ws, "线索编号") == "共 2 件" and _total(ws, "涉及金额（元）") == pytest.approx(12345.6)
    assert _column(ws, "序号") == [1, 2]
    registered = _column(ws, "登记日期")
    assert all(isinstance(v, datetime) for v in registered) and registered[0].date() == date(2025, 3, 12)
    amount_cell = ws.cell(row=2, column=headers.index("涉及金额（元）") + 1)
    assert amount_cell.value == pytest.approx(12345.6) and amount_cell.number_format == "#,##0.00"
    assert ws.cell(row=2, column=headers.index("登记日期") + 1).number_format == "yyyy-mm-dd"
    assert _column(ws, "是否超期") == [None, "是"] and _column(ws, "反馈期限")[1].date() == date(2025, 6, 20)
    assert _column(ws, "反映人")[0] == "钱多多"
    assert ws.freeze_panes == "D2" and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    summary = excel_export.get_column_letter(headers.index("主要问题") + 1)
    assert ws.column_dimensions[summary].width >= 30  # 主要问题 is wide
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    source_col = excel_export.get_column_letter(headers.index("线索来源") + 1)
    source = validations[f"{source_col}2:{source_col}1048576"]
    assert source.type == "list" and source.formula1.startswith("'选项'!")
    options_col = source.formula1.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    listed = [c.value for c in wb["选项"][options_col] if c.value]
    assert listed == ["个别谈话", "来信", "来电", "来访", "码上巡察", "调阅资料", "走访", "上级交办"]


@pytest.mark.parametrize(
    ("role", "name", "shown"),
    [("组长", "张建国", "钱多多"), ("组员", "王芳", "已隐藏"), ("组员", "李明", "钱多多")],
)
def test_the_reporter_column_follows_who_may_see_it(
    workspace: Workspace, ctx: Context, tmp_path: Path, role: str, name: str, shown: str
):
    # 组长 and the registrant (李明) see the reporter; another 组员 sees 已隐藏 (domain README §3.2).
    RecordService(workspace, LEAD).save(
        lead(ctx, registered_by="李明", reporter_name="钱多多", reporter_contact="139", source="来信")
    )
    workspace.user = dataclasses.replace(workspace.user, role=role, display_name=name, login=name)
    target = tmp_path / "l.xlsx"
    write_ledger(workspace, "lead", target, NullProgress())
    ws = load_workbook(target)["问题线索台账"]
    assert _column(ws, "反映人") == [shown]
    assert _column(ws, "反映人联系方式") == ["139" if shown == "钱多多" else "已隐藏"]


def test_draft_and_interview_ledgers(workspace: Workspace, ctx: Context, tmp_path: Path):
    signed = [
        {
            "step": "审签通过",
            "by": "张建国",
            "role": "组长",
            "at": "2025-03-12T09:00:00",
            "content_hash": "ab",
        }
    ]
    RecordService(workspace, DRAFT).save(
        draft(ctx, status="已审签", signoffs=signed, disciplines=["廉洁纪律"])
    )
    RecordService(workspace, INTERVIEW).save(
        interview(ctx, problems=["接待超标", "违规发补贴"], notice_given=True)
    )
    write_ledger(workspace, "draft", tmp_path / "d.xlsx", NullProgress())
    write_ledger(workspace, "interview", tmp_path / "i.xlsx", NullProgress())
    drafts = load_workbook(tmp_path / "d.xlsx")["问题清单"]
    assert _column(drafts, "问题类别") == ["B2 聚焦群众身边不正之风和腐败问题"]
    assert _column(drafts, "审签日期")[0].date() == date(2025, 3, 12)
    assert _column(drafts, "涉及金额（元）") == [126000] and _column(drafts, "涉及纪律") == ["廉洁纪律"]
    talks = load_workbook(tmp_path / "i.xlsx")["谈话登记表"]
    assert _column(talks, "谈话对象") == ["王晓东"] and _column(talks, "反映问题摘要") == [
        "接待超标；违规发补贴"
    ]
    assert _column(talks, "已告知纪律和保密要求") == ["是"]
    assert isinstance(_column(talks, "谈话日期")[0], datetime)


def test_evaluation_workbook_has_portraits_and_appraisals(workspace: Workspace, ctx: Context, tmp_path: Path):
    RecordService(workspace, EVALUATION).save(evaluation(ctx, dimensions={"政治素质": "立场坚定"}))
    RecordService(workspace, APPRAISAL).save(appraisal(ctx))
    result = write_ledger(workspace, "evaluation", tmp_path / "e.xlsx", NullProgress())
    assert result.rows == {"干部画像汇总": 1, "巡察干部鉴定汇总": 1}
    wb = load_workbook(tmp_path / "e.xlsx")
    portraits = wb["干部画像汇总"]
    assert _column(portraits, "参评人数") == [42] and _column(portraits, "好评票数") == [40]
    assert _column(portraits, "好评率（%）") == [pytest.approx(95.24)]
    assert _column(portraits, "政治素质") == ["立场坚定"]
    assert _column(wb["巡察干部鉴定汇总"], "纪律作风评价得分") == [95]


def test_statistics_workbook_keeps_the_tables_by_unit_and_status(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    """The statistics workbook (laid out in statistics_workbook) keeps 按被巡察单位 and 按状态."""
    drafts = RecordService(workspace, DRAFT)
    drafts.save(draft(ctx, status="已审签"))
    drafts.save(draft(ctx, category_l1="B1", amount_yuan=Decimal("100.00")))
    RecordService(workspace, LEAD).save(_transferred(ctx))
    RecordService(workspace, INTERVIEW).save(interview(ctx))
    result = write_ledger(
        workspace, "statistics", tmp_path / "s.xlsx", NullProgress(), today=date(2025, 7, 1)
    )
    assert {"统计概览", "巡察组", "问题类别", "按被巡察单位", "按状态"} <= set(result.rows)
    wb = load_workbook(tmp_path / "s.xlsx")
    unit = [list(r) for r in wb["按被巡察单位"].iter_rows(min_row=2, values_only=True)]
    assert unit[0] == ["清河县财政局党组", "2025年第3轮巡察", "第2巡察组", 1, 2, 1, 126100, 1, 1, 1]
    assert unit[1] == ["合计", None, None, 1, 2, 1, 126100, 1, 1, 1]
    status = {(r[0], r[1]): r[2] for r in wb["按状态"].iter_rows(min_row=2, values_only=True)}
    assert status[("问题底稿", "已审签")] == 1 and status[("问题底稿", "草稿")] == 1
    assert status[("问题线索", "已移交")] == 1 and status[("问题线索", "已销号")] == 0


def test_ledgers_stream_page_by_page(workspace: Workspace, ctx: Context, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(excel_export, "PAGE_SIZE", 2)
    RecordService(workspace, LEAD).save_many([lead(ctx, subject_name=f"人员{i}") for i in range(5)])
    progress = RecordingProgress()
    result = write_ledger(workspace, "lead", tmp_path / "l.xlsx", progress)
    assert result.rows["问题线索台账"] == 5
    ws = load_workbook(tmp_path / "l.xlsx")["问题线索台账"]
    assert _column(ws, "被反映人") == [f"人员{i}" for i in range(5)]
    assert [done for done, _total, _m in progress.reports] == [2, 4, 5]
    assert progress.checks == 3


def test_cancelled_ledger_leaves_no_file(workspace: Workspace, ctx: Context, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(excel_export, "PAGE_SIZE", 1)
    RecordService(workspace, LEAD).save_many([lead(ctx) for _ in range(3)])
    target = tmp_path / "l.xlsx"
    with pytest.raises(Cancelled):
        write_ledger(workspace, "lead", target, RecordingProgress(cancel_at=2))
    assert not target.exists() and not target.with_suffix(".part").exists()


def test_text_that_looks_like_a_formula_stays_text(workspace: Workspace, ctx: Context, tmp_path: Path):
    RecordService(workspace, LEAD).save(lead(ctx, summary='=HYPERLINK("http://x")\x07 反映问题'))
    write_ledger(workspace, "lead", tmp_path / "l.xlsx", NullProgress())
    ws = load_workbook(tmp_path / "l.xlsx")["问题线索台账"]
    cell = ws.cell(row=2, column=[c.value for c in ws[1]].index("主要问题") + 1)
    assert cell.value == '=HYPERLINK("http://x") 反映问题' and cell.data_type == "s"


def test_unknown_ledger_kind_is_refused(workspace: Workspace, tmp_path: Path):
    with pytest.raises(XunchaError, match="不支持导出"):
        write_ledger(workspace, "report", tmp_path / "x.xlsx", NullProgress())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_ledger_without_complaint(workspace: Workspace, ctx: Context, tmp_path: Path):
    RecordService(workspace, LEAD).save(_transferred(ctx))
    target = tmp_path / "lead.xlsx"
    write_ledger(workspace, "lead", target, NullProgress())
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path / "csv"),
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    csv = (tmp_path / "csv" / "lead.csv").read_text(encoding="utf-8")
    assert csv.startswith("序号,线索编号") and "县纪委监委" in csv and "2025-03-20" in csv


# -- 导出当前筛选的记录: only the records of a page's list as it is filtered --------------------------------
def test_a_selection_writes_only_the_filtered_list_of_its_type(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    from xuncha_desktop.services.output.excel_export import ListSelection
    from xuncha_desktop.services.records.record_service import ListQuery

    leads = RecordService(workspace, LEAD)
    leads.save(lead(ctx, subject_name="甲某", summary="反映违规收受礼金。", registered_on=date(2025, 3, 2)))
    leads.save(lead(ctx, subject_name="乙某", summary="反映违规收受礼金。", registered_on=date(2025, 3, 20)))
    leads.save(
        lead(ctx, subject_name="丙某", summary="反映工程款拨付问题。", registered_on=date(2025, 3, 21))
    )
    shown = ListQuery(
        search="礼金", date_from=date(2025, 3, 10), filters={"round_id": ctx.round.id}, limit=200
    )

    target = tmp_path / "筛选的线索台账.xlsx"
    result = write_ledger(workspace, "lead", target, NullProgress(), selection=ListSelection("lead", shown))
    assert result.rows == {"问题线索台账": 1}
    assert _column(load_workbook(target)["问题线索台账"], "被反映人") == ["乙某"]

    everything = write_ledger(workspace, "lead", tmp_path / "全部.xlsx", NullProgress())
    assert everything.rows == {"问题线索台账": 3}


def test_a_selection_of_appraisals_writes_only_their_sheet(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    from xuncha_desktop.services.output.excel_export import ListSelection
    from xuncha_desktop.services.records.record_service import ListQuery

    RecordService(workspace, EVALUATION).save(evaluation(ctx))
    RecordService(workspace, APPRAISAL).save(appraisal(ctx, name="李明"))
    RecordService(workspace, APPRAISAL).save(appraisal(ctx, name="王芳", grade="优秀"))
    # 考核状态 exists only on appraisals: it must not be applied to the 画像 sheet
    shown = ListQuery(filters={"grade": "优秀", "status": "待推荐"})
    target = tmp_path / "鉴定.xlsx"
    result = write_ledger(
        workspace, "evaluation", target, NullProgress(), selection=ListSelection("appraisal", shown)
    )
    assert result.rows == {"巡察干部鉴定汇总": 1}
    assert load_workbook(target).sheetnames[0] == "巡察干部鉴定汇总"
    with pytest.raises(XunchaError, match="“问题线索台账”中没有个别谈话记录"):
        write_ledger(
            workspace,
            "lead",
            tmp_path / "x.xlsx",
            NullProgress(),
            selection=ListSelection("interview", shown),
        )
    assert not (tmp_path / "x.xlsx").exists()
