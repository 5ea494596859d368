"""Annex tables: the project library, city summaries and the indicator annex (from the
check-up, or a labelled stand-in when that is unavailable), in official text."""

from __future__ import annotations

import sys

from app.model.jobs import drive
from app.reports.annex import (
    city_rows,
    iter_indicator_annex,
    official_text,
    project_rows,
    same_as_above,
)
from app.reports.edition import read_inputs
from tests.reports.conftest import P1, P3


def test_project_library_rows(mini):
    inputs = read_inputs(mini)
    every = project_rows(inputs)
    assert [r[1] for r in every.rows] == ["P-1", "P-2", "P-3"]
    row = every.rows[0]
    assert (row[3], row[5], row[6]) == ("交通", "上海市、苏州市", "在建")  # code list name, cities
    assert [r[1] for r in project_rows(inputs, [P3, "missing", P1]).rows] == ["P-3", "P-1"]


def test_city_rows_count_what_the_city_owns(mini):
    inputs = read_inputs(mini)
    assert city_rows(inputs, "310000").rows == ()  # the mini project has no control layers


def test_indicator_annex_from_the_check_up(mini):
    table = drive(iter_indicator_annex(read_inputs(mini), 2024))
    assert table.title.startswith("核心指标") and table.header[0] == "编号"


def test_indicator_annex_stand_in_is_labelled(mini, monkeypatch):
    monkeypatch.setitem(sys.modules, "app.analysis.checkup", None)  # as if not installed
    table = drive(iter_indicator_annex(read_inputs(mini), 2024))
    assert "替代" in table.notes[0] and "Stand-in" in table.title
    assert ("行政区", "2") in {r[:2] for r in table.rows}
    assert not any("XZQ" in cell for row in table.rows for cell in row)  # names, not codes


def test_official_text_names_layers_and_drops_paths_and_commands():
    names = {"STBHHX": "生态保护红线", "LD": "区域绿道", "DLTB": "地类图斑"}
    assert official_text("图层计算：STBHHX 图斑并集的椭球面积", names) == "图层计算：生态保护红线图斑并集的椭球面积"
    assert official_text("标准冲突规则（schemas/rules/standard.json）叠加冲突图斑数；面积见 coplan check",
                         names) == "标准冲突规则叠加冲突图斑数"
    assert official_text("区域绿道（LD）椭球长度（未扣除跨界断点，见 coplan check）",
                         names) == "区域绿道椭球长度（未扣除跨界断点）"
    assert official_text("项目（XMLX=JT，名称含 铁路/轨道）÷ 常住人口（TJ032，万人）",
                         names) == "项目（名称含铁路/轨道）÷ 常住人口（万人）"
    assert official_text("P-LD-001 1 亩 = 10000/15 m²", names) == "P-LD-001 1 亩 = 10000/15 m²"


def test_indicator_sources_are_not_repeated_row_after_row():
    rows = (("MT1", "上海市", "a"), ("MT1", "苏州市", "a"), ("MT2", "上海市", "a"))
    assert [r[-1] for r in same_as_above(rows)] == ["a", "同上", "a"]


def test_empty_year_and_investment_columns_are_left_out(mini):
    table = project_rows(read_inputs(mini))
    assert len(table.header) == len(table.rows[0]) == len(table.widths)
    for title in ("年份", "投资(亿元)"):
        if title in table.header:  # kept only when some project has a value
            i = table.header.index(title)
            assert any(r[i] != "—" for r in table.rows)
