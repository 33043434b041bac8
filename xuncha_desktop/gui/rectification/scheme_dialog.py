"""评分方案…: a versioned scoring scheme (services.scoring: the 整改质效评估 one by default, the
巡察组质效评估 one for the group ranking) in a dialog. The current scheme (name, version, base score)
and its items (评分项目, 类型, 分值, 上限, how the item scores in plain words); the 巡察办管理员 changes
points and caps, adds an item for a metric not yet used or removes one, and saves the result as a NEW
version (a saved version is never changed: results exported under it stay true). Earlier versions are
listed and shown read-only; everyone else sees the whole dialog read-only. A refused change is shown at
its row, nothing is saved."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import FieldError, ValidationError, XunchaError
from xuncha_desktop.services import scoring
from xuncha_desktop.services.rectification.evaluation import FAMILY as RECTIFICATION
from xuncha_desktop.services.scoring import COUNT, KIND_LABELS, Scheme, SchemeFamily, SchemeItem
from xuncha_desktop.services.workspace import Workspace

TITLE = RECTIFICATION.title
KINDS = KIND_LABELS
COLUMNS = ("评分项目", "类型", "分值", "上限", "计分说明")
LABEL, KIND, POINTS, CAP, EXPLANATION = range(len(COLUMNS))
NO_CAP = "不设上限"
ERROR_BRUSH = QBrush(QColor("#fde2e1"))
ERROR_COLOUR = "#c62828"
EDIT_NOTE = "当前方案：可修改分值、上限，添加或删除评分项，然后“另存为新版本”。"
OLD_NOTE = "早期版本“{version}”，只供查看；评估时可在“{screen}”页选择按此版本计分。"
READ_ONLY_NOTE = "只有{admin}可以修改评分方案（当前用户“{user}”的角色是{role}），此处只供查看。"


# -- the one question it asks (a monkeypatch target in tests) ----------------------------------------------
def ask_version(parent: QWidget | None, suggested: str) -> str | None:
    """The new version's name; None when cancelled."""
    text, ok = QInputDialog.getText(
        parent,
        "另存为新版本",
        "新版本号（保存后不能再修改；评估结果注明所用版本）：",
        QLineEdit.EchoMode.Normal,
        suggested,
    )
    return text.strip() if ok else None


def suggest_version(versions: Sequence[str], today: date) -> str:
    """The first free version of the year: 2026-1, 2026-2 …"""
    n = 1
    while f"{today.year}-{n}" in versions:
        n += 1
    return f"{today.year}-{n}"


def points_text(value: float) -> str:
    return f"{value:g}"


def cap_text(item: SchemeItem, family: SchemeFamily = RECTIFICATION) -> str:
    if family.metrics.get(item.metric, ("", ""))[1] != COUNT:
        return "—"
    return f"{item.cap:g}" if item.cap else NO_CAP


class SchemeDialog(QDialog):
    """The scheme versions on the left, the chosen one on the right (editable: the current one, for the
    巡察办管理员). `saved_version` is the version stored when the dialog was accepted. `family` is the kind
    of scheme (services.scoring.SchemeFamily): its metrics, versions and wording."""

    def __init__(
        self,
        ws: Workspace,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
        family: SchemeFamily = RECTIFICATION,
    ):
        super().__init__(parent)
        self.family = family
        self.setObjectName("schemeDialog")
        self.setWindowTitle(family.title)
        self.resize(1080, 600)
        self._ws = ws
        self._today = today
        self.may_edit = scoring.may_save_scheme(ws)
        self.saved_version = ""
        self.row_errors: dict[int, str] = {}
        self._current = scoring.load_scheme(ws, family)
        self._shown = self._current
        self._draft: list[SchemeItem] = list(self._current.items)  # the current scheme as being edited
        self._editing_shown = False  # the table holds the current scheme's edits
        self._build()
        self._fill_versions()
        self.show_version(self._current.version)

    # -- building ------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(self.family.intro, self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._build_versions())
        splitter.addWidget(self._build_scheme())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([170, 900])
        layout.addWidget(splitter, 1)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("dialogErrorLabel")
        self.error_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.save_button = QPushButton("另存为新版本…", self)
        self.save_button.setObjectName("saveVersionButton")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setVisible(self.may_edit)
        self.save_button.clicked.connect(self.save_as_new_version)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _build_versions(self) -> QWidget:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("<b>方案版本</b>", box)
        self.version_list = QListWidget(box)
        self.version_list.setObjectName("versionList")
        caption.setBuddy(self.version_list)
        column.addWidget(caption)
        column.addWidget(self.version_list, 1)
        self.version_list.currentItemChanged.connect(self._on_version_chosen)
        return box

    def _build_scheme(self) -> QWidget:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.name_edit = QLineEdit(box)
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setMaxLength(60)
        self.version_label = QLabel(box)
        self.version_label.setObjectName("versionLabel")
        self.base_spin = QDoubleSpinBox(box)
        self.base_spin.setObjectName("baseSpin")
        self.base_spin.setRange(0, 1000)
        self.base_spin.setDecimals(1)
        self.base_spin.setSuffix(" 分")
        form.addRow("方案名称", self.name_edit)
        form.addRow("版本", self.version_label)
        form.addRow("基础分", self.base_spin)
        column.addLayout(form)
        self.mode_label = QLabel(box)
        self.mode_label.setObjectName("modeLabel")
        self.mode_label.setWordWrap(True)
        column.addWidget(self.mode_label)
        self.table = QTableWidget(0, len(COLUMNS), box)
        self.table.setObjectName("itemsTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col, width in ((LABEL, 9), (KIND, 3), (POINTS, 6), (CAP, 6)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, self.fontMetrics().horizontalAdvance("中") * width + 24)
        header.setSectionResizeMode(EXPLANATION, QHeaderView.ResizeMode.Stretch)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() * 2 + 14)  # a two-line explanation
        column.addWidget(self.table, 1)
        column.addLayout(self._build_item_bar(box))
        return box

    def _build_item_bar(self, box: QWidget) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.add_combo = QComboBox(box)
        self.add_combo.setObjectName("addMetricCombo")
        self.add_combo.setMinimumContentsLength(10)
        self.add_button = QPushButton("添加评分项", box)
        self.add_button.setObjectName("addItemButton")
        self.remove_button = QPushButton("删除所选评分项", box)
        self.remove_button.setObjectName("removeItemButton")
        self.add_caption = QLabel("未使用的评分指标：", box)
        self.add_caption.setBuddy(self.add_combo)
        bar.addWidget(self.add_caption)
        bar.addWidget(self.add_combo)
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        bar.addWidget(self.remove_button)
        self.add_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_selected)
        return bar

    # -- what is shown -------------------------------------------------------------------------------
    @property
    def editing(self) -> bool:
        """The current scheme shown to the 巡察办管理员: the one that can be changed."""
        return self.may_edit and self._shown.version == self._current.version

    def _fill_versions(self) -> None:
        blocked = self.version_list.blockSignals(True)
        try:
            self.version_list.clear()
            for version in reversed(scoring.scheme_versions(self._ws, self.family)):  # the newest names first
                text = f"{version}（当前）" if version == self._current.version else version
                item = QListWidgetItem(text, self.version_list)
                item.setData(Qt.ItemDataRole.UserRole, version)
        finally:
            self.version_list.blockSignals(blocked)

    def versions(self) -> list[str]:
        """The versions listed, as shown."""
        return [
            str(self.version_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.version_list.count())
        ]

    def show_version(self, version: str) -> None:
        """Choose `version` in the list: it is shown (read-only unless it is the current one)."""
        for i in range(self.version_list.count()):
            if self.version_list.item(i).data(Qt.ItemDataRole.UserRole) == version:
                self.version_list.setCurrentRow(i)
                return

    def _on_version_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        if self._editing_shown:
            self._keep_draft()
        version = str(item.data(Qt.ItemDataRole.UserRole))
        self._shown = (
            self._current
            if version == self._current.version
            else scoring.load_scheme(self._ws, self.family, version)
        )
        self._show_scheme()

    def _keep_draft(self) -> None:
        """The edits of the current scheme stay while an earlier version is looked at."""
        self._draft = self.items()
        self._current = dataclasses.replace(
            self._current, name=self.name_edit.text(), base=self.base_spin.value()
        )
        self._shown = self._current

    def _show_scheme(self) -> None:
        scheme, editing = self._shown, self.editing
        self.name_edit.setText(scheme.name)
        self.name_edit.setReadOnly(not editing)
        self.version_label.setText(
            f"{scheme.version}（当前使用）" if scheme.version == self._current.version else scheme.version
        )
        self.base_spin.setValue(scheme.base)
        self.base_spin.setReadOnly(not editing)
        self.base_spin.setButtonSymbols(
            QDoubleSpinBox.ButtonSymbols.UpDownArrows if editing else QDoubleSpinBox.ButtonSymbols.NoButtons
        )
        if not self.may_edit:
            role = self._ws.user.role
            user = self._ws.user.display_name
            self.mode_label.setText(READ_ONLY_NOTE.format(admin=vocab.OFFICE_ADMIN, user=user, role=role))
        else:
            old = OLD_NOTE.format(version=scheme.version, screen=self.family.screen)
            self.mode_label.setText(EDIT_NOTE if editing else old)
        for widget in (self.add_caption, self.add_combo, self.add_button, self.remove_button):
            widget.setVisible(editing)
        self.save_button.setEnabled(editing)
        self._set_rows(self._draft if editing else list(scheme.items))
        self._editing_shown = editing
        self._clear_errors()

    # -- the rows ------------------------------------------------------------------------------------
    def _set_rows(self, items: Sequence[SchemeItem]) -> None:
        self.table.setRowCount(0)
        for item in items:
            self._append_row(item)
        self._fill_unused()

    def _append_row(self, item: SchemeItem) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        label = QTableWidgetItem(item.label)
        label.setData(Qt.ItemDataRole.UserRole, item.metric)
        self.table.setItem(row, LABEL, label)
        self.table.setItem(row, KIND, QTableWidgetItem(KINDS[self.family.kind(item.metric)]))
        explanation = QTableWidgetItem(self._describe(item))
        explanation.setToolTip(explanation.text())
        self.table.setItem(row, EXPLANATION, explanation)
        if not self.editing:
            self.table.setItem(row, POINTS, QTableWidgetItem(points_text(item.points)))
            self.table.setItem(row, CAP, QTableWidgetItem(cap_text(item, self.family)))
            return
        points = QDoubleSpinBox(self.table)
        points.setObjectName(f"pointsSpin:{item.metric}")
        points.setRange(-100, 100)
        points.setDecimals(2)
        points.setSingleStep(0.5)
        points.setValue(item.points)
        points.valueChanged.connect(self._on_row_edited)
        self._put(row, POINTS, points)
        if self.family.kind(item.metric) != COUNT:
            self.table.setItem(row, CAP, QTableWidgetItem(cap_text(item, self.family)))
            return
        cap = QDoubleSpinBox(self.table)
        cap.setObjectName(f"capSpin:{item.metric}")
        cap.setRange(0, 1000)
        cap.setDecimals(2)
        cap.setSpecialValueText(NO_CAP)
        cap.setValue(item.cap)
        cap.valueChanged.connect(self._on_row_edited)
        self._put(row, CAP, cap)

    def _put(self, row: int, col: int, spin: QDoubleSpinBox) -> None:
        """A spin box in a cell, centred in its height (the row is two lines high)."""
        holder = QWidget(self.table)
        box = QVBoxLayout(holder)
        box.setContentsMargins(2, 0, 2, 0)
        box.addWidget(spin, 0, Qt.AlignmentFlag.AlignVCenter)
        self.table.setCellWidget(row, col, holder)

    def _cell(self, row: int, col: int) -> QTableWidgetItem:
        """The text cell at (row, col); every column but a spin box's has one."""
        item = self.table.item(row, col)
        if item is None:
            item = QTableWidgetItem()
            self.table.setItem(row, col, item)
        return item

    def spin(self, row: int, col: int) -> QDoubleSpinBox | None:
        """The spin box editing the row's 分值 (POINTS) or 上限 (CAP); None when it cannot be changed."""
        holder = self.table.cellWidget(row, col)
        return holder.findChild(QDoubleSpinBox) if holder is not None else None

    def items(self) -> list[SchemeItem]:
        """The items as the table shows them now."""
        shown = {i.metric: i for i in (*self._shown.items, *self._draft)}
        found = []
        for row in range(self.table.rowCount()):
            metric = str(self._cell(row, LABEL).data(Qt.ItemDataRole.UserRole))
            label = shown[metric].label if metric in shown else self.family.metrics[metric][0]
            item = shown.get(metric, SchemeItem(metric, label, 0.0))
            points, cap = self.spin(row, POINTS), self.spin(row, CAP)
            if points is not None:
                item = dataclasses.replace(item, points=points.value())
            if cap is not None:
                item = dataclasses.replace(item, cap=cap.value())
            found.append(dataclasses.replace(item, label=label))
        return found

    def row_of(self, metric: str) -> int:
        for row in range(self.table.rowCount()):
            if self._cell(row, LABEL).data(Qt.ItemDataRole.UserRole) == metric:
                return row
        raise KeyError(metric)

    def _on_row_edited(self) -> None:
        """A point or cap changed: the explanations follow (an error shown goes: it is checked again on
        saving)."""
        if self.row_errors:
            self._clear_errors()
            return
        for row, item in enumerate(self.items()):
            self._cell(row, EXPLANATION).setText(self._describe(item))

    def _describe(self, item: SchemeItem) -> str:
        return scoring.describe_item(self.family, item)

    def _fill_unused(self) -> None:
        used = {
            str(self._cell(r, LABEL).data(Qt.ItemDataRole.UserRole)) for r in range(self.table.rowCount())
        }
        self.add_combo.clear()
        for metric, (label, kind) in self.family.metrics.items():
            if metric not in used:
                self.add_combo.addItem(f"{label}（{KINDS[kind]}）", metric)
        has_unused = self.add_combo.count() > 0
        self.add_combo.setEnabled(has_unused)
        self.add_button.setEnabled(has_unused)
        if not has_unused:
            self.add_combo.addItem("（各项指标均已使用）", "")

    def add_item(self) -> None:
        """Add the metric chosen in the combo, at no points yet (its rule explains itself as the points
        are set)."""
        metric = self.add_combo.currentData()
        if not metric:
            return
        label = self.family.metrics[metric][0]
        self._append_row(SchemeItem(metric, label, 0.0))
        self._fill_unused()
        self.table.selectRow(self.table.rowCount() - 1)
        spin = self.spin(self.table.rowCount() - 1, POINTS)
        if spin is not None:
            spin.setFocus()

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self._show_message("请先在表格中选择要删除的评分项。")
            return
        self.table.removeRow(rows[0].row())
        self._fill_unused()
        self._clear_errors()

    # -- saving --------------------------------------------------------------------------------------
    def scheme(self, version: str) -> Scheme:
        """The scheme as edited, under `version`."""
        return self.family.scheme_class(
            version=version,
            items=tuple(self.items()),
            base=self.base_spin.value(),
            name=self.name_edit.text(),
        )

    def save_as_new_version(self) -> bool:
        """Check the edits, ask the new version's name, store it (audited by the service) and close; a
        refused change is shown at its row and nothing is stored."""
        if not self.editing:
            return False
        self._clear_errors()
        versions = scoring.scheme_versions(self._ws, self.family)
        suggested = suggest_version(versions, self._today())
        errors = scoring.scheme_errors(self.family, self.scheme(suggested))
        if errors:
            self._show_errors(errors)
            return False
        version = ask_version(self, suggested)
        if version is None:
            return False
        if version in versions:
            self._show_message(f"版本号：方案版本“{version}”已使用，修改后的方案请使用新的版本号。")
            return False
        try:
            scoring.save_scheme(self._ws, self.family, self.scheme(version))
        except ValidationError as error:
            self._show_errors(error.errors)
            return False
        except XunchaError as error:
            self._show_message(str(error))
            return False
        self.saved_version = version
        self.accept()
        return True

    def _show_errors(self, errors: Sequence[FieldError]) -> None:
        """Each item's message at its row (in 计分说明, marked), the others below the table."""
        rows = scoring.item_errors(self.family, self.scheme("-"))
        for row, message in rows:
            self.row_errors[row] = message
            cell = self._cell(row, EXPLANATION)
            cell.setText(f"⚠ {message}")
            cell.setForeground(QBrush(QColor(ERROR_COLOUR)))
            for col in range(len(COLUMNS)):
                self._cell(row, col).setBackground(ERROR_BRUSH)
        if rows:
            self.table.scrollToItem(self._cell(rows[0][0], LABEL))
        placed = {message for _row, message in rows}
        names = {"version": "版本号", "base": "基础分", "items": "评分项"}
        others = [f"{names.get(e.field, e.field)}：{e.message}" for e in errors if e.message not in placed]
        lines = [f"有 {len(errors)} 处填写有误，未保存。"]
        if rows:
            lines.append("评分项的问题已在表格中对应行标出。")
        self._show_message("\n".join([*lines, *others]))

    def _show_message(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _clear_errors(self) -> None:
        self.error_label.hide()
        self.error_label.clear()
        if not self.row_errors:
            return
        self.row_errors.clear()
        items = self.items()
        for row in range(self.table.rowCount()):
            for col in range(len(COLUMNS)):
                cell = self._cell(row, col)
                cell.setBackground(QBrush())
                cell.setForeground(QBrush())
            self._cell(row, EXPLANATION).setText(self._describe(items[row]))
