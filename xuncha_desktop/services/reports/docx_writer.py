"""Writes a report (model.Report) as .docx through a docxtpl template: the office's own template of the
kind when its data folder has one (templates/<kind>.docx beside the workspace), else the shipped one. The
template decides how it looks (its styles, page and footer); this fills in the content, with tables
written as table markup in the template's 表格文字 and Table Grid styles."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from markupsafe import Markup

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.reports.model import Block, Heading, Paragraph, Report, Table
from xuncha_desktop.shipped import shipped_path

TEMPLATE_FOLDER = "templates"  # beside the workspace file: the office's own templates
TYPE_WIDTH_TWIPS = 8845  # the 156 mm type area in twentieths of a point
CELL_STYLE = "表格文字"
TABLE_STYLE = "Table Grid"


def template_path(kind: str, data_folder: Path | None = None) -> Path:
    """`data_folder`/templates/<kind>.docx when the office put one there, else the shipped template."""
    if data_folder is not None:
        own = data_folder / TEMPLATE_FOLDER / f"{kind}.docx"
        if own.is_file():
            return own
    return shipped_path("resources", TEMPLATE_FOLDER, f"{kind}.docx")


def _unusable(template: Path, why: str) -> XunchaError:
    return XunchaError(f"报告模板“{template}”无法使用：{why}。请改正或删除该模板（将改用程序自带的模板）")


def _load(template: Path) -> DocxTemplate:
    try:
        tpl = DocxTemplate(str(template))
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise _unusable(template, "不是有效的 Word 文档（.docx）") from None
    except OSError:
        raise XunchaError(f"无法读取报告模板“{template}”") from None
    return tpl


def _style(tpl: DocxTemplate, name: str, template: Path) -> Any:
    try:
        return tpl.get_docx().styles[name]
    except KeyError:
        raise _unusable(template, f"缺少样式“{name}”") from None


def _cell(text: str, width: int, style_id: str, bold: bool) -> str:
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n"))
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr><w:r>{rpr}{runs}</w:r></w:p></w:tc>'
    )


def _table(table: Table, ids: tuple[str, str]) -> Markup:
    """The table as WordprocessingML for a {{p …}} tag: the header row repeated on each page and bold, a
    label column bold, fixed widths as shares of the type area. Written as text: a report's appendix has
    hundreds of cells, and python-docx's cell objects cost far more than the markup."""
    cell_style, table_style = ids
    widths = [round(TYPE_WIDTH_TWIPS * share) for share in table.shares()]
    parts = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{table_style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    if table.header:
        cells = "".join(
            _cell(text, w, cell_style, True) for text, w in zip(table.header, widths, strict=True)
        )
        parts.append(f"<w:tr><w:trPr><w:tblHeader/></w:trPr>{cells}</w:tr>")
    for row in table.rows:
        cells = "".join(
            _cell(text, w, cell_style, c == 0 and table.label_column)
            for c, (text, w) in enumerate(zip(row, widths, strict=True))
        )
        parts.append(f"<w:tr>{cells}</w:tr>")
    parts.append("</w:tbl>")
    return Markup("".join(parts))


def _context(tpl: DocxTemplate, report: Report, template: Path) -> dict[str, Any]:
    styles = (_style(tpl, CELL_STYLE, template).style_id, _style(tpl, TABLE_STYLE, template).style_id)

    def block(b: Block) -> dict[str, Any]:
        if isinstance(b, Heading):
            return {"kind": "heading", "level": b.level, "text": b.text}
        if isinstance(b, Paragraph):
            return {"kind": "paragraph", "lead": b.lead, "text": b.text}
        return {"kind": "table", "table": _table(b, styles)}

    appendix = None
    if report.appendix is not None:
        a = report.appendix
        appendix = {"label": a.label, "title": a.title, "table": _table(a.table, styles)}
    return {
        "marking": report.marking,
        "title": report.title,
        "meta": list(report.meta),
        "blocks": [block(b) for b in report.blocks],
        "signature": list(report.signature),
        "appendix": appendix,
    }


def write_docx(report: Report, out: Path | IO[bytes], template: Path) -> None:
    """Renders `report` into `template` and saves it to `out` (a path or a binary stream)."""
    tpl = _load(template)
    context = _context(tpl, report, template)
    try:
        tpl.render(context, autoescape=True)
    except jinja2.TemplateError:
        raise _unusable(template, "其中的填充标记（{{ }} 或 {% %}）有误") from None
    _mark_generated(tpl)
    tpl.save(out)


def _mark_generated(tpl: DocxTemplate) -> None:
    """The template's own comment says how to edit the template; the report says what made it."""
    core = tpl.docx.core_properties  # not get_docx(): after render it reloads the template
    core.comments = "由巡察现场工作台生成的初稿，可在 Word 或 WPS 中修改"
