"""sign_in_attempts: wrong passphrases slow further attempts, with growing capped waits that survive a
restart, and a success clears them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import PASSPHRASE
from xuncha_desktop.services.security import keys, sign_in_attempts
from xuncha_desktop.services.security.sign_in_attempts import AttemptGuard, TooManyAttempts
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import PassphraseRejected


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_default_delay_grows_and_is_capped() -> None:
    delays = [sign_in_attempts.default_delay(n) for n in range(1, 15)]
    assert delays[:2] == [0.0, 0.0]
    assert delays[2:] == [5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 640.0, 900.0, 900.0, 900.0, 900.0]


def test_wrong_passphrases_slow_further_attempts(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    clock = FakeClock()
    guard = AttemptGuard(schedule=lambda n: 0.0 if n < 2 else 30.0 * (n - 1), clock=clock)
    with pytest.raises(PassphraseRejected, match=r"^口令不正确$"):
        keys.open_workspace(workspace_path, "错误的口令-1", guard=guard)
    with pytest.raises(PassphraseRejected, match="30 秒后再试"):
        keys.open_workspace(workspace_path, "错误的口令-2", guard=guard)
    with pytest.raises(TooManyAttempts, match="30 秒后再试") as waiting:
        keys.open_workspace(workspace_path, PASSPHRASE, guard=guard)  # not even tried
    assert waiting.value.failures == 2
    clock.now += 31
    with pytest.raises(PassphraseRejected, match="60 秒"):
        keys.open_workspace(workspace_path, "错误的口令-3", guard=guard)
    assert sign_in_attempts.attempts_path(workspace_path).is_file()
    assert "错误" not in sign_in_attempts.attempts_path(workspace_path).read_text(encoding="utf-8")
    clock.now += 61
    with keys.open_workspace(workspace_path, PASSPHRASE, guard=guard):
        pass
    assert not sign_in_attempts.attempts_path(workspace_path).exists()  # reset on success
    assert guard.remaining(workspace_path) == 0


def test_failures_survive_a_restart_of_the_guard(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    clock = FakeClock()
    for _ in range(3):
        with pytest.raises(PassphraseRejected):
            keys.open_workspace(workspace_path, "错误的口令-x", guard=AttemptGuard(clock=clock))
    assert AttemptGuard(clock=clock).remaining(workspace_path) == sign_in_attempts.default_delay(3)
