"""The implementation dashboard over the sample metro project with 12 months of synthetic
progress in its local mirror: the figures are the roll-up's, switching the period changes them,
party names come from the content template and no uuid is ever shown. Screenshots go to
/work/shots/implement/ when that folder exists."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget, QTreeWidgetItemIterator

from app.implement.rollup import reporting, rollup, timeline
from app.implement.state import fold
from app.views import i18n
from app.views.implement_dashboard import BAR_COLUMN, ITEM, PERCENT
from tests.views.conftest import open_and_wait, wait_idle

TEMPLATE = Path(__file__).parents[2] / "schemas" / "content" / "metro-1-8-5.json"
SHOTS = Path("/work/shots/implement")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def copies(tmp_path_factory, sample_folder):
    """The sample office and Suzhou copies with the synthetic log in their mirrors (made once);
    returns (folder, events)."""
    from sample_projects.implement import build_implement

    folder = tmp_path_factory.mktemp("implement")
    for name in ("metro.sqlite", "320500.sqlite"):
        shutil.copy(sample_folder / name, folder / name)
    paths = [folder / "metro.sqlite", folder / "320500.sqlite"]
    events = build_implement(folder / "log", TEMPLATE, paths[0], paths)
    return folder, events


def dashboard_on(qtbot, window, path: Path):
    open_and_wait(qtbot, window, path)
    window.actions_by_name["impl_dashboard"].trigger()  # Implementation → Dashboard…
    dashboard = window.implement_dashboard
    qtbot.addWidget(dashboard)
    wait_idle(qtbot, window)
    return dashboard


def shown_texts(dashboard) -> list[str]:
    """Every text the tree and the tables show."""
    texts = []
    it = QTreeWidgetItemIterator(dashboard.tree)
    while it.value():
        texts += [it.value().text(c) for c in range(dashboard.tree.columnCount())]
        it += 1
    for table in dashboard.findChildren(QTableWidget):
        texts += [table.item(r, c).text() for r in range(table.rowCount())
                  for c in range(table.columnCount()) if table.item(r, c)]
    return texts


def test_dashboard_shows_the_rollup_as_of_the_chosen_period(qtbot, window, copies):
    folder, events = copies
    state = fold(events)
    dashboard = dashboard_on(qtbot, window, folder / "metro.sqlite")
    latest = max(r.period for r in state.reports.values() if r.state == "accepted")
    assert dashboard.as_of == latest and dashboard.periods.currentData() == latest
    for period in (latest, "2026-05"):
        dashboard.set_period(period)
        wait_idle(qtbot, window)
        expected = rollup(state, as_of=period)
        for item_id in ("plan", "S1", "Z1", "S3.action.1"):
            shown = dashboard.rows[item_id].data(BAR_COLUMN, PERCENT)
            assert shown == pytest.approx(expected[item_id].percent)
        assert f"{expected['plan'].percent:.1f}%" in dashboard.summary.text()
        today = date.fromisoformat(dashboard.data.today)
        assert dashboard.reporting.rowCount() == len(reporting(state, period, today))
    assert rollup(state, as_of="2026-05")["plan"].percent < rollup(state, as_of=latest)["plan"].percent
    open_issues = [i for i in state.issues.values() if i.state == "open"]
    assert dashboard.issues.rowCount() == len(open_issues)
    assert dashboard.meetings.rowCount() == len(state.meetings)
    memos = {m.memo.number for m in state.meetings.values() if m.memo}
    assert memos and memos <= set(shown_texts(dashboard))
    # Party names from the template, never a uuid.
    assert "上海市交通委" in dashboard.rows["S1"].text(1)
    assert not [t for t in shown_texts(dashboard) if UUID.search(t)]
    assert dashboard.chart.pixmap_size[0] > 0


def test_double_click_shows_the_timeline(qtbot, window, copies):
    folder, events = copies
    dashboard = dashboard_on(qtbot, window, folder / "metro.sqlite")
    row = dashboard.rows["S1.action.1"]
    dashboard.tree.itemDoubleClicked.emit(row, 0)
    dialog = dashboard.timeline_dialog
    qtbot.addWidget(dialog)
    table = dialog.findChild(QTableWidget)
    assert table.rowCount() == len(timeline(fold(events), "S1.action.1")) > 0
    assert row.data(0, ITEM) == "S1.action.1"
    # Choosing a node redraws the trend for it (on the worker).
    dashboard.tree.setCurrentItem(dashboard.rows["Z2"])
    wait_idle(qtbot, window)
    assert dashboard.node == "Z2"


def test_screenshots(qtbot, window, copies):
    if not SHOTS.is_dir():
        pytest.skip("no /work/shots/implement folder")
    folder, _ = copies
    dashboard = dashboard_on(qtbot, window, folder / "metro.sqlite")
    dashboard.tree.expandToDepth(2)
    dashboard.tree.setCurrentItem(dashboard.rows["S1"])
    wait_idle(qtbot, window)
    dashboard.grab().save(str(SHOTS / "dashboard-zh.png"))
    dashboard.tabs.setCurrentIndex(1)
    dashboard.grab().save(str(SHOTS / "dashboard-issues-zh.png"))
    timeline = dashboard.show_timeline("S1.action.2")
    qtbot.addWidget(timeline)
    timeline.grab().save(str(SHOTS / "timeline-zh.png"))
    try:
        window.set_language("en")
        qtbot.waitUntil(lambda: dashboard.refresh_button.text() == "Refresh")  # LanguageChange
        dashboard.tabs.setCurrentIndex(0)
        wait_idle(qtbot, window)
        dashboard.grab().save(str(SHOTS / "dashboard-en.png"))
        dashboard.tabs.setCurrentIndex(2)
        dashboard.grab().save(str(SHOTS / "dashboard-meetings-en.png"))
    finally:
        i18n.install("zh")


def test_menu_and_an_empty_mirror(qtbot, window):
    from app.editing.implement_jobs import DashboardData
    from app.views.implement_dashboard import ImplementDashboard

    menu = window.menus["m_implement"]
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    assert names == ["impl_dashboard", "impl_report", "impl_sync"]
    dashboard = ImplementDashboard(window, window)
    qtbot.addWidget(dashboard)
    dashboard.show_data(DashboardData(fold([]), ("2026-11", "2026-12"), {"2026-11": {}, "2026-12": {}},
                                      {}, "2026-12-05", "330900", "editor"))
    assert dashboard.as_of == "2026-12" and dashboard.tree.topLevelItemCount() == 0
    assert "sync" in dashboard.summary.text() or "同步" in dashboard.summary.text()
