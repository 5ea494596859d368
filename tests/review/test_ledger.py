"""The sample review's ledger: the seed's split, > 90 % adoption, exports, the triage list."""

from __future__ import annotations

import csv

from app.review.access import Actor
from app.review.ledger import compute
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
    assert book.sheetnames == ["意见台账", "按单位类型", "按单位", "按轮次", "按成果", "征询回复"]


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
