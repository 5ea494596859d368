"""The Shanghai metro sample: ten valid, deterministic projects built from vendored sources."""

from __future__ import annotations

import json
import shutil
import subprocess
import time

import pytest
import shapely

from app.project.features import iter_features, validate_layer
from app.project.history import log, pending
from app.project.project import Project
from sample_projects import build
from tests.conftest import SHARED_REFERENCE

CITIES = ("310000", "320500", "320200", "320400", "320600", "330200", "330400", "330900", "330500")
SYNTHETIC_LAYERS = ("STBHHX", "YJJBNTBHTB", "CZKFBJ", "GHYDYH")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample built once into a scratch folder."""
    out = tmp_path_factory.mktemp("sample")
    assert build.build(out=out, review=False) is True
    return out


def _open(folder, name):
    return Project.open(folder / f"{name}.sqlite", author="tester")


def _snapshot(project: Project) -> dict:
    """Per layer: the sorted (uuid, attrs, geometry WKB) of every feature."""
    return {layer.code: sorted((f.uuid, json.dumps(f.attrs, sort_keys=True), f.geometry.wkb)
                               for f in iter_features(project, layer.code))
            for layer in project.layers()}


def test_builds_ten_projects_and_a_stamp(built):
    names = sorted(p.name for p in built.glob("*.sqlite"))
    assert names == sorted([f"{c}.sqlite" for c in CITIES] + ["metro.sqlite"])
    assert (built / build.STAMP).is_file()
    assert not list(built.glob(".build-*")) and not list(built.glob("*.sqlite-wal"))


@pytest.mark.parametrize("city", CITIES)
def test_city_project_is_valid_and_committed(built, city):
    with _open(built, city) as project:
        assert (project.party, project.role) == (city, "editor")
        assert project.count("XZQ") == 9
        for layer in project.layers():
            assert validate_layer(project, layer.code) == [], layer.code
        assert [e.changeset.message for e in log(project)] == ["示例数据 / sample data"]
        assert pending(project) == []


def test_metro_project_belongs_to_the_office(built):
    with _open(built, "metro") as project:
        assert (project.party, project.party_name, project.role) == (
            "office", "上海大都市圈规划协同办公室", "coordinator")
        owners = {f.owner for f in iter_features(project, "GHYDYH")}
        assert owners == set(CITIES)


def test_boundaries_are_marked_schematic(built):
    with _open(built, "310000") as project:
        for feature in iter_features(project, "XZQ"):
            assert "示意" in feature.attrs["BZ"] and "not an official boundary" in feature.attrs["BZ"]
            assert feature.owner == feature.attrs["XZQDM"] and feature.attrs["JB"] == "city"


def test_zones_follow_the_plan(built):
    plan = json.loads((build.DEFAULT_REFERENCE / "metro_plan_1_8_5.json").read_text(encoding="utf-8"))
    expected = {s["id"]: (s["lead"], ",".join(s["participants"])) for s in plan["spatial_sections"]}
    with _open(built, "320500") as project:
        zones = {f.attrs["ZQBM"]: f for f in iter_features(project, "DSQ_ZLXTQ")}
        demo = next(iter_features(project, "HZSFQ"))
    assert {k: (f.attrs["QTCS"], f.attrs["CYCS"]) for k, f in zones.items()} == expected
    assert all(f.owner == f.attrs["QTCS"] and "示意" in f.attrs["BZ"] for f in zones.values())
    assert demo.attrs["SSZQ"] == "Z2" and 1_500e6 < demo.attrs["MJ"] < 3_500e6


def test_synthetic_features_lie_in_their_city(built):
    with _open(built, "metro") as project:
        cities = {f.attrs["XZQDM"]: f.geometry.buffer(1e-5) for f in iter_features(project, "XZQ")}
        for code in SYNTHETIC_LAYERS:
            features = list(iter_features(project, code))
            assert {f.owner for f in features} == set(CITIES), code
            for f in features:
                assert cities[f.owner].contains(f.geometry), (code, f.attrs["BSM"])
                assert "合成示例数据" in f.attrs["BZ"]


def test_synthetic_sizes_are_plausible(built):
    with _open(built, "330400") as project:
        km2 = {code: [f.attrs.get("MJ") or f.attrs.get("TBMJ") for f in iter_features(project, code)]
               for code in SYNTHETIC_LAYERS}
    assert 3 <= len(km2["STBHHX"]) and all(5e6 < a < 500e6 for a in km2["STBHHX"])
    assert len(km2["YJJBNTBHTB"]) == 18 and all(0.05e6 < a < 20e6 for a in km2["YJJBNTBHTB"])
    assert 20 <= len(km2["GHYDYH"]) <= 80 and all(a < 1e6 for a in km2["GHYDYH"])
    assert max(km2["CZKFBJ"]) > 100e6


def test_city_projects_hold_only_their_own_synthetic_data(built):
    with _open(built, "330900") as project:
        for code in SYNTHETIC_LAYERS:
            assert {f.owner for f in iter_features(project, code)} == {"330900"}


def test_two_builds_give_identical_features(built, tmp_path):
    build.build(out=tmp_path, force=True, review=False)
    for name in ("metro", "310000"):
        with _open(built, name) as first, _open(tmp_path, name) as second:
            assert _snapshot(first) == _snapshot(second)


def test_up_to_date_build_returns_fast(built):
    started = time.monotonic()
    assert build.build(out=built, review=False) is False
    assert time.monotonic() - started < 0.5


def test_changed_input_makes_the_build_stale(built, tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(build.DEFAULT_REFERENCE, reference)
    digest = build.fingerprint(build.input_files(reference))
    assert build.up_to_date(built, digest, review=False)
    (reference / "cities.json").write_text("{}", encoding="utf-8")
    assert not build.up_to_date(built, build.fingerprint(build.input_files(reference)), review=False)


def test_cli_reports_missing_reference(tmp_path, capsys):
    assert build.main(["--reference", str(tmp_path), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    assert "missing input" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (GDAL) not installed")
def test_gdal_reads_the_projects_in_cgcs2000(built):
    path = str(built / "310000.sqlite")
    listing = subprocess.run(["ogrinfo", "-ro", "-so", path], capture_output=True, text=True,
                             check=True, timeout=60).stdout
    assert all(f": {code} (" in listing for code in ("XZQ", "SY", "DSQ_ZLXTQ", "XMK_POINT"))
    summary = subprocess.run(["ogrinfo", "-ro", "-so", "-al", path], capture_output=True, text=True,
                             check=True, timeout=60).stdout
    assert 'ID["EPSG",4490]' in summary and "CGCS2000" in summary
    assert "Feature Count: 9" in summary


@pytest.mark.skipif(not SHARED_REFERENCE.is_dir(), reason="the team's reference folder is absent")
def test_vendored_sources_equal_the_reference():
    for name in build.SOURCE_FILES:
        vendored = (build.DEFAULT_REFERENCE / name).read_bytes()
        assert vendored == (SHARED_REFERENCE / name).read_bytes(), name


def test_geometries_are_valid_multipolygons(built):
    with _open(built, "320600") as project:
        geoms = [f.geometry for f in iter_features(project, "YJJBNTBHTB")]
    assert all(shapely.is_valid(g) and g.geom_type == "MultiPolygon" for g in geoms)
