"""整改监督: the office's rectification area (巡察反馈, 整改任务, 到期提醒, 线索对账, 回头看,
整改质效评估)."""
