"""全局搜索 (Ctrl+K): one box over every record type; results grouped by type, a record opens in its tab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain.record_types import FEEDBACK, TASK
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.background_reads import Reader
from xuncha_desktop.gui.forms import child
from xuncha_desktop.gui.pages.page_types import WorkContext
from xuncha_desktop.gui.pages.registry import PAGE_SPECS
from xuncha_desktop.services.records.global_search import SearchHit, SearchResults, search_all
from xuncha_desktop.services.workspace import Workspace

if TYPE_CHECKING:
    from xuncha_desktop.gui.main_window import MainWindow

TITLE = "全局搜索"
SEARCH_DELAY_MS = 300  # wait for a pause in typing (or an IME commit) before searching
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("编号", "标题", "内容摘要")


def _titles() -> dict[str, Any]:
    """Each record page's form heading titles its results (反映 赵某 的问题线索 …)."""
    return {spec.record_type.key: spec.heading for spec in PAGE_SPECS}


class GlobalSearchDialog(QDialog):
    """Type to search; Enter or a double-click opens the chosen (else the first) result."""

    open_requested = Signal(object)  # SearchHit

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("globalSearchDialog")
        self.setWindowTitle(TITLE)
        self.resize(760, 480)
        self._ws = workspace
        self._reader = Reader(self)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("globalSearchEdit")
        self.search_edit.setPlaceholderText("搜索全部记录：编号、姓名、单位、内容……（空格分隔多个词）")
        self.search_edit.setClearButtonEnabled(True)
        self.status_label = QLabel("输入要查找的内容", self)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("globalSearchResults")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 220)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tree, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._shown_query: str | None = None
        self.search_edit.textChanged.connect(self._on_text_changed)
        self.search_edit.returnPressed.connect(self._on_return)
        self.search_edit.installEventFilter(self)
        self._timer.timeout.connect(self.search_now)
        self.tree.itemActivated.connect(lambda item, _col: self._open(item))

    @property
    def workspace(self) -> Workspace:
        return self._ws

    def set_workspace(self, workspace: Workspace) -> None:
        self._ws = workspace
        self.tree.clear()
        self._shown_query = None

    def open_fresh(self) -> None:
        """Show the dialog with the box focused and its text selected (a new search types over it)."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- searching ---------------------------------------------------------------------------------------
    def _on_text_changed(self, text: str) -> None:
        if text.strip() and text.strip() != self._shown_query:
            self.status_label.setText("正在搜索……")  # the results below are of the previous text
        self._timer.start()

    def search_now(self) -> None:
        self._timer.stop()
        query = self.search_edit.text().strip()
        if not query:
            self.tree.clear()
            self._shown_query = None
            self.status_label.setText("输入要查找的内容")
            return
        if query == self._shown_query:
            return
        self.status_label.setText("正在搜索……")
        ws, titles = self._ws, _titles()
        self._reader.read(lambda: search_all(ws, query, titles=titles), self._show_results)

    def _show_results(self, results: SearchResults) -> None:
        if results.query != self.search_edit.text().strip():
            return  # an older search finished after a newer one began
        self._shown_query = results.query
        self.tree.clear()
        for group in results.groups:
            count = f"{group.total}{'+' if group.more else ''}"
            shown = f"，显示前 {len(group.hits)} 条" if len(group.hits) < group.total else ""
            heading = QTreeWidgetItem(self.tree, [f"{group.label}（{count} 条{shown}）"])
            heading.setFirstColumnSpanned(True)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            for hit in group.hits:
                item = QTreeWidgetItem(heading, [hit.number or "—", hit.title, hit.snippet])
                item.setData(0, HIT_ROLE, hit)
                item.setToolTip(2, hit.snippet)
            heading.setExpanded(True)
        if not results.groups:
            self.status_label.setText(f"没有找到包含“{results.query}”的记录")
            return
        more = "+" if any(g.more for g in results.groups) else ""
        self.status_label.setText(
            f"找到 {results.total}{more} 条（{len(results.groups)} 类记录）；回车或双击打开所选记录"
        )
        first = self.hit_items()[0]
        self.tree.setCurrentItem(first)

    # -- reading the results (also for tests) -----------------------------------------------------------
    def _headings(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def group_labels(self) -> list[str]:
        return [heading.text(0) for heading in self._headings()]

    def hit_items(self) -> list[QTreeWidgetItem]:
        items: list[QTreeWidgetItem] = []
        for heading in self._headings():
            found = (heading.child(j) for j in range(heading.childCount()))
            items.extend(item for item in found if item is not None)
        return items

    def hits(self) -> list[SearchHit]:
        return [item.data(0, HIT_ROLE) for item in self.hit_items()]

    # -- opening -----------------------------------------------------------------------------------------
    def eventFilter(self, watched: Any, event: Any) -> bool:
        arrow = isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        if watched is self.search_edit and arrow and event.type() == event.Type.KeyPress and self.hit_items():
            self.tree.setFocus()  # arrows move from the box into the results
        return super().eventFilter(watched, event)

    def _on_return(self) -> None:
        if self.search_edit.text().strip() != self._shown_query:
            self.search_now()  # Enter before the pause: search at once; Enter again opens
            return
        current = self.tree.currentItem()
        items = self.hit_items()
        self._open(current if current is not None else items[0] if items else None)

    def _open(self, item: QTreeWidgetItem | None) -> None:
        hit = item.data(0, HIT_ROLE) if item is not None else None
        if isinstance(hit, SearchHit):
            self.open_requested.emit(hit)


# -- the window side -------------------------------------------------------------------------------------
def open_hit(window: MainWindow, hit: SearchHit) -> bool:
    """Bring the record's tab forward with the record selected; the working context widens first when it
    hides the record (another round, group or unit). False when the type has no page to show it in."""
    try:
        page = window.page_for(hit.type_key)
    except KeyError:
        return _open_elsewhere(window, hit)
    _widen_context(window, hit, page.spec)
    window.navigate(hit.type_key, hit.record_id)
    return True


def _widen_context(window: MainWindow, hit: SearchHit, spec: Any) -> None:
    context = window.context_bar.context()
    wanted = {"round_id": hit.round_id, "group_id": hit.group_id, "target_id": hit.target_id}
    hidden = any(
        getattr(context, name) and value and getattr(context, name) != value and spec.has_field(name)
        for name, value in wanted.items()
    )
    if not hidden:
        return
    widened = WorkContext(
        hit.round_id if context.round_id else "",
        hit.group_id if context.group_id else "",
        hit.target_id if context.target_id and spec.has_field("target_id") else "",
    )
    window.context_bar.set_context(widened)
    window.statusBar().showMessage("已切换工作范围（巡察轮次、巡察组或单位）以显示该记录", 6000)


def _open_elsewhere(window: MainWindow, hit: SearchHit) -> bool:
    area = window.rectification_area if hit.type_key in (FEEDBACK.key, TASK.key) else None
    slot = area.parentWidget() if area is not None else None
    if area is None or slot is None:
        messages.show_info(window, TITLE, f"{hit.type_label}没有单独的记录页面，请在相应的页面中查看。")
        return False
    window.tabs.setCurrentWidget(slot)
    area.open_record(hit.type_key, hit.record_id)
    return True


def install(window: MainWindow) -> QAction:
    """编辑 → 全局搜索… (Ctrl+K), after 查找; one dialog per window, following its workspace."""
    action = QAction("全局搜索(&K)…", window)
    action.setObjectName("globalSearchAction")
    action.setShortcut(QKeySequence("Ctrl+K"))
    action.setStatusTip("在全部记录中查找，按类型分组显示，打开所选记录")
    menu = child(window, QMenu, "editMenu")
    after = window.actions_by_name["findAction"]
    actions = menu.actions()
    index = actions.index(after) + 1 if after in actions else len(actions)
    if index < len(actions):
        menu.insertAction(actions[index], action)
    else:
        menu.addAction(action)
    window.addAction(action)
    dialogs: list[GlobalSearchDialog] = []

    def show() -> None:
        if not dialogs:
            dialog = GlobalSearchDialog(window.workspace, window)
            dialog.open_requested.connect(lambda hit: _opened(window, dialog, hit))
            dialogs.append(dialog)
        dialog = dialogs[0]
        if dialog.workspace is not window.workspace:
            dialog.set_workspace(window.workspace)
        dialog.open_fresh()

    action.triggered.connect(show)
    return action


def _opened(window: MainWindow, dialog: GlobalSearchDialog, hit: SearchHit) -> None:
    if open_hit(window, hit):
        dialog.hide()
