"""清理: once the office has confirmed every local revision, notify it and delete the field workspace."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection

from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.services import sync
from xuncha_desktop.services.security.sign_in_attempts import attempts_path
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import revision_store, sync_state
from xuncha_desktop.storage.backup import backup_dir, list_backups
from xuncha_desktop.storage.keyfile import keyfile_path
from xuncha_desktop.storage.undo_journal import SUFFIX as UNDO_JOURNAL_SUFFIX

_CHUNK = 1 << 20


@dataclass(frozen=True)
class WipeReport:
    notice: Path
    deleted: list[Path] = field(default_factory=list)


def unconfirmed(ws: Workspace) -> int:
    """How many of this workspace's own revisions the office has not acknowledged (its last
    provisioning or update package carries what it holds)."""
    with ws.engine.connect() as conn:
        me = sync_state.this_replica(conn)
        office = _office(conn)
        acked = ((sync_state.peer_ack(conn, office) if office else None) or {}).get(me.replica_id, {})
        own = revision_store.own_counters(conn, me.replica_id)
    return sum(1 for inc, counter in own if counter > int(acked.get(str(inc), 0)))


def _office(conn: Connection) -> str | None:
    """The office that provisioned this workspace (the replica its office key belongs to), if one did."""
    return next((str(k.scope_id) for k in sync_state.keyring(conn) if k.kind == "office"), None)


def wipe_refusal(ws: Workspace) -> str:
    """Why this workspace may not be wiped now, in Chinese; "" when it may."""
    if ws.info.is_office:
        return "巡察办工作库不能清理"
    with ws.engine.connect() as conn:
        provisioned = _office(conn)
    if provisioned is None:
        return "本工作库尚未由巡察办配置，无法向巡察办报告清理，不能清理"
    missing = unconfirmed(ws)
    if missing:
        return (
            f"巡察办尚未确认本机的 {missing} 条修订，不能清理。请先导出工作包交巡察办导入，"
            "再导入巡察办回传的配置包（其中带有巡察办的确认信息）后重试"
        )
    return ""


def workspace_files(db_path: Path) -> list[Path]:
    """Every file that belongs to the workspace: database, key file, WAL/SHM, side files, backups and the undo
    journal of its latest import."""
    db_path = Path(db_path).absolute()
    own = [db_path, keyfile_path(db_path), attempts_path(db_path)]
    own += [Path(f"{db_path}{tail}") for tail in ("-wal", "-shm", "-journal", ".key.tmp")]
    own += sorted(db_path.parent.glob(f"{_glob_escape(db_path.name)}.恢复前-*"))
    for backup in list_backups(db_path):
        own += [backup.path, keyfile_path(backup.path)]
    folder = backup_dir(db_path)
    if folder.is_dir():
        own += sorted(folder.glob(f"{_glob_escape(db_path.stem)}.*.part"))
        own += sorted(folder.glob(f"{_glob_escape(db_path.stem)}.*{UNDO_JOURNAL_SUFFIX}"))
    return [p for p in dict.fromkeys(own) if p.exists()]


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def shred(path: Path) -> None:
    """Overwrite the file with zeros, then delete it (best effort: SSDs and journaling file systems may
    keep old blocks; the files were encrypted in the first place)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as f:
            zeros = bytes(_CHUNK)
            for start in range(0, size, _CHUNK):
                f.write(zeros[: min(_CHUNK, size - start)])
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        pass
    path.unlink(missing_ok=True)


def wipe_workspace(ws: Workspace, notice_path: Path) -> WipeReport:
    """Write the signed wipe notice for the office, close the workspace, then delete all its files.

    Refused (WorkspaceError) while the office has not confirmed every local revision. The workspace is
    closed afterwards even if some file could not be deleted; those are named in the error."""
    reason = wipe_refusal(ws)
    if reason:
        raise WorkspaceError(reason)
    notice_path = Path(notice_path).absolute()
    files = workspace_files(ws.path)
    if notice_path in files:
        raise WorkspaceError("清理通知不能保存为工作库自身的文件，请另选保存位置")
    with ws.engine.connect() as conn:
        own = revision_store.own_counters(conn, ws.info.replica_id)
    notice = {
        "replica_id": ws.info.replica_id,
        "label": f"{ws.user.display_name}（{platform.node() or '未知电脑'}，{ws.path.name}）",
        "user": ws.user.login,
        "wiped_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "revisions": len(own),
    }
    sync.wipe_notice(ws, notice_path, notice)
    held = ws.file_lock.retain(ws.path)  # no other program may open the files while they are shredded
    ws.close()
    failed = []
    try:
        for path in workspace_files(ws.path):
            try:
                shred(path)
            except OSError:
                failed.append(path)
    finally:
        held.release()
        held.remove_files()
    folder = backup_dir(ws.path)
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    if failed:
        names = "、".join(f"“{p}”" for p in failed)
        raise WorkspaceError(f"清理通知已生成，但以下文件未能删除，请关闭占用它们的程序后手动删除：{names}")
    return WipeReport(notice_path, [p for p in files if not p.exists()])
