"""audit_text: stored values, sign-off steps and events as the audit viewer shows them, in one line each."""

from __future__ import annotations

from xuncha_desktop.services.security.audit_text import EMPTY, SHORT, event_summary, short, value_text


def test_values_as_people_read_them() -> None:
    assert value_text(None) == value_text("") == value_text([]) == value_text({}) == EMPTY
    assert (value_text(True), value_text(False)) == ("是", "否")
    assert value_text(["甲", "乙"]) == "甲、乙"
    assert value_text({"姓名": "李", "职务": None}) == f"姓名：李，职务：{EMPTY}"
    signoff = {"step": "复核通过", "by": "陈立", "role": "副组长", "at": "2025-03-11", "opinion": "同意"}
    assert value_text(signoff) == "复核通过（陈立，副组长，2025-03-11）：同意"
    assert value_text([signoff, {"step": "退回修改", "by": "张"}]) == (
        "复核通过（陈立，副组长，2025-03-11）：同意；退回修改（张）"
    )
    assert value_text(3) == "3"


def test_short_collapses_spaces_and_cuts_with_an_ellipsis() -> None:
    assert short("甲  乙\n丙") == "甲 乙 丙"
    assert short("字" * SHORT) == "字" * SHORT
    assert short("字" * (SHORT + 1)) == "字" * (SHORT - 1) + "…"


def test_events_in_one_line() -> None:
    assert event_summary("passphrase", {}) == "修改了本工作库的口令"
    assert event_summary("init", {"role": "office"}) == "建立巡察办工作库"
    assert event_summary("ledger", {"kind": "lead", "records": 3, "file": "台账.xlsx"}) == (
        "导出问题线索台账（3 条记录）：“台账.xlsx”"
    )
