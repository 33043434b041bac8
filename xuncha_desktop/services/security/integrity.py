"""Check a workspace: SQLite integrity, the audit hash chain, revisions, heads, record links and blobs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVarTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, Row, Select, select
from sqlalchemy.exc import DBAPIError

from xuncha_desktop.domain.codec import canonical_json, from_body, sha256_hex, to_body
from xuncha_desktop.domain.record_types import (
    ALL_RECORD_TYPES,
    ATTACHMENT,
    BY_KEY,
    DRAFT,
    INTERVIEW,
    LINK,
    MEMBER,
    PERSON,
    ROUND,
    TARGET,
    RecordType,
)
from xuncha_desktop.domain.record_types import GROUP as GROUP_TYPE
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import revision_body
from xuncha_desktop.storage.database import integrity_check
from xuncha_desktop.storage.merge import merge
from xuncha_desktop.storage.revision_body import row_body
from xuncha_desktop.storage.revision_store import load_revisions
from xuncha_desktop.storage.revisions import (
    GENESIS_HASH,
    audit_head,
    build_header,
    entry_hash,
    head_problem,
    revision_id,
)
from xuncha_desktop.storage.tables import (
    BUSINESS_TABLES,
    audit_log,
    blob,
    sync_head,
    sync_replica,
    sync_retired_revision,
    sync_revision,
    sync_revision_parent,
)

AREA_LABELS = {
    "database": "数据库文件",
    "audit": "审计日志",
    "revisions": "修订记录",
    "heads": "当前版本",
    "links": "记录关联",
    "attachments": "附件",
}

# Reference columns of business rows: column → (what it is called, the record type it points to).
REFERENCES: dict[str, tuple[str, RecordType]] = {
    "round_id": ("所属轮次", ROUND),
    "group_id": ("所属巡察组", GROUP_TYPE),
    "target_id": ("被巡察单位", TARGET),
    "person_id": ("被评价人", PERSON),
    "interviewee_id": ("谈话对象", PERSON),
    "subject_person_id": ("被反映人", PERSON),
    "member_id": ("巡察组成员", MEMBER),
}

# The column that names a record without a human number, for messages.
NAME_COLUMNS = {
    "round": "name",
    "group": "name",
    "member": "name",
    "target": "name",
    "person": "name",
    "user": "display_name",
    "dictionary": "label",
    "attachment": "file_name",
    "link": "kind",
}

_Ts = TypeVarTuple("_Ts")
_BATCH = 2000
_IN_CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit
_AUDIT_EXAMPLES = 3


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the workspace: `area` is a key of AREA_LABELS, `message` is Chinese.

    `waiting` marks what is not damage but not complete yet either: a revision received before its parent
    (packages arrive in any order); importing the missing package completes it."""

    area: str
    message: str
    waiting: bool = False

    @property
    def area_label(self) -> str:
        return AREA_LABELS.get(self.area, self.area)


@dataclass(frozen=True, slots=True)
class _Origin:
    replica_id: str
    incarnation: int


@dataclass(frozen=True, slots=True)
class _HeadRevision:
    record_type: str
    record_id: str
    body_sha256: str
    deleted: bool


def _stream(conn: Connection, stmt: Select[*_Ts]) -> Iterator[Row[*_Ts]]:
    yield from conn.execute(stmt.execution_options(yield_per=_BATCH))


def _sqlite_problems(ws: Workspace) -> list[Problem]:
    try:
        lines = integrity_check(ws.engine)
    except DBAPIError as exc:
        return [Problem("database", f"无法完成 SQLite 完整性检查：{exc.orig}")]
    return [Problem("database", f"SQLite 完整性检查未通过：{line}") for line in lines]


class _Run:
    """One check over one read connection (a consistent snapshot); each step appends to `problems`."""

    def __init__(self, conn: Connection, self_replica: str) -> None:
        self.conn = conn
        self.self_replica = self_replica
        self.problems: list[Problem] = []
        self.names: dict[str, dict[str, str]] = {}  # record type key → id → how a person calls the record
        self.audited: set[str] = set()  # rev_ids that have an audit entry
        self.audit_revs: list[tuple[int, str]] = []  # (seq, rev_id) of every audit entry naming a revision
        self.heads: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.head_revisions: dict[str, _HeadRevision] = {}
        self.rev_ids: set[str] = set()
        self.merged_rows: list[tuple[RecordType, str, str, bool, str]] = []  # rows with several heads
        # Revisions a copied workspace made again under a new identity (services.reidentify): gone on
        # purpose, their replacements hold the same content.
        self.retired: set[str] = set(conn.execute(select(sync_retired_revision.c.rev_id)).scalars())

    def add(self, area: str, message: str) -> None:
        self.problems.append(Problem(area, message))

    def describe(self, key: str, record_id: str) -> str:
        rt = BY_KEY.get(key)
        label = rt.label if rt else f"未知类型“{key}”的记录"
        name = self.names.get(key, {}).get(record_id)
        return f"{label}{name}" if name else f"{label}（标识 {record_id}）"

    # -- catalogue -------------------------------------------------------------------------------------
    def load_names(self) -> None:
        for rt in ALL_RECORD_TYPES:
            table = BUSINESS_TABLES[rt.key]
            name_column = table.c[NAME_COLUMNS[rt.key]] if rt.key in NAME_COLUMNS else table.c.number
            names: dict[str, str] = {}
            for record_id, number, name in _stream(
                self.conn, select(table.c.id, table.c.number, name_column)
            ):
                if rt.number_label:
                    names[record_id] = f" {number}" if number else ""
                else:
                    names[record_id] = f"“{name}”" if name else ""
            self.names[rt.key] = names

    def exists(self, rt: RecordType, record_id: str) -> bool:
        return record_id in self.names[rt.key]

    # -- audit log -------------------------------------------------------------------------------------
    def check_audit(self) -> None:
        previous_hash, previous_seq, count = GENESIS_HASH, 0, 0
        for row in _stream(self.conn, select(audit_log).order_by(audit_log.c.seq)):
            entry = row._asdict()
            if row.prev_hash != previous_hash:
                before = f"第 {previous_seq} 条" if previous_seq else "日志开头"
                self.add(
                    "audit",
                    f"第 {row.seq} 条审计记录与{before}衔接不上（其间的记录被删除、插入或改动）",
                )
            if entry_hash(entry) != row.entry_hash:
                self.add("audit", f"第 {row.seq} 条审计记录的内容与其哈希值不符（记录被改动）")
            if row.rev_id:
                self.audited.add(row.rev_id)
                self.audit_revs.append((row.seq, row.rev_id))
            previous_hash, previous_seq = row.entry_hash, row.seq
            count += 1
        cut = head_problem(audit_head(self.conn), count, previous_seq, previous_hash)
        if cut is not None:
            self.add("audit", cut)

    def check_audit_covers_revisions(self, unaudited: list[str]) -> None:
        if unaudited:
            examples = "；".join(unaudited[:_AUDIT_EXAMPLES])
            self.add(
                "audit",
                f"共有 {len(unaudited)} 个本机修订在审计日志中没有对应记录（审计日志可能被截断），"
                f"例如：{examples}",
            )
        gone = [rev_id not in self.rev_ids and rev_id not in self.retired for _, rev_id in self.audit_revs]
        missing = [seq for (seq, _), lost in zip(self.audit_revs, gone, strict=True) if lost]
        if missing:
            self.add(
                "audit",
                f"共有 {len(missing)} 条审计记录所指的修订已不存在（第一条为第 {missing[0]} 条）",
            )

    # -- revisions -------------------------------------------------------------------------------------
    def load_heads(self) -> None:
        for record_type, record_id, rev_id in _stream(self.conn, select(sync_head)):
            self.heads[(record_type, record_id)].add(rev_id)

    def _parents(self) -> dict[str, list[str]]:
        parents: dict[str, list[str]] = defaultdict(list)
        for rev_id, parent in _stream(self.conn, select(sync_revision_parent)):
            parents[rev_id].append(parent)
        return parents

    def _public_keys(self) -> dict[str, Ed25519PublicKey]:
        rows = self.conn.execute(
            select(sync_replica.c.replica_id, sync_replica.c.sign_pubkey).where(
                sync_replica.c.sign_pubkey.is_not(None)
            )
        )
        keys = {}
        for replica_id, raw in rows:
            try:
                keys[replica_id] = Ed25519PublicKey.from_public_bytes(raw)
            except ValueError:
                self.add("revisions", f"副本 {replica_id} 登记的签名公钥无效")
        return keys

    def check_revisions(self) -> None:
        self.load_heads()
        parents = self._parents()
        keys = self._public_keys()
        head_ids = {rev_id for revs in self.heads.values() for rev_id in revs}
        unaudited: list[str] = []
        in_row: list[tuple[str, str, str, str]] = []
        for rev in _stream(self.conn, select(sync_revision)):
            self.rev_ids.add(rev.rev_id)
            what = _joined(self.describe(rev.record_type, rev.record_id), f"的修订 {rev.rev_id[:12]}")
            self._check_revision(rev, parents.get(rev.rev_id, []), keys.get(rev.origin_replica), what)
            if rev.body_in_row:
                in_row.append((rev.rev_id, rev.record_type, rev.record_id, rev.body_sha256))
            if rev.rev_id in head_ids:
                self.head_revisions[rev.rev_id] = _HeadRevision(
                    rev.record_type, rev.record_id, rev.body_sha256, bool(rev.deleted)
                )
            local = rev.origin_replica == self.self_replica and rev.received_package is None
            if local and rev.rev_id not in self.audited:
                unaudited.append(what)
        self.check_bodies_in_rows(in_row)
        self.check_parents(parents)
        self.check_heads_are_leaves({p for ps in parents.values() for p in ps}, head_ids)
        self.check_audit_covers_revisions(unaudited)

    def check_bodies_in_rows(self, in_row: list[tuple[str, str, str, str]]) -> None:
        """A revision kept in its record's row must be what the row rebuilds (same sha256)."""
        bad = set(revision_body.rebuild(self.conn, in_row)[1])
        for rev_id, rtype, record_id, _sha in in_row:
            if rev_id in bad:
                what = _joined(self.describe(rtype, record_id), f"的修订 {rev_id[:12]}")
                self.add("revisions", f"{what}：保存在记录中的内容与其校验值不符（记录被绕过本软件改动）")

    def check_parents(self, parents: dict[str, list[str]]) -> None:
        """A missing parent of a revision received from a package has not arrived yet (sync.md §3.6: the
        merge stays conservative until it does); of a revision made here it is damage."""
        known = self.rev_ids | self.retired
        missing = {
            rev_id: sorted(p for p in parent_ids if p not in known)
            for rev_id, parent_ids in parents.items()
            if any(p not in known for p in parent_ids)
        }
        if not missing:
            return
        origins = self._origins_of(set(missing))
        for rev_id in sorted(missing):
            key, record_id, received = origins.get(rev_id, ("", "", False))
            what = _joined(self.describe(key, record_id), f"的修订 {rev_id[:12]}")
            for parent in missing[rev_id]:
                if received:
                    self.problems.append(
                        Problem(
                            "revisions",
                            f"{what} 正在等待上一版本 {parent[:12]} 到达（尚未收到，不是损坏；"
                            "导入含有该版本的工作包后自动补齐）",
                            waiting=True,
                        )
                    )
                else:
                    self.add("revisions", f"{what} 的上一版本 {parent[:12]} 不存在（修订记录被删除）")

    def _origins_of(self, rev_ids: set[str]) -> dict[str, tuple[str, str, bool]]:
        """(record type, record id, received from another workspace) of a few revisions."""
        found: dict[str, tuple[str, str, bool]] = {}
        ids = sorted(rev_ids)
        columns = (
            sync_revision.c.rev_id,
            sync_revision.c.record_type,
            sync_revision.c.record_id,
            sync_revision.c.origin_replica,
            sync_revision.c.received_package,
        )
        for start in range(0, len(ids), _IN_CHUNK):
            stmt = select(*columns).where(sync_revision.c.rev_id.in_(ids[start : start + _IN_CHUNK]))
            for rev_id, key, record_id, origin, package in self.conn.execute(stmt):
                found[rev_id] = (key, record_id, package is not None and origin != self.self_replica)
        return found

    def check_heads_are_leaves(self, parent_ids: set[str], head_ids: set[str]) -> None:
        """The current versions are exactly the revisions nothing builds on (sync.md §3.4)."""
        stale = head_ids & parent_ids
        unlisted = self.rev_ids - parent_ids - head_ids
        records = self._records_of(stale | unlisted)
        for rev_id in sorted(stale):
            what = _joined(self.describe(*records[rev_id]), f"的当前版本 {rev_id[:12]}")
            self.add("heads", f"{what} 已有后续修订，版本表未更新")
        for rev_id in sorted(unlisted):
            what = _joined(self.describe(*records[rev_id]), f"的修订 {rev_id[:12]}")
            self.add("heads", f"{what} 没有后续修订，却未登记为当前版本")

    def _records_of(self, rev_ids: set[str]) -> dict[str, tuple[str, str]]:
        """(record type, record id) of a few revisions, looked up only when something is wrong."""
        found: dict[str, tuple[str, str]] = {}
        ids = sorted(rev_ids)
        for start in range(0, len(ids), _IN_CHUNK):
            stmt = select(sync_revision.c.rev_id, sync_revision.c.record_type, sync_revision.c.record_id)
            rows = self.conn.execute(stmt.where(sync_revision.c.rev_id.in_(ids[start : start + _IN_CHUNK])))
            found.update({rev_id: (key, record_id) for rev_id, key, record_id in rows})
        return found

    def _check_revision(
        self, rev: Row[Any], parents: list[str], key: Ed25519PublicKey | None, what: str
    ) -> None:
        if rev.record_type not in BY_KEY:
            self.add("revisions", f"{what}：记录类型“{rev.record_type}”未知")
        if rev.body is not None and sha256_hex(rev.body) != rev.body_sha256:
            self.add("revisions", f"{what}：内容与其校验值不符（修订内容被改动）")
        header = build_header(
            rev.record_type,
            rev.record_id,
            parents,
            _Origin(rev.origin_replica, rev.origin_incarnation),
            rev.origin_counter,
            rev.hlc,
            rev.author_user,
            rev.schema_version,
            bool(rev.deleted),
            rev.body_sha256,
        )
        if revision_id(header) != rev.rev_id:
            self.add("revisions", f"{what}：修订标识与修订头不符（修订头或其上一版本被改动）")
        if key is not None:
            try:
                key.verify(rev.origin_sig, rev.rev_id.encode("ascii"))
            except (InvalidSignature, UnicodeEncodeError):
                self.add("revisions", f"{what}：签名无效")

    # -- heads and materialised rows -------------------------------------------------------------------
    def check_rows(self) -> None:
        blobs = set(self.conn.execute(select(blob.c.sha256)).scalars())
        for rt in ALL_RECORD_TYPES:
            table = BUSINESS_TABLES[rt.key]
            references = [(c.name, *REFERENCES[c.name]) for c in table.c if c.name in REFERENCES]
            for row in _stream(self.conn, select(table)):
                what = self.describe(rt.key, row.id)
                self._check_head(rt, row, what)
                for column, label, target in references:
                    self._check_reference(what, label, target, row._mapping[column])
                self._check_special_links(rt, row, what, blobs)
        for rt, record_id, row_hash, deleted, what in self.merged_rows:
            self._check_merged(rt, record_id, row_hash, deleted, what)
        for (key, record_id), revs in self.heads.items():
            if key not in BY_KEY or not self.exists(BY_KEY[key], record_id):
                what = _joined(self.describe(key, record_id), "的当前版本")
                self.add("heads", f"版本表中有{what}，但记录本身不存在")
            for rev_id in sorted(revs - self.rev_ids):
                what = _joined(self.describe(key, record_id), f"的当前版本 {rev_id[:12]}")
                self.add("heads", f"{what} 不存在")

    def _check_head(self, rt: RecordType, row: Row[Any], what: str) -> None:
        materialised = _materialised_hash(rt, row)
        if materialised is None:
            self.add("heads", f"{what}：表中内容无法解析（可能被绕过本软件直接改动）")
        elif materialised != row.row_hash:
            self.add("heads", f"{what}：表中内容与其校验值不符（可能被绕过本软件直接改动）")
        heads = self.heads.get((rt.key, row.id), set())
        if not heads:
            self.add("heads", f"{what}：没有当前版本")
            return
        if len(heads) > 1:  # parallel edits: the row is their merge, checked once the stream is done
            self.merged_rows.append((rt, row.id, row.row_hash, bool(row.deleted), what))
            return
        if row.head_rev not in heads:
            self.add("heads", f"{what}：记录所标的当前版本与版本表不一致")
            return
        head = self.head_revisions.get(row.head_rev)
        if head is None:
            return  # reported once for the head itself in check_rows
        if (head.record_type, head.record_id) != (rt.key, row.id):
            self.add("heads", f"{what}：当前版本 {row.head_rev[:12]} 属于另一条记录")
        elif row.row_hash != head.body_sha256:
            self.add("heads", f"{what}：表中内容与当前版本 {row.head_rev[:12]} 不一致")
        elif bool(row.deleted) != head.deleted:
            self.add("heads", f"{what}：删除标记与当前版本不一致")

    def _check_merged(self, rt: RecordType, record_id: str, row_hash: str, deleted: bool, what: str) -> None:
        try:
            merged = merge(load_revisions(self.conn, rt.key, record_id))
        except revision_body.RevisionBodyMismatch:
            return  # reported with the revision in check_revisions
        body = to_body(from_body(rt.cls, merged.body, id=record_id))  # as storage.materialize hashes it
        if sha256_hex(canonical_json(body)) != row_hash or merged.deleted != deleted:
            self.add("heads", f"{what}：表中内容与各并行版本的合并结果不一致")

    def _check_reference(self, what: str, label: str, target: RecordType, value: Any) -> None:
        if value and not self.exists(target, value):
            missing = label if label == target.label else f"{label}所指的{target.label}"
            self.add("links", f"{what}：{missing}不存在（标识 {value}）")

    def _check_typed_reference(self, what: str, label: str, key: str, value: str) -> None:
        if key not in BY_KEY:
            self.add("links", f"{what}：{label}的记录类型“{key}”未知")
        else:
            self._check_reference(what, label, BY_KEY[key], value)

    def _check_special_links(self, rt: RecordType, row: Row[Any], what: str, blobs: set[str]) -> None:
        if rt is LINK:
            self._check_typed_reference(what, "关联来源", row.from_type, row.from_id)
            self._check_typed_reference(what, "关联目标", row.to_type, row.to_id)
        elif rt is ATTACHMENT:
            self._check_typed_reference(what, "所属记录", row.record_type, row.record_id)
            if row.sha256 not in blobs:
                self.add("attachments", f"{what}：附件文件内容（{row.sha256[:12]}）不存在")
        elif rt is DRAFT:
            for i, item in enumerate(row.evidence or [], start=1):
                interview_id = item.get("interview_id") if isinstance(item, dict) else None
                self._check_reference(what, f"佐证材料第{i}项", INTERVIEW, interview_id)

    # -- blobs -----------------------------------------------------------------------------------------
    def check_blobs(self) -> None:
        stmt = select(blob.c.sha256, blob.c.data).where(blob.c.storage == "inline", blob.c.data.is_not(None))
        for sha, data in _stream(self.conn, stmt):
            if sha256_hex(data) != sha:
                self.add("attachments", f"附件文件内容 {sha[:12]} 与其校验值不符")


def _joined(description: str, tail: str) -> str:
    """'问题底稿 2025-3轮-2组-底稿-017 的修订', but '被巡察单位“某局”的修订' (no space after a quote)."""
    return f"{description} {tail}" if description[-1:].isascii() else f"{description}{tail}"


def _materialised_hash(rt: RecordType, row: Row[Any]) -> str | None:
    """The body hash of the record as the table holds it now; None when the row cannot be a record."""
    try:
        return sha256_hex(canonical_json(row_body(rt, row)))
    except (TypeError, ValueError):
        return None


def check_workspace(ws: Workspace, progress: Progress | None = None) -> list[Problem]:
    """Every problem found, in a stable order; an empty list means the workspace is sound."""
    progress = progress or NullProgress()
    steps = 6
    progress.report(0, steps, "正在检查数据库文件")
    problems = _sqlite_problems(ws)
    with ws.engine.connect() as conn:
        run = _Run(conn, ws.info.replica_id)
        for done, (message, step) in enumerate(
            (
                ("正在读取记录目录", run.load_names),
                ("正在核对审计日志", run.check_audit),
                ("正在核对修订记录", run.check_revisions),
                ("正在核对当前版本与记录关联", run.check_rows),
                ("正在核对附件内容", run.check_blobs),
            ),
            start=1,
        ):
            progress.check_cancelled()
            progress.report(done, steps, message)
            step()
    progress.report(steps, steps, "检查完成")
    return problems + run.problems
