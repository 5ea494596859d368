"""The progress workbook: six sheets whose values are the roll-up's (recomputed here), every
tracked item listed, and the same reporting, issue and meeting rows as the PDF. Built once."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from app.implement import rollup as R
from app.implement.model import PLAN
from app.implement.report import Names, issue_numbers, item_code
from app.implement.state import fold
from app.implement.xlsx import SHEETS, progress_xlsx
from sample_projects.build import CONTENT_TEMPLATE, DEFAULT_REFERENCE
from sample_projects.implement import synthetic_events
from sample_projects.metro_layers import project_seeds
from sample_projects.sources import load_sources

PERIOD = "2026-10"
TODAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def state():
    rows = [{**s.attrs, "uuid": s.uuid, "layer": s.layer}
            for s in project_seeds(load_sources(DEFAULT_REFERENCE))]
    return fold(synthetic_events(json.loads(CONTENT_TEMPLATE.read_text(encoding="utf-8")),
                                 rows))


@pytest.fixture(scope="module")
def book(state):
    names = Names.from_template(json.loads(CONTENT_TEMPLATE.read_text(encoding="utf-8")))
    data = progress_xlsx(state, PERIOD, lang="zh", names=names, today=TODAY)
    return load_workbook(io.BytesIO(data))


def _rows(ws) -> list[tuple]:
    return [row for row in ws.iter_rows(min_row=2, values_only=True) if any(row)]


def test_sheets_are_named_as_the_office_expects(book):
    assert tuple(book.sheetnames) == SHEETS["zh"] == ("汇总", "事项进展", "上报情况", "问题清单",
                                                     "会议纪要", "里程碑")


def test_summary_values_are_the_plans_roll_up(state, book):
    node = R.rollup(state, as_of=PERIOD)[PLAN]
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True)}
    assert summary["报告期"] == PERIOD and summary["范围"] == "都市圈全域"
    assert summary["实际完成 %"] == round(node.percent, 1)
    assert summary["计划应完成 %"] == round(node.planned, 1)
    statuses = [r.state for r in R.reporting(state, PERIOD, TODAY)]
    assert summary["按时"] == statuses.count("on_time")
    assert summary["未报"] == statuses.count("missing")


def test_every_tracked_item_with_its_roll_up(state, book):
    nodes = R.rollup(state, as_of=PERIOD)
    parents = {i.parent for i in state.items.values() if i.parent}
    leaves = {item_code(i): i for i in state.items.values()
              if i.id not in parents and i.id != PLAN}
    rows = _rows(book["事项进展"])
    assert len(rows) == len(leaves)
    for code, _, _, actual, planned, _, last in rows:
        node = nodes[leaves[code].id]
        assert actual == round(node.percent, 1) and planned == round(node.planned, 1)
        assert last == node.period


def test_reporting_issues_and_meetings(state, book):
    assert len(_rows(book["上报情况"])) == len(R.reporting(state, PERIOD, TODAY))
    numbers = issue_numbers(state)
    open_issues = {f"#{numbers[i.id]}" for i in state.issues.values() if i.state == "open"}
    assert {row[0] for row in _rows(book["问题清单"])} == open_issues
    held = {m.memo.number for m in state.meetings.values()
            if m.date.startswith(PERIOD) and m.memo}
    assert held and {row[3] for row in _rows(book["会议纪要"])} == held


def test_milestone_sheet_lists_every_milestone(state, book):
    rows = _rows(book["里程碑"])
    marks = [(i, m) for i in state.items.values() for m in i.milestones]
    assert len(rows) == len(marks) >= 24
    by = {(r[1], r[2]): r for r in rows}
    for item, m in marks:
        row = by[(item.title_zh, m.name_zh)]
        assert row[4] == m.due
        if m.done and m.done <= PERIOD:
            assert row[5] == f"{m.done}完成"
        elif m.due < PERIOD:
            assert row[5] == "已逾期未完成"
