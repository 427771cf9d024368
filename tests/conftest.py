"""Test-wide setup: Qt runs offscreen so the suite needs no display."""

import os

# Without a platform plugin that needs no display, Qt aborts the interpreter (exit 134).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
