"""CRS helpers: undefined systems, datums PROJ can only 'ballpark', user datum shifts."""

import numpy as np
import pyproj
import pytest
import shapely

from app.errors import InvalidInput
from app.model.crs import (
    ballpark_step,
    crs_label,
    is_undefined,
    to_storage,
    towgs84,
    with_datum_shift,
)

UNDEFINED_GEOGRAPHIC = ('GEOGCS["Undefined geographic SRS",DATUM["unknown",SPHEROID["unknown",'
                        '6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",'
                        '0.0174532925199433]]')
UNDEFINED_CARTESIAN = 'LOCAL_CS["Undefined Cartesian SRS",UNIT["Meter",1]]'


def test_undefined_systems():
    assert is_undefined(pyproj.CRS.from_wkt(UNDEFINED_GEOGRAPHIC))
    assert is_undefined(pyproj.CRS.from_wkt(UNDEFINED_CARTESIAN))
    assert not any(is_undefined(pyproj.CRS(c)) for c in (4490, 4549, 4326, 2385))


@pytest.mark.parametrize("epsg", [4610, 2327, 2349, 2385, 2442, 4214, 2401, 2437, 21480])
def test_xian_1980_and_beijing_1954_have_only_a_ballpark(epsg):
    assert ballpark_step(pyproj.CRS(epsg)).startswith("Ballpark geographic offset from")


@pytest.mark.parametrize("epsg", [4490, 4549, 4528, 4326, 32651, 3857])
def test_grs80_like_frames_are_not_flagged(epsg):
    assert ballpark_step(pyproj.CRS(epsg)) is None


def test_refused_without_a_transformation_and_said_loudly_with_ballpark():
    with pytest.raises(InvalidInput, match=r"EPSG:2385 .*\(up to ~60 m\)"):
        with_datum_shift(pyproj.CRS(2385), None, [])
    notes = []
    assert with_datum_shift(pyproj.CRS(2385), "Ballpark", notes) == pyproj.CRS(2385)
    assert "WITHOUT a datum shift" in notes[0]
    assert with_datum_shift(pyproj.CRS(4549), None, notes) == pyproj.CRS(4549)


def test_towgs84_shifts_the_storage_coordinates():
    point = np.array([shapely.Point(500000, 3400000)])
    bound = with_datum_shift(pyproj.CRS(2385), "+towgs84=0,0,0", [])
    shifted = with_datum_shift(pyproj.CRS(2385), "+towgs84=0,100,0", [])
    assert crs_label(shifted) == "EPSG:2385 +towgs84=0,100,0,0,0,0,0"
    a, b = to_storage(point, bound)[0], to_storage(point, shifted)[0]
    _, _, metres = pyproj.Geod(ellps="GRS80").inv(a.x, a.y, b.x, b.y)
    lon, lat = np.radians(a.x), np.radians(a.y)
    # a geocentric Y shift: east cos(lon)·dy, north -sin(lat)·sin(lon)·dy
    assert metres == pytest.approx(np.hypot(np.cos(lon), np.sin(lat) * np.sin(lon)) * 100, abs=0.5)


@pytest.mark.parametrize("text", ["1,2", "a,b,c", "1,2,3,4,5,6", "1,2,nan", ""])
def test_bad_parameters(text):
    with pytest.raises(InvalidInput, match="3 or 7 numbers"):
        towgs84(text)


def test_parameters():
    assert towgs84("+towgs84=1，2,3") == [1, 2, 3, 0, 0, 0, 0]
    assert towgs84("-15.8,30.2,9.1,0.5,-0.3,1.1,2.4")[-1] == 2.4
