"""Disk and driver failures as Chinese errors: full disk, read-only medium or folder, locked database,
failing disk.

The translation happens where the errors surface (the engine's handle_error event, raw connections, file
writes), so a message never carries library text, and never an SQL statement's parameters (record text).
"""

from __future__ import annotations

import errno
import shutil
import tempfile
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy.exc import DBAPIError

from xuncha_desktop.domain.errors import (
    DamagedWorkspace,
    DatabaseLocked,
    DiskError,
    DiskFull,
    ReadOnlyLocation,
    WorkspaceError,
    XunchaError,
)

# SQLite's primary result codes (https://sqlite.org/rescode.html).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26
# For a driver error without a result code: the start of SQLite's own message.
_CODE_BY_TEXT = (
    ("database or disk is full", SQLITE_FULL),
    ("attempt to write a readonly database", SQLITE_READONLY),
    ("database is locked", SQLITE_BUSY),
    ("database table is locked", SQLITE_LOCKED),
    ("unable to open database file", SQLITE_CANTOPEN),
    ("disk i/o error", SQLITE_IOERR),
    ("database disk image is malformed", SQLITE_CORRUPT),
    ("file is not a database", SQLITE_NOTADB),
)
# Less free space than this when a write fails with an I/O error: the disk is full (SQLite reports a
# full disk as SQLITE_IOERR when growing its shared-memory file fails).
LOW_SPACE = 1 << 20

_ERRNO_TEXT = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EEXIST: "文件已存在",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EBUSY: "文件正被其他程序占用",
    errno.EMFILE: "同时打开的文件过多",
    errno.EINVAL: "文件名或路径无效",
    errno.EXDEV: "不能跨磁盘移动文件",
}


def _named(where: Path | str | None) -> str:
    return f"“{where}”" if where else ""


def disk_full(where: Path | str | None = None) -> DiskFull:
    return DiskFull(f"磁盘空间不足，无法写入{_named(where)}：请清理该磁盘，或换一个空间足够的位置后重试")


def read_only(where: Path | str | None = None, cause: OSError | None = None) -> ReadOnlyLocation:
    """`where` is the folder (or file) that cannot be written; `cause` tells a read-only medium apart."""
    if cause is not None and cause.errno == errno.EROFS:
        return ReadOnlyLocation(
            f"{_named(where) or '目标位置'}所在的磁盘是只读的（如写保护的U盘或光盘），无法写入："
            "请取消写保护，或换一个可写的位置后重试"
        )
    return ReadOnlyLocation(
        f"文件夹{_named(where)}只读或没有写入权限：请换一个可写的文件夹，或请管理员开放写入权限后重试"
    )


def read_only_file(path: Path) -> ReadOnlyLocation:
    return ReadOnlyLocation(
        f"文件“{path.name}”只读或没有写入权限：请去掉文件的只读属性，或换一个可写的文件夹后重试"
    )


def locked(db: Path | None = None) -> DatabaseLocked:
    name = f"“{db.name}”" if db else ""
    return DatabaseLocked(
        f"工作库{name}正被另一个程序写入（数据库已锁定）：请等它完成，"
        "或关闭同时使用该工作库的其他窗口或程序后重试"
    )


def disk_error(where: Path | str | None = None) -> DiskError:
    return DiskError(f"读写{_named(where) or '文件'}时磁盘出错：请检查磁盘是否损坏、U盘是否已拔出，然后重试")


def unwritable(folder: Path) -> OSError | None:
    """Why nothing can be created in `folder` (a read-only medium, no permission), or None.

    A real attempt, not os.access: that ignores read-only mounts on some systems and answers for the
    real rather than the effective user."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return exc
    return None


def _free_space(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return LOW_SPACE  # unknown: do not claim a full disk


def sqlite_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of a driver error, or None."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    return next((c for start, c in _CODE_BY_TEXT if text.startswith(start)), None)


def database_error(exc: BaseException, db: Path | None) -> WorkspaceError | None:
    """The Chinese error for a driver error on the database file `db`, or None for one that is not about
    the disk or a lock (a programming error: the caller lets it through, its parameters hidden)."""
    code = sqlite_code(exc)
    folder = db.parent if db else None
    if code == SQLITE_FULL:
        return disk_full(folder)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return locked(db)
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN):
        cause = unwritable(folder) if folder else None
        if cause is not None and cause.errno in (errno.ENOSPC, errno.EDQUOT):
            return disk_full(folder)
        if cause is not None and cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return read_only(folder, cause)
        if code == SQLITE_READONLY and db is not None:
            return read_only_file(db)
        name = f"“{db.name}”" if db else ""
        return WorkspaceError(f"无法打开工作库文件{name}：请确认文件存在、没有被其他程序独占，然后重试")
    if code == SQLITE_IOERR:
        if folder is not None and _free_space(folder) < LOW_SPACE:
            return disk_full(folder)
        return disk_error(db)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        name = f"“{db.name}”" if db else ""
        return DamagedWorkspace(f"工作库文件{name}已损坏：请从备份恢复")
    return None


def os_error(exc: OSError) -> XunchaError:
    """The Chinese error for a failed file operation (never the system's English text)."""
    where = exc.filename if exc.filename not in (None, "") else None
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(Path(where).parent if where else None)
    if code == errno.EROFS:
        return read_only(Path(where).parent if where else None, exc)
    if code in (errno.EACCES, errno.EPERM):
        folder = Path(where).parent if where else None
        cause = unwritable(folder) if folder else None
        if cause is not None and cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return read_only(folder, cause)
        return ReadOnlyLocation(
            f"没有权限写入或读取{_named(where) or '文件'}"
            "（文件只读，或正被其他程序占用）：请去掉只读属性、关闭占用它的程序，或换一个位置后重试"
        )
    if code == errno.EIO:
        return disk_error(where)
    text = _ERRNO_TEXT.get(code or 0, f"错误代码 {code}")
    return WorkspaceError(f"文件操作失败（{text}）{'：' + str(where) if where else ''}")


def writing(exc: OSError, target: Path) -> XunchaError:
    """The Chinese error for a failed write of `target` (a failed write() names no file itself)."""
    if exc.filename in (None, ""):
        exc = OSError(exc.errno, exc.strerror, str(target))
    return os_error(exc)


def translate(exc: BaseException, db: Path | None = None) -> XunchaError | None:
    """A user-facing error for `exc`: itself when it is one, else the translated disk, lock or file
    failure, else None (an unexpected error; show only its class and where it happened)."""
    if isinstance(exc, XunchaError):
        return exc
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return database_error(exc.orig, db)
    if isinstance(exc, sqlcipher.Error):
        return database_error(exc, db)
    if isinstance(exc, OSError):
        return os_error(exc)
    return None
