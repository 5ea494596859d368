"""The editor of one section and its live preview: Chinese and English title and body side by side,
status, participants, the section's links (with "show on map"), and the rendered paragraphs,
from which selected words become a clause comment.

A thin view over `app.editing.content_jobs.SectionDraft`: typing sets the draft's values, the
draft's events write back (revert, a save or an undo landing). Sections of other parties are
shown read-only before the core would refuse the write; empty titles and bodies — missing
translations — are marked in red.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextFormat, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.content.model import STATUSES, paragraphs
from app.editing.content_jobs import TEXT_FIELDS, ContentData, SectionDraft, clause_position
from app.reports.edition import STATUS_NAMES
from app.views.i18n import lang, tr
from app.views.signals import signals_blocked

MISSING_STYLE = "background: #FFF0F0; border: 1px solid #E03131;"
BANNER_STYLE = "background: #F1F3F5; color: #495057; padding: 4px; border-radius: 3px;"
WARN_STYLE = "color: #C92A2A;"
CLAUSE_COLOUR = QColor("#FFE8A3")
PREVIEW_DELAY_MS = 250  # typing re-renders the preview this long after the last key

LinkRows = list[tuple[str, str, str]]  # (kind "layer" | "feature", code or uuid, text)


def status_name(code: str) -> str:
    names = STATUS_NAMES.get(code)
    return code if names is None else names[0 if lang() == "zh" else 1]


def field_names() -> dict[str, str]:
    return {"title_zh": tr("Chinese title"), "title_en": tr("English title"),
            "body_zh": tr("Chinese body"), "body_en": tr("English body")}


def missing_text(missing) -> str:
    """"Missing translation: …" naming the empty fields, or ''."""
    if not missing:
        return ""
    names = field_names()
    return tr("Missing translation: {}").format(", ".join(names[m] for m in missing))


def utf16_offset(text: str, position: int) -> int:
    """A Python string offset as Qt counts it (UTF-16 code units)."""
    return len(text[:position].encode("utf-16-le")) // 2


class SectionEditor(QWidget):
    """Requests: save, show a link on the map. Revert acts on the draft directly."""

    save_requested = Signal()
    link_requested = Signal(str, str)  # "layer" | "feature", code or uuid

    def __init__(self, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: SectionDraft | None = None
        self.data: ContentData | None = None
        self._build_texts()
        self._build_fields()
        self._build_buttons(stack)
        self._lay_out()
        self.retranslate()
        self.set_draft(None)

    # -- construction ----------------------------------------------------------------------

    def _build_texts(self) -> None:
        self.header, self.banner, self.missing = QLabel(), QLabel(), QLabel()
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.missing.setStyleSheet(WARN_STYLE)
        self.missing.setWordWrap(True)
        self.texts: dict[str, QLineEdit | QPlainTextEdit] = {
            "title_zh": QLineEdit(), "title_en": QLineEdit(),
            "body_zh": QPlainTextEdit(), "body_en": QPlainTextEdit()}
        for name, editor in self.texts.items():
            signal = editor.textEdited if isinstance(editor, QLineEdit) else editor.textChanged
            signal.connect(lambda *_, n=name: self._on_text(n))  # UI -> draft

    def _build_fields(self) -> None:
        self.status = QComboBox()
        for code in STATUSES:
            self.status.addItem(code, code)
        self.status.currentIndexChanged.connect(self._on_status)
        self.participants = QListWidget()
        self.participants.setMaximumHeight(96)
        self.participants.itemChanged.connect(self._on_participants)
        self.links = QListWidget()
        self.links.setMaximumHeight(96)
        self.links.itemActivated.connect(self._on_link)
        self.show_link_button = QPushButton()
        self.show_link_button.clicked.connect(lambda: self._on_link(self.links.currentItem()))

    def _build_buttons(self, stack: QUndoStack) -> None:
        # Tool buttons: as narrow as their texts, so a narrow editor needs no scrolling.
        self.save_button, self.revert_button = QToolButton(), QToolButton()
        self.save_button.clicked.connect(self.save_requested)
        self.revert_button.clicked.connect(lambda: self.draft and self.draft.revert())
        # Short buttons: the stack's texts ("Undo Save section Z3.strategy.2") are tooltips.
        self.undo_button, self.redo_button = QToolButton(), QToolButton()
        self.undo_button.clicked.connect(stack.undo)
        self.redo_button.clicked.connect(stack.redo)
        stack.canUndoChanged.connect(self.undo_button.setEnabled)
        stack.canRedoChanged.connect(self.redo_button.setEnabled)
        stack.undoTextChanged.connect(self.undo_button.setToolTip)
        stack.redoTextChanged.connect(self.redo_button.setToolTip)
        self.undo_button.setEnabled(stack.canUndo())
        self.redo_button.setEnabled(stack.canRedo())

    def _lay_out(self) -> None:
        grid = QGridLayout()
        self.column_labels = [QLabel(), QLabel()]
        self.row_labels = [QLabel(), QLabel()]
        for col, label in enumerate(self.column_labels, 1):
            grid.addWidget(label, 0, col)
        for row, (label, part) in enumerate(zip(self.row_labels, ("title", "body"), strict=True), 1):
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(self.texts[f"{part}_zh"], row, 1)
            grid.addWidget(self.texts[f"{part}_en"], row, 2)
        grid.setRowStretch(2, 1)
        grid.addLayout(self._lower_grid(), 3, 0, 1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        for widget in (self.header, self.banner, self.missing):
            layout.addWidget(widget)
        layout.addLayout(grid, 1)
        buttons = QHBoxLayout()
        for widget in (self.save_button, self.revert_button, self.undo_button, self.redo_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _lower_grid(self) -> QGridLayout:
        self.field_labels = [QLabel(), QLabel(), QLabel()]
        lower = QGridLayout()
        lower.addWidget(self.field_labels[0], 0, 0)
        lower.addWidget(self.status, 1, 0, Qt.AlignmentFlag.AlignTop)
        lower.addWidget(self.field_labels[1], 0, 1)
        lower.addWidget(self.participants, 1, 1)
        lower.addWidget(self.field_labels[2], 0, 2)
        links = QVBoxLayout()
        links.addWidget(self.links)
        links.addWidget(self.show_link_button, 0, Qt.AlignmentFlag.AlignLeft)
        lower.addLayout(links, 1, 2)
        lower.setColumnStretch(1, 1)
        lower.setColumnStretch(2, 1)
        return lower

    def retranslate(self) -> None:
        for label, text in zip(self.column_labels + self.row_labels + self.field_labels,
                               (tr("Chinese"), tr("English"), tr("Title"), tr("Body"), tr("Status"),
                                tr("Participants"), tr("Links")), strict=True):
            label.setText(text)
        for i, code in enumerate(STATUSES):
            self.status.setItemText(i, status_name(code))
        self.show_link_button.setText(tr("Show on map"))
        self.save_button.setText(tr("Save section"))
        self.undo_button.setText(tr("Undo"))
        self.redo_button.setText(tr("Redo"))
        self.revert_button.setText(tr("Revert to saved"))
        for editor in self.texts.values():
            editor.setPlaceholderText(tr("Missing translation"))
        self.set_draft(self.draft, self.data)

    # -- model -> UI -----------------------------------------------------------------------

    def set_draft(self, draft: SectionDraft | None, data: ContentData | None = None,
                  link_rows: LinkRows | None = None) -> None:
        """Edit `draft` (None: nothing chosen); `link_rows` name its links."""
        if self.draft is not None and self.draft is not draft:
            self.draft.value_changed.disconnect(self._on_value_changed)
            self.draft.state_changed.disconnect(self._on_state_changed)
        if draft is not None and self.draft is not draft:
            draft.value_changed.connect(self._on_value_changed)
            draft.state_changed.connect(self._on_state_changed)
        self.draft, self.data = draft, data if data is not None else self.data
        for name in (*TEXT_FIELDS, "status", "participants"):
            self._on_value_changed(name, draft.values[name] if draft else "")
        if link_rows is not None or draft is None:
            self._show_links(link_rows or [])
        self._show_read_only()
        self._on_state_changed()

    def _on_value_changed(self, name: str, value) -> None:
        if name in self.texts:
            editor = self.texts[name]
            with signals_blocked(editor):
                editor.setText(value) if isinstance(editor, QLineEdit) else editor.setPlainText(value)
        elif name == "status":
            with signals_blocked(self.status):
                self.status.setCurrentIndex(max(0, self.status.findData(value)))
        elif name == "participants":
            self._show_participants(value or ())

    def _show_participants(self, chosen) -> None:
        with signals_blocked(self.participants):
            self.participants.clear()
            if self.draft is None or self.data is None:
                return
            for code in self.data.parties:
                if code == self.draft.section.owner:
                    continue
                item = QListWidgetItem(f"{self.data.party_name(code, lang())} ({code})", self.participants)
                item.setData(Qt.ItemDataRole.UserRole, code)
                item.setCheckState(Qt.CheckState.Checked if code in chosen else Qt.CheckState.Unchecked)

    def _show_links(self, rows: LinkRows) -> None:
        self.links.clear()
        for kind, value, text in rows:
            item = QListWidgetItem(text, self.links)
            item.setData(Qt.ItemDataRole.UserRole, (kind, value))
        self.show_link_button.setEnabled(bool(rows))
        if rows:
            self.links.setCurrentRow(0)

    def _show_read_only(self) -> None:
        draft, data = self.draft, self.data
        read_only = draft is None or draft.read_only
        for editor in self.texts.values():
            editor.setReadOnly(read_only)
        self.status.setEnabled(not read_only)
        self.participants.setEnabled(not read_only)
        self.banner.setVisible(draft is not None and draft.read_only)
        if draft is not None and data is not None:
            owner = draft.section.owner
            self.banner.setText(tr("Drafted by {} ({}): read-only for your party.").format(
                data.party_name(owner, lang()), owner))
        self.header.setText(self._header_text())

    def _header_text(self) -> str:
        draft, data = self.draft, self.data
        if draft is None or data is None:
            return tr("Choose a section in the tree.")
        s = draft.section
        text = (f"<b>{html.escape(s.id)}</b> · {html.escape(data.kind_name(s.kind, lang()))} · "
                f"{html.escape(data.party_name(s.owner, lang()))}")
        if s.modified_at:
            text += " · " + tr("saved {} by {}").format(s.modified_at[:16].replace("T", " "),
                                                        html.escape(s.modified_by or "—"))
        return text

    def _on_state_changed(self) -> None:
        draft = self.draft
        missing = draft.missing() if draft else ()
        self.missing.setText(missing_text(missing))
        self.missing.setVisible(bool(missing))
        for name, editor in self.texts.items():
            style = MISSING_STYLE if name in missing else ""
            if editor.styleSheet() != style:
                editor.setStyleSheet(style)
        dirty = bool(draft and not draft.read_only and draft.dirty)
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def show_position(self, position: int) -> None:
        """Put the cursor at `position` of the Chinese body and highlight its line."""
        editor = self.texts["body_zh"]
        text = editor.toPlainText()
        cursor = editor.textCursor()
        cursor.setPosition(min(utf16_offset(text, max(position, 0)), len(text.encode("utf-16-le")) // 2))
        editor.setTextCursor(cursor)
        mark = QTextEdit.ExtraSelection()
        mark.format.setBackground(CLAUSE_COLOUR)
        mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        mark.cursor = editor.textCursor()
        editor.setExtraSelections([mark])
        editor.centerCursor()
        editor.setFocus()

    # -- UI -> model -----------------------------------------------------------------------

    def _on_text(self, name: str) -> None:
        editor = self.texts[name]
        if self.draft is not None:
            value = editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()
            self.draft.set(name, value)
        if name == "body_zh":
            editor.setExtraSelections([])  # a clause highlight is stale once the text changes

    def _on_status(self, _index: int) -> None:
        if self.draft is not None:
            self.draft.set("status", self.status.currentData())

    def _on_participants(self, _item) -> None:
        if self.draft is None:
            return
        chosen = [self.participants.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(self.participants.count())
                  if self.participants.item(i).checkState() == Qt.CheckState.Checked]
        self.draft.set("participants", chosen)

    def _on_link(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.link_requested.emit(*item.data(Qt.ItemDataRole.UserRole))

    def cleanup(self) -> None:
        self.set_draft(None)


def preview_html(values: dict, section_id: str, status: str) -> str:
    """The section as the outputs print it: titles and paragraphs in both languages."""
    e = html.escape
    parts = [f"<p style='color:#868e96'>{e(section_id)} · {e(status_name(status))}</p>"]
    for code, missing in (("zh", tr("Chinese text missing")), ("en", tr("English text missing"))):
        title = values.get(f"title_{code}", "").strip()
        parts.append(f"<h3>{e(title)}</h3>" if title else f"<h3 style='color:#C92A2A'>({e(missing)})</h3>")
        body = paragraphs(values.get(f"body_{code}", ""))
        parts += [f"<p>{e(p)}</p>" for p in body] or [f"<p style='color:#C92A2A'><i>({e(missing)})</i></p>"]
    return "".join(parts)


class SectionPreview(QWidget):
    """The rendered section, refreshed shortly after typing; selected words of the Chinese body
    can be commented on as a clause: `clause_chosen(quote, position in the body)`."""

    clause_chosen = Signal(str, int)
    rendered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: dict = {}
        self._pending: Callable[[], tuple] | None = None
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.selectionChanged.connect(self._on_selection)
        self.browser.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.browser.customContextMenuRequested.connect(self._context_menu)
        self.comment_button = QPushButton()
        self.comment_button.clicked.connect(self.comment_on_selection)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.render_now)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        for widget, stretch in ((self.browser, 1), (self.comment_button, 0), (self.hint, 0)):
            layout.addWidget(widget, stretch)
        self.retranslate()
        self._on_selection()

    def retranslate(self) -> None:
        self.comment_button.setText(tr("Comment on selection…"))
        self.hint.setText(tr("Select words of the Chinese text to comment on them as a clause."))
        if self._pending is not None:
            self.render_now()

    def schedule(self, source: Callable[[], tuple]) -> None:
        """Re-render from `source()` -> (values, section id, status) once typing pauses."""
        self._pending = source
        self.timer.start()

    def render_now(self) -> None:
        self.timer.stop()
        if self._pending is None:
            self.browser.clear()
            return
        values, section_id, status = self._pending()
        self.values = values
        self.browser.setHtml(preview_html(values, section_id, status) if section_id else "")
        self.rendered.emit()

    def clear(self) -> None:
        self._pending = None
        self.render_now()

    def selected_clause(self) -> tuple[str, int] | None:
        """(quote, position in the Chinese body) of the selection, if it lies in one paragraph."""
        cursor = self.browser.textCursor()
        if not cursor.hasSelection():
            return None
        quote = cursor.selectedText()
        block = self.browser.document().findBlock(cursor.selectionStart())
        body = self.values.get("body_zh", "")
        if block.text() not in paragraphs(body) or "\u2029" in quote:
            return None
        position = clause_position(body, block.text(), cursor.selectionStart() - block.position(), quote)
        return None if position is None else (quote, position)

    def _on_selection(self) -> None:
        self.comment_button.setEnabled(self.selected_clause() is not None)

    def comment_on_selection(self) -> None:
        clause = self.selected_clause()
        if clause is not None:
            self.clause_chosen.emit(*clause)

    def _context_menu(self, point) -> None:
        menu = self.browser.createStandardContextMenu(point)
        action = menu.addAction(self.comment_button.text())
        action.setEnabled(self.selected_clause() is not None)
        action.triggered.connect(self.comment_on_selection)
        menu.exec(self.browser.viewport().mapToGlobal(point))
        menu.deleteLater()

