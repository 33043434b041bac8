"""storage.sync_state: what a workspace holds (counters past a gap wait) and the packages it logged."""

from __future__ import annotations

from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import sync_state
from xuncha_desktop.storage.database import write_transaction


def test_knowledge_advances_only_over_contiguous_counters(workspace: Workspace) -> None:
    with write_transaction(workspace.engine) as conn:
        sync_state.advance_knowledge(conn, {("peer", 1): {1, 2, 4}})
        assert sync_state.knowledge(conn)["peer"] == {"1": 2}
        sync_state.advance_knowledge(conn, {("peer", 1): {3}})
        assert sync_state.knowledge(conn)["peer"] == {"1": 4}  # 4 waited for 3
        sync_state.forget_knowledge(conn, "peer")
        assert "peer" not in sync_state.knowledge(conn)


def test_packages_are_logged_by_direction(workspace: Workspace) -> None:
    with write_transaction(workspace.engine) as conn:
        common = dict(peer_replica=None, manifest_sha256="0" * 64, created_hlc="h", at="t", summary={})
        sync_state.log_package(conn, "p-in", direction="in", status="imported", **common)
        sync_state.log_package(conn, "p-out", direction="out", status="exported", **common)
        assert sync_state.imported_package(conn, "p-in").status == "imported"
        assert sync_state.imported_package(conn, "p-out") is None
        assert sync_state.exported_package(conn, "p-out") and not sync_state.exported_package(conn, "p-in")


def test_a_new_workspace_has_its_identity_and_keys(workspace: Workspace) -> None:
    with workspace.engine.connect() as conn:
        me = sync_state.this_replica(conn)
        assert me.replica_id and me.incarnation >= 1
        assert me.replica_id in sync_state.signing_keys(conn)
        assert sync_state.opening_identities(conn)
