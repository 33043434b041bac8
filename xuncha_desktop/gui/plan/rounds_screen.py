"""轮次与巡察组: rounds → the selected round's groups → the selected group's members and target units, four
PlanEditors side by side; every write goes through PlanService (validation, the plan's cross-record rules
at the field, 回避, audit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.classification import FRAMEWORKS
from xuncha_desktop.domain.errors import ValidationError, XunchaError
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import GROUP, MEMBER, ROUND, TARGET, RecordType
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.field_bindings import Choice, FieldBinding
from xuncha_desktop.gui.pages.field_errors import FORM_STYLE, FieldErrorMarks
from xuncha_desktop.gui.pages.formatting import display_text
from xuncha_desktop.gui.pages.page_columns import field_column
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.plan.org_picker import add_org_search
from xuncha_desktop.gui.plan.plan_editor import EditorSpec, PlanEditor, RowQuery
from xuncha_desktop.services.plan.coverage import org_names
from xuncha_desktop.services.plan.plan_service import PlanService
from xuncha_desktop.services.workspace import Workspace

B = FieldBinding


@dataclass(frozen=True)
class PlanChoices(Choices):
    """The record pages' Choices plus the 党组织名录 entries a target unit may point at."""

    orgs: tuple[Choice, ...] = ()
    earlier_rounds: tuple[Choice, ...] = ()  # what a 回头看 round may revisit
    org_kinds: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # id → (name, kind)


def org_choices(c: Any, _values: Mapping[str, Any]) -> Sequence[Choice]:
    return getattr(c, "orgs", ())


def round_choices(c: Any, values: Mapping[str, Any]) -> Sequence[Choice]:
    """The rounds a 回头看 round may revisit: every other round, earlier ones first."""
    return [(i, name) for i, name in getattr(c, "earlier_rounds", ()) if i != values.get("id")]


def load_plan_choices(ws: Workspace) -> PlanChoices:
    """The 党组织名录 as the target unit form's choices (names and kinds only: a province has thousands)."""
    orgs = org_names(ws)
    return PlanChoices(
        orgs=tuple(
            (i, f"{name}（{kind}）" if active else f"{name}（已撤并）") for i, name, kind, active in orgs
        ),
        org_kinds={i: (name, kind) for i, name, kind, _active in orgs},
        earlier_rounds=tuple(
            (r.id, r.name) for r in sorted(PlanService(ws).rounds(), key=lambda r: (r.year, r.ordinal))
        ),
    )


def retired_rows(ws: Workspace, rt: RecordType, parent_id: str = "") -> list[Any]:
    """Records of `rt` in the recycle bin, under `parent_id` if given (for 显示已撤销 and 恢复)."""
    return PlanService(ws).retired(rt.key, parent_id)


def _col(rt: RecordType, name: str, width: int, **kw: Any) -> Any:
    return field_column(rt, name, width, sortable=False, **kw)


def round_spec(ws: Workspace, plan: PlanService) -> EditorSpec:
    def rows(q: RowQuery) -> Sequence[InspectionRound]:
        if q.retired:
            return plan.retired(ROUND.key)
        return sorted(plan.rounds(), key=lambda r: (r.year, r.ordinal), reverse=True)

    return EditorSpec(
        key="round",
        label="轮次",
        form_file="plan_round_form.ui",
        bindings=(
            B("name", "nameEdit"),
            B("year", "yearSpin"),
            B("ordinal", "ordinalSpin"),
            B("kind", "kindCombo", vocab.ROUND_KINDS),
            B("start_on", "startOnDate"),
            B("end_on", "endOnDate"),
            B("framework", "frameworkCombo", FRAMEWORKS),
            B("earlier_round_id", "earlierRoundCombo", round_choices, optional=True),
        ),
        columns=(
            _col(ROUND, "name", 11),
            _col(ROUND, "kind", 3),
            _col(ROUND, "start_on", 6, value=lambda r: display_text(r.start_on)),
            _col(ROUND, "end_on", 6, value=lambda r: display_text(r.end_on)),
        ),
        heading=lambda r: r.name,
        new_record=lambda _parent: InspectionRound(year=date.today().year),
        rows=rows,
        save=lambda record, override: plan.save(record, override=override),
        retire=lambda record_id: plan.retire(ROUND.key, record_id),
        restore=lambda record_id: plan.restore(ROUND.key, record_id),
    )


def group_spec(ws: Workspace, plan: PlanService) -> EditorSpec:
    def rows(q: RowQuery) -> Sequence[InspectionGroup]:
        if q.retired:
            return plan.retired(GROUP.key, q.parent_id)
        return sorted(plan.groups(q.parent_id), key=lambda g: g.ordinal)

    def new(round_id: str) -> InspectionGroup:
        ordinal = len(plan.groups(round_id)) + 1 if round_id else 1
        return InspectionGroup(round_id=round_id, ordinal=min(ordinal, 99))

    return EditorSpec(
        key="group",
        label="巡察组",
        form_file="plan_group_form.ui",
        bindings=(
            B("name", "nameEdit"),
            B("ordinal", "ordinalSpin"),
            B("special_reports", "specialReportsSpin"),
            B("recommendations", "recommendationsSpin"),
        ),
        columns=(_col(GROUP, "ordinal", 3, header="序号", align_right=True), _col(GROUP, "name", 10)),
        heading=lambda g: g.name,
        new_record=new,
        rows=rows,
        save=lambda record, override: plan.save(record, override=override),
        retire=lambda record_id: plan.retire(GROUP.key, record_id),
        restore=lambda record_id: plan.restore(GROUP.key, record_id),
        parent_label="轮次",
    )


MEMBER_BINDINGS = (
    B("name", "nameEdit"),
    B("role", "roleCombo", vocab.MEMBER_ROLES),
    B("staffing", "staffingCombo", vocab.STAFFING_KINDS),
    B("home_unit", "homeUnitEdit"),
    B("home_post", "homePostEdit"),
    B("duty", "dutyCombo", vocab.MEMBER_DUTIES, optional=True),
    B("gender", "genderCombo", vocab.GENDERS, optional=True),
    B("birth_month", "birthMonthEdit"),
    B("political_status", "politicalStatusCombo", vocab.POLITICAL_STATUSES, optional=True),
    B("start_on", "startOnDate"),
    B("end_on", "endOnDate"),
    B("avoidance_override", "avoidanceLabel", read_only=True),
)


def marked_name(statuses: Mapping[str, tuple[str, str]], member: GroupMember) -> str:
    """The member's name in the composition list, marked with the 人才库 status when the linked entry is
    no longer 在库 (暂停, 退出, deleted): “钱伟（退出）”."""
    if not member.cadre_id:
        return member.name
    status, _reason = statuses.get(member.cadre_id, ("已删除", ""))
    return member.name if status == "在库" else f"{member.name}（{status}）"


def member_spec(ws: Workspace, plan: PlanService) -> EditorSpec:
    order = {role: i for i, role in enumerate(vocab.MEMBER_ROLES)}
    statuses: dict[str, tuple[str, str]] = {}  # of the members listed, read with them

    def rows(q: RowQuery) -> Sequence[GroupMember]:
        members = (
            plan.retired(MEMBER.key, q.parent_id)
            if q.retired
            else sorted(plan.members(q.parent_id), key=lambda m: (order.get(m.role, 9), m.number))
        )
        statuses.clear()
        statuses.update(plan.cadre_statuses(m.cadre_id for m in members))
        return members

    return EditorSpec(
        key="member",
        label="成员",
        form_file="plan_member_form.ui",
        bindings=MEMBER_BINDINGS,
        columns=(
            _col(MEMBER, "name", 5, value=lambda m: marked_name(statuses, m)),
            _col(MEMBER, "role", 4),
            _col(MEMBER, "staffing", 3),
            Column("原单位及职务", lambda m: "".join(p for p in (m.home_unit, m.home_post) if p), 12),
        ),
        heading=lambda m: f"{m.name}（{m.role}）",
        new_record=lambda group_id: GroupMember(group_id=group_id),
        rows=rows,
        save=lambda record, override: plan.save(record, override=override),
        retire=lambda record_id: plan.retire(MEMBER.key, record_id),
        restore=lambda record_id: plan.restore(MEMBER.key, record_id),
        parent_label="巡察组",
    )


def target_spec(ws: Workspace, plan: PlanService, round_of: Any) -> EditorSpec:
    def rows(q: RowQuery) -> Sequence[TargetUnit]:
        if q.retired:
            return plan.retired(TARGET.key, q.parent_id)
        return sorted(plan.targets(q.parent_id), key=lambda t: t.name)

    return EditorSpec(
        key="target",
        label="被巡察单位",
        form_file="plan_target_form.ui",
        bindings=(
            B("org_id", "orgCombo", org_choices, optional=True),
            B("name", "nameEdit"),
            B("kind", "kindCombo", vocab.UNIT_KINDS),
            B("files_read", "filesReadSpin"),
            B("site_visits", "siteVisitsSpin"),
            B("questionnaires", "questionnairesSpin"),
        ),
        columns=(
            _col(TARGET, "name", 14),
            _col(TARGET, "kind", 5),
            Column("名录", lambda t: "已关联" if t.org_id else "—", 3),
        ),
        heading=lambda t: t.name,
        new_record=lambda group_id: TargetUnit(round_id=round_of(), group_id=group_id),
        rows=rows,
        save=lambda record, override: plan.save(record, override=override),
        retire=lambda record_id: plan.retire(TARGET.key, record_id),
        restore=lambda record_id: plan.restore(TARGET.key, record_id),
        parent_label="巡察组",
    )


class LoginBox(QGroupBox):
    """A member's login: shown when there is one, else typed here and given (PlanService.give_login)."""

    def __init__(self, plan: PlanService, parent: QWidget) -> None:
        super().__init__("登录", parent)
        self.setObjectName("loginBox")
        self.setStyleSheet(FORM_STYLE)
        self._plan = plan
        self._member: GroupMember | None = None
        layout = QFormLayout(self)
        row = QHBoxLayout()
        self.login_edit = QLineEdit(self)
        self.login_edit.setObjectName("loginEdit")
        self.login_edit.setPlaceholderText("如：zhangsan")
        self.give_button = QPushButton("开通登录", self)
        self.give_button.setObjectName("giveLoginButton")
        row.addWidget(self.login_edit, 1)
        row.addWidget(self.give_button)
        layout.addRow("登录名：", row)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("loginStatusLabel")
        self.status_label.setWordWrap(True)
        layout.addRow("", self.status_label)
        self._marks = FieldErrorMarks()
        self.give_button.clicked.connect(self.give)
        self.login_edit.returnPressed.connect(self.give)

    def show_member(self, member: GroupMember | None) -> None:
        self._member = member
        self._marks.clear()
        login = self._plan.login_of(member.id) if member is not None else ""
        self.login_edit.setText(login)
        self.login_edit.setReadOnly(bool(login))
        self.give_button.setEnabled(member is not None and not login)
        self.setEnabled(member is not None)
        if member is None:
            self.status_label.setText("保存成员后可为其开通登录。")
        elif login:
            self.status_label.setText("已开通；口令由巡察办管理员在“用户”页或“安全 → 用户口令”中设置。")
        else:
            self.status_label.setText("尚未开通登录。")

    def error_text(self) -> str:
        return self._marks.message(self.login_edit)

    def give(self) -> None:
        member, login = self._member, self.login_edit.text().strip()
        if member is None or self.login_edit.isReadOnly():
            return
        self._marks.clear()
        if not login:
            self._marks.mark(self.login_edit, ["请填写登录名"])
            return
        try:
            self._plan.give_login(member.id, login)
        except ValidationError as error:
            texts = [e.message for e in error.errors] or [str(error)]
            self._marks.mark(self.login_edit, texts)
            return
        except XunchaError as error:
            self._marks.mark(self.login_edit, [str(error)])
            return
        self.show_member(member)
        self.status_label.setText(f"已为{member.name}开通登录“{login}”；请设置其口令后再交给本人。")


class RoundsScreen(QWidget):
    """轮次与巡察组."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planRounds")
        self._ws = workspace
        self.plan = PlanService(workspace)
        choices = load_plan_choices(workspace)
        self.rounds = PlanEditor(round_spec(workspace, self.plan), self, choices=choices)
        self.groups = PlanEditor(group_spec(workspace, self.plan), self)
        self.members = PlanEditor(member_spec(workspace, self.plan), self)
        self.targets = PlanEditor(
            target_spec(workspace, self.plan, lambda: self.groups.parent_id), self, choices=choices
        )
        org_combo = self.targets.form.find(QComboBox, "orgCombo")
        self.org_search = add_org_search(org_combo, self.targets.form.find(QFormLayout, "formLayout"), self)
        self.org_search.set_orgs(choices.orgs)
        self.rounds.dependents = [self.groups]
        self.groups.dependents = [self.members, self.targets]
        self.login_box = LoginBox(self.plan, self.members)
        self.members.extra_layout.addWidget(self.login_box)
        self._cadre_label = self.members.form.find(QLabel, "cadreLabel")
        for detail in (self.members, self.targets):
            detail.set_sizes([200, 400])  # at 1366×768 the member form needs the height more than the list
        self.detail_tabs = QTabWidget(self)
        self.detail_tabs.setObjectName("groupDetailTabs")
        self.detail_tabs.addTab(self.members, "组成人员")
        self.detail_tabs.addTab(self.targets, "被巡察单位")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("roundsSplitter")
        splitter.setChildrenCollapsible(False)
        for widget in (self.rounds, self.groups, self.detail_tabs):
            splitter.addWidget(widget)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self.rounds.current_changed.connect(self._on_round)
        self.groups.current_changed.connect(self._on_group)
        self.members.current_changed.connect(self._on_member)
        self.targets.form.field_changed.connect(self._on_target_field)
        self._loaded = False

    def editors(self) -> list[PlanEditor]:
        return [self.rounds, self.groups, self.members, self.targets]

    def load(self) -> None:
        """Read the rounds (and, through the selection, the rest) the first time or after a change."""
        self._loaded = True
        self._set_orgs()
        self.rounds.reload()

    def refresh(self) -> None:
        """Re-read every list (a change here or elsewhere); selections and unsaved forms are kept."""
        if not self._loaded:
            return
        self._set_orgs()
        for editor in self.editors():
            editor.reload()

    def _set_orgs(self) -> None:
        choices = load_plan_choices(self._ws)
        self.targets.set_choices(choices)
        self.rounds.set_choices(choices)
        self.org_search.set_orgs(choices.orgs)

    def _on_round(self, shown: InspectionRound | None) -> None:
        self.groups.set_parent(shown.id if shown is not None else "")

    def _on_group(self, shown: InspectionGroup | None) -> None:
        group_id = shown.id if shown is not None else ""
        self.members.set_parent(group_id)
        self.targets.set_parent(group_id)

    def _on_member(self, shown: GroupMember | None) -> None:
        self.login_box.show_member(shown)
        if shown is None or not shown.cadre_id:
            self._cadre_label.setText("未关联（在“人才库”中选人并“加入巡察组…”即可关联）")
            return
        status, reason = self.plan.cadre_statuses([shown.cadre_id]).get(shown.cadre_id, ("已删除", ""))
        if status == "在库":
            self._cadre_label.setText("已关联人才库，参加巡察的履历自动记入")
        else:
            why = f"（{reason}）" if reason else ""
            self._cadre_label.setText(f"已关联人才库；人员状态为“{status}”{why}，请核实是否仍在组")

    def _on_target_field(self, field: str) -> None:
        """Choosing a unit of the 党组织名录 fills its name and kind."""
        form = self.targets.form
        if field != "org_id" or form.loading:
            return
        found = getattr(form.choices, "org_kinds", {}).get(form.value("org_id"))
        if found is not None:
            form.set_value("name", found[0])
            form.set_value("kind", found[1])
