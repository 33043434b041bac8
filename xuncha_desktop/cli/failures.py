"""How the command line ends on a failure: one Chinese line on stderr and exit code 1, never a traceback,
never an exception's own text (a driver error's text can hold record text), and a closed output pipe
(`xuncha-desktop stats --json | head -c1`) said as such."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

from xuncha_desktop.diagnostics import log_unexpected
from xuncha_desktop.services.failures import is_unexpected, user_message

EXIT_OK, EXIT_DATA_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
OUTPUT_CLOSED = (
    "输出管道已被关闭（读取输出的程序提前退出，例如 head），结果没有完整输出："
    "如需完整结果，请不要截断输出，或把输出重定向到文件"
)


def fail(message: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):  # stderr closed too: the exit code tells
        print(f"错误：{' '.join(message.split())}", file=sys.stderr, flush=True)


def guarded(command: Callable[[], int], db: Path | None) -> int:
    """`command`'s exit code; a failure becomes one line naming its cause (`db`: the workspace used)."""
    try:
        return command()
    except BrokenPipeError:
        raise  # for finish_output: the line must not go to the closed stdout, and stdout must be quietened
    except KeyboardInterrupt:
        fail("操作已取消")
        return EXIT_INTERRUPTED
    except Exception as exc:  # known failures in their own words, others by class and place only
        if is_unexpected(exc, db):
            log_unexpected(type(exc), exc, exc.__traceback__)  # a programming error: class and place only
        fail(user_message(exc, db))
        return EXIT_DATA_ERROR


def finish_output(main: Callable[[], int]) -> int:
    """Run `main` and flush stdout, so that a closed pipe shows up here rather than in Python's own
    flush at exit (which would print an English complaint)."""
    try:
        code = main()
        if sys.stdout is not None:  # None in a Windows GUI build
            sys.stdout.flush()
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # what is left of the output goes nowhere
        fail(OUTPUT_CLOSED)
        return EXIT_DATA_ERROR
    return code
