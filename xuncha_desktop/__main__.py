"""`python -m xuncha_desktop` runs the same entry point as the `xuncha-desktop` command."""

import sys

from xuncha_desktop.cli import main

sys.exit(main())
