"""roster_login: a laptop initialised for a roster member's login becomes that member's laptop on its first
provisioning import, keeps its passphrase and its records, and leaves one user with that login."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, interview, make_context
from tests.roster_helpers import GROUP_A, GROUP_B, new_laptop, new_office
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.plan_rules import check_plan
from xuncha_desktop.domain.record_types import INTERVIEW, USER
from xuncha_desktop.services import sync
from xuncha_desktop.services.plan.plan_snapshot import load_snapshot
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.security import roster_login
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.security.keys import open_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import keyfile_path, read_keyfile

CODE = "K7MX-3FRA-9TCH-WE4P"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An office with groups A and B, and group A's first provisioning package (slow: made once)."""
    root = tmp_path_factory.mktemp("roster")
    office, plan = new_office(root / "巡察办.xcdb")
    sync.provision_package(office, root / "A.xcpkg", group_id=plan.groups[GROUP_A].id, code=CODE)
    office.close()
    return root


@pytest.fixture
def root(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template, tmp_path / "w")
    return tmp_path / "w"


def _users(ws: Workspace, login: str, *, deleted: bool = False) -> list[User]:
    query = ListQuery(filters={"login": login}, deleted=deleted, limit=None)
    return RecordService[User](ws, USER).list(query)


def test_a_roster_login_becomes_the_members_laptop(root: Path) -> None:
    laptop = new_laptop(root / "李明.xcdb", "liming")
    local_id = laptop.user.id
    [report] = sync.import_packages(laptop, [root / "A.xcpkg"], code=CODE, passphrase=PASSPHRASE)
    assert report.status == "imported", report.error
    user = laptop.user
    assert (user.display_name, user.role, user.login) == ("李明", "组员", "liming")
    assert user.member_id and user.id != local_id
    assert "李明（组员）" in report.roster and GROUP_A in report.roster
    assert report.as_json()["roster"] == report.roster
    assert [u.id for u in _users(laptop, "liming")] == [user.id]
    assert [u.id for u in _users(laptop, "liming", deleted=True)] == [local_id]
    entries = AuditLog(laptop).list(AuditQuery(action="roster_login"))
    assert len(entries) == 1 and "李明" in entries[0].summary
    laptop.close()
    # The same passphrase signs in, as the roster's user, and only one slot is left for the login.
    again = Workspace.open(root / "李明.xcdb", PASSPHRASE, user_login="liming")
    assert again.user.id == user.id and again.slot_owner == user.id
    assert read_keyfile(keyfile_path(again.path)).owners() == {user.id}
    assert roster_login.roster_status(again).kind == roster_login.MEMBER_LAPTOP
    again.close()


def test_without_the_passphrase_the_next_sign_in_finishes_the_switch(root: Path) -> None:
    laptop = new_laptop(root / "张建国.xcdb", "zhangjg", role="组长")
    [report] = sync.import_packages(laptop, [root / "A.xcpkg"], code=CODE)
    assert report.status == "imported"
    assert roster_login.roster_status(laptop).needs_passphrase
    assert "请再次输入口令" in report.roster
    assert laptop.user.member_id == ""  # still the local user until then
    laptop.close()
    opened = open_workspace(root / "张建国.xcdb", PASSPHRASE)
    assert (opened.user.display_name, opened.user.role) == ("张建国", "组长") and opened.user.member_id
    assert len(_users(opened, "zhangjg")) == 1
    opened.close()


def test_a_login_outside_the_roster_keeps_its_local_user(root: Path) -> None:
    laptop = new_laptop(root / "孙丽.xcdb", "sunli")  # a member of group B, provisioned for group A
    before = laptop.user
    [report] = sync.import_packages(laptop, [root / "A.xcpkg"], code=CODE, passphrase=PASSPHRASE)
    assert report.status == "imported"
    assert laptop.user == before
    assert "不在巡察组" in report.roster and GROUP_A in report.roster and GROUP_B not in report.roster
    assert roster_login.roster_status(laptop).kind == roster_login.OUTSIDE
    laptop.close()


def test_a_wrong_passphrase_leaves_the_import_and_the_local_user(root: Path) -> None:
    laptop = new_laptop(root / "李明.xcdb", "liming")
    local = laptop.user
    [report] = sync.import_packages(laptop, [root / "A.xcpkg"], code=CODE, passphrase="不是这个口令")
    assert report.status == "imported"
    assert report.roster.startswith("口令不正确")
    assert laptop.user == local and read_keyfile(keyfile_path(laptop.path)).owners() == {local.id}
    laptop.close()


def test_a_switch_cut_short_after_the_new_slot_still_signs_in_and_is_finished(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = new_laptop(root / "李明.xcdb", "liming")

    def broken(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(roster_login, "_retire", broken)
    [report] = sync.import_packages(laptop, [root / "A.xcpkg"], code=CODE)  # imported; the switch waits
    assert report.status == "imported"
    with pytest.raises(OSError):
        roster_login.adopt_roster_user(laptop, PASSPHRASE)  # the new slot is written, the retiring fails
    laptop.close()
    monkeypatch.undo()
    opened = open_workspace(root / "李明.xcdb", PASSPHRASE, user_login="liming")
    assert opened.user.member_id and len(_users(opened, "liming")) == 1
    assert roster_login.roster_status(opened).kind == roster_login.MEMBER_LAPTOP
    opened.close()


def test_records_made_before_provisioning_reach_the_office_with_one_user(root: Path) -> None:
    laptop = new_laptop(root / "李明.xcdb", "liming")
    own = make_context(laptop)  # the laptop's own round and group, from before it was provisioned
    made = [
        RecordService(laptop, INTERVIEW).save(interview(own, interviewee_name=f"谈话对象{i}"))
        for i in range(3)
    ]
    [report] = sync.import_packages(laptop, [root / "A.xcpkg"], code=CODE, passphrase=PASSPHRASE)
    assert report.status == "imported"
    assert RecordService(laptop, INTERVIEW).count() == 3
    package = root / "李明-导出.xcpkg"
    sync.export_package(laptop, package)
    laptop.close()
    office = Workspace.open(root / "巡察办.xcdb", PASSPHRASE)
    [back] = sync.import_packages(office, [package])
    assert back.status == "imported", back.error
    names = {r.interviewee_name for r in RecordService(office, INTERVIEW).list(ListQuery(limit=None))}
    assert names == {m.interviewee_name for m in made}
    assert len(_users(office, "liming")) == 1
    with office.engine.connect() as conn:
        snapshot = load_snapshot(conn)
    assert not [p for p in check_plan(snapshot, set(snapshot.users)) if p.field == "login"]
    office.close()
