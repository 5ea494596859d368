"""DXF drawings through GDAL's DXF driver: a CAD layer and the entities of the layer's type.

GDAL reads a drawing as one table of entities whose "Layer" field names the CAD layer, and
recodes its text from the drawing's $DWGCODEPAGE. A drawing mixes parcels, roads, labels and
symbols on many CAD layers, so the import takes one CAD layer (--layer) and the entities of
the target layer's geometry type, and reports the rest. Closed polylines become polygons for
a polygon layer; blocks are exploded into their entities (each its own feature), except for a
point layer where each block insert is one point (a symbol).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import shapely

from app.errors import InvalidInput

# Entity kinds by shapely geometry type id; labels are "text" (a Point with a Text value),
# "point", "line", "polygon" and "other" (collections).
_KINDS = {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}
_TARGET = {"MultiPolygon": "polygon", "Polygon": "polygon", "MultiLineString": "line",
           "LineString": "line", "Point": "point", "MultiPoint": "point"}


def open_options(geometry: str | None) -> dict[str, str]:
    """GDAL DXF open options for a target layer of type `geometry`."""
    kind = _TARGET.get(geometry or "")
    options = {"MERGE_BLOCK_GEOMETRIES": "FALSE"}
    if kind == "polygon":
        options["CLOSED_LINE_AS_POLYGON"] = "TRUE"
    if kind == "point":
        options["INLINE_BLOCKS"] = "FALSE"
    return options


def entities(path: Path, wkb: np.ndarray, names: list[str], columns: list[np.ndarray],
             fids: np.ndarray | None, cad_layer: str | None, geometry: str | None,
             notes: list[str]):
    """The entities of one CAD layer of the target type; the others reported in `notes`."""
    layers = np.asarray(columns[names.index("Layer")], dtype=object)
    kinds = _kinds(wkb, columns[names.index("Text")] if "Text" in names else None)
    target = _TARGET.get(geometry or "")
    wanted = kinds == target if target else np.ones(len(kinds), dtype=bool)
    chosen = _cad_layer(path, layers, kinds, wanted, cad_layer, target)
    in_layer = layers == chosen
    keep = in_layer & wanted
    if not keep.any():
        raise InvalidInput(f"{path.name}: CAD layer {chosen} holds no {target}s "
                           f"({_listing(layers, kinds, [chosen])})")
    left = Counter(kinds[in_layer & ~wanted].tolist())
    if left:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(left.items()))
        notes.append(f"{path.name}, CAD layer {chosen}: {sum(left.values())} entity(ies) that are "
                     f"not {target}s were left out ({counts})")
    rows = np.flatnonzero(keep)
    return (wkb[rows], names, [np.asarray(c)[rows] for c in columns],
            None if fids is None else np.asarray(fids)[rows])


def _kinds(wkb: np.ndarray, text: np.ndarray | None) -> np.ndarray:
    types = shapely.get_type_id(shapely.from_wkb(wkb, on_invalid="ignore"))
    kinds = np.array([_KINDS.get(int(t), "other") for t in types], dtype=object)
    if text is not None:
        labelled = ~np.equal(np.asarray(text, dtype=object), None)  # type: ignore[call-overload]  # numpy compares with None elementwise
        kinds[labelled & (kinds == "point")] = "text"
    return kinds


def _cad_layer(path: Path, layers: np.ndarray, kinds: np.ndarray, wanted: np.ndarray,
               name: str | None, target: str | None) -> str:
    """The CAD layer to import: the one named, or the only one holding target entities."""
    holding = sorted(set(layers[wanted].tolist()) - {None})
    if name is not None and name in set(layers.tolist()):
        return name
    if name is None and len(holding) == 1:
        return holding[0]
    listed = _listing(layers, kinds, sorted(set(layers.tolist()) - {None}))
    if name is not None:
        raise InvalidInput(f"{path.name} has no CAD layer {name!r}; its CAD layers: {listed}")
    what = f"{target}s" if target else "entities"
    if not holding:
        raise InvalidInput(f"{path.name} has no {what} on any CAD layer; its CAD layers: {listed}")
    raise InvalidInput(f"{path.name} has {what} on {len(holding)} CAD layers: choose one with "
                       f"--layer NAME: {listed}")


def _listing(layers: np.ndarray, kinds: np.ndarray, names: list[str]) -> str:
    """'地块: 3 polygon, 1 text; 道路: 1 line'."""
    return "; ".join(f"{layer}: " + ", ".join(f"{n} {kind}" for kind, n in sorted(
        Counter(kinds[layers == layer].tolist()).items())) for layer in names)
