"""Start the real main window on a workspace and report how long opening took (JSON on stdout).

Run as a process by ui_bench: the whole process time minus `open_s` is the time to an interactive
window once the workspace is open (imports, window, first page of every list, first paint).
"""

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path

from xuncha_desktop.app import application
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.workspace import Workspace

app = application()
started = time.perf_counter()
workspace = Workspace.open(Path(sys.argv[1]), os.environ["XUNCHA_PASSPHRASE"])
open_s = time.perf_counter() - started
window = MainWindow(workspace)
window.show()
app.processEvents()
print(json.dumps({"open_s": open_s}))
window.close()
workspace.close()
