"""Step 2 of the recipe, the GUI module (gui/pages/<type>.py in the application): the list columns, the form
bindings and the page spec of 走访记录. In the application it is listed in gui/pages/registry.py."""

from __future__ import annotations

from typing import Any

from tests.recipe.visits import VISIT, VISIT_KINDS, VisitRecord
from xuncha_desktop.gui.pages.formatting import display_text
from xuncha_desktop.gui.pages.page_bindings import CONTEXT, MARKING, B
from xuncha_desktop.gui.pages.page_columns import field_column, target_column
from xuncha_desktop.gui.pages.page_types import FilterSpec, PageSpec, plain
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.services.records.context_names import ContextNames

FORM_FILE = "visit_record_form.ui"  # step 3: ui/visit_record_form.ui (here tests/recipe/)


def columns(names: ContextNames) -> list[Column[Any]]:
    return [
        field_column(VISIT, "number", 13),
        field_column(VISIT, "visited_on", 6),
        field_column(VISIT, "kind", 5),
        field_column(VISIT, "visitor", 5),
        target_column(names),
    ]


BINDINGS = (
    *CONTEXT,
    B("visited_on", "visitedOnDate"),
    B("kind", "kindCombo", VISIT_KINDS),
    B("place", "placeEdit"),
    B("visitor", "visitorEdit"),
    B("topics", "topicsText", kind="lines"),
    B("findings", "findingsText"),
    MARKING,
)

PAGE = PageSpec[VisitRecord](
    tab="走访记录",
    title="走访记录",
    record_type=VISIT,
    columns=columns,
    heading=lambda r: f"走访记录（{display_text(r.visited_on)}）",
    form_file=FORM_FILE,
    bindings=BINDINGS,
    new_record=lambda c: VisitRecord(
        round_id=c.round_id,
        group_id=c.group_id,
        target_id=c.target_id,
        visited_on=c.today,
        visitor=c.user_name,
    ),
    filters=(FilterSpec("kind", "方式", plain(VISIT_KINDS)),),
)
