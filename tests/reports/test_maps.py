"""Maps: deterministic PNG, framed on the focus, 示意 marking from the data."""

from __future__ import annotations

import io

from PIL import Image

from app.content.model import Focus
from app.reports.mapdata import MapData
from app.reports.maps import MapSpec, _frame, _nice_km, linked_projects, render
from tests.reports.conftest import P1, P2, P3


def spec(**kw) -> MapSpec:
    base = {"key": "t", "title_zh": "测试图", "title_en": "Test map",
            "layers": ("XZQ", "DSQ_ZLXTQ", "XMK_POINT"), "projects": (P2, P1, "missing"),
            "width_mm": 100, "height_mm": 80}
    return MapSpec(**{**base, **kw})


def test_render_is_deterministic_and_sized(mini):
    data = MapData(mini)
    first = render(spec(), data, dpi=50)
    assert first == render(spec(), MapData(mini), dpi=50)
    image = Image.open(io.BytesIO(first))
    assert image.format == "PNG" and image.size == (int(100 / 25.4 * 50), int(80 / 25.4 * 50))
    assert "Software" not in image.info  # no tool or time stamp in the file


def test_focus_changes_the_frame(mini):
    data = MapData(mini)
    zone = render(spec(focus=Focus("DSQ_ZLXTQ", "ZQBM", "Z1")), data, dpi=40)
    assert zone != render(spec(), data, dpi=40)
    assert data.focus(Focus("DSQ_ZLXTQ", "ZQBM", "Z9")) is None


def test_linked_projects_keep_the_spec_order_and_skip_unknown(mini):
    found = linked_projects(spec(projects=(P3, P2, "missing")), MapData(mini))
    assert [d.uuids[row] for d, row in found] == [P3, P2]


def test_schematic_layers_are_recognised_from_the_data(mini):
    data = MapData(mini)
    assert data.layer("XZQ").schematic  # its features say 示意 in BZ
    assert not data.layer("XMK_POINT").schematic
    assert data.layer("STBHHX") is None  # empty layers are not drawn


def test_frame_fills_the_aspect_and_scale_bar_is_round():
    x0, y0, x1, y1 = _frame((0, 0, 100, 100), 2.0, 0.0)
    assert (x1 - x0) / (y1 - y0) == 2.0
    assert _nice_km(100_000) == 20 and _nice_km(2_000) in (1, 2)
