"""Opening a project file made with the previous catalogue (fixtures/layers-2026.11.1.json) adds
the new layers and fields, keeps the data, stays idempotent and atomic, and syncs afterwards."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import shapely

from app.errors import ProjectError
from app.model.catalogue import load_catalogue, parse_catalogue
from app.project import features as F
from app.project import history as H
from app.project import tracking, upgrade
from app.project.project import Project

OLD = Path(__file__).parent / "fixtures" / "layers-2026.11.1.json"
NEW_LAYERS = {"STZYXPJ", "NYSYXPJ", "CZSYXPJ", "ZTGNQ", "SD", "HHAX", "HAX", "KCZYKZX", "ZRBHD"}
DISTRICT = {"BSM": "320500001", "XZQDM": "320500", "XZQMC": "苏州市", "JQMC": "平江历史文化街区",
            "PZWH": "苏政复〔2004〕12号"}
AREA = shapely.box(120.62, 31.31, 120.64, 31.33)


@pytest.fixture(scope="module")
def old_catalogue():
    return parse_catalogue(json.loads(OLD.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def old_template(old_catalogue, tmp_path_factory) -> Path:
    """A project as the previous CoPlan made it: one committed feature, one uncommitted edit."""
    path = tmp_path_factory.mktemp("old") / "old.sqlite"
    with Project.create(path, "320500", "苏州市", author="old", catalogue=old_catalogue) as project:
        feature = F.add_feature(project, "LSWHJQ", DISTRICT, AREA)
        F.add_feature(project, "XMK_POINT", {"XMBH": "P1", "XMMC": "沪苏湖铁路", "XMLX": "JT",
                                             "QTDW": "苏州", "SJCS": "320500", "JSZT": "在建"},
                      shapely.Point(120.6, 31.3))
        H.commit(project, "before the new catalogue")
        F.update_feature(project, "LSWHJQ", feature.uuid, {"JQMC": "平江路历史文化街区"})
    return path


@pytest.fixture
def old_path(old_template, tmp_path) -> Path:
    path = tmp_path / "old.sqlite"
    shutil.copy(old_template, path)
    return path


def _columns(project: Project, table: str) -> set[str]:
    return {row[1] for row in project.db.execute(f"PRAGMA table_info('{table}')")}


def test_the_fixture_is_the_previous_catalogue_and_the_new_one_only_adds(old_catalogue):
    new = load_catalogue()
    assert (old_catalogue.version, new.version) == ("2026.11.1", "2026.12.1")
    for old_layer in old_catalogue.layers:
        layer = new.layer(old_layer.code)
        assert layer.geometry == old_layer.geometry
        for field in old_layer.fields:
            assert layer.field(field.name).type == field.type, (layer.code, field.name)
    assert {la.code for la in new.layers} - {la.code for la in old_catalogue.layers} == NEW_LAYERS


def test_open_adds_the_new_layers_and_fields(old_path):
    with Project.open(old_path) as project:
        assert {la.code for la in project.layers()} >= NEW_LAYERS
        assert len(project.layers()) == len(load_catalogue().layers)
        for code in NEW_LAYERS:
            assert project.count(code) == 0
            triggers = {r[0] for r in project.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (code,))}
            assert set(tracking.capture_triggers(project.layer(code))) <= triggers
            assert _columns(project, f"coplan_base_{code}") >= set(project.layer(code).field_names)
        assert "PZRQ" in _columns(project, "LSWHJQ")
        assert "PZRQ" in _columns(project, "coplan_base_LSWHJQ")
        assert project.meta("catalogue_version") == "2026.12.1"


def test_data_and_pending_edits_survive(old_path):
    with Project.open(old_path) as project:
        [district] = F.iter_features(project, "LSWHJQ")
        assert district.attrs["JQMC"] == "平江路历史文化街区"  # the uncommitted edit
        assert district.attrs["PZWH"] == DISTRICT["PZWH"] and district.attrs["PZRQ"] is None
        assert district.geometry.equals(AREA)
        assert project.count("XMK_POINT") == 1
        assert [(c.layer, c.op, set(c.cols)) for c in H.pending(project)] == [
            ("LSWHJQ", "update", {"JQMC"})]


def test_the_new_field_is_edited_captured_and_committed(old_path):
    with Project.open(old_path, author="new") as project:
        [district] = F.iter_features(project, "LSWHJQ")
        F.update_feature(project, "LSWHJQ", district.uuid, {"PZRQ": "20040918"})
        cs = H.commit(project, "approval date")
        [change] = [c for c in cs.changes if c.layer == "LSWHJQ"]
        assert change.cols["PZRQ"] == (None, "2004-09-18")
        F.add_feature(project, "ZRBHD", {"BSM": "1", "XZQDM": "320500", "XZQMC": "苏州市",
                                         "MC": "太湖国家湿地公园", "PZRQ": "2009-12-01"}, AREA)
        assert H.commit(project, "protected area").changes[0].layer == "ZRBHD"


def test_upgrade_is_idempotent(old_path):
    Project.open(old_path).close()
    with Project.open(old_path) as project:
        again = upgrade.pending(project.db, project.catalogue)
        assert not again.changed
        created = project.db.execute("SELECT code, created_at FROM coplan_layers").fetchall()
        assert upgrade.upgrade_catalogue(project.db, project.catalogue) == again
        assert project.db.execute("SELECT code, created_at FROM coplan_layers").fetchall() == created


def test_a_failed_upgrade_writes_nothing(old_path, monkeypatch):
    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(upgrade, "_add_column", fail)  # after the new layers were created
    with pytest.raises(OSError, match="disk full"):
        Project.open(old_path)
    with sqlite3.connect(old_path) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        layers = {r[0] for r in raw.execute("SELECT code FROM coplan_layers")}
        columns = {r[1] for r in raw.execute("PRAGMA table_info('LSWHJQ')")}
    assert not NEW_LAYERS & tables and not NEW_LAYERS & layers and "PZRQ" not in columns


def test_a_foreign_table_with_a_new_layers_name_is_named(old_path):
    with sqlite3.connect(old_path) as raw:
        raw.execute("CREATE TABLE SD (id INTEGER PRIMARY KEY, name TEXT)")  # made in QGIS
    with pytest.raises(ProjectError, match="table SD that is not CoPlan's layer SD"):
        Project.open(old_path)


def test_a_read_only_old_file_opens_without_the_new_fields_only_if_it_can(old_path, monkeypatch):
    from app.errors import ReadOnlyProject
    from app.project import db

    monkeypatch.setattr(db.os, "access", lambda path, mode: False)
    with pytest.raises(ReadOnlyProject, match="new catalogue fields .*LSWHJQ.PZRQ"):
        Project.open(old_path)


def test_tracking_is_complete_on_the_new_layers(old_path):
    with Project.open(old_path) as project:
        layer = project.layer("HAX")
        F.add_feature(project, "HAX", {"BSM": "1", "XZQDM": "320600", "XZQMC": "南通市",
                                       "AXLX": "自然岸线"},
                      shapely.MultiLineString([[(121.5, 32.0), (121.6, 32.1)]]))
        assert project.db.execute(
            f"SELECT count(*) FROM {tracking.dirty_table(layer)}").fetchone()[0] == 1
        [feature] = F.iter_features(project, "HAX")
        assert feature.attrs["CD"] > 14_000  # derived length, metres


def test_an_audit_after_the_upgrade_finds_no_outside_writes(old_path):
    with Project.open(old_path) as project:
        assert H.audit(project) == 0
        assert [c.layer for c in H.pending(project)] == ["LSWHJQ"]  # the old uncommitted edit
        H.commit(project, "after the upgrade")
        assert H.audit(project) == 0 and H.pending(project) == []


def test_changes_naming_what_the_catalogue_lacks_are_refused_with_a_hint(old_catalogue):
    from app.model.changes import Change

    changes = [Change("LSWHJQ", "u1", "update", {"PZRQ": (None, "2004-09-18"), "JQMC": ("a", "b")}),
               Change("ZRBHD", "u2", "insert", {"owner": (None, "320500")}),
               Change("SY", "u3", "update", {"MC": ("湖", "太湖"), "geom": (None, None)})]
    assert upgrade.unknown_to(old_catalogue, changes) == ["LSWHJQ.PZRQ", "ZRBHD"]
    assert upgrade.unknown_to(load_catalogue(), changes) == []
    with pytest.raises(upgrade.NewerCatalogue, match=r"server version 7 uses LSWHJQ.PZRQ, ZRBHD, "
                       r"which this CoPlan's layer catalogue \(2026.11.1\) does not have: update CoPlan"):
        upgrade.refuse_unknown(old_catalogue, changes, "server version 7")
    upgrade.refuse_unknown(load_catalogue(), changes, "server version 7")  # nothing unknown


def test_a_current_file_needs_nothing(project):
    assert not upgrade.pending(project.db, project.catalogue).changed


def test_a_read_only_file_lacking_only_layers_opens_without_them(tmp_path, monkeypatch):
    from dataclasses import replace

    from app.project import db

    full = load_catalogue()
    without = replace(full, layers=tuple(la for la in full.layers if la.code != "ZRBHD"))
    Project.create(tmp_path / "p.sqlite", "320500", catalogue=without).close()
    monkeypatch.setattr(db.os, "access", lambda path, mode: False)
    with Project.open(tmp_path / "p.sqlite") as project:
        assert project.read_only and "ZRBHD" not in {la.code for la in project.layers()}
        assert project.count("SD") == 0
