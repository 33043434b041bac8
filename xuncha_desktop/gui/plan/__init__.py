"""The office's 巡察计划 area: rounds and groups, the 党组织名录, the 人才库 and users (office only)."""
