"""关联记录 and 附件 of a record page: tabs beside the form's own tabs, so the form has the page's whole
height (a 1366×768 screen shows every form's main fields without scrolling)."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from xuncha_desktop.gui.forms import child
from xuncha_desktop.gui.pages.attachments_panel import AttachmentsPanel
from xuncha_desktop.gui.pages.links_panel import LinksPanel
from xuncha_desktop.services.workspace import Workspace

FORM_TABS = "formTabs"  # the QTabWidget of a record form's .ui (the form's own tabs)
FORM_TAB_TITLE = "基本信息"  # the form's tab when the form has no tabs of its own


class PagePanels:
    """Builds the two panels into record_page.ui's slots, then moves their tabs next to the form's."""

    def __init__(self, workspace: Workspace, chrome: QWidget, form: QWidget) -> None:
        self.links = LinksPanel(workspace, child(chrome, QWidget, "linksSlot"))
        self.attachments = AttachmentsPanel(workspace, child(chrome, QWidget, "attachmentsSlot"))
        for panel in (self.links, self.attachments):
            slot = panel.parentWidget()
            assert slot is not None
            layout = QVBoxLayout(slot)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(panel)
        self._links_tab = child(chrome, QWidget, "linksTab")
        self._files_tab = child(chrome, QWidget, "attachmentsTab")
        self.tabs = self._place(chrome, form)

    def _place(self, chrome: QWidget, form: QWidget) -> QTabWidget:
        """The form's own `formTabs` take the two tabs; a form without tabs gets a tab widget whose first
        tab is the form (the one pattern for every record page)."""
        side = child(chrome, QTabWidget, "sideTabs")
        tabs = form.findChild(QTabWidget, FORM_TABS)
        if tabs is None:
            splitter = child(chrome, QSplitter, "detailSplitter")
            area = child(chrome, QScrollArea, "formArea")
            tabs = QTabWidget(chrome)  # parented by Qt at once; the splitter takes it over below
            tabs.setObjectName("pageFormTabs")
            splitter.replaceWidget(splitter.indexOf(area), tabs)
            tabs.addTab(area, FORM_TAB_TITLE)
        for tab in (self._links_tab, self._files_tab):
            index = side.indexOf(tab)
            title = side.tabText(index)
            side.removeTab(index)
            tabs.addTab(tab, title)
        side.hide()
        return tabs

    def show_for(self, type_key: str, record_id: str) -> None:
        """The links and files of a record ("" for a new one), counted in the tab titles."""
        self.links.set_record(type_key, record_id)
        self.attachments.set_record(type_key, record_id)
        tabs = self.tabs
        tabs.setTabText(tabs.indexOf(self._links_tab), f"关联记录（{len(self.links.links())}）")
        tabs.setTabText(tabs.indexOf(self._files_tab), f"附件（{len(self.attachments.attachments())}）")
