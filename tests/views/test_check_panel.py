"""The conflict-check panel and the indicator dashboard in both directions, on hand-made results:
no window, no DB."""

from __future__ import annotations

import shapely
from PySide6.QtCore import Qt

from app.analysis.checkup import FAILED, MET, CheckupReport, CheckupRow
from app.analysis.engine import CheckResult, Conflict
from app.editing.analysis_jobs import CheckOutcome, IndicatorSnapshot
from app.views.check_panel import CheckPanel
from app.views.indicator_dashboard import IndicatorDashboard

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


def conflict(key: str, severity: str, area: float | None, length: float | None = None) -> Conflict:
    return Conflict(key, "r1", "overlay", severity, ("STBHHX", "CZKFBJ"), ("a", "b"), ("310000",),
                    ("310000", "320500"), area, length, (), shapely.box(121, 31, 121.01, 31.01))


def outcome() -> CheckOutcome:
    found = (conflict("w", "warning", None, 900.0), conflict("small", "error", 5.0), conflict("big", "error", 50.0))
    return CheckOutcome(CheckResult("standard", ("310000", "320500"), found, ()),
                        {"310000": "上海市", "320500": "苏州市"}, {"r1": ("红线重叠", "red line overlap")})


def panel_for(qtbot, coordinator: bool = True) -> CheckPanel:
    panel = CheckPanel()
    qtbot.addWidget(panel)
    panel.set_project(coordinator)
    return panel


def test_results_are_listed_errors_first(qtbot):
    panel = panel_for(qtbot)
    with qtbot.waitSignal(panel.conflict_chosen) as chosen:
        panel.set_outcome(outcome())  # model -> UI
    assert [c.key for c in panel.conflicts()] == ["big", "small", "w"]
    assert panel.table.rowCount() == 3 and panel.table.item(0, 3).text() == "上海市、苏州市"
    assert chosen.args[0].key == "big" and panel.current.key == "big"
    assert [panel.party.itemData(i) for i in range(panel.party.count())] == ["310000", "320500"]
    with qtbot.waitSignal(panel.conflict_chosen) as chosen:
        panel.table.setCurrentCell(2, 0)  # UI -> the chosen conflict
    assert chosen.args[0].key == "w"


def test_send_to_the_round_or_a_party(qtbot):
    panel = panel_for(qtbot)
    panel.set_outcome(outcome())
    with qtbot.waitSignal(panel.send_requested) as sent:
        panel.round_button.click()
    assert sent.args[0].key == "big" and sent.args[1] == ""
    panel.party.setCurrentIndex(1)
    with qtbot.waitSignal(panel.send_requested) as sent:
        panel.party_button.click()
    assert sent.args[1] == "320500"


def test_run_on_the_open_project_or_on_files(qtbot):
    panel = panel_for(qtbot)
    with qtbot.waitSignal(panel.run_requested) as run:
        panel.run_button.click()
    assert run.args == [[]]
    panel.set_paths(["/p/a.sqlite", "/p/b.sqlite"])  # model -> UI
    assert panel.files_mode.isChecked() and panel.files.count() == 2
    with qtbot.waitSignal(panel.run_requested) as run:
        panel.run_button.click()
    assert run.args == [["/p/a.sqlite", "/p/b.sqlite"]]
    panel.set_running(True)
    assert panel.cancel_button.isEnabled() and not panel.run_button.isEnabled()
    with qtbot.waitSignal(panel.cancel_requested):
        panel.cancel_button.click()
    panel.finished("done")
    assert panel.run_button.isEnabled() and panel.status.text() == "done"


def test_only_coordinators_check_several_files(qtbot):
    panel = panel_for(qtbot, coordinator=False)
    assert not panel.files_mode.isEnabled() and panel.open_mode.isChecked()


def snapshot() -> IndicatorSnapshot:
    rows = (CheckupRow("TJ001", "310000", 120.0, "computed", 100.0, 2025, MET, previous=110.0, change=10.0,
                       trend="改善"),
            CheckupRow("TJ001", "320500", 80.0, "computed", 100.0, 2025, FAILED),
            CheckupRow("TJ001", "metro", 200.0, "computed"),
            CheckupRow("TJ003", "310000", None, "missing"))
    names = {"310000": "上海市", "320500": "苏州市", "metro": "都市圈全域"}
    report = CheckupReport(2025, rows, names, 2024, "note")
    return IndicatorSnapshot(report, {"TJ001": ("生态保护红线面积", "km²")}, PNG)


def test_indicator_dashboard_both_ways(qtbot):
    board = IndicatorDashboard(2025)
    qtbot.addWidget(board)
    assert not board.record_button.isEnabled()
    board.show_snapshot(snapshot())  # model -> UI
    assert board.table.rowCount() == 3  # the row without value or target is left out
    assert board.table.item(0, 1).text() == "生态保护红线面积" and board.table.item(0, 4).text() == "110.0"
    assert board.table.item(0, 9).background().color().name().upper() == "#4C9A2A"
    assert "2024" in board.note.text() and board.record_button.isEnabled()
    board.regions.setCurrentIndex(board.regions.findData("320500"))  # UI -> the shown region
    assert board.region == "320500" and board.table.rowCount() == 1
    assert board.table.item(0, 9).background().color().name().upper() == "#C8423B"
    board.year.setValue(2024)
    with qtbot.waitSignal(board.run_requested) as run:
        board.run_button.click()
    assert run.args == [2024]
    with qtbot.waitSignal(board.record_requested):
        board.record_button.click()
    board.show_snapshot(snapshot())  # a new result keeps the chosen region
    assert board.region == "320500" and board.table.rowCount() == 1
    assert board.table.item(0, 3).data(Qt.ItemDataRole.DisplayRole) == "苏州市"
