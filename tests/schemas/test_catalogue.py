"""schemas/layers.json: schema-valid, internally consistent, reproducible from the reference."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
CATALOGUE = SCHEMAS / "layers.json"
SCHEMA = SCHEMAS / "layer-catalogue.v1.schema.json"
EXAMPLES = SCHEMAS / "examples" / "layer-catalogue"
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"
RESERVED = {
    "fid", "uuid", "owner", "created_by", "created_at", "modified_by", "modified_at", "geom",
}
# The 20 layers of reference/layer_schemas/; XMK is split into one layer per geometry.
REFERENCE_LAYERS = [
    "CSHX", "CSLVX", "CSLX", "CSZX", "CZKFBJ", "DSQ_ZLXTQ", "GHFQ", "GHYDYH", "HLFXKZX", "HZSFQ",
    "KJCZQ", "LSWHBHX", "LSWHJQ", "QYFZLD", "STBHHX", "XMK", "XZQ", "XZQJX", "XZYDYH", "YJJBNTBHTB",
]
XMK_LAYERS = ["XMK_POINT", "XMK_LINE", "XMK_POLYGON"]
CATEGORY_ORDER = ["base", "evaluation", "current", "control", "plan", "metro", "projects"]
# National layers the reference names without fields (issue #15), defined with minimal fields.
NAME_ONLY_LAYERS = {"STZYXPJ": "生态保护重要性评价结果", "NYSYXPJ": "农业生产适宜性评价结果",
                    "CZSYXPJ": "城镇建设适宜性评价结果", "ZTGNQ": "主体功能分区", "SD": "湿地",
                    "HHAX": "河湖岸线", "HAX": "海岸线", "KCZYKZX": "矿产资源控制线",
                    "ZRBHD": "自然保护地"}
COMMON_FIELDS = ["BSM", "YSDM", "XZQDM", "XZQMC"]
DIMENSION = {"Point": 0, "MultiPoint": 0, "MultiLineString": 1, "MultiPolygon": 2}
PYTHON_TYPES = {"text": str, "integer": int, "real": (int, float), "date": str}
# invalid example reason -> (validator keyword, word in the error's path or message)
INVALID_REASONS = {
    "derived": ("enum", "derived"),
    "field-type": ("enum", "type"),
    "format": ("const", "format"),
    "geometry-type": ("enum", "geometry"),
    "layer-code": ("pattern", "code"),
    "missing-style": ("required", "style"),
    "point-fill": ("type", "fill"),
    "reserved-field-name": ("not", "name"),
    "status": ("enum", "status"),
    "stroke-width": ("maximum", "stroke_width"),
    "unknown-field-key": ("additionalProperties", "pattern"),
    "ysdm": ("pattern", "ysdm"),
    "year-format": ("enum", "format"),
}


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _generator():
    """The generator module, loaded by path (schemas/ need not be on sys.path)."""
    path = SCHEMAS / "tools" / "build_catalogue.py"
    spec = importlib.util.spec_from_file_location("build_catalogue", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalogue() -> dict:
    return _load(CATALOGUE)


@pytest.fixture(scope="module")
def layers(catalogue) -> dict[str, dict]:
    return {layer["code"]: layer for layer in catalogue["layers"]}


def _validator() -> Draft202012Validator:
    return Draft202012Validator(_load(SCHEMA))


def test_catalogue_validates_against_its_schema(catalogue):
    assert [e.message for e in _validator().iter_errors(catalogue)] == []


# -- cross-references the schema cannot express; checked on the catalogue and the valid examples

CROSS_CHECKED = [CATALOGUE, *sorted(EXAMPLES.glob("*.valid.json"))]


@pytest.fixture(params=CROSS_CHECKED, ids=lambda p: p.name)
def any_catalogue(request) -> dict:
    return _load(request.param)


def test_layer_codes_are_unique(any_catalogue):
    codes = [layer["code"] for layer in any_catalogue["layers"]]
    assert len(codes) == len(set(codes))


def test_categories_are_unique_and_every_layer_has_one(any_catalogue):
    categories = [c["code"] for c in any_catalogue["categories"]]
    assert len(categories) == len(set(categories))
    assert {layer["category"] for layer in any_catalogue["layers"]} <= set(categories)


def test_field_names_are_unique_and_not_reserved(any_catalogue):
    for layer in any_catalogue["layers"]:
        names = [f["name"].lower() for f in layer["fields"]]
        assert len(names) == len(set(names)), layer["code"]
        assert not set(names) & RESERVED, layer["code"]


def test_field_codelists_exist(any_catalogue):
    for layer in any_catalogue["layers"]:
        for field in layer["fields"]:
            known = {None, *any_catalogue["codelists"]}
            assert field["codelist"] in known, (layer["code"], field["name"])


def test_codes_are_unique_within_each_codelist(any_catalogue):
    for key, codelist in any_catalogue["codelists"].items():
        codes = [c["code"] for c in codelist["codes"]]
        assert len(codes) == len(set(codes)), key


def test_label_field_is_a_field_of_the_layer(any_catalogue):
    for layer in any_catalogue["layers"]:
        label = layer["style"]["label_field"]
        assert label is None or label in {f["name"] for f in layer["fields"]}, layer["code"]


def test_defaults_fit_the_field(any_catalogue):
    codelists = any_catalogue["codelists"]
    for layer in any_catalogue["layers"]:
        for field in layer["fields"]:
            default = field["default"]
            if default is None:
                continue
            assert isinstance(default, PYTHON_TYPES[field["type"]]), (layer["code"], field["name"])
            if field["codelist"]:
                assert default in {c["code"] for c in codelists[field["codelist"]]["codes"]}


def test_derived_fields_match_the_geometry(any_catalogue):
    expected = {"area_m2": 2, "length_m": 1}
    for layer in any_catalogue["layers"]:
        for field in layer["fields"]:
            if field["derived"]:
                assert DIMENSION[layer["geometry"]] == expected[field["derived"]], layer["code"]
                assert field["type"] == "real"


def test_fill_opacity_is_zero_without_fill(any_catalogue):
    for layer in any_catalogue["layers"]:
        style = layer["style"]
        assert (style["fill"] is None) == (style["fill_opacity"] == 0), layer["code"]


# -- content of schemas/layers.json


def test_categories_in_layer_tree_order(catalogue):
    assert [c["code"] for c in catalogue["categories"]] == CATEGORY_ORDER


def test_layers_are_grouped_in_category_order(catalogue):
    positions = [CATEGORY_ORDER.index(layer["category"]) for layer in catalogue["layers"]]
    assert positions == sorted(positions)


def test_every_category_has_layers(catalogue):
    used = {layer["category"] for layer in catalogue["layers"]}
    assert used == set(CATEGORY_ORDER)


@pytest.mark.parametrize("code", REFERENCE_LAYERS)
def test_reference_layer_is_present(layers, code):
    expected = XMK_LAYERS if code == "XMK" else [code]
    assert set(expected) <= set(layers)


def test_project_library_is_one_layer_per_geometry(layers):
    geometries = [layers[code]["geometry"] for code in XMK_LAYERS]
    assert geometries == ["Point", "MultiLineString", "MultiPolygon"]
    fields = {code: [f["name"] for f in layers[code]["fields"] if f["name"] != "CD"]
              for code in XMK_LAYERS}
    assert fields["XMK_POINT"] == fields["XMK_LINE"] == fields["XMK_POLYGON"]
    assert {layers[code]["category"] for code in XMK_LAYERS} == {"projects"}


def test_app_defined_layers(layers):
    expected = {"SY": ("base", "MultiPolygon"), "STLD": ("metro", "MultiPolygon"),
                "LD": ("metro", "MultiLineString"), "LW": ("metro", "MultiLineString"),
                "QYFZLD": ("metro", "MultiLineString")}
    for code, (category, geometry) in expected.items():
        assert (layers[code]["category"], layers[code]["geometry"], layers[code]["status"]) == (
            category, geometry, "app")


def test_xzq_keeps_level_and_province_code(layers, catalogue):
    fields = {f["name"]: f for f in layers["XZQ"]["fields"]}
    assert fields["JB"]["codelist"] == "XZQJB"
    assert (fields["SFDM"]["type"], fields["SFDM"]["length"]) == ("text", 6)
    levels = {c["code"]: c["name_zh"] for c in catalogue["codelists"]["XZQJB"]["codes"]}
    assert levels == {"city": "市", "county": "县", "township": "乡镇"}


def test_ydyh2023_has_175_codes_in_three_levels(catalogue):
    codes = [c["code"] for c in catalogue["codelists"]["YDYH2023"]["codes"]]
    assert len(codes) == len(set(codes)) == 175
    assert [sum(len(c) == n for c in codes) for n in (2, 4, 6)] == [24, 111, 40]


def test_ydyh2023_children_start_with_an_existing_parent(catalogue):
    codes = {c["code"] for c in catalogue["codelists"]["YDYH2023"]["codes"]}
    for code in codes:
        assert code.isdigit() and len(code) in (2, 4, 6)
        if len(code) > 2:
            assert code[:-2] in codes, code


def test_ydyh2023_keeps_its_provenance(catalogue):
    ydyh = catalogue["codelists"]["YDYH2023"]
    assert ydyh["status"] == "S"
    assert "Verify against the official PDF" in ydyh["status_note"]


def test_land_use_fields_use_the_right_codelists(layers):
    def codelist(layer, name):
        return next(f["codelist"] for f in layers[layer]["fields"] if f["name"] == name)

    assert codelist("GHYDYH", "YDYHFLDM") == codelist("XZYDYH", "YDYHFLDM") == "YDYH2023"
    # DLBM holds 三调 survey classes, not the 2023 codes.
    assert codelist("YJJBNTBHTB", "DLBM") is None
    assert codelist("XMK_POINT", "JSZT") == "JSZT"
    assert codelist("XMK_LINE", "XMLX") == "XMLX"


def test_project_codelists(catalogue):
    lists = catalogue["codelists"]
    assert [c["code"] for c in lists["JSZT"]["codes"]] == ["规划", "前期", "在建", "建成"]
    xmlx = {c["code"]: (c["name_zh"], c["name_en"]) for c in lists["XMLX"]["codes"]}
    assert list(xmlx) == ["JT", "LW", "ST", "SZ", "LD", "WL", "CY", "JZ"]
    assert xmlx["SZ"] == ("市政", "Municipal infrastructure")


def test_every_line_layer_has_a_length_field(catalogue):
    for layer in catalogue["layers"]:
        if layer["geometry"] == "MultiLineString":
            assert "length_m" in [f["derived"] for f in layer["fields"]], layer["code"]


def test_polygon_area_fields_are_derived(catalogue):
    for layer in catalogue["layers"]:
        for field in layer["fields"]:
            if layer["geometry"] == "MultiPolygon" and field["name"] in {"MJ", "TBMJ"}:
                assert field["derived"] == "area_m2", (layer["code"], field["name"])


def test_ysdm_defaults_to_the_layer_code_and_is_required_only_then(catalogue):
    for layer in catalogue["layers"]:
        for field in layer["fields"]:
            if field["name"] == "YSDM":
                assert field["default"] == layer["ysdm"], layer["code"]
                assert field["required"] == (layer["ysdm"] is not None), layer["code"]
                if layer["ysdm"] is None:
                    assert "unknown" in field["note"], layer["code"]


def test_unverified_layers_carry_their_status_note(catalogue):
    for layer in catalogue["layers"]:
        assert layer["status"] != "V", "nothing in the reference draft is verified"
        assert layer["status_note"], layer["code"]
        assert layer["schematic"] is False


def test_draw_order_polygons_then_lines_then_points(catalogue):
    z = {0: [], 1: [], 2: []}
    for layer in catalogue["layers"]:
        z[DIMENSION[layer["geometry"]]].append(layer["style"]["z"])
    assert max(z[2]) < min(z[1]) and max(z[1]) < min(z[0])


def test_only_polygons_are_filled_and_only_points_have_markers(catalogue):
    for layer in catalogue["layers"]:
        style, dim = layer["style"], DIMENSION[layer["geometry"]]
        assert (style["fill"] is not None) <= (dim == 2), layer["code"]
        assert (style["marker"] is not None) == (dim == 0), layer["code"]


def test_planned_entries_are_not_layers(catalogue):
    names = {layer["name_zh"] for layer in catalogue["layers"]}
    assert catalogue["planned"]
    for entry in catalogue["planned"]:
        assert entry["name_zh"] not in names
        assert entry["status_note"].startswith("not yet defined")


def test_app_reads_the_catalogue():
    catalogue_module = pytest.importorskip("app.model.catalogue")
    parsed = catalogue_module.load_catalogue(CATALOGUE)
    assert parsed.layer("xmk_point").dimension == 0
    assert set(catalogue_module.SYSTEM_COLUMNS) | {catalogue_module.GEOMETRY_COLUMN} == RESERVED


# -- the invalid examples fail for exactly their reason


def test_every_invalid_example_has_a_known_reason():
    files = EXAMPLES.glob("*.invalid-*.json")
    reasons = {p.name.split(".invalid-")[1].removesuffix(".json") for p in files}
    assert reasons == set(INVALID_REASONS)


@pytest.mark.parametrize("reason", sorted(INVALID_REASONS))
def test_invalid_example_fails_only_for_its_reason(reason):
    keyword, word = INVALID_REASONS[reason]
    errors = list(_validator().iter_errors(_load(EXAMPLES / f"minimal.invalid-{reason}.json")))
    assert errors
    for error in errors:
        assert error.validator == keyword, error.message
        assert word in [str(p) for p in error.absolute_path] or word in error.message, error.message


# -- the generator reproduces the committed file


@pytest.fixture(scope="module")
def reference() -> Path:
    if not (REFERENCE / "planning_db_layers_draft.json").is_file():
        pytest.skip(f"reference data not found at {REFERENCE}")
    return REFERENCE


def test_build_reproduces_the_committed_catalogue(reference, catalogue):
    assert _generator().build(reference) == catalogue


def test_command_line_writes_identical_bytes(reference, tmp_path):
    out = tmp_path / "layers.json"
    _generator().main(["--reference", str(reference), "--out", str(out)])
    assert out.read_bytes() == CATALOGUE.read_bytes()


def test_layer_schemas_folder_matches_the_expected_layers(reference):
    files = (reference / "layer_schemas").glob("*.feature.schema.json")
    found = sorted(p.name.removesuffix(".feature.schema.json") for p in files)
    assert found == REFERENCE_LAYERS


def test_planned_plus_defined_cover_catalogue_39(reference, catalogue):
    groups = _load(reference / "planning_db_layers_draft.json")["catalogue_39"]["groups"]
    names = [n for ns in groups.values() for n in ns]
    assert len(catalogue["planned"]) == len(names) - len(_generator().COVERED)


# -- the national layers the reference names without fields, and date/year fields (#15)


@pytest.mark.parametrize("code", sorted(NAME_ONLY_LAYERS))
def test_name_only_layer_has_the_common_fields_and_an_honest_status(layers, code):
    layer = layers[code]
    assert layer["name_zh"] == NAME_ONLY_LAYERS[code]
    assert layer["status"] == "R"
    assert "not in the reference data" in layer["status_note"]
    names = [f["name"] for f in layer["fields"]]
    assert names[:4] == COMMON_FIELDS and names[-1] == "BZ"
    measure = "area_m2" if layer["geometry"] == "MultiPolygon" else "length_m"
    assert measure in [f["derived"] for f in layer["fields"]]
    assert layer["ysdm"] is None


@pytest.mark.parametrize("code", sorted(NAME_ONLY_LAYERS))
def test_every_field_beyond_the_common_ones_says_where_it_comes_from(layers, code):
    for field in layers[code]["fields"]:
        if field["name"] in COMMON_FIELDS or field["derived"] or field["name"] == "BZ":
            continue
        assert field["note"].startswith(("[R] CoPlan:", "[S] defined as the draft's")), field["name"]
        # Unverified value lists stay free text: a guessed code list would refuse real data.
        assert field["codelist"] in (None, "SD2023"), field["name"]


def test_name_only_layers_leave_the_planned_list(catalogue):
    planned = {entry["name_zh"] for entry in catalogue["planned"]}
    assert not planned & set(NAME_ONLY_LAYERS.values())
    assert "现状自然保护地分布" in planned  # the current-state map is a different layer


def test_wetland_classes_are_class_05_of_the_2023_classification(catalogue, layers):
    codes = [c["code"] for c in catalogue["codelists"]["SD2023"]["codes"]]
    assert codes == ["05", "0501", "0502", "0503", "0504", "0505", "0506", "0507"]
    ydyh = {c["code"]: c["name_zh"] for c in catalogue["codelists"]["YDYH2023"]["codes"]}
    assert all(c["name_zh"] == ydyh[c["code"]] for c in catalogue["codelists"]["SD2023"]["codes"])
    fields = {f["name"]: f for f in layers["SD"]["fields"]}
    assert fields["YDYHFLDM"]["codelist"] == "SD2023" and fields["YDYHFLMC"]["codelist"] is None


def test_approval_numbers_come_with_an_approval_date(catalogue):
    for layer in catalogue["layers"]:
        names = [f["name"] for f in layer["fields"]]
        if "PZWH" in names:
            assert names[names.index("PZWH") + 1] == "PZRQ", layer["code"]
            date = layer["fields"][names.index("PZRQ")]
            assert (date["type"], date["label_zh"]) == ("date", "批准日期")
    with_dates = {layer["code"] for layer in catalogue["layers"]
                  if any(f["type"] == "date" for f in layer["fields"])}
    assert with_dates == {"LSWHJQ", "ZRBHD"}


def test_year_fields_are_integers_marked_as_years(catalogue):
    years = {(layer["code"], f["name"]) for layer in catalogue["layers"] for f in layer["fields"]
             if f.get("format") == "year"}
    assert years == {(c, n) for c in XMK_LAYERS for n in ("QDNF", "WCNF")}
    for layer in catalogue["layers"]:
        for field in layer["fields"]:
            if field.get("format") == "year":
                assert field["type"] == "integer"


def test_the_app_reads_dates_and_years():
    catalogue_module = pytest.importorskip("app.model.catalogue")
    parsed = catalogue_module.load_catalogue(CATALOGUE)
    assert parsed.layer("XMK_POINT").field("QDNF").format == "year"
    assert parsed.layer("ZRBHD").field("PZRQ").type == "date"
    assert parsed.layer("SD").paired_name("YDYHFLDM") == "YDYHFLMC"
