"""The plan-text panel: the section tree of the 1+8+5 (vision report, eight system actions, five
spatial sections, nested as in the content) with owner, status and missing translations, the
editor of the chosen section and its live preview.

It shows a ContentData and emits requests (save a draft, comment on a clause, show a link on
the map); the content controller runs them on the DB worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.content.model import Content, Section
from app.editing.content_jobs import ContentData, SectionDraft, missing_fields, section_values
from app.views.i18n import lang, tr
from app.views.section_editor import (
    LinkRows,
    SectionEditor,
    SectionPreview,
    field_names,
    status_name,
)

ID_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_COLOURS = {"draft": "#ADB5BD", "review": "#F59F00", "final": "#2F9E44"}
READ_ONLY_COLOUR = QColor("#868E96")
MISSING_COLOUR, MISSING_BACKGROUND = QColor("#C92A2A"), QColor("#FFE3E3")
COLUMNS = 4  # section, owner, status, missing translation


@cache
def status_icon(status: str) -> QIcon:
    """A coloured dot: grey draft, amber for review, green final."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(STATUS_COLOURS.get(status, "#868E96")))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


def short_missing(missing) -> str:
    """The missing fields in a few characters for the tree, e.g. "EN" or "中 EN"."""
    return " ".join(mark for code, mark in (("zh", "中"), ("en", "EN"))
                    if any(m.endswith(code) for m in missing))


class SectionTree(QTreeWidget):
    """Sections nested as in the content: title, owner, status, missing translation."""

    section_chosen = Signal(object)  # section id or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(COLUMNS)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(False)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.setIndentation(14)  # five levels deep: keep the titles readable
        for column, width in ((1, 92), (2, 26), (3, 34)):  # titles get the room
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.currentItemChanged.connect(self._on_current)

    def retranslate(self) -> None:
        self.setHeaderLabels([tr("Section"), tr("Owner"), tr("Status"), tr("Missing")])

    def show_content(self, data: ContentData) -> None:
        """Model -> UI: every section; the current one stays chosen if it still exists."""
        current = self.current_id()
        self.blockSignals(True)
        self.clear()
        self.items = {}
        for section in data.content:
            parent = self.items.get(section.parent or "")
            item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self)
            item.setData(0, ID_ROLE, section.id)
            self.items[section.id] = item
            self.show_section(section, data)
        for item in self.items.values():
            item.setExpanded(item.parent() is None)
        self.blockSignals(False)
        if current in self.items:
            self.setCurrentItem(self.items[current])

    def show_section(self, section: Section, data: ContentData, values: dict | None = None) -> None:
        """One row: `values` (a draft's) rather than the stored texts when given."""
        item = self.items[section.id]
        values = values or section_values(section)
        title = values["title_zh" if lang() == "zh" else "title_en"] or values["title_zh"] or section.id
        missing = missing_fields(values)
        item.setText(0, title)
        item.setText(1, data.party_name(section.owner, lang()))
        item.setIcon(2, status_icon(values["status"]))  # the legend and tooltip name the colours
        item.setToolTip(2, status_name(values["status"]))
        item.setData(2, STATUS_ROLE, values["status"])
        item.setText(3, short_missing(missing))
        editable = data.editable(section)
        item.setToolTip(0, self._tooltip(section, data, editable, missing))
        self._colour(item, editable, missing)

    def _tooltip(self, section: Section, data: ContentData, editable: bool, missing) -> str:
        lines = [section.id, f"{section.title_zh} / {section.title_en}",
                 tr("Owner: {} ({})").format(data.party_name(section.owner, lang()), section.owner)]
        if not editable:
            lines.append(tr("Read-only: drafted by another party."))
        if missing:
            names = field_names()
            lines.append(tr("Missing translation: {}").format(", ".join(names[m] for m in missing)))
        return "\n".join(lines)

    def _colour(self, item: QTreeWidgetItem, editable: bool, missing) -> None:
        font = item.font(0)
        font.setBold(editable)  # the party's own sections stand out
        font.setItalic(not editable)
        item.setFont(0, font)
        colour = QBrush(READ_ONLY_COLOUR if not editable else QColor("black"))
        for column in range(COLUMNS):
            item.setForeground(column, colour)
            item.setBackground(column, QBrush(MISSING_BACKGROUND) if missing else QBrush())
        item.setForeground(3, QBrush(MISSING_COLOUR))
        bold = QFont(item.font(3))
        bold.setBold(True)
        item.setFont(3, bold)

    def current_id(self) -> str | None:
        item = self.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    def select(self, section_id: str) -> bool:
        item = self.items.get(section_id)
        if item is None:
            return False
        self.setCurrentItem(item)
        self.scrollToItem(item)
        return True

    def filter(self, text: str, missing_only: bool) -> int:
        """Show sections whose id or title contains `text` (and that miss a translation), with
        their ancestors; how many match."""
        text, matches = text.strip().lower(), 0
        for item in self.items.values():
            item.setHidden(True)
        for section_id, item in self.items.items():
            hit = not text or text in section_id.lower() or text in item.text(0).lower()
            if hit and (not missing_only or item.text(3)):
                matches += 1
                while item is not None and item.isHidden():
                    item.setHidden(False)
                    item = item.parent()
        return matches

    def _on_current(self, current: QTreeWidgetItem | None, _previous) -> None:
        self.section_chosen.emit(current.data(0, ID_ROLE) if current is not None else None)


class ContentPanel(QWidget):
    """Requests: save(draft), clause comment(section, quote, position), link(kind, value)."""

    save_requested = Signal(object)  # SectionDraft
    clause_comment_requested = Signal(str, str, int)
    link_requested = Signal(str, str)
    section_shown = Signal(object)  # the section id now in the editor, or None

    def __init__(self, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: ContentData | None = None
        self.draft: SectionDraft | None = None
        self.link_rows: Callable[[Section], LinkRows] = default_link_rows
        self.tree, self.editor, self.preview = SectionTree(), SectionEditor(stack), SectionPreview()
        self.search, self.missing_only = QLineEdit(), QCheckBox()
        self.summary, self.legend, self.status = QLabel(), QLabel(), QLabel()
        self._connect()
        self._lay_out()
        self.retranslate()

    def _connect(self) -> None:
        self.tree.section_chosen.connect(self._on_chosen)
        self.search.textChanged.connect(self._apply_filter)
        self.missing_only.toggled.connect(self._apply_filter)
        self.editor.save_requested.connect(self.save)
        self.editor.link_requested.connect(self.link_requested)
        self.preview.clause_chosen.connect(self._on_clause)

    def _lay_out(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.missing_only)
        column.addLayout(row)
        for widget, stretch in ((self.tree, 1), (self.summary, 0), (self.legend, 0)):
            column.addWidget(widget, stretch)
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: #495057; font-size: 11px;")
        self.search.setClearButtonEnabled(True)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        scroll = QScrollArea()  # a low dock scrolls the editor rather than growing the window
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        for widget in (left, scroll, self.preview):
            self.split.addWidget(widget)
        self.split.setSizes([320, 480, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.status)

    def retranslate(self) -> None:
        self.tree.retranslate()
        self.editor.retranslate()
        self.preview.retranslate()
        self.search.setPlaceholderText(tr("Find a section by id or title…"))
        self.missing_only.setText(tr("Missing translations only"))
        self.legend.setText(tr("Bold: your party's sections. Grey italics: another party's, "
                               "read-only. Red rows: a title or body is missing in 中 or EN. "
                               "Dots: grey draft, amber for review, green final."))
        if self.data is not None:
            self.show_data(self.data)

    # -- model -> UI -----------------------------------------------------------------------

    def show_data(self, data: ContentData) -> None:
        """Show the project's sections; the chosen section stays (and an unsaved draft of it)."""
        self.data = data
        self.tree.show_content(data)
        if self.draft is not None and self.draft.section.id in data.content:
            self.draft.replace_section(data.content.get(self.draft.section.id))
            self._show_draft_row()
        elif self.draft is not None:  # the section is gone (deleted by its owner, pulled)
            self._drop_draft()
        self._apply_filter()
        self._show_summary()

    def _show_summary(self) -> None:
        data = self.data
        mine = sum(1 for s in data.content if data.editable(s))
        missing = sum(1 for s in data.content if missing_fields(section_values(s)))
        self.summary.setText(tr("{} sections, {} editable by your party, {} missing a translation")
                             .format(len(data.content), mine, missing) if data.started else
                             tr("This project has no plan text yet (coplan content init)."))

    def clear(self) -> None:
        """Another project: forget the sections and the draft (without saving it there)."""
        self._drop_draft()
        self.data = None
        self.tree.blockSignals(True)
        self.tree.clear()
        self.tree.items = {}
        self.tree.blockSignals(False)
        self.summary.clear()

    def _drop_draft(self) -> None:
        """Forget the draft without saving it."""
        if self.draft is not None:
            self.draft.state_changed.disconnect(self._on_draft_changed)
            self.draft = None
        self.editor.set_draft(None)
        self.preview.clear()

    def open_section(self, section_id: str) -> bool:
        """Choose a section in the tree (and so in the editor); False if there is none."""
        if self.tree.current_id() == section_id and self.draft is not None:
            return True
        if section_id in self.tree.items and self.tree.items[section_id].isHidden():
            self.search.clear()
            self.missing_only.setChecked(False)
        return self.tree.select(section_id)

    def open_clause(self, section_id: str, position: int) -> bool:
        """A clause anchor: the section in the editor, the cursor at `position` of its body."""
        if not self.open_section(section_id):
            self.show_message(tr("Section {} is not in this project's text.").format(section_id))
            return False
        self.editor.show_position(position)
        return True

    def section_saved(self, section: Section) -> None:
        """A save (or its undo) landed: the stored section is `section`."""
        if self.data is None or section.id not in self.tree.items:
            return
        sections = [section if s.id == section.id else s for s in self.data.content]
        self.data = replace(self.data, content=Content(sections))
        self._show_summary()
        if self.draft is not None and self.draft.section.id == section.id:
            self.draft.replace_section(section)
        else:
            self.tree.show_section(section, self.data)

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    # -- UI -> model -----------------------------------------------------------------------

    def save(self) -> None:
        if self.has_unsaved():
            self.save_requested.emit(self.draft)

    def has_unsaved(self) -> bool:
        """True while the section being edited has changes that are not saved yet."""
        return bool(self.draft is not None and self.draft.dirty and not self.draft.read_only)

    def save_pending(self) -> None:
        """Save the section being edited if it has unsaved changes (the save runs on the worker)."""
        self.save()

    def _on_chosen(self, section_id: str | None) -> None:
        if self.draft is not None and section_id == self.draft.section.id:
            return  # the tree was refilled (a reload): the draft stays
        self.save()  # leaving a section keeps its edits: saved, undoable with Undo
        self._drop_draft()
        if section_id is not None and self.data is not None:
            section = self.data.content.get(section_id)
            self.draft = SectionDraft(section, read_only=not self.data.editable(section))
            self.draft.state_changed.connect(self._on_draft_changed)
            self.editor.set_draft(self.draft, self.data, self.link_rows(section))
            self.preview.schedule(self._preview_source)
            self.preview.render_now()
        self.section_shown.emit(section_id)

    def _on_draft_changed(self) -> None:
        self._show_draft_row()
        self.preview.schedule(self._preview_source)

    def _show_draft_row(self) -> None:
        draft = self.draft
        self.tree.show_section(draft.section, self.data, draft.values)
        marker = " *" if draft.dirty else ""
        item = self.tree.items[draft.section.id]
        item.setText(0, item.text(0) + marker)  # unsaved edits

    def _preview_source(self) -> tuple:
        draft = self.draft
        if draft is None:
            return {}, "", ""
        return dict(draft.values), draft.section.id, draft.values["status"]

    def _on_clause(self, quote: str, position: int) -> None:
        if self.draft is not None:
            self.clause_comment_requested.emit(self.draft.section.id, quote, position)

    def _apply_filter(self, *_) -> None:
        self.tree.filter(self.search.text(), self.missing_only.isChecked())

    def cleanup(self) -> None:
        self.editor.cleanup()


def default_link_rows(section: Section) -> LinkRows:
    """The section's links by code and id (the controller names them from the project)."""
    rows = [("layer", code, code) for code in section.links.layers]
    return rows + [("feature", uuid, uuid[:8]) for uuid in section.links.projects]
