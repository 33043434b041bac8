"""Disk, lock and driver failures in Chinese (storage.faults), and SQL errors that never carry their
parameters: the texts of records a failed statement was writing."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from xuncha_desktop.domain.errors import DatabaseLocked, DiskFull, ReadOnlyLocation, WrongPassphrase
from xuncha_desktop.services.failures import unexpected_message, user_message
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import faults
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.keyfile import keyfile_path, read_keyfile

MARKER = "单元测试记录正文翡翠湾"


def test_a_failed_statement_never_shows_its_parameters(workspace: Workspace) -> None:
    with pytest.raises(DBAPIError) as caught, write_transaction(workspace.engine) as conn:
        conn.execute(text("INSERT INTO sync_self (id, workspace_id) VALUES (1, :w)"), {"w": MARKER})
    assert MARKER not in str(caught.value)
    assert "parameters hidden" in str(caught.value)


def test_a_zero_byte_key_file_is_named_as_such(workspace: Workspace) -> None:
    key = keyfile_path(workspace.path)
    key.write_bytes(b"")
    with pytest.raises(faults.DamagedWorkspace) as caught:
        read_keyfile(key)
    assert str(caught.value) == (
        f"密钥文件“{key.name}”是空文件（0 字节），可能在复制或保存时被截断：请放回该工作库原来的密钥文件"
    )


def test_a_garbled_key_file_shows_no_parser_text(workspace: Workspace) -> None:
    key = keyfile_path(workspace.path)
    key.write_text("{不是 JSON", encoding="utf-8")
    with pytest.raises(faults.DamagedWorkspace) as caught:
        read_keyfile(key)
    assert str(caught.value) == (
        f"密钥文件“{key.name}”已损坏（内容不是有效的密钥文件）：请放回该工作库原来的密钥文件"
    )


@pytest.mark.parametrize(
    ("code", "kind", "message"),
    [
        (
            errno.ENOSPC,
            DiskFull,
            "磁盘空间不足，无法写入“{folder}”：请清理该磁盘，或换一个空间足够的位置后重试",
        ),
        (
            errno.EROFS,
            ReadOnlyLocation,
            "“{folder}”所在的磁盘是只读的（如写保护的U盘或光盘），无法写入：请取消写保护，或换一个可写的位置后重试",
        ),
        (
            errno.EACCES,
            ReadOnlyLocation,
            "没有权限写入或读取“{file}”（文件只读，或正被其他程序占用）："
            "请去掉只读属性、关闭占用它的程序，或换一个位置后重试",
        ),
        (errno.ENAMETOOLONG, faults.WorkspaceError, "文件操作失败（文件名或路径过长）：{file}"),
    ],
)
def test_file_errors_in_chinese(tmp_path: Path, code: int, kind: type, message: str) -> None:
    target = tmp_path / "台账.xlsx"
    error = faults.writing(OSError(code, "English text from the system"), target)
    assert isinstance(error, kind)
    assert str(error) == message.format(folder=tmp_path, file=target)


@pytest.mark.parametrize(
    ("text_of_error", "kind"),
    [
        ("database or disk is full", DiskFull),
        ("database is locked", DatabaseLocked),
        ("file is not a database", faults.DamagedWorkspace),
    ],
)
def test_driver_errors_without_a_result_code_are_known_by_their_text(
    tmp_path: Path, text_of_error: str, kind: type
) -> None:
    error = faults.database_error(sqlite3.OperationalError(text_of_error), tmp_path / "工作库.xcdb")
    assert isinstance(error, kind)


def test_an_unexpected_error_is_named_by_class_and_place_never_by_its_text() -> None:
    def failing() -> None:
        raise ValueError(f"无法保存：{MARKER}")

    with pytest.raises(ValueError) as caught:
        failing()
    line = unexpected_message(caught.value)
    assert MARKER not in line
    assert line.startswith("发生了意外错误（ValueError，位于 test_faults.py:")
    assert user_message(caught.value) == line


def test_a_wrong_key_is_told_apart_from_an_unreadable_folder(tmp_path: Path) -> None:
    from xuncha_desktop.storage.database import connect_raw

    missing = tmp_path / "不存在的文件夹" / "工作库.xcdb"
    with pytest.raises(faults.WorkspaceError) as caught:
        connect_raw(missing, bytes(32))
    assert not isinstance(caught.value, WrongPassphrase)
    assert (
        str(caught.value) == "无法打开工作库文件“工作库.xcdb”：请确认文件存在、没有被其他程序独占，然后重试"
    )
