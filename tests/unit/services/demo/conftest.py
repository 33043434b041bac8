"""One demo workspace shared by the read-only demo tests of a module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.builders import PASSPHRASE
from xuncha_desktop.services.demo.build import DemoSummary, build_demo
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, DemoSummary]]:
    """One demo of 200 records shared by the read-only tests (built once: it takes a second)."""
    path = tmp_path_factory.mktemp("demo") / "演示.xcdb"
    ws = Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap())
    summary = build_demo(ws, seed=1, records=200)
    yield ws, summary
    ws.close()
