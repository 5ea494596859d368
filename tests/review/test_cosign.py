"""The joint-signature commands on an in-memory review: keys per party, a release of the frozen
draft, the chain of signatures folded from the events whatever order they arrive in."""

from __future__ import annotations

import base64
import random

import pytest

from app.errors import ConflictError, InvalidInput, PermissionDenied
from app.review import cosign
from app.review import release as R
from app.review.events import digest
from app.review.signing import keygen, load_signing_key
from tests.review.conftest import BOSS, JX, SECTIONS, SZ, new_id, open_round


@pytest.fixture
def keys(review, tmp_path):
    """A registered key per city."""
    found = {}
    for party in ("320500", "330400"):
        key = load_signing_key(keygen(tmp_path / party, party, f"{party}签署人")[0])
        cosign.register_key(review, BOSS, party, key.public.signer,
                            base64.b64encode(key.public.raw).decode(), event_id=new_id())
        found[party] = key
    return found


@pytest.fixture
def released(review, keys, tmp_path):
    """A registered release of round 1's frozen draft; its hash."""
    open_round(review, 1, stage="issued")
    digest_ = R.freeze(tmp_path / "rel", project="m", title="t", sections=SECTIONS, round=1,
                       draft_hash=digest(SECTIONS), data_version={"version": 3}, ledger={},
                       parties=[{"code": "320500", "name": "苏州市"},
                                {"code": "330400", "name": "嘉兴市"}], quorum={"rule": "all"})
    cosign.register_release(review, BOSS, R.release_files(tmp_path / "rel"), lambda v: v <= 3,
                            event_id=new_id())
    return digest_


def test_release_needs_an_existing_data_version_and_the_frozen_text(review, keys, tmp_path):
    open_round(review, 1, stage="issued")
    parties = [{"code": "320500", "name": "苏州市"}]
    for name, sections, version, message in [
            ("v", SECTIONS, 9999, "data version 9999 does not exist"),
            ("t", {**SECTIONS, "S1.1": "别的"}, 3, "not exactly round 1's frozen draft")]:
        R.freeze(tmp_path / name, project="m", title="t", sections=sections, round=1,
                 draft_hash=digest(SECTIONS), data_version={"version": version}, ledger={},
                 parties=parties, quorum={"rule": "all"})
        with pytest.raises(InvalidInput, match=message):
            cosign.register_release(review, BOSS, R.release_files(tmp_path / name),
                                    lambda v: v <= 3, event_id=new_id())


def test_signatures_chain_and_fold_in_any_order(review, keys, released):
    sz, jx = keys["320500"], keys["330400"]
    first = R.new_entry(sz, released, released, "sign")
    cosign.add_signature(review, SZ, released, first, event_id=new_id())
    with pytest.raises(PermissionDenied, match="registered for party 320500"):
        cosign.add_signature(review, JX, released, R.new_entry(sz, released, R.entry_hash(first),
                                                               "withdraw"), event_id=new_id())
    with pytest.raises(cosign.ChainMoved):
        cosign.add_signature(review, JX, released, R.new_entry(jx, released, released, "sign"),
                             event_id=new_id())
    second = R.new_entry(jx, released, R.entry_hash(first), "sign")
    cosign.add_signature(review, JX, released, second, event_id=new_id())
    with pytest.raises(ConflictError):  # signing twice
        cosign.add_signature(review, JX, released, R.new_entry(
            jx, released, R.entry_hash(second), "sign"), event_id=new_id())
    events = list(review.log)
    random.Random(7).shuffle(events)
    record = cosign.fold(events).release(released)
    assert record.chain == [first, second] and record.summary()["signed"] == ["320500", "330400"]
    revoked = cosign.revoke_key(review, BOSS, jx.public.key_id, "离任", event_id=new_id())
    ring = cosign.fold(review.log).keyring("m", "now")
    assert ring.keys[jx.public.key_id].revoked_at == revoked.at
    assert ring.keys[jx.public.key_id].before_revocation == {released: 2}
    assert ring.chains[released] == {"head": R.entry_hash(second), "length": 2}
