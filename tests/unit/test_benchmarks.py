"""The output benchmarks run end to end on tiny inputs and print the benchmark line format."""

from __future__ import annotations

import re
from pathlib import Path

from tests.benchmarks.output_bench import bench_ledger, bench_pdf_batch

LINE = re.compile(r"^[a-z0-9_]+: \d+\.\d\d (s|MB) ratio=\d+\.\d\d goal=[\d.]+$")


def test_pdf_benchmark_reports_a_ratio(tmp_path: Path):
    result = bench_pdf_batch(tmp_path, drafts=3, repeats=1)
    assert LINE.match(result.line()) and result.name.endswith("_higher_better")
    assert result.ratio > 0 and result.detail["pages"] >= 8  # cover, contents, 3 drafts of 2 pages


def test_ledger_benchmark_reports_time_and_memory(tmp_path: Path):
    timing, memory = bench_ledger(tmp_path, rows=30, repeats=1)
    assert LINE.match(timing.line()) and LINE.match(memory.line())
    assert timing.ratio > 0 and memory.unit == "MB" and memory.name.endswith("_lower_better")
    assert (tmp_path / "bench-ledger.xlsx").stat().st_size > 0


def test_plan_benchmark_prints_the_import_ratio_and_every_view(tmp_path: Path, capsys):
    from tests.benchmarks.plan_bench import run

    run(tmp_path, 0.01)
    lines = [t for t in capsys.readouterr().out.splitlines() if not t.startswith("#")]
    figure = re.compile(r"^plan_[a-z_]+_lower_better: \d+\.\d{3} (s|ms) ratio=\d+\.\d{3} goal=[\d.]+$")
    assert lines and all(figure.match(t) for t in lines), lines
    assert lines[0].startswith("plan_import_vs_openpyxl_read_lower_better:")
    names = {t.split(":")[0] for t in lines}
    assert {"plan_rounds_latency_lower_better", "plan_term_coverage_latency_lower_better"} <= names


def test_rectification_benchmark_prints_the_task_views_and_the_evaluation(tmp_path: Path, capsys):
    from tests.benchmarks.rectification_bench import run

    run(tmp_path, 0.01)
    lines = [t for t in capsys.readouterr().out.splitlines() if not t.startswith("#")]
    figure = re.compile(
        r"^rectification_[a-z_]+_lower_better: \d+\.\d{3} (s|ms) ratio=\d+\.\d{3} goal=[\d.]+$"
    )
    assert lines and all(figure.match(t) for t in lines), lines
    names = {t.split(":")[0] for t in lines}
    assert names == {
        "rectification_overdue_view_vs_plain_list_lower_better",
        "rectification_overdue_view_latency_lower_better",
        "rectification_filtered_list_vs_plain_list_lower_better",
        "rectification_filtered_list_latency_lower_better",
        "rectification_evaluate_round_latency_lower_better",
    }


def test_statistics_benchmark_prints_the_year_figures(tmp_path: Path, capsys):
    from tests.benchmarks.statistics_bench import run

    run(tmp_path, 0.004)
    out = capsys.readouterr().out
    assert "plain SQL agrees: True" in out  # the baseline counts the same figures
    lines = [t for t in out.splitlines() if not t.startswith("#")]
    figure = re.compile(r"^statistics_[a-z_]+_lower_better: \d+\.\d{3} (s|ms) ratio=\d+\.\d{3} goal=[\d.]+$")
    assert lines and all(figure.match(t) for t in lines), lines
    assert {t.split(":")[0] for t in lines} == {
        "statistics_year_summary_vs_plain_sql_lower_better",
        "statistics_year_summary_and_breakdowns_latency_lower_better",
    }


def test_report_benchmark_prints_the_docx_ratio(tmp_path: Path, capsys):
    from tests.benchmarks.report_bench import NAME, bench_report

    text, ours, baseline = bench_report(tmp_path, drafts=8, repeats=1)
    figure = re.compile(r"^report_[a-z_]+_lower_better: \d+\.\d{3} s ratio=\d+\.\d{3} goal=2$")
    assert figure.match(text) and text.startswith(f"{NAME}:") and ours > 0 and baseline > 0
    notes = [t for t in capsys.readouterr().out.splitlines() if t.startswith("#")]
    assert "8 份已审签底稿" in notes[0] and "问题清单 8 行" in notes[0]
    assert (tmp_path / "巡察报告.docx").stat().st_size > 0


def test_the_sync_benchmark_edits_a_field_of_every_record_type_it_exports():
    from tests.benchmarks.sync_bench import EDITED_FIELD
    from xuncha_desktop.domain.record_types import MAIN_RECORD_TYPES

    assert set(EDITED_FIELD) == {rt.key for rt in MAIN_RECORD_TYPES}  # a new type would stop the benchmark
    for rt in MAIN_RECORD_TYPES:
        assert rt.field(EDITED_FIELD[rt.key]).kind == "text", rt.key
