"""Anchors checked when they are made: a clause quotes the round's frozen draft exactly, a drawn
area touches the plan area, a quote is found by occurrence; who may read a frozen draft."""

from __future__ import annotations

import math

import pytest
import shapely
from fastapi.testclient import TestClient

from app.errors import InvalidInput, NotFound
from app.model.changes import DATA_SCHEMA_VERSION
from app.project import features as F
from app.project import history as H
from app.review.anchors import AmbiguousQuote, QuoteNotFound, check_clause, find_quote
from app.review.client import ReviewRemote
from app.review.plan_area import PlanAreas
from app.sync import replica
from app.sync.client import Remote
from app.sync.server.api import create_app
from tests.review.conftest import BOSS, SECTIONS, SZ, advance, comment, new_id, open_round
from tests.sync.conftest import testclient_sender as sender_into

TEXT = "推进环太湖科创圈建设，共建绿色湖区。环太湖地区协同发展，共建绿色湖区。"


def area(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "area", "geometry": shapely.to_wkb(shapely.box(x0, y0, x1, y1), hex=True)}


def test_find_quote_by_occurrence():
    assert find_quote(TEXT, "环太湖科创圈", section="Z1") == 2
    with pytest.raises(AmbiguousQuote, match=r"occurs 2 times in section Z1 \(at positions 11, "
                                             r"28\): choose an occurrence 1–2") as caught:
        find_quote(TEXT, "共建绿色湖区", section="Z1")
    assert caught.value.positions == [11, 28]
    assert find_quote(TEXT, "共建绿色湖区", 2, section="Z1") == 28
    with pytest.raises(QuoteNotFound, match="section Z1 has 2 occurrence.s. of the quote, not 3"):
        find_quote(TEXT, "共建绿色湖区", 3, section="Z1")
    with pytest.raises(QuoteNotFound, match="the quote does not occur in section Z1"):
        find_quote(TEXT, "沿江绿道", section="Z1")
    with pytest.raises(InvalidInput, match="empty"):
        find_quote(TEXT, "")


def test_check_clause_names_where_the_quote_is():
    anchor = {"type": "clause", "section": "Z1", "quote": "共建绿色湖区", "position": 12}
    with pytest.raises(QuoteNotFound, match="not at position 12 of section Z1: it is at "
                                            r"position\(s\) 11, 28"):
        check_clause(anchor, {"Z1": TEXT}, 1)
    check_clause({**anchor, "position": 28}, {"Z1": TEXT}, 1)


def test_a_wrong_offset_and_a_missing_section_are_refused_on_submit(review):
    open_round(review)
    with pytest.raises(QuoteNotFound, match=r"not at position 3 of section Z1.strategy.2: it is "
                                            r"at position\(s\) 2$"):
        review.submit(SZ, comment(position=3))
    with pytest.raises(InvalidInput, match="^section Z9.nowhere is not in the frozen draft of "
                                           "round 1$"):
        review.submit(SZ, comment(section="Z9.nowhere", position=0))
    with pytest.raises(QuoteNotFound, match="does not occur in section S1.1 of the frozen draft"):
        review.submit(SZ, comment(section="S1.1", position=0))
    assert review.state.submitted() == []
    assert review.submit(SZ, comment()).kind == "comment"


def test_an_unchanged_clause_stays_confirmed_across_a_freeze(review):
    open_round(review)
    cid = review.submit(SZ, comment(section="S1.1", quote="各方协同", position=12)).id
    advance(review, 1, "revising")
    review.advance(BOSS, 1, "closed", event_id=new_id())
    review.open_round(BOSS, 2, {"zh": "第二轮"}, event_id=new_id())
    changed = {**SECTIONS, "Z1.strategy.2": "（修改）" + SECTIONS["Z1.strategy.2"]}
    review.freeze(BOSS, 2, changed, event_id=new_id())
    state = review.state.comments[cid].anchor_states[0]
    assert state["status"] == "confirmed" and state["anchor"]["position"] == 12


def test_a_corrected_anchor_is_checked_against_the_draft_it_was_migrated_to(review):
    open_round(review)
    cid = review.submit(SZ, comment()).id
    advance(review, 1, "revising")
    review.advance(BOSS, 1, "closed", event_id=new_id())
    review.open_round(BOSS, 2, {"zh": "第二轮"}, event_id=new_id())
    changed = {**SECTIONS, "Z1.strategy.2": "（修改）" + SECTIONS["Z1.strategy.2"]}
    review.freeze(BOSS, 2, changed, event_id=new_id())
    moved = review.state.comments[cid].anchors()[0]
    with pytest.raises(QuoteNotFound, match=r"not at position 2 of section Z1.strategy.2: it is "
                                            r"at position\(s\) 6"):
        review.review_anchor(SZ, cid, 0, {**moved, "position": 2}, "moved", event_id=new_id())
    review.review_anchor(SZ, cid, 0, moved, "moved", event_id=new_id())
    # Marking it orphaned keeps the anchor as written, which need not be in the new draft.
    written = review.state.comments[cid].comment["anchors"][0]
    review.review_anchor(SZ, cid, 0, {**written, "position": 0}, "orphaned", event_id=new_id())


def test_a_drawn_area_must_touch_the_plan_area(review):
    review.directory.area = shapely.box(120.0, 30.0, 122.5, 32.5)
    open_round(review)
    pacific = {**comment(), "anchors": [area(-150.0, 10.0, -149.9, 10.1)]}
    with pytest.raises(InvalidInput, match="^the area lies outside the plan area$"):
        review.submit(SZ, pacific)
    near = {**comment(), "anchors": [area(122.4, 32.4, 122.7, 32.7)]}  # overlaps the edge
    assert review.submit(SZ, near).kind == "comment"


# --- over a real server (in-process): plan area, feature migration, who reads a draft -------

PROJECT = "shanghai-metro"
RED = {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "东滩"}
CITY = {"BSM": "9", "XZQDM": "310000", "XZQMC": "上海市", "JB": "city"}


def ring(vertices: int, cx: float = 121.6, cy: float = 31.5, r: float = 0.02) -> shapely.Polygon:
    """A star-shaped red line of `vertices` points (valid for any count)."""
    return shapely.Polygon([(cx + r * math.cos(2 * math.pi * k / vertices) *
                             (1 + 0.1 * math.sin(7 * k)),
                             cy + r * math.sin(2 * math.pi * k / vertices))
                            for k in range(vertices)])


@pytest.fixture
def net(new_store, tmp_path):
    """Remotes of the sync users (sh edits Shanghai's data, sz comments, boss coordinates,
    eye observes for the public, jx is never invited) and a cloner of desktop replicas."""
    store = new_store()
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    for code, name, kind in [("310000", "上海市", "city"), ("320500", "苏州市", "city"),
                             ("330400", "嘉兴市", "city"), ("office", "协同办公室", "office"),
                             ("public", "公众", "public")]:
        store.add_party(PROJECT, code, name, kind)
    users = [("sh", "310000", "editor"), ("sz", "320500", "reviewer"),
             ("jx", "330400", "reviewer"), ("boss", "office", "coordinator"),
             ("eye", "public", "observer")]
    for user, party, role in users:
        store.add_user(user, None)
        store.grant(PROJECT, user, party, role)
    with TestClient(create_app(store), raise_server_exceptions=False) as client:
        def remote(user: str) -> Remote:
            return Remote("http://testserver", store.issue_token(user),
                          sender=sender_into(client), sleep=lambda s: None)
        api = {u: ReviewRemote(remote(u), PROJECT) for u, _, _ in users}
        replicas = []

        def clone(user: str):
            replicas.append(replica.run(replica.clone_steps(
                remote(user), PROJECT, tmp_path / f"{user}-{len(replicas)}.sqlite")))
            return replicas[-1]
        yield api, remote, clone, store
        for project in replicas:
            project.close()


def push(project, remote: Remote, message: str) -> str:
    """Commit the replica's edits and sync them; the change set's id."""
    changeset = H.commit(project, message)
    replica.run(replica.sync_steps(project, remote))
    return changeset.id


def open_first(api, visibility: str = "sealed") -> str:
    """Round 1 frozen on SECTIONS, Suzhou invited, collecting; the draft's hash."""
    boss = api["boss"]
    boss.open_round(1, {"zh": "第一轮"}, visibility, {"Z1": ["320500"]})
    draft_hash = boss.freeze(1, SECTIONS)["data"]["draft_hash"]
    boss.invite(1, "320500", "2026-04-01")
    boss.advance(1, "issued")
    boss.advance(1, "collecting")
    return draft_hash


def test_a_drawn_area_in_the_pacific_is_refused_by_the_server(net):
    api, remote, clone, _ = net
    open_first(api)
    sz = api["sz"]
    with pytest.raises(InvalidInput, match="the area lies outside the plan area"):
        sz.submit({**comment(), "anchors": [area(-150.0, 10.0, -149.9, 10.1)]})
    # No data on the server yet: anywhere in China will do ...
    sz.submit({**comment(), "anchors": [area(87.5, 43.7, 87.6, 43.8)]})
    # ... until the city boundaries are there: then the area is Shanghai's, plus about 1 km.
    sh = clone("sh")
    F.add_feature(sh, "XZQ", CITY, shapely.box(121.0, 31.0, 121.9, 31.9))
    push(sh, remote("sh"), "boundary")
    with pytest.raises(InvalidInput, match="the area lies outside the plan area"):
        sz.submit({**comment(), "anchors": [area(87.5, 43.7, 87.6, 43.8)]})
    sz.submit({**comment(), "anchors": [area(121.905, 31.5, 121.95, 31.6)]})  # 500 m outside
    with pytest.raises(InvalidInput, match="the area lies outside the plan area"):
        sz.submit({**comment(), "anchors": [area(121.95, 31.5, 122.0, 31.6)]})  # 5 km outside


def test_without_boundaries_the_plan_area_is_the_datas_envelope(net):
    api, remote, clone, _ = net
    sh = clone("sh")
    F.add_feature(sh, "STBHHX", RED, ring(40))  # around 121.6E 31.5N, 2 km across
    push(sh, remote("sh"), "red line")
    open_first(api)
    api["sz"].submit({**comment(), "anchors": [area(121.65, 31.55, 121.7, 31.6)]})
    with pytest.raises(InvalidInput, match="the area lies outside the plan area"):
        api["sz"].submit({**comment(), "anchors": [area(121.9, 31.5, 121.95, 31.55)]})


def test_the_plan_area_is_kept_while_the_boundaries_stay_the_same(net):
    _, remote, clone, store = net
    areas = PlanAreas()
    sh = clone("sh")
    F.add_feature(sh, "XZQ", CITY, shapely.box(121.0, 31.0, 121.9, 31.9))
    push(sh, remote("sh"), "boundary")
    for junk in (None, [], {"anchors": 3}, {"anchors": [7, {"type": "clause"}]}):
        areas.warm(store, PROJECT, junk)  # unchecked JSON: nothing to do, no error
    assert areas._areas == {}
    areas.warm(store, PROJECT, {"anchors": [area(121.1, 31.1, 121.2, 31.2)]})
    with store.reading() as s:
        first = areas.get(s, PROJECT)
    assert list(areas._areas.values()) == [first]
    F.add_feature(sh, "STBHHX", RED, ring(40))
    push(sh, remote("sh"), "a red line: a new head version, the same boundaries")
    with store.reading() as s:
        assert areas.get(s, PROJECT) is first
    F.add_feature(sh, "XZQ", {**CITY, "BSM": "10"}, shapely.box(120.0, 31.0, 120.9, 31.9))
    push(sh, remote("sh"), "another boundary")
    with store.reading() as s:
        again = areas.get(s, PROJECT)
    assert again is not first and again.contains(shapely.Point(120.5, 31.5))


def test_a_wrong_offset_is_refused_by_the_server(net):
    api, _, _, _ = net
    open_first(api)
    with pytest.raises(InvalidInput, match=r"section Z9.nowhere is not in the frozen draft "
                                           r"of round 1"):
        api["sz"].submit(comment(section="Z9.nowhere", position=0))
    with pytest.raises(InvalidInput, match=r"it is at position\(s\) 2"):
        api["sz"].submit(comment(position=5))


def test_feature_anchors_migrate_against_the_servers_features(net):
    api, remote, clone, _ = net
    sh = clone("sh")
    shapes = {"changed": ring(516), "deleted": ring(40, cx=121.7), "kept": ring(40, cx=121.8)}
    made = {k: F.add_feature(sh, "STBHHX", {**RED, "BSM": k}, g) for k, g in shapes.items()}
    push(sh, remote("sh"), "red lines")
    open_first(api)
    boss, sz = api["boss"], api["sz"]
    ids = {}
    for key, feature in made.items():
        anchor = {"type": "feature", "layer": "STBHHX", "uuid": feature.uuid, "label": key,
                  "geometry": F.get_feature(sh, "STBHHX", feature.uuid).geometry.wkb_hex}
        ids[key] = sz.submit({**comment(), "anchors": [anchor, comment()["anchors"][0]]})["id"]
    assert len(shapely.get_coordinates(shapes["changed"])) == 517  # 516 vertices, ring closed
    # The adopting change set reshapes one red line and deletes another.
    F.update_feature(sh, "STBHHX", made["changed"].uuid, geom=ring(516, r=0.025))
    F.delete_feature(sh, "STBHHX", made["deleted"].uuid)
    adopting = push(sh, remote("sh"), "adopt Suzhou's comments")
    for stage in ("triage", "responding"):
        boss.advance(1, stage)
    boss.decide(list(ids.values()), "adopted", answer={"zh": "采纳"},
                changes=[{"kind": "changeset", "id": adopting}])
    for stage in ("published", "revising", "closed"):
        if stage == "published":
            boss.publish(1)
        boss.advance(1, stage)
    boss.open_round(2, {"zh": "第二轮"})
    boss.freeze(2, SECTIONS)
    states = {k: boss.comment(cid) for k, cid in ids.items()}
    assert {k: v["anchor_states"]["0"]["status"] for k, v in states.items()} == {
        "changed": "moved", "deleted": "orphaned", "kept": "confirmed"}
    moved, written = states["changed"]["anchor_states"]["0"], states["changed"]["comment"]
    now = F.get_feature(sh, "STBHHX", made["changed"].uuid).geometry
    assert shapely.from_wkb(moved["anchor"]["geometry"]).equals(now)
    assert shapely.from_wkb(written["anchors"][0]["geometry"]).equals(shapes["changed"])
    version = remote("sh").history(PROJECT, "STBHHX", made["changed"].uuid)[-1]["version"]
    assert moved["changed_in"] == moved["anchor"]["data_version"] == version
    assert states["deleted"]["anchor_states"]["0"]["changed_in"] == version
    assert "changed_in" not in states["kept"]["anchor_states"]["0"]
    # The unchanged clause of every comment stays confirmed.
    assert {v["anchor_states"]["1"]["status"] for v in states.values()} == {"confirmed"}


def test_a_sealed_draft_is_read_by_invitees_and_coordinators_only(net):
    api, _, _, _ = net
    draft_hash = open_first(api)
    assert api["boss"].draft(draft_hash) == SECTIONS
    assert api["sz"].draft(draft_hash) == SECTIONS
    for outsider in ("eye", "jx", "sh"):  # the public, an uninvited city
        with pytest.raises(NotFound, match=f"no frozen draft {draft_hash}"):
            api[outsider].draft(draft_hash)


@pytest.mark.parametrize(("visibility", "readers"), [("parties", {"jx", "sh"}),
                                                     ("public", {"jx", "sh", "eye"})])
def test_an_open_rounds_draft_is_read_by_members_once_issued(net, visibility, readers):
    api, _, _, _ = net
    boss = api["boss"]
    boss.open_round(1, {"zh": "第一轮"}, visibility)
    draft_hash = boss.freeze(1, SECTIONS)["data"]["draft_hash"]
    for user in ("jx", "eye"):
        with pytest.raises(NotFound):  # not yet issued
            api[user].draft(draft_hash)
    boss.advance(1, "issued")
    for user in ("jx", "sh", "eye"):
        if user in readers:
            assert api[user].draft(draft_hash) == SECTIONS
        else:
            with pytest.raises(NotFound):
                api[user].draft(draft_hash)
