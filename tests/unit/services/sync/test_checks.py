"""Each check that guards an import rejects, with its own reason, a package that only it can reject.

Every forged package here is built from a good one so that it passes all other checks; a control next to
it (the same change, made properly) is imported, which shows that nothing else would have stopped it.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from tests.builders import PASSPHRASE, draft, lead, make_context
from tests.sync_helpers import CODE, World, dump
from xuncha_desktop.domain.codec import canonical_json, sha256_hex
from xuncha_desktop.domain.record_types import DRAFT, LEAD
from xuncha_desktop.services import sync
from xuncha_desktop.services.packages import PackageContents, b64, open_package
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams
from xuncha_desktop.storage.revisions import build_header, revision_id, signing_key
from xuncha_desktop.storage.tables import sync_replica, sync_self


def _good_package(world: World) -> Path:
    a = world.fields[0]
    saved = RecordService(a, DRAFT).save(draft(world.ctx))
    RecordService(a, LEAD).save(lead(world.ctx))
    AttachmentService(a).add(DRAFT.key, saved.id, "凭证.txt", "会计凭证".encode())
    return world.export(a)


def _contents(world: World, path: Path) -> PackageContents:
    return open_package(path, sync.identities(world.office))


def _repack(
    world: World,
    name: str,
    contents: PackageContents,
    *,
    manifest: dict[str, Any] | None = None,
    revisions: list[dict[str, Any]] | None = None,
    signer: Workspace | None = None,
    list_files: bool = False,
    to: Workspace | None = None,
) -> Path:
    """The package's files again, encrypted to the office: the revision file rewritten from `revisions`,
    the manifest replaced by `manifest`. With `list_files` the manifest lists the new files' hashes; with
    `signer` it is signed again by that workspace's key, else the original signature is kept. It is
    encrypted to `to` (the office unless said)."""
    files = {f["path"]: f for f in contents.manifest["files"]}
    entries: dict[str, bytes] = {}
    for path, info in files.items():
        if path.startswith("revisions/"):
            lines = revisions if revisions is not None else contents.revisions
            entries[path] = "".join(canonical_json(r) + "\n" for r in lines).encode("utf-8")
        else:
            entries[path] = contents.blobs[info["sha256"]]
    m = dict(manifest if manifest is not None else contents.manifest)
    if list_files:
        m["files"] = [
            {**info, "sha256": sha256_hex(entries[p]), "size": len(entries[p])} for p, info in files.items()
        ]
    manifest_bytes = canonical_json(m).encode("utf-8") if m != contents.manifest else contents.manifest_bytes
    signature = signing_key(signer.engine).sign(manifest_bytes) if signer else contents.signature
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in entries.items():
            zf.writestr(path, data)
        zf.writestr("manifest.json", manifest_bytes)
        zf.writestr("manifest.sig", signature)
    recipient = pyrage.x25519.Identity.from_str(sync.identities(to or world.office)[0]).to_public()
    out = world.root / name
    out.write_bytes(pyrage.encrypt(buffer.getvalue(), [recipient]))
    return out


def _rejected(world: World, path: Path) -> str:
    before = dump(world.office)
    [report] = sync.import_packages(world.office, [path])
    assert report.status == "rejected", report
    assert dump(world.office) == before
    return str(report.error)


def _imported(world: World, path: Path) -> sync.ImportReport:
    [report] = sync.import_packages(world.office, [path])
    assert report.status == "imported", report.error
    return report


def test_a_forged_manifest_with_every_file_is_rejected_by_its_signature(world: World) -> None:
    contents = _contents(world, _good_package(world))
    forged = {**contents.manifest, "created_at": "2020-01-01T00:00:00+08:00", "kind": "delta"}
    # Every file stays: the laptop's user, the draft, the lead, the attachment and its blob.
    assert len(contents.revisions) == 4 and len(contents.blobs) == 1
    path = _repack(world, "forged.xcpkg", contents, manifest=forged)
    assert _rejected(world, path) == "工作包清单的签名无效，已拒绝"
    # The same manifest signed by the laptop is a good package.
    _imported(world, _repack(world, "signed.xcpkg", contents, manifest=forged, signer=world.fields[0]))


def _rewritten(
    world: World, contents: PackageContents, kind: str, *, consistent: bool = True, **changes: Any
) -> list[dict[str, Any]]:
    """The package's revisions with `changes` made to those of record type `kind` (a "title" goes into the
    body). When `consistent`, the body hash and revision id are made again and the revision is signed by
    the laptop, so that nothing but the check under test can tell."""
    a = world.fields[0]
    lines = []
    for line in contents.revisions:
        if line["record_type"] == kind:
            line = dict(line)
            if "title" in changes:
                body = json.loads(line["body"])
                body["title"] = changes.pop("title")
                line["body"] = canonical_json(body)
            line.update(changes)
            if consistent:
                line["body_sha256"] = sha256_hex(line["body"])
                line["rev_id"] = revision_id(_header(line))
                line["origin_sig"] = b64(signing_key(a.engine).sign(line["rev_id"].encode("ascii")))
        lines.append(line)
    return lines


def _header(line: dict[str, Any]) -> dict[str, Any]:
    return build_header(
        line["record_type"],
        line["record_id"],
        line["parents"],
        _Origin(line["origin_replica"], line["origin_incarnation"]),
        line["origin_counter"],
        line["hlc"],
        line["author_user"],
        line["schema_version"],
        line["deleted"],
        line["body_sha256"],
    )


def _tampered_draft(world: World, contents: PackageContents) -> list[dict[str, Any]]:
    """The draft's title changed, every hash and id made consistent and the revision signed again by its
    author: only the manifest's file hash can tell."""
    return _rewritten(world, contents, DRAFT.key, title="篡改后的标题")


class _Origin:
    def __init__(self, replica_id: str, incarnation: int) -> None:
        self.replica_id, self.incarnation = replica_id, incarnation


def test_a_tampered_revision_file_is_rejected_by_the_file_hash(world: World) -> None:
    good = _good_package(world)
    contents = _contents(world, good)
    lines = _tampered_draft(world, contents)
    path = _repack(world, "tampered.xcpkg", contents, revisions=lines)
    assert _rejected(world, path) == "“tampered.xcpkg”中“revisions/000001.jsonl”的校验值不符，文件可能被篡改"
    # Listed and signed by the laptop, the same revisions are a good package.
    signed = _repack(
        world, "relisted.xcpkg", contents, revisions=lines, signer=world.fields[0], list_files=True
    )
    _imported(world, signed)
    [shown] = RecordService(world.office, DRAFT).list()
    assert shown.title == "篡改后的标题"


def test_a_reused_package_id_is_rejected(world: World) -> None:
    a = world.fields[0]
    first = _contents(world, _good_package(world))
    _imported(world, _repack(world, "first.xcpkg", first))
    RecordService(a, DRAFT).save(draft(world.ctx, title="第二个问题"))
    second = _contents(world, world.export(a))
    reused = {**second.manifest, "package_id": first.manifest["package_id"]}
    path = _repack(world, "reused.xcpkg", second, manifest=reused, signer=a)
    assert _rejected(world, path) == "同一编号的工作包内容不同（可能被篡改或伪造），已拒绝"
    # With an id of its own the same package is imported.
    _imported(world, _repack(world, "own-id.xcpkg", second))


def test_a_package_already_imported_changes_nothing(world: World) -> None:
    path = _good_package(world)
    first = _imported(world, path)
    assert (first.new, first.updated) == (4, 0)
    before = dump(world.office)
    [again] = sync.import_packages(world.office, [path])
    assert (again.status, again.error) == ("already_imported", None)
    assert (again.new, again.updated, again.unchanged, again.conflicts) == (0, 0, 4, 0)
    assert dump(world.office) == before


@pytest.fixture
def other_office_package(world: World, tmp_path: Path) -> Path:
    """A first provisioning package from another office, with the code the laptop's user was given."""
    with Workspace.create(
        tmp_path / "另一个巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap()
    ) as other:
        make_context(other, ordinal=4)
        path = tmp_path / "other-office.xcpkg"
        sync.provision_package(other, path, code=CODE)
    return path


def test_a_provisioning_package_from_another_office_is_rejected(
    world: World, other_office_package: Path, tmp_path: Path
) -> None:
    a = world.fields[0]
    with a.engine.connect() as conn:
        office_before = conn.execute(sync_self.select()).one().provisioned_by
    before = dump(a)
    [report] = sync.import_packages(a, [other_office_package], code=CODE)
    assert (report.status, report.error) == ("rejected", "该配置包来自另一个巡察办，已拒绝")
    assert dump(a) == before
    with a.engine.connect() as conn:
        assert conn.execute(sync_self.select()).one().provisioned_by == office_before
    # A laptop that no office has provisioned yet takes the same package.
    with Workspace.create(tmp_path / "新电脑.xcdb", PASSPHRASE, kdf=KdfParams.cheap()) as fresh:
        [ok] = sync.import_packages(fresh, [other_office_package], code=CODE)
    assert ok.status == "imported", ok.error


# -- each revision ---------------------------------------------------------------------------------------
def _listed(world: World, name: str, contents: PackageContents, lines: list[dict[str, Any]]) -> Path:
    """The revisions in a package whose manifest lists them and is signed by the laptop."""
    return _repack(world, name, contents, revisions=lines, signer=world.fields[0], list_files=True)


def _short(lines: list[dict[str, Any]], record_type: str) -> str:
    return next(line["rev_id"][:12] for line in lines if line["record_type"] == record_type)


def test_a_revision_whose_id_does_not_fit_its_header_is_rejected(world: World) -> None:
    contents = _contents(world, _good_package(world))
    lines = _rewritten(world, contents, DRAFT.key, consistent=False, hlc="0000000000001-00000-forged00")
    path = _listed(world, "wrong-id.xcpkg", contents, lines)
    assert re.fullmatch(
        rf"问题底稿 \S+ 的修订 {_short(lines, DRAFT.key)} 的校验值不符，工作包可能被篡改，已拒绝",
        _rejected(world, path),
    )


def test_a_revision_whose_body_does_not_fit_its_hash_is_rejected(world: World) -> None:
    contents = _contents(world, _good_package(world))
    lines = _rewritten(world, contents, DRAFT.key, consistent=False, title="改过的标题")
    path = _listed(world, "wrong-body.xcpkg", contents, lines)
    assert re.fullmatch(
        rf"问题底稿 \S+ 的修订 {_short(lines, DRAFT.key)} 的校验值不符，工作包可能被篡改，已拒绝",
        _rejected(world, path),
    )


def test_a_revision_of_an_unknown_record_type_is_rejected(world: World) -> None:
    contents = _contents(world, _good_package(world))
    lines = _rewritten(world, contents, DRAFT.key, record_type="meeting")
    path = _listed(world, "unknown-type.xcpkg", contents, lines)
    assert _rejected(world, path) == "工作包含有未知的记录类型“meeting”，请升级软件"


def test_a_revision_by_an_unknown_author_is_rejected(world: World) -> None:
    contents = _contents(world, _good_package(world))
    lines = _rewritten(world, contents, DRAFT.key, origin_replica="7d0e6f1c-0000-4c1b-9a57-3f7e2b8d1c01")
    path = _listed(world, "unknown-author.xcpkg", contents, lines)
    assert re.fullmatch(
        rf"问题底稿 \S+ 的修订 {_short(lines, DRAFT.key)} 的作者身份未知，已拒绝", _rejected(world, path)
    )


# -- who sent it -------------------------------------------------------------------------------------------
def test_a_known_replica_presenting_another_key_is_rejected(world: World) -> None:
    _imported(world, _good_package(world))  # the office now knows the laptop's key
    RecordService(world.fields[0], DRAFT).save(draft(world.ctx, title="第二个问题"))
    contents = _contents(world, world.export(world.fields[0]))
    other = b64(Ed25519PrivateKey.generate().public_key().public_bytes_raw())
    replicas = [{**r, "sign_pubkey": other} for r in contents.manifest["replicas"]]
    manifest = {**contents.manifest, "replicas": replicas}
    path = _repack(world, "other-key.xcpkg", contents, manifest=manifest, signer=world.fields[0])
    assert _rejected(world, path) == "工作包中副本“组员1的工作库”的签名密钥与已知的不一致，已拒绝"
    unlabelled = {**manifest, "replicas": [{k: v for k, v in r.items() if k != "label"} for r in replicas]}
    path = _repack(world, "other-key-2.xcpkg", contents, manifest=unlabelled, signer=world.fields[0])
    rid = contents.manifest["sender"]["replica_id"]
    assert _rejected(world, path) == f"工作包中副本“{rid[:8]}”的签名密钥与已知的不一致，已拒绝"


def test_a_sender_without_a_known_key_is_rejected(world: World) -> None:
    contents = _contents(world, _good_package(world))
    sender = {**contents.manifest["sender"], "replica_id": "7d0e6f1c-0000-4c1b-9a57-3f7e2b8d1c01"}
    manifest = {**contents.manifest, "sender": sender, "replicas": []}
    path = _repack(world, "unknown-sender.xcpkg", contents, manifest=manifest, signer=world.fields[0])
    assert _rejected(world, path) == "工作包发送方身份未知，已拒绝"


def test_a_workspace_refuses_its_own_package_and_the_office_a_provisioning_package(world: World) -> None:
    a = world.fields[0]
    own = _good_package(world)
    before = dump(a)
    [report] = sync.import_packages(a, [own])
    assert (report.status, report.error) == ("rejected", "这是本工作库自己导出的工作包，无需导入")
    assert dump(a) == before
    update = world.package_path("office-update")
    sync.provision_package(world.office, update)
    before = dump(world.office)
    [report] = sync.import_packages(world.office, [update])
    assert (report.status, report.error) == ("rejected", "这是本工作库自己导出的工作包，无需导入")
    assert dump(world.office) == before


def test_a_wipe_notice_is_for_the_office_only(world: World) -> None:
    """Sent to the office alone; the same notice encrypted to another laptop is refused there."""
    a, b = world.fields[:2]
    notice = world.package_path("wipe")
    sync.wipe_notice(a, notice, {"label": "组员1的电脑", "user": "组员1", "revisions": 0})
    path = _repack(world, "wipe-to-laptop.xcpkg", _contents(world, notice), to=b)
    before = dump(b)
    [report] = sync.import_packages(b, [path])
    assert (report.status, report.error) == ("rejected", "清理通知只能导入巡察办工作库")
    assert dump(b) == before
    # The control: the office takes the same notice as it was sent.
    [report] = sync.import_packages(world.office, [notice])
    assert report.status == "imported", report.error


def test_an_office_refuses_a_provisioning_package(world: World, other_office_package: Path) -> None:
    contents = open_package(other_office_package, [], CODE)
    path = _repack(world, "provision-to-office.xcpkg", contents)
    assert _rejected(world, path) == "配置包只能导入巡察组的现场工作库"


def _replica(ws: Workspace, replica_id: str) -> Any:
    with ws.engine.connect() as conn:
        return conn.execute(select(sync_replica).where(sync_replica.c.replica_id == replica_id)).first()


def test_a_new_replica_is_pinned_with_its_label_role_and_keys(world: World) -> None:
    a = world.fields[0]
    _imported(world, _good_package(world))
    me = _replica(a, a.info.replica_id)
    pinned = _replica(world.office, a.info.replica_id)
    assert (pinned.label, pinned.role, pinned.is_self, pinned.revoked_at) == (
        "组员1的工作库",
        "field",
        False,
        None,
    )
    assert (bytes(pinned.sign_pubkey), bytes(pinned.box_pubkey)) == (
        bytes(me.sign_pubkey),
        bytes(me.box_pubkey),
    )


def test_every_replica_of_the_directory_is_pinned_whatever_comes_first(world: World) -> None:
    """A replica without a key and a replica already known come first: the laptop after them is still
    pinned (and the keyless one is not)."""
    first = _contents(world, _good_package(world))
    _imported(world, _repack(world, "first.xcpkg", first))
    b = world.fields[1]
    RecordService(b, DRAFT).save(draft(world.ctx, title="乙的问题"))
    second = _contents(world, world.export(b))
    keyless = {"replica_id": "7d0e6f1c-0000-4c1b-9a57-3f7e2b8d1c01", "role": "field", "label": "无密钥"}
    replicas = [keyless, *first.manifest["replicas"], *second.manifest["replicas"]]
    manifest = {**second.manifest, "replicas": replicas}
    _imported(world, _repack(world, "second.xcpkg", second, manifest=manifest, signer=b))
    assert _replica(world.office, b.info.replica_id).label == "组员2的工作库"
    assert _replica(world.office, keyless["replica_id"]) is None


def test_a_known_sender_needs_no_directory(world: World) -> None:
    a = world.fields[0]
    _imported(world, _good_package(world))
    RecordService(a, DRAFT).save(draft(world.ctx, title="第二个问题"))
    contents = _contents(world, world.export(a))
    bare = {k: v for k, v in contents.manifest.items() if k != "replicas"}
    report = _imported(world, _repack(world, "bare.xcpkg", contents, manifest=bare, signer=a))
    assert report.new == 1
