"""pdf_tables: a form grid places cells around the ones a span covers, stacks closed sections as separate
tables, and stacks vertical labels two characters a line when they span two rows."""

from __future__ import annotations

import pytest

from xuncha_desktop.services.output.pdf_fonts import FontSet, Typesetter
from xuncha_desktop.services.output.pdf_layout import make_styles
from xuncha_desktop.services.output.pdf_tables import FormTable, Grid, label, value


@pytest.fixture
def grid(fonts: FontSet) -> Grid:
    return Grid(Typesetter(fonts), make_styles(fonts), [40.0, 60.0, 60.0])


def test_vertical_labels_and_cells() -> None:
    assert label("登记情况", rows=2, vertical=True).content == "登记\n情况"
    assert label("登记情况", rows=4, vertical=True).content == "登\n记\n情\n况"
    assert label("姓名", cols=2).cols == 2 and label("姓名").label
    assert value("李", align="center").align == "center" and not value("李").label


def test_a_span_moves_the_next_rows_cells_past_it(grid: Grid) -> None:
    grid.row(label("研判", rows=2), label("意见"), value("同意"))
    grid.row(label("日期"), value("2025年3月1日"))
    assert grid.rows[1][0] == ""  # covered by the label above
    assert ("SPAN", (0, 0), (0, 1)) in grid.commands
    table = grid.table()
    assert isinstance(table, FormTable) and len(table._cellvalues) == 2
    assert grid.rows == [] and grid.commands == []  # the grid starts again


def test_sections_become_separate_tables(grid: Grid) -> None:
    grid.row(label("一"), value("甲"), value("乙"))
    grid.section()
    grid.section()  # an empty block adds nothing
    grid.row(label("二"), value("丙", cols=2))
    assert len(grid.sections()) == 2
    assert grid.sections() == []
