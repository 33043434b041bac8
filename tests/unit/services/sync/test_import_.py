"""Field packages and the office merge: nothing lost, nothing duplicated, every conflict shown."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import zipfile
from pathlib import Path

import pyrage
import pytest

from tests.builders import PASSPHRASE, draft, interview, lead
from tests.sync_helpers import World, dump
from xuncha_desktop.domain.codec import canonical_json
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.services import sync
from xuncha_desktop.services.packages import open_package
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.conflicts import KEEP_BOTH, ConflictService
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.sync import import_, import_undo
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.revisions import signing_key


def drafts(ws: Workspace) -> RecordService:
    return RecordService(ws, DRAFT)


def test_export_import_reaches_the_office(world: World) -> None:
    a = world.fields[0]
    saved = drafts(a).save(draft(world.ctx))
    AttachmentService(a).add("draft", saved.id, "凭证.txt", "会计凭证".encode())
    [report] = sync.import_packages(world.office, [world.export(a)])
    assert (report.status, report.new, report.conflicts) == ("imported", 3, 0)  # its user, draft, attachment
    at_office = drafts(world.office).get(saved.id)
    assert at_office.number == saved.number and at_office.title == saved.title
    [att] = AttachmentService(world.office).of_record("draft", saved.id)
    assert AttachmentService(world.office).data(att.sha256) == "会计凭证".encode()


def test_importing_twice_changes_nothing(world: World) -> None:
    a = world.fields[0]
    drafts(a).save(draft(world.ctx))
    package = world.export(a)
    sync.import_packages(world.office, [package])
    before = dump(world.office)
    [again] = sync.import_packages(world.office, [package])
    assert again.status == "already_imported" and again.new == again.updated == 0
    assert dump(world.office) == before


def test_member_package_opens_for_group_leader(world: World) -> None:
    a, leader = world.fields[:2]
    saved = drafts(a).save(draft(world.ctx))
    [report] = sync.import_packages(leader, [world.export(a)])
    assert report.status == "imported"
    assert drafts(leader).get(saved.id).title == saved.title
    # The leader relays it on to the office.
    sync.import_packages(world.office, [world.export(leader)])
    assert drafts(world.office).get(saved.id).title == saved.title


def test_order_of_packages_does_not_matter(world: World, world_template: Path, tmp_path: Path) -> None:
    a, b = world.fields[:2]
    da = drafts(a).save(draft(world.ctx, title="A"))
    db = drafts(b).save(draft(world.ctx, title="B"))
    packages = [world.export(a)]
    sync.import_packages(b, packages)
    drafts(b).save(dataclasses.replace(drafts(b).get(da.id), suggestion="B补充的建议"))
    drafts(b).delete(db.id)
    packages.append(world.export(b))
    drafts(a).save(dataclasses.replace(da, basis="A补充的依据"))
    packages.append(world.export(a))
    states = []
    for order in ([0, 1, 2], [2, 0, 1], [1, 2, 0, 1, 2]):
        office_dir = tmp_path / ("office" + "".join(map(str, order)))
        office_dir.mkdir()
        for name in ("巡察办.xcdb", "巡察办.xcdb.key"):
            shutil.copy(world_template / name, office_dir / name)
        with Workspace.open(office_dir / "巡察办.xcdb", PASSPHRASE) as office:
            reports = sync.import_packages(office, [packages[i] for i in order])
            assert {r.status for r in reports} <= {"imported", "already_imported"}
            merged = drafts(office).get(da.id)
            assert (merged.suggestion, merged.basis) == ("B补充的建议", "A补充的依据")
            assert drafts(office).get(db.id).meta.deleted
            states.append(dump(office))
    assert states[0] == states[1] == states[2]


def _concurrent_edit(world: World, edit_a: dict, edit_b: dict):
    a, b = world.fields[:2]
    base = drafts(a).save(draft(world.ctx))
    sync.import_packages(b, [world.export(a)])
    drafts(a).save(dataclasses.replace(base, **edit_a))
    drafts(b).save(dataclasses.replace(drafts(b).get(base.id), **edit_b))
    reports = sync.import_packages(world.office, [world.export(a), world.export(b)])
    assert all(r.status == "imported" for r in reports), reports
    return base


def test_different_fields_merge_without_hard_conflict(world: World) -> None:
    base = _concurrent_edit(world, {"suggestion": "建议甲"}, {"basis": "依据乙"})
    merged = drafts(world.office).get(base.id)
    assert (merged.suggestion, merged.basis) == ("建议甲", "依据乙")
    [conflict] = ConflictService(world.office).list_open()
    assert conflict.kind == "soft"


def test_same_field_becomes_a_hard_conflict_and_is_resolved(world: World) -> None:
    base = _concurrent_edit(world, {"title": "标题甲"}, {"title": "标题乙"})
    service = ConflictService(world.office)
    [conflict] = service.list_open()
    assert conflict.kind == "hard" and "title" in conflict.fields
    detail = service.detail(conflict.id)
    assert {s.body["title"] for s in detail.sides} == {"标题甲", "标题乙"}
    assert detail.base is not None and detail.base["title"] == base.title
    with pytest.raises(XunchaError, match="请为以下字段选择"):
        service.resolve(conflict.id, {})
    service.resolve(conflict.id, {"title": "标题乙"})
    assert service.list_open() == []
    assert drafts(world.office).get(base.id).title == "标题乙"


def test_keep_both_texts(world: World) -> None:
    base = _concurrent_edit(world, {"description": "甲的事实"}, {"description": "乙的事实"})
    service = ConflictService(world.office)
    [conflict] = service.list_open()
    service.resolve(conflict.id, {"description": KEEP_BOTH})
    text = drafts(world.office).get(base.id).description
    assert "甲的事实" in text and "乙的事实" in text and "组员1" in text


def test_resolution_travels_back_to_the_laptops(world: World) -> None:
    base = _concurrent_edit(world, {"title": "标题甲"}, {"title": "标题乙"})
    service = ConflictService(world.office)
    service.resolve(service.list_open()[0].id, {"title": "办定标题"})
    update = world.package_path("office-update")
    sync.provision_package(world.office, update)
    a, b = world.fields[:2]
    sync.import_packages(a, [world.export(b)])  # a first sees the conflict itself
    assert ConflictService(a).count_open() == 1
    sync.import_packages(a, [update])
    assert ConflictService(a).count_open() == 0
    assert drafts(a).get(base.id).title == "办定标题"


def test_delete_against_edit_is_a_conflict_not_a_silent_delete(world: World) -> None:
    a, b = world.fields[:2]
    base = drafts(a).save(draft(world.ctx))
    sync.import_packages(b, [world.export(a)])
    drafts(a).delete(base.id)
    drafts(b).save(dataclasses.replace(drafts(b).get(base.id), title="乙修改后"))
    sync.import_packages(world.office, [world.export(a), world.export(b)])
    shown = drafts(world.office).get(base.id)
    assert not shown.meta.deleted and shown.title == "乙修改后"
    service = ConflictService(world.office)
    [conflict] = service.list_open()
    assert conflict.kind == "delete_edit"
    service.resolve(conflict.id, delete=True)
    assert drafts(world.office).get(base.id).meta.deleted


def test_cloned_workspace_is_detected(world: World, tmp_path: Path) -> None:
    a = world.fields[0]
    drafts(a).save(draft(world.ctx))
    sync.import_packages(world.office, [world.export(a)])
    a.close()
    clone_path = tmp_path / "copy.xcdb"
    shutil.copy(a.path, clone_path)
    shutil.copy(Path(f"{a.path}.key"), Path(f"{clone_path}.key"))
    original = Workspace.open(a.path, PASSPHRASE)
    clone = Workspace.open(clone_path, PASSPHRASE)
    try:
        drafts(original).save(draft(world.ctx, title="原机新增"))
        drafts(clone).save(draft(world.ctx, title="复制机新增"))
        first, second = sync.import_packages(world.office, [world.export(original), world.export(clone)])
        assert first.status == "imported"
        assert second.status == "rejected" and "检测到复制的工作库" in second.error
        [own] = sync.import_packages(original, [world.export(clone)])
        assert own.status == "rejected" and "复制的工作库" in own.error
    finally:
        original.close()
        clone.close()
        world.fields[0] = Workspace.open(a.path, PASSPHRASE)


def test_duplicate_numbers_from_two_laptops_become_identity_conflicts(world: World) -> None:
    a, b = world.fields[:2]
    da = drafts(a).save(draft(world.ctx, title="甲的问题"))
    db = drafts(b).save(draft(world.ctx, title="乙的问题"))
    assert da.number == db.number
    sync.import_packages(world.office, [world.export(a), world.export(b)])
    service = ConflictService(world.office)
    identity = [c for c in service.list_open() if c.kind == "identity"]
    assert len(identity) == 2
    new_number = service.renumber(identity[0].id)
    assert new_number.endswith("-002")
    assert service.list_open() == []


def test_dry_run_reports_and_writes_nothing(world: World) -> None:
    a = world.fields[0]
    drafts(a).save(draft(world.ctx))
    package = world.export(a)
    before = dump(world.office)
    [preview] = sync.import_packages(world.office, [package], dry_run=True)
    assert (preview.status, preview.new) == ("imported", 2)  # the laptop's user and the draft
    assert dump(world.office) == before
    [real] = sync.import_packages(world.office, [package])
    assert real.status == "imported" and real.new == preview.new


def test_undo_journal_kept_instead_of_a_whole_copy(world: World) -> None:
    """The safety copy of an import is its undo journal (services.sync.import_undo), not a backup."""
    a = world.fields[0]
    drafts(a).save(draft(world.ctx))
    folder = world.office.path.parent / "备份"
    sync.import_packages(world.office, [world.export(a)])
    assert not list(folder.glob("巡察办.*.xcdb"))
    assert len(list(folder.glob("巡察办.导入撤销-*.xcundo"))) == 1
    import_undo.undo_last_import(world.office)
    assert drafts(world.office).count() == 0


# -- bad input ---------------------------------------------------------------------------------------
def _good_package(world: World) -> Path:
    a = world.fields[0]
    drafts(a).save(draft(world.ctx))
    RecordService(a, LEAD).save(lead(world.ctx))
    return world.export(a)


def _rezip(world: World, entries: dict[str, bytes], name: str) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in entries.items():
            zf.writestr(n, data)
    office_recipient = sync.identities(world.office)[0]
    encrypted = pyrage.encrypt(
        buffer.getvalue(), [pyrage.x25519.Identity.from_str(office_recipient).to_public()]
    )
    path = world.root / name
    path.write_bytes(encrypted)
    return path


def _bad_inputs(world: World, good: Path, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    data = good.read_bytes()
    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 0x01
    out = {
        "truncated": (data[: len(data) - 200], "损坏"),
        "flipped": (bytes(flipped), "损坏"),
        "random": (b"not a package at all", "不是本系统的工作包"),
        "plain_zip": (b"PK\x03\x04rest", "未加密的压缩文件"),
        "sqlite": (b"SQLite format 3\x00" + b"\x00" * 100, "SQLite"),
        "empty": (b"", "空文件"),
    }
    paths = {}
    for name, (content, reason) in out.items():
        p = tmp_path / f"{name}.xcpkg"
        p.write_bytes(content)
        paths[name] = (p, reason)
    # Encrypted for another office.
    other = pyrage.x25519.Identity.generate().to_public()
    p = tmp_path / "foreign.xcpkg"
    p.write_bytes(pyrage.encrypt(b"whatever", [other]))
    paths["foreign"] = (p, "不是发给本工作库")
    # Well encrypted but hostile or inconsistent contents.
    contents = open_package(good, sync.identities(world.office))
    paths["dotdot"] = (
        _rezip(
            world,
            {
                "../evil.txt": b"x",
                "manifest.json": contents.manifest_bytes,
                "manifest.sig": contents.signature,
            },
            "dotdot.xcpkg",
        ),
        "不允许的路径",
    )
    bomb = b"\x00" * (50 * 1024 * 1024)
    paths["bomb"] = (
        _rezip(
            world,
            {"blobs/00/" + "0" * 64 + ".bin": bomb, "manifest.json": b"{}", "manifest.sig": b""},
            "bomb.xcpkg",
        ),
        "压缩炸弹",
    )
    newer = contents.manifest_bytes.replace(b'"format_version":1', b'"format_version":9')
    paths["newer_format"] = (
        _rezip(world, {"manifest.json": newer, "manifest.sig": contents.signature}, "newer.xcpkg"),
        "更新版本",
    )
    return paths


def test_every_bad_package_is_rejected_with_a_reason_and_changes_nothing(
    world: World, tmp_path: Path
) -> None:
    good = _good_package(world)
    sync.import_packages(world.office, [world.export(world.fields[1])])
    before = dump(world.office)
    for name, (path, reason) in _bad_inputs(world, good, tmp_path).items():
        [report] = sync.import_packages(world.office, [path])
        assert report.status == "rejected", name
        assert reason in report.error, (name, report.error)
        assert dump(world.office) == before, name
    [ok] = sync.import_packages(world.office, [good])
    assert ok.status == "imported"


def test_forged_signature_is_rejected(world: World, tmp_path: Path) -> None:
    """Every file kept and listed with its right hash: only the manifest's signature can tell."""
    good = _good_package(world)
    contents = open_package(good, sync.identities(world.office))
    manifest = {**contents.manifest, "created_at": "2020-01-01T00:00:00+08:00"}
    forged = canonical_json(manifest).encode("utf-8")
    lines = "".join(canonical_json(r) + "\n" for r in contents.revisions).encode("utf-8")
    assert [f["path"] for f in manifest["files"]] == ["revisions/000001.jsonl"]
    entries = {"manifest.json": forged, "manifest.sig": contents.signature, "revisions/000001.jsonl": lines}
    path = _rezip(world, entries, "forged.xcpkg")
    before = dump(world.office)
    [report] = sync.import_packages(world.office, [path])
    assert (report.status, report.error) == ("rejected", "工作包清单的签名无效，已拒绝")
    assert dump(world.office) == before


def test_failure_midway_leaves_workspace_unchanged(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    a = world.fields[0]
    for i in range(3):
        drafts(a).save(draft(world.ctx, title=f"问题{i}"))
    package = world.export(a)
    before = dump(world.office)
    calls = {"n": 0}
    real = import_.rematerialize_many

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("磁盘已满")
        return real(*args, **kwargs)

    monkeypatch.setattr(import_, "rematerialize_many", failing)
    with pytest.raises(RuntimeError):
        sync.import_packages(world.office, [package])
    assert dump(world.office) == before


def test_search_finds_imported_records(world: World) -> None:
    a = world.fields[0]
    RecordService(a, INTERVIEW).save(interview(world.ctx, content="反映小金库问题"))
    sync.import_packages(world.office, [world.export(a)])
    assert RecordService(world.office, INTERVIEW).count(ListQuery(search="小金库")) == 1


def test_package_from_a_newer_schema_is_refused(world: World, tmp_path: Path) -> None:
    """Properly signed by the laptop, but written by a newer version that this reader cannot import."""
    good = _good_package(world)
    contents = open_package(good, sync.identities(world.office))
    manifest = json.loads(contents.manifest_bytes)
    manifest["schema_version"] = manifest["min_reader_schema_version"] = 99
    manifest_bytes = canonical_json(manifest).encode("utf-8")
    lines = "".join(canonical_json(r) + "\n" for r in contents.revisions)
    entries = {
        "manifest.json": manifest_bytes,
        "manifest.sig": signing_key(world.fields[0].engine).sign(manifest_bytes),
        # Package lines are canonical JSON, so re-encoding them gives the bytes the manifest lists.
        "revisions/000001.jsonl": lines.encode("utf-8"),
    }
    path = _rezip(world, entries, "newer-schema.xcpkg")
    before = dump(world.office)
    [report] = sync.import_packages(world.office, [path])
    assert report.status == "rejected" and "更新版本" in report.error
    assert dump(world.office) == before


def test_office_names_each_laptop_in_conflicts(world: World) -> None:
    _concurrent_edit(world, {"title": "标题甲"}, {"title": "标题乙"})
    service = ConflictService(world.office)
    detail = service.detail(service.list_open()[0].id)
    assert {s.replica_label for s in detail.sides} == {"组员1的工作库", "组员2的工作库"}


def test_a_lead_conflict_hides_the_reporter_from_those_who_may_not_see_it(world: World) -> None:
    a, b = world.fields[:2]
    for laptop in (a, b):  # the 组长 and 副组长 may change the reporter's contact; others cannot
        laptop.user = dataclasses.replace(laptop.user, role="组长")
    leads_a = RecordService(a, LEAD)
    base = leads_a.save(lead(world.ctx, registered_by="李明", reporter_name="周某某", reporter_contact="138"))
    sync.import_packages(b, [world.export(a)])
    leads_a.save(dataclasses.replace(base, reporter_contact="电话甲"))
    leads_b = RecordService(b, LEAD)
    leads_b.save(dataclasses.replace(leads_b.stored(base.id), reporter_contact="电话乙"))
    sync.import_packages(world.office, [world.export(a), world.export(b)])
    service = ConflictService(world.office)
    [conflict] = service.list_open()
    assert {s.body["reporter_contact"] for s in service.detail(conflict.id).sides} == {"电话甲", "电话乙"}

    world.office.user = dataclasses.replace(world.office.user, role="组员", display_name="王芳", login="wf")
    detail = service.detail(conflict.id)
    shown = [detail.result, *(s.body for s in detail.sides), detail.base or {}]
    assert all(body["reporter_name"] == "已隐藏" and body["reporter_contact"] == "已隐藏" for body in shown)
    with pytest.raises(XunchaError, match="须由组长、副组长或登记人处理"):
        service.resolve(conflict.id, {"reporter_contact": "已隐藏"})
    assert service.count_open() == 1


def test_a_petition_conflict_on_its_reporter_is_refused_naming_the_petition(world: World) -> None:
    """The same guard as a lead's, and the refusal says 信访件, not 线索."""
    from tests.builders import petition
    from xuncha_desktop.domain.record_types import PETITION

    a, b = world.fields[:2]
    for laptop in (a, b):
        laptop.user = dataclasses.replace(laptop.user, role="组长")
    on_a = RecordService(a, PETITION)
    base = on_a.save(
        petition(world.ctx, registered_by="李明", reporter_name="周某某", reporter_contact="138")
    )
    sync.import_packages(b, [world.export(a)])
    on_a.save(dataclasses.replace(base, reporter_contact="电话甲"))
    on_b = RecordService(b, PETITION)
    on_b.save(dataclasses.replace(on_b.stored(base.id), reporter_contact="电话乙"))
    sync.import_packages(world.office, [world.export(a), world.export(b)])
    service = ConflictService(world.office)
    [conflict] = service.list_open()
    assert conflict.record_type == "petition"
    world.office.user = dataclasses.replace(world.office.user, role="组员", display_name="王芳", login="wf")
    assert all(s.body["reporter_contact"] == "已隐藏" for s in service.detail(conflict.id).sides)
    with pytest.raises(XunchaError) as refused:
        service.resolve(conflict.id, {"reporter_contact": "已隐藏"})
    assert str(refused.value) == "这个信访件的冲突涉及反映人信息，须由组长、副组长或登记人处理"
    assert service.count_open() == 1


def test_petitions_travel_and_merge_like_every_record(world: World) -> None:
    """信访件 through the registry: a disposal with its lead and link reaches the office; two laptops
    changing different fields of one petition merge on their own (a soft conflict to confirm)."""
    from tests.builders import petition
    from xuncha_desktop.domain.record_types import PETITION
    from xuncha_desktop.services.records.links import LinkService
    from xuncha_desktop.services.records.petition_disposal import PetitionDisposal

    a, b = world.fields[:2]
    saved = RecordService(a, PETITION).save(petition(world.ctx))
    done = PetitionDisposal(a).dispose(saved.id, "转为问题线索")
    [report] = sync.import_packages(world.office, [world.export(a)])
    assert report.status == "imported" and report.conflicts == 0
    office_petition = RecordService(world.office, PETITION).get(saved.id)
    assert (office_petition.number, office_petition.disposal) == (saved.number, "转为问题线索")
    assert RecordService(world.office, LEAD).get(done.created_id).summary == saved.summary
    assert [x.record_id for x in LinkService(world.office).linked("lead", done.created_id)] == [saved.id]
    sync.import_packages(b, [world.export(a)])
    on_b = RecordService(b, PETITION).get(saved.id)
    RecordService(b, PETITION).save(dataclasses.replace(on_b, subject_unit="清河县财政局"))
    on_a = RecordService(a, PETITION).get(saved.id)
    RecordService(a, PETITION).save(dataclasses.replace(on_a, summary="补充：涉及两笔资金。"))
    sync.import_packages(world.office, [world.export(b), world.export(a)])
    [soft] = ConflictService(world.office).list_open()  # merged, only to be confirmed (自动合并待确认)
    assert (soft.record_type, soft.kind) == ("petition", "soft")
    assert set(soft.fields) == {"subject_unit", "summary"}
    merged = RecordService(world.office, PETITION).get(saved.id)
    assert (merged.subject_unit, merged.summary) == ("清河县财政局", "补充：涉及两笔资金。")
