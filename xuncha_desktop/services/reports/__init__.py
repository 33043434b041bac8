"""Reports the office finishes in Word or WPS: 巡察报告初稿, 一把手专题材料, 巡察反馈意见 and 底稿审批单, each
built from the workspace's records as a small content model and written as .docx (from a template the
office may replace) or as PDF in the official layout."""
