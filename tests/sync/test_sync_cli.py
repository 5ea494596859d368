"""The sync commands end to end: admin → serve → login → clone → edit → sync → conflicts → resolve."""

from __future__ import annotations

import io
import json
import sys

import shapely

from app.cli import main
from app.project import features as F
from app.project.project import Project
from app.sync import credentials
from tests import stores
from tests.servers import Server


def run(capsys, monkeypatch, *argv, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_sync_commands(tmp_path, capsys, monkeypatch, store_kind):
    monkeypatch.setenv("COPLAN_CREDENTIALS", str(tmp_path / "credentials.json"))
    data = tmp_path / "srv"
    spec = stores.store_spec(store_kind, data)
    admin = ["admin", "--store", spec]
    assert run(capsys, monkeypatch, *admin, "create-project", "metro", "--name", "都市圈")[0] == 0
    for code, kind in (("310000", "city"), ("office", "office")):
        assert run(capsys, monkeypatch, *admin, "add-party", "metro", code, "--type", kind)[0] == 0
    for user, party, role in (("sh", "310000", "editor"), ("boss", "office", "coordinator")):
        assert run(capsys, monkeypatch, *admin, "add-user", user, "--password-stdin",
                   stdin=f"pw-{user}\n")[0] == 0
        assert run(capsys, monkeypatch, *admin, "grant", "metro", user, "--party", party,
                   "--role", role)[0] == 0
    code, out, err = run(capsys, monkeypatch, *admin, "grant", "metro", "sh", "--party", "nope",
                         "--role", "editor")
    assert code != 0 and "no party nope" in err
    server = Server(data, spec)
    url = server.start()
    try:
        flow(tmp_path, capsys, monkeypatch, url)
    finally:
        server.stop()
        if store_kind == "postgresql":
            stores.CLUSTER.drop(spec)


def flow(tmp_path, capsys, monkeypatch, url):
    code, out, _ = run(capsys, monkeypatch, "login", url, "--user", "sh", "--password-stdin",
                       stdin="pw-sh\n")
    assert code == 0 and (tmp_path / "credentials.json").stat().st_mode & 0o777 == 0o600
    assert credentials.user_for(url + "/") == "sh"  # who logged in: the author of comments
    code, _, err = run(capsys, monkeypatch, "login", url, "--user", "sh", "--password-stdin",
                       stdin="wrong\n")
    assert code == 4 and "wrong user name or password" in err
    sh_path, boss_path = tmp_path / "sh.sqlite", tmp_path / "boss.sqlite"
    assert run(capsys, monkeypatch, "clone", url, "metro", sh_path)[0] == 0
    with Project.open(sh_path) as sh:
        f = F.add_feature(sh, "STBHHX", {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市"},
                          shapely.box(121.9, 31.4, 121.95, 31.45))
    assert run(capsys, monkeypatch, "commit", sh_path, "-m", "add")[0] == 0
    code, out, _ = run(capsys, monkeypatch, "sync", sh_path)
    assert code == 0 and "pushed 1" in out
    sh_token = json.loads((tmp_path / "credentials.json").read_text())[url]
    run(capsys, monkeypatch, "login", url, "--user", "boss", "--password-stdin", stdin="pw-boss\n")
    assert run(capsys, monkeypatch, "clone", url, "metro", boss_path)[0] == 0
    # Both rename the same feature: a conflict, decided by the coordinator.
    for path, name in ((sh_path, "沪"), (boss_path, "办")):
        with Project.open(path) as p:
            F.update_feature(p, "STBHHX", f.uuid, {"HXMC": name})
        assert run(capsys, monkeypatch, "commit", path, "-m", name)[0] == 0
    monkeypatch.setenv("COPLAN_TOKEN", sh_token)
    assert run(capsys, monkeypatch, "sync", sh_path)[0] == 0
    monkeypatch.delenv("COPLAN_TOKEN")  # the saved token of the last login (boss)
    code, out, _ = run(capsys, monkeypatch, "sync", boss_path)
    assert code == 0 and "1 conflict(s)" in out
    code, out, _ = run(capsys, monkeypatch, "conflicts", boss_path, "--json")
    [conflict] = json.loads(out)
    assert conflict["cells"]["HXMC"] == [None, "沪", "办"]
    code, out, _ = run(capsys, monkeypatch, "resolve", boss_path, conflict["id"], "--take", "theirs")
    assert code == 0 and "resolved conflict" in out
    with Project.open(boss_path) as boss:
        assert F.get_feature(boss, "STBHHX", f.uuid).attrs["HXMC"] == "办"
    code, out, _ = run(capsys, monkeypatch, "conflicts", boss_path)
    assert code == 0 and "0 conflict(s)" in out
    code, out, _ = run(capsys, monkeypatch, "push", boss_path)
    assert code == 0 and "pushed 0" in out
    refused_then_dropped(capsys, monkeypatch, boss_path, f.uuid)


def refused_then_dropped(capsys, monkeypatch, path, uuid):
    """A change set the server refuses waits in the outbox; `drop` lets sync go on."""
    import math
    ring = [(121.5 + 0.01 * math.cos(k / 40_000), 31.2 + 0.01 * math.sin(k / 40_000))
            for k in range(250_001)]  # over the 200,000-vertex cap
    with Project.open(path) as p:
        F.update_feature(p, "STBHHX", uuid, geom=shapely.Polygon(ring))
    assert run(capsys, monkeypatch, "commit", path, "-m", "too big")[0] == 0
    code, _, err = run(capsys, monkeypatch, "sync", path)
    assert code != 0 and "refused" in err and "vertices" in err
    code, out, _ = run(capsys, monkeypatch, "outbox", path)
    assert code == 0 and "too big" in out and "refused" in out and "1 change set(s) waiting" in out
    cs_id = out.split()[0]
    code, out, err = run(capsys, monkeypatch, "drop", path, cs_id)
    assert code == 0 and "dropped change set" in out, err
    code, out, _ = run(capsys, monkeypatch, "sync", path)
    assert code == 0
    with Project.open(path) as p:
        assert shapely.get_num_coordinates(F.get_feature(p, "STBHHX", uuid).geometry) == 5
