"""`commit` checks the pending changes; a coordinator may force, and the change set says so."""

from __future__ import annotations

import json

import jsonschema
import pytest
import shapely

from app.cli import main
from app.errors import PermissionDenied
from app.model.changes import ChangeSet
from app.paths import schemas_dir
from app.project import db as spatialite
from app.project import features as F
from app.project import history as H
from app.project.commit_checks import CommitRefused, check_pending
from app.project.project import Project
from app.sync import protocol, replica
from tests.sync.conftest import PROJECT, client, remote_for, store  # noqa: F401  (fixtures)

RED_LINE = {"BSM": "310000000001", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "东滩"}
BOX = shapely.box(121.0, 31.0, 121.005, 31.005)
BOWTIE = "MULTIPOLYGON(((121 31, 121.01 31.01, 121.01 31, 121 31.01, 121 31)))"


def outside_sql(path, sql: str, params=()) -> None:
    """An edit made in another SpatiaLite tool (QGIS, spatialite CLI): no CoPlan checks."""
    db = spatialite.connect(path)
    with db.atomic():
        db.execute(sql, params)
    db.close()


@pytest.fixture
def committed(project_path) -> str:
    with Project.open(project_path, author="tester") as p:
        uuid = F.add_feature(p, "STBHHX", RED_LINE, BOX).uuid
        H.commit(p, "add")
    return uuid


def refused(project_path) -> CommitRefused:
    with Project.open(project_path, author="tester") as p, pytest.raises(CommitRefused) as info:
        H.commit(p, "check me")
    return info.value


def test_an_invalid_code_is_refused_and_nothing_committed(project_path):
    with Project.open(project_path, author="tester") as p:
        uuid = F.add_feature(p, "CZKFBJ", {k: RED_LINE[k] for k in ("BSM", "XZQDM", "XZQMC")},
                             BOX).uuid
        H.commit(p, "add")
    outside_sql(project_path, """UPDATE "CZKFBJ" SET CZKFBJLX = 'no such code'""")
    problems = refused(project_path).problems
    assert any(p.uuid == uuid and p.problem.code == "codelist" for p in problems)
    with Project.open(project_path, author="tester") as p:
        assert len(H.log(p)) == 1 and len(H.pending(p)) == 1  # still pending, not committed


def test_a_self_intersection_is_refused(project_path, committed):
    outside_sql(project_path, 'UPDATE "STBHHX" SET geom = GeomFromText(?, 4490)', (BOWTIE,))
    err = refused(project_path)
    assert any(p.problem.code == "invalid-geometry" for p in err.problems)
    assert "commit refused" in err.message and "--force" in err.message


def test_another_partys_owner_is_refused_for_an_editor(project_path, committed):
    outside_sql(project_path, """UPDATE "STBHHX" SET owner = '320500'""")
    [problem] = refused(project_path).problems
    assert problem.problem.code == "owner" and "320500" in problem.problem.message


def test_clean_changes_commit_and_checks_are_empty(project_path, committed):
    outside_sql(project_path, """UPDATE "STBHHX" SET HXMC = '西滩'""")
    with Project.open(project_path, author="tester") as p:
        assert check_pending(p) == []
        assert not H.commit(p, "rename").forced


def test_an_editor_may_not_force(project_path, committed):
    outside_sql(project_path, 'UPDATE "STBHHX" SET geom = GeomFromText(?, 4490)', (BOWTIE,))
    with Project.open(project_path, author="tester") as p, pytest.raises(PermissionDenied):
        H.commit(p, "forced", force=True)


def test_a_coordinator_forces_and_the_change_set_records_it(project_path, committed, capsys):
    outside_sql(project_path, 'UPDATE "STBHHX" SET geom = GeomFromText(?, 4490)', (BOWTIE,))
    with Project.open(project_path, author="tester") as p:
        p.set_meta("role", "coordinator")
    assert main(["commit", str(project_path), "-m", "over the checks"]) == 2
    assert "commit refused" in capsys.readouterr().err
    assert main(["commit", str(project_path), "-m", "over the checks", "--force"]) == 0
    assert "forced" in capsys.readouterr().out
    with Project.open(project_path, author="tester") as p:
        cs = H.changeset(p, H.log(p)[0].changeset.id)
    assert cs.forced and cs.to_json()["forced"] is True
    body = {**cs.to_json(), "project": PROJECT}
    schema = json.loads((schemas_dir() / "changeset.v1.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(body, schema)
    assert ChangeSet.from_json(body).forced
    with Project.open(project_path, author="tester") as p:
        ordinary = H.changeset(p, H.log(p)[1].changeset.id)
    assert "forced" not in ordinary.to_json()  # ordinary change sets stay as they were


def test_forced_must_be_a_boolean_on_the_wire(project_path, committed):
    with Project.open(project_path, author="tester") as p:
        body = {**H.changeset(p, H.log(p)[0].changeset.id).to_json(), "project": PROJECT}
    from app.model.catalogue import load_catalogue
    assert not protocol.parse_changeset({**body}, load_catalogue()).forced
    assert protocol.parse_changeset({**body, "forced": True}, load_catalogue()).forced
    with pytest.raises(protocol.ProtocolError, match="forced"):
        protocol.parse_changeset({**body, "forced": "yes"}, load_catalogue())


@pytest.mark.parametrize("store_kind", ["sqlite"])
def test_a_forced_change_set_is_pushed_and_accepted(remote_for, tmp_path):  # noqa: F811
    boss = replica.run(replica.clone_steps(remote_for("boss"), PROJECT, tmp_path / "boss.sqlite"))
    try:
        F.add_feature(boss, "STBHHX", RED_LINE, BOX)
        H.commit(boss, "add")
        with boss.db.atomic():
            boss.db.execute('UPDATE "STBHHX" SET geom = GeomFromText(?, 4490)', (BOWTIE,))
        with pytest.raises(CommitRefused):
            H.commit(boss, "bowtie")
        assert H.commit(boss, "bowtie", force=True).forced
        report = replica.run(replica.sync_steps(boss, remote_for("boss")))
        assert not report.clashes
        assert replica.outbox_ids(boss) == []
        versions = remote_for("sh").pull(PROJECT, 0)["versions"]
        assert [v["forced"] for v in versions] == [False, True]  # the server keeps it
    finally:
        boss.close()


def test_deleting_another_partys_feature_outside_coplan_is_refused(project_path):
    with Project.open(project_path, author="tester") as p:
        p.set_meta("role", "coordinator")  # a city's copy holds features others own
        F.add_feature(p, "STBHHX", RED_LINE, BOX, owner="320500")
        p.set_meta("role", "editor")
        H.commit(p, "as synced")  # written through CoPlan: checked when written
    outside_sql(project_path, 'DELETE FROM "STBHHX"')
    [problem] = refused(project_path).problems
    assert problem.problem.code == "owner" and "320500" in problem.problem.message
