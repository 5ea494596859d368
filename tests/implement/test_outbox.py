"""The party's outbox and mirror against a real server: written offline, sent on sync, pulled
back and folded locally; a cut-off send is sent again harmlessly; a refused item does not hold
up the rest; evidence files go up first; indicator values and check-ups are queued once."""

from __future__ import annotations

import pytest

from app.analysis import checkup_store
from app.errors import InvalidInput, NotFound, SyncError
from app.implement import outbox
from app.implement.events import Event
from app.model.ids import uuid7
from app.model.jobs import drive
from tests.implement.conftest import api, line, new_id, report
from tests.implement.test_server import PDF


def sync(project, server, user: str = "sz") -> tuple[int, int]:
    return drive(outbox.sync_steps(project, api(server, user)))


def test_written_offline_sent_on_sync_and_pulled_back(project, implement_server):
    sent = outbox.report_data(project, "2026-07", [
        line("Z2.strategy.4", 35, narrative_zh="合成示例：前期工作")])
    item = outbox.write(project, "report", sent)  # no server needed
    assert [p["id"] for p in outbox.pending(project)] == [item]
    assert outbox.local_state(project).version == 0
    pushed, pulled = sync(project, implement_server)
    assert pushed == 1 and pulled >= 2  # the items, this report, and whatever others sent
    state, answer = outbox.item_state(project, item)
    assert state == "sent" and answer["party"] == "320500" and answer["id"] == item
    local = outbox.local_state(project)
    assert local.reports[sent["report"]].party == "320500" and len(local.items) == 70
    assert local.reports[sent["report"]].author == "tester"  # the copy's author
    assert local.version == outbox.head(project)
    assert sync(project, implement_server) == (0, 0)  # nothing new either way
    assert outbox.pending(project) == []


class CutOff:
    """An API whose first post reaches the server but whose answer is lost on the way."""

    def __init__(self, real):
        self.real, self.cut = real, True

    def __getattr__(self, name):
        return getattr(self.real, name)

    def post(self, kind, data, request_id=None):
        answer = self.real.post(kind, data, request_id=request_id)
        if self.cut:
            self.cut = False
            raise SyncError("the server's reply was incomplete", retryable=True)
        return answer


def test_a_cut_off_send_is_sent_again_harmlessly(project, implement_server):
    sent = report("2026-06", [line("Z2.strategy.4", 20)])
    item = outbox.write(project, "report", sent)
    with pytest.raises(SyncError):
        drive(outbox.send_steps(project, CutOff(api(implement_server, "sz"))))
    assert outbox.item_state(project, item)[0] == "queued"  # not known to have gone
    assert sync(project, implement_server)[0] == 1
    events = api(implement_server, "eye").events()
    assert [e.id for e in events].count(item) == 1  # the server kept it once
    assert outbox.item_state(project, item)[1]["version"] == next(
        e.version for e in events if e.id == item)


def test_a_refused_item_does_not_hold_up_the_rest(project, implement_server):
    refused = outbox.write(project, "report", report("2026-05", [line("S1.action.1", 50)]))
    issue = outbox.write(project, "issue", {"issue": new_id(), "title_zh": "征地补偿标准待统一",
                                            "owner": "320500", "due": "2027-01-31"})
    assert sync(project, implement_server)[0] == 1
    state, answer = outbox.item_state(project, refused)
    assert state == "refused" and "neither leads nor joins" in answer["error"]
    assert outbox.item_state(project, issue)[0] == "sent"
    assert [p["id"] for p in outbox.pending(project, "refused")] == [refused]
    assert outbox.local_state(project).issues  # pulled back


def test_evidence_files_go_up_before_their_report(project, implement_server, tmp_path):
    evidence = tmp_path / "现场照片.pdf"
    evidence.write_bytes(PDF)
    file_id = uuid7()
    sent = report("2026-04", [line("Z2.strategy.4", 10, attachments=[file_id])])
    with pytest.raises(InvalidInput, match="not named"):
        outbox.write(project, "report", sent, files=[(uuid7(), evidence)])
    with pytest.raises(InvalidInput, match="PDF, PNG or JPEG"):
        outbox.write(project, "report", sent, files=[(file_id, b"plain text")])
    assert outbox.pending(project) == []  # nothing of a refused write stays
    item = outbox.write(project, "report", sent, files=[(file_id, evidence)])
    assert sync(project, implement_server)[0] == 1
    assert outbox.item_state(project, item)[0] == "sent"
    assert project.db.execute("SELECT uploaded FROM coplan_implement_files WHERE id = ?",
                              (file_id,)).fetchone()[0] == 1
    line_sent = outbox.local_state(project).reports[sent["report"]].lines[0]
    assert line_sent.attachments == (file_id,)


def test_bad_data_is_refused_when_written_and_drafts_wait(project):
    with pytest.raises(InvalidInput, match=r"\$\.lines\[0\]\.status"):
        outbox.write(project, "report", report("2026-11", [line("Z2.strategy.1", 5, "fine")]))
    draft = outbox.write(project, "report", report("2026-11", [line("Z2.strategy.1", 5)]),
                         queued=False)
    assert outbox.pending(project) == [] and outbox.pending(project, "draft")[0]["id"] == draft
    outbox.queue(project, draft)
    assert outbox.pending(project)[0]["id"] == draft
    with pytest.raises(NotFound):
        outbox.queue(project, draft)


def test_mirror_ignores_what_it_holds(project, implement_server):
    events = api(implement_server, "eye").events()
    assert outbox.mirror(project, events) == len(events)
    assert outbox.mirror(project, events[:3]) == 0
    assert outbox.local_state(project).version == events[-1].version


def test_indicator_values_and_check_ups_are_queued_once(project, implement_server):
    entry = checkup_store.Entry("MT086", "320500", 2025, "统计年鉴 2026", value=0.62,
                                target_value_2035=0.9)
    checkup_store.enter(project.db, [entry, checkup_store.Entry(
        "MT087", "320500", 2025, "统计年鉴 2026", value=0.41)], "tester")
    first = outbox.queue_indicators(project)
    assert first and outbox.queue_indicators(project) is None  # nothing new since
    checkup_store.enter(project.db, [checkup_store.Entry("MT086", "320500", 2025, "统计年鉴 2026",
                                                         value=0.65)], "tester")
    second = outbox.queue_indicators(project)
    assert [e["value"] for e in outbox.pending(project)[-1]["data"]["entries"]] == [0.65]
    checkup_store.record(project.db, [checkup_store.Recorded(
        2025, "MT086", "320500", 0.65, "entered", 0.9, 2035, "on_track", "统计年鉴", None)],
        2025, "tester")
    checkup = outbox.queue_checkup(project, 2025)
    assert checkup and outbox.queue_checkup(project, 2025) is None
    assert outbox.queue_checkup(project, 2024) is None  # nothing recorded
    sync(project, implement_server)
    assert all(outbox.item_state(project, i)[0] == "sent" for i in (first, second, checkup))
    local = outbox.local_state(project)
    assert local.indicators[("320500", "MT086", "320500", 2025)]["value"] == 0.65
    assert local.checkups[("320500", 2025)]["rows"][0]["indicator_id"] == "MT086"


def test_a_mirror_of_another_log_is_replaced_on_pull(project, implement_server):
    """A sample's synthetic log (or another server's) never mixes with this server's."""
    other = Event(new_id(), 1, "items", "office", "样例", "2026-01-01T00:00:00.000Z",
                  {"items": [{"id": "plan", "kind": "plan", "title_zh": "合成示例"}]})
    outbox.mirror(project, [other])
    pulled = outbox.pull(project, api(implement_server, "eye"))
    events = outbox.mirrored(project)
    assert pulled == len(events) and other.id not in {e.id for e in events}
    assert len(outbox.local_state(project).items) == 70
    assert outbox.pull(project, api(implement_server, "eye")) == 0
