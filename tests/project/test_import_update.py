"""`import --update-by uuid|BSM`: an edited export updates its features instead of duplicating them."""

from __future__ import annotations

import subprocess

import pytest
import shapely

from app import cli
from app.errors import ImportRefused, InvalidInput
from app.project import export, history, io
from tests.project.messy import ogr2ogr
from tests.project.test_io import LAYER, box, rows, same, state, stored, write


def committed(project, n: int = 4) -> list:
    """`n` committed features (BSM 310115000000 …), in fid order."""
    io.import_file(project, LAYER, write(project.path.parent / "start.gpkg",
                                         [box(i) for i in range(n)], rows(n)))
    history.commit(project, "start")
    return stored(project)


def sql(path, statement: str) -> None:
    """Edit a file with GDAL's tools, as a technician edits an export in QGIS."""
    subprocess.run(["ogrinfo", "-q", "-dialect", "SQLite", "-sql", statement, str(path)],
                   check=True, capture_output=True)


def edited_export(project, tmp_path):
    """An export with one class changed, one parcel moved, one untouched, one deleted row and a
    new parcel drawn beside them (no uuid)."""
    path = tmp_path / "edit.gpkg"
    export.export_layer(project, LAYER, path)
    sql(path, "UPDATE GHYDYH SET YDYHFLDM = '0102', YDYHFLMC = '水浇地' WHERE BSM = '310115000000'")
    sql(path, "UPDATE GHYDYH SET geom = ST_Translate(geom, 0, 0.001, 0) WHERE BSM = '310115000001'")
    sql(path, "DELETE FROM GHYDYH WHERE BSM = '310115000003'")
    new = write(tmp_path / "new.geojson", [box(9)], rows(1, BSM="310115000009"))
    ogr2ogr(new, path, "-append", "-nln", "GHYDYH")
    return path


def test_an_edited_export_updates_changed_columns_and_inserts_new_rows(project, tmp_path):
    before = committed(project)
    report = io.import_file(project, LAYER, edited_export(project, tmp_path), update_by="uuid")
    assert (report.updated, report.inserted, report.unchanged, report.left_alone) == (2, 1, 1, 1)
    assert report.lines()[0].startswith("updated 2 and inserted 1 of 4 feature(s) from edit.gpkg "
                                        "into GHYDYH by uuid (1 unchanged")
    assert "1 feature(s) of GHYDYH not in the file were left alone (an update never deletes)" \
        in report.lines()
    changes = {c.uuid: c for c in history.pending(project)}
    assert changes[before[0].uuid].op == "update"
    assert set(changes[before[0].uuid].cols) == {"YDYHFLDM", "YDYHFLMC"}  # only what changed
    assert set(changes[before[1].uuid].cols) == {"geom", "TBMJ"}  # the area follows the parcel
    assert before[2].uuid not in changes and before[3].uuid not in changes  # untouched, left alone
    assert [c.op for c in changes.values()].count("insert") == 1
    after = {f.uuid: f for f in stored(project)}
    assert len(after) == 5 and after[before[0].uuid].attrs["YDYHFLMC"] == "水浇地"
    moved = shapely.MultiPolygon([shapely.affinity.translate(box(1), 0, 0.001)])
    assert same(after[before[1].uuid].geometry, moved)


def test_reimporting_an_unedited_export_changes_nothing(project, tmp_path):
    committed(project)
    path = tmp_path / "same.shp"
    export.export_layer(project, LAYER, path)
    report = io.import_file(project, LAYER, path, update_by="uuid")
    assert (report.updated, report.inserted, report.unchanged) == (0, 0, 4)
    assert report.unmapped == ["owner"]  # uuid is the key; ownership never comes from a file
    assert history.pending(project) == [] and len(stored(project)) == 4


def test_a_plain_import_of_an_export_warns_of_the_copies(project, tmp_path):
    committed(project)
    path = tmp_path / "again.gpkg"
    export.export_layer(project, LAYER, path)
    report = io.import_file(project, LAYER, path)
    assert ("4 row(s) carry the uuid of a feature already in GHYDYH: they were added as copies; "
            "--update-by uuid updates the features instead") in report.warnings


def test_update_by_bsm_from_another_tool(project, tmp_path):
    before = committed(project, 2)
    data = rows(3, XZQMC="浦东")  # the two known BSMs with a new name, and a third
    report = io.import_file(project, LAYER, write(tmp_path / "b.gpkg", [box(i) for i in range(3)],
                                                   data), update_by="bsm")
    assert (report.updated, report.inserted, report.update_by) == (2, 1, "BSM")
    assert {c.uuid: set(c.cols) for c in history.pending(project) if c.op == "update"} == {
        before[0].uuid: {"XZQMC"}, before[1].uuid: {"XZQMC"}}


def test_ambiguous_matches_are_refused_with_the_list(project, tmp_path):
    committed(project, 2)
    twice = rows(3)
    twice[2]["BSM"] = twice[0]["BSM"]  # the same BSM on two rows of the file
    path = write(tmp_path / "twice.gpkg", [box(i) for i in range(3)], twice)
    before = state(project)
    with pytest.raises(ImportRefused) as exc:
        io.import_file(project, LAYER, path, update_by="BSM")
    assert "FID 1 (BSM 310115000000): BSM '310115000000' is on 2 rows of the file (FID 1, 3)" \
        in exc.value.message
    assert [r.fid for r in exc.value.problems] == [1, 3] and state(project) == before
    # The same BSM on two features of the layer (a file imported twice): which one?
    io.import_file(project, LAYER, write(tmp_path / "again.gpkg", [box(0)], rows(1)))
    with pytest.raises(ImportRefused, match=r"BSM '310115000000' is on 2 features of the layer"):
        io.import_file(project, LAYER, write(tmp_path / "one.gpkg", [box(0)], rows(1)),
                       update_by="BSM")


def test_an_editor_cannot_update_another_partys_feature(project, tmp_path):
    theirs = committed(project, 2)[1]
    # As a sync from the coordinator would leave it (commit refuses another party's owner).
    project.db.execute(f"UPDATE {LAYER} SET owner = '320500' WHERE uuid = ?", [theirs.uuid])
    before = state(project)
    path = write(tmp_path / "b.gpkg", [box(0), box(1)], rows(2, XZQMC="浦东"))
    with pytest.raises(ImportRefused) as exc:
        io.import_file(project, LAYER, path, update_by="BSM")
    assert (f"FID 2 (BSM 310115000001): BSM '310115000001' is feature {theirs.uuid} of party "
            "320500; party 310000 may not change it") in exc.value.message
    assert state(project) == before


def test_update_by_needs_a_key_the_file_has(project, tmp_path):
    path = write(tmp_path / "a.gpkg", [box()], rows(1))
    with pytest.raises(InvalidInput, match="has no uuid column"):
        io.import_file(project, LAYER, path, update_by="uuid")
    with pytest.raises(InvalidInput, match="takes uuid or BSM"):
        io.import_file(project, LAYER, path, update_by="XZQDM")


def test_cli_update_by(project_path, tmp_path, capsys):
    path = write(tmp_path / "a.gpkg", [box(0), box(1)], rows(2))
    assert cli.main(["--lang", "en", "import", str(project_path), LAYER, str(path)]) == 0
    changed = write(tmp_path / "b.gpkg", [box(0), box(1)], rows(2, BZ="核实"))
    capsys.readouterr()
    assert cli.main(["--lang", "en", "import", str(project_path), LAYER, str(changed),
                     "--update-by", "BSM"]) == 0
    assert "updated 2 and inserted 0 of 2 feature(s)" in capsys.readouterr().out
