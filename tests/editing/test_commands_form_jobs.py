"""Edit commands against a real project (do / undo / redo land in pending changes), the form
model's validation, and the worker's history jobs."""

from __future__ import annotations

import shapely

from app.editing import jobs
from app.editing.commands import AddFeature, DeleteFeatures, UpdateFeature
from app.editing.form import FormModel
from app.project import history
from app.project.features import get_feature

RED = {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "东滩"}
SQUARE = shapely.MultiPolygon([shapely.box(121.0, 31.0, 121.05, 31.05)])


def test_add_undo_redo_keeps_the_uuid(project):
    command = AddFeature("STBHHX", RED, SQUARE)
    [(_, uuid, feature)] = command.do(project)
    assert feature.attrs["MJ"] > 0  # derived by the core
    assert command.undo(project) == [("STBHHX", uuid, None)]
    assert project.count("STBHHX") == 0 and history.pending(project) == []
    command.do(project)
    assert get_feature(project, "STBHHX", uuid).attrs["HXMC"] == "东滩"
    assert [c.op for c in history.pending(project)] == ["insert"]


def test_update_and_delete_undo_restore_the_feature(project):
    [(_, uuid, before)] = AddFeature("STBHHX", RED, SQUARE).do(project)
    history.commit(project, "add")
    edit = UpdateFeature(before, {"HXMC": "新"}, shapely.MultiPolygon([shapely.box(121, 31, 121.1, 31.1)]))
    [(_, _, after)] = edit.do(project)
    assert after.attrs["HXMC"] == "新" and after.attrs["MJ"] > before.attrs["MJ"]
    edit.undo(project)
    assert get_feature(project, "STBHHX", uuid).attrs == before.attrs
    delete = DeleteFeatures([before])
    delete.do(project)
    assert project.count("STBHHX") == 0
    delete.undo(project)
    # Back exactly where it was committed, creation stamps included: nothing pending.
    assert history.pending(project) == []
    assert get_feature(project, "STBHHX", uuid).attrs == before.attrs


def test_form_model_validates_per_field(project):
    layer = project.layer("STBHHX")
    model = FormModel(layer, project.catalogue, None, geometry=SQUARE)
    seen = []
    model.problems_changed.connect(seen.append)
    assert not model.validate()
    assert {"BSM", "XZQDM", "XZQMC"} <= set(model.problems) and model.values["MJ"] > 0
    for name in ("BSM", "XZQDM", "XZQMC"):
        model.set_text(name, RED[name])
    assert model.problems == {} and seen[-1] == {}
    model.set_text("BSM", "x" * 40)  # longer than the field allows
    assert model.problems["BSM"][0].code == "too-long"
    assert "标识码" in model.problems["BSM"][0].text("zh")


def test_form_model_read_only_and_replace(project):
    [(_, _, feature)] = AddFeature("STBHHX", RED, SQUARE).do(project)
    model = FormModel(project.layer("STBHHX"), project.catalogue, feature, read_only=True)
    model.set("HXMC", "改")
    assert model.values["HXMC"] == "东滩"  # read-only ignores edits
    changed = []
    model.value_changed.connect(lambda *a: changed.append(a))
    [(_, _, newer)] = UpdateFeature(feature, {"HXMC": "新"}).do(project)
    model.replace_feature(newer)
    assert ("HXMC", "新") in changed


def test_snapshot_and_commit_jobs(project):
    AddFeature("STBHHX", RED, SQUARE).do(project)
    snap = jobs.snapshot(project)
    assert len(snap.pending) == 1 and snap.outbox == 0 and snap.remote is None
    snap = jobs.commit(project, "红线")
    assert snap.pending == () and snap.outbox == 1 and snap.log[0].changeset.message == "红线"


PARCEL = {"BSM": "A1", "YSDM": "2090020620", "XZQDM": "310000", "XZQMC": "上海市",
          "YDYHFLDM": "0701", "YDYHFLMC": "城镇住宅用地"}


def parcel_form(attrs: dict | None = None, taken=None) -> FormModel:
    from app.model.catalogue import load_catalogue
    from app.model.feature import Feature

    catalogue = load_catalogue()
    feature = Feature("GHYDYH", "p1", "310000", {**PARCEL, **(attrs or {})}, SQUARE)
    model = FormModel(catalogue.layer("GHYDYH"), catalogue, feature)
    model.taken = taken
    return model


def test_choosing_a_code_fills_its_name():
    model, seen = parcel_form(), []
    model.value_changed.connect(lambda *a: seen.append(a))
    model.set("YDYHFLDM", "1001")
    assert model.values["YDYHFLMC"] == "工业用地" and ("YDYHFLMC", "工业用地") in seen
    assert model.validate() and model.changed_attrs() == {"YDYHFLDM": "1001", "YDYHFLMC": "工业用地"}


def test_code_and_name_must_match():
    model = parcel_form({"YDYHFLDM": "0805"})
    model.set_text("YDYHFLMC", "工业用地")  # 0805 is 体育用地
    [problem] = model.problems["YDYHFLMC"]
    assert problem.code == "code-name" and "0805" in problem.text("zh") and "体育用地" in problem.text("zh")
    model.set_text("YDYHFLMC", "Sports")  # the English name of the class is accepted too
    assert "YDYHFLMC" not in model.problems


def test_xzqdm_is_a_6_9_or_12_digit_code():
    model = parcel_form()
    for text, ok in (("abc", False), ("31000", False), ("310000", True), ("310000001", True),
                     ("310000001001", True), ("3100000010", False)):
        model.set_text("XZQDM", text)
        assert ("XZQDM" not in model.problems) is ok, text
    model.set_text("XZQDM", "abc")
    assert model.problems["XZQDM"][0].text("en").startswith("XZQDM (Administrative division code)")


def test_bsm_unique_within_the_layer():
    others = {"A2": "p2"}  # BSM -> uuid of another parcel
    model = parcel_form(taken=lambda field, value: field == "BSM" and value in others)
    model.set_text("BSM", "A2")
    assert model.problems["BSM"][0].code == "duplicate"
    model.set_text("BSM", "A1")
    assert "BSM" not in model.problems


def test_store_knows_who_holds_a_value():
    from app.editing.store import FeatureStore
    from app.model.feature import Feature

    store = FeatureStore()
    store.reset({"GHYDYH": [Feature("GHYDYH", f"p{i}", "310000", {"BSM": f"A{i}"}, SQUARE) for i in range(3)]})
    assert store.taken("GHYDYH", "BSM", "A1") and not store.taken("GHYDYH", "BSM", "A1", "p1")
    store.put(Feature("GHYDYH", "p1", "310000", {"BSM": "B"}, SQUARE))  # the index follows edits
    assert not store.taken("GHYDYH", "BSM", "A1") and store.taken("GHYDYH", "BSM", "B", "p0")


def test_record_checks_and_duplicates_in_a_batch():
    from app.model.catalogue import load_catalogue
    from app.model.validation import check_record, duplicates

    catalogue = load_catalogue()
    layer = catalogue.layer("GHYDYH")
    assert check_record(layer, catalogue, PARCEL) == []
    codes = [p.code for p in check_record(layer, catalogue, {**PARCEL, "XZQDM": "abc", "YDYHFLMC": "水田"})]
    assert codes == ["format", "code-name"]
    assert layer.paired_name("YDYHFLDM") == "YDYHFLMC" and layer.paired_name("XZQDM") is None
    assert duplicates(["a", "b", "a", None, None, "c"]) == [0, 2]


def test_area_text_for_planners():
    from app.editing.form import area_text, shown_value
    from app.model.catalogue import load_catalogue

    assert area_text(312_450) == "312,450 m² (31.25 公顷)"
    assert area_text(312_450, "en") == "312,450 m² (31.25 ha)"
    assert area_text(56.5) == "56.50 m² (0.01 公顷)"
    tbmj = load_catalogue().layer("GHYDYH").field("TBMJ")
    assert shown_value(tbmj, 312_450.0) == "312,450 m² (31.25 公顷)" and shown_value(tbmj, None) == ""
