"""One office demo (`demo --office`) per test module, with its records read back for independent counting."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from tests.builders import PASSPHRASE
from tests.unit.services.office_statistics.independent import Records
from xuncha_desktop.services.demo.office import build_office_demo
from xuncha_desktop.services.office_statistics.scope import Scope, scope_for
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

TODAY = date(2026, 5, 20)
FIRST_ROUND = "2025年第一轮巡察"


@dataclass
class Office:
    ws: Workspace
    records: Records
    scopes: dict[str, Scope]  # term, one year, one round, a date range


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    path = tmp_path_factory.mktemp("office_statistics") / "巡察办演示.xcdb"
    ws = Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap(), office=True)
    build_office_demo(ws, seed=1, today=TODAY)
    scopes = {
        "term": Scope(),
        "year": Scope(year=2025),
        "round": scope_for(ws, round_name=FIRST_ROUND),
        "range": Scope(start=date(2025, 6, 1), end=date(2026, 3, 31)),
    }
    yield Office(ws, Records.read(ws), scopes)
    ws.close()
