"""Cartography on every map the sample outputs draw: labels never collide with each other or
with the panels, no two figures of an output are the same image, water is labelled, English
labels for the English edition."""

from __future__ import annotations

import hashlib
import io

import pytest

from app.reports import build as builder
from app.reports import maptext
from app.reports.edition import read_inputs
from app.reports.labels import Label, Placed, wrap
from app.reports.maps import MIN_TEXT_PT, MapSpec, emphasis, render, render_layout, subject
from app.reports.water import water
from tests.reports.conftest import open_sample, run

pytestmark = pytest.mark.slow
DPI = 60  # collisions are checked in display pixels at this resolution
KINDS = ("policy", "release", "reader", "onemap")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The office's metro project of the sample, with the sample content."""
    project = open_sample(tmp_path_factory.mktemp("carto") / "metro.sqlite")
    yield read_inputs(project)
    project.close()


@pytest.fixture(scope="module")
def layouts(sample):
    """kind → [(spec, Rendered)] for every map of every output."""
    return {kind: [(s, render_layout(s, sample.data, DPI)) for s in builder._specs(sample, kind)]
            for kind in KINDS}


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_no_label_overlaps_another_label_or_a_panel(layouts):
    for kind, maps in layouts.items():
        for spec, r in maps:
            boxes = [p.box for p in r.labels]
            for i, a in enumerate(boxes):
                assert not any(_overlap(a, b) for b in boxes[i + 1:]), (kind, spec.key, r.labels[i])
                assert not any(_overlap(a, p) for p in r.panels), (kind, spec.key, r.labels[i])
            for i, a in enumerate(r.panels):
                assert not any(_overlap(a, b) for b in r.panels[i + 1:]), (kind, spec.key)


def test_no_two_figures_of_an_output_are_the_same_image(layouts):
    for kind, maps in layouts.items():
        digests = [hashlib.sha256(r.png).hexdigest() for _, r in maps]
        assert len(set(digests)) == len(digests), kind


def _texts(r) -> set[str]:
    return {p.text for p in r.labels}


def test_headline_map_shows_the_crowded_names(layouts):
    spec, r = layouts["policy"][0]
    assert spec.key == "vision"
    texts = _texts(r)
    for name in ("无锡市", "长江口战略协同区", "淀山湖战略协同区", "嘉兴市", "枫泾—新浜—嘉善—新埭"):
        assert name in texts, name
    assert any(t.startswith("长三角生态绿色一体化发展示范区") for t in texts)
    assert {"东海", "杭州湾", "太湖"} <= texts  # the sea and the lakes are named as water
    assert any(p.text.isdigit() for p in r.labels)  # project numbers are placed too


def test_dianshan_zone_map_shows_the_lake(layouts):
    zone = next(r for s, r in layouts["policy"] if s.key == "Z2")
    assert "淀山湖" in _texts(zone)


def test_english_labels(sample):
    spec = builder._specs(sample, "release")[0]
    en = render_layout(MapSpec(**{**spec.__dict__, "lang": "en"}), sample.data, 40)
    assert {"Shanghai", "Wuxi", "East China Sea"} <= _texts(en)
    both = render_layout(MapSpec(**{**spec.__dict__, "lang": "both"}), sample.data, 40)
    assert "上海市\nShanghai" in _texts(both)


def test_review_number_is_printed_and_rendering_is_deterministic(sample):
    spec = builder._specs(sample, "release")[0]
    blank = render(spec, sample.data, 40)
    assert render(spec, sample.data, 40, review_no="GS(2026)1234号") != blank
    assert render(spec, sample.data, 40) == blank  # deterministic


def test_water_has_sea_bay_and_lakes():
    w = water()
    names = {zh for _, zh, _ in w.lakes}
    assert {"太湖", "淀山湖", "阳澄湖"} <= names
    assert w.sea.area > 1e10  # m²: the East China Sea part of the frame, Hangzhou Bay with it


def test_subjects_and_text_size():
    base = MapSpec("k", "共建绿色湖区", "", ("XZQ",))
    assert emphasis(base) != emphasis(MapSpec("k", "塑造多姿多彩的活力湖区", "", ("XZQ",)))
    assert MIN_TEXT_PT >= 6.0
    assert wrap("长三角生态绿色一体化发展示范区（青浦·吴江·嘉善）").count("\n") == 1
    assert Placed("a", (0, 0, 1, 1), 0).priority == 0 and Label("a", 0, (0, 0)).rings == 3


def test_labels_are_searchable_text_over_the_raster(sample, tmp_path):
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    spec = builder._specs(sample, "release")[0]
    png = render(spec, sample.data, 40)
    stored = maptext.labels(png)
    assert "上海市" in {row[0] for row in stored}
    assert all(0 <= x <= spec.width_mm and 0 <= y <= spec.height_mm for _, x, y, _, _ in stored)
    canvas = Canvas(str(tmp_path / "map.pdf"), pagesize=(spec.width_mm * mm, spec.height_mm * mm))
    canvas.drawImage(ImageReader(io.BytesIO(png)), 0, 0, spec.width_mm * mm, spec.height_mm * mm)
    maptext.draw_labels(canvas, png, spec.width_mm * mm, spec.height_mm * mm)
    canvas.save()
    text = run("pdftotext", tmp_path / "map.pdf", "-")
    assert "上海市" in text and "淀山湖战略协同区" in text


@pytest.mark.parametrize("a, b", [("vision.mobility", "S1"), ("Z1.strategy.1", "Z1.strategy.3"),
                                  ("Z2.strategy.1", "Z2.strategy.3"),
                                  ("Z4.strategy.1", "Z4.strategy.4")])
def test_sections_with_the_same_layers_get_maps_of_their_own_subject(sample, a, b):
    from app.reports.outputs import focus_of

    specs = [MapSpec(s.id, s.title_zh, s.title_en, s.links.layers, focus_of(sample, s),
                     s.links.projects, 168, 118) for s in (sample.content.get(a), sample.content.get(b))]
    assert render(specs[0], sample.data, 30) != render(specs[1], sample.data, 30)
    assert subject(specs[0]) != subject(specs[1])
    twin = MapSpec(**{**specs[0].__dict__, "key": "other", "title_en": "Other"})
    assert subject(twin) == subject(specs[0])
    assert render(twin, sample.data, 30) == render(specs[0], sample.data, 30)


def _axes():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 2), dpi=100)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    return ax, canvas.get_renderer()


def test_placement_keeps_priority_displaces_and_drops():
    from matplotlib.transforms import Bbox

    from app.reports.fonts import matplotlib_family
    from app.reports.labels import CITY, PROJECT, ZONE, place

    ax, renderer = _axes()
    wanted = [Label("项目", PROJECT, (50, 50), rings=0), Label("城市", CITY, (50, 50)),
              Label("协同区", ZONE, (50, 50))]
    placed = place(ax, renderer, wanted, [Bbox.from_extents(0, 0, 60, 60)], matplotlib_family(), 2)
    assert [p.text for p in placed] == ["城市", "协同区"]  # the project has no room left: dropped
    city, zone = placed
    assert city.box[0] < 100 < city.box[2]  # at its anchor (display px); the zone moves
    assert not _overlap(city.box, zone.box)
    assert all(not _overlap(p.box, (0, 0, 60, 60)) for p in placed)  # never under a panel


def test_panels_go_to_the_emptiest_corner():
    import numpy as np
    from matplotlib.transforms import Bbox

    from app.reports import panels

    darkness = np.ones((40, 40))  # at INK_DPI; the map is 40 × 40 pixels there
    darkness[20:, :20] = 0.0  # rows count from the top: the lower-left quarter is empty
    axes = Bbox.from_extents(0, 0, 40, 40)
    assert panels.best_corner(darkness, axes, 10, 10, 1, list(panels.CORNERS),
                              panels.INK_DPI) == "lower left"
    assert panels.best_corner(darkness, axes, 10, 10, 1, ["upper right", "upper left"],
                              panels.INK_DPI) == "upper right"  # ties: the first free corner
