"""Anchor migration to a new draft: confirmed, moved, orphaned."""

from __future__ import annotations

import shapely

from app.review.anchors import FeatureNow, migrate_anchors, migrate_clause, migrate_feature
from tests.review.conftest import BOSS, SECTIONS, SZ, advance, comment, new_id, open_round

ANCHOR = {"type": "clause", "section": "Z1.strategy.2", "quote": "环太湖科创圈", "position": 2}


def test_unchanged_clause_is_confirmed():
    assert migrate_clause(ANCHOR, SECTIONS)["status"] == "confirmed"


def test_clause_pushed_down_by_an_insert_is_moved():
    new = {**SECTIONS, "Z1.strategy.2": "（修改）" + SECTIONS["Z1.strategy.2"]}
    result = migrate_clause(ANCHOR, new)
    assert result["status"] == "moved" and result["anchor"]["position"] == 6


def test_clause_moved_to_another_section_is_found():
    new = {"S1.1": SECTIONS["S1.1"], "Z1.strategy.3": SECTIONS["Z1.strategy.2"]}
    result = migrate_clause(ANCHOR, new)
    assert result["status"] == "moved" and result["anchor"]["section"] == "Z1.strategy.3"


def test_lightly_reworded_clause_is_a_fuzzy_move_and_a_rewrite_is_orphaned():
    long = {**ANCHOR, "quote": "推进环太湖科创圈建设，共建绿色湖区", "position": 0}
    reworded = {"Z1.strategy.2": "推进环太湖科技创新圈建设，共建绿色湖区。"}
    result = migrate_clause(long, reworded)
    assert result["status"] == "moved" and 0.75 <= result["score"] < 1
    rewritten = {"Z1.strategy.2": "加快沿江绿道系统与跨江通道建设。"}
    assert migrate_clause(long, rewritten)["status"] == "orphaned"
    assert migrate_clause(long, {"S1.1": "别的内容"})["status"] == "orphaned"


def test_feature_anchor_follows_the_map_data():
    point = shapely.to_wkb(shapely.Point(121.4, 31.2), hex=True)
    moved = shapely.to_wkb(shapely.Point(121.5, 31.2), hex=True)
    anchor = {"type": "feature", "layer": "XMK_POINT", "uuid": new_id(), "geometry": point}
    key = (anchor["layer"], anchor["uuid"])
    assert migrate_feature(anchor, {key: point})["status"] == "confirmed"
    assert migrate_feature(anchor, {key: moved})["anchor"]["geometry"] == moved
    assert migrate_feature(anchor, {key: None})["status"] == "orphaned"
    assert migrate_feature(anchor, {}) is None
    assert migrate_anchors([("c", [anchor, {"type": "area", "geometry": point}])], {}) == {}


def test_a_feature_spelled_otherwise_is_the_same_and_a_change_names_its_version():
    square = shapely.box(121.0, 31.0, 121.1, 31.1)
    anchor = {"type": "feature", "layer": "STBHHX", "uuid": new_id(),
              "geometry": shapely.to_wkb(square, hex=True).lower()}
    key = (anchor["layer"], anchor["uuid"])
    stored = shapely.to_wkb(shapely.MultiPolygon([square]), hex=True)  # the layer's multi type
    assert migrate_feature(anchor, {key: FeatureNow(stored, 7)})["status"] == "confirmed"
    bigger = shapely.to_wkb(shapely.box(121.0, 31.0, 121.2, 31.1), hex=True)
    moved = migrate_feature(anchor, {key: FeatureNow(bigger, 9)})
    assert moved["status"] == "moved" and moved["changed_in"] == 9
    assert moved["anchor"] == {**anchor, "geometry": bigger, "data_version": 9}
    gone = migrate_feature(anchor, {key: FeatureNow(None, 11)})
    assert gone["status"] == "orphaned" and gone["changed_in"] == 11 and gone["anchor"] == anchor


def test_freezing_the_next_draft_migrates_earlier_comments_for_review(review):
    open_round(review)
    cid = review.submit(SZ, comment()).id
    advance(review, 1, "revising")
    review.advance(BOSS, 1, "closed", event_id=new_id())
    review.open_round(BOSS, 2, {"zh": "第二轮"}, event_id=new_id())
    new = {**SECTIONS, "Z1.strategy.2": "（修改）" + SECTIONS["Z1.strategy.2"]}
    review.freeze(BOSS, 2, new, event_id=new_id())
    c = review.state.comments[cid]
    assert c.anchor_states[0]["status"] == "moved" and not c.anchor_states[0]["reviewed"]
    assert c.anchors()[0]["position"] == 6
    review.review_anchor(SZ, cid, 0, c.anchors()[0], "moved", event_id=new_id())
    assert c.anchor_states[0]["reviewed"] and c.comment["anchors"][0]["position"] == 2
