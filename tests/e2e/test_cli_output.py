"""`print` and `ledger` on a demo workspace: the PDF and workbook exist and read back as expected."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.builders import MEMBER_PASSPHRASE, PASSPHRASE, give_passphrase
from xuncha_desktop.cli import main
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.petitions import Petition
from xuncha_desktop.domain.record_types import DRAFT, LEAD, PETITION, USER
from xuncha_desktop.services.demo.build import build_demo
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, USER_ENV, Workspace
from xuncha_desktop.storage.keyfile import KdfParams


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "演示.xcdb"
    with Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap()) as ws:
        build_demo(ws, seed=2, records=60)
    return path


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XUNCHA_PASSPHRASE", PASSPHRASE)


def test_print_one_draft(demo_path: Path, tmp_path: Path, capsys) -> None:
    with Workspace.open(demo_path, PASSPHRASE) as ws:
        paper = RecordService(ws, DRAFT).list()[0]
    out = tmp_path / "底稿.pdf"
    assert (
        main(["print", "--db", str(demo_path), "--kind", "draft", "--id", paper.id, "--out", str(out)]) == 0
    )
    assert "已生成 PDF" in capsys.readouterr().out
    reader = PdfReader(out)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "".join(pdf_text(out).split())  # compare without the layout's spaces and line breaks
    assert paper.number in text and paper.title in text and "—1—" in text


def test_print_all_interviews(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "谈话.pdf"
    assert main(["print", "--db", str(demo_path), "--kind", "interview", "--all", "--out", str(out)]) == 0
    text = "".join(pdf_text(out).split())
    assert "个别谈话记录" in text and re.search(r"共\d+页第1页", text)


def test_ledger_of_leads(demo_path: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "线索台账.xlsx"
    assert main(["ledger", "--db", str(demo_path), "--kind", "lead", "--out", str(out)]) == 0
    assert "已生成台账" in capsys.readouterr().out
    sheet = load_workbook(out).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert "被反映人" in headers and "移交单位" in headers
    with Workspace.open(demo_path, PASSPHRASE) as ws:
        assert sheet.max_row - 2 == RecordService(ws, LEAD).count()  # below the header, above 合计
    assert sheet.cell(sheet.max_row, 1).value == "合计"


def test_print_needs_id_or_all(demo_path: Path, tmp_path: Path, capsys) -> None:
    assert main(["print", "--db", str(demo_path), "--kind", "draft", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "用法" in capsys.readouterr().err


# -- 信访件: 登记表 and 台账, as the 组长 and as a 组员 who may not see the reporters --------------------

PETITION_FIELDS = ("编号", "收件日期", "巡察轮次", "巡察组", "被巡察单位", "来源渠道", "登记人", "反映人")
PETITION_FIELDS += ("联系方式", "被反映人", "受理范围", "被反映单位", "处置方式", "转办单位", "处置日期")
PETITION_FIELDS += ("决定人", "登记情况", "处置情况", "内容", "摘要")  # the section labels stand upright


@pytest.fixture(scope="module")
def petition_reader(demo_path: Path) -> tuple[str, list[Petition]]:
    """A 组员 who registered none of the demo's 信访件, with a passphrase of his own, and the petitions as
    stored (the 组长 sees every reporter)."""
    with Workspace.open(demo_path, PASSPHRASE) as ws:
        petitions = RecordService[Petition](ws, PETITION).list()
        registrants = {p.registered_by for p in petitions}
        member = next(
            u
            for u in RecordService[User](ws, USER).list()
            if u.role == "组员" and u.display_name not in registrants
        )
        give_passphrase(ws, member.login)
    return member.login, petitions


def _as_member(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, MEMBER_PASSPHRASE)
    monkeypatch.setenv(USER_ENV, login)


def test_print_petitions_as_a_member_masks_the_reporters(
    demo_path: Path, tmp_path: Path, petition_reader: tuple[str, list[Petition]], monkeypatch, capsys
) -> None:
    login, petitions = petition_reader
    named = [p for p in petitions if not p.anonymous]
    assert named and any(p.anonymous for p in petitions)
    _as_member(monkeypatch, login)
    out = tmp_path / "信访件登记表.pdf"
    assert main(["print", "--db", str(demo_path), "--kind", "petition", "--all", "--out", str(out)]) == 0
    assert "已生成 PDF" in capsys.readouterr().out
    pages = [  # one 登记表 a page, compared without the layout's spaces and line breaks
        "".join(page.split()) for page in pdf_text(out).split("\f") if page.strip()
    ]
    assert len(pages) == len(petitions)
    for p in petitions:
        [page] = [t for t in pages if p.number in t]
        assert "信访件登记表" in page and all(field in page for field in PETITION_FIELDS)
        assert p.channel in page and p.within_remit in page and p.disposal in page
        assert ("匿名" if p.anonymous else "已隐藏") in page
    text = "".join(pages)
    assert not any(p.reporter_name in text or p.reporter_contact in text for p in named)


def test_print_one_petition_as_the_leader_shows_its_reporter(
    demo_path: Path, tmp_path: Path, petition_reader: tuple[str, list[Petition]]
) -> None:
    _, petitions = petition_reader
    letter = next(p for p in petitions if p.disposal == "纳入问题底稿")
    out = tmp_path / "一件.pdf"
    args = ["print", "--db", str(demo_path), "--kind", "petition", "--id", letter.id, "--out", str(out)]
    assert main(args) == 0
    text = "".join(pdf_text(out).split())
    assert letter.number in text and letter.reporter_name in text and letter.reporter_contact in text
    assert "纳入问题底稿" in text and "已隐藏" not in text


def _ledger_rows(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    sheet = load_workbook(path).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    at = next(i for i, row in enumerate(rows) if "信访件编号" in row)  # after any title rows
    headers = [str(h) for h in rows[at]]
    *data, total = [dict(zip(headers, row, strict=True)) for row in rows[at + 1 :] if any(row)]
    assert total["序号"] == "合计" and total["信访件编号"] == f"共 {len(data)} 件"
    return headers, data


@pytest.mark.parametrize("who", ["组长", "组员"])
def test_ledger_of_petitions(
    demo_path: Path,
    tmp_path: Path,
    petition_reader: tuple[str, list[Petition]],
    who: str,
    monkeypatch,
    capsys,
) -> None:
    login, petitions = petition_reader
    if who == "组员":
        _as_member(monkeypatch, login)
    out = tmp_path / "信访件台账.xlsx"
    assert main(["ledger", "--db", str(demo_path), "--kind", "petition", "--out", str(out)]) == 0
    assert "已生成台账" in capsys.readouterr().out
    assert load_workbook(out).sheetnames[0] == "信访件台账"
    headers, rows = _ledger_rows(out)
    assert {"渠道", "是否匿名", "反映人", "被反映人", "摘要", "受理", "处置方式"} <= set(headers)
    by_number = {row["信访件编号"]: row for row in rows}
    assert set(by_number) == {p.number for p in petitions}
    for p in petitions:
        row = by_number[p.number]
        assert (row["渠道"], row["受理"], row["处置方式"]) == (p.channel, p.within_remit, p.disposal)
        assert row["摘要"] == p.summary and row["是否匿名"] == ("是" if p.anonymous else "否")
        if p.anonymous:  # the 组长 and the 组员 alike read 匿名, as on the 登记表
            assert row["反映人"] == "匿名"
        else:
            assert row["反映人"] == (p.reporter_name if who == "组长" else "已隐藏")
