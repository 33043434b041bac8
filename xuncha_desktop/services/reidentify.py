"""重新确定身份: the copy of a field workspace whose packages the office refuses takes a new identity.

It gets a new replica id and new keys, and every revision of its former identity that the office does not
hold is made again under the new one: same record, content, author, time and (re-made) parents, so record
ids and numbers stay, and the next export goes in once a person at the office confirms the new identity.
The former revisions are retired, not lost: their ids and replacements are kept (the audit log names them),
and the packages of the new identity carry the list so the office skips copies other laptops relay.

Which revisions the office holds: those it acknowledged, and, when the office's latest provisioning
package is given, every revision of this identity in it (the other copy's share of the history before the
copy was made). Without that package, history both copies share but the office has not acknowledged is
made again too and shows up at the office as a parallel version with the same content to confirm.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, delete, insert, select, update

from xuncha_desktop.services import identity, sync
from xuncha_desktop.services.backups import take_backup
from xuncha_desktop.services.packages import PackageError, open_package, verify_signature
from xuncha_desktop.services.workspace import Workspace, new_id
from xuncha_desktop.storage import migrations, sync_state
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.materialize import rematerialize_many
from xuncha_desktop.storage.revisions import RevisionWriter, build_header, revision_id
from xuncha_desktop.storage.tables import (
    sync_identity_change,
    sync_knowledge,
    sync_peer_ack,
    sync_replica,
    sync_retired_revision,
    sync_revision,
    sync_revision_parent,
    sync_self,
)


@dataclass(frozen=True)
class ReidentifyReport:
    old_replica: str
    new_replica: str
    reminted: int  # revisions made again under the new identity
    kept: int  # revisions of the former identity the office holds, left as they are
    backup: Path  # the workspace as it was before
    precise: bool  # an office package told which revisions the office holds


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def _public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _office_package_revisions(ws: Workspace, me: Any, package: Path) -> set[str]:
    """Revisions of this identity in a package the office signed for this laptop's group."""
    contents = open_package(package, sync.identities(ws))
    m = contents.manifest
    if m.get("kind") != "provision" or m["sender"].get("replica_id") != me.provisioned_by:
        raise PackageError(f"“{package.name}”不是本工作库所属巡察办的配置包，不能用来重新确定身份")
    with ws.engine.connect() as conn:
        key = conn.execute(
            select(sync_replica.c.sign_pubkey).where(sync_replica.c.replica_id == me.provisioned_by)
        ).scalar()
    if not key or not verify_signature(bytes(key), contents.signature, contents.manifest_bytes):
        raise PackageError(f"“{package.name}”的清单签名无效，已拒绝")
    return {r["rev_id"] for r in contents.revisions if r.get("origin_replica") == me.replica_id}


def _acknowledged(conn: Connection, me: Any) -> dict[str, int]:
    """{incarnation: counter} of this identity's revisions the office said it holds."""
    row = conn.execute(select(sync_peer_ack).where(sync_peer_ack.c.peer_replica == me.provisioned_by)).first()
    mine = (json.loads(row.knowledge) if row else {}).get(me.replica_id, {})
    return {str(k): int(v) for k, v in mine.items()}


def _to_remake(conn: Connection, me: Any, held: set[str]) -> tuple[list[Any], int]:
    """Own revisions the office does not hold, parents first; and how many it holds."""
    acked = _acknowledged(conn, me)
    own = conn.execute(
        select(sync_revision)
        .where(sync_revision.c.origin_replica == me.replica_id)
        .order_by(sync_revision.c.origin_incarnation, sync_revision.c.origin_counter)
    ).all()
    remake = [
        r for r in own if r.rev_id not in held and r.origin_counter > acked.get(str(r.origin_incarnation), 0)
    ]
    return remake, len(own) - len(remake)


def _new_identity(conn: Connection, me: Any, at: str) -> str:
    """Switch sync_self to a new replica id and keys; the former identity stays known (its revisions)."""
    new_replica, sign, box = new_id(), Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate()
    label = conn.execute(
        select(sync_replica.c.label).where(sync_replica.c.replica_id == me.replica_id)
    ).scalar()
    said = identity.statement(me.replica_id, new_replica, _public(sign), at)
    proof = Ed25519PrivateKey.from_private_bytes(me.sign_key).sign(said.encode())
    conn.execute(
        update(sync_self).values(
            replica_id=new_replica,
            incarnation=1,
            next_counter=1,
            sign_key=_raw(sign),
            box_key=str(box).encode("ascii"),
        )
    )
    conn.execute(update(sync_replica).where(sync_replica.c.replica_id == me.replica_id).values(is_self=False))
    conn.execute(
        insert(sync_replica).values(
            replica_id=new_replica,
            label=f"{label or '现场工作库'}（新身份）",
            role="field",
            sign_pubkey=_public(sign),
            box_pubkey=str(box.to_public()).encode("ascii"),
            is_self=True,
            revoked_at=None,
        )
    )
    conn.execute(
        insert(sync_identity_change).values(
            new_replica=new_replica, old_replica=me.replica_id, statement=said, proof=proof
        )
    )
    return new_replica


def _parents(conn: Connection, rev_ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(rev_ids), 500):
        chunk = rev_ids[start : start + 500]
        stmt = select(sync_revision_parent).where(sync_revision_parent.c.rev_id.in_(chunk))
        for link in conn.execute(stmt):
            out[link.rev_id].append(link.parent_rev_id)
    return out


def _remake(writer: RevisionWriter, old: list[Any], at: str) -> dict[str, str]:
    """Each old revision made again under the writer's (new) identity; returns old id → new id."""
    conn, clock = writer.conn, writer.clock
    parents_of = _parents(conn, [r.rev_id for r in old])
    mapping: dict[str, str] = {}
    revs, links, retired = [], [], []
    for r in old:
        parents = sorted(mapping.get(p, p) for p in parents_of[r.rev_id])
        counter, _ = clock.tick()
        header = build_header(
            r.record_type, r.record_id, parents, clock, counter, r.hlc, r.author_user,
            r.schema_version, bool(r.deleted), r.body_sha256,
        )  # fmt: skip
        rev_id = revision_id(header)
        mapping[r.rev_id] = rev_id
        revs.append(
            {
                **r._asdict(),
                "rev_id": rev_id,
                "origin_replica": clock.replica_id,
                "origin_incarnation": clock.incarnation,
                "origin_counter": counter,
                "origin_sig": clock.sign_key.sign(rev_id.encode("ascii")),
                "received_package": None,
                "received_at": None,
            }
        )
        links += [{"rev_id": rev_id, "parent_rev_id": p} for p in parents]
        retired.append(
            {c: getattr(r, c) for c in identity.RETIRED_COLUMNS if c != "replaced_by"}
            | {"replaced_by": rev_id, "retired_at": at}
        )
        writer.audit.entry(clock.now(), writer.author, "remint", r.record_type, r.record_id, rev_id, {})
    ids = list(mapping)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        conn.execute(delete(sync_revision_parent).where(sync_revision_parent.c.rev_id.in_(chunk)))
        conn.execute(delete(sync_revision).where(sync_revision.c.rev_id.in_(chunk)))
    if revs:
        conn.execute(insert(sync_revision), revs)
        conn.execute(insert(sync_retired_revision), retired)
    if links:
        conn.execute(insert(sync_revision_parent), links)
    return mapping


def _recount_former(conn: Connection, replica_id: str) -> None:
    """What this workspace holds of its former identity is now only what it kept."""
    conn.execute(delete(sync_knowledge).where(sync_knowledge.c.replica_id == replica_id))
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for inc, counter in conn.execute(
        select(sync_revision.c.origin_incarnation, sync_revision.c.origin_counter).where(
            sync_revision.c.origin_replica == replica_id
        )
    ):
        seen[(replica_id, int(inc))].add(int(counter))
    sync_state.advance_knowledge(conn, seen)


def reidentify(ws: Workspace, *, package: Path | None = None) -> ReidentifyReport:
    """Give this field workspace a new identity (see the module text). One transaction, after a backup."""
    if ws.info.is_office:
        raise sync.SyncError("巡察办工作库不能重新确定身份")
    with ws.engine.connect() as conn:
        me = conn.execute(select(sync_self)).one()
    if me.provisioned_by is None:
        raise sync.SyncError("本工作库尚未由巡察办配置，无需重新确定身份")
    held = _office_package_revisions(ws, me, Path(package)) if package is not None else set()
    backup = take_backup(ws, "重新确定身份前")
    at = datetime.now().astimezone().isoformat(timespec="seconds")
    with write_transaction(ws.engine) as conn:
        old, kept = _to_remake(conn, me, held)
        new_replica = _new_identity(conn, me, at)
        writer = RevisionWriter(conn, ws.user.login, migrations.SCHEMA_VERSION)
        mapping = _remake(writer, old, at)
        _recount_former(conn, me.replica_id)
        records: dict[str, list[str]] = defaultdict(list)
        for r in old:
            records[r.record_type].append(r.record_id)
        for rtype, ids in records.items():
            rematerialize_many(conn, rtype, ids, at=writer.clock.now(), package_id=None)
        writer.log(
            "reidentify", old_replica=me.replica_id, replica_id=new_replica, revisions=len(mapping), kept=kept
        )
        writer.finish()
    ws.info = dataclasses.replace(ws.info, replica_id=new_replica, incarnation=1)
    return ReidentifyReport(me.replica_id, new_replica, len(mapping), kept, backup, package is not None)
