"""The sample review's ledger: the seed's split, > 90 % adoption, exports, the triage list, and
the rule that a duplicate group sharing one answer counts once."""

from __future__ import annotations

import csv

from app.review.access import Actor
from app.review.events import Event
from app.review.ledger import compute
from app.review.state import fold
from app.review.triage import CommentFilter, dashboard, filter_comments, triage_rows


def test_sample_has_the_seeds_split_and_adoption_rate(sample):
    ledger = compute(sample.state)
    counts = {k: t.comments for k, t in ledger.by_party_type.items()}
    assert counts == {"expert": 98, "ministry": 8, "province": 177, "city": 364}
    assert ledger.total.comments == 647 and ledger.total.rate > 0.90
    assert sorted(ledger.by_round) == ["1", "2", "3", "4"] and not ledger.open_items
    assert len(ledger.by_deliverable) == 14  # 1 + 8 + 5
    assert ledger.non_responses  # someone never answered an invitation
    assert any(t.reopened == 0 and t.satisfied for t in ledger.by_party.values())


def test_sample_duplicate_groups_count_once(sample):
    ledger = compute(sample.state)
    groups, members = ledger.duplicate_groups
    assert groups and members > groups
    assert ledger.total.counted == ledger.total.comments - members + groups
    assert sum(ledger.total.dispositions.values()) == ledger.total.counted


def test_exports(sample, tmp_path):
    from openpyxl import load_workbook

    from app.review.export import write_csv, write_xlsx
    ledger = compute(sample.state)
    write_csv(ledger, tmp_path / "l.csv")
    with open(tmp_path / "l.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "意见编号" and len(rows) == 648
    write_xlsx(ledger, tmp_path / "l.xlsx")
    book = load_workbook(tmp_path / "l.xlsx", read_only=True)
    assert book.sheetnames == ["汇总", "意见台账", "按单位类型", "按单位", "按轮次", "按成果",
                               "征询回复"]


def _event(n: int, kind: str, data: dict, party: str = "office", id: str | None = None) -> Event:
    return Event(id or f"00000000-0000-4000-8000-{n:012d}", n, kind, 1, party, "u",
                 f"2026-03-{n:02d}T01:00:00Z", data)


def _comment(n: int, party: str) -> Event:
    cid = f"c0000000-0000-4000-8000-{n:012d}"
    return _event(n, "comment", {"party_name": party, "party_type": "city", "comment": {
        "id": cid, "round": 1, "party": party, "body": {"zh": "同一意见"}, "anchors": []}},
        party=party, id=cid)


def _decide_publish(n: int, members: list[str], disposition: str) -> list[Event]:
    decision = f"00000000-0000-4000-8000-{n:012d}"
    snap = {"decision": decision, "disposition": disposition, "answer": {"zh": "答复"},
            "changes": [], "reason": None, "memo": None}
    return [_event(n, "decide", {"comments": members, "disposition": disposition,
                                 "answer": {"zh": "答复"}, "changes": []}),
            _event(n + 1, "publish", {"answers": {m: snap for m in members}})]


def test_a_duplicate_group_sharing_one_answer_counts_once():
    comments = [_comment(n, party) for n, party in ((1, "a"), (2, "b"), (3, "c"), (4, "a"))]
    ids = [e.id for e in comments]
    group = _event(5, "group", {"group": "g1", "kind": "duplicate", "members": ids[:3],
                                "title": {}})
    events = [*comments, group, *_decide_publish(6, ids[:3], "adopted"),
              *_decide_publish(8, ids[3:], "not_adopted")]
    ledger = compute(fold(events))
    assert ledger.total.comments == 4 and ledger.total.counted == 2
    assert ledger.total.dispositions == {"adopted": 1, "not_adopted": 1}
    assert ledger.total.rate == 0.5  # 1 of 2, not 3 of 4
    assert ledger.duplicate_groups == (1, 3)
    assert ledger.by_party["a"].counted == 2 and ledger.by_party["b"].counted == 1
    # A member answered on its own after all counts on its own.
    split = compute(fold([*events, *_decide_publish(10, ids[2:3], "partially_adopted")]))
    assert split.total.counted == 3 and split.total.dispositions == {
        "adopted": 1, "partially_adopted": 1, "not_adopted": 1}
    assert split.duplicate_groups == (1, 2)


def test_filters_and_dashboard(sample):
    office = Actor("o", "office", "coordinator", "office")
    city = Actor("c", "320500", "reviewer", "city")
    s1 = filter_comments(office, sample.state, CommentFilter(section="S1", round=1))
    assert s1 and all(c.round == 1 for c in s1)
    rows = triage_rows(office, sample.state, CommentFilter(dispositions=frozenset({"not_adopted"})))
    assert rows and {r["disposition"] for r in rows} == {"not_adopted"}
    board = dashboard(city, sample.state)
    assert board.adoption_rate is None and sum(board.statuses.values()) == 647  # all closed rounds
    assert dashboard(office, sample.state).adoption_rate > 0.9
