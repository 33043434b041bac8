"""pdf_provision_sheet: the one-page 巡察单机版配置单 with the group, its members, the code and the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.output_helpers import pdf_text
from tests.roster_helpers import GROUP_A, ROUND_NAME, new_office
from xuncha_desktop.services.output.pdf_fonts import FontSet
from xuncha_desktop.services.output.pdf_provision_sheet import ProvisionSheet, write_provision_sheet
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.sync.roster import group_roster

CODE = "K7MX-3FRA-9TCH-WE4P"


def test_the_sheet_is_one_page_with_everything_to_hand_over(tmp_path: Path, fonts: FontSet) -> None:
    office, plan = new_office(tmp_path / "巡察办.xcdb")
    sheet = ProvisionSheet(
        group_roster(office, plan.groups[GROUP_A].id),
        CODE,
        "县委第一巡察组-配置包-2026-12-07.xcpkg",
        date(2026, 12, 7),
    )
    target = tmp_path / "配置单.pdf"
    result = write_provision_sheet(office, sheet, target, fonts)
    assert result.pages == 1 and target.is_file()
    text = pdf_text(target)
    flat = "".join(text.split())
    for expected in ("巡察单机版配置单", ROUND_NAME, GROUP_A, CODE, "县委第一巡察组-配置包-2026-12-07.xcpkg"):
        assert expected in flat, expected
    for expected in ("张建国", "组长", "zhangjg", "李明", "liming", "王芳", "联络员", "未设置登录名"):
        assert expected in flat, expected
    assert "2026年12月7日" in flat and "经办人签名" in flat and "领取人签名" in flat
    # Audited as a print by its file name; the code itself is never written to the log.
    [entry] = AuditLog(office).list(AuditQuery(action="print"))
    assert "配置单.pdf" in entry.summary and "巡察单机版配置单" in entry.summary
    assert CODE not in str(entry)
    office.close()
