"""The office recovery key: on a field laptop, whether the office can re-key this workspace when its
passphrase is forgotten (the slot comes with the office's provisioning package); at the office, giving a
field key file brought in on a USB stick a new passphrase (keys.recover_with_office needs the office's
own identity, so this cannot be done on the laptop)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.background import error_text, run_and_wait
from xuncha_desktop.gui.dialogs.passphrase_dialog import PassphraseDialog
from xuncha_desktop.services.progress import Cancelled, Progress
from xuncha_desktop.services.security import keys
from xuncha_desktop.services.workspace import MIN_PASSPHRASE, Workspace, check_passphrase

if TYPE_CHECKING:
    from xuncha_desktop.gui.main_window import MainWindow

STATUS_TITLE = "巡察办恢复密钥"
RECOVER_TITLE = "恢复现场工作库口令"
KEY_FILTER = "工作库密钥文件 (*.key);;所有文件 (*)"
KDF: Any = None  # key-derivation parameters for the new slot; None: the real ones (tests make them cheap)
HAS_SLOT = (
    "本工作库已有巡察办恢复密钥。忘记口令时，可把工作库旁的密钥文件“{key}”交巡察办，"
    "由巡察办为它重新设置口令，数据不会丢失。恢复密钥只有巡察办能使用，不能用来查看任何记录。"
)
ADDED_SLOT = "已为本工作库添加巡察办恢复密钥。今后忘记口令时，可把密钥文件“{key}”交巡察办重新设置口令。"
NO_SLOT = (
    "本工作库还没有巡察办恢复密钥：恢复密钥在导入巡察办的配置包时自动添加，本机尚未导入过配置包。"
    "在此之前如果忘记口令，工作库将无法打开，请务必牢记口令。"
)
OFFICE_NOTE = (
    "巡察办工作库不设恢复密钥，请由巡察办管理员妥善保管口令。\n\n"
    "现场工作库的口令忘记时，请用“安全 → 恢复现场工作库口令…”为组员带来的密钥文件重新设置口令。"
)


# -- dialogs (monkeypatch targets in tests) --------------------------------------------------------------
def ask_key_file(parent: QWidget | None, start_dir: Path) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "选择现场工作库的密钥文件", str(start_dir), KEY_FILTER)
    return Path(name) if name else None


def ask_new_passphrase(parent: QWidget | None, key_path: Path, error: str = "") -> str | None:
    dialog = PassphraseDialog(
        f"为密钥文件“{key_path.name}”设置新口令（至少{MIN_PASSPHRASE}个字符），请当面告知该工作库的使用人：",
        confirm=True,
        error=error,
        parent=parent,
    )
    return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None


# -- field: the slot's status ----------------------------------------------------------------------------
def recovery_status(workspace: Workspace) -> str:
    """What the user should know about the office recovery slot; adds it when the office is known."""
    if workspace.info.is_office:
        return OFFICE_NOTE
    key = f"{workspace.path.name}.key"
    try:
        if keys.has_office_recovery(workspace.path):
            return HAS_SLOT.format(key=key)
        return ADDED_SLOT.format(key=key) if keys.ensure_office_recovery(workspace) else NO_SLOT
    except XunchaError as exc:
        return f"无法读取或更新密钥文件“{key}”：{exc}"


def show_status(window: MainWindow) -> None:
    messages.show_info(window, STATUS_TITLE, recovery_status(window.workspace))


# -- office: re-key a field key file ---------------------------------------------------------------------
def recover_field_passphrase(window: MainWindow) -> bool:
    """安全 → 恢复现场工作库口令… (office only); True when a key file got a new passphrase."""
    ws = window.workspace
    if not ws.info.is_office or ws.user.role != vocab.OFFICE_ADMIN:
        messages.show_error(
            window,
            RECOVER_TITLE,
            f"只有巡察办管理员在巡察办工作库中可以恢复现场工作库口令，当前用户是{ws.user.role}。",
        )
        return False
    key_path = ask_key_file(window, Path.home())
    if key_path is None:
        return False
    error = ""
    while True:
        new = ask_new_passphrase(window, key_path, error)
        if new is None:
            return False
        try:
            check_passphrase(new)
        except XunchaError as exc:
            error = str(exc)
            continue

        def recover(_progress: Progress, n: str = new) -> None:
            keys.recover_with_office(ws, key_path, n, kdf=KDF)

        try:
            run_and_wait(window, "正在设置新口令", recover)
        except Cancelled:
            return False
        except Exception as exc:
            messages.show_error(window, RECOVER_TITLE, error_text(exc))
            return False
        messages.show_info(
            window,
            RECOVER_TITLE,
            f"已为密钥文件“{key_path.name}”设置新口令，本次恢复已记入审计日志。\n\n请把该文件交还使用人，"
            "放回其工作库旁的原位置（替换原文件），再用建立该工作库的首位用户（通常是组长）的登录名和新口令"
            "登录；其他用户的口令由组长在“安全 → 用户口令”中重设。",
        )
        return True
