"""The project file stays right whatever writes to it: SQL with SpatiaLite, plain sqlite3,
ogr2ogr -append (what QGIS does when adding features) and ogr2ogr -update -overwrite."""

from __future__ import annotations

import json
import logging
import re
import shutil
import sqlite3 as plain_sqlite3
import subprocess

import numpy as np
import pytest
import shapely
from pyogrio.raw import write

from app.cli import main
from app.model import geodesy
from app.project import db as spatialite
from app.project import features as F
from app.project import history as H
from app.project import integrity, tracking
from app.project.project import Project

RED_LINE = {"BSM": "310000000001", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "东滩"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
OGR2OGR = shutil.which("ogr2ogr")
needs_ogr2ogr = pytest.mark.skipif(OGR2OGR is None, reason="ogr2ogr is not installed")


def blob(x: float, y: float, r: float, n: int = 3000, jitter: float = 0.05) -> shapely.MultiPolygon:
    """A wobbly polygon of `n` vertices (a digitised parcel), deterministic."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    rr = r * (1 + jitter * np.random.default_rng(1).random(n))
    return shapely.MultiPolygon([shapely.Polygon(np.c_[x + rr * np.cos(t), y + 0.85 * rr * np.sin(t)])])


BIG = blob(121.3, 31.2, 0.00123)  # about 42,000 m²
SMALL = shapely.affinity.scale(BIG, 0.5, 0.5)  # a quarter of it


def exact(geom) -> float:
    return round(geodesy.area_m2(geom), 2)


def outside(path):
    """A connection as another SpatiaLite tool has it (QGIS, spatialite CLI)."""
    return spatialite.connect(path)


def committed(project_path) -> str:
    with Project.open(project_path, author="tester") as p:
        uuid = F.add_feature(p, "STBHHX", RED_LINE, BIG).uuid
        H.commit(p, "add")
    return uuid


def test_spatialite_area_is_close_but_not_exact_and_length_is_exact():
    """Why CoPlan re-derives what the triggers measured: ST_Area(geom, 1) (SpatiaLite 5.0,
    rttopo) misses pyproj's geodesic area by more than the 0.01 m² rounding on large polygons
    (16,000 m² on this 9,400 km² district); GeodesicLength agrees."""
    db = spatialite.memory()
    large = shapely.make_valid(blob(121.0, 30.0, 0.5, 5000, jitter=0.3))
    area, length = db.execute("SELECT ST_Area(g, 1), GeodesicLength(g) FROM "
                              "(SELECT GeomFromWKB(?, 4490) AS g)", (large.wkb,)).fetchone()
    assert abs(area - geodesy.area_m2(large)) > 0.01
    assert abs(area - geodesy.area_m2(large)) < 1e-5 * geodesy.area_m2(large)
    assert abs(length - geodesy.length_m(large)) < 0.01


def test_coplan_writes_exact_values_and_queues_nothing(project):
    a = F.add_feature(project, "STBHHX", RED_LINE, BIG)
    assert a.attrs["MJ"] == exact(BIG)
    F.update_feature(project, "STBHHX", a.uuid, geom=SMALL)
    assert F.get_feature(project, "STBHHX", a.uuid).attrs["MJ"] == exact(SMALL)
    assert project.db.execute("SELECT count(*) FROM coplan_rederive").fetchone()[0] == 0


def test_sql_geometry_edit_recomputes_the_area_at_once_then_exactly(project_path):
    uuid = committed(project_path)
    db = outside(project_path)
    with db.atomic():
        db.execute('UPDATE "STBHHX" SET geom = CastToMulti(GeomFromWKB(?, 4490))', (SMALL.wkb,))
    stored = db.execute('SELECT MJ FROM "STBHHX"').fetchone()[0]
    db.close()
    assert abs(stored - exact(SMALL)) < 0.05  # SpatiaLite's value: never the stale 42k
    with Project.open(project_path, author="tester") as p:
        assert F.get_feature(p, "STBHHX", uuid).attrs["MJ"] == exact(SMALL)
        [change] = H.pending(p)
        assert change.cols["MJ"] == (exact(BIG), exact(SMALL))
        assert shapely.from_wkb(bytes.fromhex(change.cols["geom"][0])).equals(BIG)


def test_a_typed_in_area_is_put_back(project_path):
    uuid = committed(project_path)
    db = outside(project_path)
    with db.atomic():
        db.execute('UPDATE "STBHHX" SET MJ = 1')
    db.close()
    with Project.open(project_path, author="tester") as p:
        assert F.get_feature(p, "STBHHX", uuid).attrs["MJ"] == exact(BIG)
        assert H.pending(p) == []


def test_sql_insert_gets_uuid_owner_stamps_and_area(project_path):
    committed(project_path)
    db = outside(project_path)
    with db.atomic():
        db.execute('INSERT INTO "STBHHX" (uuid, owner, BSM, XZQDM, XZQMC, geom) VALUES '
                   "(NULL, NULL, '310000000009', '310000', '上海市', CastToMulti(GeomFromWKB(?, 4490)))",
                   (SMALL.wkb,))
    db.close()
    with Project.open(project_path, author="tester") as p:
        row = p.db.execute('SELECT uuid, owner, created_by, created_at, modified_at, MJ FROM "STBHHX" '
                           "WHERE BSM = '310000000009'").fetchone()
        assert UUID.match(row[0]) and row[1] == "310000" and row[2] == integrity.OUTSIDE_AUTHOR
        assert row[3] and row[4] == row[3] and row[5] == exact(SMALL)
        [change] = H.pending(p)
        assert change.op == "insert" and change.uuid == row[0]
        H.commit(p, "from SQL")


def test_plain_sqlite_cannot_write_geometry_or_areas_but_other_edits_are_captured(project_path):
    uuid = committed(project_path)
    conn = plain_sqlite3.connect(project_path)
    with pytest.raises(plain_sqlite3.OperationalError, match="no such function"):
        conn.execute('UPDATE "STBHHX" SET geom = geom')
    with pytest.raises(plain_sqlite3.OperationalError, match="no such function"):
        conn.execute('UPDATE "STBHHX" SET MJ = 5')
    conn.execute("""UPDATE "STBHHX" SET HXMC = '西滩'""")
    conn.commit()
    conn.close()
    with Project.open(project_path, author="tester") as p:
        [change] = H.pending(p)
        assert change.uuid == uuid and change.cols == {"HXMC": ("东滩", "西滩")}


def test_validate_reports_a_stale_area_and_audit_recomputes_it(project_path, capsys):
    uuid = committed(project_path)
    with Project.open(project_path, author="tester") as p:
        # A value gone stale the way old files and bypassed writes leave it.
        with p.db.atomic(), tracking.capture_suppressed(p.db):
            p.db.execute('UPDATE "STBHHX" SET geom = CastToMulti(GeomFromWKB(?, 4490))', (SMALL.wkb,))
        [(found, problem)] = F.validate_layer(p, "STBHHX")
        assert found == uuid and problem.code == "derived-stale" and problem.fixable
        assert f"MJ is {exact(BIG):,.2f}" in problem.message and f"{exact(SMALL):,.2f}" in problem.message
    capsys.readouterr()
    assert main(["validate", str(project_path), "--json"]) == 1
    [found] = [f for f in json.loads(capsys.readouterr().out) if f["code"] == "derived-stale"]
    assert found["uuid"] == uuid and found["field"] == "MJ" and found["fixable"] is True
    assert "椭球面积" in found["message_zh"]
    assert main(["audit", str(project_path)]) == 0
    with Project.open(project_path, author="tester") as p:
        assert F.validate_layer(p, "STBHHX") == []
        [change] = H.pending(p)
        assert change.cols["MJ"] == (exact(BIG), exact(SMALL))


def test_a_dropped_capture_trigger_is_reinstalled_at_open_and_the_edit_captured(project_path, caplog):
    uuid = committed(project_path)
    conn = plain_sqlite3.connect(project_path)
    conn.execute('DROP TRIGGER "coplan_capture_STBHHX_update"')
    conn.execute("""UPDATE "STBHHX" SET HXMC = '改'""")
    conn.commit()
    conn.close()
    with caplog.at_level(logging.WARNING), Project.open(project_path, author="tester") as p:
        assert "change capture was switched off" in caplog.text
        [change] = H.pending(p)
        assert change.uuid == uuid and change.cols == {"HXMC": ("东滩", "改")}
        names = {n for (n,) in p.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert set(tracking.capture_triggers(p.layer("STBHHX"))) <= names


def test_a_trigger_dropped_while_the_project_is_open_is_caught_by_the_next_audit(project_path):
    uuid = committed(project_path)
    with Project.open(project_path, author="tester") as p:
        H.audit(p)  # repaired and remembered: nothing to do while the schema stays the same
        conn = plain_sqlite3.connect(project_path)  # another program, meanwhile
        conn.execute('DROP TRIGGER "coplan_capture_STBHHX_update"')
        conn.execute("""UPDATE "STBHHX" SET HXMC = '改'""")
        conn.commit()
        conn.close()
        H.audit(p)
        [change] = H.pending(p)
        assert change.uuid == uuid and change.cols == {"HXMC": ("东滩", "改")}
        names = {n for (n,) in p.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert "coplan_capture_STBHHX_update" in names


def test_a_read_only_file_is_only_checked(project_path, caplog, monkeypatch):
    committed(project_path)
    conn = plain_sqlite3.connect(project_path)
    conn.execute('DROP TRIGGER "coplan_capture_STBHHX_update"')
    conn.commit()
    conn.close()
    monkeypatch.setattr(spatialite.os, "access", lambda path, mode: False)  # tests run as root
    with caplog.at_level(logging.WARNING), Project.open(project_path) as p:
        assert p.read_only and "STBHHX was changed by another tool" in caplog.text
    monkeypatch.undo()
    with Project.open(project_path) as p:  # writable again: repaired
        names = {n for (n,) in p.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert "coplan_capture_STBHHX_update" in names


def test_an_old_file_gets_defaults_and_triggers_in_place(project_path):
    uuid = committed(project_path)
    conn = plain_sqlite3.connect(project_path)  # back to the layout before 0006
    for name in integrity.trigger_names(Project.open(project_path).layer("STBHHX")):
        conn.execute(f'DROP TRIGGER "{name}"')
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'STBHHX'").fetchone()[0]
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'STBHHX'",
                 (sql.replace(integrity._system_defaults("310000"), integrity._OLD_SYSTEM),))
    conn.execute(f"PRAGMA schema_version = {version + 1}")
    conn.commit()
    conn.close()
    with Project.open(project_path, author="tester") as p:
        assert p.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert "ON CONFLICT REPLACE" in p.db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'STBHHX'").fetchone()[0]
        assert H.pending(p) == []
        assert [f.uuid for f in F.iter_features(p, "STBHHX", bbox=BIG.bounds)] == [uuid]


def test_bulk_insert_fills_what_the_rows_lack_in_one_statement(project):
    from app.project.layers import bulk_insert, geometry_param

    layer = project.layer("STBHHX")
    with project.db.atomic(), bulk_insert(project.db, layer):
        project.db.execute(f'INSERT INTO "STBHHX" (BSM, geom) VALUES (?, {geometry_param(layer)})',
                           ("310000000005", BIG.wkb))
    row = project.db.execute('SELECT uuid, owner, created_by, MJ FROM "STBHHX"').fetchone()
    assert UUID.match(row[0]) and row[1] == "310000" and row[2] == integrity.OUTSIDE_AUTHOR
    assert abs(row[3] - exact(BIG)) < 0.05
    with project.db.atomic():
        assert integrity.process_queue(project.db, project.layers()) in (0, 1)
    assert project.db.execute('SELECT MJ FROM "STBHHX"').fetchone()[0] == exact(BIG)


# --- other tools -----------------------------------------------------------------------------

def gpkg(path, rows: list[dict], geoms: list, layer: str = "STBHHX") -> None:
    """A GeoPackage as QGIS or a colleague would hand it over."""
    names = list(rows[0])
    write(str(path), geometry=np.array([shapely.to_wkb(g) for g in geoms], dtype=object),
          field_data=[np.array([r[n] for r in rows], dtype=object) for n in names], fields=names,
          layer=layer, driver="GPKG", geometry_type="MultiPolygon", crs="EPSG:4490")


def ogr2ogr(*args) -> None:
    subprocess.run([OGR2OGR, *map(str, args)], check=True, capture_output=True)


@needs_ogr2ogr
def test_ogr2ogr_append_inserts_features_as_qgis_would(project_path, tmp_path, capsys):
    committed(project_path)
    source = tmp_path / "new.gpkg"
    gpkg(source, [{**RED_LINE, "BSM": "310000000002", "MJ": 5.0}], [SMALL])  # a wrong MJ
    ogr2ogr("-append", project_path, source, "-nln", "STBHHX")
    assert main(["diff", str(project_path)]) == 0
    assert re.search(r"^\+ STBHHX [0-9a-f-]{36}$", capsys.readouterr().out, re.M)
    with Project.open(project_path, author="tester") as p:
        f = next(f for f in F.iter_features(p, "STBHHX") if f.attrs["BSM"] == "310000000002")
        assert UUID.match(f.uuid) and f.owner == "310000" and f.created_by == integrity.OUTSIDE_AUTHOR
        assert f.attrs["MJ"] == exact(SMALL)
    assert main(["commit", str(project_path), "-m", "from QGIS"]) == 0


@needs_ogr2ogr
def test_ogr2ogr_overwrite_is_repaired_captured_and_committed(project_path, tmp_path, capsys):
    uuid = committed(project_path)
    with Project.open(project_path) as p:
        f = F.get_feature(p, "STBHHX", uuid)
    edited = tmp_path / "edited.gpkg"
    # The planner shrinks the parcel in QGIS; the stale 42k area stays in the attribute table.
    gpkg(edited, [{"uuid": uuid, "owner": "310000", "created_by": f.created_by,
                   "created_at": f.created_at, **RED_LINE, "MJ": exact(BIG)}], [SMALL])
    ogr2ogr("-update", "-overwrite", project_path, edited, "-nln", "STBHHX")
    assert main(["audit", str(project_path)]) == 0
    out = capsys.readouterr().out
    assert "not in CoPlan's layout" in out and "rebuilt" in out
    with Project.open(project_path, author="tester") as p:
        [change] = H.pending(p)
        assert change.uuid == uuid and change.op == "update"
        assert change.cols["MJ"] == (exact(BIG), exact(SMALL)) and set(change.cols) == {"MJ", "geom"}
    db = outside(project_path)  # capture is back: a later edit is seen
    with db.atomic():
        db.execute("""UPDATE "STBHHX" SET HXMC = '后来'""")
    db.close()
    assert main(["commit", str(project_path), "-m", "after overwrite"]) == 0
    with Project.open(project_path, author="tester") as p:
        [entry] = [e for e in H.log(p) if e.changeset.message == "after overwrite"]
        assert entry.counts == {"update": 1}


@needs_ogr2ogr
def test_overwrite_from_a_file_without_system_columns_does_not_crash(project_path, tmp_path, capsys):
    """The issue's case: audit died with exit 70 "no such column: l.created_by"."""
    uuid = committed(project_path)
    bare = tmp_path / "bare.gpkg"
    gpkg(bare, [RED_LINE, {**RED_LINE, "BSM": "310000000002"}], [BIG, SMALL])
    ogr2ogr("-update", "-overwrite", project_path, bare, "-nln", "STBHHX", "-lco", "LAUNDER=YES")
    assert main(["audit", str(project_path)]) == 0
    assert "feature(s) changed outside" in capsys.readouterr().out
    with Project.open(project_path, author="tester") as p:
        features = list(F.iter_features(p, "STBHHX"))
        assert len(features) == 2 and all(UUID.match(f.uuid) and f.owner == "310000" for f in features)
        assert sorted(f.attrs["MJ"] for f in features) == sorted([exact(BIG), exact(SMALL)])
        ops = sorted(c.op for c in H.pending(p))
        assert ops == ["delete", "insert", "insert"]  # the tool dropped the uuids
        assert uuid in {c.uuid for c in H.pending(p) if c.op == "delete"}


def test_a_dropped_table_is_recreated_and_its_features_pending_deletes(project_path):
    uuid = committed(project_path)
    db = outside(project_path)
    with db.atomic():
        db.execute('DROP TABLE "STBHHX"')  # as a careless script would: metadata and index stay
    db.close()
    with Project.open(project_path, author="tester") as p:
        assert p.count("STBHHX") == 0
        assert [(c.op, c.uuid) for c in H.pending(p)] == [("delete", uuid)]


@needs_ogr2ogr
def test_overwrite_keeps_each_features_key_so_only_real_changes_are_pending(project_path, tmp_path):
    boxes = [shapely.MultiPolygon([shapely.box(121 + i / 100, 31, 121.004 + i / 100, 31.004)])
             for i in range(3)]
    with Project.open(project_path, author="tester") as p:
        made = [F.add_feature(p, "STBHHX", {**RED_LINE, "BSM": f"31000000000{i}"}, g)
                for i, g in enumerate(boxes)]
        H.commit(p, "three")
    edited = tmp_path / "two.gpkg"  # the first parcel removed in QGIS, the others reordered
    keep = [made[2], made[1]]
    gpkg(edited, [{"uuid": f.uuid, "owner": f.owner, "created_by": f.created_by,
                   "created_at": f.created_at, **f.attrs} for f in keep], [f.geometry for f in keep])
    ogr2ogr("-update", "-overwrite", project_path, edited, "-nln", "STBHHX")
    with Project.open(project_path, author="tester") as p:
        assert [(c.op, c.uuid) for c in H.pending(p)] == [("delete", made[0].uuid)]
        assert {f.uuid: f.fid for f in F.iter_features(p, "STBHHX")} == {
            f.uuid: f.fid for f in made[1:]}
