"""Implementation events: strict data shapes (paths named), wire form and JSON-lines archive."""

from __future__ import annotations

import copy
import json
import uuid

import pytest

from app.errors import InvalidInput, NotFound
from app.implement import events as E
from app.implement.events import Event, from_json, parse_data, read_jsonl, to_json, write_jsonl

RID = "0f5e6b1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
ISSUE = "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
MEETING = "2b3c4d5e-6f7a-4b1c-9d2e-4f5a6b7c8d9e"
ZH = "苏州市在吴江区推进长三角生态绿色一体化示范区建设"  # Chinese, 24 characters


def report(**line) -> dict:
    return {"report": RID, "period": "2026-11", "written": "2026-11-30T08:00:00.000Z",
            "author": "王芳", "lines": [{"item": "Z2.strategy.1", "percent": 40,
                                         "status": "on_track", **line}]}


def item(i: str = "Z2.strategy.1", parent: str | None = "Z2", **more) -> dict:
    return {"id": i, "kind": "plan" if i == "plan" else "strategy", "parent": parent,
            "title_zh": "推进环太湖科创圈建设", **more}


GOOD = {
    "items": {"items": [item("plan", None), item("Z2", "plan")]},
    "weights": {"node": "Z2", "method": "custom", "weights": {"Z2.strategy.1": 2.5}},
    "report": report(),
    "review": {"report": RID, "decision": "return", "note": "请补充佐证材料"},
    "issue": {"issue": ISSUE, "title_zh": "用地指标不足", "title_en": "", "owner": "320500",
              "due": "2027-01-09", "level": 1, "item": None,
              "source": {"kind": "manual", "ref": ""}},
    "escalate": {"issue": ISSUE, "reason": "overdue"},
    "meeting": {"meeting": MEETING, "level": 2, "date": "2026-12-15", "title_zh": "十二月销项会",
                "title_en": "", "attendees": ["office", "320500"], "agenda": [ISSUE]},
    "memo": {"meeting": MEETING, "number": "沪都办纪〔2026〕12号", "text_zh": "会议决定……",
             "decisions": [{"issue": ISSUE, "action": "keep", "due": "2027-02-28"}]},
    "indicators": {"entries": [{"indicator_id": "TJ007", "xzqdm": "320500", "year": 2025,
                                "value": 120.5, "data_source": "统计年鉴 2025"}]},
    "checkup": {"year": 2025, "rows": [{"year": 2025, "indicator_id": "TJ007",
                                        "xzqdm": "320500", "value": 1.0, "origin": "entered",
                                        "status": "达标"}]},
}


def refused(kind: str, data: object, path: str) -> str:
    """The message of parse_data refusing `data`, which must name `path`."""
    with pytest.raises(InvalidInput) as info:
        parse_data(kind, data)
    assert info.value.message.startswith(path + ":"), info.value.message
    return info.value.message


def test_every_kind_has_a_shape_and_good_data_passes_normalised():
    assert set(GOOD) == set(E.KINDS) == set(E.SPECS)
    for kind, data in GOOD.items():
        parsed = parse_data(kind, copy.deepcopy(data))
        assert parse_data(kind, parsed) == parsed, kind  # idempotent: a logged event re-parses
    line = parse_data("report", report())["lines"][0]
    assert line == {"item": "Z2.strategy.1", "percent": 40.0, "status": "on_track",
                    "narrative_zh": "", "narrative_en": "", "issues": [], "attachments": [],
                    "changesets": [], "milestones_done": []}
    assert parse_data("issue", {**GOOD["issue"], "issue": ISSUE.upper()})["issue"] == ISSUE


def test_unknown_keys_are_refused_at_every_depth():
    refused("report", {**report(), "party": "office"}, "$.party")
    refused("report", report(bogus=1), "$.lines[0].bogus")
    refused("report", report(issues=[{"title_zh": "问题", "owner": "x"}]), "$.lines[0].issues[0].owner")
    refused("items", {"items": [item("plan", None, milestones=[{"id": "m", "name_zh": "里程碑",
                                                                "x": 1}])]},
            "$.items[0].milestones[0].x")
    refused("memo", {**GOOD["memo"], "decisions": [{"issue": ISSUE, "action": "close", "by": 1}]},
            "$.decisions[0].by")


@pytest.mark.parametrize("value", ["40", None, True, [40], {"v": 40}, float("nan"),
                                   float("inf"), -float("inf"), -0.1, 100.01, 10 ** 400])
def test_percent_is_a_finite_number_from_0_to_100(value):
    refused("report", report(percent=value), "$.lines[0].percent")


def test_json_nan_and_1e309_are_refused():
    for text in ('{"percent": NaN}', '{"percent": 1e309}', '{"percent": -Infinity}'):
        refused("report", report(**json.loads(text)), "$.lines[0].percent")
    assert parse_data("report", report(percent=0))["lines"][0]["percent"] == 0.0
    assert parse_data("report", report(percent=100))["lines"][0]["percent"] == 100.0


def test_wrong_types_are_refused_with_their_path():
    refused("report", [], "$")
    refused("report", {**report(), "lines": {"0": {}}}, "$.lines")
    refused("report", {**report(), "lines": []}, "$.lines")
    refused("report", report(status="done"), "$.lines[0].status")
    refused("report", report(item=7), "$.lines[0].item")
    refused("report", report(attachments=["not-a-uuid"]), "$.lines[0].attachments[0]")
    refused("report", {**report(), "report": "R-1"}, "$.report")
    refused("report", {**report(), "written": "yesterday"}, "$.written")
    refused("report", {**report(), "author": "  "}, "$.author")
    refused("weights", {**GOOD["weights"], "method": "by_area"}, "$.method")
    refused("weights", {**GOOD["weights"], "weights": {"Z2.strategy.1": float("nan")}},
            "$.weights.Z2.strategy.1")
    refused("weights", {**GOOD["weights"], "weights": {"Z2.strategy.1": -1}},
            "$.weights.Z2.strategy.1")
    refused("weights", {**GOOD["weights"], "method": "equal"}, "$.weights")
    refused("memo", {**GOOD["memo"], "decisions": [{"issue": ISSUE, "action": "defer"}]},
            "$.decisions[0].action")
    refused("items", {"items": [item("plan", None, source={"a": {"nested": 1}})]},
            "$.items[0].source.a")
    refused("indicators", {"entries": [{**GOOD["indicators"]["entries"][0], "year": "2025"}]},
            "$.entries[0].year")
    refused("issue", {k: v for k, v in GOOD["issue"].items() if k != "owner"}, "$.owner")
    with pytest.raises(InvalidInput):
        parse_data("vote", {})


@pytest.mark.parametrize("level", [0, 4, "1", True, 1.0, None])
def test_levels_are_1_to_3(level):
    refused("issue", {**GOOD["issue"], "level": level}, "$.level")
    refused("meeting", {**GOOD["meeting"], "level": level}, "$.level")


@pytest.mark.parametrize("period", ["2026-13", "2026-00", "2026-1", "26-01", "2026/01",
                                    "1850-01", "2026-01-01", 202601])
def test_periods_follow_model_period(period):
    refused("report", {**report(), "period": period}, "$.period")


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "2027-02-29", "2026-2-3",
                                 "2026-02-03T00:00", 20260203])
def test_dates_must_be_calendar_dates(day):
    refused("issue", {**GOOD["issue"], "due": day}, "$.due")
    refused("meeting", {**GOOD["meeting"], "date": day}, "$.date")


def test_text_lengths_are_capped():
    assert parse_data("report", report(narrative_zh="进" * E.TEXT))
    refused("report", report(narrative_zh="进" * (E.TEXT + 1)), "$.lines[0].narrative_zh")
    refused("issue", {**GOOD["issue"], "title_zh": "题" * (E.TITLE + 1)}, "$.title_zh")
    refused("items", {"items": [item("plan", None, title_en="x" * (E.TITLE + 1))]},
            "$.items[0].title_en")
    refused("review", {**GOOD["review"], "note": "注" * (E.TEXT + 1)}, "$.note")
    refused("escalate", {"issue": ISSUE, "reason": "因" * 501}, "$.reason")
    refused("report", report(narrative_en="a\x00b"), "$.lines[0].narrative_en")


def test_huge_lists_are_refused_before_their_entries_are_read():
    refused("items", {"items": [None] * (E.MAX_ITEMS + 1)}, "$.items")
    refused("report", {**report(), "lines": [None] * (E.MAX_LINES + 1)}, "$.lines")
    refused("indicators", {"entries": [None] * (E.MAX_ITEMS + 1)}, "$.entries")
    refused("report", report(issues=[{"title_zh": "问题"}] * (E.MAX_SMALL + 1)),
            "$.lines[0].issues")
    many = {"items": [item("plan", None)] + [item(f"S{i}", "plan") for i in range(E.MAX_ITEMS - 1)]}
    assert len(parse_data("items", many)["items"]) == E.MAX_ITEMS


def test_repeated_entries_are_refused():
    twice = {**report(), "lines": report()["lines"] * 2}
    assert "twice" in refused("report", twice, "$.lines[1].item")
    refused("items", {"items": [item("plan", None), item("plan", None)]}, "$.items[1]")
    refused("memo", {**GOOD["memo"], "decisions": GOOD["memo"]["decisions"] * 2}, "$.decisions[1]")
    refused("meeting", {**GOOD["meeting"], "agenda": [ISSUE, ISSUE]}, "$.agenda[1]")
    refused("indicators", {"entries": GOOD["indicators"]["entries"] * 2}, "$.entries[1]")
    refused("checkup", {"year": 2025, "rows": GOOD["checkup"]["rows"] * 2}, "$.rows[1]")


def test_item_tree_shape_rules():
    refused("items", {"items": [item("plan", "zones")]}, "$.items[0].parent")
    refused("items", {"items": [item("S1", None)]}, "$.items[0].parent")
    refused("items", {"items": [item("S1", "S1")]}, "$.items[0].parent")
    refused("items", {"items": [{**item("plan", None), "kind": "zone"}]}, "$.items[0].kind")
    refused("items", {"items": [item(start_year=2030, finish_year=2025)]}, "$.items[0].finish_year")
    refused("items", {"items": [item(investment=-1)]}, "$.items[0].investment")
    ms = [{"id": "m1", "name_zh": "开工"}, {"id": "m1", "name_zh": "竣工"}]
    refused("items", {"items": [item(milestones=ms)]}, "$.items[0].milestones")
    refused("items", {"items": [item(milestones=[{"id": "m1", "name_zh": "开工", "due": "2026"}])]},
            "$.items[0].milestones[0].due")


def test_review_return_needs_a_note_and_issues_need_a_title():
    refused("review", {"report": RID, "decision": "return", "note": " \n"}, "$.note")
    assert parse_data("review", {"report": RID, "decision": "accept"})["note"] == ""
    refused("issue", {**GOOD["issue"], "title_zh": "", "title_en": " "}, "$.title_zh")
    refused("report", report(issues=[{"title_zh": "", "title_en": ""}]),
            "$.lines[0].issues[0].title_zh")


def test_chinese_in_every_field_is_kept():
    line = {"item": "苏州·" + ZH[:10], "percent": 55.5, "status": "at_risk",
            "narrative_zh": ZH * 10, "narrative_en": ZH, "issues": [{"title_zh": ZH,
                                                                    "title_en": ZH}],
            "changesets": ["变更集一"], "milestones_done": ["里程碑一"]}
    data = {**report(), "author": "王芳（苏州市规划局）", "lines": [line]}
    assert parse_data("report", data)["lines"][0] == {**line, "attachments": []}
    it = item("事项一", "plan", title_en=ZH, lead="苏州", participants=["无锡", "嘉兴"],
              milestones=[{"id": "甲", "name_zh": ZH, "name_en": ZH, "due": "2027-06"}],
              source={"来源": ZH, "编号": 3})
    assert parse_data("items", {"items": [it]})["items"][0]["source"] == {"来源": ZH, "编号": 3}


def event(version: int = 1, kind: str = "report", data: dict | None = None) -> Event:
    return Event(str(uuid.UUID(int=version)), version, kind, "320500", "王芳",
                 "2026-12-05T13:45:00.000Z", parse_data(kind, data or report()))


def test_wire_form_round_trips_and_is_checked():
    e = event()
    assert from_json(to_json(e)) == e and from_json(to_json(e)).data == e.data
    assert from_json(json.loads(json.dumps(to_json(e)))).data == e.data
    wire = to_json(e)
    for key, bad in (("version", 0), ("version", True), ("kind", "vote"), ("id", "x"),
                     ("at", "soon"), ("format", "coplan.review-event/v1")):
        with pytest.raises(InvalidInput):
            from_json({**wire, key: bad})
    with pytest.raises(InvalidInput, match=r"\$.extra"):
        from_json({**wire, "extra": 1})
    with pytest.raises(InvalidInput, match=r"\$.lines\[0\].percent"):
        from_json({**wire, "data": report(percent=101)})


def test_jsonl_archive_keeps_chinese_and_fold_order(tmp_path):
    path = tmp_path / "events.jsonl"
    events = [event(3), event(1, "issue", GOOD["issue"]), event(2, "review", GOOD["review"])]
    assert write_jsonl(path, events) == 3
    text = path.read_text("utf-8")
    assert "王芳" in text and "用地指标不足" in text and "\\u" not in text
    assert len(text.splitlines()) == 3
    back = read_jsonl(path)
    assert [e.version for e in back] == [1, 2, 3]
    assert [e.data for e in back] == [events[1].data, events[2].data, events[0].data]


def test_jsonl_archive_names_a_bad_line(tmp_path):
    path = tmp_path / "events.jsonl"
    write_jsonl(path, [event(1)])
    good = path.read_text("utf-8")
    path.write_text(good + "\n" + good.replace('"percent": 40.0', '"percent": NaN'), "utf-8")
    with pytest.raises(InvalidInput, match=r"events.jsonl:3"):
        read_jsonl(path)
    with pytest.raises(NotFound):
        read_jsonl(tmp_path / "missing.jsonl")
