"""Which features are selected: one layer at a time, shared by the map, the table and the form."""

from __future__ import annotations

from collections.abc import Iterable

from app.editing.events import Event


class Selection:
    """Selected uuids of one layer; `changed(layer, uuids)` after every real change."""

    def __init__(self) -> None:
        self.layer: str | None = None
        self.uuids: tuple[str, ...] = ()
        self.changed = Event()

    def set(self, layer: str | None, uuids: Iterable[str]) -> None:
        uuids = tuple(dict.fromkeys(uuids))
        if (layer, uuids) == (self.layer, self.uuids):
            return
        self.layer, self.uuids = layer, uuids
        self.changed.emit(layer, uuids)

    def clear(self) -> None:
        self.set(self.layer, ())

    def toggle(self, layer: str, uuid: str) -> None:
        """Add or remove one feature (a new layer starts a new selection)."""
        if layer != self.layer:
            self.set(layer, (uuid,))
        elif uuid in self.uuids:
            self.set(layer, (u for u in self.uuids if u != uuid))
        else:
            self.set(layer, (*self.uuids, uuid))

    @property
    def single(self) -> str | None:
        return self.uuids[0] if len(self.uuids) == 1 else None
