"""Times and due dates of a review. Events carry the server's receipt time in UTC (ISO 8601);
people read Beijing time (UTC+8, no daylight saving). A due date is an ISO calendar date and a
submission is late when it was received after the end of that day in Beijing."""

from __future__ import annotations

import datetime as dt
import re

from app.errors import InvalidInput

BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ZONE_LABEL = {"zh": "北京时间", "en": "Beijing time"}


def parse_due(value: str | None) -> str | None:
    """An ISO date `YYYY-MM-DD` (None stays None); InvalidInput for anything else ("下周二")."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _DATE.match(value):
        raise InvalidInput(f"due date {value!r} must be an ISO date YYYY-MM-DD")
    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"due date {value!r} is not a calendar date") from exc
    return value


def _instant(at: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def beijing(at: str | None, lang: str = "zh", seconds: bool = False) -> str:
    """`2026-12-05 15:30 北京时间` for a UTC (or zoned) ISO time; '' for none."""
    if not at:
        return ""
    try:
        local = _instant(at).astimezone(BEIJING)
    except ValueError:
        return at  # not a time we made: shown as given rather than hidden
    shown = f"{local:%Y-%m-%d %H:%M:%S}" if seconds else f"{local:%Y-%m-%d %H:%M}"
    return f"{shown} {ZONE_LABEL[lang]}"


def beijing_date(at: str | None) -> str:
    """The Beijing calendar date (YYYY-MM-DD) of a UTC ISO time; '' for none."""
    if not at:
        return ""
    return _instant(at).astimezone(BEIJING).date().isoformat()


def is_late(received: str | None, due: str | None) -> bool:
    """Whether something received at `received` (UTC ISO) missed the due date (Beijing day)."""
    if not received or not due:
        return False
    return beijing_date(received) > due


def overdue(due: str | None, today: dt.date | None = None) -> bool:
    """Whether a due date has passed (Beijing day) with nothing received."""
    if not due:
        return False
    today = today or dt.datetime.now(BEIJING).date()
    return today.isoformat() > due
