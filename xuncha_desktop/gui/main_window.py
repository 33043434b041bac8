"""The main window: one tab per PageSpec tab, the File and Help menus, and a status bar on the workspace."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QStatusBar, QTabWidget, QWidget

from xuncha_desktop import APP_DISPLAY_NAME
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.forms import child, load_into
from xuncha_desktop.gui.page_specs import PAGE_SPECS, PageSpec, tab_titles
from xuncha_desktop.gui.record_page import RecordPage
from xuncha_desktop.gui.workspace_opener import open_workspace
from xuncha_desktop.services.context_names import load_context_names
from xuncha_desktop.services.records import ListQuery
from xuncha_desktop.services.workspace import Workspace

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"


class MainWindow(QMainWindow):
    """Shows one workspace and owns it from then on: closes it when replaced or when the window closes."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        settings: QSettings | None = None,
        specs: Sequence[PageSpec[Any]] = PAGE_SPECS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        load_into("main_window.ui", self)
        self._settings = settings if settings is not None else QSettings()
        self._specs = tuple(specs)
        self._tabs = child(self, QTabWidget, "pageTabs")
        self._open_action = child(self, QAction, "openWorkspaceAction")
        self._quit_action = child(self, QAction, "quitAction")
        self._about_action = child(self, QAction, "aboutAction")
        self._workspace_label = QLabel()
        self._user_label = QLabel()
        self._counts_label = QLabel()
        status_bar = child(self, QStatusBar, "statusBar")
        status_bar.addWidget(self._workspace_label)
        status_bar.addWidget(self._user_label)
        status_bar.addPermanentWidget(self._counts_label)
        self._workspace = workspace
        self._pages: list[RecordPage[Any]] = []
        self._connect_signals()
        self._build_pages()
        self._restore_geometry()

    def _connect_signals(self) -> None:
        self._open_action.triggered.connect(self._open_other_workspace)
        self._quit_action.triggered.connect(self.close)
        self._about_action.triggered.connect(self._show_about)

    # -- public ----------------------------------------------------------------------------------------
    @property
    def workspace(self) -> Workspace:
        return self._workspace

    @property
    def pages(self) -> list[RecordPage[Any]]:
        return list(self._pages)

    @property
    def tabs(self) -> QTabWidget:
        return self._tabs

    def page(self, title: str) -> RecordPage[Any]:
        for page in self._pages:
            if page.spec.title == title:
                return page
        raise KeyError(title)

    def set_workspace(self, workspace: Workspace) -> None:
        """Show another workspace; the previous one is closed."""
        previous, self._workspace = self._workspace, workspace
        self._build_pages()
        if previous is not workspace:
            previous.close()

    def status_texts(self) -> list[str]:
        return [self._workspace_label.text(), self._user_label.text(), self._counts_label.text()]

    # -- building --------------------------------------------------------------------------------------
    def _build_pages(self) -> None:
        while self._tabs.count():
            widget = self._tabs.widget(0)
            self._tabs.removeTab(0)
            if widget is not None:
                widget.deleteLater()
        names = load_context_names(self._workspace)
        self._pages = []
        for tab in tab_titles(self._specs):
            specs = [s for s in self._specs if s.tab == tab]
            pages = [RecordPage(s, s.service(self._workspace), names) for s in specs]
            self._pages.extend(pages)
            if len(pages) == 1:
                self._tabs.addTab(pages[0], tab)
            else:
                inner = QTabWidget()
                inner.setObjectName(f"subTabs:{tab}")
                for page in pages:
                    inner.addTab(page, page.spec.title)
                self._tabs.addTab(inner, tab)
        self._update_status()

    def _update_status(self) -> None:
        ws = self._workspace
        self.setWindowTitle(f"{ws.path.name} — {APP_DISPLAY_NAME}")
        self._workspace_label.setText(f"工作库：{ws.path.name}（{ws.info.role_label}）")
        self._workspace_label.setToolTip(str(ws.path))
        self._user_label.setText(f"用户：{ws.user.display_name}（{ws.user.role}）")
        everything = ListQuery(limit=None)
        counts = [f"{s.record_type.number_label} {s.service(ws).count(everything)}" for s in self._specs]
        self._counts_label.setText("记录：" + " · ".join(counts))

    # -- geometry --------------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self._settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self._fit_to_screen()
        state = self._settings.value(STATE_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def _fit_to_screen(self) -> None:
        """First start: most of the screen, centred (field laptops are often only 1366×768)."""
        screen = self.screen().availableGeometry()
        width = min(self.width(), int(screen.width() * 0.92))
        height = min(self.height(), int(screen.height() * 0.92))
        self.resize(width, height)
        self.move(screen.center().x() - width // 2, screen.center().y() - height // 2)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.setValue(STATE_KEY, self.saveState())
        self._settings.sync()
        self._workspace.close()
        super().closeEvent(event)

    # -- menu actions ----------------------------------------------------------------------------------
    def _open_other_workspace(self) -> None:
        path = messages.choose_workspace_file(self, self._workspace.path.parent)
        if path is None or path == self._workspace.path:
            return
        workspace = open_workspace(self, path)
        if workspace is not None:
            self.set_workspace(workspace)

    def _show_about(self) -> None:
        messages.show_about(self)
