"""党组织名录 and the term's 全覆盖: the figures per unit kind on top (coverage.term_coverage, counted in
SQL), the list with its kind and 已巡察/未巡察 filters (a page at a time: a province has thousands), and
the selected organization's form with its inspections."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
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
from xuncha_desktop.domain.party_organizations import PartyOrganization
from xuncha_desktop.domain.record_types import PARTY_ORGANIZATION
from xuncha_desktop.gui.pages.field_bindings import FieldBinding
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.plan.plan_editor import EditorSpec, PlanEditor, RowQuery
from xuncha_desktop.gui.plan.rounds_screen import load_plan_choices, org_choices
from xuncha_desktop.services.plan.coverage import (
    Coverage,
    KindCoverage,
    OrgQuery,
    OrgRow,
    count_orgs,
    inspections,
    org_rows,
    term_coverage,
)
from xuncha_desktop.services.plan.plan_service import PlanService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

B = FieldBinding
ANY_YEAR = 1999  # the year spin boxes' "不限"
FIGURE_ROWS = ("总数", "已巡察", "未巡察", "覆盖率")
INSPECTED, DUE = "已巡察", "未巡察"


def inspected_text(row: OrgRow) -> str:
    """The list's 巡察情况: 已撤并, 未巡察, or the latest round of the term (and how many there were)."""
    if not row.active:
        return "已撤并"
    if not row.inspections:
        return DUE
    more = f" 等{row.inspections}次" if row.inspections > 1 else ""
    return f"{row.last_round}（{row.last_kind}）{more}"


def _retired_row(org: PartyOrganization) -> OrgRow:
    return OrgRow(org.id, org.number, org.name, org.kind, org.active, 0, "", "")


def org_spec(ws: Workspace, plan: PlanService, years_of: Callable[[], tuple[int, int] | None]) -> EditorSpec:
    """The 党组织名录 is paged: light rows with their inspections counted in SQL, the selected one read
    whole; the recycle bin (显示已撤销) is short and read at once."""
    service = RecordService[PartyOrganization](ws, PARTY_ORGANIZATION)

    def query(q: RowQuery) -> OrgQuery:
        f, seen = q.filters, q.filters.get("inspected", "")
        return OrgQuery(
            years_of(), f.get("kind", ""), f.get("text", ""), (seen == INSPECTED) if seen else None
        )

    def rows(q: RowQuery) -> list[OrgRow]:
        if q.retired:
            retired = [_retired_row(o) for o in plan.retired(PARTY_ORGANIZATION.key)]
            return retired[q.offset : None if q.limit is None else q.offset + q.limit]
        return org_rows(ws, query(q), offset=q.offset, limit=q.limit)

    def count(q: RowQuery) -> int:
        return len(plan.retired(PARTY_ORGANIZATION.key)) if q.retired else count_orgs(ws, query(q))

    return EditorSpec(
        key="party_org",
        label="党组织",
        form_file="plan_organization_form.ui",
        bindings=(
            B("name", "nameEdit"),
            B("kind", "kindCombo", vocab.UNIT_KINDS),
            B("parent_id", "parentCombo", org_choices, optional=True),
            B("active", "activeCheck"),
            B("retired_reason", "retiredReasonEdit"),
            B("note", "noteText"),
        ),
        columns=(
            Column("党组织名称", lambda r: r.name, 14),
            Column("单位类型", lambda r: r.kind, 5),
            Column("巡察情况", inspected_text, 12),
        ),
        heading=lambda o: o.name,
        new_record=lambda _parent: PartyOrganization(),
        rows=rows,
        save=lambda record, _override: service.save(record),
        retire=lambda record_id: plan.retire(PARTY_ORGANIZATION.key, record_id),
        restore=lambda record_id: plan.restore(PARTY_ORGANIZATION.key, record_id),
        record_of=lambda row: service.get(row.id),
        count=count,
        row_id=lambda row: row.id,
    )


def _year_spin(parent: QWidget, name: str) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setObjectName(name)
    spin.setRange(ANY_YEAR, 2100)
    spin.setSpecialValueText("不限")
    spin.setValue(ANY_YEAR)
    return spin


class OrganizationsScreen(QWidget):
    """党组织名录."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planOrganizations")
        self._ws = workspace
        self.plan = PlanService(workspace)
        self.coverage: Coverage = Coverage([], [], KindCoverage("合计", 0, 0, 0, 0.0))
        self.editor = PlanEditor(org_spec(workspace, self.plan, self.years), self)
        self.editor.set_orientation(Qt.Orientation.Horizontal)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._build_progress())
        layout.addWidget(self.editor, 1)
        self._build_filters()
        self._build_inspections()
        self.editor.current_changed.connect(self._show_inspections)
        self.editor.changed.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.apply_filters)
        self._loaded = False

    def _build_progress(self) -> QGroupBox:
        box = QGroupBox("本届全覆盖进度", self)
        box.setObjectName("progressBox")
        row = QHBoxLayout(box)
        years = QVBoxLayout()
        self.from_spin = _year_spin(box, "fromYearSpin")
        self.to_spin = _year_spin(box, "toYearSpin")
        years.addWidget(QLabel("届期起始年度", box))
        years.addWidget(self.from_spin)
        years.addWidget(QLabel("截止年度", box))
        years.addWidget(self.to_spin)
        years.addStretch(1)
        row.addLayout(years)
        kinds = [*vocab.UNIT_KINDS, "合计"]
        self.figures = QTableWidget(len(FIGURE_ROWS), len(kinds), box)
        self.figures.setObjectName("coverageTable")
        self.figures.setHorizontalHeaderLabels(kinds)
        self.figures.setVerticalHeaderLabels(list(FIGURE_ROWS))
        self.figures.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.figures.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.figures.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        height = self.figures.horizontalHeader().sizeHint().height()
        height += sum(self.figures.verticalHeader().sectionSizeHint(i) for i in range(len(FIGURE_ROWS)))
        self.figures.setFixedHeight(height + 4)
        row.addWidget(self.figures, 1)
        for spin in (self.from_spin, self.to_spin):
            spin.valueChanged.connect(lambda _v: self._timer.start())
        return box

    def _build_filters(self) -> None:
        bar = self.editor.filter_layout
        self.text_edit = QLineEdit(self)
        self.text_edit.setObjectName("orgSearchEdit")
        self.text_edit.setPlaceholderText("党组织名称")
        self.text_edit.setClearButtonEnabled(True)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kindFilterCombo")
        self.kind_combo.addItem("全部类型", "")
        for kind in vocab.UNIT_KINDS:
            self.kind_combo.addItem(kind, kind)
        self.inspected_combo = QComboBox(self)
        self.inspected_combo.setObjectName("inspectedFilterCombo")
        for text, value in (("全部", ""), (INSPECTED, INSPECTED), (DUE, DUE)):
            self.inspected_combo.addItem(text, value)
        bar.addWidget(self.text_edit, 2)
        bar.addWidget(self.kind_combo, 1)
        bar.addWidget(self.inspected_combo, 1)
        self.text_edit.textChanged.connect(lambda _t: self._timer.start())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.inspected_combo.currentIndexChanged.connect(lambda _i: self.apply_filters())

    def _build_inspections(self) -> None:
        box = QGroupBox("本届巡察情况", self)
        inner = QVBoxLayout(box)
        self.inspections_table = QTableWidget(0, 3, box)
        self.inspections_table.setObjectName("inspectionsTable")
        self.inspections_table.setHorizontalHeaderLabels(["轮次", "巡察类型", "年度"])
        self.inspections_table.verticalHeader().hide()
        self.inspections_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.inspections_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.inspections_table.setMinimumHeight(110)
        inner.addWidget(self.inspections_table)
        self.editor.extra_layout.addWidget(box)

    # -- reading ---------------------------------------------------------------------------------------
    def years(self) -> tuple[int, int] | None:
        low, high = self.from_spin.value(), self.to_spin.value()
        if low == ANY_YEAR and high == ANY_YEAR:
            return None
        return (low if low != ANY_YEAR else 2000, high if high != ANY_YEAR else 2100)

    def apply_filters(self) -> None:
        self._timer.stop()
        self._loaded = True
        self.coverage = term_coverage(self._ws, years=self.years(), with_orgs=False)
        self._show_figures()
        self.editor.set_choices(load_plan_choices(self._ws))
        self.editor.set_filters(
            {
                "text": self.text_edit.text().strip(),
                "kind": self.kind_combo.currentData() or "",
                "inspected": self.inspected_combo.currentData() or "",
            }
        )

    def load(self) -> None:
        if not self._loaded:
            self.apply_filters()

    def refresh(self) -> None:
        if self._loaded:
            self.apply_filters()

    def _show_figures(self) -> None:
        for column, figures in enumerate([*self.coverage.kinds, self.coverage.total]):
            cells = (figures.total, figures.inspected, figures.due, f"{figures.percent:.1f}%")
            for row, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.figures.setItem(row, column, item)

    def figure(self, kind: str, row: str) -> str:
        """What the 全覆盖 table shows for `kind` (or 合计) in row `row` (总数, 已巡察, 未巡察, 覆盖率)."""
        kinds = [*vocab.UNIT_KINDS, "合计"]
        item = self.figures.item(FIGURE_ROWS.index(row), kinds.index(kind))
        return item.text() if item is not None else ""

    def _show_inspections(self, org: PartyOrganization | None) -> None:
        visits = inspections(self._ws, org.id, years=self.years()) if org is not None else []
        self.inspections_table.setRowCount(len(visits))
        for row, (name, kind, year) in enumerate(visits):
            for column, text in enumerate((name, kind, str(year))):
                self.inspections_table.setItem(row, column, QTableWidgetItem(text))

    def inspection_rows(self) -> list[list[str]]:
        t = self.inspections_table
        return [[(i.text() if (i := t.item(r, c)) else "") for c in range(3)] for r in range(t.rowCount())]
