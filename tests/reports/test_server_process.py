"""Publishing against a real server process: `coplan report --publish`, `coplan editions`,
`coplan download` over HTTP, with the roles of the registry; refused publishes write nothing."""

from __future__ import annotations

import json
import shutil

import pytest
import requests

from app.cli import main
from app.content.store import update_section
from app.model.changes import DATA_SCHEMA_VERSION
from app.project import history
from app.project.project import Project
from app.sync import replica
from app.sync.client import Remote
from tests import stores
from tests.reports.conftest import run as poppler_run
from tests.servers import Server

PROJECT = "metro"


@pytest.fixture
def server(new_store, tmp_path):
    data = tmp_path / "server"
    store = new_store()
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    for party, name, kind in (("office", "协同办公室", "office"), ("310000", "上海市", "city"),
                              ("320500", "苏州市", "city"), ("310000-JTW", "上海市交通委", "department")):
        store.add_party(PROJECT, party, name, kind)
    users = (("pub", "office", "publisher"), ("eye", "320500", "observer"),
             ("boss", "310000", "coordinator"))
    for user, party, role in users:
        store.add_user(user, None)
        store.grant(PROJECT, user, party, role)
    tokens = {u: store.issue_token(u) for u, _, _ in users}
    srv = Server(data, stores.spec(store))
    srv.start()
    srv.tokens = tokens
    yield srv
    srv.stop()


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def sync(server, path, message: str | None = None) -> int:
    """Commit (when `message`) and sync the coordinator's copy; its new base version."""
    with Project.open(path) as project:
        if message:
            history.commit(project, message)
        replica.run(replica.sync_steps(project, Remote(server.url, server.tokens["boss"])))
        return project.base_version


@pytest.fixture
def synced(server, mini_template_project, tmp_path):
    """The coordinator's mini project, committed and pushed to the server."""
    path = tmp_path / "office.sqlite"
    shutil.copy(mini_template_project, path)
    with Project.open(path) as project:  # as if cloned: the project knows its server
        project.set_meta("remote_url", server.url)
        project.set_meta("remote_project", PROJECT)
    assert sync(server, path, "mini") == 1
    return path


def test_publish_list_and_download_over_http(server, synced, tmp_path, capsys):
    path = synced
    pub, eye = server.tokens["pub"], server.tokens["eye"]
    first = tmp_path / "release-1.pdf"
    code, out, err = run(capsys, "report", path, "--kind", "release", "--out", first, "--publish",
                         "--token", pub, "--dpi", 40)
    assert code == 0 and "published release v1" in out, err
    footer = poppler_run("pdftotext", first, "-")
    assert "数据版本 data v1" in footer and "本地" not in footer  # the server version it refers to
    code, out, _ = run(capsys, "report", path, "--kind", "release", "--out", tmp_path / "r2.pdf",
                       "--publish", "--token", pub, "--dpi", 40)
    assert code == 0 and "published release v2" in out  # the next version, from the server
    code, out, _ = run(capsys, "editions", path, "--json", "--token", eye)
    records = json.loads(out)
    assert code == 0 and [(r["kind"], r["version"]) for r in records] == [("release", 1),
                                                                          ("release", 2)]
    assert {r["publisher_party"] for r in records} == {"office"}
    assert records[0]["edition_date"] == "2024-05-01" and records[0]["base_version"] == 1
    got = tmp_path / "downloaded.pdf"
    code, out, _ = run(capsys, "download", path, "release", 1, "--out", got, "--token", eye)
    assert code == 0 and got.read_bytes() == first.read_bytes()
    code, _, err = run(capsys, "report", path, "--kind", "onemap", "--out", tmp_path / "o.pdf",
                       "--publish", "--token", eye, "--dpi", 40)
    assert code == 3 and "may not publish" in err and err.count("\n") == 1
    with Project.open(path) as project:
        assert project.db.execute("SELECT count(*) FROM coplan_editions").fetchone()[0] == 2
    assert not (tmp_path / "o.pdf").exists()  # refused by the server: nothing written


def edition_count(path) -> int:
    with Project.open(path) as project:
        return project.db.execute("SELECT count(*) FROM coplan_editions").fetchone()[0]


def refused(capsys, path, out, token, *extra) -> str:
    """Publish the release edition, expecting a one-line refusal and no file at all."""
    code, _, err = run(capsys, "report", path, "--kind", "release", "--out", out, "--publish",
                       "--token", token, "--dpi", 30, *extra)
    assert code != 0 and err.count("\n") == 1, err
    assert list(out.parent.glob("*.pdf")) == []
    return err


def test_refused_publishes_write_no_pdf(server, synced, tmp_path, capsys):
    pub, out = server.tokens["pub"], tmp_path / "out" / "release.pdf"
    out.parent.mkdir()
    with Project.open(synced) as project:
        update_section(project, "S1", body_zh="交通一体化：修订稿。")
    assert "1 uncommitted change(s)" in refused(capsys, synced, out, pub)
    with Project.open(synced) as project:
        history.commit(project, "修订 S1")
    assert "not on the server yet" in refused(capsys, synced, out, pub)
    sync(server, synced)
    with Project.open(synced) as project:
        update_section(project, "Z1.goal", body_zh="")
    assert sync(server, synced, "清空 Z1.goal") == 3
    assert "no text (first: 板块目标标题)" in refused(capsys, synced, out, pub)
    with Project.open(synced) as project:
        update_section(project, "Z1.goal", body_zh="共建世界级湖区。")
    sync(server, synced, "Z1.goal")
    assert edition_count(synced) == 0
    code, listed, _ = run(capsys, "editions", synced, "--json", "--token", pub)
    assert code == 0 and json.loads(listed) == []  # nothing reached the server either


def test_a_version_is_not_published_again_with_other_content(server, synced, tmp_path, capsys):
    pub = server.tokens["pub"]
    first = tmp_path / "release-1.pdf"
    argv = ("report", synced, "--kind", "release", "--publish", "--token", pub, "--dpi", 30,
            "--version", 1)
    assert run(capsys, *argv, "--out", first)[0] == 0
    again = tmp_path / "again" / "release-1.pdf"
    again.parent.mkdir()
    code, out, err = run(capsys, *argv, "--out", again)  # same inputs: a safe retry
    assert code == 0 and again.read_bytes() == first.read_bytes(), err
    with Project.open(synced) as project:
        update_section(project, "S1", body_zh="交通一体化：修订稿。")
    sync(server, synced, "修订 S1")
    other = tmp_path / "other" / "release-1.pdf"
    other.parent.mkdir()
    err = refused(capsys, synced, other, pub, "--version", 1)
    assert "release version 1 is already published with other content" in err
    code, out, _ = run(capsys, *argv[:-2], "--out", other)  # the next version goes through
    assert code == 0 and "published release v2" in out


def test_a_partial_copy_is_refused_by_the_client_and_the_server(server, synced, tmp_path, capsys):
    city = tmp_path / "320500.sqlite"
    shutil.copy(synced, city)
    with Project.open(city) as project:
        project.set_meta("party", "320500")
        project.set_meta("role", "editor")
    out = tmp_path / "out" / "release.pdf"
    out.parent.mkdir()
    err = refused(capsys, city, out, server.tokens["pub"])
    assert "a partial draft cannot be published" in err
    draft = tmp_path / "draft.pdf"
    code, text, _ = run(capsys, "report", city, "--kind", "release", "--out", draft, "--partial",
                        "--dpi", 30)
    assert code == 0 and "PARTIAL DRAFT" in text and not draft.exists()
    body = (tmp_path / "draft-partial.pdf").read_bytes()
    reply = requests.put(f"{server.url}/api/v1/projects/{PROJECT}/editions/release/1",
                         data=body, headers={"Authorization": f"Bearer {server.tokens['pub']}",
                                             "Content-Type": "application/pdf"},
                         params={"edition_date": "2024-05-01", "content_hash": "a" * 64,
                                 "layers_hash": "b" * 64, "base_version": 1}, timeout=30)
    assert reply.status_code == 422 and "partial draft" in reply.json()["error"]["message"]


def test_a_publish_to_a_missing_folder_is_refused_before_the_upload(server, synced, tmp_path,
                                                                     capsys):
    pub = server.tokens["pub"]
    code, _, err = run(capsys, "report", synced, "--kind", "release", "--publish", "--token", pub,
                       "--out", tmp_path / "no" / "release.pdf")
    assert code != 0 and "its folder does not exist" in err and err.count("\n") == 1
    code, listed, _ = run(capsys, "editions", synced, "--json", "--token", pub)
    assert json.loads(listed) == [] and edition_count(synced) == 0
