"""Property: file → project → file → project keeps every feature, in every format."""

import math
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyogrio import raw

from app.model.catalogue import load_catalogue
from app.project import export, io
from app.project.features import iter_features
from app.project.project import Project

LAYER = "GHYDYH"
DRIVERS = {"geojson": "GeoJSON", "gpkg": "GPKG", "shp": "ESRI Shapefile", "csv": "CSV"}
CODES = sorted(load_catalogue().codelist("YDYH2023").codes)
# Letters, digits and common Chinese characters (all of them in GBK). No spaces: a DBF pads
# text with spaces and GDAL strips them, so trailing spaces cannot survive a Shapefile.
CHARS = st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
                  st.sampled_from("ABCXYZabcxyz0123456789-_()（）、"))


def text(max_size: int, optional: bool = False):
    # Capped so that Chinese text stays within a DBF field's 254 bytes (3 bytes a character).
    value = st.text(CHARS, min_size=1, max_size=min(max_size, 80))
    return st.none() | value if optional else value


@st.composite
def quads(draw) -> shapely.Polygon:
    """A rotated rectangle inside 120–122°E, 30–32°N, vertices on a 1e-7° grid."""
    cx, cy = draw(st.floats(120.01, 121.99)), draw(st.floats(30.01, 31.99))
    w, h = draw(st.floats(1e-4, 0.01)), draw(st.floats(1e-4, 0.01))
    angle = draw(st.floats(0, math.pi))
    corners = np.array([(-w, -h), (w, -h), (w, h), (-w, h)])
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    return shapely.Polygon(np.round(corners @ rotation.T + (cx, cy), 7))


@st.composite
def features(draw) -> tuple[dict, shapely.Polygon]:
    attrs = {
        "BSM": draw(text(18)), "XZQDM": draw(st.text("0123456789", min_size=6, max_size=12)),
        "XZQMC": draw(text(100)), "YDYHFLDM": draw(st.sampled_from(CODES)),
        "YDYHFLMC": draw(text(60)), "BZ": draw(text(255, optional=True)),
        "TBDLMJ": draw(st.none() | st.integers(0, 10**10).map(lambda c: c / 100)),
    }
    return attrs, draw(quads())


def write(path: Path, rows: list[tuple[dict, shapely.Polygon]]) -> Path:
    names = list(rows[0][0])
    data = [np.array([attrs[n] for attrs, _ in rows], dtype=object if n != "TBDLMJ" else float)
            for n in names]
    options = {"GEOMETRY": "AS_WKT"} if path.suffix == ".csv" else None
    raw.write(path, shapely.to_wkb(np.array([g for _, g in rows], dtype=object)), data, names,
              driver=DRIVERS[path.suffix[1:]], geometry_type="Polygon", crs="EPSG:4490",
              layer_options=options)
    return path


def same(a, b) -> bool:
    return shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance=1e-7)


def open_copy(template: Path, folder: Path, name: str) -> Project:
    shutil.copy(template, folder / name)
    return Project.open(folder / name, author="tester")


@pytest.mark.parametrize("ext", list(DRIVERS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(features(), min_size=1, max_size=4))
def test_import_export_import_preserves_features(template_project, ext, rows):
    """Attributes come back exactly (text with Chinese characters, code-list codes, nulls,
    reals with two decimals); geometry within 1e-7° (about 1 cm), the precision of the input."""
    crs = "EPSG:4490" if ext == "csv" else None  # a CSV does not say its CRS
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first, second = open_copy(template_project, folder, "a.sqlite"), open_copy(
            template_project, folder, "b.sqlite")
        try:
            io.import_file(first, LAYER, write(folder / f"in.{ext}", rows), crs=crs)
            export.export_layer(first, LAYER, folder / f"out.{ext}")
            io.import_file(second, LAYER, folder / f"out.{ext}", crs=crs)
            before, after = list(iter_features(first, LAYER)), list(iter_features(second, LAYER))
        finally:
            first.close()
            second.close()
    assert len(before) == len(after) == len(rows)
    for (attrs, geom), a, b in zip(rows, before, after, strict=True):
        assert {k: a.attrs[k] for k in attrs} == attrs
        assert a.attrs == b.attrs
        assert same(a.geometry, shapely.MultiPolygon([geom]))
        assert same(b.geometry, a.geometry)
