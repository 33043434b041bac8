"""One search over the whole workspace (Ctrl+K): every record type of the registry with full-text fields,
grouped by type, a few results per type and how many there are in all.

Records are read through RecordService, so each is seen as this user may see it (a lead's reporter
masked). The full-text index holds the stored text, masked fields included: a record is only found when
the query matches the record *as shown*, so a hidden name can neither be found nor counted."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from xuncha_desktop.domain import record_types
from xuncha_desktop.domain.record_types import RecordType
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.search_index import flatten_text

PER_TYPE = 5  # results shown per type
SCAN_LIMIT = 500  # matches checked per type; beyond it the count says "at least"
PAGE = 100
TITLE_CHARS = 30
SNIPPET_BEFORE = 12
SNIPPET_CHARS = 60

Titles = Mapping[str, Callable[[Any], str]]  # type key → a record's title (the GUI passes its headings)


@dataclass(frozen=True)
class SearchHit:
    type_key: str
    type_label: str
    record_id: str
    number: str
    title: str
    snippet: str  # "field label：…text around the match…", from the record as shown
    round_id: str = ""  # where the record belongs, for a list to show it ("" when the type has no such field)
    group_id: str = ""
    target_id: str = ""


@dataclass(frozen=True)
class TypeResults:
    type_key: str
    label: str
    hits: tuple[SearchHit, ...]
    total: int  # matches found (at least this many when `more`)
    more: bool = False  # SCAN_LIMIT reached: there may be more


@dataclass(frozen=True)
class SearchResults:
    query: str
    groups: tuple[TypeResults, ...]  # only types with matches, in registry order

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


def searchable_types() -> tuple[RecordType, ...]:
    """The registry's types with full-text fields, read when called: a type registered later is searched."""
    return tuple(rt for rt in record_types.ALL_RECORD_TYPES if rt.text_fields)


def terms_of(query: str) -> list[str]:
    return [t.lower() for t in query.split() if t]


def search_all(
    ws: Workspace,
    query: str,
    *,
    per_type: int = PER_TYPE,
    titles: Titles | None = None,
    types: tuple[RecordType, ...] | None = None,
) -> SearchResults:
    """Every live record whose shown text contains all terms of `query`, grouped by type."""
    terms = terms_of(query)
    if not terms:
        return SearchResults(query, ())
    groups = []
    for rt in types if types is not None else searchable_types():
        found = _search_type(ws, rt, query, terms, per_type, (titles or {}).get(rt.key))
        if found.total:
            groups.append(found)
    return SearchResults(query, tuple(groups))


def _search_type(
    ws: Workspace,
    rt: RecordType,
    query: str,
    terms: list[str],
    per_type: int,
    title: Callable[[Any], str] | None,
) -> TypeResults:
    hits: list[SearchHit] = []
    total = scanned = 0
    for record in _matches(RecordService[Any](ws, rt), query):
        scanned += 1
        if scanned > SCAN_LIMIT:
            return TypeResults(rt.key, rt.label, tuple(hits), total, more=True)
        if not _shown_matches(rt, record, terms):
            continue  # matched only in text this user may not see
        total += 1
        if len(hits) < per_type:
            hits.append(_hit(rt, record, terms, title))
    return TypeResults(rt.key, rt.label, tuple(hits), total)


def _matches(service: RecordService[Any], query: str) -> Iterator[Any]:
    """Index matches, newest number first, read a page at a time as they are needed."""
    offset = 0
    while True:
        page = service.list(
            ListQuery(search=query, order_by="number", descending=True, offset=offset, limit=PAGE)
        )
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def _texts(rt: RecordType, record: Any) -> list[tuple[str, str, str]]:
    """(name, label, text) of each non-empty full-text field of the record as shown."""
    out = []
    for name in rt.text_fields:
        text = flatten_text(getattr(record, name))
        if text:
            out.append((name, rt.field(name).label or name, text))
    return out


def _shown_matches(rt: RecordType, record: Any, terms: list[str]) -> bool:
    shown = "\n".join(text for _, _, text in _texts(rt, record)).lower()
    return all(t in shown for t in terms)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def default_title(rt: RecordType, record: Any) -> str:
    """The first full-text field but the number that has a value (a name, a title, a place)."""
    for name in rt.text_fields:
        if name != "number":
            text = _one_line(flatten_text(getattr(record, name)))
            if text:
                return text
    return rt.label


def snippet(rt: RecordType, record: Any, terms: list[str], title: str = "") -> str:
    """The first field that holds a term, around its first occurrence; the number and a field the title
    already shows come last (the snippet should tell something the title does not)."""
    texts = _texts(rt, record)

    def shown_already(name: str, text: str) -> bool:
        return name == "number" or (bool(title) and _one_line(text)[: TITLE_CHARS - 1] in title)

    ordered = [t for t in texts if not shown_already(t[0], t[2])] + [
        t for t in texts if shown_already(t[0], t[2])
    ]
    for _name, label, text in ordered:
        flat = _one_line(text)
        at = min((i for i in (flat.lower().find(t) for t in terms) if i >= 0), default=-1)
        if at < 0:
            continue
        start = max(at - SNIPPET_BEFORE, 0)
        piece = flat[start : start + SNIPPET_CHARS]
        lead = "…" if start else ""
        tail = "…" if start + SNIPPET_CHARS < len(flat) else ""
        return f"{label}：{lead}{piece}{tail}"
    return ""


def _hit(rt: RecordType, record: Any, terms: list[str], heading: Callable[[Any], str] | None) -> SearchHit:
    named = ""
    if heading is not None:
        try:
            named = heading(record)
        except (AttributeError, TypeError, ValueError):
            named = ""  # a heading that cannot describe this record falls back to the generic title
    title = _clip(_one_line(named or default_title(rt, record)), TITLE_CHARS)
    return SearchHit(
        rt.key,
        rt.label,
        record.id,
        record.number,
        title,
        snippet(rt, record, terms, title),
        str(getattr(record, "round_id", "") or ""),
        str(getattr(record, "group_id", "") or ""),
        str(getattr(record, "target_id", "") or ""),
    )
