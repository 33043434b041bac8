"""What a package must prove before anything of it is written (sync.md §3.7): who sent it, that this
workspace may take it, the signing keys of the replicas it introduces, and each revision's id and author
signature. A check that fails raises PackageError with the reason a person reads."""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row

from xuncha_desktop.domain.codec import sha256_hex
from xuncha_desktop.domain.record_types import BY_KEY
from xuncha_desktop.services import identity
from xuncha_desktop.services.packages import PackageContents, PackageError, unb64, verify_signature
from xuncha_desktop.storage import migrations, sync_state
from xuncha_desktop.storage.revisions import build_header, revision_id


def admit(
    conn: Connection, me: Row[Any], contents: PackageContents, *, accept_identity: bool, user: str, at: str
) -> tuple[dict[str, bytes], dict[str, Any] | None]:
    """Every check of the package as a whole, in order: sender, schema, a new identity's confirmation, the
    replicas it introduces and the manifest's signature. Returns the signing keys of the replicas, and the
    audit details of a confirmed new identity."""
    m = contents.manifest
    check_sender(conn, me, contents)
    if int(m.get("min_reader_schema_version", 1)) > migrations.SCHEMA_VERSION:
        raise PackageError(
            f"工作包来自更新版本的软件（数据结构版本 {m.get('schema_version')}），请先升级本软件"
        )
    accepted = identity.gate(conn, contents, accept=accept_identity, user=user, at=at)
    keys = pin_replicas(conn, me, contents)
    if not verify_signature(keys[m["sender"]["replica_id"]], contents.signature, contents.manifest_bytes):
        raise PackageError("工作包清单的签名无效，已拒绝")
    return keys, accepted


def pin_replicas(conn: Connection, me: Any, contents: PackageContents) -> dict[str, bytes]:
    """Known signing keys, after pinning the replicas this package introduces (trust on first use within
    a package that could only be decrypted with this office's or group's key). A known replica presenting
    another key is refused."""
    m = contents.manifest
    sender = m["sender"]
    keys = sync_state.signing_keys(conn)
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
        sync_state.pin_replica(
            conn,
            rid,
            label=entry.get("label", ""),
            role=entry.get("role", "field"),
            sign_pubkey=pub,
            box_pubkey=(entry.get("box_pubkey") or "").encode("ascii") or None,
        )
        keys[rid] = pub
    if sender["replica_id"] not in keys:
        raise PackageError("工作包发送方身份未知，已拒绝")
    return keys


def check_sender(conn: Connection, me: Any, contents: PackageContents) -> None:
    m = contents.manifest
    sender = m["sender"]
    if sender["replica_id"] == me.replica_id:
        if sync_state.exported_package(conn, m["package_id"]):
            raise PackageError("这是本工作库自己导出的工作包，无需导入")
        raise PackageError(identity.own_copy())
    if m["kind"] == "provision" and me.role == "office":
        raise PackageError("配置包只能导入巡察组的现场工作库")
    if m["kind"] == "wipe" and me.role != "office":
        raise PackageError("清理通知只能导入巡察办工作库")


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


def verify_revision(line: dict[str, Any], keys: dict[str, bytes]) -> None:
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


def fork(conn: Connection, me: Any, m: dict[str, Any], line: dict[str, Any]) -> PackageError:
    """A revision under an identity that already wrote another one with the same counter: a copy."""
    origin = line["origin_replica"]
    if me.role == "field" and origin == me.replica_id:
        return PackageError(identity.fork_at_laptop(m["sender"].get("role") == "office"))
    label = sync_state.replica_label(conn, origin)
    if me.role == "field":
        return PackageError(identity.fork_of_another(label or origin[:8]))
    return PackageError(identity.fork_at_office(label or origin[:8], origin != m["sender"]["replica_id"]))
