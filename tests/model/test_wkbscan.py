"""The WKB scanner: valid geometries pass with their sizes, malformed or oversized ones are
refused with a message, and a collection bomb is refused fast without reaching GEOS."""

from __future__ import annotations

import struct
import time

import pytest
import shapely

from app.errors import InvalidInput
from app.model.wkbscan import WkbError, WkbInfo, hex_bytes, scan_hex, scan_wkb
from tests.conftest import collection_bomb

BOX = shapely.box(121, 31, 121.1, 31.1)
GEOMETRIES = [  # (geometry, rings + members)
    (shapely.Point(121.4, 31.2), 0),
    (shapely.LineString([(121, 31), (121.1, 31.1), (121.2, 31)]), 0),
    (shapely.Polygon(BOX.exterior, [shapely.box(121.02, 31.02, 121.05, 31.05).exterior]), 2),
    (shapely.MultiPoint([(121, 31), (121.1, 31.1)]), 2),
    (shapely.MultiLineString([[(121, 31), (121.1, 31.1)], [(121.2, 31), (121.3, 31.1)]]), 2),
    (shapely.MultiPolygon([BOX, shapely.box(122, 31, 122.1, 31.1)]), 4),
    (shapely.GeometryCollection([shapely.Point(121, 31), BOX,
                                 shapely.MultiPoint([(121, 31), (122, 32)])]), 6),
]
LINE, MULTIPOINT, MULTIPOLYGON, COLLECTION = (GEOMETRIES[i][0] for i in (1, 3, 5, 6))


def header(code: int, count: int | None = None, order: str = "<") -> bytes:
    """A byte-order byte and type word (plus a count) written by hand."""
    out = bytes([order == "<"]) + struct.pack(order + "I", code)
    return out + (struct.pack(order + "I", count) if count is not None else b"")


def polygon_with(vertices: int) -> shapely.Polygon:
    """A closed ring of exactly `vertices` coordinates."""
    step = 1e-6
    ring = [(121 + i * step, 31 + (i % 2) * step) for i in range(vertices - 2)]
    return shapely.Polygon([*ring, (121, 31.5)])


@pytest.mark.parametrize("geom, parts", GEOMETRIES, ids=lambda g: getattr(g, "geom_type", ""))
def test_every_type_in_2d_and_3d_is_accepted_with_its_sizes(geom, parts):
    for g in (geom, shapely.force_3d(geom, 5.0)):
        expected = WkbInfo(g.geom_type, 3 if g.has_z else 2, shapely.get_num_coordinates(g), parts)
        assert scan_wkb(shapely.to_wkb(g)) == expected  # EWKB flags for Z
        assert scan_wkb(shapely.to_wkb(g, flavor="iso")) == expected  # +1000 for Z
        assert scan_hex(shapely.to_wkb(g, hex=True, byte_order=0)) == expected  # big-endian


def test_iso_m_and_zm_codes_count_their_dimensions():
    point_m = header(2001) + struct.pack("<3d", 121, 31, 7)
    assert scan_wkb(point_m) == WkbInfo("Point", 3, 1, 0)
    line_zm = header(3002, 2) + struct.pack("<8d", *range(8))
    assert scan_wkb(line_zm) == WkbInfo("LineString", 4, 2, 0)
    ewkb_m = header(0x40000001) + struct.pack("<3d", 1, 2, 3)
    assert scan_wkb(ewkb_m).dims == 3


def test_ewkb_with_srid_is_accepted():
    ewkb = shapely.to_wkb(shapely.set_srid(BOX, 4490), include_srid=True)
    info = scan_wkb(ewkb)
    assert (info.geom_type, info.srid, info.vertices) == ("Polygon", 4490, 5)
    z = shapely.to_wkb(shapely.set_srid(shapely.force_3d(BOX), 4490), include_srid=True)
    assert (scan_wkb(z).dims, scan_wkb(z).srid) == (3, 4490)


def test_vertex_limit_is_exact():
    assert scan_wkb(shapely.to_wkb(polygon_with(200_000))).vertices == 200_000
    with pytest.raises(WkbError, match="more than 200,000 vertices"):
        scan_wkb(shapely.to_wkb(polygon_with(200_001)))
    with pytest.raises(WkbError, match="more than 1 vertices"):
        scan_wkb(shapely.to_wkb(MULTIPOINT), max_vertices=1)


def test_part_limit_counts_rings_and_members():
    multi = shapely.MultiPolygon([shapely.box(i, 0, i + 0.5, 1) for i in range(10)])
    assert scan_wkb(shapely.to_wkb(multi)).parts == 20
    with pytest.raises(WkbError, match="more than 19 rings and members"):
        scan_wkb(shapely.to_wkb(multi), max_parts=19)


def test_nested_collection_bomb_is_refused_fast_without_geos(no_geos):
    bomb = collection_bomb()
    assert 400_000 < len(bomb) < 500_000
    start = time.perf_counter()
    with pytest.raises(WkbError, match="nested collections are not accepted"):
        scan_hex(bomb.hex())
    assert time.perf_counter() - start < 0.5


def test_nesting_deeper_than_the_limit_is_refused():
    in_collection = header(7, 1) + shapely.to_wkb(MULTIPOLYGON)  # two collection levels
    assert scan_wkb(in_collection).parts == 5
    with pytest.raises(WkbError, match="MultiPolygon at byte 9 nests collections more than 1 deep"):
        scan_wkb(in_collection, max_depth=1)
    with pytest.raises(WkbError, match="more than 0 deep"):
        scan_wkb(shapely.to_wkb(MULTIPOINT), max_depth=0)
    assert scan_wkb(shapely.to_wkb(LINE), max_depth=0).vertices == 3


def test_huge_count_is_refused_before_any_loop():
    start = time.perf_counter()
    with pytest.raises(WkbError, match="claims 4,294,967,295 members"):
        scan_wkb(header(6, 0xFFFFFFFF) + shapely.to_wkb(BOX))
    with pytest.raises(WkbError, match="claims 4,294,967,295 points"):
        scan_wkb(header(2, 0xFFFFFFFF) + b"\0" * 64)
    with pytest.raises(WkbError, match="claims 4,294,967,295 rings"):
        scan_wkb(header(3, 0xFFFFFFFF, ">"))
    assert time.perf_counter() - start < 0.1


@pytest.mark.parametrize("cut", [0, 1, 4, 5, 8, 9, 20, -1])
def test_truncated_bytes_are_refused(cut):
    wkb = shapely.to_wkb(COLLECTION)
    with pytest.raises(WkbError, match="truncated"):
        scan_wkb(wkb[:cut])


def test_trailing_bytes_are_refused():
    with pytest.raises(WkbError, match="3 trailing bytes"):
        scan_wkb(shapely.to_wkb(BOX) + b"abc")


def test_wrong_member_type_is_refused():
    line = shapely.to_wkb(LINE)
    with pytest.raises(WkbError, match="MultiPolygon at byte 0 holds a LineString"):
        scan_wkb(header(6, 1) + line)
    for outer in (6, 7):  # even an empty collection inside another is refused
        with pytest.raises(WkbError, match="GeometryCollection at byte 9 is inside"):
            scan_wkb(header(outer, 1) + header(7, 0), max_depth=5)
    flat_in_3d = header(0x80000006, 1) + shapely.to_wkb(BOX)
    with pytest.raises(WkbError, match="2 dimensions inside a collection of 3"):
        scan_wkb(flat_in_3d)


@pytest.mark.parametrize("wkb, message", [
    (b"\x02" + shapely.to_wkb(BOX)[1:], "byte order at byte 0 must be 0 or 1, not 2"),
    (header(8) + b"\0" * 16, "unknown WKB geometry type code 0x8"),
    (header(4001) + b"\0" * 16, "unknown WKB geometry type code 0xfa1"),
    (header(0x80000000 | 1001) + b"\0" * 24, "unknown WKB geometry type code"),
    (header(0x10000001) + b"\0" * 16, "unknown WKB geometry type code"),
])
def test_bad_headers_are_refused(wkb, message):
    with pytest.raises(WkbError, match=message):
        scan_wkb(wkb)


@pytest.mark.parametrize("text, message", [("0x01", "hex WKB"), ("01 02", "hex WKB"),
                                          ("0101000", "odd number"), ("", "truncated")])
def test_bad_hex_is_refused(text, message):
    with pytest.raises(WkbError, match=message):
        scan_hex(text)


def test_errors_are_invalid_input_for_every_entry_point():
    assert issubclass(WkbError, InvalidInput)
    assert hex_bytes("00ff") == b"\x00\xff"
