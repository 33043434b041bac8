"""The office's own preparation work (巡前准备): the plan of rounds, groups, members and target units, the
党组织名录 with its 全覆盖 figures, the 巡察人才库, and the plan workbook."""
