"""Build the layer catalogue `schemas/layers.json` (coplan.catalogue/v1) from the reference data.

Usage: python -m schemas.tools.build_catalogue [--reference DIR] [--out FILE]

Inputs: planning_db_layers_draft.json, layer_schemas/*.feature.schema.json (cross-check only),
landuse_seause_classification_2023.json, plus the CoPlan-defined layers, codelists and styles below;
the national layers the reference names without fields are defined in name_only.py, the shared
field rules in catalogue_fields.py. The output is deterministic: the same reference gives the
same bytes.
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path

from schemas.tools.catalogue_fields import (
    FIELD_EN,
    TYPES,
    approval_date,
    area_field,
    fix_ysdm,
    join_notes,
    known_ysdm,
    length_field,
    make_field,
    remarks_field,
)
from schemas.tools.name_only import NAME_ONLY, name_only_layers

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REFERENCE = REPO_ROOT.parent / "shared" / "reference"
DEFAULT_OUT = REPO_ROOT / "schemas" / "layers.json"

FORMAT = "coplan.catalogue/v1"
VERSION = "2026.12.1"
CRS = "EPSG:4490"
DRAFT = "planning_db_layers_draft.json"
YDYH = "landuse_seause_classification_2023.json"
# The app's system columns and geometry column; no catalogue field may shadow them.
RESERVED = {
    "fid", "uuid", "owner", "created_by", "created_at", "modified_by", "modified_at", "geom",
}
JSON_TYPES = {"string": "text", "integer": "integer", "number": "real"}
# Only the geometry's own area: TBDLMJ/YJJBNTMJ are net areas after deductions, not derivable.
AREA_FIELDS = {"MJ", "TBMJ"}

CATEGORIES = [
    ("base", "基础", "Base"),
    ("evaluation", "双评价", "Suitability evaluation"),
    ("current", "现状", "Current state"),
    ("control", "三区三线与控制线", "Zones and control lines"),
    ("plan", "规划", "Plan"),
    ("metro", "都市圈协同", "Metro coordination"),
    ("projects", "项目库", "Project library"),
]
# Layer-tree order: category by category, layers in the order listed here.
LAYER_ORDER = {
    "base": ["XZQ", "XZQJX", "SY"],
    "evaluation": ["STZYXPJ", "NYSYXPJ", "CZSYXPJ"],
    "current": ["XZYDYH"],
    "control": ["ZTGNQ", "STBHHX", "YJJBNTBHTB", "CZKFBJ", "ZRBHD", "SD", "HHAX", "HAX", "KCZYKZX",
                "HLFXKZX", "LSWHBHX", "GHFQ"],
    "plan": ["GHYDYH", "CSLX", "CSLVX", "CSZX", "CSHX", "LSWHJQ"],
    "metro": ["DSQ_ZLXTQ", "HZSFQ", "KJCZQ", "QYFZLD", "STLD", "LD", "LW"],
    "projects": ["XMK_POINT", "XMK_LINE", "XMK_POLYGON"],
}
# Names cleaned for the layer tree; the reference's name is kept in status_note.
NAME_FIXES = {
    "GHYDYH": ("规划用地用海", "Planned land & sea use"),
    "XZYDYH": ("现状用地用海", "Current land & sea use"),
}
# The draft gives QYFZLD a choice of geometry; CoPlan draws corridor axes.
GEOMETRY_FIXES = {"QYFZLD": "MultiLineString"}
XMK_SPLIT = [
    ("XMK_POINT", "Point", "项目库（点）", "Project library (points)"),
    ("XMK_LINE", "MultiLineString", "项目库（线）", "Project library (lines)"),
    ("XMK_POLYGON", "MultiPolygon", "项目库（面）", "Project library (polygons)"),
]

YDYH_REF = "ref:" + YDYH
# Wetland classes: level-1 class 05 湿地 of the 2023 land/sea-use classification and its children.
WETLAND_PREFIX = "05"
# English names of codes the reference gives in Chinese only (CoPlan's, unofficial).
CODE_EN = {
    "城镇集中建设区": "Concentrated urban construction zone",
    "城镇弹性发展区": "Flexible urban development zone",
    "特别用途区": "Special-use zone",
    "规划": "Planned", "前期": "Preparation", "在建": "Under construction", "建成": "Completed",
}
CODELIST_META = {
    "CZKFBJLX": ("城镇开发边界类型", "Development boundary zone type", "R",
                 "sub-zone names from 《城镇开发边界划定指南》 (reference draft, CZKFBJ); the numeric "
                 "codes 01–03 are placeholders; English names by CoPlan, unofficial"),
    "JSZT": ("建设状态", "Construction status", "app",
             "app-defined (reference draft, XMK.JSZT); English names by CoPlan"),
}
APP_CODELISTS = {
    "XMLX": ("项目类型", "Project type",
             "the 8 system actions of the metro plan; codes from the draft's XMK.XMLX note",
             [("JT", "交通", "Transport"), ("LW", "蓝网", "Blue ways"), ("ST", "生态", "Ecology"),
              ("SZ", "市政", "Municipal infrastructure"), ("LD", "绿道", "Greenways"),
              ("WL", "文旅", "Culture & tourism"), ("CY", "产业", "Industry"),
              ("JZ", "机制", "Mechanism")]),
    "XZQJB": ("行政区级别", "Administrative level",
              "level of an administrative division, for the metro app (reference XZQ app_note)",
              [("city", "市", "City"), ("county", "县", "County"), ("township", "乡镇", "Township")]),
}

# catalogue_39 names that the defined layers cover; every other name is listed as planned.
COVERED = {
    "行政区(市/县/乡)": "XZQ", "行政区界线": "XZQJX", "现状用地用海": "XZYDYH",
    "生态保护红线": "STBHHX", "永久基本农田": "YJJBNTBHTB", "城镇开发边界": "CZKFBJ",
    "历史文化保护线": "LSWHBHX", "洪涝风险控制线": "HLFXKZX", "规划分区": "GHFQ",
    "规划用地用海(中心城区)": "GHYDYH", "城市蓝线": "CSLX", "城市绿线": "CSLVX",
    "城市紫线": "CSZX", "城市黄线": "CSHX", "历史文化街区": "LSWHJQ",
    **{entry[3]: entry[0] for entry in NAME_ONLY},
}
PLANNED_EN = {
    "城区范围/城区实体地域": "Urban area / urban physical extent",
    "生态保护重要性评价结果": "Ecological protection importance (evaluation result)",
    "农业生产适宜性评价结果": "Agricultural production suitability (evaluation result)",
    "城镇建设适宜性评价结果": "Urban construction suitability (evaluation result)",
    "生态系统服务功能重要性分布": "Ecosystem service importance",
    "生态脆弱性分布": "Ecological vulnerability",
    "现状自然保护地分布": "Current protected natural areas",
    "现状历史文化遗存分布": "Current historic & cultural heritage",
    "现状自然灾害风险分布": "Current natural hazard risk",
    "主体功能分区": "Major function zones", "生态空间": "Ecological space",
    "农业空间": "Agricultural space", "城镇空间": "Urban space",
    "天然林/生态公益林": "Natural forest / ecological public-welfare forest",
    "湿地": "Wetlands", "基本草原": "Basic grassland", "河湖岸线": "River and lake shorelines",
    "海岸线": "Coastline", "矿产资源控制线": "Mineral resources control line",
    "生态系统(面)/生态廊道": "Ecosystems (areas) / ecological corridors",
    "自然保护地": "Protected natural areas",
    "综合交通(铁路/公路/轨交/港口/机场)": "Integrated transport (rail, road, transit, ports, airports)",
    "给水": "Water supply", "排水": "Drainage", "电力": "Electric power", "燃气": "Gas",
    "通信": "Telecommunications", "环卫": "Sanitation", "综合管廊": "Utility tunnels",
    "防灾减灾(应急避难场所)": "Disaster prevention (emergency shelters)",
}
PLANNED_NOTE = (
    "not yet defined in CoPlan: the reference gives no field definitions. Reference note: "
)


def _style(stroke, width, fill=None, opacity=0.0, dash=None, label=None, z=0, marker=None, size=0):
    """One style entry; fill_opacity is 0 whenever there is no fill."""
    return {"stroke": stroke, "stroke_width": width, "fill": fill,
            "fill_opacity": opacity if fill else 0.0, "dash": dash, "marker": marker,
            "marker_size": size, "label_field": label, "z": z}


# Chinese planning cartography: z 1-49 polygons, 50-79 lines, 80+ points.
STYLES = {
    "XZQ": _style("#6E6E6E", 0.8, "#F7F4EC", 0.2, label="XZQMC", z=1),
    "SY": _style("#4A90C2", 0.6, "#A6CEE3", 0.8, label="MC", z=5),
    "STZYXPJ": _style("#558B2F", 0.3, "#AED581", 0.45, label="PJJG", z=6),
    "NYSYXPJ": _style("#9E9D24", 0.3, "#E6EE9C", 0.45, label="PJJG", z=7),
    "CZSYXPJ": _style("#D84315", 0.3, "#FFAB91", 0.45, label="PJJG", z=8),
    "ZTGNQ": _style("#5D4037", 0.8, "#D7CCC8", 0.2, label="ZTGNQLX", z=14),
    "SD": _style("#00838F", 0.6, "#80DEEA", 0.45, label="YDYHFLMC", z=21),
    "KCZYKZX": _style("#6D4C41", 1.0, "#BCAAA4", 0.3, [5, 2], None, 23),
    "ZRBHD": _style("#1B5E20", 1.2, "#A5D6A7", 0.3, [8, 2], "MC", 28),
    "XZYDYH": _style("#B0B0B0", 0.3, "#E8E2C8", 0.5, label="YDYHFLDM", z=10),
    "GHYDYH": _style("#9E9E9E", 0.3, "#FFD8A8", 0.5, label="YDYHFLDM", z=12),
    "GHFQ": _style("#8C8C8C", 0.6, "#FFE0B2", 0.25, label="GHFQMC", z=15),
    "DSQ_ZLXTQ": _style("#3949AB", 2.0, "#9FA8DA", 0.15, [10, 4], "ZQMC", 17),
    "HZSFQ": _style("#00897B", 1.5, "#80CBC4", 0.2, [6, 3], "SFQMC", 18),
    "KJCZQ": _style("#EF6C00", 1.2, "#FFCC80", 0.2, [4, 3], "CZQMC", 19),
    "STLD": _style("#388E3C", 0.8, "#81C784", 0.4, label="LDMC", z=20),
    "YJJBNTBHTB": _style("#9E9D24", 0.6, "#E6E08A", 0.45, label=None, z=22),
    "HLFXKZX": _style("#0277BD", 1.0, "#81D4FA", 0.2, [4, 2], None, 24),
    "LSWHBHX": _style("#8D5524", 1.2, "#D7A86E", 0.3, [6, 2], "MC", 26),
    "STBHHX": _style("#2E7D32", 1.2, "#66BB6A", 0.35, label="HXMC", z=30),
    "CSLVX": _style("#43A047", 1.5, "#A5D6A7", 0.3, label="MC", z=32),
    "CSLX": _style("#1565C0", 1.5, "#64B5F6", 0.3, label="MC", z=33),
    "CSHX": _style("#F9A825", 1.5, "#FFF176", 0.35, label="SSLX", z=34),
    "CSZX": _style("#6A1B9A", 1.5, "#CE93D8", 0.3, label="MC", z=35),
    "LSWHJQ": _style("#A0522D", 1.2, "#F4A460", 0.35, label="JQMC", z=36),
    "XMK_POLYGON": _style("#E65100", 1.5, "#FFAB91", 0.3, label="XMMC", z=40),
    "CZKFBJ": _style("#C2185B", 2.0, None, 0.0, [8, 3], None, 45),
    "XZQJX": _style("#4D4D4D", 1.5, dash=[6, 2, 1, 2], z=50),
    "QYFZLD": _style("#C2185B", 3.5, label="LDMC", z=55),
    "HAX": _style("#01579B", 1.8, label="AXLX", z=56),
    "HHAX": _style("#0288D1", 1.2, dash=[4, 2], z=58),
    "LW": _style("#0288D1", 2.5, label="LWMC", z=60),
    "LD": _style("#7CB342", 2.5, dash=[6, 2], label="LDMC", z=62),
    "XMK_LINE": _style("#D84315", 3.0, label="XMMC", z=70),
    "XMK_POINT": _style("#B71C1C", 1.0, label="XMMC", z=90, marker="circle", size=8),
}


def _app_layer(code, names, category, geometry, note, fields):
    """A layer CoPlan defines itself (no national spec)."""
    return {"code": code, "name_zh": names[0], "name_en": names[1], "category": category,
            "geometry": geometry, "ysdm": None, "status": "app", "status_note": note,
            "schematic": False, "fields": fields, "style": copy.deepcopy(STYLES[code])}


def _water_bodies() -> dict:
    """SY: lakes and rivers drawn for orientation (Taihu and the like)."""
    return _app_layer("SY", ("水域", "Water bodies"), "base", "MultiPolygon",
                      "app-defined: lakes and rivers for orientation (e.g. Taihu, Natural Earth)",
                      [make_field("MC", "名称", "Name", "text", 100, True), area_field(),
                       remarks_field()])


def _ecological_corridors() -> dict:
    """STLD: regional ecological corridors as areas."""
    return _app_layer("STLD", ("生态廊道", "Ecological corridor"), "metro", "MultiPolygon",
                      "app-defined: regional ecological corridors of the metro plan",
                      [make_field("LDBM", "廊道编码", "Corridor code", "text", 20, True),
                       make_field("LDMC", "廊道名称", "Corridor name", "text", 100, True),
                       area_field(), remarks_field()])


def _greenways() -> dict:
    """LD: regional greenways (system action 绿道)."""
    grade_note = "free text, e.g. 区域级/城市级/社区级 [R: levels of the 2016 绿道规划设计导则, unverified]"
    return _app_layer("LD", ("区域绿道", "Regional greenway"), "metro", "MultiLineString",
                      "app-defined: regional greenways (绿道网络行动)",
                      [make_field("LDBM", "绿道编码", "Greenway code", "text", 20, True),
                       make_field("LDMC", "绿道名称", "Greenway name", "text", 100, True),
                       make_field("DJ", "等级", "Grade", "text", 20, note=grade_note),
                       length_field(), remarks_field()])


def _blue_ways() -> dict:
    """LW: blue ways (system action 蓝网)."""
    return _app_layer("LW", ("蓝道", "Blue way"), "metro", "MultiLineString",
                      "app-defined: blue ways (蓝道纵横行动)",
                      [make_field("LWBM", "蓝道编码", "Blue way code", "text", 20, True),
                       make_field("LWMC", "蓝道名称", "Blue way name", "text", 100, True),
                       length_field(), remarks_field()])


def app_layers() -> list[dict]:
    """The layers CoPlan adds for the metro plan (fresh dicts on every call)."""
    return [_water_bodies(), _ecological_corridors(), _greenways(), _blue_ways()]


def _load(path: Path) -> dict:
    """Read one JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def feature_schemas(folder: Path) -> dict[str, dict]:
    """The per-layer feature schemas, keyed by layer code."""
    suffix = ".feature.schema.json"
    return {p.name.removesuffix(suffix): _load(p) for p in sorted(folder.glob("*" + suffix))}


def _schema_diffs(raw: dict, prop: dict | None, required: set[str]) -> list[str]:
    """How the feature schema's property differs from the draft's field."""
    if prop is None:
        return ["missing"]
    diffs = []
    if JSON_TYPES[prop["type"]] != TYPES[raw["type"]]:
        diffs.append(f"type {prop['type']}")
    if prop.get("maxLength") != raw.get("length"):
        diffs.append(f"length {prop.get('maxLength')} (draft {raw.get('length')})")
    if prop.get("title") != raw["alias_zh"]:
        diffs.append(f"title {prop.get('title')}")
    if prop.get("description") != raw.get("note"):
        diffs.append("description")
    if (raw["name"] in required) != (raw["required"] == "M"):
        diffs.append("required" if raw["name"] in required else "optional")
    return diffs


def _cross_check(raw: dict, schema: dict, layer: str) -> str | None:
    """A note on where layer_schemas/ disagrees with the draft (the draft is kept)."""
    props = schema["properties"]["properties"]
    diffs = _schema_diffs(raw, props["properties"].get(raw["name"]), set(props["required"]))
    if not diffs:
        return None
    return f"layer_schemas/{layer}.feature.schema.json differs: {', '.join(diffs)}; draft kept"


def reference_field(raw: dict, schema: dict, layer: str) -> dict:
    """Convert one draft field (Char/Int/Float, M/O) to a catalogue field."""
    field = make_field(raw["name"], raw["alias_zh"], FIELD_EN[raw["name"]], TYPES[raw["type"]],
                       raw.get("length"), raw["required"] == "M", raw.get("note"))
    field["note"] = join_notes(field["note"], _cross_check(raw, schema, layer))
    return field


def _fix_field(field: dict, raw_layer: dict, geometry: str) -> None:
    """Layer-dependent field rules: YSDM default, derived area."""
    if field["name"] == "YSDM":
        fix_ysdm(field, raw_layer)
    if field["name"] in AREA_FIELDS and geometry == "MultiPolygon":
        field["derived"] = "area_m2"


def _before_remarks(fields: list[dict], extra: list[dict]) -> list[dict]:
    """Insert `extra` before a trailing BZ (remarks stay last)."""
    if fields and fields[-1]["name"] == "BZ":
        return fields[:-1] + extra + fields[-1:]
    return fields + extra


def _xzq_extras() -> list[dict]:
    """JB and SFDM, which the draft's XZQ app_note asks the metro app to keep."""
    return [
        make_field("JB", "级别", "Level", "text", 10,
                   note="city/county/township (reference XZQ app_note)"),
        make_field("SFDM", "省份代码", "Province code", "text", 6,
                   note="GB/T 2260 6-digit province code (reference XZQ app_note)"),
    ]


def _extra_fields(code: str, geometry: str) -> list[dict]:
    """Fields CoPlan adds to a reference layer: XZQ extras, CD on lines."""
    extra = _xzq_extras() if code == "XZQ" else []
    if geometry == "MultiLineString":
        extra.append(length_field())
    return extra


def layer_fields(raw: dict, schema: dict, code: str, geometry: str) -> list[dict]:
    """All fields of a reference layer, converted, fixed and extended."""
    fields = [reference_field(f, schema, raw["layer"]) for f in raw["fields"]]
    for field in fields:
        _fix_field(field, raw, geometry)
    _note_ghfq_zones(fields, raw)
    return _with_approval_date(_before_remarks(fields, _extra_fields(code, geometry)))


def _with_approval_date(fields: list[dict]) -> list[dict]:
    """PZRQ right after an approval number PZWH (the reference has the number, not the date)."""
    names = [f["name"] for f in fields]
    if "PZWH" not in names or "PZRQ" in names:
        return fields
    at = names.index("PZWH") + 1
    return fields[:at] + [approval_date()] + fields[at:]


def _note_ghfq_zones(fields: list[dict], raw: dict) -> None:
    """Keep GHFQ's zone names: they have no codes, so they cannot become a codelist."""
    if "codelist_zh" not in raw:
        return
    zones = "; ".join(raw["codelist_zh"])
    source = raw["codelist_source"]
    remark = f"CoPlan: no codelist, the reference names the zones without codes: {zones} ({source})"
    for field in fields:
        if field["name"] == "GHFQDM":
            field["note"] = join_notes(field["note"], remark)


def status_of(raw: dict) -> str:
    """V/S/R/app for a draft layer."""
    # The draft's "verified" means a field name was seen in third-party tool code, i.e. [S];
    # nothing in it was checked against the official spec.
    return "app" if raw["status"].startswith("app-defined") else "S"


def status_note(raw: dict, code: str, geometry: str) -> str:
    """The reference's status texts for a layer, plus what CoPlan changed."""
    notes = [raw["status"]]
    if "ysdm" in raw:
        why = raw.get("ysdm_status") or "no status given"
        notes.append(f"YSDM {raw['ysdm'] or 'unknown'}: {why}")
    if code in NAME_FIXES:
        notes.append(f"reference name: {raw['name_zh']} / {raw['name_en']}")
    if geometry != raw["geometry"]:
        notes.append(f"reference geometry: {raw['geometry']}; CoPlan uses {geometry}")
    for key in ("zone_rule", "app_note"):
        if key in raw:
            notes.append(f"{key.replace('_', ' ')} (reference): {raw[key]}")
    return "; ".join(notes)


def reference_layer(raw: dict, schema: dict, code: str, geometry: str, names=None) -> dict:
    """One catalogue layer from a draft layer (XMK is built three times)."""
    name_zh, name_en = names or NAME_FIXES.get(code) or (raw["name_zh"], raw["name_en"])
    return {"code": code, "name_zh": name_zh, "name_en": name_en,
            "category": category_of(code), "geometry": geometry, "ysdm": known_ysdm(raw),
            "status": status_of(raw), "status_note": status_note(raw, code, geometry),
            "schematic": False, "fields": layer_fields(raw, schema, code, geometry),
            "style": copy.deepcopy(STYLES[code])}


def category_of(code: str) -> str:
    """The category a layer code is listed under in LAYER_ORDER."""
    for category, codes in LAYER_ORDER.items():
        if code in codes:
            return category
    raise KeyError(f"layer {code} has no category in LAYER_ORDER")


def reference_layers(draft: dict, schemas: dict[str, dict]) -> list[dict]:
    """All draft layers (national + metro), each cross-checked against its feature schema."""
    raws = draft["national_layers"] + draft["metro_app_layers"]
    if sorted(r["layer"] for r in raws) != sorted(schemas):
        raise ValueError("the draft's layers and layer_schemas/ do not match")
    layers = []
    for raw in raws:
        code, schema = raw["layer"], schemas[raw["layer"]]
        if code == "XMK":
            layers += [reference_layer(raw, schema, c, g, (zh, en)) for c, g, zh, en in XMK_SPLIT]
        else:
            geometry = GEOMETRY_FIXES.get(code, raw["geometry"])
            layers.append(reference_layer(raw, schema, code, geometry))
    return layers


def ordered(layers: list[dict]) -> list[dict]:
    """Layers in layer-tree order; every layer must be listed exactly once."""
    by_code = {layer["code"]: layer for layer in layers}
    order = [code for codes in LAYER_ORDER.values() for code in codes]
    if len(by_code) != len(layers) or sorted(by_code) != sorted(order):
        raise ValueError(f"layers {sorted(by_code)} do not match LAYER_ORDER {sorted(order)}")
    return [by_code[code] for code in order]


def _codelist(name_zh, name_en, status, note, codes) -> dict:
    """One codelist entry."""
    return {"name_zh": name_zh, "name_en": name_en, "status": status, "status_note": note,
            "codes": [{"code": c, "name_zh": zh, "name_en": en} for c, zh, en in codes]}


def ydyh_codelist(ydyh: dict) -> dict:
    """YDYH2023: all codes of the 2023 land/sea-use classification, with their provenance."""
    items = ydyh["items"]
    counts = [sum(1 for i in items if i["level"] == level) for level in (1, 2, 3)]
    if counts != [ydyh["counts"][f"level{n}"] for n in (1, 2, 3)]:
        raise ValueError(f"YDYH level counts {counts} disagree with the file's counts")
    note = f"{ydyh['provenance']} Issued: {ydyh['issued']}. Code rule: {ydyh['code_rule']}."
    codes = [(i["code"], i["name_zh"], i["name_en"]) for i in items]
    return _codelist(ydyh["title_zh"], ydyh["title_en"], "S", note, codes)


def _field_codes(raw_codelist: list) -> list[tuple[str, str, str]]:
    """Codes of a codelist given on a draft field: [{code, zh}] or plain strings."""
    codes = []
    for item in raw_codelist:
        code, zh = (item["code"], item["zh"]) if isinstance(item, dict) else (item, item)
        codes.append((code, zh, CODE_EN[zh]))
    return codes


def field_codelists(draft: dict) -> dict[str, dict]:
    """Codelists given as arrays on draft fields, keyed after the field."""
    found = {}
    for layer in draft["national_layers"] + draft["metro_app_layers"]:
        for field in layer["fields"]:
            raw = field.get("codelist")
            if isinstance(raw, list):
                found[field["name"]] = _codelist(*CODELIST_META[field["name"]], _field_codes(raw))
            elif raw is not None and raw != YDYH_REF:
                raise ValueError(f"unknown codelist reference {raw!r} on {field['name']}")
    return found


def wetland_codelist(ydyh: dict) -> dict:
    """SD2023: class 05 湿地 of the 2023 classification and its children."""
    items = [i for i in ydyh["items"] if i["code"].startswith(WETLAND_PREFIX)]
    note = (f"the part of YDYH2023 under {WETLAND_PREFIX} 湿地, for the wetland layer SD; "
            f"provenance as YDYH2023: {ydyh['provenance']}")
    codes = [(i["code"], i["name_zh"], i["name_en"]) for i in items]
    return _codelist("湿地分类（用地用海分类 05）", "Wetland classes (land/sea use class 05)", "S",
                     note, codes)


def codelists(draft: dict, ydyh: dict) -> dict[str, dict]:
    """All codelists: YDYH2023 (and its wetland part), those on draft fields, and CoPlan's own."""
    result = {"YDYH2023": ydyh_codelist(ydyh), "SD2023": wetland_codelist(ydyh),
              **field_codelists(draft)}
    for key, (name_zh, name_en, note, codes) in APP_CODELISTS.items():
        result[key] = _codelist(name_zh, name_en, "app", note, codes)
    return result


def planned(draft: dict) -> list[dict]:
    """catalogue_39 names without field definitions, kept as a to-do list."""
    c39 = draft["catalogue_39"]
    names = [(g, n) for g, ns in c39["groups"].items() for n in ns]
    missing = set(COVERED) - {n for _, n in names}
    if missing:
        raise ValueError(f"COVERED names missing from catalogue_39: {sorted(missing)}")
    return [{"name_zh": n, "name_en": PLANNED_EN[n], "group": g, "status": "R",
             "status_note": PLANNED_NOTE + c39["note"]} for g, n in names if n not in COVERED]


def sources(ref: list[dict], own: list[dict], lists: dict, todo: list[dict],
            named: list[dict]) -> list[str]:
    """Where each part of the catalogue comes from."""
    ref_codes = ", ".join(layer["code"] for layer in ref)
    own_codes = ", ".join(layer["code"] for layer in own)
    named_codes = ", ".join(layer["code"] for layer in named)
    return [
        f"{DRAFT}: national_layers and metro_app_layers → {len(ref)} layers ({ref_codes}; "
        f"XMK split by geometry); catalogue_39 → {len(todo)} planned entries "
        "[reasoned draft, see status notes]",
        "layer_schemas/*.feature.schema.json: per-layer feature schemas, used to cross-check the "
        "draft's fields (the draft wins; differences are noted on the field)",
        f"{DRAFT}: catalogue_39 names given without fields → {len(named)} layers ({named_codes}) "
        "with the draft's common_fields only, plus a few fields noted [S]/[R] [status R]",
        f"{YDYH}: codelist YDYH2023 ({len(lists['YDYH2023']['codes'])} codes) and its class 05 "
        f"part SD2023 ({len(lists['SD2023']['codes'])} codes) [S]",
        f"CoPlan (schemas/tools/build_catalogue.py): layers {own_codes}; XZQ fields JB, SFDM; "
        "derived CD/MJ; approval dates PZRQ beside PZWH; years QDNF/WCNF checked as years; "
        "codelists XMLX, XZQJB; English names of JSZT/CZKFBJLX codes; styles",
    ]


def check(catalogue: dict) -> None:
    """Fail on duplicate layer codes or reserved field names (the tests check the rest)."""
    codes = [layer["code"] for layer in catalogue["layers"]]
    if len(codes) != len(set(codes)):
        raise ValueError(f"duplicate layer codes in {codes}")
    for layer in catalogue["layers"]:
        clash = {f["name"] for f in layer["fields"] if f["name"].lower() in RESERVED}
        if clash:
            raise ValueError(f"layer {layer['code']} uses reserved field names {clash}")


def build(reference_dir: Path) -> dict:
    """The whole catalogue, built from the reference folder."""
    ref = Path(reference_dir)
    draft = _load(ref / DRAFT)
    ref_layers = reference_layers(draft, feature_schemas(ref / "layer_schemas"))
    own_layers = app_layers()
    named = [{**layer, "category": category_of(layer["code"]),
              "style": copy.deepcopy(STYLES[layer["code"]])} for layer in name_only_layers(draft)]
    lists = codelists(draft, _load(ref / YDYH))
    todo = planned(draft)
    catalogue = {
        "format": FORMAT, "version": VERSION, "crs": CRS,
        "sources": sources(ref_layers, own_layers, lists, todo, named),
        "categories": [{"code": c, "name_zh": zh, "name_en": en} for c, zh, en in CATEGORIES],
        "codelists": lists, "layers": ordered(ref_layers + own_layers + named), "planned": todo,
    }
    check(catalogue)
    return catalogue


def dumps(catalogue: dict) -> str:
    """The catalogue's canonical text: sorted keys, indent 1, UTF-8 as is, trailing newline."""
    return json.dumps(catalogue, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Command line: build the catalogue and write it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.write_text(dumps(build(args.reference)), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
