"""How 台账 print: the page plan (scale, column breaks between groups), row heights from wrapped text, every
record ledger's print set-up and 合计 row read back with openpyxl, the 合计 row ignored on import, and a wide
ledger printed to PDF by LibreOffice: several pages, the header and key columns on each, text ≥ 9 pt."""

from __future__ import annotations

import math
import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.builders import (
    PASSPHRASE,
    Context,
    appraisal,
    draft,
    evaluation,
    interview,
    lead,
    make_context,
    petition,
)
from tests.ledger_print_helpers import assert_prints_legibly, break_columns, title_columns
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, EVALUATION, INTERVIEW, LEAD, PETITION
from xuncha_desktop.services.output import ledger_print as lp
from xuncha_desktop.services.output.excel_export import write_ledger
from xuncha_desktop.services.output.excel_import import ImportContext, import_ledger
from xuncha_desktop.services.output.ledger_columns import KEY, lead_columns
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

LONG = (
    "反映其在2023年至2024年项目资金拨付中多次收受施工单位负责人好处费共计十二万元，并违规安排亲属承接工程。"
)
TODAY = date(2025, 7, 1)


def _transferred(ctx: Context, **kw: Any) -> LeadRegistration:
    values = dict(
        status="已移交",
        group_opinion="具有可查性，建议移交县纪委监委处置",
        group_opinion_on=date(2025, 3, 13),
        proposed_disposal="移交纪检监察机关",
        transfer_unit="县纪委监委",
        transfer_on=date(2025, 3, 20),
        receiver="周某",
        transfer_method="密封专人移送",
    )
    values.update(kw)
    return lead(ctx, **values)


def _rows(ws: Any) -> list[dict[str, Any]]:
    headers = [c.value for c in ws[1]]
    return [dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]


# -- the plan ----------------------------------------------------------------------------------------------


def test_text_is_measured_in_excel_characters_a_cjk_character_two():
    assert lp.text_units("abc") == 3 and lp.text_units("巡察组") == 6 and lp.text_units("第2组") == 5
    assert lp.text_lines("短", 10) == 1 and lp.text_lines("", 10) == 1
    assert lp.text_lines("一二三四五六七八九十", 12) == 2  # 20 units in 10 a line
    assert lp.text_lines("甲\n乙\n丙", 40) == 3  # explicit line breaks count
    assert lp.row_height([("一二三四五六七八九十" * 3, 12.0), (42, 6.0)]) == 6 * lp.LINE_PT + 3
    assert lp.row_height([("x" * 100_000, 10.0)]) == lp.MAX_ROW_PT


def test_column_widths_follow_the_kind_of_column():
    assert lp.print_width("date", 30) == 11 and lp.print_width("amount", 8) == 14
    assert lp.print_width("flag", 20) < lp.print_width("text", 20) == 20
    assert lp.print_width("text", 80) == 40 and lp.print_width("text", 3) == 8  # long texts wrap instead


def test_a_narrow_sheet_prints_at_full_size_and_a_slightly_wide_one_a_little_smaller():
    assert lp.plan_columns([10] * 5) == lp.PagePlan(100, (), 1)
    room = lp.PAGE_WIDTH_PT[True] - 2 * 72 * lp.SIDE_MARGIN_IN
    just_over = room / lp.COLUMN_SLACK * 1.05
    width = (just_over / 10 / 0.75 - 5) / 7
    plan = lp.plan_columns([width] * 10)
    assert lp.MIN_SCALE <= plan.scale < 100 and plan.breaks == ()
    assert plan.printed_pt >= 9


def test_wide_sheets_split_between_groups_never_below_nine_points():
    widths = [7, 20, 10] + [12] * 40
    groups = ["", KEY, KEY] + [f"g{i // 5}" for i in range(40)]  # groups of five columns
    plan = lp.plan_columns(widths, groups, title_columns=3)
    assert plan.scale == lp.MIN_SCALE and plan.printed_pt >= 9
    assert plan.breaks and all((b - 3) % 5 == 0 for b in plan.breaks)  # only at a group's first column
    room = (lp.PAGE_WIDTH_PT[True] - 2 * 72 * lp.SIDE_MARGIN_IN) * 100 / plan.scale
    keys = sum(lp.column_points(w) for w in widths[:3])
    for start, end in zip([3, *plan.breaks], [*plan.breaks, len(widths)], strict=True):
        assert (keys + sum(lp.column_points(w) for w in widths[start:end])) * lp.COLUMN_SLACK <= room


def test_a_group_wider_than_a_page_is_split_where_it_must_be():
    plan = lp.plan_columns([7, 20] + [30] * 12, ["", KEY] + ["one"] * 12, title_columns=2)
    assert len(plan.breaks) >= 2 and plan.breaks[0] > 2  # the first page is filled, not left empty


def test_every_plain_cell_of_a_ledger_workbook_is_wrapped_cjk_text(tmp_path: Path):
    wb = lp.cjk_workbook()
    ws = wb.create_sheet("台账")
    ws.append(["巡察组", 42, None])
    wb.save(tmp_path / "w.xlsx")
    back = load_workbook(tmp_path / "w.xlsx")["台账"]
    for cell in (back["A1"], back["B1"]):
        assert (cell.font.name, cell.font.sz) == ("宋体", 10.5) and cell.alignment.wrap_text
    assert back["C1"].font.name == "宋体"  # never written: what the office types in later is 宋体 too
    with zipfile.ZipFile(tmp_path / "w.xlsx") as archive:
        assert "Calibri" not in archive.read("xl/styles.xml").decode()


# -- every record ledger -----------------------------------------------------------------------------------


def test_the_lead_ledger_prints_over_pages_split_between_groups_with_its_key_columns(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    leads = RecordService(workspace, LEAD)
    leads.save_many(
        [
            _transferred(ctx, subject_name=f"赵某{i}", summary=LONG * (i + 1), amount_yuan=Decimal(i))
            for i in range(3)
        ]
    )
    write_ledger(workspace, "lead", tmp_path / "l.xlsx", NullProgress(), today=TODAY)
    ws = load_workbook(tmp_path / "l.xlsx")["问题线索台账"]
    assert_prints_legibly(ws)
    assert ws.print_title_cols == "$A:$C" and title_columns(ws) == 3  # 序号, 线索编号, 被反映人
    for letter in ("A", "P", "AP"):  # the columns' own style, which LibreOffice gives unstyled cells
        column = ws.column_dimensions[letter]
        assert column.font.name == "宋体" and column.alignment.wrap_text, letter
    headers = [c.value for c in ws[1]]
    columns = lead_columns(load_context_names(workspace), TODAY, False)
    group_starts = {c.header for i, c in enumerate(columns) if i == 0 or c.group != columns[i - 1].group}
    split = [headers[b] for b in break_columns(ws)]
    assert len(split) >= 4 and sum(h in group_starts for h in split) >= len(split) - 1, split
    assert ws.page_setup.scale == lp.MIN_SCALE
    # the longest 主要问题 wraps onto several lines and its row is high enough for them
    summary = headers.index("主要问题") + 1
    assert ws.row_dimensions[4].height >= 3 * lp.LINE_PT and ws.cell(4, summary).alignment.wrap_text
    assert ws.row_dimensions[1].height >= lp.LINE_PT  # the header row too
    total = _rows(ws)[-1]
    assert total["序号"] == "合计" and total["线索编号"] == "共 3 件" and total["涉及金额（元）"] == 3
    assert total["被反映人"] is None and ws.cell(ws.max_row, 1).font.b


def test_the_petition_ledger_prints_legibly_keyed_by_number_and_subject(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    RecordService(workspace, PETITION).save_many(
        [
            petition(ctx),
            petition(ctx, anonymous=True, reporter_name="", reporter_contact="", summary=LONG * 3),
        ]
    )
    write_ledger(workspace, "petition", tmp_path / "p.xlsx", NullProgress(), today=TODAY)
    ws = load_workbook(tmp_path / "p.xlsx")["信访件台账"]
    assert_prints_legibly(ws)
    assert [c.value for c in ws[1]][:3] == ["序号", "信访件编号", "被反映人"] and title_columns(ws) == 3
    rows = _rows(ws)
    assert [r["反映人"] for r in rows[:-1]] == ["周某某", "匿名"]  # as the 登记表 prints it
    assert rows[-1]["序号"] == "合计" and rows[-1]["信访件编号"] == "共 2 件"


def test_draft_interview_and_evaluation_ledgers_print_legibly_with_their_totals(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    RecordService(workspace, DRAFT).save_many(
        [
            draft(ctx, amount_yuan=Decimal("100.50")),
            draft(ctx, amount_yuan=Decimal("0"), description=LONG * 4),
        ]
    )
    RecordService(workspace, INTERVIEW).save_many([interview(ctx, problems=[LONG, LONG]), interview(ctx)])
    RecordService(workspace, EVALUATION).save(evaluation(ctx))
    RecordService(workspace, APPRAISAL).save(appraisal(ctx))
    for kind in ("draft", "interview", "evaluation"):
        write_ledger(workspace, kind, tmp_path / f"{kind}.xlsx", NullProgress(), today=TODAY)
    drafts = load_workbook(tmp_path / "draft.xlsx")["问题清单"]
    talks = load_workbook(tmp_path / "interview.xlsx")["谈话登记表"]
    evaluations = load_workbook(tmp_path / "evaluation.xlsx")
    for ws in (drafts, talks, evaluations["干部画像汇总"], evaluations["巡察干部鉴定汇总"]):
        assert_prints_legibly(ws)
        assert title_columns(ws) == 3 and break_columns(ws), ws.title  # 序号, 编号 and 名称 on every page
    assert [c.value for c in drafts[1]][:3] == ["序号", "底稿编号", "问题标题"]
    assert _rows(drafts)[-1]["底稿编号"] == "共 2 个" and _rows(drafts)[-1]["涉及金额（元）"] == 100.5
    assert _rows(talks)[-1]["记录编号"] == "共 2 人次"
    portraits = _rows(evaluations["干部画像汇总"])
    assert (
        portraits[-1]["画像编号"] == "共 1 人" and portraits[-1]["参评人数"] is None
    )  # votes are not summed
    assert _rows(evaluations["巡察干部鉴定汇总"])[-1]["鉴定编号"] == "共 1 人"


def test_the_total_row_is_left_out_when_a_ledger_is_imported_back(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    RecordService(workspace, LEAD).save_many(
        [lead(ctx, subject_name="甲某", amount_yuan=Decimal("10.00")), lead(ctx, subject_name="乙某")]
    )
    exported = tmp_path / "线索台账.xlsx"
    write_ledger(workspace, "lead", exported, NullProgress())
    assert _rows(load_workbook(exported)["问题线索台账"])[-1]["序号"] == "合计"
    with Workspace.create(tmp_path / "other.xcdb", PASSPHRASE, kdf=KdfParams.cheap()) as other:
        there = make_context(other)
        context = ImportContext(round_id=there.round.id, group_id=there.group.id, target_id=there.target.id)
        result = import_ledger(other, "lead", exported, context)
        assert result.imported == 2
        names = sorted(r.subject_name for r in RecordService(other, LEAD).iterate(ListQuery()))
        assert names == ["乙某", "甲某"]


# -- on paper ----------------------------------------------------------------------------------------------


def _sizes(reader: PdfReader, page: int) -> dict[float, list[str]]:
    """Effective font size (points) → texts drawn at it on `page`."""
    sizes: dict[float, list[str]] = {}

    def visit(text: str, cm: Any, tm: Any, _font: Any, size: float) -> None:
        if text.strip():
            scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
            sizes.setdefault(round(size * scale, 2), []).append(text)

    reader.pages[page].extract_text(visitor_text=visit)
    return sizes


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_wide_ledger_legibly_on_several_pages(
    workspace: Workspace, ctx: Context, tmp_path: Path
):
    leads = [_transferred(ctx, subject_name=f"钱某{i}", summary=LONG * (1 + i % 3)) for i in range(12)]
    RecordService(workspace, LEAD).save_many(leads)
    target = tmp_path / "问题线索台账.xlsx"
    write_ledger(workspace, "lead", target, NullProgress(), today=TODAY)
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "pdf" / "问题线索台账.pdf"
    reader = PdfReader(pdf)
    across = len(break_columns(load_workbook(target)["问题线索台账"])) + 1
    assert len(reader.pages) >= across > 1  # one hidden 选项 sheet is not printed
    for number, page in enumerate(reader.pages):
        text = page.extract_text()
        # the header row and the key columns on every page, the title above and the page number below
        for word in ("序号", "线索编号", "被反映人", "问题线索台账", f"第 {number + 1} 页"):
            assert word in text.replace("\n", " "), (number, word)
        body = {size for size, texts in _sizes(reader, number).items() if any("钱某" in t for t in texts)}
        assert body and min(body) >= 9, (number, body)
    # 主要问题 wrapped, not cut at its column's edge: its last words are printed (LibreOffice takes the
    # wrapping from the column's style, Excel from style 0)
    page = next(i for i, p in enumerate(reader.pages) if "主要问题" in p.extract_text())
    drawn = [t for texts in _sizes(reader, page).values() for t in texts if "反映其在" in t]
    assert drawn and max(len(t) for t in drawn) < 30  # a line at most as long as the column holds
    first = _sizes(reader, 0)
    assert min(first) >= 9  # nothing on the page, header and footer included, is smaller
    # every column of the plan's first page printed on it: LibreOffice added no break of its own
    text = reader.pages[0].extract_text()
    assert "巡察轮次" in text and "登记人" in text and "线索来源" not in text
