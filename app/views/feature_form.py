"""The attribute form: editors generated from the layer's fields, inline validation messages,
read-only for features another party owns. A thin view over app.editing.form.FormModel."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from app.editing.form import GEOMETRY_KEY, FormModel, area_text, code_choices, is_area, shown_value
from app.messages import problem_text
from app.model.catalogue import Catalogue, Field
from app.views.i18n import lang, tr
from app.views.signals import signals_blocked

ERROR_STYLE = "color: #C92A2A; font-size: 11px;"
HINT_STYLE = "color: #495057; font-size: 11px;"
POPUP_WIDTH = 320  # px: a code with its full class name
READ_ONLY_STYLE = "background: #F1F3F5; color: #495057; padding: 4px; border-radius: 3px;"


def _text(value) -> str:
    return "" if value is None else str(value)


class CodePicker(QComboBox):
    """A searchable code-list picker: type part of a code or a name ("07", "住宅") and choose.
    `chosen(code)` when the user picks one; `typed(text)` when the text is no item (the form
    then reports it as not a code of the list)."""

    chosen = Signal(object)  # code, or None for empty
    typed = Signal(str)

    def __init__(self, choices: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        # Long class names must not widen the form past its dock: the list pops up wider instead.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        self.addItem("", None)
        for code, label in choices:
            self.addItem(label, code)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # a name's middle finds it too
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        for popup in (self.view(), completer.popup()):
            popup.setMinimumWidth(POPUP_WIDTH)
        self.lineEdit().setPlaceholderText(tr("Type a code or a name…"))
        self.currentIndexChanged.connect(lambda _: self.chosen.emit(self.currentData()))
        self.lineEdit().editingFinished.connect(self._on_typed)

    def set_code(self, code) -> None:
        """Show `code` (a code outside the list is shown as typed text), without signals."""
        with signals_blocked(self):
            index = self.findData(code) if code not in (None, "") else 0
            self.setCurrentIndex(max(index, 0))
            if index < 0:
                self.setEditText(_text(code))

    def code(self):
        """The code shown, or the text typed when it is no item."""
        index = self._index_of(self.currentText())
        return self.itemData(index) if index >= 0 else self.currentText().strip()

    def _index_of(self, text: str) -> int:
        text = text.strip()
        if not text:
            return 0
        exact = self.findText(text)
        return exact if exact >= 0 else self.findData(text.split()[0])

    def _on_typed(self) -> None:
        index = self._index_of(self.currentText())
        if index < 0:
            self.typed.emit(self.currentText())
        elif index != self.currentIndex():
            self.setCurrentIndex(index)  # -> chosen
        else:
            self.setEditText(self.itemText(index))


class CodeDelegate(QStyledItemDelegate):
    """The attribute table's editor for a code-list column: the same searchable picker."""

    def __init__(self, catalogue: Catalogue, field: Field, parent=None) -> None:
        super().__init__(parent)
        self.choices = code_choices(catalogue, field, lang())

    def createEditor(self, parent, option, index) -> QWidget:
        return CodePicker(self.choices, parent)

    def setEditorData(self, editor: CodePicker, index) -> None:
        editor.set_code(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: CodePicker, model, index) -> None:
        model.setData(index, editor.code(), Qt.ItemDataRole.EditRole)


class FieldEditor(QWidget):
    """One field: a line edit, a code-list picker or a read-only value with units, and its
    problem message under it."""

    def __init__(self, field: Field, model: FormModel) -> None:
        super().__init__()
        self.field = field
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.editor = self._make_editor(model)
        self.hint = QLabel()  # an area typed in m², shown in 公顷 too
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.hide()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.editor)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        self.set_value(model.values.get(field.name))
        self.editor.setEnabled(not model.read_only and not field.derived)

    def _make_editor(self, model: FormModel) -> QWidget:
        name = self.field.name
        if self.field.codelist:
            picker = CodePicker(code_choices(model.catalogue, self.field, lang()))
            picker.chosen.connect(partial(model.set, name))  # UI -> model
            picker.typed.connect(partial(model.set_text, name))
            return picker
        edit = QLineEdit()
        if self.field.derived:
            edit.setReadOnly(True)  # computed from the geometry: shown with its unit
            return edit
        if self.field.length and self.field.type == "text":
            edit.setMaxLength(self.field.length)
        if self.field.type == "date":
            edit.setPlaceholderText("YYYY-MM-DD")
        if is_area(self.field):
            edit.setPlaceholderText("m²")
        edit.textEdited.connect(partial(model.set_text, name))  # UI -> model
        return edit

    def set_value(self, value) -> None:
        """Model -> UI, without echoing back."""
        if isinstance(self.editor, CodePicker):
            self.editor.set_code(value)
            return
        text = shown_value(self.field, value, lang()) if self.field.derived else _text(value)
        with signals_blocked(self.editor):
            if self.editor.text() != text:
                self.editor.setText(text)
        area = is_area(self.field) and not self.field.derived and isinstance(value, int | float)
        self.hint.setText(area_text(float(value), lang()) if area else "")
        self.hint.setVisible(area)

    def set_problems(self, problems) -> None:
        self.error.setText("；".join(problem_text(p, lang()) for p in problems))
        self.error.setVisible(bool(problems))


class FeatureForm(QWidget):
    """Shows one FormModel; `save_requested(model)` when the user saves a valid form."""

    save_requested = Signal(object)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None, taken=None) -> None:
        super().__init__(parent)
        # taken(layer, field, value, uuid): another feature of the layer has the value (the
        # FeatureStore's answer); lets the form refuse a duplicate BSM as it is typed.
        self.taken = taken
        self.file_read_only = False  # the project file cannot be written (set by the window)
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
                if self.taken is not None and model.taken is None:
                    uuid = model.feature.uuid if model.feature else None
                    model.taken = partial(_taken_by_others, self.taken, model.layer.code, uuid)
                model.value_changed.connect(self._on_value_changed)  # model -> UI
                model.problems_changed.connect(self._on_problems_changed)
        self._scroll.setWidget(body)
        self._show_header(model, owner_name)
        if model is not None:
            model.validate()

    def show_count(self, count: int) -> None:
        """An empty form saying how many features are selected (more than one)."""
        self.set_model(None)
        self.title.setText(tr("{:,} features selected: select one to see its attributes.").format(count))

    def _show_header(self, model: FormModel | None, owner_name: str) -> None:
        if model is None:
            self.title.setText(tr("Select a feature, or draw one, to see its attributes."))
        else:
            # The BSM is what planners call a feature by; a uuid's head is shared by features made
            # together (UUIDv7 starts with the time), so its tail stands in.
            bsm = None if model.is_new else model.feature.attrs.get("BSM")
            what = tr("New feature") if model.is_new else str(bsm) if bsm else "…" + model.feature.uuid[-8:]
            self.title.setText(f"<b>{model.layer.name(lang())}</b> · {what}")
        read_only = model is not None and model.read_only
        if read_only and self.file_read_only:
            self.banner.setText(tr("Read-only: the project file cannot be written now"))
        elif read_only:
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
        self.geometry_error.setText("；".join(problem_text(p, lang()) for p in rest))
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


def _taken_by_others(taken, code: str, uuid: str | None, field: str, value) -> bool:
    return taken(code, field, value, uuid)
