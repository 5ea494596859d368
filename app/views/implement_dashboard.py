"""The implementation dashboard (#16): progress of the plan by system action and spatial section
as a tree with % bars, planned % and status colours, "as of" a chosen period; the trend of the
plan and the chosen node; who has reported for the period; open issues and escalations by level;
meetings with their memo numbers. Double-clicking an item shows its timeline.

Everything comes from the local mirror of the implementation log, folded and rolled up for
every period on the DB worker (app/editing/implement_jobs.py): it works offline, and switching
the period only re-reads what was loaded.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editing import implement_jobs as jobs
from app.implement import model as M
from app.review.times import beijing
from app.views.chart_view import ChartView
from app.views.i18n import lang, tr
from app.views.signals import signals_blocked
from app.views.worker import message_of

ITEM = Qt.ItemDataRole.UserRole
PERCENT, PLANNED = Qt.ItemDataRole.UserRole + 1, Qt.ItemDataRole.UserRole + 2
BAR_COLUMN = 2
ERROR_STYLE = "color: #C92A2A;"
STATUS_EN = {"not_started": "not started", "on_track": "on track", "at_risk": "at risk",
             "delayed": "delayed", "completed": "completed", "suspended": "suspended"}
REPORTING_COLOURS = {"on_time": "#D3F0D0", "late": "#FFE3B3", "missing": "#F6D5D2",
                     "returned": "#F6D5D2", "pending": "#FFF4CC", "not_due": "#EEEEEE"}


def status_text(status: str) -> str:
    """A reported status in the interface language (the Chinese names are data)."""
    return M.STATUSES.get(status, status) if lang() == "zh" else STATUS_EN.get(status, status)


def reporting_text(state: str) -> str:
    return {"on_time": tr("on time"), "late": tr("late"), "missing": tr("missing"),
            "not_due": tr("not due yet"), "returned": tr("returned"),
            "pending": tr("awaiting review")}.get(state, state)


def level_text(level: int) -> str:
    zh, en = M.LEVELS.get(level, (str(level), str(level)))
    return f"L{level} " + (zh if lang() == "zh" else en)


def party_text(names: dict, code: str) -> str:
    """A party's name in the interface language (its code only when the template lacks it)."""
    pair = names.get(code)
    return (pair[0] if lang() == "zh" else pair[1]) if pair else code


class BarDelegate(QStyledItemDelegate):
    """Paints a % bar in the status colour with the planned % as a dark tick."""

    def paint(self, painter, option, index) -> None:
        percent = index.data(PERCENT)
        if percent is None:
            return super().paint(painter, option, index)
        planned, colour = index.data(PLANNED), index.data(Qt.ItemDataRole.DecorationRole + 100)
        r = option.rect.adjusted(3, 4, -3, -4)
        painter.save()
        painter.fillRect(r, QColor("#EEEEEE"))
        painter.fillRect(QRect(r.left(), r.top(), int(r.width() * min(percent, 100) / 100), r.height()),
                         QColor(colour or "#1F4E79"))
        if planned is not None:
            x = r.left() + int(r.width() * min(planned, 100) / 100)
            painter.setPen(QPen(QColor("#222222"), 2))
            painter.drawLine(x, r.top() - 2, x, r.bottom() + 2)
        painter.setPen(QColor("#111111"))
        painter.drawText(r, Qt.AlignmentFlag.AlignCenter, f"{percent:.1f}%")
        painter.restore()


def _cell(text: object, data: object = None, colour: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(ITEM, data)
    if colour:
        item.setBackground(QColor(colour))
    item.setToolTip(item.text())
    return item


def _table(columns: int, title_column: int | None = None) -> QTableWidget:
    """A read-only table fitting its columns; a long title column gets a set width (the full
    title in its tooltip) so the columns after it stay in view."""
    table = QTableWidget(0, columns)
    table.setWordWrap(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    if title_column is not None:
        table.horizontalHeader().setSectionResizeMode(title_column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(title_column, 210)
    return table


class ImplementDashboard(QDialog):
    """A window over the open project's implementation log; `refresh()` reloads it."""

    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Window)
        self.main = window
        self.data: jobs.DashboardData | None = None
        self.as_of: str | None = None
        self.node = M.PLAN
        self.timeline_dialog: QDialog | None = None
        self._build()
        self.retranslate()

    # -- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.period_label, self.summary, self.message = QLabel(), QLabel(), QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.periods = QComboBox()
        self.periods.currentIndexChanged.connect(self._on_period)
        self.refresh_button, self.report_button = QPushButton(), QPushButton()
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.report_button.clicked.connect(self._on_report)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(6)
        self.tree.setItemDelegateForColumn(BAR_COLUMN, BarDelegate(self.tree))
        self.tree.currentItemChanged.connect(self._on_node)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.show_timeline(item.data(0, ITEM)))
        self.chart = ChartView()
        self.reporting = _table(4, 0)
        self.issues, self.escalations, self.meetings = _table(7, 1), _table(5, 1), _table(6, 3)
        for table in (self.issues, self.escalations):
            table.cellDoubleClicked.connect(lambda row, _c, t=table: self._on_issue(t, row))
        self.level = QComboBox()
        self.level.currentIndexChanged.connect(lambda _: self._fill_issues())
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        from app.views.implement_actions import CoordinatorActions  # it builds on this module
        self.actions = CoordinatorActions(self)
        self._lay_out()

    def _lay_out(self) -> None:
        head = QHBoxLayout()
        for widget in (self.period_label, self.periods):
            head.addWidget(widget)
        head.addWidget(self.summary, 1)
        for widget in (self.refresh_button, self.report_button):
            head.addWidget(widget)
        issues = QWidget()
        issues_layout = QVBoxLayout(issues)
        issues_layout.setContentsMargins(0, 0, 0, 0)
        self.level_label, self.escalations_label = QLabel(), QLabel()
        row = QHBoxLayout()
        row.addWidget(self.level_label)
        row.addWidget(self.level)
        row.addWidget(self.actions.issue_bar, 1)
        issues_layout.addLayout(row)
        issues_layout.addWidget(self.issues, 3)
        issues_layout.addWidget(self.escalations_label)
        issues_layout.addWidget(self.escalations, 2)
        meetings = QWidget()
        meetings_layout = QVBoxLayout(meetings)
        meetings_layout.setContentsMargins(0, 0, 0, 0)
        meetings_layout.addWidget(self.actions.meeting_bar)
        meetings_layout.addWidget(self.meetings, 1)
        self.tabs = QTabWidget()
        for widget in (self.reporting, issues, meetings, self.actions.reports_tab):
            self.tabs.addTab(widget, "")
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.chart)
        right.addWidget(self.tabs)
        right.setSizes([330, 420])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setSizes([850, 570])
        foot = QHBoxLayout()
        foot.addWidget(self.message, 1)
        foot.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(split, 1)
        layout.addLayout(foot)
        self.resize(1440, 820)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Implementation dashboard"))
        self.period_label.setText(tr("As of"))
        self.refresh_button.setText(tr("Refresh"))
        self.report_button.setText(tr("Write progress report…"))
        self.close_button.setText(tr("Close"))
        self.tree.setHeaderLabels([tr("Item"), tr("Lead"), tr("Complete (planned ▏)"), tr("Planned"),
                                   tr("Status"), tr("Last reported")])
        self.reporting.setHorizontalHeaderLabels([tr("Party"), tr("Reporting"), tr("Submitted at"),
                                                  tr("Items reported")])
        self.issues.setHorizontalHeaderLabels([tr("Level"), tr("Issue"), tr("Owner"), tr("Due"),
                                               tr("Overdue (days)"), tr("Escalated"), tr("Item")])
        self.escalations.setHorizontalHeaderLabels([tr("When"), tr("Issue"), tr("To level"), tr("By"),
                                                    tr("Reason")])
        self.meetings.setHorizontalHeaderLabels([tr("Date"), tr("Memo no."), tr("Level"), tr("Meeting"),
                                                 tr("Agenda"), tr("Decisions")])
        self.level_label.setText(tr("Level"))
        self.escalations_label.setText(tr("Escalations"))
        for i, text in enumerate((tr("Reporting"), tr("Issues"), tr("Meetings"), tr("Reports to review"))):
            self.tabs.setTabText(i, text)
        self.actions.retranslate()
        with signals_blocked(self.level):
            current = self.level.currentData()
            self.level.clear()
            self.level.addItem(tr("All levels"), 0)
            for level in M.LEVELS:
                self.level.addItem(level_text(level), level)
            self.level.setCurrentIndex(max(0, self.level.findData(current)))
        self.show_data(self.data)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- worker jobs ---------------------------------------------------------------------------

    def refresh(self, then=None) -> None:
        """Fold the mirror and roll it up again (after a sync, a report or a coordinator's
        command); `then()` once it is shown (or failed to load)."""
        if self.main.worker is None:
            return
        self.message.setStyleSheet("")
        self.message.setText(tr("Loading…"))

        def shown(data) -> None:
            self.show_data(data)
            if then is not None:
                then()

        def failed(exc: Exception) -> None:
            self.show_error(exc)
            if then is not None:
                then()
        self.main.worker.call(jobs.load_dashboard, done=shown, error=failed, name="implement-dashboard")

    def _draw_chart(self) -> None:
        if self.data is None or self.main.worker is None:
            return
        data, node, as_of, language = self.data, self.node, self.as_of, lang()
        self.main.worker.call(lambda _project: jobs.trend_png(data, node, as_of, language),
                              done=self.chart.set_png, error=self.show_error, name="implement-chart")

    def show_error(self, exc: Exception) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(message_of(exc))

    def _on_report(self) -> None:
        from app.views.progress_dialog import open_progress_dialog
        open_progress_dialog(self.main)

    # -- model -> UI -----------------------------------------------------------------------

    def show_data(self, data: jobs.DashboardData | None) -> None:
        self.data = data
        if data is None:
            self.summary.setText(tr("Nothing loaded yet."))
            return
        self.message.clear()
        if self.as_of not in data.periods:
            self.as_of = data.latest
        with signals_blocked(self.periods):
            self.periods.clear()
            for period in reversed(data.periods):
                self.periods.addItem(period, period)
            self.periods.setCurrentIndex(max(0, self.periods.findData(self.as_of)))
        self._fill_all()

    def _fill_all(self) -> None:
        self._fill_summary()
        self._fill_tree()
        self._fill_reporting()
        self._fill_issues()
        self._fill_escalations()
        self._fill_meetings()
        self.actions.show(self.data)
        self._draw_chart()

    def progress(self) -> dict:
        """The roll-up as of the chosen period ({} before a load)."""
        return self.data.progress.get(self.as_of, {}) if self.data else {}

    def _fill_summary(self) -> None:
        plan = self.progress().get(M.PLAN)
        if plan is None:
            self.summary.setText(tr("No implementation items in this copy yet: run the implementation sync."))
            return
        planned = "—" if plan.planned is None else f"{plan.planned:.1f}%"
        counts = {}
        for node in self.progress().values():
            if not node.children:
                counts[node.status] = counts.get(node.status, 0) + 1
        chips = " ".join(f"<span style='background:{jobs.STATUS_COLOURS.get(s, '#999')};color:white'>"
                         f"&nbsp;{status_text(s)} {n}&nbsp;</span>" for s, n in counts.items())
        self.summary.setText(tr("Plan <b>{}</b> complete, {} planned, as of {}. {}").format(
            f"{plan.percent:.1f}%", planned, self.as_of, chips))

    def _fill_tree(self) -> None:
        progress, state = self.progress(), self.data.state
        with signals_blocked(self.tree):
            self.tree.clear()
            self.rows: dict[str, QTreeWidgetItem] = {}
            if M.PLAN in state.items:
                self._add_node(self.tree.invisibleRootItem(), state.items[M.PLAN], progress)
            self.tree.expandToDepth(1)
            self.tree.setCurrentItem(self.rows.get(self.node) or self.rows.get(M.PLAN))
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((320, 150, 140, 62, 84, 70)):
            self.tree.setColumnWidth(column, width)

    def _add_node(self, parent: QTreeWidgetItem, item: M.Item, progress: dict) -> None:
        from app.views.implement_milestones import next_milestone_text
        node = progress.get(item.id)
        label = jobs.title(item, lang())
        row = QTreeWidgetItem(parent, [f"{jobs.item_code(item)} {label}".strip(),
                                       party_text(self.data.names, item.lead) if item.lead else ""])
        row.setData(0, ITEM, item.id)
        row.setToolTip(0, label + next_milestone_text(item))
        row.setToolTip(1, row.text(1))
        if node is not None:
            colour = jobs.STATUS_COLOURS.get(node.status, "#1F4E79")
            row.setData(BAR_COLUMN, PERCENT, node.percent)
            row.setData(BAR_COLUMN, PLANNED, node.planned)
            row.setData(BAR_COLUMN, Qt.ItemDataRole.DecorationRole + 100, colour)
            row.setText(3, "—" if node.planned is None else f"{node.planned:.1f}%")
            row.setText(4, status_text(node.status))
            row.setForeground(4, QColor(colour))
            row.setText(5, node.period or "—")
        self.rows[item.id] = row
        for child in self.data.state.children(item.id):
            self._add_node(row, child, progress)

    def _fill_reporting(self) -> None:
        rows = self.data.reporting.get(self.as_of, []) if self.data else []
        reports = self.data.state.reports if self.data else {}
        self.reporting.setRowCount(len(rows))
        for i, r in enumerate(rows):
            colour = REPORTING_COLOURS.get(r.state)
            lines = len(reports[r.report].lines) if r.report in reports else ""
            cells = (party_text(self.data.names, r.party), reporting_text(r.state),
                     beijing(r.submitted, lang()) if r.submitted else "—", lines)
            for column, text in enumerate(cells):
                self.reporting.setItem(i, column, _cell(text, r.party, colour))

    def _count_levels(self) -> None:
        """Open and overdue issues per level, in the level selector."""
        issues = jobs.open_issues(self.data.state)
        for index in range(1, self.level.count()):
            level = self.level.itemData(index)
            mine = [i for i in issues if i.level == level]
            late = sum(i.due < self.data.today for i in mine)
            self.level.setItemText(index, tr("{} ({} open, {} overdue)").format(level_text(level), len(mine), late))

    def _fill_issues(self) -> None:
        if self.data is None:
            return
        self._count_levels()
        level = self.level.currentData() or 0
        issues = [i for i in jobs.open_issues(self.data.state) if level in (0, i.level)]
        today = self.data.today
        self.issues.setRowCount(len(issues))
        for row, issue in enumerate(issues):
            late = _days_between(issue.due, today)
            item = self.data.state.items.get(issue.item or "")
            cells = (level_text(issue.level), issue.title_zh if lang() == "zh" else issue.title_en or issue.title_zh,
                     party_text(self.data.names, issue.owner), issue.due, late if late > 0 else "",
                     sum(s.action == "escalated" for s in issue.history) or "",
                     jobs.title(item, lang()) if item else "")
            for column, text in enumerate(cells):
                self.issues.setItem(row, column, _cell(text, issue.id, "#F6D5D2" if late > 0 and column == 4
                                                       else None))

    def _fill_escalations(self) -> None:
        steps = jobs.escalations(self.data.state)
        self.escalations.setRowCount(len(steps))
        for row, (issue, step) in enumerate(steps):
            reason = {"overdue": tr("overdue"), "unresolved": tr("unresolved")}.get(step.note, step.note)
            cells = (beijing(step.at, lang()), issue.title_zh if lang() == "zh" else issue.title_en or issue.title_zh,
                     level_text(step.level), step.memo or step.by, reason)
            for column, text in enumerate(cells):
                self.escalations.setItem(row, column, _cell(text, issue.id))

    def _fill_meetings(self) -> None:
        meetings = jobs.meetings(self.data.state)
        self.meetings.setRowCount(len(meetings))
        for row, m in enumerate(meetings):
            decided = {}
            for d in m.memo.decisions if m.memo else ():
                decided[d.action] = decided.get(d.action, 0) + 1
            words = {"close": tr("closed"), "escalate": tr("escalated"), "keep": tr("kept")}
            cells = (m.date, m.memo.number if m.memo else tr("no memo yet"), level_text(m.level),
                     m.title_zh if lang() == "zh" else m.title_en or m.title_zh, len(m.agenda),
                     ", ".join(f"{words[a]} {n}" for a, n in decided.items()))
            for column, text in enumerate(cells):
                self.meetings.setItem(row, column, _cell(text, m.id))

    # -- UI -> model -----------------------------------------------------------------------

    def _on_period(self, _index: int) -> None:
        self.as_of = self.periods.currentData()
        self._fill_all()

    def set_period(self, period: str) -> None:
        """Show the figures as of `period` (as choosing it in the selector does)."""
        self.periods.setCurrentIndex(self.periods.findData(period))

    def _on_node(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None and current.data(0, ITEM) != self.node:
            self.node = current.data(0, ITEM)
            self._draw_chart()

    def _on_issue(self, table: QTableWidget, row: int) -> None:
        cell = table.item(row, 0)
        issue = self.data.state.issues.get(cell.data(ITEM)) if cell and self.data else None
        if issue is not None and issue.item:
            self.show_timeline(issue.item)

    def show_timeline(self, item_id: str | None) -> QDialog | None:
        """The item's reported values period by period, in a small window."""
        if self.data is None or item_id not in self.data.state.items:
            return None
        from app.implement.rollup import timeline
        item = self.data.state.items[item_id]
        points = timeline(self.data.state, item_id)
        dialog = self.timeline_dialog = QDialog(self)
        dialog.setWindowTitle(tr("Timeline: {}").format(jobs.title(item, lang())))
        table = _table(5)
        table.setHorizontalHeaderLabels([tr("Period"), tr("Complete"), tr("Status"), tr("Party"),
                                         tr("Report state")])
        table.setRowCount(len(points))
        for row, p in enumerate(points):
            cells = (p.period, f"{p.percent:.1f}%", status_text(p.status), party_text(self.data.names, p.party),
                     _report_state_text(p.state))
            for column, text in enumerate(cells):
                table.setItem(row, column, _cell(text))
        layout = QVBoxLayout(dialog)
        head = QLabel(tr("{} · lead {}").format(jobs.title(item, lang()), party_text(self.data.names, item.lead)))
        head.setWordWrap(True)
        layout.addWidget(head)
        layout.addWidget(table)
        if item.milestones:
            from app.views.implement_milestones import milestone_table
            self.milestone_table = milestone_table(item, self.data.today[:7])
            layout.addWidget(QLabel(tr("Milestones")))
            layout.addWidget(self.milestone_table)
        dialog.resize(640, 420 + 160 * bool(item.milestones))
        dialog.show()
        return dialog


def _report_state_text(state: str) -> str:
    return {"submitted": tr("submitted"), "accepted": tr("accepted"), "returned": tr("returned"),
            "superseded": tr("superseded"), "rollup": tr("rolled up")}.get(state, state)


def _days_between(due: str, today: str) -> int:
    """Days from `due` to `today` (positive: overdue)."""
    from datetime import date
    return (date.fromisoformat(today) - date.fromisoformat(due)).days


def open_dashboard(window) -> ImplementDashboard:
    """Show the window's implementation dashboard (one per window) and reload it."""
    dashboard = getattr(window, "implement_dashboard", None)
    if dashboard is None:
        dashboard = window.implement_dashboard = ImplementDashboard(window, window)
    dashboard.show()
    dashboard.raise_()
    dashboard.refresh()
    return dashboard
