"""Sync across catalogue versions: a replica made with the previous catalogue syncs once opened
by this CoPlan; a replica still on the previous catalogue refuses newer data without applying
any of it; a server on the previous catalogue refuses a change set with a new field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from fastapi.testclient import TestClient

from app.errors import CoplanError
from app.model.catalogue import parse_catalogue
from app.project import features as F
from app.project import history as H
from app.project import project as project_module
from app.project.project import Project
from app.sync import replica
from app.sync.client import Remote
from app.sync.server import api
from tests.sync import conftest as sync_setup
from tests.sync.conftest import PROJECT

OLD = Path(__file__).resolve().parents[1] / "project" / "fixtures" / "layers-2026.11.1.json"
DISTRICT = {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市", "JQMC": "新华路历史文化风貌区",
            "PZWH": "沪府〔2003〕7号"}
AREA = shapely.box(121.42, 31.19, 121.43, 31.2)


@pytest.fixture(scope="module")
def old_catalogue():
    return parse_catalogue(json.loads(OLD.read_text(encoding="utf-8")))


def _sync(project, remote):
    return replica.run(replica.sync_steps(project, remote))


@pytest.fixture
def old_sh(remote_for, tmp_path, monkeypatch, old_catalogue):
    """Shanghai's replica as the previous CoPlan made it, with one pushed feature; the path."""
    path = tmp_path / "sh.sqlite"
    with monkeypatch.context() as patch:  # the open project keeps the catalogue it was made with
        patch.setattr(project_module, "load_catalogue", lambda: old_catalogue)
        sh = replica.run(replica.clone_steps(remote_for("sh"), PROJECT, path))
    assert "PZRQ" not in sh.layer("LSWHJQ").field_names and len(sh.layers()) == 26
    feature = F.add_feature(sh, "LSWHJQ", DISTRICT, AREA)
    H.commit(sh, "district")
    _sync(sh, remote_for("sh"))
    yield sh, path, feature.uuid
    sh.close()


def _boss_sets_the_approval_date(remote_for, tmp_path, uuid):
    boss = replica.run(replica.clone_steps(remote_for("boss"), PROJECT, tmp_path / "boss.sqlite"))
    F.update_feature(boss, "LSWHJQ", uuid, {"PZRQ": "2003-05-20"})
    H.commit(boss, "approval date")
    _sync(boss, remote_for("boss"))
    return boss


def test_a_replica_of_the_previous_catalogue_refuses_newer_data_whole(old_sh, remote_for, tmp_path):
    sh, path, uuid = old_sh
    boss = _boss_sets_the_approval_date(remote_for, tmp_path, uuid)
    before = sh.base_version
    with pytest.raises(CoplanError, match="PZRQ"):
        _sync(sh, remote_for("sh"))
    assert sh.base_version == before  # nothing applied, the pull can be repeated
    assert F.get_feature(sh, "LSWHJQ", uuid).attrs["JQMC"] == DISTRICT["JQMC"]
    sh.close()
    # This CoPlan opens the file, adds the field, and the same pull now goes through.
    with Project.open(path) as upgraded:
        _sync(upgraded, remote_for("sh"))
        assert F.get_feature(upgraded, "LSWHJQ", uuid).attrs["PZRQ"] == "2003-05-20"
        assert upgraded.base_version == boss.base_version
    boss.close()


def test_an_upgraded_replica_syncs_new_fields_and_layers_both_ways(old_sh, remote_for, tmp_path):
    sh, path, uuid = old_sh
    sh.close()
    boss = replica.run(replica.clone_steps(remote_for("boss"), PROJECT, tmp_path / "boss.sqlite"))
    with Project.open(path, author="sh") as upgraded:
        F.update_feature(upgraded, "LSWHJQ", uuid, {"PZRQ": "20030520"})
        F.add_feature(upgraded, "ZRBHD", {"BSM": "2", "XZQDM": "310000", "XZQMC": "上海市",
                                          "MC": "崇明东滩鸟类国家级自然保护区", "ZRBHDLX": "自然保护区"},
                      shapely.box(121.9, 31.45, 122.0, 31.55))
        H.commit(upgraded, "new catalogue fields")
        _sync(upgraded, remote_for("sh"))
        _sync(boss, remote_for("boss"))
        assert F.get_feature(boss, "LSWHJQ", uuid).attrs["PZRQ"] == "2003-05-20"
        [area] = F.iter_features(boss, "ZRBHD")
        assert area.attrs["MC"] == "崇明东滩鸟类国家级自然保护区"
        F.add_feature(boss, "SD", {"BSM": "3", "XZQDM": "310000", "XZQMC": "上海市",
                                   "YDYHFLDM": "0505", "YDYHFLMC": "沿海滩涂"},
                      shapely.box(121.95, 31.5, 121.97, 31.52))
        H.commit(boss, "wetland")
        _sync(boss, remote_for("boss"))
        _sync(upgraded, remote_for("sh"))
        [wetland] = F.iter_features(upgraded, "SD")
        assert wetland.attrs["YDYHFLDM"] == "0505" and wetland.owner == "office"
    boss.close()


def test_a_server_on_the_previous_catalogue_refuses_a_new_field(
        store, monkeypatch, old_catalogue, tmp_path):
    monkeypatch.setattr(api, "load_catalogue", lambda: old_catalogue)
    with TestClient(api.create_app(store), raise_server_exceptions=False) as old_server:
        remote = Remote("http://testserver", store.issue_token("sh"),
                        sender=sync_setup.testclient_sender(old_server), sleep=lambda s: None)
        monkeypatch.undo()  # the replica runs this CoPlan
        sh = replica.run(replica.clone_steps(remote, PROJECT, tmp_path / "sh.sqlite"))
        F.add_feature(sh, "LSWHJQ", {**DISTRICT, "PZRQ": "2003-05-20"}, AREA)
        H.commit(sh, "with a date")
        with pytest.raises(CoplanError, match="PZRQ"):
            _sync(sh, remote)
        assert remote.pull(PROJECT, 0)["head"] == 0  # nothing stored
        sh.close()
