"""The plan-text panel both ways, without a worker: content -> tree (nesting, owner, status,
missing translations, read-only sections) and editor; typing -> the draft, the tree's marks and
the debounced preview; save and revert; clause anchors in and clause comments out; links."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QUndoStack
from PySide6.QtTest import QTest

from app.content.model import Content
from app.content.template import parse_template
from app.editing.content_jobs import ContentData
from app.views import i18n
from app.views.content_panel import ContentPanel
from tests.reports.conftest import mini_template
from tests.views.test_end_to_end import type_text


def content_data(party: str = "320500", role: str = "editor", **edits) -> ContentData:
    """The mini 1+8+5 seen by Suzhou; Z1.goal lacks its English title."""
    template = parse_template(mini_template())
    changed = {"Z1.goal": {"title_en": ""}, **edits}
    sections = [s.edited(**changed.get(s.id, {})) for s in template.sections]
    return ContentData(Content(sections), party, role,
                       {c: (p.name_zh, p.name_en) for c, p in template.parties.items()},
                       {k: (v.name_zh, v.name_en) for k, v in template.kinds.items()})


@pytest.fixture
def english(qtbot):
    """English texts whatever an earlier test installed; that language again afterwards."""
    previous = i18n.lang()
    i18n.install("en")
    yield
    i18n.install(previous)


@pytest.fixture
def panel(qtbot, english):
    panel = ContentPanel(QUndoStack())
    qtbot.addWidget(panel)
    panel.show_data(content_data())
    panel.resize(1400, 600)
    panel.show()
    return panel


def test_tree_nests_sections_and_marks_owner_status_and_missing(panel):
    tree = panel.tree
    assert [tree.topLevelItem(i).data(0, 256) for i in range(3)] == ["vision", "systems", "zones"]
    assert tree.items["Z1"].parent() is tree.items["zones"]
    assert tree.items["Z1.strategy.1.action.1"].parent() is tree.items["Z1.strategy.1"]
    assert tree.items["Z1.goal"].text(3) == "EN" and tree.items["Z1"].text(3) == ""
    assert tree.items["Z1.goal"].background(0).color().name() == "#ffe3e3"
    assert tree.items["Z1"].font(0).bold() and not tree.items["Z1"].font(0).italic()
    assert tree.items["vision"].font(0).italic()  # the office's: read-only for Suzhou
    assert tree.items["Z1"].text(1) == "Suzhou" and tree.items["S1"].toolTip(2) == "For review"
    assert "Read-only" in tree.items["vision"].toolTip(0)
    assert panel.summary.text().startswith(f"{len(panel.data.content)} sections, 4 editable")


def test_another_partys_section_is_read_only_in_the_editor(panel):
    assert panel.open_section("vision")
    editor = panel.editor
    assert all(e.isReadOnly() for e in editor.texts.values())
    assert editor.banner.isVisible() and "office" in editor.banner.text()
    assert not editor.save_button.isEnabled() and not editor.status.isEnabled()
    assert panel.draft.read_only


def test_missing_translation_is_marked_in_the_editor(panel):
    panel.open_section("Z1.goal")
    editor = panel.editor
    assert editor.missing.isVisible() and "English title" in editor.missing.text()
    assert editor.texts["title_en"].styleSheet() and not editor.texts["title_zh"].styleSheet()
    type_text(editor.texts["title_en"], "Lake goal")  # UI -> draft: the mark goes
    assert not editor.missing.isVisible() and panel.tree.items["Z1.goal"].text(3) == ""


def test_typing_saving_and_reverting(panel, qtbot):
    panel.open_section("Z1")
    editor, stored = panel.editor, panel.draft.section.body_zh
    editor.texts["body_zh"].moveCursor(QTextCursor.MoveOperation.End)
    type_text(editor.texts["body_zh"], "新增一句。")
    assert panel.draft.values["body_zh"] == stored + "新增一句。"
    assert editor.save_button.isEnabled() and panel.tree.items["Z1"].text(0).endswith(" *")
    with qtbot.waitSignal(panel.save_requested) as saved:
        editor.save_button.click()
    assert saved.args[0].changes() == {"body_zh": stored + "新增一句。"}
    editor.texts["title_en"].selectAll()
    QTest.keyClick(editor.texts["title_en"], Qt.Key.Key_Backspace)
    assert "title_en" in panel.draft.missing() and editor.missing.isVisible()
    editor.revert_button.click()  # model -> UI: the stored texts come back
    assert editor.texts["body_zh"].toPlainText() == stored
    assert editor.texts["title_en"].text() == "环太湖 title" and not panel.draft.dirty


def test_preview_follows_typing_after_a_pause(panel, qtbot):
    panel.open_section("Z1")
    browser = panel.preview.browser
    assert "环太湖标题" in browser.toPlainText()
    type_text(panel.editor.texts["title_zh"], "（修订）")
    assert "（修订）" not in browser.toPlainText()  # debounced
    with qtbot.waitSignal(panel.preview.rendered, timeout=2000):
        pass
    assert "（修订）" in browser.toPlainText()


def test_selected_words_become_a_clause_comment(panel, qtbot):
    panel.open_section("Z1")
    body = panel.draft.values["body_zh"]
    quote, second = "九市组成", body.index("\n\n")
    document = panel.preview.browser.document()
    cursor = document.find(quote, document.find("环太湖：").position())  # the 2nd paragraph
    panel.preview.browser.setTextCursor(cursor)
    assert panel.preview.comment_button.isEnabled()
    with qtbot.waitSignal(panel.clause_comment_requested) as clause:
        panel.preview.comment_button.click()
    assert clause.args == ["Z1", quote, body.index(quote, second)]
    panel.preview.browser.setTextCursor(document.find("title"))  # English: not a clause
    assert not panel.preview.comment_button.isEnabled()


def test_a_clause_anchor_opens_the_section_at_its_position(panel):
    assert panel.open_clause("Z1.strategy.1", 30)
    assert panel.tree.current_id() == "Z1.strategy.1"
    body = panel.editor.texts["body_zh"]
    assert body.textCursor().position() == 30 and body.extraSelections()
    assert not panel.open_clause("Z9", 0) and "Z9" in panel.status.text()


def test_links_are_listed_and_shown_on_request(panel, qtbot):
    panel.open_section("vision")
    links = panel.editor.links
    assert [links.item(i).text() for i in range(links.count())][:2] == ["XZQ", "DSQ_ZLXTQ"]
    assert links.count() == 7  # four layers, three projects
    with qtbot.waitSignal(panel.link_requested) as link:
        panel.editor.show_link_button.click()
    assert link.args == ["layer", "XZQ"]


def test_filter_by_text_and_by_missing_translation(panel):
    tree = panel.tree
    panel.search.setText("S1.")
    assert not tree.items["S1.goals"].isHidden() and not tree.items["systems"].isHidden()
    assert tree.items["Z1"].isHidden()
    panel.search.clear()
    panel.missing_only.setChecked(True)
    visible = [i for i, item in tree.items.items() if not item.isHidden()]
    assert visible == ["zones", "Z1", "Z1.goal"]
    assert panel.open_section("S1") and not tree.items["S1"].isHidden()  # the filter gives way


def test_leaving_a_section_saves_it_and_a_reload_keeps_typing(panel, qtbot):
    panel.open_section("Z1")
    type_text(panel.editor.texts["title_zh"], "甲")
    panel.show_data(content_data(Z1={"body_en": "Changed elsewhere."}))  # e.g. after a pull
    assert panel.draft.values["title_zh"].endswith("甲")
    assert panel.editor.texts["body_en"].toPlainText() == "Changed elsewhere."
    with qtbot.waitSignal(panel.save_requested) as saved:
        panel.open_section("Z1.goal")
    assert saved.args[0].section.id == "Z1" and panel.draft.section.id == "Z1.goal"


def test_a_coordinator_edits_every_section(qtbot):
    panel = ContentPanel(QUndoStack())
    qtbot.addWidget(panel)
    panel.show_data(content_data("office", "coordinator"))
    panel.open_section("Z1")
    assert not panel.editor.texts["body_zh"].isReadOnly() and not panel.draft.read_only
