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
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection

from xuncha_desktop.services import identity, sync
from xuncha_desktop.services.packages import PackageError, open_package, verify_signature
from xuncha_desktop.services.security.backups import take_backup
from xuncha_desktop.services.workspace import Workspace, new_id
from xuncha_desktop.storage import identity_store, migrations, revision_store, sync_state
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.materialize import rematerialize_many
from xuncha_desktop.storage.revisions import RevisionWriter, build_header, revision_id


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
        key = sync_state.signing_keys(conn).get(me.provisioned_by)
    if not key or not verify_signature(bytes(key), contents.signature, contents.manifest_bytes):
        raise PackageError(f"“{package.name}”的清单签名无效，已拒绝")
    return {r["rev_id"] for r in contents.revisions if r.get("origin_replica") == me.replica_id}


def _acknowledged(conn: Connection, me: Any) -> dict[str, int]:
    """{incarnation: counter} of this identity's revisions the office said it holds."""
    mine = (sync_state.peer_ack(conn, me.provisioned_by) or {}).get(me.replica_id, {})
    return {str(k): int(v) for k, v in mine.items()}


def _to_remake(conn: Connection, me: Any, held: set[str]) -> tuple[list[Any], int]:
    """Own revisions the office does not hold, parents first; and how many it holds."""
    acked = _acknowledged(conn, me)
    own = revision_store.own_revisions(conn, me.replica_id)
    remake = [
        r for r in own if r.rev_id not in held and r.origin_counter > acked.get(str(r.origin_incarnation), 0)
    ]
    return remake, len(own) - len(remake)


def _new_identity(conn: Connection, me: Any, at: str) -> str:
    """Switch sync_self to a new replica id and keys; the former identity stays known (its revisions)."""
    new_replica, sign, box = new_id(), Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate()
    said = identity.statement(me.replica_id, new_replica, _public(sign), at)
    proof = Ed25519PrivateKey.from_private_bytes(me.sign_key).sign(said.encode())
    sync_state.take_identity(
        conn,
        me.replica_id,
        new_replica,
        sign_key=_raw(sign),
        box_key=str(box),
        sign_pubkey=_public(sign),
        box_pubkey=str(box.to_public()),
    )
    identity_store.record_change(
        conn, new_replica=new_replica, old_replica=me.replica_id, statement=said, proof=proof
    )
    return new_replica


def _remake(writer: RevisionWriter, old: list[Any], at: str) -> dict[str, str]:
    """Each old revision made again under the writer's (new) identity; returns old id → new id."""
    conn, clock = writer.conn, writer.clock
    parents_of = revision_store.parents_of(conn, [r.rev_id for r in old])
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
    revision_store.replace_revisions(conn, list(mapping), revs, links)
    identity_store.add_retired(conn, retired)
    return mapping


def _recount_former(conn: Connection, replica_id: str) -> None:
    """What this workspace holds of its former identity is now only what it kept."""
    sync_state.forget_knowledge(conn, replica_id)
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for inc, counter in revision_store.own_counters(conn, replica_id):
        seen[(replica_id, inc)].add(counter)
    sync_state.advance_knowledge(conn, seen)


def reidentify(ws: Workspace, *, package: Path | None = None) -> ReidentifyReport:
    """Give this field workspace a new identity (see the module text). One transaction, after a backup."""
    if ws.info.is_office:
        raise sync.SyncError("巡察办工作库不能重新确定身份")
    with ws.engine.connect() as conn:
        me = sync_state.this_replica(conn)
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
