"""Conflicts a person resolves (sync.md §3.8): what each side wrote, the common version, and a resolution
that is saved as one revision over all heads, so it travels to every workspace with the next packages."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from xuncha_desktop.domain.codec import encode_value, from_body
from xuncha_desktop.domain.errors import FieldError, RecordNotFound, ValidationError, XunchaError
from xuncha_desktop.domain.record_types import record_type
from xuncha_desktop.services.records import visibility
from xuncha_desktop.services.records.record_service import RecordService, next_number
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import conflict_store, sync_state
from xuncha_desktop.storage.conflict_store import MERGE_KINDS
from xuncha_desktop.storage.merge import merge
from xuncha_desktop.storage.revision_store import load_revisions
from xuncha_desktop.storage.revisions import hlc_display
from xuncha_desktop.storage.tables import BUSINESS_TABLES

KIND_LABELS = {
    "soft": "自动合并待确认",
    "hard": "同一字段被不同修改",
    "delete_edit": "一方删除、一方修改",
    "identity": "编号重复",
    "dangling_ref": "引用的记录不存在",
}
KEEP_BOTH = object()  # a choice for text fields: both texts, each with its author
# The record a reporter conflict is about, as the refusal names it (visibility.REPORTER_TYPES).
REPORTER_OWNERS = {"lead": "这条线索", "petition": "这个信访件"}
# Which open conflict of a record its form names first: the ones that need a decision before the others.
KIND_ORDER = ("hard", "delete_edit", "identity", "dangling_ref", "soft")


@dataclass(frozen=True)
class ConflictSummary:
    id: str
    record_type: str
    record_id: str
    number: str
    kind: str
    kind_label: str
    fields: tuple[str, ...]
    detected_at: str


@dataclass(frozen=True)
class Side:
    """One head: who wrote it where and when, and its full body."""

    rev_id: str
    replica_label: str
    author: str
    at: str
    deleted: bool
    body: dict[str, Any]


@dataclass(frozen=True)
class ConflictDetail:
    summary: ConflictSummary
    base: dict[str, Any] | None
    sides: tuple[Side, ...]
    result: dict[str, Any]
    conflicting: tuple[str, ...]  # hard fields: a choice is required
    merged: tuple[str, ...]  # fields taken from one side by the rule (soft)
    hidden: tuple[str, ...] = ()  # fields masked for this user: shown, never chosen or edited


@dataclass(frozen=True)
class RecordConflict:
    """The open conflict a record's form points to, and the fields it marks (those still undecided)."""

    summary: ConflictSummary
    fields: tuple[str, ...]


class ConflictService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    @staticmethod
    def _summary(conn: Any, r: Any) -> ConflictSummary:
        table = BUSINESS_TABLES[record_type(r.record_type).key]
        number = conn.execute(select(table.c.number).where(table.c.id == r.record_id)).scalar_one_or_none()
        return ConflictSummary(
            r.id,
            r.record_type,
            r.record_id,
            number or "",
            r.kind,
            KIND_LABELS.get(r.kind, r.kind),
            tuple(json.loads(r.fields)),
            r.detected_at,
        )

    def list_open(self) -> list[ConflictSummary]:
        with self._ws.engine.connect() as conn:
            rows = conflict_store.open_conflicts(conn)
            return [self._summary(conn, r) for r in rows]

    def for_record(self, type_key: str, record_id: str) -> RecordConflict | None:
        """The open conflict of one record (the most pressing when it has several), or None."""
        with self._ws.engine.connect() as conn:
            rows = conflict_store.open_for_record(conn, type_key, record_id)
            if not rows:
                return None
            row = min(rows, key=lambda r: KIND_ORDER.index(r.kind) if r.kind in KIND_ORDER else 99)
            summary = self._summary(conn, row)
            if row.kind not in MERGE_KINDS:
                return RecordConflict(summary, summary.fields)
            merged = merge(load_revisions(conn, type_key, record_id))
        return RecordConflict(summary, merged.hard_fields)

    def count_open(self) -> int:
        return len(self.list_open())

    def _row(self, conflict_id: str) -> Any:
        with self._ws.engine.connect() as conn:
            row = conflict_store.conflict(conn, conflict_id)
        if row is None or row.status != "open":
            raise RecordNotFound("该冲突不存在或已处理")
        return row

    def _hides_reporter(self, type_key: str, body: dict[str, Any]) -> bool:
        """A lead or petition whose reporter this user may not see (domain README §3.2), judged on the
        merged body."""
        if not visibility.has_reporter(type_key):
            return False
        lead = from_body(record_type(type_key).cls, body, id="")
        return not visibility.can_see_reporter(self._ws.user, lead, office=self._ws.info.is_office)

    def detail(self, conflict_id: str) -> ConflictDetail:
        """Both sides and the merged result, as this user may see them (a lead's reporter masked)."""
        raw = self._detail(conflict_id)
        if not self._hides_reporter(raw.summary.record_type, raw.result):
            return raw

        def masked(body: dict[str, Any]) -> dict[str, Any]:
            shown = visibility.ANONYMOUS if body.get("anonymous") else visibility.HIDDEN
            return {k: (shown if k in visibility.REPORTER_FIELDS and v else v) for k, v in body.items()}

        return dataclasses.replace(
            raw,
            base=masked(raw.base) if raw.base is not None else None,
            sides=tuple(dataclasses.replace(side, body=masked(side.body)) for side in raw.sides),
            result=masked(raw.result),
            hidden=(*visibility.REPORTER_FIELDS, "anonymous"),
        )

    def _detail(self, conflict_id: str) -> ConflictDetail:
        row = self._row(conflict_id)
        with self._ws.engine.connect() as conn:
            summary = self._summary(conn, row)
            revs = load_revisions(conn, row.record_type, row.record_id)
            labels = sync_state.replica_labels(conn)
        m = merge(revs)
        sides = tuple(
            Side(
                h.rev_id,
                labels.get(h.origin_replica, h.origin_replica[:8]),
                h.author,
                hlc_display(h.hlc),
                h.deleted,
                h.body,
            )
            for h in m.heads
        )
        return ConflictDetail(
            summary,
            m.base.body if m.base else None,
            sides,
            m.body,
            m.hard_fields,
            tuple(f for f in m.fields if f not in m.hard_fields),
        )

    def _resolved(
        self, row: Any, detail: ConflictDetail, choices: dict[str, Any] | None, *, delete: bool
    ) -> tuple[Any, Any]:
        """The record a resolution with `choices` writes, and its record type."""
        choices = choices or {}
        if self._hides_reporter(row.record_type, detail.result):
            guarded = (*visibility.REPORTER_FIELDS, "anonymous")
            if any(f in detail.conflicting for f in guarded):
                owner = REPORTER_OWNERS.get(row.record_type, "这条记录")
                raise XunchaError(f"{owner}的冲突涉及反映人信息，须由组长、副组长或登记人处理")
            choices = {k: v for k, v in choices.items() if k not in guarded}
        missing = [f for f in detail.conflicting if f not in choices]
        if missing and not delete:
            raise XunchaError(f"请为以下字段选择保留的值：{'、'.join(missing)}")
        body = dict(detail.result)
        for name, value in choices.items():
            if value is KEEP_BOTH:
                parts = [
                    f"【{s.author}（{s.replica_label}，{s.at}）】{s.body.get(name) or ''}"
                    for s in detail.sides
                    if not s.deleted
                ]
                body[name] = "\n".join(parts)
            else:
                body[name] = encode_value(value)  # a value typed in 冲突处理 is stored as a body holds it
        rt = record_type(row.record_type)
        return from_body(rt.cls, body, id=row.record_id), rt

    def problems(self, conflict_id: str, choices: dict[str, Any] | None = None) -> list[FieldError]:
        """What is wrong with the record the choices would write (the domain's Chinese messages, by
        field), so 冲突处理 can show each next to its field before anything is written. Fields still to
        choose are checked with their provisional values."""
        detail = self._detail(conflict_id)
        chosen = dict(choices or {})
        for name in detail.conflicting:
            chosen.setdefault(name, detail.result.get(name))
        record, rt = self._resolved(self._row(conflict_id), detail, chosen, delete=False)
        return list(rt.validate(record, date.today()))

    def resolve(
        self, conflict_id: str, choices: dict[str, Any] | None = None, *, delete: bool = False
    ) -> None:
        """Save the result with the chosen or corrected values (KEEP_BOTH for both texts); for delete/edit,
        `delete=True` confirms the deletion, otherwise the record is restored with the edits. A result
        that breaks a rule of its record type is refused with the rule's message (ValidationError)."""
        row = self._row(conflict_id)
        if row.kind == "identity":
            self.renumber(conflict_id)
            return
        record, rt = self._resolved(row, self._detail(conflict_id), choices, delete=delete)
        if not delete:
            errors = rt.validate(record, date.today())
            if errors:
                raise ValidationError(errors, rt.label)
        with self._ws.writing() as writer:
            writer.write(rt, record, deleted=delete, action="resolve", resolves=True)

    def renumber(self, conflict_id: str) -> str:
        """Give the record of an identity conflict the next free number; closes the conflict for both."""
        row = self._row(conflict_id)
        rt = record_type(row.record_type)
        service: RecordService[Any] = RecordService(self._ws, rt)
        record = service.stored(row.record_id)
        with self._ws.writing() as writer:
            renumbered = dataclasses.replace(record, number=next_number(writer.conn, rt, record))
            writer.write(rt, renumbered, action="resolve")  # the writer closes the identity conflicts
        return str(renumbered.number)
