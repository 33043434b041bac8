"""storage.identity_store: former identities followed back through each change, and retired revisions
remembered except those the workspace holds."""

from __future__ import annotations

from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import identity_store
from xuncha_desktop.storage.database import write_transaction


def test_former_identities_newest_first(workspace: Workspace) -> None:
    with write_transaction(workspace.engine) as conn:
        for old, new in (("r1", "r2"), ("r2", "r3")):
            identity_store.record_change(conn, new_replica=new, old_replica=old, statement="s", proof=b"p")
        assert identity_store.former_identities(conn, "r3") == ["r2", "r1"]
        assert identity_store.former_identities(conn, "r1") == []
        assert identity_store.change_to(conn, "r2").old_replica == "r1"


def test_retired_revisions_of_the_old_identity_only(workspace: Workspace) -> None:
    def entry(rev: str, origin: str) -> dict[str, object]:
        return dict(
            rev_id=rev, replaced_by="n" + rev, record_type="draft", record_id="x",
            origin_replica=origin, origin_incarnation=1, origin_counter=1,
        )  # fmt: skip

    with write_transaction(workspace.engine) as conn:
        entries = [entry("a", "old"), entry("b", "old"), entry("c", "other")]
        assert identity_store.store_retired(conn, "old", entries, "t") == 2
        assert identity_store.store_retired(conn, "old", entries, "t") == 0  # already remembered
        assert identity_store.retired_among(conn, ["a", "c", "z"]) == {"a"}
        assert [r["rev_id"] for r in identity_store.retired_rows(conn, "old")] == ["a", "b"]
