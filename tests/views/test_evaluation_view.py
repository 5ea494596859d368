"""The five-year evaluation window on a copy of the sample metro project with base values and
2035 targets entered: it shows exactly iter_evaluate's rows, filters them by region, colours the
assessment and saves the XLSX. Assertions hold whichever translator is installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtGui import QColor

from app.analysis import checkup_store as store
from app.analysis.charts import ASSESSMENT_COLOURS
from app.analysis.evaluation import iter_evaluate
from app.analysis.indicators import METRO, load_definitions
from app.analysis.projects import iter_checkup
from app.errors import InvalidInput
from app.model.jobs import drive
from app.project.project import Project
from app.views import evaluation_view
from app.views.evaluation_view import ASSESSMENT_COLUMN
from app.views.i18n import tr
from tests.views.conftest import LOAD_TIMEOUT_MS, open_and_wait

SUZHOU = "320500"
# (base, target) as multiples of the 2025 value: ahead, on track, behind, allowance and hold cases
SHAPES = ((0.8, 1.2), (0.9, 1.2), (0.97, 1.3), (1.05, 0.8), (1.0, 1.0))


def with_base_and_targets(path: Path, year: int = 2025) -> Path:
    """Base values (2020), 2035 targets and a 2022 value for every indicator and region with a
    value in `year`, varied so that every kind of assessment appears."""
    rows = [r for r in drive(iter_checkup(path, year)).rows if r.value]
    entries = []
    for k, r in enumerate(rows):
        base, target = SHAPES[k % len(SHAPES)]
        entries += [store.Entry(r.indicator, r.region, 2020, "规划基期（测试）", value=r.value * base,
                                base_value=r.value * base, target_value_2035=r.value * target),
                    store.Entry(r.indicator, r.region, 2022, "统计公报（测试）",
                                value=r.value * (base + 1) / 2)]
    with Project.open(path) as project:
        store.enter(project.db, entries, "tester")
    return path


@pytest.fixture(scope="module")
def metro(tmp_path_factory, sample_folder) -> Path:
    path = tmp_path_factory.mktemp("evaluation") / "metro.sqlite"
    shutil.copy(sample_folder / "metro.sqlite", path)
    return with_base_and_targets(path)


def evaluate_in(qtbot, window, year: int = 2025, base_year: int = 2020):
    """Open the evaluation from the indicator dashboard and run it; the view."""
    window.analysis.indicators.evaluation_button.click()
    view = window.analysis.evaluation.view
    qtbot.addWidget(view)
    view.year.setValue(year)
    view.base_year.setValue(base_year)
    with qtbot.waitSignal(window.analysis.evaluation.evaluated, timeout=LOAD_TIMEOUT_MS) as run:
        view.run_button.click()
    assert not isinstance(run.args[0], Exception), run.args[0]
    return view


def test_rows_equal_the_evaluation_and_filter_by_region(qtbot, window, metro):
    open_and_wait(qtbot, window, metro)
    view = evaluate_in(qtbot, window)
    report = drive(iter_evaluate(metro, 2025, 2020))
    assert view.rows() == list(report.rows) and view.table.rowCount() == len(report.rows)
    assert len({r.assessment for r in report.rows} & set(ASSESSMENT_COLOURS)) >= 3
    definitions = load_definitions()
    first = report.rows[0]
    assert view.table.item(0, 0).text() == definitions.get(first.indicator).name_zh  # names, not codes
    assert view.table.item(0, 2).text() == report.region_names[first.region]
    for i, r in enumerate(report.rows):
        if r.assessment in ASSESSMENT_COLOURS:
            colour = view.table.item(i, ASSESSMENT_COLUMN).background().color()
            assert colour == QColor(ASSESSMENT_COLOURS[r.assessment])
            break
    view.regions.setCurrentIndex(view.regions.findData(SUZHOU))  # UI -> the shown rows
    assert view.rows() == [r for r in report.rows if r.region == SUZHOU] and view.rows()
    view.regions.setCurrentIndex(view.regions.findData(METRO))
    assert view.rows() == [r for r in report.rows if r.region == METRO] and view.rows()
    assert view.table.rowCount() == len(view.rows())
    view.assessed_only.setChecked(True)
    assert view.rows() == [r for r in report.rows if r.region == METRO and r.assessment in ASSESSMENT_COLOURS]
    assert view.table.rowCount() == len(view.rows()) > 0
    assert view.chart.pixmap_size[0] > 0


def test_save_xlsx_and_another_base_year(qtbot, window, metro, tmp_path, monkeypatch):
    open_and_wait(qtbot, window, metro)
    view = evaluate_in(qtbot, window, 2025, 2021)
    report = drive(iter_evaluate(metro, 2025, 2021))
    assert view.rows() == list(report.rows)
    out = tmp_path / "evaluation.xlsx"
    monkeypatch.setattr(evaluation_view, "choose_save_path", lambda *args: str(out))
    with qtbot.waitSignal(window.analysis.evaluation.saved, timeout=LOAD_TIMEOUT_MS):
        view.save_button.click()
    sheet = load_workbook(out)["评估表"]
    assert sheet.max_row == len(report.rows) + 1
    assert {c.value for c in sheet["L"][1:]} == {r.assessment for r in report.rows}

    view.year.setValue(2021)  # before the base year: said in the window, which stays usable
    view.base_year.setValue(2024)
    with qtbot.waitSignal(window.analysis.evaluation.evaluated, timeout=LOAD_TIMEOUT_MS) as run:
        view.run_button.click()
    assert isinstance(run.args[0], InvalidInput) and view.run_button.isEnabled()
    assert "2024" in view.note.text()


def test_without_a_project_nothing_runs(qtbot, window):
    window.analysis.indicators.evaluation_button.click()
    view = window.analysis.evaluation.view
    view.run_button.click()
    assert view.note.text() == tr("Open a project first.") and view.run_button.isEnabled()
    assert not window.worker.busy and view.rows() == []
