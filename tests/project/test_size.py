"""The project file stays compact (one copy of the features, packed history) and every history
operation still works on that layout: diff, commit in parts, discard, revert, audit, upgrade."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyogrio import raw

from app.model.changes import Change
from app.project import features as F
from app.project import history as H
from app.project import io, storage, tracking
from app.project.project import Project
from app.project.sql import ident

POINTS = "XMK_POINT"


def point_file(path, n: int, seed: int = 1):
    """`n` project points with the attributes a city's project list has, as a GeoPackage."""
    rng, i = np.random.default_rng(seed), np.arange(n)
    columns = {
        "XMBH": np.array([f"XM-320500-{k:07d}" for k in i], dtype=object),
        "XMMC": np.array([f"苏州市第{k}号{('交通枢纽改造', '河道整治', '绿道建设')[k % 3]}工程" for k in i],
                         dtype=object),
        "XMLX": np.array(["JT", "LW", "ST", "SZ"], dtype=object)[i % 4],
        "QTDW": np.array(["苏州市交通运输局", "苏州市水务局", "吴江区人民政府"], dtype=object)[i % 3],
        "SJCS": np.where(i % 4 == 0, "320500,320600", "320500").astype(object),
        "JSZT": np.array(["规划", "前期", "在建", "建成"], dtype=object)[i % 4],
        "QDNF": (2020 + i % 6).astype(np.int64),
        "TZ": np.round(rng.uniform(0.1, 80.0, n), 2),
        "BZ": np.where(i % 10 == 0, "近期实施项目", "").astype(object),
    }
    geoms = shapely.points(rng.uniform(120.0, 121.2, n), rng.uniform(30.8, 31.9, n))
    raw.write(path, shapely.to_wkb(geoms), list(columns.values()), list(columns), driver="GPKG",
              layer=POINTS, geometry_type="Point", crs="EPSG:4490")
    return path


def polygon_file(path, n: int):
    """`n` star-shaped parcels of ~50 vertices."""
    rng = np.random.default_rng(3)
    angles = np.sort(rng.uniform(0, 2 * np.pi, (n, 50)), axis=1)
    radius = rng.uniform(0.0004, 0.001, (n, 50))
    cx, cy = rng.uniform(120.0, 121.0, (n, 1)), rng.uniform(30.8, 31.8, (n, 1))
    geoms = [shapely.MultiPolygon([shapely.Polygon(np.column_stack([x, y]))])
             for x, y in zip(cx + radius * np.cos(angles), cy + radius * np.sin(angles), strict=True)]
    columns = {"BSM": np.array([f"320500{k:012d}" for k in range(n)], dtype=object),
               "XZQDM": np.full(n, "320500", dtype=object), "XZQMC": np.full(n, "苏州市", dtype=object),
               "YDYHFLDM": np.full(n, "0701", dtype=object), "YDYHFLMC": np.full(n, "城镇住宅用地", dtype=object)}
    raw.write(path, shapely.to_wkb(np.array(geoms, dtype=object)), list(columns.values()), list(columns),
              driver="GPKG", layer="GHYDYH", geometry_type="MultiPolygon", crs="EPSG:4490")
    return path


def sizes(project: Project) -> dict[str, int]:
    """Bytes of each table with its indexes (SQLite's dbstat; the standard library has it)."""
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn = sqlite3.connect(f"file:{project.path}?mode=ro", uri=True)
    owner = dict(conn.execute("SELECT name, tbl_name FROM sqlite_master"))
    out: dict[str, int] = {}
    for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
        table = owner.get(name, name)
        for code in (POINTS, "GHYDYH"):
            if name.startswith(f"idx_{code}_geom"):
                table = code
        out[table] = out.get(table, 0) + size
    conn.close()
    out["file"] = project.path.stat().st_size
    return out


@pytest.mark.parametrize("code, make, n", [(POINTS, point_file, 20_000), ("GHYDYH", polygon_file, 2_000)])
def test_a_committed_import_stays_within_twice_its_table(project, tmp_path, code, make, n):
    """Before: a full copy of the committed state plus hex-in-JSON history made 4–5× the table."""
    empty = sizes(project)
    io.import_file(project, code, make(tmp_path / "src.gpkg", n))
    H.commit_parts(project, "import")
    after = sizes(project)
    table = after[code] - empty[code]
    grown = after["file"] - empty["file"]
    assert grown <= 2 * table, (grown / table, after)
    assert project.db.execute(f'SELECT count(*) FROM "coplan_base_{code}"').fetchone()[0] == 0
    # The history holds the values once, packed: a fraction of the table, not twice it.
    history = sum(after.get(t, 0) for t in ("coplan_changes", "coplan_changesets", "coplan_change_data"))
    assert history < table
    assert len(H.changeset(project, H.log(project)[-1].changeset.id).changes) == min(n, H.PART_CHANGES)


@pytest.fixture
def committed(project, tmp_path):
    """300 committed points."""
    io.import_file(project, POINTS, point_file(tmp_path / "p.gpkg", 300))
    H.commit(project, "import")
    return project


def uuids(project: Project, k: int) -> list[str]:
    return [u for (u,) in project.db.execute(f"SELECT uuid FROM {POINTS} ORDER BY fid LIMIT ?", (k,))]


def row(project: Project, uuid: str) -> dict:
    layer = project.layer(POINTS)
    values = project.db.execute(f"SELECT {tracking.select_columns(layer, 't')} FROM {POINTS} t "
                                "WHERE uuid = ?", (uuid,)).fetchone()
    return dict(zip(tracking.tracked_columns(layer), values[1:], strict=True))


def test_edits_diff_commit_in_parts_and_load_back(committed, monkeypatch):
    project = committed
    a, b, c, d = uuids(project, 4)
    old_a, old_c = row(project, a), row(project, c)
    F.update_feature(project, POINTS, a, {"XMMC": "改名"})
    F.update_feature(project, POINTS, b, geom=shapely.Point(120.5, 31.5))
    F.delete_feature(project, POINTS, c)
    new = F.add_feature(project, POINTS, {**{k: v for k, v in old_a.items() if k.isupper()}, "XMBH": "XM-NEW"},
                        shapely.Point(120.1, 31.1))
    pending = {ch.uuid: ch for ch in H.pending(project)}
    assert pending[a].cols == {"XMMC": (old_a["XMMC"], "改名")}
    assert set(pending[b].cols) == {"geom"}
    assert pending[c].op == "delete" and pending[c].cols["XMBH"] == (old_c["XMBH"], None)
    assert pending[new.uuid].op == "insert" and d not in pending
    assert H.pending_change(project, POINTS, d) is None and H.pending_change(project, POINTS, a) == pending[a]
    monkeypatch.setattr(H, "PART_CHANGES", 2)
    done = H.commit_parts(project, "edits")
    assert len(done.ids) == 2
    stored = {ch.uuid: ch for cs_id in done.ids for ch in H.changeset(project, cs_id).changes}
    assert stored == pending
    assert H.pending(project) == [] and H.audit(project) == 0
    assert project.db.execute(f'SELECT count(*) FROM "coplan_base_{POINTS}"').fetchone()[0] == 0


def test_discard_restores_the_committed_state_exactly(committed):
    project = committed
    a, b = uuids(project, 2)
    before = {u: row(project, u) for u in (a, b)}
    F.update_feature(project, POINTS, a, {"XMMC": "一改"})
    F.update_feature(project, POINTS, a, {"XMMC": "二改"})  # the copy is of the committed row
    F.delete_feature(project, POINTS, b)
    F.add_feature(project, POINTS, {k: v for k, v in before[a].items() if k.isupper()}, shapely.Point(120, 31))
    assert H.discard(project) == 3
    assert {u: row(project, u) for u in (a, b)} == before
    assert project.count(POINTS) == 300 and H.pending(project) == [] and H.audit(project) == 0


def test_revert_on_compact_storage(committed):
    project = committed
    a = uuids(project, 1)[0]
    name = row(project, a)["XMMC"]
    F.update_feature(project, POINTS, a, {"XMMC": "改"})
    cs = H.commit(project, "rename")
    inverse = H.revert(project, cs.id)
    assert row(project, a)["XMMC"] == name
    assert inverse.changes[0].cols == {"XMMC": ("改", name)}
    assert H.audit(project) == 0


def test_audit_finds_bypassed_writes_with_their_old_values_from_the_log(committed):
    project = committed
    a, b = uuids(project, 2)
    old_a, old_b = row(project, a), row(project, b)
    with project.db.atomic(), tracking.capture_suppressed(project.db):
        project.db.execute(f'UPDATE {POINTS} SET "XMMC" = ? WHERE uuid = ?', ("外部修改", a))
        project.db.execute(f"DELETE FROM {POINTS} WHERE uuid = ?", (b,))
        F.add_feature(project, POINTS, {k: v for k, v in old_a.items() if k.isupper()}, shapely.Point(120, 31))
    assert H.audit(project) == 3
    changes = {c.uuid: c for c in H.pending(project)}
    assert changes[a].cols == {"XMMC": (old_a["XMMC"], "外部修改")}
    assert changes[b].op == "delete" and {k: o for k, (o, _) in changes[b].cols.items()} == old_b
    assert sorted(c.op for c in changes.values()) == ["delete", "insert", "update"]
    assert H.audit(project) == 0  # marked now: idempotent
    H.commit(project, "outside edits")
    assert H.pending(project) == [] and H.audit(project) == 0


def test_audit_of_a_feature_the_log_does_not_know_pushes_conflicts(committed):
    """A feature loaded as a clone loads it (no change set logged) and then edited with the
    triggers bypassed: its old values are unknown, so every changed cell goes to the server as
    a conflict (old value None) instead of a guess."""
    project = committed
    layer = project.layer(POINTS)
    template = row(project, uuids(project, 1)[0])
    with project.db.atomic(), tracking.capture_suppressed(project.db):
        added = F.add_feature(project, POINTS, {k: v for k, v in template.items() if k.isupper()},
                              shapely.Point(120.3, 31.3))
        tracking.copy_to_base(project.db, layer, [added.uuid])
    assert H.audit(project) == 0 and H.pending(project) == []
    other = sqlite3.connect(project.path)  # another program, with capture switched off
    with other:
        other.execute("UPDATE coplan_state SET capture = 0")
        other.execute(f'UPDATE {POINTS} SET "XMMC" = ? WHERE uuid = ?', ("外部", added.uuid))
        other.execute("UPDATE coplan_state SET capture = 1")
    other.close()
    assert H.audit(project) == 1
    [change] = H.pending(project)
    assert change.op == "update" and change.cols["XMMC"] == (None, "外部")
    assert all(old in (None, "") for old, _ in change.cols.values())


def age(project: Project) -> None:
    """Turn a project into the layout files had before: a full base, plain capture triggers,
    JSON history with hex WKB, a shadow table with a rowid, migration 0007 not applied."""
    db = project.db
    with db.atomic():
        for layer in project.tracked_layers():
            cols = ", ".join(ident(c) for c in tracking.stored_columns(layer))
            db.execute(f'INSERT OR IGNORE INTO "coplan_base_{layer.code}" ({cols}) SELECT {cols} '
                       f"FROM {ident(layer.table_name)}")
            db.execute(f'DROP TABLE "coplan_sum_{layer.code}"')
            for event in ("update", "delete"):
                db.execute(f'DROP TRIGGER "coplan_keep_{layer.code}_{event}"')
            for event, key in (("insert", "NEW.fid"), ("update", "OLD.fid"), ("delete", "OLD.fid")):
                name = f"coplan_capture_{layer.code}_{event}"
                db.execute(f'DROP TRIGGER "{name}"')
                db.execute(f'CREATE TRIGGER "{name}" AFTER {event.upper()} ON {ident(layer.table_name)} '
                           f'BEGIN INSERT OR IGNORE INTO "coplan_dirty_{layer.code}" (fid) VALUES ({key}); END')
        for (cs_id,) in db.execute("SELECT id FROM coplan_changesets").fetchall():
            for i, change in enumerate(tracking.load_changes(db, cs_id)):
                db.execute("UPDATE coplan_changes SET cols = ? WHERE changeset = ? AND idx = ?",
                           (json.dumps({k: [o, n] for k, (o, n) in change.cols.items()}, ensure_ascii=False),
                            cs_id, i))
        db.execute("DROP TRIGGER coplan_change_data_gone")
        db.execute("DROP TABLE coplan_change_data")
        shadow = db.execute("SELECT layer, uuid, row FROM coplan_shadow").fetchall()
        db.execute("DROP TABLE coplan_shadow")
        db.execute("CREATE TABLE coplan_shadow (layer TEXT NOT NULL, uuid TEXT NOT NULL, row TEXT, "
                   "PRIMARY KEY (layer, uuid))")
        db.conn.executemany("INSERT INTO coplan_shadow VALUES (?, ?, ?)", shadow)
        db.execute("DELETE FROM coplan_migrations WHERE version = 7")
        db.execute("DELETE FROM coplan_meta WHERE key = 'storage'")


def test_a_project_file_made_before_is_upgraded_on_open(committed):
    project = committed
    a = uuids(project, 1)[0]
    F.update_feature(project, POINTS, a, {"XMMC": "改"})
    cs = H.commit(project, "rename")
    note = row(project, a)["BZ"]
    F.update_feature(project, POINTS, a, {"BZ": "未提交"})  # an uncommitted edit survives
    shadow = dict(project.db.execute("SELECT uuid, row FROM coplan_shadow"))
    age(project)
    path = project.path
    project.close()
    with Project.open(path, author="tester") as reopened:
        assert reopened.meta("storage") == storage.STORAGE
        assert reopened.db.execute(f'SELECT count(*) FROM "coplan_base_{POINTS}"').fetchone()[0] == 1
        assert [c.cols for c in H.pending(reopened)] == [{"BZ": (note, "未提交")}]
        assert H.audit(reopened) == 0
        assert H.changeset(reopened, cs.id).changes == cs.changes
        assert reopened.db.execute("SELECT count(*) FROM coplan_changes WHERE typeof(cols) = 'text'"
                                   ).fetchone()[0] == 0
        assert dict(reopened.db.execute("SELECT uuid, row FROM coplan_shadow")) == shadow
        H.discard(reopened)
        assert row(reopened, a)["XMMC"] == "改" and H.audit(reopened) == 0


values = st.one_of(st.none(), st.integers(-2**53, 2**53), st.floats(allow_nan=False),
                   st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
wkb = st.one_of(st.none(), st.binary(min_size=1, max_size=64).map(lambda b: b.hex().upper()))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.dictionaries(st.sampled_from(["XMMC", "TZ", "owner"]), st.tuples(values, values)),
                          st.tuples(wkb, wkb)), max_size=8))
def test_packed_values_come_back_exactly(items):
    changes = [Change(POINTS, f"u{i}", "update", {**cols, "geom": g}) for i, (cols, g) in enumerate(items)]
    assert storage.unpack(storage.pack(changes)) == [c.cols for c in changes]


def test_a_big_file_made_before_shrinks_when_upgraded(project, tmp_path):
    io.import_file(project, POINTS, point_file(tmp_path / "p.gpkg", 5_000))
    H.commit(project, "import")
    age(project)
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path, before = project.path, project.path.stat().st_size
    project.close()
    with Project.open(path, author="tester") as reopened:
        assert H.pending(reopened) == [] and H.audit(reopened) == 0
        assert len(H.changeset(reopened, H.log(reopened)[0].changeset.id).changes) == 5_000
        reopened.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert path.stat().st_size < 0.6 * before


def test_a_feature_only_moved_to_another_key_is_no_change(committed):
    """What a rebuilt table does to every feature (another tool renumbered the keys): the row
    is as committed, so even a feature the log does not know shows no change."""
    project = committed
    layer = project.layer(POINTS)
    template = row(project, uuids(project, 1)[0])
    with project.db.atomic(), tracking.capture_suppressed(project.db):
        added = F.add_feature(project, POINTS, {k: v for k, v in template.items() if k.isupper()},
                              shapely.Point(120.3, 31.3))
        tracking.copy_to_base(project.db, layer, [added.uuid])
        project.db.execute(f"UPDATE {POINTS} SET fid = 99999 WHERE uuid = ?", (added.uuid,))
    assert H.audit(project) == 1
    assert H.pending(project) == [] and H.pending_rows(project) == []
