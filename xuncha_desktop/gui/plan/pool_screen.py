"""人才库: filter the pool (speciality, status, times served, name), edit a cadre, read the cadre's history
(rounds, groups, roles, 鉴定 grades) and put the cadre into a group (加入巡察组…, with the 回避 check).

A province's pool holds thousands: the list reads a page of light rows and the count off the GUI thread,
further pages as the view scrolls, and the selected cadre whole (CadrePool.rows, count, get)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.cadre_pool import CADRE_STATUSES, SPECIALITIES, Cadre
from xuncha_desktop.domain.record_types import CADRE
from xuncha_desktop.gui.pages.field_bindings import FieldBinding
from xuncha_desktop.gui.pages.page_columns import field_column
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.plan import join_dialog
from xuncha_desktop.gui.plan.plan_editor import EditorSpec, PlanEditor, RowQuery
from xuncha_desktop.services.plan.cadre_pool import CadrePool, PoolQuery, PoolRow
from xuncha_desktop.services.plan.plan_service import PlanService
from xuncha_desktop.services.workspace import Workspace

B = FieldBinding
SEARCH_DELAY_MS = 250
HISTORY_HEADERS = ("轮次", "年度", "类型", "巡察组", "组内职务", "人员类别", "鉴定等次")
ANY_TIMES = -1  # the spin boxes' "不限"
JOIN_TIP = "把此人选入某一轮次的巡察组（会检查回避）"

CADRE_BINDINGS = (
    B("name", "nameEdit"),
    B("gender", "genderCombo", vocab.GENDERS, optional=True),
    B("birth_month", "birthMonthEdit"),
    B("political_status", "politicalStatusCombo", vocab.POLITICAL_STATUSES, optional=True),
    B("home_unit", "homeUnitEdit"),
    B("home_post", "homePostEdit"),
    B("earlier_units", "earlierUnitsText", kind="lines"),
    B("specialities", "specialitiesGrid", SPECIALITIES, kind="checks"),
    B("status", "statusCombo", CADRE_STATUSES),
    B("status_reason", "statusReasonEdit"),
    B("phone", "phoneEdit"),
    B("note", "noteText"),
)


def _cadre_column(name: str, width: int, **kw: Any) -> Column[Any]:
    return field_column(CADRE, name, width, sortable=False, **kw)  # a PoolRow has the cadre's field names


def _pool_query(q: RowQuery) -> PoolQuery:
    f = q.filters
    return PoolQuery(
        speciality=f.get("speciality", ""),
        status=f.get("status", ""),
        text=f.get("text", ""),
        min_times=f.get("min_times"),
        max_times=f.get("max_times"),
    )


def pool_spec(pool: CadrePool) -> EditorSpec:
    """The pool is paged: light rows a page at a time with the count, the selected cadre read whole."""

    def rows(q: RowQuery) -> list[PoolRow]:
        return pool.rows(_pool_query(q), offset=q.offset, limit=q.limit)

    return EditorSpec(
        key="cadre",
        label="人员",
        form_file="plan_cadre_form.ui",
        bindings=CADRE_BINDINGS,
        columns=(
            _cadre_column("name", 4),
            _cadre_column("home_unit", 10),
            _cadre_column("home_post", 6),
            Column("专长", lambda e: "、".join(e.specialities), 7),
            _cadre_column("status", 3),
            Column("参加次数", lambda e: e.times_served, 4, align_right=True),
            Column("最近参加", lambda e: e.last_round, 10),
        ),
        heading=lambda c: f"{c.name}（{c.home_unit}）" if c.home_unit else c.name,
        new_record=lambda _parent: Cadre(),
        rows=rows,
        save=lambda record, override: pool.save(record, override=override),
        record_of=lambda row: pool.get(row.id),
        background=True,
        count=lambda q: pool.count(_pool_query(q)),
        row_id=lambda row: row.id,
    )


def _times_spin(parent: QWidget, name: str) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setObjectName(name)
    spin.setRange(ANY_TIMES, 99)
    spin.setSpecialValueText("不限")
    spin.setValue(ANY_TIMES)
    return spin


class PoolScreen(QWidget):
    """人才库."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planPool")
        self._ws = workspace
        self.pool = CadrePool(workspace)
        self.plan = PlanService(workspace)
        self.editor = PlanEditor(pool_spec(self.pool), self)
        self.editor.set_orientation(Qt.Orientation.Horizontal)
        self.editor.set_sizes([720, 640])  # the list's seven columns fit at 1366×768
        self._build_filters()
        self._build_history()
        self.join_button = self.editor.add_action("joinGroupButton", "加入巡察组…", self.join_group, JOIN_TIP)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.editor)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.editor.current_changed.connect(self._show_history)
        self.editor.current_changed.connect(self._offer_join)
        self.editor.saved.connect(lambda _cadre: self._show_history(self.editor.record))
        self._loaded = False

    def _build_filters(self) -> None:
        bar = self.editor.filter_layout
        self.text_edit = QLineEdit(self)
        self.text_edit.setObjectName("poolSearchEdit")
        self.text_edit.setPlaceholderText("姓名、单位或职务")
        self.text_edit.setClearButtonEnabled(True)
        self.speciality_combo = QComboBox(self)
        self.speciality_combo.setObjectName("specialityCombo")
        self.speciality_combo.addItem("全部专长", "")
        for speciality in SPECIALITIES:
            self.speciality_combo.addItem(speciality, speciality)
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("statusFilterCombo")
        self.status_combo.addItem("全部状态", "")
        for status in CADRE_STATUSES:
            self.status_combo.addItem(status, status)
        self.min_spin = _times_spin(self, "minTimesSpin")
        self.max_spin = _times_spin(self, "maxTimesSpin")
        bar.addWidget(self.text_edit, 3)
        bar.addWidget(self.speciality_combo, 1)
        bar.addWidget(self.status_combo, 1)
        bar.addWidget(QLabel("参加次数", self))
        bar.addWidget(self.min_spin)
        bar.addWidget(QLabel("至", self))
        bar.addWidget(self.max_spin)
        self.text_edit.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (self.speciality_combo, self.status_combo):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        for spin in (self.min_spin, self.max_spin):
            spin.valueChanged.connect(lambda _v: self._search_timer.start())

    def _build_history(self) -> None:
        box = QGroupBox("参加巡察经历", self)
        box.setObjectName("historyBox")
        inner = QVBoxLayout(box)
        self.history_summary = QLabel(box)
        self.history_summary.setObjectName("historySummaryLabel")
        self.history_table = QTableWidget(0, len(HISTORY_HEADERS), box)
        self.history_table.setObjectName("historyTable")
        self.history_table.setHorizontalHeaderLabels(list(HISTORY_HEADERS))
        self.history_table.verticalHeader().hide()
        self.history_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history_table.horizontalHeader().setStretchLastSection(True)
        self.history_table.setMinimumHeight(120)
        inner.addWidget(self.history_summary)
        inner.addWidget(self.history_table)
        self.editor.extra_layout.addWidget(box)

    # -- reading ---------------------------------------------------------------------------------------
    def filters(self) -> dict[str, Any]:
        low, high = self.min_spin.value(), self.max_spin.value()
        return {
            "text": self.text_edit.text().strip(),
            "speciality": self.speciality_combo.currentData() or "",
            "status": self.status_combo.currentData() or "",
            "min_times": None if low == ANY_TIMES else low,
            "max_times": None if high == ANY_TIMES else high,
        }

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self._loaded = True
        self.editor.set_filters(self.filters())

    def load(self) -> None:
        if not self._loaded:
            self.apply_filters()

    def refresh(self) -> None:
        if self._loaded:
            self.editor.reload()
            self._show_history(self.editor.record)

    def _show_history(self, cadre: Cadre | None) -> None:
        lines = self.pool.history(cadre.id) if cadre is not None else []
        self.history_table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = (
                line.round_name,
                str(line.year),
                line.round_kind,
                line.group_name,
                line.role,
                line.staffing,
                line.grade or "—",
            )
            for column, text in enumerate(cells):
                self.history_table.setItem(row, column, QTableWidgetItem(text))
        if cadre is None:
            self.history_summary.setText("保存人员后显示其参加巡察的经历。")
        else:
            self.history_summary.setText(f"共参加巡察 {len(lines)} 次" if lines else "尚未参加过巡察。")

    def history_rows(self) -> list[list[str]]:
        t = self.history_table
        return [
            [(i.text() if (i := t.item(r, c)) else "") for c in range(t.columnCount())]
            for r in range(t.rowCount())
        ]

    # -- 加入巡察组 ------------------------------------------------------------------------------------
    def _offer_join(self, cadre: Cadre | None) -> None:
        """Only a cadre 在库 (as stored) is offered for a group; the button says why not otherwise."""
        if cadre is None or self.editor.showing_retired:
            return
        if cadre.status == "在库":
            self.join_button.setEnabled(True)
            self.join_button.setToolTip(JOIN_TIP)
            return
        why = f"（{cadre.status_reason}）" if cadre.status_reason.strip() else ""
        self.join_button.setEnabled(False)
        self.join_button.setToolTip(f"此人状态为“{cadre.status}”{why}，只有“在库”人员才能选入巡察组")

    def join_group(self, cadre: Cadre) -> None:
        """Choose round → group → role; a 回避 conflict asks for the override reason (nothing is saved
        without one)."""
        chosen = join_dialog.ask_placement(self, self.plan, cadre)
        if chosen is None:
            return
        member = self.editor.store(
            lambda override: self.plan.add_from_pool(
                chosen.group_id, cadre.id, role=chosen.role, staffing=chosen.staffing, override=override
            )
        )
        if member is None:
            return
        self.editor.reload(keep=cadre.id)
        self._show_history(cadre)
        self.history_summary.setText(
            f"已作为{member.role}加入“{chosen.round_name}”“{chosen.group_name}”。{self.history_summary.text()}"
        )
