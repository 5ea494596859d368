"""Comment rounds at scale: a round of 5,000 comments (decided, published, confirmed).

Measures filtering the triage list (target < 100 ms) and recomputing the ledger from the event
set (target < 1 s), plus the cost around them. `python -m benchmarks.bench_review [--comments N]`
"""

from __future__ import annotations

import argparse
import random
import time
import uuid

from app.review.access import Actor
from app.review.commands import MemoryDirectory, Review
from app.review.events import MemoryLog, digest
from app.review.ledger import compute
from app.review.state import ReviewState, fold
from app.review.triage import CommentFilter, filter_comments, triage_rows
from benchmarks.common import timed

PARTIES = {f"c{i:02d}": (f"城市{i}", "city") for i in range(14)}
PARTIES.update({f"d{i:02d}": (f"部门{i}", "province") for i in range(10)})
PARTIES["office"] = ("办公室", "office")
SECTIONS = {f"S{i}.{j}": f"第{i}项系统行动第{j}条：各方协同推进重点项目建设。" for i in range(1, 9)
            for j in range(1, 5)}
BOSS = Actor("boss", "office", "coordinator", "office")


def build(n: int, seed: int = 7) -> Review:
    """A review with one round of `n` comments, every one decided, published and confirmed."""
    rng = random.Random(seed)
    review = Review(MemoryLog(), ReviewState(), MemoryDirectory(PARTIES))
    ids = iter(str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(10 ** 7))
    review.open_round(BOSS, 1, {"zh": "第一轮"}, "sealed", event_id=next(ids))
    review.freeze(BOSS, 1, SECTIONS, event_id=next(ids))
    for code in PARTIES:
        review.invite(BOSS, 1, code, "2026-05-01", event_id=next(ids))
    for stage in ("issued", "collecting"):
        review.advance(BOSS, 1, stage, event_id=next(ids))
    for _ in range(n):
        review.submit(BOSS, _comment(rng, next(ids)))
    for stage in ("triage", "responding"):
        review.advance(BOSS, 1, stage, event_id=next(ids))
    for c in review.state.submitted():
        sid = c.comment["anchors"][0]["section"]
        review.decide(BOSS, [c.id], "adopted" if rng.random() < 0.9 else "noted",
                      None, {"zh": "采纳"}, [{"kind": "text", "section": sid, "revision": digest(SECTIONS)}],
                      event_id=next(ids))
    pub = review.publish(BOSS, 1, event_id=next(ids)).id
    for c in review.state.submitted():
        party = Actor("u", c.party, "reviewer", c.party_type)
        review.confirm(party, c.id, pub, True, event_id=next(ids))
    return review


def _comment(rng: random.Random, cid: str) -> dict:
    sid = rng.choice(sorted(SECTIONS))
    return {"format": "coplan.comment/v1", "id": cid, "round": 1,
            "party": rng.choice(sorted(p for p in PARTIES if p != "office")), "author": "经办人",
            "channel": "letter", "written": "2026-03-02T09:15:00Z",
            "body": {"zh": f"建议在{sid}中补充实施时序与责任主体{rng.randint(1, 999)}。"},
            "anchors": [{"type": "clause", "section": sid, "quote": "协同推进",
                         "position": SECTIONS[sid].index("协同推进")}]}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--comments", type=int, default=5000)
    args = p.parse_args()
    start = time.perf_counter()
    review = build(args.comments)
    built = time.perf_counter() - start
    events = list(review.log)
    state = review.state
    by_section = CommentFilter(section="S3", statuses=frozenset({"satisfied"}))
    by_text = CommentFilter(text="责任主体12", parties=frozenset({"c03", "d04"}))
    rows = [
        ("build the round through the commands (validated)", built, None),
        ("filter triage list: section S3 + status", timed(lambda: filter_comments(BOSS, state, by_section), 5), 0.1),
        ("filter triage list: text + 2 parties", timed(lambda: filter_comments(BOSS, state, by_text), 5), 0.1),
        ("triage rows for a table (all comments)", timed(lambda: triage_rows(BOSS, state, CommentFilter()), 3), 0.1),
        ("ledger from the event set (fold + compute)", timed(lambda: compute(fold(events)), 3), 1.0),
        ("ledger from the kept state (compute)", timed(lambda: compute(state), 3), 1.0),
    ]
    print(f"{args.comments} comments, {len(events)} events\n")
    print("| step | time | target |\n| --- | ---: | ---: |")
    for name, seconds, target in rows:
        goal = "" if target is None else f"< {target * 1000:.0f} ms"
        print(f"| {name} | {seconds * 1000:.1f} ms | {goal} |")


if __name__ == "__main__":
    main()
