"""pdf_fonts: installed families preferred and named, per-character fallback, rare characters
reported, and a clear message when no Chinese face exists."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.builders import Context, draft, lead
from tests.output_helpers import pdf_fonts, pdf_text
from xuncha_desktop.domain.record_types import DRAFT, LEAD
from xuncha_desktop.services.output import pdf_fonts as font_lookup
from xuncha_desktop.services.output.pdf_export import (
    write_drafts,
    write_leads,
)
from xuncha_desktop.services.output.pdf_fonts import BUNDLED_FONT, bundled_font_dir, load_fonts
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


def _save(ws: Workspace, rt, record):  # type: ignore[no-untyped-def]
    return RecordService(ws, rt).save(record)


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


def test_installed_families_are_preferred_and_named(tmp_path: Path):
    fonts_dir = tmp_path / "Fonts"
    fonts_dir.mkdir()
    shutil.copy(bundled_font_dir() / BUNDLED_FONT, fonts_dir / "simhei.ttf")  # stands in for Windows' 黑体
    (fonts_dir / "simfang.ttf").write_bytes(b"OTTO" + bytes(200))  # unreadable (CFF-like): skipped
    fonts = load_fonts([fonts_dir])
    assert fonts.heading.family == "黑体" and fonts.heading.path == fonts_dir / "simhei.ttf"
    # 仿宋 and 楷体 absent: the bundled Fandol faces; 小标宋 absent: the bundled bold 宋 stands in, named so
    assert (fonts.body.family, fonts.kai.family, fonts.title.family) == (
        "Fandol仿宋",
        "Fandol楷体",
        "Fandol粗宋",
    )
    assert fonts.body.bundled and fonts.kai.bundled and fonts.title.bundled
    assert fonts.substitutes == {"title", "number"}
    lines = fonts.describe()
    assert any(line.startswith("标题（黑体）：黑体") for line in lines)
    assert "正文（仿宋）：Fandol仿宋（随程序附带）" in lines
    assert "大标题（小标宋）：Fandol粗宋（随程序附带，替代）" in lines


def test_bundled_faces_ship_with_their_licence_and_embed(workspace: Workspace, ctx: Context, tmp_path: Path):
    folder = bundled_font_dir()
    for bundled in font_lookup.BUNDLED_ROLE_FACES.values():
        assert (folder / bundled.file_name).is_file(), bundled.file_name
    assert "font exception" in (folder / "LICENSE-fandol.txt").read_text(encoding="utf-8")
    fonts = load_fonts([tmp_path / "no-system-fonts"])  # a machine without 仿宋 / 楷体 / 小标宋
    d = _save(workspace, DRAFT, draft(ctx))
    target = tmp_path / "底稿.pdf"
    write_drafts(workspace, [d.id], target, fonts, NullProgress())
    embedded = {name.split("+", 1)[-1] for name, _t, emb in pdf_fonts(target) if emb == "yes"}
    assert {"FandolFang-Regular", "FandolSong-Bold"} <= embedded  # body text and the title
    # the document says which faces it used
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    keywords = next(line for line in info.splitlines() if line.startswith("Keywords:"))
    assert "正文 Fandol仿宋（随程序附带）" in keywords and "大标题 Fandol粗宋（随程序附带，替代）" in keywords


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
