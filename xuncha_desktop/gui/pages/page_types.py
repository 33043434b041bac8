"""What a tab is made of: PageSpec and the pieces it names (actions, filters, the context of new records)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, Protocol, TypeVar

from xuncha_desktop.domain.classification import BUILTIN_CATEGORIES
from xuncha_desktop.domain.common import Record
from xuncha_desktop.domain.record_types import (
    DICTIONARY,
    GROUP,
    MEMBER,
    PERSON,
    ROUND,
    TARGET,
    USER,
    RecordType,
)
from xuncha_desktop.gui.pages.field_bindings import Choice, FieldBinding
from xuncha_desktop.gui.pages.page_columns import Columns
from xuncha_desktop.services.records.links import save_links
from xuncha_desktop.services.records.record_service import RecordService, SaveStep
from xuncha_desktop.services.workspace import Workspace

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class WorkContext:
    """The toolbar's round, group and inspected unit ("" = all): lists follow it, new records start in it."""

    round_id: str = ""
    group_id: str = ""
    target_id: str = ""


@dataclass(frozen=True)
class NewContext:
    """What a new record starts from: the working context of the toolbar, the user and today."""

    round_id: str = ""
    group_id: str = ""
    target_id: str = ""
    user_name: str = ""
    today: date = field(default_factory=date.today)


class PageContext(Protocol):
    """What a page action may use: the workspace, the stored record, the form, and other pages."""

    @property
    def workspace(self) -> Workspace: ...

    @property
    def record(self) -> Any: ...

    def selected_text(self, field: str) -> str: ...

    def ask_text(self, title: str, label: str) -> str | None: ...

    def ask_choice(self, title: str, label: str, choices: list[str]) -> str | None: ...

    def open_elsewhere(
        self, type_key: str, record: Any, link_from: tuple[str, str] | None = None
    ) -> None: ...


@dataclass(frozen=True)
class PageAction:
    """A button in the form's action row: `run` returns the changed record (or None); pending edits are
    saved first. `shown` decides per record, `refusal` gives the reason a user may not run it ("" if may)."""

    name: str
    label: str
    run: Callable[[PageContext], Any]
    shown: Callable[[Workspace, Any], bool] = lambda _ws, record: bool(record.id)
    refusal: Callable[[Workspace, Any], str] = lambda _ws, _record: ""
    tooltip: str = ""


@dataclass(frozen=True)
class FilterSpec:
    """An equality filter over one column of the list, offered in the filter bar."""

    field: str
    label: str
    choices: tuple[Choice, ...]


def plain(values: Sequence[str]) -> tuple[Choice, ...]:
    return tuple((v, v) for v in values)


def level1_categories() -> tuple[Choice, ...]:
    return tuple((c.code, f"{c.code} {c.label}") for c in BUILTIN_CATEGORIES if c.level == 1)


def _same(record: Any) -> Any:
    return record


@dataclass(frozen=True)
class PageSpec(Generic[R]):
    """One list-and-form page. Pages sharing a `tab` appear as sub-pages of that main-window tab."""

    tab: str
    title: str
    record_type: RecordType
    columns: Columns
    heading: Callable[[R], str]  # the form's title for a saved record
    form_file: str
    bindings: tuple[FieldBinding, ...]
    new_record: Callable[[NewContext], R]
    filters: tuple[FilterSpec, ...] = ()
    actions: tuple[PageAction, ...] = ()
    behaviours: tuple[Callable[[Any], None], ...] = ()  # each gets the page's FormHost once
    # default: RecordService.save; called with the keywords `revoke_signoff` (a 底稿's consent) and `links`
    save_record: Callable[..., R] | None = None
    after_save: SaveStep | None = (
        None  # more writes in the record's save transaction: a draft's evidence links
    )
    fresh_copy: Callable[[R], R] = _same  # what a duplicate keeps (workflow state is usually reset)
    highlight: Callable[[R], str] | None = None  # a non-empty reason marks the row in the list
    reads: tuple[str, ...] = ()  # other record types the page shows figures of (鉴定's workload)
    search_placeholder: str = "输入关键词搜索全部内容，多个关键词用空格分开"

    def service(self, workspace: Workspace) -> RecordService[R]:
        return RecordService[R](workspace, self.record_type)

    def save(
        self,
        workspace: Workspace,
        record: R,
        *,
        revoke_signoff: bool = False,
        link_from: tuple[str, str] | None = None,
    ) -> R:
        """Store `record` with its links in one transaction: from `link_from` (type key, id of the record it
        was started from) and after_save's. `revoke_signoff` is the consent to revoke a 底稿's sign-off."""
        links = save_links(self.record_type.key, link_from, self.after_save)
        if self.save_record is not None:
            return self.save_record(workspace, record, revoke_signoff=revoke_signoff, links=links)
        return self.service(workspace).save(record, revoke_signoff=revoke_signoff, links=links)

    def has_field(self, name: str) -> bool:
        return any(f.name == name for f in dataclasses.fields(self.record_type.cls))

    @property
    def date_field(self) -> str:
        return self.record_type.date_field


# Every page shows names of rounds, groups, units and people, and its records' links and attachments.
SHOWN_BY_EVERY_PAGE = frozenset(t.key for t in (ROUND, GROUP, MEMBER, TARGET, PERSON, USER, DICTIONARY))


def shown_types(spec: PageSpec[Any]) -> frozenset[str]:
    """The record types whose changes a page must re-read for (services.changes.Changes.touches)."""
    return SHOWN_BY_EVERY_PAGE | {spec.record_type.key, *spec.reads}
