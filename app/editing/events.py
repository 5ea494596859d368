"""A minimal event: callbacks connected to a Qt-free model (napari's EmitterGroup, cut down)."""

from __future__ import annotations

from collections.abc import Callable


class Event:
    """Call every connected callback with the emitted arguments, in connection order."""

    def __init__(self) -> None:
        self._callbacks: list[Callable] = []

    def connect(self, callback: Callable) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args) -> None:
        for callback in list(self._callbacks):
            callback(*args)
