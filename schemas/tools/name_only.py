"""The national layers the reference names without fields (双评价, 主体功能分区, 湿地, 岸线,
矿产资源控制线, 自然保护地): CoPlan defines them with the draft's common fields and a few fields
whose notes give their provenance; status R. Category and style come from build_catalogue.py."""

from __future__ import annotations

from schemas.tools.catalogue_fields import (
    FIELD_EN,
    TYPES,
    approval_date,
    area_field,
    fix_ysdm,
    length_field,
    make_field,
    recall_note,
    remarks_field,
)

# catalogue_39 names the reference gives without fields, defined by CoPlan with the draft's common
# fields: (code, name_en, geometry, catalogue_39 name, spec section, extra-field builder name).
# Layer codes are CoPlan's: the spec's table names are not in the reference data.
NAME_ONLY = [
    ("STZYXPJ", "Ecological protection importance (evaluation)", "MultiPolygon",
     "生态保护重要性评价结果", "6.2.2", "ecology_grade"),
    ("NYSYXPJ", "Agricultural production suitability (evaluation)", "MultiPolygon",
     "农业生产适宜性评价结果", "6.2.3", "suitability_grade"),
    ("CZSYXPJ", "Urban construction suitability (evaluation)", "MultiPolygon",
     "城镇建设适宜性评价结果", "6.2.4", "suitability_grade"),
    ("ZTGNQ", "Major function zones", "MultiPolygon", "主体功能分区", "6.2.12", "function_zone"),
    ("SD", "Wetlands", "MultiPolygon", "湿地", "6.2.17", "wetland_class"),
    ("HHAX", "River and lake shorelines", "MultiLineString", "河湖岸线", "6.2.19", None),
    ("HAX", "Coastline", "MultiLineString", "海岸线", "6.2.20", "shoreline_type"),
    ("KCZYKZX", "Mineral resources control line", "MultiPolygon", "矿产资源控制线", "6.2.22", None),
    ("ZRBHD", "Protected natural areas", "MultiPolygon", "自然保护地", "6.2.25", "protected_area"),
]
SPEC = "2021 市级国土空间总体规划数据库规范（试行）"


def _grade_field(values: str) -> dict:
    """PJJG of a 双评价 result layer: free text, since the classes are unverified."""
    return make_field("PJJG", "评价结果", "Evaluation result", "text", 20, note=recall_note(
        "the spec's field for the result class is not in the reference data; expected values "
        f"{values} (2020 双评价 guideline, unverified); free text, so no real data is refused"))


def _draft_field(draft: dict, layer: str, name: str, note: str) -> dict:
    """A field defined on another draft layer, reused here with a note saying so."""
    raw = next(f for lay in draft["national_layers"] if lay["layer"] == layer
               for f in lay["fields"] if f["name"] == name)
    return make_field(name, raw["alias_zh"], FIELD_EN[name], TYPES[raw["type"]], raw.get("length"),
                      note=f"[S] defined as the draft's {layer}.{name}; {note}")


def _name_only_extras(kind: str | None, draft: dict) -> list[dict]:
    """The few fields CoPlan adds to a name-only layer, each with its provenance in the note."""
    if kind == "ecology_grade":
        return [_grade_field("极重要/重要/一般")]
    if kind == "suitability_grade":
        return [_grade_field("适宜/一般适宜/不适宜")]
    if kind == "function_zone":
        return [make_field("ZTGNQLX", "主体功能区类型", "Major function zone type", "text", 20,
                           note=recall_note("the spec's field is not in the reference data; e.g. "
                                            "城市化发展区/农产品主产区/重点生态功能区 (unverified); "
                                            "free text"))]
    if kind == "shoreline_type":
        return [make_field("AXLX", "岸线类型", "Shoreline type", "text", 20,
                           note=recall_note("the spec's field is not in the reference data; e.g. "
                                            "自然岸线/人工岸线/其他岸线 (unverified); free text"))]
    if kind == "wetland_class":
        code = _draft_field(draft, "XZYDYH", "YDYHFLDM", "codes limited to class 05 湿地 and its "
                            "children (codelist SD2023); optional here: whether the spec's wetland "
                            "table carries it is not in the reference data [R]")
        code["codelist"] = "SD2023"
        return [code, _draft_field(draft, "XZYDYH", "YDYHFLMC", "the name of YDYHFLDM")]
    if kind == "protected_area":
        unknown = "whether the spec's protected-area table carries it is not in the reference data [R]"
        return [_draft_field(draft, "CSLX", "MC", unknown),
                make_field("ZRBHDLX", "自然保护地类型", "Protected area type", "text", 20,
                           note=recall_note("the spec's field is not in the reference data; e.g. "
                                            "国家公园/自然保护区/自然公园 (2019 指导意见, unverified); "
                                            "free text")),
                _draft_field(draft, "LSWHJQ", "PZWH", unknown), approval_date()]
    return []


def _common_fields(draft: dict) -> list[dict]:
    """The draft's common fields (BSM, YSDM, XZQDM, XZQMC); YSDM optional as the code is unknown."""
    fields = []
    for raw in draft["common_fields"]:
        field = make_field(raw["name"], raw["alias_zh"], FIELD_EN[raw["name"]], TYPES[raw["type"]],
                           raw.get("length"), raw["required"] == "M", raw.get("note"))
        if field["name"] == "YSDM":
            fix_ysdm(field, {"ysdm": None, "ysdm_status": "the reference gives no code for this layer"})
        fields.append(field)
    return fields


def _group_of(draft: dict, name: str) -> str:
    """The catalogue_39 group listing `name`."""
    return next(g for g, names in draft["catalogue_39"]["groups"].items() if name in names)


def _name_only_note(draft: dict, code: str, name: str, section: str, derived: str, extra: bool) -> str:
    """Why a name-only layer has the fields it has."""
    note = (f"the reference names this layer only (catalogue_39 group {_group_of(draft, name)}; "
            f"section {section} of the {SPEC} table of contents); its attribute table is not in "
            "the reference data, so the fields are minimal: the draft's common fields (BSM, YSDM, "
            f"XZQDM, XZQMC), {derived} computed by CoPlan and BZ")
    if extra:
        note += ", plus the fields whose notes give their provenance ([S] from the draft, [R] recall)"
    return note + f"; the layer code {code} is CoPlan's and its YSDM is unknown"


def name_only_layer(draft: dict, entry: tuple) -> dict:
    """One layer of NAME_ONLY, status R, without its category and style."""
    code, name_en, geometry, name_zh, section, kind = entry
    measure = area_field() if geometry == "MultiPolygon" else length_field()
    extras = _name_only_extras(kind, draft)
    fields = [*_common_fields(draft), *extras, measure, remarks_field()]
    note = _name_only_note(draft, code, name_zh, section, measure["name"], bool(extras))
    return {"code": code, "name_zh": name_zh, "name_en": name_en, "geometry": geometry,
            "ysdm": None, "status": "R", "status_note": note, "schematic": False, "fields": fields}


def name_only_layers(draft: dict) -> list[dict]:
    """The NAME_ONLY layers; each catalogue_39 name must still be in the reference."""
    names = {n for ns in draft["catalogue_39"]["groups"].values() for n in ns}
    missing = [entry[3] for entry in NAME_ONLY if entry[3] not in names]
    if missing:
        raise ValueError(f"NAME_ONLY names missing from catalogue_39: {missing}")
    return [name_only_layer(draft, entry) for entry in NAME_ONLY]
