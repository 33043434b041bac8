"""The menus of the main window: what each action does, the tab shortcuts, and the 快捷键 page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from xuncha_desktop.gui import messages
from xuncha_desktop.gui.forms import child
from xuncha_desktop.gui.workspace_opener import create_workspace, open_workspace

if TYPE_CHECKING:
    from xuncha_desktop.gui.main_window import MainWindow

ACTION_NAMES = (
    "newWorkspaceAction",
    "openWorkspaceAction",
    "importPackagesAction",
    "exportWorkspaceAction",
    "provisionAction",
    "reidentifyAction",
    "printAction",
    "printBatchAction",
    "exportLedgerAction",
    "importLedgerAction",
    "quitAction",
    "newRecordAction",
    "saveRecordAction",
    "duplicateRecordAction",
    "deleteRecordAction",
    "findAction",
    "clearFiltersAction",
    "refreshAction",
    "resetLayoutAction",
    "shortcutsAction",
    "aboutAction",
)
# Keys that are not menu shortcuts but work all the same.
EXTRA_SHORTCUTS = (
    ("Delete", "在列表中：把所选记录移入回收站（会先确认）"),
    ("Ctrl+Tab / Ctrl+Shift+Tab", "切换到下一个 / 上一个页面"),
    ("Tab / Shift+Tab", "在表单栏目之间移动"),
    ("Ctrl+Delete", "在日期栏中：清除日期"),
    ("Enter", "在搜索框中：立即搜索"),
)


def _on_page(window: MainWindow, method: str) -> Any:
    def run() -> None:
        page = window.current_page()
        if page is not None:
            getattr(page, method)()

    return run


def install(window: MainWindow) -> None:
    """Connect every menu action of the window to what it does."""
    a = window.actions_by_name
    a["deleteRecordAction"].setText("删除到回收站(&D)\tDel")  # the key itself belongs to the list
    a["newWorkspaceAction"].triggered.connect(lambda: new_workspace(window))
    a["openWorkspaceAction"].triggered.connect(lambda: open_other_workspace(window))
    a["importPackagesAction"].triggered.connect(lambda: import_packages(window))
    a["exportWorkspaceAction"].triggered.connect(lambda: export_workspace(window))
    a["provisionAction"].triggered.connect(lambda: provision(window))
    a["reidentifyAction"].triggered.connect(lambda: reidentify(window))
    a["printAction"].triggered.connect(lambda: print_current(window))
    a["printBatchAction"].triggered.connect(lambda: print_batch(window))
    a["exportLedgerAction"].triggered.connect(lambda: export_ledger(window))
    a["importLedgerAction"].triggered.connect(lambda: import_ledger(window))
    _add_report_action(window)
    a["quitAction"].triggered.connect(window.close)
    for name, method in (
        ("newRecordAction", "new_record"),
        ("saveRecordAction", "save"),
        ("duplicateRecordAction", "duplicate"),
        ("deleteRecordAction", "delete_current"),
        ("findAction", "focus_search"),
        ("clearFiltersAction", "clear_filters"),
        ("refreshAction", "refresh"),
    ):
        a[name].triggered.connect(_on_page(window, method))
    a["refreshAction"].triggered.connect(window.refresh_all)
    a["resetLayoutAction"].triggered.connect(lambda: reset_layouts(window))
    a["shortcutsAction"].triggered.connect(lambda: messages.show_shortcuts(window, shortcut_rows(window)))
    toolbar = child(window, QToolBar, "contextToolBar").toggleViewAction()
    toolbar.setText("显示工作范围工具栏")
    child(window, QMenu, "viewMenu").addAction(toolbar)
    a["aboutAction"].triggered.connect(lambda: messages.show_about(window))
    from xuncha_desktop.gui.dialogs import global_search_dialog

    global_search_dialog.install(window)  # 编辑 → 全局搜索… (Ctrl+K)


def _add_report_action(window: MainWindow) -> None:
    """文件 → 生成报告初稿…, after 导出台账 (made here: the window's .ui stays as it is)."""
    action = QAction("生成报告初稿(&R)…", window)
    action.setObjectName("reportAction")
    action.setStatusTip("巡察报告初稿、一把手专题材料、巡察反馈意见或底稿审批单，生成 Word 文档或 PDF")
    action.triggered.connect(lambda: generate_reports(window))
    child(window, QMenu, "fileMenu").insertAction(window.actions_by_name["importLedgerAction"], action)
    window.actions_by_name["reportAction"] = action


def generate_reports(window: MainWindow) -> None:
    from xuncha_desktop.gui import report_actions

    report_actions.generate_reports(window, window.workspace)


def reset_layouts(window: MainWindow) -> None:
    for page in window.pages:
        page.reset_layout()


def add_tab_actions(window: MainWindow, menu: QMenu) -> None:
    """视图 → one entry per main tab, Ctrl+1 … Ctrl+7 (rebuilt with the tabs)."""
    for old in menu.actions():
        if old.property("tabAction"):
            menu.removeAction(old)
            old.deleteLater()
    first = menu.actions()[0] if menu.actions() else None
    for index in range(window.tabs.count()):
        action = QAction(f"{window.tabs.tabText(index).split('（')[0]}", window)
        action.setProperty("tabAction", True)
        action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        action.triggered.connect(lambda _checked=False, i=index: window.show_tab(i))
        if first is None:
            menu.addAction(action)
        else:
            menu.insertAction(first, action)
    if first is not None:
        separator = menu.insertSeparator(first)
        separator.setProperty("tabAction", True)


def shortcut_rows(window: MainWindow) -> list[tuple[str, str]]:
    """Every keyboard shortcut with what it does, for the 快捷键 page."""
    rows = []
    for action in window.findChildren(QAction):
        if action.parent() is not window or action.shortcut().isEmpty():
            continue
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        text = action.text().split("\t")[0].replace("&", "").split("(")[0]
        rows.append((keys, text))
    ordered = sorted(set(rows), key=lambda row: (len(row[0]), row[0]))
    return ordered + list(EXTRA_SHORTCUTS)


# -- 文件 ----------------------------------------------------------------------------------------------
# Printing, ledgers and packages load reportlab, openpyxl and age: imported on first use, not at start.
def new_workspace(window: MainWindow) -> None:
    if not window.confirm_leave_all():
        return
    path = messages.choose_new_workspace_file(window, window.workspace.path.parent)
    if path is None:
        return
    created = create_workspace(window, path)
    if created is not None:
        window.set_workspace(created)


def open_other_workspace(window: MainWindow) -> None:
    path = messages.choose_workspace_file(window, window.workspace.path.parent)
    if path is None or path == window.workspace.path:
        return
    if not window.confirm_leave_all():
        return
    opened = open_workspace(window, path, settings=window.settings)
    if opened is not None:
        window.set_workspace(opened)


def import_packages(window: MainWindow) -> None:
    from xuncha_desktop.gui import sync_actions

    if window.confirm_leave_all():  # the import reports that everything changed: the window re-reads all
        sync_actions.import_packages(window, window.workspace)


def export_workspace(window: MainWindow) -> None:
    from xuncha_desktop.gui import sync_actions

    if window.confirm_leave_all():
        sync_actions.export_workspace(window, window.workspace)


def provision(window: MainWindow) -> None:
    from xuncha_desktop.gui import sync_actions

    sync_actions.provision_group(window, window.workspace)
    window.refresh_all()


def reidentify(window: MainWindow) -> None:
    from xuncha_desktop.gui import sync_actions

    if window.confirm_leave_all():
        sync_actions.reidentify_workspace(window, window.workspace)


def _rect_area_in_front(window: MainWindow) -> Any:
    """The 整改监督 area when its tab is in front (its screens print and export their own outputs)."""
    from xuncha_desktop.gui.rectification.area import RectificationArea

    content = getattr(window.tabs.currentWidget(), "content", None)
    return content if isinstance(content, RectificationArea) else None


def _stats_overview_in_front(window: MainWindow) -> Any:
    """统计分析's 统计概览 when it is in front (打印 / 导出台账 give its 统计简报 / 统计表 of its scope)."""
    from xuncha_desktop.gui.statistics.area import StatisticsArea
    from xuncha_desktop.gui.statistics.overview import OverviewScreen

    area = getattr(window.tabs.currentWidget(), "content", None)
    if not isinstance(area, StatisticsArea):
        return None
    screen = getattr(area.currentWidget(), "content", None)
    return screen if isinstance(screen, OverviewScreen) else None


def print_current(window: MainWindow) -> None:
    """打印: the shown record rendered in the background and previewed, from where it is printed or saved."""
    from xuncha_desktop.gui import output_actions
    from xuncha_desktop.gui.statistics import outputs

    overview = _stats_overview_in_front(window)
    if overview is not None:
        outputs.print_brief(overview)
        return
    area = _rect_area_in_front(window)
    if area is not None:
        area.print_current()
        return
    page = window.current_page()
    if page is None:
        messages.show_info(window, "打印", "请先切换到记录页面并选择要打印的记录。")
        return
    if page.confirm_leave():
        shown = page.current_record()
        output_actions.print_records(window, window.workspace, page.type_key, [shown.id] if shown else [])


def print_batch(window: MainWindow) -> None:
    from xuncha_desktop.gui import output_actions

    output_actions.print_batch(window, window.workspace, window.context_bar.context().target_id)


def export_ledger(window: MainWindow) -> None:
    from xuncha_desktop.gui import output_actions
    from xuncha_desktop.gui.statistics import outputs

    overview = _stats_overview_in_front(window)
    if overview is not None:
        outputs.export_workbook(overview)
        return
    area = _rect_area_in_front(window)
    if area is not None:
        area.export_current()
        return
    from xuncha_desktop.services.output.excel_export import ListSelection

    page = window.current_page()
    kind, label = (page.type_key, page.spec.title) if page is not None else ("statistics", "统计")
    shown = ListSelection(page.type_key, page.list_query()) if page is not None else None
    output_actions.export_ledger(window, window.workspace, kind, label, shown=shown)


def import_ledger(window: MainWindow) -> None:
    """导入台账 into the shown page (问题线索 or 底稿), within the working context."""
    from xuncha_desktop.gui import output_actions
    from xuncha_desktop.services.output.excel_import import ImportContext

    page = window.current_page()
    context = window.context_bar.context()
    if not context.round_id or not context.group_id:
        messages.show_info(window, "导入台账", "请先在工具栏选择导入到哪个巡察轮次和巡察组。")
        return
    kind = page.type_key if page is not None else ""
    where = ImportContext(context.round_id, context.group_id, context.target_id)
    if output_actions.import_ledger(window, window.workspace, kind, where):
        window.refresh_all()
