"""Milestones on the desktop, over the sample copies (synthetic log with milestones): the
timeline dialog lists an item's milestones (overdue ones in red), the tree's tooltip names the
next one, and the report dialog's ticks go into the outbox line. Screenshots to
/work/shots/milestones/ when that folder exists."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.implement import milestones as MS
from app.implement import outbox
from app.implement.periods import period_of, today_beijing
from app.implement.state import fold
from tests.views.conftest import wait_idle
from tests.views.test_implement_dashboard import copies, dashboard_on  # noqa: F401
from tests.views.test_progress_dialog import dialog, on_worker  # noqa: F401

SHOTS = Path("/work/shots/milestones")


def test_timeline_lists_milestones_with_overdue_in_red(qtbot, window, copies):  # noqa: F811
    folder, events = copies
    state = fold(events)
    overdue = [r for r in MS.rows(state, period_of(today_beijing())) if r.state == "overdue"]
    assert overdue
    item = overdue[0].item
    dashboard = dashboard_on(qtbot, window, folder / "metro.sqlite")
    timeline = dashboard.show_timeline(item.id)
    qtbot.addWidget(timeline)
    table = dashboard.milestone_table
    shown = {table.item(r, 0).data(256): [table.item(r, c).text() for c in range(3)]
             for r in range(table.rowCount())}
    assert set(shown) == {m.id for m in item.milestones}
    for m in item.milestones:
        assert shown[m.id][0] == m.due and m.name_zh[:4] in shown[m.id][1] + m.name_en
        if m.done:
            assert shown[m.id][2] == m.done
    late = overdue[0].milestone.id
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).data(256) == late)
    assert table.item(row, 2).foreground().color().name().lower() == "#c92a2a"
    tip = dashboard.rows[item.id].toolTip(0)
    assert MS.next_of(item).due in tip
    if SHOTS.is_dir():
        timeline.grab().save(str(SHOTS / "timeline-milestones.png"))


def test_ticked_milestone_goes_into_the_outbox_line(qtbot, window, dialog):  # noqa: F811
    rows = [r for r in range(dialog.table.rowCount())
            if any(not m.done for m in dialog.form.items[r].milestones)]
    assert rows, "Suzhou leads an item with milestones in the sample"
    row = rows[0]
    item = dialog.form.items[row]
    for other in range(dialog.table.rowCount()):
        dialog.editors(other)[0].setChecked(other == row)
    dialog.table.selectRow(row)
    waiting = sorted((m for m in item.milestones if not m.done), key=lambda m: (m.due, m.id))
    assert dialog.milestones.count() == len(waiting)
    dialog.milestones.item(0).setCheckState(Qt.CheckState.Checked)
    if SHOTS.is_dir():
        dialog.grab().save(str(SHOTS / "report-dialog-milestones.png"))
    dialog.save(send=False)
    wait_idle(qtbot, window)
    assert dialog.saved_id is not None, dialog.message.text()
    queued = on_worker(qtbot, window, outbox.pending)
    line = next(q for q in queued if q["id"] == dialog.saved_id)["data"]["lines"][0]
    assert (line["item"], line["milestones_done"]) == (item.id, [waiting[0].id])
