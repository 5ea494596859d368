"""Forms and the attribute table as planners fill them: searchable code-list pickers that fill
the name from the code, code/name pairs, XZQDM format and BSM unique within the layer checked
as typed (form) or refused (table), areas with units. Both directions: UI -> model and
model -> UI, on the real widgets and in the real window."""

from __future__ import annotations

import dataclasses

import pytest
import shapely
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from app.editing.form import FormModel
from app.editing.selection import Selection
from app.editing.store import FeatureStore
from app.model.catalogue import load_catalogue
from app.model.feature import Feature
from app.project.features import add_feature
from app.project.history import commit
from app.project.project import Project
from app.views.attribute_table import AttributeTable
from app.views.feature_form import CodeDelegate, CodePicker, FeatureForm
from tests.views.conftest import open_and_wait, wait_idle

CATALOGUE = load_catalogue()
LAYER = CATALOGUE.layer("GHYDYH")
SQUARE = shapely.MultiPolygon([shapely.box(121.0, 31.0, 121.005, 31.005)])


def parcel(i: int, **attrs) -> Feature:
    base = {"BSM": f"A{i}", "YSDM": "2090020620", "XZQDM": "310000", "XZQMC": "上海市",
            "YDYHFLDM": "0701", "YDYHFLMC": "城镇住宅用地", "TBMJ": 312_450.0}
    return Feature("GHYDYH", f"p{i}", "310000", {**base, **attrs}, SQUARE)


@pytest.fixture
def store():
    s = FeatureStore()
    s.reset({"GHYDYH": [parcel(0), parcel(1), parcel(2, YDYHFLDM="0805", YDYHFLMC="体育用地")]})
    return s


@pytest.fixture
def form(qtbot, store):
    widget = FeatureForm(taken=store.taken)
    qtbot.addWidget(widget)
    widget.show()
    widget.set_model(FormModel(LAYER, CATALOGUE, store.get("GHYDYH", "p0")))
    return widget


def test_code_picker_searches_by_code_or_name(qtbot, form):
    picker = form.editors["YDYHFLDM"].editor
    assert isinstance(picker, CodePicker) and picker.currentText() == "0701 城镇住宅用地"
    completer = picker.completer()
    for needle in ("住宅", "0701"):
        completer.setCompletionPrefix(needle)
        found = [completer.completionModel().index(r, 0).data() for r in range(completer.completionCount())]
        assert "0701 城镇住宅用地" in found and all(needle in text for text in found)


def test_choosing_a_code_fills_the_name_and_back(qtbot, form):
    model, picker = form.model, form.editors["YDYHFLDM"].editor
    picker.setCurrentIndex(picker.findData("1001"))  # UI -> model
    assert model.values["YDYHFLDM"] == "1001" and model.values["YDYHFLMC"] == "工业用地"
    assert form.editors["YDYHFLMC"].editor.text() == "工业用地" and form.save_button.isEnabled()
    picker.lineEdit().setText("0805")  # typed, then Enter / focus out: the item with that code
    picker.lineEdit().editingFinished.emit()
    assert model.values["YDYHFLDM"] == "0805" and model.values["YDYHFLMC"] == "体育用地"
    model.replace_feature(parcel(0, YDYHFLDM="1401", YDYHFLMC="公园绿地"))  # model -> UI
    assert picker.currentData() == "1401"


def test_code_name_mismatch_is_shown(qtbot, form):
    form.editors["YDYHFLDM"].editor.setCurrentIndex(form.editors["YDYHFLDM"].editor.findData("0805"))
    form.editors["YDYHFLMC"].editor.textEdited.emit("工业用地")  # 0805 is 体育用地
    error = form.editors["YDYHFLMC"].error
    assert not error.isHidden() and "0805" in error.text() and "体育用地" in error.text()
    assert not form.save_button.isEnabled()


def test_a_typed_text_that_is_no_code_is_a_problem(qtbot, form):
    picker = form.editors["YDYHFLDM"].editor
    picker.lineEdit().setText("9999")
    picker.lineEdit().editingFinished.emit()
    assert "9999" in form.editors["YDYHFLDM"].error.text() and not form.save_button.isEnabled()


def test_xzqdm_format_and_bsm_unique(qtbot, form):
    form.editors["XZQDM"].editor.textEdited.emit("abc")
    assert "6、9 或 12 位数字" in form.editors["XZQDM"].error.text()
    form.editors["XZQDM"].editor.textEdited.emit("310115")
    assert form.editors["XZQDM"].error.isHidden()
    form.editors["BSM"].editor.textEdited.emit("A1")  # parcel 1's
    assert "已被使用" in form.editors["BSM"].error.text() and not form.save_button.isEnabled()
    form.editors["BSM"].editor.textEdited.emit("A0")  # its own
    assert form.editors["BSM"].error.isHidden() and form.save_button.isEnabled()


def test_areas_show_units_and_hectares(qtbot, form):
    assert form.editors["TBMJ"].editor.text() == "312,450 m² (31.25 公顷)"
    assert form.editors["TBMJ"].editor.isReadOnly() or not form.editors["TBMJ"].editor.isEnabled()
    form.editors["TBDLMJ"].editor.textEdited.emit("150000")
    assert form.model.values["TBDLMJ"] == 150_000.0  # stored in m², unchanged
    assert form.editors["TBDLMJ"].hint.text() == "150,000 m² (15.00 公顷)"


@pytest.fixture
def table(qtbot, store):
    widget = AttributeTable(store, Selection())
    qtbot.addWidget(widget)
    widget.model.set_layer(LAYER, CATALOGUE, "310000", "editor")
    return widget


def test_table_code_cells_use_the_picker_and_fill_the_name(qtbot, table):
    model, view = table.model, table.view
    column = model.columns().index("YDYHFLDM")
    delegate = view.itemDelegateForColumn(column)
    assert isinstance(delegate, CodeDelegate)
    index = model.index(0, column)
    editor = delegate.createEditor(view.viewport(), QStyleOptionViewItem(), index)
    delegate.setEditorData(editor, index)  # model -> editor
    assert editor.currentData() == "0701"
    editor.setCurrentIndex(editor.findData("1001"))
    with qtbot.waitSignal(model.edit_requested) as blocker:
        delegate.setModelData(editor, model, index)  # editor -> edit request
    assert blocker.args[1] == {"YDYHFLDM": "1001", "YDYHFLMC": "工业用地"}


@pytest.mark.parametrize(("name", "value", "says"), [
    ("YDYHFLMC", "工业用地", "不符"),  # parcel 2 is 0805 体育用地
    ("XZQDM", "abc", "位数字"),
    ("BSM", "A0", "已被使用"),
    ("YDYHFLDM", "9999", "不在代码表"),
])
def test_table_refuses_bad_cells(qtbot, table, name, value, says):
    model = table.model
    with qtbot.waitSignal(model.edit_refused) as blocker:
        assert not model.setData(model.index(2, model.columns().index(name)), value)
    assert says in blocker.args[0] and says in table.status.text()


def test_table_area_column_has_its_unit(qtbot, table, store):
    model = table.model
    column = model.columns().index("TBMJ")
    assert model.headerData(column, Qt.Orientation.Horizontal).endswith("(m²)")
    assert model.data(model.index(0, column)) == "312,450"
    assert model.data(model.index(0, column), Qt.ItemDataRole.EditRole) == 312_450.0  # the stored value
    assert model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole) == "312,450 m² (31.25 公顷)"
    store.put(dataclasses.replace(parcel(0), attrs={**parcel(0).attrs, "TBMJ": 56.5}))  # model -> UI
    assert model.data(model.index(0, column)) == "56.50"


def parcel_project(path):
    with Project.create(path, "310000", "上海市", author="tester") as p:
        for i, (x, code, name) in enumerate(((121.0, "0701", "城镇住宅用地"), (121.1, "1001", "工业用地"))):
            add_feature(p, "GHYDYH", {**parcel(i).attrs, "YDYHFLDM": code, "YDYHFLMC": name},
                        shapely.box(x, 31.0, x + 0.01, 31.01))
        commit(p, "parcels")
    return path


def test_window_form_picks_a_code_and_saves(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, parcel_project(tmp_path / "parcels.sqlite"))
    window.tree.select_layer("GHYDYH")
    first = next(f for f in window.store.layers["GHYDYH"].features.values() if f.attrs["BSM"] == "A0")
    window.selection.set("GHYDYH", [first.uuid])
    form = window.form
    form.editors["BSM"].editor.textEdited.emit("A1")  # the other parcel's: refused as typed
    assert not form.editors["BSM"].error.isHidden() and not form.save_button.isEnabled()
    form.editors["BSM"].editor.textEdited.emit("A0")
    picker = form.editors["YDYHFLDM"].editor
    picker.setCurrentIndex(picker.findData("0702"))
    assert form.editors["YDYHFLMC"].editor.text() == "城镇社区服务设施用地"
    form.save_button.click()
    qtbot.waitUntil(lambda: window.store.get("GHYDYH", first.uuid).attrs["YDYHFLDM"] == "0702", timeout=30_000)
    assert window.store.get("GHYDYH", first.uuid).attrs["YDYHFLMC"] == "城镇社区服务设施用地"
    wait_idle(qtbot, window)
