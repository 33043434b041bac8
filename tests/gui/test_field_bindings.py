"""Each widget adapter writes a value in and reads the same value back; amounts and dates keep their type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from xuncha_desktop.gui.pages import date_edits, table_rows
from xuncha_desktop.gui.pages.field_bindings import FieldBinding, TableColumn, adapter_for

COLUMNS = (TableColumn("name", "名称"), TableColumn("pages", "页数", integer=True), TableColumn("hidden_id"))
CASES: list[tuple[type[QWidget], FieldBinding, Any]] = [
    (QLineEdit, FieldBinding("f", "w"), "王晓东"),
    (QPlainTextEdit, FieldBinding("f", "w"), "问：……\n答：……"),
    (QPlainTextEdit, FieldBinding("f", "w", kind="lines"), ["反映一", "反映二"]),
    (QDateEdit, FieldBinding("f", "w"), date(2025, 3, 5)),
    (QDateEdit, FieldBinding("f", "w"), None),
    (QComboBox, FieldBinding("f", "w", ("必谈", "选谈")), "选谈"),
    (QComboBox, FieldBinding("f", "w", ("男", "女"), optional=True), ""),
    (QComboBox, FieldBinding("f", "w", ("男", "女")), "旧数据里的值"),  # kept, not lost
    (QCheckBox, FieldBinding("f", "w"), True),
    (QSpinBox, FieldBinding("f", "w"), 12),
    (QDoubleSpinBox, FieldBinding("f", "w", kind="amount"), Decimal("1234567.89")),
    (
        QFrame,
        FieldBinding("f", "w", ("政治纪律", "廉洁纪律", "生活纪律"), kind="checks"),
        ["廉洁纪律", "生活纪律"],
    ),
    (QListWidget, FieldBinding("f", "w", ("甲", "乙")), ["乙"]),
    (
        QTableWidget,
        FieldBinding("f", "w", columns=COLUMNS),
        [{"name": "发放表", "pages": 3, "hidden_id": "x1"}],
    ),
    (QTableWidget, FieldBinding("f", "w", kind="tallies"), {"优秀": 30, "称职": 10}),
]


@pytest.mark.parametrize(("kind", "binding", "value"), CASES, ids=lambda c: getattr(c, "__name__", None))
def test_a_value_survives_the_round_trip(
    qtbot: QtBot, kind: type[QWidget], binding: FieldBinding, value: Any
) -> None:
    widget = kind()
    widget.setObjectName("w")
    qtbot.addWidget(widget)
    adapter = adapter_for(widget, binding)
    adapter.prepare(widget, binding)
    adapter.write(widget, binding, value)
    assert adapter.read(widget, binding) == value


def test_amounts_show_thousands_separators_in_yuan(qtbot: QtBot) -> None:
    spin = QDoubleSpinBox()
    qtbot.addWidget(spin)
    binding = FieldBinding("amount_yuan", "w", kind="amount")
    adapter_for(spin, binding).prepare(spin, binding)
    adapter_for(spin, binding).write(spin, binding, Decimal("126000"))
    assert spin.text() == "126,000.00 元"
    assert spin.maximum() == pytest.approx(999_999_999_999.99)


def test_an_empty_date_reads_as_none_and_can_be_cleared(qtbot: QtBot) -> None:
    edit = QDateEdit()
    qtbot.addWidget(edit)
    date_edits.prepare(edit)
    assert date_edits.value(edit) is None and edit.text() == "未填写"
    date_edits.set_value(edit, date(2025, 4, 1))
    assert edit.calendarPopup()
    qtbot.keyClick(edit, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert date_edits.value(edit) is None


def test_tally_options_follow_the_poll_scale_and_keep_votes(qtbot: QtBot) -> None:
    table = QTableWidget()
    qtbot.addWidget(table)
    table_rows.prepare_tallies(table)
    table_rows.set_options(table, ("优秀", "称职", "基本称职", "不称职"))
    table_rows.set_tallies(table, {"优秀": 5})
    assert table_rows.tallies(table) == {"优秀": 5, "称职": 0, "基本称职": 0, "不称职": 0}
    table_rows.set_options(table, ("优秀", "良好", "一般", "较差"))
    assert table_rows.tallies(table) == {"优秀": 5, "良好": 0, "一般": 0, "较差": 0}


def test_a_read_only_label_shows_the_value(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    binding = FieldBinding("status", "w", read_only=True)
    adapter_for(label, binding).write(label, binding, "待复核")
    assert label.text() == "待复核"
