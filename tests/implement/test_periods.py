"""Periods are Beijing months; reports are due on the 10th of the next month."""

from datetime import UTC, date, datetime

import pytest

from app.errors import InvalidInput
from app.implement import periods


def test_today_is_the_beijing_date_not_the_utc_one():
    # 17:30 UTC on 31 December is already 01:30 on 1 January in Beijing
    assert periods.today_beijing(datetime(2026, 12, 31, 17, 30, tzinfo=UTC)) == date(2027, 1, 1)
    assert periods.today_beijing(datetime(2026, 12, 31, 15, 59)) == date(2026, 12, 31)
    assert periods.beijing_date("2026-03-10T16:00:00.000Z") == date(2026, 3, 11)


def test_period_arithmetic_crosses_years():
    assert periods.period_of(date(2026, 3, 31)) == "2026-03"
    assert periods.next_period("2026-12") == "2027-01"
    assert periods.previous_period("2027-01") == "2026-12"
    assert periods.periods_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert periods.periods_between("2026-02", "2026-01") == []
    assert periods.period_index("2026-03") - periods.period_index("2025-03") == 12


def test_due_date_is_the_tenth_of_the_next_month():
    assert periods.due_date("2026-03") == date(2026, 4, 10)
    assert periods.due_date("2026-12") == date(2027, 1, 10)
    assert periods.due_date("2026-12", day=5) == date(2027, 1, 5)
    assert periods.due_plus("2026-03", 30) == "2026-05-10"


@pytest.mark.parametrize("bad", ["2026-13", "2026-3", "26-03", "", None, "2026-00"])
def test_bad_periods_are_refused(bad):
    with pytest.raises(InvalidInput):
        periods.next_period(bad)
