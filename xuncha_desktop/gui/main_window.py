"""The main window: the record tabs, recycle bin and conflicts, menus, the working context and status bar."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QStatusBar,
    QTabWidget,
    QToolBar,
    QWidget,
)

from xuncha_desktop import APP_DISPLAY_NAME
from xuncha_desktop.gui import auto_lock, main_menu, security_menu, startup_collector, window_geometry
from xuncha_desktop.gui.background_reads import Reader, wait_for_reads
from xuncha_desktop.gui.context_bar import ContextBar
from xuncha_desktop.gui.forms import child, load_into
from xuncha_desktop.gui.lazy_slots import LazySlot, PageSlot
from xuncha_desktop.gui.pages.choices import Choices, load_choices
from xuncha_desktop.gui.pages.page_types import PageSpec, WorkContext, shown_types
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.gui.pages.registry import PAGE_SPECS, tab_titles
from xuncha_desktop.gui.views.recycle_bin import RecycleBin
from xuncha_desktop.services.changes import EVERYTHING, Changes
from xuncha_desktop.services.workspace import Workspace

RECYCLE_BIN_TITLE = "回收站"
CONFLICTS_TITLE = "冲突处理"
CONFLICTS_MODULE = "xuncha_desktop.gui.views.conflicts_view"
PLAN_TITLE = "巡察计划"  # office workspaces only (gui/plan)
RECT_TITLE = "整改监督"  # office workspaces only (gui/rectification)
STATS_TITLE = "统计分析"  # office workspaces only (gui/statistics)
PLAN_TYPES = frozenset({"round", "group", "member", "target"})  # what the context bar and forms offer


class MainWindow(QMainWindow):
    """Shows one workspace and owns it from then on: closes it when replaced or when the window closes."""

    # What the workspace reports after each committed change, from whichever thread made it (queued here)
    _changes_reported = Signal(object)

    def __init__(
        self,
        workspace: Workspace,
        *,
        settings: QSettings | None = None,
        specs: Sequence[PageSpec[Any]] = PAGE_SPECS,
        parent: QWidget | None = None,
        recover: bool = True,
    ) -> None:
        super().__init__(parent)
        load_into("main_window.ui", self)
        self._settings = settings if settings is not None else QSettings()
        self._specs = tuple(specs)
        self._tabs = child(self, QTabWidget, "pageTabs")
        self.actions_by_name = {name: child(self, QAction, name) for name in main_menu.ACTION_NAMES}
        self._view_menu = child(self, QMenu, "viewMenu")
        self._toolbar = child(self, QToolBar, "contextToolBar")
        # Widgets are created with their Qt parent: a Python-owned widget that Qt deletes with its parent
        # would be deleted a second time when Python collects it.
        self._workspace_label = QLabel(self)
        self._user_label = QLabel(self)
        self._counts_label = QLabel("记录：正在统计…", self)
        self._count_reader = Reader(self)
        self._pending_counts: Callable[[], str] | None = None
        self._painted = False  # the status bar's counting waits for the window's first paint
        # Reads the first paint need not wait for (the crash-recovery offer, the open conflicts' count in
        # their tab's title): they follow right after it, off the way to the window.
        self._after_paint: list[Callable[[], None]] = []
        status_bar = child(self, QStatusBar, "statusBar")
        status_bar.addWidget(self._workspace_label)
        status_bar.addWidget(self._user_label)
        status_bar.addPermanentWidget(self._counts_label)
        self.context_bar = ContextBar(self._toolbar, self._settings)
        self._workspace = workspace
        self._choices = Choices()
        self._slots: list[PageSlot] = []
        self._stale: set[str] = set()
        self._current: RecordPage[Any] | None = None
        self._switching = False
        self._bin_slot: LazySlot | None = None
        self._conflicts_slot: LazySlot | None = None
        self._plan_slot: LazySlot | None = None
        self._rect_slot: LazySlot | None = None
        self._stats_slot: LazySlot | None = None
        self._stop_listening: Callable[[], None] = lambda: None
        main_menu.install(self)
        security_menu.install(self)
        auto_lock.install(self)
        self._connect_signals()
        self._build_pages()
        self._first_start = window_geometry.restore(self, self._settings)
        if recover:
            self._after_first_paint(self.offer_recovery)
        QTimer.singleShot(1000, self, self._start_counts)  # by then even if the window was never painted

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:  # the status bar's counting starts once this first paint is done
            QTimer.singleShot(0, self, self._start_counts)

    def _start_counts(self) -> None:
        """Once the window has painted (or a second has passed): the counts and the deferred reads."""
        self._painted = True
        startup_collector.resume()  # paused by application() for the way to this first paint
        counts, self._pending_counts = self._pending_counts, None
        if counts is not None:
            self._count_reader.read(counts, self._counts_label.setText)
        waiting, self._after_paint = self._after_paint, []
        if self._workspace.is_closed or self._workspace.is_locked:  # before it was ever painted: no reads
            return  # (a kept form stays kept: it is offered at the next start)
        for task in waiting:
            task()

    def _after_first_paint(self, task: Callable[[], None]) -> None:
        """Run `task` right after the window's first paint (at once when that has happened)."""
        if self._painted:
            task()
        else:
            self._after_paint.append(task)

    def _connect_signals(self) -> None:
        self._changes_reported.connect(self._on_changes)
        self._tabs.currentChanged.connect(self._on_tab_changed)
        self.context_bar.changed.connect(self._on_context_changed)

    # -- public ----------------------------------------------------------------------------------------
    @property
    def workspace(self) -> Workspace:
        return self._workspace

    @property
    def pages(self) -> list[RecordPage[Any]]:
        """Every record page, built now if it has not been shown yet."""
        return [slot.ensure() for slot in self._slots]

    def built_pages(self) -> list[RecordPage[Any]]:
        """The pages built so far (only these can hold edits, a selection or a layout to save)."""
        return [slot.page for slot in self._slots if slot.page is not None]

    @property
    def tabs(self) -> QTabWidget:
        return self._tabs

    @property
    def recycle_bin(self) -> RecycleBin | None:
        content = self._bin_slot.ensure() if self._bin_slot is not None else None
        return content if isinstance(content, RecycleBin) else None

    @property
    def conflicts_view(self) -> Any:
        return self._conflicts_slot.ensure() if self._conflicts_slot is not None else None

    @property
    def plan_area(self) -> Any:
        """The 巡察计划 tab's content (built now), or None on a field laptop."""
        return self._plan_slot.ensure() if self._plan_slot is not None else None

    @property
    def rectification_area(self) -> Any:
        """The 整改监督 tab's content (built now), or None on a field laptop."""
        return self._rect_slot.ensure() if self._rect_slot is not None else None

    @property
    def statistics_area(self) -> Any:
        """The 统计分析 tab's content (built now), or None on a field laptop."""
        return self._stats_slot.ensure() if self._stats_slot is not None else None

    @property
    def settings(self) -> QSettings:
        return self._settings

    def page(self, title: str) -> RecordPage[Any]:
        for slot in self._slots:
            if slot.spec.title == title:
                return slot.ensure()
        raise KeyError(title)

    def page_for(self, type_key: str) -> RecordPage[Any]:
        for slot in self._slots:
            if slot.spec.record_type.key == type_key:
                return slot.ensure()
        raise KeyError(type_key)

    def current_page(self) -> RecordPage[Any] | None:
        """The record page in front, or None when the recycle bin or the conflicts are shown."""
        widget = self._tabs.currentWidget()
        if self._rect_slot is not None and widget is self._rect_slot and self._rect_slot.content is not None:
            # 整改监督's 巡察反馈 and 整改任务 are record pages too: 新建, 保存, 查找 … act on them
            shown = self._rect_slot.content.currentWidget()  # type: ignore[attr-defined]
            return shown if isinstance(shown, RecordPage) else None
        if isinstance(widget, QTabWidget):
            widget = widget.currentWidget()
        return widget.ensure() if isinstance(widget, PageSlot) else None

    def status_texts(self) -> list[str]:
        return [self._workspace_label.text(), self._user_label.text(), self._counts_label.text()]

    def set_workspace(self, workspace: Workspace) -> bool:
        """Show another workspace (after the unsaved-changes guard); the previous one is closed."""
        if not self.confirm_leave_all():
            workspace.close()
            return False
        self.save_page_states()
        previous, self._workspace = self._workspace, workspace
        self._build_pages()
        if previous is not workspace:
            wait_for_reads()
            previous.close()
        QTimer.singleShot(0, self.offer_recovery)
        return True

    # -- building --------------------------------------------------------------------------------------
    def _clear_tabs(self) -> None:
        self._current = None
        blocked = self._tabs.blockSignals(True)
        try:
            while self._tabs.count():
                widget = self._tabs.widget(0)
                self._tabs.removeTab(0)
                if widget is not None:
                    widget.deleteLater()
        finally:
            self._tabs.blockSignals(blocked)

    def _build_pages(self) -> None:
        self._clear_tabs()
        self._stop_listening()
        self._stop_listening = self._workspace.on_changes(self._tell_changes)
        self._choices = load_choices(self._workspace)
        self.context_bar.load(self._choices, self._workspace.info.workspace_id)
        self._slots = []
        blocked = self._tabs.blockSignals(True)
        try:
            for tab in tab_titles(self._specs):
                slots = [PageSlot(s, self._make_page, self._tabs) for s in self._specs if s.tab == tab]
                self._slots.extend(slots)
                if len(slots) == 1:
                    self._tabs.addTab(slots[0], tab)
                    continue
                inner = QTabWidget(self._tabs)
                inner.setObjectName(f"subTabs:{tab}")
                for slot in slots:
                    inner.addTab(slot, slot.spec.title)
                inner.currentChanged.connect(self._on_tab_changed)
                self._tabs.addTab(inner, tab)
            self._plan_slot = None
            if self._workspace.info.is_office:
                self._plan_slot = LazySlot(PLAN_TITLE, self._make_plan_area, self._tabs)
                self._tabs.addTab(self._plan_slot, PLAN_TITLE)
            self._rect_slot = self._stats_slot = None
            if self._workspace.info.is_office:
                self._rect_slot = LazySlot(RECT_TITLE, self._make_rect_area, self._tabs)
                self._tabs.addTab(self._rect_slot, RECT_TITLE)
                self._stats_slot = LazySlot(STATS_TITLE, self._make_stats_area, self._tabs)
                self._tabs.addTab(self._stats_slot, STATS_TITLE)
            self._bin_slot = LazySlot(RECYCLE_BIN_TITLE, self._make_recycle_bin, self._tabs)
            self._tabs.addTab(self._bin_slot, RECYCLE_BIN_TITLE)
            self._add_conflicts_tab()
        finally:
            self._tabs.blockSignals(blocked)
        self._current = self.current_page()
        self.actions_by_name["provisionAction"].setVisible(self._workspace.info.is_office)
        self.actions_by_name["reidentifyAction"].setVisible(not self._workspace.info.is_office)
        main_menu.add_tab_actions(self, self._view_menu)
        self._update_status()

    def _make_page(self, spec: PageSpec[Any], slot: QWidget) -> RecordPage[Any]:
        context = self.context_bar.context()
        page: RecordPage[Any] = RecordPage(
            spec, self._workspace, self._choices, slot, settings=self._settings, context=context
        )
        page.open_requested.connect(self.navigate)
        page.create_requested.connect(self.create_in)
        page.notice.connect(lambda text: self.statusBar().showMessage(text, 6000))
        page.conflict_requested.connect(self.show_conflict)
        return page

    def _make_recycle_bin(self, slot: QWidget) -> RecycleBin:
        recycle_bin = RecycleBin(self._workspace, self._specs, slot)
        recycle_bin.restored.connect(self._on_restored)
        return recycle_bin

    def _make_plan_area(self, slot: QWidget) -> QWidget:
        from xuncha_desktop.gui.plan.plan_area import PlanArea

        return PlanArea(self._workspace, slot)

    def _make_rect_area(self, slot: QWidget) -> QWidget:
        from xuncha_desktop.gui.rectification.area import RectificationArea

        area = RectificationArea(
            self._workspace,
            self._choices,
            slot,
            navigate=self.navigate,
            context=self.context_bar.context(),
            settings=self._settings,
            choose_round=lambda round_id: self.context_bar.set_context(WorkContext(round_id)),
        )
        for page in area.pages():
            page.notice.connect(lambda text: self.statusBar().showMessage(text, 6000))
        return area

    def _make_stats_area(self, slot: QWidget) -> QWidget:
        from xuncha_desktop.gui.statistics.area import StatisticsArea

        return StatisticsArea(
            self._workspace, slot, navigate=self.navigate, context=self.context_bar.context()
        )

    def _add_conflicts_tab(self) -> None:
        """The sync helper's 冲突处理 view, when that module is part of this build (built when first shown;
        the tab shows the number of open conflicts from the start)."""
        if importlib.util.find_spec(CONFLICTS_MODULE) is None:
            return
        self._conflicts_slot = LazySlot(CONFLICTS_TITLE, self._make_conflicts_view, self._tabs)
        self._tabs.addTab(self._conflicts_slot, CONFLICTS_TITLE)
        self._after_first_paint(self._count_conflicts)

    def _count_conflicts(self) -> None:
        """The number of open conflicts in the 冲突处理 tab's title (its view, once built, keeps it)."""
        from xuncha_desktop.services.records.conflicts import ConflictService

        slot = self._conflicts_slot
        if slot is None or slot.content is not None:
            return
        index = self._tabs.indexOf(slot)
        if index >= 0:
            self._tabs.setTabText(index, self._conflicts_title(ConflictService(self._workspace).count_open()))

    def _make_conflicts_view(self, slot: QWidget) -> QWidget:
        view = importlib.import_module(CONFLICTS_MODULE).ConflictsView(self._workspace, slot)
        index = self._tabs.indexOf(slot)
        view.conflicts_changed.connect(lambda n, i=index: self._tabs.setTabText(i, self._conflicts_title(n)))
        view.record_resolved.connect(lambda type_key, _id: self._mark_stale(type_key))
        self._tabs.setTabText(index, self._conflicts_title(view.open_count()))
        return view

    @staticmethod
    def _conflicts_title(count: int) -> str:
        return f"{CONFLICTS_TITLE}（{count}）" if count else CONFLICTS_TITLE

    def reload_choices(self) -> None:
        """Rounds, groups, units or members changed (an import): every form and the toolbar follow."""
        self._choices = load_choices(self._workspace)
        self.context_bar.load(self._choices, self._workspace.info.workspace_id)
        for page in self.built_pages():
            page.set_choices(self._choices)
            page.set_context(self.context_bar.context())
        for area in self._built_areas():
            area.set_choices(self._choices)
            area.set_context(self.context_bar.context())

    def _update_status(self) -> None:
        ws = self._workspace
        self.setWindowTitle(f"{ws.path.name} — {APP_DISPLAY_NAME}")
        self._workspace_label.setText(f"工作库：{ws.path.name}（{ws.info.role_label}）")
        self._workspace_label.setToolTip(str(ws.path))
        self._user_label.setText(f"用户：{ws.user.display_name}（{ws.user.role}）")
        specs = self._specs

        def counts() -> str:
            from xuncha_desktop.services.statistics import record_counts  # not on the way to the window

            counted = record_counts(ws, [s.record_type.key for s in specs])
            return "记录：" + " · ".join(
                f"{s.record_type.number_label} {counted[s.record_type.key]}" for s in specs
            )

        # Counting 100,000 records takes tens of milliseconds: not on the way to the window, nor beside it.
        self._pending_counts = counts
        if self._painted:
            self._start_counts()

    # -- switching pages -------------------------------------------------------------------------------
    def show_page(self, page: RecordPage[Any]) -> None:
        """Bring `page` to the front without asking (callers have run the guard)."""
        self._switching = True
        try:
            slot = page.parentWidget()
            assert slot is not None  # a page is built inside its slot
            for index in range(self._tabs.count()):
                widget = self._tabs.widget(index)
                if isinstance(widget, QTabWidget) and widget.indexOf(slot) >= 0:
                    widget.setCurrentWidget(slot)
                    self._tabs.setCurrentIndex(index)
                elif widget is slot:
                    self._tabs.setCurrentIndex(index)
        finally:
            self._switching = False
        self._arrive(page)

    def show_tab(self, index: int) -> None:
        """Bring main tab `index` forward, as a click on it would (with the guard)."""
        self._tabs.setCurrentIndex(index)

    def _on_tab_changed(self, _index: int) -> None:
        if self._switching:
            return
        arriving = self.current_page()
        leaving = self._current
        if leaving is not None and leaving is not arriving and not leaving.confirm_leave():
            self.show_page(leaving)  # back to the page whose changes are still open
            return
        if arriving is None:
            self._current = None
            shown = self._bin_slot.content if self._bin_slot is not None else None
            if isinstance(shown, RecycleBin) and self._tabs.currentWidget() is self._bin_slot:
                shown.reload()
            return
        self._arrive(arriving)

    def _arrive(self, page: RecordPage[Any]) -> None:
        self._current = page
        page.activate()
        if page.type_key in self._stale:
            self._stale.discard(page.type_key)
            page.refresh()

    def navigate(self, type_key: str, record_id: str) -> None:
        """Open a linked record: its tab comes forward with the record selected."""
        try:
            target = self.page_for(type_key)
        except KeyError:
            return
        leaving = self._current
        if leaving is not None and leaving is not target and not leaving.confirm_leave():
            return
        self.show_page(target)
        target.show_record(record_id)

    def show_conflict(self, conflict_id: str) -> None:
        """冲突处理 forward with this conflict shown (from the note on a record's form); a form with
        unsaved edits asks first, and stays in front when the person cancels."""
        if self._conflicts_slot is None:
            return
        self._tabs.setCurrentWidget(self._conflicts_slot)
        if self._tabs.currentWidget() is self._conflicts_slot:
            self.conflicts_view.show_conflict(conflict_id)

    def create_in(self, type_key: str, record: Any, link_from: Any) -> None:
        """Start a prefilled record on its own tab (登记线索 / 生成底稿 from a talk)."""
        target = self.page_for(type_key)
        leaving = self._current
        if leaving is not None and leaving is not target and not leaving.confirm_leave():
            return
        self.show_page(target)
        target.open_new(record, link_from)

    # -- data changes ----------------------------------------------------------------------------------
    def _mark_stale(self, type_key: str) -> None:
        self._stale.add(type_key)
        current = self.current_page()
        if current is not None and current.type_key == type_key:
            self._arrive(current)
        self._update_status()

    def _tell_changes(self, changes: Changes) -> None:
        """The workspace's listener, called on the thread that committed: queued to the GUI thread."""
        with contextlib.suppress(RuntimeError):  # the window was deleted while its workspace stayed open
            self._changes_reported.emit(changes)

    def _on_changes(self, changes: Changes) -> None:
        """A committed change, from a page, a dialog or a background task: the other pages that show what
        it changed re-read when next shown (the page in front re-read itself); an import re-reads all."""
        if changes.everything:
            self.refresh_all()
            return
        if self._plan_slot is not None and self._plan_slot.content is not None:
            self._plan_slot.content.on_changes(changes)  # type: ignore[attr-defined]
        for area in self._built_areas():
            area.on_changes(changes)
        if changes.touches(PLAN_TYPES):
            self.reload_choices()
        current = self.current_page()
        for slot in self._slots:
            if slot.page is not current and changes.touches(shown_types(slot.spec)):
                self._stale.add(slot.spec.record_type.key)
        self._update_status()

    def _on_restored(self, type_key: str, _record_id: str) -> None:
        self._mark_stale(type_key)

    def refresh_all(self) -> None:
        """Everything may have changed (an import): re-read lists, forms, conflicts and counts."""
        self.reload_choices()
        for page in self.built_pages():
            page.refresh()
        if self._plan_slot is not None and self._plan_slot.content is not None:
            self._plan_slot.content.on_changes(EVERYTHING)  # type: ignore[attr-defined]
        for area in self._built_areas():
            area.on_changes(EVERYTHING)
        self._stale.clear()
        shown = self._bin_slot.content if self._bin_slot is not None else None
        if isinstance(shown, RecycleBin):
            shown.reload()
        if self._conflicts_slot is not None:
            if self._conflicts_slot.content is not None:
                self.conflicts_view.reload()
            else:  # not built yet: only its count in the tab title
                self._count_conflicts()
        self._update_status()

    def _on_context_changed(self, context: WorkContext) -> None:
        for page in self.built_pages():
            page.set_context(context)
        for area in self._built_areas():
            area.set_context(context)

    def _built_areas(self) -> list[Any]:
        """The 整改监督 and 统计分析 areas built so far (they follow the context, the choices and changes)."""
        slots = (self._rect_slot, self._stats_slot)
        return [slot.content for slot in slots if slot is not None and slot.content is not None]

    # -- guard, recovery and closing -------------------------------------------------------------------
    def confirm_leave_all(self) -> bool:
        """Run the unsaved-changes guard on every page with edits, showing each one first."""
        ordered = sorted(self.built_pages(), key=lambda p: p is not self._current)
        for page in ordered:
            if page.is_dirty():
                self.show_page(page)
                if not page.confirm_leave():
                    return False
        plan = self._plan_slot.content if self._plan_slot is not None else None
        if plan is not None and self._plan_slot is not None and plan.is_dirty():  # type: ignore[attr-defined]
            self._tabs.setCurrentWidget(self._plan_slot)
            if not plan.confirm_leave():  # type: ignore[attr-defined]
                return False
        for area in self._built_areas():
            if area.is_dirty() and self._rect_slot is not None:
                self._tabs.setCurrentWidget(self._rect_slot)
                return bool(area.confirm_leave())
        return True

    def offer_recovery(self) -> None:
        """Offer back forms that were being edited when the program last stopped unexpectedly."""
        from xuncha_desktop.services.records.form_recovery import FormRecovery

        kept = set(FormRecovery(self._workspace).pending())  # only pages with a kept form are built
        for slot in self._slots:
            if slot.spec.record_type.key not in kept:
                continue
            page = slot.ensure()
            if page.offer_recovery():
                self.show_page(page)

    def keep_all_for_recovery(self) -> None:
        for page in self.built_pages():
            page.keep_for_recovery()

    def save_page_states(self) -> None:
        for page in self.built_pages():
            page.save_state()

    def show_remembered(self) -> None:
        """Show the window: maximised on first start, later where and how the person last left it."""
        self.showMaximized() if self._first_start else self.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_leave_all():
            event.ignore()
            return
        window_geometry.save(self, self._settings)
        self.save_page_states()
        self._settings.sync()
        wait_for_reads()  # a count still running must not find its workspace closed under it
        self._after_paint.clear()
        self._stop_listening()
        self._workspace.close()
        super().closeEvent(event)
