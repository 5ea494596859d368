"""Validation of features against their layer: geometry, bounds, types, required fields, code lists.

Checks run column-wise over a batch (an import of a million rows and a single edit in a form
use the same code). Nothing is repaired here: invalid geometry is reported as fixable and the
caller decides whether to apply `make_valid`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from app.model.catalogue import Catalogue, Field, Layer
from app.model.china import in_china, swapped_in_china
from app.model.crs import CHINA_BOUNDS
from app.model.dates import YEARS, is_calendar, parse_calendar

# Geometry types a layer accepts (single parts are promoted to multi on write).
ACCEPTS = {
    "Point": {"Point"},
    "MultiPoint": {"Point", "MultiPoint"},
    "MultiLineString": {"LineString", "MultiLineString"},
    "MultiPolygon": {"Polygon", "MultiPolygon"},
}


@dataclass(frozen=True)
class Problem:
    """One reason a feature is not acceptable, in English and Chinese."""

    code: str  # machine-readable: invalid-geometry, required, codelist, ...
    message: str
    message_zh: str
    field: str | None = None  # None: the geometry or the feature as a whole
    fixable: bool = False  # make_valid can repair it

    def text(self, lang: str = "en") -> str:
        """The message in `lang` (en or zh)."""
        return self.message_zh if lang == "zh" else self.message


Problems = dict[int, list[Problem]]  # row index in the batch -> its problems


def _add(problems: Problems, rows, problem: Problem) -> None:
    for row in np.atleast_1d(rows):
        problems[int(row)].append(problem)


def check_geometries(layer: Layer, geoms: np.ndarray,
                     unreadable: dict[int, Problem] | None = None) -> Problems:
    """Problems of each geometry: missing (or `unreadable[row]`, why a source's geometry could
    not be read), empty, impossible or non-finite coordinates, outside China, type, validity."""
    problems: Problems = defaultdict(list)
    geoms = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(geoms)
    unreadable = unreadable or {}
    for row in np.flatnonzero(missing):
        problems[int(row)].append(unreadable.get(int(row)) or MISSING)
    present = np.flatnonzero(~missing)
    empty = present[shapely.is_empty(geoms[present])]
    _add(problems, empty, Problem("empty-geometry", "geometry is empty", "几何图形为空"))
    rows = np.setdiff1d(present, empty)
    bad = _check_coordinates(geoms, rows, problems)
    rows = np.setdiff1d(rows, bad)
    _check_types(layer, geoms, rows, problems)
    _check_validity(geoms, rows, problems)
    return problems


MISSING = Problem("missing-geometry", "geometry is missing", "缺少几何图形")
IMPOSSIBLE = 1e8  # no CRS has coordinates this large (Gauss-Krüger with zone prefix: < 5e7 m)
EXCEL_CELL = 32_767  # characters in an Excel cell: longer WKT was cut there


def wkb_problem(wkb: bytes) -> Problem:
    """Why GEOS cannot read a source's WKB (GDAL accepts unclosed rings; GEOS does not)."""
    try:
        shapely.from_wkb(wkb)
    except shapely.errors.GEOSException as exc:
        reason = str(exc).split(": ", 1)[-1]
    else:
        return MISSING
    if "closed linestring" in reason:
        return Problem("unclosed-ring", "a polygon ring is not closed (its last point is not its "
                       "first)", "多边形的环未闭合（终点与起点不同）")
    return Problem("unreadable-geometry", f"the geometry cannot be read: {reason}",
                   f"无法读取几何图形：{reason}")


WKT_WORDS = re.compile(r"\s*(MULTI)?(POINT|LINESTRING|POLYGON)|\s*GEOMETRYCOLLECTION", re.I)


def geometry_text_problem(text: str | None, column: str) -> Problem:
    """Why a text (CSV) geometry cell `text` of `column` gave no geometry."""
    text = (text or "").strip()
    if not text:
        return Problem("missing-geometry", f"geometry is missing (column {column} is empty)",
                       f"缺少几何图形（列 {column} 为空）")
    shown = text if len(text) <= 40 else f"{text[:20]}…{text[-12:]}"
    if not WKT_WORDS.match(text):
        return Problem("not-a-geometry", f"column {column} holds {shown!r}, not a geometry (WKT)",
                       f"列 {column} 的值为 {shown!r}，不是几何图形（WKT）")
    if text.count("(") > text.count(")"):
        size = f"{len(text)} characters"
        size_zh = f"共 {len(text)} 个字符"
        if len(text) == EXCEL_CELL:
            size, size_zh = "cut at 32,767 characters, Excel's cell limit", "在 Excel 单元格上限 32767 个字符处被截断"
        return Problem("truncated-wkt", f"the WKT in column {column} is cut short: {shown!r} ends "
                       f"before its closing parenthesis ({size})",
                       f"列 {column} 中的 WKT 不完整：{shown!r} 缺少右括号（{size_zh}）")
    return Problem("bad-wkt", f"column {column} holds invalid WKT: {shown!r}",
                   f"列 {column} 中的 WKT 无效：{shown!r}")


def coordinate_text_problem(texts: dict[str, str | None]) -> Problem:
    """Why x/y (lon/lat) text cells `texts` (column -> cell) gave no point."""
    for column, text in texts.items():
        text = (text or "").strip()
        try:
            ok = math.isfinite(float(text))
        except ValueError:
            ok = False
        if not ok:
            what = "is empty" if not text else f"{text!r} is not a number"
            what_zh = "为空" if not text else f"{text!r} 不是数字"
            return Problem("not-a-number", f"coordinate {column} {what}", f"坐标 {column} {what_zh}")
    return MISSING


def _check_coordinates(geoms: np.ndarray, rows: np.ndarray, problems: Problems) -> np.ndarray:
    """Non-finite, impossible, out-of-bounds and outside-China coordinates; the failed rows."""
    coords, index = shapely.get_coordinates(geoms[rows], return_index=True)
    nonfinite = np.unique(rows[index[~np.isfinite(coords).all(axis=1)]])
    _add(problems, nonfinite, Problem(
        "not-finite", "coordinates contain NaN or infinity", "坐标含有 NaN 或无穷大"))
    ok = np.setdiff1d(rows, nonfinite)
    bounds = shapely.bounds(geoms[ok]) if len(ok) else np.empty((0, 4))
    x0, y0, x1, y1 = CHINA_BOUNDS
    outside = ok[(bounds[:, 0] < x0) | (bounds[:, 1] < y0) | (bounds[:, 2] > x1) | (bounds[:, 3] > y1)]
    for row in outside:
        problems[int(row)].append(_out_of_bounds(geoms[row]))
    inside = np.setdiff1d(ok, outside)
    far = inside[~in_china(geoms[inside])] if len(inside) else inside
    for row in far:
        x, y = shapely.get_coordinates(geoms[row])[0]
        problems[int(row)].append(Problem(
            "outside-china", f"coordinates ({x:.6g}, {y:.6g}) are far outside China (over "
            "100 km from its outline)", f"坐标 ({x:.6g}, {y:.6g}) 远在中国境外（距国界轮廓 100 公里以上）"))
    return np.union1d(nonfinite, np.union1d(outside, far))


def _out_of_bounds(geom) -> Problem:
    """The problem of a geometry outside China's lon/lat box, with what it most likely is."""
    b = shapely.bounds(geom)
    where = f"({b[0]:.6g}, {b[1]:.6g}) – ({b[2]:.6g}, {b[3]:.6g})"
    largest = float(np.abs(shapely.get_coordinates(geom)).max())
    if largest >= IMPOSSIBLE:
        return Problem("impossible-coordinate",
                       f"coordinate {largest:.6g} is impossible in any coordinate system (a "
                       "placeholder or a broken value)",
                       f"坐标值 {largest:.6g} 在任何坐标系中都不可能出现（占位值或损坏的数值）")
    hint = hint_zh = ""
    if largest > 1000:
        hint = "; they look projected (metres): give the source CRS, e.g. EPSG:4549"
        hint_zh = "；看起来是投影坐标（米），请指定源坐标系，如 EPSG:4549"
    elif swapped_in_china(geom):
        hint = "; latitude and longitude look swapped (x must be the longitude)"
        hint_zh = "；经纬度似乎颠倒了（x 应为经度）"
    return Problem("out-of-bounds",
                   f"coordinates {where} are outside CGCS2000 lon/lat of China{hint}",
                   f"坐标 {where} 超出中国范围的 CGCS2000 经纬度{hint_zh}")


def _check_types(layer: Layer, geoms: np.ndarray, rows: np.ndarray, problems: Problems) -> None:
    accepted = ACCEPTS[layer.geometry]
    types = shapely.get_type_id(geoms[rows])
    names = np.array(["Point", "LineString", "LinearRing", "Polygon", "MultiPoint",
                      "MultiLineString", "MultiPolygon", "GeometryCollection"], dtype=object)
    for row, name in zip(rows, names[types], strict=True):
        if name not in accepted:
            _add(problems, row, Problem(
                "wrong-geometry-type", f"{name} geometry in a {layer.geometry} layer",
                f"{layer.name_zh}图层需要{layer.geometry}，实际为{name}"))


def _check_validity(geoms: np.ndarray, rows: np.ndarray, problems: Problems) -> None:
    invalid = rows[~shapely.is_valid(geoms[rows])]
    for row in invalid:
        reason = shapely.is_valid_reason(geoms[row])
        _add(problems, row, Problem(
            "invalid-geometry", f"invalid geometry: {reason} (make_valid can repair it)",
            f"几何图形无效：{reason}（可用 make_valid 修复）", fixable=True))


def _is_null(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def coerce(field: Field, value):
    """`value` converted to the field's type; ValueError when it cannot be."""
    if _is_null(value):
        return None
    if is_calendar(field):
        return parse_calendar(field, value)
    if field.type == "text":
        return value if isinstance(value, str) else _text(value)
    if field.type == "integer":
        return _integer(value)
    if field.type == "real":
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("not a finite number")
        return number
    raise TypeError(f"unknown field type {field.type}")


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # codes read as numbers from CSV or DBF
    return str(value)


def _integer(value) -> int:
    if isinstance(value, bool):
        raise ValueError("not an integer")
    number = float(value)
    if not number.is_integer():
        raise ValueError("not an integer")
    return int(number)


def prepare_columns(layer: Layer, catalogue: Catalogue, columns: dict[str, list],
                    n: int) -> tuple[dict[str, list], Problems]:
    """Coerce and check attribute columns (field name -> n values); absent fields count as null."""
    problems: Problems = defaultdict(list)
    out: dict[str, list] = {}
    for field in layer.fields:
        values = columns.get(field.name)
        out[field.name] = _prepare_column(field, catalogue, values, n, problems)
    return out, problems


def _prepare_column(field: Field, catalogue: Catalogue, values, n: int, problems: Problems) -> list:
    if values is None:
        coerced = [field.default] * n  # an absent column: the default, checked once
        if field.required and not field.derived and field.default is None:
            _check_required(field, coerced, problems)
        return coerced
    coerced = []
    fast = None if is_calendar(field) else _FAST_TYPES.get(field.type)
    kind, kind_zh = ("year", "年份") if field.format == "year" else (field.type, _TYPE_ZH[field.type])
    for row, value in enumerate(values):
        if type(value) is fast and value != "" and (not isinstance(value, float) or math.isfinite(value)):
            coerced.append(value)
            continue
        try:
            value = coerce(field, value)
        except (ValueError, TypeError, OverflowError):
            _add(problems, row, Problem(
                "type", f"{field.name}: {value!r} is not a valid {kind}{_RANGE.get(kind, '')}",
                f"{field.label_zh}（{field.name}）：{value!r} 不是有效的{kind_zh}{_RANGE_ZH.get(kind, '')}",
                field.name))
            value = None
        coerced.append(field.default if value is None else value)
    _check_required(field, coerced, problems)
    _check_length(field, coerced, problems)
    _check_codelist(field, catalogue, coerced, problems)
    return coerced


_FAST_TYPES = {"text": str, "integer": int, "real": float}  # values needing no conversion
_TYPE_ZH = {"text": "文本", "integer": "整数", "real": "数值", "date": "日期"}
_RANGE = {"year": f" ({YEARS.start}–{YEARS.stop - 1})", "date": f" (YYYY-MM-DD, {YEARS.start}–{YEARS.stop - 1})"}
_RANGE_ZH = {"year": f"（{YEARS.start}–{YEARS.stop - 1}）", "date": f"（年-月-日，{YEARS.start}–{YEARS.stop - 1}）"}


def _check_required(field: Field, values: list, problems: Problems) -> None:
    if not field.required or field.derived:
        return
    for row in (i for i, v in enumerate(values) if v is None):
        _add(problems, row, Problem(
            "required", f"{field.name} ({field.label_en}) is required",
            f"{field.label_zh}（{field.name}）为必填项", field.name))


def _check_length(field: Field, values: list, problems: Problems) -> None:
    if field.type != "text" or not field.length:
        return
    for row in (i for i, v in enumerate(values) if v is not None and len(v) > field.length):
        _add(problems, row, Problem(
            "too-long", f"{field.name}: longer than {field.length} characters",
            f"{field.label_zh}（{field.name}）：超过 {field.length} 个字符", field.name))


def _check_codelist(field: Field, catalogue: Catalogue, values: list, problems: Problems) -> None:
    if not field.codelist:
        return
    codes = catalogue.codelist(field.codelist).codes
    for row in (i for i, v in enumerate(values) if v is not None and v not in codes):
        _add(problems, row, Problem(
            "codelist", f"{field.name}: {values[row]!r} is not a code of {field.codelist}",
            f"{field.label_zh}（{field.name}）：{values[row]!r} 不在代码表 {field.codelist} 中", field.name))


def unknown_fields(layer: Layer, attrs: dict) -> list[Problem]:
    """Problems for attribute names the layer does not have."""
    known = {name.upper() for name in layer.field_names}
    return [Problem("unknown-field", f"layer {layer.code} has no field {name!r}",
                    f"图层 {layer.code} 没有字段 {name!r}", name)
            for name in attrs if name.upper() not in known]


def validate_feature(layer: Layer, catalogue: Catalogue, attrs: dict,
                     geom: BaseGeometry | None) -> tuple[dict, list[Problem]]:
    """One feature's coerced attributes and all its problems (empty when acceptable)."""
    problems = unknown_fields(layer, attrs)
    upper = {k.upper(): v for k, v in attrs.items()}
    columns = {f.name: [upper.get(f.name.upper())] for f in layer.fields if f.name.upper() in upper}
    coerced, attr_problems = prepare_columns(layer, catalogue, columns, 1)
    geom_problems = check_geometries(layer, np.array([geom], dtype=object))
    problems += attr_problems.get(0, []) + geom_problems.get(0, [])
    return {k: v[0] for k, v in coerced.items()}, problems


# Code formats the catalogue's notes give: XZQDM is a GB/T 2260 county code (6 digits), extended
# to 9 or 12 digits below county level.
FORMATS = {"XZQDM": (re.compile(r"\d{6}(\d{3}){0,2}"), "6, 9 or 12 digits", "6、9 或 12 位数字")}
IDENTIFIERS = ("BSM",)  # 标识码: no two features of a layer may share one


def check_record(layer: Layer, catalogue: Catalogue, attrs: dict) -> list[Problem]:
    """Checks across one feature's fields that column checks cannot make: code formats, and a
    code-list code against its paired name (0805 with 工业用地)."""
    problems = []
    for field in layer.fields:
        value = attrs.get(field.name)
        rule = FORMATS.get(field.name.upper())
        if rule and isinstance(value, str) and value and not rule[0].fullmatch(value):
            problems.append(Problem("format", f"{field.name} ({field.label_en}): {value!r} must be {rule[1]}",
                                    f"{field.label_zh}（{field.name}）：{value!r} 应为{rule[2]}", field.name))
        partner = layer.paired_name(field.name) if field.codelist else None
        if partner:
            problems += _check_pair(field, layer.field(partner), catalogue, value, attrs.get(partner))
    return problems


def _check_pair(code_field: Field, name_field: Field, catalogue: Catalogue, code, name) -> list[Problem]:
    names = catalogue.codelist(code_field.codelist).codes.get(code)  # type: ignore[arg-type]  # a code-list field has its list
    if names is None or _is_null(name) or name in names:
        return []  # an unknown code is the code list check's business
    return [Problem("code-name", f"{name_field.name}: {name!r} is not the name of {code_field.name} {code} "
                                 f"({names[0]} / {names[1]})",
                    f"{name_field.label_zh}（{name_field.name}）：{name!r} 与{code_field.label_zh} {code}"
                    f"（{names[0]}）不符", name_field.name)]


def check_unique(layer: Layer, attrs: dict, taken) -> list[Problem]:
    """Identifier fields (BSM and the layer's unique fields) whose value `taken(field, value)`
    says another feature of the layer already has."""
    problems = []
    for name in (*IDENTIFIERS, *layer.unique):
        value = attrs.get(name)
        if name in layer.field_names and not _is_null(value) and taken(name, value):
            field = layer.field(name)
            problems.append(Problem("duplicate", f"{name} ({field.label_en}) {value!r} is already used in this layer",
                                    f"{field.label_zh}（{name}）{value!r} 在本图层中已被使用", name))
    return problems


def duplicates(values: list) -> list[int]:
    """Rows of a column whose (non-null) value occurs more than once in it: a batch's own
    identifier clashes, for checks where the layer's other values are at hand."""
    seen: dict[object, list[int]] = defaultdict(list)
    for row, value in enumerate(values):
        if not _is_null(value):
            seen[value].append(row)
    return sorted(row for rows in seen.values() if len(rows) > 1 for row in rows)
