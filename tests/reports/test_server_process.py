"""Publishing against a real server process: `coplan report --publish`, `coplan editions`,
`coplan download` over HTTP, with the roles of the registry."""

from __future__ import annotations

import json
import shutil

import pytest

from app.cli import main
from app.project import migrations
from app.project.project import Project
from tests import stores
from tests.sync.test_server_process import Server

PROJECT = "metro"


@pytest.fixture
def server(new_store, tmp_path):
    data = tmp_path / "server"
    store = new_store()
    store.create_project(PROJECT, "上海大都市圈", migrations.SCHEMA_VERSION)
    store.add_party(PROJECT, "office", "协同办公室", "office")
    store.add_party(PROJECT, "320500", "苏州市", "city")
    for user, party, role in (("pub", "office", "publisher"), ("eye", "320500", "observer")):
        store.add_user(user, None)
        store.grant(PROJECT, user, party, role)
    tokens = {u: store.issue_token(u) for u in ("pub", "eye")}
    srv = Server(data, stores.spec(store))
    srv.start()
    srv.tokens = tokens
    yield srv
    srv.stop()


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_publish_list_and_download_over_http(server, mini_template_project, tmp_path, capsys):
    path = tmp_path / "office.sqlite"
    shutil.copy(mini_template_project, path)
    with Project.open(path) as project:  # as if cloned: the project knows its server
        project.set_meta("remote_url", server.url)
        project.set_meta("remote_project", PROJECT)
    pub, eye = server.tokens["pub"], server.tokens["eye"]
    first = tmp_path / "release-1.pdf"
    code, out, err = run(capsys, "report", path, "--kind", "release", "--out", first, "--publish",
                         "--token", pub, "--dpi", 40)
    assert code == 0 and "published release v1" in out, err
    code, out, _ = run(capsys, "report", path, "--kind", "release", "--out", tmp_path / "r2.pdf",
                       "--publish", "--token", pub, "--dpi", 40)
    assert code == 0 and "published release v2" in out  # the next version, from the server
    code, out, _ = run(capsys, "editions", path, "--json", "--token", eye)
    records = json.loads(out)
    assert code == 0 and [(r["kind"], r["version"]) for r in records] == [("release", 1),
                                                                          ("release", 2)]
    assert {r["publisher_party"] for r in records} == {"office"}
    assert records[0]["edition_date"] == "2024-05-01" and records[0]["base_version"] == 0
    got = tmp_path / "downloaded.pdf"
    code, out, _ = run(capsys, "download", path, "release", 1, "--out", got, "--token", eye)
    assert code == 0 and got.read_bytes() == first.read_bytes()
    code, _, err = run(capsys, "report", path, "--kind", "onemap", "--out", tmp_path / "o.pdf",
                       "--publish", "--token", eye, "--dpi", 40)
    assert code == 3 and "may not publish" in err and err.count("\n") == 1
    with Project.open(path) as project:
        assert project.db.execute("SELECT count(*) FROM coplan_editions").fetchone()[0] == 2
