"""pdf_forms read back: the lead form's overdue flag, evaluation tallies and rates, the appraisal's
work counts, the appraisal on one page and the transfer list's totals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.builders import Context, appraisal, draft, evaluation, interview, lead
from tests.output_helpers import pdf_text
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, EVALUATION, INTERVIEW, LEAD
from xuncha_desktop.domain.vocab import APPRAISAL_ASPECTS as ASPECTS
from xuncha_desktop.services.output.pdf_export import (
    PDF_WRITERS,
    workload,
    write_leads,
    write_transfer_list,
)
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.statistics import Workload
from xuncha_desktop.services.workspace import Workspace


def _save(ws: Workspace, rt, record):  # type: ignore[no-untyped-def]
    return RecordService(ws, rt).save(record)


def test_lead_form_flags_an_overdue_transfer(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    found = _save(
        workspace,
        LEAD,
        lead(
            ctx,
            status="已移交",
            group_opinion="具有可查性",
            group_opinion_on=date(2025, 3, 13),
            proposed_disposal="移交纪检监察机关",
            transfer_unit="县纪委监委",
            transfer_on=date(2025, 3, 20),
            receiver="周某",
        ),
    )
    target = tmp_path / "lead.pdf"
    write_leads(workspace, [found.id], target, fonts, NullProgress(), today=date(2025, 7, 1))
    text = pdf_text(target)
    assert (
        "问题线索登记表" in text and "县纪委监委" in text and "逾期未反馈" in text and "2025年6月20日" in text
    )


def test_evaluation_prints_tallies_and_rates(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    e = _save(
        workspace,
        EVALUATION,
        evaluation(ctx, dimensions={"政治素质": "政治立场坚定"}, overall="群众评价较好。"),
    )
    target = tmp_path / "e.pdf"
    PDF_WRITERS["evaluation"](workspace, [e.id], target, fonts, NullProgress())
    text = pdf_text(target)
    for expected in ("干部政治画像", "孙志强", "政治立场坚定", "71.43%", "23.81%", "95.24%", "42", "较好"):
        assert expected in text, expected


def test_appraisal_counts_the_members_work(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    _save(workspace, INTERVIEW, interview(ctx))  # 李明 records it
    _save(workspace, DRAFT, draft(ctx, status="已审签"))
    _save(workspace, LEAD, lead(ctx))
    a = _save(workspace, APPRAISAL, appraisal(ctx, self_summary="负责谈话和资料工作。"))
    assert workload(workspace, a) == Workload(interviews=1, drafts=1, adopted=1, leads=1)
    target = tmp_path / "a.pdf"
    PDF_WRITERS["appraisal"](workspace, [a.id], target, fonts, NullProgress())
    text = pdf_text(target)
    assert "巡察干部鉴定表" in text and "负责谈话和资料工作" in text and "95" in text


def test_transfer_list_counts_cases_and_persons(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    a = _save(workspace, LEAD, lead(ctx, transfer_unit="县纪委监委"))
    b = _save(workspace, LEAD, lead(ctx, subject_name="孙某", summary="反映其违规兼职取酬。"))
    target = tmp_path / "t.pdf"
    write_transfer_list(workspace, [a.id, b.id], target, fonts, NullProgress())
    text = pdf_text(target)
    assert (
        "问题线索移交清单" in text
        and "合计：2件2人" in text
        and "县纪委监委" in text
        and "移交人签名" in text
    )


def _appraisal_pdf(ws: Workspace, ctx: Context, fonts, tmp_path: Path, **kw) -> str:  # type: ignore[no-untyped-def]
    a = _save(ws, APPRAISAL, appraisal(ctx, office_opinion="同意巡察组意见。", **kw))
    target = tmp_path / f"{a.id}.pdf"
    PDF_WRITERS["appraisal"](ws, [a.id], target, fonts, NullProgress())
    return "".join(pdf_text(target, layout=True).split())


def test_appraisal_carries_the_approved_grade_and_the_recommended_one_when_different(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    changed = _appraisal_pdf(
        workspace, ctx, fonts, tmp_path, status="已审定", grade="称职", approved_grade="优秀"
    )
    assert "审定等次优秀" in changed and "推荐等次称职" in changed and "同意巡察组意见" in changed
    assert "推荐优秀" not in changed
    same = _appraisal_pdf(workspace, ctx, fonts, tmp_path, status="已审定", approved_grade="称职")
    assert "审定等次称职" in same and "推荐等次" not in same and "推荐优秀否" in same
    pending = _appraisal_pdf(workspace, ctx, fonts, tmp_path, status="已推荐")
    assert "推荐等次称职" in pending and "审定等次" not in pending


def test_appraisal_fits_one_page_even_with_long_opinions(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    summary = "本人作为专职巡察干部，主要负责谈话和资料工作，认真查阅会议记录和财务凭证。" * 4
    comments = {aspect: "政治立场坚定，能按时完成组内分工任务，工作认真负责。" for aspect in ASPECTS}
    ids = [
        _save(workspace, APPRAISAL, appraisal(ctx, name=name, **kw)).id
        for name, kw in (
            ("李明", {}),
            ("王芳", {"self_summary": summary, "leader_comments": comments, "group_opinion": "同意推荐。"}),
        )
    ]
    target = tmp_path / "鉴定表.pdf"
    result = PDF_WRITERS["appraisal"](workspace, ids, target, fonts, NullProgress())
    assert (result.records, result.pages) == (2, 2)  # one sheet each: 反馈单位 and 鉴定日期 included
    for page, name in ((1, "李明"), (2, "王芳")):
        text = pdf_text(target, page)
        assert name in text and "反馈单位" in text and "2025年4月20日" in text
