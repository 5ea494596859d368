"""The one-map poster: one sheet without contents or page numbers; the zones numbered and
colour-coded on the map and in the list; every system's projects numbered in the systems'
order; swatches drawn from the map's styles; the 1+8+5 diagram; the map at twice the build's
resolution (300 ppi at A1 for a print build)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from reportlab.graphics.shapes import String

from app.reports import onemap
from app.reports import onemap_map as pm
from app.reports.build import _specs, build, write_pdf
from app.reports.compose import Composer
from app.reports.edition import edition_for, read_inputs
from app.reports.maps import render_layout
from tests.reports.conftest import P1, P2, P3, run

DPI = 40


@pytest.fixture(scope="module")
def poster_pdf(mini_template_project, tmp_path_factory):
    from app.project.project import Project

    with Project.open(mini_template_project) as project:
        built = build(project, "onemap", 1, dpi=DPI)
    return built, write_pdf(built, tmp_path_factory.mktemp("poster") / "onemap.pdf")


@pytest.fixture
def poster(mini):
    """The poster's view of the mini project: one zone, one system with two projects."""
    inputs = read_inputs(mini)
    spec = _specs(inputs, "onemap")[0]
    c = Composer(inputs, edition_for(inputs, "onemap", 1), {}, {spec.key: spec}, onemap.PAGE[0], 1.0)
    return onemap.Poster(c, spec, 30), inputs


def test_one_sheet_without_contents_page_numbers_or_internal_ids(poster_pdf):
    built, path = poster_pdf
    assert built.pages == 1 and built.bad_lines == ()
    text = run("pdftotext", path, "-")
    flat = re.sub(r"\s+", "", text)
    for words in ("测试都市圈规划", "“1+8+5”规划体系", "①环太湖标题", "一、交通标题", "虹桥枢纽", "沪苏铁路",
                  "牵头苏州市；参与上海市"):
        assert words in flat, words
    assert "目录" not in text and "Contents" not in text and "共1页" not in flat and "第1页" not in flat
    assert not re.search(r"\b[0-9a-f]{8,}\b", text)  # no hashes
    assert not re.search(r"\b(S\d|Z\d|vision)(\.[\w.]+)?\b", text)  # no section ids
    assert "CoPlan" not in text and "coplan" not in text and "DSQ_ZLXTQ" not in text
    assert b"/Outlines" in built.pdf  # the panels are still in the outline
    fonts = run("pdffonts", path).splitlines()[2:]
    assert fonts and all(" yes yes yes " in f for f in fonts), fonts  # the diagram's too


def test_map_is_drawn_at_twice_the_build_resolution(poster_pdf):
    _, path = poster_pdf
    rows = run("pdfimages", "-list", path).splitlines()[2:]
    assert len(rows) == 1
    x_ppi, y_ppi = (int(v) for v in rows[0].split()[12:14])
    assert x_ppi == y_ppi == 2 * DPI
    assert pm.poster_dpi(150) == 300 and pm.poster_dpi(30) == 60 and pm.poster_dpi(400) == 400


def test_zones_are_layers_of_their_own_numbered_and_coloured(poster):
    p, inputs = poster
    assert [(z.number, z.mark, z.section.id) for z in p.zones] == [(1, "①", "Z1")]
    zone = p.zones[0]
    assert zone.colour == pm.ZONE_COLOURS[0] == zone.layer.style.stroke == zone.layer.style.fill
    assert zone.layer.name_zh == "①环太湖标题"  # the map's legend entry
    assert "DSQ_ZLXTQ#1" in p.spec.layers and "DSQ_ZLXTQ" not in p.spec.layers
    assert p.data.layer("DSQ_ZLXTQ#1").label(0) == "①环太湖标题"
    assert len(inputs.data.layer("DSQ_ZLXTQ").geoms) == 1  # the project's data is unchanged
    assert inputs.data.layer("DSQ_ZLXTQ").label(0) == "环太湖战略协同区"
    placed = render_layout(p.spec, p.data, 40).labels
    assert any(label.text.replace("\n", "").startswith("①环太湖") for label in placed)


def test_projects_are_numbered_in_the_systems_order(poster):
    p, _ = poster
    assert p.spec.projects == (P1, P3)  # S1's projects; P2 is the zone's, not a system's
    assert p.numbers == {P1: 1, P3: 2}
    assert P2 not in p.numbers


def test_system_symbols_are_the_map_layers_it_draws_with(poster):
    p, _ = poster
    system = next(s for s in p.systems if s.id == "S1")
    symbols = p.symbols(system)
    assert all(layer.code in p.spec.layers for layer in symbols)
    assert all(layer.code not in ("XZQ", *pm.PROJECT_CODES) for layer in symbols)


def test_structure_diagram_shows_the_report_systems_and_zones():
    from app.reports.onemap_draw import structure

    d = structure(400, 10, "战略愿景总报告", [f"系统{n}" for n in range(1, 9)],
                  [(f"{pm.CIRCLED[n]}板块", pm.ZONE_COLOURS[n]) for n in range(5)])
    texts = {s.text for s in d.contents if isinstance(s, String)}
    assert {"战略愿景总报告", "系统1", "系统8", "①板块", "⑤板块", "1", "8", "5"} <= texts
    assert d.width == 400 and d.height > 0


def test_swatches_draw_the_layer_styles(poster):
    from reportlab.lib import colors
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfgen.canvas import Canvas

    from app.reports.onemap_draw import draw_swatch

    p, _ = poster
    canvas = Canvas(None)
    draw_swatch(canvas, p.zones[0].layer, 0, 0, 20, 10)
    ops = " ".join(canvas._code)  # the content stream so far
    c = colors.HexColor(pm.ZONE_COLOURS[0])
    assert f"{fp_str(c.red, c.green, c.blue)} RG" in ops  # the zone's outline colour
    assert re.search(r"\] 0 d", ops) and " re " in ops + " "  # a dashed box, as on the map


def test_rebuilds_are_byte_identical(mini_template_project, poster_pdf):
    from app.project.project import Project

    with Project.open(mini_template_project) as project:
        assert build(project, "onemap", 1, dpi=DPI).pdf == poster_pdf[0].pdf


def test_corridor_swatch_is_the_maps_translucent_band(poster):
    from reportlab.pdfgen.canvas import Canvas

    from app.reports.maps import BAND
    from app.reports.onemap_draw import draw_swatch

    _, inputs = poster
    line = inputs.data.layer("XMK_LINE").layer
    for layer, band in ((line, False), (replace(line, code=BAND[0]), True)):
        canvas = Canvas(None)
        draw_swatch(canvas, layer, 0, 0, 20, 10)
        ops = " ".join(canvas._code)
        assert ("1 J" in ops) is band and (" gs" in ops) is band  # round caps, translucent


def test_a_number_the_map_could_not_place_is_not_listed(mini, monkeypatch):
    from app.reports.maps import Rendered

    inputs = read_inputs(mini)
    spec = _specs(inputs, "onemap")[0]
    monkeypatch.setattr(pm, "render_poster", lambda *_: Rendered(b"png", (), ()))
    c = Composer(inputs, edition_for(inputs, "onemap", 1), {}, {spec.key: spec}, onemap.PAGE[0], 1.0)
    assert onemap.Poster(c, spec, 30).numbers == {}


def test_the_poster_draws_its_map_once_per_build(mini_template_project, monkeypatch):
    from app.project.project import Project
    from app.reports import build as build_module

    drawn = []

    def counted(spec, data, dpi, **kw):
        drawn.append(dpi)
        return render_layout(spec, data, dpi, **kw)

    monkeypatch.setattr(pm, "render_layout", counted)
    monkeypatch.setattr(build_module, "render", lambda spec, data, dpi, **kw:
                        counted(spec, data, dpi, **kw).png)
    with Project.open(mini_template_project) as project:
        build(project, "onemap", 1, dpi=DPI)
    assert drawn == [pm.poster_dpi(DPI)]
