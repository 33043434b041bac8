"""What a workspace knows about syncing (sync.md §3.2, §3.5, §3.9): its own identity, the keys it encrypts
to and opens with, the replicas it trusts, the revisions it holds (knowledge), what each peer acknowledged,
and the packages it sent and took in. Every statement on those sync_* tables is here."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from xuncha_desktop.domain.codec import canonical_json
from xuncha_desktop.domain.record_types import GROUP, MAIN_RECORD_TYPES, MEMBER, TARGET
from xuncha_desktop.storage.revision_store import Knowledge
from xuncha_desktop.storage.tables import (
    BUSINESS_TABLES,
    sync_keyring,
    sync_knowledge,
    sync_package,
    sync_peer_ack,
    sync_replica,
    sync_self,
)


# -- this workspace -----------------------------------------------------------------------------------
def this_replica(conn: Connection) -> Row[Any]:
    """The sync_self row: replica id, incarnation, role, keys, clock, who provisioned it."""
    return conn.execute(select(sync_self)).one()


def create_self(
    conn: Connection,
    *,
    workspace_id: str,
    replica_id: str,
    role: str,
    hlc: str,
    sign_key: bytes,
    box_key: str,
    sign_pubkey: bytes,
    box_pubkey: str,
    label: str,
    at: str,
) -> None:
    """A new workspace's identity: its sync_self row, and itself as the first replica it knows."""
    conn.execute(
        insert(sync_self).values(
            id=1,
            workspace_id=workspace_id,
            replica_id=replica_id,
            role=role,
            incarnation=1,
            next_counter=1,
            hlc_last=hlc,
            sign_key=sign_key,
            box_key=box_key.encode("ascii"),
            created_at=at,
            provisioned_by=None,
        )
    )
    conn.execute(
        insert(sync_replica).values(
            replica_id=replica_id,
            label=label,
            role=role,
            sign_pubkey=sign_pubkey,
            box_pubkey=box_pubkey.encode("ascii"),
            is_self=True,
            revoked_at=None,
        )
    )


def new_incarnation(conn: Connection) -> int:
    """A restored database must never reuse the counters of its old incarnation (sync.md §3.2, §3.11):
    start the next one. Returns the incarnation before."""
    before = int(conn.execute(select(sync_self.c.incarnation)).scalar_one())
    conn.execute(update(sync_self).values(incarnation=before + 1, next_counter=1))
    return before


def take_identity(
    conn: Connection,
    old_replica: str,
    new_replica: str,
    *,
    sign_key: bytes,
    box_key: str,
    sign_pubkey: bytes,
    box_pubkey: str,
) -> None:
    """This workspace becomes `new_replica` with new keys and a fresh counter; the former identity stays a
    known replica (its revisions are still here)."""
    label = replica_label(conn, old_replica)
    conn.execute(
        update(sync_self).values(
            replica_id=new_replica,
            incarnation=1,
            next_counter=1,
            sign_key=sign_key,
            box_key=box_key.encode("ascii"),
        )
    )
    conn.execute(update(sync_replica).where(sync_replica.c.replica_id == old_replica).values(is_self=False))
    conn.execute(
        insert(sync_replica).values(
            replica_id=new_replica,
            label=f"{label or '现场工作库'}（新身份）",
            role="field",
            sign_pubkey=sign_pubkey,
            box_pubkey=box_pubkey.encode("ascii"),
            is_self=True,
            revoked_at=None,
        )
    )


def set_provisioned_by(conn: Connection, office_replica: str) -> None:
    conn.execute(update(sync_self).values(provisioned_by=office_replica))


# -- knowledge ----------------------------------------------------------------------------------------
def knowledge(conn: Connection) -> Knowledge:
    """{replica: {incarnation: max_contiguous counter}} of every revision this workspace holds."""
    out: Knowledge = defaultdict(dict)
    for row in conn.execute(select(sync_knowledge)):
        out[row.replica_id][str(row.incarnation)] = int(row.max_contiguous)
    return dict(out)


def advance_knowledge(conn: Connection, seen: dict[tuple[str, int], set[int]]) -> None:
    """Count the revisions `seen` ({(replica, incarnation): counters}) as held: counters beyond a gap wait
    in extra_counters until the gap closes."""
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


def forget_knowledge(conn: Connection, replica_id: str) -> None:
    """Count none of a replica's revisions as held (before counting again what is left of them)."""
    conn.execute(delete(sync_knowledge).where(sync_knowledge.c.replica_id == replica_id))


# -- keys ---------------------------------------------------------------------------------------------
def keyring(conn: Connection) -> list[Row[Any]]:
    """Every key this workspace encrypts to (recipient) and, for group keys, opens with (identity)."""
    return list(conn.execute(select(sync_keyring)).all())


def opening_identities(conn: Connection) -> list[str]:
    """The age identities that open packages for this workspace: its own box key, then the keyring's."""
    me = this_replica(conn)
    keys = [k.identity.decode("ascii") for k in keyring(conn) if k.identity]
    return [me.box_key.decode("ascii"), *keys]


def add_key(
    conn: Connection, kind: str, scope_id: str, recipient: str, identity: str | None, at: str
) -> Row[Any]:
    """Keep a key (once: keys are named by their recipient's hash) and return its row."""
    key_id = hashlib.sha256(recipient.encode()).hexdigest()
    if conn.execute(select(sync_keyring.c.key_id).where(sync_keyring.c.key_id == key_id)).first() is None:
        conn.execute(
            insert(sync_keyring).values(
                key_id=key_id,
                kind=kind,
                scope_id=scope_id,
                recipient=recipient,
                identity=identity.encode("ascii") if identity else None,
                created_at=at,
            )
        )
    return conn.execute(select(sync_keyring).where(sync_keyring.c.key_id == key_id)).one()


def office_key(conn: Connection) -> Row[Any] | None:
    """The key of the office that provisioned this workspace, if one did."""
    return conn.execute(select(sync_keyring).where(sync_keyring.c.kind == "office")).first()


def group_key(conn: Connection, group_id: str) -> Row[Any] | None:
    return conn.execute(
        select(sync_keyring).where(sync_keyring.c.kind == "group", sync_keyring.c.scope_id == group_id)
    ).first()


# -- replicas -----------------------------------------------------------------------------------------
def replicas(conn: Connection, replica_ids: set[str]) -> list[Row[Any]]:
    return list(conn.execute(select(sync_replica).where(sync_replica.c.replica_id.in_(replica_ids))).all())


def signing_keys(conn: Connection) -> dict[str, bytes]:
    """{replica: Ed25519 public key} of every replica this workspace trusts."""
    return {r.replica_id: bytes(r.sign_pubkey) for r in conn.execute(select(sync_replica)) if r.sign_pubkey}


def pin_replica(
    conn: Connection, replica_id: str, *, label: str, role: str, sign_pubkey: bytes, box_pubkey: bytes | None
) -> None:
    """Trust a replica a package introduced (trust on first use)."""
    conn.execute(
        insert(sync_replica).values(
            replica_id=replica_id,
            label=label,
            role=role,
            sign_pubkey=sign_pubkey,
            box_pubkey=box_pubkey,
            is_self=False,
            revoked_at=None,
        )
    )


def replica_label(conn: Connection, replica_id: str) -> str | None:
    label = conn.execute(select(sync_replica.c.label).where(sync_replica.c.replica_id == replica_id)).scalar()
    return None if label is None else str(label)


def box_pubkey(conn: Connection, replica_id: str) -> str:
    """A replica's age recipient (the office's own, for its provisioning packages)."""
    raw = conn.execute(
        select(sync_replica.c.box_pubkey).where(sync_replica.c.replica_id == replica_id)
    ).scalar_one()
    return bytes(raw).decode("ascii")


def revoke_replica(conn: Connection, replica_id: str, at: str) -> None:
    conn.execute(update(sync_replica).where(sync_replica.c.replica_id == replica_id).values(revoked_at=at))


# -- what peers acknowledged --------------------------------------------------------------------------
def peer_ack(conn: Connection, peer_replica: str) -> Knowledge | None:
    """What a peer said it holds (its knowledge in its latest package), or None when it said nothing."""
    row = conn.execute(select(sync_peer_ack).where(sync_peer_ack.c.peer_replica == peer_replica)).first()
    return json.loads(row.knowledge) if row else None


def store_ack(conn: Connection, peer: str, incarnation: int, said: Knowledge, at: str) -> None:
    """The sender holds everything in its knowledge vector: never send it those revisions again.

    Within one incarnation of the sender its knowledge only grows, so packages arriving in any order are
    merged. A sender restored from a backup (a new incarnation) holds less than it once said: its knowledge
    replaces the old one, so what it lost is sent again; a late package of an older incarnation is not
    believed at all."""
    row = conn.execute(select(sync_peer_ack).where(sync_peer_ack.c.peer_replica == peer)).first()
    if row is not None and row.peer_incarnation is not None and incarnation < row.peer_incarnation:
        return
    same = row is not None and row.peer_incarnation == incarnation
    merged: Knowledge = json.loads(row.knowledge) if row is not None and same else {}
    for replica, incs in said.items():
        for inc, counter in incs.items():
            merged.setdefault(replica, {})
            merged[replica][inc] = max(int(counter), int(merged[replica].get(inc, 0)))
    values = {"knowledge": canonical_json(merged), "updated_at": at, "peer_incarnation": incarnation}
    if row is None:
        conn.execute(insert(sync_peer_ack).values(peer_replica=peer, **values))
    else:
        conn.execute(update(sync_peer_ack).where(sync_peer_ack.c.peer_replica == peer).values(**values))


# -- packages sent and taken in -----------------------------------------------------------------------
def imported_package(conn: Connection, package_id: str) -> Row[Any] | None:
    """The log entry of a package taken in before, if it was."""
    return conn.execute(
        select(sync_package).where(sync_package.c.package_id == package_id, sync_package.c.direction == "in")
    ).first()


def exported_any(conn: Connection) -> bool:
    """Whether this workspace ever wrote a package (anything made here may have left it)."""
    out = select(sync_package.c.package_id).where(sync_package.c.direction == "out")
    return conn.execute(out).first() is not None


def exported_package(conn: Connection, package_id: str) -> bool:
    """Whether this workspace wrote the package."""
    return (
        conn.execute(
            select(sync_package.c.package_id).where(
                sync_package.c.package_id == package_id, sync_package.c.direction == "out"
            )
        ).first()
        is not None
    )


def log_package(
    conn: Connection,
    package_id: str,
    *,
    direction: str,
    peer_replica: str | None,
    manifest_sha256: str,
    created_hlc: str,
    at: str,
    status: str,
    summary: dict[str, Any],
) -> None:
    conn.execute(
        insert(sync_package).values(
            package_id=package_id,
            direction=direction,
            peer_replica=peer_replica,
            manifest_sha256=manifest_sha256,
            created_hlc=created_hlc,
            imported_at=at,
            status=status,
            summary=canonical_json(summary),
        )
    )


# -- what a group receives ----------------------------------------------------------------------------
def live_groups(conn: Connection) -> list[tuple[str, str]]:
    """(id, 'number name') of every live group, in their order."""
    t = BUSINESS_TABLES[GROUP.key]
    return [
        (r.id, r.name) for r in conn.execute(select(t).where(t.c.deleted.is_(False)).order_by(t.c.ordinal))
    ]


def group_scope(conn: Connection, group_id: str) -> set[tuple[str, str]]:
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


def replica_labels(conn: Connection) -> dict[str, str]:
    """{replica: label} of every replica this workspace knows."""
    return {
        r.replica_id: r.label for r in conn.execute(select(sync_replica.c.replica_id, sync_replica.c.label))
    }
