"""RecordPage: the one page shared by every tab — search and filters, the paged list, and the record form."""

from __future__ import annotations

from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QItemSelection, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QWidget,
)

from xuncha_desktop.domain.common import Record
from xuncha_desktop.domain.errors import FieldError, RecordNotFound, ValidationError, XunchaError
from xuncha_desktop.domain.record_types import ATTACHMENT
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.new_record_defaults import day_in_round, signed_in_name
from xuncha_desktop.gui.pages.page_layout import PageLayout
from xuncha_desktop.gui.pages.page_list import PageList
from xuncha_desktop.gui.pages.page_panels import PagePanels
from xuncha_desktop.gui.pages.page_recovery import FormKeeper
from xuncha_desktop.gui.pages.page_saving import save_form_record
from xuncha_desktop.gui.pages.page_types import NewContext, PageAction, PageSpec, WorkContext
from xuncha_desktop.gui.pages.record_form import RecordForm
from xuncha_desktop.gui.pages.record_table_model import RecordTableModel
from xuncha_desktop.gui.views.conflict_banner import ConflictBanner
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace

R = TypeVar("R", bound=Record)

SEARCH_DELAY_MS = 250  # wait for a pause in typing (or an IME commit) before querying
RECOVERY_INTERVAL_MS = 30_000  # how often an edited form is kept for crash recovery
DIRTY_CHECK_MS = 150


class RecordPage(QWidget, Generic[R]):
    """Lists the records of one PageSpec and edits the selected (or a new) one in the spec's form."""

    record_selected = Signal(object)  # the record now shown in the form (None: a new one)
    record_saved = Signal(object)  # the stored record after a save or a workflow step
    records_changed = Signal()  # records were added, deleted or restored
    open_requested = Signal(str, str)  # another record to show: type key, id
    create_requested = Signal(str, object, object)  # type key, prefilled record, (from type, from id) | None
    notice = Signal(str)  # a short message for the status bar
    conflict_requested = Signal(str)  # 冲突处理 should open this conflict (from the form's note)

    def __init__(
        self,
        spec: PageSpec[R],
        workspace: Workspace,
        choices: Choices,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        context: WorkContext | None = None,
        page_size: int = 100,  # a screenful or three; further pages are read as the list scrolls
        search_delay_ms: int = SEARCH_DELAY_MS,
        recovery_interval_ms: int = RECOVERY_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"page:{spec.title}")
        self._spec = spec
        self._ws = workspace
        self._service = spec.service(workspace)
        self._settings = settings
        self._pending_link: tuple[str, str] | None = None
        self._fresh: Any = None  # the last new record made here, and the note on its date
        self._new_note = ""
        self._reverting = False
        self._loaded = False  # the list is read when the page is first shown (or asked for its rows)
        self._keeper = FormKeeper(workspace, spec.record_type.key)
        chrome = load_form("record_page.ui", self)
        self._find_widgets(chrome)
        self.form = RecordForm(spec.form_file, self._form_slot, spec.bindings, choices, styled=False)
        self.conflict_banner = ConflictBanner(workspace, self.form, self._error_label)
        self.conflict_banner.open_requested.connect(self.conflict_requested)
        self._panels = PagePanels(workspace, chrome, self.form.widget)  # 关联记录 and 附件, as form tabs
        self.links_panel, self.attachments_panel = self._panels.links, self._panels.attachments
        self.form.apply_style()  # once the panels' tabs are in the form: styled once, not again on arrival
        self.form.count_errors_on_tabs_of(self._panels.tabs)  # the form's tabs (or the page's, around it)
        self.list: PageList[R] = PageList(
            spec,
            self._service,
            choices,
            (
                self._search_edit,
                self._count_label,
                self._clear_filters_button,
                self._filter_layout,
                self._table,
            ),
            page_size=page_size,
            search_delay_ms=search_delay_ms,
        )
        self._model = self.list.model
        self.filter_bar = self.list.filter_bar
        self._action_buttons = self._build_actions(spec.actions)
        self._action_separator = child(chrome, QWidget, "actionSeparator")
        self._timers(recovery_interval_ms)
        self._setup_widgets()
        for behaviour in spec.behaviours:
            behaviour(self)
        self._connect_signals()
        self.list.set_context(context or WorkContext(), self._units(context or WorkContext()))
        self.set_choices(choices)
        self._show(self._new_record())
        self.restore_state()

    # -- set-up ----------------------------------------------------------------------------------------
    def _find_widgets(self, chrome: QWidget) -> None:
        self._search_edit = child(chrome, QLineEdit, "searchEdit")
        self._count_label = child(chrome, QLabel, "countLabel")
        self._clear_filters_button = child(chrome, QPushButton, "clearFiltersButton")
        self._filter_layout = child(chrome, QHBoxLayout, "filterLayout")
        self._table = child(chrome, QTableView, "recordTable")
        self._splitter = child(chrome, QSplitter, "pageSplitter")
        self._detail_splitter = child(chrome, QSplitter, "detailSplitter")
        self._title_label = child(chrome, QLabel, "detailTitleLabel")
        self._dirty_label = child(chrome, QLabel, "dirtyLabel")
        self._error_label = child(chrome, QLabel, "formErrorLabel")
        self._new_button = child(chrome, QPushButton, "newButton")
        self._save_button = child(chrome, QPushButton, "saveButton")
        self._duplicate_button = child(chrome, QPushButton, "duplicateButton")
        self._delete_button = child(chrome, QPushButton, "deleteButton")
        self._action_layout = child(chrome, QHBoxLayout, "actionLayout")
        self._form_area = child(chrome, QScrollArea, "formArea")
        self._form_slot = child(chrome, QWidget, "formSlot")
        self._date_note = child(chrome, QLabel, "dateNoteLabel")

    def _timers(self, recovery_interval_ms: int) -> None:
        self._dirty_timer = QTimer(self)
        self._dirty_timer.setSingleShot(True)
        self._dirty_timer.setInterval(DIRTY_CHECK_MS)
        self._recovery_timer = QTimer(self)
        self._recovery_timer.setInterval(recovery_interval_ms)
        self._recovery_timer.start()

    def _build_actions(self, actions: tuple[PageAction, ...]) -> dict[str, tuple[PageAction, QPushButton]]:
        buttons = {}
        for action in actions:
            button = QPushButton(action.label, self)
            button.setObjectName(action.name)
            button.clicked.connect(lambda _checked=False, a=action: self.run_action(a.name))
            self._action_layout.addWidget(button)
            buttons[action.name] = (action, button)
        return buttons

    def _setup_widgets(self) -> None:
        self._layout = PageLayout(
            self._table,
            self._model.columns(),
            self._splitter,
            self._detail_splitter,
            self._settings,
            f"pages/{self._spec.record_type.key}",
        )
        delete = QAction("删除", self._table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        delete.triggered.connect(self.delete_current)
        self._table.addAction(delete)
        title_font = QFont(self._title_label.font())
        title_font.setBold(True)
        if title_font.pointSizeF() > 0:  # -1 when the font is sized in pixels
            title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self._title_label.setFont(title_font)
        self._dirty_label.hide()
        self._error_label.hide()

    def _connect_signals(self) -> None:
        self.list.reset.connect(self._on_model_reset)
        self._table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._new_button.clicked.connect(self.new_record)
        self._save_button.clicked.connect(self.save)
        self._duplicate_button.clicked.connect(self.duplicate)
        self._delete_button.clicked.connect(self.delete_current)
        self.form.edited.connect(self._on_form_edited)
        self._dirty_timer.timeout.connect(self._update_dirty)
        self._recovery_timer.timeout.connect(self.keep_for_recovery)
        self.links_panel.open_requested.connect(self._on_link_open_requested)
        self.attachments_panel.attachments_changed.connect(self._refresh_panels)

    # -- public ----------------------------------------------------------------------------------------
    @property
    def spec(self) -> PageSpec[R]:
        return self._spec

    @property
    def workspace(self) -> Workspace:
        return self._ws

    @property
    def dialog_parent(self) -> QWidget:
        return self

    @property
    def model(self) -> RecordTableModel[R]:
        self.activate()
        return self._model

    @property
    def search_edit(self) -> QLineEdit:
        return self._search_edit

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def record(self) -> Any:
        """The record in the form as last loaded or saved (without unsaved edits)."""
        return self.form.original

    @property
    def type_key(self) -> str:
        return self._spec.record_type.key

    def current_record(self) -> R | None:
        """The stored record shown in the form, or None while a new one is being written."""
        self.activate()
        shown = self.form.original
        return shown if shown is not None and shown.id else None

    def action_button(self, name: str) -> QPushButton:
        return self._action_buttons[name][1]

    def heading_text(self) -> str:
        return self._title_label.text()

    def form_error_text(self) -> str:
        return self._error_label.text() if not self._error_label.isHidden() else ""

    def is_dirty(self) -> bool:
        return self.form.is_dirty()

    def total(self) -> int:
        return self._model.total()

    def select_row(self, row: int) -> None:
        self.activate()
        self._table.selectRow(row)

    def focus_search(self) -> None:
        self._search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search_edit.selectAll()

    def set_context(self, context: WorkContext) -> None:
        """Follow the toolbar: the list shows this round, group and unit; new records start in them."""
        self.list.set_context(context, self._units(context))
        if self.form.original is not None and not self.form.original.id and not self.is_dirty():
            self._show(self._new_record())  # an untouched new form starts in the new context
        if self._loaded:
            self.reload()

    def set_choices(self, choices: Choices) -> None:
        self.form.set_choices(choices)
        self.list.set_units(self._units(self.list.context))

    def _units(self, context: WorkContext) -> list[tuple[str, str]]:
        return self.form.choices.targets(context.round_id, context.group_id)

    def list_query(self) -> ListQuery:
        return self.list.query()

    def reload(self) -> None:
        """Query again (after the data, the context or a filter changed); an edited form is kept."""
        self._loaded = True
        self.list.reload()

    def activate(self) -> None:
        """Read the list if that has not happened yet (pages behind other tabs wait until needed)."""
        if not self._loaded:
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        self.activate()  # pages behind other tabs cost nothing at start
        super().showEvent(event)

    def refresh(self) -> None:
        """Re-read everything shown (another page or an import changed the data)."""
        if not self._loaded:
            return  # read when first shown anyway
        self.reload()
        shown = self.current_record()
        if shown is not None and not self.is_dirty():
            try:
                self._show(self._service.get(shown.id))
            except RecordNotFound:
                self._show(self._new_record())
        self._refresh_panels()

    def clear_filters(self) -> None:
        self.list.clear()

    # -- showing records -------------------------------------------------------------------------------
    def _new_record(self) -> R:
        """An empty record in the working context, written by the signed-in member, dated today (or the
        round's nearest day, with a note above the form)."""
        c = self.list.context
        choices = self.form.choices
        day, self._new_note = day_in_round(date.today(), choices.names.rounds.get(c.round_id))
        name = signed_in_name(self._ws.user, choices)
        self._fresh = self._spec.new_record(NewContext(c.round_id, c.group_id, c.target_id, name, day))
        return self._fresh

    def date_note(self) -> str:
        """The note above a new record's form when its date is not today ("" when none is shown)."""
        return self._date_note.text() if not self._date_note.isHidden() else ""

    def _show(self, record: R, *, dirty: bool = False) -> None:
        """Put `record` in the form; `dirty` marks it as not yet saved (a prefilled or recovered form)."""
        self.form.write(record)
        if dirty:
            self.form.mark_dirty()
        else:
            self._pending_link = None
            self._keeper.drop()
        self._error_label.hide()
        note = self._new_note if record is self._fresh else ""
        self._date_note.setText(note)
        self._date_note.setVisible(bool(note))
        self.conflict_banner.show_for(self.type_key, record)
        self._update_heading()
        self._update_buttons()
        self._update_dirty()
        self._refresh_panels()
        self._sync_selection()
        self.record_selected.emit(record if record.id else None)

    def _sync_selection(self) -> None:
        """Select the shown record's row (or none) without treating it as the user's choice."""
        shown = self.form.original
        row = self._model.row_of(shown.id) if shown is not None and shown.id else None
        self._reverting = True
        try:
            if row is None:
                self._table.clearSelection()
            else:
                self._table.selectRow(row)
        finally:
            self._reverting = False

    def show_record(self, record_id: str) -> bool:
        """Navigate to a stored record (from a link): select it, widening the list when it is hidden."""
        if not self.confirm_leave():
            return False
        try:
            record = self._service.get(record_id)
        except RecordNotFound as error:
            messages.show_error(self, "无法打开记录", str(error))
            return False
        meta = getattr(record, "meta", None)
        if meta is not None and meta.deleted:
            messages.show_info(
                self, "记录已删除", f"{self._spec.record_type.label}“{record.number}”在回收站中。"
            )
            return False
        if self._model.row_of(record_id) is None:
            self.list.show_number(record.number)
        self._show(record)
        return True

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._reverting:
            return
        rows = self._table.selectionModel().selectedRows()
        if not rows:
            return
        chosen = self._model.record(rows[0].row())
        shown = self.form.original
        if shown is not None and shown.id == chosen.id:
            return
        if not self.confirm_leave():
            self._sync_selection()
            return
        try:
            self._show(self._service.get(chosen.id))
        except RecordNotFound:
            self.reload()

    def _on_model_reset(self) -> None:
        shown = self.form.original
        keep = self.is_dirty() or (
            shown is not None and bool(shown.id) and self._model.row_of(shown.id) is not None
        )
        if keep:
            self._sync_selection()
        elif self._model.rowCount():
            self._show(self._model.record(0))
        elif shown is None or shown.id:
            self._show(self._new_record())
        else:
            self._sync_selection()

    # -- editing ---------------------------------------------------------------------------------------
    def new_record(self) -> None:
        """An empty form in the working context (Ctrl+N)."""
        if self.confirm_leave():
            self._show(self._new_record())
            self.form.focus_first()

    def open_new(self, record: R, link_from: tuple[str, str] | None = None) -> None:
        """A prefilled, unsaved record; once saved it is linked from `link_from` (type key, id)."""
        if not self.confirm_leave():
            return
        self._show(record, dirty=True)
        self._pending_link = link_from
        self.form.focus_first()

    def duplicate(self) -> None:
        """A copy of the shown record with a new identity (its workflow state starts again)."""
        shown = self.current_record()
        if shown is None or not self.confirm_leave():
            return
        copy = self._spec.fresh_copy(self._service.duplicate(shown.id))
        self._show(copy, dirty=True)
        self.notice.emit("已复制为新记录，保存后生成新编号")

    def save(self) -> bool:
        """Validate and store the form (Ctrl+S); errors appear next to their fields. True when saved."""
        edited = self.form.record()
        was_new = not edited.id
        link = self._pending_link if was_new else None
        saved = save_form_record(self, self._spec, self._ws, edited, self._show_errors, link)
        if saved is None:
            return False
        self._pending_link = None
        status = getattr(saved, "status", None)
        if getattr(edited, "status", None) != status and not was_new:
            self.notice.emit(f"已保存；状态变为“{status}”")
        else:
            self.notice.emit(f"已保存{self._spec.record_type.label} {saved.number}")
        self._show(saved)
        self.reload()
        self.record_saved.emit(saved)
        if was_new:
            self.records_changed.emit()
        return True

    def _show_errors(self, errors: list[FieldError]) -> None:
        unplaced = self.form.show_errors(errors)
        lines = [f"有 {len(errors)} 处填写有误，已在对应栏目下标出，请修改后再保存。"]
        lines += [e.message for e in unplaced]
        self._error_label.setText("\n".join(lines))
        self._error_label.show()
        focused = self.focusWidget()
        if focused is not None and self._form_area.isAncestorOf(focused):
            self._form_area.ensureWidgetVisible(focused)

    def delete_current(self) -> None:
        """Move the shown record to the recycle bin, after asking (Delete in the list)."""
        shown = self.current_record()
        if shown is None:
            return
        what = f"{self._spec.record_type.label}“{self._spec.heading(shown) or shown.number}”"
        if not messages.confirm_delete(self, what):
            return
        try:
            self._service.delete(shown.id)
        except XunchaError as error:
            messages.show_error(self, "无法删除", str(error))
            return
        self._show(self._new_record())
        self.reload()
        self.notice.emit(f"已将{what}移入回收站")
        self.records_changed.emit()

    def discard_changes(self) -> None:
        """Forget the edits: the stored record (or a fresh new one) is shown again."""
        shown = self.current_record()
        self._show(self._service.get(shown.id) if shown is not None else self._new_record())

    def confirm_leave(self) -> bool:
        """The unsaved-changes guard: True when the form may be left (saved, discarded or clean)."""
        if not self.is_dirty():
            return True
        shown, label = self.form.original, self._spec.record_type.label
        what = f"{label}“{self._spec.heading(shown)}”" if shown.id else f"新的{label}"
        answer = messages.ask_unsaved_changes(self, what)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.discard_changes()
            return True
        return False

    # -- actions (PageContext) -------------------------------------------------------------------------
    def run_action(self, name: str) -> None:
        """Run an extra action on the shown record; pending edits are saved first."""
        action = self._action_buttons[name][0]
        if self.is_dirty() and not self.save():
            return
        try:
            changed = action.run(self)
        except ValidationError as error:
            self._show_errors(error.errors)
            return
        except XunchaError as error:
            messages.show_error(self, action.label, str(error))
            return
        if changed is not None:
            self._show(changed)
            self.reload()
            self.notice.emit(f"{action.label}：已完成")
            self.record_saved.emit(changed)

    def selected_text(self, field: str) -> str:
        return self.form.selected_text(field)

    def ask_text(self, title: str, label: str) -> str | None:
        return messages.ask_text(self, title, label)

    def ask_choice(self, title: str, label: str, choices: list[str]) -> str | None:
        return messages.ask_choice(self, title, label, choices)

    def open_elsewhere(self, type_key: str, record: Any, link_from: tuple[str, str] | None = None) -> None:
        self.create_requested.emit(type_key, record, link_from)

    # -- state shown around the form -------------------------------------------------------------------
    def _update_heading(self) -> None:
        shown = self.form.original
        title = self._spec.heading(shown) if shown.id else ""
        self._title_label.setText(title or f"新建{self._spec.record_type.label}")

    def _update_buttons(self) -> None:
        shown = self.form.original
        saved = bool(shown.id)
        self._duplicate_button.setEnabled(saved)
        self._delete_button.setEnabled(saved)
        for action, button in self._action_buttons.values():
            button.setVisible(action.shown(self._ws, shown))
        self._action_separator.setVisible(any(not b.isHidden() for _a, b in self._action_buttons.values()))
        for action, button in self._action_buttons.values():
            reason = action.refusal(self._ws, shown) if saved else ""
            button.setToolTip(f"当前用户不能操作：{reason}" if reason else action.tooltip)

    def _on_form_edited(self) -> None:
        self._dirty_timer.start()

    def _update_dirty(self) -> None:
        self._dirty_timer.stop()
        dirty = self.is_dirty()
        self._dirty_label.setVisible(dirty)
        if not dirty:
            self._keeper.drop()

    def _refresh_panels(self) -> None:
        shown = self.form.original
        record_id = shown.id if shown is not None else ""
        self._panels.show_for(self.type_key, record_id)

    def _on_link_open_requested(self, type_key: str, record_id: str) -> None:
        if type_key == "attachment":
            self._preview_attachment(record_id)
        else:
            self.open_requested.emit(type_key, record_id)

    def _preview_attachment(self, attachment_id: str) -> None:
        try:
            found = RecordService[Any](self._ws, ATTACHMENT).get(attachment_id)
        except RecordNotFound as error:
            messages.show_error(self, "无法打开附件", str(error))
            return
        self.attachments_panel.preview(found)

    # -- crash recovery and remembered layout ---------------------------------------------------------
    def keep_for_recovery(self) -> None:
        """Keep an edited form inside the encrypted workspace (every ~30 s while it is edited)."""
        if self.is_dirty():
            self._keeper.keep(self.form.record())

    def offer_recovery(self) -> bool:
        """After a crash: offer the form that was being edited; True when it was taken back."""
        found = self._keeper.offer(self, f"“{self._spec.title}”页面")
        if found is None:
            return False
        self._show(found, dirty=True)
        return True

    def restore_state(self) -> None:
        self._layout.restore()

    def save_state(self) -> None:
        self._layout.save()

    def reset_layout(self) -> None:
        self._layout.reset()
