"""The 党组织名录 entry's own checks."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.party_organizations import PartyOrganization, validate_party_organization

TODAY = date(2025, 6, 1)


def test_a_complete_entry_is_valid() -> None:
    org = PartyOrganization(id="o1", name="中共清河县财政局党组", kind="县直部门", parent_id="p1")
    assert validate_party_organization(org, TODAY) == []
    merged = PartyOrganization(name="原粮食局党组", active=False, retired_reason="2024年并入发改局")
    assert validate_party_organization(merged, TODAY) == []


@pytest.mark.parametrize(
    ("org", "error"),
    [
        (PartyOrganization(name=""), FieldError("name", "请填写党组织名称")),
        (PartyOrganization(name="党" * 61), FieldError("name", "党组织名称不能超过60个字（现有61个字）")),
        (
            PartyOrganization(name="城关镇党委", kind="乡镇"),
            FieldError(
                "kind",
                "单位类型“乡镇”不在可选范围内（县直部门、乡镇(街道)、村(社区)、国有企业、学校、医院、其他）",
            ),
        ),
        (
            PartyOrganization(name="城关镇党委", kind=""),
            FieldError(
                "kind",
                "单位类型“”不在可选范围内（县直部门、乡镇(街道)、村(社区)、国有企业、学校、医院、其他）",
            ),
        ),
        (
            PartyOrganization(id="o1", name="城关镇党委", parent_id="o1"),
            FieldError("parent_id", "上级党组织不能是其自身"),
        ),
        (
            PartyOrganization(name="原粮食局党组", active=False, retired_reason=" "),
            FieldError("retired_reason", "请填写撤并说明（何时因何撤销或合并）"),
        ),
    ],
)
def test_each_check_names_its_field(org: PartyOrganization, error: FieldError) -> None:
    assert validate_party_organization(org, TODAY) == [error]


def test_a_new_entry_without_id_is_not_its_own_parent() -> None:
    assert validate_party_organization(PartyOrganization(name="城关镇党委", parent_id=""), TODAY) == []
