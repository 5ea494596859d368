"""Milestones on the implementation dashboard (#16): the timeline dialog's milestone table
(done with its period, overdue in red) and the tree tooltip's next milestone."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget

from app.implement import model as M
from app.implement.milestones import next_of, standing
from app.views.i18n import lang, tr
from app.views.implement_dashboard import _cell, _table


def milestone_name(m: M.Milestone) -> str:
    return m.name_en if lang() == "en" and m.name_en else m.name_zh


def next_milestone_text(item: M.Item) -> str:
    """A tooltip's last line naming the next milestone not done; empty when none waits."""
    waiting = next_of(item)
    return "" if waiting is None else "\n" + tr("Next milestone: {} (due {})").format(
        milestone_name(waiting), waiting.due)


def milestone_table(item: M.Item, period: str) -> QTableWidget:
    """An item's milestones by due period: done (with the period), due, or overdue in red."""
    table = _table(3)
    table.setHorizontalHeaderLabels([tr("Due"), tr("Milestone"), tr("Done")])
    marks = sorted(item.milestones, key=lambda m: (m.due, m.id))
    table.setRowCount(len(marks))
    for row, m in enumerate(marks):
        where = standing(m, period)
        done = m.done if where == "done" else tr("not done, overdue") if where == "overdue" else \
            tr("due this month") if where == "due" else "—"
        for column, text in enumerate((m.due, milestone_name(m), done)):
            cell = _cell(text, m.id, "#F6D5D2" if where == "overdue" else None)
            if where == "overdue":
                cell.setForeground(QColor("#C92A2A"))
            table.setItem(row, column, cell)
    return table
