"""`report` on a demo workspace as a user would run it: every kind as .docx and as PDF; the .docx files
read back with python-docx and converted by LibreOffice Writer (headless, a private profile) to PDF whose
text holds the report's title, headings and page numbers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE
from tests.docx_helpers import headings, open_docx, pdf_text, to_pdf_with_libreoffice
from xuncha_desktop.cli import main
from xuncha_desktop.domain.issue_drafts import SIGNED
from xuncha_desktop.domain.personnel_evaluations import PersonnelEvaluation
from xuncha_desktop.domain.record_types import DRAFT, EVALUATION
from xuncha_desktop.services.demo.build import build_demo
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

TITLES = {
    "inspection": "关于巡察{unit}的情况报告",
    "top-leader": "关于{unit}主要负责人",
    "feedback": "关于巡察{unit}的反馈意见",
    "approval": "问题底稿审批单",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The demo workspace, the unit with the most signed drafts (and a 一把手 画像), one signed draft."""
    path = tmp_path_factory.mktemp("demo") / "演示.xcdb"
    with Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap()) as ws:
        build_demo(ws, seed=2, records=60)
        drafts = RecordService(ws, DRAFT).list(ListQuery(filters={"status": SIGNED}, limit=None))
        leaders = {
            e.target_id
            for e in RecordService[PersonnelEvaluation](ws, EVALUATION).list(ListQuery(limit=None))
            if e.is_top_leader
        }
        counted = sorted(
            {d.target_id for d in drafts if d.target_id in leaders},
            key=lambda t: -sum(d.target_id == t for d in drafts),
        )
        unit = load_context_names(ws).targets[counted[0]]
        draft = next(d for d in drafts if d.target_id == unit.id)
    return path, unit.name, draft.id


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XUNCHA_PASSPHRASE", PASSPHRASE)


def _run(db: Path, kind: str, which: list[str], out: Path) -> None:
    assert main(["report", "--db", str(db), "--kind", kind, *which, "--out", str(out)]) == 0


def test_every_kind_as_word_converted_by_libreoffice(demo: tuple[Path, str, str], tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice Writer is not installed")
    db, unit, draft_id = demo
    written = []
    for kind in TITLES:
        out = tmp_path / f"{kind}.docx"
        _run(db, kind, ["--id", draft_id] if kind == "approval" else ["--unit", unit], out)
        doc = open_docx(out)
        assert doc.paragraphs[1].style.name == "Title"
        assert doc.paragraphs[1].text.startswith(TITLES[kind].format(unit=unit))
        if kind == "inspection":
            assert [h for h in headings(doc) if h[0] == 1] == [
                (1, "一、巡察发现的主要问题"),
                (1, "二、意见建议"),
                (1, "三、问题线索情况"),
            ]
            assert len(doc.tables[-1].rows) >= 2  # the 问题清单 with at least one issue
        written.append(out)
    pdfs = to_pdf_with_libreoffice(written, tmp_path / "pdf", tmp_path / "lo-profile")
    for kind, pdf in zip(TITLES, pdfs, strict=True):
        text = pdf_text(pdf)
        assert TITLES[kind].format(unit=unit).replace(" ", "") in text, kind
        assert "—1—" in text, kind  # the footer's PAGE field, as LibreOffice numbers it
        if kind in ("inspection", "feedback"):
            assert "附件" in text and "问题清单" in text


def test_every_kind_as_pdf(demo: tuple[Path, str, str], tmp_path: Path, capsys) -> None:
    db, unit, draft_id = demo
    for kind in TITLES:
        out = tmp_path / f"{kind}.pdf"
        _run(db, kind, ["--id", draft_id] if kind == "approval" else ["--unit", unit], out)
        assert "页）" in capsys.readouterr().out
        text = pdf_text(out)
        assert TITLES[kind].format(unit=unit) in text and "—1—" in text, kind
