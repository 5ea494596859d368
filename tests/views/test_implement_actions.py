"""A coordinator runs the monthly cycle in the dashboard (#16): reviews reports, escalates
overdue issues, plans a meeting with the automatic agenda and records the memo that closes an
issue — over a real server (one per module), the copy pulling after each command. An editor's
copy shows none of these buttons; returning a report needs a note; an unreachable server is
said plainly. Screenshots of each dialog (zh, en) go to /work/shots/implement2/ when it exists."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from app.implement import outbox
from app.implement.issues import agenda_for
from app.implement.rollup import rollup
from app.views import i18n
from app.views.implement_dashboard import BAR_COLUMN, ITEM, PERCENT
from app.views.worker import message_of
from tests.implement.test_end_to_end import DEAD, PERIOD, TODAY, ok, site  # noqa: F401 (module fixture)
from tests.views.test_implement_dashboard import copies, dashboard_on  # noqa: F401 (module fixture)
from tests.views.test_progress_dialog import on_worker

SHOTS = Path("/work/shots/implement2")
EARLIER = (dt.date.fromisoformat(PERIOD + "-01") - dt.timedelta(days=1)).strftime("%Y-%m")


def wait_sent(qtbot, window, dialog) -> None:
    """Until the dialog's command went through and the dashboard reloaded."""
    qtbot.waitUntil(lambda: dialog.sent is not None or "color" in dialog.message.styleSheet(),
                    timeout=20_000)
    assert dialog.sent is not None, dialog.message.text()
    wait_idle(qtbot, window)


def wait_idle(qtbot, window) -> None:
    from tests.views.conftest import wait_idle as idle
    idle(qtbot, window)


def test_an_editor_copy_shows_no_coordinator_buttons(qtbot, window, copies):  # noqa: F811
    folder, _ = copies
    dashboard = dashboard_on(qtbot, window, folder / "320500.sqlite")
    actions = dashboard.actions
    buttons = [actions.review_row, *actions.issue_buttons(), *actions.meeting_buttons()]
    assert all(b.isHidden() for b in buttons)  # hidden, not merely on another tab
    assert not actions.issue_note.isHidden() and actions.issue_note.toolTip()
    assert actions.reports.rowCount() == len(actions.awaiting())  # the list itself is shown
    dashboard.refresh_button.click()
    wait_idle(qtbot, window)
    assert dashboard.data is not None and dashboard.message.text() == ""


def test_returning_a_report_needs_a_note(qtbot, window, copies):  # noqa: F811
    folder, _ = copies
    dashboard = dashboard_on(qtbot, window, folder / "metro.sqlite")
    actions = dashboard.actions
    assert not actions.review_row.isHidden() and actions.awaiting()
    actions.reports.setCurrentCell(0, 0)
    assert actions.accept_button.isEnabled() and not actions.return_button.isEnabled()
    actions.review("return")  # refused at once: nothing runs
    assert not window.worker.busy and "color" in actions.review_message.styleSheet()
    actions.note.setText("附件缺失")
    assert actions.return_button.isEnabled()


def test_an_unreachable_server_is_said_plainly(qtbot, window, copies, monkeypatch):  # noqa: F811
    from app.editing import jobs as editing_jobs
    from app.editing.implement_actions_jobs import reachable
    from app.errors import SyncError
    from app.sync.client import Remote

    folder, _ = copies
    dashboard = dashboard_on(qtbot, window, folder / "metro.sqlite")
    monkeypatch.setattr(editing_jobs, "remote_for", lambda _p: (Remote(DEAD, "t", retries=0), "metro"))
    actions = dashboard.actions
    actions.reports.setCurrentCell(0, 0)
    report = actions.selected_report()
    actions.review("accept")
    wait_idle(qtbot, window)
    with pytest.raises(SyncError) as raised, reachable():
        raise SyncError("cannot reach the server", retryable=True)
    assert actions.review_message.text() == message_of(raised.value)
    assert actions.accept_button.isEnabled() and actions.selected_report() == report


def test_the_monthly_cycle_over_a_real_server(qtbot, window, site, monkeypatch):  # noqa: F811
    _, tokens, tmp = site
    boss, sz = tmp / "boss.sqlite", tmp / "sz.sqlite"
    monkeypatch.setenv("COPLAN_TOKEN", tokens["boss"])
    ok("progress", "items", boss, "--register")
    monkeypatch.setenv("COPLAN_TOKEN", tokens["sz"])
    ok("progress", "sync", sz)
    for period, percent in ((PERIOD, 60), (EARLIER, 30)):
        ok("progress", "report", sz, "--period", period, "--item", "Z2.strategy.1", "--percent", percent,
           "--status", "on_track", *(("--issue", "跨界道路征地协调滞后") if period == PERIOD else ()))
    ok("issue", "open", sz, "--title-zh", "跨市协调机制尚未明确", "--due", str(TODAY + dt.timedelta(days=60)))
    ok("progress", "sync", sz)
    monkeypatch.setenv("COPLAN_TOKEN", tokens["boss"])
    ok("progress", "sync", boss)
    dashboard = dashboard_on(qtbot, window, boss)
    actions = dashboard.actions
    assert actions.reports.rowCount() == 2

    # Accept this period's report: the dashboard shows it accepted and the roll-up moves.
    first = next(r for r in actions.awaiting() if r.period == PERIOD)
    actions.reports.setCurrentCell([r.id for r in actions.awaiting()].index(first.id), 0)
    actions.review("accept")
    qtbot.waitUntil(lambda: actions.reports.rowCount() == 1, timeout=20_000)
    wait_idle(qtbot, window)
    state = on_worker(qtbot, window, outbox.local_state)
    assert state.reports[first.id].state == "accepted"
    dashboard.set_period(PERIOD)
    expected = rollup(state, as_of=PERIOD)
    assert expected["Z2"].percent > 0
    for item in ("plan", "Z2", "Z2.strategy.1"):
        assert dashboard.rows[item].data(BAR_COLUMN, PERCENT) == pytest.approx(expected[item].percent)

    # Return the other one with a note.
    actions.reports.setCurrentCell(0, 0)
    actions.note.setText("请补充证明材料")
    actions.review("return")
    qtbot.waitUntil(lambda: actions.reports.rowCount() == 0, timeout=20_000)
    wait_idle(qtbot, window)
    state = on_worker(qtbot, window, outbox.local_state)
    returned = next(r for r in state.reports.values() if r.period == EARLIER)
    assert (returned.state, returned.note) == ("returned", "请补充证明材料")

    # The issue the report raised is overdue by now: escalate it after looking at the list.
    (issue,) = [i for i in state.issues.values() if i.state == "open" and i.source["kind"] == "report"]
    (other,) = [i for i in state.issues.values() if i.state == "open" and i.source["kind"] == "manual"]
    dialog = actions.open_escalate_overdue()
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).data(ITEM) == issue.id
    dialog.submit()
    wait_sent(qtbot, window, dialog)
    assert dialog.sent == 1 and dashboard.data.state.issues[issue.id].level == 2
    assert dashboard.data.state.issues[other.id].level == 1  # not overdue

    # The other one goes up a level by hand, with a typed reason.
    dashboard.tabs.setCurrentIndex(1)
    dashboard.issues.setCurrentCell(next(r for r in range(dashboard.issues.rowCount())
                                         if dashboard.issues.item(r, 0).data(ITEM) == other.id), 0)
    dialog = actions.open_escalate()
    qtbot.addWidget(dialog)
    dialog.reason.setEditText("")
    assert dialog.commands() is None and dialog.sent is None  # a reason is needed
    dialog.reason.setEditText("议而未决")
    dialog.submit()
    wait_sent(qtbot, window, dialog)
    escalated = dashboard.data.state.issues[other.id]
    assert escalated.level == 2 and escalated.history[-1].note == "议而未决"

    # A level-2 meeting with the automatic agenda, then its memo closes the issue.
    dialog = actions.open_plan()
    qtbot.addWidget(dialog)
    dialog.level.setCurrentIndex(dialog.level.findData(2))
    dialog.day.setDate(dialog.day.date().addDays(1))
    day = TODAY + dt.timedelta(days=1)
    assert dialog.commands()[0][1]["agenda"] == agenda_for(dashboard.data.state, 2, day) == [issue.id, other.id]
    dialog.submit()
    wait_sent(qtbot, window, dialog)
    (meeting,) = dashboard.data.state.meetings.values()
    assert meeting.agenda == (issue.id, other.id) and meeting.level == 2
    assert "office" in meeting.attendees and "320500" in meeting.attendees
    dialog = actions.open_memo()
    qtbot.addWidget(dialog)
    dialog.commands()  # no number yet: refused, nothing sent
    assert dialog.sent is None and "color" in dialog.message.styleSheet()
    dialog.number.setText("沪都协纪〔2026〕9号")
    dialog.decide(issue.id, "close", note="征地协调已完成")
    new_due = str(TODAY + dt.timedelta(days=90))
    dialog.decide(other.id, "keep", due=new_due)
    dialog.submit()
    wait_sent(qtbot, window, dialog)
    closed = dashboard.data.state.issues[issue.id]
    assert closed.state == "closed" and closed.history[-1].memo == "沪都协纪〔2026〕9号"
    assert [dashboard.issues.item(r, 0).data(ITEM) for r in range(dashboard.issues.rowCount())] == [other.id]
    assert dashboard.data.state.issues[other.id].due == new_due
    assert dashboard.meetings.item(0, 1).text() == "沪都协纪〔2026〕9号"
    assert not actions.memo_button.isEnabled()  # every meeting has its memo
    assert meeting.date == str(day)


def test_screenshots(qtbot, window, copies):  # noqa: F811
    if not SHOTS.is_dir():
        pytest.skip("no /work/shots/implement2 folder")
    folder, _ = copies
    dashboard = dashboard_on(qtbot, window, folder / "metro.sqlite")
    try:
        for language in ("zh", "en"):
            if language == "en":
                window.set_language("en")
                qtbot.waitUntil(lambda: dashboard.refresh_button.text() == "Refresh")
                wait_idle(qtbot, window)
            _shoot(qtbot, dashboard, language)
    finally:
        i18n.install("zh")


def _shoot(qtbot, dashboard, language: str) -> None:
    actions = dashboard.actions
    if not actions.unrecorded():  # every sample meeting has its memo: show one without, in memory
        state = dashboard.data.state
        meeting = max(state.meetings.values(), key=lambda m: (
            sum(state.issues[i].state == "open" for i in m.agenda if i in state.issues), m.date))
        state.meetings[meeting.id] = dataclasses.replace(meeting, memo=None)
        # Seen from the end of next January, a few sample issues are overdue.
        dashboard.data = dataclasses.replace(dashboard.data, today="2027-01-31")
    dashboard.tabs.setCurrentIndex(3)
    actions.reports.setCurrentCell(0, 0)
    dashboard.grab().save(str(SHOTS / f"reports-tab-{language}.png"))
    dashboard.tabs.setCurrentIndex(1)
    rows = [r for r in range(dashboard.issues.rowCount())
            if dashboard.data.state.issues[dashboard.issues.item(r, 0).data(ITEM)].level < 3]
    dashboard.issues.setCurrentCell(rows[0], 0)
    dashboard.grab().save(str(SHOTS / f"issues-tab-{language}.png"))
    for name, dialog in (("escalate-overdue", actions.open_escalate_overdue()), ("escalate", actions.open_escalate()),
                         ("plan-meeting", actions.open_plan()), ("memo", actions.open_memo())):
        qtbot.addWidget(dialog)
        dialog.grab().save(str(SHOTS / f"{name}-{language}.png"))
        dialog.close()


def test_a_batch_cut_short_still_pulls(monkeypatch):
    """Escalating several issues: when the network drops after the first, the copy pulls what
    went through (when it can) and the error says the server is out of reach."""
    from app.editing import implement_actions_jobs as ajobs
    from app.errors import SyncError

    pulled = []
    monkeypatch.setattr(ajobs, "_pull", lambda _project, _api: pulled.append(1) or 0)

    class Api:
        def __init__(self) -> None:
            self.posts: list[str] = []

        def post(self, kind, data, request_id):
            if self.posts:
                raise SyncError("cannot reach the server", retryable=True)
            self.posts.append(request_id)

    api = Api()
    with pytest.raises(SyncError, match="cannot be reached"):
        list(ajobs._send(None, api, [("escalate", {}, "a"), ("escalate", {}, "b")]))
    assert api.posts == ["a"] and pulled == [1]
