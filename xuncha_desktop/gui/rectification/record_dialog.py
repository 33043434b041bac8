"""RecordDialog: a small Designer form bound to a record (the record pages' RecordForm) in a dialog. It
serves every short question of the 整改监督 area (添加督导记录, 验收, 整改提醒设置): OK runs `store` with the
edited record; a ValidationError is shown at its fields and the dialog stays open, nothing is stored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from xuncha_desktop.domain.errors import ValidationError, XunchaError
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.field_bindings import FieldBinding
from xuncha_desktop.gui.pages.record_form import RecordForm


class RecordDialog(QDialog):
    """Edits `record` in `form_file`; `store(edited)` writes it and returns what was stored."""

    def __init__(
        self,
        title: str,
        form_file: str,
        bindings: Sequence[FieldBinding],
        record: Any,
        store: Callable[[Any], Any],
        parent: QWidget | None = None,
        *,
        intro: str = "",
        ok_text: str = "确定",
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"recordDialog:{form_file}")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._store = store
        self.stored: Any = None
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        host = QWidget(self)
        layout.addWidget(host)
        self.form = RecordForm(form_file, host, bindings, Choices())
        self.form.write(record)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("dialogErrorLabel")
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setObjectName("okButton")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Store the edits; stay open with the messages at the fields when they are refused."""
        try:
            self.stored = self._store(self.form.record())
        except ValidationError as error:
            unplaced = self.form.show_errors(error.errors)
            lines = [f"有 {len(error.errors)} 处填写有误，已在对应栏目下标出。"]
            self.error_label.setText("\n".join([*lines, *(e.message for e in unplaced)]))
            self.error_label.show()
            return
        except XunchaError as error:
            messages.show_error(self, self.windowTitle(), str(error))
            return
        super().accept()


def run_record_dialog(dialog: RecordDialog) -> Any:
    """Show the dialog modally (through messages.exec_dialog, where tests answer it): what was stored, or
    None when the person cancelled."""
    return dialog.stored if messages.exec_dialog(dialog) else None
