import math
import warnings

import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from app.errors import NotFound, PermissionDenied
from app.model import geodesy
from app.project import features as F
from app.project.features import FeatureInvalid


def nan_polygon() -> Polygon:
    with warnings.catch_warnings():  # shapely warns when it builds a ring with NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return shapely.from_wkt("POLYGON ((121 31, NaN 31.1, 121.1 31, 121 31))")


RED_LINE = {"BSM": "310000000001", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "崇明东滩"}
BOX = shapely.box(121.90, 31.45, 121.98, 31.55)


def codes(exc) -> set[str]:
    return {p.code for p in exc.value.problems}


def test_add_and_read_back(project):
    feature = F.add_feature(project, "STBHHX", RED_LINE, BOX)
    again = F.get_feature(project, "STBHHX", feature.uuid)
    assert again.attrs["HXMC"] == "崇明东滩"
    assert again.geometry.geom_type == "MultiPolygon"  # promoted on write
    assert again.geometry.equals(BOX)
    assert again.owner == "310000" and again.created_by == "tester"
    assert math.isclose(again.attrs["MJ"], geodesy.area_m2(BOX), abs_tol=0.01)


def test_update_recomputes_derived_area(project):
    feature = F.add_feature(project, "STBHHX", RED_LINE, BOX)
    smaller = shapely.box(121.90, 31.45, 121.94, 31.50)
    updated = F.update_feature(project, "STBHHX", feature.uuid, {"HXMC": "东滩"}, smaller)
    assert updated.attrs["HXMC"] == "东滩"
    assert math.isclose(updated.attrs["MJ"], geodesy.area_m2(smaller), abs_tol=0.01)


def test_delete(project):
    feature = F.add_feature(project, "STBHHX", RED_LINE, BOX)
    F.delete_feature(project, "STBHHX", feature.uuid)
    with pytest.raises(NotFound):
        F.get_feature(project, "STBHHX", feature.uuid)


@pytest.mark.parametrize("geom, code", [
    (Polygon([(121.0, 31.0), (121.1, 31.1), (121.1, 31.0), (121.0, 31.1)]), "invalid-geometry"),
    (shapely.box(0, 0, 1, 1), "out-of-bounds"),
    (shapely.box(500000, 3400000, 501000, 3401000), "out-of-bounds"),
    (nan_polygon(), "not-finite"),
    (LineString([(121.0, 31.0), (121.1, 31.1)]), "wrong-geometry-type"),
    (Polygon(), "empty-geometry"),
    (None, "missing-geometry"),
])
def test_bad_geometry_is_refused_with_its_reason(project, geom, code):
    with pytest.raises(FeatureInvalid) as exc:
        F.add_feature(project, "STBHHX", RED_LINE, geom)
    assert code in codes(exc)
    assert project.count("STBHHX") == 0


def test_projected_coordinates_get_a_hint(project):
    with pytest.raises(FeatureInvalid, match="look projected"):
        F.add_feature(project, "STBHHX", RED_LINE, shapely.box(500000, 3400000, 501000, 3401000))


def test_invalid_geometry_is_fixable_but_not_fixed(project):
    bowtie = Polygon([(121.0, 31.0), (121.1, 31.1), (121.1, 31.0), (121.0, 31.1)])
    with pytest.raises(FeatureInvalid) as exc:
        F.add_feature(project, "STBHHX", RED_LINE, bowtie)
    assert any(p.fixable for p in exc.value.problems)
    repaired = F.repair(project.layer("STBHHX"), bowtie)
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon"
    assert F.add_feature(project, "STBHHX", RED_LINE, repaired).geometry.is_valid


def test_attribute_rules(project):
    parcel = {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市", "YDYHFLMC": "x", "YDYHFLDM": "9999"}
    with pytest.raises(FeatureInvalid) as exc:
        F.add_feature(project, "GHYDYH", parcel, BOX)
    assert codes(exc) == {"codelist"}
    with pytest.raises(FeatureInvalid) as exc:
        F.add_feature(project, "GHYDYH", {**parcel, "YDYHFLDM": "0701", "BSM": None}, BOX)
    assert codes(exc) == {"required"}
    with pytest.raises(FeatureInvalid) as exc:
        F.add_feature(project, "GHYDYH", {**parcel, "YDYHFLDM": "0701", "XZQMC": "长" * 101}, BOX)
    assert codes(exc) == {"too-long"}
    with pytest.raises(FeatureInvalid) as exc:
        F.add_feature(project, "GHYDYH", {**parcel, "YDYHFLDM": "0701", "NOPE": 1}, BOX)
    assert codes(exc) == {"unknown-field"}


def test_problems_speak_chinese_too(project):
    with pytest.raises(FeatureInvalid) as exc:
        F.add_feature(project, "STBHHX", {**RED_LINE, "BSM": None}, BOX)
    assert "必填" in exc.value.problems[0].text("zh")


def test_types_are_coerced(project):
    project_point = {"XMBH": "P1", "XMMC": "站", "XMLX": "JT", "QTDW": "交通委", "SJCS": "310000",
                     "JSZT": "在建", "QDNF": "2021", "TZ": "12.5"}
    feature = F.add_feature(project, "XMK_POINT", project_point, Point(121.3, 31.2))
    assert feature.attrs["QDNF"] == 2021 and feature.attrs["TZ"] == 12.5
    with pytest.raises(FeatureInvalid) as exc:
        F.add_feature(project, "XMK_POINT", {**project_point, "QDNF": "soon"}, Point(121.3, 31.2))
    assert codes(exc) == {"type"}


def test_other_partys_features_are_read_only(project):
    project.set_meta("role", "coordinator")
    theirs = F.add_feature(project, "STBHHX", RED_LINE, BOX, owner="320500")
    project.set_meta("role", "editor")
    with pytest.raises(PermissionDenied):
        F.update_feature(project, "STBHHX", theirs.uuid, {"HXMC": "mine now"})
    with pytest.raises(PermissionDenied):
        F.delete_feature(project, "STBHHX", theirs.uuid)
    with pytest.raises(PermissionDenied):
        F.add_feature(project, "STBHHX", RED_LINE, BOX, owner="320500")
    assert F.get_feature(project, "STBHHX", theirs.uuid).attrs["HXMC"] == "崇明东滩"


def test_bbox_query_uses_the_spatial_index(project):
    near = F.add_feature(project, "STBHHX", RED_LINE, BOX)
    F.add_feature(project, "STBHHX", RED_LINE, shapely.box(120.0, 30.0, 120.1, 30.1))
    found = list(F.iter_features(project, "STBHHX", bbox=(121.8, 31.4, 122.0, 31.6)))
    assert [f.uuid for f in found] == [near.uuid]


def test_unknown_layer(project):
    with pytest.raises(NotFound, match="unknown layer"):
        F.add_feature(project, "NOPE", {}, BOX)


def test_validate_layer_reports_stored_problems(project):
    feature = F.add_feature(project, "STBHHX", RED_LINE, BOX)
    # A write from another tool that skipped validation.
    project.db.execute('UPDATE "STBHHX" SET "BSM" = NULL WHERE uuid = ?', (feature.uuid,))
    found = F.validate_layer(project, "STBHHX")
    assert [(uuid, p.code) for uuid, p in found] == [(feature.uuid, "required")]
