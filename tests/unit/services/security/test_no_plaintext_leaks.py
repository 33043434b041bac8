"""End to end through the services, then every file written on the way is scanned for the record texts."""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from tests.builders import PASSPHRASE, Context, draft, interview, lead, make_context
from tests.sync_helpers import open_world
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups, keys
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

# Distinctive texts that occur nowhere else: any file holding one of them holds record text in clear.
TEXTS = (
    "鹦鹉螺湾专项资金挪用问题",
    "青松岭水库围标串标线索",
    "反映人蓝田玉",
    "谈话中提及翡翠湖账外小金库",
    "附件正文紫藤巷土地出让",
    "附件名称琥珀街",
)
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "gb18030")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Needles:
    """The encoded forms of some texts, searched in one pass."""

    texts: tuple[str, ...]

    @cached_property
    def encoded(self) -> dict[bytes, str]:
        return {t.encode(enc): f"{t}（{enc}）" for t in self.texts for enc in ENCODINGS}

    @cached_property
    def pattern(self) -> re.Pattern[bytes]:
        return re.compile(b"|".join(re.escape(n) for n in sorted(self.encoded, key=len, reverse=True)))

    def found_in(self, path: Path) -> list[str]:
        longest, found, tail = max(map(len, self.encoded)), set(), b""
        try:
            with open(path, "rb") as f:
                while chunk := f.read(_CHUNK):
                    window = tail + chunk
                    found |= {self.encoded[m.group()] for m in self.pattern.finditer(window)}
                    tail = window[-longest:]
        except OSError:
            return []  # another user's file, or one deleted while we looked
        return sorted(found)


RECORD_TEXTS = Needles(TEXTS)


def _files(root: Path, since: float | None) -> Iterator[Path]:
    for folder, _dirs, names in os.walk(root, onerror=lambda _err: None):
        for name in names:
            path = Path(folder) / name
            try:
                info = path.lstat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and (since is None or max(info.st_mtime, info.st_ctime) >= since):
                yield path


def scan(
    root: Path, since: float, needles: Needles = RECORD_TEXTS, *, temp: bool = True
) -> dict[str, list[str]]:
    """{file: texts found} for every file under `root`, and (with `temp`) every file in the temp folder
    Python's tempfile uses that was written since `since`."""
    paths = dict.fromkeys(_files(root, None))
    if temp:
        paths.update(dict.fromkeys(_files(Path(tempfile.gettempdir()), since)))
    return {str(p): hits for p in paths if (hits := needles.found_in(p))}


def test_the_scanner_finds_plain_text(tmp_path: Path) -> None:
    canary = Needles(("金丝雀测试文本",))  # not a record text: concurrent leak scans must not trip on it
    (tmp_path / "canary.txt").write_bytes("前缀金丝雀测试文本".encode("utf-16-le"))
    (tmp_path / "clean.txt").write_bytes("无关内容".encode())
    assert scan(tmp_path, time.time(), canary, temp=False) == {
        str(tmp_path / "canary.txt"): ["金丝雀测试文本（utf-16-le）"]
    }


def _field_work(laptop: Workspace, ctx: Context) -> None:
    """Create and edit records with the distinctive texts, and attach a file."""
    interviews, drafts, leads = (RecordService(laptop, rt) for rt in (INTERVIEW, DRAFT, LEAD))
    talk = interviews.save(interview(ctx, content=f"问：请谈谈情况。\n答：{TEXTS[3]}。"))
    interviews.save(dataclasses.replace(talk, content=f"答：{TEXTS[3]}（补充）。"))
    issue = drafts.save(draft(ctx, title=TEXTS[0]))
    drafts.save(dataclasses.replace(issue, title=f"{TEXTS[0]}（修改）"))
    leads.save(lead(ctx, summary=TEXTS[1], reporter_name=TEXTS[2], reporter_contact="电话已登记"))
    body = f"{TEXTS[4]}\n".encode() + TEXTS[4].encode("utf-16-le")
    AttachmentService(laptop).add(DRAFT.key, issue.id, f"{TEXTS[5]}.txt", body)


def test_no_record_text_in_any_file_written(world_template: Path, tmp_path: Path) -> None:
    start = time.time() - 1
    cheap = KdfParams.cheap()
    world = open_world(world_template, tmp_path / "world")
    (tmp_path / "新建").mkdir()
    fresh = Workspace.create(tmp_path / "新建" / "现场工作库.xcdb", PASSPHRASE, kdf=cheap)
    restored: Workspace | None = None
    try:
        _field_work(fresh, make_context(fresh))
        backups.daily_backup(fresh)
        keys.change_passphrase(fresh.path, PASSPHRASE, "另一个口令-2025", actor=fresh.user.login, kdf=cheap)

        laptop = world.fields[0]
        _field_work(laptop, world.ctx)
        [report] = sync.import_packages(world.office, [world.export(laptop)])
        assert report.status == "imported", report.error
        taken = backups.take_backup(laptop)
        backups.daily_backup(world.office)
        target = tmp_path / "恢复" / "现场工作库.xcdb"
        target.parent.mkdir()
        backups.restore(taken, target, PASSPHRASE)
        restored = Workspace.open(target, PASSPHRASE)
        expected = {f"{TEXTS[0]}（修改）"}
        assert {d.title for d in RecordService(restored, DRAFT).list()} == expected
        assert {d.title for d in RecordService(world.office, DRAFT).list()} == expected
        assert scan(tmp_path, start, temp=False) == {}  # workspaces still open: WAL and SHM present
    finally:
        fresh.close()
        if restored is not None:
            restored.close()
        world.close()
    assert scan(tmp_path, start) == {}
