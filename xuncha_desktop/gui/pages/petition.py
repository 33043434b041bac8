"""The 信访件登记 page: list columns, form bindings, the disposal buttons (转为问题线索, 纳入问题底稿, 转办,
留存备查) and the page spec. The reporter shows masked as on the lead page (lead.reporter_visibility)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from xuncha_desktop.domain.petitions import (
    CHANNELS,
    CREATING_DISPOSALS,
    DISPOSALS,
    FILE_AWAY,
    FORWARD,
    REMITS,
    TO_DRAFT,
    TO_LEAD,
    Petition,
)
from xuncha_desktop.domain.record_types import PETITION
from xuncha_desktop.gui.pages import form_behaviours as behave
from xuncha_desktop.gui.pages.formatting import display_text
from xuncha_desktop.gui.pages.lead import reporter_visibility
from xuncha_desktop.gui.pages.page_bindings import CONTEXT, MARKING, B
from xuncha_desktop.gui.pages.page_columns import field_column, target_column
from xuncha_desktop.gui.pages.page_types import FilterSpec, PageAction, PageContext, PageSpec, plain
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.services.records.context_names import ContextNames
from xuncha_desktop.services.workspace import Workspace

if TYPE_CHECKING:  # the disposal service is loaded when a petition is first disposed of, not at start-up
    from xuncha_desktop.services.records.petition_disposal import PetitionDisposal

FORWARD_BODIES = ("县信访局", "县纪委监委", "县委组织部", "有关职能部门", "乡镇（街道）党（工）委")
OUT_OF_REMIT = "不属于受理范围的信访件只能转办或留存备查"


def columns(names: ContextNames) -> list[Column[Any]]:
    def col(name: str, width: int, **how: Any) -> Column[Any]:
        return field_column(PETITION, name, width, **how)

    return [
        col("number", 13),
        col("received_on", 6),
        col("channel", 6),
        col("reporter_name", 5),
        col("subject_name", 5),
        col("subject_unit", 10),
        col("within_remit", 4),
        col("disposal", 6),
        target_column(names),
    ]


BINDINGS = (
    *CONTEXT,
    B("received_on", "receivedOnDate"),
    B("channel", "channelCombo", CHANNELS),
    B("registered_by", "registeredByEdit"),
    MARKING,
    B("anonymous", "anonymousCheck"),
    B("reporter_name", "reporterNameEdit"),
    B("reporter_contact", "reporterContactEdit"),
    B("subject_name", "subjectNameEdit"),
    B("subject_unit", "subjectUnitEdit"),
    B("within_remit", "withinRemitCombo", REMITS),
    B("summary", "summaryText"),
    B("disposal", "disposalCombo", DISPOSALS, optional=True),
    B("forwarded_to", "forwardedToCombo", FORWARD_BODIES),
    B("disposed_on", "disposedOnDate"),
    B("decided_by", "decidedByEdit"),
)


def _fresh(p: Petition) -> Petition:
    """A duplicate is a new, undisposed petition."""
    return dataclasses.replace(p, disposal="", disposed_on=None, decided_by="", forwarded_to="")


def _open(_ws: Workspace, p: Petition) -> bool:
    """Disposal buttons show on a saved petition that has not become a lead or draft yet."""
    return bool(p.id) and p.disposal not in CREATING_DISPOSALS


def _in_remit_only(_ws: Workspace, p: Petition) -> str:
    return OUT_OF_REMIT if p.within_remit != "属于" else ""


def _disposal(ws: Workspace) -> PetitionDisposal:
    from xuncha_desktop.services.records.petition_disposal import PetitionDisposal  # when a step is taken

    return PetitionDisposal(ws)


def to_lead(ctx: PageContext) -> Petition:
    return _disposal(ctx.workspace).dispose(ctx.record.id, TO_LEAD).petition


def to_draft(ctx: PageContext) -> Petition | None:
    from xuncha_desktop.services.records.petition_disposal import draft_categories

    categories = draft_categories(ctx.workspace, ctx.record.round_id)
    shown = [f"{code} {label}" for code, label in categories]
    picked = ctx.ask_choice(TO_DRAFT, "底稿的问题类别：", shown)
    if picked is None:
        return None
    code = categories[shown.index(picked)][0]
    return _disposal(ctx.workspace).dispose(ctx.record.id, TO_DRAFT, category_l1=code).petition


def forward(ctx: PageContext) -> Petition | None:
    body = ctx.ask_choice(FORWARD, "转办给：", list(FORWARD_BODIES))
    if body is None:
        return None
    return _disposal(ctx.workspace).dispose(ctx.record.id, FORWARD, forwarded_to=body).petition


def file_away(ctx: PageContext) -> Petition:
    return _disposal(ctx.workspace).dispose(ctx.record.id, FILE_AWAY).petition


ACTIONS = (
    PageAction(
        "toLeadButton",
        TO_LEAD,
        to_lead,
        shown=_open,
        refusal=_in_remit_only,
        tooltip="登记为问题线索（反映人、被反映人和摘要带入线索），两者互相关联",
    ),
    PageAction(
        "toDraftButton",
        TO_DRAFT,
        to_draft,
        shown=_open,
        refusal=_in_remit_only,
        tooltip="起草问题底稿（摘要作为问题描述），两者互相关联",
    ),
    PageAction("forwardButton", "转办…", forward, shown=_open, tooltip="转有关部门办理"),
    PageAction("fileAwayButton", FILE_AWAY, file_away, shown=_open, tooltip="不作处理，留存备查"),
)


PAGE = PageSpec[Petition](
    tab="信访件登记",
    title="信访件登记",
    record_type=PETITION,
    columns=columns,
    heading=lambda r: f"{r.channel}信访件（{display_text(r.received_on)}）",
    form_file="petition_form.ui",
    bindings=BINDINGS,
    new_record=lambda c: Petition(
        round_id=c.round_id,
        group_id=c.group_id,
        target_id=c.target_id,
        received_on=c.today,
        registered_by=c.user_name,
    ),
    filters=(
        FilterSpec("channel", "渠道", plain(CHANNELS)),
        FilterSpec("disposal", "处置", plain(DISPOSALS)),
    ),
    actions=ACTIONS,
    behaviours=(
        behave.enable_when_checked("anonymous", "reporter_name", "reporter_contact", inverted=True),
        reporter_visibility,
    ),
    fresh_copy=_fresh,
)
