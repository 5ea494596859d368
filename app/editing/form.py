"""The state behind an attribute form or a table cell edit: values, read-only-ness and the
problems the core's validation finds, per field, in the user's language."""

from __future__ import annotations

from app.editing.events import Event
from app.model.catalogue import Catalogue, Field, Layer
from app.model.feature import Feature
from app.model.validation import Problem, coerce, validate_feature
from app.project.features import derive

GEOMETRY_KEY = ""  # problems about the geometry or the feature as a whole


def field_problems(layer: Layer, catalogue: Catalogue, attrs: dict, geometry=None) -> dict[str, list[Problem]]:
    """Problems by field name (GEOMETRY_KEY for the rest) of `attrs` (and `geometry` if given)."""
    _, problems = validate_feature(layer, catalogue, attrs, geometry)
    out: dict[str, list[Problem]] = {}
    for problem in problems:
        if geometry is None and problem.field is None:
            continue  # no geometry given: its problems are not this form's business
        out.setdefault(problem.field or GEOMETRY_KEY, []).append(problem)
    return out


def editable_fields(layer: Layer) -> list[Field]:
    """Fields a person types in (derived ones are computed from the geometry)."""
    return [f for f in layer.fields if not f.derived]


def parse(field: Field, text: str):
    """A typed value from what was typed; ValueError when it cannot be one."""
    text = text.strip()
    return None if text == "" else coerce(field, text)


TYPE_NAMES = {"integer": ("an integer", "整数"), "real": ("a number", "数值"),
              "date": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"), "text": ("text", "文本")}


def type_problem(field: Field) -> Problem:
    en, zh = TYPE_NAMES.get(field.type, (field.type, field.type))
    return Problem("type", f"{field.name} must be {en}", f"{field.label_zh}应为{zh}", field.name)


class FormModel:
    """One feature's attributes being edited; events: value_changed(name, value), problems_changed."""

    def __init__(self, layer: Layer, catalogue: Catalogue, feature: Feature | None = None,
                 read_only: bool = False, geometry=None) -> None:
        self.layer, self.catalogue, self.feature = layer, catalogue, feature
        self.read_only = read_only
        self.geometry = feature.geometry if feature else geometry
        self.values: dict[str, object] = dict(feature.attrs) if feature else \
            {f.name: f.default for f in layer.fields if f.default is not None}
        if feature is None and geometry is not None:
            self.values = derive(layer, self.values, geometry)  # show the area/length it will get
        self.problems: dict[str, list[Problem]] = {}
        self._unparsable: dict[str, Problem] = {}  # typed text that is not of the field's type
        self.value_changed = Event()
        self.problems_changed = Event()

    @property
    def is_new(self) -> bool:
        return self.feature is None

    def set(self, name: str, value) -> None:
        """UI -> model: a field's new value; revalidates."""
        if self.read_only or self.values.get(name) == value:
            return
        self.values[name] = value
        self.value_changed.emit(name, value)
        self.validate()

    def set_text(self, name: str, text: str) -> None:
        """UI -> model from a text editor: parsed to the field's type, or a problem if it cannot be."""
        field = self.layer.field(name)
        try:
            value = parse(field, text)
        except ValueError:
            self._unparsable[name] = type_problem(field)
            self.validate()
            return
        self._unparsable.pop(name, None)
        self.set(name, value)
        self.validate()

    def validate(self) -> bool:
        """Recompute problems; True when there are none."""
        self.problems = field_problems(self.layer, self.catalogue, self.values, self.geometry)
        for name, problem in self._unparsable.items():
            self.problems[name] = [problem]
        self.problems_changed.emit(self.problems)
        return not self.problems

    def changed_attrs(self) -> dict:
        """Attributes that differ from the stored feature (all typed ones for a new feature)."""
        names = {f.name for f in editable_fields(self.layer)}
        if self.feature is None:
            return {k: v for k, v in self.values.items() if k in names and v not in (None, "")}
        return {k: v for k, v in self.values.items() if k in names and self.feature.attrs.get(k) != v}

    def replace_feature(self, feature: Feature) -> None:
        """Model -> UI: the stored feature changed (undo, sync); show its values."""
        self.feature, self.geometry = feature, feature.geometry
        for name, value in feature.attrs.items():
            if self.values.get(name) != value:
                self.values[name] = value
                self.value_changed.emit(name, value)
        self.validate()
