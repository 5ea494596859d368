"""The ledger is a pure function of the event set: any delivery order, any repeats."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import CoplanError
from app.review.access import Actor
from app.review.ledger import compute
from app.review.state import fold
from tests.review.conftest import (
    ADOPT,
    BOSS,
    JX,
    SZ,
    advance,
    comment,
    make_review,
    new_id,
    open_round,
)

OPS = ("comment", "decide", "publish", "confirm", "reject", "stage")
DISPOSITIONS = (("adopted", None, ADOPT), ("not_adopted", "beyond_remit", {"answer": {"zh": "否"}}),
                ("noted", None, {"answer": {"zh": "知悉"}}))


def _play(review, op: str, pick: int) -> None:
    """One step of a random but plausible review; steps the rules refuse are skipped."""
    ids = [c.id for c in review.state.submitted()]
    c = review.state.comments[ids[pick % len(ids)]] if ids else None
    party: Actor = SZ if c is None or c.party == "320500" else JX
    if op == "comment":
        review.submit(SZ if pick % 2 else JX, comment("320500" if pick % 2 else "330400"))
    elif op == "decide" and c:
        disposition, reason, fields = DISPOSITIONS[pick % 3]
        review.decide(BOSS, [c.id], disposition, reason, **fields, event_id=new_id())
    elif op == "publish":
        review.publish(BOSS, 1, event_id=new_id())
    elif op in ("confirm", "reject") and c and c.publication:
        review.confirm(party, c.id, c.publication, op == "confirm", "不满意", event_id=new_id())
    elif op == "stage":
        stage = review.state.rounds[1].stage
        advance(review, 1, {"collecting": "triage", "triage": "responding",
                            "responding": "published", "published": "revising"}.get(stage, stage))


def history(steps: list[tuple[str, int]]):
    review = make_review()
    open_round(review)
    for op, pick in steps:
        try:
            _play(review, op, pick)
        except CoplanError:
            pass
    return review


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 30)), max_size=40),
       data=st.data())
def test_ledger_ignores_delivery_order_and_repeats(steps, data):
    review = history(steps)
    events = list(review.log)
    expected = compute(review.state).to_json()  # the incrementally kept state
    shuffled = data.draw(st.permutations(events))
    repeats = data.draw(st.lists(st.sampled_from(events), max_size=20)) if events else []
    assert compute(fold(shuffled + repeats)).to_json() == expected
    assert compute(fold(events)).hash() == compute(fold(reversed(events))).hash()


@settings(max_examples=30, deadline=None)
@given(steps=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 30)), max_size=30),
       data=st.data())
def test_any_subset_folds_without_error(steps, data):
    events = list(history(steps).log)
    subset = data.draw(st.lists(st.sampled_from(events), max_size=len(events))) if events else []
    compute(fold(subset))  # references to missing events are tolerated


def test_statuses_through_a_whole_round():
    review = make_review()
    open_round(review)
    cid = review.submit(SZ, comment()).id
    seen = [review.state.comments[cid].status]
    advance(review, 1, "responding")
    review.decide(BOSS, [cid], "adopted", **ADOPT, event_id=new_id())
    seen.append(review.state.comments[cid].status)
    pub = review.publish(BOSS, 1, event_id=new_id()).id
    seen.append(review.state.comments[cid].status)
    review.confirm(SZ, cid, pub, True, event_id=new_id())
    seen.append(review.state.comments[cid].status)
    assert seen == ["open", "decided", "answered", "satisfied"]
