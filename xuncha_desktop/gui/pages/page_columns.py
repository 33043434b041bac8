"""List columns: header, value, width in characters and the database column to sort by. Each page module
(gui/pages) lists its own; a column showing one field takes its header from the field's declaration."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from xuncha_desktop.domain.record_types import RecordType
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.services.records.context_names import ContextNames

Columns = Callable[[ContextNames], Sequence[Column[Any]]]


def field_column(
    rt: RecordType,
    name: str,
    width: int,
    *,
    value: Callable[[Any], Any] | None = None,
    header: str = "",
    align_right: bool = False,
    sortable: bool = True,
) -> Column[Any]:
    """A column of field `name` headed by its declared (short) label and sorted by the field; `value`
    when it shows the field otherwise than as stored, `header` where the list names it otherwise."""
    return Column(
        header or rt.header(name),
        value or attrgetter(name),
        width,
        align_right,
        name if sortable else "",
    )


def target_column(names: ContextNames) -> Column[Any]:
    return Column("被巡察单位", lambda r: names.target(r.target_id), 11)
