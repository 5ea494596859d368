"""Import and export: every format, CRS and encoding handling, and bad files refused whole."""

import json
import math
import shutil

import numpy as np
import pyproj
import pytest
import shapely
from pyogrio import raw

from app import cli
from app.errors import ImportRefused, InvalidInput, NotFound, PermissionDenied
from app.model import geodesy
from app.model.ids import is_uuid
from app.project import export, history, io
from app.project.features import iter_features, update_feature
from app.project.project import Project

LAYER = "GHYDYH"
ROW = {"BSM": "310115000001", "XZQDM": "310115", "XZQMC": "浦东新区", "YDYHFLDM": "0101",
       "YDYHFLMC": "水田"}
POINT = {"XMBH": "XM-001", "XMMC": "沪苏湖铁路", "XMLX": "JT", "QTDW": "上海市交通委",
         "SJCS": "310000,320500", "JSZT": "在建", "QDNF": 2021}
DRIVERS = {"geojson": "GeoJSON", "gpkg": "GPKG", "shp": "ESRI Shapefile", "csv": "CSV"}
BOWTIE = shapely.Polygon([(121.0, 31.0), (121.1, 31.1), (121.1, 31.0), (121.0, 31.1)])


def box(i: int = 0) -> shapely.Polygon:
    return shapely.box(121.0 + 0.01 * i, 31.0, 121.005 + 0.01 * i, 31.004)


def write(path, geoms, rows, *, crs="EPSG:4490", kind="Polygon", encoding=None, **options):
    """Write a test file with pyogrio; the driver follows the extension."""
    names = list(rows[0])
    data = [np.array([r[n] for r in rows], dtype=object) for n in names]
    wkb = shapely.to_wkb(np.array(geoms, dtype=object))
    raw.write(path, wkb, data, names, driver=DRIVERS[path.suffix[1:]], geometry_type=kind,
              crs=crs, encoding=encoding, **options)
    return path


def rows(n: int = 2, **changes) -> list[dict]:
    return [{**ROW, "BSM": f"31011500000{i}", **changes} for i in range(n)]


def state(project) -> tuple[int, int]:
    """What a refused import must leave unchanged: feature count and pending changes."""
    return sum(project.count(lay.code) for lay in project.layers()), len(history.pending(project))


def stored(project, code: str = LAYER) -> list:
    return list(iter_features(project, code))


def same(a, b) -> bool:
    """Equal geometries within 1e-7° (ring start and orientation do not matter)."""
    return shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance=1e-7)


def refused(project, path, match: str, error=InvalidInput, **kwargs):
    """Import must fail with `error` naming `match`, and change nothing."""
    before = state(project)
    with pytest.raises(error) as exc:
        io.import_file(project, kwargs.pop("layer", LAYER), path, **kwargs)
    assert match in exc.value.message, exc.value.message
    assert state(project) == before
    return exc.value


# ---------------------------------------------------------------- each format imports

@pytest.mark.parametrize("ext", ["geojson", "gpkg", "shp"])
def test_each_format_imports_attributes_and_geometry(project, tmp_path, ext):
    path = write(tmp_path / f"in.{ext}", [box(0), box(1)], rows(2))
    report = io.import_file(project, LAYER, path)
    assert (report.read, report.imported, report.crs) == (2, 2, "EPSG:4490")
    features = stored(project)
    assert [f.attrs["XZQMC"] for f in features] == ["浦东新区", "浦东新区"]
    assert [f.attrs["BSM"] for f in features] == ["310115000000", "310115000001"]
    assert all(f.geometry.geom_type == "MultiPolygon" for f in features)  # promoted on write
    assert features[1].geometry.equals(box(1))
    assert all(is_uuid(f.uuid) and f.uuid[14] == "7" for f in features)  # UUIDv7
    assert {(f.owner, f.created_by, f.modified_by) for f in features} == {("310000", "tester", "tester")}
    assert features[0].attrs["YSDM"] == "2090020620"  # the catalogue default fills absent fields


def test_shapefile_gbk_with_cpg(project, tmp_path):
    path = write(tmp_path / "gbk.shp", [box()], rows(1), encoding="GBK")
    assert (tmp_path / "gbk.cpg").read_text() == "GBK"
    assert "浦东新区".encode("gbk") in (tmp_path / "gbk.dbf").read_bytes()
    io.import_file(project, LAYER, path)
    assert stored(project)[0].attrs["XZQMC"] == "浦东新区"


def test_shapefile_gbk_without_cpg_needs_and_takes_encoding(project, tmp_path):
    path = write(tmp_path / "gbk.shp", [box()], rows(1), encoding="GBK")
    (tmp_path / "gbk.cpg").unlink()
    error = refused(project, path, "--encoding GBK")
    assert "field 'XZQMC', row 1" in error.message
    io.import_file(project, LAYER, path, encoding="GBK")
    assert stored(project)[0].attrs["XZQMC"] == "浦东新区"


def test_shapefile_cpg_as_code_page(project, tmp_path):
    path = write(tmp_path / "cp.shp", [box()], rows(1), encoding="GBK")
    (tmp_path / "cp.cpg").write_text("936")
    io.import_file(project, LAYER, path)
    assert stored(project)[0].attrs["XZQMC"] == "浦东新区"


@pytest.mark.parametrize("header", ["lon,lat", "经度,纬度", "X,Y"])
def test_csv_with_coordinate_columns(project, tmp_path, header):
    path = tmp_path / "points.csv"
    path.write_text(f"{header},XMBH,XMMC,XMLX,QTDW,SJCS,JSZT,QDNF\n"
                    "121.4737,31.2304,XM-001,沪苏湖铁路,JT,上海市交通委,\"310000,320500\",在建,2021\n",
                    encoding="utf-8")
    report = io.import_file(project, "XMK_POINT", path, crs="EPSG:4490")
    assert report.unmapped == []  # the coordinate columns became the geometry
    feature = stored(project, "XMK_POINT")[0]
    assert feature.geometry.equals(shapely.Point(121.4737, 31.2304))
    assert feature.attrs["SJCS"] == "310000,320500" and feature.attrs["QDNF"] == 2021


def test_csv_gbk_with_chinese_headers(project, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("经度,纬度,XMBH,XMMC,XMLX,QTDW,SJCS,JSZT\n"
                     "121.47,31.23,XM-1,虹桥枢纽,JT,上海,310000,规划\n".encode("gbk"))
    refused(project, path, "--encoding GBK", layer="XMK_POINT", crs="EPSG:4490")
    io.import_file(project, "XMK_POINT", path, crs="EPSG:4490", encoding="GBK")
    assert stored(project, "XMK_POINT")[0].attrs["XMMC"] == "虹桥枢纽"


def test_csv_with_wkt(project, tmp_path):
    path = tmp_path / "wkt.csv"
    header = ",".join(ROW)
    values = ",".join(f'"{v}"' for v in ROW.values())
    path.write_text(f"WKT,{header}\n\"{box(0).wkt}\",{values}\n", encoding="utf-8")
    report = io.import_file(project, LAYER, path, crs="EPSG:4490")
    assert report.imported == 1
    feature = stored(project)[0]
    assert feature.geometry.equals(box(0)) and feature.attrs["YDYHFLDM"] == "0101"


# ---------------------------------------------------------------- CRS, fields, derived values

def test_reprojection_from_cgcs2000_gauss_kruger(project, tmp_path):
    lon, lat = 121.4737012, 31.2304015
    x, y = pyproj.Transformer.from_crs(4490, 4549, always_xy=True).transform(lon, lat)
    path = write(tmp_path / "gk.gpkg", [shapely.Point(x, y)], [POINT], crs="EPSG:4549", kind="Point")
    report = io.import_file(project, "XMK_POINT", path)
    assert report.crs == "EPSG:4549"
    point = stored(project, "XMK_POINT")[0].geometry
    assert abs(point.x - lon) < 1e-7 and abs(point.y - lat) < 1e-7


def test_crs_argument_when_the_file_has_none(project, tmp_path):
    x, y = pyproj.Transformer.from_crs(4490, 4549, always_xy=True).transform(121.5, 31.2)
    path = tmp_path / "gk.csv"
    values = ",".join(f'"{v}"' for v in POINT.values())
    path.write_text(f"x,y,{','.join(POINT)}\n{x},{y},{values}\n")
    refused(project, path, "--crs", layer="XMK_POINT")
    io.import_file(project, "XMK_POINT", path, crs="EPSG:4549")
    point = stored(project, "XMK_POINT")[0].geometry
    assert abs(point.x - 121.5) < 1e-7 and abs(point.y - 31.2) < 1e-7


def test_geojson_without_crs_is_rfc7946_lon_lat(project, tmp_path):
    path = tmp_path / "rfc.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": ROW, "geometry": shapely.geometry.mapping(box())}]}))
    report = io.import_file(project, LAYER, path)
    assert report.crs == "EPSG:4326"
    assert any("null transformation" in w for w in report.warnings)
    assert same(stored(project)[0].geometry, shapely.MultiPolygon([box()]))


def test_field_map_and_unmapped_columns(project, tmp_path):
    data = [{"bsm": "1", "xzqdm": "310115", "名称": "浦东新区", "YDYHFLDM": "0101",
             "YDYHFLMC": "水田", "note": "x", "extra": "y"}]
    path = write(tmp_path / "m.gpkg", [box()], data)
    refused(project, path, "XZQMC")  # 名称 is not a field name: XZQMC is missing
    report = io.import_file(project, LAYER, path, field_map={"名称": "XZQMC", "note": "bz"})
    assert report.unmapped == ["extra"]
    assert "source column(s) not imported: extra" in report.lines()
    attrs = stored(project)[0].attrs
    assert (attrs["BSM"], attrs["XZQDM"], attrs["XZQMC"], attrs["BZ"]) == ("1", "310115", "浦东新区", "x")


def test_field_map_errors(project, tmp_path):
    path = write(tmp_path / "m.gpkg", [box()], rows(1))
    refused(project, path, "has no field 'NOPE'", field_map={"BZ": "NOPE"})
    refused(project, path, "no column 'missing'", field_map={"missing": "BZ"})


def test_derived_area_is_geodesic_and_ignores_the_file(project, tmp_path):
    big = shapely.box(121.0, 31.0, 121.3, 31.2)
    path = write(tmp_path / "a.gpkg", [big, box()], rows(2, TBMJ=1.0))
    report = io.import_file(project, LAYER, path)
    assert any("TBMJ computed from the geometry" in w for w in report.warnings)
    for feature in stored(project):
        assert feature.attrs["TBMJ"] == round(geodesy.area_m2(feature.geometry), 2)
        assert feature.attrs["TBMJ"] > 1.0


def test_derived_length(project, tmp_path):
    line = shapely.LineString([(121.0, 31.0), (121.2, 31.1)])
    path = write(tmp_path / "l.geojson", [line], [{"LDBM": "LD1", "LDMC": "黄浦江滨江"}],
                 kind="LineString")
    io.import_file(project, "LD", path)
    feature = stored(project, "LD")[0]
    assert math.isclose(feature.attrs["CD"], geodesy.length_m(line), abs_tol=0.01)


def test_imports_are_pending_inserts(project, tmp_path):
    io.import_file(project, LAYER, write(tmp_path / "a.geojson", [box(0), box(1)], rows(2)))
    changes = history.pending(project)
    assert {c.op for c in changes} == {"insert"}
    assert {c.uuid for c in changes} == {f.uuid for f in stored(project)}


def test_owner_of_another_party_needs_a_coordinator(project, tmp_path):
    path = write(tmp_path / "a.geojson", [box()], rows(1))
    refused(project, path, "cannot import features owned by 320000", PermissionDenied, owner="320000")
    with Project.create(tmp_path / "coordinator.sqlite", "CSJ", role="coordinator") as coordinator:
        io.import_file(coordinator, LAYER, path, owner="320000")
        assert stored(coordinator, LAYER)[0].owner == "320000"


def test_progress_stages(project, tmp_path):
    path = write(tmp_path / "a.gpkg", [box(0), box(1)], rows(2))
    steps = list(io.import_steps(project, LAYER, path))
    assert [s.stage for s in steps] == ["read", "check", "check", "write"]
    assert steps[-1] == io.Progress("write", 2, 2)


def test_abandoned_import_writes_nothing(project, tmp_path, monkeypatch):
    monkeypatch.setattr(io, "BATCH", 1)
    steps = io.import_steps(project, LAYER, write(tmp_path / "a.gpkg", [box(0), box(1)], rows(2)))
    for step in steps:
        if step.stage == "write":
            break  # one row written inside the transaction, then the caller gives up
    steps.close()
    assert state(project) == (0, 0)


# ---------------------------------------------------------------- bad input: refused whole

def test_invalid_ring_is_refused_and_make_valid_repairs_it(project, tmp_path):
    path = write(tmp_path / "bow.gpkg", [box(0), BOWTIE], rows(2))
    error = refused(project, path, "FID 2 (BSM 310115000001)", ImportRefused)
    assert "Self-intersection" in error.message and "--make-valid" in error.message
    assert [p.fid for p in error.problems] == [2]  # a GeoPackage's own fid
    report = io.import_file(project, LAYER, path, make_valid=True)
    assert (report.imported, report.repaired) == (2, [2])
    assert any("repaired 1" in line for line in report.lines())
    fixed = stored(project)[1].geometry
    assert fixed.is_valid and fixed.geom_type == "MultiPolygon" and len(fixed.geoms) == 2


@pytest.mark.parametrize("geom, match", [
    (shapely.box(200.0, 31.0, 200.1, 31.1), "outside CGCS2000"),
    (shapely.box(500000, 3400000, 501000, 3401000), "look projected"),
    (shapely.LineString([(121.0, 31.0), (121.1, 31.1)]), "LineString geometry"),
])
def test_bad_coordinates_are_refused(project, tmp_path, geom, match):
    path = write(tmp_path / "bad.gpkg", [box(), geom], rows(2), kind="Unknown")
    error = refused(project, path, match)
    assert "1 of 2 row(s) are bad" in error.message and "FID 2" in error.message


def test_nan_coordinates_are_refused(project, tmp_path):
    geojson = tmp_path / "nan.geojson"  # GDAL reads the (non-standard) NaN token
    geojson.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                       f'"properties": {json.dumps(ROW)}, "geometry": {{"type": "Polygon", '
                       '"coordinates": [[[121, 31], [NaN, 31], [121.1, 31.1], [121, 31]]]}}]}')
    refused(project, geojson, "NaN")
    csv = tmp_path / "nan.csv"
    csv.write_text(f"WKT,{','.join(ROW)}\n\"POLYGON ((121 31, nan 31, 121.1 31.1, 121 31))\","
                   f"{','.join(ROW.values())}\n")
    refused(project, csv, "NaN", crs="EPSG:4490")
    with np.errstate(invalid="ignore"):
        nan = shapely.Polygon([(121, 31), (np.nan, 31), (121.1, 31.1)])
    refused(project, write(tmp_path / "nan.gpkg", [nan], rows(1)), "NaN")


def test_projected_geojson_takes_crs_over_the_rfc7946_default(project, tmp_path):
    x, y = pyproj.Transformer.from_crs(4490, 4549, always_xy=True).transform(121.5, 31.2)
    path = tmp_path / "gk.geojson"  # common in practice: metres and no "crs" member
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": POINT, "geometry": {"type": "Point", "coordinates": [x, y]}}]}))
    refused(project, path, "look projected", layer="XMK_POINT")
    report = io.import_file(project, "XMK_POINT", path, crs="EPSG:4549")
    assert report.crs == "EPSG:4549" and "RFC 7946" in report.warnings[0]
    point = stored(project, "XMK_POINT")[0].geometry
    assert abs(point.x - 121.5) < 1e-7 and abs(point.y - 31.2) < 1e-7


def test_shapefile_without_prj_needs_crs(project, tmp_path):
    path = write(tmp_path / "noprj.shp", [box()], rows(1))
    (tmp_path / "noprj.prj").unlink()
    refused(project, path, "give it with --crs")
    assert io.import_file(project, LAYER, path, crs="4490").crs == "EPSG:4490"


def test_conflicting_crs_is_refused(project, tmp_path):
    path = write(tmp_path / "gk.gpkg", [shapely.box(500000, 3400000, 501000, 3401000)], rows(1),
                 crs="EPSG:4549")
    refused(project, path, "the file says EPSG:4549, --crs says EPSG:4490", crs="EPSG:4490")


@pytest.mark.parametrize("ext", ["gpkg", "geojson"])
def test_truncated_file_is_refused(project, tmp_path, ext):
    path = write(tmp_path / f"full.{ext}", [box(i) for i in range(50)], rows(50))
    cut = tmp_path / f"cut.{ext}"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    refused(project, cut, "cannot read cut." + ext)


def test_truncated_shapefile_table_is_refused(project, tmp_path):
    path = write(tmp_path / "cut.shp", [box(i) for i in range(50)], rows(50))
    dbf = tmp_path / "cut.dbf"
    dbf.write_bytes(dbf.read_bytes()[: dbf.stat().st_size // 2])
    refused(project, path, "cannot read cut.shp")


def test_wrong_encodings_are_refused(project, tmp_path):
    gbk = write(tmp_path / "gbk.shp", [box()], rows(1), encoding="GBK")
    refused(project, gbk, "not valid utf-8", encoding="UTF-8")
    (tmp_path / "gbk.cpg").write_text("UTF-8")  # a .cpg that lies
    refused(project, gbk, "gbk.cpg says UTF-8")
    utf8 = write(tmp_path / "utf8.shp", [box()], rows(1))
    refused(project, utf8, "would garble it", encoding="GBK")
    refused(project, utf8, "unknown text encoding", encoding="klingon")


@pytest.mark.parametrize("change, match", [
    ({"YDYHFLDM": "9999"}, "'9999' is not a code of YDYH2023"),
    ({"XZQMC": None}, "XZQMC (Administrative division name) is required"),
    ({"BSM": "x" * 19}, "BSM: longer than 18 characters"),
])
def test_bad_attributes_are_refused(project, tmp_path, change, match):
    path = write(tmp_path / "a.gpkg", [box(0), box(1)], [ROW, {**ROW, **change}])
    error = refused(project, path, match)
    assert error.message.startswith("a.gpkg: 1 of 2 row(s) are bad, nothing was imported: FID 2")


def test_missing_required_column_is_refused(project, tmp_path):
    data = [{k: v for k, v in ROW.items() if k != "XZQDM"}]
    refused(project, write(tmp_path / "a.gpkg", [box()], data), "XZQDM")


def test_bad_files_are_refused(project, tmp_path):
    refused(project, tmp_path / "missing.gpkg", "no such file", NotFound)
    (tmp_path / "notes.txt").write_text("hello\n")
    refused(project, tmp_path / "notes.txt", "cannot read notes.txt")
    empty = tmp_path / "empty.gpkg"
    raw.write(empty, np.array([], dtype=object), [np.array([], dtype=object)], ["BSM"],
              geometry_type="Polygon", crs="EPSG:4490")
    refused(project, empty, "has no features")
    (tmp_path / "plain.csv").write_text("a,b\n1,2\n")
    refused(project, tmp_path / "plain.csv", "has no geometry", crs="EPSG:4490")


def test_several_layers_are_refused(project, tmp_path):
    path = write(tmp_path / "two.gpkg", [box()], rows(1), layer="parcels")
    write(path, [box()], rows(1), layer="roads")
    refused(project, path, "2 layers (parcels, roads)")


def test_unknown_layer(project, tmp_path):
    refused(project, write(tmp_path / "a.gpkg", [box()], rows(1)), "unknown layer", NotFound,
            layer="NOPE")


def test_skip_invalid_imports_exactly_the_good_rows(project, tmp_path):
    data = rows(4)
    data[1]["YDYHFLDM"] = "9999"
    path = write(tmp_path / "mix.gpkg", [box(0), box(1), box(2), BOWTIE], data)
    report = io.import_file(project, LAYER, path, skip_invalid=True)
    assert (report.read, report.imported) == (4, 2)
    assert [(r.fid, r.bsm) for r in report.skipped] == [(2, "310115000001"), (4, "310115000003")]
    assert report.skipped[0].problems[0].code == "codelist"
    assert [f.attrs["BSM"] for f in stored(project)] == ["310115000000", "310115000002"]
    assert len(history.pending(project)) == 2
    assert "FID 4 (BSM 310115000003): invalid geometry" in "\n".join(report.lines())


# ---------------------------------------------------------------- export

@pytest.mark.parametrize("ext", ["geojson", "gpkg", "shp", "csv"])
def test_export_then_import_round_trips(project, tmp_path, template_project, ext):
    data = rows(2, BZ="备注")
    data[1]["BZ"] = None
    io.import_file(project, LAYER, write(tmp_path / "in.gpkg", [box(0), box(1)], data))
    out = tmp_path / f"out.{ext}"
    assert export.export_layer(project, LAYER, out) == 2
    copy = _fresh(template_project, tmp_path)
    report = io.import_file(copy, LAYER, out, crs="EPSG:4490" if ext == "csv" else None)
    assert report.unmapped == ["uuid", "owner"]
    before, after = stored(project), stored(copy)
    assert [f.attrs for f in after] == [f.attrs for f in before]
    assert all(same(a.geometry, b.geometry) for a, b in zip(before, after, strict=True))
    copy.close()


@pytest.mark.parametrize("ext", ["geojson", "gpkg", "shp", "csv"])
def test_point_layer_round_trips_with_nulls(project, tmp_path, template_project, ext):
    other = {**POINT, "XMBH": "XM-002", "QDNF": None}
    path = write(tmp_path / "p.gpkg", [shapely.Point(121.4737, 31.2304), shapely.Point(120.6, 31.3)],
                 [POINT, other], kind="Point")
    io.import_file(project, "XMK_POINT", path)
    out = tmp_path / f"out.{ext}"
    export.export_layer(project, "XMK_POINT", out)
    if ext == "csv":
        assert out.read_text().startswith("lon,lat,uuid,owner,XMBH")
    copy = _fresh(template_project, tmp_path)
    io.import_file(copy, "XMK_POINT", out, crs="EPSG:4490" if ext == "csv" else None)
    assert [f.attrs for f in stored(copy, "XMK_POINT")] == [f.attrs for f in stored(project, "XMK_POINT")]
    assert stored(copy, "XMK_POINT")[1].attrs["QDNF"] is None
    copy.close()


def test_export_to_another_crs_and_gbk(project, tmp_path, template_project):
    io.import_file(project, LAYER, write(tmp_path / "in.gpkg", [box(0)], rows(1)))
    out = tmp_path / "gk.shp"
    export.export_layer(project, LAYER, out, crs="EPSG:4549", encoding="GBK")
    assert (tmp_path / "gk.cpg").read_text() == "GBK"
    assert "浦东新区".encode("gbk") in (tmp_path / "gk.dbf").read_bytes()
    copy = _fresh(template_project, tmp_path)
    assert io.import_file(copy, LAYER, out).crs == "EPSG:4549"
    assert same(stored(copy)[0].geometry, stored(project)[0].geometry)
    assert stored(copy)[0].attrs == stored(project)[0].attrs
    copy.close()


def test_export_csv_in_gbk_and_an_empty_layer(project, tmp_path, template_project):
    io.import_file(project, LAYER, write(tmp_path / "in.gpkg", [box()], rows(1)))
    out = tmp_path / "gbk.csv"
    assert [s.stage for s in export.export_steps(project, LAYER, out, encoding="GBK")] == ["read", "write"]
    assert "浦东新区".encode("gbk") in out.read_bytes()
    copy = _fresh(template_project, tmp_path)
    io.import_file(copy, LAYER, out, crs="EPSG:4490", encoding="GBK")
    assert stored(copy)[0].attrs == stored(project)[0].attrs
    assert export.export_layer(copy, "LD", tmp_path / "empty.gpkg") == 0
    refused(copy, tmp_path / "empty.gpkg", "has no features", layer="LD")
    copy.close()


def test_export_refuses_to_overwrite_and_leaves_nothing_on_failure(project, tmp_path):
    io.import_file(project, LAYER, write(tmp_path / "in.gpkg", [box()], rows(1, BZ="长" * 100)))
    (tmp_path / "taken.geojson").write_text("{}")
    with pytest.raises(InvalidInput, match="taken.geojson already exists"):
        export.export_layer(project, LAYER, tmp_path / "taken.geojson")
    out = tmp_path / "export"
    out.mkdir()
    with pytest.raises(InvalidInput, match="300 bytes in utf-8, a Shapefile field holds 254"):
        export.export_layer(project, LAYER, out / "long.shp")  # GDAL would truncate it silently
    with pytest.raises(InvalidInput, match="use .geojson, .gpkg, .shp or .csv"):
        export.export_layer(project, LAYER, out / "x.kml")
    with pytest.raises(InvalidInput, match="always UTF-8"):
        export.export_layer(project, LAYER, out / "x.gpkg", encoding="GBK")
    assert list(out.iterdir()) == []


def _fresh(template_project, tmp_path):
    path = tmp_path / f"copy-{len(list(tmp_path.glob('copy-*')))}.sqlite"
    shutil.copy(template_project, path)
    return Project.open(path, author="tester")


# ---------------------------------------------------------------- CLI

def test_cli_import_and_export(project_path, tmp_path, capsys):
    path = write(tmp_path / "a.geojson", [box(0), box(1)], rows(2))
    assert cli.main(["import", str(project_path), LAYER, str(path), "--map", "XZQMC=XZQMC"]) == 0
    assert "imported 2 of 2 feature(s) from a.geojson into GHYDYH" in capsys.readouterr().out
    assert cli.main(["export", str(project_path), LAYER, str(tmp_path / "o.gpkg")]) == 0
    assert "exported 2 feature(s)" in capsys.readouterr().out


def test_cli_bad_input_is_one_line_without_traceback(project_path, tmp_path, capsys):
    path = write(tmp_path / "a.geojson", [box(0), BOWTIE], rows(2))
    assert cli.main(["import", str(project_path), LAYER, str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coplan: error: a.geojson: 1 of 2 row(s) are bad")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert cli.main(["import", str(project_path), LAYER, str(path), "--make-valid"]) == 0


def test_bulk_import_keeps_the_spatial_index_and_its_triggers(project, tmp_path):
    """Imports fill the R-tree in one statement; editing afterwards maintains it as before."""
    triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'STBHHX'"
    before = sorted(project.db.execute(triggers).fetchall())
    boxes = [shapely.box(121 + i / 100, 31, 121.005 + i / 100, 31.005) for i in range(30)]
    path = tmp_path / "red.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": shapely.geometry.mapping(b),
         "properties": {"BSM": str(i), "XZQDM": "310000", "XZQMC": "上海市"}}
        for i, b in enumerate(boxes)]}), encoding="utf-8")
    io.import_file(project, "STBHHX", path)
    assert sorted(project.db.execute(triggers).fetchall()) == before
    count = project.db.execute('SELECT count(*) FROM "idx_STBHHX_geom"').fetchone()[0]
    assert count == 30
    found = list(iter_features(project, "STBHHX", bbox=(121.10, 31.0, 121.106, 31.01)))
    assert [f.attrs["BSM"] for f in found] == ["10"]
    moved = update_feature(project, "STBHHX", found[0].uuid, geom=shapely.box(122, 31, 122.01, 31.01))
    assert [f.uuid for f in iter_features(project, "STBHHX", bbox=(121.99, 30.99, 122.02, 31.02))] \
        == [moved.uuid]


# ---------------------------------------------------------------- fields: labels and constants

def test_fields_matched_by_chinese_label_and_name_ignoring_case(project, tmp_path):
    """A GBK Shapefile with the catalogue's Chinese labels (10-byte DBF names) and lower case."""
    data = [{"标识码": f"31011500000{i}", "行政区代码": "310115", "行政区名称": "浦东新区",
             "ydyhfldm": "0101", "YdYhFlMc": "水田"} for i in range(2)]
    path = write(tmp_path / "labels.shp", [box(0), box(1)], data, encoding="GBK")
    report = io.import_file(project, LAYER, path)
    assert report.imported == 2 and report.unmapped == []
    assert report.matched == [("ydyhfldm", "YDYHFLDM", "name ignoring case"),
                              ("YdYhFlMc", "YDYHFLMC", "name ignoring case"),
                              ("标识码", "BSM", "Chinese label"), ("行政区代码", "XZQDM", "Chinese label"),
                              ("行政区名称", "XZQMC", "Chinese label")]
    assert "source field(s) matched by Chinese label: 标识码 → BSM, 行政区代码 → XZQDM, 行政区名称 → XZQMC" in report.lines()
    assert [f.attrs["BSM"] for f in stored(project)] == ["310115000000", "310115000001"]


def test_a_name_beats_a_label_and_english_labels_match(project, tmp_path):
    data = [{**ROW, "标识码": "999", "Remarks": "备注"}]
    report = io.import_file(project, LAYER, write(tmp_path / "a.gpkg", [box()], data))
    assert stored(project)[0].attrs["BSM"] == ROW["BSM"] and report.unmapped == ["标识码"]
    assert stored(project)[0].attrs["BZ"] == "备注"
    assert ("Remarks", "BZ", "English label") in report.matched


def test_set_gives_every_row_a_constant(project, tmp_path):
    data = [{k: v for k, v in r.items() if k != "XZQDM"} for r in rows(3)]
    path = write(tmp_path / "a.gpkg", [box(i) for i in range(3)], data)
    refused(project, path, "XZQDM (Administrative division code) is required")
    report = io.import_file(project, LAYER, path, constants={"xzqdm": "310115"})
    assert [f.attrs["XZQDM"] for f in stored(project)] == ["310115"] * 3
    assert "XZQDM set to 310115 on every row" in report.lines()


def test_set_values_are_checked_like_any_value(project, tmp_path):
    path = write(tmp_path / "a.gpkg", [box(0), box(1)], rows(2))
    error = refused(project, path, "'9999' is not a code of YDYH2023", ImportRefused,
                    constants={"YDYHFLDM": "9999"})
    assert len(error.problems) == 2
    refused(project, path, "layer GHYDYH has no field 'NOPE'", constants={"NOPE": "1"})
    refused(project, path, "TBMJ is computed from the geometry", constants={"TBMJ": "1"})
    report = io.import_file(project, LAYER, path, constants={"XZQMC": "浦东"})
    assert "--set XZQMC=浦东 replaces the file's column for XZQMC" in report.warnings
    assert {f.attrs["XZQMC"] for f in stored(project)} == {"浦东"}


def test_cli_set(project_path, tmp_path, capsys):
    data = [{k: v for k, v in r.items() if k != "XZQDM"} for r in rows(2)]
    path = write(tmp_path / "a.geojson", [box(0), box(1)], data)
    assert cli.main(["--lang", "en", "import", str(project_path), LAYER, str(path),
                     "--set", "XZQDM=310115"]) == 0
    assert "XZQDM set to 310115 on every row" in capsys.readouterr().out
    assert cli.main(["--lang", "en", "import", str(project_path), LAYER, str(path),
                     "--set", "XZQDM"]) == 1
    assert "--set takes FIELD=VALUE, got 'XZQDM'" in capsys.readouterr().err
