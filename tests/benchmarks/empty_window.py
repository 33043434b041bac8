"""Baseline for start-up: an empty QMainWindow with four QTableViews in a QTabWidget, shown once."""

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QTabWidget

app = QApplication(sys.argv)
window = QMainWindow()
tabs = QTabWidget()
for title in ("个别谈话记录", "问题底稿", "问题线索登记", "干部评价"):
    tabs.addTab(QTableView(), title)
window.setCentralWidget(tabs)
window.show()
app.processEvents()
print(json.dumps({"ready": time.time()}), flush=True)
