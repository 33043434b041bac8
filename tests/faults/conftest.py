"""Fixtures of the fault tests, and the summary of what the fault-injection suite tried."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults import report
from tests.faults.world import Snapshot, build_fault_world


@pytest.fixture(scope="session")
def fault_template(world_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Closed files of an office and laptops with marker records, and a package still to import."""
    root = tmp_path_factory.mktemp("fault-world")
    build_fault_world(world_template, root)
    return root


@pytest.fixture(scope="session")
def fault_snapshot(fault_template: Path) -> Snapshot:
    return Snapshot.take(fault_template)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = report.summary_lines()
    if lines:
        terminalreporter.write_sep("-", "fault injection")
        for line in lines:
            terminalreporter.write_line(line)
