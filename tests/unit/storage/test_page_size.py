"""storage.page_size: a workspace written with 4 KB pages is rewritten with 16 KB ones when opened, keeping
every record, search hit and its schema version; a conversion that fails or is cut short leaves the file
exactly as it was, and a workspace that cannot be converted now still opens."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from xuncha_desktop.domain.errors import DamagedWorkspace, DiskFull
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.services.demo.build import build_demo
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import page_size
from xuncha_desktop.storage.backup import export_copy
from xuncha_desktop.storage.database import LEGACY_PAGE_SIZE, PAGE_SIZE, connect_raw, page_size_of
from xuncha_desktop.storage.keyfile import KdfParams


def _file_page_size(path: Path, key: bytes) -> int:
    con = connect_raw(path, key)
    try:
        return page_size_of(con)
    finally:
        con.close()


def _what_a_user_sees(ws: Workspace) -> tuple[list[tuple[str, str]], list[str], int]:
    interviews = RecordService(ws, INTERVIEW)
    listed = [(r.number, r.content) for r in interviews.list(ListQuery(limit=None))]
    found = [r.id for r in interviews.list(ListQuery(search="情况", limit=None))]
    with ws.engine.connect() as conn:
        version = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
    return listed, found, version


@pytest.fixture
def legacy(tmp_path: Path) -> tuple[Path, bytes, tuple[list[tuple[str, str]], list[str], int]]:
    """A demo workspace with its pages rewritten to 4 KB, as every workspace was before PAGE_SIZE."""
    path = tmp_path / "旧页面" / "现场工作库.xcdb"
    path.parent.mkdir()
    with Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap()) as ws:
        build_demo(ws, seed=2, records=24)
        seen = _what_a_user_sees(ws)
        key = ws.side_file_key()
    page_size.convert(path, key, LEGACY_PAGE_SIZE)
    assert _file_page_size(path, key) == LEGACY_PAGE_SIZE
    return path, key, seen


def test_opening_rewrites_a_4_kb_workspace_with_16_kb_pages(legacy) -> None:  # type: ignore[no-untyped-def]
    path, key, seen = legacy
    assert seen[0] and seen[1], "the demo has interviews and hits to compare"
    with Workspace.open(path, PASSPHRASE) as ws:
        assert _what_a_user_sees(ws) == seen
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA quick_check").scalar_one() == "ok"
    assert _file_page_size(path, key) == PAGE_SIZE
    assert not list(path.parent.glob(f"*{page_size.PARTIAL_SUFFIX}*"))
    with Workspace.open(path, PASSPHRASE) as ws:  # once only: the next opening finds nothing to do
        assert not page_size.needs_conversion(path, key) and _what_a_user_sees(ws) == seen


def test_a_failed_conversion_leaves_the_file_as_it_was(legacy, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path, key, _seen = legacy
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    monkeypatch.setattr(page_size, "check_pages", lambda con: ["第 7 页校验和不符"])
    with pytest.raises(DamagedWorkspace, match="第 7 页"):
        page_size.convert(path, key)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not list(path.parent.glob(f"*{page_size.PARTIAL_SUFFIX}*"))


def test_a_copy_left_by_a_killed_conversion_is_replaced(legacy) -> None:  # type: ignore[no-untyped-def]
    path, key, seen = legacy
    partial = path.with_name(path.name + page_size.PARTIAL_SUFFIX)
    partial.write_bytes(b"\x00" * 5000)  # what a conversion killed half-way leaves beside the workspace
    Path(f"{partial}-journal").write_bytes(b"\x01" * 100)
    with Workspace.open(path, PASSPHRASE) as ws:
        assert _what_a_user_sees(ws) == seen
    assert _file_page_size(path, key) == PAGE_SIZE
    assert not partial.exists() and not Path(f"{partial}-journal").exists()


def test_a_workspace_that_cannot_be_converted_now_opens_as_it_is(
    legacy, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    path, key, seen = legacy

    def disk_full(*args: object) -> None:
        raise DiskFull("磁盘空间不足")

    monkeypatch.setattr(page_size, "convert", disk_full)
    with Workspace.open(path, PASSPHRASE) as ws:
        assert _what_a_user_sees(ws) == seen
        # A backup of a 4 KB workspace is a 4 KB file too (the backup API copies pages as they are).
        copy = export_copy(ws.engine, key, path.parent / "备份" / "副本.xcdb")
    assert _file_page_size(path, key) == LEGACY_PAGE_SIZE == _file_page_size(copy, key)
