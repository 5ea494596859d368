"""The wire format `coplan.changeset/v1`: parse and check an untrusted change set.

The JSON Schema in schemas/changeset.v1.schema.json is the contract; this module enforces the
same rules with direct checks (a jsonschema pass costs more than the merge itself on a 10k-change
push) plus what a schema cannot say: known layers and columns, value types, and geometry that
decodes, is finite, lies in CGCS2000 bounds, fits the layer and stays under the vertex cap.
`make_valid` is never run here: a hostile polygon can take seconds to repair.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import shapely

from app.errors import InvalidInput
from app.model.catalogue import GEOMETRY_COLUMN, Catalogue, Layer
from app.model.changes import FORMAT, OPS, Change, ChangeSet
from app.model.crs import CHINA_BOUNDS
from app.model.tables import tracked_layer
from app.model.validation import ACCEPTS, coerce
from app.model.wkbscan import WkbError, hex_bytes, scan_wkb

MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_VERTICES = 200_000  # per feature geometry
MAX_TEXT = 10_000  # characters per attribute value (geometry is bounded by vertices instead)
MAX_CHANGES = 10_000  # per change set; the client cuts bigger commits into parts
MAX_INT = 2**63 - 1  # SQLite INTEGER range
MIN_INT = -(2**63)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PROJECT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
PARTY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
CREATED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SYSTEM_COLS = ("owner", "created_by", "created_at")
HEAD_KEYS = {"format", "id", "project", "party", "author", "created", "base_version", "message",
             "schema_version", "changes"}
OPTIONAL_KEYS = {"forced"}  # a coordinator's commit --force


class ProtocolError(InvalidInput):
    """A change set that breaks the wire format; the message names where."""


def _no_constants(name: str):
    raise ProtocolError(f"{name} is not allowed in a change set")


def loads(body: bytes | str) -> Any:
    """Parse JSON strictly: no NaN/Infinity, bounded size and nesting."""
    if len(body) > MAX_BODY_BYTES:
        raise ProtocolError(f"request body over {MAX_BODY_BYTES // 1024 // 1024} MiB")
    try:
        return json.loads(body, parse_constant=_no_constants)
    except RecursionError as exc:
        raise ProtocolError("JSON nested too deeply") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, ProtocolError):
            raise
        raise ProtocolError(f"malformed JSON: {exc}") from exc


def _require(ok: bool, where: str, what: str) -> None:
    if not ok:
        raise ProtocolError(f"{where}: {what}")


def _check_head(data: dict) -> None:
    _require(isinstance(data, dict), "$", "a change set is a JSON object")
    _require(data.get("format") == FORMAT, "$.format", f"must be {FORMAT!r}")
    missing, extra = HEAD_KEYS - data.keys(), data.keys() - HEAD_KEYS - OPTIONAL_KEYS
    _require(not missing, "$", f"missing {', '.join(sorted(missing))}")
    _require(not extra, "$", f"unknown key(s) {', '.join(sorted(extra))}")
    _require(isinstance(data["id"], str) and bool(UUID.match(data["id"])), "$.id", "not a UUID")
    _require(isinstance(data["project"], str) and bool(PROJECT.match(data["project"])),
             "$.project", "not a project id")
    _require(isinstance(data["party"], str) and bool(PARTY.match(data["party"])), "$.party",
             "not a party code")
    _require(isinstance(data["author"], str) and 0 < len(data["author"]) <= 100
             and _encodable(data["author"]), "$.author", "1–100 characters of valid text")
    _require(isinstance(data["created"], str) and bool(CREATED.match(data["created"])),
             "$.created", "not an ISO 8601 time")
    for key in ("base_version", "schema_version"):
        value = data[key]
        _require(type(value) is int and (0 if key == "base_version" else 1) <= value <= MAX_INT,
                 f"$.{key}", "not a valid version number")
    _require(isinstance(data["message"], str) and len(data["message"]) <= 2000
             and _encodable(data["message"]), "$.message", "at most 2000 characters of valid text")
    _require(type(data.get("forced", False)) is bool, "$.forced", "true or false")
    _require(isinstance(data["changes"], list) and 0 < len(data["changes"]) <= MAX_CHANGES,
             "$.changes", f"a list of 1 to {MAX_CHANGES:,} changes (cut bigger ones into parts)")


def _check_change(raw: Any, where: str, catalogue: Catalogue, batch: list | None = None) -> Change:
    _require(isinstance(raw, dict) and raw.keys() == {"layer", "uuid", "op", "cols"}, where,
             "a change has exactly layer, uuid, op, cols")
    _require(isinstance(raw["layer"], str), f"{where}.layer", "not a layer code")
    try:
        layer = tracked_layer(catalogue, raw["layer"])
    except Exception as exc:
        raise ProtocolError(f"{where}.layer: unknown layer {raw['layer']!r}") from exc
    _require(isinstance(raw["uuid"], str) and bool(UUID.match(raw["uuid"])), f"{where}.uuid",
             "not a UUID")
    _require(raw["op"] in OPS, f"{where}.op", f"one of {', '.join(OPS)}")
    cols = raw["cols"]
    _require(isinstance(cols, dict) and len(cols) > 0, f"{where}.cols", "a non-empty object")
    pairs = {name: _check_pair(layer, name, pair, f"{where}.cols.{name}", batch)
             for name, pair in cols.items()}
    if raw["op"] == "insert":
        # Every column present: a feature's row on the server is the same whatever sent it.
        pairs = {c: pairs.get(c, (None, None)) for c in columns(layer)} | pairs
    change = Change(layer.code, raw["uuid"], raw["op"], pairs)
    check_shape(layer, change, where)
    return change


def columns(layer: Layer) -> list[str]:
    """The columns a change of `layer` may carry, as a replica tracks them."""
    return [*SYSTEM_COLS, *layer.field_names, *([GEOMETRY_COLUMN] if layer.spatial else [])]


def check_shape(layer: Layer, change: Change, where: str) -> None:
    """What every replica needs to apply a change: an insert carries the owner (and geometry,
    in a layer with one); an update never empties them."""
    required = ["owner", *([GEOMETRY_COLUMN] if layer.spatial else [])]
    if change.op == "insert":
        missing = [c for c in required if change.cols.get(c, (None, None))[1] is None]
        _require(not missing, where, f"an insert needs {' and '.join(missing)}")
    elif change.op == "update":
        emptied = [c for c in required if c in change.cols and change.cols[c][1] is None]
        _require(not emptied, where, f"an update cannot remove {' and '.join(emptied)}")


def check_value(layer: Layer, name: str, value: object, where: str) -> object:
    """A checked new value of one column (geometry upper-cased), as for a push."""
    return _check_pair(layer, name, [None, value], where)[1]


def _check_pair(layer: Layer, name: str, pair: Any, where: str, batch: list | None = None) -> tuple:
    _require(isinstance(pair, list) and len(pair) == 2, where, "an [old, new] pair")
    for value in pair:
        _check_scalar(value, where, geometry=name == GEOMETRY_COLUMN)
        _require(name not in SYSTEM_COLS or value is None or isinstance(value, str), where,
                 "a text value or null")
    if name == GEOMETRY_COLUMN:
        _require(layer.spatial, where, f"{layer.code} has no geometry")
        # One spelling of each geometry (2D, the layer's multi type, little-endian ISO WKB,
        # upper-case hex, as a replica stores it), so equal geometries compare equal in the
        # merge and every replica can store what the server accepted.
        if batch is None:
            return tuple(None if v is None else check_geometry(layer, v, where) for v in pair)
        # Scanned now, decoded and checked later for the whole change set at once.
        return tuple(None if v is None else _Pending(layer, _scanned(v, where), where, batch)
                     for v in pair)
    elif name not in SYSTEM_COLS:
        field = next((f for f in layer.fields if f.name == name), None)
        if field is None:
            raise ProtocolError(f"{where}: layer {layer.code} has no column {name}")
        for value in pair:
            try:
                coerce(field, value)
            except (ValueError, TypeError, OverflowError) as exc:
                raise ProtocolError(f"{where}: {value!r} is not a valid {field.type}") from exc
    return pair[0], pair[1]


def _check_scalar(value: object, where: str, *, geometry: bool = False) -> None:
    """A value that SQLite stores as it is: text, a 64-bit integer, a float, or null."""
    _require(value is None or isinstance(value, (str, int, float)) and not isinstance(value, bool),
             where, "values are strings, numbers or null")
    if isinstance(value, str):
        _require(geometry or len(value) <= MAX_TEXT, where, "value too long")
        _require(_encodable(value), where, "text contains invalid Unicode (a lone surrogate or NUL)")
    elif isinstance(value, int):
        _require(MIN_INT <= value <= MAX_INT, where, "integer out of range")


def _encodable(text: str) -> bool:
    """Text every store keeps as it is: valid UTF-8 without NUL (PostgreSQL refuses NUL)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def check_geometry(layer: Layer, wkb_hex: str, where: str) -> str:
    """The geometry in its one spelling; refused when it does not decode, is not finite, lies
    out of bounds, is too big or mistyped."""
    batch: list = []
    pending = _Pending(layer, _scanned(wkb_hex, where), where, batch)
    _check_batch(batch)
    assert pending.value is not None  # _check_batch sets it or raises
    return pending.value


def _scanned(wkb_hex: Any, where: str) -> bytes:
    """The bytes of hex WKB, bounded (nesting, parts, vertices) before GEOS ever sees them."""
    _require(isinstance(wkb_hex, str), where, "geometry must be hex WKB")
    # Up to 64 hex characters per vertex (XYZM) plus headers: refuse huge text before decoding.
    _require(len(wkb_hex) <= MAX_VERTICES * 64 + 65_536, where, f"more than {MAX_VERTICES:,} vertices")
    try:
        raw = hex_bytes(wkb_hex)
        # A deeply nested collection crashes GEOS: the scan refuses it first.
        scan_wkb(raw, max_vertices=MAX_VERTICES, max_parts=MAX_VERTICES)
    except WkbError as exc:
        raise ProtocolError(f"{where}: geometry is not valid WKB: {exc.message}") from exc
    return raw


class _Pending:
    """A scanned geometry waiting for the checks that run on a whole change set at once."""

    __slots__ = ("layer", "raw", "where", "value")

    def __init__(self, layer: Layer, raw: bytes, where: str, batch: list):
        self.layer, self.raw, self.where = layer, raw, where
        self.value: str | None = None  # the normal hex WKB, once _check_batch has run
        batch.append(self)


def _check_batch(batch: list[_Pending]) -> None:
    """Decode, check and normalise every scanned geometry with one vectorised pass each
    (per geometry, GEOS calls cost more than the rest of a push's merge)."""
    if not batch:
        return
    try:
        geoms = shapely.from_wkb(np.array([p.raw for p in batch], dtype=object), on_invalid="ignore")
    except (ValueError, shapely.errors.GEOSException):
        geoms = np.array([_decode_one(p) for p in batch], dtype=object)
    for i in np.flatnonzero(shapely.is_missing(geoms))[:1]:
        raise ProtocolError(f"{batch[i].where}: geometry is not valid WKB")
    _first(batch, shapely.get_num_coordinates(geoms) > MAX_VERTICES, f"more than {MAX_VERTICES:,} vertices")
    kinds = shapely.get_type_id(geoms)
    names = np.array(["Point", "LineString", "LinearRing", "Polygon", "MultiPoint",
                      "MultiLineString", "MultiPolygon", "GeometryCollection"], dtype=object)
    bad = np.array([names[k] not in ACCEPTS[p.layer.geometry] for k, p in zip(kinds, batch, strict=True)])
    for i in np.flatnonzero(bad | shapely.is_empty(geoms))[:1]:
        raise ProtocolError(f"{batch[i].where}: {names[kinds[i]]} geometry in a "
                            f"{batch[i].layer.geometry} layer")
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    x0, y0, x1, y1 = CHINA_BOUNDS
    _first(batch, _any_per(index, ~np.isfinite(coords).all(axis=1), len(batch)),
           "coordinates contain NaN or infinity")
    outside = ~((coords[:, 0] >= x0) & (coords[:, 0] <= x1) & (coords[:, 1] >= y0) & (coords[:, 1] <= y1))
    _first(batch, _any_per(index, outside, len(batch)), "coordinates outside CGCS2000 lon/lat of China")
    for p, geom in zip(batch, geoms, strict=True):
        p.value = normal_wkb(p.layer, geom)


def _decode_one(p: _Pending):
    try:
        return shapely.from_wkb(p.raw)
    except (ValueError, shapely.errors.GEOSException) as exc:
        raise ProtocolError(f"{p.where}: geometry is not valid WKB") from exc


def _any_per(index: np.ndarray, flags: np.ndarray, n: int) -> np.ndarray:
    """For each of n geometries: is any of its coordinates flagged?"""
    return np.bincount(index[flags], minlength=n) > 0


def _first(batch: list[_Pending], bad: np.ndarray, what: str) -> None:
    for i in np.flatnonzero(bad)[:1]:
        raise ProtocolError(f"{batch[i].where}: {what}")


def normal_wkb(layer: Layer, geom) -> str:
    """The hex WKB a replica stores for `geom` in `layer`."""
    if layer.geometry.startswith("Multi") and not geom.geom_type.startswith("Multi"):
        geom = {"Point": shapely.MultiPoint, "LineString": shapely.MultiLineString,
                "Polygon": shapely.MultiPolygon}[geom.geom_type]([geom])
    return shapely.to_wkb(geom, hex=True, output_dimension=2, byte_order=1, flavor="iso").upper()


def _settle(change: Change) -> Change:
    """The change with its checked geometry in place of the scanned one."""
    if GEOMETRY_COLUMN not in change.cols:
        return change
    old, new = change.cols[GEOMETRY_COLUMN]
    change.cols[GEOMETRY_COLUMN] = (old.value if isinstance(old, _Pending) else old,
                                    new.value if isinstance(new, _Pending) else new)
    return change


def parse_changeset(body: bytes | str | dict, catalogue: Catalogue) -> ChangeSet:
    """A checked ChangeSet from an untrusted body; ProtocolError names the first problem."""
    data = loads(body) if isinstance(body, (bytes, str)) else body
    _check_head(data)
    batch: list[_Pending] = []
    changes = tuple(_check_change(c, f"$.changes[{i}]", catalogue, batch)
                    for i, c in enumerate(data["changes"]))
    _check_batch(batch)
    changes = tuple(_settle(c) for c in changes)
    seen = set()
    for i, c in enumerate(changes):
        _require((c.layer, c.uuid) not in seen, f"$.changes[{i}]",
                 f"feature {c.uuid} appears twice in one change set")
        seen.add((c.layer, c.uuid))
    return ChangeSet(data["id"], data["party"], data["author"], data["message"], data["created"],
                     data["base_version"], data["schema_version"], changes, data["project"],
                     data.get("forced", False))
