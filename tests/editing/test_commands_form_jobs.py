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
