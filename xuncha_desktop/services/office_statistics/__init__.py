"""The office's statistics (issue #14): one service whose figures the CLI, the ledgers and the GUI all read.
`scope` says which records count, `rules` says once how each figure is counted, `figures` adds them up,
`breakdowns` splits them by group, unit kind, round kind, category, 纪律 or round, and `drilldown` lists
the records behind any number shown."""
