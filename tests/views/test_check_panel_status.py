"""The check panel shows each conflict's status and the approving memo (app/analysis/lifecycle.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.analysis.lifecycle import Status, StatusReport, Tracked
from app.views.check_panel import CheckPanel
from app.views.i18n import install, lang

from .test_check_panel import outcome

NOW = "2025-12-01T08:00:00+00:00"


def report_for(result) -> StatusReport:
    """"small" is new, "big" still open, "w" an accepted exception."""
    items = []
    for c in result.conflicts:
        row = Status(c.id, c.key, c.rule, "standard|310000,320500", "open", NOW, NOW, 1.0)
        if c.key == "w":
            row = replace(row, status="accepted", memo="沪都协纪〔2025〕12号", memo_date="2025-11-28",
                          decided_by="李协调")
        items.append(Tracked(c.id, c.key, row.status, c.key == "small", c, row))
    return StatusReport(tuple(items), True)


@pytest.fixture
def english():
    """The panel in English, whatever language an earlier test left installed."""
    previous = lang()
    install("en")
    yield
    install(previous)


def test_statuses_and_memo_are_shown_and_cleared_by_a_new_run(qtbot, english):
    panel = CheckPanel()
    qtbot.addWidget(panel)
    shown = outcome()
    panel.set_outcome(shown)
    assert panel.table.item(0, 6).text() == ""  # no statuses known yet
    panel.table.setCurrentCell(2, 0)
    panel.set_statuses(report_for(shown.result))  # model -> UI
    texts = {panel.conflicts()[r].key: panel.table.item(r, 6).text() for r in range(3)}
    assert texts == {"big": "open", "small": "new", "w": "accepted exception"}
    assert "沪都协纪〔2025〕12号 (2025-11-28), 李协调" in panel.table.item(2, 0).toolTip()
    assert "1 new, 1 still open, 1 accepted, 0 resolved" in panel.summary.text()
    assert panel.current.key == "w"  # the selection survives
    panel.set_outcome(outcome())  # a new run: its statuses come with set_statuses
    assert panel.table.item(0, 6).text() == "" and "still open" not in panel.summary.text()
