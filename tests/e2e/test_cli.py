"""The command line end to end: Chinese help and errors, exit codes, each sub-command and the GUI hand-off."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from tests.builders import PASSPHRASE, Context, appraisal, draft, evaluation, interview, lead
from xuncha_desktop import __version__, cli
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, EVALUATION, INTERVIEW, LEAD
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.keyfile import keyfile_path
from xuncha_desktop.storage.tables import audit_log

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
ENGLISH = ("usage:", "options:", "show this help", "error:", "Traceback", "positional arguments")


@pytest.fixture(autouse=True)
def passphrase_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.delenv("XUNCHA_USER", raising=False)


@pytest.fixture
def prompts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Answers for the hidden passphrase prompt, consumed in order; the environment variable is unset."""
    answers: list[str] = []
    monkeypatch.delenv(PASSPHRASE_ENV)

    def fake_getpass(prompt: str = "") -> str:
        if not answers:
            raise EOFError
        return answers.pop(0)

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    yield answers


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _stats(capsys: pytest.CaptureFixture[str], path: Path) -> dict[str, Any]:
    code, out, err = _run(capsys, "stats", "--db", path, "--json")
    assert (code, err) == (0, "")
    stats: dict[str, Any] = json.loads(out)
    return stats


def _assert_chinese_error(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：")
    assert not any(word in err for word in ENGLISH)


# -- init and stats ----------------------------------------------------------------------------------------
def test_init_then_stats_json_counts_an_empty_workspace(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "现场.xcdb"
    code, out, _ = _run(capsys, "init", "--db", path, "--user", "张建国", "--role", "组长")
    assert code == 0 and "已创建巡察组现场工作库" in out and "张建国" in out
    stats = _stats(capsys, path)
    assert {
        k: stats[k] for k in ("interviews", "drafts", "leads", "evaluations", "attachments")
    } == dict.fromkeys(("interviews", "drafts", "leads", "evaluations", "attachments"), 0)
    assert stats["users"] == 1 and stats["workspace"]["role"] == "field"


def test_init_office_makes_an_office_workspace(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "巡察办.xcdb"
    code, out, _ = _run(capsys, "init", "--db", path, "--office")
    assert code == 0 and "巡察办工作库" in out
    assert _stats(capsys, path)["workspace"]["role"] == "office"


def test_stats_json_counts_live_records(
    capsys: pytest.CaptureFixture[str], workspace: Workspace, ctx: Context
) -> None:
    talks = RecordService(workspace, INTERVIEW)
    talks.save(interview(ctx))
    talks.delete(talks.save(interview(ctx)).id)
    RecordService(workspace, DRAFT).save(draft(ctx))
    RecordService(workspace, LEAD).save(lead(ctx))
    RecordService(workspace, EVALUATION).save(evaluation(ctx))
    RecordService(workspace, APPRAISAL).save(appraisal(ctx))
    workspace.close()  # one process at a time has it open
    stats = _stats(capsys, workspace.path)
    assert (stats["interviews"], stats["drafts"], stats["leads"], stats["evaluations"]) == (1, 1, 1, 2)
    assert stats["attachments"] == 0 and stats["recycle_bin"] == 1


def test_stats_table_is_chinese(capsys: pytest.CaptureFixture[str], workspace: Workspace) -> None:
    workspace.close()
    code, out, _ = _run(capsys, "stats", "--db", workspace.path)
    assert code == 0
    assert "个别谈话记录" in out and "问题底稿按状态" in out and "巡察组现场工作库" in out


def test_init_refuses_an_existing_file(capsys: pytest.CaptureFixture[str], workspace: Workspace) -> None:
    before = workspace.path.stat().st_size, keyfile_path(workspace.path).read_bytes()
    code, _, err = _run(capsys, "init", "--db", workspace.path)
    assert code == 1 and "已存在" in err
    _assert_chinese_error(err)
    assert (workspace.path.stat().st_size, keyfile_path(workspace.path).read_bytes()) == before


def test_missing_workspace_is_reported_without_asking_for_a_passphrase(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, prompts: list[str]
) -> None:
    code, _, err = _run(capsys, "stats", "--db", tmp_path / "没有.xcdb")
    assert code == 1 and "找不到工作库文件" in err


# -- passphrases ---------------------------------------------------------------------------------------
def test_wrong_passphrase_is_one_chinese_line(
    capsys: pytest.CaptureFixture[str], workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "完全不对的口令-wrong")
    workspace.close()
    code, out, err = _run(capsys, "stats", "--db", workspace.path, "--json")
    assert (code, out) == (1, "")
    _assert_chinese_error(err)
    assert "口令不正确" in err


def test_init_asks_twice_and_refuses_different_answers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, prompts: list[str]
) -> None:
    prompts += ["第一次输入的口令", "第二次输入的口令"]
    code, _, err = _run(capsys, "init", "--db", tmp_path / "a.xcdb")
    assert code == 1 and "两次输入的口令不一致" in err
    assert not (tmp_path / "a.xcdb").exists()


def test_prompted_passphrase_creates_and_opens_the_workspace(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, prompts: list[str]
) -> None:
    path = tmp_path / "a.xcdb"
    prompts += ["提示输入的口令-1", "提示输入的口令-1", "提示输入的口令-1"]
    assert _run(capsys, "init", "--db", path)[0] == 0
    assert _run(capsys, "check", "--db", path)[0] == 0
    assert prompts == []


def test_no_passphrase_at_all_is_a_data_error(
    capsys: pytest.CaptureFixture[str], workspace: Workspace, prompts: list[str]
) -> None:
    workspace.close()
    code, _, err = _run(capsys, "check", "--db", workspace.path)
    assert code == 1 and PASSPHRASE_ENV in err
    _assert_chinese_error(err)


# -- usage and help ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["stats"], "缺少必需的参数：--db"),
        (["bogus"], "无效"),
        (["stats", "--db", "x", "--colour"], "无法识别的参数：--colour"),
        (["demo", "--db", "x", "--records", "很多"], "参数 --records：应为整数"),
        (["demo", "--db", "x", "--records", "0"], "应为正整数"),
        (["init", "--db", "x", "--role", "书记"], "参数 --role 的取值"),
        (["check", "--db"], "参数 --db 需要一个值"),
    ],
)
def test_usage_errors_exit_2_in_chinese(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    code, out, err = _run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("用法：") and expected in err and "错误：" in err
    assert not any(word in err for word in ENGLISH)


@pytest.mark.parametrize("argv", [[], ["init"], ["demo"], ["stats"], ["check"]])
def test_help_is_chinese(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, _ = _run(capsys, *argv, "--help")
    assert code == 0
    assert out.startswith("用法：") and "选项：" in out and "显示本帮助并退出" in out
    assert not any(word in out for word in ENGLISH)


def test_top_level_help_lists_every_sub_command(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "-h")[1]
    for name in ("init", "demo", "stats", "check"):
        assert f"    {name} " in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--version")
    assert code == 0 and __version__ in out


# -- check -------------------------------------------------------------------------------------------------
def test_check_passes_on_a_sound_workspace(
    capsys: pytest.CaptureFixture[str], workspace: Workspace, ctx: Context
) -> None:
    RecordService(workspace, DRAFT).save(draft(ctx))
    workspace.close()
    code, out, err = _run(capsys, "check", "--db", workspace.path)
    assert (code, err) == (0, "") and "检查通过" in out


def test_check_lists_every_problem_after_tampering(
    capsys: pytest.CaptureFixture[str], workspace: Workspace, ctx: Context
) -> None:
    RecordService(workspace, DRAFT).save(draft(ctx))
    with write_transaction(workspace.engine) as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq.in_([2, 5])).values(user_login="冒名者"))
    workspace.close()
    code, out, err = _run(capsys, "check", "--db", workspace.path)
    assert code == 1
    assert out.splitlines() == [
        "[审计日志] 第 2 条审计记录的内容与其哈希值不符（记录被改动）",
        "[审计日志] 第 5 条审计记录的内容与其哈希值不符（记录被改动）",
    ]
    assert err == "检查未通过：发现 2 个问题\n"


# -- demo (with a stand-in builder; the real one below) ----------------------------------------------------
def _fake_demo(monkeypatch: pytest.MonkeyPatch, build: Any) -> None:
    from xuncha_desktop.services.demo.build import DemoSummary
    from xuncha_desktop.services.demo.field_sync import FieldDemo

    def build_field_demo(ws: Workspace, **options: Any) -> FieldDemo:
        build(ws, **options)
        return FieldDemo(DemoSummary(), {}, None, ws.path.parent / "演示说明.txt")

    module = types.ModuleType("xuncha_desktop.services.demo.field_sync")
    module.build_field_demo = build_field_demo  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xuncha_desktop.services.demo.field_sync", module)


def test_demo_passes_its_options_to_the_builder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def build(ws: Workspace, *, seed: int, records: int, progress: Any) -> None:
        calls.append({"seed": seed, "records": records})
        for done in range(records + 1):
            progress.report(done, records, "正在生成记录")

    _fake_demo(monkeypatch, build)
    code, out, err = _run(capsys, "demo", "--db", tmp_path / "演示.xcdb", "--seed", "7", "--records", "30")
    assert code == 0 and "已生成演示工作库" in out
    assert err.splitlines()[-1] == "100% 正在生成记录" and len(err.splitlines()) == 11  # one per tenth
    assert calls == [{"seed": 7, "records": 30}]


def test_demo_defaults_and_refuses_an_existing_file(
    capsys: pytest.CaptureFixture[str], workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[int, int]] = []
    _fake_demo(monkeypatch, lambda ws, *, seed, records, progress: calls.append((seed, records)))
    code, _, err = _run(capsys, "demo", "--db", workspace.path)
    assert code == 1 and "已存在" in err and calls == []


def test_failed_demo_leaves_no_files_behind(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def build(ws: Workspace, *, seed: int, records: int, progress: Any) -> None:
        raise XunchaError("演示数据生成失败")

    _fake_demo(monkeypatch, build)
    code, _, err = _run(capsys, "demo", "--db", tmp_path / "演示.xcdb")
    assert code == 1 and "演示数据生成失败" in err
    assert list(tmp_path.iterdir()) == []


def test_real_demo_fills_a_workspace_that_passes_the_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "演示.xcdb"
    code, out, _ = _run(capsys, "demo", "--db", path, "--records", "40")
    assert code == 0
    stats = _stats(capsys, path)
    assert all(stats[key] > 0 for key in ("interviews", "drafts", "leads", "evaluations"))
    assert stats["open_conflicts"] == 4  # soft, two hard, delete_edit (tests/unit/services/demo)
    [waiting] = (tmp_path / "待导入工作包").glob("*.xcpkg")
    assert f"待导入的工作包：{waiting}" in out and "待处理的冲突：4 个" in out
    code, out, _ = _run(capsys, "check", "--db", path)
    assert code == 0, out


# -- the GUI hand-off --------------------------------------------------------------------------------------
@pytest.fixture
def gui_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Replaces xuncha_desktop.app so no Qt starts; records how run_gui was called."""
    calls: list[tuple[Any, ...]] = []

    def run_gui(db_path: Path | None, passphrase: str | None, **options: Any) -> int:
        calls.append((db_path, passphrase, options))
        return 0

    module = types.ModuleType("xuncha_desktop.app")
    module.run_gui = run_gui  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xuncha_desktop.app", module)
    return calls


def test_no_sub_command_opens_the_gui_on_the_given_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, gui_calls: list[tuple[Any, ...]]
) -> None:
    assert _run(capsys, "--db", tmp_path / "a.xcdb")[0] == 0
    assert gui_calls == [(tmp_path / "a.xcdb", PASSPHRASE, {"smoke_test": False, "user": None})]


def test_gui_without_db_uses_the_default_and_may_prompt(
    capsys: pytest.CaptureFixture[str], gui_calls: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV)
    assert _run(capsys, "--smoke-test", "--user", "李明")[0] == 0
    assert gui_calls == [(None, None, {"smoke_test": True, "user": "李明"})]


# -- the real entry point in a child process ---------------------------------------------------------------
def _child(*argv: str | Path, passphrase: str = PASSPHRASE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, PASSPHRASE_ENV: passphrase, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "xuncha_desktop", *map(str, argv)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_child_process_usage_error_exits_2_in_chinese() -> None:
    result = _child("stats")
    assert result.returncode == 2 and result.stdout == ""
    assert "缺少必需的参数：--db" in result.stderr and "Traceback" not in result.stderr


def test_child_process_wrong_passphrase_exits_1_with_one_line(workspace: Workspace) -> None:
    workspace.close()
    result = _child("check", "--db", workspace.path, passphrase="完全不对的口令-wrong")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == ["错误：口令不正确"]


def test_child_process_stats_json_is_utf8_json(workspace: Workspace, ctx: Context) -> None:
    RecordService(workspace, LEAD).save(lead(ctx))
    workspace.close()
    result = _child("stats", "--db", workspace.path, "--json")
    assert (result.returncode, result.stderr) == (0, "")
    stats = json.loads(result.stdout)
    assert stats["leads"] == 1 and stats["leads_by_status"]["已登记"] == 1
