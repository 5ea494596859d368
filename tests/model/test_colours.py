"""Colour tables: parsing, look-up with the parent-code fallback, the bundled tables."""

from __future__ import annotations

import pytest

from app.errors import ProjectError
from app.model.catalogue import colour_table, load_catalogue, load_colour_tables
from app.model.colours import parse_colour_table


def _table(match: str = "code") -> dict:
    entry = {"status": "R", "note": None, "parent": None, "name_en": "x"}
    return {"format": "coplan.colours/v1", "key": "T", "name_zh": "表", "name_en": "Table",
            "codelist": None, "match": match, "layers": {"GHYDYH": "YDYHFLDM"}, "fill_opacity": 0.8,
            "provenance": "test", "status": "R",
            "entries": [{**entry, "value": "07", "name_zh": "居住用地", "color": "#ffff2d"},
                        {**entry, "value": "0703", "name_zh": "农村宅基地", "color": "#FFD380"}]}


def test_code_falls_back_to_its_nearest_coloured_parent():
    table = parse_colour_table(_table())
    assert table.color("0703") == "#FFD380"
    assert table.color("070301") == "#FFD380"
    assert table.color("070102") == "#FFFF2D"  # 0701 has no entry: 07's colour
    assert table.color(" 07 ") == "#FFFF2D"
    assert table.color("08") is None and table.color(None) is None and table.color("") is None


def test_name_tables_match_exactly():
    table = parse_colour_table(_table("name"))
    assert table.color("0703") == "#FFD380" and table.color("070301") is None


def test_colours_are_normalised_and_fields_known():
    table = parse_colour_table(_table())
    assert table.entry("07").color == "#FFFF2D"
    assert table.field("GHYDYH") == "YDYHFLDM" and table.field("XZQ") is None
    assert table.fill_opacity == 0.8


def test_wrong_format_is_refused():
    with pytest.raises(ProjectError):
        parse_colour_table({**_table(), "format": "other"})


def test_bundled_tables_style_the_planning_layers():
    assert [t.key for t in load_colour_tables()] == ["GHFQ", "YDYH2023"]
    ydyh = colour_table("GHYDYH")
    assert ydyh is colour_table("XZYDYH") and ydyh.key == "YDYH2023"
    assert colour_table("GHFQ").field("GHFQ") == "GHFQMC"
    assert colour_table("XZQ") is None


def test_every_2023_code_gets_a_colour():
    codes = load_catalogue().codelist("YDYH2023").codes
    ydyh = colour_table("GHYDYH")
    assert all(ydyh.color(code) for code in codes)


def test_every_entry_has_a_status_and_the_table_a_provenance():
    for table in load_colour_tables():
        assert table.provenance and table.status in {"S", "R"}
        assert all(e.status in {"S", "R"} for e in table.entries)
