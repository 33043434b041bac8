"""Python's cycle collector pauses from the QApplication until the main window's first paint.

Start-up makes about 100,000 objects that live as long as the program (modules, classes, Qt's enums, the
storage layer, the window's pages): on their way the collector runs some 80 times and finds next to nothing
to free (a few hundred objects). Measured on the 100,000-record workspace: opening it takes ~50 ms less
(the collector walked what the storage layer had just made), building and showing the window a few ms less.
Reference counting frees everything else as usual meanwhile.

On resuming, right after the first paint (or after RESUME_ANYWAY_MS, should no window be painted, e.g. while
the passphrase dialog waits), what start-up made is frozen (gc.freeze): the collector's later passes leave
it out. Otherwise the first pass after resuming would walk all of it at once (~50 ms), and every full pass
later too (~75 ms on the 100,000-record workspace). The price: cyclic garbage among start-up's own objects
(those few hundred) is never freed.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QTimer

RESUME_ANYWAY_MS = 5000

_paused = False


def pause() -> None:
    """Pause the collector (once the QApplication exists: the resume-anyway timer needs it)."""
    global _paused
    if _paused or not gc.isenabled():  # paused already, or by someone else: theirs to resume
        return
    gc.disable()
    _paused = True
    app = QCoreApplication.instance()
    if app is not None:
        QTimer.singleShot(RESUME_ANYWAY_MS, app, resume)


def resume() -> None:
    """Let the collector run again, start-up's objects frozen; nothing when `pause` did not pause it."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def is_paused() -> bool:
    return _paused
