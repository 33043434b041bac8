"""统计简报 of the office demo read back with poppler: exactly one A4 page at every scope, fonts embedded,
the scope, the headline figures, each group's row, the top categories and the chart's labels; audited by
file name only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.output_helpers import pdf_fonts, pdf_text
from tests.statistics_output_helpers import TODAY, every_scope, office_demo
from xuncha_desktop.services.office_statistics.breakdowns import BreakdownRow, breakdown
from xuncha_desktop.services.office_statistics.figures import Summary, summary
from xuncha_desktop.services.output import pdf_statistics_brief as brief
from xuncha_desktop.services.output.pdf_export import _render
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import audit_log


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = office_demo(tmp_path_factory.mktemp("statistics_brief") / "巡察办演示.xcdb")
    yield ws
    ws.close()


def _flat(path: Path) -> str:
    return "".join(pdf_text(path).split())


@pytest.mark.parametrize(
    "name", ["term", "2025", "2026", "2025年第一轮巡察", "2025年第二轮巡察", "2026年第一轮巡察", "range"]
)
def test_one_page_with_the_figures_of_every_scope(
    office: Workspace, fonts, tmp_path: Path, name: str
) -> None:
    scope = every_scope(office)[name]
    target = tmp_path / "统计简报.pdf"
    result = brief.write_statistics_brief(office, scope, target, fonts=fonts, today=TODAY)
    assert result.pages == 1 and len(PdfReader(target).pages) == 1 and result.missing == ()
    page = PdfReader(target).pages[0].mediabox
    assert (round(float(page.width)), round(float(page.height))) == (595, 842)  # A4
    assert all(embedded == "yes" for _name, _type, embedded in pdf_fonts(target))
    text = _flat(target)
    s = summary(office, scope, TODAY)
    for expected in (
        "工作秘密",
        "巡察工作统计简报",
        f"（{scope.label(office)}".replace(" ", ""),
        "截至2026年5月20日",
        "一、总体情况",
        "二、各巡察组情况",
        "三、主要问题类别",
        f"共巡察被巡察单位{s.units_inspected}个次，个别谈话{s.interviews}人次，",
        f"受理信访件{s.petitions}件次，发现问题{s.issues_found}个，",
        f"移交问题线索{s.leads_transferred}件{s.leads_transferred_persons}人",
        f"挽回经济损失{brief.wan(s.amount_recovered_yuan)}万元。",
        f"{s.interviews}人次",
        f"{s.cases_opened}件",
        brief.percent(s.case_rate),
        "巡察工作秘密注意保管",
    ):
        assert expected in text, expected
    lines = [line.split() for line in pdf_text(target, layout=True).splitlines()]
    groups = breakdown(office, scope, "group", TODAY)
    for g in groups:  # each group's row and the 合计 row, figure by figure
        row = [brief.figure_text(g.figures, f) for _, f, _ in brief.GROUP_COLUMNS]
        assert [g.label, *row] in lines, g.label
    for c in brief.top_categories(breakdown(office, scope, "category_l1", TODAY)):
        assert "".join(c.label.split()) in text


def test_the_chart_is_per_round_for_a_year_and_per_group_for_a_round(
    office: Workspace, fonts, tmp_path: Path
) -> None:
    scopes = every_scope(office)
    year, one_round = tmp_path / "year.pdf", tmp_path / "round.pdf"
    brief.write_statistics_brief(office, scopes["2025"], year, fonts=fonts, today=TODAY)
    brief.write_statistics_brief(office, scopes["2025年第一轮巡察"], one_round, fonts=fonts, today=TODAY)
    assert "各轮次发现问题（个）" in _flat(year) and "2025年第二轮巡察" in _flat(year)
    assert "各巡察组发现问题（个）" in _flat(one_round)


def test_the_print_is_audited_by_file_name(office: Workspace, fonts, tmp_path: Path) -> None:
    target = tmp_path / "简报.pdf"
    brief.write_statistics_brief(office, every_scope(office)["2026"], target, fonts=fonts, today=TODAY)
    with office.engine.connect() as conn:
        row = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    assert row.action == "print"
    assert json.loads(row.changes) == {"kind": "statistics-brief", "records": 1, "file": "简报.pdf"}


def _row(key: str, issues: int) -> BreakdownRow:
    return BreakdownRow(key, f"第{key}组", Summary(issues_found=issues))


def test_values_as_printed_and_the_rows_chosen() -> None:
    assert brief.wan(Decimal("13765432.10")) == "1,376.54" and brief.wan(Decimal("0")) == "0.00"
    assert brief.percent(0.1234) == "12.3%" and brief.percent(None) == "—"
    rows = [_row("1", 3), _row("2", 0), _row("3", 9), _row("4", 3), _row("5", 5)]
    assert [r.key for r in brief.top_categories(rows)] == ["3", "5", "1"]  # ties keep their order
    assert brief.top_categories([_row("1", 0)]) == []
    many = [_row(str(i), i % 4) for i in range(brief.MAX_GROUPS + 3)]
    shown = brief.shown_groups(many)
    assert len(shown) == brief.MAX_GROUPS and [int(r.key) for r in shown] == sorted(int(r.key) for r in shown)
    assert {r.key for r in many} - {r.key for r in shown} == {"0", "4", "8"}  # the three with none
    assert brief.shown_groups(many[:3]) == many[:3]


def test_many_groups_still_fit_one_page(office: Workspace, fonts, tmp_path: Path) -> None:
    """More groups than MAX_GROUPS: the table lists those with the most issues and says so."""
    scope = every_scope(office)["term"]
    data = brief.brief_data(office, scope, TODAY)
    extra = [_row(str(i), i) for i in range(20)]
    crowded = brief.BriefData(
        data.scope_label, TODAY, data.total, extra, data.group_total, data.categories, data.rounds
    )
    target = tmp_path / "多组.pdf"
    result = _render(
        office,
        target,
        fonts,
        NullProgress(),
        kind="statistics-brief",
        title=brief.TITLE,
        total=1,
        make_story=lambda kit: brief.brief_story(kit, crowded),
        hide_reporter=False,
        footer_mark="",
    )
    assert result.pages == 1
    text = _flat(target)
    assert f"共20个巡察组，仅列发现问题最多的{brief.MAX_GROUPS}个" in text
    assert "第19组" in text and "第0组" not in text
