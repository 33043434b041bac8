"""The audit log for people: paged, filtered queries with Chinese labels, what each entry changed, and the
hash-chain check (storage.revisions.AuditChain writes the chain; this reads it)."""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, or_, select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import ALL_RECORD_TYPES, BY_KEY
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.records.visibility import (
    HIDDEN,
    REPORTER_FIELDS,
    REPORTER_ROLES,
    REPORTER_TYPES,
    has_reporter,
)
from xuncha_desktop.services.security.audit_text import (
    ACTION_LABELS,
    DETAIL_LABELS,
    EMPTY,
    SIGNOFF,
    SYSTEM_LABEL,
    SYSTEM_LOGIN,
    _at_text,
    _detail_value,
    _signoff_step,
    action_label,
    event_summary,
    other_field_label,
    short,
    value_text,
)
from xuncha_desktop.services.security.integrity import NAME_COLUMNS, REFERENCES
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import revision_body
from xuncha_desktop.storage.revisions import GENESIS_HASH, audit_head, entry_hash, head_problem
from xuncha_desktop.storage.tables import (
    BUSINESS_TABLES,
    audit_log,
    sync_retired_revision,
    sync_revision_parent,
)

PAGE_SIZE = 200
FieldLabel = Callable[[str, str], str]


@dataclass(frozen=True)
class AuditQuery:
    """Which entries to show, newest first, and which page of them."""

    user: str = ""  # a login
    action: str = ""  # a key of ACTION_LABELS
    record_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    offset: int = 0
    limit: int | None = PAGE_SIZE


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str  # local time, '2025-04-03 10:21:07'
    user: str  # the login written in the log
    user_label: str  # how people know that user
    action: str  # as stored (SIGNOFF when an edit adds a sign-off step)
    action_label: str
    record_type: str
    record_type_label: str
    record_id: str
    record_name: str  # the record's number, or its name for records without one
    rev_id: str | None
    summary: str
    changes: tuple[FieldChange, ...] = ()  # what the entry itself records (edits, resolutions)
    details: tuple[tuple[str, str], ...] = ()  # label and value of an event's details (imports, backups …)
    reporter_hidden: bool = False  # a lead's 反映人 this user may not see: shown as 已隐藏

    @property
    def record_text(self) -> str:
        return " ".join(t for t in (self.record_type_label, self.record_name) if t)


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    message: str


@dataclass(frozen=True)
class ChainStatus:
    """The result of walking the whole hash chain once."""

    total: int
    breaks: tuple[ChainBreak, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def broken_seqs(self) -> frozenset[int]:
        return frozenset(b.seq for b in self.breaks)

    @property
    def text(self) -> str:
        if self.ok:
            return f"审计记录完整：共 {self.total} 条，哈希链校验通过"
        first = self.breaks[0]
        more = f"；共发现 {len(self.breaks)} 处问题" if len(self.breaks) > 1 else ""
        return f"审计记录不完整：哈希链在第 {first.seq} 条处断开，{first.message}（共 {self.total} 条{more}）"


def _day_start(day: date) -> str:
    """The smallest clock value of `day` (local time): audit times are HLC strings led by 13-digit ms."""
    ms = int(datetime.combine(day, time.min).timestamp() * 1000)
    return f"{max(ms, 0):013d}"


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


SIGNOFF_LIKE = '%"signoffs":%'
_ESCAPE = "\\"


@dataclass
class _Names:
    """Names of the records and users one page of entries mentions (looked up once per page)."""

    records: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # → (name, registered_by)
    users: dict[str, str] = field(default_factory=dict)  # login → display name


class AuditLog:
    """Read-only access to one workspace's audit log. `field_label(record_type, field)` names record fields
    (the GUI passes the labels its forms use); fields it does not know fall back to OTHER_FIELD_LABELS."""

    def __init__(self, workspace: Workspace, field_label: FieldLabel | None = None) -> None:
        self._ws = workspace
        self._field_label = field_label

    # -- labels and visibility -------------------------------------------------------------------------
    def label(self, record_type: str, name: str) -> str:
        if self._field_label is not None:
            text = self._field_label(record_type, name)
            if text and text != name:
                return text
        return other_field_label(record_type, name)

    def _sees_every_reporter(self) -> bool:
        user = self._ws.user
        return user.role in REPORTER_ROLES or (self._ws.info.is_office and user.role == vocab.OFFICE_ADMIN)

    def _sees_reporter(self, registered_by: str) -> bool:
        """services.visibility's rule: 组长, 副组长, the office administrator and whoever registered it."""
        user: User = self._ws.user
        mine = {n.strip() for n in (user.login, user.display_name) if n and n.strip()}
        return self._sees_every_reporter() or bool(registered_by.strip() and registered_by.strip() in mine)

    # -- filters ---------------------------------------------------------------------------------------
    @staticmethod
    def actions() -> list[tuple[str, str]]:
        return list(ACTION_LABELS.items())

    @staticmethod
    def record_types() -> list[tuple[str, str]]:
        return [(rt.key, rt.label) for rt in ALL_RECORD_TYPES]

    def users(self) -> list[tuple[str, str]]:
        """(login, how to show it) of everyone who appears in the log."""
        with self._ws.engine.connect() as conn:
            logins = conn.execute(
                select(audit_log.c.user_login).distinct().order_by(audit_log.c.user_login)
            ).scalars()
            names = self._user_names(conn)
            return [(login, self._user_label(login, names)) for login in logins]

    @staticmethod
    def _user_names(conn: Connection) -> dict[str, str]:
        users = BUSINESS_TABLES["user"]
        return {login: name for login, name in conn.execute(select(users.c.login, users.c.display_name))}

    @staticmethod
    def _user_label(login: str, names: dict[str, str]) -> str:
        if login == SYSTEM_LOGIN:
            return SYSTEM_LABEL
        shown = names.get(login) or login
        return shown if shown == login else f"{shown}（{login}）"

    def _where(self, q: AuditQuery) -> list[Any]:
        t = audit_log
        conds: list[Any] = []
        if q.user:
            conds.append(t.c.user_login == q.user)
        if q.action == SIGNOFF:
            conds.append(and_(t.c.action == "update", t.c.changes.like(SIGNOFF_LIKE)))
        elif q.action == "update":
            conds.append(and_(t.c.action == "update", t.c.changes.not_like(SIGNOFF_LIKE)))
        elif q.action:
            conds.append(t.c.action == q.action)
        if q.record_type:
            conds.append(t.c.record_type == q.record_type)
        if q.date_from:
            conds.append(t.c.at >= _day_start(q.date_from))
        if q.date_to:
            conds.append(t.c.at < _day_start(q.date_to + timedelta(days=1)))
        if q.text.strip():
            conds.append(self._text_condition(q.text.strip()))
        return conds

    def _text_condition(self, text: str) -> Any:
        """The text in what changed, in the user's login or name, an action's label, or a record's number
        (or name). A lead's changes are searched only by those who may see its reporter."""
        t, pattern = audit_log, _like(text)
        in_changes: ColumnElement[bool] = t.c.changes.like(pattern, escape=_ESCAPE)
        if not self._sees_every_reporter():
            in_changes = and_(in_changes, t.c.record_type.not_in(REPORTER_TYPES))
        users = BUSINESS_TABLES["user"]
        matches: list[ColumnElement[bool]] = [
            in_changes,
            t.c.user_login.like(pattern, escape=_ESCAPE),
            t.c.user_login.in_(
                select(users.c.login).where(users.c.display_name.like(pattern, escape=_ESCAPE))
            ),
        ]
        labelled = [key for key, label in ACTION_LABELS.items() if text in label and key != SIGNOFF]
        if labelled:
            matches.append(t.c.action.in_(labelled))
        for rt in ALL_RECORD_TYPES:
            table = BUSINESS_TABLES[rt.key]
            column = table.c.number if rt.number_label else table.c.get(NAME_COLUMNS.get(rt.key, "number"))
            if column is None:
                continue
            ids = select(table.c.id).where(column.like(pattern, escape=_ESCAPE))
            matches.append(and_(t.c.record_type == rt.key, t.c.record_id.in_(ids)))
        return or_(*matches)

    # -- reading ---------------------------------------------------------------------------------------
    def count(self, query: AuditQuery | None = None) -> int:
        q = query or AuditQuery()
        with self._ws.engine.connect() as conn:
            stmt = select(func.count()).select_from(audit_log).where(*self._where(q))
            return int(conn.execute(stmt).scalar_one())

    def list(self, query: AuditQuery | None = None) -> list[AuditEntry]:
        """One page of entries, newest first."""
        q = query or AuditQuery()
        stmt: Select[Any] = select(audit_log).where(*self._where(q)).order_by(audit_log.c.seq.desc())
        with self._ws.engine.connect() as conn:
            rows = conn.execute(stmt.offset(q.offset).limit(q.limit)).all()
            names = _Names(self._record_names(conn, ((r.record_type, r.record_id) for r in rows)))
            names.users = self._user_names(conn)
        return [self._entry(row, names) for row in rows]

    def entry(self, seq: int) -> AuditEntry | None:
        with self._ws.engine.connect() as conn:
            row = conn.execute(select(audit_log).where(audit_log.c.seq == seq)).first()
            if row is None:
                return None
            names = _Names(
                self._record_names(conn, [(row.record_type, row.record_id)]), self._user_names(conn)
            )
        return self._entry(row, names)

    @staticmethod
    def _record_names(
        conn: Connection, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[str, str]]:
        wanted: dict[str, set[str]] = {}
        for key, record_id in keys:
            if key in BY_KEY and record_id:
                wanted.setdefault(key, set()).add(record_id)
        found: dict[tuple[str, str], tuple[str, str]] = {}
        for key, ids in wanted.items():
            table, rt = BUSINESS_TABLES[key], BY_KEY[key]
            name = table.c.number if rt.number_label else table.c[NAME_COLUMNS.get(key, "number")]
            registrar = table.c.registered_by if has_reporter(key) else table.c.id
            for record_id, shown, by in conn.execute(
                select(table.c.id, name, registrar).where(table.c.id.in_(sorted(ids)))
            ):
                text = str(shown or "")
                found[(key, record_id)] = (
                    text if rt.number_label or not text else f"“{text}”",
                    str(by or ""),
                )
        return found

    def _entry(self, row: Any, names: _Names) -> AuditEntry:
        stored = json.loads(row.changes or "{}")
        rt = BY_KEY.get(row.record_type)
        name, registrar = names.records.get((row.record_type, row.record_id), ("", ""))
        common = {
            "seq": row.seq,
            "at": _at_text(row.at),
            "user": row.user_login,
            "user_label": self._user_label(row.user_login, names.users),
            "record_type": row.record_type,
            "record_type_label": rt.label if rt else row.record_type,
            "record_id": row.record_id,
            "record_name": name,
            "rev_id": row.rev_id,
        }
        if row.rev_id is None:  # an event: its details, not field changes
            details = tuple(
                (DETAIL_LABELS.get(k, k), _detail_value(v, row.action, k)) for k, v in stored.items()
            )
            summary = event_summary(row.action, stored)
            return AuditEntry(
                action=row.action,
                action_label=action_label(row.action),
                summary=summary,
                details=details,
                **common,
            )
        hidden = has_reporter(row.record_type) and not self._sees_reporter(registrar)
        changes = self._changes(row.record_type, stored, hidden, {})
        action = SIGNOFF if row.action == "update" and "signoffs" in stored else row.action
        summary = self._edit_summary(action, common["record_type_label"], changes, stored)
        return AuditEntry(
            action=action,
            action_label=action_label(action),
            summary=summary,
            changes=tuple(changes),
            reporter_hidden=hidden,
            **common,
        )

    def _changes(
        self, record_type: str, pairs: dict[str, Any], hidden: bool, refs: dict[str, str]
    ) -> builtins.list[FieldChange]:
        out = []
        for name, pair in pairs.items():
            old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            if hidden and name in REPORTER_FIELDS:
                old_text = new_text = HIDDEN
            elif name in REFERENCES:
                old_text = refs.get(old, value_text(old)) if old else EMPTY
                new_text = refs.get(new, value_text(new)) if new else EMPTY
            else:
                old_text, new_text = value_text(old), value_text(new)
            out.append(FieldChange(name, self.label(record_type, name), old_text, new_text))
        return out

    @staticmethod
    def _edit_summary(
        action: str, type_label: str, changes: builtins.list[FieldChange], stored: dict[str, Any]
    ) -> str:
        if action == SIGNOFF:
            return _signoff_step(stored) or "审签记录有变化"
        if not changes:
            plain = {
                "create": f"新建{type_label}",
                "delete": "移入回收站",
                "restore": "从回收站恢复",
                "remint": "以本工作库的新身份重新签发（内容未变）",
            }
            return plain.get(action, "确认合并结果" if action == "resolve" else "内容未变")
        prefix = {"resolve": "裁决冲突：", "revoke_signoff": "撤销审签："}.get(action, "")
        if len(changes) == 1:
            c = changes[0]
            if c.field in REFERENCES:
                return f"{prefix}修改了{c.label}"
            return f"{prefix}{c.label}：{short(c.old)} → {short(c.new)}"
        labels = "、".join(c.label for c in changes[:3])
        more = f"等 {len(changes)} 项" if len(changes) > 3 else ""
        return f"{prefix}修改了{labels}{more}"

    # -- one entry in detail ---------------------------------------------------------------------------
    def field_changes(self, entry: AuditEntry) -> builtins.list[FieldChange]:
        """What a record entry changed, field by field, with referenced records named. An edit stores its
        own before/after; a creation stores none, so its revision is compared with the revision before."""
        if entry.rev_id is None:
            return []
        with self._ws.engine.connect() as conn:
            stored = conn.execute(select(audit_log.c.changes).where(audit_log.c.seq == entry.seq)).scalar()
            pairs = json.loads(stored or "{}")
            if not pairs and entry.action == "create":
                pairs = self._revision_diff(conn, entry.rev_id)
            refs = self._reference_names(conn, pairs)
        return self._changes(entry.record_type, pairs, entry.reporter_hidden, refs)

    @staticmethod
    def _revision_diff(conn: Connection, rev_id: str) -> dict[str, builtins.list[Any]]:
        # A revision made again under a new identity (a copied workspace) lives on as its replacement.
        replaced = select(sync_retired_revision.c.replaced_by).where(sync_retired_revision.c.rev_id == rev_id)
        rev_id = conn.execute(replaced).scalar() or rev_id
        parent_id = conn.execute(
            select(sync_revision_parent.c.parent_rev_id)
            .where(sync_revision_parent.c.rev_id == rev_id)
            .limit(1)
        ).scalar()
        bodies = revision_body.bodies_of(conn, [rev_id] + ([parent_id] if parent_id else []))
        body, parent = bodies.get(rev_id), bodies.get(parent_id) if parent_id else None
        after, before = json.loads(body or "{}"), json.loads(parent or "{}")
        return {
            k: [before.get(k), after.get(k)]
            for k in after
            if before.get(k) != after.get(k) and value_text(after.get(k)) != EMPTY
        }

    def _reference_names(self, conn: Connection, pairs: dict[str, Any]) -> dict[str, str]:
        """id → how people call the record, for the reference fields (被巡察单位 …) among `pairs`."""
        keys = []
        for name, pair in pairs.items():
            if name in REFERENCES and isinstance(pair, list):
                keys += [(REFERENCES[name][1].key, v) for v in pair if isinstance(v, str) and v]
        names = self._record_names(conn, keys)
        return {record_id: shown for (_key, record_id), (shown, _by) in names.items() if shown}

    # -- the chain -------------------------------------------------------------------------------------
    def verify(self, progress: Progress | None = None) -> ChainStatus:
        """Walk every entry in order: each must hash to its stored hash and name the previous one's, and the
        last must be the chain's recorded end."""
        progress = progress or NullProgress()
        previous_hash, previous_seq, total = GENESIS_HASH, 0, 0
        breaks: list[ChainBreak] = []
        with self._ws.engine.connect() as conn:
            everything = int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
            for row in _stream(conn, select(audit_log).order_by(audit_log.c.seq)):
                total += 1
                if total % 5000 == 0:
                    progress.check_cancelled()
                    progress.report(total, everything, "正在校验审计记录")
                if row.prev_hash != previous_hash:
                    before = f"第 {previous_seq} 条" if previous_seq else "日志开头"
                    breaks.append(
                        ChainBreak(row.seq, f"该条与{before}衔接不上（其间的记录被删除、插入或改动）")
                    )
                if entry_hash(row._asdict()) != row.entry_hash:
                    breaks.append(ChainBreak(row.seq, "该条的内容与其哈希值不符（记录被改动）"))
                previous_hash, previous_seq = row.entry_hash, row.seq
            cut = head_problem(audit_head(conn), total, previous_seq, previous_hash)
        if cut is not None:  # entries removed from the end leave the rest consistent: only the mark tells
            breaks.append(ChainBreak(previous_seq + 1, cut))
        return ChainStatus(total, tuple(breaks))


def _stream(conn: Connection, stmt: Select[Any]) -> Iterator[Any]:
    yield from conn.execute(stmt.execution_options(yield_per=2000))
