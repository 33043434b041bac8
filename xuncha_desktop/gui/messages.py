"""Every modal question and message box of the application, in one place (one monkeypatch target in tests)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from xuncha_desktop import APP_DISPLAY_NAME, __version__
from xuncha_desktop.gui.passphrase_dialog import PassphraseDialog
from xuncha_desktop.services.workspace import MIN_PASSPHRASE

WORKSPACE_FILTER = "巡察工作库 (*.xcdb);;所有文件 (*)"


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(
        parent,
        f"关于{APP_DISPLAY_NAME}",
        f"<h3>{APP_DISPLAY_NAME} {__version__}</h3>"
        "<p>供巡察组在被巡察单位现场离线使用：记录个别谈话、编制问题底稿、登记问题线索、"
        "开展干部评价；回到巡察办后汇总合并各组数据。</p>"
        "<p>工作库文件全程加密保存，.xcdb 文件须与同名 .key 密钥文件放在一起。</p>",
    )


def ask_create_workspace(parent: QWidget | None, path: Path) -> bool:
    answer = QMessageBox.question(
        parent,
        "新建工作库",
        f"找不到工作库文件：\n{path}\n\n是否在此位置新建一个空的工作库？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_passphrase(parent: QWidget | None, path: Path, *, error: str = "") -> str | None:
    """The passphrase of an existing workspace, or None when the user cancels."""
    dialog = PassphraseDialog(f"请输入工作库“{path.name}”的口令：", error=error, parent=parent)
    return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_new_passphrase(parent: QWidget | None, path: Path, *, error: str = "") -> str | None:
    """A new passphrase typed twice, or None when the user cancels."""
    dialog = PassphraseDialog(
        f"为新工作库“{path.name}”设置口令（至少{MIN_PASSPHRASE}个字符）。口令用于加密全部数据，请务必牢记。",
        confirm=True,
        error=error,
        parent=parent,
    )
    return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None


def choose_workspace_file(parent: QWidget | None, start_dir: Path) -> Path | None:
    file_name, _ = QFileDialog.getOpenFileName(parent, "打开工作库", str(start_dir), WORKSPACE_FILTER)
    return Path(file_name) if file_name else None
