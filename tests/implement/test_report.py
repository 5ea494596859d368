"""The monthly progress report PDF over the sample's synthetic year: the figures it prints are
the roll-up's (recomputed here from app.implement.rollup), the cover names the scope, every
font is embedded, and no uuid or "None" reaches the page. Each PDF is built once."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.implement import rollup as R
from app.implement.model import PLAN
from app.implement.report import (
    Names,
    collect,
    is_synthetic,
    issue_numbers,
    item_code,
    progress_pdf,
)
from app.implement.state import fold
from sample_projects.build import CONTENT_TEMPLATE, DEFAULT_REFERENCE
from sample_projects.implement import synthetic_events
from sample_projects.metro_layers import project_seeds
from sample_projects.sources import load_sources

PERIOD = "2026-10"
TODAY = date(2026, 12, 5)  # the sample's "today": October's reports are due and decided
PARTY = "320500"  # Suzhou
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


@pytest.fixture(scope="module")
def template() -> dict:
    return json.loads(CONTENT_TEMPLATE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def state(template):
    rows = [{**s.attrs, "uuid": s.uuid, "layer": s.layer}
            for s in project_seeds(load_sources(DEFAULT_REFERENCE))]
    return fold(synthetic_events(template, rows))


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdfs(state, template, tmp_path_factory) -> dict[str, tuple[Path, str]]:
    folder, names, out = tmp_path_factory.mktemp("progress"), Names.from_template(template), {}
    for key, party, lang in (("zh", None, "zh"), ("en", None, "en"), ("party", PARTY, "zh")):
        path = folder / f"{key}.pdf"
        path.write_bytes(progress_pdf(state, PERIOD, party=party, lang=lang, names=names,
                                      today=TODAY))
        out[key] = (path, _text(path))
    return out


def flat(text: str) -> str:
    """The text without white space (pdftotext spaces CJK text and breaks lines)."""
    return re.sub(r"\s+", "", text)


def _leaves(state, party=None) -> list[str]:
    parents = {i.parent for i in state.items.values() if i.parent}
    pool = state.items_of(party) if party else state.items.values()
    return [i.id for i in pool if i.id not in parents and i.id != PLAN]


def test_metro_report_prints_the_plans_roll_up(state, pdfs):
    node = R.rollup(state, as_of=PERIOD)[PLAN]
    statuses = [r.state for r in R.reporting(state, PERIOD, TODAY)]
    text = flat(pdfs["zh"][1])
    assert f"本期跟踪事项{len(_leaves(state))}项" in text
    assert f"实际完成{node.percent:.1f}%" in text and f"计划应完成{node.planned:.1f}%" in text
    assert f"应报单位{len(statuses)}家" in text
    for key, label in (("on_time", "按时上报"), ("late", "逾期"), ("missing", "未报")):
        assert f"{label}{statuses.count(key)}家" in text
    assert "都市圈全域" in text and "2026年10月" in text and "2026-12-05" in text


def test_english_report_prints_the_same_figures(state, pdfs):
    node = R.rollup(state, as_of=PERIOD)[PLAN]
    text = pdfs["en"][1]
    assert f"{node.percent:.1f}% complete against {node.planned:.1f}% planned" in \
        " ".join(text.split())
    assert "Whole metropolitan area" in text and "Items behind plan" in text


def test_items_behind_plan_issues_and_meetings_are_listed(state, pdfs):
    text = flat(pdfs["zh"][1])
    leaves = set(_leaves(state))
    behind = [i for i, _, _ in R.behind(state, PERIOD) if i in leaves]
    assert behind, "the sample has items behind plan"
    for item in behind:
        assert flat(item_code(state.items[item])) in text
    numbers = issue_numbers(state)
    for issue in (i for i in state.issues.values() if i.state == "open"):
        assert f"#{numbers[issue.id]}" in text
    held = [m for m in state.meetings.values() if m.date.startswith(PERIOD)]
    assert held and all(flat(m.memo.number) in text for m in held if m.memo)


def test_reporting_lists_every_expected_party(state, template, pdfs):
    names = Names.from_template(template)
    text = flat(pdfs["zh"][1])
    for r in R.reporting(state, PERIOD, TODAY):
        assert names.party(r.party, "zh") in text


def test_party_report_averages_the_partys_items(state, pdfs):
    nodes = R.rollup(state, as_of=PERIOD)
    mine = _leaves(state, PARTY)
    actual = sum(nodes[i].percent for i in mine) / len(mine)
    text = flat(pdfs["party"][1])
    assert "苏州市" in text and "都市圈全域" not in text
    assert f"本期跟踪事项{len(mine)}项" in text and f"实际完成{actual:.1f}%" in text
    assert "应报单位1家" in text


def test_trend_is_the_roll_up_of_each_month(state):
    trend = collect(state, PERIOD, today=TODAY).trend
    assert trend[-1].period == PERIOD and 2 <= len(trend) <= 12
    for point in trend:
        node = R.rollup(state, as_of=point.period)[PLAN]
        assert (point.actual, point.planned) == (node.percent, node.planned)


def test_pages_fonts_and_no_internal_ids(pdfs):
    for path, text in pdfs.values():
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout)[1])
        assert 2 <= pages <= 8
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert fonts and all(" yes " in line for line in fonts)
        assert not UUID.search(text) and "None" not in text


def test_synthetic_mark_follows_the_data_unless_told(state, pdfs):
    assert "合成示例数据" in flat(pdfs["zh"][1])
    assert is_synthetic(state, Names()) and not is_synthetic(state, Names(synthetic=False))
    assert not is_synthetic(fold([]), Names())


def test_milestones_due_and_overdue_are_listed_by_title_with_their_lead(state, template, pdfs):
    from app.implement.milestone_report import of_report
    names = Names.from_template(template)
    shown = of_report(state, PERIOD)
    assert "overdue" in {r.state for r in shown}
    assert all(r.milestone.due == PERIOD or r.state == "overdue" for r in shown)
    text = flat(pdfs["zh"][1])
    section = text[text.index("八、里程碑"):]
    for r in shown:
        assert flat(r.item.title_zh)[:6] in section and flat(r.milestone.name_zh)[:6] in section
        assert names.party(r.item.lead, "zh") in section
    assert "已逾期未完成" in section and "Milestones" in pdfs["en"][1]
    assert not UUID.search(section)
