"""信访件登记表: one page per petition with its reporter (masked for those who may not see it), subject,
summary and disposal; `print --kind petition` goes through the same writer."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from tests.builders import Context, petition
from tests.output_helpers import pdf_text
from xuncha_desktop.domain.petitions import Petition
from xuncha_desktop.domain.record_types import PETITION
from xuncha_desktop.services.output.pdf_export import PDF_KINDS, print_records, write_petitions
from xuncha_desktop.services.output.pdf_fonts import FontSet
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


def test_one_page_per_petition_with_its_facts(
    workspace: Workspace, ctx: Context, fonts: FontSet, tmp_path: Path
) -> None:
    petitions = RecordService[Petition](workspace, PETITION)
    first = petitions.save(
        petition(
            ctx,
            disposal="转办",
            forwarded_to="县信访局",
            disposed_on=date(2025, 3, 12),
            decided_by="张建国",
        )
    )
    second = petitions.save(petition(ctx, channel="意见箱", anonymous=True, reporter_name=""))
    target = tmp_path / "信访件登记表.pdf"
    result = write_petitions(workspace, [first.id, second.id], target, fonts, NullProgress())
    assert result.pages == 2 and "petition" in PDF_KINDS
    one, two = pdf_text(target, page=1), pdf_text(target, page=2)
    for text in (one, two):
        assert "信访件登记表" in text and "登记人签名" in text and "组长签名" in text
    assert "周某某" in one and "县信访局" in one and "2025年3月12日" in one and "转办" in one
    assert "匿名" in two and "周某某" not in two and "意见箱" in two


def test_a_member_prints_the_reporter_hidden(
    workspace: Workspace, ctx: Context, fonts: FontSet, tmp_path: Path
) -> None:
    saved = RecordService[Petition](workspace, PETITION).save(petition(ctx, registered_by="李明"))
    workspace.user = dataclasses.replace(workspace.user, role="组员", display_name="王芳", login="王芳")
    target = tmp_path / "成员打印.pdf"
    print_records(workspace, "petition", target, record_id=saved.id, fonts=fonts, hide_reporter=True)
    text = pdf_text(target)
    assert "已隐藏" in text and "周某某" not in text and "13800000000" not in text
