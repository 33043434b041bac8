"""Every revision a package brings is checked against its author's signature, also the sender's own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from tests.builders import draft
from tests.sync_helpers import World, dump
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import sync
from xuncha_desktop.services.packages import b64, write_package
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.sync import export
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import sync_state
from xuncha_desktop.storage.revisions import signing_key
from xuncha_desktop.storage.tables import sync_keyring

Lines = list[dict[str, Any]]
REJECTED = "签名无效，已拒绝整个工作包（未写入任何数据）"


def signed_package(world: World, ws: Workspace, tamper: Callable[[Lines], None]) -> Path:
    """A full package of `ws` whose revision lines `tamper` changes before it is written: the manifest is
    then signed by `ws` and lists the hashes of the changed files, so only a check of each revision's own
    signature can tell."""
    with ws.engine.connect() as conn:
        me = sync_state.this_replica(conn)
        recipients = sorted({k.recipient for k in conn.execute(select(sync_keyring))})
        lines, blobs = export.collect(conn, None)
        manifest = export.manifest(conn, me, "full", lines, blobs, recipients)
    tamper(lines)
    path = world.package_path(f"{ws.path.stem}-tampered")
    write_package(path, manifest, lines, blobs, signing_key(ws.engine), recipients=recipients)
    return path


def forge(record_id: str) -> Callable[[Lines], None]:
    """Replace the signature of the record's revision by one made with a stranger's key."""
    stranger = Ed25519PrivateKey.generate()

    def tamper(lines: Lines) -> None:
        [line] = [x for x in lines if x["record_id"] == record_id]
        line["origin_sig"] = b64(stranger.sign(line["rev_id"].encode("ascii")))

    return tamper


def test_a_bad_signature_on_the_senders_own_revision_rejects_the_package(world: World) -> None:
    a = world.fields[0]
    saved = RecordService(a, DRAFT).save(draft(world.ctx, title="签名被替换的问题"))
    RecordService(a, DRAFT).save(draft(world.ctx, title="另一个问题"))
    package = signed_package(world, a, forge(saved.id))
    before = dump(world.office)
    [report] = sync.import_packages(world.office, [package])
    assert report.status == "rejected"
    assert report.error == f"问题底稿 {saved.number} 的修订 {_rev_of(a, saved.id)[:12]} {REJECTED}"
    assert "签名被替换的问题" not in report.error
    assert dump(world.office) == before
    # The sound package of the same laptop still goes in, and the office stays sound.
    [good] = sync.import_packages(world.office, [world.export(a)])
    assert good.status == "imported"


def test_a_bad_signature_on_a_relayed_revision_rejects_the_package(world: World) -> None:
    member, leader = world.fields[:2]
    saved = RecordService(member, DRAFT).save(draft(world.ctx))
    [relayed] = sync.import_packages(leader, [world.export(member)])
    assert relayed.status == "imported"
    package = signed_package(world, leader, forge(saved.id))
    before = dump(world.office)
    [report] = sync.import_packages(world.office, [package])
    assert report.status == "rejected"
    assert report.error.startswith(f"问题底稿 {saved.number} 的修订 ")
    assert report.error.endswith(REJECTED)
    assert dump(world.office) == before


def test_an_unreadable_signature_is_a_bad_signature(world: World) -> None:
    a = world.fields[0]
    saved = RecordService(a, DRAFT).save(draft(world.ctx))

    def garble(lines: Lines) -> None:
        [line] = [x for x in lines if x["record_id"] == saved.id]
        line["origin_sig"] = "不是base64"

    [report] = sync.import_packages(world.office, [signed_package(world, a, garble)])
    assert report.status == "rejected" and report.error.endswith(REJECTED)


def _rev_of(ws: Workspace, record_id: str) -> str:
    return RecordService(ws, DRAFT).get(record_id).meta.head_rev
