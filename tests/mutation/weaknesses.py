"""Put each bug named in issue #19 into a copy of the project, run the tests said to catch it, and report
whether they fail (they must). The table in WEAKNESSES.md comes from this run:

    python -m tests.mutation.weaknesses              # every bug
    python -m tests.mutation.weaknesses merge_set    # only these

Each bug is a literal replacement in one file; when the code has moved on and the text is no longer there,
the row says so (the bug needs writing again, not the test). Slow (a pytest run per bug): not in CI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.mutation.__main__ import COPIED, ROOT, _world


@dataclass(frozen=True)
class Bug:
    key: str
    what: str  # the bug, as the issue names it
    path: str
    old: str
    new: str
    tests: tuple[str, ...]  # each must fail with the bug in


def _raises(path: str, message: str, cls: str, tests: tuple[str, ...], key: str) -> Bug:
    """A refusal raised as another class than XunchaError: callers that show XunchaError's text crash."""
    return Bug(
        key,
        f"“{message}” raised as {cls} instead of XunchaError",
        path,
        f'raise XunchaError("{message}',
        f'raise {cls}("{message}',
        tests,
    )


CHECKS_PY = "xuncha_desktop/services/sync/checks.py"  # the package and revision checks of an import
IMPORT_PY = "xuncha_desktop/services/sync/import_.py"
CHECKS = "tests/unit/services/sync/test_checks.py"
CHAIN = "tests/unit/services/security/test_audit_chain.py"
BUGS = (
    Bug(
        "manifest_signature",
        "package signature not checked (forged manifest, every file kept)",
        CHECKS_PY,
        "if not verify_signature(keys[m[",
        "if False and not verify_signature(keys[m[",
        (f"{CHECKS}::test_a_forged_manifest_with_every_file_is_rejected_by_its_signature",),
    ),
    Bug(
        "file_hash",
        "per-file hash check removed",
        "xuncha_desktop/services/packages.py",
        'if sha256_hex(data) != info.get("sha256") or len(data) != info.get("size"):',
        "if False:",
        (f"{CHECKS}::test_a_tampered_revision_file_is_rejected_by_the_file_hash",),
    ),
    Bug(
        "revision_signature",
        "per-revision signature not checked (the sender's own revisions too)",
        CHECKS_PY,
        'if not verify_signature(key, signature, line["rev_id"]',
        'if False and not verify_signature(key, signature, line["rev_id"]',
        (
            "tests/unit/services/sync/test_sync_revision_signatures.py::"
            "test_a_bad_signature_on_the_senders_own_revision_rejects_the_package",
            "tests/unit/services/sync/test_sync_revision_signatures.py::"
            "test_a_bad_signature_on_a_relayed_revision_rejects_the_package",
        ),
    ),
    Bug(
        "reused_package_id",
        "a package id seen before is taken as already imported whatever its content",
        IMPORT_PY,
        "if done.manifest_sha256 != contents.manifest_sha256:",
        "if False:",
        (f"{CHECKS}::test_a_reused_package_id_is_rejected",),
    ),
    Bug(
        "other_office",
        "a provisioning package of another office is accepted",
        CHECKS_PY,
        'and m["kind"] == "provision"\n        ):',
        'and m["kind"] == "provision" and False\n        ):',
        (f"{CHECKS}::test_a_provisioning_package_from_another_office_is_rejected",),
    ),
    Bug(
        "prev_hash",
        "prev_hash left out of an entry's hash",
        "xuncha_desktop/storage/revisions.py",
        '"rev_id", "changes", "prev_hash")',
        '"rev_id", "changes")',
        (f"{CHAIN}::test_delete_and_relink_is_found",),
    ),
    Bug(
        "verify_hash",
        "AuditLog.verify checks the links only, not each entry's hash (delete-and-relink, edited row)",
        "xuncha_desktop/services/security/audit_log.py",
        "if entry_hash(row._asdict()) != row.entry_hash:",
        "if False:",
        (f"{CHAIN}::test_delete_and_relink_is_found", f"{CHAIN}::test_an_edited_row_is_found"),
    ),
    Bug(
        "verify_link",
        "AuditLog.verify checks each entry's hash only, not the link to the one before",
        "xuncha_desktop/services/security/audit_log.py",
        "if row.prev_hash != previous_hash:",
        "if False:",
        (f"{CHAIN}::test_an_edited_row_with_its_hash_made_again_breaks_the_link_to_the_next",),
    ),
    Bug(
        "truncated_tail",
        "the chain's recorded end not compared (entries cut from the end)",
        "xuncha_desktop/services/security/audit_log.py",
        "cut = head_problem(audit_head(conn), total, previous_seq, previous_hash)",
        "cut = None",
        (f"{CHAIN}::test_a_truncated_tail_is_found",),
    ),
    Bug(
        "merge_set_removals",
        "merge of set-valued fields ignores removals",
        "xuncha_desktop/storage/merge.py",
        "removed = {json.dumps(i, sort_keys=True) for side in sides for i in base if i not in side}",
        "removed: set[str] = set()",
        (
            "tests/unit/storage/test_merge.py::test_set_adds_and_removals_from_both_sides_are_combined",
            "tests/unit/services/sync/test_sync_properties.py::test_sync_state_machine",
        ),
    ),
    Bug(
        "history_contact",
        "history() masks the reporter's name but not the contact",
        "xuncha_desktop/services/records/record_service.py",
        "for name in visibility.REPORTER_FIELDS:\n                        if rev.body.get(name):",
        'for name in ("reporter_name",):\n                        if rev.body.get(name):',
        (
            "tests/unit/services/records/test_visibility.py::test_history_hides_the_reporters_contact_as_well_as_the_name",
        ),
    ),
    Bug(
        "overdue_boundary",
        "the 3-month feedback rule with >= instead of > (overdue on the due day itself)",
        "xuncha_desktop/domain/lead_registrations.py",
        "lead.feedback_on is None and today > due",
        "lead.feedback_on is None and today >= due",
        ("tests/unit/domain/test_deadlines.py::test_a_lead_is_overdue_from_the_day_after_the_due_day",),
    ),
    Bug(
        "new_count",
        "import counts new records of one record type only (was asserted `new >= 1`)",
        IMPORT_PY,
        'report.new = sum(v["new"] for v in by_type.values())',
        'report.new = max(v["new"] for v in by_type.values())',
        (
            "tests/unit/services/sync/test_import_.py::test_dry_run_reports_and_writes_nothing",
            "tests/e2e/test_cli_sync.py::test_export_then_import_json",
            "tests/gui/test_sync_dialogs.py::test_export_writes_the_package_and_shows_what_it_holds",
        ),
    ),
    Bug(
        "highlight_colour",
        "an overdue lead's row gets another colour (was asserted `is not None`)",
        "xuncha_desktop/gui/pages/record_table_model.py",
        'HIGHLIGHT_COLOUR = "#fde2e1"',
        'HIGHLIGHT_COLOUR = "#ffffff"',
        ("tests/gui/test_workflows.py::test_an_overdue_lead_is_highlighted_in_the_list",),
    ),
    _raises(
        "xuncha_desktop/services/demo/build.py",
        "演示记录份数不能为负数",
        "ValueError",
        ("tests/unit/services/demo/test_build.py::test_negative_record_counts_are_refused",),
        "raises_demo",
    ),
    _raises(
        "xuncha_desktop/services/records/attachments.py",
        "附件内容校验失败，文件可能已损坏",
        "OSError",
        ("tests/unit/services/records/test_attachments.py::test_damaged_attachment_is_reported",),
        "raises_attachment",
    ),
    Bug(  # the message names the record (这条线索 / 这个信访件), so the literal is the f-string's
        "raises_conflict_reporter",
        "“…的冲突涉及反映人信息，须由组长、副组长或登记人处理” raised as PermissionError, not XunchaError",
        "xuncha_desktop/services/records/conflicts.py",
        'raise XunchaError(f"{owner}的冲突涉及反映人信息',
        'raise PermissionError(f"{owner}的冲突涉及反映人信息',
        (
            "tests/unit/services/sync/test_import_.py::test_a_lead_conflict_hides_the_reporter_from_those_who_may_not_see_it",
            "tests/unit/services/sync/test_import_.py::test_a_petition_conflict_on_its_reporter_is_refused_naming_the_petition",
        ),
    ),
    Bug(
        "conflict_reporter_owner",
        "a 信访件's reporter conflict refused as “这条线索的冲突…”",
        "xuncha_desktop/services/records/conflicts.py",
        'REPORTER_OWNERS = {"lead": "这条线索", "petition": "这个信访件"}',
        'REPORTER_OWNERS = {"lead": "这条线索", "petition": "这条线索"}',
        (
            "tests/unit/services/sync/test_import_.py::test_a_petition_conflict_on_its_reporter_is_refused_naming_the_petition",
        ),
    ),
    Bug(
        "raises_conflict_fields",
        "“请为以下字段选择保留的值” raised as ValueError instead of XunchaError",
        "xuncha_desktop/services/records/conflicts.py",
        'raise XunchaError(f"请为以下字段选择保留的值',
        'raise ValueError(f"请为以下字段选择保留的值',
        (
            "tests/unit/services/sync/test_import_.py::test_same_field_becomes_a_hard_conflict_and_is_resolved",
        ),
    ),
    Bug(
        "raises_migration",
        "a failing migration step surfaces as RuntimeError, not the database's error",
        "xuncha_desktop/storage/migrations.py",
        "            command.upgrade(alembic_config(conn), chain[step])\n",
        "            try:\n                command.upgrade(alembic_config(conn), chain[step])\n"
        "            except Exception as exc:\n                raise RuntimeError(str(exc)) from None\n",
        ("tests/unit/storage/test_migrations.py::test_failing_step_rolls_back",),
    ),
    Bug(
        "recovery_timer",
        "the recovery timer keeps a clean form too (was awaited with a fixed 60 ms wait)",
        "xuncha_desktop/gui/pages/record_page.py",
        "        if self.is_dirty():\n            self._keeper.keep(",
        "        if True:\n            self._keeper.keep(",
        ("tests/gui/test_guards.py::test_the_recovery_timer_keeps_an_edited_form_and_saving_drops_it",),
    ),
    Bug(
        "demo_missing",
        "the demo builder cannot be imported (was skipped by a stale importorskip)",
        "xuncha_desktop/services/demo/build.py",
        "\nfrom __future__ import annotations\n",
        '\nfrom __future__ import annotations\n\nraise ImportError("no demo builder")\n',
        ("tests/e2e/test_cli.py::test_real_demo_fills_a_workspace_that_passes_the_check",),
    ),
    Bug(
        "dialog_guard",
        "the shared dialog guard replaces nothing (an unanswered dialog would hang the run)",
        "tests/conftest.py",
        "for module_name, names in UNANSWERED_DIALOGS.items():",
        "for module_name, names in {}.items():",
        (
            "tests/gui/test_dialog_guard.py",
            "tests/e2e/test_main_window_flows.py::test_an_unanswered_dialog_fails_a_window_flow_too",
        ),
    ),
)


def _copy(work: Path) -> None:
    for name in COPIED:
        src, dst = ROOT / name, work / name
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dst)


def _run_tests(work: Path, bug: Bug, env: dict[str, str]) -> tuple[bool, str]:
    """(whether every test failed, the last line pytest printed for each)."""
    outcomes, lines = [], []
    for test in bug.tests:
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", test]
        try:
            done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=1200)
            last = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
            outcomes.append(done.returncode == 1)
        except subprocess.TimeoutExpired:
            last = "timed out"
            outcomes.append(False)
        lines.append(f"{test}: {last}")
    return all(outcomes), "; ".join(lines)


def check(bug: Bug, work: Path, env: dict[str, str]) -> str:
    target = work / bug.path
    original = target.read_text("utf-8")
    if original.count(bug.old) != 1:
        return f"| {bug.key} | {bug.what} | — | NOT APPLIED: the text to change is not (once) in {bug.path} |"
    target.write_text(original.replace(bug.old, bug.new), "utf-8")
    try:
        caught, said = _run_tests(work, bug, env)
    finally:
        target.write_text(original, "utf-8")
    verdict = "caught" if caught else "NOT CAUGHT"
    return f"| {bug.key} | {bug.what} | {verdict} | {said} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("bugs", nargs="*", help="keys of the bugs to put in (default: all)")
    parser.add_argument("--work", type=Path, default=ROOT / "mutants-work", help="where the copy goes")
    parser.add_argument("--baseline", action="store_true", help="first run the tests without the bugs")
    args = parser.parse_args(argv)
    chosen = [b for b in BUGS if not args.bugs or b.key in args.bugs]
    args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="weaknesses-", dir=args.work))
    _copy(work)
    env = {
        **os.environ,
        "PYTHONPATH": str(work),
        "QT_QPA_PLATFORM": "offscreen",
        "XUNCHA_WORLD_TEMPLATE": str(_world(args.work)),
    }
    failed = 0
    if args.baseline:
        for bug in chosen:
            for test in bug.tests:
                command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test]
                done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
                failed += done.returncode != 0
                print(f"# without the bug: {test}: exit {done.returncode}", flush=True)
    print("| bug | what | result | tests run (last pytest line) |\n|---|---|---|---|", flush=True)
    for bug in chosen:
        row = check(bug, work, env)
        failed += "| caught |" not in row
        print(row, flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
