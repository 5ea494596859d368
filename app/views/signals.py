"""Blocking a widget's signals while the model writes back to it (napari's habit)."""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QObject


@contextmanager
def signals_blocked(obj: QObject):
    previous = obj.blockSignals(True)
    try:
        yield obj
    finally:
        obj.blockSignals(previous)
