"""Small live behaviours of some forms: prefills, enabled states, computed rates, workload, due dates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Protocol

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QTableWidget, QWidget

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.lead_registrations import LeadRegistration, feedback_due, is_overdue
from xuncha_desktop.domain.personnel_evaluations import PersonnelEvaluation, favourable_rate, option_rates
from xuncha_desktop.gui import messages, table_rows
from xuncha_desktop.gui.background_reads import Reader
from xuncha_desktop.gui.page_bindings import EVIDENCE_COLUMNS
from xuncha_desktop.gui.record_form import RecordForm
from xuncha_desktop.services.evidence_links import evidence_candidates
from xuncha_desktop.services.statistics import Workload, member_workload
from xuncha_desktop.services.workspace import Workspace

Behaviour = Callable[["FormHost"], None]
WORKLOAD_DELAY_MS = 300


class FormHost(Protocol):
    """What a behaviour may use: the page's form, its workspace, and a parent for dialogs."""

    @property
    def form(self) -> RecordForm: ...

    @property
    def workspace(self) -> Workspace: ...

    @property
    def dialog_parent(self) -> QWidget: ...


def _on(form: RecordForm, fields: Sequence[str], slot: Callable[[], None], *, on_load: bool = True) -> None:
    """Run `slot` when one of `fields` changes (and after a record is loaded)."""
    form.field_changed.connect(lambda f: slot() if f in fields else None)
    if on_load:
        form.loaded.connect(slot)


def enable_when_checked(check_field: str, *dependent: str, inverted: bool = False) -> Behaviour:
    """Fields that only mean something when a box is (or, inverted, is not) ticked."""

    def install(host: FormHost) -> None:
        form = host.form
        check = form.widget_of(check_field)
        assert isinstance(check, QCheckBox)

        def update() -> None:
            for name in dependent:
                form.widget_of(name).setEnabled(check.isChecked() != inverted)

        _on(form, [check_field], update)

    return install


def prefill_from_person(person_field: str, fills: Sequence[tuple[str, str]]) -> Behaviour:
    """Choosing someone from the persons of the unit fills the name and post fields from that person."""

    def install(host: FormHost) -> None:
        form = host.form

        def chosen() -> None:
            if form.loading:
                return
            person = form.choices.person(form.value("target_id"), form.value(person_field))
            if person is not None:
                for field, attribute in fills:
                    form.set_value(field, getattr(person, attribute))

        _on(form, [person_field], chosen, on_load=False)

    return install


def prefill_from_member(host: FormHost) -> None:
    """Choosing a member of the group fills the appraisal's identity, duty and period."""
    form = host.form

    def chosen() -> None:
        member = form.choices.member(form.value("member_id"))
        if form.loading or member is None:
            return
        values: dict[str, Any] = {
            "name": member.name,
            "gender": member.gender,
            "birth_month": member.birth_month,
            "political_status": member.political_status,
            "home_unit_post": f"{member.home_unit}{member.home_post}",
            "duty": member.duty,
            "period_start": member.start_on,
            "period_end": member.end_on,
        }
        for field, value in values.items():
            form.set_value(field, value)

    _on(form, ["member_id"], chosen, on_load=False)


def poll_rates(host: FormHost) -> None:
    """民主测评: the options follow the poll type; shares, total and 好评率 follow the votes as typed."""
    form = host.form
    table = form.widget_of("poll_tallies")
    assert isinstance(table, QTableWidget)
    total_label = form.find(QLabel, "pollTotalLabel")
    rate_label = form.find(QLabel, "favourableRateLabel")

    def scale_changed() -> None:
        table_rows.set_options(table, vocab.POLL_SCALES.get(form.value("poll_scale"), ()))
        refresh()

    def refresh() -> None:
        poll = PersonnelEvaluation(
            poll_scale=form.value("poll_scale"), poll_tallies=form.value("poll_tallies")
        )
        table_rows.set_shares(table, {o: f"{r}%" for o, r in option_rates(poll).items()})
        total = sum(poll.poll_tallies.values())
        total_label.setText(f"{total} 票")
        rate = favourable_rate(poll)
        good = "、".join(vocab.POLL_FAVOURABLE.get(poll.poll_scale, ()))
        rate_label.setText("—（尚无票数）" if rate is None else f"{rate}%（{good}票数占总票数）")

    form.field_changed.connect(lambda f: scale_changed() if f == "poll_scale" else None)
    _on(form, ["poll_tallies"], refresh)


def workload(host: FormHost) -> None:
    """The member's talks, drafts and leads in the round, counted from the records (read-only)."""
    form = host.form
    labels = {
        "interviews": form.find(QLabel, "interviewCountLabel"),
        "drafts": form.find(QLabel, "draftCountLabel"),
        "leads": form.find(QLabel, "leadCountLabel"),
    }
    timer = QTimer(form)
    timer.setSingleShot(True)
    timer.setInterval(WORKLOAD_DELAY_MS)  # the name changes with every keystroke: count after a pause
    wanted: list[tuple[str, str, str]] = [("", "", "")]
    reader = Reader(form)

    def show(counted: Workload, key: tuple[str, str, str]) -> None:
        if key != wanted[0]:
            return  # the form moved on while counting
        labels["interviews"].setText(f"{counted.interviews} 人次")
        labels["drafts"].setText(f"{counted.drafts} 份")
        labels["leads"].setText(f"{counted.leads} 件")

    def refresh() -> None:
        timer.stop()
        key = (form.value("name").strip(), form.value("round_id"), form.value("group_id"))
        wanted[0] = key
        ws = host.workspace
        # Counting scans the round's records: done off the GUI thread, with the inputs read here.
        reader.read(lambda: member_workload(ws, *key), lambda counted: show(counted, key))

    timer.timeout.connect(refresh)
    form.field_changed.connect(lambda f: timer.start() if f in ("name", "round_id", "group_id") else None)
    form.loaded.connect(refresh)


def feedback_deadline(host: FormHost) -> None:
    """反馈期限: three months after the transfer, marked when feedback is overdue."""
    form = host.form
    label = form.find(QLabel, "feedbackDueLabel")

    def refresh() -> None:
        lead = LeadRegistration(transfer_on=form.value("transfer_on"), feedback_on=form.value("feedback_on"))
        due = feedback_due(lead)
        if due is None:
            label.setText("移交后三个月内")
            label.setStyleSheet("")
        elif is_overdue(lead, date.today()):
            label.setText(f"{due.isoformat()}（已超期，尚未反馈）")
            label.setStyleSheet("color: #c62828; font-weight: bold;")
        else:
            label.setText(f"{due.isoformat()}（移交后三个月）")
            label.setStyleSheet("")

    _on(form, ["transfer_on", "feedback_on"], refresh)


def evidence_rows(host: FormHost) -> None:
    """佐证材料目录: add or remove rows, or pick talks and files of the unit as evidence."""
    form = host.form
    table = form.widget_of("evidence")
    assert isinstance(table, QTableWidget)

    def add() -> None:
        row = table_rows.append_row(table, EVIDENCE_COLUMNS, {"pages": 0})
        table.setCurrentCell(row, 0)
        first = table.item(row, 0)
        if first is not None:
            table.editItem(first)

    def remove() -> None:
        for row in sorted({i.row() for i in table.selectedIndexes()}, reverse=True):
            table.removeRow(row)

    def pick() -> None:
        candidates = evidence_candidates(host.workspace, form.record())
        present = {(r.get("interview_id"), r.get("attachment_sha256")) for r in form.value("evidence")}
        offered = [
            c for c in candidates if (c.row["interview_id"], c.row["attachment_sha256"]) not in present
        ]
        if not offered:
            messages.show_info(
                host.dialog_parent,
                "选择佐证材料",
                "没有可添加的谈话记录或附件：请先选择巡察轮次和被巡察单位，或先添加附件。",
            )
            return
        for chosen in messages.pick_evidence(host.dialog_parent, offered):
            table_rows.append_row(table, EVIDENCE_COLUMNS, chosen.row)

    form.find(QPushButton, "addEvidenceButton").clicked.connect(add)
    form.find(QPushButton, "removeEvidenceButton").clicked.connect(remove)
    form.find(QPushButton, "pickEvidenceButton").clicked.connect(pick)


def reporter_visibility(host: FormHost) -> None:
    """A lead whose reporter this user may not see (domain README §3.2) shows 已隐藏/匿名 read-only: the
    service keeps the stored reporter anyway, so typing there would silently come to nothing."""
    from PySide6.QtWidgets import QLineEdit

    from xuncha_desktop.services import visibility

    form = host.form
    fields = [form.widget_of(name) for name in visibility.REPORTER_FIELDS]
    anonymous = form.widget_of("anonymous")

    def update() -> None:
        lead = form.original
        ws = host.workspace
        hidden = (
            isinstance(lead, LeadRegistration)
            and bool(lead.id)
            and not visibility.can_see_reporter(ws.user, lead, office=ws.info.is_office)
        )
        tip = "反映人身份和联系方式仅组长、副组长和登记人可见" if hidden else ""
        for widget in fields:
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(hidden)
            widget.setToolTip(tip)
        anonymous.setEnabled(not hidden)

    form.loaded.connect(update)
