"""The 文件 menu's work-package commands: export, provision a group's laptops, import with preview.

Each entry point collects its inputs on the GUI thread (paths, choices, the 配置码), then runs the service
call in the background. The small `ask_*` / `show_*` functions are the only modal dialogs here, so tests
replace them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from xuncha_desktop.domain.errors import WrongPassphrase, XunchaError
from xuncha_desktop.gui import export_folder, messages
from xuncha_desktop.gui.background import error_text, run_and_wait, run_with_progress
from xuncha_desktop.gui.dialogs.import_dialog import PREVIEW, SUMMARY, ImportDialog
from xuncha_desktop.gui.dialogs.provision_dialog import CodeDialog, ProvisionChoice, ProvisionDialog
from xuncha_desktop.services import packages, sync
from xuncha_desktop.services.output.pdf_provision_sheet import ProvisionSheet, write_provision_sheet
from xuncha_desktop.services.progress import Cancelled, Progress
from xuncha_desktop.services.security.roster_login import adopt_roster_user, roster_status
from xuncha_desktop.services.sync import ExportReport, ImportReport, import_undo
from xuncha_desktop.services.sync.reidentify import ReidentifyReport, reidentify
from xuncha_desktop.services.sync.roster import (
    GroupChoice,
    GroupRoster,
    group_roster,
    new_code,
    provision_choices,
)
from xuncha_desktop.services.workspace import Workspace

PACKAGE_FILTER = "巡察工作包 (*.xcpkg);;所有文件 (*)"
REIDENTIFY_TITLE = "重新确定身份"
REIDENTIFY_QUESTION = "本工作库是否被复制到了另一台电脑并分别使用？"
REIDENTIFY_TEXT = (
    "只有巡察办拒绝了本机的工作包并提示“检测到复制的工作库”时才需要这样做。\n\n"
    "本机将改用新的身份和密钥，巡察办没有的修订以新身份重新签发，记录编号和内容不变；操作前自动备份。\n"
    "请选用巡察办为本组生成的最新配置包：据此只重新签发巡察办没有的修订。"
)


# -- dialogs (monkeypatch targets in tests) --------------------------------------------------------------
def ask_export_mode(parent: QWidget | None) -> bool | None:
    """True for a full export, False for only what the office has not acknowledged, None to cancel."""
    box = QMessageBox(QMessageBox.Icon.Question, "导出工作包", "请选择导出范围：", parent=parent)
    box.setInformativeText(
        "“仅导出未确认部分”只包含巡察办尚未确认收到的修改，文件较小，日常使用；\n"
        "“完整导出”包含本工作库的全部数据，用于巡察办数据丢失或需要重新汇总时。"
    )
    delta = box.addButton("仅导出未确认部分", QMessageBox.ButtonRole.AcceptRole)
    full = box.addButton("完整导出", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(delta)
    box.exec()
    clicked = box.clickedButton()
    if clicked is delta:
        return False
    return True if clicked is full else None


def ask_save_package(parent: QWidget | None, title: str, default: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, str(default), PACKAGE_FILTER)
    if not name:
        return None
    path = Path(name)
    export_folder.remember(parent, path)  # packages are encrypted: no warning for a synced folder
    return path if path.suffix == packages.SUFFIX else path.with_name(path.name + packages.SUFFIX)


def ask_open_packages(parent: QWidget | None, start_dir: Path) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, "选择要导入的工作包", str(start_dir), PACKAGE_FILTER)
    if names:
        export_folder.remember(parent, Path(names[0]))
    return [Path(n) for n in names]


def ask_code(parent: QWidget | None, names: Sequence[str], error: str = "") -> str | None:
    """The one-time 配置码 that protects a first provisioning package, or None to cancel; `error` says why
    the code typed before was refused."""
    text = f"配置包“{'、'.join(names)}”由一次性配置码保护。\n请输入巡察办配置单上的配置码（不区分大小写）："
    code, ok = QInputDialog.getText(
        parent, "输入配置码", f"{error}\n\n{text}" if error else text, QLineEdit.EchoMode.Normal
    )
    return code.strip() if ok and code.strip() else None


def ask_roster_passphrase(parent: QWidget | None, text: str, error: str = "") -> str | None:
    """The signed-in user's passphrase once more, to make this laptop the roster member's; None: later."""
    secret, ok = QInputDialog.getText(
        parent, "切换为名册用户", f"{error}\n\n{text}" if error else text, QLineEdit.EchoMode.Password
    )
    return secret if ok and secret else None


def ask_provision(
    parent: QWidget | None, choices: Sequence[GroupChoice], roster_of: Callable[[str], GroupRoster]
) -> ProvisionChoice | None:
    dialog = ProvisionDialog(choices, roster_of, export_folder.start_folder(parent), parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def show_code(dialog: CodeDialog) -> None:
    """The 配置码 dialog, modal until the user says the code is written down."""
    dialog.exec()


def ask_reidentify(parent: QWidget | None) -> str | None:
    """ "package" to choose the office's latest package, "plain" to go on without one, None to cancel."""
    box = QMessageBox(QMessageBox.Icon.Warning, REIDENTIFY_TITLE, REIDENTIFY_QUESTION, parent=parent)
    box.setInformativeText(REIDENTIFY_TEXT)
    with_package = box.addButton("选择配置包并继续…", QMessageBox.ButtonRole.AcceptRole)
    plain = box.addButton("不用配置包继续", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return "package" if clicked is with_package else "plain" if clicked is plain else None


def ask_open_package(parent: QWidget | None, start_dir: Path) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "选择巡察办最新的配置包", str(start_dir), PACKAGE_FILTER)
    return Path(name) if name else None


def ask_accept_identity(parent: QWidget | None, reports: Sequence[ImportReport]) -> bool:
    """The office confirms packages from a copied laptop's new identity (audited when imported)."""
    names = "、".join(Path(r.file).name for r in reports)
    box = QMessageBox(QMessageBox.Icon.Question, "确认接受新身份", f"工作包“{names}”：", parent=parent)
    box.setInformativeText(
        f"{reports[0].error}\n\n请先核实这台电脑确属本组，再确认接受；确认将记入审计日志。"
    )
    accept = box.addButton("确认接受新身份", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("暂不接受", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is accept


def show_import_dialog(dialog: ImportDialog) -> bool:
    """Show the preview or summary; True when the user pressed 导入 (or 关闭 on the summary)."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M")


def export_summary(report: ExportReport) -> str:
    scope = {"full": "完整导出", "delta": "仅未确认部分", "provision": "配置包"}.get(report.kind, report.kind)
    return (
        f"已写入：{report.file}\n\n"
        f"范围：{scope}\n修订记录：{report.revisions} 条\n附件：{report.attachments} 个\n"
        f"文件大小：{size_text(report.size)}"
    )


# -- export and provision ------------------------------------------------------------------------------
def export_workspace(parent: QWidget | None, workspace: Workspace) -> None:
    """文件 → 导出工作包: choose the scope and the file, export in the background, show what was written."""
    title = "导出工作包"
    if workspace.info.is_office:
        messages.show_error(parent, title, "巡察办工作库请使用“生成配置包”向巡察组下发数据")
        return
    full = ask_export_mode(parent)
    if full is None:
        return
    who = workspace.user.display_name or workspace.user.login
    name = f"{workspace.path.stem}-{who}-{_stamp()}{'-完整' if full else ''}.xcpkg"
    target = ask_save_package(parent, title, export_folder.start_folder(parent) / name)
    if target is None:
        return

    def job(progress: Progress) -> ExportReport:
        return sync.export_package(workspace, target, full=full, progress=progress)

    def done(report: ExportReport) -> None:
        show_info(parent, title, export_summary(report) + "\n\n请用U盘交给组长或带回巡察办导入。")

    run_with_progress(parent, title, job, done)


def provision_group(parent: QWidget | None, workspace: Workspace) -> None:
    """文件 → 生成配置包 (office only): pick round and group, write the package in the background; for a
    laptop's first provisioning the 配置码 is made here and shown once, with the 配置单 to print."""
    title = "生成配置包"
    if not workspace.info.is_office:
        messages.show_error(parent, title, "只有巡察办工作库可以生成配置包")
        return
    choices = provision_choices(workspace)
    if not choices:
        messages.show_error(parent, title, "工作库中还没有巡察组，请先在巡察计划中建立巡察轮次和巡察组")
        return
    choice = ask_provision(parent, choices, lambda group_id: group_roster(workspace, group_id))
    if choice is None:
        return
    export_folder.remember(parent, choice.target)  # packages are encrypted: no warning for a synced folder
    code = new_code() if choice.first else None

    def job(progress: Progress) -> ExportReport:
        return sync.provision_package(
            workspace, choice.target, group_id=choice.group_id, code=code, progress=progress
        )

    def done(report: ExportReport) -> None:
        if code is None:
            show_info(
                parent, title, export_summary(report) + "\n\n已配置过的电脑导入此包即可获得巡察办的最新数据。"
            )
            return
        roster = group_roster(workspace, choice.group_id)
        sheet = ProvisionSheet(roster, code, report.file.name, date.today())
        show_code(
            CodeDialog(
                code, roster, report.file, lambda path: _print_sheet(parent, workspace, sheet, path), parent
            )
        )

    run_with_progress(parent, title, job, done)


def _print_sheet(
    parent: QWidget | None, workspace: Workspace, sheet: ProvisionSheet, target: Path
) -> Path | None:
    """The 配置单 PDF (it holds the code in clear: a synchronised folder is warned about first)."""
    if not export_folder.accept(parent, target, encrypted=False):
        return None
    try:
        return run_and_wait(
            parent, "打印配置单", lambda _progress: write_provision_sheet(workspace, sheet, target).path
        )
    except Cancelled:
        return None
    except Exception as error:
        messages.show_error(parent, "打印配置单", error_text(error))
        return None


# -- import ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportRun:
    reports: list[ImportReport]
    cancelled: bool


def _needing_code(paths: Sequence[Path]) -> list[str]:
    names = []
    for path in paths:
        try:
            if packages.needs_code(path):
                names.append(path.name)
        except OSError:
            pass  # an unreadable file is reported by the preview
    return names


def _after_cancel(report: ImportReport) -> ImportReport:
    """A second preview after a cancel tells which packages made it in before the user pressed 取消."""
    if report.status == "already_imported":
        return dataclasses.replace(report, status="imported")
    if report.status == "imported":
        return ImportReport(report.file, status="cancelled", error="导入已取消，此工作包未写入任何数据")
    return report


def _preview(
    parent: QWidget | None, workspace: Workspace, paths: Sequence[Path], code: str | None, *, accept: bool
) -> list[ImportReport]:
    return run_and_wait(
        parent,
        "正在预览工作包",
        lambda progress: sync.import_packages(
            workspace, paths, dry_run=True, code=code, progress=progress, accept_identity=accept
        ),
    )


def run_import(
    workspace: Workspace,
    files: Sequence[Path],
    code: str | None,
    progress: Progress,
    accept_identity: bool = False,
) -> ImportRun:
    """The real import (a background job); a cancel keeps the packages finished before it.
    `accept_identity`: a person confirmed packages of a copied laptop's new identity."""
    try:
        reports = sync.import_packages(
            workspace, files, code=code, progress=progress, accept_identity=accept_identity
        )
        return ImportRun(reports, False)
    except Cancelled:
        after = sync.import_packages(
            workspace, files, dry_run=True, code=code, accept_identity=accept_identity
        )
        return ImportRun([_after_cancel(r) for r in after], True)


def merge_reports(previews: Sequence[ImportReport], run: ImportRun) -> list[ImportReport]:
    """One summary row per chosen file: the import's outcome, or the preview's for skipped packages."""
    done = {r.file: r for r in run.reports}
    out = []
    for preview in previews:
        report = done.get(preview.file, preview)
        if run.cancelled and report.status == "imported":
            report = dataclasses.replace(preview, status="imported")  # counts as previewed
        out.append(report)
    return out


def _code_refused(report: ImportReport, coded: Sequence[str]) -> bool:
    return (
        report.status == "rejected" and Path(report.file).name in coded and "配置码" in (report.error or "")
    )


def _preview_with_code(
    parent: QWidget | None, workspace: Workspace, paths: Sequence[Path]
) -> tuple[list[ImportReport], str | None] | None:
    """The preview, after asking for the 配置码 where a package needs one, again while it is refused (the
    packages are only read: a wrong code changes nothing). None when the user gives up."""
    coded = _needing_code(paths)
    if not coded:
        return _preview(parent, workspace, paths, None, accept=False), None
    error = ""
    while True:
        code = ask_code(parent, coded, error)
        if code is None:
            return None
        previews = _preview(parent, workspace, paths, code, accept=False)
        if not any(_code_refused(r, coded) for r in previews):
            return previews, code
        error = (
            f"配置码“{code}”不正确，打不开配置包“{'、'.join(coded)}”（配置包未被改动）。"
            "请核对巡察办配置单上的配置码后重新输入。"
        )


def _adopt(workspace: Workspace, secret: str, _progress: object) -> str:
    return adopt_roster_user(workspace, secret).message()


def _switch_to_roster_user(
    parent: QWidget | None, workspace: Workspace, reports: Sequence[ImportReport]
) -> None:
    """After a provisioning package: a laptop whose login is in the roster becomes that member's once the
    passphrase is typed again (if the user declines, the next sign-in does it)."""
    report = next((r for r in reports if r.roster), None)
    status = roster_status(workspace)
    if report is None or not status.needs_passphrase:
        return
    error = ""
    while (secret := ask_roster_passphrase(parent, status.message(), error)) is not None:
        try:
            report.roster = run_and_wait(parent, "切换为名册用户", partial(_adopt, workspace, secret))
            return
        except WrongPassphrase:
            error = "口令不正确，请重新输入本机的登录口令。"
        except Cancelled:
            return
        except Exception as exc:
            messages.show_error(parent, "切换为名册用户", error_text(exc))
            return


def import_packages(parent: QWidget | None, workspace: Workspace) -> bool:
    """文件 → 导入工作包: choose packages, preview, import with progress, show the summary.

    Returns True when anything was imported (the caller reloads its pages).
    """
    title = "导入工作包"
    paths = ask_open_packages(parent, export_folder.start_folder(parent))
    if not paths:
        return False
    try:
        asked = _preview_with_code(parent, workspace, paths)
        if asked is None:
            return False
        previews, code = asked
        pending = [r for r in previews if r.needs_confirmation]
        accept = bool(pending) and ask_accept_identity(parent, pending)
        if accept:
            previews = _preview(parent, workspace, paths, code, accept=True)
    except Cancelled:
        return False
    except Exception as error:
        messages.show_error(parent, title, error_text(error))
        return False
    if not show_import_dialog(ImportDialog(previews, mode=PREVIEW, parent=parent)):
        return False
    todo = [Path(r.file) for r in previews if r.status != "already_imported"]
    try:
        run = run_and_wait(
            parent, title, lambda progress: run_import(workspace, todo, code, progress, accept)
        )
    except Exception as error:
        messages.show_error(parent, title, error_text(error))
        return False
    summary = merge_reports(previews, run)
    _switch_to_roster_user(parent, workspace, summary)
    show_import_dialog(
        ImportDialog(
            summary,
            mode=SUMMARY,
            report_dir=workspace.path.parent,
            parent=parent,
            undo=lambda owner: undo_last_import(owner, workspace),
        )
    )
    return any(r.status == "imported" for r in run.reports)


def undo_last_import(parent: QWidget | None, workspace: Workspace) -> bool:
    """撤销本次导入: confirm, undo in the background, say what happened; True once undone."""
    pending = import_undo.last_import(workspace)
    if pending is None:
        messages.show_error(parent, "撤销导入", "没有可以撤销的导入（导入后工作库已有其他改动，或已撤销）")
        return False
    question = (
        f"确定要撤销{pending.describe()}吗？\n\n导入新增和更新的内容都将恢复到导入前，撤销记入审计日志。"
    )
    if not messages.confirm_undo_import(parent, question):
        return False
    try:
        run_and_wait(parent, "正在撤销导入", lambda _p: import_undo.undo_last_import(workspace))
    except Cancelled:
        return False
    except XunchaError as exc:
        messages.show_error(parent, "撤销导入", error_text(exc))
        return False
    messages.show_info(parent, "撤销导入", "已撤销本次导入，工作库已回到导入前。")
    return True


# -- a copied workspace ------------------------------------------------------------------------------------
def reidentify_summary(report: ReidentifyReport) -> str:
    lines = [
        f"本工作库已改用新的身份（原身份 {report.old_replica[:8]}，新身份 {report.new_replica[:8]}）。",
        f"以新身份重新签发修订：{report.reminted} 条；巡察办已有的修订 {report.kept} 条保持不变。",
        f"操作前的备份：{report.backup}",
    ]
    if not report.precise:
        lines.append(
            "未选用巡察办的配置包：复制前已有而巡察办尚未确认收到的修订也已重新签发，"
            "巡察办导入后这些记录可能列为冲突，需逐条确认。"
        )
    lines.append("\n下一步：导入巡察办的配置包，再导出工作包交巡察办；巡察办核实后在导入时确认接受新身份。")
    return "\n".join(lines)


def reidentify_workspace(parent: QWidget | None, workspace: Workspace) -> None:
    """文件 → 重新确定身份: the copy of a field workspace that the office refused takes a new identity."""
    if workspace.info.is_office:
        messages.show_error(parent, REIDENTIFY_TITLE, "巡察办工作库不能重新确定身份")
        return
    choice = ask_reidentify(parent)
    if choice is None:
        return
    package = ask_open_package(parent, workspace.path.parent) if choice == "package" else None
    if choice == "package" and package is None:
        return

    def job(progress: Progress) -> ReidentifyReport:
        progress.report(0, 1, "正在重新签发修订")
        return reidentify(workspace, package=package)

    def done(report: ReidentifyReport) -> None:
        show_info(parent, REIDENTIFY_TITLE, reidentify_summary(report))

    run_with_progress(parent, REIDENTIFY_TITLE, job, done)
