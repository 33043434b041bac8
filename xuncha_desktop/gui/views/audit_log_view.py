"""安全 → 审计日志: who did what and when, filterable, one page at a time (fast at 100 000 entries); the
selected entry's field changes old → new; and whether the hash chain is intact, checked in the background."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from xuncha_desktop.gui.background_reads import Reader
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.gui.pages import date_edits
from xuncha_desktop.gui.pages.field_labels import field_label
from xuncha_desktop.gui.pages.record_table_model import (
    Column,
    CountLater,
    RecordTableModel,
    highlight_brush,
)
from xuncha_desktop.services.security.audit_log import AuditEntry, AuditLog, AuditQuery, ChainStatus
from xuncha_desktop.services.workspace import Workspace

if TYPE_CHECKING:
    from xuncha_desktop.gui.main_window import MainWindow

TITLE = "审计日志"
PAGE_SIZE = 200
CHECKING = "正在校验审计记录的哈希链…"
BROKEN = highlight_brush()
BROKEN_STYLE = "color: #b00020; font-weight: bold;"
OK_STYLE = "color: #1b5e20;"
ANY_DATE = "不限"

COLUMNS: tuple[Column[AuditEntry], ...] = (
    Column("序号", lambda e: e.seq, align_right=True),
    Column("时间", lambda e: e.at),
    Column("用户", lambda e: e.user_label),
    Column("操作", lambda e: e.action_label),
    Column("记录", lambda e: e.record_text),
    Column("内容摘要", lambda e: e.summary),
)


class _Source:
    """The audit log as the paged list model reads a source: count and one page of a query."""

    def __init__(self, log: AuditLog) -> None:
        self._log = log

    def count(self, query: Any = None) -> int:
        return self._log.count(query)

    def list(self, query: Any = None) -> list[AuditEntry]:
        return self._log.list(query)


class AuditTableModel(RecordTableModel[AuditEntry]):
    """The entries matching an AuditQuery, newest first, paged and counted as every record list is; rows
    where the hash chain breaks are marked, with the reason in their tooltip."""

    def __init__(
        self,
        log: AuditLog,
        count_later: CountLater,
        *,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            COLUMNS,
            _Source(log),
            page_size=page_size,
            highlight=lambda entry: self._broken.get(entry.seq, ""),
            count_later=count_later,
            parent=parent,
        )
        self._broken: dict[int, str] = {}  # seq → why the chain breaks there (read by `highlight`)

    def total(self) -> int | None:  # type: ignore[override]
        """How many entries match; None while they are still being counted."""
        return super().total() if self.total_known() else None

    def entry(self, row: int) -> AuditEntry:
        return self.record(row)

    def set_broken(self, broken: dict[int, str]) -> None:
        self._broken = broken
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(COLUMNS) - 1))


class AuditLogView(QDialog):
    """A window of its own (not modal) over the main window's workspace; it closes itself when the main
    window shows another workspace."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("auditLogView")
        self._window = window
        self._ws = window.workspace
        self.setWindowTitle(f"{TITLE} — {self._ws.path.name}")
        self.setModal(False)
        self.resize(1100, 680)
        form = load_form("audit_log_view.ui", self)
        self._log = AuditLog(self._ws, field_label)
        self._reader = Reader(self)
        self.user_combo = child(form, QComboBox, "userCombo")
        self.action_combo = child(form, QComboBox, "actionCombo")
        self.type_combo = child(form, QComboBox, "typeCombo")
        self.date_from = child(form, QDateEdit, "dateFromEdit")
        self.date_to = child(form, QDateEdit, "dateToEdit")
        self.search_edit = child(form, QLineEdit, "searchEdit")
        self.table = child(form, QTableView, "entryTable")
        self.changes_table = child(form, QTableWidget, "changesTable")
        self.chain_label = child(form, QLabel, "chainLabel")
        self.count_label = child(form, QLabel, "countLabel")
        self._detail_title = child(form, QLabel, "detailTitleLabel")
        self.model = AuditTableModel(self._log, self._reader.read, parent=self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((70, 150, 150, 130, 230)):
            header.resizeSection(column, width)
        self.changes_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._fill_filters()
        self._connect(form)
        self.apply_filters()
        self.verify()

    def _fill_filters(self) -> None:
        self.user_combo.addItem("全部用户", "")
        for login, shown in self._log.users():
            self.user_combo.addItem(shown, login)
        self.action_combo.addItem("全部操作", "")
        for key, label in self._log.actions():
            self.action_combo.addItem(label, key)
        self.type_combo.addItem("全部类型", "")
        for key, label in self._log.record_types():
            self.type_combo.addItem(label, key)
        for edit in (self.date_from, self.date_to):
            date_edits.prepare(edit)
            edit.setSpecialValueText(ANY_DATE)

    def _connect(self, form: QWidget) -> None:
        for combo in (self.user_combo, self.action_combo, self.type_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.apply_filters)
        self.search_edit.returnPressed.connect(self.apply_filters)
        self.search_edit.textChanged.connect(lambda text: None if text else self.apply_filters())
        child(form, QPushButton, "clearFiltersButton").clicked.connect(self.clear_filters)
        child(form, QPushButton, "refreshButton").clicked.connect(self.refresh)
        self.model.total_changed.connect(self._show_count)
        self.model.modelReset.connect(self._show_count)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show(current))

    @property
    def workspace(self) -> Workspace:
        return self._ws

    # -- filtering -------------------------------------------------------------------------------------
    def query(self) -> AuditQuery:
        return AuditQuery(
            user=self.user_combo.currentData() or "",
            action=self.action_combo.currentData() or "",
            record_type=self.type_combo.currentData() or "",
            date_from=date_edits.value(self.date_from),
            date_to=date_edits.value(self.date_to),
            text=self.search_edit.text().strip(),
        )

    def apply_filters(self) -> None:
        if self._stale():
            return
        # The paged model reads any query dataclass with offset and limit, but is typed for ListQuery only.
        self.model.set_query(self.query())  # type: ignore[arg-type]
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self._show(QModelIndex())

    def clear_filters(self) -> None:
        widgets = (
            self.user_combo,
            self.action_combo,
            self.type_combo,
            self.date_from,
            self.date_to,
            self.search_edit,
        )
        blocked = [w.blockSignals(True) for w in widgets]
        for combo in (self.user_combo, self.action_combo, self.type_combo):
            combo.setCurrentIndex(0)
        date_edits.clear(self.date_from)
        date_edits.clear(self.date_to)
        self.search_edit.clear()
        for w, was in zip(widgets, blocked, strict=True):
            w.blockSignals(was)
        self.apply_filters()

    def refresh(self) -> None:
        self.apply_filters()
        self.verify()

    def _show_count(self) -> None:
        total = self.model.total()
        self.count_label.setText("正在统计…" if total is None else f"共 {total} 条")

    # -- the selected entry ----------------------------------------------------------------------------
    def _show(self, index: QModelIndex) -> None:
        table = self.changes_table
        table.setRowCount(0)
        if not index.isValid():
            self._detail_title.setText("没有符合条件的审计记录。" if not self.model.rowCount() else "")
            return
        entry = self.model.entry(index.row())
        record = f" · {entry.record_text}" if entry.record_text else ""
        head = f"第 {entry.seq} 条 · {entry.at} · {entry.user_label} · {entry.action_label}{record}"
        self._detail_title.setText(f"{head}\n{entry.summary}")
        if entry.rev_id is None:
            rows = [(label, value) for label, value in entry.details]
            self._fill(("项目", "内容"), rows)
            return
        changes = self._log.field_changes(entry)
        self._fill(("字段", "原值", "新值"), [(c.label, c.old, c.new) for c in changes])
        if not changes:
            self._detail_title.setText(self._detail_title.text() + "（记录内容没有字段变化）")

    def _fill(self, headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
        table = self.changes_table
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(r, c, item)
        table.horizontalHeader().resizeSection(0, 160)
        table.resizeRowsToContents()

    def detail_rows(self) -> list[list[str]]:
        """What the detail pane shows, row by row."""
        t = self.changes_table

        def text(r: int, c: int) -> str:
            item = t.item(r, c)
            return item.text() if item is not None else ""

        return [[text(r, c) for c in range(t.columnCount())] for r in range(t.rowCount())]

    def detail_title(self) -> str:
        return self._detail_title.text()

    # -- the chain -------------------------------------------------------------------------------------
    def verify(self) -> None:
        self.chain_label.setStyleSheet("")
        self.chain_label.setText(CHECKING)
        self._reader.read(self._log.verify, self._show_chain)

    def _show_chain(self, status: ChainStatus) -> None:
        self.chain_label.setText(status.text)
        self.chain_label.setStyleSheet(OK_STYLE if status.ok else BROKEN_STYLE)
        self.chain_label.setToolTip(
            "\n".join(f"第 {b.seq} 条：{b.message}" for b in status.breaks[:20])
            or "每条审计记录都含有前一条的哈希值，任何一条被改动、删除或插入都会被发现。"
        )
        self.model.set_broken({b.seq: f"哈希链在此断开：{b.message}" for b in status.breaks})

    # -- lifetime --------------------------------------------------------------------------------------
    def _stale(self) -> bool:
        """The main window shows another workspace now: this view's would be closed (or wiped)."""
        if self._window.workspace is self._ws:
            return False
        QTimer.singleShot(0, self.close)
        return True

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            self._stale()
        return super().event(event)


def open_view(window: MainWindow) -> AuditLogView:
    """Bring the window's audit log forward (one per window, made anew for another workspace)."""
    shown = [v for v in window.findChildren(AuditLogView) if v.isVisible()]
    if shown and shown[0].workspace is window.workspace:
        view = shown[0]
    else:
        close_views(window)
        view = AuditLogView(window)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.show()
    view.raise_()
    view.activateWindow()
    return view


def close_views(window: MainWindow) -> None:
    """Close the audit log before its workspace goes away (restore, wipe)."""
    for view in window.findChildren(AuditLogView):
        view.close()
