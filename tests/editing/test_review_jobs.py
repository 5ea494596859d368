"""Review jobs of the desktop: the local copy folded like an archive, the outbox, anchors, the
disposition rules, the dashboard chart and sign-off, without Qt."""

from __future__ import annotations

import json
from pathlib import Path

import shapely

from app.editing import review_jobs as R
from app.model.feature import Feature
from app.review import release
from app.review.access import comment_view
from app.review.events import write_jsonl
from app.review.signing import Keyring, keygen, load_public_keys
from app.review.triage import CommentFilter, triage_rows
from tests.conftest import collection_bomb
from tests.review.conftest import ADOPT, BOSS, SZ, advance, comment, make_review, new_id, open_round

PNG = b"\x89PNG\r\n\x1a\n"


def decided_review():
    """Round 1: two comments of Suzhou, the first adopted and published."""
    review = make_review()
    open_round(review, 1, "parties", "collecting")
    ids = [review.submit(actor, comment(party)).id for actor, party in
           ((SZ, "320500"), (SZ, "320500"))]
    advance(review, 1, "responding")
    review.decide(BOSS, [ids[0]], "adopted", **ADOPT, event_id=new_id())
    review.publish(BOSS, 1, event_id=new_id())
    return review, ids


def test_views_fold_to_the_same_rows_as_the_events():
    review, _ = decided_review()
    for actor in (BOSS, SZ):
        views = [comment_view(actor, review.state, c) for c in review.state.submitted()]
        rounds = [{"number": 1, "title": {"zh": "第1轮"}, "stage": "responding"}]
        local = R.state_from_views(views, rounds)
        expected = triage_rows(actor, review.state, CommentFilter())
        assert triage_rows(actor, local, CommentFilter()) == expected
    assert local.rounds[1].title == {"zh": "第1轮"} and local.rounds[1].stage == "responding"


def test_load_local_and_archive(project, tmp_path):
    review, ids = decided_review()
    write_jsonl(review.log, tmp_path / "events.jsonl")
    data = R.load_archive(project, str(tmp_path / "events.jsonl"))
    assert data.source.endswith("events.jsonl") and set(ids) <= set(data.state.comments)
    assert data.actor.party == "310000" and not data.coordinator
    assert data.parties() == {"320500": "苏州市"}
    local = R.load_local(project)
    assert local.source == "local" and local.state.submitted() == [] and local.outbox == ()


def test_written_comments_wait_in_the_outbox(project):
    feature = Feature("STBHHX", "0190f3a2-6c1e-7b3a-9d2e-4f5a6b7c8d9f", "310000", {},
                      shapely.box(121, 31, 121.1, 31.1))
    anchors = [R.feature_anchor(feature), R.clause_anchor("S3.2", "共建", 4)]
    comment_id = R.write_comment(project, 2, {"zh": "建议补充。"}, anchors)
    [item] = R.load_local(project).outbox
    assert item["id"] == comment_id and item["state"] == "queued" and item["round"] == 2
    assert R.anchor_geometry(item["body"]["anchors"][0]).equals(feature.geometry)
    assert R.anchor_geometry(anchors[1]) is None


def test_a_collection_bomb_anchor_is_not_shown_and_never_reaches_geos(no_geos, caplog):
    anchor = {"type": "area", "geometry": collection_bomb().hex()}
    assert R.anchor_geometry(anchor) is None
    assert "nested collections" in caplog.text
    assert R.anchor_geometry({"type": "area", "geometry": "01zz"}) is None


def test_clause_anchor_is_checked():
    for bad in (("", "quote", 0), ("S1", " ", 0), ("S 1", "q", 0), ("S1", "q", -1)):
        try:
            R.clause_anchor(*bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_disposition_rules_mirror_the_core():
    text = {"zh": "答复"}
    assert R.disposition_problems("not_adopted", None, text, []) == ["reason"]
    assert R.disposition_problems("not_adopted", "beyond_remit", text, []) == []
    assert R.disposition_problems("adopted", None, text, []) == ["changes"]
    assert R.disposition_problems("partially_adopted", None, {}, [{"kind": "text"}]) == ["answer"]
    assert R.disposition_problems("duplicate", None, {}, []) == []


def test_changeset_choices_mark_what_the_server_knows(project):
    from app.project import history
    from app.project.features import add_feature
    add_feature(project, "STBHHX", {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市", "MJ": 1.0},
                shapely.box(121, 31, 121.1, 31.1))
    history.commit(project, "红线")
    [choice] = R.changeset_choices(project)
    assert choice["message"] == "红线" and choice["on_server"] is False


def test_round_summary_has_a_chart():
    review, _ = decided_review()
    data = R.ReviewData(review.state, BOSS, "test")
    summary = R.round_summary(None, data, "en")
    assert summary.chart.startswith(PNG) and summary.ledger.total.comments == 2
    assert summary.dashboard.adoption_rate == 1.0


def make_release(folder, keys):
    """A release signed by nobody yet, the keys of its two signatories and, beside the release,
    the keyring that trusts them (as `coplan keys export` writes it)."""
    release.freeze(folder, project="p", title="会签稿", sections={"S1": "文本"},
                   data_version={"project": "p", "version": 3}, ledger={},
                   parties=[{"code": "320500", "name": "苏州市"}, {"code": "330400", "name": "嘉兴市"}],
                   quorum={"rule": "all"})
    made = [keygen(keys, party, f"签署人{party}")[0] for party in ("320500", "330400")]
    keyring = Keyring.of(load_public_keys(keys)).to_json()
    (Path(folder).parent / "keyring.json").write_text(json.dumps(keyring), encoding="utf-8")
    return made


def test_release_status_sign_and_verify(tmp_path):
    folder, keys = tmp_path / "release", tmp_path / "keys"
    sz_key, jx_key = make_release(folder, keys)
    status = R.release_status(None, str(folder))  # ../keyring.json found beside the release
    assert [p["state"] for p in status.parties] == ["unsigned", "unsigned"] and status.quorum_met is False
    status = R.sign_release(None, str(folder), str(sz_key))
    assert status.parties[0]["state"] == "signed" and status.parties[0]["check"] == "valid"
    status = R.sign_release(None, str(folder), str(jx_key))
    assert status.quorum_met and status.problems == ()
    status = R.sign_release(None, str(folder), str(jx_key), "withdraw")
    assert status.parties[1]["state"] == "withdrawn" and not status.quorum_met
    unverified = R.release_status(None, str(folder), "")
    assert unverified.quorum_met is None and unverified.parties[0]["check"] == "not verified"
