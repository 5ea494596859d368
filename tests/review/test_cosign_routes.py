"""The joint signature over HTTP (in-process): keys registered per party by a coordinator,
releases checked by the server (data version, frozen draft), signatures checked against the
membership's party, the key's state and the chain head, and one verifiable bundle."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.model.changes import DATA_SCHEMA_VERSION, ChangeSet
from app.model.ids import uuid7
from app.review import release as R
from app.review.client import ReviewRemote
from app.review.cosign import ChainMoved
from app.review.cosign_client import CosignRemote, fetch, sign_and_upload, upload_pending
from app.review.events import digest
from app.review.signing import keygen, load_keyring, load_signing_key, read_public_file
from app.sync.client import Remote
from app.sync.server import versions
from app.sync.server.store import Member
from tests.review.conftest import SECTIONS
from tests.sync.conftest import testclient_sender as sender_into

PROJECT = "metro"
USERS = [("boss", "office", "coordinator"), ("sz", "320500", "reviewer"),
         ("jx", "330400", "reviewer"), ("eye", "public", "observer")]
BASE = f"/api/v1/projects/{PROJECT}/review"
PARTIES = [{"code": "320500", "name": "苏州市"}, {"code": "330400", "name": "嘉兴市"}]


def prepare_store(store) -> None:
    """One (empty) data version on the server, as a party's push makes it."""
    cs = ChangeSet(uuid7(), "office", "boss", "底图", "2026-05-01T00:00:00Z", 0,
                   DATA_SCHEMA_VERSION, (), PROJECT)
    versions.push(store, Member("boss", PROJECT, "office", "coordinator"), cs, "0" * 64)


@pytest.fixture
def api(server):
    """Per user: (ReviewRemote, CosignRemote)."""
    client, store = server
    remotes = {u: Remote("http://testserver", store.issue_token(u), sender=sender_into(client),
                         sleep=lambda s: None) for u, _, _ in USERS}
    return {u: (ReviewRemote(r, PROJECT), CosignRemote(r, PROJECT)) for u, r in remotes.items()}


@pytest.fixture
def keys(api, tmp_path):
    """A registered signing key per city (private key files)."""
    found = {}
    for party in ("320500", "330400"):
        key, pub = keygen(tmp_path / f"k-{party}", party, f"{party}签署人")
        p = read_public_file(pub)
        api["boss"][1].register_key(p["party"], p["signer"], p["public_key"])
        found[party] = key
    return found


def frozen_round(api) -> None:
    boss = api["boss"][0]
    boss.open_round(1, {"zh": "第一轮"}, "sealed")
    boss.freeze(1, SECTIONS)


def make_release(folder, *, sections=SECTIONS, version=1, draft_hash=None) -> str:
    return R.freeze(folder, project=PROJECT, title="会签稿", sections=sections, round=1,
                    draft_hash=draft_hash or digest(SECTIONS),
                    data_version={"format": "coplan.data-version/v1", "project": PROJECT,
                                  "version": version},
                    ledger={"format": "coplan.ledger/v1"}, parties=PARTIES,
                    quorum={"rule": "all"})


@pytest.fixture
def registered(api, keys, tmp_path):
    """A release registered on the server; (folder, release hash)."""
    frozen_round(api)
    folder = tmp_path / "rel"
    digest_ = make_release(folder)
    api["boss"][1].register_release(R.release_files(folder))
    return folder, digest_


def test_keys_are_registered_by_coordinators_and_read_by_every_member(api, tmp_path):
    _, pub = keygen(tmp_path / "k", "320500", "张三")
    p = read_public_file(pub)
    with pytest.raises(PermissionDenied):
        api["sz"][1].register_key(p["party"], p["signer"], p["public_key"])
    with pytest.raises(NotFound):
        api["boss"][1].register_key("999999", p["signer"], p["public_key"])
    k = api["boss"][1].register_key(p["party"], p["signer"], p["public_key"])
    assert k["party"] == "320500" and len(k["fingerprint"]) == 64
    assert k["fingerprint"].startswith(k["key_id"]) and k["revoked_at"] is None
    with pytest.raises(ConflictError):
        api["boss"][1].register_key(p["party"], "李四", p["public_key"])
    ring = api["eye"][1].keyring()
    assert [x["key_id"] for x in ring["keys"]] == [k["key_id"]]
    assert ring["keys"][0]["registered_at"]
    revoked = api["boss"][1].revoke_key(k["key_id"], "离任")
    assert revoked["revoked_at"] and revoked["reason"] == "离任"
    with pytest.raises(ConflictError):
        api["boss"][1].revoke_key(k["key_id"])


def test_a_release_is_checked_by_the_server(api, keys, tmp_path):
    frozen_round(api)
    boss = api["boss"][1]
    make_release(tmp_path / "v9999", version=9999)
    with pytest.raises(InvalidInput, match="data version 9999 does not exist"):
        boss.register_release(R.release_files(tmp_path / "v9999"))
    make_release(tmp_path / "text", sections={**SECTIONS, "S1.1": "改过的条文"})
    with pytest.raises(InvalidInput, match="not exactly round 1's frozen draft"):
        boss.register_release(R.release_files(tmp_path / "text"))
    other = {**SECTIONS, "S1.1": "另一稿"}
    make_release(tmp_path / "other", sections=other, draft_hash=digest(other))
    with pytest.raises(InvalidInput, match="not round 1's frozen draft"):
        boss.register_release(R.release_files(tmp_path / "other"))
    files = R.release_files(tmp_path / "text")
    files["text.json"] = (tmp_path / "v9999" / "text.json").read_bytes()  # not the manifest's
    with pytest.raises(InvalidInput, match="does not match the manifest"):
        boss.register_release(files)
    release = make_release(tmp_path / "good")
    with pytest.raises(PermissionDenied):
        api["sz"][1].register_release(R.release_files(tmp_path / "good"))
    request = uuid7()
    first = boss.register_release(R.release_files(tmp_path / "good"), request)
    again = boss.register_release(R.release_files(tmp_path / "good"), request)
    assert first["release"] == again["release"] == release and first["head"] == release
    with pytest.raises(ConflictError, match="already registered"):
        boss.register_release(R.release_files(tmp_path / "good"))


def test_signatures_are_checked_against_the_member_key_and_head(api, keys, registered, tmp_path):
    folder, release = registered
    sz_key, jx_key = load_signing_key(keys["320500"]), load_signing_key(keys["330400"])
    entry = R.new_entry(sz_key, release, release, "sign")
    with pytest.raises(PermissionDenied, match="registered for party 320500"):
        api["jx"][1].upload_signature(release, entry)  # another party's member uploads it
    with pytest.raises(PermissionDenied):
        api["eye"][1].upload_signature(release, entry)
    forged = {**entry, "reason": "改过"}
    with pytest.raises(InvalidInput, match="does not verify"):
        api["sz"][1].upload_signature(release, forged)
    request = uuid7()
    summary = api["sz"][1].upload_signature(release, entry, request)
    assert summary["signed"] == ["320500"] and summary["head"] == R.entry_hash(entry)
    # A retry of the same request is answered again, though the head has moved past it.
    assert api["sz"][1].upload_signature(release, entry, request)["length"] == 1
    stale = R.new_entry(jx_key, release, release, "sign")  # made before Suzhou's was accepted
    with pytest.raises(ConflictError, match="head is now") as refused:
        api["jx"][1].upload_signature(release, stale)
    assert R.entry_hash(entry) in refused.value.message
    assert ChainMoved.__mro__[1] is ConflictError


def test_a_revoked_key_cannot_sign(api, keys, registered):
    _, release = registered
    key = load_signing_key(keys["320500"])
    api["boss"][1].revoke_key(key.public.key_id, "丢失")
    with pytest.raises(PermissionDenied, match="revoked"):
        api["sz"][1].upload_signature(release, R.new_entry(key, release, release, "sign"))


def test_each_party_signs_on_its_machine_and_the_bundle_verifies(api, keys, registered,
                                                                 tmp_path, server):
    _, release = registered
    machines = {}
    for user, party in (("sz", "320500"), ("jx", "330400")):
        machines[party] = fetch(api[user][1], release, tmp_path / f"machine-{party}")
    # Jiaxing signs offline first, Suzhou uploads meanwhile: Jiaxing's upload is refused...
    R.sign(machines["330400"], load_signing_key(keys["330400"]))
    sign_and_upload(api["sz"][1], machines["320500"], load_signing_key(keys["320500"]))
    with pytest.raises(ConflictError):
        upload_pending(api["jx"][1], machines["330400"])
    # ...and signing with --upload signs again on the server's head.
    sign_and_upload(api["jx"][1], machines["330400"], load_signing_key(keys["330400"]))
    assert upload_pending(api["jx"][1], machines["330400"]) == 0
    client, store = server
    answer = client.get(f"{BASE}/releases/{release}/bundle",
                        headers={"Authorization": f"Bearer {store.issue_token('sz')}"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    bundle = tmp_path / "bundle"
    zipfile.ZipFile(io.BytesIO(answer.content)).extractall(bundle)
    assert sorted(p.name for p in bundle.iterdir()) == sorted(
        ["manifest.json", "text.json", "data-version.json", "ledger.json", "signatures.jsonl",
         "keyring.json"])
    result = R.verify(bundle, load_keyring(bundle / "keyring.json"))
    assert result.ok and sorted(result.signed) == ["320500", "330400"], result.problems
    assert json.loads((bundle / "text.json").read_text())["sections"] == SECTIONS
    # The server's head in the keyring catches a log cut back to before Jiaxing's signature.
    R.write_log(bundle, R.read_log(bundle)[:1])
    assert R.verify(bundle, load_keyring(bundle / "keyring.json")).codes == [
        "broken_chain", "missing_signature"]


def test_observers_do_not_read_releases(api, registered):
    _, release = registered
    with pytest.raises(PermissionDenied):
        api["eye"][1].release(release)
    assert api["sz"][1].releases()[0]["release"] == release


def test_a_release_larger_than_the_default_body_cap_is_accepted(api, keys, tmp_path):
    big = {"S1.1": "加强区域港口协作与联动。" * 60_000}  # about 2 MiB of UTF-8
    boss = api["boss"][0]
    boss.open_round(1, {"zh": "第一轮"}, "sealed")
    boss.freeze(1, big)
    release = make_release(tmp_path / "big", sections=big, draft_hash=digest(big))
    assert sum(map(len, R.release_files(tmp_path / "big").values())) > 2 * 1024 * 1024
    assert api["boss"][1].register_release(R.release_files(tmp_path / "big"))["release"] == release
