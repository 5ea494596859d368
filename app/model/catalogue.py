"""The layer catalogue: standard planning layers, their fields, code lists and default styles.

The catalogue is data (`schemas/layers.json`, format `coplan.catalogue/v1`); this module
turns it into frozen objects. The set of layers is never hard-coded elsewhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import ClassVar

from app.errors import NotFound, ProjectError
from app.model.colours import ColourTable, parse_colour_table, table_for
from app.paths import schemas_dir

FORMAT = "coplan.catalogue/v1"
# Columns every layer table has besides its catalogue fields (lower case; field names are upper).
SYSTEM_COLUMNS = ("fid", "uuid", "owner", "created_by", "created_at", "modified_by", "modified_at")
GEOMETRY_COLUMN = "geom"
GEOMETRY_TYPES = ("Point", "MultiPoint", "MultiLineString", "MultiPolygon")
NO_GEOMETRY = "None"  # a tracked table without geometry (e.g. the plan's text sections)


@dataclass(frozen=True)
class Field:
    """One attribute of a layer, as the national database specs define it."""

    name: str
    label_zh: str
    label_en: str
    type: str  # text | integer | real | date
    length: int | None = None  # characters, for text
    required: bool = False
    codelist: str | None = None
    derived: str | None = None  # area_m2 | length_m: computed from the geometry
    default: object = None
    note: str | None = None
    format: str | None = None  # year: an integer field holding a calendar year

    def label(self, lang: str = "zh") -> str:
        """The field's label in `lang` (zh or en)."""
        return self.label_zh if lang == "zh" else self.label_en


@dataclass(frozen=True)
class Style:
    """Default map style of a layer."""

    stroke: str
    stroke_width: float  # px
    fill: str | None = None
    fill_opacity: float = 0.0
    dash: tuple[float, ...] | None = None
    marker: str | None = None
    marker_size: float = 0.0  # px
    label_field: str | None = None
    z: int = 0  # draw order: lower first


@dataclass(frozen=True)
class Layer:
    """A planning layer: code (also the table name), names, geometry type, fields, style."""

    code: str
    name_zh: str
    name_en: str
    category: str
    geometry: str
    fields: tuple[Field, ...]
    style: Style
    ysdm: str | None = None
    status: str = "app"  # V verified, S seen in sources, R unverified recall, app defined here
    status_note: str | None = None
    schematic: bool = False
    table: str | None = None  # the SQL table when it is not named after the code
    unique: tuple[str, ...] = ()  # fields whose values no two live features may share

    def name(self, lang: str = "zh") -> str:
        """The layer's name in `lang` (zh or en)."""
        return self.name_zh if lang == "zh" else self.name_en

    def field(self, name: str) -> Field:
        """The field called `name` (case-insensitive)."""
        for f in self.fields:
            if f.name.upper() == name.upper():
                return f
        raise NotFound(f"layer {self.code} has no field {name!r}")

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def paired_name(self, name: str) -> str | None:
        """The name field that goes with code-list field `name` (YDYHFLDM -> YDYHFLMC: the
        specs' 代码/名称 pairs end in DM/MC), if the layer has one."""
        field = self.field(name)
        partner = field.name[:-2] + "MC" if field.name.upper().endswith("DM") else None
        return partner if field.codelist and partner in self.field_names else None

    @property
    def dimension(self) -> int:
        """0 for points, 1 for lines, 2 for polygons, -1 for a table without geometry."""
        return {"Point": 0, "MultiPoint": 0, "MultiLineString": 1, "MultiPolygon": 2,
                NO_GEOMETRY: -1}[self.geometry]

    @property
    def spatial(self) -> bool:
        return self.geometry != NO_GEOMETRY

    @property
    def table_name(self) -> str:
        """The SQL table holding the features."""
        return self.table or self.code


@dataclass(frozen=True)
class CodeList:
    """A list of allowed codes for a field, e.g. the 2023 land/sea-use classification."""

    key: str
    name_zh: str
    name_en: str
    codes: dict[str, tuple[str, str]]  # code -> (name_zh, name_en)
    status: str = "app"
    status_note: str | None = None


@dataclass(frozen=True)
class Category:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Catalogue:
    """All layers, categories (in layer-tree order) and code lists of one catalogue version."""

    version: str
    crs: str
    categories: tuple[Category, ...]
    layers: tuple[Layer, ...]
    codelists: dict[str, CodeList] = field(default_factory=dict)
    _by_code: ClassVar[dict[str, Layer]]  # set per instance in __post_init__ (not a field)

    def __post_init__(self) -> None:
        # Looked up once per change when change sets are applied: a dict, not a scan.
        object.__setattr__(self, "_by_code", {layer.code.upper(): layer for layer in self.layers})

    def layer(self, code: str) -> Layer:
        """The layer with `code` (case-insensitive); NotFound lists the known codes."""
        layer = self._by_code.get(str(code).upper())
        if layer is None:
            known = ", ".join(lay.code for lay in self.layers)
            raise NotFound(f"unknown layer {code!r}; known layers: {known}")
        return layer

    def codelist(self, key: str) -> CodeList:
        return self.codelists[key]


def _field(d: dict) -> Field:
    return Field(
        name=d["name"], label_zh=d["label_zh"], label_en=d["label_en"], type=d["type"],
        length=d.get("length"), required=bool(d.get("required")), codelist=d.get("codelist"),
        derived=d.get("derived"), default=d.get("default"), note=d.get("note"),
        format=d.get("format"),
    )


def _style(d: dict) -> Style:
    dash = d.get("dash")
    return Style(
        stroke=d["stroke"], stroke_width=float(d["stroke_width"]), fill=d.get("fill"),
        fill_opacity=float(d.get("fill_opacity") or 0.0), dash=tuple(dash) if dash else None,
        marker=d.get("marker"), marker_size=float(d.get("marker_size") or 0.0),
        label_field=d.get("label_field"), z=int(d.get("z") or 0),
    )


def _layer(d: dict) -> Layer:
    return Layer(
        code=d["code"], name_zh=d["name_zh"], name_en=d["name_en"], category=d["category"],
        geometry=d["geometry"], fields=tuple(_field(f) for f in d["fields"]),
        style=_style(d["style"]), ysdm=d.get("ysdm"), status=d.get("status", "app"),
        status_note=d.get("status_note"), schematic=bool(d.get("schematic")),
    )


def _codelist(key: str, d: dict) -> CodeList:
    codes = {c["code"]: (c["name_zh"], c.get("name_en") or c["name_zh"]) for c in d["codes"]}
    return CodeList(key, d["name_zh"], d.get("name_en", key), codes,
                    d.get("status", "app"), d.get("status_note"))


def parse_catalogue(data: dict) -> Catalogue:
    """Build a Catalogue from its JSON form."""
    if data.get("format") != FORMAT:
        raise ProjectError(f"not a layer catalogue of format {FORMAT}: {data.get('format')!r}")
    return Catalogue(
        version=data["version"], crs=data["crs"],
        categories=tuple(Category(c["code"], c["name_zh"], c["name_en"]) for c in data["categories"]),
        layers=tuple(_layer(d) for d in data["layers"]),
        codelists={k: _codelist(k, v) for k, v in data.get("codelists", {}).items()},
    )


@cache
def load_catalogue(path: Path | None = None) -> Catalogue:
    """The bundled catalogue (or the one at `path`)."""
    path = path or schemas_dir() / "layers.json"
    return parse_catalogue(json.loads(Path(path).read_text(encoding="utf-8")))


@cache
def load_colour_tables(folder: Path | None = None) -> tuple[ColourTable, ...]:
    """The bundled colour tables (schemas/colours/*.json, or those in `folder`), by file name."""
    folder = Path(folder or schemas_dir() / "colours")
    return tuple(parse_colour_table(json.loads(p.read_text(encoding="utf-8")))
                 for p in sorted(folder.glob("*.json")))


def colour_table(layer: str) -> ColourTable | None:
    """The bundled colour table that styles `layer` by attribute, if any."""
    return table_for(load_colour_tables(), layer)
