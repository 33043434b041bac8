"""The office's rectification work after a round (issue 13): the rule days as settings, 巡察反馈 with its
整改任务 in one step, task supervision and deadlines, 移交线索对账, 回头看 re-checks, the scored
整改质效评估 and the figures of `stats`. Qt-free; every write is one audited transaction."""
