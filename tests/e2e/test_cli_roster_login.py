"""Through the command line only: the office provisions group A of two; a laptop `init --user` with a
roster login becomes that member's on `import --code`; records made before provisioning reach the office."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, interview, make_context
from tests.roster_helpers import GROUP_A, new_office
from xuncha_desktop.cli import main
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

CODE = "K7MX-3FRA-9TCH-WE4P"


def stats(capsys: pytest.CaptureFixture[str], db: Path) -> dict:
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def count(figures: dict, key: str) -> int:
    return int(figures["counts"][key] if "counts" in figures else figures[key])


def test_a_roster_login_laptop_and_its_earlier_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XUNCHA_PASSPHRASE", PASSPHRASE)
    office_db = tmp_path / "巡察办.xcdb"
    office, plan = new_office(office_db)
    group_a = plan.groups[GROUP_A].id
    office.close()
    package = tmp_path / "A.xcpkg"
    assert (
        main(["provision", "--db", str(office_db), "--out", str(package), "--group", group_a, "--code", CODE])
        == 0
    )

    # Laptop 1: initialised for 李明's login, then provisioned: it is 李明's laptop, same passphrase.
    one = tmp_path / "李明.xcdb"
    assert main(["init", "--db", str(one), "--user", "liming", "--role", "组员"]) == 0
    capsys.readouterr()
    assert main(["import", "--db", str(one), "--code", CODE.lower(), str(package)]) == 0
    out = capsys.readouterr().out
    assert "名册中李明（组员）的电脑" in out
    # Every user of the office (its admin and the four members with logins), and no second liming.
    assert count(stats(capsys, one), "users") == 5
    with Workspace.open(one, PASSPHRASE, user_login="liming") as ws:
        assert (ws.user.display_name, ws.user.role) == ("李明", "组员") and ws.user.member_id

    # Laptop 2: 张建国 recorded talks before his laptop was provisioned; they all reach the office.
    two = tmp_path / "张建国.xcdb"
    assert main(["init", "--db", str(two), "--user", "zhangjg"]) == 0
    with Workspace.open(two, PASSPHRASE) as ws:
        own = make_context(ws)
        for n in range(3):
            RecordService(ws, INTERVIEW).save(interview(own, interviewee_name=f"谈话对象{n}"))
    assert main(["import", "--db", str(two), "--code", CODE, str(package)]) == 0
    with Workspace.open(two, PASSPHRASE, user_login="zhangjg") as ws:
        assert (ws.user.display_name, ws.user.role) == ("张建国", "组长")
        assert RecordService(ws, INTERVIEW).count() == 3
    back = tmp_path / "张建国-导出.xcpkg"
    assert main(["export", "--db", str(two), "--out", str(back)]) == 0
    assert main(["import", "--db", str(office_db), str(back)]) == 0
    figures = stats(capsys, office_db)
    assert count(figures, "interviews") == 3
    assert count(figures, "users") == 5  # the laptop's own zhangjg stayed behind, retired
