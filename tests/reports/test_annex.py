"""Annex tables: the project library, city summaries, the section index and the indicator
annex (from the check-up, or a labelled stand-in when that is unavailable)."""

from __future__ import annotations

import sys

from app.model.jobs import drive
from app.reports.annex import city_rows, iter_indicator_annex, project_rows, section_index
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
    index = section_index(inputs, list(inputs.content))
    assert index.rows[0][0] == "vision" and len(index.rows) == len(inputs.content)


def test_indicator_annex_from_the_check_up(mini):
    table = drive(iter_indicator_annex(read_inputs(mini), 2024))
    assert table.title.startswith("核心指标") and table.header[0] == "编号"


def test_indicator_annex_stand_in_is_labelled(mini, monkeypatch):
    monkeypatch.setitem(sys.modules, "app.analysis.checkup", None)  # as if not installed
    table = drive(iter_indicator_annex(read_inputs(mini), 2024))
    assert "替代" in table.notes[0] and "Stand-in" in table.title
    assert ("行政区", "XZQ", "2") in {r[:3] for r in table.rows}
