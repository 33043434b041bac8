"""Provisioning: the office's package for a group's laptops (sync.md §3.9): the office's identity, the
group key, rosters, units, dictionaries and the group's records. The first one is protected by a one-time
code instead of a key the laptop does not have yet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyrage
from sqlalchemy import Connection, Row

from xuncha_desktop.services.packages import write_package
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.sync.export import collect, log_out, manifest
from xuncha_desktop.services.sync.reports import ExportReport, SyncError, now
from xuncha_desktop.services.sync.roster import normal_code
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import identity_store, sync_state
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.revisions import signing_key


def groups(ws: Workspace) -> list[tuple[str, str]]:
    """(id, 'number name') of every live group, for choosing what to provision."""
    with ws.engine.connect() as conn:
        return sync_state.live_groups(conn)


def _ensure_group_key(conn: Connection, group_id: str) -> Row[Any]:
    """The group's key pair, made on its first provisioning package."""
    row = sync_state.group_key(conn, group_id)
    if row is not None:
        return row
    made = pyrage.x25519.Identity.generate()
    return sync_state.add_key(conn, "group", group_id, str(made.to_public()), str(made), now())


def _chosen_group(ws: Workspace, group_id: str | None) -> str:
    known = groups(ws)
    if group_id is None:
        if len(known) != 1:
            names = "、".join(f"{name}（{gid}）" for gid, name in known) or "无"
            raise SyncError(f"请用 --group 指定要配置的巡察组；现有巡察组：{names}")
        group_id = known[0][0]
    if group_id not in {g for g, _ in known}:
        raise SyncError(f"找不到巡察组“{group_id}”")
    return group_id


def provision_package(
    ws: Workspace,
    out: Path,
    *,
    group_id: str | None = None,
    code: str | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    """The office's package for a group's laptops: office identity, the group key, rosters, units,
    dictionaries and the group's records. The first one is protected by a one-time code."""
    progress = progress or NullProgress()
    if not ws.info.is_office:
        raise SyncError("只有巡察办工作库可以生成配置包")
    code = normal_code(code) if code is not None else None
    group_id = _chosen_group(ws, group_id)
    with write_transaction(ws.engine) as conn:
        group_key = _ensure_group_key(conn, group_id)
    with ws.engine.connect() as conn:
        me = sync_state.this_replica(conn)
        first = code is not None
        lines, blobs = collect(conn, None, sync_state.group_scope(conn, group_id))
        recipients = [group_key.recipient]
        made = manifest(
            conn,
            me,
            "provision",
            lines,
            blobs,
            recipients,
            provision={
                "group_id": group_id,
                "office_recipient": sync_state.box_pubkey(conn, me.replica_id),
                "group_recipient": group_key.recipient,
                "group_identity": group_key.identity.decode("ascii"),
            },
            retired=identity_store.retired_rows(conn),
        )
    progress.check_cancelled()
    size = write_package(
        out,
        made,
        lines,
        blobs,
        signing_key(ws.engine),
        recipients=() if first else recipients,
        code=code if first else None,
    )
    log_out(ws, made, "provision", out, lines)
    return ExportReport(out, made["package_id"], len(lines), len(blobs), size, "provision")
