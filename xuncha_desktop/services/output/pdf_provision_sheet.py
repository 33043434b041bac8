"""巡察单机版配置单: the one page the office hands over with a group's first provisioning package — the
group, its members and their logins, the one-time 配置码 and the package's file name, signed by 经办人 and
领取人. Set like the other printed forms (GB/T 9704 page, the same fonts, grids and signature lines)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Spacer

from xuncha_desktop.services.output.output_files import OutputAudit, atomic_output
from xuncha_desktop.services.output.pdf_export import PdfResult
from xuncha_desktop.services.output.pdf_fonts import FontSet, Typesetter, load_fonts
from xuncha_desktop.services.output.pdf_layout import (
    BLANK_DATE,
    SIZE_2,
    TYPE_WIDTH,
    OfficialDocument,
    RecordStart,
    cn_date,
    make_styles,
)
from xuncha_desktop.services.output.pdf_stories import Kit, signature_lines
from xuncha_desktop.services.output.pdf_tables import label, value
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.sync.roster import GroupRoster
from xuncha_desktop.services.workspace import Workspace

TITLE = "巡察单机版配置单"
KIND = "provision_sheet"
NO_LOGIN = "（未设置登录名）"
STEPS = (
    "一、组员在本组电脑上新建工作库时，以本单所列本人的登录名作为用户名"
    "（命令行：xuncha-desktop init --db 工作库 --user 登录名）。",
    "二、在“文件 → 导入工作包”中选择上列配置包，按提示输入本单的配置码"
    "（命令行：xuncha-desktop import --db 工作库 --code 配置码 配置包）。",
    "三、配置码只对上列配置包有效，只显示、打印这一次：请与配置包分开传递，"
    "不要放在同一U盘中；配置完成后本单由领取人妥善保管或交回销毁。",
)


@dataclass(frozen=True)
class ProvisionSheet:
    """What the sheet says: the group's roster, the code, the package's file name and the day."""

    roster: GroupRoster
    code: str
    package_file: str
    day: date


def _code_style(fonts: FontSet) -> ParagraphStyle:
    return ParagraphStyle(
        "provision_code",
        fontName=fonts.heading.name,
        fontSize=SIZE_2,
        leading=SIZE_2 * 1.6,
        alignment=TA_CENTER,
        wordWrap="CJK",
    )


def sheet_story(kit: Kit, sheet: ProvisionSheet, fonts: FontSet) -> list[Flowable]:
    """The one page: heading facts, the code in large type, the members, the steps and the signatures."""
    kit.ts.record = TITLE
    choice = sheet.roster.choice
    w = TYPE_WIDTH
    story: list[Flowable] = [
        RecordStart(KIND, f"{choice.group_name} {TITLE}"),
        kit.line("巡察工作秘密", kit.st.marking),
        kit.line(TITLE, kit.st.title),
    ]
    head = kit.grid([w * 0.2, w * 0.3, w * 0.2, w * 0.3])
    head.row(label("巡察轮次"), value(choice.round_name), label("巡察组"), value(choice.group_name))
    head.row(label("配置包文件"), value(sheet.package_file, cols=3))
    head.row(label("一次性配置码"), value([kit.p(sheet.code, _code_style(fonts))], cols=3), height=48)
    head.row(
        label("生成日期"),
        value(cn_date(sheet.day)),
        label("组员人数"),
        value(f"{len(sheet.roster.members)} 人"),
    )
    story += [head.table(), Spacer(1, 12)]
    members = kit.grid([w * 0.1, w * 0.3, w * 0.25, w * 0.35])
    members.row(label("序号"), label("姓名"), label("组内职务"), label("登录名"))
    for n, m in enumerate(sheet.roster.members, start=1):
        members.row(
            value(str(n), align="center"),
            value(m.name, align="center"),
            value(m.role, align="center"),
            value(m.login or NO_LOGIN, align="center"),
        )
    if not sheet.roster.members:
        members.row(value("（本组名册中尚无组员）", cols=4, align="center"))
    story += [members.table(repeat_rows=1), Spacer(1, 12)]
    story += [kit.p(step, kit.st.cell) for step in STEPS]
    signed = kit.p(f"领取时间：{BLANK_DATE}", kit.st.cell_right)
    story.append(
        KeepTogether([Spacer(1, 12), signature_lines(kit, ["经办人", "领取人"]), Spacer(1, 8), signed])
    )
    return story


def write_provision_sheet(
    ws: Workspace, sheet: ProvisionSheet, target: Path, fonts: FontSet | None = None
) -> PdfResult:
    """The 配置单 written atomically to `target`, with its audit entry (the file's name, never the code)."""
    fonts = fonts or load_fonts()
    ts = Typesetter(fonts)
    kit = Kit(ts, make_styles(fonts), load_context_names(ws))
    audit = OutputAudit(ws, "print", KIND, records=1)
    with atomic_output(Path(target), audit) as part, open(part, "wb") as stream:
        doc = OfficialDocument(stream, title=TITLE, footer_mark="巡察工作秘密  注意保管", typesetter=ts)
        pages = doc.build_story(sheet_story(kit, sheet, fonts))
    return PdfResult(Path(target), pages, doc.record_count, (), tuple(fonts.describe()))
