"""Looking up section text by id and re-finding quoted words after edits."""

from __future__ import annotations

import pytest

from app.content import Anchor, is_valid, load_content, locate, resolve, section_text, section_texts
from app.content.store import update_section
from app.errors import InvalidInput, NotFound


def test_section_text_by_stable_id(content_project):
    assert section_text(content_project.db, "Z3.strategy.2", part="title") == "共建枢纽链接的高效网络"
    assert section_text(content_project.db, "S1", "en", "title") == "Transport integration"
    texts = section_texts(content_project.db)
    assert len(texts) == 103 and texts["vision"].startswith("建设卓越的全球城市区域")
    with pytest.raises(NotFound):
        section_text(content_project.db, "Z9")


def test_locate_picks_the_occurrence_nearest_the_old_position():
    text = "生态优先。绿色发展。生态优先，协同共治。"
    assert locate(text, "生态优先", 0) == 0
    assert locate(text, "生态优先", 12) == 10
    assert locate(text, "不存在", 3) is None
    with pytest.raises(InvalidInput):
        locate(text, "", 0)


def test_an_anchor_follows_its_words_through_an_edit(content_project):
    project = content_project
    project.set_meta("role", "coordinator")
    update_section(project, "Z1.goal", body_zh="共建绿色湖区。推进科创圈建设。")
    anchor = Anchor("Z1.goal", "推进科创圈建设", 7)
    assert is_valid(load_content(project.db), anchor)
    update_section(project, "Z1.goal", body_zh="首先，共建绿色湖区。其次，推进科创圈建设。")
    content = load_content(project.db)
    assert not is_valid(content, anchor) and resolve(content, anchor) == 13
    update_section(project, "Z1.goal", body_zh="共建绿色湖区。")
    assert resolve(load_content(project.db), anchor) is None
    assert resolve(content, Anchor("gone", "x", 0)) is None
