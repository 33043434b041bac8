"""sync.roster: the groups to provision by name, a group's members with their logins, and the 配置码."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tests.roster_helpers import GROUP_A, GROUP_B, ROUND_NAME, new_office
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.sync.reports import SyncError
from xuncha_desktop.services.sync.roster import (
    CODE_ALPHABET,
    RosterMember,
    group_roster,
    new_code,
    normal_code,
    package_file_name,
    provision_choices,
)


def test_a_new_code_is_four_groups_of_unambiguous_symbols() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", code)
        assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
    assert not set("0O1IL2Z5S8B") & set(CODE_ALPHABET)


def test_a_code_typed_loosely_is_read_as_shown_and_other_codes_stay() -> None:
    assert normal_code(" k7mx 3fra-9tch we4p ") == "K7MX-3FRA-9TCH-WE4P"
    assert normal_code("K7MX3FRA9TCHWE4P") == "K7MX-3FRA-9TCH-WE4P"
    assert normal_code(" 配置码-2025-0301 ") == "配置码-2025-0301"
    assert normal_code("abcd-efgh") == "abcd-efgh"


def test_choices_and_roster_by_name(tmp_path: Path) -> None:
    office, plan = new_office(tmp_path / "巡察办.xcdb")
    choices = provision_choices(office)
    assert [(c.round_name, c.group_name) for c in choices] == [(ROUND_NAME, GROUP_A), (ROUND_NAME, GROUP_B)]
    roster = group_roster(office, plan.groups[GROUP_A].id)
    assert roster.members == (
        RosterMember("张建国", "组长", "zhangjg"),
        RosterMember("李明", "组员", "liming"),
        RosterMember("王芳", "联络员", ""),
    )
    assert roster.without_login == ["王芳"]
    # A user switched off no longer gives its member a login.
    users = RecordService[User](office, USER)
    [liming] = users.list(ListQuery(filters={"login": "liming"}))
    users.save(User(**{**liming.__dict__, "active": False}))
    assert group_roster(office, plan.groups[GROUP_A].id).members[1].login == ""
    with pytest.raises(SyncError, match="找不到巡察组"):
        group_roster(office, "不存在")
    office.close()


def test_the_package_is_named_after_the_group_and_day(tmp_path: Path) -> None:
    office, plan = new_office(tmp_path / "巡察办.xcdb")
    roster = group_roster(office, plan.groups[GROUP_A].id)
    assert package_file_name(roster, date(2026, 12, 7)) == "县委第一巡察组-配置包-2026-12-07.xcpkg"
    office.close()
