"""巡察组质效评估 as a workbook and a PDF: what is shown now, or a published result exactly as stored."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.builders import PASSPHRASE
from tests.ledger_print_helpers import assert_prints_legibly
from tests.output_helpers import pdf_text
from tests.unit.services.office_statistics.test_group_scoring import TODAY, build_round
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.office_statistics import group_scoring as gs
from xuncha_desktop.services.output import group_scoring_output as out
from xuncha_desktop.services.output.pdf_fonts import load_fonts
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.scoring import SchemeItem
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap())
    yield ws
    ws.close()


def test_published_result_laid_out_as_stored(office: Workspace, tmp_path: Path) -> None:
    a, _b = build_round(office)
    with pytest.raises(XunchaError, match="还没有发布"):
        out.shown_result(office, a.round.id, published=True)
    result = gs.publish(office, a.round.id, "默认-1", today=TODAY)
    gs.save_scheme(
        office,
        dataclasses.replace(
            gs.DEFAULT_SCHEME, version="新", items=(SchemeItem("issues_general", "一般问题", 9),)
        ),
    )
    shown = out.shown_result(office, a.round.id, published=True)
    assert shown.scheme_version == "默认-1" and "发布" in shown.about
    _ranking, rows, details = out.ledger_rows(shown)
    assert [r[2] for r in rows] == [float(g["score"]) for g in result.groups]
    assert len(details) == sum(len(g["lines"]) for g in result.groups)
    book = out.write_group_scoring_ledger(office, tmp_path / "a.xlsx", a.round.id, published=True)
    assert book.rows == {"评估排名": 2, "计分明细": len(details)}
    sheet = load_workbook(tmp_path / "a.xlsx")["计分明细"]
    assert_prints_legibly(sheet)
    assert_prints_legibly(load_workbook(tmp_path / "a.xlsx")["评估排名"])
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][1:] == [c[0] for c in out._DETAILS]
    pdf = out.write_group_scoring_pdf(
        office, a.round.id, tmp_path / "a.pdf", load_fonts(), NullProgress(), today=TODAY
    )
    text = pdf_text(tmp_path / "a.pdf")
    assert pdf.pages >= 1 and "新" in text and "未发布" in text and "计分明细" in text
