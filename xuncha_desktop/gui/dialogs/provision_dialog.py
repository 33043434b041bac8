"""生成配置包: pick the round and the group by name, see the members and their logins, choose the file; then
the one-time 配置码, shown once in large type, copyable, with the 配置单 to print."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.services import packages
from xuncha_desktop.services.sync.roster import GroupChoice, GroupRoster, package_file_name

PACKAGE_FILTER = "巡察工作包 (*.xcpkg);;所有文件 (*)"
SHEET_FILTER = "PDF 文件 (*.pdf)"
ERROR_STYLE = "color: #b00020;"
NO_LOGIN = "（未设置）"


@dataclass(frozen=True)
class ProvisionChoice:
    """What the office chose: the group, where the package goes, and whether it is a laptop's first one
    (protected by a one-time 配置码 made for it) or an update for laptops already provisioned."""

    group_id: str
    target: Path
    first: bool


def ask_package_path(parent: QWidget | None, start: Path) -> Path | None:
    """The file dialog behind 选择… (a monkeypatch target in tests)."""
    name, _ = QFileDialog.getSaveFileName(parent, "配置包保存为", str(start), PACKAGE_FILTER)
    return Path(name) if name else None


def ask_sheet_path(parent: QWidget | None, start: Path) -> Path | None:
    """Where the 配置单 PDF goes (a monkeypatch target in tests)."""
    name, _ = QFileDialog.getSaveFileName(parent, "保存配置单", str(start), SHEET_FILTER)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


class ProvisionDialog(QDialog):
    """Round → group (names), the group's members with their logins, first provisioning or update, file."""

    def __init__(
        self,
        choices: Sequence[GroupChoice],
        roster_of: Callable[[str], GroupRoster],
        folder: Path,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("生成配置包")
        self.setMinimumWidth(560)
        self._choices = list(choices)
        self._roster_of = roster_of
        self._folder = folder
        self._today = today or date.today()
        self._named_by_hand = False
        self._round_combo = QComboBox()
        self._group_combo = QComboBox()
        self._members = QTableWidget(0, 3)
        self._members.setHorizontalHeaderLabels(["姓名", "组内职务", "登录名"])
        self._members.verticalHeader().setVisible(False)
        self._members.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._members.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._members.setMinimumHeight(150)
        self._login_note = QLabel()
        self._login_note.setWordWrap(True)
        self._first_check = QCheckBox("首次配置新电脑：生成一次性配置码（配置包只能用配置码打开）")
        self._first_check.setChecked(True)
        self._file_edit = QLineEdit()
        self._browse = QPushButton("选择…")
        self._error_label = QLabel()
        self._error_label.setStyleSheet(ERROR_STYLE)
        self._error_label.setWordWrap(True)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText("生成配置包")
        self._buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._layout()
        for name in dict.fromkeys(c.round_name for c in self._choices):
            self._round_combo.addItem(name)
        self._round_combo.currentIndexChanged.connect(self._fill_groups)
        self._group_combo.currentIndexChanged.connect(self._show_group)
        self._file_edit.textEdited.connect(self._typed_name)
        self._browse.clicked.connect(self._choose_file)
        self._buttons.accepted.connect(self._check_and_accept)
        self._buttons.rejected.connect(self.reject)
        self._fill_groups()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("巡察轮次：", self._round_combo)
        form.addRow("巡察组：", self._group_combo)
        file_row = QHBoxLayout()
        file_row.addWidget(self._file_edit, 1)
        file_row.addWidget(self._browse)
        hint = QLabel(
            "已配置过的电脑接收巡察办的后续更新时不勾选“首次配置”，无需配置码。"
            "配置码由本程序生成，只显示一次，请另行告知组员，不要与配置包放在同一U盘中。"
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("本组组员及登录名："))
        layout.addWidget(self._members)
        layout.addWidget(self._login_note)
        layout.addWidget(self._first_check)
        files = QFormLayout()
        files.addRow("配置包文件：", file_row)
        layout.addLayout(files)
        layout.addWidget(hint)
        layout.addWidget(self._error_label)
        layout.addWidget(self._buttons)

    # -- public (tests drive these) ----------------------------------------------------------------------
    @property
    def round_combo(self) -> QComboBox:
        return self._round_combo

    @property
    def group_combo(self) -> QComboBox:
        return self._group_combo

    @property
    def members_table(self) -> QTableWidget:
        return self._members

    @property
    def first_check(self) -> QCheckBox:
        return self._first_check

    @property
    def file_edit(self) -> QLineEdit:
        return self._file_edit

    @property
    def ok_button(self) -> QPushButton:
        return self._buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def error_text(self) -> str:
        return self._error_label.text()

    def member_rows(self) -> list[list[str]]:
        table = self._members
        return [
            [_text(table.item(r, c)) for c in range(table.columnCount())] for r in range(table.rowCount())
        ]

    def choice(self) -> ProvisionChoice:
        return ProvisionChoice(
            str(self._group_combo.currentData()), self._target(), self._first_check.isChecked()
        )

    # -- behaviour -------------------------------------------------------------------------------------
    def _fill_groups(self) -> None:
        round_name = self._round_combo.currentText()
        self._group_combo.blockSignals(True)
        self._group_combo.clear()
        for c in self._choices:
            if c.round_name == round_name:
                self._group_combo.addItem(c.group_name, c.group_id)
        self._group_combo.blockSignals(False)
        self._show_group()

    def _show_group(self) -> None:
        group_id = self._group_combo.currentData()
        self._members.setRowCount(0)
        self._login_note.clear()
        if group_id is None:
            return
        roster = self._roster_of(str(group_id))
        self._members.setRowCount(len(roster.members))
        for row, m in enumerate(roster.members):
            for column, text in enumerate((m.name, m.role, m.login or NO_LOGIN)):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self._members.setItem(row, column, item)
        if not roster.members:
            self._login_note.setText("本组名册中还没有组员：请先在巡察计划中添加组员并设置登录名。")
        elif roster.without_login:
            self._login_note.setText(
                f"{'、'.join(roster.without_login)} 尚未设置登录名：其电脑导入配置包后仍以本地用户使用，"
                "请先在巡察计划中为其设置登录名。"
            )
        if not self._named_by_hand:
            self._file_edit.setText(str(self._folder / package_file_name(roster, self._today)))

    def _typed_name(self, _text: str) -> None:
        self._named_by_hand = True

    def _choose_file(self) -> None:
        chosen = ask_package_path(self, self._target() if self._file_edit.text().strip() else self._folder)
        if chosen is not None:
            self._named_by_hand = True
            self._file_edit.setText(str(chosen))

    def _target(self) -> Path:
        path = Path(self._file_edit.text().strip())
        return path if path.suffix == packages.SUFFIX else path.with_name(path.name + packages.SUFFIX)

    def _check_and_accept(self) -> None:
        if self._group_combo.currentData() is None:
            self._error_label.setText("请选择巡察组")
            return
        if not self._file_edit.text().strip():
            self._error_label.setText("请填写配置包文件的保存位置")
            return
        target = self._target()
        if not target.parent.is_dir():
            self._error_label.setText(f"文件夹“{target.parent}”不存在，请重新选择保存位置")
            return
        self.accept()


class CodeDialog(QDialog):
    """The 配置码, shown this once: large, selectable, 复制 to the clipboard, and 打印配置单…"""

    def __init__(
        self,
        code: str,
        roster: GroupRoster,
        package: Path,
        print_sheet: Callable[[Path], Path | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("配置码（只显示这一次）")
        self.setMinimumWidth(520)
        self._code = code
        self._package = package
        self._print_sheet = print_sheet
        self._code_label = QLabel(code)
        # Size, weight and frame in one style sheet: a font set beside a padded style sheet is clipped.
        self._code_label.setStyleSheet(
            "font-size: 26pt; font-weight: bold; letter-spacing: 2px; padding: 10px;"
            " border: 1px solid #888; background: #fffbe6;"
        )
        self._code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        choice = roster.choice
        about = QLabel(
            f"巡察组：{choice.round_name} {choice.group_name}\n配置包：{package.name}\n"
            f"已写入：{package.parent}"
        )
        about.setWordWrap(True)
        warning = QLabel(
            "请立即记下或打印配置单：关闭本窗口后配置码不会再显示，也无法找回（只能重新生成配置包）。\n"
            "配置码请另行告知组员，不要与配置包放在同一U盘中传递。"
        )
        warning.setWordWrap(True)
        warning.setStyleSheet(ERROR_STYLE)
        self._status = QLabel()
        self._status.setWordWrap(True)
        buttons = QDialogButtonBox()
        self._copy_button = buttons.addButton("复制配置码", QDialogButtonBox.ButtonRole.ActionRole)
        self._print_button = buttons.addButton("打印配置单…", QDialogButtonBox.ButtonRole.ActionRole)
        self._close_button = buttons.addButton("已记下，关闭", QDialogButtonBox.ButtonRole.AcceptRole)
        self._copy_button.clicked.connect(self.copy_code)
        self._print_button.clicked.connect(self.print_sheet)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(QLabel("一次性配置码："))
        layout.addWidget(self._code_label)
        layout.addWidget(warning)
        layout.addWidget(self._status)
        layout.addWidget(buttons)

    @property
    def code_text(self) -> str:
        return self._code_label.text()

    @property
    def copy_button(self) -> QPushButton:
        return self._copy_button

    @property
    def print_button(self) -> QPushButton:
        return self._print_button

    @property
    def close_button(self) -> QPushButton:
        return self._close_button

    @property
    def status_text(self) -> str:
        return self._status.text()

    def copy_code(self) -> None:
        QGuiApplication.clipboard().setText(self._code)
        self._status.setText("配置码已复制到剪贴板。")

    def print_sheet(self) -> Path | None:
        start = self._package.with_name(self._package.stem.replace("-配置包", "-配置单") + ".pdf")
        target = ask_sheet_path(self, start)
        if target is None:
            return None
        written = self._print_sheet(target)
        if written is not None:
            self._status.setText(f"配置单已保存：{written}（可用 PDF 阅读器打印）")
        return written


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""
