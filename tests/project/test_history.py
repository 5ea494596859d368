import shutil
import tempfile
from pathlib import Path

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import ConflictError, InvalidInput, NotFound, NothingToDo
from app.project import features as F
from app.project import history as H
from app.project import tracking
from app.project.project import Project

RED_LINE = {"BSM": "310000000001", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "东滩"}


def box(i: float) -> shapely.Polygon:
    return shapely.box(121.0 + i / 100, 31.0, 121.005 + i / 100, 31.005)


def snapshot(project: Project, *, exact: bool = False) -> dict:
    """Content of every layer: uuid -> (owner, attrs, WKB); `exact` adds keys and edit stamps."""
    state = {}
    for layer in project.layers():
        for f in F.iter_features(project, layer.code):
            value = (f.owner, tuple(sorted(f.attrs.items())), f.geometry.wkb_hex)
            state[(layer.code, f.uuid)] = value + ((f.fid, f.modified_by, f.modified_at) if exact else ())
    return state


def test_edits_are_pending_until_committed(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    assert [(c.op, c.uuid) for c in H.pending(project)] == [("insert", a.uuid)]
    cs = H.commit(project, "add red line")
    assert H.pending(project) == []
    assert [e.changeset.id for e in H.log(project)] == [cs.id]
    assert H.log(project)[0].counts == {"insert": 1} and H.log(project)[0].state == "local"


def test_update_records_only_changed_columns(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    H.commit(project, "add")
    F.update_feature(project, "STBHHX", a.uuid, {"HXMC": "西滩"})
    [change] = H.pending(project)
    assert change.op == "update" and change.cols == {"HXMC": ("东滩", "西滩")}


def test_geometry_travels_as_wkb_hex(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    H.commit(project, "add")
    F.update_feature(project, "STBHHX", a.uuid, geom=box(2))
    [change] = H.pending(project)
    old, new = change.cols["geom"]
    assert shapely.from_wkb(bytes.fromhex(old)).equals(box(1))
    assert shapely.from_wkb(bytes.fromhex(new)).equals(box(2))
    assert "MJ" not in change.cols  # same size box: the derived area did not change


def test_edit_and_edit_back_is_no_change(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    H.commit(project, "add")
    F.update_feature(project, "STBHHX", a.uuid, {"HXMC": "x"})
    F.update_feature(project, "STBHHX", a.uuid, {"HXMC": "东滩"})
    assert H.pending(project) == []


def test_commit_needs_changes_and_a_message(project):
    with pytest.raises(NothingToDo):
        H.commit(project, "nothing")
    F.add_feature(project, "STBHHX", RED_LINE, box(1))
    with pytest.raises(InvalidInput):
        H.commit(project, "  ")


def test_suppressed_capture_still_updates_the_spatial_index(project):
    layer = project.layer("STBHHX")
    with project.db.atomic(), tracking.capture_suppressed(project.db):
        F.add_feature(project, "STBHHX", RED_LINE, box(1))
    assert H.pending(project) == []
    assert len(list(F.iter_features(project, "STBHHX", bbox=(121.0, 31.0, 121.02, 31.01)))) == 1
    assert tracking.dirty_count(project.db, layer) == 0
    capture = project.db.execute("SELECT capture FROM coplan_state").fetchone()[0]
    assert capture == 1


def test_capture_suppression_needs_a_transaction(project):
    with pytest.raises(RuntimeError):
        with tracking.capture_suppressed(project.db):
            pass


def test_audit_catches_writes_that_bypassed_capture(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    H.commit(project, "add")
    # Another tool edits the file with the triggers dropped.
    project.db.execute('DROP TRIGGER "coplan_capture_STBHHX_update"')
    project.db.execute('UPDATE "STBHHX" SET "HXMC" = ? WHERE uuid = ?', ("改", a.uuid))
    assert H.pending(project) == []
    assert H.audit(project) == 1
    [change] = H.pending(project)
    assert change.cols == {"HXMC": ("东滩", "改")}
    assert H.audit(project) == 0  # idempotent


def test_audit_catches_bypassed_insert_and_delete(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    H.commit(project, "add")
    with project.db.atomic(), tracking.capture_suppressed(project.db):
        project.db.execute('DELETE FROM "STBHHX" WHERE uuid = ?', (a.uuid,))
        F.add_feature(project, "STBHHX", RED_LINE, box(3))
    # SQLite may give the new row the deleted row's key; the UUIDs still tell them apart.
    assert H.audit(project) >= 1
    assert sorted(c.op for c in H.pending(project)) == ["delete", "insert"]


def test_revert_commits_the_inverse(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    H.commit(project, "add")
    F.update_feature(project, "STBHHX", a.uuid, {"HXMC": "改"})
    cs = H.commit(project, "rename")
    inverse = H.revert(project, cs.id)
    assert F.get_feature(project, "STBHHX", a.uuid).attrs["HXMC"] == "东滩"
    assert inverse.changes[0].cols == {"HXMC": ("改", "东滩")}
    assert inverse.message.startswith('Revert "rename"')


def test_revert_refuses_over_later_edits(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    H.commit(project, "add")
    F.update_feature(project, "STBHHX", a.uuid, {"HXMC": "one"})
    first = H.commit(project, "one")
    F.update_feature(project, "STBHHX", a.uuid, {"HXMC": "two"})
    H.commit(project, "two")
    with pytest.raises(ConflictError, match="changed since"):
        H.revert(project, first.id)
    assert F.get_feature(project, "STBHHX", a.uuid).attrs["HXMC"] == "two"


def test_revert_refuses_with_uncommitted_changes(project):
    F.add_feature(project, "STBHHX", RED_LINE, box(1))
    cs = H.commit(project, "add")
    F.add_feature(project, "STBHHX", RED_LINE, box(2))
    with pytest.raises(ConflictError, match="uncommitted"):
        H.revert(project, cs.id)


def test_changeset_lookup(project):
    F.add_feature(project, "STBHHX", RED_LINE, box(1))
    cs = H.commit(project, "add")
    assert H.changeset(project, cs.id).id == cs.id
    assert H.changeset(project, cs.id[:23]).id == cs.id
    with pytest.raises(NotFound):
        H.changeset(project, "ffffffff")
    with pytest.raises(InvalidInput):
        H.changeset(project, "01")


# --- property tests: random edits, then revert / discard restore the previous state exactly

edits = st.lists(st.tuples(st.sampled_from(["add", "rename", "move", "delete"]),
                           st.integers(0, 9), st.text("东西南北中ab", max_size=6)),
                 min_size=1, max_size=15)


def run_edits(project: Project, steps) -> None:
    for op, i, text in steps:
        uuids = [f.uuid for f in F.iter_features(project, "STBHHX")]
        if op == "add" or not uuids:
            F.add_feature(project, "STBHHX", {**RED_LINE, "HXMC": text or None}, box(i))
        elif op == "rename":
            F.update_feature(project, "STBHHX", uuids[i % len(uuids)], {"HXMC": text or None})
        elif op == "move":
            F.update_feature(project, "STBHHX", uuids[i % len(uuids)], geom=box(i + 0.5))
        else:
            F.delete_feature(project, "STBHHX", uuids[i % len(uuids)])


@pytest.fixture
def fresh_copy(template_project):
    """A factory of fresh project copies usable inside one hypothesis example."""
    folder = Path(tempfile.mkdtemp())

    def make() -> Project:
        path = folder / f"p{len(list(folder.iterdir()))}.sqlite"
        shutil.copy(template_project, path)
        return Project.open(path, author="tester")

    yield make
    shutil.rmtree(folder)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=edits, after=edits)
def test_revert_restores_the_previous_state(fresh_copy, before, after):
    with fresh_copy() as project:
        run_edits(project, before)
        if H.pending(project):
            H.commit(project, "before")
        expected = snapshot(project)
        run_edits(project, after)
        if not H.pending(project):
            return
        cs = H.commit(project, "after")
        H.revert(project, cs.id)
        assert snapshot(project) == expected
        assert H.pending(project) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=edits, after=edits)
def test_discard_restores_the_last_commit_exactly(fresh_copy, before, after):
    with fresh_copy() as project:
        run_edits(project, before)
        if H.pending(project):
            H.commit(project, "before")
        expected = snapshot(project, exact=True)
        run_edits(project, after)
        H.discard(project)
        assert snapshot(project, exact=True) == expected
        assert H.pending(project) == []
        # The spatial index was restored too: every feature is found by its own box.
        for (code, uuid), _ in expected.items():
            bounds = F.get_feature(project, code, uuid).geometry.bounds
            assert uuid in {f.uuid for f in F.iter_features(project, code, bbox=bounds)}


# --- the change log's listing rows and diffs


def test_pending_rows_name_features_by_bsm_and_name(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    b = F.add_feature(project, "STBHHX", {**RED_LINE, "BSM": "310000000002", "HXMC": "西滩"}, box(2))
    # Made together, their UUIDv7s start alike: the label, not the uuid head, tells them apart.
    rows = H.pending_rows(project)
    assert [(r.op, r.label) for r in rows] == [("insert", "310000000001 东滩"), ("insert", "310000000002 西滩")]
    H.commit(project, "add")
    F.update_feature(project, "STBHHX", a.uuid, {"HXMC": "南滩"})
    [row] = H.pending_rows(project)
    assert (row.uuid, row.op, row.cols, row.label) == (a.uuid, "update", ("HXMC",), "310000000001 南滩")
    F.delete_feature(project, "STBHHX", b.uuid)
    assert [(r.op, r.label) for r in H.pending_rows(project)] == [("update", "310000000001 南滩"),
                                                                  ("delete", "310000000002 西滩")]


def test_label_fields_follow_the_catalogue(project):
    assert H.label_fields(project.layer("STBHHX")) == ("BSM", "HXMC")
    assert H.label_fields(project.layer("GHYDYH")) == ("BSM", "YDYHFLMC")
    assert H.label_fields(project.layer("SY")) == ("MC",)
    assert H.label_fields(project.layer("XZQ")) == ("BSM", "XZQMC")
    assert H.label_fields(project.layer("QYFZLD")) == ("LDBM", "LDMC")


def test_pending_change_carries_old_and_new_values(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    H.commit(project, "add")
    assert H.pending_change(project, "STBHHX", a.uuid) is None
    F.update_feature(project, "STBHHX", a.uuid, {"HXMC": "西滩"}, geom=box(2))
    change = H.pending_change(project, "STBHHX", a.uuid)
    assert change.op == "update" and change.cols["HXMC"] == ("东滩", "西滩") and "geom" in change.cols
    F.delete_feature(project, "STBHHX", a.uuid)
    assert H.pending_change(project, "STBHHX", a.uuid).op == "delete"


def test_feature_labels_of_a_committed_update_come_from_the_feature(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    H.commit(project, "add")
    F.update_feature(project, "STBHHX", a.uuid, {"HXLX": "湿地"})
    cs = H.commit(project, "type")
    assert H.feature_labels(project, cs.changes) == {a.uuid: "310000000001 东滩"}


def test_deleted_and_put_back_lists_as_one_change(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, box(1))
    H.commit(project, "add")
    f = F.get_feature(project, "STBHHX", a.uuid)
    F.delete_feature(project, "STBHHX", a.uuid)
    F.add_feature(project, "STBHHX", {**RED_LINE, "HXMC": "回来"}, f.geometry, uuid=a.uuid,
                  created=(f.created_by, f.created_at))
    [row] = H.pending_rows(project)
    assert (row.op, row.cols) == ("update", ("HXMC",))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=edits, after=edits)
def test_pending_rows_agree_with_pending(fresh_copy, before, after):
    with fresh_copy() as project:
        run_edits(project, before)
        if H.pending(project):
            H.commit(project, "before")
        run_edits(project, after)
        expected = sorted((c.uuid, c.op, tuple(sorted(c.cols))) for c in H.pending(project))
        rows = sorted((r.uuid, r.op, tuple(sorted(r.cols))) for r in H.pending_rows(project))
        assert rows == expected
