"""The joint signature end to end over a real `coplan serve`, only through the CLI: keys
registered by the coordinator, a release built from the server (data version checked, the
frozen draft's text, open items warned), signed on two machines, fetched and verified offline."""

from __future__ import annotations

import re

import pytest

from app.cli import main
from app.model.changes import DATA_SCHEMA_VERSION
from app.project.project import Project
from app.review.client import ReviewRemote
from app.sync.client import Remote
from tests import stores
from tests.review.conftest import SECTIONS, comment
from tests.review.test_cosign_routes import prepare_store as push_version
from tests.servers import Server

PROJECT = "metro"
USERS = [("boss", "office", "coordinator"), ("sz", "320500", "reviewer"),
         ("jx", "330400", "reviewer")]


@pytest.fixture
def server(new_store, tmp_path):
    store = new_store()
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    for code, name, kind in [("office", "办公室", "office"), ("320500", "苏州市", "city"),
                             ("330400", "嘉兴市", "city")]:
        store.add_party(PROJECT, code, name, kind)
    for user, party, role in USERS:
        store.add_user(user, None)
        store.grant(PROJECT, user, party, role)
    push_version(store)
    tokens = {u: store.issue_token(u) for u, _, _ in USERS}
    srv = Server(tmp_path / "server", stores.spec(store))
    srv.start()
    srv.tokens = tokens
    yield srv
    srv.stop()


def run(capsys, monkeypatch, server, user: str, *argv) -> tuple[int, str, str]:
    """`coplan ARGV` as `user` (its token); (exit code, stdout, stderr)."""
    monkeypatch.setenv("COPLAN_TOKEN", server.tokens[user])
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_release_signed_on_two_machines_and_verified_offline(server, project_path, tmp_path,
                                                             capsys, monkeypatch):
    boss = ReviewRemote(Remote(server.url, server.tokens["boss"], retries=1, backoff=0.05),
                        PROJECT)
    boss.open_round(1, {"zh": "第一轮"}, "sealed")
    boss.freeze(1, SECTIONS)
    boss.invite(1, "320500")
    boss.advance(1, "issued")
    boss.advance(1, "collecting")
    ReviewRemote(Remote(server.url, server.tokens["sz"], retries=1), PROJECT).submit(
        comment("320500"))
    with Project.open(project_path) as project:
        project.set_meta("remote_url", server.url)
        project.set_meta("remote_project", PROJECT)
    p = project_path

    def cli(user, *argv):
        return run(capsys, monkeypatch, server, user, *argv)

    pubs = {}
    for user, party in (("sz", "320500"), ("jx", "330400")):
        assert cli(user, "keygen", "--party", party, "--signer", user, "--out",
                   tmp_path / f"home-{user}")[0] == 0
        pubs[user] = next((tmp_path / f"home-{user}").glob("*.pub.json"))
        code, out, _ = cli("boss", "keys", "register", p, "--pub", pubs[user])
        assert code == 0 and f"for party {party}" in out and "fingerprint" in out
    assert cli("sz", "keys", "register", p, "--pub", pubs["sz"])[0] == 3  # not a coordinator
    code, out, _ = cli("sz", "keys", "list", p)
    assert code == 0 and "320500" in out and "330400" in out and "北京时间" not in out

    signatories = ["--signatory", "320500=苏州市", "--signatory", "330400"]
    code, _, err = cli("boss", "release", p, "--round", "1", "--data-version", "9999",
                       *signatories, "--out", tmp_path / "nope")
    assert code == 2 and "data version 9999 does not exist on the server" in err
    code, _, err = cli("boss", "release", p, "--round", "1", "--data-version", "1", *signatories,
                       "--strict", "--out", tmp_path / "strict")
    assert code == 2 and "still open" in err and not (tmp_path / "strict").exists()
    code, out, err = cli("boss", "release", p, "--round", "1", "--data-version", "1",
                         *signatories, "--out", tmp_path / "office")
    assert code == 0 and "warning: 1 comment(s) still open" in err and "320500 round 1" in err
    release = re.search(r"release ([0-9a-f]{64})", out).group(1)

    # Each city on its own machine: fetch, sign, upload (Suzhou at once, Jiaxing later).
    assert cli("sz", "release", "fetch", p, release, "--out", tmp_path / "sz-rel")[0] == 0
    key_sz = next((tmp_path / "home-sz").glob("*.key"))
    code, out, _ = cli("sz", "sign", tmp_path / "sz-rel", "--key", key_sz, "--upload", p)
    assert code == 0 and "uploaded" in out
    assert cli("jx", "release", "fetch", p, release, "--out", tmp_path / "jx-rel")[0] == 0
    key_jx = next((tmp_path / "home-jx").glob("*.key"))
    assert cli("jx", "sign", tmp_path / "jx-rel", "--key", key_jx)[0] == 0
    code, out, _ = cli("jx", "signatures", "upload", p, tmp_path / "jx-rel")
    assert code == 0 and "sent 1 signature entry" in out

    # Anyone fetches the one bundle and verifies it offline with its keyring or an exported one.
    assert cli("boss", "release", "fetch", p, release, "--out", tmp_path / "final")[0] == 0
    code, out, _ = cli("boss", "verify", tmp_path / "final", "--keyring",
                       tmp_path / "final" / "keyring.json")
    assert code == 0 and out.strip().endswith("verified") and "330400" in out
    assert cli("boss", "keys", "export", p, "--out", tmp_path / "ring.json")[0] == 0
    assert cli("boss", "verify", tmp_path / "final", "--keyring", tmp_path / "ring.json")[0] == 0

    # Jiaxing's key is revoked: its signature made before still counts; one made after, not.
    key_id = re.search(r"-([0-9a-f]{16})\.key$", key_jx.name).group(1)
    assert cli("boss", "keys", "revoke", p, key_id, "--reason", "离任")[0] == 0
    assert cli("boss", "keys", "export", p, "--out", tmp_path / "ring2.json")[0] == 0
    assert cli("boss", "verify", tmp_path / "final", "--keyring", tmp_path / "ring2.json")[0] == 0
    code, _, err = cli("jx", "sign", tmp_path / "jx-rel", "--key", key_jx, "--withdraw",
                       "--upload", p)
    assert code == 3 and "revoked" in err
    assert cli("jx", "sign", tmp_path / "final", "--key", key_jx, "--withdraw")[0] == 0
    assert cli("jx", "sign", tmp_path / "final", "--key", key_jx)[0] == 0  # a stolen key's rejoin
    code, out, _ = cli("boss", "verify", tmp_path / "final", "--keyring", tmp_path / "ring2.json")
    assert code == 1 and "REVOKED KEY: signatures.jsonl line 3" in out
    assert "NOT verified: revoked key" in out
