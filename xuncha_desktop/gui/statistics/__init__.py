"""The 统计分析 tab of an office workspace (issue 14): 统计概览 (figures, breakdowns, drill-down, charts) and the
sub-screens registered in area.SCREENS. Every figure comes from services/office_statistics."""
