"""Entered indicator values and recorded check-ups reach the office (#16 item 6), over a real
server: Suzhou enters forest cover (TJ042) for 2020–2025 and records its 2022–2024 check-ups;
`coplan progress sync` queues and sends them; the office pulls, and its check-up and five-year
evaluation show Suzhou's values and trend history. An edit is sent once and replaces the old
value; the office's own entry wins; a value for another city's region never counts."""

from __future__ import annotations

import json

import pytest
import shapely

from app.analysis import checkup_store as store
from app.analysis.evaluation import AHEAD, iter_evaluate
from app.analysis.indicators import METRO
from app.analysis.projects import enter_file, iter_checkup, record_checkup
from app.implement import indicators
from app.implement.events import Event
from app.implement.outbox import local_state, pending
from app.implement.state import fold
from app.model.jobs import drive
from app.project.features import add_feature
from app.project.project import Project
from tests.implement.test_end_to_end import clone_all, ok, ok_json, start_site

SUZHOU, JIAXING = "320500", "330400"
FOREST = [20.0, 20.3, 20.5, 20.8, 21.0, 21.2]  # TJ042 of Suzhou, 2020–2025 (%)
SOURCE = "苏州市统计公报（测试）"


def add_cities(path) -> None:
    """Suzhou and Jiaxing as XZQ features of a copy (local only: the check-up's regions)."""
    with Project.open(path) as project:
        role = project.role
        project.set_meta("role", "coordinator")  # a copy holds other parties' features too
        for n, (code, name, x) in enumerate(((SUZHOU, "苏州市", 120.5), (JIAXING, "嘉兴市", 120.7))):
            add_feature(project, "XZQ", {"BSM": str(n + 1), "XZQDM": code, "XZQMC": name,
                                         "JB": "city"}, shapely.box(x, 30.5, x + 0.2, 30.8),
                        owner=code)
        project.set_meta("role", role)


def enter(path, tmp, rows: list[dict]) -> None:
    """Enter values in a copy the way `coplan indicators --enter FILE` does."""
    file = tmp / "entries.json"
    file.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    enter_file(path, file)


def row_of(report, indicator: str, region: str):
    return next((r for r in report.rows if (r.indicator, r.region) == (indicator, region)), None)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Suzhou's values and check-ups sent; the office pulled. Yields (tokens, tmp, sync output)."""
    tmp = tmp_path_factory.mktemp("indicator-sync")
    srv, tokens = start_site(tmp)
    with pytest.MonkeyPatch.context() as mp:
        clone_all(srv, tokens, tmp, mp)
        sz, boss = tmp / "sz.sqlite", tmp / "boss.sqlite"
        for path in (sz, boss):
            add_cities(path)
        rows = [{"indicator_id": "TJ042", "xzqdm": SUZHOU, "year": 2020 + k, "data_source": SOURCE,
                 "value": v} for k, v in enumerate(FOREST)]
        rows[0].update(base_value=20.0, target_value_2035=22.0)
        # A value for Jiaxing's region: Suzhou does not speak for it.
        rows.append({"indicator_id": "TJ042", "xzqdm": JIAXING, "year": 2025,
                     "data_source": SOURCE, "value": 99.0})
        enter(sz, tmp, rows)
        for year in (2022, 2023, 2024):
            record_checkup(sz, drive(iter_checkup(sz, year)))
        # A 2022 figure revised after its check-up was recorded: the record stays the history.
        enter(sz, tmp, [{"indicator_id": "TJ042", "xzqdm": SUZHOU, "year": 2022,
                         "data_source": "修订", "value": 25.0}])
        mp.setenv("COPLAN_TOKEN", tokens["sz"])
        said = ok("progress", "sync", sz)
        mp.setenv("COPLAN_TOKEN", tokens["boss"])
        ok("progress", "sync", boss)
        yield tokens, tmp, said
    srv.stop()


@pytest.fixture
def as_user(site, monkeypatch):
    tokens, tmp, _ = site

    def use(user: str):
        monkeypatch.setenv("COPLAN_TOKEN", tokens[user])
        return tmp / f"{user}.sqlite"
    return use


def test_sync_queues_and_sends_values_and_check_ups_once(site, as_user):
    _, _, said = site
    assert said.splitlines()[0] == "queued 7 indicator value(s) and the 2022, 2023, 2024 check-ups"
    assert "sent 4 item(s); 0 refused" in said
    sz = as_user("sz")
    assert ok("progress", "sync", sz).startswith("sent 0 item(s)")  # nothing new to queue
    with Project.open(sz) as project:
        assert pending(project) == []


def test_the_office_check_up_and_evaluation_carry_the_city_values(as_user):
    boss = as_user("boss")
    report = drive(iter_checkup(boss, 2025))
    forest = row_of(report, "TJ042", SUZHOU)
    assert (forest.value, forest.origin, forest.source) == (21.2, "entered", SOURCE)
    assert forest.target == 22.0
    assert row_of(report, "TJ042", JIAXING).value is None  # Suzhou does not speak for Jiaxing
    assert report.previous_year == 2024  # compared with Suzhou's recorded check-up
    evaluation = drive(iter_evaluate(boss, 2025))
    forest = next(r for r in evaluation.rows if (r.indicator, r.region) == ("TJ042", SUZHOU))
    assert forest.base_value == 20.0 and forest.value == 21.2 and forest.target == 22.0
    assert forest.progress == pytest.approx(0.6) and forest.assessment == AHEAD
    series = dict(forest.series)
    assert sorted(series) == list(range(2020, 2026))
    assert series[2022] == pytest.approx(20.5)  # the recorded check-up, not the revised 25.0
    assert evaluation.region_names[SUZHOU] == "苏州市" and METRO in evaluation.region_names


def test_an_edit_is_sent_once_and_replaces_the_old_value(as_user, tmp_path):
    sz = as_user("sz")
    enter(sz, tmp_path, [{"indicator_id": "TJ005", "xzqdm": SUZHOU, "year": 2025,
                          "data_source": SOURCE, "value": 61.0}])
    assert ok("progress", "sync", sz).startswith("queued 1 indicator value(s)\nsent 1 item(s)")
    enter(sz, tmp_path, [{"indicator_id": "TJ005", "xzqdm": SUZHOU, "year": 2025,
                          "data_source": SOURCE, "value": 63.5}])
    assert ok("progress", "sync", sz).startswith("queued 1 indicator value(s)\nsent 1 item(s)")
    assert ok("progress", "sync", sz).startswith("sent 0 item(s)")
    boss = as_user("boss")
    ok("progress", "sync", boss)
    assert row_of(drive(iter_checkup(boss, 2025)), "TJ005", SUZHOU).value == 63.5
    listed = ok_json("progress", "indicators", boss, "--party", SUZHOU, "--year", 2025)
    tj005 = [v for v in listed["values"] if v["indicator_id"] == "TJ005"]
    assert [(v["value"], v["user"], v["counted"]) for v in tj005] == [(63.5, "sz", True)]
    jiaxing = next(v for v in listed["values"] if v["xzqdm"] == JIAXING)
    assert jiaxing["counted"] is False


def test_the_office_own_entry_wins(as_user, tmp_path):
    sz = as_user("sz")  # the token of the user a sync runs as
    enter(sz, tmp_path, [{"indicator_id": "TJ007", "xzqdm": SUZHOU, "year": 2025,
                          "data_source": SOURCE, "value": 110.0}])
    ok("progress", "sync", sz)
    boss = as_user("boss")
    ok("progress", "sync", boss)
    assert row_of(drive(iter_checkup(boss, 2025)), "TJ007", SUZHOU).value == 110.0
    with Project.open(boss) as project:
        store.enter(project.db, [store.Entry("TJ007", SUZHOU, 2025, "办公室核定", value=100.0)],
                    "office")
    row = row_of(drive(iter_checkup(boss, 2025)), "TJ007", SUZHOU)
    assert (row.value, row.source) == (100.0, "办公室核定")


def test_the_server_decides_the_party_of_the_values(as_user):
    """Suzhou's copy claiming to be Jiaxing still sends as Suzhou: its values never count for
    Jiaxing's region at the office."""
    sz = as_user("sz")
    with Project.open(sz) as project:
        project.set_meta("party", JIAXING)
        store.enter(project.db, [store.Entry("TJ042", JIAXING, 2024, SOURCE, value=55.0)], "sz")
    try:
        ok("progress", "sync", sz)
    finally:
        with Project.open(sz) as project:
            project.set_meta("party", SUZHOU)
    boss = as_user("boss")
    ok("progress", "sync", boss)
    with Project.open(boss) as project:
        state = local_state(project)
    assert (SUZHOU, "TJ042", JIAXING, 2024) in state.indicators
    assert not any(party == JIAXING for party, *_ in state.indicators)
    assert row_of(drive(iter_checkup(boss, 2024)), "TJ042", JIAXING).value is None
    text = ok("progress", "indicators", boss, "--year", 2024)
    assert "(not its region: not counted)" in text and "Suzhou" in text


def test_the_desktop_sync_queues_them_too(as_user, tmp_path):
    from app.editing.implement_jobs import sync_steps
    sz = as_user("sz")
    enter(sz, tmp_path, [{"indicator_id": "TJ010", "xzqdm": SUZHOU, "year": 2025,
                          "data_source": SOURCE, "value": 95.0}])
    with Project.open(sz) as project:
        store.record(project.db, [store.Recorded(2025, "TJ010", SUZHOU, 95.0, "entered", 90.0,
                                                 2025, "达标", SOURCE, None)], 2025, "sz")
        steps, job = [], sync_steps(project)
        try:
            while True:
                steps.append(next(job))
        except StopIteration as done:
            sent, _ = done.value
    assert steps[0].message == "queued 1 indicator value(s) and the 2025 check-up"
    assert sent == 2


def test_an_observer_queues_nothing(as_user, tmp_path):
    eye = as_user("eye")
    enter(eye, tmp_path, [{"indicator_id": "TJ042", "xzqdm": JIAXING, "year": 2025,
                           "data_source": SOURCE, "value": 30.0}])
    said = ok("progress", "sync", eye)
    assert said.startswith("sent 0 item(s)")


# --- without a server: who counts, and which of two senders wins ------------------------------

def event(n: int, kind: str, party: str, at: str, data: dict) -> Event:
    return Event(f"00000000-0000-4000-8000-{n:012d}", n, kind, party, "u", at, data)


def entry(region: str, year: int, value: float) -> dict:
    return {"indicator_id": "TJ042", "xzqdm": region, "year": year, "data_source": "x",
            "value": value}


def test_the_latest_sender_wins_and_each_speaks_for_its_own_region():
    state = fold([
        event(1, "indicators", "310000", "2026-01-02T00:00:00.000Z", {"entries": [
            entry("310000", 2025, 1.0), entry("320500", 2025, 7.0)]}),
        event(2, "indicators", "310000-SWJ", "2026-01-03T00:00:00.000Z", {"entries": [
            entry("310000", 2025, 2.0)]}),
        event(3, "indicators", "office", "2026-01-01T00:00:00.000Z", {"entries": [
            entry(METRO, 2025, 3.0), entry("310000", 2026, 9.0)]}),
        event(4, "checkup", "320500", "2026-01-04T00:00:00.000Z", {"year": 2024, "rows": [
            {"year": 2024, "indicator_id": "TJ042", "xzqdm": "320500", "value": 4.0,
             "origin": "entered", "status": "达标"},
            {"year": 2024, "indicator_id": "TJ042", "xzqdm": METRO, "value": 5.0,
             "origin": "entered", "status": "达标"}]}),
    ])
    got = {(e.xzqdm, e.year): e.value for e in indicators.synced_entries(state, 2025)}
    assert got == {("310000", 2025): 2.0, (METRO, 2025): 3.0}  # the department's, later
    assert {e.xzqdm for e in indicators.synced_entries(state, 2025, exclude_party="office")} \
        == {"310000"}
    assert [(r.xzqdm, r.value) for r in indicators.synced_records(state, 2020, 2024)] \
        == [("320500", 4.0)]
    own = store.Entry("TJ042", "310000", 2025, "本地", value=8.0)
    merged = indicators.merged_entries([own], indicators.synced_entries(state, 2025))
    assert [(e.xzqdm, e.value) for e in merged] == [("310000", 8.0), (METRO, 3.0)]


def test_queued_text():
    assert indicators.queued_text(12, [2025]) == "queued 12 indicator value(s) and the 2025 check-up"
    assert indicators.queued_text(0, [2024, 2025]) == "queued the 2024, 2025 check-ups"
    assert indicators.queued_text(0, []) == ""
