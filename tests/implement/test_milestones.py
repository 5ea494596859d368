"""Milestones end to end through `coplan progress milestones` over a real server: the office
adds and removes them, a city's accepted report marks one done, the plan follows them."""

from __future__ import annotations

import pytest

from app.implement import milestones as MS
from app.implement import rollup
from app.implement.periods import period_of, today_beijing
from tests.implement.test_cli import refused
from tests.implement.test_end_to_end import clone_all, ok, ok_json, start_site, state_of

ITEM = "Z2.strategy.3"  # Suzhou leads it
NOW = period_of(today_beijing())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The metro server with the plan's items registered and every copy pulled."""
    tmp = tmp_path_factory.mktemp("milestones")
    srv, tokens = start_site(tmp)
    with pytest.MonkeyPatch.context() as mp:
        clone_all(srv, tokens, tmp, mp)
        mp.setenv("COPLAN_TOKEN", tokens["boss"])
        ok("progress", "items", tmp / "boss.sqlite", "--register")
        mp.setenv("COPLAN_TOKEN", tokens["sz"])
        ok("progress", "sync", tmp / "sz.sqlite")
        yield srv, tokens, tmp
    srv.stop()


@pytest.fixture
def as_user(site, monkeypatch):
    _, tokens, tmp = site

    def use(user: str):
        monkeypatch.setenv("COPLAN_TOKEN", tokens[user])
        return tmp / f"{user}.sqlite"
    return use


def add(copy, mid: str, due: str, name: str = "取得批复") -> str:
    return ok("progress", "milestones", copy, ITEM, "--add", mid, "--name-zh", name,
              "--name-en", "Approved", "--due", due)


def test_milestones_added_reported_done_and_removed(as_user):
    boss = as_user("boss")
    assert "added milestone M1; 1 milestone(s)" in add(boss, "M1", "2026-03")
    add(boss, "M2", "2030-06", "建成通车")
    add(boss, "M0", "2026-01", "完成前期研究")  # never reported: overdue now
    listed = {m["id"]: m for m in ok_json("progress", "milestones", boss, ITEM, "--json")}
    assert {k: (m["due"], m["done"], m["state"]) for k, m in listed.items()} == {
        "M1": ("2026-03", None, "overdue"), "M2": ("2030-06", None, "planned"),
        "M0": ("2026-01", None, "overdue")}

    # The plan of the item follows its milestones: the roll-up says what planned_percent says.
    item = state_of(boss).items[ITEM]
    expected = rollup.planned_percent(item, "2026-03")
    assert expected == pytest.approx(200 / 3, abs=0.01)  # two of three milestones by then
    status = ok_json("progress", "status", boss, "--as-of", "2026-03", "--json")
    assert status["items"][ITEM]["planned"] == pytest.approx(expected)

    # Suzhou marks M1 done in its report of 2026-04; the office accepts it.
    sz = as_user("sz")
    ok("progress", "sync", sz)
    ok("progress", "report", sz, "--period", "2026-04", "--item", ITEM, "--percent", 40,
       "--status", "on_track", "--milestone", "M1")
    ok("progress", "sync", sz)
    boss = as_user("boss")
    ok("progress", "sync", boss)
    ok("progress", "review", boss, "320500/2026-04", "--accept")
    listed = {m["id"]: m for m in ok_json("progress", "milestones", boss, ITEM, "--json")}
    assert (listed["M1"]["done"], listed["M1"]["state"]) == ("2026-04", "done")
    text = ok("progress", "milestones", boss, ITEM)
    assert "M1" in text and "2026-04" in text and "overdue" in text and "3 milestone(s)" in text
    assert "M0" in ok("progress", "timeline", boss, ITEM)

    # A done milestone stays; one not done yet goes.
    refused(("progress", "milestones", boss, ITEM, "--remove", "M1"), 1, "cannot be removed")
    assert "removed milestone M2; 2 milestone(s)" in ok("progress", "milestones", boss, ITEM,
                                                        "--remove", "M2")
    after = state_of(boss).items[ITEM]
    assert [m.id for m in after.milestones] == ["M1", "M0"]
    assert [r.state for r in MS.of_period(state_of(boss), NOW) if r.item.id == ITEM] == \
        ["overdue"]  # M0 still overdue; M1 done and not due this period


def test_milestone_edits_refused(as_user):
    refused(("progress", "milestones", as_user("sz"), ITEM, "--add", "X", "--name-zh", "某",
             "--due", "2026-05"), 3, "only a coordinator may do this")
    boss = as_user("boss")
    refused(("progress", "milestones", boss, ITEM, "--add", "X", "--name-zh", "某",
             "--due", "2040-01"), 2, "outside item Z2.strategy.3's years 2022–2035")
    refused(("progress", "milestones", boss, ITEM, "--add", "X", "--name-zh", "某",
             "--due", "2026-13"), 2, "due period is YYYY-MM")
    refused(("progress", "milestones", boss, ITEM, "--add", "X"), 2, "--add needs --name-zh")
    refused(("progress", "milestones", boss, ITEM, "--remove", "nope"), 1, "has no milestone nope")
    refused(("progress", "milestones", boss, "Z9", "--remove", "M1"), 1, "no tracked item Z9")
