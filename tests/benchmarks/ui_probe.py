"""Start the real main window on a workspace and report how long opening took (JSON on stdout).

Run as a process by ui_bench, in the order of the real start: Qt application, then the workspace is opened
(in the application, while the passphrase dialog is up: loading the storage layer and unlocking the key),
then the main window is built and shown. The time from launching the process to `ready`, minus
`open_s`, is the time to an interactive window once the workspace is open: Python and Qt start-up,
the GUI modules, the window, the first page of the visible list, and the first paint.
"""

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path

from xuncha_desktop.gui.qt_application import application

app = application()
started = time.perf_counter()
from xuncha_desktop.services.workspace import Workspace  # part of opening, timed with it

workspace = Workspace.open(Path(sys.argv[1]), os.environ["XUNCHA_PASSPHRASE"])
open_s = time.perf_counter() - started
from xuncha_desktop.gui.main_window import MainWindow  # part of the window

window = MainWindow(workspace)
window.show()
app.processEvents()
print(json.dumps({"open_s": open_s, "ready": time.time()}), flush=True)
window.close()
workspace.close()
