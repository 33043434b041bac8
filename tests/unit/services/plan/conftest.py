"""An office workspace with a small plan in it (tests/plan_builders.py), for the plan services' tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE
from tests.plan_builders import Plan, make_plan
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap())
    yield ws
    ws.close()


@pytest.fixture
def plan(office: Workspace) -> Plan:
    return make_plan(office)
