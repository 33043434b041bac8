"""sync.reports: the JSON of `import --json` keeps its field names and order; error only when there is one."""

from __future__ import annotations

from xuncha_desktop.services.sync.reports import ImportReport, identities
from xuncha_desktop.services.workspace import Workspace


def test_import_report_json_fields() -> None:
    ok = ImportReport("a.xcpkg", status="imported", new=2, kind="delta").as_json()
    assert list(ok) == [
        "file", "status", "new", "updated", "unchanged", "conflicts", "package_id", "sender", "kind",
        "revisions", "by_type",
    ]  # fmt: skip
    assert ok["new"] == 2 and ok["kind"] == "delta"
    bad = ImportReport("b.xcpkg", error="签名无效").as_json()
    assert bad["status"] == "rejected" and bad["error"] == "签名无效"
    assert list(bad).index("error") == list(bad).index("conflicts") + 1


def test_a_workspace_has_an_identity_that_opens_its_packages(workspace: Workspace) -> None:
    found = identities(workspace)
    assert found and all(i.startswith("AGE-SECRET-KEY-") for i in found)
