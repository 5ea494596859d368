"""The Qt binding must not drop references to None (shiboken6 6.12.0 on Python 3.11 did)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QPainterPath


def test_many_void_calls_keep_none_alive():
    before = sys.getrefcount(None)
    path = QPainterPath()
    for _ in range(20_000):  # ~4× None's natural reference count
        path.lineTo(1.0, 1.0)
    # A defective binding loses one reference per call; allow for unrelated noise.
    assert sys.getrefcount(None) > before - 1_000
