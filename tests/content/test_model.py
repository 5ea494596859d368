"""The section model: paragraphs, the tree in reading order, digests, id and status checks."""

from __future__ import annotations

import pytest

from app.content.model import Content, Links, Section, check_section_id, check_status, paragraphs
from app.errors import InvalidInput, NotFound


def section(sid: str, parent: str | None, ord_: int = 0, **kw) -> Section:
    return Section(uuid=f"u-{sid}", id=sid, parent=parent, ord=ord_, kind="goal", owner="office",
                   title_zh=f"{sid}标题", title_en=f"{sid} title", **kw)


def test_paragraphs_split_at_blank_lines_and_join_wrapped_lines():
    assert paragraphs("第一段\n续行。\n\n  \n第二段。\n") == ["第一段 续行。", "第二段。"]
    assert paragraphs("") == []


def test_content_walks_parents_before_children_in_order():
    content = Content([section("b", None, 1), section("a", None, 0), section("a.2", "a", 2),
                       section("a.1", "a", 1), section("a.1.x", "a.1", 0)])
    assert [s.id for s in content] == ["a", "a.1", "a.1.x", "a.2", "b"]
    assert [s.id for s in content.ancestors("a.1.x")] == ["a.1", "a"]
    assert content.depth("a.1.x") == 2 and content.children(None)[0].id == "a"
    with pytest.raises(NotFound):
        content.get("nope")


def test_orphans_become_roots():
    content = Content([section("x.1", "x")])
    assert [s.id for s in content.children(None)] == ["x.1"]


def test_digest_covers_printed_fields_not_edit_metadata():
    s = section("a", None, body_zh="正文")
    assert s.digest() == s.edited(modified_at="2030-01-01", modified_by="someone").digest()
    for change in ({"body_zh": "改"}, {"status": "final"}, {"owner": "310000"},
                   {"links": Links(layers=("XZQ",))}, {"participants": ("320500",)}):
        assert s.edited(**change).digest() != s.digest()


def test_content_digest_of_a_subset():
    content = Content([section("a", None), section("b", None)])
    assert content.digest(["a"]) != content.digest() and content.digest([]) != content.digest(["a"])


def test_text_by_language_and_part():
    s = section("a", None, body_zh="中文", body_en="English")
    assert s.text("en") == "English" and s.text("zh", "title") == "a标题"
    with pytest.raises(InvalidInput):
        s.text("fr")


def test_links_json_round_trip():
    data = {"projects": ["p"], "layers": ["XZQ"],
            "focus": {"layer": "DSQ_ZLXTQ", "field": "ZQBM", "value": "Z1"}}
    assert Links.from_json(data).to_json() == data
    assert Links.from_json(None) == Links()


@pytest.mark.parametrize("sid", ["vision", "Z3.strategy.2", "vision.innovation.goal.1", "S1.goals"])
def test_good_section_ids(sid):
    assert check_section_id(sid) == sid


@pytest.mark.parametrize("sid", ["", "1abc", "a..b", "a.", "a b", "a/b", None])
def test_bad_section_ids(sid):
    with pytest.raises(InvalidInput):
        check_section_id(sid)


def test_status_check():
    assert check_status("final") == "final"
    with pytest.raises(InvalidInput, match="draft, review, final"):
        check_status("done")
