"""The 整改监督 tab of an office workspace. 巡察反馈 and 整改任务 are record pages (gui/pages RecordPage over
specs built for this workspace); 到期提醒, 线索对账, 回头看 and 整改质效评估 are RoundScreens (a round chooser
over the plan area's list-and-form editor). Each re-reads after a committed change touching what it shows:
the one in front at once, the others when next shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from xuncha_desktop.domain.record_types import (
    DRAFT,
    FEEDBACK,
    LEAD,
    RECHECK,
    RECONCILIATION,
    ROUND,
    SUPERVISION,
    TARGET,
    TASK,
)
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.field_bindings import FieldBinding as B
from xuncha_desktop.gui.pages.page_types import WorkContext, shown_types
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.gui.rectification.feedback_page import feedback_spec
from xuncha_desktop.gui.rectification.outputs import AreaOutputs
from xuncha_desktop.gui.rectification.record_dialog import RecordDialog, run_record_dialog
from xuncha_desktop.gui.rectification.rect_context import RectContext
from xuncha_desktop.gui.rectification.round_hint import ChooseRound, RoundHint
from xuncha_desktop.gui.rectification.round_screen import RoundScreen
from xuncha_desktop.gui.rectification.task_page import install_delegate, task_spec
from xuncha_desktop.services.changes import Changes
from xuncha_desktop.services.rectification.settings import RectificationSettings, save_settings
from xuncha_desktop.services.workspace import Workspace

TITLE = "整改监督"
RECTIFICATION = frozenset({FEEDBACK.key, TASK.key, SUPERVISION.key, RECHECK.key, RECONCILIATION.key})
SCREEN_READS = RECTIFICATION | {LEAD.key, DRAFT.key, ROUND.key, TARGET.key, "settings"}
SETTINGS_BINDINGS = (
    B("plan_due_working_days", "planDueWorkingDaysSpin"),
    B("report_due_months", "reportDueMonthsSpin"),
    B("due_soon_days", "dueSoonDaysSpin"),
)
Navigate = Callable[[str, str], None]


class RectificationArea(QTabWidget):
    """整改监督 (office workspaces only). `navigate(type_key, id)` opens a record of another tab (a 底稿)."""

    def __init__(
        self,
        workspace: Workspace,
        choices: Choices,
        parent: QWidget | None = None,
        *,
        navigate: Navigate | None = None,
        context: WorkContext | None = None,
        today: Callable[[], date] = date.today,
        settings: Any = None,
        choose_round: ChooseRound | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rectificationArea")
        self.rc = RectContext.load(workspace, today)
        self._navigate = navigate or (lambda _type_key, _id: None)
        self._stale: set[QWidget] = set()
        self._context = context or WorkContext()
        how = {"settings": settings, "context": self._context}
        specs = (feedback_spec(workspace, today), task_spec(self.rc))
        self.feedback_page: RecordPage[Any] = RecordPage(specs[0], workspace, choices, self, **how)
        self.task_page: RecordPage[Any] = RecordPage(specs[1], workspace, choices, self, **how)
        self._specs: list[tuple[QWidget, Any]] = [(self.feedback_page, specs[0]), (self.task_page, specs[1])]
        install_delegate(self.task_page.table, self.rc)
        for page in (self.feedback_page, self.task_page):
            page.open_requested.connect(self.open_record)
        self._slots = [ScreenSlot(title, partial(build, self), self) for title, build in SCREENS]
        self.addTab(self.feedback_page, "巡察反馈")
        self.addTab(self.task_page, "整改任务")
        for slot in self._slots:
            self.addTab(slot, slot.title)
        self.currentChanged.connect(self._on_tab_changed)
        self.outputs = AreaOutputs(self)
        self.round_hint = RoundHint(self, workspace, choices, choose_round)
        self.round_hint.follow(self._context.round_id)

    # -- public ----------------------------------------------------------------------------------------
    @property
    def context(self) -> WorkContext:
        return self._context

    def pages(self) -> list[RecordPage[Any]]:
        return [self.feedback_page, self.task_page]

    def screens(self) -> list[RoundScreen]:
        """The round screens built so far (each is built when first shown)."""
        return [slot.content for slot in self._slots if slot.content is not None]

    def current_screen(self) -> RoundScreen | None:
        """The round screen in front, or None when a record page is."""
        widget = self.currentWidget()
        return widget.ensure() if isinstance(widget, ScreenSlot) else None

    def confirm_leave_current(self) -> bool:
        """The page or screen in front may be left (its unsaved edits saved or discarded, as asked)."""
        return self._leave_current()

    def print_current(self) -> None:
        """文件 → 打印 on this tab (outputs.AreaOutputs.print_current)."""
        self.outputs.print_current()

    def export_current(self) -> None:
        """文件 → 导出台账 on this tab (outputs.AreaOutputs.export_current)."""
        self.outputs.export_current()

    def round_screen(self, title: str) -> RoundScreen:
        """The round screen `title` (到期提醒 …), built and read now if needed."""
        for slot in self._slots:
            if slot.title == title:
                return slot.ensure()
        raise KeyError(title)

    def show_screen(self, title: str) -> QWidget:
        """Bring page or screen `title` forward."""
        for index in range(self.count()):
            if self.tabText(index) == title:
                self.setCurrentIndex(index)
                widget = self.widget(index)
                assert widget is not None
                if isinstance(widget, RecordPage):
                    widget.activate()
                return widget.ensure() if isinstance(widget, ScreenSlot) else widget
        raise KeyError(title)

    def open_record(self, type_key: str, record_id: str) -> None:
        """A task or a feedback opens here; anything else (a 底稿) on its own tab."""
        page = {TASK.key: self.task_page, FEEDBACK.key: self.feedback_page}.get(type_key)
        if page is None:
            self._navigate(type_key, record_id)
            return
        if self.currentWidget() is not page and not self._leave_current():
            return
        self.setCurrentWidget(page)
        page.show_record(record_id)

    def set_context(self, context: WorkContext) -> None:
        """Follow the toolbar: the pages list its round, group and unit; the round screens its round."""
        self._context = context
        for page in self.pages():
            page.set_context(context)
        for screen in self.screens():
            screen.follow(context.round_id)
        self.round_hint.follow(context.round_id)

    def set_choices(self, choices: Choices) -> None:
        for page in self.pages():
            page.set_choices(choices)
        self.round_hint.set_choices(choices)

    def is_dirty(self) -> bool:
        return any(p.is_dirty() for p in self.pages()) or any(s.editor.is_dirty() for s in self.screens())

    def confirm_leave(self) -> bool:
        return all(p.confirm_leave() for p in self.pages()) and all(
            s.editor.confirm_leave() for s in self.screens()
        )

    def on_changes(self, changes: Changes) -> None:
        """A committed change: what shows it re-reads now if in front, else when next shown."""
        if changes.touches({FEEDBACK.key}):
            self.round_hint.follow(self._context.round_id)
        touched: list[QWidget] = [p for p, spec in self._specs if changes.touches(shown_types(spec))]
        if changes.touches(SCREEN_READS):
            touched += [slot for slot in self._slots if slot.content is not None]
        for widget in touched:
            if widget.isVisible():
                self._refresh(widget)
            else:
                self._stale.add(widget)

    def edit_settings(self) -> None:
        """设置: the rule days (整改方案 / 整改报告 due, how early a task is flagged)."""

        def store(s: RectificationSettings) -> RectificationSettings:
            save_settings(self.rc.ws, s)
            return s

        dialog = RecordDialog(
            "整改提醒设置",
            "rect_settings_form.ui",
            SETTINGS_BINDINGS,
            self.rc.settings,
            store,
            self,
            intro="新的反馈按这里的天数计算整改方案、整改报告的应报送日期；整改任务在到期前这些天起列入提醒。",
            ok_text="保存",
        )
        if run_record_dialog(dialog) is not None:
            self.rc.reload_settings()
            self._show_rule_days()
            for widget in (*self.pages(), *(slot for slot in self._slots if slot.content is not None)):
                if widget.isVisible():
                    self._refresh(widget)
                else:
                    self._stale.add(widget)

    # -- inside ----------------------------------------------------------------------------------------
    def _show_rule_days(self) -> None:
        reminders = next((s.content for s in self._slots if s.title == REMINDERS and s.content), None)
        if reminders is not None:
            reminders.info_label.setText(
                f"列出逾期和 {self.rc.settings.due_soon_days} 天内到期的整改任务，"
                "以及逾期的整改方案、整改报告、专题民主生活会。"
            )

    def _refresh(self, widget: QWidget) -> None:
        self._stale.discard(widget)
        if isinstance(widget, RecordPage):
            widget.refresh()
        elif isinstance(widget, ScreenSlot) and widget.content is not None:
            widget.content.refresh()

    def _leave_current(self) -> bool:
        current = self.currentWidget()
        if isinstance(current, RecordPage):
            return current.confirm_leave()
        if isinstance(current, ScreenSlot) and current.content is not None:
            return current.content.editor.confirm_leave()
        return True

    def _on_tab_changed(self, _index: int) -> None:
        widget = self.currentWidget()
        if widget in self._stale:
            self._refresh(widget)

    def open_reminder(self, reminder: Any) -> None:
        self.open_record(reminder.type_key, reminder.id)

    def showEvent(self, event: QShowEvent) -> None:
        widget = self.currentWidget()
        if widget in self._stale:
            self._refresh(widget)
        super().showEvent(event)


class ScreenSlot(QWidget):
    """Holds a round screen's tab and builds the screen (importing its module) when first shown."""

    def __init__(self, title: str, build: Callable[[QWidget], RoundScreen], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(f"slot:{title}")
        self.title = title
        self._build = build
        self.content: RoundScreen | None = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> RoundScreen:
        if self.content is None:
            self.content = self._build(self)
            layout = self.layout()
            assert layout is not None
            layout.addWidget(self.content)
            self.content.load()
            area = self.parentWidget()
            while area is not None and not isinstance(area, RectificationArea):
                area = area.parentWidget()
            if area is not None:
                self.content.follow(area.context.round_id)
        return self.content

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure()
        super().showEvent(event)


def _reminders(area: RectificationArea, slot: QWidget) -> RoundScreen:
    from xuncha_desktop.gui.rectification import screens

    screen = RoundScreen(
        area.rc.ws,
        screens.reminder_spec(area.rc),
        slot,
        all_rounds=True,
        mark=lambda r: "overdue" if r.overdue else "soon",
    )
    screen.editor.add_action("openReminderAction", "打开", area.open_reminder)
    screen.add_button("settingsButton", "设置…", area.edit_settings)
    screen.info_label.setText(
        f"列出逾期和 {area.rc.settings.due_soon_days} 天内到期的整改任务，"
        "以及逾期的整改方案、整改报告、专题民主生活会。"
    )
    return screen


def _reconciliation(area: RectificationArea, slot: QWidget) -> RoundScreen:
    from xuncha_desktop.gui.rectification import screens

    return RoundScreen(
        area.rc.ws,
        screens.reconciliation_spec(area.rc),
        slot,
        read_only=False,
        save_text="标记已对账",
        mark=lambda line: "overdue" if line.overdue else "",
    )


def _recheck(area: RectificationArea, slot: QWidget) -> RoundScreen:
    from xuncha_desktop.gui.rectification import recheck_screen

    return RoundScreen(
        area.rc.ws,
        recheck_screen.recheck_spec(area.rc),
        slot,
        round_kind="回头看",
        read_only=False,
        save_text="保存复查结果",
        mark=recheck_screen.mark,
    )


def _evaluation(area: RectificationArea, slot: QWidget) -> RoundScreen:
    from xuncha_desktop.gui.rectification import evaluation_screen

    screen = RoundScreen(area.rc.ws, evaluation_screen.evaluation_spec(area.rc), slot)
    screen.editor.set_orientation(Qt.Orientation.Horizontal)  # the lines of a score want the height
    screen.editor.set_sizes([420, 900])
    screen.info_label.setText(f"评分方案：{evaluation_screen.scheme_version(area.rc)}")
    evaluation_screen.install_scheme_choice(screen, area.rc)  # 评分方案 versions and 评分方案…
    return screen


REMINDERS = "到期提醒"
SCREENS: tuple[tuple[str, Callable[[RectificationArea, QWidget], RoundScreen]], ...] = (
    (REMINDERS, _reminders),
    ("线索对账", _reconciliation),
    ("回头看", _recheck),
    ("整改质效评估", _evaluation),
)
