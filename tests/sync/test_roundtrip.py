import shapely

from app.project import features as F
from app.project import history as H
from app.sync import replica
from tests.sync.conftest import PROJECT

RED = {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "东滩"}


def clone(remote_for, user, tmp_path):
    return replica.run(replica.clone_steps(remote_for(user), PROJECT, tmp_path / f"{user}.sqlite"))


def test_push_pull_between_two_parties(remote_for, tmp_path):
    sh, sz = clone(remote_for, "sh", tmp_path), clone(remote_for, "sz", tmp_path)
    f = F.add_feature(sh, "STBHHX", RED, shapely.box(121.9, 31.4, 121.95, 31.45))
    H.commit(sh, "红线")
    report = replica.run(replica.sync_steps(sh, remote_for("sh")))
    assert report.version == 1 and report.clashes == []
    replica.run(replica.sync_steps(sz, remote_for("sz")))
    got = F.get_feature(sz, "STBHHX", f.uuid)
    assert got.attrs == f.attrs and got.owner == "310000" and got.geometry.equals(f.geometry)
    assert H.pending(sz) == []
