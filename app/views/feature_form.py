"""The attribute form: editors generated from the layer's fields, inline validation messages,
read-only for features another party owns. A thin view over app.editing.form.FormModel."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.editing.form import GEOMETRY_KEY, FormModel
from app.model.catalogue import Field
from app.views.i18n import lang, tr
from app.views.signals import signals_blocked

ERROR_STYLE = "color: #C92A2A; font-size: 11px;"
READ_ONLY_STYLE = "background: #F1F3F5; color: #495057; padding: 4px; border-radius: 3px;"


def _text(value) -> str:
    return "" if value is None else str(value)


class FieldEditor(QWidget):
    """One field: a line edit or a code-list combo box, and its problem message under it."""

    def __init__(self, field: Field, model: FormModel) -> None:
        super().__init__()
        self.field = field
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.editor = self._make_editor(model)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.editor)
        layout.addWidget(self.error)
        self.set_value(model.values.get(field.name))
        self.editor.setEnabled(not model.read_only and not field.derived)

    def _make_editor(self, model: FormModel) -> QWidget:
        if self.field.codelist:
            combo = QComboBox()
            combo.addItem("", None)
            for code, (zh, en) in model.catalogue.codelist(self.field.codelist).codes.items():
                combo.addItem(f"{code} {zh if lang() == 'zh' else en}", code)
            combo.currentIndexChanged.connect(
                lambda _: model.set(self.field.name, combo.currentData()))  # UI -> model
            return combo
        edit = QLineEdit()
        if self.field.length and self.field.type == "text":
            edit.setMaxLength(self.field.length)
        if self.field.type == "date":
            edit.setPlaceholderText("YYYY-MM-DD")
        edit.textEdited.connect(partial(model.set_text, self.field.name))  # UI -> model
        return edit

    def set_value(self, value) -> None:
        """Model -> UI, without echoing back."""
        with signals_blocked(self.editor):
            if isinstance(self.editor, QComboBox):
                index = self.editor.findData(value)
                self.editor.setCurrentIndex(max(index, 0))
            elif self.editor.text() != _text(value):
                self.editor.setText(_text(value))

    def set_problems(self, problems) -> None:
        self.error.setText("；".join(p.text(lang()) for p in problems))
        self.error.setVisible(bool(problems))


class FeatureForm(QWidget):
    """Shows one FormModel; `save_requested(model)` when the user saves a valid form."""

    save_requested = Signal(object)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: FormModel | None = None
        self.editors: dict[str, FieldEditor] = {}
        outer = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setStyleSheet(READ_ONLY_STYLE)
        self.banner.setWordWrap(True)
        self.geometry_error = QLabel()
        self.geometry_error.setStyleSheet(ERROR_STYLE)
        self.geometry_error.setWordWrap(True)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        buttons = QHBoxLayout()
        self.save_button, self.cancel_button = QPushButton(), QPushButton()
        self.save_button.clicked.connect(self._on_save)
        self.cancel_button.clicked.connect(self.cancel_requested)
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        for widget in (self.title, self.banner, self.geometry_error, self._scroll):
            outer.addWidget(widget)
        outer.addLayout(buttons)
        self.set_model(None)
        self.retranslate()

    def retranslate(self) -> None:
        self.save_button.setText(tr("Save"))
        self.cancel_button.setText(tr("Cancel"))
        self.set_model(self.model)

    def set_model(self, model: FormModel | None, owner_name: str = "") -> None:
        """Show `model` (None: an empty form)."""
        if self.model is not None and self.model is not model:
            self.model.value_changed.disconnect(self._on_value_changed)
            self.model.problems_changed.disconnect(self._on_problems_changed)
        fresh = model is not None and model is not self.model
        self.model, self.editors = model, {}
        body = QWidget()
        rows = QFormLayout(body)
        if model is not None:
            for field in model.layer.fields:
                self.editors[field.name] = FieldEditor(field, model)
                label = field.label(lang()) + (" *" if field.required else "")
                rows.addRow(label, self.editors[field.name])
            if fresh:
                model.value_changed.connect(self._on_value_changed)  # model -> UI
                model.problems_changed.connect(self._on_problems_changed)
        self._scroll.setWidget(body)
        self._show_header(model, owner_name)
        if model is not None:
            model.validate()

    def _show_header(self, model: FormModel | None, owner_name: str) -> None:
        if model is None:
            self.title.setText(tr("Select a feature, or draw one, to see its attributes."))
        else:
            what = tr("New feature") if model.is_new else model.feature.uuid[:8]
            self.title.setText(f"<b>{model.layer.name(lang())}</b> · {what}")
        read_only = model is not None and model.read_only
        if read_only:
            owner = model.feature.owner if model.feature else ""
            self.banner.setText(tr("Read-only: this feature belongs to party {} {}").format(owner, owner_name))
        self.banner.setVisible(read_only)
        self.save_button.setEnabled(model is not None and not read_only)
        self.cancel_button.setEnabled(model is not None)

    def _on_value_changed(self, name: str, value) -> None:
        if name in self.editors:
            self.editors[name].set_value(value)

    def _on_problems_changed(self, problems: dict) -> None:
        for name, editor in self.editors.items():
            editor.set_problems(problems.get(name, []))
        rest = problems.get(GEOMETRY_KEY, [])
        self.geometry_error.setText("；".join(p.text(lang()) for p in rest))
        self.geometry_error.setVisible(bool(rest))
        self.save_button.setEnabled(self.model is not None and not self.model.read_only and not problems)

    def show_problems(self, problems) -> None:
        """Problems the core reported on save (FeatureInvalid.problems)."""
        grouped: dict[str, list] = {}
        for problem in problems:
            grouped.setdefault(problem.field or GEOMETRY_KEY, []).append(problem)
        self._on_problems_changed(grouped)

    def _on_save(self) -> None:
        if self.model is not None and self.model.validate():
            self.save_requested.emit(self.model)
