"""`print` and `ledger` on a demo workspace: the PDF and workbook exist and read back as expected."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.builders import PASSPHRASE
from xuncha_desktop.cli import main
from xuncha_desktop.domain.record_types import DRAFT, LEAD
from xuncha_desktop.services.demo.build import build_demo
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
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
