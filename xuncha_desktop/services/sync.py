"""Work packages between laptops and the office: export, provision, import with preview (sync.md §3).

Importing is a set union of immutable revisions followed by re-materialising the touched records, so the
same package twice, or packages in any order, give the same workspace. Each package is one transaction:
a package that fails at any point leaves the workspace as it was.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyrage
from sqlalchemy import Connection, insert, select, update

from xuncha_desktop import __version__
from xuncha_desktop.domain.codec import canonical_json, sha256_hex
from xuncha_desktop.domain.errors import StorageFault, XunchaError
from xuncha_desktop.domain.record_types import BY_KEY, GROUP, MAIN_RECORD_TYPES, MEMBER, TARGET
from xuncha_desktop.services import identity
from xuncha_desktop.services.changes import EVERYTHING
from xuncha_desktop.services.keys import ensure_office_recovery
from xuncha_desktop.services.packages import (
    PackageContents,
    PackageError,
    b64,
    open_package,
    revision_lines,
    unb64,
    verify_signature,
    write_package,
)
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import migrations
from xuncha_desktop.storage.blobs import put_blob
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.merge import Rev, rematerialize_many
from xuncha_desktop.storage.revisions import RevisionWriter, build_header, revision_id, signing_key
from xuncha_desktop.storage.tables import (
    BUSINESS_TABLES,
    blob,
    sync_conflict,
    sync_keyring,
    sync_knowledge,
    sync_package,
    sync_peer_ack,
    sync_replica,
    sync_revision,
    sync_revision_parent,
    sync_self,
)

ORG_TYPES = ("round", "group", "member", "target", "person", "user", "dictionary")


class SyncError(XunchaError):
    pass


class _DryRun(Exception):
    """Raised to roll back a preview after counting."""


@dataclass
class ImportReport:
    """The outcome of one package; field names are the public JSON interface of `import --json`."""

    file: str
    status: str = "rejected"  # imported | already_imported | rejected
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    error: str | None = None
    package_id: str = ""
    sender: str = ""
    kind: str = ""
    revisions: int = 0
    by_type: dict[str, dict[str, int]] = field(default_factory=dict)
    needs_confirmation: bool = False  # a copied laptop's new identity: import again with accept_identity

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "status": self.status,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
        }
        if self.error is not None:
            out["error"] = self.error
        out.update(
            package_id=self.package_id,
            sender=self.sender,
            kind=self.kind,
            revisions=self.revisions,
            by_type=self.by_type,
        )
        return out


@dataclass(frozen=True)
class ExportReport:
    file: Path
    package_id: str
    revisions: int
    attachments: int
    size: int
    kind: str


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


# -- knowledge vectors --------------------------------------------------------------------------------
def knowledge(conn: Connection) -> dict[str, dict[str, int]]:
    """{replica: {incarnation: max_contiguous counter}} of every revision this workspace holds."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in conn.execute(select(sync_knowledge)):
        out[row.replica_id][str(row.incarnation)] = int(row.max_contiguous)
    return dict(out)


def _advance_knowledge(conn: Connection, seen: dict[tuple[str, int], set[int]]) -> None:
    for (replica, incarnation), counters in seen.items():
        row = conn.execute(
            select(sync_knowledge).where(
                sync_knowledge.c.replica_id == replica, sync_knowledge.c.incarnation == incarnation
            )
        ).first()
        current = int(row.max_contiguous) if row else 0
        extra = set(json.loads(row.extra_counters)) if row else set()
        extra |= {c for c in counters if c > current}
        while current + 1 in extra:
            current += 1
            extra.discard(current)
        values = {"max_contiguous": current, "extra_counters": json.dumps(sorted(extra))}
        if row is None:
            conn.execute(insert(sync_knowledge).values(replica_id=replica, incarnation=incarnation, **values))
        else:
            conn.execute(
                update(sync_knowledge)
                .where(sync_knowledge.c.replica_id == replica, sync_knowledge.c.incarnation == incarnation)
                .values(**values)
            )


def _covered(ack: dict[str, dict[str, int]], replica: str, incarnation: int, counter: int) -> bool:
    return counter <= ack.get(replica, {}).get(str(incarnation), 0)


# -- export -------------------------------------------------------------------------------------------
def _self(conn: Connection) -> Any:
    return conn.execute(select(sync_self)).one()


def _replica_directory(conn: Connection, replica_ids: set[str]) -> list[dict[str, Any]]:
    rows = conn.execute(select(sync_replica).where(sync_replica.c.replica_id.in_(replica_ids))).all()
    return [
        {
            "replica_id": r.replica_id,
            "role": r.role,
            "label": r.label,
            "sign_pubkey": b64(r.sign_pubkey) if r.sign_pubkey else "",
            "box_pubkey": r.box_pubkey.decode("ascii") if r.box_pubkey else "",
        }
        for r in rows
    ]


def _collect(
    conn: Connection, ack: dict[str, dict[str, int]] | None, scope: set[tuple[str, str]] | None = None
) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """Revisions the peer has not acknowledged (all when ack is None), optionally only of some records,
    with the attachment blobs they reference."""
    rows = [
        r
        for r in conn.execute(select(sync_revision).order_by(sync_revision.c.hlc, sync_revision.c.rev_id))
        if (scope is None or (r.record_type, r.record_id) in scope)
        and (ack is None or not _covered(ack, r.origin_replica, r.origin_incarnation, r.origin_counter))
    ]
    parents: dict[str, list[str]] = defaultdict(list)
    ids = {r.rev_id for r in rows}
    for link in conn.execute(select(sync_revision_parent)):
        if link.rev_id in ids:
            parents[link.rev_id].append(link.parent_rev_id)
    lines = revision_lines(rows, parents)
    wanted = {json.loads(r.body)["sha256"] for r in rows if r.record_type == "attachment" and r.body}
    blobs = {
        b.sha256: bytes(b.data)
        for b in conn.execute(select(blob).where(blob.c.sha256.in_(wanted)))
        if b.present and b.data is not None
    }
    return lines, blobs


def _manifest(
    conn: Connection,
    me: Any,
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
        "created_at": _now(),
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
        "replicas": _replica_directory(conn, origins),
        "recipients": [hashlib.sha256(r.encode()).hexdigest() for r in recipients],
        "knowledge": knowledge(conn),
        "counts": dict(counts),
        "attachments": [{"sha256": d, "size": len(b)} for d, b in sorted(blobs.items())],
        **extra,
    }


def _log_out(
    ws: Workspace, manifest: dict[str, Any], action: str, out: Path, lines: list[dict[str, Any]]
) -> None:
    """Record the package written to `out`; when that fails (a full disk, a held lock) the package is
    removed again: the command failed, and nothing is left that the workspace does not know it sent."""
    n = len(lines)
    try:
        with ws.writing() as writer:
            writer.conn.execute(
                insert(sync_package).values(
                    package_id=manifest["package_id"],
                    direction="out",
                    peer_replica=None,
                    manifest_sha256="",
                    created_hlc=manifest["created_hlc"],
                    imported_at=_now(),
                    status="exported",
                    summary=canonical_json({"kind": manifest["kind"], "revisions": n, "file": out.name}),
                )
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
        me = _self(conn)
        keys = conn.execute(select(sync_keyring)).all()
        office_keys = [k for k in keys if k.kind == "office"]
        if me.role == "field" and not office_keys:
            raise SyncError(
                "本工作库尚未由巡察办配置（未导入配置包），不能导出给巡察办；请先导入巡察办的配置包"
            )
        recipients = sorted({k.recipient for k in keys})
        office_replica = office_keys[0].scope_id if office_keys else None
        ack = None
        if not full and office_replica:
            row = conn.execute(
                select(sync_peer_ack).where(sync_peer_ack.c.peer_replica == office_replica)
            ).first()
            ack = json.loads(row.knowledge) if row else None
        progress.report(0, 2, "正在收集修订记录")
        lines, blobs = _collect(conn, ack)
        if me.role == "office":
            raise SyncError("巡察办工作库请使用“生成配置包”（provision）向巡察组下发数据")
        announced = identity.announcement(conn, me.replica_id)
        extra = {"reidentified": announced} if announced else {}
        manifest = _manifest(conn, me, "full" if ack is None else "delta", lines, blobs, recipients, **extra)
    progress.check_cancelled()
    progress.report(1, 2, "正在加密写入工作包")
    size = write_package(out, manifest, lines, blobs, signing_key(ws.engine), recipients=recipients)
    _log_out(ws, manifest, "export", out, lines)
    progress.report(2, 2, "完成")
    return ExportReport(out, manifest["package_id"], len(lines), len(blobs), size, manifest["kind"])


def wipe_notice(ws: Workspace, out: Path, notice: dict[str, Any]) -> ExportReport:
    """The signed "wipe" package telling the office that this laptop deletes its workspace; encrypted to
    the office only and carrying no revisions."""
    with ws.engine.connect() as conn:
        me = _self(conn)
        office = sorted({k.recipient for k in conn.execute(select(sync_keyring)) if k.kind == "office"})
        if me.role != "field" or not office:
            raise SyncError("只有已由巡察办配置的现场工作库可以发出清理通知")
        manifest = _manifest(conn, me, "wipe", [], {}, office, wipe=notice)
    size = write_package(out, manifest, [], {}, signing_key(ws.engine), recipients=office)
    return ExportReport(out, manifest["package_id"], 0, 0, size, "wipe")


def _ensure_group_key(conn: Connection, group_id: str) -> Any:
    row = conn.execute(
        select(sync_keyring).where(sync_keyring.c.kind == "group", sync_keyring.c.scope_id == group_id)
    ).first()
    if row is None:
        identity = pyrage.x25519.Identity.generate()
        recipient = str(identity.to_public())
        conn.execute(
            insert(sync_keyring).values(
                key_id=hashlib.sha256(recipient.encode()).hexdigest(),
                kind="group",
                scope_id=group_id,
                recipient=recipient,
                identity=str(identity).encode("ascii"),
                created_at=_now(),
            )
        )
        row = conn.execute(
            select(sync_keyring).where(sync_keyring.c.kind == "group", sync_keyring.c.scope_id == group_id)
        ).one()
    return row


def groups(ws: Workspace) -> list[tuple[str, str]]:
    """(id, 'number name') of every live group, for choosing what to provision."""
    t = BUSINESS_TABLES[GROUP.key]
    with ws.engine.connect() as conn:
        return [
            (r.id, r.name)
            for r in conn.execute(select(t).where(t.c.deleted.is_(False)).order_by(t.c.ordinal))
        ]


def _group_scope(conn: Connection, group_id: str) -> set[tuple[str, str]]:
    """The records a group's laptops receive: organisation data and every record of that group."""
    scope: set[tuple[str, str]] = set()
    for key in ("round", "person", "user", "dictionary"):
        t = BUSINESS_TABLES[key]
        scope |= {(key, r.id) for r in conn.execute(select(t.c.id))}
    for key in ("group",):
        t = BUSINESS_TABLES[key]
        scope |= {(key, r.id) for r in conn.execute(select(t.c.id).where(t.c.id == group_id))}
    for rt in (MEMBER, TARGET, *MAIN_RECORD_TYPES):
        t = BUSINESS_TABLES[rt.key]
        scope |= {(rt.key, r.id) for r in conn.execute(select(t.c.id).where(t.c.group_id == group_id))}
    main_ids = {rid for _, rid in scope}
    for key in ("attachment",):
        t = BUSINESS_TABLES[key]
        scope |= {(key, r.id) for r in conn.execute(select(t.c.id, t.c.record_id)) if r.record_id in main_ids}
    t = BUSINESS_TABLES["link"]
    scope |= {
        ("link", r.id)
        for r in conn.execute(select(t.c.id, t.c.from_id, t.c.to_id))
        if r.from_id in main_ids or r.to_id in main_ids
    }
    return scope


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
    known = groups(ws)
    if group_id is None:
        if len(known) != 1:
            names = "、".join(f"{name}（{gid}）" for gid, name in known) or "无"
            raise SyncError(f"请用 --group 指定要配置的巡察组；现有巡察组：{names}")
        group_id = known[0][0]
    if group_id not in {g for g, _ in known}:
        raise SyncError(f"找不到巡察组“{group_id}”")
    with write_transaction(ws.engine) as conn:
        group_key = _ensure_group_key(conn, group_id)
    with ws.engine.connect() as conn:
        me = _self(conn)
        first = code is not None
        lines, blobs = _collect(conn, None, _group_scope(conn, group_id))
        office_recipient = (
            conn.execute(select(sync_replica.c.box_pubkey).where(sync_replica.c.replica_id == me.replica_id))
            .scalar_one()
            .decode("ascii")
        )
        recipients = [group_key.recipient]
        manifest = _manifest(
            conn,
            me,
            "provision",
            lines,
            blobs,
            recipients,
            provision={
                "group_id": group_id,
                "office_recipient": office_recipient,
                "group_recipient": group_key.recipient,
                "group_identity": group_key.identity.decode("ascii"),
            },
            retired=identity.office_list(conn),
        )
    progress.check_cancelled()
    size = write_package(
        out,
        manifest,
        lines,
        blobs,
        signing_key(ws.engine),
        recipients=() if first else recipients,
        code=code if first else None,
    )
    _log_out(ws, manifest, "provision", out, lines)
    return ExportReport(out, manifest["package_id"], len(lines), len(blobs), size, "provision")


# -- import -------------------------------------------------------------------------------------------
def _identities(ws: Workspace) -> list[str]:
    with ws.engine.connect() as conn:
        me = _self(conn)
        keys = [k.identity.decode("ascii") for k in conn.execute(select(sync_keyring)) if k.identity]
    return [me.box_key.decode("ascii"), *keys]


def _pin_replicas(conn: Connection, me: Any, contents: PackageContents) -> dict[str, bytes]:
    """Known signing keys, after pinning the replicas this package introduces (trust on first use within
    a package that could only be decrypted with this office's or group's key). A known replica presenting
    another key is refused."""
    m = contents.manifest
    sender = m["sender"]
    keys = {r.replica_id: bytes(r.sign_pubkey) for r in conn.execute(select(sync_replica)) if r.sign_pubkey}
    for entry in m.get("replicas", []):
        rid, pub = entry["replica_id"], unb64(entry["sign_pubkey"]) if entry.get("sign_pubkey") else b""
        if not pub:
            continue
        if rid in keys:
            if keys[rid] != pub:
                raise PackageError(
                    f"工作包中副本“{entry.get('label') or rid[:8]}”的签名密钥与已知的不一致，已拒绝"
                )
            continue
        if (
            me.role == "field"
            and entry.get("role") == "office"
            and me.provisioned_by not in (None, rid)
            and m["kind"] == "provision"
        ):
            raise PackageError("该配置包来自另一个巡察办，已拒绝")
        conn.execute(
            insert(sync_replica).values(
                replica_id=rid,
                label=entry.get("label", ""),
                role=entry.get("role", "field"),
                sign_pubkey=pub,
                box_pubkey=(entry.get("box_pubkey") or "").encode("ascii") or None,
                is_self=False,
                revoked_at=None,
            )
        )
        keys[rid] = pub
    if sender["replica_id"] not in keys:
        raise PackageError("工作包发送方身份未知，已拒绝")
    return keys


def _check_sender(conn: Connection, me: Any, contents: PackageContents) -> None:
    m = contents.manifest
    sender = m["sender"]
    if sender["replica_id"] == me.replica_id:
        mine = conn.execute(
            select(sync_package.c.package_id).where(
                sync_package.c.package_id == m["package_id"], sync_package.c.direction == "out"
            )
        ).first()
        if mine is not None:
            raise PackageError("这是本工作库自己导出的工作包，无需导入")
        raise PackageError(identity.own_copy())
    if m["kind"] == "provision" and me.role == "office":
        raise PackageError("配置包只能导入巡察组的现场工作库")
    if m["kind"] == "wipe" and me.role != "office":
        raise PackageError("清理通知只能导入巡察办工作库")


def _incoming_revisions(
    new_revs: list[dict[str, Any]], new_parents: list[dict[str, str]]
) -> dict[str, dict[str, Rev]]:
    """The revisions just stored, grouped by record, as the merge reads them."""
    parents: dict[str, list[str]] = defaultdict(list)
    for link in new_parents:
        parents[link["rev_id"]].append(link["parent_rev_id"])
    out: dict[str, dict[str, Rev]] = defaultdict(dict)
    for rev in new_revs:
        out[rev["record_id"]][rev["rev_id"]] = Rev(
            rev["rev_id"],
            tuple(sorted(parents[rev["rev_id"]])),
            rev["deleted"],
            json.loads(rev["body"]) if rev["body"] else {},
            rev["hlc"],
            rev["origin_replica"],
            rev["author_user"],
        )
    return out


def _known_revisions(conn: Connection, rev_ids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(rev_ids), 500):
        chunk = rev_ids[start : start + 500]
        known |= {
            r.rev_id
            for r in conn.execute(select(sync_revision.c.rev_id).where(sync_revision.c.rev_id.in_(chunk)))
        }
    return known


def _claimed_counters(conn: Connection, lines: list[dict[str, Any]]) -> dict[tuple[str, int, int], str]:
    """Which revision already holds each (replica, incarnation, counter) the package uses: a different
    one means two databases wrote under one identity (a copied workspace)."""
    wanted: dict[tuple[str, int], list[int]] = defaultdict(list)
    for line in lines:
        wanted[(line["origin_replica"], int(line["origin_incarnation"]))].append(int(line["origin_counter"]))
    claimed: dict[tuple[str, int, int], str] = {}
    for (replica, incarnation), counters in wanted.items():
        low, high = min(counters), max(counters)
        for r in conn.execute(
            select(sync_revision.c.origin_counter, sync_revision.c.rev_id).where(
                sync_revision.c.origin_replica == replica,
                sync_revision.c.origin_incarnation == incarnation,
                sync_revision.c.origin_counter.between(low, high),
            )
        ):
            claimed[(replica, incarnation, int(r.origin_counter))] = r.rev_id
    return claimed


def revision_label(line: dict[str, Any]) -> str:
    """How a person finds the record of a package line: its type and number (or id), never its text."""
    rt = BY_KEY.get(str(line.get("record_type")))
    label = rt.label if rt else f"未知类型“{line.get('record_type')}”的记录"
    number = ""
    if rt is not None and rt.number_label:
        with suppress(TypeError, ValueError, AttributeError):
            number = str(json.loads(line.get("body") or "{}").get("number") or "")
    what = f"{label} {number}" if number else f"{label}（标识 {line.get('record_id')}）"
    return f"{what} 的修订 {str(line.get('rev_id'))[:12]}"


def _verify_revision(line: dict[str, Any], keys: dict[str, bytes]) -> None:
    """The revision is what its id says and was signed by its author: every revision, also the sender's
    own (the manifest's signature proves who sent the file, not that each revision is sound)."""
    header = build_header(
        line["record_type"],
        line["record_id"],
        line["parents"],
        _Origin(line),
        line["origin_counter"],
        line["hlc"],
        line["author_user"],
        line["schema_version"],
        line["deleted"],
        line["body_sha256"],
    )
    if revision_id(header) != line["rev_id"] or sha256_hex(line["body"] or "") != line["body_sha256"]:
        raise PackageError(f"{revision_label(line)} 的校验值不符，工作包可能被篡改，已拒绝")
    if line["record_type"] not in BY_KEY:
        raise PackageError(f"工作包含有未知的记录类型“{line['record_type']}”，请升级软件")
    key = keys.get(line["origin_replica"])
    if key is None:
        raise PackageError(f"{revision_label(line)} 的作者身份未知，已拒绝")
    try:
        signature = unb64(line["origin_sig"])
    except (ValueError, TypeError, AttributeError):
        signature = b""
    if not verify_signature(key, signature, line["rev_id"].encode("ascii")):
        raise PackageError(f"{revision_label(line)} 签名无效，已拒绝整个工作包（未写入任何数据）")


@dataclass(frozen=True)
class _Origin:
    line: dict[str, Any]

    @property
    def replica_id(self) -> str:
        return str(self.line["origin_replica"])

    @property
    def incarnation(self) -> int:
        return int(self.line["origin_incarnation"])


def _fork(conn: Connection, me: Any, m: dict[str, Any], line: dict[str, Any]) -> PackageError:
    """A revision under an identity that already wrote another one with the same counter: a copy."""
    origin = line["origin_replica"]
    if me.role == "field" and origin == me.replica_id:
        return PackageError(identity.fork_at_laptop(m["sender"].get("role") == "office"))
    label = conn.execute(select(sync_replica.c.label).where(sync_replica.c.replica_id == origin)).scalar()
    if me.role == "field":
        return PackageError(identity.fork_of_another(label or origin[:8]))
    return PackageError(identity.fork_at_office(label or origin[:8], origin != m["sender"]["replica_id"]))


def _stored(line: dict[str, Any], package_id: str, at: str) -> dict[str, Any]:
    """The sync_revision row of a package line, exactly as received."""
    return {
        "rev_id": line["rev_id"],
        "record_type": line["record_type"],
        "record_id": line["record_id"],
        "origin_replica": line["origin_replica"],
        "origin_incarnation": line["origin_incarnation"],
        "origin_counter": line["origin_counter"],
        "hlc": line["hlc"],
        "author_user": line["author_user"],
        "schema_version": line["schema_version"],
        "deleted": bool(line["deleted"]),
        "body": line["body"],
        "body_sha256": line["body_sha256"],
        "origin_sig": unb64(line["origin_sig"]),
        "received_package": package_id,
        "received_at": at,
    }


@dataclass
class _Received:
    revs: list[dict[str, Any]] = field(default_factory=list)
    parents: list[dict[str, str]] = field(default_factory=list)
    touched: dict[tuple[str, str], None] = field(default_factory=dict)
    seen: dict[tuple[str, int], set[int]] = field(default_factory=lambda: defaultdict(set))


def _receive(
    conn: Connection,
    me: Any,
    m: dict[str, Any],
    lines: list[dict[str, Any]],
    keys: dict[str, bytes],
    at: str,
    progress: Progress,
) -> _Received:
    """Check every revision of the package and pick the new ones; nothing is written here."""
    ids = [line["rev_id"] for line in lines]
    existing = _known_revisions(conn, ids)
    retired = identity.retired_among(conn, ids)
    claimed = _claimed_counters(conn, lines)
    out = _Received()
    for n, line in enumerate(lines, start=1):
        if n % 2000 == 0:
            progress.check_cancelled()
            progress.report(n, len(lines), "正在校验修订记录")
        _verify_revision(line, keys)
        if line["rev_id"] in retired:
            continue  # made again under its author's new identity: the replacement is (or will be) here
        origin = (line["origin_replica"], int(line["origin_incarnation"]))
        out.seen[origin].add(int(line["origin_counter"]))
        if line["rev_id"] in existing:
            continue
        triple = (*origin, int(line["origin_counter"]))
        if claimed.get(triple, line["rev_id"]) != line["rev_id"] or origin == (me.replica_id, me.incarnation):
            raise _fork(conn, me, m, line)  # the second case: this identity's revision made elsewhere
        claimed[triple] = line["rev_id"]
        existing.add(line["rev_id"])
        out.revs.append(_stored(line, m["package_id"], at))
        out.parents.extend({"rev_id": line["rev_id"], "parent_rev_id": p} for p in line["parents"])
        out.touched[(line["record_type"], line["record_id"])] = None
    return out


def _apply(
    ws: Workspace,
    conn: Connection,
    contents: PackageContents,
    report: ImportReport,
    progress: Progress,
    accept_identity: bool = False,
) -> None:
    m = contents.manifest
    me = _self(conn)
    _check_sender(conn, me, contents)
    if int(m.get("min_reader_schema_version", 1)) > migrations.SCHEMA_VERSION:
        raise PackageError(
            f"工作包来自更新版本的软件（数据结构版本 {m.get('schema_version')}），请先升级本软件"
        )
    at = _now()
    accepted = identity.gate(conn, contents, accept=accept_identity, user=ws.user.login, at=at)
    keys = _pin_replicas(conn, me, contents)
    if not verify_signature(keys[m["sender"]["replica_id"]], contents.signature, contents.manifest_bytes):
        raise PackageError("工作包清单的签名无效，已拒绝")
    stepped_aside: dict[str, list[str]] = {}
    if m["kind"] == "provision" and me.role == "field" and m.get("retired"):
        stepped_aside = identity.retire_listed(conn, m["retired"], at, me.replica_id)
    received = _receive(conn, me, m, contents.revisions, keys, at, progress)
    touched, seen = received.touched, received.seen
    touched.update({(rtype, rid): None for rtype, ids in stepped_aside.items() for rid in ids})
    new_revs, new_parents = received.revs, received.parents
    if new_revs:
        conn.execute(insert(sync_revision), new_revs)
    if new_parents:
        conn.execute(insert(sync_revision_parent), new_parents)
    for digest, data in contents.blobs.items():
        if hashlib.sha256(data).hexdigest() != digest:
            raise PackageError("附件内容校验失败，工作包可能被篡改")
        put_blob(conn, data)
    _advance_knowledge(conn, seen)
    _store_ack(conn, m)
    if m["kind"] == "provision":
        _accept_provision(conn, m)
    wiped = _accept_wipe(conn, m) if m["kind"] == "wipe" else None
    by_type: dict[str, dict[str, int]] = defaultdict(lambda: {"new": 0, "updated": 0, "unchanged": 0})
    incoming = _incoming_revisions(new_revs, new_parents)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for rtype, rid in touched:
        by_kind[rtype].append(rid)
    done = 0
    for rtype, ids in by_kind.items():
        for start in range(0, len(ids), 2000):
            progress.check_cancelled()
            progress.report(done, len(touched), "正在合并记录")
            outcomes = rematerialize_many(
                conn, rtype, ids[start : start + 2000], at=at, package_id=m["package_id"], incoming=incoming
            )
            for outcome in outcomes.values():
                by_type[rtype][outcome] += 1
            done += len(outcomes)
    report.new = sum(v["new"] for v in by_type.values())
    report.updated = sum(v["updated"] for v in by_type.values())
    report.unchanged = sum(v["unchanged"] for v in by_type.values()) + (
        len(contents.revisions) - len(new_revs)
    )
    report.by_type = dict(by_type)
    report.conflicts = _open_conflicts(conn, touched)
    report.revisions = len(new_revs)
    report.status = "imported"
    conn.execute(
        insert(sync_package).values(
            package_id=m["package_id"],
            direction="in",
            peer_replica=m["sender"]["replica_id"],
            manifest_sha256=contents.manifest_sha256,
            created_hlc=m.get("created_hlc", ""),
            imported_at=at,
            status="imported",
            summary=canonical_json({k: v for k, v in report.as_json().items() if k != "file"}),
        )
    )
    writer = RevisionWriter(conn, ws.user.login, migrations.SCHEMA_VERSION)
    writer.log(
        "import",
        package_id=m["package_id"],
        kind=report.kind,
        records=report.new + report.updated,
        file=Path(report.file).name,
        new=report.new,
        updated=report.updated,
        conflicts=report.conflicts,
    )
    if wiped is not None:
        writer.log("wipe", **wiped)
    if accepted is not None:
        writer.log("accept_identity", **accepted)
    writer.finish()


def _store_ack(conn: Connection, m: dict[str, Any]) -> None:
    """The sender holds everything in its knowledge vector: never send it those revisions again.

    Within one incarnation of the sender its knowledge only grows, so packages arriving in any order are
    merged. A sender restored from a backup (a new incarnation) holds less than it once said: its knowledge
    replaces the old one, so what it lost is sent again; a late package of an older incarnation is not
    believed at all."""
    peer = m["sender"]["replica_id"]
    incarnation = int(m["sender"].get("incarnation") or 0)
    row = conn.execute(select(sync_peer_ack).where(sync_peer_ack.c.peer_replica == peer)).first()
    if row is not None and row.peer_incarnation is not None and incarnation < row.peer_incarnation:
        return
    same = row is not None and row.peer_incarnation == incarnation
    merged: dict[str, dict[str, int]] = json.loads(row.knowledge) if same else {}
    for replica, incs in m.get("knowledge", {}).items():
        for inc, counter in incs.items():
            merged.setdefault(replica, {})
            merged[replica][inc] = max(int(counter), int(merged[replica].get(inc, 0)))
    values = {"knowledge": canonical_json(merged), "updated_at": _now(), "peer_incarnation": incarnation}
    if row is None:
        conn.execute(insert(sync_peer_ack).values(peer_replica=peer, **values))
    else:
        conn.execute(update(sync_peer_ack).where(sync_peer_ack.c.peer_replica == peer).values(**values))


def _accept_provision(conn: Connection, m: dict[str, Any]) -> None:
    p = m["provision"]
    office = m["sender"]["replica_id"]
    for kind, scope, recipient, secret in (
        ("office", office, p["office_recipient"], None),
        ("group", p["group_id"], p["group_recipient"], p["group_identity"]),
    ):
        key_id = hashlib.sha256(recipient.encode()).hexdigest()
        if conn.execute(select(sync_keyring.c.key_id).where(sync_keyring.c.key_id == key_id)).first() is None:
            conn.execute(
                insert(sync_keyring).values(
                    key_id=key_id,
                    kind=kind,
                    scope_id=scope,
                    recipient=recipient,
                    identity=secret.encode("ascii") if secret else None,
                    created_at=_now(),
                )
            )
    conn.execute(update(sync_self).values(provisioned_by=office))


def _accept_wipe(conn: Connection, m: dict[str, Any]) -> dict[str, Any]:
    """A laptop reports that it wiped its workspace: revoke it, and say so in the audit entry."""
    sender, notice = m["sender"]["replica_id"], m.get("wipe") or {}
    known = conn.execute(select(sync_replica.c.label).where(sync_replica.c.replica_id == sender)).scalar()
    wiped_at = str(notice.get("wiped_at") or m.get("created_at") or _now())
    conn.execute(update(sync_replica).where(sync_replica.c.replica_id == sender).values(revoked_at=wiped_at))
    return {
        "replica_id": sender,
        "label": str(notice.get("label") or known or sender[:8]),
        "wiped_at": wiped_at,
        "by": str(notice.get("user") or ""),
        "revisions": int(notice.get("revisions") or 0),
    }


def _open_conflicts(conn: Connection, touched: dict[tuple[str, str], None]) -> int:
    rows = conn.execute(
        select(sync_conflict.c.record_type, sync_conflict.c.record_id).where(sync_conflict.c.status == "open")
    ).all()
    return len({(r.record_type, r.record_id) for r in rows} & set(touched))


def import_packages(
    ws: Workspace,
    files: Sequence[Path],
    *,
    dry_run: bool = False,
    code: str | None = None,
    progress: Progress | None = None,
    backup_dir: Path | None = None,
    accept_identity: bool = False,
) -> list[ImportReport]:
    """Import each file in its own transaction; a bad package is reported and changes nothing.

    `accept_identity` is a person's confirmation that packages of a copied laptop's new identity may be
    taken in (services.identity); without it they are refused with the steps to follow."""
    progress = progress or NullProgress()
    identities = _identities(ws)
    reports: list[ImportReport] = []
    backed_up = False
    for index, path in enumerate(files):
        report = ImportReport(file=str(path))
        reports.append(report)
        progress.check_cancelled()
        progress.report(index, len(files), f"正在导入 {Path(path).name}")
        try:
            contents = open_package(Path(path), identities, code)
            m = contents.manifest
            report.package_id, report.kind = m.get("package_id", ""), m.get("kind", "")
            report.sender = (m.get("sender") or {}).get("replica_id", "")
            with ws.engine.connect() as conn:
                done = conn.execute(
                    select(sync_package).where(
                        sync_package.c.package_id == report.package_id, sync_package.c.direction == "in"
                    )
                ).first()
            if done is not None:
                if done.manifest_sha256 != contents.manifest_sha256:
                    raise PackageError("同一编号的工作包内容不同（可能被篡改或伪造），已拒绝")
                report.status = "already_imported"
                report.unchanged = len(contents.revisions)
                continue
            if not dry_run and not backed_up:
                _backup_before_import(ws, backup_dir)
                backed_up = True
            try:
                with write_transaction(ws.engine) as conn:
                    _apply(ws, conn, contents, report, progress, accept_identity)
                    if dry_run:
                        raise _DryRun
            except _DryRun:
                pass
            if report.kind == "provision" and not dry_run:
                identities = _identities(ws)  # the group key now opens the group's packages
                # The office can now rescue a forgotten passphrase; should the key file be read-only, the
                # import still stands and the next provisioning package adds the slot.
                with suppress(XunchaError, OSError):
                    ensure_office_recovery(ws)
        except StorageFault:
            raise  # a full disk or a held lock stops the whole import: the next package would fail alike
        except (PackageError, SyncError) as exc:
            report.status, report.error = "rejected", str(exc)
            report.needs_confirmation = isinstance(exc, identity.IdentityNotConfirmed)
        except XunchaError as exc:
            report.status, report.error = "rejected", f"导入失败：{exc}"
        except (KeyError, TypeError, ValueError) as exc:
            report.status, report.error = (
                "rejected",
                f"工作包内容不完整或格式错误（{type(exc).__name__}: {exc}），已拒绝",
            )
        if report.status == "rejected":
            report.new = report.updated = report.unchanged = report.conflicts = 0
            report.by_type = {}
    if not dry_run and any(r.status == "imported" for r in reports):
        ws.report_changes(EVERYTHING)  # merged revisions of any type, new contexts, conflicts
    progress.report(len(files), len(files), "完成")
    return reports


def _backup_before_import(ws: Workspace, backup_dir: Path | None) -> Path:
    folder = backup_dir or ws.path.parent / "备份"
    target = folder / f"{ws.path.stem}.导入前-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}{ws.path.suffix}"
    return ws.backup(target)
