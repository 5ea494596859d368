"""Export: several layers into one GeoPackage, Shapefile fields from the catalogue, long text
refused / truncated / split with a report, CSV for Excel, and the uuid in every export."""

import math
import sqlite3

import numpy as np
import pytest
import shapely
from pyogrio import list_layers, raw, read_info

from app import cli
from app.errors import InvalidInput
from app.model.catalogue import load_catalogue
from app.project import export, io
from app.project.features import add_feature, iter_features
from app.project.shapefile import DBF_NAME_BYTES, TextTooLong, _continuation

PARCEL = {"BSM": "310115000001", "XZQDM": "310115", "XZQMC": "浦东新区", "YDYHFLDM": "0101",
          "YDYHFLMC": "水田"}
PROJECT_POINT = {"XMBH": "XM-001", "XMMC": "沪苏湖铁路", "XMLX": "JT", "QTDW": "上海市交通委",
                 "SJCS": "310000,320500", "JSZT": "在建", "QDNF": 2021}
LONG = "规划" * 150  # 300 characters: 900 bytes in UTF-8, 600 in GBK
RARE = "𠀀"  # CJK extension B: 4 bytes in UTF-8 and in GB18030


def ring(i: int, vertices: int = 3000) -> shapely.Polygon:
    """A messy parcel: a circle of thousands of vertices near Shanghai."""
    t = np.linspace(0, 2 * math.pi, vertices, endpoint=False)
    return shapely.Polygon(np.c_[121.0 + 0.02 * i + 0.005 * np.cos(t), 31.0 + 0.004 * np.sin(t)])


def parcels(project, n: int = 2, **changes) -> list:
    return [add_feature(project, "GHYDYH", {**PARCEL, "BSM": f"31011500000{i}", **changes},
                        ring(i)) for i in range(n)]


def set_text(project, code: str, uuid: str, field: str, value: str) -> None:
    """Text written by another tool (QGIS, SQL): not checked against the catalogue."""
    project.db.execute(f"UPDATE {code} SET {field} = ? WHERE uuid = ?", [value, uuid])


def dbf_fields(path) -> dict[str, tuple[str, int, int]]:
    """name -> (type, width, decimals), read from the DBF header itself."""
    data = path.with_suffix(".dbf").read_bytes()
    count = (int.from_bytes(data[8:10], "little") - 33) // 32
    fields = {}
    for i in range(count):
        d = data[32 + 32 * i:64 + 32 * i]
        fields[d[:11].split(b"\0")[0].decode()] = (chr(d[11]), d[16], d[17])
    return fields


def read(path, layer=None, encoding=None) -> dict[str, list]:
    meta, _, _, columns = raw.read(path, layer=layer, encoding=encoding)
    return {name: list(values) for name, values in zip(meta["fields"], columns, strict=True)}


def files(folder) -> list[str]:
    """What an export left in the folder (the project's own files aside)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("project.sqlite"))


# ---------------------------------------------------------------- several layers, one GeoPackage

def test_several_layers_go_into_one_geopackage_named_by_code_with_chinese_names(project, tmp_path):
    features = parcels(project)
    point = add_feature(project, "XMK_POINT", PROJECT_POINT, shapely.Point(121.47, 31.23))
    out = tmp_path / "plan.gpkg"
    report = export.export_layers(project, ["GHYDYH", "XMK_POINT", "GHFQ"], out)
    assert report.counts == {"GHYDYH": 2, "XMK_POINT": 1, "GHFQ": 0}
    assert "exported 3 feature(s) of 3 layers to plan.gpkg: GHYDYH 2, XMK_POINT 1, GHFQ 0" \
        in report.lines()
    assert sorted(list_layers(out)[:, 0]) == ["GHFQ", "GHYDYH", "XMK_POINT"]
    with sqlite3.connect(out) as db:
        contents = dict(db.execute("SELECT table_name, identifier FROM gpkg_contents"))
        described = db.execute("SELECT description FROM gpkg_contents WHERE table_name = "
                               "'GHYDYH'").fetchone()[0]
    assert contents == {"GHYDYH": "规划用地用海", "XMK_POINT": "项目库（点）", "GHFQ": "规划分区"}
    assert described.startswith("规划用地用海")
    assert read(out, "GHYDYH")["uuid"] == [f.uuid for f in features]
    assert read(out, "XMK_POINT")["XMMC"] == ["沪苏湖铁路"]
    assert read(out, "XMK_POINT")["uuid"] == [point.uuid]
    assert files(tmp_path) == ["plan.gpkg"]


def test_several_layers_only_into_a_geopackage(project, tmp_path):
    for name in ("two.shp", "two.geojson", "two.csv"):
        with pytest.raises(InvalidInput, match="several layers go into one GeoPackage"):
            export.export_layers(project, ["GHYDYH", "GHFQ"], tmp_path / name)
    with pytest.raises(InvalidInput, match="no layer to export"):
        export.export_layers(project, [], tmp_path / "none.gpkg")
    assert files(tmp_path) == []


def test_an_abandoned_multi_layer_export_leaves_no_file(project, tmp_path):
    parcels(project)
    job = export.export_steps(project, ["GHYDYH", "XMK_POINT"], tmp_path / "half.gpkg")
    stages = [next(job).stage for _ in range(3)]  # both layers read, the first one written
    assert stages == ["read", "read", "write"]
    job.close()
    assert files(tmp_path) == []


def test_cli_exports_all_layers_or_a_list(project_path, project, tmp_path, capsys):
    parcels(project)
    project.close()
    assert cli.main(["export", str(project_path), str(tmp_path / "all.gpkg"), "--all"]) == 0
    assert "feature(s) of" in capsys.readouterr().out
    from app.project.project import Project
    with Project.open(project_path) as again:
        assert len(list_layers(tmp_path / "all.gpkg")) == len(again.layers())
    assert cli.main(["export", str(project_path), str(tmp_path / "two.gpkg"),
                     "--layers", "GHYDYH, GHFQ"]) == 0
    assert sorted(list_layers(tmp_path / "two.gpkg")[:, 0]) == ["GHFQ", "GHYDYH"]
    assert cli.main(["export", str(project_path), "GHYDYH", str(tmp_path / "x.gpkg"),
                     "--all"]) == 1
    assert "give LAYER FILE, or FILE with --layers" in capsys.readouterr().err


# ---------------------------------------------------------------- Shapefile fields

def test_shapefile_widths_and_numbers_follow_the_catalogue(project, tmp_path, template_project):
    parcels(project)
    add_feature(project, "XMK_POINT", PROJECT_POINT, shapely.Point(121.47, 31.23))
    add_feature(project, "XMK_POINT", {**PROJECT_POINT, "XMBH": "XM-002", "QDNF": None},
                shapely.Point(121.5, 31.2))
    export.export_layer(project, "GHYDYH", tmp_path / "p.shp", encoding="GBK")
    export.export_layer(project, "XMK_POINT", tmp_path / "x.shp")
    fields = dbf_fields(tmp_path / "p.shp")
    # Text as wide as the catalogue says (GDAL made every one 80); a DBF holds 254 at most.
    assert fields["BSM"] == ("C", 18, 0)
    assert fields["XZQDM"] == ("C", 12, 0)
    assert fields["XZQMC"] == ("C", 100, 0)
    assert fields["BZ"] == ("C", 254, 0)
    assert fields["uuid"] == ("C", 36, 0)
    assert fields["TBMJ"] == ("N", 15, 2)  # the derived area, rounded to 0.01 m²
    assert dbf_fields(tmp_path / "x.shp")["QDNF"] == ("N", 4, 0)
    assert dbf_fields(tmp_path / "x.shp")["JSZT"] == ("C", 10, 0)
    assert read_info(tmp_path / "x.shp")["dtypes"][list(PROJECT_POINT).index("QDNF") + 2] == "int32"
    assert read(tmp_path / "x.shp")["QDNF"][0] == 2021
    assert math.isnan(read(tmp_path / "x.shp")["QDNF"][1])  # null (pyogrio: NaN)
    areas = read(tmp_path / "p.shp")["TBMJ"]
    stored = [f.attrs["TBMJ"] for f in iter_features(project, "GHYDYH")]
    assert areas == pytest.approx(stored, abs=0.005)


def test_chinese_values_widen_a_short_text_field_only_as_needed(project, tmp_path):
    add_feature(project, "XMK_POINT", {**PROJECT_POINT, "JSZT": "规划"}, shapely.Point(121.4, 31.2))
    export.export_layer(project, "XMK_POINT", tmp_path / "u.shp")
    export.export_layer(project, "XMK_POINT", tmp_path / "g.shp", encoding="GBK")
    assert dbf_fields(tmp_path / "u.shp")["XMMC"] == ("C", 200, 0)
    assert dbf_fields(tmp_path / "u.shp")["JSZT"][1] == 10  # "规划" is 6 bytes in UTF-8
    long_name = {**PROJECT_POINT, "XMBH": "XM-9", "XMMC": "长" * 100}
    add_feature(project, "XMK_POINT", long_name, shapely.Point(121.41, 31.2))
    export.export_layer(project, "XMK_POINT", tmp_path / "w.shp", encoding="GBK")
    assert dbf_fields(tmp_path / "w.shp")["XMMC"][1] == 200  # 100 characters, 200 GBK bytes
    assert read(tmp_path / "w.shp", encoding="GBK")["XMMC"][1] == "长" * 100


def test_a_shapefile_round_trips_through_import(project, tmp_path, template_project):
    parcels(project, BZ="备注")
    export.export_layer(project, "GHYDYH", tmp_path / "r.shp", encoding="GB18030")
    from app.project.project import Project
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(template_project.read_bytes())
    with Project.open(copy, author="tester") as other:
        io.import_file(other, "GHYDYH", tmp_path / "r.shp")
        before = [f.attrs for f in iter_features(project, "GHYDYH")]
        assert [f.attrs for f in iter_features(other, "GHYDYH")] == before


def test_every_catalogue_field_name_fits_a_dbf():
    for layer in load_catalogue().layers:
        for f in layer.fields:
            assert f.name.isascii() and len(f.name) <= DBF_NAME_BYTES, (layer.code, f.name)


def test_continuation_columns_keep_ten_characters():
    assert _continuation("BZ", 2, {"BZ"}) == "BZ_2"
    assert _continuation("ABCDEFGHIJ", 12, set()) == "ABCDEFG_12"
    with pytest.raises(InvalidInput, match="the layer has a field BZ_2"):
        _continuation("BZ", 2, {"BZ", "BZ_2"})


# ---------------------------------------------------------------- long text

def test_long_text_refuses_the_layer_listing_every_value(project, tmp_path):
    features = parcels(project, 3)
    for f in features[:2]:
        set_text(project, "GHYDYH", f.uuid, "BZ", LONG)
    set_text(project, "GHYDYH", features[2].uuid, "XZQDM", "3101150000001")  # 13 > 12
    with pytest.raises(TextTooLong) as exc:
        export.export_layer(project, "GHYDYH", tmp_path / "long.shp")
    problems = exc.value.problems
    assert [(p.bsm, p.uuid, p.field) for p in problems] == [
        ("310115000002", features[2].uuid, "XZQDM"), ("310115000000", features[0].uuid, "BZ"),
        ("310115000001", features[1].uuid, "BZ")]
    assert "is 300 characters, 900 bytes in utf-8, a Shapefile field holds 254" in problems[1].text()
    assert "the catalogue allows 12 characters" in problems[0].text()
    assert "3 text value(s) do not fit" in exc.value.message and "--truncate" in exc.value.message
    assert files(tmp_path) == []
    assert export.export_layer(project, "GHYDYH", tmp_path / "long.gpkg") == 3  # no DBF limit


@pytest.mark.parametrize("encoding", [None, "GBK", "GB18030"])
def test_truncate_cuts_between_characters_and_reports(project, tmp_path, encoding):
    (feature,) = parcels(project, 1)
    text = "规" + RARE * 120 if encoding != "GBK" else "规" + "划" * 299
    set_text(project, "GHYDYH", feature.uuid, "BZ", text)
    report = export.export_layers(project, "GHYDYH", tmp_path / "cut.shp", encoding=encoding,
                                  long_text="truncate")
    codec = encoding or "utf-8"
    raw_dbf = (tmp_path / "cut.dbf").read_bytes()
    start = raw_dbf.index("规".encode(codec))
    kept = raw_dbf[start:start + 254].rstrip(b" ").decode(codec)  # strict: no broken character
    assert text.startswith(kept) and len(kept.encode(codec)) <= 254
    assert read(tmp_path / "cut.shp", encoding=encoding)["BZ"] == [kept]
    (change,) = report.changed
    assert (change.uuid, change.field) == (feature.uuid, "BZ")
    assert f"cut to {len(kept)} characters, {len(kept.encode(codec))} bytes" in change.action
    assert any("changed 1 long text value(s)" in line for line in report.lines())


def test_split_continues_long_text_in_numbered_columns(project, tmp_path):
    features = parcels(project, 2)
    set_text(project, "GHYDYH", features[0].uuid, "BZ", LONG)
    report = export.export_layers(project, "GHYDYH", tmp_path / "s.shp", long_text="split")
    back = read(tmp_path / "s.shp")
    assert [n for n in back if n.startswith("BZ")] == ["BZ", "BZ_2", "BZ_3", "BZ_4"]
    assert "".join(back[n][0] for n in ("BZ", "BZ_2", "BZ_3", "BZ_4")) == LONG
    assert all(len(back[n][0].encode()) <= 254 for n in ("BZ", "BZ_2", "BZ_3", "BZ_4"))
    assert back["BZ_2"][1] is None and back["BZ"][1] is None
    (change,) = report.changed
    assert change.action == "split into BZ, BZ_2, BZ_3, BZ_4"


def test_cli_lists_every_long_value_and_truncates_on_request(project_path, project, tmp_path,
                                                           capsys):
    features = parcels(project, 7)
    for f in features:
        set_text(project, "GHYDYH", f.uuid, "BZ", LONG)
    project.close()
    out = tmp_path / "o.shp"
    assert cli.main(["export", str(project_path), "GHYDYH", str(out)]) == 2
    err = capsys.readouterr().err
    assert all(f.uuid in err for f in features)  # the message quotes 5; the list has all 7
    assert "7 text value(s) do not fit" in err and "... and 2 more" in err
    assert not out.exists()
    assert cli.main(["export", str(project_path), "GHYDYH", str(out), "--truncate"]) == 0
    text = capsys.readouterr().out
    assert "changed 7 long text value(s)" in text and features[6].uuid in text


# ---------------------------------------------------------------- CSV for Excel

def test_csv_byte_order_mark_for_excel(project, tmp_path, template_project):
    parcels(project, 1)
    export.export_layers(project, "GHYDYH", tmp_path / "bom.csv", bom=True)
    export.export_layers(project, "GHYDYH", tmp_path / "plain.csv")
    export.export_layers(project, "GHYDYH", tmp_path / "gbk.csv", bom=True, encoding="GBK")
    assert (tmp_path / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbfWKT,uuid,")
    assert (tmp_path / "plain.csv").read_bytes().startswith(b"WKT,uuid,")
    assert (tmp_path / "gbk.csv").read_bytes().startswith(b"WKT,uuid,")  # a BOM is UTF-8 only
    from app.project.project import Project
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(template_project.read_bytes())
    with Project.open(copy, author="tester") as other:
        report = io.import_file(other, "GHYDYH", tmp_path / "bom.csv", crs="EPSG:4490")
        assert report.unmapped == ["uuid", "owner"]  # not "\ufeffuuid"
        assert [f.attrs for f in iter_features(other, "GHYDYH")] == \
            [f.attrs for f in iter_features(project, "GHYDYH")]


def test_cli_csv_has_a_bom_unless_no_bom(project_path, tmp_path):
    assert cli.main(["export", str(project_path), "GHYDYH", str(tmp_path / "a.csv")]) == 0
    assert cli.main(["export", str(project_path), "GHYDYH", str(tmp_path / "b.csv"),
                     "--no-bom"]) == 0
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (tmp_path / "b.csv").read_bytes().startswith(b"\xef\xbb\xbf")


# ---------------------------------------------------------------- uuid in every export

@pytest.mark.parametrize("ext", ["geojson", "gpkg", "shp", "csv"])
def test_every_export_carries_the_uuid(project, tmp_path, ext):
    features = parcels(project)
    out = tmp_path / f"u.{ext}"
    export.export_layers(project, "GHYDYH", out, long_text="truncate")
    assert read(out)["uuid"] == [f.uuid for f in features]
    assert read(out)["owner"] == ["310000", "310000"]


@pytest.mark.parametrize("ext", ["gpkg", "shp", "csv"])
def test_an_edited_export_imports_back_as_updates_by_uuid(project, tmp_path, ext):
    features = parcels(project, 3)
    out = tmp_path / f"e.{ext}"
    export.export_layers(project, "GHYDYH", out, encoding="GBK" if ext == "shp" else None)
    edited = tmp_path / f"edited.{ext}"
    if ext == "csv":  # edited in Excel: the second feature's line
        lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[2] = lines[2].replace("浦东新区", "吴中区")
        edited.write_text("".join(lines), encoding="utf-8")
    else:  # edited in another GIS program
        codec = "GBK" if ext == "shp" else None
        meta, _, wkb, columns = raw.read(out, encoding=codec)
        names = list(meta["fields"])
        columns[names.index("XZQMC")][1] = "吴中区"
        raw.write(edited, wkb, columns, names, driver="GPKG" if ext == "gpkg" else "ESRI Shapefile",
                  geometry_type="MultiPolygon", crs="EPSG:4490", encoding=codec)
    report = io.import_file(project, "GHYDYH", edited, update_by="uuid",
                            crs="EPSG:4490" if ext == "csv" else None)
    assert (report.updated, report.inserted) == (1, 0)
    after = {f.uuid: f.attrs["XZQMC"] for f in iter_features(project, "GHYDYH")}
    assert after == {features[0].uuid: "浦东新区", features[1].uuid: "吴中区",
                     features[2].uuid: "浦东新区"}


def test_text_the_encoding_cannot_hold_is_refused(project, tmp_path):
    (feature,) = parcels(project, 1)
    set_text(project, "GHYDYH", feature.uuid, "XZQMC", "浦东" + RARE)  # not in GBK
    for name in ("g.shp", "g.csv"):
        with pytest.raises(InvalidInput, match=f"GHYDYH.XZQMC of feature {feature.uuid} cannot "
                                               "be written in gbk"):
            export.export_layer(project, "GHYDYH", tmp_path / name, encoding="GBK")
    assert files(tmp_path) == []
    export.export_layer(project, "GHYDYH", tmp_path / "g.shp", encoding="GB18030")
    assert read(tmp_path / "g.shp", encoding="GB18030")["XZQMC"] == ["浦东" + RARE]


def test_an_empty_layer_exports_its_fields(project, tmp_path):
    assert export.export_layer(project, "GHFQ", tmp_path / "empty.shp") == 0
    assert dbf_fields(tmp_path / "empty.shp")["MJ"] == ("N", 15, 2)
    assert read_info(tmp_path / "empty.shp")["features"] == 0
