"""Printed PDFs read back: A4 geometry, embedded fonts, extracted Chinese text, page numbering, marks,
missing characters, cancel, and the 底稿汇编."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.builders import Context, appraisal, draft, evaluation, interview, lead
from tests.output_helpers import RecordingProgress, pdf_fonts, pdf_text, pdf_words
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, EVALUATION, INTERVIEW, LEAD
from xuncha_desktop.services.output import pdf_export
from xuncha_desktop.services.output import pdf_fonts as font_lookup
from xuncha_desktop.services.output.pdf_export import (
    PDF_WRITERS,
    print_records,
    workload,
    write_draft_batch,
    write_drafts,
    write_interviews,
    write_leads,
    write_transfer_list,
)
from xuncha_desktop.services.output.pdf_fonts import BUNDLED_FONT, FontSet, bundled_font_dir, load_fonts
from xuncha_desktop.services.progress import Cancelled, NullProgress
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.statistics import Workload
from xuncha_desktop.services.workspace import Workspace

MM = 72 / 25.4
SIGNOFFS = [
    {
        "step": "提交复核",
        "by": "李明",
        "role": "组员",
        "at": "2025-03-10T10:00:00",
        "content_hash": "ab12" * 16,
    },
    {
        "step": "复核通过",
        "by": "陈立",
        "role": "副组长",
        "at": "2025-03-11T09:00:00",
        "content_hash": "cd34" * 16,
    },
    {
        "step": "审签通过",
        "by": "张建国",
        "role": "组长",
        "at": "2025-03-12T09:00:00",
        "content_hash": "ef56" * 16,
    },
]
LONG_TALK = "\n".join(
    ["问：请谈谈局党组落实全面从严治党主体责任的情况。", "答：" + "局里每季度专题研究一次，" * 40] * 4
)


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return load_fonts()


def _save(ws: Workspace, rt, record):  # type: ignore[no-untyped-def]
    return RecordService(ws, rt).save(record)


def test_draft_is_a4_with_embedded_fonts_and_its_text(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    d = _save(
        workspace,
        DRAFT,
        draft(
            ctx,
            status="已审签",
            signoffs=SIGNOFFS,
            basis="《中国共产党纪律处分条例》第九十七条",
            evidence=[
                {"name": "2023年度加班补助发放表", "source": "财务股", "pages": 12, "evidence_no": "Z-001"}
            ],
        ),
    )
    target = tmp_path / "底稿.pdf"
    result = write_drafts(workspace, [d.id], target, fonts, NullProgress())
    assert result.path == target and result.records == 1 and result.missing == ()
    reader = PdfReader(target)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts_used = pdf_fonts(target)
    assert fonts_used and all(embedded == "yes" for _name, _type, embedded in fonts_used)
    assert any("WenQuanYi" in name for name, _type, _emb in fonts_used)
    text = pdf_text(target)
    for expected in (
        "问题底稿",
        d.number,
        "清河县财政局党组",
        "违规发放津补贴12.6万元",
        "2023年度加班补助发放表",
        "第九十七条",
        "张建国",
        "2025年3月12日",
        "ab12ab12",
        "巡察工作秘密",
    ):
        assert expected in text, expected
    assert re.search(r"—\s*1\s*—", text)


def test_marking_sits_top_left_of_the_type_area(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    d = _save(workspace, DRAFT, draft(ctx, marking="秘密★1年"))
    target = tmp_path / "d.pdf"
    write_drafts(workspace, [d.id], target, fonts, NullProgress())
    first = next(w for w in pdf_words(target) if w.page == 1)
    assert first.text.startswith("秘密")
    assert first.x_min == pytest.approx(28 * MM, abs=1.5)  # left margin 28 mm
    assert first.y_min == pytest.approx(37 * MM, abs=6)  # top margin 37 mm (plus the line's leading)


def test_page_numbers_alternate_odd_right_even_left(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    r = _save(workspace, INTERVIEW, interview(ctx, content=LONG_TALK))
    target = tmp_path / "talk.pdf"
    result = write_interviews(workspace, [r.id], target, fonts, NullProgress())
    assert result.pages >= 2
    dashes = [w for w in pdf_words(target) if "—" in w.text and w.y_min > 740]  # the — n — line
    assert {w.page for w in dashes} == set(range(1, result.pages + 1))
    width = dashes[0].page_width
    for page in range(1, result.pages + 1):
        left = min(w.x_min for w in dashes if w.page == page)
        right = max(w.x_max for w in dashes if w.page == page)
        if page % 2:  # odd pages: right-aligned, one character (4号, 14 pt) in from the type area
            assert left > width / 2 and right == pytest.approx(width - 26 * MM - 14, abs=2)
        else:
            assert right < width / 2 and left == pytest.approx(28 * MM + 14, abs=2)


def test_interview_pages_say_page_n_of_n_per_record(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    long = _save(workspace, INTERVIEW, interview(ctx, content=LONG_TALK))
    short = _save(workspace, INTERVIEW, interview(ctx, interviewee_name="刘芳"))
    target = tmp_path / "talks.pdf"
    result = write_interviews(workspace, [long.id, short.id], target, fonts, NullProgress())
    assert result.records == 2
    pattern = re.compile(r"共\s*(\d+)\s*页\s*第\s*(\d+)\s*页")
    found = [pattern.search(pdf_text(target, page)) for page in range(1, result.pages + 1)]
    pairs = [(int(m[1]), int(m[2])) for m in found if m]
    assert len(pairs) == result.pages
    first_total = pairs[0][0]
    assert pairs[:first_total] == [(first_total, n) for n in range(1, first_total + 1)]
    assert pairs[first_total:] == [
        (result.pages - first_total, n) for n in range(1, result.pages - first_total + 1)
    ]
    text = pdf_text(target)
    assert "谈话人签名" in text and "谈话对象签名" in text and "刘芳" in text


def test_rare_character_is_reported_kept_in_the_text_and_does_not_crash(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    found = _save(workspace, LEAD, lead(ctx, subject_name="王㵘", reporter_name="刘𠮷", source="来信"))
    target = tmp_path / "lead.pdf"
    result = write_leads(workspace, [found.id], target, fonts, NullProgress())
    missing = {m.char: m for m in result.missing}
    assert set(missing) == {"㵘", "𠮷"}
    assert missing["𠮷"].code == "U+20BB7" and found.number in missing["㵘"].records[0]
    text = pdf_text(target)
    assert "王㵘" in text and "刘𠮷" in text  # the text layer keeps the real characters
    assert all(emb == "yes" for _n, _t, emb in pdf_fonts(target))


def test_a_character_missing_from_the_main_font_falls_back_to_another(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    if not any(Path(d, "truetype/dejavu/DejaVuSans.ttf").is_file() for d in ("/usr/share/fonts",)):
        pytest.skip("needs DejaVu Sans as the fallback font")
    d = _save(workspace, DRAFT, draft(ctx, suggestion="☑ 已立行立改"))
    target = tmp_path / "d.pdf"
    result = write_drafts(workspace, [d.id], target, fonts, NullProgress())
    assert result.missing == ()
    assert "☑ 已立行立改" in pdf_text(target)
    assert any("DejaVuSans" in name for name, _t, _e in pdf_fonts(target))


def test_reporter_prints_only_for_those_who_may_see_it(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    reported = lead(ctx, registered_by="李明", reporter_name="钱多多", reporter_contact="13900001111")
    found = _save(workspace, LEAD, reported)
    leader, member = tmp_path / "leader.pdf", tmp_path / "member.pdf"
    workspace.user = dataclasses.replace(workspace.user, role="组长")
    write_leads(workspace, [found.id], leader, fonts, NullProgress())
    workspace.user = dataclasses.replace(workspace.user, role="组员", display_name="王芳", login="wangfang")
    write_leads(workspace, [found.id], member, fonts, NullProgress())
    assert "钱多多" in pdf_text(leader) and "13900001111" in pdf_text(leader)
    text = pdf_text(member)
    assert "已隐藏" in text and "钱多多" not in text and "13900001111" not in text


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


def test_cancel_leaves_no_file_and_keeps_an_older_one(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    ids = [_save(workspace, DRAFT, draft(ctx, title=f"问题{i}")).id for i in range(3)]
    target = tmp_path / "out.pdf"
    for cancel_at in (2, 5):  # while reading records, and while laying out
        with pytest.raises(Cancelled):
            write_drafts(workspace, ids, target, fonts, RecordingProgress(cancel_at=cancel_at))
        assert not target.exists() and not target.with_suffix(".part").exists()
    target.write_bytes(b"older export")
    with pytest.raises(Cancelled):
        write_drafts(workspace, ids, target, fonts, RecordingProgress(cancel_at=5))
    assert target.read_bytes() == b"older export"


def test_progress_is_reported_per_record(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    ids = [_save(workspace, DRAFT, draft(ctx, title=f"问题{i}")).id for i in range(3)]
    progress = RecordingProgress()
    write_drafts(workspace, ids, tmp_path / "out.pdf", fonts, progress)
    assert [(done, total) for done, total, _m in progress.reports] == [(1, 3), (2, 3), (3, 3), (3, 3)]
    assert progress.checks >= 6


def test_batch_holds_the_signed_drafts_of_a_unit_after_cover_and_contents(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    first = _save(workspace, DRAFT, draft(ctx, title="公务接待超标准", status="已审签", signoffs=SIGNOFFS))
    second = _save(
        workspace, DRAFT, draft(ctx, title="违规发放津补贴", status="已审签", description=LONG_TALK)
    )
    _save(workspace, DRAFT, draft(ctx, title="尚在起草的问题", status="草稿"))
    target = tmp_path / "汇编.pdf"
    result = write_draft_batch(
        workspace, ctx.target.id, target, fonts, NullProgress(), printed_on=date(2025, 4, 1)
    )
    assert result.records == 2
    text = pdf_text(target)
    assert "问题底稿汇编" in text and "目" in text and "共2份" in text
    assert "公务接待超标准" in text and "违规发放津补贴" in text and "尚在起草的问题" not in text
    cover, contents = pdf_text(target, 1), pdf_text(target, 2)
    assert "清河县财政局党组" in cover and not re.search(r"—\s*\d+\s*—", cover + contents)
    # the drafts start on a right-hand page printed as — 1 —, and the contents point at their pages
    first_page = next(p for p in range(1, result.pages + 1) if first.number in pdf_text(target, p) and p > 2)
    assert first_page % 2 == 1 and re.search(r"—\s*1\s*—", pdf_text(target, first_page))
    second_page = next(
        p for p in range(first_page + 1, result.pages + 1) if second.number in pdf_text(target, p)
    )
    rows = [
        line.split()
        for line in pdf_text(target, 2, layout=True).splitlines()
        if first.number in line or second.number in line
    ]
    assert [row[-1] for row in rows] == ["1", str(second_page - first_page + 1)]
    assert [o.title for o in PdfReader(target).outline] == [
        f"{first.number} 公务接待超标准",
        f"{second.number} 违规发放津补贴",
    ]


def test_batch_without_signed_drafts_is_refused(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    _save(workspace, DRAFT, draft(ctx))
    with pytest.raises(XunchaError, match="还没有已审签"):
        write_draft_batch(workspace, ctx.target.id, tmp_path / "x.pdf", fonts, NullProgress())


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


def test_print_records_prints_every_record_of_a_kind(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    for name in ("王晓东", "刘芳"):
        _save(workspace, INTERVIEW, interview(ctx, interviewee_name=name))
    result = print_records(workspace, "interview", tmp_path / "all.pdf", fonts=fonts)
    assert result.records == 2
    with pytest.raises(XunchaError, match="不支持打印"):
        print_records(workspace, "report", tmp_path / "x.pdf", fonts=fonts)
    with pytest.raises(XunchaError, match="没有要打印"):
        pdf_export.write_leads(workspace, [], tmp_path / "x.pdf", fonts, NullProgress())


def test_deleted_record_is_not_printed(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    d = _save(workspace, DRAFT, draft(ctx))
    RecordService(workspace, DRAFT).delete(d.id)
    with pytest.raises(XunchaError, match="回收站"):
        write_drafts(workspace, [d.id], tmp_path / "x.pdf", fonts, NullProgress())


def test_installed_families_are_preferred_and_named(tmp_path: Path):
    fonts_dir = tmp_path / "Fonts"
    fonts_dir.mkdir()
    shutil.copy(bundled_font_dir() / BUNDLED_FONT, fonts_dir / "simhei.ttf")  # stands in for Windows' 黑体
    (fonts_dir / "simfang.ttf").write_bytes(b"OTTO" + bytes(200))  # unreadable (CFF-like): skipped
    fonts = load_fonts([fonts_dir])
    assert fonts.heading.family == "黑体" and fonts.heading.path == fonts_dir / "simhei.ttf"
    assert fonts.title.family == "黑体"  # 小标宋 absent: the heading face stands in
    assert fonts.body.bundled and {"body", "title", "kai", "number"} <= fonts.substitutes
    assert "heading" not in fonts.substitutes
    lines = fonts.describe()
    assert any(line.startswith("标题（黑体）：黑体") for line in lines)
    assert any(line.startswith("正文（仿宋）：文泉驿微米黑（随程序附带，替代）") for line in lines)


def test_money_and_rates_are_printed_as_numbers(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    d = _save(workspace, DRAFT, draft(ctx, amount_yuan=Decimal("1234567.80")))
    target = tmp_path / "d.pdf"
    write_drafts(workspace, [d.id], target, fonts, NullProgress())
    assert "1,234,567.80 元" in pdf_text(target)


def test_evidence_lists_linked_interviews_and_attached_files(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    from xuncha_desktop.services.records.attachments import AttachmentService
    from xuncha_desktop.services.records.links import LinkService

    d = _save(workspace, DRAFT, draft(ctx, evidence=[{"name": "工资发放表", "source": "财务股", "pages": 3}]))
    talk = _save(workspace, INTERVIEW, interview(ctx))
    LinkService(workspace).link("interview", talk.id, "draft", d.id)
    AttachmentService(workspace).add("draft", d.id, "记账凭证第12号.pdf", b"%PDF-1.4 scan")
    target = tmp_path / "d.pdf"
    write_drafts(workspace, [d.id], target, fonts, NullProgress())
    text = pdf_text(target)
    assert "工资发放表" in text and f"个别谈话记录 {talk.number}" in text and "记账凭证第12号.pdf" in text


def test_very_long_free_text_flows_over_pages_without_failing(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    huge = "该同志在担任局长期间多次违规审批项目资金，群众反映强烈。" * 110
    found = _save(workspace, LEAD, lead(ctx, summary=huge, subject_post=huge[:300]))
    member = _save(workspace, APPRAISAL, appraisal(ctx, self_summary=huge, group_opinion=huge[:900]))
    for writer, ids in (
        (write_leads, [found.id]),
        (write_transfer_list, [found.id]),
        (PDF_WRITERS["appraisal"], [member.id]),
    ):
        result = writer(workspace, ids, tmp_path / "long.pdf", fonts, NullProgress())
        assert result.pages >= 2
        assert re.sub(r"\s", "", pdf_text(tmp_path / "long.pdf")).count("群众反映强烈") >= 110  # none lost


def test_without_the_bundled_font_the_machines_chinese_faces_still_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A lost bundled font (a broken install) must not stop printing where 仿宋 is installed."""
    monkeypatch.setattr(font_lookup, "SYSTEM_COPY_OF_BUNDLED", tmp_path / "none.ttc")
    empty, fonts_dir = tmp_path / "bundled", tmp_path / "Fonts"
    empty.mkdir()
    fonts_dir.mkdir()
    shutil.copy(bundled_font_dir() / BUNDLED_FONT, fonts_dir / "SIMFANG.TTF")  # stands in for Windows' 仿宋
    fonts = load_fonts([fonts_dir], bundled_dir=empty)
    assert fonts.body.family == "仿宋" and not fonts.body.bundled
    assert fonts.fallbacks[0].family == "仿宋"  # the face of last resort is the machine's
    assert fonts.heading.family == "仿宋" and "heading" in fonts.substitutes


def test_no_chinese_face_anywhere_is_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(font_lookup, "SYSTEM_COPY_OF_BUNDLED", tmp_path / "none.ttc")
    (tmp_path / "Fonts").mkdir()
    (tmp_path / "Fonts" / "DejaVuSans.ttf").write_bytes(b"not used for Chinese")
    with pytest.raises(font_lookup.FontError, match=r"^找不到可嵌入 PDF 的中文字体：程序附带的字体文件缺失"):
        load_fonts([tmp_path / "Fonts"], bundled_dir=tmp_path)
