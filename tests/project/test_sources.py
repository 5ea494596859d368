"""Reading messy files as a technician gets them: undefined CRSs, code pages, old datums, CAD
drawings, FileGDB folders, KML, multi-layer files, filters and surveyors' coordinate tables.

Files made by other tools are made with the system's ogr2ogr (GDAL 3.6), as they would be."""

import shutil
import sqlite3
import subprocess

import numpy as np
import pyproj
import pytest
import shapely

from app import cli
from app.errors import InvalidInput, NotFound
from app.project import io
from app.project.sources import ReadOptions, read_source, source_layers
from tests.project.test_io import LAYER, POINT, box, refused, rows, stored, write

OGR2OGR = shutil.which("ogr2ogr")
needs_ogr2ogr = pytest.mark.skipif(OGR2OGR is None, reason="ogr2ogr is not installed")
GK120 = pyproj.Transformer.from_crs(4490, 4549, always_xy=True)


def ogr2ogr(*args) -> None:
    subprocess.run([OGR2OGR, *map(str, args)], check=True, capture_output=True)


def geopackage_srs_id(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT srs_id FROM gpkg_geometry_columns").fetchone()[0]


# ---------------------------------------------------------------- undefined CRS

@pytest.fixture
def undefined_crs_gpkg(tmp_path):
    """What ogr2ogr makes of a shapefile sent without its .prj: srs_id 0."""
    x, y = GK120.transform(120.6, 31.3)
    shp = write(tmp_path / "parcels.shp", [shapely.Point(x, y)], [POINT], kind="Point", crs=None)
    assert not (tmp_path / "parcels.prj").exists()
    ogr2ogr("-f", "GPKG", tmp_path / "parcels.gpkg", shp)
    return tmp_path / "parcels.gpkg"


@needs_ogr2ogr
def test_undefined_crs_from_a_prj_less_shapefile_is_fixed_by_crs(project, undefined_crs_gpkg):
    assert geopackage_srs_id(undefined_crs_gpkg) == 0
    refused(project, undefined_crs_gpkg, "undefined ('Undefined geographic SRS'); give the real "
            "one with --crs", layer="XMK_POINT")
    report = io.import_file(project, "XMK_POINT", undefined_crs_gpkg, crs="EPSG:4549")
    assert report.crs == "EPSG:4549" and "undefined" in report.warnings[0]
    point = stored(project, "XMK_POINT")[0].geometry
    assert abs(point.x - 120.6) < 1e-7 and abs(point.y - 31.3) < 1e-7


@needs_ogr2ogr
def test_undefined_cartesian_srs_is_a_clear_message(project, undefined_crs_gpkg):
    with sqlite3.connect(undefined_crs_gpkg) as db:  # srs_id -1: "Undefined Cartesian SRS"
        db.execute("UPDATE gpkg_geometry_columns SET srs_id = -1")
        db.execute("UPDATE gpkg_contents SET srs_id = -1")
    refused(project, undefined_crs_gpkg, "'Undefined Cartesian SRS'); give the real one with --crs",
            layer="XMK_POINT")
    assert io.import_file(project, "XMK_POINT", undefined_crs_gpkg, crs="4549").imported == 1


# ---------------------------------------------------------------- code pages and garbled text

def test_dbf_header_code_page_is_honoured_without_a_cpg(project, tmp_path):
    path = write(tmp_path / "arcgis.shp", [box()], rows(1), encoding="GBK")
    (tmp_path / "arcgis.cpg").unlink()
    dbf = tmp_path / "arcgis.dbf"
    data = bytearray(dbf.read_bytes())
    data[29] = 0x4D  # language driver id: code page 936 (GBK), as ArcGIS writes it
    dbf.write_bytes(bytes(data))
    io.import_file(project, LAYER, path)
    assert stored(project)[0].attrs["XZQMC"] == "浦东新区"


def test_arcgis_default_code_page_on_gbk_data_is_refused_with_the_likely_encoding(project, tmp_path):
    path = write(tmp_path / "ansi.shp", [box()], rows(1), encoding="GBK")
    (tmp_path / "ansi.cpg").unlink()
    dbf = tmp_path / "ansi.dbf"
    dbf.write_bytes(dbf.read_bytes()[:29] + b"\x57" + dbf.read_bytes()[30:])  # "ANSI" (1252)
    refused(project, path, "(the header of ansi.dbf says code page 1252); it reads as GBK")


def test_gbk_read_as_a_western_code_page_is_refused_not_garbled(project, tmp_path):
    path = write(tmp_path / "gbk.shp", [box()], rows(1, XZQMC="苏州市"), encoding="GBK")
    (tmp_path / "gbk.cpg").write_text("1252")  # a .cpg that lies, as some tools write it
    error = refused(project, path, "looks like Chinese text read with the wrong encoding")
    assert "'ËÕÖÝÊÐ'" in error.message and "give --encoding GBK" in error.message
    assert "gbk.cpg says 1252" in error.message
    refused(project, path, "give --encoding GBK", encoding="latin1")
    io.import_file(project, LAYER, path, encoding="GBK")
    assert stored(project)[0].attrs["XZQMC"] == "苏州市"


def test_gbk_csv_read_as_latin1_names_its_line(project, tmp_path):
    path = tmp_path / "points.csv"
    path.write_bytes("lon,lat,XMBH,XMMC,XMLX,QTDW,SJCS,JSZT\n"
                     "121.47,31.23,XM-1,虹桥枢纽,JT,上海,310000,规划\n".encode("gbk"))
    error = refused(project, path, "points.csv, line 2: '", layer="XMK_POINT", crs="EPSG:4490",
                    encoding="latin1")
    assert "give --encoding GBK" in error.message


def test_western_accented_text_in_1252_still_imports(project, tmp_path):
    path = write(tmp_path / "w.shp", [box()], [{"MC": "Café Müller, Zürich"}], encoding="cp1252")
    io.import_file(project, "SY", path)
    assert stored(project, "SY")[0].attrs["MC"] == "Café Müller, Zürich"


# ---------------------------------------------------------------- Xian 1980 and Beijing 1954

LON, LAT = 120.3, 31.5


def old_datum_file(tmp_path, epsg: int):
    x, y = pyproj.Transformer.from_crs(4490, epsg, always_xy=True).transform(LON, LAT)
    return write(tmp_path / f"old{epsg}.gpkg", [shapely.Point(x, y)], [POINT], kind="Point",
                 crs=f"EPSG:{epsg}")


@pytest.mark.parametrize("epsg", [4610, 2385, 2327, 4214, 2437])
def test_old_datums_need_a_transformation(project, tmp_path, epsg):
    """Xian 1980 and Beijing 1954 (lon/lat, 3° and 6° Gauss-Krüger): PROJ's only path to
    CGCS2000 is a 'ballpark' without datum shift; it is refused with the way out."""
    refused(project, old_datum_file(tmp_path, epsg), "give the 7 parameters of your survey "
            "office with --towgs84", layer="XMK_POINT")


def test_ballpark_is_taken_only_when_asked_and_said_loudly(project, tmp_path):
    path = old_datum_file(tmp_path, 2385)
    report = io.import_file(project, "XMK_POINT", path, reading=ReadOptions(transform="ballpark"))
    assert any("WITHOUT a datum shift" in w for w in report.warnings)
    point = stored(project, "XMK_POINT")[0].geometry  # ballpark: the numbers kept as they are
    assert abs(point.x - LON) < 1e-7 and abs(point.y - LAT) < 1e-7


def test_seven_parameters_move_the_result_by_the_expected_amount(project, tmp_path):
    path = old_datum_file(tmp_path, 2385)
    for params in ["0,0,0,0,0,0,0", "100,0,0,0,0,0,0", "0,0,0,0,0,1,0"]:
        report = io.import_file(project, "XMK_POINT", path, field_map={},
                                reading=ReadOptions(transform=f"+towgs84={params}"))
        assert report.crs == f"EPSG:2385 +towgs84={params}"
    zero, dx, rz = (f.geometry for f in stored(project, "XMK_POINT"))
    geod = pyproj.Geod(ellps="GRS80")
    # A geocentric X shift of 100 m at (lon, lat) moves east by -sin(lon)·100 m and north by
    # -sin(lat)·cos(lon)·100 m; a 1″ rotation about Z moves east by R·cos(lat)·4.848e-6.
    east, north = -np.sin(np.radians(LON)) * 100, -np.sin(np.radians(LAT)) * np.cos(np.radians(LON)) * 100
    azimuth, _, moved = geod.inv(zero.x, zero.y, dx.x, dx.y)
    assert moved == pytest.approx(np.hypot(east, north), abs=0.5)
    assert azimuth == pytest.approx(np.degrees(np.arctan2(east, north)), abs=0.5)
    _, _, turned = geod.inv(zero.x, zero.y, rz.x, rz.y)
    assert turned == pytest.approx(6378137 * np.cos(np.radians(LAT)) * np.radians(1 / 3600), abs=0.5)


def test_datum_parameters_are_checked(project, tmp_path):
    path = old_datum_file(tmp_path, 2385)
    refused(project, path, "give 3 or 7 numbers", layer="XMK_POINT",
            reading=ReadOptions(transform="+towgs84=1,2"))
    cgcs = write(tmp_path / "cgcs.gpkg", [box()], rows(1))
    refused(project, cgcs, "already EPSG:4490", reading=ReadOptions(transform="+towgs84=1,2,3"))


# ---------------------------------------------------------------- layers, FileGDB, KML, --where

def two_layers(tmp_path):
    path = write(tmp_path / "two.gpkg", [box(0), box(1)], rows(2), layer="parcels")
    return write(path, [box(2)], rows(1), layer="roads")


def test_layer_of_a_multi_layer_geopackage(project, tmp_path):
    path = two_layers(tmp_path)
    refused(project, path, "choose one with --layer NAME: parcels (2 feature(s)), roads (1 feature(s))")
    refused(project, path, "has no layer 'rivers'", reading=ReadOptions(layer="rivers"))
    assert io.import_file(project, LAYER, path, reading=ReadOptions(layer="roads")).imported == 1
    assert source_layers(path) == [("parcels", 2), ("roads", 1)]


@needs_ogr2ogr
def test_filegdb_folder(project, tmp_path):
    gdb = tmp_path / "delivery.gdb"
    ogr2ogr("-f", "OpenFileGDB", gdb, two_layers(tmp_path))
    assert gdb.is_dir()
    refused(project, gdb, "choose one with --layer NAME: parcels (2 feature(s))")
    report = io.import_file(project, LAYER, gdb, reading=ReadOptions(layer="parcels"))
    assert (report.imported, report.crs) == (2, "EPSG:4490")
    assert stored(project)[1].attrs["XZQMC"] == "浦东新区"
    refused(project, tmp_path / "missing.gdb", "no such file", NotFound)


@needs_ogr2ogr
def test_kml(project, tmp_path):
    kml = tmp_path / "parcels.kml"
    ogr2ogr("-f", "KML", kml, write(tmp_path / "p.gpkg", [box(0), box(1)], rows(2)))
    report = io.import_file(project, LAYER, kml)
    assert (report.imported, report.crs) == (2, "EPSG:4326")
    assert [f.attrs["BSM"] for f in stored(project)] == ["310115000000", "310115000001"]
    assert stored(project)[1].geometry.equals(box(1))


def test_where_filters_rows_and_a_bad_filter_is_refused(project, tmp_path):
    data = rows(3)
    data[1]["XZQDM"] = "320505"
    path = write(tmp_path / "w.gpkg", [box(i) for i in range(3)], data)
    refused(project, path, "--where 'XZQDM = = 1' is not a valid filter for w.gpkg",
            reading=ReadOptions(where="XZQDM = = 1"))
    refused(project, path, "no features matching --where", reading=ReadOptions(where="XZQDM = '1'"))
    report = io.import_file(project, LAYER, path, reading=ReadOptions(where="XZQDM = '310115'"))
    assert report.imported == 2


def test_where_on_chinese_text_of_a_gbk_shapefile(project, tmp_path):
    data = rows(2)
    data[1]["XZQMC"] = "苏州市"
    path = write(tmp_path / "gbk.shp", [box(0), box(1)], data, encoding="GBK")
    io.import_file(project, LAYER, path, reading=ReadOptions(where="XZQMC = '苏州市'"))
    assert [f.attrs["XZQMC"] for f in stored(project)] == ["苏州市"]


# ---------------------------------------------------------------- DXF drawings

def dxf(path, entities: str):
    """An AutoCAD R12 drawing in code page 936 (GBK) with a PARCEL block, as CAD offices send."""
    def g(code, value):
        return f"{code}\n{value}\n"
    head = (g(0, "SECTION") + g(2, "HEADER") + g(9, "$ACADVER") + g(1, "AC1009")
            + g(9, "$DWGCODEPAGE") + g(3, "ANSI_936") + g(0, "ENDSEC"))
    block = (g(0, "SECTION") + g(2, "BLOCKS") + g(0, "BLOCK") + g(8, "0") + g(2, "PARCEL")
             + g(70, 0) + g(10, 0) + g(20, 0) + polyline("0", 0, 0, 50) + g(0, "ENDBLK")
             + g(0, "ENDSEC"))
    path.write_text(head + block + g(0, "SECTION") + g(2, "ENTITIES") + entities + g(0, "ENDSEC")
                    + g(0, "EOF"), encoding="gbk")
    return path


def polyline(layer, x, y, size=100, closed=True):
    s = f"0\nPOLYLINE\n8\n{layer}\n66\n1\n70\n{int(closed)}\n"
    corners = [(x, y), (x + size, y), (x + size, y + size), (x, y + size)]
    return s + "".join(f"0\nVERTEX\n8\n{layer}\n10\n{a}\n20\n{b}\n" for a, b in corners) + "0\nSEQEND\n"


def text(layer, x, y, value):
    return f"0\nTEXT\n8\n{layer}\n10\n{x}\n20\n{y}\n40\n2.5\n1\n{value}\n"


def insert(layer, x, y):
    return f"0\nINSERT\n8\n{layer}\n2\nPARCEL\n10\n{x}\n20\n{y}\n"


@pytest.fixture
def drawing(tmp_path):
    x, y = (round(v) for v in GK120.transform(120.6, 31.3))
    return dxf(tmp_path / "规划图.dxf", polyline("地块", x, y) + polyline("地块", x + 200, y)
               + text("地块", x + 50, y + 50, "地块一") + insert("地块", x + 400, y)
               + polyline("绿地", x, y + 300) + polyline("道路", x, y - 20, 600, closed=False)
               + text("注记", x, y + 500, "苏州市"))


def test_dxf_polygons_of_one_cad_layer_with_blocks_exploded(project, drawing):
    refused(project, drawing, "has polygons on 2 CAD layers: choose one with --layer NAME: "
            "地块: 3 polygon, 1 text; 注记: 1 text; 绿地: 1 polygon; 道路: 1 line",
            layer="SY", crs="EPSG:4549")
    report = io.import_file(project, "SY", drawing, crs="EPSG:4549", field_map={"Layer": "MC"},
                            reading=ReadOptions(layer="地块"))
    assert report.imported == 3  # two closed polylines and the PARCEL block's square
    assert any("CAD layer 地块: 1 entity(ies) that are not polygons were left out (1 text)" in w
               for w in report.warnings)
    features = stored(project, "SY")
    assert {f.attrs["MC"] for f in features} == {"地块"}
    # 100 m squares and the block's 50 m one (geodesic, so a Gauss-Krüger m² is not exactly 1)
    assert sorted(f.attrs["MJ"] for f in features) == pytest.approx([2500, 10000, 10000], rel=1e-3)


def test_dxf_point_layer_takes_block_inserts_as_points(tmp_path, drawing):
    notes = []
    source = read_source(drawing, None, notes, ReadOptions(layer="地块"), "Point")
    assert len(source.wkb) == 1 and "1 text" in notes[-1]
    assert shapely.from_wkb(source.wkb[0]).geom_type == "Point"
    with pytest.raises(InvalidInput, match="has no CAD layer '河流'"):
        read_source(drawing, None, [], ReadOptions(layer="河流"), "MultiPolygon")
    with pytest.raises(InvalidInput, match="CAD layer 注记 holds no polygons"):
        read_source(drawing, None, [], ReadOptions(layer="注记"), "MultiPolygon")


def test_dxf_line_layer_keeps_closed_polylines_as_lines(drawing):
    notes = []
    roads = read_source(drawing, None, notes, ReadOptions(layer="道路"), "MultiLineString")
    assert len(roads.wkb) == 1 and notes == []
    parcels = read_source(drawing, None, notes, ReadOptions(layer="地块"), "MultiLineString")
    assert {shapely.from_wkb(w).geom_type for w in parcels.wkb} == {"LineString"}


def test_single_layer_formats_refuse_another_layer_name(project, tmp_path):
    path = write(tmp_path / "a.geojson", [box()], rows(1))
    refused(project, path, "holds a single layer: drop --layer", reading=ReadOptions(layer="x"))
    assert io.import_file(project, LAYER, path, reading=ReadOptions(layer="a")).imported == 1


# ---------------------------------------------------------------- CSV coordinate columns

HEADER = "编号,X坐标,Y坐标,XMBH,XMMC,XMLX,QTDW,SJCS,JSZT\n"


def survey_csv(tmp_path, *coords, encoding="gbk"):
    lines = "".join(f"{i},{x},{y},XM-{i},项目{i},JT,上海市交通委,310000,在建\n"
                    for i, (x, y) in enumerate(coords))
    path = tmp_path / "坐标表.csv"
    path.write_bytes((HEADER + lines).encode(encoding))
    return path


def test_csv_coordinates_by_name_in_degrees_minutes_seconds(project, tmp_path):
    path = survey_csv(tmp_path, ("120°35′12.5″E", "31°18′25.3″N"), ("120 35 12.5", "31 18 25.3"),
                      ("120度35分12.5秒", "北纬31度18分25.3秒"), ("120.586806", '31°18\'25.3"'))
    report = io.import_file(project, "XMK_POINT", path, crs="EPSG:4490", encoding="GBK",
                            reading=ReadOptions(x="X坐标", y="Y坐标"))
    assert report.imported == 4 and "X坐标" not in report.unmapped
    for feature in stored(project, "XMK_POINT"):
        assert feature.geometry.x == pytest.approx(120 + 35 / 60 + 12.5 / 3600, abs=1e-6)
        assert feature.geometry.y == pytest.approx(31 + 18 / 60 + 25.3 / 3600, abs=1e-9)


def test_csv_unreadable_coordinate_names_its_line(project, tmp_path):
    path = survey_csv(tmp_path, ("120°35′12.5″E", "31°18′25.3″N"), ("120°75′", "31 18 25.3"))
    refused(project, path, "坐标表.csv, line 3, column X坐标: cannot read '120°75′' as a coordinate",
            layer="XMK_POINT", crs="EPSG:4490", encoding="GBK",
            reading=ReadOptions(x="X坐标", y="Y坐标"))
    refused(project, path, "has no column 'E'", layer="XMK_POINT", crs="EPSG:4490",
            encoding="GBK", reading=ReadOptions(x="E", y="Y坐标"))


def test_csv_surveyors_x_northing_is_caught(project, tmp_path):
    """Chinese surveying names the northing X: --x X坐标 on such a table would swap the axes."""
    east, north = GK120.transform(120.6, 31.3)
    path = survey_csv(tmp_path, (f"{north:.3f}", f"{east:.3f}"))
    reading = ReadOptions(x="X坐标", y="Y坐标")
    refused(project, path, "give --x Y坐标 --y X坐标", layer="XMK_POINT", crs="EPSG:4549",
            encoding="GBK", reading=reading)
    io.import_file(project, "XMK_POINT", path, crs="EPSG:4549", encoding="GBK",
                   reading=ReadOptions(x="Y坐标", y="X坐标"))
    point = stored(project, "XMK_POINT")[0].geometry
    assert abs(point.x - 120.6) < 1e-6 and abs(point.y - 31.3) < 1e-6


# ---------------------------------------------------------------- the command line

def test_cli_reading_options(project_path, drawing, tmp_path, capsys):
    args = ["import", str(project_path), "SY", str(drawing), "--crs", "EPSG:4549",
            "--map", "Layer=MC"]
    assert cli.main([*args, "--layer", "地块", "--where", "Layer <> '道路'"]) == 0
    assert "imported 3 of 3 feature(s) from 规划图.dxf into SY" in capsys.readouterr().out
    old = old_datum_file(tmp_path, 2385)
    args = ["import", str(project_path), "XMK_POINT", str(old)]
    assert cli.main(args) == 2
    assert "--towgs84 DX,DY,DZ,RX,RY,RZ,DS" in capsys.readouterr().err
    # a Xian 1980 → CGCS2000 shift of the kind survey offices publish, starting with a minus
    assert cli.main([*args, "--towgs84=-15.8,30.2,9.1,0.5,-0.3,1.1,2.4"]) == 0
    assert "EPSG:2385 +towgs84=-15.8,30.2,9.1,0.5,-0.3,1.1,2.4" in capsys.readouterr().out
    assert cli.main([*args, "--towgs84=1,2,3", "--transform", "ballpark"]) == 1
    csv = survey_csv(tmp_path, ("120°35′12.5″E", "31°18′25.3″N"))
    assert cli.main(["import", str(project_path), "XMK_POINT", str(csv), "--crs", "4490",
                     "--encoding", "GBK", "--x", "X坐标", "--y", "Y坐标"]) == 0
