"""Dialogs of the editing operations: snapping options, typed coordinates, select by expression and
the field calculator. Each only collects input and shows results; the controller in
app.views.edit_tools runs the work (on the DB worker) and the undoable commands."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.editing import expression as E
from app.editing.commands import calculate
from app.editing.geometry import GK_ZONES, SNAP_MODES, SnapOptions, gk_to_lonlat
from app.messages import localize
from app.model.catalogue import Catalogue, Layer
from app.model.coords import to_gk
from app.model.crs import CHINA_BOUNDS
from app.model.feature import Feature
from app.model.validation import prepare_columns
from app.views.i18n import lang, tr

ERROR_STYLE = "color: #B02A2A"
OK_STYLE = "color: #2A7A2A"
PREVIEW_ROWS = 3


def _buttons(dialog: QDialog, ok_text: str | None = None) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text or tr("OK"))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class SnappingDialog(QDialog):
    """Snap to nothing, to vertices, or to vertices and edges, within a tolerance in pixels."""

    def __init__(self, options: SnapOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Snapping options"))
        self.mode = QComboBox()
        names = {"off": tr("Off"), "vertex": tr("To vertices"), "segment": tr("To vertices and edges")}
        for mode in SNAP_MODES:
            self.mode.addItem(names[mode], mode)
        self.mode.setCurrentIndex(SNAP_MODES.index(options.mode))
        self.pixels = QSpinBox()
        self.pixels.setRange(1, 50)
        self.pixels.setSuffix(tr(" px"))
        self.pixels.setValue(options.pixels)
        form = QFormLayout(self)
        form.addRow(tr("Snap"), self.mode)
        form.addRow(tr("Tolerance"), self.pixels)
        form.addRow(QLabel(tr("Vertices are preferred; an edge is used when no vertex is that near.")))
        form.addRow(_buttons(self))

    def options(self) -> SnapOptions:
        return SnapOptions(self.mode.currentData(), self.pixels.value())


class CoordinateDialog(QDialog):
    """A vertex by its coordinates: CGCS2000 lon/lat, or Gauss–Krüger X (northing) / Y (easting)."""

    def __init__(self, start: tuple[float, float], zone: int = GK_ZONES[0],
                 area: tuple[float, float, float, float] = CHINA_BOUNDS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area  # lon/lat bounds a typed point must fall in (the project's, padded)
        self.setWindowTitle(tr("Enter coordinates"))
        self.system = QComboBox()
        self.system.addItem(tr("Longitude / latitude (CGCS2000, EPSG:4490)"), 0)
        for epsg, cm in zip(GK_ZONES, (120, 123), strict=True):
            self.system.addItem(tr("Gauss–Krüger CM {}°E (EPSG:{})").format(cm, epsg), epsg)
        self.first, self.second = QDoubleSpinBox(), QDoubleSpinBox()
        self.first_label, self.second_label, self.result = QLabel(), QLabel(), QLabel()
        form = QFormLayout(self)
        form.addRow(tr("Coordinate system"), self.system)
        form.addRow(self.first_label, self.first)
        form.addRow(self.second_label, self.second)
        form.addRow(self.result)
        self.buttons = _buttons(self, tr("Add vertex"))
        form.addRow(self.buttons)
        self._lonlat = start
        self.system.currentIndexChanged.connect(self._on_system)
        self.first.valueChanged.connect(self._check)
        self.second.valueChanged.connect(self._check)
        self._zone = zone
        self._on_system()

    def set_system(self, epsg: int) -> None:
        """0 for lon/lat, else a Gauss–Krüger zone of GK_ZONES."""
        self.system.setCurrentIndex(self.system.findData(epsg))

    def _on_system(self) -> None:
        epsg = self.system.currentData()
        lon, lat = self._lonlat
        if epsg == 0:
            self.first_label.setText(tr("Longitude (°E)"))
            self.second_label.setText(tr("Latitude (°N)"))
            self._set(self.first, 8, (-180, 180), lon)
            self._set(self.second, 8, (-90, 90), lat)
        else:
            x, y = to_gk(lon, lat, epsg)
            self.first_label.setText(tr("X (northing, m)"))
            self.second_label.setText(tr("Y (easting, m)"))
            self._set(self.first, 3, (0, 10_000_000), x)
            self._set(self.second, 3, (0, 1_000_000), y)
        self._check()

    @staticmethod
    def _set(box: QDoubleSpinBox, decimals: int, limits: tuple[float, float], value: float) -> None:
        box.blockSignals(True)
        box.setDecimals(decimals)
        box.setRange(*limits)
        box.setValue(value)
        box.blockSignals(False)

    def coordinate(self) -> tuple[float, float]:
        """The entered point as lon/lat (EPSG:4490)."""
        epsg, a, b = self.system.currentData(), self.first.value(), self.second.value()
        return (a, b) if epsg == 0 else gk_to_lonlat(a, b, epsg)

    def _check(self) -> None:
        lon, lat = self.coordinate()
        x0, y0, x1, y1 = self.area
        inside = x0 <= lon <= x1 and y0 <= lat <= y1
        self._lonlat = (lon, lat) if inside else self._lonlat
        self.result.setStyleSheet(OK_STYLE if inside else ERROR_STYLE)
        far = tr("This point is far from the project's area: check the coordinate system and the order of X and Y.")
        self.result.setText(tr("lon {:.6f}°  lat {:.6f}°").format(lon, lat) if inside else far)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(inside)


class FieldList(QListWidget):
    """The layer's fields (name — label); a double-click inserts the name into `target`."""

    def __init__(self, layer: Layer, target: QPlainTextEdit | QLineEdit) -> None:
        super().__init__()
        self.target = target
        for f in layer.fields:
            item = QListWidgetItem(f"{f.name} — {f.label(lang())}")
            item.setData(Qt.ItemDataRole.UserRole, f.name)
            self.addItem(item)
        self.itemDoubleClicked.connect(lambda item: self.insert(item.data(Qt.ItemDataRole.UserRole)))

    def insert(self, text: str) -> None:
        self.target.insert(text) if isinstance(self.target, QLineEdit) else self.target.insertPlainText(text)
        self.target.setFocus()


def error_text(exc: Exception) -> str:
    return localize(getattr(exc, "message", str(exc)), lang())


class ExpressionDialog(QDialog):
    """Select the active layer's features where a condition holds; `run_requested(text)` asks the
    controller to evaluate it on the worker, `show_result` reports the count and time."""

    run_requested = Signal(str, str)  # expression, mode: one of MODES
    MODES = ("new", "add", "within")
    OPERATORS = ("=", "<>", ">", ">=", "<", "<=", "AND", "OR", "NOT", "LIKE '%'", "IN ()", "IS NULL", "(", ")")

    def __init__(self, layer: Layer, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.setWindowTitle(tr("Select by expression"))
        self.text = QPlainTextEdit()
        self.text.setFont(QFont("monospace"))
        self.text.setPlaceholderText("TBMJ > 300000 AND YDYHFLDM LIKE '07%'")
        self.text.textChanged.connect(self.check)
        self.fields = FieldList(layer, self.text)
        self.fields.setMinimumWidth(300)  # "YDYHFLMC — 用地用海分类名称" in full
        self.status, self.result = QLabel(), QLabel()
        self.status.setWordWrap(True)
        self.mode = QComboBox()
        for mode, text in zip(self.MODES, (tr("New selection"), tr("Add to selection"),
                                           tr("Select within selection")), strict=True):
            self.mode.addItem(text, mode)
        self.select_button = QPushButton(tr("Select"))
        self.select_button.setDefault(True)
        self.select_button.clicked.connect(self.run)
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.reject)
        self._lay_out(count, close)
        self.resize(880, 480)
        self.check()

    def _lay_out(self, count: int, close: QPushButton) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Layer: {} ({} features)").format(self.layer.name(lang()), count)))
        middle = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("Fields (double-click to insert)")))
        left.addWidget(self.fields)
        middle.addLayout(left, 2)
        right = QVBoxLayout()
        right.addWidget(QLabel(tr("Condition")))
        right.addWidget(self.text, 1)
        grid = QGridLayout()
        for i, op in enumerate(self.OPERATORS):
            button = QPushButton(op)
            button.clicked.connect(lambda _=False, o=op: self.fields.insert(f" {o} "))
            grid.addWidget(button, i // 7, i % 7)
        right.addLayout(grid)
        right.addWidget(QLabel(tr("Text in quotes ('0701'); % matches any run of characters, _ one character.")))
        middle.addLayout(right, 3)
        layout.addLayout(middle, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.result)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.mode)
        row.addWidget(self.select_button)
        row.addWidget(close)
        layout.addLayout(row)

    def check(self) -> E.Expression | None:
        """Parse as the user types: say what is wrong and where, or that it reads well."""
        try:
            expr = E.parse_condition(self.text.toPlainText(), self.layer)
        except E.ExpressionError as exc:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(error_text(exc) if self.text.toPlainText().strip() else "")
            self.select_button.setEnabled(False)
            self._error_at = exc.position
            return None
        self.status.setStyleSheet(OK_STYLE)
        self.status.setText(tr("The condition reads well."))
        self.select_button.setEnabled(True)
        return expr

    def run(self) -> None:
        if self.check() is None:
            move_cursor_to(self.text, min(self._error_at, len(self.text.toPlainText())))
            return
        self.select_button.setEnabled(False)
        self.result.setText(tr("Selecting…"))
        self.run_requested.emit(self.text.toPlainText(), self.mode.currentData())

    def show_result(self, found: E.Selected, selected: int) -> None:
        """`found` matched the condition; `selected` are selected now (after the mode applied)."""
        self.select_button.setEnabled(True)
        self.result.setStyleSheet("")
        self.result.setText(tr("{} of {} features match ({:.0f} ms); {} selected").format(
            len(found.uuids), found.total, found.seconds * 1000, selected))

    def show_error(self, exc: Exception) -> None:
        self.select_button.setEnabled(True)
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(error_text(exc))


class FieldCalculatorDialog(QDialog):
    """Set one field of every selected feature to a constant or an expression of its fields;
    a preview shows the first values and problems before anything is written."""

    def __init__(self, layer: Layer, catalogue: Catalogue, features: list[Feature],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer, self.catalogue, self.features = layer, catalogue, features
        self.setWindowTitle(tr("Field calculator"))
        self.field = QComboBox()
        for f in layer.fields:
            if not f.derived:
                self.field.addItem(f"{f.name} — {f.label(lang())}", f.name)
        self.constant, self.formula = QRadioButton(tr("Constant value")), QRadioButton(tr("Expression"))
        self.constant.setChecked(True)
        self.value = QLineEdit()
        self.fields = FieldList(layer, self.value)
        self.preview, self.problem = QLabel(), QLabel()
        self.preview.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.buttons = _buttons(self, tr("Apply to {} features").format(len(features)))
        for signal in (self.field.currentIndexChanged, self.constant.toggled, self.value.textChanged):
            signal.connect(self.check)
        self._lay_out()
        self.resize(720, 480)
        self.check()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("{} selected features of {}").format(len(self.features), self.layer.name(lang()))))
        form = QFormLayout()
        form.addRow(tr("Field to set"), self.field)
        kind = QHBoxLayout()
        kind.addWidget(self.constant)
        kind.addWidget(self.formula)
        kind.addStretch(1)
        form.addRow(tr("New value"), kind)
        form.addRow("", self.value)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("Fields (double-click to insert); join text with ||, e.g. XZQMC || '-' || BSM")))
        layout.addWidget(self.fields, 1)
        layout.addWidget(self.preview)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def choice(self) -> tuple[str, str, bool]:
        """(field, text, is a constant)."""
        return self.field.currentData(), self.value.text(), self.constant.isChecked()

    def check(self) -> bool:
        """Compute the first few values and check them against the catalogue."""
        name, text, constant = self.choice()
        sample = self.features[:PREVIEW_ROWS]
        try:
            values = calculate(self.layer, sample, name, text, constant)
        except E.ExpressionError as exc:
            return self._show([], error_text(exc))
        columns = {n: [f.attrs.get(n) for f in sample] for n in self.layer.field_names}
        columns[name] = values
        _, problems = prepare_columns(self.layer, self.catalogue, columns, len(sample))
        mine = [p for rows in problems.values() for p in rows if p.field == name]
        return self._show(values, mine[0].text(lang()) if mine else "")

    def _show(self, values: list, problem: str) -> bool:
        shown = ", ".join("∅" if v is None else str(v) for v in values)
        self.preview.setText(tr("Preview: {}").format(shown) if values else "")
        self.problem.setText(problem)
        ok = not problem
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok


def move_cursor_to(edit: QPlainTextEdit, position: int) -> None:
    cursor = edit.textCursor()
    cursor.setPosition(position, QTextCursor.MoveMode.MoveAnchor)
    edit.setTextCursor(cursor)
