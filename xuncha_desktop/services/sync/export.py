"""Export: a field workspace's package for the office, the revisions the office has not acknowledged
(sync.md §3.5), and the signed notice of a wiped laptop. The manifest and package log are shared with
provisioning."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row

from xuncha_desktop import __version__
from xuncha_desktop.services import identity
from xuncha_desktop.services.packages import b64, revision_lines, write_package
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.sync.reports import ExportReport, SyncError, now
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import migrations, sync_state
from xuncha_desktop.storage.blobs import present_blobs
from xuncha_desktop.storage.revision_store import Knowledge, unacknowledged
from xuncha_desktop.storage.revisions import signing_key


def replica_directory(conn: Connection, replica_ids: set[str]) -> list[dict[str, Any]]:
    """The manifest's list of the replicas whose revisions (or signature) the package carries."""
    return [
        {
            "replica_id": r.replica_id,
            "role": r.role,
            "label": r.label,
            "sign_pubkey": b64(r.sign_pubkey) if r.sign_pubkey else "",
            "box_pubkey": r.box_pubkey.decode("ascii") if r.box_pubkey else "",
        }
        for r in sync_state.replicas(conn, replica_ids)
    ]


def collect(
    conn: Connection, ack: Knowledge | None, scope: set[tuple[str, str]] | None = None
) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """Revisions the peer has not acknowledged (all when ack is None), optionally only of some records,
    as package lines, with the attachment blobs they reference."""
    rows, parents = unacknowledged(conn, ack, scope)
    lines = revision_lines(rows, parents)
    wanted = {json.loads(r.body)["sha256"] for r in rows if r.record_type == "attachment" and r.body}
    return lines, present_blobs(conn, wanted)


def manifest(
    conn: Connection,
    me: Row[Any],
    kind: str,
    lines: list[dict[str, Any]],
    blobs: dict[str, bytes],
    recipients: list[str],
    **extra: Any,
) -> dict[str, Any]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"revisions": 0, "tombstones": 0})
    for line in lines:
        counts[line["record_type"]]["revisions"] += 1
        counts[line["record_type"]]["tombstones"] += int(line["deleted"])
    origins = {line["origin_replica"] for line in lines} | {me.replica_id}
    return {
        "package_id": str(uuid.uuid4()),
        "created_at": now(),
        "created_hlc": me.hlc_last,
        "app_version": __version__,
        "schema_version": migrations.SCHEMA_VERSION,
        "min_reader_schema_version": 1,
        "kind": kind,
        "sender": {
            "replica_id": me.replica_id,
            "incarnation": me.incarnation,
            "role": me.role,
            "workspace_id": me.workspace_id,
            "provisioned_by": me.provisioned_by,
        },
        "replicas": replica_directory(conn, origins),
        "recipients": [hashlib.sha256(r.encode()).hexdigest() for r in recipients],
        "knowledge": sync_state.knowledge(conn),
        "counts": dict(counts),
        "attachments": [{"sha256": d, "size": len(b)} for d, b in sorted(blobs.items())],
        **extra,
    }


def log_out(
    ws: Workspace, manifest: dict[str, Any], action: str, out: Path, lines: list[dict[str, Any]]
) -> None:
    """Record the package written to `out`; when that fails (a full disk, a held lock) the package is
    removed again: the command failed, and nothing is left that the workspace does not know it sent."""
    n = len(lines)
    try:
        with ws.writing() as writer:
            sync_state.log_package(
                writer.conn,
                manifest["package_id"],
                direction="out",
                peer_replica=None,
                manifest_sha256="",
                created_hlc=manifest["created_hlc"],
                at=now(),
                status="exported",
                summary={"kind": manifest["kind"], "revisions": n, "file": out.name},
            )
            records = len({(line["record_type"], line["record_id"]) for line in lines})
            writer.log(
                action,
                package_id=manifest["package_id"],
                kind=manifest["kind"],
                records=records,
                file=out.name,
                revisions=n,
            )
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def export_package(
    ws: Workspace, out: Path, *, full: bool = False, progress: Progress | None = None
) -> ExportReport:
    """A field workspace's package for the office (and its own group leader), encrypted to both."""
    progress = progress or NullProgress()
    with ws.engine.connect() as conn:
        me = sync_state.this_replica(conn)
        keys = sync_state.keyring(conn)
        office_keys = [k for k in keys if k.kind == "office"]
        if me.role == "field" and not office_keys:
            raise SyncError(
                "本工作库尚未由巡察办配置（未导入配置包），不能导出给巡察办；请先导入巡察办的配置包"
            )
        recipients = sorted({k.recipient for k in keys})
        office_replica = office_keys[0].scope_id if office_keys else None
        ack = sync_state.peer_ack(conn, office_replica) if not full and office_replica else None
        progress.report(0, 2, "正在收集修订记录")
        lines, blobs = collect(conn, ack)
        if me.role == "office":
            raise SyncError("巡察办工作库请使用“生成配置包”（provision）向巡察组下发数据")
        announced = identity.announcement(conn, me.replica_id)
        extra = {"reidentified": announced} if announced else {}
        made = manifest(conn, me, "full" if ack is None else "delta", lines, blobs, recipients, **extra)
    progress.check_cancelled()
    progress.report(1, 2, "正在加密写入工作包")
    size = write_package(out, made, lines, blobs, signing_key(ws.engine), recipients=recipients)
    log_out(ws, made, "export", out, lines)
    progress.report(2, 2, "完成")
    return ExportReport(out, made["package_id"], len(lines), len(blobs), size, made["kind"])


def wipe_notice(ws: Workspace, out: Path, notice: dict[str, Any]) -> ExportReport:
    """The signed "wipe" package telling the office that this laptop deletes its workspace; encrypted to
    the office only and carrying no revisions."""
    with ws.engine.connect() as conn:
        me = sync_state.this_replica(conn)
        office = sorted({k.recipient for k in sync_state.keyring(conn) if k.kind == "office"})
        if me.role != "field" or not office:
            raise SyncError("只有已由巡察办配置的现场工作库可以发出清理通知")
        made = manifest(conn, me, "wipe", [], {}, office, wipe=notice)
    size = write_package(out, made, [], {}, signing_key(ws.engine), recipients=office)
    return ExportReport(out, made["package_id"], 0, 0, size, "wipe")
