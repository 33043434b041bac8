"""Import with preview (sync.md §3.5–3.7): a set union of immutable revisions followed by re-materialising
the touched records, so the same package twice, or packages in any order, give the same workspace. Each
package is one transaction: a package that fails at any point leaves the workspace as it was.

One package descends once: the checks (services.sync.checks, .receive), then storage writes the revisions,
attachments and knowledge, notes what the sender said, merges the touched records and logs the package.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from xuncha_desktop.domain.errors import StorageFault, XunchaError
from xuncha_desktop.services import identity
from xuncha_desktop.services.changes import EVERYTHING
from xuncha_desktop.services.packages import PackageContents, PackageError, open_package
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.security.keys import ensure_office_recovery
from xuncha_desktop.services.security.roster_login import adopt_roster_user, roster_status
from xuncha_desktop.services.sync.checks import admit
from xuncha_desktop.services.sync.import_undo import ImportBatch
from xuncha_desktop.services.sync.receive import Received, receive
from xuncha_desktop.services.sync.reports import ImportReport, SyncError, identities, now
from xuncha_desktop.services.sync.roster import normal_code
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import conflict_store, identity_store, migrations, sync_state
from xuncha_desktop.storage.blobs import put_blob
from xuncha_desktop.storage.change_capture import ChangeCapture
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.keyfile import PassphraseRejected
from xuncha_desktop.storage.materialize import rematerialize_many
from xuncha_desktop.storage.revision_store import received_revisions, store_received
from xuncha_desktop.storage.revisions import RevisionWriter
from xuncha_desktop.storage.sync_state import advance_knowledge

MERGE_BATCH = 2000  # records merged between two progress reports (and cancellation checks)


class _DryRun(Exception):
    """Raised to roll back a preview after counting."""


def _store(conn: Connection, received: Received, blobs: dict[str, bytes]) -> None:
    """The new revisions, the attachments (each checked against its name) and what is now held."""
    store_received(conn, received.revs, received.parents)
    for digest, data in blobs.items():
        if hashlib.sha256(data).hexdigest() != digest:
            raise PackageError("附件内容校验失败，工作包可能被篡改")
        put_blob(conn, data)
    advance_knowledge(conn, received.seen)


def _note_sender(conn: Connection, m: dict[str, Any]) -> dict[str, Any] | None:
    """What the package says about its sender: what it holds, the keys a provisioning package brings, the
    revocation a wipe notice asks for (returns that notice's audit details)."""
    sender = m["sender"]
    sync_state.store_ack(
        conn, sender["replica_id"], int(sender.get("incarnation") or 0), m.get("knowledge", {}), now()
    )
    if m["kind"] == "provision":
        _accept_provision(conn, m)
    return _accept_wipe(conn, m) if m["kind"] == "wipe" else None


def _accept_provision(conn: Connection, m: dict[str, Any]) -> None:
    p = m["provision"]
    office = m["sender"]["replica_id"]
    sync_state.add_key(conn, "office", office, p["office_recipient"], None, now())
    sync_state.add_key(conn, "group", p["group_id"], p["group_recipient"], p["group_identity"], now())
    sync_state.set_provisioned_by(conn, office)


def _accept_wipe(conn: Connection, m: dict[str, Any]) -> dict[str, Any]:
    """A laptop reports that it wiped its workspace: revoke it, and say so in the audit entry."""
    sender, notice = m["sender"]["replica_id"], m.get("wipe") or {}
    known = sync_state.replica_label(conn, sender)
    wiped_at = str(notice.get("wiped_at") or m.get("created_at") or now())
    sync_state.revoke_replica(conn, sender, wiped_at)
    return {
        "replica_id": sender,
        "label": str(notice.get("label") or known or sender[:8]),
        "wiped_at": wiped_at,
        "by": str(notice.get("user") or ""),
        "revisions": int(notice.get("revisions") or 0),
    }


def _merge(
    conn: Connection, received: Received, package_id: str, at: str, progress: Progress
) -> dict[str, dict[str, int]]:
    """Re-materialise the touched records by type, in batches; {type: {outcome: count}}."""
    by_type: dict[str, dict[str, int]] = defaultdict(lambda: {"new": 0, "updated": 0, "unchanged": 0})
    incoming = received_revisions(received.revs, received.parents)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for rtype, rid in received.touched:
        by_kind[rtype].append(rid)
    done = 0
    for rtype, ids in by_kind.items():
        for start in range(0, len(ids), MERGE_BATCH):
            progress.check_cancelled()
            progress.report(done, len(received.touched), "正在合并记录")
            outcomes = rematerialize_many(
                conn, rtype, ids[start : start + MERGE_BATCH], at=at, package_id=package_id, incoming=incoming
            )
            for outcome in outcomes.values():
                by_type[rtype][outcome] += 1
            done += len(outcomes)
    return dict(by_type)


def _count(report: ImportReport, by_type: dict[str, dict[str, int]], skipped: int) -> None:
    report.new = sum(v["new"] for v in by_type.values())
    report.updated = sum(v["updated"] for v in by_type.values())
    report.unchanged = sum(v["unchanged"] for v in by_type.values()) + skipped
    report.by_type = by_type


def _log_in(
    ws: Workspace,
    conn: Connection,
    contents: PackageContents,
    report: ImportReport,
    at: str,
    audit: dict[str, dict[str, Any] | None],
) -> None:
    """The package log entry (its summary is the report) and the audit entries of the import."""
    m = contents.manifest
    sync_state.log_package(
        conn,
        m["package_id"],
        direction="in",
        peer_replica=m["sender"]["replica_id"],
        manifest_sha256=contents.manifest_sha256,
        created_hlc=m.get("created_hlc", ""),
        at=at,
        status="imported",
        summary={k: v for k, v in report.as_json().items() if k != "file"},
    )
    writer = RevisionWriter(conn, ws.user.login, migrations.SCHEMA_VERSION)
    writer.log(
        "import",
        package_id=m["package_id"],
        kind=report.kind,
        records=report.new + report.updated,
        file=Path(report.file).name,
        new=report.new,
        updated=report.updated,
        conflicts=report.conflicts,
    )
    for action, details in audit.items():
        if details is not None:
            writer.log(action, **details)
    writer.finish()


def _apply(
    ws: Workspace,
    conn: Connection,
    contents: PackageContents,
    report: ImportReport,
    progress: Progress,
    accept_identity: bool = False,
) -> None:
    """One package on the caller's transaction, top to bottom: the checks of the whole package, the
    revisions that step aside for their replacements, the check of each revision, then storage writes
    what is new, notes what the sender said, merges the touched records and logs the import."""
    m = contents.manifest
    at = now()
    me = sync_state.this_replica(conn)
    keys, accepted = admit(conn, me, contents, accept_identity=accept_identity, user=ws.user.login, at=at)
    stepped_aside: dict[str, list[str]] = {}
    if m["kind"] == "provision" and me.role == "field" and m.get("retired"):
        stepped_aside = identity_store.retire_listed(conn, m["retired"], at, me.replica_id)
    received = receive(conn, me, m, contents.revisions, keys, at, progress)
    received.touched.update({(rtype, rid): None for rtype, ids in stepped_aside.items() for rid in ids})
    _store(conn, received, contents.blobs)
    wiped = _note_sender(conn, m)
    _count(
        report,
        _merge(conn, received, m["package_id"], at, progress),
        len(contents.revisions) - len(received.revs),
    )
    report.conflicts = conflict_store.open_among(conn, received.touched)
    report.revisions = len(received.revs)
    report.status = "imported"
    _log_in(ws, conn, contents, report, at, {"wipe": wiped, "accept_identity": accepted})


def _already_imported(ws: Workspace, contents: PackageContents, report: ImportReport) -> bool:
    """A package taken in before counts as unchanged; another file under its id is a forgery."""
    with ws.engine.connect() as conn:
        done = sync_state.imported_package(conn, report.package_id)
    if done is None:
        return False
    if done.manifest_sha256 != contents.manifest_sha256:
        raise PackageError("同一编号的工作包内容不同（可能被篡改或伪造），已拒绝")
    report.status = "already_imported"
    report.unchanged = len(contents.revisions)
    return True


def _reject(report: ImportReport, exc: Exception) -> None:
    if isinstance(exc, (PackageError, SyncError)):
        report.error = str(exc)
        report.needs_confirmation = isinstance(exc, identity.IdentityNotConfirmed)
    elif isinstance(exc, XunchaError):
        report.error = f"导入失败：{exc}"
    else:
        report.error = f"工作包内容不完整或格式错误（{type(exc).__name__}: {exc}），已拒绝"
    report.status = "rejected"


def import_packages(
    ws: Workspace,
    files: Sequence[Path],
    *,
    dry_run: bool = False,
    code: str | None = None,
    progress: Progress | None = None,
    backup_dir: Path | None = None,
    accept_identity: bool = False,
    passphrase: str | None = None,
) -> list[ImportReport]:
    """Import each file in its own transaction; a bad package is reported and changes nothing.

    `accept_identity` is a person's confirmation that packages of a copied laptop's new identity may be
    taken in (services.identity); without it they are refused with the steps to follow. `passphrase`, the
    signed-in user's, lets a provisioning package make this laptop its roster member's at once
    (services.security.roster_login; without it that happens at the next sign-in)."""
    progress = progress or NullProgress()
    code = normal_code(code) if code else code
    opening = identities(ws)
    reports: list[ImportReport] = []
    backed_up = False
    batch = ImportBatch(ws, backup_dir)
    for index, path in enumerate(files):
        report = ImportReport(file=str(path))
        reports.append(report)
        progress.check_cancelled()
        progress.report(index, len(files), f"正在导入 {Path(path).name}")
        try:
            contents = open_package(Path(path), opening, code)
            m = contents.manifest
            report.package_id, report.kind = m.get("package_id", ""), m.get("kind", "")
            report.sender = (m.get("sender") or {}).get("replica_id", "")
            if _already_imported(ws, contents, report):
                continue
            # A provisioning package changes the key file too: its laptop (small) is copied whole first.
            # Any other package keeps an undo journal of what it changes (import_undo), sized by the package.
            journal = not dry_run and report.kind != "provision"
            if not dry_run and not journal and not backed_up:
                _backup_before_import(ws, backup_dir)
                backed_up = True
            try:
                with write_transaction(ws.engine) as conn, _recording(batch, conn, journal) as capture:
                    _apply(ws, conn, contents, report, progress, accept_identity)
                    if dry_run:
                        raise _DryRun
                    if capture is not None:
                        batch.write_journal(conn, capture, report)
            except _DryRun:
                pass
            except BaseException:
                batch.discard_unfinished()  # the commit failed after the journal was written
                raise
            if journal:
                batch.committed()
            if report.kind == "provision" and not dry_run:
                opening = identities(ws)  # the group key now opens the group's packages
                # The office can now rescue a forgotten passphrase; should the key file be read-only, the
                # import still stands and the next provisioning package adds the slot.
                with suppress(XunchaError, OSError):
                    ensure_office_recovery(ws)
        except StorageFault:
            raise  # a full disk or a held lock stops the whole import: the next package would fail alike
        except (XunchaError, KeyError, TypeError, ValueError) as exc:
            _reject(report, exc)
        if report.status == "rejected":
            report.new = report.updated = report.unchanged = report.conflicts = 0
            report.by_type = {}
    provisioned = [r for r in reports if r.status == "imported" and r.kind == "provision"]
    if provisioned and not dry_run:
        provisioned[-1].roster = _roster_login(ws, passphrase)
    if not dry_run and any(r.status == "imported" for r in reports):
        ws.report_changes(EVERYTHING)  # merged revisions of any type, new contexts, conflicts
    progress.report(len(files), len(files), "完成")
    return reports


def _roster_login(ws: Workspace, passphrase: str | None) -> str:
    """After a provisioning package: the laptop becomes its roster member's where the login says so; what
    the user is told. The import stands whatever happens here (a later sign-in finishes the switch)."""
    try:
        return adopt_roster_user(ws, passphrase).message()
    except PassphraseRejected:
        return f"口令不正确，未切换为名册用户：{roster_status(ws).message()}"
    except XunchaError as exc:
        return f"导入已完成，但未能切换为名册用户（{exc}），下次登录时将再次尝试"


@contextmanager
def _recording(batch: ImportBatch, conn: Connection, journal: bool) -> Iterator[ChangeCapture | None]:
    if not journal:
        yield None
        return
    with batch.recording(conn) as capture:
        yield capture


def _backup_before_import(ws: Workspace, backup_dir: Path | None) -> Path:
    folder = backup_dir or ws.path.parent / "备份"
    target = folder / f"{ws.path.stem}.导入前-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}{ws.path.suffix}"
    return ws.backup(target)
