"""Copied workspaces (sync.md §3.2): what a package from a new identity must prove, what a person at the
office confirms, and the messages that tell people the steps that work.

A workspace copied to a second laptop writes revisions under the same (replica, incarnation, counter) as the
original; whichever package reaches the office first is accepted and the other copy's is refused. The
refused copy takes a new identity (services.reidentify): a new replica id and keys, and its revisions the
office does not hold made again under the new identity with the same records and content. Its packages
announce the change with a statement signed by the former key; the office takes nothing from the new
identity until a person confirms it, and then skips the retired revisions wherever they turn up.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from xuncha_desktop.domain.codec import canonical_json
from xuncha_desktop.services.packages import PackageContents, PackageError, b64, unb64, verify_signature
from xuncha_desktop.storage import identity_store, sync_state
from xuncha_desktop.storage.identity_store import (  # the names callers know from here
    RETIRED_COLUMNS,
    former_identities,
    retire_listed,
    retired_among,
    store_retired,
)

__all__ = ["RETIRED_COLUMNS", "former_identities", "retire_listed", "retired_among", "store_retired"]

REIDENTIFY_CLI = "xuncha-desktop reidentify --db 工作库 --package 配置包"
REIDENTIFY_GUI = "“文件 → 重新确定身份…”"
ACCEPT_CLI = "xuncha-desktop import --accept-identity --db 巡察办工作库 工作包"


class IdentityNotConfirmed(PackageError):
    """A package of a copied laptop's new identity, refused until a person at the office confirms it."""


def fork_at_office(label: str, relayed: bool) -> str:
    """The office refuses a package whose revisions collide with another copy's: the steps that work."""
    who = "导出此工作包的电脑" if not relayed else f"“{label}”（此工作包转交了它的修订）"
    return (
        f"检测到复制的工作库：此工作包中“{label}”的修订与巡察办已收到的另一份同一身份的修订冲突"
        "（同一个工作库被复制到两台电脑后分别使用），已拒绝整个工作包，未写入任何数据。处理办法："
        "① 巡察办为该组生成最新的配置包；"
        f"② 在{who}上执行{REIDENTIFY_GUI}并选用该配置包（命令行：{REIDENTIFY_CLI}），"
        "该电脑改用新的身份，巡察办未收到的修订以新身份重新签发，记录编号和内容不变；"
        "③ 在该电脑上重新导出工作包；"
        f"④ 巡察办核实后导入，并确认接受新身份（命令行：{ACCEPT_CLI}）"
        + ("；⑤ 再重新导入此工作包" if relayed else "")
    )


def fork_at_laptop(from_office: bool) -> str:
    """A laptop receives revisions of its own identity that it did not make: it is one of two copies."""
    cause = (
        "巡察办已收到另一份复制品以本工作库身份写下的修订"
        if from_office
        else "此工作包带有另一份复制品以本工作库身份写下的修订"
    )
    return (
        f"检测到复制的工作库：{cause}（同一个工作库被复制到两台电脑后分别使用），已拒绝整个工作包，"
        f"未写入任何数据。处理办法：在本机执行{REIDENTIFY_GUI}并选用巡察办最新的配置包"
        f"（命令行：{REIDENTIFY_CLI}），然后导入该配置包，再导出工作包交巡察办核实并确认接受新身份"
    )


def fork_of_another(label: str) -> str:
    """A laptop holds one copy's revisions of another laptop and receives the other copy's."""
    return (
        f"检测到复制的工作库：此工作包中“{label}”的修订与本机已收到的另一份同一身份的修订冲突"
        "（那台电脑的工作库被复制后分别使用），已拒绝整个工作包，未写入任何数据。处理办法："
        f"被巡察办拒绝的那份复制品执行{REIDENTIFY_GUI}，巡察办确认接受其新身份后生成新的配置包；"
        "本机导入该配置包即可（本机已有的旧修订会让位于以新身份重新签发的修订）"
    )


def own_copy() -> str:
    """A workspace imports a package its copy exported under the same identity."""
    return (
        "检测到复制的工作库：该工作包来自与本工作库相同的身份（同一工作库被复制到了另一台电脑），"
        f"已拒绝。处理办法：在导出该工作包的电脑上执行{REIDENTIFY_GUI}（命令行：{REIDENTIFY_CLI}），"
        "然后在那台电脑上重新导出工作包"
    )


# -- the statement a new identity carries -------------------------------------------------------------
def statement(old_replica: str, new_replica: str, new_sign_pubkey: bytes, at: str) -> str:
    return canonical_json(
        {
            "old_replica": old_replica,
            "new_replica": new_replica,
            "new_sign_pubkey": b64(new_sign_pubkey),
            "at": at,
        }
    )


def announcement(conn: Connection, replica_id: str) -> dict[str, Any] | None:
    """What the packages of a re-identified workspace say about it; None for any other workspace."""
    row = identity_store.change_to(conn, replica_id)
    if row is None:
        return None
    return {
        "old_replica": row.old_replica,
        "statement": row.statement,
        "proof": b64(row.proof),
        "retired": identity_store.retired_rows(conn, row.old_replica),
    }


def _replica(conn: Connection, replica_id: str) -> Any:
    return next(iter(sync_state.replicas(conn, {replica_id})), None)


def _checked(conn: Connection, contents: PackageContents) -> tuple[dict[str, Any], str, Any]:
    """The announcement of a package whose sender is new here, verified: the manifest is signed by the
    new key it names, and the statement by the former key the office knows."""
    m = contents.manifest
    note = m["reidentified"]
    sender = m["sender"]["replica_id"]
    said = json.loads(note["statement"])
    entry: dict[str, Any] = next((r for r in m.get("replicas", []) if r.get("replica_id") == sender), {})
    new_key = unb64(str(entry.get("sign_pubkey") or ""))
    if not verify_signature(new_key, contents.signature, contents.manifest_bytes):
        raise PackageError("工作包清单的签名无效，已拒绝")
    if said.get("new_replica") != sender or said.get("new_sign_pubkey") != entry.get("sign_pubkey"):
        raise PackageError("工作包所附的身份变更说明与发送方不符，已拒绝")
    old = _replica(conn, str(note["old_replica"]))
    if said.get("old_replica") != note["old_replica"] or old is None or not old.sign_pubkey:
        raise PackageError("工作包声明的原身份不为巡察办所知，无法核实，已拒绝")
    if not verify_signature(bytes(old.sign_pubkey), unb64(note["proof"]), note["statement"].encode()):
        raise PackageError("工作包所附的身份变更说明签名无效（不是由原工作库签署），已拒绝")
    return note, str(entry.get("label") or sender[:8]), old


def gate(
    conn: Connection, contents: PackageContents, *, accept: bool, user: str, at: str
) -> dict[str, Any] | None:
    """Before a package's replicas are trusted: a new identity that announces itself as a copy's is let in
    only with a person's confirmation (`accept`). Returns the audit details of an acceptance."""
    m = contents.manifest
    sender = m["sender"]["replica_id"]
    if not m.get("reidentified") or _replica(conn, sender) is not None:
        return None
    note, label, old = _checked(conn, contents)
    if not accept:
        raise IdentityNotConfirmed(
            f"此工作包来自一台重新确定过身份的电脑（原身份“{old.label}”，新身份“{label}” {sender[:8]}，"
            f"重新签发修订 {len(note.get('retired', []))} 条），尚未确认接受，未写入任何数据。"
            "请核实这台电脑确属本组后再接受："
            f"命令行加 --accept-identity 重新导入（{ACCEPT_CLI}）；图形界面在导入预览中选择“确认接受新身份”"
        )
    identity_store.record_change(
        conn,
        new_replica=sender,
        old_replica=note["old_replica"],
        statement=note["statement"],
        proof=unb64(note["proof"]),
        at=at,
        by=user,
    )
    retired = store_retired(conn, note["old_replica"], note.get("retired", []), at)
    return {
        "label": label,
        "replica_id": sender,
        "old_replica": note["old_replica"],
        "old_label": old.label,
        "revisions": retired,
    }


def office_list(conn: Connection) -> list[dict[str, Any]]:
    """Every retired revision the office knows of, for its provisioning packages."""
    return identity_store.retired_rows(conn)
