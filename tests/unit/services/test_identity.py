"""services.identity: the messages that tell a person how to resolve a copied workspace, the statement a new
identity carries, and its announcement."""

from __future__ import annotations

import json

from xuncha_desktop.services import identity
from xuncha_desktop.services.packages import b64
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import identity_store
from xuncha_desktop.storage.database import write_transaction


def test_the_office_message_names_the_copy_and_the_steps() -> None:
    direct = identity.fork_at_office("第2组笔记本", relayed=False)
    relayed = identity.fork_at_office("第2组笔记本", relayed=True)
    assert "“第2组笔记本”" in direct and identity.REIDENTIFY_CLI in direct and identity.ACCEPT_CLI in direct
    assert "导出此工作包的电脑" in direct and "⑤" not in direct
    assert "此工作包转交了它的修订" in relayed and relayed.endswith("；⑤ 再重新导入此工作包")


def test_the_laptop_messages_say_where_the_other_copy_was_seen() -> None:
    assert "巡察办已收到另一份复制品" in identity.fork_at_laptop(True)
    assert "此工作包带有另一份复制品" in identity.fork_at_laptop(False)
    assert "“甲”" in identity.fork_of_another("甲") and identity.REIDENTIFY_GUI in identity.own_copy()


def test_the_statement_names_both_identities_and_the_new_key() -> None:
    said = json.loads(identity.statement("old", "new", b"\x01\x02", "2025-03-01"))
    assert said == {
        "old_replica": "old",
        "new_replica": "new",
        "new_sign_pubkey": b64(b"\x01\x02"),
        "at": "2025-03-01",
    }


def test_only_a_reidentified_workspace_announces_itself(workspace: Workspace) -> None:
    with write_transaction(workspace.engine) as conn:
        assert identity.announcement(conn, "new") is None
        identity_store.record_change(conn, new_replica="new", old_replica="old", statement="s", proof=b"p")
        said = identity.announcement(conn, "new")
    assert said == {"old_replica": "old", "statement": "s", "proof": b64(b"p"), "retired": []}
