"""Which revisions of a package are new here (sync.md §3.5, §3.2): each one checked, the ones this workspace
holds or that were made again under a new identity skipped, and a counter used twice under one identity
refused as a copied workspace. Nothing is written here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from xuncha_desktop.services.packages import unb64
from xuncha_desktop.services.progress import Progress
from xuncha_desktop.services.sync.checks import fork, verify_revision
from xuncha_desktop.storage.identity_store import retired_among
from xuncha_desktop.storage.revision_store import claimed_counters, known_revisions


@dataclass
class Received:
    """The new revisions as sync_revision rows with their parent links, the records they touch, and every
    (replica, incarnation): counters the package holds, new or not (knowledge grows by all of them)."""

    revs: list[dict[str, Any]] = field(default_factory=list)
    parents: list[dict[str, str]] = field(default_factory=list)
    touched: dict[tuple[str, str], None] = field(default_factory=dict)
    seen: dict[tuple[str, int], set[int]] = field(default_factory=lambda: defaultdict(set))


def stored(line: dict[str, Any], package_id: str, at: str) -> dict[str, Any]:
    """The sync_revision row of a package line, exactly as received."""
    return {
        "rev_id": line["rev_id"],
        "record_type": line["record_type"],
        "record_id": line["record_id"],
        "origin_replica": line["origin_replica"],
        "origin_incarnation": line["origin_incarnation"],
        "origin_counter": line["origin_counter"],
        "hlc": line["hlc"],
        "author_user": line["author_user"],
        "schema_version": line["schema_version"],
        "deleted": bool(line["deleted"]),
        "body": line["body"],
        "body_sha256": line["body_sha256"],
        "origin_sig": unb64(line["origin_sig"]),
        "received_package": package_id,
        "received_at": at,
    }


def _origins(lines: list[dict[str, Any]]) -> dict[tuple[str, int], list[int]]:
    wanted: dict[tuple[str, int], list[int]] = defaultdict(list)
    for line in lines:
        wanted[(line["origin_replica"], int(line["origin_incarnation"]))].append(int(line["origin_counter"]))
    return wanted


def _triple(line: dict[str, Any]) -> tuple[str, int, int]:
    return (line["origin_replica"], int(line["origin_incarnation"]), int(line["origin_counter"]))


def receive(
    conn: Connection,
    me: Any,
    m: dict[str, Any],
    lines: list[dict[str, Any]],
    keys: dict[str, bytes],
    at: str,
    progress: Progress,
) -> Received:
    """Check every revision of the package and pick the new ones."""
    ids = [line["rev_id"] for line in lines]
    retired = retired_among(conn, ids)
    claimed = claimed_counters(conn, _origins(lines))
    # A laptop's packages repeat every revision the office has not acknowledged yet. A line whose origin
    # counter this workspace holds under the very same rev_id (which commits to the whole revision: its
    # origin, header and body hash) is a revision held here, checked when it came: it is not read further.
    # One claiming a held counter under another rev_id is still checked, and refused as a copied workspace.
    held = {line["rev_id"] for line in lines if claimed.get(_triple(line)) == line["rev_id"]}
    existing = known_revisions(conn, [rev_id for rev_id in ids if rev_id not in held]) | held
    out = Received()
    for n, line in enumerate(lines, start=1):
        if n % 2000 == 0:
            progress.check_cancelled()
            progress.report(n, len(lines), "正在校验修订记录")
        if line["rev_id"] in held:
            if line["rev_id"] not in retired:
                replica, incarnation, counter = _triple(line)
                out.seen[(replica, incarnation)].add(counter)
            continue
        verify_revision(line, keys)
        if line["rev_id"] in retired:
            continue  # made again under its author's new identity: the replacement is (or will be) here
        origin = (line["origin_replica"], int(line["origin_incarnation"]))
        out.seen[origin].add(int(line["origin_counter"]))
        if line["rev_id"] in existing:
            continue
        triple = (*origin, int(line["origin_counter"]))
        if claimed.get(triple, line["rev_id"]) != line["rev_id"] or origin == (me.replica_id, me.incarnation):
            raise fork(conn, me, m, line)  # the second case: this identity's revision made elsewhere
        claimed[triple] = line["rev_id"]
        existing.add(line["rev_id"])  # new here: verified above, stored once
        out.revs.append(stored(line, m["package_id"], at))
        out.parents.extend({"rev_id": line["rev_id"], "parent_rev_id": p} for p in line["parents"])
        out.touched[(line["record_type"], line["record_id"])] = None
    return out
