"""The 领导干部画像 page (a sub-page of 干部评价): list columns, form bindings and the page spec."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QTableWidget

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.personnel_evaluations import PersonnelEvaluation, favourable_rate, option_rates
from xuncha_desktop.domain.record_types import EVALUATION
from xuncha_desktop.gui.pages import form_behaviours as behave
from xuncha_desktop.gui.pages import table_rows
from xuncha_desktop.gui.pages.form_behaviours import FormHost, on_change
from xuncha_desktop.gui.pages.page_bindings import CONTEXT, MARKING, B, persons
from xuncha_desktop.gui.pages.page_columns import field_column, target_column
from xuncha_desktop.gui.pages.page_types import FilterSpec, PageSpec, plain
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.services.records.context_names import ContextNames

DIMENSION_WIDGETS = (
    ("政治素质", "politicalQualityText"),
    ("履职尽责", "dutyPerformanceText"),
    ("民主集中制执行", "democraticCentralismText"),
    ("选人用人", "cadreSelectionText"),
    ("廉洁自律", "integrityText"),
    ("作风", "workStyleText"),
    ("群众口碑", "reputationText"),
)


def _rate(r: PersonnelEvaluation) -> str:
    rate = favourable_rate(r)
    return "" if rate is None else f"{rate}%"


def columns(names: ContextNames) -> list[Column[Any]]:
    def col(name: str, width: int) -> Column[Any]:
        return field_column(EVALUATION, name, width)

    return [
        col("number", 13),
        col("name", 5),
        col("post", 12),
        col("is_top_leader", 4),
        col("poll_scale", 5),
        Column("好评率", _rate, 4, align_right=True),
        col("grade", 4),
        col("evaluated_on", 6),
        target_column(names),
    ]


BINDINGS = (
    *CONTEXT,
    B("person_id", "personCombo", persons, ("target_id",), optional=True),
    B("name", "nameEdit"),
    B("post", "postEdit"),
    B("term_start", "termStartDate"),
    B("portfolio", "portfolioEdit"),
    B("is_top_leader", "isTopLeaderCheck"),
    B("evaluated_on", "evaluatedOnDate"),
    B("evaluator", "evaluatorEdit"),
    MARKING,
    B("dimensions", "dimensionsGroup", parts=DIMENSION_WIDGETS),
    B("poll_scale", "pollScaleCombo", tuple(vocab.POLL_SCALES)),
    B("poll_tallies", "pollTallyTable", kind="tallies"),
    B("overall", "overallText"),
    B("grade", "gradeCombo", vocab.PORTRAIT_GRADES, optional=True),
    B("flag_for_org", "flagForOrgCheck"),
)


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
    on_change(form, ["poll_tallies"], refresh)


PAGE = PageSpec[PersonnelEvaluation](
    tab="干部评价",
    title="领导干部画像",
    record_type=EVALUATION,
    columns=columns,
    heading=lambda r: f"{r.name}（{r.post}）" if r.name else "领导干部画像",
    form_file="personnel_evaluation_form.ui",
    bindings=BINDINGS,
    new_record=lambda c: PersonnelEvaluation(
        round_id=c.round_id,
        group_id=c.group_id,
        target_id=c.target_id,
        evaluated_on=c.today,
        evaluator=c.user_name,
    ),
    filters=(FilterSpec("grade", "等次", plain(vocab.PORTRAIT_GRADES)),),
    behaviours=(
        behave.prefill_from_person("person_id", (("name", "name"), ("post", "post"))),
        poll_rates,
    ),
)
