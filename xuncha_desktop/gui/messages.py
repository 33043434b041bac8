"""Every modal question and message box of the application, in one place (one monkeypatch target in tests)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from xuncha_desktop import APP_DISPLAY_NAME, __version__

if TYPE_CHECKING:  # the dialogs of rarer moments are imported when first shown, not at start-up
    from xuncha_desktop.services.records.evidence_links import EvidenceCandidate

WORKSPACE_FILTER = "巡察工作库 (*.xcdb);;所有文件 (*)"
ATTACHMENT_FILTER = "扫描件和照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.bmp);;所有文件 (*)"
Unsaved = Literal["save", "discard", "cancel"]


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, f"关于{APP_DISPLAY_NAME}", about_text())


def about_text() -> str:
    return (
        f"<h3>{APP_DISPLAY_NAME} {__version__}</h3>"
        "<p>供巡察组在被巡察单位现场离线使用：记录个别谈话、编制问题底稿、登记问题线索、"
        "开展干部评价；回到巡察办后汇总合并各组数据。</p>"
        "<p>工作库文件全程加密保存，.xcdb 文件须与同名 .key 密钥文件放在一起。</p>"
        "<p>日志文件夹（出错时请把其中的日志文件交给技术支持；日志不含记录内容）：<br>"
        f"{log_folder_text()}</p>"
    )


def log_folder_text() -> str:
    # Imported here: html's entity table and the logging set-up are not on the way to the first window.
    from html import escape

    from xuncha_desktop.diagnostics import default_log_dir, log_file

    current = log_file()
    return escape(str(current.parent if current is not None else default_log_dir()))


def ask_create_workspace(parent: QWidget | None, path: Path) -> bool:
    answer = QMessageBox.question(
        parent,
        "新建工作库",
        f"找不到工作库文件：\n{path}\n\n是否在此位置新建一个空的工作库？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes


def choose_workspace_file(parent: QWidget | None, start_dir: Path) -> Path | None:
    file_name, _ = QFileDialog.getOpenFileName(parent, "打开工作库", str(start_dir), WORKSPACE_FILTER)
    return Path(file_name) if file_name else None


def choose_new_workspace_file(parent: QWidget | None, start_dir: Path) -> Path | None:
    file_name, _ = QFileDialog.getSaveFileName(
        parent, "新建工作库", str(start_dir / "新工作库.xcdb"), WORKSPACE_FILTER
    )
    if not file_name:
        return None
    path = Path(file_name)
    return path if path.suffix else path.with_suffix(".xcdb")


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def ask_unsaved_changes(parent: QWidget | None, what: str) -> Unsaved:
    """保存 / 放弃 / 取消 for an edited form that is about to be left."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("尚未保存")
    box.setText(f"{what}有尚未保存的修改。")
    box.setInformativeText("是否保存这些修改？")
    save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("放弃修改", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


def exec_dialog(dialog: QDialog) -> bool:
    """Run a modal dialog; True when the person accepted it (a Yes or accepting button of a message box).
    The one place tests answer such questions (tests/gui/dialogs.py DialogScript)."""
    if isinstance(dialog, QMessageBox):
        dialog.exec()
        clicked = dialog.clickedButton()
        accepting = (QMessageBox.ButtonRole.YesRole, QMessageBox.ButtonRole.AcceptRole)
        return clicked is not None and dialog.buttonRole(clicked) in accepting
    return dialog.exec() == QDialog.DialogCode.Accepted


REVOKE_CONSEQUENCE = "审签将被撤销，底稿退回待复核"


def confirm_revoke_signoff(parent: QWidget | None, what: str) -> bool:
    """Before a change to a signed (已审签) 底稿 is saved: the sign-off is revoked. No keeps the typing."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("撤销审签")
    box.setText(f"{what}已审签。保存这些修改后，{REVOKE_CONSEQUENCE}，须重新复核、审签。")
    box.setInformativeText("是否保存并撤销审签？选择“否”则不保存，已填写的内容仍留在表单中。")
    box.addButton("是，保存并撤销审签", QMessageBox.ButtonRole.YesRole)
    keep = box.addButton("否", QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    return exec_dialog(box)


def confirm_delete(parent: QWidget | None, what: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "移入回收站",
        f"确定要删除{what}吗？\n\n删除的记录移入“回收站”，可以随时恢复。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_recover_form(parent: QWidget | None, what: str, saved_at: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "恢复未保存的内容",
        f"上次关闭程序前，{what}有未保存的内容（{saved_at}）。\n\n是否恢复这些内容继续编辑？"
        "选择“否”将丢弃它们。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_text(parent: QWidget | None, title: str, label: str) -> str | None:
    """A short free text (a reason, an opinion); None when cancelled."""
    text, ok = QInputDialog.getMultiLineText(parent, title, label)
    return text.strip() if ok else None


def ask_choice(parent: QWidget | None, title: str, label: str, choices: Sequence[str]) -> str | None:
    """One of `choices` from a drop-down; None when cancelled."""
    text, ok = QInputDialog.getItem(parent, title, label, list(choices), 0, False)
    return text if ok and text else None


def choose_attachment_files(parent: QWidget | None, start_dir: Path) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, "添加附件", str(start_dir), ATTACHMENT_FILTER)
    return [Path(n) for n in names]


def pick_evidence(parent: QWidget | None, candidates: Sequence[EvidenceCandidate]) -> list[EvidenceCandidate]:
    from xuncha_desktop.gui.dialogs.evidence_dialog import EvidenceDialog

    dialog = EvidenceDialog(candidates, parent)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else []


def show_image(parent: QWidget | None, title: str, data: bytes) -> None:
    """Preview an image from bytes in memory (never written to a temporary file)."""
    from xuncha_desktop.gui.dialogs.image_preview import ImagePreviewDialog

    ImagePreviewDialog(title, data, parent).exec()


def show_shortcuts(parent: QWidget | None, rows: Sequence[tuple[str, str]]) -> None:
    cells = "".join(f"<tr><td><b>{keys}</b></td><td>{what}</td></tr>" for keys, what in rows)
    box = QMessageBox(parent)
    box.setWindowTitle("快捷键")
    box.setText(f"<table cellspacing='6'>{cells}</table>")
    box.exec()


def confirm_unlink(parent: QWidget | None, what: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "取消关联",
        f"确定要取消{what}吗？两条记录本身都不会删除。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def confirm_cloud_folder(parent: QWidget | None, folder: Path, service: str) -> bool:
    """Asked once per folder before an unencrypted PDF or ledger is saved where a cloud client syncs."""
    answer = QMessageBox.warning(
        parent,
        "文件不加密",
        f"“{folder}”是 {service} 同步的文件夹。\n\n导出的 PDF 和台账不加密，保存在这里会被同步到云端，"
        "可能不符合保密要求。\n\n仍要保存在这个文件夹吗？（本文件夹以后不再提示）",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Save


def choose_save_file(parent: QWidget | None, title: str, default: Path, file_filter: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, str(default), file_filter)
    return Path(name) if name else None


def confirm_undo_import(parent: QWidget | None, question: str) -> bool:
    """Before 撤销本次导入: No is the default."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("撤销导入")
    box.setText(question)
    box.addButton("撤销本次导入", QMessageBox.ButtonRole.YesRole)
    keep = box.addButton("不撤销", QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    return exec_dialog(box)
