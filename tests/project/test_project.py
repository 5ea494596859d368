import shutil
import subprocess

import pytest

from app.errors import ProjectError
from app.model.catalogue import load_catalogue
from app.project import migrations
from app.project.project import Project


def test_create_makes_every_catalogue_layer(tmp_path):
    with Project.create(tmp_path / "p.sqlite", "320500", "苏州市") as project:
        assert [lay.code for lay in project.layers()] == [lay.code for lay in load_catalogue().layers]
        assert project.party == "320500" and project.party_name == "苏州市"
        assert project.base_version == 0
        assert project.schema_version == migrations.SCHEMA_VERSION


def test_only_the_four_srids_are_stored(project):
    srids = {row[0] for row in project.db.execute("SELECT srid FROM spatial_ref_sys")}
    assert srids == {4490, 4549, 4550, 3857}


def test_layers_are_registered_in_4490(project):
    rows = project.db.execute("SELECT f_table_name, srid FROM geometry_columns").fetchall()
    assert {name.upper() for name, _ in rows} == {lay.code for lay in project.layers()}
    assert {srid for _, srid in rows} == {4490}


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed")
def test_ogrinfo_lists_layers_in_4490(project_path):
    result = subprocess.run(["ogrinfo", "-ro", "-so", str(project_path), "STBHHX"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Geometry: Multi Polygon" in result.stdout
    assert 'ID["EPSG",4490]' in result.stdout
    listing = subprocess.run(["ogrinfo", "-ro", "-q", str(project_path)],
                             capture_output=True, text=True, timeout=60).stdout
    assert "XZQ" in listing and "XMK_POINT" in listing and "coplan_base_" not in listing


def test_create_refuses_an_existing_file(project_path):
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(project_path, "310000")


def test_create_refuses_a_bad_party_code(tmp_path):
    with pytest.raises(ProjectError, match="party code"):
        Project.create(tmp_path / "p.sqlite", "bad code!")
    assert not (tmp_path / "p.sqlite").exists()


def test_open_refuses_missing_and_foreign_files(tmp_path):
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(tmp_path / "missing.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ProjectError, match="not a readable SQLite file|not a CoPlan project"):
        Project.open(junk)


def test_open_refuses_a_newer_schema(project_path):
    with Project.open(project_path) as project:
        project.db.execute("INSERT INTO coplan_migrations VALUES (9999, 'future', 'now')")
    with pytest.raises(ProjectError, match="newer than this CoPlan"):
        Project.open(project_path)


def test_meta_round_trip(project):
    project.set_meta("note", "今天")
    assert project.meta("note") == "今天"
    assert project.meta("absent", "default") == "default"


# -- read-only opening -----------------------------------------------------------------------

HOLD_LOCK = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
             "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); sys.stdin.read()")


@pytest.fixture
def locked(project_path):
    """Another process holds the project's write lock (SQLite locks are per process)."""
    import sys

    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(project_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    yield project_path
    holder.stdin.close()
    holder.wait(timeout=30)


def test_a_locked_file_opens_read_only_and_refuses_writes(locked):
    from shapely.geometry import box

    from app.errors import ReadOnlyProject
    from app.project.features import add_feature

    with Project.open(locked) as project:
        assert project.read_only == "another program is writing to it"
        assert not project.writable and project.party == "310000"
        with pytest.raises(ReadOnlyProject, match="open read-only"):
            add_feature(project, "SY", {"MC": "湖"}, box(121, 31, 121.1, 31.1))
        with pytest.raises(Exception, match="readonly database"):  # SQLite refuses the rest
            project.set_meta("x", "y")


def test_a_file_that_cannot_be_written_opens_read_only(project_path, monkeypatch):
    from app.project import db

    monkeypatch.setattr(db.os, "access", lambda path, mode: False)  # tests run as root
    with Project.open(project_path) as project:
        assert project.read_only == "its file cannot be written"
        assert project.count("SY") == 0  # still readable


def test_an_unlocked_file_opens_writable(project_path):
    with Project.open(project_path) as project:
        assert project.read_only is None and project.writable


def test_edits_carry_the_user_logged_in_to_the_projects_server(project_path, tmp_path, monkeypatch):
    import getpass

    from app.sync.credentials import save_token

    monkeypatch.setenv("COPLAN_CREDENTIALS", str(tmp_path / "credentials.json"))
    with Project.open(project_path) as project:
        assert project.author == getpass.getuser()  # no server yet: the computer's login
        project.set_meta("remote_url", "http://plan.example:8000")
    save_token("http://plan.example:8000/", "secret", "zhang.wei")
    with Project.open(project_path) as project:
        assert project.author == "zhang.wei"
    with Project.open(project_path, author="li.na") as project:
        assert project.author == "li.na"  # an explicit author wins
