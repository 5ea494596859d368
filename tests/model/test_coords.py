import math

import pyproj
import pytest

from app.model import coords


def test_cities_work_in_their_zone():
    assert coords.city_epsg("320500") == 4549  # 苏州
    assert coords.city_epsg("330900") == 4550  # 舟山
    assert coords.city_epsg("330902") == 4550  # a district of 舟山 finds its city
    assert coords.city_epsg("310115") == 4549  # 浦东: Shanghai's majority zone
    assert coords.city_epsg("440300", lon=114.1) == 4547  # elsewhere: the zone of the map centre


@pytest.mark.parametrize(("lon", "epsg"), [(120.0, 4549), (121.49, 4549), (121.51, 4550), (123.0, 4550),
                                           (117.2, 4548)])
def test_zone_of_a_longitude(lon, epsg):
    assert coords.zone_epsg(lon) == epsg
    assert abs(lon - coords.central_meridian(epsg)) <= 1.5
    assert f"CM {coords.central_meridian(epsg)}E" in pyproj.CRS.from_epsg(epsg).name


def test_on_the_central_meridian_y_is_the_false_easting():
    x, y = coords.to_gk(120.0, 31.0, 4549)
    assert math.isclose(y, 500_000.0, abs_tol=1e-6)
    # X is the meridian arc from the equator: about 3,431 km at 31°N.
    assert math.isclose(x, 3_430_974.3, abs_tol=0.5)


def test_x_is_northing_and_y_easting_as_pyproj_in_epsg_axis_order():
    expected = pyproj.Transformer.from_crs(4490, 4550).transform(30.0, 122.2)  # EPSG order: N, E
    assert coords.to_gk(122.2, 30.0, 4550) == pytest.approx(expected, abs=1e-6)


def test_modes():
    assert coords.mode_epsg("lonlat") is None
    assert coords.mode_epsg("4550", party="320500") == 4550
    assert coords.mode_epsg("auto", party="330900") == 4550
