"""The state behind an attribute form or a table cell edit: values, read-only-ness and the
problems the core's validation finds, per field, in the user's language."""

from __future__ import annotations

from app.editing.events import Event
from app.model.catalogue import Catalogue, Field, Layer
from app.model.feature import Feature
from app.model.validation import Problem, check_record, check_unique, coerce, validate_feature
from app.project.features import derive

GEOMETRY_KEY = ""  # problems about the geometry or the feature as a whole


def field_problems(layer: Layer, catalogue: Catalogue, attrs: dict, geometry=None,
                   taken=None) -> dict[str, list[Problem]]:
    """Problems by field name (GEOMETRY_KEY for the rest) of `attrs` (and `geometry` if given),
    with the cross-field checks (code formats, code/name pairs) and, given `taken(field, value)`
    (another feature of the layer has it), identifiers unique within the layer."""
    coerced, problems = validate_feature(layer, catalogue, attrs, geometry)
    problems += check_record(layer, catalogue, coerced)
    if taken is not None:
        problems += check_unique(layer, coerced, taken)
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


M2_PER_HECTARE = 10_000.0


def is_area(field: Field) -> bool:
    """An area in m²: derived from the geometry, or a real field named …MJ (面积) by the specs."""
    return field.derived == "area_m2" or (field.type == "real" and field.name.upper().endswith("MJ"))


def area_text(m2: float, lang: str = "zh") -> str:
    """'312,450 m² (31.25 公顷)': whole m² (two decimals below 100 m²), hectares as planners read them."""
    hectare = "公顷" if lang == "zh" else "ha"
    return f"{m2:,.{2 if abs(m2) < 100 else 0}f} m² ({m2 / M2_PER_HECTARE:,.2f} {hectare})"


def shown_value(field: Field, value, lang: str = "zh") -> str:
    """A value as a read-only display shows it: areas with units, lengths in metres."""
    if value is None:
        return ""
    if isinstance(value, int | float) and is_area(field):
        return area_text(float(value), lang)
    if isinstance(value, int | float) and field.derived == "length_m":
        return f"{value:,.1f} m"
    return str(value)


def code_choices(catalogue: Catalogue, field: Field, lang: str = "zh") -> list[tuple[str, str]]:
    """(code, 'code name') of a code-list field, in the list's order, for a searchable picker."""
    codes = catalogue.codelist(field.codelist).codes  # type: ignore[arg-type]  # a code-list field has its list
    return [(code, f"{code} {zh if lang == 'zh' else en}") for code, (zh, en) in codes.items()]


def with_paired_name(layer: Layer, catalogue: Catalogue, name: str, value) -> dict:
    """{name: value}, plus the paired name field filled from the code list when `value` is one of
    its codes (choosing 0701 writes 城镇住宅用地 into YDYHFLMC)."""
    out = {name: value}
    partner = layer.paired_name(name)
    names = catalogue.codelist(layer.field(name).codelist).codes.get(value) if partner else None  # type: ignore[arg-type]  # a code-list field has its list
    if partner and names is not None:
        out[partner] = names[0]  # the standard's names are Chinese, whatever the interface language
    return out


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
        # (field, value) -> True when another feature of the layer has it; set by the view that
        # knows the FeatureStore (None: identifiers are not checked for uniqueness).
        self.taken = None

    @property
    def is_new(self) -> bool:
        return self.feature is None

    def set(self, name: str, value) -> None:
        """UI -> model: a field's new value (a code also fills its paired name); revalidates."""
        if self.read_only or self.values.get(name) == value:
            return
        for key, new in with_paired_name(self.layer, self.catalogue, name, value).items():
            self._unparsable.pop(key, None)
            if self.values.get(key) != new:
                self.values[key] = new
                self.value_changed.emit(key, new)
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
        self.problems = field_problems(self.layer, self.catalogue, self.values, self.geometry, self.taken)
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
