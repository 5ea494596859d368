"""The poster's map: the vision's map with the five zones numbered and colour-coded, the layers
the eight systems draw with, and every system's projects numbered in the systems' order.

maps.py draws it; this module only chooses what it draws. The zones become one layer each (a
view of the project's data, never written back) so the map's own legend and labels carry the
zones' numbers and colours, and the poster's lists draw their swatches from the same styles.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

from app.content.model import Section
from app.model.catalogue import Layer
from app.reports.mapdata import LayerData, MapData
from app.reports.maps import PROJECT_LAYERS, MapSpec, Rendered, linked_projects, render_layout
from app.reports.outputs import focus_of

PROJECT_CODES = PROJECT_LAYERS
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
# Apart from each other and from the map's other colours (water blue, ecology green, corridor
# magenta, project red, the demonstration zone's teal, the town circles' orange).
ZONE_COLOURS = ("#6A1B9A", "#1565C0", "#8D6E63", "#00ACC1", "#546E7A", "#9E9D24")
DENSE = 60  # a system's layer with more features than this would bury the poster's map
POSTER_DPI_MAX = 300  # the poster's map: twice the build's resolution, up to this (A1 print)


@dataclass(frozen=True)
class Zone:
    """A zone of the poster: its number, section, colour and its layer on the map."""

    number: int
    section: Section
    colour: str
    layer: Layer  # the zone's own layer (name and style as the map's legend shows them)

    @property
    def mark(self) -> str:
        return CIRCLED[self.number - 1] if self.number <= len(CIRCLED) else str(self.number)


class PosterData:
    """The project's map data with each zone as a layer of its own (code `<layer>#<n>`)."""

    def __init__(self, data: MapData, zones: dict[str, LayerData]):
        self._data, self._zones = data, zones

    def layer(self, code: str) -> LayerData | None:
        return self._zones[code] if code in self._zones else self._data.layer(code)

    def __getattr__(self, name: str):  # focus, find, extent, … as the project's data has them
        return getattr(self._data, name)


def _zone_layer(base: LayerData, row: int, n: int, section: Section) -> LayerData:
    colour = ZONE_COLOURS[(n - 1) % len(ZONE_COLOURS)]
    mark = CIRCLED[n - 1] if n <= len(CIRCLED) else str(n)
    style = replace(base.layer.style, stroke=colour, fill=colour,
                    fill_opacity=max(base.layer.style.fill_opacity, 0.14))
    layer = replace(base.layer, code=f"{base.layer.code}#{n}", name_zh=f"{mark}{section.title_zh}",
                    name_en=f"{mark} {section.title_en}", style=style)
    attrs = dict(base.attrs[row])
    if style.label_field:
        attrs[style.label_field] = f"{mark}{section.title_zh}"
    return LayerData(layer, [base.uuids[row]], [attrs], base.geoms[row:row + 1],
                     base.owners[row:row + 1], base.notes[row:row + 1])


def zones(inputs, sections: list[Section]) -> tuple[list[Zone], dict[str, LayerData]]:
    """The zones found on the map (numbered in content order) and their layers."""
    found: list[Zone] = []
    layers: dict[str, LayerData] = {}
    for section in sections:
        focus = focus_of(inputs, section)
        base = inputs.data.layer(focus.layer) if focus is not None else None
        rows = [r for r, a in enumerate(base.attrs) if str(a.get(focus.field)) == focus.value] \
            if focus is not None and base is not None else []
        if not rows or base is None:
            continue
        d = _zone_layer(base, rows[0], len(found) + 1, section)
        found.append(Zone(len(found) + 1, section, d.layer.style.stroke, d.layer))
        layers[d.layer.code] = d
    return found, layers


def system_layers(inputs, spec: MapSpec, systems: list[Section]) -> tuple[str, ...]:
    """The spec's layers plus what the systems draw with, leaving out dense layers."""
    codes = list(spec.layers)
    for system in systems:
        for code in system.links.layers:
            d = inputs.data.layer(code)
            if code not in codes and d is not None and len(d.geoms) <= DENSE:
                codes.append(code)
    return tuple(codes)


def poster_spec(spec: MapSpec, layers: tuple[str, ...], zone_layers: dict[str, LayerData],
                projects: tuple[str, ...]) -> MapSpec:
    """The spec with each zone's layer in place of the layer they come from."""
    bases = {code.split("#")[0] for code in zone_layers}
    codes = [c for c in layers if c not in bases]
    at = next((i for i, c in enumerate(layers) if c in bases), len(codes))
    codes[at:at] = list(zone_layers)
    return replace(spec, layers=tuple(codes), projects=projects)


def numbers(spec: MapSpec, data) -> dict[str, int]:
    """Project uuid → its number on the map."""
    return {d.uuids[row]: n for n, (d, row) in enumerate(linked_projects(spec, data), 1)}


def poster_dpi(build_dpi: int) -> int:
    """The poster's map resolution: the print build (150) gives 300 ppi at A1; drafts scale."""
    return min(2 * build_dpi, max(POSTER_DPI_MAX, build_dpi))


# Per project data (dropped with it): the text-size passes of one build draw the map once.
_cache: weakref.WeakKeyDictionary[MapData, tuple[tuple, Rendered]] = weakref.WeakKeyDictionary()


def render_poster(spec: MapSpec, data: PosterData, dpi: int) -> Rendered:
    """The poster's map and the labels its layout placed, drawn once per build."""
    key = (spec, dpi)
    cached = _cache.get(data._data)
    if cached is None or cached[0] != key:
        cached = _cache[data._data] = (key, render_layout(spec, data, dpi))  # type: ignore[arg-type]  # a PosterData reads as MapData
    return cached[1]
