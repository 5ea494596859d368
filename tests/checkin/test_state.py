"""The server's state of a party's data at a version (what QC runs on), and check-ins kept by
backup and restore, on both stores."""

from __future__ import annotations

from app.checkin.client import CheckinRemote, submittable_version
from app.checkin.state import party_rows
from app.project import features as F
from app.project import history as H
from app.sync import replica
from app.sync.server import backup
from tests.checkin.conftest import PROJECT, clone, push_red_lines, red_line, remote


def names(rows: dict) -> dict[str, str]:
    return {row["BSM"]: row["HXMC"] for row in rows.values()}


def test_party_rows_are_the_state_at_the_version(server, tmp_path):
    sh = clone(server, tmp_path, "sh")
    first = push_red_lines(server, sh, "sh", [red_line("1", 121.5), red_line("2", 121.7)])
    by_bsm = {f.attrs["BSM"]: f.uuid for f in F.iter_features(sh, "STBHHX")}
    F.update_feature(sh, "STBHHX", by_bsm["1"], {"HXMC": "改名"})
    F.delete_feature(sh, "STBHHX", by_bsm["2"])
    attrs, geom = red_line("3", 121.9)
    F.add_feature(sh, "STBHHX", attrs, geom)
    H.commit(sh, "改、删、增")
    second = replica.run(replica.sync_steps(sh, remote(server, "sh"))).version
    sz = clone(server, tmp_path, "sz")
    push_red_lines(server, sz, "sz", [({**red_line("9", 120.6)[0], "XZQDM": "320500",
                                        "XZQMC": "苏州市"}, red_line("9", 120.6)[1])])
    with server.store.reading() as s:
        at_first = party_rows(s, PROJECT, "310000", first)
        at_second = party_rows(s, PROJECT, "310000", second)
        suzhou = party_rows(s, PROJECT, "320500", second + 1)
        suzhou_before = party_rows(s, PROJECT, "320500", second)
    assert names(at_first) == {"1": "东滩1", "2": "东滩2"}
    assert names(at_second) == {"1": "改名", "3": "东滩3"}
    assert names(suzhou) == {"9": "东滩9"} and suzhou_before == {}
    assert {key[1] for key in at_first} == {by_bsm["1"], by_bsm["2"]}
    assert all(row["geom"] for row in at_first.values())


def test_checkins_survive_backup_and_restore(server, tmp_path, new_store):
    sh = clone(server, tmp_path, "sh")
    push_red_lines(server, sh, "sh", [red_line("1", 121.5), red_line("1", 121.7)])
    api = CheckinRemote(remote(server, "sh"), PROJECT)
    api.submit(submittable_version(sh), "备份前")
    CheckinRemote(remote(server, "boss"), PROJECT).return_(1, "重复标识码")
    backup.backup(server.store, tmp_path / "backup.tar")
    target = new_store("restored")  # discarded by the fixture
    backup.restore(target, tmp_path / "backup.tar")
    with server.store.reading() as s, target.reading() as t:
        assert t.submission(PROJECT, 1) == s.submission(PROJECT, 1)
        assert t.submission(PROJECT, 1)["findings"]
