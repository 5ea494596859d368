"""Which features are selected: one layer at a time, shared by the map, the table and the form.

A rectangle can select 65,000 parcels: the uuids are kept as a tuple (order of selection) and,
built once on demand, a frozenset for membership, so no listener scans the tuple per feature.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.editing.events import Event


class Selection:
    """Selected uuids of one layer; `changed(layer, uuids)` after every real change."""

    def __init__(self) -> None:
        self.layer: str | None = None
        self.uuids: tuple[str, ...] = ()
        self._members: frozenset[str] | None = frozenset()
        self.changed = Event()

    def set(self, layer: str | None, uuids: Iterable[str]) -> None:
        uuids = tuple(dict.fromkeys(uuids))
        if layer == self.layer and len(uuids) == len(self.uuids) and uuids == self.uuids:
            return
        self.layer, self.uuids, self._members = layer, uuids, None
        self.changed.emit(layer, uuids)

    def clear(self) -> None:
        self.set(self.layer, ())

    @property
    def members(self) -> frozenset[str]:
        """The selected uuids as a set (built once per selection)."""
        if self._members is None:
            self._members = frozenset(self.uuids)
        return self._members

    def __contains__(self, uuid: str) -> bool:
        return uuid in self.members

    def toggle(self, layer: str, uuid: str) -> None:
        """Add or remove one feature (a new layer starts a new selection)."""
        if layer != self.layer:
            self.set(layer, (uuid,))
        elif uuid in self.members:
            self.set(layer, (u for u in self.uuids if u != uuid))
        else:
            self.set(layer, (*self.uuids, uuid))

    @property
    def single(self) -> str | None:
        return self.uuids[0] if len(self.uuids) == 1 else None
