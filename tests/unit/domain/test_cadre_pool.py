"""The 人才库 entry's own checks."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha_desktop.domain.cadre_pool import CADRE_STATUSES, SPECIALITIES, Cadre, validate_cadre
from xuncha_desktop.domain.errors import FieldError

TODAY = date(2025, 6, 1)
GOOD = Cadre(
    name="张建国",
    gender="男",
    birth_month="1978-05",
    home_unit="清河县审计局",
    earlier_units=["清河县财政局"],
    specialities=["财务", "审计"],
)


def test_a_complete_entry_is_valid() -> None:
    assert validate_cadre(GOOD, TODAY) == []
    assert validate_cadre(Cadre(name="李明"), TODAY) == []  # only the name is required
    assert CADRE_STATUSES[0] == "在库" and "财务" in SPECIALITIES


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": " "}, FieldError("name", "请填写姓名")),
        ({"name": "张" * 21}, FieldError("name", "姓名不能超过20个字（现有21个字）")),
        ({"gender": "未知"}, FieldError("gender", "性别“未知”不在可选范围内（男、女）")),
        ({"birth_month": "1978/5"}, FieldError("birth_month", "出生年月应写作“年-月”，例如 1975-03")),
        ({"specialities": ["财务", "炒股"]}, FieldError("specialities", "专长含有无效选项：炒股")),
        ({"status": ""}, FieldError("status", "状态“”不在可选范围内（在库、暂停、退出）")),
        (
            {"status": "暂停", "status_reason": " "},
            FieldError("status_reason", "人员状态为“暂停”时请填写状态说明（原因）"),
        ),
    ],
)
def test_each_check_names_its_field(changes: dict[str, object], error: FieldError) -> None:
    values = {**GOOD.__dict__, **changes}
    assert validate_cadre(Cadre(**values), TODAY) == [error]  # type: ignore[arg-type]


def test_political_status_must_be_one_of_the_list() -> None:
    [error] = validate_cadre(Cadre(name="李明", political_status="党员"), TODAY)
    assert error.field == "political_status"


def test_a_cadre_who_left_with_a_reason_is_valid() -> None:
    assert validate_cadre(Cadre(name="李明", status="退出", status_reason="已退休"), TODAY) == []
