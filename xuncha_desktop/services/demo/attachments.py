"""Small real files for the demo's attachments: 'scanned' pages drawn with Pillow and a 调阅资料清单 text."""

from __future__ import annotations

import functools
import io
import random
from dataclasses import dataclass
from typing import Any

from xuncha_desktop.paths import resource_path

FONT_FILE = ("resources", "fonts", "wqy-microhei.ttc")
_SCANS = (
    ("会计凭证", ("摘要", "科目", "金额（元）"), ("加班补助", "其他工资福利支出", "{a}"), "财务专用章"),
    ("支出审批单", ("事由", "经办人", "审批人"), ("办公用品采购", "{p}", "{q}"), "财务专用章"),
    ("会议记录", ("时间", "地点", "主持人"), ("{d}", "三楼会议室", "{q}"), ""),
    ("津补贴发放明细表", ("姓名", "月份", "金额（元）"), ("{p}", "{m}月", "{a}"), "单位公章"),
    (
        "工程结算审批表",
        ("项目", "施工单位", "结算金额（元）"),
        ("道路硬化工程", "清河县某建筑公司", "{a}"),
        "单位公章",
    ),
)


@dataclass(frozen=True)
class DemoFile:
    file_name: str
    data: bytes
    mime: str
    note: str
    unit: str  # the unit (short name) the file comes from


@functools.cache
def _font(size: int) -> Any:
    from PIL import ImageFont

    path = resource_path(*FONT_FILE)
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return None


def scan_png(rng: random.Random, unit: str, kind: int, page: int) -> DemoFile:
    """A grey 'photocopy' of a voucher, form or minutes page of `unit`, with a red seal where one belongs."""
    from PIL import Image, ImageDraw

    title, heads, row, seal = _SCANS[kind % len(_SCANS)]
    width, height = 600, 820
    img = Image.new("RGB", (width, height), (244, 243, 238))
    draw = ImageDraw.Draw(img)
    big, small = _font(26), _font(17)
    names = ("王建国", "李秀英", "张伟", "刘海涛", "陈晓明")
    values = {
        "a": f"{rng.randint(3, 90) * 100:,}.00",
        "p": rng.choice(names),
        "q": rng.choice(names),
        "d": f"2024年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        "m": str(rng.randint(1, 12)),
    }
    top = 60
    if big is not None:
        draw.text((width // 2, top), f"{unit}{title}", font=big, fill=(40, 40, 40), anchor="mm")
        draw.text((width - 40, top + 40), f"第 {page} 页", font=small, fill=(60, 60, 60), anchor="rm")
    else:
        draw.rectangle((150, top - 12, 450, top + 12), fill=(70, 70, 70))
    left, col = 40, (width - 80) // 3
    for r in range(9):
        y = top + 80 + r * 48
        draw.line((left, y, width - 40, y), fill=(90, 90, 90), width=1)
        if r == 8:  # the bottom rule of the table
            break
        cells = heads if r == 0 else [c.format_map(values) for c in row] if r == 1 else ()
        for c in range(3):
            x = left + c * col + 10
            if c < len(cells) and small is not None:
                draw.text((x, y + 14), cells[c], font=small, fill=(30, 30, 30))
            elif r > 1 and rng.random() < 0.7:  # handwriting-like strokes on the other rows
                draw.line(
                    (x, y + 26, x + rng.randint(40, col - 30), y + 24 + rng.randint(-3, 3)), fill=(60, 60, 90)
                )
    for c in range(4):
        x = left + c * col
        draw.line((x, top + 80, x, top + 80 + 8 * 48), fill=(90, 90, 90), width=1)
    if seal:
        cx, cy = width - 150, height - 150
        draw.ellipse((cx - 60, cy - 60, cx + 60, cy + 60), outline=(200, 40, 40), width=4)
        if small is not None:
            draw.text((cx, cy), seal, font=small, fill=(200, 40, 40), anchor="mm")
    for _ in range(300):  # copier specks
        x, y = rng.randrange(width), rng.randrange(height)
        draw.point((x, y), fill=(150, 150, 150))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    name = f"{unit}{title}扫描件（第{page}页）.png"
    return DemoFile(name, out.getvalue(), "image/png", f"{title}复印件扫描", unit)


_MATERIALS = (
    ("{year}年会计凭证", "册", 3, 24),
    ("{year}年党组织会议记录", "本", 1, 3),
    ("中心组学习记录", "本", 1, 2),
    ("“三重一大”事项决策资料", "份", 5, 30),
    ("工程项目招投标及合同资料", "套", 2, 12),
    ("公务接待审批单及清单", "份", 10, 80),
    ("干部任免会议纪要及纪实材料", "份", 3, 15),
    ("上轮巡察整改台账", "份", 1, 3),
    ("固定资产台账", "本", 1, 2),
    ("信访件登记簿", "本", 1, 2),
)


def material_list_txt(rng: random.Random, unit: str, group: str, day: str) -> DemoFile:
    """调阅资料清单: what the group borrowed from the unit, to be returned after the visit."""
    lines = [f"{group}调阅资料清单", "", f"被巡察单位：{unit}", f"调阅日期：{day}", ""]
    lines.append("序号  资料名称                          数量")
    picked = rng.sample(_MATERIALS, k=rng.randint(5, 8))
    for i, (name, measure, lo, hi) in enumerate(picked, start=1):
        label = name.format(year=rng.choice((2023, 2024, 2025)))
        lines.append(f"{i:>2}    {label:　<22}{rng.randint(lo, hi)}{measure}")
    lines += [
        "",
        "以上资料由巡察组妥善保管，仅用于巡察工作，巡察结束后如数归还。",
        "",
        "移交人（被巡察单位）：____________    接收人（巡察组）：____________",
    ]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    return DemoFile(f"{unit}调阅资料清单.txt", data, "text/plain", "调阅资料清单（签收件录入）", unit)


def demo_files(rng: random.Random, units: list[str], group_names: list[str], count: int) -> list[DemoFile]:
    """`count` files (at least one text list), the scans on pages of the given units."""
    files = [material_list_txt(rng, units[0], group_names[0], "2025年9月10日")]
    if count > 5 and len(units) > 1:
        files.append(material_list_txt(rng, units[1], group_names[-1], "2025年9月11日"))
    page = 0
    while len(files) < count:
        page += 1
        files.append(scan_png(rng, units[page % len(units)], page - 1, page))
    return files
