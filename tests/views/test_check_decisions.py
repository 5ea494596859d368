"""A coordinator decides on conflicts in the check panel (accept with a memo, reopen, resolve by a
change set or by checking again) on a copy of the sample metro project, in a real window; the
decisions are kept by app/analysis/lifecycle.py and survive a re-run. Editors see statuses only.
Assertions compare with tr() of the same words: they hold whichever translator is installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox

from app.analysis import lifecycle
from app.project.project import Project
from app.views.check_panel import STATUS_COLUMN, status_text
from app.views.i18n import tr
from tests.views.conftest import LOAD_TIMEOUT_MS, open_and_wait

MEMO = "沪都协纪〔2025〕12号"
OK = QDialogButtonBox.StandardButton.Ok


@pytest.fixture
def metro(tmp_path, sample_folder) -> Path:
    """A copy of the sample office project (role coordinator)."""
    path = tmp_path / "metro.sqlite"
    shutil.copy(sample_folder / "metro.sqlite", path)
    return path


def run_check(qtbot, window):
    """Run the check on the open project; the panel afterwards."""
    with qtbot.waitSignal(window.analysis.check_finished, timeout=LOAD_TIMEOUT_MS) as run:
        window.analysis.check_panel.run_button.click()
    assert not isinstance(run.args[0], Exception), run.args[0]
    return window.analysis.check_panel


def decide(qtbot, window, action: str, answer=None) -> list:
    """Click a decision button, answer its dialog, and wait until the decision is shown."""
    decisions = window.analysis.decisions
    with qtbot.waitSignal(decisions.decided, timeout=LOAD_TIMEOUT_MS) as done:
        window.analysis.check_panel.decision_buttons[action].click()
        if answer is not None:
            qtbot.waitUntil(lambda: decisions.dialog is not None, timeout=LOAD_TIMEOUT_MS)
            answer(decisions.dialog)
    return done.args[0]


def cell(panel, conflict_id: str):
    row = [c.id for c in panel.conflicts()].index(conflict_id)
    return panel.table.item(row, STATUS_COLUMN)


def kept(path: Path) -> dict[str, lifecycle.Status]:
    with Project.open(path) as project:
        return lifecycle.statuses(project.db)


def fill_memo(dialog) -> None:
    assert not dialog.buttons.button(OK).isEnabled()  # the memo number is required
    dialog.memo.setText(MEMO)
    dialog.date.setDate(QDate(2025, 11, 28))
    dialog.note.setText("approved crossing")
    dialog.buttons.button(OK).click()


def test_accept_reopen_and_resolve_survive_a_rerun(qtbot, window, metro):
    open_and_wait(qtbot, window, metro)
    panel = run_check(qtbot, window)
    total = len(panel.conflicts())
    assert total >= 3 and panel.status_counts["new"] == total
    first = panel.conflicts()[0].id
    panel.select_conflict(first)
    assert panel.decidable("accept") == [first] and not panel.decision_buttons["reopen"].isEnabled()

    [row] = decide(qtbot, window, "accept", fill_memo)
    assert (row.status, row.memo_date) == ("accepted", "2025-11-28")
    assert cell(panel, first).text() == tr("accepted exception") == status_text(panel.statuses[first])
    assert MEMO in cell(panel, first).toolTip()
    assert panel.status_counts == {"new": total - 1, "open": 0, "accepted": 1, "resolved": 0}
    assert panel.decision_buttons["reopen"].isEnabled() and not panel.decision_buttons["accept"].isEnabled()

    panel = run_check(qtbot, window)  # the decision is kept: not new again
    assert panel.status_counts == {"new": 0, "open": total - 1, "accepted": 1, "resolved": 0}
    assert panel.statuses[first].status == "accepted" and cell(panel, first).text() == tr("accepted exception")
    assert kept(metro)[first].memo == f"{MEMO} — approved crossing"

    panel.select_conflict(first)
    decide(qtbot, window, "reopen")
    assert panel.statuses[first].status == "open" and cell(panel, first).text() == tr("open")
    assert panel.status_counts["accepted"] == 0 and kept(metro)[first].status == "open"


def test_resolve_by_a_change_set_or_by_checking_again(qtbot, window, metro):
    open_and_wait(qtbot, window, metro)
    panel = run_check(qtbot, window)
    two = [c.id for c in panel.conflicts()[:2]]
    panel.select_conflict(two[0])
    panel.select_ids(two)  # a decision on several conflicts at once
    assert panel.selected_ids() == two

    def pick_change_set(dialog):
        assert dialog.list.count() >= 2  # "no longer found" and the project's change sets
        dialog.list.setCurrentRow(1)
        dialog.buttons.button(OK).click()

    rows = decide(qtbot, window, "resolve", pick_change_set)
    with Project.open(metro) as project:
        newest = project.db.execute("SELECT id FROM coplan_changesets ORDER BY seq DESC").fetchone()[0]
    assert {(r.conflict_id, r.status, r.change_set) for r in rows} == {(i, "resolved", newest) for i in two}
    assert [cell(panel, i).text() for i in two] == [tr("resolved")] * 2
    assert panel.status_counts["resolved"] == 2

    # "No longer found" checks again: a resolved conflict still found comes back as new.
    third = panel.conflicts()[2].id
    panel.select_conflict(third)
    with qtbot.waitSignal(window.analysis.check_finished, timeout=LOAD_TIMEOUT_MS):
        panel.decision_buttons["resolve"].click()
        qtbot.waitUntil(lambda: window.analysis.decisions.dialog is not None, timeout=LOAD_TIMEOUT_MS)
        dialog = window.analysis.decisions.dialog
        dialog.list.setCurrentRow(0)
        dialog.buttons.button(OK).click()
    assert panel.status_counts == {"new": 2, "open": len(panel.conflicts()) - 2, "accepted": 0,
                                   "resolved": 0}
    assert panel.statuses[two[0]].new and panel.statuses[third].status == "open"


def test_editors_see_statuses_without_the_buttons(qtbot, window, metro):
    with Project.open(metro) as project:
        project.set_meta("role", "editor")
    open_and_wait(qtbot, window, metro)
    panel = run_check(qtbot, window)
    first = panel.conflicts()[0].id
    assert cell(panel, first).text() == tr("new")
    assert all(button.isHidden() for button in panel.decision_buttons.values())
    assert cell(panel, first).toolTip() == tr(
        "Only a coordinator accepts a conflict as an exception or marks it resolved.")
    panel.select_conflict(first)
    assert panel.decidable("accept") == []
